/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file quant.h
 * @brief Element formats the engine computes with: f32, f16 and ggml's q8_0
 *        (blocks of 32 int8 values sharing one f16 scale: 34 bytes).
 *
 * All functions are pure and thread-safe.  Row pointers may be unaligned
 * for q8_0 (34-byte blocks); f32 rows must be 4-byte aligned and f16 rows
 * 2-byte aligned (the model loader checks this).
 */
#ifndef CAEC_LLM_QUANT_H
#define CAEC_LLM_QUANT_H

#include <stddef.h>
#include <stdint.h>

#include "gguf.h"

/** @brief IEEE half (bits) to float, exact (subnormals, inf, NaN). */
float llm_f16_to_f32(uint16_t h);
/** @brief float to IEEE half bits, round to nearest even. */
uint16_t llm_f32_to_f16(float f);

/**
 * @brief Quantize n floats (n a multiple of 32) to q8_0 as ggml does:
 *        d = max|x| / 127 (stored as f16), q = round(x / d).
 */
void llm_quantize_q8_0(const float *x, void *out, size_t n);

/** @brief Expand one row of n elements of type t into floats. */
void llm_row_to_f32(enum ggml_type t, const void *row, float *out, size_t n);

/**
 * @brief Expand a q8_0 row in the permuted order of llm_perm16() (fast on
 *        any SIMD width; n a multiple of 32).
 */
void llm_q8_0_row_to_f32_perm(const void *row, float *out, size_t n);
/** @brief Fused q8_0 row . permuted x (for single-token matmuls). */
float llm_q8_0_dot_perm(const void *row, const float *xperm, size_t n);
/** @brief Permute n floats (n a multiple of 16) to match the above. */
void llm_perm16(const float *x, float *out, size_t n);

/**
 * @brief out[j] = w . x[j] for the four vectors x + j*stride (one pass over
 *        w; used for batched matmuls).
 */
void llm_dot4_f32(const float *w, const float *x, size_t stride, size_t n,
		  float out[4]);

/** @brief Dot product of two float vectors (fixed summation order). */
float llm_dot_f32(const float *a, const float *b, size_t n);

#endif /* CAEC_LLM_QUANT_H */
