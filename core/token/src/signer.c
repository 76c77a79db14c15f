/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The token issuer used by the simulated RMM (caec-simd): the platform key
 * (CPAK) and realm attestation key (RAK), the platform token signed once at
 * creation, and realm tokens signed per request.
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

/* ES384 over the Sig_structure, r || s into sig. */
static int es384_sign(struct token_signer *s, mbedtls_pk_context *pk,
		      const uint8_t *prot, size_t prot_len,
		      const uint8_t *payload, size_t payload_len,
		      uint8_t sig[TOKEN_ES384_SIG_SIZE])
{
	mbedtls_ecp_keypair *kp = mbedtls_pk_ec(*pk);
	uint8_t hash[48];
	mbedtls_mpi r, sv;
	int rc = cose_tbs_hash(prot, prot_len, payload, payload_len, hash);

	if (rc)
		return rc;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&sv);
	rc = mbedtls_ecdsa_sign(&kp->grp, &r, &sv, &kp->d, hash, sizeof(hash),
				mbedtls_ctr_drbg_random, &s->drbg);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&r, sig, TOKEN_P384_COORD);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&sv, sig + TOKEN_P384_COORD,
					      TOKEN_P384_COORD);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&sv);
	return token_err(rc, TOKEN_SITE_CRYPTO);
}

/* Append COSE_Sign1_Tagged(prot, payload) signed with pk to w. */
static int sign1(struct token_signer *s, mbedtls_pk_context *pk,
		 const uint8_t *kid, const uint8_t *payload, size_t payload_len,
		 struct cwr *w)
{
	struct cwr prot;
	uint8_t sig[TOKEN_ES384_SIG_SIZE];
	int rc;

	cwr_init(&prot);
	cwr_map(&prot, kid ? 2 : 1);
	cwr_int(&prot, TOKEN_COSE_HDR_ALG);
	cwr_int(&prot, TOKEN_COSE_ALG_ES384);
	if (kid) {
		cwr_int(&prot, TOKEN_COSE_HDR_KID);
		cwr_bstr(&prot, kid, TOKEN_KID_SIZE);
	}
	rc = prot.err;
	if (!rc)
		rc = es384_sign(s, pk, prot.buf, prot.len, payload, payload_len, sig);
	if (!rc) {
		cwr_tag(w, TOKEN_TAG_COSE_SIGN1);
		cwr_array(w, 4);
		cwr_bstr(w, prot.buf, prot.len);
		cwr_map(w, 0); /* unprotected header: empty */
		cwr_bstr(w, payload, payload_len);
		cwr_bstr(w, sig, sizeof(sig));
		rc = w->err;
	}
	cwr_fini(&prot);
	return rc;
}

