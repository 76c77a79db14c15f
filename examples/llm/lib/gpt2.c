/* SPDX-License-Identifier: Apache-2.0 */
/* GPT-2 forward pass on weights in a borrowed GGUF image: see gpt2.h. */
#include "gpt2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errf.h"
#include "quant.h"

static int get_u32(const struct gguf_file *f, const char *key, uint32_t *out,
		   char *err, size_t errlen)
{
	uint64_t v;

	if (!gguf_kv_get_u64(gguf_find_kv(f, key), &v))
		return llm_errf(err, errlen, "metadata '%s' missing or not an integer", key);
	if (v == 0 || v > (1u << 24))
		return llm_errf(err, errlen, "metadata '%s' = %llu out of range", key,
				(unsigned long long)v);
	*out = (uint32_t)v;
	return 0;
}

static bool aligned_ok(const struct gguf_tensor *t)
{
	uintptr_t a = (uintptr_t)t->data;

	if (t->type == GGML_TYPE_F32)
		return a % 4 == 0;
	if (t->type == GGML_TYPE_F16)
		return a % 2 == 0;
	return true;
}

static int get_mat(const struct gguf_file *f, const char *name, uint32_t cols,
		   uint32_t rows, struct gpt2_mat *m, char *err, size_t errlen)
{
	const struct gguf_tensor *t = gguf_find_tensor(f, name);

	if (!t)
		return llm_errf(err, errlen, "tensor '%s' missing", name);
	if (t->ne[0] != cols || t->ne[1] != rows || t->ne[2] != 1 || t->ne[3] != 1)
		return llm_errf(err, errlen,
				"tensor '%s' is [%llu, %llu, %llu, %llu], expected [%u, %u]",
				name, (unsigned long long)t->ne[0],
				(unsigned long long)t->ne[1], (unsigned long long)t->ne[2],
				(unsigned long long)t->ne[3], cols, rows);
	if (!aligned_ok(t))
		return llm_errf(err, errlen, "tensor '%s' data misaligned", name);
	m->data = t->data;
	m->type = t->type;
	m->n_cols = cols;
	m->n_rows = rows;
	m->row_bytes = gguf_row_bytes(t->type, cols);
	return 0;
}

static int get_vec(const struct gguf_file *f, const char *name, uint32_t n,
		   const float **out, char *err, size_t errlen)
{
	const struct gguf_tensor *t = gguf_find_tensor(f, name);

	if (!t)
		return llm_errf(err, errlen, "tensor '%s' missing", name);
	if (t->type != GGML_TYPE_F32)
		return llm_errf(err, errlen, "tensor '%s' must be F32", name);
	if (t->ne[0] != n || t->ne[1] != 1 || t->ne[2] != 1 || t->ne[3] != 1)
		return llm_errf(err, errlen, "tensor '%s' has %llu elements, expected %u",
				name, (unsigned long long)t->ne[0], n);
	if (!aligned_ok(t))
		return llm_errf(err, errlen, "tensor '%s' data misaligned", name);
	*out = t->data;
	return 0;
}

