/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The token issuer used by the simulated RMM (caec-simd): the platform key
 * (CPAK) and realm attestation key (RAK), the platform token signed once at
 * creation, and realm tokens signed per request.  HOST-ONLY (key files,
 * malloc, the OS entropy source); the encoding is encode.c's, which the
 * firmware uses too.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include <caec/version.h>

/* Claims of the simulated platform that do not depend on its keys. */
#define SIM_CONFIG "caec-sim"
#define SIM_VERIFICATION_SERVICE "urn:caec:simulated-platform"
#define SIM_SW_TYPE "caec-simd"
#define SIM_SW_VERSION CAEC_VERSION_STRING /* caec-simd is built with libcaec */
#define SIM_IMPL_LABEL "caec simulated CCA platform"

/* Room for the platform token (about 600 bytes). */
#define PLAT_TOKEN_MAX 2048u

/* Deterministic entropy for token_signer_create_seeded(). */
struct det_entropy {
	uint8_t seed[64];
	uint64_t counter;
};

struct token_signer {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	struct det_entropy det;
	mbedtls_pk_context cpak;
	mbedtls_pk_context rak;
	char cpak_pem[TOKEN_PEM_MAX];      /* public key, PEM SPKI */
	size_t cpak_pem_len;
	uint8_t kid[TOKEN_KID_SIZE];       /* SHA-256(CPAK SPKI DER) */
	uint8_t rak_cose[128];             /* realm claim 44237 content */
	size_t rak_cose_len;
	uint8_t *plat_token;               /* platform COSE_Sign1_Tagged */
	size_t plat_len;
	uint32_t lifecycle;                /* PSA security lifecycle claim */
};

static int det_entropy_fn(void *ctx, unsigned char *out, size_t len)
{
	struct det_entropy *d = ctx;

	while (len) {
		uint8_t in[72], block[64];
		memcpy(in, d->seed, 64);
		memcpy(in + 64, &d->counter, 8);
		d->counter++;
		if (mbedtls_sha512_ret(in, sizeof(in), block, 0) != 0)
			return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
		size_t n = len < sizeof(block) ? len : sizeof(block);
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	return 0;
}

static bool is_p384(mbedtls_pk_context *pk)
{
	return mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY &&
	       mbedtls_pk_ec(*pk)->grp.id == MBEDTLS_ECP_DP_SECP384R1;
}

static int gen_key(struct token_signer *s, mbedtls_pk_context *pk)
{
	int rc = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));

	if (!rc)
		rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, mbedtls_pk_ec(*pk),
					 mbedtls_ctr_drbg_random, &s->drbg);
	return token_err(rc, TOKEN_SITE_CRYPTO);
}

static int load_key(mbedtls_pk_context *pk, const char *path)
{
	int rc = mbedtls_pk_parse_keyfile(pk, path, NULL);

	if (rc)
		return token_err(rc, TOKEN_SITE_KEYPARSE);
	if (!is_p384(pk))
		return CAEC_E_INVAL;
	/* The public point (from the file) must be d*G. */
	rc = mbedtls_ecp_check_pub_priv(mbedtls_pk_ec(*pk), mbedtls_pk_ec(*pk));
	return token_err(rc, TOKEN_SITE_KEYPARSE);
}

/* RAK as a COSE_Key: {1: 2 (EC2), -1: 2 (P-384), -2: x, -3: y}. */
static int make_rak_cose(struct token_signer *s)
{
	mbedtls_ecp_keypair *kp = mbedtls_pk_ec(s->rak);
	uint8_t pt[CAEC_TOKEN_RAK_SIZE];
	size_t olen;
	int rc = mbedtls_ecp_point_write_binary(&kp->grp, &kp->Q,
						MBEDTLS_ECP_PF_UNCOMPRESSED,
						&olen, pt, sizeof(pt));

	if (rc || olen != sizeof(pt))
		return token_err(rc ? rc : -1, TOKEN_SITE_CRYPTO);
	return token_encode_rak(pt, s->rak_cose, sizeof(s->rak_cose),
				&s->rak_cose_len);
}

static int sha256(const void *p, size_t n, uint8_t out[32])
{
	return token_err(mbedtls_sha256_ret(p, n, out, 0), TOKEN_SITE_CRYPTO);
}

/* Public key PEM and kid of the CPAK. */
static int describe_cpak(struct token_signer *s)
{
	uint8_t der[256];
	int n = mbedtls_pk_write_pubkey_der(&s->cpak, der, sizeof(der));

	if (n <= 0)
		return token_err(n ? n : -1, TOKEN_SITE_CRYPTO);
	int rc = sha256(der + sizeof(der) - (size_t)n, (size_t)n, s->kid);
	if (rc)
		return rc;
	rc = mbedtls_pk_write_pubkey_pem(&s->cpak, (unsigned char *)s->cpak_pem,
					 sizeof(s->cpak_pem));
	if (rc)
		return token_err(rc, TOKEN_SITE_CRYPTO);
	s->cpak_pem_len = strlen(s->cpak_pem);
	return 0;
}

