/* SPDX-License-Identifier: Apache-2.0 */
#include "quant.h"

#include <math.h>
#include <string.h>

/* Portable SIMD through GCC/clang vector extensions: SSE on x86-64, NEON on
 * AArch64, scalar code elsewhere.  No intrinsics. */
typedef float v8f __attribute__((vector_size(32)));
typedef int8_t v8i8 __attribute__((vector_size(8)));
typedef int16_t v8i16 __attribute__((vector_size(16)));
typedef uint16_t v8u16 __attribute__((vector_size(16)));
typedef uint32_t v4u32 __attribute__((vector_size(16)));
typedef int32_t v4i32 __attribute__((vector_size(16)));
typedef float v4f __attribute__((vector_size(16)));

float llm_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h >> 15) << 31;
	uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
	float f;

	if (exp == 0) {
		f = (float)mant * (1.0f / 16777216.0f);
		return sign ? -f : f;
	}
	if (exp == 31)
		bits = sign | 0x7f800000u | (mant << 13);
	else
		bits = sign | ((exp + 112) << 23) | (mant << 13);
	memcpy(&f, &bits, 4);
	return f;
}

uint16_t llm_f32_to_f16(float f)
{
	uint32_t x, ax, sign;

	memcpy(&x, &f, 4);
	sign = (x >> 16) & 0x8000;
	ax = x & 0x7fffffffu;
	if (ax >= 0x7f800000u) /* inf, NaN (keep it a quiet NaN) */
		return (uint16_t)(sign | 0x7c00 | (ax > 0x7f800000u ? 0x200 : 0));
	if (ax >= 0x477ff000u) /* >= 65520 rounds to inf */
		return (uint16_t)(sign | 0x7c00);
	if (ax < 0x38800000u) { /* below the smallest normal half */
		if (ax <= 0x33000000u) /* <= 2^-25: rounds to (even) zero */
			return (uint16_t)sign;
		uint32_t e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;
		uint32_t shift = 126 - e, q = m >> shift;
		uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
		return (uint16_t)(sign | q);
	}
	uint32_t r = ax - 0x38000000u, hb = r >> 13, rem = r & 0x1fff;
	if (rem > 0x1000 || (rem == 0x1000 && (hb & 1)))
		hb++;
	return (uint16_t)(sign | hb);
}

void llm_quantize_q8_0(const float *x, void *out, size_t n)
{
	uint8_t *o = out;

	for (size_t b = 0; b < n / QK8_0; b++, x += QK8_0, o += Q8_0_BLOCK_BYTES) {
		float amax = 0.0f;

		for (unsigned j = 0; j < QK8_0; j++)
			amax = fmaxf(amax, fabsf(x[j]));
		float d = amax / 127.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
		uint16_t dh = llm_f32_to_f16(d);

		memcpy(o, &dh, 2);
		for (unsigned j = 0; j < QK8_0; j++)
			o[2 + j] = (uint8_t)(int8_t)roundf(x[j] * id);
	}
}

void llm_row_to_f32(enum ggml_type t, const void *row, float *out, size_t n)
{
	switch (t) {
	case GGML_TYPE_F32:
		memcpy(out, row, n * sizeof(float));
		break;
	case GGML_TYPE_F16: {
		const uint16_t *h = row;
		for (size_t i = 0; i < n; i++)
			out[i] = llm_f16_to_f32(h[i]);
		break;
	}
	case GGML_TYPE_Q8_0: {
		const uint8_t *b = row;
		for (size_t i = 0; i < n; i += QK8_0, b += Q8_0_BLOCK_BYTES) {
			uint16_t dh;
			memcpy(&dh, b, 2);
			const float d = llm_f16_to_f32(dh);
			const v8f dv = {d, d, d, d, d, d, d, d};
			for (unsigned j = 0; j < QK8_0; j += 8) {
				v8i8 q;
				memcpy(&q, b + 2 + j, 8);
				v8f f = __builtin_convertvector(q, v8f) * dv;
				memcpy(out + i + j, &f, sizeof(f));
			}
		}
		break;
	}
	}
}

float llm_dot_f32(const float *a, const float *b, size_t n)
{
	v8f acc0 = {0}, acc1 = {0};
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		v8f x0, y0, x1, y1;
		memcpy(&x0, a + i, 32);
		memcpy(&y0, b + i, 32);
		memcpy(&x1, a + i + 8, 32);
		memcpy(&y1, b + i + 8, 32);
		acc0 += x0 * y0;
		acc1 += x1 * y1;
	}
	acc0 += acc1;
	float s = ((acc0[0] + acc0[4]) + (acc0[1] + acc0[5])) +
		  ((acc0[2] + acc0[6]) + (acc0[3] + acc0[7]));
	for (; i < n; i++)
		s += a[i] * b[i];
	return s;
}

/*
 * q8_0 rows are expanded in a permuted order that plain vector shifts can
 * produce without widening instructions (SSE2 has none for int8): within
 * each group of 16 elements, the order is
 *   0 4 8 12 | 2 6 10 14 | 1 5 9 13 | 3 7 11 15.
 * The activations are permuted the same way once per matmul
 * (llm_perm16()), so dot products are unchanged up to summation order.
 */