int gpt2_model_init(struct gpt2_model *m, const struct gguf_file *f, char *err,
		    size_t errlen)
{
	struct gpt2_hparams *hp = &m->hp;
	struct gguf_str arch;
	char name[96];
	int rc;

	memset(m, 0, sizeof(*m));
	if (!gguf_kv_get_str(gguf_find_kv(f, "general.architecture"), &arch) ||
	    !gguf_str_eq(arch, "gpt2"))
		return llm_errf(err, errlen, "general.architecture is not \"gpt2\"");
	if (get_u32(f, "gpt2.context_length", &hp->n_ctx, err, errlen) ||
	    get_u32(f, "gpt2.embedding_length", &hp->n_embd, err, errlen) ||
	    get_u32(f, "gpt2.feed_forward_length", &hp->n_ff, err, errlen) ||
	    get_u32(f, "gpt2.block_count", &hp->n_layer, err, errlen) ||
	    get_u32(f, "gpt2.attention.head_count", &hp->n_head, err, errlen))
		return -1;
	if (!gguf_kv_get_f32(gguf_find_kv(f, "gpt2.attention.layer_norm_epsilon"),
			     &hp->eps) || !(hp->eps > 0.0f && hp->eps < 1.0f))
		return llm_errf(err, errlen, "gpt2.attention.layer_norm_epsilon missing or invalid");
	if (hp->n_embd % hp->n_head)
		return llm_errf(err, errlen, "n_embd %u not a multiple of n_head %u",
				hp->n_embd, hp->n_head);
	if (hp->n_layer > 4096)
		return llm_errf(err, errlen, "%u layers is too many", hp->n_layer);

	const struct gguf_tensor *te = gguf_find_tensor(f, "token_embd.weight");
	if (!te)
		return llm_errf(err, errlen, "tensor 'token_embd.weight' missing");
	if (te->ne[1] == 0 || te->ne[1] > (1u << 24))
		return llm_errf(err, errlen, "token_embd.weight: bad vocabulary size");
	hp->n_vocab = (uint32_t)te->ne[1];

	if ((rc = get_mat(f, "token_embd.weight", hp->n_embd, hp->n_vocab, &m->wte, err, errlen)) ||
	    (rc = get_mat(f, "position_embd.weight", hp->n_embd, hp->n_ctx, &m->wpe, err, errlen)) ||
	    (rc = get_vec(f, "output_norm.weight", hp->n_embd, &m->lnf_w, err, errlen)) ||
	    (rc = get_vec(f, "output_norm.bias", hp->n_embd, &m->lnf_b, err, errlen)))
		return rc;
	if (gguf_find_tensor(f, "output.weight")) {
		if ((rc = get_mat(f, "output.weight", hp->n_embd, hp->n_vocab, &m->out, err, errlen)))
			return rc;
	} else {
		m->out = m->wte;
	}
	m->layers = calloc(hp->n_layer, sizeof(*m->layers));
	if (!m->layers)
		return llm_errf(err, errlen, "out of memory");
	for (uint32_t i = 0; i < hp->n_layer; i++) {
		struct gpt2_layer *l = &m->layers[i];
		const uint32_t E = hp->n_embd, F = hp->n_ff;
#define NAME(s) (snprintf(name, sizeof(name), "blk.%u." s, i), name)
		if (get_vec(f, NAME("attn_norm.weight"), E, &l->ln1_w, err, errlen) ||
		    get_vec(f, NAME("attn_norm.bias"), E, &l->ln1_b, err, errlen) ||
		    get_mat(f, NAME("attn_qkv.weight"), E, 3 * E, &l->qkv, err, errlen) ||
		    get_vec(f, NAME("attn_qkv.bias"), 3 * E, &l->qkv_b, err, errlen) ||
		    get_mat(f, NAME("attn_output.weight"), E, E, &l->proj, err, errlen) ||
		    get_vec(f, NAME("attn_output.bias"), E, &l->proj_b, err, errlen) ||
		    get_vec(f, NAME("ffn_norm.weight"), E, &l->ln2_w, err, errlen) ||
		    get_vec(f, NAME("ffn_norm.bias"), E, &l->ln2_b, err, errlen) ||
		    get_mat(f, NAME("ffn_up.weight"), E, F, &l->up, err, errlen) ||
		    get_vec(f, NAME("ffn_up.bias"), F, &l->up_b, err, errlen) ||
		    get_mat(f, NAME("ffn_down.weight"), F, E, &l->down, err, errlen) ||
		    get_vec(f, NAME("ffn_down.bias"), E, &l->down_b, err, errlen)) {
			gpt2_model_fini(m);
			return -1;
		}
#undef NAME
	}
	return 0;
}

