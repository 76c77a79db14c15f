/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The strict token decoder.  Input is hostile: every length is checked
 * against the buffer and against the claim's own bounds, every map is
 * definite with no duplicate and no unknown keys, every nested byte string
 * must be consumed exactly, and every required claim must be present.  Any
 * violation is CAEC_E_TOKEN; nothing is allocated.
 */
#include "internal.h"

#include <string.h>

/* Record key `bit` as seen; a second sighting is a duplicate key. */
static int see(uint32_t *seen, unsigned bit)
{
	if (*seen & (1u << bit))
		return CAEC_E_TOKEN;
	*seen |= 1u << bit;
	return 0;
}

/* ---- COSE_Sign1 ------------------------------------------------------- */

static int decode_protected(const uint8_t *p, size_t len,
			    struct token_cose_view *cv)
{
	struct crd r;
	uint64_t n;
	uint32_t seen = 0;
	int rc;

	crd_init(&r, p, len);
	rc = crd_map(&r, &n, 2);
	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key, alg;
		rc = crd_int(&r, &key);
		if (rc)
			break;
		switch (key) {
		case TOKEN_COSE_HDR_ALG:
			rc = see(&seen, 0);
			if (!rc)
				rc = crd_int(&r, &alg);
			if (!rc && alg != TOKEN_COSE_ALG_ES384)
				rc = CAEC_E_TOKEN;
			break;
		case TOKEN_COSE_HDR_KID:
			rc = see(&seen, 1);
			if (!rc)
				rc = crd_bstr(&r, &cv->kid, &cv->kid_len);
			if (!rc && (cv->kid_len == 0 || cv->kid_len > 64))
				rc = CAEC_E_TOKEN;
			break;
		default:
			rc = CAEC_E_TOKEN;
		}
	}
	if (!rc && !(seen & 1u))
		rc = CAEC_E_TOKEN; /* alg is required */
	return rc ? rc : crd_end(&r);
}

static int decode_sign1(const uint8_t *p, size_t len, struct token_cose_view *cv)
{
	struct crd r;
	uint64_t n;
	size_t sig_len;
	int rc;

	memset(cv, 0, sizeof(*cv));
	cv->whole = p;
	cv->whole_len = len;
	crd_init(&r, p, len);
	rc = crd_tag(&r, TOKEN_TAG_COSE_SIGN1);
	if (!rc)
		rc = crd_array(&r, &n, 4);
	if (!rc && n != 4)
		rc = CAEC_E_TOKEN;
	if (!rc)
		rc = crd_bstr(&r, &cv->prot, &cv->prot_len);
	if (!rc)
		rc = crd_map(&r, &n, 0); /* unprotected header must be empty */
	if (!rc)
		rc = crd_bstr(&r, &cv->payload, &cv->payload_len);
	if (!rc)
		rc = crd_bstr(&r, &cv->sig, &sig_len);
	if (!rc && sig_len != TOKEN_ES384_SIG_SIZE)
		rc = CAEC_E_TOKEN;
	if (!rc)
		rc = crd_end(&r);
	if (!rc)
		rc = decode_protected(cv->prot, cv->prot_len, cv);
	return rc;
}

/* ---- realm token ------------------------------------------------------ */

static int decode_cose_key(const uint8_t *p, size_t len, uint8_t rak[97])
{
	struct crd r;
	uint64_t n;
	uint32_t seen = 0;
	int rc;

	crd_init(&r, p, len);
	rc = crd_map(&r, &n, 4);
	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key, v;
		rc = crd_int(&r, &key);
		if (rc)
			break;
		switch (key) {
		case TOKEN_COSE_KEY_KTY:
			rc = see(&seen, 0);
			if (!rc)
				rc = crd_int(&r, &v);
			if (!rc && v != TOKEN_COSE_KTY_EC2)
				rc = CAEC_E_TOKEN;
			break;
		case TOKEN_COSE_KEY_CRV:
			rc = see(&seen, 1);
			if (!rc)
				rc = crd_int(&r, &v);
			if (!rc && v != TOKEN_COSE_CRV_P384)
				rc = CAEC_E_TOKEN;
			break;
		case TOKEN_COSE_KEY_X:
			rc = see(&seen, 2);
			if (!rc)
				rc = crd_bytes_exact(&r, rak + 1, TOKEN_P384_COORD);
			break;
		case TOKEN_COSE_KEY_Y:
			rc = see(&seen, 3);
			if (!rc)
				rc = crd_bytes_exact(&r, rak + 1 + TOKEN_P384_COORD,
						     TOKEN_P384_COORD);
			break;
		default:
			rc = CAEC_E_TOKEN;
		}
	}
	if (!rc && seen != 0xfu)
		rc = CAEC_E_TOKEN;
	rak[0] = 0x04; /* uncompressed point */
	return rc ? rc : crd_end(&r);
}