static const uint8_t perm16[16] = {0, 4, 8, 12, 2, 6, 10, 14,
				   1, 5, 9, 13, 3, 7, 11, 15};

void llm_perm16(const float *x, float *out, size_t n)
{
	for (size_t i = 0; i < n; i += 16)
		for (unsigned j = 0; j < 16; j++)
			out[i + j] = x[i + perm16[j]];
}

void llm_q8_0_row_to_f32_perm(const void *row, float *out, size_t n)
{
	const uint8_t *b = row;

	for (size_t i = 0; i < n; i += QK8_0, b += Q8_0_BLOCK_BYTES) {
		uint16_t dh;
		memcpy(&dh, b, 2);
		const float d = llm_f16_to_f32(dh);
		const v4f dv = {d, d, d, d};
		for (unsigned h = 0; h < 2; h++) {
			v8i16 w;
			memcpy(&w, b + 2 + 16 * h, 16);
			/* sign-extend even and odd bytes to 16 bits */
			/* (left shifts on unsigned lanes: no signed overflow) */
			const v8i16 ev = (v8i16)((v8u16)w << 8) >> 8, od = w >> 8;
			const v4i32 e = (v4i32)ev, o = (v4i32)od;
			const v4i32 q[4] = {(v4i32)((v4u32)e << 16) >> 16, e >> 16,
					    (v4i32)((v4u32)o << 16) >> 16, o >> 16};
			for (unsigned k = 0; k < 4; k++) {
				v4f f = __builtin_convertvector(q[k], v4f) * dv;
				memcpy(out + i + 16 * h + 4 * k, &f, 16);
			}
		}
	}
}

float llm_q8_0_dot_perm(const void *row, const float *xperm, size_t n)
{
	const uint8_t *b = row;
	v4f acc = {0, 0, 0, 0};

	for (size_t i = 0; i < n; i += QK8_0, b += Q8_0_BLOCK_BYTES) {
		uint16_t dh;
		memcpy(&dh, b, 2);
		const float d = llm_f16_to_f32(dh);
		v4f bs0 = {0, 0, 0, 0}, bs1 = {0, 0, 0, 0};
		for (unsigned h = 0; h < 2; h++) {
			v8i16 w;
			memcpy(&w, b + 2 + 16 * h, 16);
			const v8i16 ev = (v8i16)((v8u16)w << 8) >> 8, od = w >> 8;
			const v4i32 e = (v4i32)ev, o = (v4i32)od;
			v4f x0, x1, x2, x3;
			memcpy(&x0, xperm + i + 16 * h, 16);
			memcpy(&x1, xperm + i + 16 * h + 4, 16);
			memcpy(&x2, xperm + i + 16 * h + 8, 16);
			memcpy(&x3, xperm + i + 16 * h + 12, 16);
			bs0 += __builtin_convertvector((v4i32)((v4u32)e << 16) >> 16, v4f) * x0;
			bs1 += __builtin_convertvector(e >> 16, v4f) * x1;
			bs0 += __builtin_convertvector((v4i32)((v4u32)o << 16) >> 16, v4f) * x2;
			bs1 += __builtin_convertvector(o >> 16, v4f) * x3;
		}
		const v4f dv = {d, d, d, d};
		acc += (bs0 + bs1) * dv;
	}
	return (acc[0] + acc[2]) + (acc[1] + acc[3]);
}

void llm_dot4_f32(const float *w, const float *x, size_t stride, size_t n,
		  float out[4])
{
	v4f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
	v4f b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0};
	const float *x0 = x, *x1 = x + stride, *x2 = x + 2 * stride,
		    *x3 = x + 3 * stride;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		v4f w0, w1, y;
		memcpy(&w0, w + i, 16);
		memcpy(&w1, w + i + 4, 16);
		memcpy(&y, x0 + i, 16); a0 += w0 * y;
		memcpy(&y, x0 + i + 4, 16); b0 += w1 * y;
		memcpy(&y, x1 + i, 16); a1 += w0 * y;
		memcpy(&y, x1 + i + 4, 16); b1 += w1 * y;
		memcpy(&y, x2 + i, 16); a2 += w0 * y;
		memcpy(&y, x2 + i + 4, 16); b2 += w1 * y;
		memcpy(&y, x3 + i, 16); a3 += w0 * y;
		memcpy(&y, x3 + i + 4, 16); b3 += w1 * y;
	}
	a0 += b0; a1 += b1; a2 += b2; a3 += b3;
	out[0] = (a0[0] + a0[2]) + (a0[1] + a0[3]);
	out[1] = (a1[0] + a1[2]) + (a1[1] + a1[3]);
	out[2] = (a2[0] + a2[2]) + (a2[1] + a2[3]);
	out[3] = (a3[0] + a3[2]) + (a3[1] + a3[3]);
	for (; i < n; i++) {
		out[0] += w[i] * x0[i];
		out[1] += w[i] * x1[i];
		out[2] += w[i] * x2[i];
		out[3] += w[i] * x3[i];
	}
}
