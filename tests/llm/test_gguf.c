/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GGUF v3 reader: accepts what the generator writes; rejects every kind of
 * truncated, corrupt or oversized file with its own error code and a
 * message naming the culprit; survives a bounded random-mutation smoke.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "caec_test.h"
#include "engine.h"
#include "gen.h"
#include "gguf.h"

/* ---- a tiny GGUF builder ---------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}
static void u32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void u64(struct buf *b, uint64_t v) { put(b, &v, 8); }
static void str(struct buf *b, const char *s)
{
	u64(b, strlen(s));
	put(b, s, strlen(s));
}
static void hdr(struct buf *b, uint64_t nt, uint64_t nkv)
{
	u32(b, GGUF_MAGIC);
	u32(b, 3);
	u64(b, nt);
	u64(b, nkv);
}
static void kv_u32(struct buf *b, const char *k, uint32_t v)
{
	str(b, k);
	u32(b, GGUF_TYPE_UINT32);
	u32(b, v);
}
/* A tensor info: 1-D or 2-D. */
static void tinfo(struct buf *b, const char *name, uint32_t nd, uint64_t ne0,
		  uint64_t ne1, uint32_t type, uint64_t off)
{
	str(b, name);
	u32(b, nd);
	u64(b, ne0);
	if (nd > 1)
		u64(b, ne1);
	u32(b, type);
	u64(b, off);
}
static void pad_data(struct buf *b, size_t data_bytes)
{
	static const uint8_t z[4096];
	size_t pad = (32 - b->n % 32) % 32;

	put(b, z, pad);
	while (data_bytes) {
		size_t n = data_bytes < sizeof(z) ? data_bytes : sizeof(z);
		put(b, z, n);
		data_bytes -= n;
	}
}

static int parse(struct buf *b, struct gguf_error *e)
{
	struct gguf_file f;
	int rc = gguf_parse(&f, b->p, b->n, e);

	if (rc == GGUF_OK)
		gguf_fini(&f);
	else
		assert_true(strlen(e->msg) > 0);
	free(b->p);
	memset(b, 0, sizeof(*b));
	return rc;
}

static char tmpdir[64];
static char tiny_path[128];
static uint8_t *tiny;
static size_t tiny_size, tiny_msize;

static int setup(void **state)
{
	(void)state;
	struct llm_gen_opts o;
	char err[256];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/caec-test-gguf-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(tiny_path, sizeof(tiny_path), "%s/tiny.gguf", tmpdir);
	if (llm_gen_shape(&o, "tiny") || llm_gen_write(&o, tiny_path, err, sizeof(err)))
		return -1;
	tiny = llm_image_load(tiny_path, &tiny_size, &tiny_msize, err, sizeof(err));
	return tiny ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	llm_image_free(tiny, tiny_msize);
	unlink(tiny_path);
	rmdir(tmpdir);
	return 0;
}

/* The generator's output parses, with the counts and shapes it wrote. */
static void test_gguf_accepts_generated_model(void **state)
{
	(void)state;
	struct gguf_file f;
	struct gguf_error e;

	assert_int_equal(gguf_parse(&f, tiny, tiny_size, &e), GGUF_OK);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.alignment, 32);
	/* token_embd, position_embd, 4 layers of 12, output_norm{,.bias}; no
	 * output.weight (tied, as llama.cpp's converter writes GPT-2) */
	assert_int_equal(f.n_tensors, 2 + 4 * 12 + 2);
	assert_null(gguf_find_tensor(&f, "output.weight"));
	assert_int_equal(gguf_find_tensor(&f, "position_embd.weight")->type, GGML_TYPE_F32);
	const struct gguf_tensor *t = gguf_find_tensor(&f, "blk.3.ffn_up.weight");
	assert_non_null(t);
	assert_int_equal(t->ne[0], 64);
	assert_int_equal(t->ne[1], 256);
	assert_int_equal(t->type, GGML_TYPE_Q8_0);
	assert_int_equal(t->nbytes, 256 * 2 * 34);
	assert_int_equal((uintptr_t)t->data % 32, 0);
	assert_null(gguf_find_tensor(&f, "blk.4.ffn_up.weight"));
	gguf_fini(&f);
}

/* Every prefix of a valid file is rejected (never read past the end: the
 * prefix is copied to an exactly-sized heap block for ASan). */
static void test_gguf_rejects_every_truncation(void **state)
{
	(void)state;
	struct gguf_file f;
	struct gguf_error e;
	struct gguf_file full;

	assert_int_equal(gguf_parse(&full, tiny, tiny_size, &e), GGUF_OK);
	size_t hdr_end = full.data_offset;
	gguf_fini(&full);
	size_t step = caec_test_scale() < 1.0 ? 7 : 1;
	for (size_t n = 0; n < tiny_size; n += (n < hdr_end ? step : 997)) {
		uint8_t *p = malloc(n ? n : 1);
		assert_non_null(p);
		memcpy(p, tiny, n);
		int rc = gguf_parse(&f, p, n, &e);
		if (rc == GGUF_OK)
			fail_msg("prefix of %zu/%zu bytes accepted", n, tiny_size);
		assert_true(rc == GGUF_E_TRUNCATED || rc == GGUF_E_STRING ||
			    rc == GGUF_E_ARRAY || rc == GGUF_E_COUNT ||
			    rc == GGUF_E_BOUNDS);
		assert_int_equal(e.code, rc);
		assert_true(strlen(e.msg) > 10);
		free(p);
	}
}