static int decode_u32(struct crd *r, uint32_t *v, uint32_t max)
{
	uint64_t u;
	int rc = crd_uint(r, &u);

	if (rc)
		return rc;
	if (u > max)
		return CAEC_E_TOKEN;
	*v = (uint32_t)u;
	return 0;
}

static int decode_relation(struct crd *r, struct caec_token_relation *rel)
{
	uint64_t n;
	uint32_t seen = 0;
	bool sealed = false;
	int rc = crd_map(r, &n, 7);

	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key;
		rc = crd_int(r, &key);
		if (rc)
			break;
		if (key < TOKEN_REL_REGION_ID || key > TOKEN_REL_HASH)
			return CAEC_E_TOKEN;
		rc = see(&seen, (unsigned)key);
		if (rc)
			break;
		switch (key) {
		case TOKEN_REL_REGION_ID:
			rc = crd_uint(r, &rel->region_id);
			break;
		case TOKEN_REL_GRANT_ID:
			rc = crd_uint(r, &rel->grant_id);
			break;
		case TOKEN_REL_PEER_ID:
			rc = crd_uint(r, &rel->peer_id);
			break;
		case TOKEN_REL_PERM:
			rc = decode_u32(r, &rel->perm, CAEC_PERM_RW);
			if (!rc && rel->perm != 0 && rel->perm != CAEC_PERM_RO &&
			    rel->perm != CAEC_PERM_RW)
				rc = CAEC_E_TOKEN;
			break;
		case TOKEN_REL_ROLE:
			rc = decode_u32(r, &rel->role, CAEC_TOKEN_ROLE_CONSUMER);
			if (!rc && rel->role != CAEC_TOKEN_ROLE_PROVIDER &&
			    rel->role != CAEC_TOKEN_ROLE_CONSUMER)
				rc = CAEC_E_TOKEN;
			break;
		case TOKEN_REL_SEALED:
			rc = crd_bool(r, &sealed);
			break;
		default: /* TOKEN_REL_HASH */
			rc = crd_bytes_max(r, rel->hash, CAEC_HASH_MAX,
					   &rel->hash_len);
			break;
		}
	}
	if (rc)
		return rc;
	/* Keys 1..6 always; key 7 (hash) exactly when sealed. */
	uint32_t want = 0x7eu | (sealed ? 1u << TOKEN_REL_HASH : 0);
	if (seen != want)
		return CAEC_E_TOKEN;
	rel->flags = sealed ? CAEC_GRANT_F_SEALED : 0;
	return 0;
}

enum realm_bits {
	RB_PROFILE, RB_CHALLENGE, RB_RPV, RB_RIM, RB_REMS, RB_HASH_ALGO,
	RB_PUB_KEY, RB_PUB_KEY_HASH_ALGO, RB_REALM_ID, RB_RELATIONS, RB_COUNT
};