/* RAK as a COSE_Key: {1: 2 (EC2), -1: 2 (P-384), -2: x, -3: y}. */
static int make_rak_cose(struct token_signer *s)
{
	mbedtls_ecp_keypair *kp = mbedtls_pk_ec(s->rak);
	uint8_t pt[CAEC_TOKEN_RAK_SIZE];
	size_t olen;
	struct cwr w;
	int rc = mbedtls_ecp_point_write_binary(&kp->grp, &kp->Q,
						MBEDTLS_ECP_PF_UNCOMPRESSED,
						&olen, pt, sizeof(pt));

	if (rc || olen != sizeof(pt))
		return token_err(rc ? rc : -1, TOKEN_SITE_CRYPTO);
	cwr_init(&w);
	cwr_map(&w, 4);
	cwr_int(&w, TOKEN_COSE_KEY_KTY);
	cwr_int(&w, TOKEN_COSE_KTY_EC2);
	cwr_int(&w, TOKEN_COSE_KEY_CRV);
	cwr_int(&w, TOKEN_COSE_CRV_P384);
	cwr_int(&w, TOKEN_COSE_KEY_X);
	cwr_bstr(&w, pt + 1, TOKEN_P384_COORD);
	cwr_int(&w, TOKEN_COSE_KEY_Y);
	cwr_bstr(&w, pt + 1 + TOKEN_P384_COORD, TOKEN_P384_COORD);
	rc = w.err;
	if (!rc && w.len > sizeof(s->rak_cose))
		rc = CAEC_E_RANGE;
	if (!rc) {
		memcpy(s->rak_cose, w.buf, w.len);
		s->rak_cose_len = w.len;
	}
	cwr_fini(&w);
	return rc;
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
	uint8_t challenge[32], impl_id[32], instance_id[33], meas[32];
	struct cwr p, w;
	int rc;

	rc = sha256(s->rak_cose, s->rak_cose_len, challenge);
	if (!rc)
		rc = sha256(SIM_IMPL_LABEL, strlen(SIM_IMPL_LABEL), impl_id);
	if (!rc)
		rc = sha256(SIM_SW_TYPE " " SIM_SW_VERSION,
			    strlen(SIM_SW_TYPE " " SIM_SW_VERSION), meas);
	if (rc)
		return rc;
	instance_id[0] = 0x01; /* EAT UEID type: RAND */
	memcpy(instance_id + 1, s->kid, 32);

	cwr_init(&p);
	cwr_map(&p, 9);
	cwr_int(&p, TOKEN_PLAT_PROFILE);
	cwr_tstr(&p, TOKEN_PROFILE_PLATFORM);
	cwr_int(&p, TOKEN_PLAT_CHALLENGE);
	cwr_bstr(&p, challenge, sizeof(challenge));
	cwr_int(&p, TOKEN_PLAT_IMPLEMENTATION_ID);
	cwr_bstr(&p, impl_id, sizeof(impl_id));
	cwr_int(&p, TOKEN_PLAT_INSTANCE_ID);
	cwr_bstr(&p, instance_id, sizeof(instance_id));
	cwr_int(&p, TOKEN_PLAT_CONFIG);
	cwr_bstr(&p, SIM_CONFIG, strlen(SIM_CONFIG));
	cwr_int(&p, TOKEN_PLAT_LIFECYCLE);
	cwr_uint(&p, s->lifecycle);
	cwr_int(&p, TOKEN_PLAT_SW_COMPONENTS);
	cwr_array(&p, 1);
	cwr_map(&p, 5);
	cwr_int(&p, TOKEN_SWC_TYPE);
	cwr_tstr(&p, SIM_SW_TYPE);
	cwr_int(&p, TOKEN_SWC_MEASUREMENT);
	cwr_bstr(&p, meas, sizeof(meas));
	cwr_int(&p, TOKEN_SWC_VERSION);
	cwr_tstr(&p, SIM_SW_VERSION);
	cwr_int(&p, TOKEN_SWC_SIGNER_ID);
	cwr_bstr(&p, s->kid, sizeof(s->kid));
	cwr_int(&p, TOKEN_SWC_HASH_ALGO);
	cwr_tstr(&p, "sha-256");
	cwr_int(&p, TOKEN_PLAT_VERIFICATION_SERVICE);
	cwr_tstr(&p, SIM_VERIFICATION_SERVICE);
	cwr_int(&p, TOKEN_PLAT_HASH_ALGO);
	cwr_tstr(&p, "sha-256");
	rc = p.err;

	cwr_init(&w);
	if (!rc)
		rc = sign1(s, &s->cpak, s->kid, p.buf, p.len, &w);
	cwr_fini(&p);
	if (rc) {
		cwr_fini(&w);
		return rc;
	}
	s->plat_token = w.buf; /* ownership moves to s */
	s->plat_len = w.len;
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

static int check_claims(const struct token_realm_claims *c, size_t *digest)
{
	const char *algo = c->hash_algo ? c->hash_algo : "sha-256";

	*digest = token_hash_size(algo, NULL);
	if (*digest != 32 && *digest != 64)
		return CAEC_E_INVAL; /* CCA realms measure with SHA-256/512 */
	if (c->rim_len != *digest || c->rem_len != *digest)
		return CAEC_E_INVAL;
	if (c->n_relations > CAEC_TOKEN_MAX_RELATIONS ||
	    (c->n_relations && !c->relations))
		return CAEC_E_INVAL;
	for (size_t i = 0; i < c->n_relations; i++) {
		const struct token_relation *r = &c->relations[i];
		if (r->role != CAEC_TOKEN_ROLE_PROVIDER &&
		    r->role != CAEC_TOKEN_ROLE_CONSUMER)
			return CAEC_E_INVAL;
		if (r->sealed > 1)
			return CAEC_E_INVAL;
		/* The decoder accepts exactly these: never issue what it rejects. */
		if (r->perm != 0 && r->perm != CAEC_PERM_RO &&
		    r->perm != CAEC_PERM_RW)
			return CAEC_E_INVAL;
		if (r->sealed ? (r->hash_len == 0 || r->hash_len > CAEC_HASH_MAX)
			      : r->hash_len != 0)
			return CAEC_E_INVAL;
	}
	return 0;
}

static void put_relation(struct cwr *w, const struct token_relation *r)
{
	cwr_map(w, r->sealed ? 7 : 6);
	cwr_int(w, TOKEN_REL_REGION_ID);
	cwr_uint(w, r->region_id);
	cwr_int(w, TOKEN_REL_GRANT_ID);
	cwr_uint(w, r->grant_id);
	cwr_int(w, TOKEN_REL_PEER_ID);
	cwr_uint(w, r->peer_realm_id);
	cwr_int(w, TOKEN_REL_PERM);
	cwr_uint(w, r->perm);
	cwr_int(w, TOKEN_REL_ROLE);
	cwr_uint(w, r->role);
	cwr_int(w, TOKEN_REL_SEALED);
	cwr_bool(w, r->sealed != 0);
	if (r->sealed) {
		cwr_int(w, TOKEN_REL_HASH);
		cwr_bstr(w, r->hash, r->hash_len);
	}
}

int token_issue(struct token_signer *s, const struct token_realm_claims *c,
		const uint8_t *challenge, uint8_t **out, size_t *out_len)
{
	struct cwr p, realm, tok;
	size_t digest;
	int rc;

	if (!s || !c || !challenge || !out || !out_len)
		return CAEC_E_INVAL;
	rc = check_claims(c, &digest);
	if (rc)
		return rc;

	cwr_init(&p);
	cwr_map(&p, 10);
	cwr_int(&p, TOKEN_REALM_PROFILE);
	cwr_tstr(&p, TOKEN_PROFILE_REALM);
	cwr_int(&p, TOKEN_REALM_CHALLENGE);
	cwr_bstr(&p, challenge, CAEC_CHALLENGE_SIZE);
	cwr_int(&p, TOKEN_REALM_RPV);
	cwr_bstr(&p, c->rpv, CAEC_RPV_SIZE);
	cwr_int(&p, TOKEN_REALM_RIM);
	cwr_bstr(&p, c->rim, digest);
	cwr_int(&p, TOKEN_REALM_REMS);
	cwr_array(&p, CAEC_TOKEN_REM_COUNT);
	for (unsigned i = 0; i < CAEC_TOKEN_REM_COUNT; i++)
		cwr_bstr(&p, c->rems[i], digest);
	cwr_int(&p, TOKEN_REALM_HASH_ALGO);
	cwr_tstr(&p, c->hash_algo ? c->hash_algo : "sha-256");
	cwr_int(&p, TOKEN_REALM_PUB_KEY);
	cwr_bstr(&p, s->rak_cose, s->rak_cose_len);
	cwr_int(&p, TOKEN_REALM_PUB_KEY_HASH_ALGO);
	cwr_tstr(&p, "sha-256");
	cwr_int(&p, TOKEN_REALM_CAEC_REALM_ID);
	cwr_uint(&p, c->realm_id);
	cwr_int(&p, TOKEN_REALM_CAEC_RELATIONS);
	cwr_array(&p, c->n_relations);
	for (size_t i = 0; i < c->n_relations; i++)
		put_relation(&p, &c->relations[i]);
	rc = p.err;

	cwr_init(&realm);
	if (!rc)
		rc = sign1(s, &s->rak, NULL, p.buf, p.len, &realm);
	cwr_fini(&p);

	cwr_init(&tok);
	if (!rc) {
		cwr_tag(&tok, TOKEN_TAG_CCA);
		cwr_map(&tok, 2);
		cwr_int(&tok, TOKEN_KEY_PLATFORM);
		cwr_bstr(&tok, s->plat_token, s->plat_len);
		cwr_int(&tok, TOKEN_KEY_REALM);
		cwr_bstr(&tok, realm.buf, realm.len);
		rc = tok.err;
	}
	/* Verifiers refuse anything larger (token_decode): say so here. */
	if (!rc && tok.len > CAEC_TOKEN_MAX_SIZE)
		rc = CAEC_E_RANGE;
	cwr_fini(&realm);
	if (rc) {
		cwr_fini(&tok);
		return rc;
	}
	*out = tok.buf;
	*out_len = tok.len;
	return 0;
}