/* Header-level corruptions each give their own error. */
static void test_gguf_rejects_bad_header(void **state)
{
	(void)state;
	struct buf b = {0};
	struct gguf_error e;

	u32(&b, 0x46554748); u32(&b, 3); u64(&b, 0); u64(&b, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_MAGIC);
	u32(&b, GGUF_MAGIC); u32(&b, 2); u64(&b, 0); u64(&b, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_VERSION);
	assert_non_null(strstr(e.msg, "version 2"));
	hdr(&b, UINT64_MAX, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_COUNT);
	hdr(&b, 0, 1u << 20);
	assert_int_equal(parse(&b, &e), GGUF_E_COUNT);
	/* a count that is small but more than the bytes left could hold */
	hdr(&b, 0, 1000);
	kv_u32(&b, "a", 1);
	assert_int_equal(parse(&b, &e), GGUF_E_COUNT);
	/* empty file */
	assert_int_equal(parse(&b, &e), GGUF_E_TRUNCATED);
	/* empty and valid: no tensors, no keys */
	hdr(&b, 0, 0);
	assert_int_equal(parse(&b, &e), GGUF_OK);
}

/* Metadata corruptions. */
static void test_gguf_rejects_bad_metadata(void **state)
{
	(void)state;
	struct buf b = {0};
	struct gguf_error e;

	hdr(&b, 0, 1); u64(&b, UINT64_MAX - 3); put(&b, "xxxxxxxxxxxxxxxx", 16);
	assert_int_equal(parse(&b, &e), GGUF_E_STRING);
	hdr(&b, 0, 1); u64(&b, 70000); put(&b, "xxxxxxxxxxxxxxxx", 16);
	assert_int_equal(parse(&b, &e), GGUF_E_STRING);
	hdr(&b, 0, 1); str(&b, "k"); u32(&b, 99); u32(&b, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_VALUE_TYPE);
	assert_non_null(strstr(e.msg, "'k'"));
	hdr(&b, 0, 1); str(&b, "nest"); u32(&b, GGUF_TYPE_ARRAY);
	u32(&b, GGUF_TYPE_ARRAY); u64(&b, 1); u32(&b, 0); u32(&b, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_NESTED);
	hdr(&b, 0, 1); str(&b, "arr"); u32(&b, GGUF_TYPE_ARRAY);
	u32(&b, GGUF_TYPE_UINT64); u64(&b, 1u << 30); u64(&b, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_ARRAY);
	hdr(&b, 0, 1); str(&b, "sarr"); u32(&b, GGUF_TYPE_ARRAY);
	u32(&b, GGUF_TYPE_STRING); u64(&b, UINT64_MAX / 2); u64(&b, 0);
	assert_int_equal(parse(&b, &e), GGUF_E_ARRAY);
	hdr(&b, 0, 2); kv_u32(&b, "dup", 1); kv_u32(&b, "dup", 2);
	assert_int_equal(parse(&b, &e), GGUF_E_DUP_KEY);
	assert_non_null(strstr(e.msg, "'dup'"));
	hdr(&b, 0, 1); kv_u32(&b, "", 1);
	assert_int_equal(parse(&b, &e), GGUF_E_KEY);
	hdr(&b, 0, 1); kv_u32(&b, "general.alignment", 24);
	assert_int_equal(parse(&b, &e), GGUF_E_ALIGNMENT);
	hdr(&b, 0, 1); kv_u32(&b, "general.alignment", 0);
	assert_int_equal(parse(&b, &e), GGUF_E_ALIGNMENT);
	hdr(&b, 0, 1); str(&b, "general.alignment"); u32(&b, GGUF_TYPE_UINT64); u64(&b, 32);
	assert_int_equal(parse(&b, &e), GGUF_E_ALIGNMENT);
}