static int realm_claim(struct crd *r, int64_t key, uint32_t *seen,
		       struct caec_token_claims *out, struct token_view *v,
		       uint32_t rem_len[CAEC_TOKEN_REM_COUNT])
{
	uint64_t n;
	int rc;

	switch (key) {
	case TOKEN_REALM_PROFILE:
		rc = see(seen, RB_PROFILE);
		if (!rc)
			rc = crd_text(r, out->profile, sizeof(out->profile));
		if (!rc && strcmp(out->profile, TOKEN_PROFILE_REALM) != 0)
			rc = CAEC_E_TOKEN;
		return rc;
	case TOKEN_REALM_CHALLENGE:
		rc = see(seen, RB_CHALLENGE);
		return rc ? rc : crd_bytes_exact(r, out->challenge, CAEC_CHALLENGE_SIZE);
	case TOKEN_REALM_RPV:
		rc = see(seen, RB_RPV);
		return rc ? rc : crd_bytes_exact(r, out->rpv, CAEC_RPV_SIZE);
	case TOKEN_REALM_RIM:
		rc = see(seen, RB_RIM);
		return rc ? rc : crd_bytes_max(r, out->rim, CAEC_HASH_MAX, &out->rim_len);
	case TOKEN_REALM_REMS:
		rc = see(seen, RB_REMS);
		if (!rc)
			rc = crd_array(r, &n, CAEC_TOKEN_REM_COUNT);
		if (!rc && n != CAEC_TOKEN_REM_COUNT)
			rc = CAEC_E_TOKEN;
		for (unsigned i = 0; !rc && i < CAEC_TOKEN_REM_COUNT; i++)
			rc = crd_bytes_max(r, out->rem[i], CAEC_HASH_MAX, &rem_len[i]);
		return rc;
	case TOKEN_REALM_HASH_ALGO:
		rc = see(seen, RB_HASH_ALGO);
		return rc ? rc : crd_text(r, out->hash_algo, sizeof(out->hash_algo));
	case TOKEN_REALM_PUB_KEY:
		rc = see(seen, RB_PUB_KEY);
		if (!rc)
			rc = crd_bstr(r, &v->rak_cose, &v->rak_cose_len);
		if (!rc)
			rc = decode_cose_key(v->rak_cose, v->rak_cose_len, out->rak);
		out->rak_len = CAEC_TOKEN_RAK_SIZE;
		return rc;
	case TOKEN_REALM_PUB_KEY_HASH_ALGO:
		rc = see(seen, RB_PUB_KEY_HASH_ALGO);
		return rc ? rc : crd_text(r, out->rak_hash_algo, sizeof(out->rak_hash_algo));
	case TOKEN_REALM_CAEC_REALM_ID:
		rc = see(seen, RB_REALM_ID);
		return rc ? rc : crd_uint(r, &out->realm_id);
	case TOKEN_REALM_CAEC_RELATIONS:
		rc = see(seen, RB_RELATIONS);
		if (!rc)
			rc = crd_array(r, &n, CAEC_TOKEN_MAX_RELATIONS);
		for (uint64_t i = 0; !rc && i < n; i++)
			rc = decode_relation(r, &out->relations[i]);
		out->n_relations = rc ? 0 : (uint32_t)n;
		return rc;
	default:
		return CAEC_E_TOKEN; /* unknown claim */
	}
}

static int decode_realm(const uint8_t *p, size_t len,
			struct caec_token_claims *out, struct token_view *v)
{
	struct crd r;
	uint64_t n;
	uint32_t seen = 0, rem_len[CAEC_TOKEN_REM_COUNT] = { 0 };
	int rc;

	crd_init(&r, p, len);
	rc = crd_map(&r, &n, RB_COUNT);
	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key;
		rc = crd_int(&r, &key);
		if (!rc)
			rc = realm_claim(&r, key, &seen, out, v, rem_len);
	}
	if (!rc)
		rc = crd_end(&r);
	if (!rc && seen != (1u << RB_COUNT) - 1)
		rc = CAEC_E_TOKEN; /* a required claim is missing */
	if (rc)
		return rc;
	/* Measurements must all be digests of the declared algorithm. */
	size_t digest = token_hash_size(out->hash_algo, NULL);
	if (digest != 32 && digest != 64)
		return CAEC_E_TOKEN;
	if (out->rim_len != digest)
		return CAEC_E_TOKEN;
	for (unsigned i = 0; i < CAEC_TOKEN_REM_COUNT; i++)
		if (rem_len[i] != digest)
			return CAEC_E_TOKEN;
	if (token_hash_size(out->rak_hash_algo, NULL) == 0)
		return CAEC_E_TOKEN;
	return 0;
}

