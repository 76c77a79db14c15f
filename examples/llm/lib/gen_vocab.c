/* SPDX-License-Identifier: Apache-2.0 */
/* The generator's vocabularies (synthetic, or GPT-2's files): see gen_vocab.h. */
#include "gen_vocab.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpe.h"
#include "errf.h"

static uint64_t shash(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

static size_t arena_add(struct llm_vocab *v, const char *p, size_t n)
{
	if (v->used + n > v->cap)
		return (size_t)-1;
	memcpy(v->arena + v->used, p, n);
	v->used += n;
	return v->used - n;
}

/* 0: added; 1: already there; -1: the arena is full. */
static int vocab_add(struct llm_vocab *v, const char *p, size_t n)
{
	size_t i = shash(p, n) & v->set_mask;

	for (;; i = (i + 1) & v->set_mask) {
		uint32_t t = v->set[i];
		if (!t)
			break;
		if (v->len[t - 1] == n && !memcmp(v->arena + v->off[t - 1], p, n))
			return 1;
	}
	size_t o = arena_add(v, p, n);
	if (o == (size_t)-1)
		return -1;
	v->off[v->n] = o;
	v->len[v->n] = n;
	v->n++;
	v->set[i] = v->n;
	return 0;
}

static int merge_add(struct llm_vocab *v, const char *p, size_t n)
{
	size_t o = arena_add(v, p, n);

	if (o == (size_t)-1)
		return -1;
	v->moff[v->nm] = o;
	v->mlen[v->nm] = n;
	v->nm++;
	return 0;
}

void llm_vocab_free(struct llm_vocab *v)
{
	free(v->arena);
	free(v->off);
	free(v->len);
	free(v->moff);
	free(v->mlen);
	free(v->set);
	memset(v, 0, sizeof(*v));
}

static int vocab_alloc(struct llm_vocab *v, uint32_t n_tokens, uint32_t n_merges,
		       size_t arena)
{
	size_t cap = 16;

	memset(v, 0, sizeof(*v));
	while (cap < 2 * (size_t)n_tokens)
		cap *= 2;
	v->cap = arena;
	v->arena = malloc(arena);
	v->off = calloc(n_tokens, sizeof(size_t));
	v->len = calloc(n_tokens, sizeof(size_t));
	v->moff = calloc((size_t)n_merges + 1, sizeof(size_t));
	v->mlen = calloc((size_t)n_merges + 1, sizeof(size_t));
	v->set = calloc(cap, sizeof(uint32_t));
	v->set_mask = cap - 1;
	if (!v->arena || !v->off || !v->len || !v->moff || !v->mlen || !v->set) {
		llm_vocab_free(v);
		return -1;
	}
	return 0;
}

/* ---- synthetic ----------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int llm_vocab_synthetic(struct llm_vocab *v, uint32_t n_vocab, uint64_t seed)
{
	if (n_vocab < 300)
		return -1;
	const uint32_t n_merges = n_vocab - 257;
	uint32_t *letters, *spaced, nl = 0, ns = 0;

	if (vocab_alloc(v, n_vocab, n_merges, (size_t)n_vocab * 64 + 4096))
		return -1;
	letters = calloc(n_vocab, sizeof(uint32_t));
	spaced = calloc(n_vocab, sizeof(uint32_t));
	if (!letters || !spaced) {
		free(letters);
		free(spaced);
		return -1;
	}
	/* The 256 byte tokens, in GPT-2's order: printable bytes first. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned b = 0; b < 256; b++) {
			uint32_t cp = bpe_byte_to_cp((uint8_t)b);
			if ((cp == b) != (pass == 0))
				continue;
			char u[4];
			size_t n = bpe_utf8_put(cp, u);
			(void)vocab_add(v, u, n);
			if (b >= 'a' && b <= 'z')
				letters[nl++] = v->n - 1;
			if (b == ' ')
				spaced[ns++] = v->n - 1;
		}
	/* Merges: left (letters or Ġ-prefixed) + right (letters). */
	uint64_t st = seed ^ 0x766f636162ull;
	uint32_t tries = 0;
	while (v->nm < n_merges && tries < 100u * n_merges + 1000) {
		tries++;
		bool sp = splitmix(&st) % 2;
		uint32_t l = sp ? spaced[splitmix(&st) % ns] : letters[splitmix(&st) % nl];
		/* favour short right-hand parts so that merges chain naturally
		 * (one call per statement: the order must not depend on the
		 * compiler, or the vocabulary would) */
		uint64_t pick_short = splitmix(&st) % 4;
		uint64_t ri = splitmix(&st);
		uint32_t r = letters[ri % (pick_short ? (nl < 26 ? nl : 26) : nl)];
		size_t ll = v->len[l], lr = v->len[r];
		if (ll + lr > 14)
			continue;
		char buf[32];
		memcpy(buf, v->arena + v->off[l], ll);
		memcpy(buf + ll, v->arena + v->off[r], lr);
		if (vocab_add(v, buf, ll + lr) != 0)
			continue;
		if (sp)
			spaced[ns++] = v->n - 1;
		else
			letters[nl++] = v->n - 1;
		char mb[40];
		memcpy(mb, v->arena + v->off[l], ll);
		mb[ll] = ' ';
		memcpy(mb + ll + 1, v->arena + v->off[r], lr);
		if (merge_add(v, mb, ll + lr + 1))
			break;
	}
	free(letters);
	free(spaced);
	if (v->nm != n_merges || vocab_add(v, "<|endoftext|>", 13) != 0 ||
	    v->n != n_vocab) {
		llm_vocab_free(v);
		return -1;
	}
	return 0;
}

