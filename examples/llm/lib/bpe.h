/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file bpe.h
 * @brief GPT-2 byte-level BPE tokenizer built from a GGUF vocabulary
 *        (tokenizer.ggml.tokens) and merge list (tokenizer.ggml.merges).
 *
 * Text is split with GPT-2's pre-tokenizer pattern
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * on UTF-8 code points, with the letter, number and space classes of the
 * reference encoder (unicode.h; a byte that is not valid UTF-8 is a code
 * point of class "other" on its own).  Each piece's bytes are mapped to
 * GPT-2's printable "byte unicode" characters, then merged pairwise by
 * merge rank (lowest first) until no merge applies.  Token strings are
 * borrowed from the GGUF image.  tokenizer.ggml.pre must be "gpt-2" or
 * absent.
 */
#ifndef CAEC_LLM_BPE_H
#define CAEC_LLM_BPE_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

struct bpe_table; /* string -> int32 hash table (private) */

struct bpe {
	uint32_t n_vocab;
	struct gguf_str *tokens; /**< borrowed from the image */
	struct bpe_table *vocab;  /**< token string -> id */
	struct bpe_table *merges; /**< "a b" -> rank */
	int32_t byte_token[256];  /**< token of each single byte */
	int32_t bos, eos;
};

/**
 * @brief Build the tokenizer from the GGUF metadata.
 * @returns 0, or -1 with a message (missing/invalid tokenizer metadata).
 * Ownership: pair with bpe_fini(); f's image must outlive it.
 */
int bpe_init(struct bpe *b, const struct gguf_file *f, char *err,
	     size_t errlen);
void bpe_fini(struct bpe *b);

/**
 * @brief Tokenize len bytes of text.
 * @returns the number of tokens (may exceed cap: then only cap are
 *          written), or -1 on failure (a byte with no token).
 */
long bpe_encode(const struct bpe *b, const char *text, size_t len,
		int32_t *out, size_t cap);

/**
 * @brief The bytes of one token, written to out (at most cap).
 * @returns the byte count (may exceed cap), or -1 for a bad id.
 */
long bpe_decode(const struct bpe *b, int32_t id, char *out, size_t cap);

/**
 * @brief The length of the pre-tokenizer piece that starts at s[i] (i <
 *        len): the first alternative of GPT-2's pattern that matches there.
 *        Exposed for the tests.
 */
size_t bpe_pretoken(const uint8_t *s, size_t len, size_t i);

/** @brief GPT-2's byte -> unicode code point table (exposed for the generator). */
uint32_t bpe_byte_to_cp(uint8_t byte);
/** @brief UTF-8 encode cp into out (>= 4 bytes); returns the length. */
size_t bpe_utf8_put(uint32_t cp, char *out);

#endif /* CAEC_LLM_BPE_H */
