/* SPDX-License-Identifier: Apache-2.0 */
/* GPT-2 byte-level BPE: see bpe.h. */
#include "bpe.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errf.h"
#include "unicode.h"

struct bpe_slot {
	const char *p;
	uint32_t len;
	int32_t val;
};

struct bpe_table {
	size_t mask;
	struct bpe_slot *slots;
};

static uint64_t hash(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

static struct bpe_table *table_new(size_t n)
{
	struct bpe_table *t = calloc(1, sizeof(*t));
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	if (!t)
		return NULL;
	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	t->mask = cap - 1;
	return t;
}

static void table_free(struct bpe_table *t)
{
	if (t)
		free(t->slots);
	free(t);
}

/* Insert (first one wins) or look up.  *probes, if given, counts the slots
 * visited, so that bpe_init() can bound the work a crafted vocabulary makes
 * it do. */
static struct bpe_slot *table_slot(const struct bpe_table *t, const char *p,
				   size_t n, uint64_t *probes)
{
	for (size_t i = hash(p, n) & t->mask;; i = (i + 1) & t->mask) {
		struct bpe_slot *s = &t->slots[i];
		if (probes)
			(*probes)++;
		if (!s->p || (s->len == n && memcmp(s->p, p, n) == 0))
			return s;
	}
}

static int32_t table_get(const struct bpe_table *t, const char *p, size_t n)
{
	const struct bpe_slot *s = table_slot(t, p, n, NULL);

	return s->p ? s->val : -1;
}

static bool cp_printable(unsigned b)
{
	return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) ||
	       (b >= 174 && b <= 255);
}

uint32_t bpe_byte_to_cp(uint8_t byte)
{
	uint32_t n = 0;

	if (cp_printable(byte))
		return byte;
	for (unsigned b = 0; b < byte; b++)
		if (!cp_printable(b))
			n++;
	return 256 + n;
}

size_t bpe_utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int bpe_init(struct bpe *b, const struct gguf_file *f, char *err, size_t errlen)
{
	const struct gguf_kv *tk = gguf_find_kv(f, "tokenizer.ggml.tokens");
	const struct gguf_kv *mk = gguf_find_kv(f, "tokenizer.ggml.merges");
	const struct gguf_kv *model = gguf_find_kv(f, "tokenizer.ggml.model");
	struct gguf_str ms;
	uint64_t v;

	memset(b, 0, sizeof(*b));
	b->bos = b->eos = -1;
	if (!gguf_kv_get_str(model, &ms) || !gguf_str_eq(ms, "gpt2"))
		return llm_errf(err, errlen, "tokenizer.ggml.model is not \"gpt2\"");
	/* The pre-tokenizer is GPT-2's: refuse a file that asks for another
	 * one (its text would be split differently).  Files without the key
	 * (older converters) are GPT-2 models and get GPT-2's. */
	const struct gguf_kv *pre = gguf_find_kv(f, "tokenizer.ggml.pre");
	if (pre && (!gguf_kv_get_str(pre, &ms) || !gguf_str_eq(ms, "gpt-2")))
		return llm_errf(err, errlen, "tokenizer.ggml.pre is not \"gpt-2\" "
				"(the only pre-tokenizer this engine implements)");
	if (!tk || tk->type != GGUF_TYPE_ARRAY || tk->arr_type != GGUF_TYPE_STRING ||
	    tk->arr_len == 0 || tk->arr_len > (1u << 24))
		return llm_errf(err, errlen, "tokenizer.ggml.tokens missing or not a string array");
	if (!mk || mk->type != GGUF_TYPE_ARRAY || mk->arr_type != GGUF_TYPE_STRING ||
	    mk->arr_len > (1u << 24))
		return llm_errf(err, errlen, "tokenizer.ggml.merges missing or not a string array");
	b->n_vocab = (uint32_t)tk->arr_len;
	b->tokens = calloc(b->n_vocab, sizeof(*b->tokens));
	b->vocab = table_new(b->n_vocab);
	b->merges = table_new(mk->arr_len);
	if (!b->tokens || !b->vocab || !b->merges) {
		bpe_fini(b);
		return llm_errf(err, errlen, "out of memory");
	}
	/*
	 * The hash is public and unseeded, so a hostile model file can pick
	 * strings that all land in one cluster of the linear-probing tables,
	 * making the inserts below quadratic (minutes to hours for a million
	 * entries).  Honest vocabularies average under two probes per insert
	 * at the tables' load factor (<= 1/2); refuse anything above a
	 * generous budget instead of hanging.
	 */
	uint64_t probes = 0;
	const uint64_t budget = 32 * (tk->arr_len + mk->arr_len) + 1024;
	const uint8_t *cur = tk->data;
	for (uint32_t i = 0; i < b->n_vocab; i++) {
		struct gguf_str s = gguf_arr_next_str(&cur);
		b->tokens[i] = s;
		if (s.len == 0 || s.len > UINT32_MAX)
			continue;
		struct bpe_slot *sl = table_slot(b->vocab, s.ptr, s.len, &probes);
		if (probes > budget) {
			bpe_fini(b);
			return llm_errf(err, errlen, "tokenizer.ggml.tokens: strings collide "
					"in the hash table (crafted file?)");
		}
		if (!sl->p) {
			sl->p = s.ptr;
			sl->len = (uint32_t)s.len;
			sl->val = (int32_t)i;
		}
	}
	cur = mk->data;
	for (uint64_t i = 0; i < mk->arr_len; i++) {
		struct gguf_str s = gguf_arr_next_str(&cur);
		if (s.len == 0 || s.len > UINT32_MAX)
			continue;
		struct bpe_slot *sl = table_slot(b->merges, s.ptr, s.len, &probes);
		if (probes > budget) {
			bpe_fini(b);
			return llm_errf(err, errlen, "tokenizer.ggml.merges: strings collide "
					"in the hash table (crafted file?)");
		}
		if (!sl->p) {
			sl->p = s.ptr;
			sl->len = (uint32_t)s.len;
			sl->val = (int32_t)i;
		}
	}
	for (unsigned c = 0; c < 256; c++) {
		char u[4];
		size_t n = bpe_utf8_put(bpe_byte_to_cp((uint8_t)c), u);
		b->byte_token[c] = table_get(b->vocab, u, n);
	}
	if (gguf_kv_get_u64(gguf_find_kv(f, "tokenizer.ggml.bos_token_id"), &v) &&
	    v < b->n_vocab)
		b->bos = (int32_t)v;
	if (gguf_kv_get_u64(gguf_find_kv(f, "tokenizer.ggml.eos_token_id"), &v) &&
	    v < b->n_vocab)
		b->eos = (int32_t)v;
	return 0;
}

