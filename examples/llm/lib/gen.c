/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic GPT-2-shaped GGUF writer: see gen.h. */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errf.h"
#include "gen_vocab.h"
#include "quant.h"

int llm_gen_shape(struct llm_gen_opts *o, const char *shape)
{
	memset(o, 0, sizeof(*o));
	o->wtype = GGML_TYPE_Q8_0;
	o->pos_type = GGML_TYPE_F32;
	o->seed = 0x6361656367707432ull; /* "caecgpt2" */
	o->name = shape;
	if (!strcmp(shape, "gpt2")) {
		o->n_vocab = 50257; o->n_ctx = 1024; o->n_embd = 768;
		o->n_head = 12; o->n_layer = 12; o->n_ff = 3072;
	} else if (!strcmp(shape, "gpt2-medium")) {
		o->n_vocab = 50257; o->n_ctx = 1024; o->n_embd = 1024;
		o->n_head = 16; o->n_layer = 24; o->n_ff = 4096;
	} else if (!strcmp(shape, "tiny")) {
		o->n_vocab = 512; o->n_ctx = 128; o->n_embd = 64;
		o->n_head = 4; o->n_layer = 4; o->n_ff = 256;
	} else {
		return -1;
	}
	return 0;
}

/* ---- deterministic PRNG (splitmix64) ---------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [-1, 1). */
static float unif(uint64_t *s)
{
	return (float)((double)(splitmix(s) >> 40) * (2.0 / 16777216.0) - 1.0);
}

static uint64_t name_seed(uint64_t seed, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull ^ seed;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 0x100000001b3ull;
	return h;
}

/* ---- GGUF writing ------------------------------------------------------- */

struct wr {
	FILE *fp;
	uint64_t pos;
	bool bad;
};

static void w_raw(struct wr *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->fp) != n)
		w->bad = true;
	w->pos += n;
}

static void w_u32(struct wr *w, uint32_t v) { w_raw(w, &v, 4); }
static void w_u64(struct wr *w, uint64_t v) { w_raw(w, &v, 8); }
static void w_f32(struct wr *w, float v) { w_raw(w, &v, 4); }

static void w_str(struct wr *w, const char *p, size_t n)
{
	w_u64(w, n);
	w_raw(w, p, n);
}

static void w_key(struct wr *w, const char *k, uint32_t type)
{
	w_str(w, k, strlen(k));
	w_u32(w, type);
}

static void kv_u32(struct wr *w, const char *k, uint32_t v)
{
	w_key(w, k, GGUF_TYPE_UINT32);
	w_u32(w, v);
}

static void kv_str(struct wr *w, const char *k, const char *s)
{
	w_key(w, k, GGUF_TYPE_STRING);
	w_str(w, s, strlen(s));
}

enum tkind { T_MAT, T_POS, T_NORM, T_BIAS };

struct tspec {
	char name[64];
	uint32_t n_dims;
	uint64_t ne0, ne1;
	enum ggml_type type;
	enum tkind kind;
	uint64_t offset, nbytes;
};

/* mt: the type of a matrix (T_MAT, T_POS); norms and biases are F32. */
static void add_t(struct tspec *t, uint32_t *n, const char *name, uint64_t ne0,
		  uint64_t ne1, enum ggml_type mt, enum tkind kind)
{
	struct tspec *s = &t[(*n)++];

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->n_dims = ne1 > 1 || kind == T_MAT || kind == T_POS ? 2 : 1;
	s->ne0 = ne0;
	s->ne1 = ne1;
	s->kind = kind;
	s->type = (kind == T_MAT || kind == T_POS) ? mt : GGML_TYPE_F32;
	s->nbytes = gguf_row_bytes(s->type, ne0) * ne1;
}

