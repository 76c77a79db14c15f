/*
 * SHA-256 written from the FIPS 180-4 description (section 6.2).  Used by the
 * RMM for the Realm Initial Measurement and by the host to predict it.  Works
 * on byte streams; no alignment assumption so it runs with the MMU off.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32U
#define SHA256_BLOCK_SIZE 64U

struct sha256_ctx {
	uint32_t h[8];
	uint64_t total_len;		/* bytes hashed so far */
	uint8_t block[SHA256_BLOCK_SIZE];
	size_t block_len;		/* bytes buffered in block[] */
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
/* One-shot helper. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

#endif /* SHA256_H */