void bpe_fini(struct bpe *b)
{
	free(b->tokens);
	table_free(b->vocab);
	table_free(b->merges);
	memset(b, 0, sizeof(*b));
}

/* The class of the code point at s[i]; *n receives its UTF-8 length (1
 * for a byte that is not valid UTF-8, which counts as "other"). */
static enum uni_class class_at(const uint8_t *s, size_t len, size_t i, size_t *n)
{
	uint32_t cp;

	*n = uni_utf8_decode(s + i, len - i, &cp);
	return uni_classify(cp);
}

/* End of the run of code points of class c that starts at s[i]. */
static size_t run_end(const uint8_t *s, size_t len, size_t i, enum uni_class c)
{
	size_t n;

	while (i < len && class_at(s, len, i, &n) == c)
		i += n;
	return i;
}

/*
 * Length of the pre-token starting at s[i]: the first alternative of
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * that matches there, as the reference encoder's regular expression does
 * (case-sensitive contractions; the optional prefix is U+0020 only).
 */
size_t bpe_pretoken(const uint8_t *s, size_t len, size_t i)
{
	static const char *const contr[] = {"s", "t", "re", "ve", "m", "ll", "d"};
	size_t n0, n1;

	if (s[i] == '\'') {
		for (unsigned k = 0; k < sizeof(contr) / sizeof(contr[0]); k++) {
			size_t n = strlen(contr[k]);
			if (i + 1 + n <= len && memcmp(s + i + 1, contr[k], n) == 0)
				return 1 + n;
		}
	}
	enum uni_class c0 = class_at(s, len, i, &n0);
	if (s[i] == ' ' && i + 1 < len) {
		enum uni_class c1 = class_at(s, len, i + 1, &n1);
		if (c1 != UNI_SPACE) /* " ?X+" with the space */
			return run_end(s, len, i + 1, c1) - i;
	}
	if (c0 != UNI_SPACE) /* "X+" for letters, numbers or other */
		return run_end(s, len, i, c0) - i;
	/* A run of white space.  "\s+(?!\S)" backtracks one code point when
	 * the run is followed by something else, so that this last space can
	 * prefix the next piece; a lone space there matches "\s+". */
	size_t last = i, k = i;
	while (k < len && class_at(s, len, k, &n1) == UNI_SPACE) {
		last = k;
		k += n1;
	}
	if (k == len || last == i)
		return k - i;
	return last - i;
}

struct piece_buf {
	char *u;        /* mapped UTF-8 of the piece */
	size_t *start;  /* symbol start offsets in u */
	size_t *bstart; /* symbol start offsets in the raw bytes */
	char *key;
	size_t cap;
};

