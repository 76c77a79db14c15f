/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file gen.h
 * @brief Writes GGUF v3 files with GPT-2's architecture and exact tensor
 *        shapes, laid out as llama.cpp's converter (convert_hf_to_gguf.py)
 *        writes a GPT-2 checkpoint, with deterministic pseudo-random weights
 *        (std ~0.02 like GPT-2's initialisation).  The vocabulary is GPT-2's
 *        real one when its encoder.json and vocab.bpe are given, else a
 *        synthetic byte-level one (gen_vocab.h).  Nothing is downloaded.
 *
 * The converter's layout (the default): tokenizer.ggml.pre "gpt-2";
 * position_embd kept F32 whatever the matrices' type; no output.weight
 * (GPT-2's head is tied to token_embd).  The options below write the
 * other layouts (this generator's older default among them).
 */
#ifndef CAEC_LLM_GEN_H
#define CAEC_LLM_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

struct llm_gen_opts {
	uint32_t n_vocab, n_ctx, n_embd, n_head, n_layer, n_ff;
	enum ggml_type wtype;    /**< matrices and token_embd: Q8_0 (default), F16, F32 */
	enum ggml_type pos_type; /**< position_embd: F32 (default, as the converter) */
	bool output_weight;      /**< write a separate output.weight (default: none, tied) */
	bool no_pre;             /**< omit tokenizer.ggml.pre (default: "gpt-2") */
	/**
	 * F32/F16 matrices hold exactly the values of their q8_0 quantization
	 * (each row quantized to q8_0 and back), so that a q8_0 file and this
	 * one describe the same weights.
	 */
	bool round_q8_0;
	/** GPT-2's encoder.json and vocab.bpe (both or neither); n_vocab then
	 *  comes from them. */
	const char *encoder_json, *vocab_bpe;
	uint64_t seed;
	const char *name;        /**< general.name */
};

/**
 * @brief Fill opts with a named shape and the converter's layout: "gpt2"
 *        (124M), "gpt2-medium" (355M) or "tiny" (4 layers, 64 wide, 128
 *        positions, 512 tokens with the synthetic vocabulary; < 1 MB).
 * @returns 0, or -1 for an unknown name.
 */
int llm_gen_shape(struct llm_gen_opts *o, const char *shape);

/**
 * @brief Write the model to path.
 * @returns 0, or -1 with a message.
 */
int llm_gen_write(const struct llm_gen_opts *o, const char *path, char *err,
		  size_t errlen);

#endif /* CAEC_LLM_GEN_H */
