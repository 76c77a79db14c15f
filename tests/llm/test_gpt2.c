/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GPT-2 engine: logits match an independent, straightforward double-
 * precision reference forward pass written here (own f16/q8_0 decoding,
 * full causal recompute without a KV cache) for q8_0, f16 and f32 weights
 * and a tied output; a network split at any layer computes bit-identical
 * logits; sampling; loader errors.
 */
#include <math.h>
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
#include "gpt2.h"

enum { M_Q8, M_F16, M_F32, M_LEGACY, M_COUNT };
static const char *const mnames[M_COUNT] = {"q8_0", "f16", "f32", "legacy"};
static char tmpdir[64];
static char paths[M_COUNT][128];

static int setup(void **state)
{
	(void)state;
	char err[256];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/caec-test-gpt2-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	for (int i = 0; i < M_COUNT; i++) {
		struct llm_gen_opts o;
		llm_gen_shape(&o, "tiny");
		o.seed = 1000 + (uint64_t)i;
		o.wtype = i == M_F16 ? GGML_TYPE_F16 : i == M_F32 ? GGML_TYPE_F32
								  : GGML_TYPE_Q8_0;
		if (i == M_LEGACY) { /* the generator's first layout */
			o.output_weight = true;
			o.pos_type = GGML_TYPE_Q8_0;
			o.no_pre = true;
		}
		snprintf(paths[i], sizeof(paths[i]), "%s/%s.gguf", tmpdir, mnames[i]);
		if (llm_gen_write(&o, paths[i], err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < M_COUNT; i++)
		unlink(paths[i]);
	rmdir(tmpdir);
	return 0;
}

struct loaded {
	void *img;
	size_t size, msize;
	struct llm_engine e;
};

static void load(struct loaded *l, const char *path)
{
	char err[256];

	l->img = llm_image_load(path, &l->size, &l->msize, err, sizeof(err));
	assert_non_null(l->img);
	if (llm_engine_init(&l->e, l->img, l->size, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
}

static void unload(struct loaded *l)
{
	llm_engine_fini(&l->e);
	llm_image_free(l->img, l->msize);
}

/* ---- the reference: independent decoding and a naive forward pass ----- */

static double ref_f16(uint16_t h)
{
	int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
	double v;

	if (e == 0)
		v = ldexp(m, -24);
	else if (e == 31)
		v = m ? NAN : INFINITY;
	else
		v = ldexp(1024 + m, e - 25);
	return s ? -v : v;
}

/* Whole tensor as doubles, rows of ne0. */
static double *ref_tensor(const struct gguf_file *f, const char *name,
			  size_t *n_out)
{
	const struct gguf_tensor *t = gguf_find_tensor(f, name);

	if (!t)
		fail_msg("missing %s", name);
	size_t n = (size_t)(t->ne[0] * t->ne[1]);
	double *out = malloc(n * sizeof(double));
	const uint8_t *p = t->data;
	assert_non_null(out);
	for (size_t i = 0; i < n; i++) {
		if (t->type == GGML_TYPE_F32) {
			float v;
			memcpy(&v, p + 4 * i, 4);
			out[i] = v;
		} else if (t->type == GGML_TYPE_F16) {
			uint16_t h;
			memcpy(&h, p + 2 * i, 2);
			out[i] = ref_f16(h);
		} else {
			const uint8_t *blk = p + (i / 32) * 34;
			uint16_t h;
			memcpy(&h, blk, 2);
			/* the scale is rounded to f32 by any consumer of q8_0 */
			out[i] = (double)(float)ref_f16(h) * (double)(int8_t)blk[2 + i % 32];
		}
	}
	if (n_out)
		*n_out = n;
	return out;
}

static void ref_ln(const double *x, const double *w, const double *b, int n,
		   double *out)
{
	double mean = 0, var = 0;

	for (int i = 0; i < n; i++)
		mean += x[i];
	mean /= n;
	for (int i = 0; i < n; i++)
		var += (x[i] - mean) * (x[i] - mean);
	var /= n;
	for (int i = 0; i < n; i++)
		out[i] = (x[i] - mean) / sqrt(var + 1e-5) * w[i] + b[i];
}

/* y[r] = sum_c W[r*cols + c] * x[c] + b[r] */
static void ref_lin(const double *W, const double *b, const double *x, int rows,
		    int cols, double *y)
{
	for (int r = 0; r < rows; r++) {
		double s = b ? b[r] : 0.0;
		for (int c = 0; c < cols; c++)
			s += W[(size_t)r * cols + c] * x[c];
		y[r] = s;
	}
}

/* Logits of the last of T tokens, recomputing the whole sequence. */
static void ref_forward(const struct gguf_file *f, const int32_t *tok, int T,
			double *logits)
{
	const int E = 64, H = 4, D = 16, F = 256, L = 4, V = 512;
	char nm[64];
	double *wte = ref_tensor(f, "token_embd.weight", NULL);
	double *wpe = ref_tensor(f, "position_embd.weight", NULL);
	double *out = gguf_find_tensor(f, "output.weight")
			      ? ref_tensor(f, "output.weight", NULL) : NULL;
	double *x = calloc((size_t)T * E, sizeof(double));
	double *h = calloc((size_t)T * E, sizeof(double));
	double *qkv = calloc((size_t)T * 3 * E, sizeof(double));
	double *att = calloc((size_t)T * E, sizeof(double));
	double *ff = calloc(F, sizeof(double));
	double *tmp = calloc(E, sizeof(double));
	double *sc = calloc(T, sizeof(double));

	for (int t = 0; t < T; t++)
		for (int i = 0; i < E; i++)
			x[t * E + i] = wte[tok[t] * E + i] + wpe[t * E + i];
	for (int l = 0; l < L; l++) {
#define W(s) (snprintf(nm, sizeof(nm), "blk.%d." s, l), ref_tensor(f, nm, NULL))
		double *ln1w = W("attn_norm.weight"), *ln1b = W("attn_norm.bias");
		double *wqkv = W("attn_qkv.weight"), *bqkv = W("attn_qkv.bias");
		double *wo = W("attn_output.weight"), *bo = W("attn_output.bias");
		double *ln2w = W("ffn_norm.weight"), *ln2b = W("ffn_norm.bias");
		double *wu = W("ffn_up.weight"), *bu = W("ffn_up.bias");
		double *wd = W("ffn_down.weight"), *bd = W("ffn_down.bias");
#undef W
		for (int t = 0; t < T; t++) {
			ref_ln(x + t * E, ln1w, ln1b, E, h + t * E);
			ref_lin(wqkv, bqkv, h + t * E, 3 * E, E, qkv + t * 3 * E);
		}
		for (int t = 0; t < T; t++)
			for (int hd = 0; hd < H; hd++) {
				double mx = -INFINITY, sum = 0;
				for (int j = 0; j <= t; j++) {
					double s = 0;
					for (int d = 0; d < D; d++)
						s += qkv[t * 3 * E + hd * D + d] *
						     qkv[j * 3 * E + E + hd * D + d];
					sc[j] = s / sqrt((double)D);
					mx = fmax(mx, sc[j]);
				}
				for (int j = 0; j <= t; j++)
					sum += sc[j] = exp(sc[j] - mx);
				for (int d = 0; d < D; d++) {
					double o = 0;
					for (int j = 0; j <= t; j++)
						o += sc[j] / sum * qkv[j * 3 * E + 2 * E + hd * D + d];
					att[t * E + hd * D + d] = o;
				}
			}
		for (int t = 0; t < T; t++) {
			ref_lin(wo, bo, att + t * E, E, E, tmp);
			for (int i = 0; i < E; i++)
				x[t * E + i] += tmp[i];
			ref_ln(x + t * E, ln2w, ln2b, E, h + t * E);
			ref_lin(wu, bu, h + t * E, F, E, ff);
			for (int i = 0; i < F; i++) {
				double v = ff[i];
				ff[i] = 0.5 * v * (1 + tanh(sqrt(2 / M_PI) * (v + 0.044715 * v * v * v)));
			}
			ref_lin(wd, bd, ff, E, F, tmp);
			for (int i = 0; i < E; i++)
				x[t * E + i] += tmp[i];
		}
		free(ln1w); free(ln1b); free(wqkv); free(bqkv); free(wo); free(bo);
		free(ln2w); free(ln2b); free(wu); free(bu); free(wd); free(bd);
	}
	double *lnw = ref_tensor(f, "output_norm.weight", NULL);
	double *lnb = ref_tensor(f, "output_norm.bias", NULL);
	ref_ln(x + (T - 1) * E, lnw, lnb, E, tmp);
	ref_lin(out ? out : wte, NULL, tmp, V, E, logits);
	free(lnw); free(lnb); free(wte); free(wpe); free(out); free(x); free(h);
	free(qkv); free(att); free(ff); free(tmp); free(sc);
}

static double compare(const float *got, const double *want, int n)
{
	double maxd = 0, maxv = 0;

	for (int i = 0; i < n; i++) {
		maxd = fmax(maxd, fabs((double)got[i] - want[i]));
		maxv = fmax(maxv, fabs(want[i]));
	}
	assert_true(maxv > 1e-3); /* the logits are not trivially zero */
	return maxd / fmax(maxv, 1.0);
}

static void check_reference(int which)
{
	struct loaded l;
	const int T = 12;
	int32_t tok[12];
	uint64_t r = 77;
	double ref[512];
	float logits[512], x[12 * 64];

	load(&l, paths[which]);
	assert_int_equal(l.e.model.hp.n_vocab, 512);
	for (int i = 0; i < T; i++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		tok[i] = (int32_t)((r >> 33) % 512);
	}
	/* token by token (the decode path), compared at every position */
	struct gpt2_state s;
	assert_int_equal(gpt2_state_init(&s, &l.e.model, 0, 4, 32, 12), 0);
	double worst = 0;
	for (int t = 0; t < T; t++) {
		assert_int_equal(gpt2_eval(&s, &tok[t], 1, x, logits), 0);
		ref_forward(&l.e.file, tok, t + 1, ref);
		worst = fmax(worst, compare(logits, ref, 512));
	}
	/* the whole prompt as one batch (the prefill path) */
	gpt2_state_reset(&s);
	assert_int_equal(gpt2_eval(&s, tok, T, x, logits), 0);
	worst = fmax(worst, compare(logits, ref, 512));
	print_message("%s: max |engine - reference| / max|logit| = %.2e\n",
		      mnames[which], worst);
	/* float round-off is ~1e-7; a wrong GELU constant gives ~1e-4 */
	assert_true(worst < 3e-6);
	gpt2_state_fini(&s);
	unload(&l);
}

/* q8_0 weights (the benchmark's format). */
static void test_gpt2_matches_reference_q8_0(void **state)
{
	(void)state;
	check_reference(M_Q8);
}

/* f16 weights. */
static void test_gpt2_matches_reference_f16(void **state)
{
	(void)state;
	check_reference(M_F16);
}

/* f32 weights. */
static void test_gpt2_matches_reference_f32(void **state)
{
	(void)state;
	check_reference(M_F32);
}

/* The converter's layout (the generator's default) has no output.weight
 * -- the head uses token_embd, GPT-2's tied weights -- and an F32
 * position_embd; the first layout had a separate output.weight and a
 * q8_0 position_embd.  Both compute what the reference does. */
static void test_gpt2_matches_reference_layouts(void **state)
{
	(void)state;
	struct loaded l;

	load(&l, paths[M_Q8]);
	assert_ptr_equal(l.e.model.out.data, l.e.model.wte.data);
	assert_int_equal(l.e.model.wpe.type, GGML_TYPE_F32);
	assert_null(gguf_find_tensor(&l.e.file, "output.weight"));
	unload(&l);
	load(&l, paths[M_LEGACY]);
	assert_ptr_not_equal(l.e.model.out.data, l.e.model.wte.data);
	assert_int_equal(l.e.model.wpe.type, GGML_TYPE_Q8_0);
	unload(&l);
	check_reference(M_LEGACY);
}

/* Splitting the layers between two states (two realms in
 * examples/pipeline) computes bit-identical logits at every split point,
 * for a batched prefill followed by single-token decode steps. */
static void test_gpt2_split_is_bit_identical(void **state)
{
	(void)state;
	struct loaded l;
	int32_t tok[8] = {5, 99, 300, 7, 42, 511, 0, 256};
	float ref[6][512], got[512], x[8 * 64];

	load(&l, paths[M_Q8]);
	struct gpt2_state s;
	assert_int_equal(gpt2_state_init(&s, &l.e.model, 0, 4, 16, 8), 0);
	assert_int_equal(gpt2_eval(&s, tok, 3, x, ref[0]), 0);
	for (int t = 3; t < 8; t++)
		assert_int_equal(gpt2_eval(&s, &tok[t], 1, x, ref[t - 2]), 0);
	gpt2_state_fini(&s);

	for (uint32_t k = 0; k <= 4; k++) {
		struct gpt2_state a, b;
		float handoff[8 * 64];
		assert_int_equal(gpt2_state_init(&a, &l.e.model, 0, k, 16, 8), 0);
		assert_int_equal(gpt2_state_init(&b, &l.e.model, k, 4, 16, 8), 0);
		for (int step = 0; step < 6; step++) {
			int t0 = step == 0 ? 0 : step + 2, n = step == 0 ? 3 : 1;
			assert_int_equal(gpt2_embed(&l.e.model, &tok[t0], (uint32_t)n,
						    a.pos, x), 0);
			if (k > 0)
				assert_int_equal(gpt2_layers(&a, x, (uint32_t)n), 0);
			else
				a.pos += (uint32_t)n;
			memcpy(handoff, x, sizeof(float) * 64 * (size_t)n);
			if (k < 4)
				assert_int_equal(gpt2_layers(&b, handoff, (uint32_t)n), 0);
			gpt2_head(&l.e.model, handoff + (n - 1) * 64, got);
			assert_memory_equal(got, ref[step], sizeof(got));
		}
		gpt2_state_fini(&a);
		gpt2_state_fini(&b);
	}
	unload(&l);
}

/* Greedy picks the first maximum; temperature sampling is reproducible
 * from the seed and follows the softmax. */
static void test_gpt2_sampling(void **state)
{
	(void)state;
	float lg[4] = {1.0f, 3.0f, 3.0f, -2.0f};
	struct gpt2_sampler g = {.temperature = 0.0f};
	unsigned cnt[4] = {0};

	assert_int_equal(gpt2_sample(&g, lg, 4), 1);
	struct gpt2_sampler a = {.temperature = 1.0f, .rng = 9}, b = a;
	for (int i = 0; i < 20000; i++) {
		int32_t x = gpt2_sample(&a, lg, 4);
		assert_int_equal(x, gpt2_sample(&b, lg, 4));
		cnt[x]++;
	}
	/* p = softmax = 0.0632, 0.4668, 0.4668, 0.0031 (ranges ~ +-5 sd) */
	assert_in_range(cnt[0], 1100, 1450);
	assert_in_range(cnt[1], 9000, 9700);
	assert_in_range(cnt[2], 9000, 9700);
	assert_in_range(cnt[3], 25, 110);
	/* lower temperature concentrates on the maxima */
	struct gpt2_sampler c = {.temperature = 0.1f, .rng = 3};
	unsigned low = 0;
	for (int i = 0; i < 2000; i++)
		low += gpt2_sample(&c, lg, 4) == 0;
	assert_int_equal(low, 0);
}

/* The image is used in place: two copies at different addresses generate
 * the same text, and the model's pointers lie inside its own image. */
static void test_gpt2_runs_on_any_mapping(void **state)
{
	(void)state;
	struct loaded a, b;
	struct gpt2_state sa, sb;
	struct gpt2_sampler pa = {0}, pb = {0};
	struct llm_gen_result ra, rb;
	float la[512], lb[512];

	load(&a, paths[M_Q8]);
	load(&b, paths[M_Q8]);
	assert_ptr_not_equal(a.img, b.img);
	const uint8_t *p = a.e.model.layers[3].down.data;
	assert_true(p > (uint8_t *)a.img && p < (uint8_t *)a.img + a.size);
	assert_int_equal(gpt2_state_init(&sa, &a.e.model, 0, 4, 64, 16), 0);
	assert_int_equal(gpt2_state_init(&sb, &b.e.model, 0, 4, 64, 16), 0);
	assert_int_equal(llm_generate(&a.e, &sa, &pa, "hello there", 20, 10, NULL, la, &ra), 0);
	assert_int_equal(llm_generate(&b.e, &sb, &pb, "hello there", 20, 10, NULL, lb, &rb), 0);
	assert_int_equal(ra.checksum, rb.checksum);
	assert_memory_equal(la, lb, sizeof(la));
	gpt2_state_fini(&sa);
	gpt2_state_fini(&sb);
	unload(&a);
	unload(&b);
}

/* Missing tensors and wrong metadata are named in the error. */
static void test_gpt2_loader_errors(void **state)
{
	(void)state;
	struct loaded l;
	struct llm_engine e;
	char err[256];

	load(&l, paths[M_Q8]);
	llm_engine_fini(&l.e);
	uint8_t *img = l.img;
	/* rename blk.2.ffn_up.weight in the tensor table */
	uint8_t *hit = memmem(img, l.size, "blk.2.ffn_up.weight", 19);
	assert_non_null(hit);
	hit[10] = 'X';
	assert_int_equal(llm_engine_init(&e, img, l.size, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "blk.2.ffn_up.weight"));
	hit[10] = 'u';
	assert_int_equal(llm_engine_init(&e, img, l.size, err, sizeof(err)), 0);
	llm_engine_fini(&e);
	/* change the architecture string */
	hit = memmem(img, l.size, "gpt2", 4);
	assert_non_null(hit);
	hit[3] = '3';
	assert_int_equal(llm_engine_init(&e, img, l.size, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "architecture"));
	hit[3] = '2';
	/* a truncated file reports the parser's error */
	assert_int_equal(llm_engine_init(&e, img, l.size - 100, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "outside the file"));
	llm_image_free(l.img, l.msize);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpt2_matches_reference_q8_0),
		cmocka_unit_test(test_gpt2_matches_reference_f16),
		cmocka_unit_test(test_gpt2_matches_reference_f32),
		cmocka_unit_test(test_gpt2_matches_reference_layouts),
		cmocka_unit_test(test_gpt2_split_is_bit_identical),
		cmocka_unit_test(test_gpt2_sampling),
		cmocka_unit_test(test_gpt2_runs_on_any_mapping),
		cmocka_unit_test(test_gpt2_loader_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
