/*
 * The RMM's realm attestation (RMM v1.0 A7.2): its realm attestation key
 * (RAK) and the platform token, fetched from EL3 through the platform
 * (plat.h: the RMM-EL3 interface on QEMU, a fake EL3 natively), and the
 * realm token, encoded and signed by core/token's portable encoder: the
 * same code as caec-simd's, so one format and one set of claim keys
 * (docs/attestation.md).
 *
 * The RAK and the platform token are fetched the first time a realm asks
 * for a token (attest_ready), not at boot: P-384 arithmetic costs tens of
 * milliseconds under QEMU's TCG, and most runs never attest.
 *
 * Every function below that touches mbedTLS enters the platform's crypto
 * guard itself (plat_crypto_begin/end); callers hold no granule lock
 * while they run, except where noted.
 */
#ifndef ATTEST_H
#define ATTEST_H

#include <fw_utils.h>
#include <token/token.h>

/*
 * RMI_REC_AUX_COUNT: a REC's auxiliary granules hold its token between
 * RSI_ATTESTATION_TOKEN_CONTINUE calls.  12 KB: the largest token the RMM
 * can make is about 8.4 KB (64 CSM relations, each sealed with a 64-byte
 * hash, SHA-512 measurements; docs/attestation.md).
 */
#define ATTEST_AUX_GRANULES	3U
#define ATTEST_TOKEN_MAX	(ATTEST_AUX_GRANULES * GRANULE_SIZE)
/* The platform token from EL3 (about 800 bytes on QEMU). */
#define ATTEST_PLAT_TOKEN_MAX	2048U

/* Forget the keys and token (boot, and every native test reset). */
void attest_reset(void);

/*
 * Fetch the RAK and the platform token from EL3 once (any CPU, no lock
 * held): true when they are there.  A failure is remembered: the RMM then
 * answers every token request with RSI_ERROR_UNKNOWN.
 */
bool attest_ready(void);

/*
 * The realm token for claims `c` and `challenge`, with the platform
 * token, framed as the CCA collection in buf[0..*len), its signature
 * still zero; *l says where its parts are.  0 or a negative caec_err.
 * No crypto: no guard needed.
 */
int attest_token_encode(const struct token_realm_claims *c,
			const uint8_t challenge[CAEC_CHALLENGE_SIZE], uint8_t *buf, size_t cap,
			size_t *len, struct token_sign1_layout *l);

/* Sign the realm token of an encoded collection in place with the RAK. */
int attest_token_sign(uint8_t *buf, const struct token_sign1_layout *l);

#endif /* ATTEST_H */