void gpt2_model_fini(struct gpt2_model *m)
{
	free(m->layers);
	m->layers = NULL;
}

int gpt2_state_init(struct gpt2_state *s, const struct gpt2_model *m,
		    uint32_t l0, uint32_t l1, uint32_t n_ctx, uint32_t n_batch)
{
	const struct gpt2_hparams *hp = &m->hp;
	size_t E = hp->n_embd, maxcols = hp->n_ff > E ? hp->n_ff : E;

	memset(s, 0, sizeof(*s));
	if (l0 > l1 || l1 > hp->n_layer || n_ctx == 0 || n_ctx > hp->n_ctx ||
	    n_batch == 0 || n_batch > n_ctx)
		return -1;
	s->m = m;
	s->l0 = l0;
	s->l1 = l1;
	s->n_ctx = n_ctx;
	s->n_batch = n_batch;
	size_t kv = (size_t)(l1 - l0) * n_ctx * E;
	s->k = calloc(kv ? kv : 1, sizeof(float));
	s->v = calloc(kv ? kv : 1, sizeof(float));
	s->h = calloc(n_batch * E, sizeof(float));
	s->qkv = calloc(n_batch * 3 * E, sizeof(float));
	s->att = calloc(n_batch * E, sizeof(float));
	s->ff = calloc((size_t)n_batch * hp->n_ff, sizeof(float));
	s->wrow = calloc(maxcols, sizeof(float));
	s->xperm = calloc(n_batch * maxcols, sizeof(float));
	s->scores = calloc(n_ctx, sizeof(float));
	if (!s->k || !s->v || !s->h || !s->qkv || !s->att || !s->ff ||
	    !s->wrow || !s->xperm || !s->scores) {
		gpt2_state_fini(s);
		return -1;
	}
	return 0;
}

void gpt2_state_fini(struct gpt2_state *s)
{
	free(s->k);
	free(s->v);
	free(s->h);
	free(s->qkv);
	free(s->att);
	free(s->ff);
	free(s->wrow);
	free(s->xperm);
	free(s->scores);
	memset(s, 0, sizeof(*s));
}

void gpt2_state_reset(struct gpt2_state *s)
{
	s->pos = 0;
}

void gpt2_matmul(const struct gpt2_mat *w, const float *bias, const float *x,
		 uint32_t n, float *out, float *wrow, float *xperm)
{
	const uint8_t *base = w->data;
	const bool q8 = w->type == GGML_TYPE_Q8_0;

	if (q8) { /* see llm_perm16(): q8_0 rows are expanded permuted */
		for (uint32_t t = 0; t < n; t++)
			llm_perm16(x + (size_t)t * w->n_cols,
				   xperm + (size_t)t * w->n_cols, w->n_cols);
		x = xperm;
	}
	if (q8 && n == 1) { /* decode: fused, one pass over the weights */
		for (uint32_t r = 0; r < w->n_rows; r++)
			out[r] = llm_q8_0_dot_perm(base + r * w->row_bytes, x,
						   w->n_cols) +
				 (bias ? bias[r] : 0.0f);
		return;
	}
	for (uint32_t r = 0; r < w->n_rows; r++) {
		const float *row;

		if (w->type == GGML_TYPE_F32) {
			row = (const float *)(const void *)(base + r * w->row_bytes);
		} else if (q8) {
			llm_q8_0_row_to_f32_perm(base + r * w->row_bytes, wrow,
						 w->n_cols);
			row = wrow;
		} else {
			llm_row_to_f32(w->type, base + r * w->row_bytes, wrow,
				       w->n_cols);
			row = wrow;
		}
		const float b = bias ? bias[r] : 0.0f;
		uint32_t t = 0;
		for (; t + 4 <= n; t += 4) {
			float d[4];
			llm_dot4_f32(row, x + (size_t)t * w->n_cols, w->n_cols,
				     w->n_cols, d);
			for (unsigned j = 0; j < 4; j++)
				out[(size_t)(t + j) * w->n_rows + r] = d[j] + b;
		}
		for (; t < n; t++)
			out[(size_t)t * w->n_rows + r] =
				llm_dot_f32(row, x + (size_t)t * w->n_cols, w->n_cols) + b;
	}
}