/* ---- platform token --------------------------------------------------- */

static int decode_sw_component(struct crd *r, struct caec_token_sw_component *c)
{
	uint64_t n;
	uint32_t seen = 0;
	int rc = crd_map(r, &n, 5);

	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key;
		rc = crd_int(r, &key);
		if (rc)
			break;
		switch (key) {
		case TOKEN_SWC_TYPE:
			rc = see(&seen, 1);
			if (!rc)
				rc = crd_text(r, c->type, sizeof(c->type));
			break;
		case TOKEN_SWC_MEASUREMENT:
			rc = see(&seen, 2);
			if (!rc)
				rc = crd_bytes_max(r, c->measurement, CAEC_HASH_MAX,
						   &c->measurement_len);
			break;
		case TOKEN_SWC_VERSION:
			rc = see(&seen, 4);
			if (!rc)
				rc = crd_text(r, c->version, sizeof(c->version));
			break;
		case TOKEN_SWC_SIGNER_ID:
			rc = see(&seen, 5);
			if (!rc)
				rc = crd_bytes_max(r, c->signer_id, CAEC_HASH_MAX,
						   &c->signer_id_len);
			break;
		case TOKEN_SWC_HASH_ALGO:
			rc = see(&seen, 6);
			if (!rc)
				rc = crd_text(r, c->hash_algo, sizeof(c->hash_algo));
			break;
		default:
			rc = CAEC_E_TOKEN;
		}
	}
	if (!rc && (seen & 0x24u) != 0x24u)
		rc = CAEC_E_TOKEN; /* measurement and signer ID are required */
	return rc;
}

enum plat_bits {
	PB_PROFILE, PB_CHALLENGE, PB_IMPL_ID, PB_INSTANCE_ID, PB_CONFIG,
	PB_LIFECYCLE, PB_SW_COMPONENTS, PB_VERIFICATION_SERVICE, PB_HASH_ALGO,
	PB_COUNT
};

static int plat_claim(struct crd *r, int64_t key, uint32_t *seen,
		      struct caec_token_claims *out)
{
	const uint8_t *p;
	size_t len;
	uint64_t n;
	int rc;

	switch (key) {
	case TOKEN_PLAT_PROFILE:
		rc = see(seen, PB_PROFILE);
		if (!rc)
			rc = crd_text(r, out->platform_profile,
				      sizeof(out->platform_profile));
		if (!rc && strcmp(out->platform_profile, TOKEN_PROFILE_PLATFORM) != 0)
			rc = CAEC_E_TOKEN;
		return rc;
	case TOKEN_PLAT_CHALLENGE:
		rc = see(seen, PB_CHALLENGE);
		if (!rc)
			rc = crd_bytes_max(r, out->platform_challenge, CAEC_HASH_MAX,
					   &out->platform_challenge_len);
		if (!rc && out->platform_challenge_len != 32 &&
		    out->platform_challenge_len != 48 &&
		    out->platform_challenge_len != 64)
			rc = CAEC_E_TOKEN;
		return rc;
	case TOKEN_PLAT_IMPLEMENTATION_ID:
		rc = see(seen, PB_IMPL_ID);
		return rc ? rc : crd_bytes_exact(r, out->implementation_id,
						 CAEC_TOKEN_IMPL_ID_SIZE);
	case TOKEN_PLAT_INSTANCE_ID:
		rc = see(seen, PB_INSTANCE_ID);
		if (!rc)
			rc = crd_bytes_exact(r, out->instance_id,
					     CAEC_TOKEN_INSTANCE_ID_SIZE);
		if (!rc && out->instance_id[0] != 0x01)
			rc = CAEC_E_TOKEN; /* EAT UEID type RAND */
		return rc;
	case TOKEN_PLAT_CONFIG:
		rc = see(seen, PB_CONFIG);
		if (!rc)
			rc = crd_bstr(r, &p, &len);
		if (!rc && len > CAEC_TOKEN_CONFIG_MAX)
			rc = CAEC_E_TOKEN;
		if (!rc) {
			memcpy(out->config, p, len);
			out->config_len = (uint32_t)len;
		}
		return rc;
	case TOKEN_PLAT_LIFECYCLE:
		rc = see(seen, PB_LIFECYCLE);
		return rc ? rc : decode_u32(r, &out->lifecycle, 0xffff);
	case TOKEN_PLAT_SW_COMPONENTS:
		rc = see(seen, PB_SW_COMPONENTS);
		if (!rc)
			rc = crd_array(r, &n, CAEC_TOKEN_MAX_SW_COMPONENTS);
		if (!rc && n == 0)
			rc = CAEC_E_TOKEN;
		for (uint64_t i = 0; !rc && i < n; i++)
			rc = decode_sw_component(r, &out->sw_components[i]);
		out->n_sw_components = rc ? 0 : (uint32_t)n;
		return rc;
	case TOKEN_PLAT_VERIFICATION_SERVICE:
		rc = see(seen, PB_VERIFICATION_SERVICE);
		return rc ? rc : crd_text(r, out->verification_service,
					  sizeof(out->verification_service));
	case TOKEN_PLAT_HASH_ALGO:
		rc = see(seen, PB_HASH_ALGO);
		return rc ? rc : crd_text(r, out->platform_hash_algo,
					  sizeof(out->platform_hash_algo));
	default:
		return CAEC_E_TOKEN;
	}
}

