/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GPT-2 byte-level BPE: encode/decode round-trips arbitrary bytes; the
 * token sequence equals an independent naive implementation written here
 * (linear scans over the merge list, no hash tables); pieces never merge
 * across GPT-2's pre-tokenizer boundaries.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpe.h"
#include "caec_test.h"
#include "engine.h"
#include "gen.h"

static char tmpdir[64], path[128];
static void *img;
static size_t isize, imsize;
static struct gguf_file gf;
static struct bpe tok;

static int setup(void **state)
{
	(void)state;
	struct llm_gen_opts o;
	struct gguf_error ge;
	char err[256];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/caec-test-bpe-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/tiny.gguf", tmpdir);
	llm_gen_shape(&o, "tiny");
	/* more merges than the tiny default, so that merges chain */
	o.n_vocab = 2048;
	if (llm_gen_write(&o, path, err, sizeof(err)))
		return -1;
	img = llm_image_load(path, &isize, &imsize, err, sizeof(err));
	if (!img || gguf_parse(&gf, img, isize, &ge) ||
	    bpe_init(&tok, &gf, err, sizeof(err)))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	bpe_fini(&tok);
	gguf_fini(&gf);
	llm_image_free(img, imsize);
	unlink(path);
	rmdir(tmpdir);
	return 0;
}

static const char *const texts[] = {
	"hello world",
	"The quick brown fox jumps over the lazy dog.",
	"  leading spaces and trailing   ",
	"don't won't they're I've we'll she'd it's I'm",
	"numbers 12345 and 3.14159, symbols !@#$%^&*()",
	"tabs\tand\nnewlines\n\n  mixed \t\n",
	"caf\xc3\xa9 na\xc3\xafve \xe2\x82\xac 100 \xf0\x9f\x98\x80 emoji",
	"thethethe thither then there their",
	"",
};

static void roundtrip(const char *s, size_t n)
{
	int32_t ids[4096];
	char out[8192];
	long k = bpe_encode(&tok, s, n, ids, 4096);
	size_t o = 0;

	assert_true(k >= 0 && k <= 4096);
	assert_true((size_t)k <= n);
	for (long i = 0; i < k; i++) {
		long m = bpe_decode(&tok, ids[i], out + o, sizeof(out) - o);
		assert_true(m > 0);
		o += (size_t)m;
	}
	assert_int_equal(o, n);
	assert_memory_equal(out, s, n);
}

/* decode(encode(x)) == x for text, UTF-8, whitespace and random bytes. */
static void test_bpe_roundtrip(void **state)
{
	(void)state;
	uint64_t r = 5;
	char buf[512];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		roundtrip(texts[i], strlen(texts[i]));
	for (int it = 0; it < (int)(200 * caec_test_scale()); it++) {
		size_t n = 1 + it % 500;
		for (size_t i = 0; i < n; i++) {
			r = r * 6364136223846793005ull + 1;
			buf[i] = (char)(r >> 56);
		}
		roundtrip(buf, n);
	}
	assert_int_equal(bpe_decode(&tok, -1, buf, 1), -1);
	assert_int_equal(bpe_decode(&tok, (int32_t)tok.n_vocab, buf, 1), -1);
}

/* ---- the naive reference ------------------------------------------------ */

struct sym {
	char s[64];
	size_t n;
};

/* BPE on one piece: map bytes, then repeatedly apply the lowest-ranked
 * merge found by scanning the merge list. */