static long emit(long count, int32_t id, int32_t *out, size_t cap)
{
	if ((size_t)count < cap)
		out[count] = id;
	return count + 1;
}

static long encode_piece(const struct bpe *b, const uint8_t *p, size_t n,
			 struct piece_buf *w, long count, int32_t *out,
			 size_t cap)
{
	size_t nsym = 0, ulen = 0;

	for (size_t i = 0; i < n; i++) {
		w->start[nsym] = ulen;
		w->bstart[nsym] = i;
		nsym++;
		ulen += bpe_utf8_put(bpe_byte_to_cp(p[i]), w->u + ulen);
	}
	w->start[nsym] = ulen;
	w->bstart[nsym] = n;
	for (;;) {
		int32_t best = -1;
		size_t at = 0;

		for (size_t i = 0; i + 1 < nsym; i++) {
			size_t la = w->start[i + 1] - w->start[i];
			size_t lb = w->start[i + 2] - w->start[i + 1];
			memcpy(w->key, w->u + w->start[i], la);
			w->key[la] = ' ';
			memcpy(w->key + la + 1, w->u + w->start[i + 1], lb);
			int32_t r = table_get(b->merges, w->key, la + 1 + lb);
			if (r >= 0 && (best < 0 || r < best)) {
				best = r;
				at = i;
			}
		}
		if (best < 0)
			break;
		memmove(&w->start[at + 1], &w->start[at + 2],
			(nsym - at - 1) * sizeof(size_t));
		memmove(&w->bstart[at + 1], &w->bstart[at + 2],
			(nsym - at - 1) * sizeof(size_t));
		nsym--;
	}
	for (size_t i = 0; i < nsym; i++) {
		int32_t id = table_get(b->vocab, w->u + w->start[i],
				       w->start[i + 1] - w->start[i]);
		if (id >= 0) {
			count = emit(count, id, out, cap);
			continue;
		}
		for (size_t k = w->bstart[i]; k < w->bstart[i + 1]; k++) {
			if (b->byte_token[p[k]] < 0)
				return -1;
			count = emit(count, b->byte_token[p[k]], out, cap);
		}
	}
	return count;
}

long bpe_encode(const struct bpe *b, const char *text, size_t len,
		int32_t *out, size_t cap)
{
	const uint8_t *s = (const uint8_t *)text;
	struct piece_buf w = {0};
	long count = 0;

	for (size_t i = 0; i < len && count >= 0;) {
		size_t n = bpe_pretoken(s, len, i);
		if (n > w.cap) {
			free(w.u);
			free(w.start);
			free(w.bstart);
			free(w.key);
			w.cap = n * 2;
			w.u = malloc(2 * w.cap);
			w.key = malloc(4 * w.cap + 1);
			w.start = malloc((w.cap + 1) * sizeof(size_t));
			w.bstart = malloc((w.cap + 1) * sizeof(size_t));
			if (!w.u || !w.key || !w.start || !w.bstart) {
				count = -1;
				break;
			}
		}
		count = encode_piece(b, s + i, n, &w, count, out, cap);
		i += n;
	}
	free(w.u);
	free(w.start);
	free(w.bstart);
	free(w.key);
	return count;
}

long bpe_decode(const struct bpe *b, int32_t id, char *out, size_t cap)
{
	if (id < 0 || (uint32_t)id >= b->n_vocab)
		return -1;
	const uint8_t *p = (const uint8_t *)b->tokens[id].ptr;
	size_t n = b->tokens[id].len, i = 0;
	long o = 0;

	while (i < n) {
		uint32_t cp;
		size_t l;

		if (p[i] < 0x80) {
			cp = p[i];
			l = 1;
		} else if ((p[i] & 0xe0) == 0xc0 && i + 1 < n) {
			cp = ((uint32_t)(p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f);
			l = 2;
		} else {
			cp = 0xffffffffu; /* not a mapped byte: copy verbatim */
			l = 1;
		}
		int byte = -1;
		if (cp < 256 && cp_printable(cp)) {
			byte = (int)cp;
		} else if (cp >= 256 && cp < 256 + 68) {
			for (unsigned c = 0; c < 256; c++)
				if (!cp_printable(c) && bpe_byte_to_cp((uint8_t)c) == cp) {
					byte = (int)c;
					break;
				}
		}
		if (byte >= 0) {
			if ((size_t)o < cap)
				out[o] = (char)byte;
			o++;
		} else {
			for (size_t k = 0; k < l; k++, o++)
				if ((size_t)o < cap)
					out[o] = (char)p[i + k];
		}
		i += l;
	}
	return o;
}