/* ---- GPT-2's files --------------------------------------------------------- */

static char *slurp(const char *path, size_t *n, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long sz;

	if (!fp) {
		llm_errf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) || (sz = ftell(fp)) < 0 || sz > (64L << 20) ||
	    fseek(fp, 0, SEEK_SET)) {
		llm_errf(err, errlen, "%s: cannot size it, or larger than 64 MiB", path);
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)sz + 1);
	if (!buf || fread(buf, 1, (size_t)sz, fp) != (size_t)sz) {
		llm_errf(err, errlen, "cannot read %s", path);
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	buf[sz] = 0;
	*n = (size_t)sz;
	return buf;
}

struct json {
	const char *base, *p, *end, *path;
	char *err;
	size_t errlen;
};

static int jfail(struct json *j, const char *what)
{
	return llm_errf(j->err, j->errlen, "%s: %s at byte %zu", j->path, what,
			(size_t)(j->p - j->base));
}

static void jspace(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
				 *j->p == '\r'))
		j->p++;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A JSON string at j->p, decoded to UTF-8 into out (the caller makes it
 * as large as the rest of the input: decoding never grows a string). */
static int jstring(struct json *j, char *out, size_t *n)
{
	size_t o = 0;

	if (j->p >= j->end || *j->p != '"')
		return jfail(j, "expected a string");
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned char c = (unsigned char)*j->p;
		if (c < 0x20)
			return jfail(j, "control character in a string");
		if (c != '\\') {
			out[o++] = (char)c;
			j->p++;
			continue;
		}
		if (j->end - j->p < 2)
			return jfail(j, "truncated escape");
		char e = j->p[1];
		j->p += 2;
		const char *simple = strchr("\"\\/bfnrt", e);
		if (simple && e) {
			static const char map[] = "\"\\/\b\f\n\r\t";
			out[o++] = map[simple - "\"\\/bfnrt"];
			continue;
		}
		if (e != 'u')
			return jfail(j, "unknown escape");
		uint32_t cp, lo;
		if (j->end - j->p < 4 || hex4(j->p, &cp))
			return jfail(j, "bad \\u escape");
		j->p += 4;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
			    hex4(j->p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
				return jfail(j, "unpaired surrogate");
			j->p += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else if (cp >= 0xdc00 && cp <= 0xdfff) {
			return jfail(j, "unpaired surrogate");
		}
		o += bpe_utf8_put(cp, out + o);
	}
	if (j->p >= j->end)
		return jfail(j, "unterminated string");
	j->p++;
	*n = o;
	return 0;
}

static int jnumber(struct json *j, uint32_t *out)
{
	uint64_t v = 0;
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9' && v <= UINT32_MAX)
		v = v * 10 + (uint64_t)(*j->p++ - '0');
	if (j->p == s || v > UINT32_MAX)
		return jfail(j, "expected a token ID (a non-negative integer)");
	*out = (uint32_t)v;
	return 0;
}