/* Tensor-info corruptions. */
static void test_gguf_rejects_bad_tensors(void **state)
{
	(void)state;
	struct buf b = {0};
	struct gguf_error e;

	hdr(&b, 1, 0); tinfo(&b, "t", 0, 4, 1, GGML_TYPE_F32, 0); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_NDIMS);
	hdr(&b, 1, 0); str(&b, "t"); u32(&b, 5); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_NDIMS);
	hdr(&b, 1, 0); tinfo(&b, "zero", 2, 4, 0, GGML_TYPE_F32, 0); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_DIM);
	assert_non_null(strstr(e.msg, "'zero'"));
	hdr(&b, 1, 0); tinfo(&b, "big", 2, 1ull << 40, 1ull << 40, GGML_TYPE_F32, 0);
	pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_DIM);
	/* element count fits int64 but the byte size overflows uint64 */
	hdr(&b, 1, 0); tinfo(&b, "bytes", 2, 1ull << 31, 1ull << 31, GGML_TYPE_F32, 0);
	pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_DIM);
	assert_non_null(strstr(e.msg, "overflows"));
	/* a size that fits but lies beyond the file */
	hdr(&b, 1, 0); tinfo(&b, "huge", 2, 1ull << 20, 1ull << 20, GGML_TYPE_F32, 0);
	pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_BOUNDS);
	hdr(&b, 1, 0); tinfo(&b, "q4", 1, 32, 1, 2 /* Q4_0 */, 0); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_TENSOR_TYPE);
	assert_non_null(strstr(e.msg, "'q4'"));
	hdr(&b, 1, 0); tinfo(&b, "q8", 1, 33, 1, GGML_TYPE_Q8_0, 0); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_BLOCK);
	hdr(&b, 2, 0); tinfo(&b, "a", 1, 4, 1, GGML_TYPE_F32, 0);
	tinfo(&b, "a", 1, 4, 1, GGML_TYPE_F32, 32); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_DUP_TENSOR);
	hdr(&b, 1, 0); tinfo(&b, "mis", 1, 4, 1, GGML_TYPE_F32, 4); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_OFFSET);
	hdr(&b, 1, 0); tinfo(&b, "far", 1, 4, 1, GGML_TYPE_F32, 64); pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_BOUNDS);
	assert_non_null(strstr(e.msg, "'far'"));
	/* offset + size wraps around 2^64 */
	hdr(&b, 1, 0); tinfo(&b, "wrap", 1, 64, 1, GGML_TYPE_F32, UINT64_MAX - 31);
	pad_data(&b, 64);
	assert_int_equal(parse(&b, &e), GGUF_E_BOUNDS);
	hdr(&b, 2, 0); tinfo(&b, "x", 1, 16, 1, GGML_TYPE_F32, 0);
	tinfo(&b, "y", 1, 8, 1, GGML_TYPE_F32, 32); pad_data(&b, 128);
	assert_int_equal(parse(&b, &e), GGUF_E_OVERLAP);
	assert_non_null(strstr(e.msg, "'x'"));
	/* control: the same two tensors side by side are fine */
	hdr(&b, 2, 0); tinfo(&b, "x", 1, 16, 1, GGML_TYPE_F32, 0);
	tinfo(&b, "y", 1, 8, 1, GGML_TYPE_F32, 64); pad_data(&b, 128);
	assert_int_equal(parse(&b, &e), GGUF_OK);
}

static uint64_t rng = 0x1234567;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Bounded fuzz smoke: random mutations of the header region either parse
 * (and then every tensor lies inside the image) or fail with a known code
 * and a message; nothing reads out of bounds (ASan in the sanitizer run). */
static void test_gguf_mutation_smoke(void **state)
{
	(void)state;
	struct gguf_file f0, f;
	struct gguf_error e;

	assert_int_equal(gguf_parse(&f0, tiny, tiny_size, &e), GGUF_OK);
	size_t hdr_end = f0.data_offset;
	gguf_fini(&f0);
	unsigned iters = (unsigned)(3000 * caec_test_scale());
	uint8_t *p = malloc(tiny_size);
	assert_non_null(p);
	unsigned ok = 0, failed = 0;
	for (unsigned it = 0; it < iters; it++) {
		memcpy(p, tiny, tiny_size);
		unsigned nmut = 1 + next() % 4;
		for (unsigned m = 0; m < nmut; m++) {
			size_t at = next() % hdr_end;
			switch (next() % 3) {
			case 0: p[at] ^= (uint8_t)(1u << (next() % 8)); break;
			case 1: p[at] = (uint8_t)next(); break;
			default: memset(p + at, 0xff, at + 8 <= hdr_end ? 8 : 1); break;
			}
		}
		size_t n = next() % 4 ? tiny_size : next() % tiny_size;
		/* parse an exactly-sized copy: a read past n would otherwise
		 * land in p's tail and go unnoticed by ASan */
		uint8_t *q = malloc(n ? n : 1);
		assert_non_null(q);
		memcpy(q, p, n);
		int rc = gguf_parse(&f, q, n, &e);
		if (rc == GGUF_OK) {
			for (uint64_t i = 0; i < f.n_tensors; i++) {
				const uint8_t *d = f.tensors[i].data;
				assert_true(d >= q && d + f.tensors[i].nbytes <= q + n);
			}
			gguf_fini(&f);
			ok++;
		} else {
			assert_true(rc <= GGUF_E_INVAL && rc >= GGUF_E_KEY);
			assert_true(strlen(e.msg) > 0);
			assert_string_not_equal(gguf_strerror(rc), "unknown GGUF error");
			failed++;
		}
		free(q);
	}
	free(p);
	assert_true(failed > 0);
	print_message("mutations: %u accepted, %u rejected\n", ok, failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gguf_accepts_generated_model),
		cmocka_unit_test(test_gguf_rejects_every_truncation),
		cmocka_unit_test(test_gguf_rejects_bad_header),
		cmocka_unit_test(test_gguf_rejects_bad_metadata),
		cmocka_unit_test(test_gguf_rejects_bad_tensors),
		cmocka_unit_test(test_gguf_mutation_smoke),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