static int decode_platform(const uint8_t *p, size_t len,
			   struct caec_token_claims *out)
{
	const uint32_t required = ((1u << PB_COUNT) - 1) &
				  ~(1u << PB_VERIFICATION_SERVICE);
	struct crd r;
	uint64_t n;
	uint32_t seen = 0;
	int rc;

	crd_init(&r, p, len);
	rc = crd_map(&r, &n, PB_COUNT);
	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key;
		rc = crd_int(&r, &key);
		if (!rc)
			rc = plat_claim(&r, key, &seen, out);
	}
	if (!rc)
		rc = crd_end(&r);
	if (!rc && (seen & required) != required)
		rc = CAEC_E_TOKEN;
	return rc;
}

/* ---- collection ------------------------------------------------------- */

int token_decode(const uint8_t *buf, size_t len, struct token_view *v,
		 struct caec_token_claims *out)
{
	struct token_view local;
	const uint8_t *plat = NULL, *realm = NULL;
	size_t plat_len = 0, realm_len = 0;
	struct crd r;
	uint64_t n;
	int rc;

	if (!v)
		v = &local;
	memset(v, 0, sizeof(*v));
	if (!out)
		return CAEC_E_INVAL;
	uint32_t size = out->size;
	memset(out, 0, sizeof(*out));
	out->size = size;
	if (!buf || len == 0 || len > CAEC_TOKEN_MAX_SIZE)
		return CAEC_E_TOKEN;

	crd_init(&r, buf, len);
	rc = crd_tag(&r, TOKEN_TAG_CCA);
	if (!rc)
		rc = crd_map(&r, &n, 2);
	if (!rc && n != 2)
		rc = CAEC_E_TOKEN;
	for (uint64_t i = 0; !rc && i < n; i++) {
		int64_t key;
		rc = crd_int(&r, &key);
		if (rc)
			break;
		if (key == TOKEN_KEY_PLATFORM && !plat)
			rc = crd_bstr(&r, &plat, &plat_len);
		else if (key == TOKEN_KEY_REALM && !realm)
			rc = crd_bstr(&r, &realm, &realm_len);
		else
			rc = CAEC_E_TOKEN; /* unknown or duplicate */
	}
	if (!rc)
		rc = crd_end(&r);
	if (!rc && (!plat || !realm))
		rc = CAEC_E_TOKEN;
	if (!rc)
		rc = decode_sign1(plat, plat_len, &v->plat);
	if (!rc)
		rc = decode_sign1(realm, realm_len, &v->realm);
	if (!rc)
		rc = decode_platform(v->plat.payload, v->plat.payload_len, out);
	if (!rc)
		rc = decode_realm(v->realm.payload, v->realm.payload_len, out, v);
	if (rc) {
		memset(out, 0, sizeof(*out));
		out->size = size;
		memset(v, 0, sizeof(*v));
	}
	return rc;
}
