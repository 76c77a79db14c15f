/*
 * SHA-256 (FIPS 180-4 section 6.2), written for freestanding firmware.
 * Byte-wise big-endian loads/stores keep it independent of alignment and
 * host endianness, which matters with the MMU off (Device memory).
 */
#include <sha256.h>
#include <string.h>

static const uint32_t k[64] = {
	0x428a2f98U, 0x71374491U, 0xb5c0fbcfU, 0xe9b5dba5U, 0x3956c25bU, 0x59f111f1U,
	0x923f82a4U, 0xab1c5ed5U, 0xd807aa98U, 0x12835b01U, 0x243185beU, 0x550c7dc3U,
	0x72be5d74U, 0x80deb1feU, 0x9bdc06a7U, 0xc19bf174U, 0xe49b69c1U, 0xefbe4786U,
	0x0fc19dc6U, 0x240ca1ccU, 0x2de92c6fU, 0x4a7484aaU, 0x5cb0a9dcU, 0x76f988daU,
	0x983e5152U, 0xa831c66dU, 0xb00327c8U, 0xbf597fc7U, 0xc6e00bf3U, 0xd5a79147U,
	0x06ca6351U, 0x14292967U, 0x27b70a85U, 0x2e1b2138U, 0x4d2c6dfcU, 0x53380d13U,
	0x650a7354U, 0x766a0abbU, 0x81c2c92eU, 0x92722c85U, 0xa2bfe8a1U, 0xa81a664bU,
	0xc24b8b70U, 0xc76c51a3U, 0xd192e819U, 0xd6990624U, 0xf40e3585U, 0x106aa070U,
	0x19a4c116U, 0x1e376c08U, 0x2748774cU, 0x34b0bcb5U, 0x391c0cb3U, 0x4ed8aa4aU,
	0x5b9cca4fU, 0x682e6ff3U, 0x748f82eeU, 0x78a5636fU, 0x84c87814U, 0x8cc70208U,
	0x90befffaU, 0xa4506cebU, 0xbef9a3f7U, 0xc67178f2U,
};

static uint32_t rotr(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32U - n));
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64];
	uint32_t a, b, c, d, e, f, g, hh;
	unsigned int t;

	for (t = 0U; t < 16U; t++) {
		w[t] = ((uint32_t)p[4U * t] << 24) | ((uint32_t)p[4U * t + 1U] << 16) |
		       ((uint32_t)p[4U * t + 2U] << 8) | (uint32_t)p[4U * t + 3U];
	}
	for (t = 16U; t < 64U; t++) {
		uint32_t s0 = rotr(w[t - 15U], 7) ^ rotr(w[t - 15U], 18) ^ (w[t - 15U] >> 3);
		uint32_t s1 = rotr(w[t - 2U], 17) ^ rotr(w[t - 2U], 19) ^ (w[t - 2U] >> 10);

		w[t] = w[t - 16U] + s0 + w[t - 7U] + s1;
	}

	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (t = 0U; t < 64U; t++) {
		uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + s1 + ch + k[t] + w[t];
		uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = s0 + maj;

		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void sha256_init(struct sha256_ctx *ctx)
{
	static const uint32_t iv[8] = {
		0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
		0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U,
	};
	unsigned int i;

	for (i = 0U; i < 8U; i++) {
		ctx->h[i] = iv[i];
	}
	ctx->total_len = 0U;
	ctx->block_len = 0U;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;

	ctx->total_len += len;
	while (len > 0U) {
		size_t n = SHA256_BLOCK_SIZE - ctx->block_len;

		if (n > len) {
			n = len;
		}
		memcpy(&ctx->block[ctx->block_len], p, n);
		ctx->block_len += n;
		p += n;
		len -= n;
		if (ctx->block_len == SHA256_BLOCK_SIZE) {
			sha256_block(ctx->h, ctx->block);
			ctx->block_len = 0U;
		}
	}
}

void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = ctx->total_len * 8U;
	unsigned int i;

	/* Padding: 0x80, zeros, then the 64-bit big-endian bit length. */
	ctx->block[ctx->block_len++] = 0x80U;
	if (ctx->block_len > 56U) {
		memset(&ctx->block[ctx->block_len], 0, SHA256_BLOCK_SIZE - ctx->block_len);
		sha256_block(ctx->h, ctx->block);
		ctx->block_len = 0U;
	}
	memset(&ctx->block[ctx->block_len], 0, 56U - ctx->block_len);
	for (i = 0U; i < 8U; i++) {
		ctx->block[56U + i] = (uint8_t)(bits >> (56U - 8U * i));
	}
	sha256_block(ctx->h, ctx->block);

	for (i = 0U; i < 8U; i++) {
		out[4U * i] = (uint8_t)(ctx->h[i] >> 24);
		out[4U * i + 1U] = (uint8_t)(ctx->h[i] >> 16);
		out[4U * i + 2U] = (uint8_t)(ctx->h[i] >> 8);
		out[4U * i + 3U] = (uint8_t)ctx->h[i];
	}
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}
