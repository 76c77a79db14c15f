/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file gpt2.h
 * @brief A small GPT-2 inference engine that computes directly on the
 *        weights of a GGUF image wherever it is mapped (private memory or a
 *        read-only CSM region): the model holds pointers into the image and
 *        never copies or writes it.
 *
 * The model (struct gpt2_model) is immutable after gpt2_model_init() and
 * may be shared by threads.  Everything that changes during inference (the
 * KV cache, activations) lives in a struct gpt2_state, private to its
 * user.  A state may cover only a range of layers, which is how a network
 * is split across realms (examples/pipeline): realm A runs gpt2_embed() and
 * layers [0, k), hands the activations to realm B, which runs [k, n) and
 * gpt2_head().  Because every step is a fixed sequence of float operations,
 * the split computes bit-identical logits to the unsplit model.
 *
 * Tensor names follow llama.cpp's GPT-2 converter: token_embd, position_embd,
 * output_norm{,.bias}, output (optional; GPT-2 ties it to token_embd) and
 * blk.N.{attn_norm, attn_qkv, attn_output, ffn_norm, ffn_up, ffn_down}
 * {.weight,.bias}.  Weights may be F32, F16 or Q8_0 (matmuls and embedding
 * rows); norms and biases F32.
 */
#ifndef CAEC_LLM_GPT2_H
#define CAEC_LLM_GPT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

/** Hyper-parameters (from the gpt2.* metadata and tensor shapes). */
struct gpt2_hparams {
	uint32_t n_vocab;
	uint32_t n_ctx;
	uint32_t n_embd;
	uint32_t n_head;
	uint32_t n_layer;
	uint32_t n_ff;
	float eps;
};

/** A borrowed view of a matrix: n_rows rows of n_cols elements. */
struct gpt2_mat {
	const void *data;
	enum ggml_type type;
	uint32_t n_cols; /**< ggml ne[0]: input size */
	uint32_t n_rows; /**< ggml ne[1]: output size */
	uint64_t row_bytes;
};

struct gpt2_layer {
	const float *ln1_w, *ln1_b;
	struct gpt2_mat qkv;
	const float *qkv_b;
	struct gpt2_mat proj;
	const float *proj_b;
	const float *ln2_w, *ln2_b;
	struct gpt2_mat up;
	const float *up_b;
	struct gpt2_mat down;
	const float *down_b;
};

struct gpt2_model {
	struct gpt2_hparams hp;
	struct gpt2_mat wte;  /**< token embedding [n_vocab][n_embd] */
	struct gpt2_mat wpe;  /**< position embedding [n_ctx][n_embd] */
	struct gpt2_mat out;  /**< output projection (== wte when tied) */
	const float *lnf_w, *lnf_b;
	struct gpt2_layer *layers;
};

/**
 * @brief Bind a model to a parsed GGUF image (no copy).
 * @param[out] m    the model.
 * @param[in]  f    a file parsed by gguf_parse(); must outlive m.
 * @param[out] err  receives a message on failure (may be NULL).
 * @returns 0, or -1 with a message naming the missing/mis-shaped tensor or
 *          metadata key.
 * Ownership: pair with gpt2_model_fini().
 */
int gpt2_model_init(struct gpt2_model *m, const struct gguf_file *f, char *err,
		    size_t errlen);
void gpt2_model_fini(struct gpt2_model *m);

/** Mutable per-user inference state for layers [l0, l1). */
struct gpt2_state {
	const struct gpt2_model *m;
	uint32_t l0, l1;
	uint32_t n_ctx;   /**< positions the KV cache holds */
	uint32_t n_batch; /**< largest batch gpt2_layers() accepts */
	uint32_t pos;     /**< next position */
	float *k, *v;     /**< [layer - l0][n_ctx][n_embd] */
	float *h, *qkv, *att, *ff, *wrow, *xperm, *scores;
};

/**
 * @brief Allocate a state for layers [l0, l1) with a KV cache of n_ctx
 *        positions (<= hp.n_ctx) and batches of at most n_batch tokens.
 * @returns 0, or -1 (bad range or out of memory).
 * Ownership: pair with gpt2_state_fini().
 */
int gpt2_state_init(struct gpt2_state *s, const struct gpt2_model *m,
		    uint32_t l0, uint32_t l1, uint32_t n_ctx, uint32_t n_batch);
void gpt2_state_fini(struct gpt2_state *s);
/** @brief Forget the context (position back to 0). */
void gpt2_state_reset(struct gpt2_state *s);

/**
 * @brief x[t] = wte[tokens[t]] + wpe[pos0 + t] for t < n.
 * @returns 0, or -1 if a token or position is out of range.
 */
int gpt2_embed(const struct gpt2_model *m, const int32_t *tokens, uint32_t n,
	       uint32_t pos0, float *x);

/**
 * @brief Run the state's layers over n tokens at positions s->pos.. in
 *        place on x[n][n_embd], then advance s->pos by n.
 * @returns 0, or -1 if n > n_batch or the context is full.
 */
int gpt2_layers(struct gpt2_state *s, float *x, uint32_t n);

/** @brief logits[n_vocab] = output(layernorm_f(x)) for one token. */
void gpt2_head(const struct gpt2_model *m, const float *x, float *logits);

/**
 * @brief Whole model: embed n tokens, run all layers, write the logits of
 *        the last token.  The state must cover [0, n_layer).
 */
int gpt2_eval(struct gpt2_state *s, const int32_t *tokens, uint32_t n,
	      float *x_scratch, float *logits);

/** Sampling: temperature 0 is greedy (lowest index wins ties). */
struct gpt2_sampler {
	float temperature;
	uint64_t rng;
};
int32_t gpt2_sample(struct gpt2_sampler *sp, const float *logits,
		    uint32_t n_vocab);

/**
 * @brief out[t][r] = W[r] . x[t] (+ bias[r]) for t < n, r < n_rows.
 * wrow: n_cols floats of scratch; xperm: n * n_cols floats of scratch.
 */
void gpt2_matmul(const struct gpt2_mat *w, const float *bias, const float *x,
		 uint32_t n, float *out, float *wrow, float *xperm);

#endif /* CAEC_LLM_GPT2_H */