/* Pass 1 counts the entries; pass 2 stores them by ID. */
static int parse_encoder(struct llm_vocab *v, char *text, size_t n,
			 const char *path, uint32_t *count, char *tmp,
			 char *err, size_t errlen)
{
	struct json j = { text, text, text + n, path, err, errlen };
	uint32_t k = 0;

	jspace(&j);
	if (j.p >= j.end || *j.p++ != '{')
		return jfail(&j, "expected a JSON object");
	jspace(&j);
	if (j.p < j.end && *j.p == '}')
		return jfail(&j, "empty vocabulary");
	for (;;) {
		size_t sl = 0;
		uint32_t id = 0;
		jspace(&j);
		if (jstring(&j, tmp, &sl))
			return -1;
		jspace(&j);
		if (j.p >= j.end || *j.p++ != ':')
			return jfail(&j, "expected ':'");
		jspace(&j);
		if (jnumber(&j, &id))
			return -1;
		if (v) {
			if (id >= *count || v->len[id] != (size_t)-1)
				return jfail(&j, "token IDs are not exactly 0..n-1");
			size_t o = arena_add(v, tmp, sl);
			if (o == (size_t)-1)
				return jfail(&j, "out of memory");
			v->off[id] = o;
			v->len[id] = sl;
		}
		k++;
		jspace(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p < j.end && *j.p == '}')
			break;
		return jfail(&j, "expected ',' or '}'");
	}
	j.p++;
	jspace(&j);
	if (j.p != j.end)
		return jfail(&j, "trailing data after the object");
	*count = k;
	return 0;
}

int llm_vocab_gpt2_files(struct llm_vocab *v, const char *encoder_json,
			 const char *vocab_bpe, char *err, size_t errlen)
{
	size_t jn = 0, bn = 0;
	char *js = NULL, *bs = NULL, *tmp = NULL;
	uint32_t n_tok = 0, n_merges = 0;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	js = slurp(encoder_json, &jn, err, errlen);
	if (!js)
		goto out;
	bs = slurp(vocab_bpe, &bn, err, errlen);
	if (!bs)
		goto out;
	tmp = malloc(jn + 1);
	if (!tmp) {
		llm_errf(err, errlen, "out of memory");
		goto out;
	}
	if (parse_encoder(NULL, js, jn, encoder_json, &n_tok, tmp, err, errlen))
		goto out;
	if (n_tok < 257 || n_tok > (1u << 24)) {
		llm_errf(err, errlen, "%s: %u tokens (expected 257 .. 2^24)",
			 encoder_json, n_tok);
		goto out;
	}
	/* vocab.bpe: "#version: ..." first, then "left right" per line. */
	char *line = bs, *end = bs + bn;
	if (bn < 8 || memcmp(bs, "#version", 8) != 0) {
		llm_errf(err, errlen, "%s: does not start with a #version line", vocab_bpe);
		goto out;
	}
	for (char *q = bs; q < end; q++)
		n_merges += *q == '\n';
	if (vocab_alloc(v, n_tok, n_merges, jn + bn + 64)) {
		llm_errf(err, errlen, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < n_tok; i++)
		v->len[i] = (size_t)-1;
	uint32_t check = n_tok;
	if (parse_encoder(v, js, jn, encoder_json, &check, tmp, err, errlen))
		goto out;
	v->n = n_tok;
	for (uint32_t i = 0; i < n_tok; i++) {
		int a = 0;
		/* fill the hash set; a duplicate string is a broken file */
		size_t h = shash(v->arena + v->off[i], v->len[i]) & v->set_mask;
		for (; v->set[h]; h = (h + 1) & v->set_mask) {
			uint32_t t = v->set[h] - 1;
			if (v->len[t] == v->len[i] &&
			    !memcmp(v->arena + v->off[t], v->arena + v->off[i], v->len[i]))
				a = 1;
		}
		if (a || v->len[i] == 0) {
			llm_errf(err, errlen, "%s: token %u is empty or a duplicate",
				 encoder_json, i);
			goto out;
		}
		v->set[h] = i + 1;
	}
	line = memchr(bs, '\n', bn);
	line = line ? line + 1 : end;
	for (unsigned lineno = 2; line < end; lineno++) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *le = nl ? nl : end;
		size_t ln = (size_t)(le - line);
		if (ln && line[ln - 1] == '\r')
			ln--;
		if (ln) {
			char *sp = memchr(line, ' ', ln);
			if (!sp || sp == line || sp == line + ln - 1 ||
			    memchr(sp + 1, ' ', ln - (size_t)(sp + 1 - line))) {
				llm_errf(err, errlen, "%s:%u: not a \"left right\" pair",
					 vocab_bpe, lineno);
				goto out;
			}
			if (merge_add(v, line, ln)) {
				llm_errf(err, errlen, "out of memory");
				goto out;
			}
		}
		line = nl ? nl + 1 : end;
	}
	rc = 0;
out:
	if (rc)
		llm_vocab_free(v);
	free(js);
	free(bs);
	free(tmp);
	return rc;
}
