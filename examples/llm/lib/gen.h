/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file gen.h
 * @brief Writes GGUF v3 files with GPT-2's architecture, llama.cpp's tensor
 *        names and exact tensor shapes, deterministic pseudo-random weights
 *        (std ~0.02 like GPT-2's initialisation) and a synthetic byte-level
 *        BPE vocabulary: the 256 byte tokens, deterministic merges of
 *        lowercase letter sequences (with and without the "Ġ" space
 *        prefix), and "<|endoftext|>" last.  Nothing is downloaded.
 */
#ifndef CAEC_LLM_GEN_H
#define CAEC_LLM_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

struct llm_gen_opts {
	uint32_t n_vocab, n_ctx, n_embd, n_head, n_layer, n_ff;
	enum ggml_type wtype; /**< matrices: Q8_0 (default), F16 or F32 */
	uint64_t seed;
	bool tied;            /**< omit output.weight (use token_embd) */
	const char *name;     /**< general.name */
};

/**
 * @brief Fill opts with a named shape: "gpt2" (124M), "gpt2-medium" (355M)
 *        or "tiny" (4 layers, 64 wide, 512 tokens; < 1 MB).
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
