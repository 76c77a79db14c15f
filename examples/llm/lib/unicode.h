/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file unicode.h
 * @brief UTF-8 decoding and the three code point classes of GPT-2's
 *        pre-tokenizer: letter (\p{L}), number (\p{N}) and white space
 *        (\s), as the reference encoder's regular expression defines them.
 *
 * The letter and number classes and the Zs part of white space come from
 * tables generated at build time out of Debian's `unicode-data`
 * (gen_unicode_tables.py; Unicode 15.0 on Debian 12).  The reference
 * encoder runs in a JavaScript engine whose Unicode version may be newer:
 * characters assigned after the tables' version are "other" here.
 */
#ifndef CAEC_LLM_UNICODE_H
#define CAEC_LLM_UNICODE_H

#include <stddef.h>
#include <stdint.h>

/** An inclusive range of code points (generated tables). */
struct uni_range {
	uint32_t lo, hi;
};

extern const struct uni_range uni_letter_ranges[];
extern const size_t uni_letter_count;
extern const struct uni_range uni_number_ranges[];
extern const size_t uni_number_count;
extern const struct uni_range uni_space_ranges[];
extern const size_t uni_space_count;

enum uni_class {
	UNI_OTHER = 0,  /**< anything else, and bytes that are not UTF-8 */
	UNI_LETTER = 1, /**< General_Category L (Lu, Ll, Lt, Lm, Lo) */
	UNI_NUMBER = 2, /**< General_Category N (Nd, Nl, No) */
	UNI_SPACE = 3,  /**< JavaScript's \s: Zs, TAB..CR, U+2028/9, U+FEFF */
};

/** Returned by uni_utf8_decode() for a byte that starts no valid sequence. */
#define UNI_INVALID 0xffffffffu

/**
 * @brief Decode the UTF-8 sequence at s (len > 0 bytes available).
 * @param[out] cp  the code point, or UNI_INVALID for an invalid, overlong,
 *                 surrogate, out-of-range or truncated sequence.
 * @returns the bytes consumed: the sequence length, or 1 when invalid (so
 *          every byte of any input is covered exactly once).
 */
size_t uni_utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);

/** @brief The class of a code point (UNI_INVALID is UNI_OTHER). */
enum uni_class uni_classify(uint32_t cp);

#endif /* CAEC_LLM_UNICODE_H */