static int write_tensor(struct wr *w, const struct tspec *t, uint64_t seed,
			bool round_q8_0, float *row, void *qrow)
{
	uint64_t st = name_seed(seed, t->name);
	const float a = 0.02f * 1.7320508f; /* uniform with std 0.02 */

	for (uint64_t r = 0; r < t->ne1; r++) {
		for (uint64_t i = 0; i < t->ne0; i++) {
			float u = unif(&st);
			switch (t->kind) {
			case T_MAT: row[i] = a * u; break;
			case T_POS: row[i] = 0.5f * a * u; break;
			case T_NORM: row[i] = 1.0f + 0.1f * u; break;
			case T_BIAS: row[i] = 0.02f * u; break;
			}
		}
		if (round_q8_0 && t->kind == T_MAT && t->type != GGML_TYPE_Q8_0) {
			/* the values a q8_0 file of the same seed holds */
			llm_quantize_q8_0(row, qrow, t->ne0);
			llm_row_to_f32(GGML_TYPE_Q8_0, qrow, row, t->ne0);
		}
		switch (t->type) {
		case GGML_TYPE_F32:
			w_raw(w, row, t->ne0 * 4);
			break;
		case GGML_TYPE_F16: {
			uint16_t *h = qrow;
			for (uint64_t i = 0; i < t->ne0; i++)
				h[i] = llm_f32_to_f16(row[i]);
			w_raw(w, h, t->ne0 * 2);
			break;
		}
		case GGML_TYPE_Q8_0:
			llm_quantize_q8_0(row, qrow, t->ne0);
			w_raw(w, qrow, gguf_row_bytes(t->type, t->ne0));
			break;
		}
		if (w->bad)
			return -1;
	}
	return 0;
}

static void w_pad(struct wr *w, uint32_t align)
{
	static const uint8_t zero[64];
	uint64_t pad = (align - w->pos % align) % align;

	w_raw(w, zero, pad);
}

static bool type_ok(enum ggml_type t)
{
	return t == GGML_TYPE_Q8_0 || t == GGML_TYPE_F16 || t == GGML_TYPE_F32;
}