/* Sign the platform token, bound to the RAK: challenge = SHA-256(RAK). */
static int make_platform_token(struct token_signer *s)
{
	uint8_t challenge[32], meas[32];
	struct token_platform_claims pc;
	const struct token_sw_component sw = {
		.type = SIM_SW_TYPE,
		.measurement = meas,
		.measurement_len = sizeof(meas),
		.version = SIM_SW_VERSION,
		.signer_id = s->kid,
		.signer_id_len = sizeof(s->kid),
		.hash_algo = "sha-256",
	};
	struct token_sign1_layout l;
	uint8_t *buf;
	size_t n;
	int rc;

	memset(&pc, 0, sizeof(pc));
	rc = sha256(s->rak_cose, s->rak_cose_len, challenge);
	if (!rc)
		rc = sha256(SIM_IMPL_LABEL, strlen(SIM_IMPL_LABEL),
			    pc.implementation_id);
	if (!rc)
		rc = sha256(SIM_SW_TYPE " " SIM_SW_VERSION,
			    strlen(SIM_SW_TYPE " " SIM_SW_VERSION), meas);
	if (rc)
		return rc;
	pc.challenge = challenge;
	pc.challenge_len = sizeof(challenge);
	pc.instance_id[0] = 0x01; /* EAT UEID type: RAND */
	memcpy(pc.instance_id + 1, s->kid, 32);
	pc.config = (const uint8_t *)SIM_CONFIG;
	pc.config_len = strlen(SIM_CONFIG);
	pc.lifecycle = s->lifecycle;
	pc.n_sw_components = 1;
	pc.sw_components = &sw;
	pc.verification_service = SIM_VERIFICATION_SERVICE;
	pc.hash_algo = "sha-256";

	buf = malloc(PLAT_TOKEN_MAX);
	if (!buf)
		return CAEC_E_NOMEM;
	rc = token_encode_platform_claims(&pc, buf, PLAT_TOKEN_MAX, &n);
	if (!rc)
		rc = token_sign1_frame(buf, PLAT_TOKEN_MAX, n, s->kid, &l);
	if (!rc)
		rc = token_sign1_sign(buf, &l, mbedtls_pk_ec(s->cpak),
				      mbedtls_ctr_drbg_random, &s->drbg);
	if (rc) {
		free(buf);
		return rc;
	}
	/* The caller owns the previous token (token_signer_set_lifecycle). */
	s->plat_token = buf;
	s->plat_len = l.len;
	return 0;
}

static int signer_new(struct token_signer **out)
{
	struct token_signer *s = calloc(1, sizeof(*s));

	if (!s)
		return CAEC_E_NOMEM;
	mbedtls_entropy_init(&s->entropy);
	mbedtls_ctr_drbg_init(&s->drbg);
	mbedtls_pk_init(&s->cpak);
	mbedtls_pk_init(&s->rak);
	s->lifecycle = TOKEN_LIFECYCLE_SECURED;
	*out = s;
	return 0;
}

int token_signer_set_lifecycle(struct token_signer *s, uint32_t lifecycle)
{
	if (!s || lifecycle > 0xffff)
		return CAEC_E_INVAL;
	uint8_t *old = s->plat_token;
	size_t old_len = s->plat_len;
	uint32_t old_lc = s->lifecycle;
	s->lifecycle = lifecycle;
	int rc = make_platform_token(s);
	if (rc) {
		s->plat_token = old;
		s->plat_len = old_len;
		s->lifecycle = old_lc;
		return rc;
	}
	free(old);
	return 0;
}

static int signer_finish(struct token_signer *s, const char *cpak_path,
			 const char *rak_path)
{
	int rc = cpak_path ? load_key(&s->cpak, cpak_path) : gen_key(s, &s->cpak);

	if (!rc)
		rc = rak_path ? load_key(&s->rak, rak_path) : gen_key(s, &s->rak);
	if (!rc)
		rc = describe_cpak(s);
	if (!rc)
		rc = make_rak_cose(s);
	if (!rc)
		rc = make_platform_token(s);
	return rc;
}