static void layernorm(const float *x, const float *w, const float *b,
		      uint32_t n, float eps, float *out)
{
	float mean = 0.0f, var = 0.0f;

	for (uint32_t i = 0; i < n; i++)
		mean += x[i];
	mean /= (float)n;
	for (uint32_t i = 0; i < n; i++) {
		float d = x[i] - mean;
		var += d * d;
	}
	var /= (float)n;
	const float inv = 1.0f / sqrtf(var + eps);
	for (uint32_t i = 0; i < n; i++)
		out[i] = (x[i] - mean) * inv * w[i] + b[i];
}

static float gelu(float x)
{
	const float c = 0.7978845608028654f; /* sqrt(2/pi) */

	return 0.5f * x * (1.0f + tanhf(c * (x + 0.044715f * x * x * x)));
}

int gpt2_embed(const struct gpt2_model *m, const int32_t *tokens, uint32_t n,
	       uint32_t pos0, float *x)
{
	const uint32_t E = m->hp.n_embd;
	const uint8_t *te = m->wte.data, *pe = m->wpe.data;
	float *tmp = malloc(E * sizeof(float));

	if (!tmp)
		return -1;
	for (uint32_t t = 0; t < n; t++) {
		if (tokens[t] < 0 || (uint32_t)tokens[t] >= m->hp.n_vocab ||
		    pos0 + t >= m->hp.n_ctx) {
			free(tmp);
			return -1;
		}
		float *xt = x + (size_t)t * E;
		llm_row_to_f32(m->wte.type, te + (size_t)tokens[t] * m->wte.row_bytes,
			       xt, E);
		llm_row_to_f32(m->wpe.type, pe + (size_t)(pos0 + t) * m->wpe.row_bytes,
			       tmp, E);
		for (uint32_t i = 0; i < E; i++)
			xt[i] += tmp[i];
	}
	free(tmp);
	return 0;
}

int gpt2_layers(struct gpt2_state *s, float *x, uint32_t n)
{
	const struct gpt2_model *m = s->m;
	const uint32_t E = m->hp.n_embd, F = m->hp.n_ff, H = m->hp.n_head;
	const uint32_t D = E / H, p0 = s->pos;
	const float scale = 1.0f / sqrtf((float)D);

	if (n == 0 || n > s->n_batch || p0 + n > s->n_ctx)
		return -1;
	for (uint32_t li = s->l0; li < s->l1; li++) {
		const struct gpt2_layer *L = &m->layers[li];
		float *kc = s->k + (size_t)(li - s->l0) * s->n_ctx * E;
		float *vc = s->v + (size_t)(li - s->l0) * s->n_ctx * E;

		for (uint32_t t = 0; t < n; t++)
			layernorm(x + (size_t)t * E, L->ln1_w, L->ln1_b, E,
				  m->hp.eps, s->h + (size_t)t * E);
		gpt2_matmul(&L->qkv, L->qkv_b, s->h, n, s->qkv, s->wrow, s->xperm);
		for (uint32_t t = 0; t < n; t++) {
			const float *q = s->qkv + (size_t)t * 3 * E;
			memcpy(kc + (size_t)(p0 + t) * E, q + E, E * sizeof(float));
			memcpy(vc + (size_t)(p0 + t) * E, q + 2 * E, E * sizeof(float));
		}
		for (uint32_t t = 0; t < n; t++) {
			const uint32_t npos = p0 + t + 1;
			for (uint32_t hd = 0; hd < H; hd++) {
				const float *q = s->qkv + (size_t)t * 3 * E + hd * D;
				float *o = s->att + (size_t)t * E + hd * D;
				float mx = -INFINITY, sum = 0.0f;

				for (uint32_t j = 0; j < npos; j++) {
					float sc = llm_dot_f32(q, kc + (size_t)j * E + hd * D, D) * scale;
					s->scores[j] = sc;
					mx = sc > mx ? sc : mx;
				}
				for (uint32_t j = 0; j < npos; j++) {
					s->scores[j] = expf(s->scores[j] - mx);
					sum += s->scores[j];
				}
				const float inv = 1.0f / sum;
				memset(o, 0, D * sizeof(float));
				for (uint32_t j = 0; j < npos; j++) {
					const float p = s->scores[j] * inv;
					const float *v = vc + (size_t)j * E + hd * D;
					for (uint32_t d = 0; d < D; d++)
						o[d] += p * v[d];
				}
			}
		}
		gpt2_matmul(&L->proj, L->proj_b, s->att, n, s->h, s->wrow, s->xperm);
		for (size_t i = 0; i < (size_t)n * E; i++)
			x[i] += s->h[i];
		for (uint32_t t = 0; t < n; t++)
			layernorm(x + (size_t)t * E, L->ln2_w, L->ln2_b, E,
				  m->hp.eps, s->h + (size_t)t * E);
		gpt2_matmul(&L->up, L->up_b, s->h, n, s->ff, s->wrow, s->xperm);
		for (size_t i = 0; i < (size_t)n * F; i++)
			s->ff[i] = gelu(s->ff[i]);
		gpt2_matmul(&L->down, L->down_b, s->ff, n, s->h, s->wrow, s->xperm);
		for (size_t i = 0; i < (size_t)n * E; i++)
			x[i] += s->h[i];
	}
	s->pos += n;
	return 0;
}