static size_t naive_piece(const char *p, size_t n, int32_t *out)
{
	const struct gguf_kv *mk = gguf_find_kv(&gf, "tokenizer.ggml.merges");
	struct sym *sy = calloc(n + 1, sizeof(*sy));
	size_t ns = n, k = 0;

	for (size_t i = 0; i < n; i++)
		sy[i].n = bpe_utf8_put(bpe_byte_to_cp((uint8_t)p[i]), sy[i].s);
	for (;;) {
		const uint8_t *cur = mk->data;
		size_t best_i = 0;
		int found = 0;
		for (uint64_t m = 0; m < mk->arr_len && !found; m++) {
			struct gguf_str ms = gguf_arr_next_str(&cur);
			for (size_t i = 0; i + 1 < ns; i++) {
				if (sy[i].n + 1 + sy[i + 1].n == ms.len &&
				    !memcmp(ms.ptr, sy[i].s, sy[i].n) &&
				    ms.ptr[sy[i].n] == ' ' &&
				    !memcmp(ms.ptr + sy[i].n + 1, sy[i + 1].s, sy[i + 1].n)) {
					best_i = i;
					found = 1;
					break;
				}
			}
		}
		if (!found)
			break;
		memcpy(sy[best_i].s + sy[best_i].n, sy[best_i + 1].s, sy[best_i + 1].n);
		sy[best_i].n += sy[best_i + 1].n;
		memmove(&sy[best_i + 1], &sy[best_i + 2], (ns - best_i - 2) * sizeof(*sy));
		ns--;
	}
	for (size_t i = 0; i < ns; i++) {
		int32_t id = -1;
		for (uint32_t v = 0; v < tok.n_vocab && id < 0; v++)
			if (tok.tokens[v].len == sy[i].n &&
			    !memcmp(tok.tokens[v].ptr, sy[i].s, sy[i].n))
				id = (int32_t)v;
		assert_true(id >= 0); /* every merge result is in the vocabulary */
		out[k++] = id;
	}
	free(sy);
	return k;
}

/* Texts of lowercase words separated by single spaces: GPT-2's pieces are
 * then exactly "word" and " word". */
static void test_bpe_matches_naive_reference(void **state)
{
	(void)state;
	static const char *const words[] = {"the", "quick", "brown", "fox",
		"jumps", "over", "lazy", "dog", "print", "press", "realm",
		"shared", "memory", "zebra", "aardvark", "onomatopoeia"};
	uint64_t r = 11;
	char text[256];
	int32_t got[256], want[256];

	for (int it = 0; it < (int)(60 * caec_test_scale()) + 5; it++) {
		size_t n = 0;
		int nw = 1 + it % 6;
		for (int w = 0; w < nw; w++) {
			r = r * 6364136223846793005ull + 1442695040888963407ull;
			const char *wd = words[(r >> 33) % 16];
			if (w)
				text[n++] = ' ';
			memcpy(text + n, wd, strlen(wd));
			n += strlen(wd);
		}
		long k = bpe_encode(&tok, text, n, got, 256);
		size_t kw = 0, start = 0;
		for (size_t i = 1; i <= n; i++)
			if (i == n || text[i] == ' ') {
				kw += naive_piece(text + start, i - start, want + kw);
				start = i;
			}
		assert_int_equal(k, (long)kw);
		assert_memory_equal(got, want, kw * sizeof(int32_t));
	}
	/* merges are really used: a common word takes fewer tokens than bytes */
	long k = bpe_encode(&tok, " the the the the", 16, got, 256);
	assert_true(k < 16);
}

/* Pre-tokenizer: pieces never merge across a letter/digit/punctuation or
 * space boundary, and contractions are pieces of their own. */
static void test_bpe_pretokenizer_boundaries(void **state)
{
	(void)state;
	int32_t a[64], b[64], c[64];
	static const char *const splits[][2] = {
		{"hello", " world"},
		{"abc", "123"},
		{"abc", "!!"},
		{"they", "'re"},
		{"x", "\n\n"},
		{"word", "  "},
	};

	for (size_t i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
		char joined[64];
		snprintf(joined, sizeof(joined), "%s%s", splits[i][0], splits[i][1]);
		long ka = bpe_encode(&tok, splits[i][0], strlen(splits[i][0]), a, 64);
		long kb = bpe_encode(&tok, splits[i][1], strlen(splits[i][1]), b, 64);
		long kc = bpe_encode(&tok, joined, strlen(joined), c, 64);
		assert_int_equal(kc, ka + kb);
		assert_memory_equal(c, a, (size_t)ka * 4);
		assert_memory_equal(c + ka, b, (size_t)kb * 4);
	}
	/* "a  b": the first space stands alone, the second prefixes "b" */
	long k = bpe_encode(&tok, "a  b", 4, a, 64);
	long kb = bpe_encode(&tok, " b", 2, b, 64);
	assert_int_equal(k, 2 + kb);
	assert_int_equal(a[0], tok.byte_token['a']);
	assert_int_equal(a[1], tok.byte_token[' ']);
	assert_memory_equal(a + 2, b, (size_t)kb * 4);
}

