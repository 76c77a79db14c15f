/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file share.h
 * @brief One copy of the model weights for many realms, on libcaec.
 *
 * Provider realm: llm_share_provide() creates a region sized to the GGUF
 * file rounded up to a granule (caec_share), reads the file into it, and
 * seals it (caec_seal: read-only for everyone, content hashed by the
 * platform).  For each consumer it sends a fresh challenge, verifies the
 * consumer's attestation token (caec_verify_peer) and only then grants the
 * region read-only (llm_share_grant_verified).
 *
 * Consumer realm: llm_share_token() answers the challenge; then
 * llm_share_attach() attaches the grant, requiring the sealed-content hash
 * it was told out of band (the platform refuses the attach otherwise), and
 * the engine runs directly on caec_region_addr() -- no copy.
 *
 * The realm IDs, challenges, tokens, grant IDs and the hash travel
 * out-of-band (caec-gpt2 serve speaks a line protocol on stdin/stdout; the
 * benchmark and tests drive it).
 */
#ifndef CAEC_LLM_SHARE_H
#define CAEC_LLM_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include <caec/caec.h>

/**
 * @brief Provider: region <- file, sealed.
 * @param[out] r         the region (pair with caec_unshare()).
 * @param[out] hash      receives the sealed-content hash (CAEC_HASH_MAX).
 * @param[out] file_size the model's size (the image to parse).
 * @returns the hash length (> 0), or a negative caec_err (with err set);
 *          CAEC_E_INVAL for an unreadable file.
 */
int llm_share_provide(struct caec_ctx *ctx, const char *path,
		      struct caec_region **r, uint8_t *hash,
		      size_t *file_size, char *err, size_t errlen);

/** @brief A fresh random challenge (CAEC_CHALLENGE_SIZE bytes). */
int llm_share_challenge(uint8_t *challenge);

/**
 * @brief Consumer: this realm's attestation token for a challenge.
 * @returns the token length or a negative caec_err.
 */
int llm_share_token(struct caec_ctx *ctx, const uint8_t *challenge,
		    uint8_t *buf, size_t cap);

/**
 * @brief Provider: verify a consumer's token (for our challenge, carrying
 *        its realm ID, signed by the platform) and grant read-only.
 * @returns CAEC_OK or the caec_err of verification / caec_grant().
 */
int llm_share_grant_verified(struct caec_ctx *ctx, struct caec_region *r,
			     uint64_t consumer, const uint8_t *challenge,
			     const uint8_t *token, size_t len,
			     uint64_t *grant_id);

/**
 * @brief Consumer: attach read-only, requiring the sealed hash.
 * @returns CAEC_OK or a caec_err (CAEC_E_HASH if the content differs).
 */
int llm_share_attach(struct caec_ctx *ctx, uint64_t grant_id,
		     const uint8_t *hash, size_t hash_len,
		     struct caec_region **r);

/** @brief Hex helpers for the line protocol.  Return bytes/chars written. */
size_t llm_hex_encode(const uint8_t *p, size_t n, char *out);
long llm_hex_decode(const char *s, uint8_t *out, size_t cap);

#endif /* CAEC_LLM_SHARE_H */
