/*
 * The RMM's attestation context (attest.h): the RAK, its claim, the
 * platform token, and the realm token's encoding and signature.
 */
#include <arch_rmm.h>
#include <attest.h>
#include <plat.h>
#include <sha256.h>
#include <string.h>

#include <mbedtls/ecp.h>

enum attest_state {
	ATTEST_UNINIT = 0,
	ATTEST_READY,
	ATTEST_FAILED,
};

static struct {
	spinlock_t lock;		/* attest_ready() on two CPUs */
	uint32_t state;			/* enum attest_state */
	mbedtls_ecp_keypair rak;
	uint8_t rak_cose[128];		/* realm claim 44237: the RAK as a COSE_Key */
	size_t rak_cose_len;
	uint8_t plat_token[ATTEST_PLAT_TOKEN_MAX];
	size_t plat_len;
} att;

/* mbedTLS's random source: the platform's RNDR. */
static int attest_rng(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	return plat_entropy(out, len);
}

void attest_reset(void)
{
	/* A native reset forgets a previous boot's key (mbedTLS zeroizes). */
	if (att.state == ATTEST_READY) {
		plat_crypto_begin();
		mbedtls_ecp_keypair_free(&att.rak);
		plat_crypto_end();
	}
	memset(&att, 0, sizeof(att));
}

/*
 * Under the crypto guard: the RAK from its private scalar (the public
 * point is d * G), its COSE_Key claim, then the platform token whose
 * challenge is the claim's SHA-256 (the binding verifiers check).
 */
static int fetch(void)
{
	uint8_t d[TOKEN_P384_COORD], point[CAEC_TOKEN_RAK_SIZE], challenge[SHA256_DIGEST_SIZE];
	size_t n = 0U;
	int rc;

	if (plat_el3_realm_attest_key(d) != 0) {
		return -1;
	}
	mbedtls_ecp_keypair_init(&att.rak);
	rc = mbedtls_ecp_group_load(&att.rak.grp, MBEDTLS_ECP_DP_SECP384R1);
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary(&att.rak.d, d, sizeof(d));
	}
	memset(d, 0, sizeof(d));
	if (rc == 0) {
		rc = mbedtls_ecp_check_privkey(&att.rak.grp, &att.rak.d);
	}
	if (rc == 0) {
		rc = mbedtls_ecp_mul(&att.rak.grp, &att.rak.Q, &att.rak.d, &att.rak.grp.G,
				     attest_rng, NULL);
	}
	if (rc == 0) {
		rc = mbedtls_ecp_point_write_binary(&att.rak.grp, &att.rak.Q,
						    MBEDTLS_ECP_PF_UNCOMPRESSED, &n, point,
						    sizeof(point));
	}
	if (rc == 0 && n == sizeof(point)) {
		rc = token_encode_rak(point, att.rak_cose, sizeof(att.rak_cose), &att.rak_cose_len);
	} else if (rc == 0) {
		rc = -1;
	}
	if (rc == 0) {
		sha256(att.rak_cose, att.rak_cose_len, challenge);
		rc = plat_el3_platform_token(challenge, sizeof(challenge), att.plat_token,
					     sizeof(att.plat_token), &att.plat_len);
	}
	if (rc != 0) {
		mbedtls_ecp_keypair_free(&att.rak);
	}
	return rc;
}

bool attest_ready(void)
{
	bool ok;

	spinlock_acquire(&att.lock);
	if (att.state == ATTEST_UNINIT) {
		plat_crypto_begin();
		att.state = (fetch() == 0) ? ATTEST_READY : ATTEST_FAILED;
		plat_crypto_end();
	}
	ok = att.state == ATTEST_READY;
	spinlock_release(&att.lock);
	return ok;
}

int attest_token_encode(const struct token_realm_claims *c,
			const uint8_t challenge[CAEC_CHALLENGE_SIZE], uint8_t *buf, size_t cap,
			size_t *len, struct token_sign1_layout *l)
{
	size_t n, shift;
	int rc;

	if (__atomic_load_n(&att.state, __ATOMIC_ACQUIRE) != ATTEST_READY) {
		return CAEC_E_PLATFORM;
	}
	rc = token_encode_realm_claims(c, challenge, att.rak_cose, att.rak_cose_len, buf, cap,
				       &n);
	if (rc == 0) {
		rc = token_sign1_frame(buf, cap, n, NULL, l);
	}
	if (rc == 0) {
		rc = token_collection_frame(buf, cap, l->len, att.plat_token, att.plat_len,
					    &shift, len);
	}
	if (rc == 0) {
		token_sign1_layout_shift(l, shift);
	}
	return rc;
}

int attest_token_sign(uint8_t *buf, const struct token_sign1_layout *l)
{
	int rc;

	if (__atomic_load_n(&att.state, __ATOMIC_ACQUIRE) != ATTEST_READY) {
		return CAEC_E_PLATFORM;
	}
	plat_crypto_begin();
	rc = token_sign1_sign(buf, l, &att.rak, attest_rng, NULL);
	plat_crypto_end();
	return rc;
}