/* ---- hostile vocabularies ---------------------------------------------- */

struct gbuf {
	uint8_t *p;
	size_t n, cap;
};

static void gput(struct gbuf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}
static void gu32(struct gbuf *b, uint32_t v) { gput(b, &v, 4); }
static void gu64(struct gbuf *b, uint64_t v) { gput(b, &v, 8); }
static void gstr(struct gbuf *b, const char *s)
{
	gu64(b, strlen(s));
	gput(b, s, strlen(s));
}

/* FNV-1a 64, the tokenizer's table hash (bpe.c). */
static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

/* A GGUF holding only a gpt2 tokenizer: n tokens, no merges.  With
 * `collide`, every token hashes into the first 64 slots of the vocabulary
 * table (bpe.c sizes it to the power of two >= 2n + 2). */
static int bpe_init_crafted(uint32_t n, bool collide, char *err, size_t errlen)
{
	struct gbuf b = {0};
	struct gguf_file f;
	struct gguf_error ge;
	struct bpe t;
	uint64_t mask = 16;
	char s[32];
	int rc;

	while (mask < 2 * (uint64_t)n + 2)
		mask *= 2;
	mask -= 1;
	gu32(&b, GGUF_MAGIC);
	gu32(&b, 3);
	gu64(&b, 0);
	gu64(&b, 3);
	gstr(&b, "tokenizer.ggml.model");
	gu32(&b, GGUF_TYPE_STRING);
	gstr(&b, "gpt2");
	gstr(&b, "tokenizer.ggml.tokens");
	gu32(&b, GGUF_TYPE_ARRAY);
	gu32(&b, GGUF_TYPE_STRING);
	gu64(&b, n);
	for (uint32_t i = 0, k = 0; i < n; k++) {
		int len = snprintf(s, sizeof(s), "t%08x", k);
		if (collide && (fnv1a(s, (size_t)len) & mask) >= 64)
			continue;
		gstr(&b, s);
		i++;
	}
	gstr(&b, "tokenizer.ggml.merges");
	gu32(&b, GGUF_TYPE_ARRAY);
	gu32(&b, GGUF_TYPE_STRING);
	gu64(&b, 0);
	assert_int_equal(gguf_parse(&f, b.p, b.n, &ge), GGUF_OK);
	rc = bpe_init(&t, &f, err, errlen);
	if (rc == 0) {
		assert_int_equal(t.n_vocab, n);
		bpe_fini(&t);
	}
	gguf_fini(&f);
	free(b.p);
	return rc;
}

/* A vocabulary crafted so that every string collides in the hash table is
 * refused with a clear error instead of making bpe_init() quadratic (a
 * hang for a large file); the same number of ordinary strings loads.
 * Fails without the probe budget in bpe_init(). */
static void test_bpe_rejects_colliding_vocab(void **state)
{
	(void)state;
	char err[256] = "";

	assert_int_equal(bpe_init_crafted(4096, false, err, sizeof(err)), 0);
	assert_int_equal(bpe_init_crafted(4096, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "collide"));
}

/* A GGUF holding a two-byte-token gpt2 tokenizer and, if pre is not NULL,
 * tokenizer.ggml.pre = pre; returns bpe_init()'s result. */
static int bpe_init_pre(const char *pre, char *err, size_t errlen)
{
	struct gbuf b = {0};
	struct gguf_file f;
	struct gguf_error ge;
	struct bpe t;
	int rc;

	gu32(&b, GGUF_MAGIC);
	gu32(&b, 3);
	gu64(&b, 0);
	gu64(&b, pre ? 4 : 3);
	gstr(&b, "tokenizer.ggml.model");
	gu32(&b, GGUF_TYPE_STRING);
	gstr(&b, "gpt2");
	if (pre) {
		gstr(&b, "tokenizer.ggml.pre");
		gu32(&b, GGUF_TYPE_STRING);
		gstr(&b, pre);
	}
	gstr(&b, "tokenizer.ggml.tokens");
	gu32(&b, GGUF_TYPE_ARRAY);
	gu32(&b, GGUF_TYPE_STRING);
	gu64(&b, 2);
	gstr(&b, "a");
	gstr(&b, "b");
	gstr(&b, "tokenizer.ggml.merges");
	gu32(&b, GGUF_TYPE_ARRAY);
	gu32(&b, GGUF_TYPE_STRING);
	gu64(&b, 0);
	assert_int_equal(gguf_parse(&f, b.p, b.n, &ge), GGUF_OK);
	rc = bpe_init(&t, &f, err, errlen);
	if (rc == 0)
		bpe_fini(&t);
	gguf_fini(&f);
	free(b.p);
	return rc;
}

