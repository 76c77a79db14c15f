/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_core/hex.h -- the value of one hexadecimal digit.
 *
 * The one copy for the layers that read hex text: caec-token's options
 * (tools/), the LLM example's wire lines (examples/llm/share.c) and
 * caec-simd's --rpv option (backends/sim/simd/policy.c).  Header-only and
 * freestanding.
 */
#ifndef CAEC_CORE_HEX_H
#define CAEC_CORE_HEX_H

/* 0..15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for any other character. */
static inline int ca_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* CAEC_CORE_HEX_H */