int token_signer_create(struct token_signer **out, const char *cpak_path,
			const char *rak_path)
{
	static const char pers[] = "caec token signer";
	struct token_signer *s;
	int rc;

	if (!out)
		return CAEC_E_INVAL;
	rc = signer_new(&s);
	if (rc)
		return rc;
	rc = mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy,
				   (const unsigned char *)pers, sizeof(pers) - 1);
	rc = token_err(rc, TOKEN_SITE_ENTROPY);
	if (!rc)
		rc = signer_finish(s, cpak_path, rak_path);
	if (rc) {
		token_signer_destroy(s);
		return rc;
	}
	*out = s;
	return 0;
}

int token_signer_create_seeded(struct token_signer **out, const uint8_t *seed,
			       size_t seed_len)
{
	struct token_signer *s;
	int rc;

	if (!out || (!seed && seed_len))
		return CAEC_E_INVAL;
	rc = signer_new(&s);
	if (rc)
		return rc;
	rc = token_err(mbedtls_sha512_ret(seed, seed_len, s->det.seed, 0),
		       TOKEN_SITE_CRYPTO);
	if (!rc)
		rc = token_err(mbedtls_ctr_drbg_seed(&s->drbg, det_entropy_fn,
						     &s->det, NULL, 0),
			       TOKEN_SITE_ENTROPY);
	if (!rc)
		rc = signer_finish(s, NULL, NULL);
	if (rc) {
		token_signer_destroy(s);
		return rc;
	}
	*out = s;
	return 0;
}

void token_signer_destroy(struct token_signer *s)
{
	if (!s)
		return;
	mbedtls_pk_free(&s->cpak); /* mbedTLS zeroizes key material */
	mbedtls_pk_free(&s->rak);
	mbedtls_ctr_drbg_free(&s->drbg);
	mbedtls_entropy_free(&s->entropy);
	free(s->plat_token);
	mbedtls_platform_zeroize(s, sizeof(*s));
	free(s);
}

int token_signer_platform_pubkey(const struct token_signer *s, char *buf,
				 size_t cap)
{
	if (!s || !buf)
		return CAEC_E_INVAL;
	if (cap < s->cpak_pem_len + 1)
		return CAEC_E_MSGSIZE;
	memcpy(buf, s->cpak_pem, s->cpak_pem_len + 1);
	return (int)s->cpak_pem_len;
}

static int write_pem(mbedtls_pk_context *pk, const char *path)
{
	unsigned char pem[TOKEN_PEM_MAX * 2];
	int rc = mbedtls_pk_write_key_pem(pk, pem, sizeof(pem));

	if (rc)
		return token_err(rc, TOKEN_SITE_CRYPTO);
	size_t len = strlen((char *)pem);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = CAEC_E_PLATFORM;
	} else {
		size_t off = 0;
		while (off < len) {
			ssize_t n = write(fd, pem + off, len - off);
			if (n <= 0) {
				rc = CAEC_E_PLATFORM;
				break;
			}
			off += (size_t)n;
		}
		if (close(fd) != 0)
			rc = CAEC_E_PLATFORM;
	}
	mbedtls_platform_zeroize(pem, sizeof(pem));
	return rc;
}

int token_signer_save_keys(struct token_signer *s, const char *cpak_path,
			   const char *rak_path)
{
	int rc = 0;

	if (!s)
		return CAEC_E_INVAL;
	if (cpak_path)
		rc = write_pem(&s->cpak, cpak_path);
	if (!rc && rak_path)
		rc = write_pem(&s->rak, rak_path);
	return rc;
}

int token_issue(struct token_signer *s, const struct token_realm_claims *c,
		const uint8_t *challenge, uint8_t **out, size_t *out_len)
{
	struct token_sign1_layout l;
	size_t n, shift, len;
	uint8_t *buf;
	int rc;

	if (!s || !c || !challenge || !out || !out_len)
		return CAEC_E_INVAL;
	rc = token_check_realm_claims(c, &n);
	if (rc)
		return rc;
	/* Verifiers refuse anything larger (token_decode): no room past it. */
	buf = malloc(CAEC_TOKEN_MAX_SIZE);
	if (!buf)
		return CAEC_E_NOMEM;
	rc = token_encode_realm_claims(c, challenge, s->rak_cose, s->rak_cose_len,
				       buf, CAEC_TOKEN_MAX_SIZE, &n);
	if (!rc)
		rc = token_sign1_frame(buf, CAEC_TOKEN_MAX_SIZE, n, NULL, &l);
	if (!rc)
		rc = token_collection_frame(buf, CAEC_TOKEN_MAX_SIZE, l.len,
					    s->plat_token, s->plat_len, &shift,
					    &len);
	if (!rc) {
		token_sign1_layout_shift(&l, shift);
		rc = token_sign1_sign(buf, &l, mbedtls_pk_ec(s->rak),
				      mbedtls_ctr_drbg_random, &s->drbg);
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*out_len = len;
	return 0;
}
