/*
 * The attestation demo's realm program (host scenario "attest", test
 * fw_attest): three realms that check each other's attestation tokens
 * with libcaec's verifier before they grant and attach.  docs/firmware.md,
 * "Attestation", walks through it.
 */
#ifndef ATTEST_DEMO_H
#define ATTEST_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include <caec/attest.h>

/* Realm roles: x0 at entry (the host's realm index). */
#define ROLE_PROVIDER	0U	/* image A: shares, verifies, grants */
#define ROLE_CONSUMER	1U	/* image A: verifies the provider, attaches */
#define ROLE_STRANGER	2U	/* image B: another image, refused at ATTACH */
#define NR_REALMS	3U

/* ---- the host's blackboard (board.c) ----------------------------------- */

/* Host calls, answered by host/scenarios/attest.c (and host/lib/csm.c). */
#define HC_POST		0xC501U	/* x0 key, x1 value (u64 keys < 64) */
#define HC_GET		0xC502U	/* x0 key -> x0 value, 0 if none */
#define HC_BLOB_PUT	0xC510U	/* x0 key, x1 offset, x2 bytes, x3 total, x4.. data */
#define HC_BLOB_GET	0xC511U	/* x0 key, x1 offset -> x0 total, x1 bytes, x2.. data */
#define HC_WHO_AM_I	0xC512U	/* -> x0 this realm's index (its role) */
#define BLOB_CHUNK	(27U * 8U)

/* u64 keys */
#define KEY_ID(r)		(0x30U + (r))		/* realm r's realm ID */
#define KEY_GRANT(r)		(0x34U + (r))		/* the provider's grant to r */
#define KEY_DONE(r)		(0x38U + (r))		/* realm r is done */
/* blob keys (the host keeps them; it is the untrusted transport) */
#define BLOB_PLATFORM_KEY	0x100U			/* DER, from EL3 via the host */
#define BLOB_CHALLENGE(v, t)	(0x110U + (v) * 4U + (t))	/* v's nonce for t */
#define BLOB_TOKEN(t, v)	(0x130U + (t) * 4U + (v))	/* t's token for v */

/* The role the host gives this realm (not measured: realm0 and realm1 share one RIM). */
unsigned int board_who_am_i(void);
void board_post(uint64_t key, uint64_t value);
/* Yield to the host until key is posted; its value. */
uint64_t board_wait(uint64_t key);
void blob_put(uint64_t key, const uint8_t *data, size_t len);
/* Yield until the blob exists; its length (at most cap copied). */
size_t blob_wait(uint64_t key, uint8_t *out, size_t cap);

/* ---- tokens (token.c) -------------------------------------------------- */

#define TOKEN_CAP	12288U

/*
 * This realm's token for a challenge, from RSI_ATTESTATION_TOKEN_*; 0 or
 * -1.  *sign_ms: how long the first CONTINUE (the RMM's signature) took.
 */
int token_get(const uint8_t challenge[CAEC_CHALLENGE_SIZE], uint8_t *tok, size_t *len,
	      uint64_t *sign_ms);
/* The token as hex lines between CAEC-TOKEN-BEGIN and CAEC-TOKEN-END. */
void token_print(const uint8_t *tok, size_t len);
/*
 * The platform key the host handed over (DER), if its SHA-256 is the key
 * id in the platform token of `own` (a token this realm got from its own
 * RMM): 0, or -1 with the reason printed.
 */
int trust_anchor(const uint8_t *own, size_t own_len, const uint8_t *der, size_t der_len);
/*
 * libcaec's caec_token_verify() of a peer's token: the trusted platform
 * key, our challenge, the peer's realm ID, the expected RIM (NULL: any),
 * and, if grant != 0, a relation `grant` naming `grant_peer`.
 */
int verify_peer(const uint8_t *tok, size_t len, const uint8_t challenge[CAEC_CHALLENGE_SIZE],
		uint64_t peer_id, const uint8_t *rim, uint64_t grant, uint64_t grant_peer,
		struct caec_token_claims *claims);

/* ---- small things (board.c) ------------------------------------------- */

void random_bytes(uint8_t *out, size_t n);	/* RNDR */
void print_hex(const char *what, const uint8_t *p, size_t n);
uint64_t ms_since(uint64_t t0);			/* CNTVCT-based */
uint64_t now(void);

#endif /* ATTEST_DEMO_H */