int llm_gen_write(const struct llm_gen_opts *o, const char *path, char *err,
		  size_t errlen)
{
	const uint32_t align = 32;
	struct llm_vocab v;
	struct tspec *ts = NULL;
	uint32_t nt = 0;
	struct wr w = {0};
	float *row = NULL;
	void *qrow = NULL;
	int rc = -1;

	if (o->n_embd % 32 || o->n_ff % 32 || !o->n_head ||
	    o->n_embd % o->n_head || !o->n_layer || !o->n_ctx ||
	    !type_ok(o->wtype) || !type_ok(o->pos_type))
		return llm_errf(err, errlen, "invalid model shape or type");
	if (!o->encoder_json != !o->vocab_bpe)
		return llm_errf(err, errlen, "GPT-2's vocabulary needs both encoder.json "
				"and vocab.bpe");
	if (o->encoder_json) {
		if (llm_vocab_gpt2_files(&v, o->encoder_json, o->vocab_bpe, err, errlen))
			return -1;
	} else if (llm_vocab_synthetic(&v, o->n_vocab, o->seed)) {
		return llm_errf(err, errlen, "cannot build a %u-token vocabulary", o->n_vocab);
	}
	const uint32_t n_vocab = v.n;
	/* the end-of-text token: control type; BOS, EOS and unknown */
	uint32_t eot = n_vocab - 1;
	for (uint32_t i = 0; i < n_vocab; i++)
		if (v.len[i] == 13 && !memcmp(v.arena + v.off[i], "<|endoftext|>", 13))
			eot = i;
	ts = calloc(8 + 12 * (size_t)o->n_layer, sizeof(*ts));
	size_t maxw = o->n_ff > o->n_embd * 3 ? o->n_ff : o->n_embd * 3;
	row = malloc(maxw * sizeof(float));
	qrow = malloc(maxw * sizeof(float));
	if (!ts || !row || !qrow) {
		llm_errf(err, errlen, "out of memory");
		goto out;
	}
	const uint32_t E = o->n_embd, F = o->n_ff;
	enum ggml_type mt = o->wtype;
	add_t(ts, &nt, "token_embd.weight", E, n_vocab, mt, T_MAT);
	if (o->output_weight)
		add_t(ts, &nt, "output.weight", E, n_vocab, mt, T_MAT);
	add_t(ts, &nt, "position_embd.weight", E, o->n_ctx, o->pos_type, T_POS);
	for (uint32_t l = 0; l < o->n_layer; l++) {
		char n[64];
#define T(s, a, b, k) (snprintf(n, sizeof(n), "blk.%u." s, l), add_t(ts, &nt, n, a, b, mt, k))
		T("attn_norm.weight", E, 1, T_NORM);
		T("attn_norm.bias", E, 1, T_BIAS);
		T("attn_qkv.weight", E, 3 * E, T_MAT);
		T("attn_qkv.bias", 3 * E, 1, T_BIAS);
		T("attn_output.weight", E, E, T_MAT);
		T("attn_output.bias", E, 1, T_BIAS);
		T("ffn_norm.weight", E, 1, T_NORM);
		T("ffn_norm.bias", E, 1, T_BIAS);
		T("ffn_up.weight", E, F, T_MAT);
		T("ffn_up.bias", F, 1, T_BIAS);
		T("ffn_down.weight", F, E, T_MAT);
		T("ffn_down.bias", E, 1, T_BIAS);
#undef T
	}
	add_t(ts, &nt, "output_norm.weight", E, 1, mt, T_NORM);
	add_t(ts, &nt, "output_norm.bias", E, 1, mt, T_BIAS);
	uint64_t off = 0;
	for (uint32_t i = 0; i < nt; i++) {
		ts[i].offset = off;
		off += (ts[i].nbytes + align - 1) / align * align;
	}

	w.fp = fopen(path, "wb");
	if (!w.fp) {
		llm_errf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		goto out;
	}
	const uint64_t n_kv = o->no_pre ? 18 : 19;
	w_u32(&w, GGUF_MAGIC);
	w_u32(&w, GGUF_VERSION);
	w_u64(&w, nt);
	w_u64(&w, n_kv);
	kv_str(&w, "general.architecture", "gpt2");
	kv_str(&w, "general.name", o->name ? o->name : "caec synthetic gpt2");
	kv_u32(&w, "general.file_type",
	       mt == GGML_TYPE_Q8_0 ? 7 : mt == GGML_TYPE_F16 ? 1 : 0);
	kv_u32(&w, "general.quantization_version", 2);
	kv_u32(&w, "general.alignment", align);
	kv_u32(&w, "gpt2.context_length", o->n_ctx);
	kv_u32(&w, "gpt2.embedding_length", E);
	kv_u32(&w, "gpt2.feed_forward_length", F);
	kv_u32(&w, "gpt2.block_count", o->n_layer);
	kv_u32(&w, "gpt2.attention.head_count", o->n_head);
	w_key(&w, "gpt2.attention.layer_norm_epsilon", GGUF_TYPE_FLOAT32);
	w_f32(&w, 1e-5f);
	kv_str(&w, "tokenizer.ggml.model", "gpt2");
	if (!o->no_pre)
		kv_str(&w, "tokenizer.ggml.pre", "gpt-2");
	w_key(&w, "tokenizer.ggml.tokens", GGUF_TYPE_ARRAY);
	w_u32(&w, GGUF_TYPE_STRING);
	w_u64(&w, v.n);
	for (uint32_t i = 0; i < v.n; i++)
		w_str(&w, v.arena + v.off[i], v.len[i]);
	w_key(&w, "tokenizer.ggml.token_type", GGUF_TYPE_ARRAY);
	w_u32(&w, GGUF_TYPE_INT32);
	w_u64(&w, v.n);
	for (uint32_t i = 0; i < v.n; i++)
		w_u32(&w, i == eot ? 3 : 1); /* 1 normal, 3 control */
	w_key(&w, "tokenizer.ggml.merges", GGUF_TYPE_ARRAY);
	w_u32(&w, GGUF_TYPE_STRING);
	w_u64(&w, v.nm);
	for (uint32_t i = 0; i < v.nm; i++)
		w_str(&w, v.arena + v.moff[i], v.mlen[i]);
	kv_u32(&w, "tokenizer.ggml.bos_token_id", eot);
	kv_u32(&w, "tokenizer.ggml.eos_token_id", eot);
	kv_u32(&w, "tokenizer.ggml.unknown_token_id", eot);

	for (uint32_t i = 0; i < nt; i++) {
		w_str(&w, ts[i].name, strlen(ts[i].name));
		w_u32(&w, ts[i].n_dims);
		w_u64(&w, ts[i].ne0);
		if (ts[i].n_dims == 2)
			w_u64(&w, ts[i].ne1);
		w_u32(&w, ts[i].type);
		w_u64(&w, ts[i].offset);
	}
	w_pad(&w, align);
	for (uint32_t i = 0; i < nt; i++) {
		if (write_tensor(&w, &ts[i], o->seed, o->round_q8_0, row, qrow))
			break;
		w_pad(&w, align);
	}
	if (fclose(w.fp) != 0)
		w.bad = true;
	w.fp = NULL;
	if (w.bad) {
		llm_errf(err, errlen, "write error on %s", path);
		goto out;
	}
	rc = 0;
out:
	if (w.fp)
		fclose(w.fp);
	free(ts);
	free(row);
	free(qrow);
	llm_vocab_free(&v);
	return rc;
}