void gpt2_head(const struct gpt2_model *m, const float *x, float *logits)
{
	const uint32_t E = m->hp.n_embd;
	float *h = malloc(3 * E * sizeof(float));

	if (!h) { /* cannot happen in practice; make the failure visible */
		for (uint32_t i = 0; i < m->hp.n_vocab; i++)
			logits[i] = NAN;
		return;
	}
	layernorm(x, m->lnf_w, m->lnf_b, E, m->hp.eps, h);
	gpt2_matmul(&m->out, NULL, h, 1, logits, h + E, h + 2 * E);
	free(h);
}

int gpt2_eval(struct gpt2_state *s, const int32_t *tokens, uint32_t n,
	      float *x, float *logits)
{
	if (s->l0 != 0 || s->l1 != s->m->hp.n_layer || n == 0)
		return -1;
	if (gpt2_embed(s->m, tokens, n, s->pos, x) || gpt2_layers(s, x, n))
		return -1;
	gpt2_head(s->m, x + (size_t)(n - 1) * s->m->hp.n_embd, logits);
	return 0;
}

static uint64_t rng_next(uint64_t *st)
{
	uint64_t x = *st ? *st : 0x9e3779b97f4a7c15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*st = x;
	return x * 0x2545f4914f6cdd1dull;
}

int32_t gpt2_sample(struct gpt2_sampler *sp, const float *logits,
		    uint32_t n_vocab)
{
	uint32_t best = 0;

	for (uint32_t i = 1; i < n_vocab; i++)
		if (logits[i] > logits[best])
			best = i;
	if (!(sp->temperature > 0.0f))
		return (int32_t)best;
	double sum = 0.0;
	const double mx = logits[best], it = 1.0 / sp->temperature;
	for (uint32_t i = 0; i < n_vocab; i++)
		sum += exp((logits[i] - mx) * it);
	double r = (double)(rng_next(&sp->rng) >> 11) * (1.0 / 9007199254740992.0) * sum;
	for (uint32_t i = 0; i < n_vocab; i++) {
		r -= exp((logits[i] - mx) * it);
		if (r <= 0.0)
			return (int32_t)i;
	}
	return (int32_t)best;
}