/* Only GPT-2's pre-tokenizer is implemented: a file asking for another
 * one is refused by name; "gpt-2" and no key at all (older files) load. */
static void test_bpe_requires_gpt2_pre(void **state)
{
	(void)state;
	char err[256] = "";

	assert_int_equal(bpe_init_pre(NULL, err, sizeof(err)), 0);
	assert_int_equal(bpe_init_pre("gpt-2", err, sizeof(err)), 0);
	assert_int_equal(bpe_init_pre("llama3", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tokenizer.ggml.pre"));
	assert_int_equal(bpe_init_pre("gpt-2x", err, sizeof(err)), -1);
}

/* Split text into pre-tokenizer pieces joined by '|'. */
static void pieces(const char *t, char *out, size_t cap)
{
	size_t o = 0, n = strlen(t);

	for (size_t i = 0; i < n;) {
		size_t k = bpe_pretoken((const uint8_t *)t, n, i);
		assert_true(k > 0 && i + k <= n);
		if (i && o < cap - 1)
			out[o++] = '|';
		for (size_t j = 0; j < k && o < cap - 1; j++)
			out[o++] = t[i + j];
		i += k;
	}
	out[o] = 0;
}

/* Pieces follow GPT-2's Unicode classes, not bytes: white space other than
 * ASCII (U+00A0, U+2009, U+3000) is space, so an ASCII space before it
 * stands alone; non-ASCII punctuation is "other", so a contraction after
 * it is not one (the punctuation run takes the apostrophe); letters and
 * digits of other scripts take the space prefix like ASCII ones; a byte
 * that is not UTF-8 is "other".  Fails with every non-ASCII byte a letter. */
static void test_bpe_unicode_classes(void **state)
{
	(void)state;
	char got[256];
	static const char *const cases[][2] = {
		{"a \xc2\xa0" "b", "a| |\xc2\xa0|b"},
		{"x \xe2\x80\x89y", "x| |\xe2\x80\x89|y"},
		{"a \xe3\x80\x80\xe3\x80\x80" "b", "a| \xe3\x80\x80|\xe3\x80\x80|b"},
		{"\xc2\xa3's", "\xc2\xa3'|s"},
		{"\xe2\x80\x94'll", "\xe2\x80\x94'|ll"},
		{"it's", "it|'s"},
		{"IT'S", "IT|'|S"},
		{" \xd0\xbc\xd0\xb8\xd1\x80!", " \xd0\xbc\xd0\xb8\xd1\x80|!"},
		{"12\xd9\xa3x \xc2\xbd", "12\xd9\xa3|x| \xc2\xbd"},
		{"caf\xc3\xa9 na\xc3\xafve", "caf\xc3\xa9| na\xc3\xafve"},
		{"a\xff" "b", "a|\xff|b"},
		{"a  b\n\nc ", "a| | b|\n|\n|c| "},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pieces(cases[i][0], got, sizeof(got));
		if (strcmp(got, cases[i][1]))
			fail_msg("case %zu: pieces \"%s\", expected \"%s\"", i, got,
				 cases[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpe_roundtrip),
		cmocka_unit_test(test_bpe_matches_naive_reference),
		cmocka_unit_test(test_bpe_pretokenizer_boundaries),
		cmocka_unit_test(test_bpe_rejects_colliding_vocab),
		cmocka_unit_test(test_bpe_requires_gpt2_pre),
		cmocka_unit_test(test_bpe_unicode_classes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
