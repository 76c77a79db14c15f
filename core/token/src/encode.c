/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The token encoder: claim maps, COSE_Sign1 framing and the CCA
 * collection, written the same way on every platform.  caec-simd's signer
 * (signer.c), the EL3 monitor (platform token) and the RMM (realm token)
 * all call these functions: there is no second encoder.
 *
 * Portable: caller buffers only, no allocation; mbedTLS is used through
 * cose.c for hashing and signing.  Framing works in place: the payload is
 * encoded at the start of a buffer and the framing functions move it right
 * and write the heads around it, so one buffer of the token's final size
 * is enough (the RMM encodes into a REC's auxiliary granules).
 */
#include "internal.h"

#include <string.h>

int token_check_realm_claims(const struct token_realm_claims *c, size_t *digest)
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

int token_encode_rak(const uint8_t point[CAEC_TOKEN_RAK_SIZE], uint8_t *out,
		     size_t cap, size_t *len)
{
	struct cwr w;

	if (!point || !out || !len || point[0] != 0x04)
		return CAEC_E_INVAL; /* an uncompressed point: 0x04 || x || y */
	cwr_init(&w, out, cap);
	cwr_map(&w, 4);
	cwr_int(&w, TOKEN_COSE_KEY_KTY);
	cwr_int(&w, TOKEN_COSE_KTY_EC2);
	cwr_int(&w, TOKEN_COSE_KEY_CRV);
	cwr_int(&w, TOKEN_COSE_CRV_P384);
	cwr_int(&w, TOKEN_COSE_KEY_X);
	cwr_bstr(&w, point + 1, TOKEN_P384_COORD);
	cwr_int(&w, TOKEN_COSE_KEY_Y);
	cwr_bstr(&w, point + 1 + TOKEN_P384_COORD, TOKEN_P384_COORD);
	*len = w.len;
	return w.err;
}

/* Texts the decoder accepts: non-empty, shorter than its buffer. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n < max;
}

static int check_platform_claims(const struct token_platform_claims *pc)
{
	if (pc->challenge_len != 32 && pc->challenge_len != 48 &&
	    pc->challenge_len != 64)
		return CAEC_E_INVAL;
	if (!pc->challenge || pc->instance_id[0] != 0x01 ||
	    pc->config_len > CAEC_TOKEN_CONFIG_MAX ||
	    (pc->config_len && !pc->config) || pc->lifecycle > 0xffff ||
	    !text_ok(pc->hash_algo, CAEC_TOKEN_TEXT_MAX))
		return CAEC_E_INVAL;
	if (pc->verification_service &&
	    !text_ok(pc->verification_service, CAEC_TOKEN_URL_MAX))
		return CAEC_E_INVAL;
	if (pc->n_sw_components == 0 ||
	    pc->n_sw_components > CAEC_TOKEN_MAX_SW_COMPONENTS || !pc->sw_components)
		return CAEC_E_INVAL;
	for (size_t i = 0; i < pc->n_sw_components; i++) {
		const struct token_sw_component *s = &pc->sw_components[i];
		if (!s->measurement || s->measurement_len == 0 ||
		    s->measurement_len > CAEC_HASH_MAX || !s->signer_id ||
		    s->signer_id_len == 0 || s->signer_id_len > CAEC_HASH_MAX)
			return CAEC_E_INVAL;
		if ((s->type && !text_ok(s->type, CAEC_TOKEN_TEXT_MAX)) ||
		    (s->version && !text_ok(s->version, CAEC_TOKEN_TEXT_MAX)) ||
		    (s->hash_algo && !text_ok(s->hash_algo, CAEC_TOKEN_TEXT_MAX)))
			return CAEC_E_INVAL;
	}
	return 0;
}

static void put_sw_component(struct cwr *w, const struct token_sw_component *s)
{
	cwr_map(w, 2 + (s->type != NULL) + (s->version != NULL) +
		       (s->hash_algo != NULL));
	if (s->type) {
		cwr_int(w, TOKEN_SWC_TYPE);
		cwr_tstr(w, s->type);
	}
	cwr_int(w, TOKEN_SWC_MEASUREMENT);
	cwr_bstr(w, s->measurement, s->measurement_len);
	if (s->version) {
		cwr_int(w, TOKEN_SWC_VERSION);
		cwr_tstr(w, s->version);
	}
	cwr_int(w, TOKEN_SWC_SIGNER_ID);
	cwr_bstr(w, s->signer_id, s->signer_id_len);
	if (s->hash_algo) {
		cwr_int(w, TOKEN_SWC_HASH_ALGO);
		cwr_tstr(w, s->hash_algo);
	}
}

int token_encode_platform_claims(const struct token_platform_claims *pc,
				 uint8_t *out, size_t cap, size_t *len)
{
	struct cwr w;
	int rc;

	if (!pc || !out || !len)
		return CAEC_E_INVAL;
	rc = check_platform_claims(pc);
	if (rc)
		return rc;
	cwr_init(&w, out, cap);
	cwr_map(&w, pc->verification_service ? 9 : 8);
	cwr_int(&w, TOKEN_PLAT_PROFILE);
	cwr_tstr(&w, TOKEN_PROFILE_PLATFORM);
	cwr_int(&w, TOKEN_PLAT_CHALLENGE);
	cwr_bstr(&w, pc->challenge, pc->challenge_len);
	cwr_int(&w, TOKEN_PLAT_IMPLEMENTATION_ID);
	cwr_bstr(&w, pc->implementation_id, CAEC_TOKEN_IMPL_ID_SIZE);
	cwr_int(&w, TOKEN_PLAT_INSTANCE_ID);
	cwr_bstr(&w, pc->instance_id, CAEC_TOKEN_INSTANCE_ID_SIZE);
	cwr_int(&w, TOKEN_PLAT_CONFIG);
	cwr_bstr(&w, pc->config, pc->config_len);
	cwr_int(&w, TOKEN_PLAT_LIFECYCLE);
	cwr_uint(&w, pc->lifecycle);
	cwr_int(&w, TOKEN_PLAT_SW_COMPONENTS);
	cwr_array(&w, pc->n_sw_components);
	for (size_t i = 0; i < pc->n_sw_components; i++)
		put_sw_component(&w, &pc->sw_components[i]);
	if (pc->verification_service) {
		cwr_int(&w, TOKEN_PLAT_VERIFICATION_SERVICE);
		cwr_tstr(&w, pc->verification_service);
	}
	cwr_int(&w, TOKEN_PLAT_HASH_ALGO);
	cwr_tstr(&w, pc->hash_algo);
	*len = w.len;
	return w.err;
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

int token_encode_realm_claims(const struct token_realm_claims *c,
			      const uint8_t challenge[CAEC_CHALLENGE_SIZE],
			      const uint8_t *rak_cose, size_t rak_cose_len,
			      uint8_t *out, size_t cap, size_t *len)
{
	struct cwr w;
	size_t digest;
	int rc;

	if (!c || !challenge || !rak_cose || !rak_cose_len || !out || !len)
		return CAEC_E_INVAL;
	rc = token_check_realm_claims(c, &digest);
	if (rc)
		return rc;
	cwr_init(&w, out, cap);
	cwr_map(&w, 10);
	cwr_int(&w, TOKEN_REALM_PROFILE);
	cwr_tstr(&w, TOKEN_PROFILE_REALM);
	cwr_int(&w, TOKEN_REALM_CHALLENGE);
	cwr_bstr(&w, challenge, CAEC_CHALLENGE_SIZE);
	cwr_int(&w, TOKEN_REALM_RPV);
	cwr_bstr(&w, c->rpv, CAEC_RPV_SIZE);
	cwr_int(&w, TOKEN_REALM_RIM);
	cwr_bstr(&w, c->rim, digest);
	cwr_int(&w, TOKEN_REALM_REMS);
	cwr_array(&w, CAEC_TOKEN_REM_COUNT);
	for (unsigned i = 0; i < CAEC_TOKEN_REM_COUNT; i++)
		cwr_bstr(&w, c->rems[i], digest);
	cwr_int(&w, TOKEN_REALM_HASH_ALGO);
	cwr_tstr(&w, c->hash_algo ? c->hash_algo : "sha-256");
	cwr_int(&w, TOKEN_REALM_PUB_KEY);
	cwr_bstr(&w, rak_cose, rak_cose_len);
	cwr_int(&w, TOKEN_REALM_PUB_KEY_HASH_ALGO);
	cwr_tstr(&w, "sha-256");
	cwr_int(&w, TOKEN_REALM_CAEC_REALM_ID);
	cwr_uint(&w, c->realm_id);
	cwr_int(&w, TOKEN_REALM_CAEC_RELATIONS);
	cwr_array(&w, c->n_relations);
	for (size_t i = 0; i < c->n_relations; i++)
		put_relation(&w, &c->relations[i]);
	*len = w.len;
	return w.err;
}

/*
 * Move buf[0..n) right by the length of the prefix a writer `pre` built,
 * and put the prefix in front: in-place wrapping.
 */
static int prepend(uint8_t *buf, size_t cap, size_t n, const struct cwr *pre)
{
	if (pre->err)
		return pre->err;
	if (pre->len > cap || n > cap - pre->len)
		return CAEC_E_RANGE;
	memmove(buf + pre->len, buf, n);
	memcpy(buf, pre->buf, pre->len);
	return 0;
}

int token_sign1_frame(uint8_t *buf, size_t cap, size_t payload_len,
		      const uint8_t kid[TOKEN_KID_SIZE],
		      struct token_sign1_layout *l)
{
	uint8_t pre_buf[64];
	struct cwr pre, prot;
	int rc;

	if (!buf || !l || payload_len > cap)
		return CAEC_E_INVAL;
	memset(l, 0, sizeof(*l));
	/* Protected header {1: -35 [, 4: kid]}, written into the prefix. */
	uint8_t prot_buf[8 + TOKEN_KID_SIZE];
	cwr_init(&prot, prot_buf, sizeof(prot_buf));
	cwr_map(&prot, kid ? 2 : 1);
	cwr_int(&prot, TOKEN_COSE_HDR_ALG);
	cwr_int(&prot, TOKEN_COSE_ALG_ES384);
	if (kid) {
		cwr_int(&prot, TOKEN_COSE_HDR_KID);
		cwr_bstr(&prot, kid, TOKEN_KID_SIZE);
	}
	if (prot.err)
		return prot.err;

	cwr_init(&pre, pre_buf, sizeof(pre_buf));
	cwr_tag(&pre, TOKEN_TAG_COSE_SIGN1);
	cwr_array(&pre, 4);
	cwr_bstr(&pre, prot.buf, prot.len);
	l->prot_off = pre.len - prot.len;
	l->prot_len = prot.len;
	cwr_map(&pre, 0); /* unprotected header: empty */
	cwr_bstr_head(&pre, payload_len);
	rc = prepend(buf, cap, payload_len, &pre);
	if (rc)
		return rc;
	l->payload_off = pre.len;
	l->payload_len = payload_len;

	/* The signature, zero until token_sign1_sign() fills it in. */
	struct cwr sig;
	cwr_init(&sig, buf, cap);
	sig.len = pre.len + payload_len;
	cwr_bstr_head(&sig, TOKEN_ES384_SIG_SIZE);
	l->sig_off = sig.len;
	if (!sig.err && TOKEN_ES384_SIG_SIZE > cap - sig.len)
		sig.err = CAEC_E_RANGE;
	if (sig.err)
		return sig.err;
	memset(buf + l->sig_off, 0, TOKEN_ES384_SIG_SIZE);
	l->len = l->sig_off + TOKEN_ES384_SIG_SIZE;
	return 0;
}

int token_collection_frame(uint8_t *buf, size_t cap, size_t realm_len,
			   const uint8_t *plat, size_t plat_len, size_t *shift,
			   size_t *len)
{
	uint8_t pre_buf[32];
	struct cwr pre;

	if (!buf || !plat || !plat_len || !shift || !len || realm_len > cap)
		return CAEC_E_INVAL;
	/* #6.399({44234: bstr(platform), 44241: bstr(realm)}): the prefix up
	 * to the platform token's head here, its bytes copied below. */
	cwr_init(&pre, pre_buf, sizeof(pre_buf));
	cwr_tag(&pre, TOKEN_TAG_CCA);
	cwr_map(&pre, 2);
	cwr_int(&pre, TOKEN_KEY_PLATFORM);
	cwr_bstr_head(&pre, plat_len);
	if (pre.err)
		return pre.err;
	size_t plat_off = pre.len;

	struct cwr mid;
	uint8_t mid_buf[16];
	cwr_init(&mid, mid_buf, sizeof(mid_buf));
	cwr_int(&mid, TOKEN_KEY_REALM);
	cwr_bstr_head(&mid, realm_len);
	if (mid.err)
		return mid.err;

	size_t total_pre = plat_off + plat_len + mid.len;
	if (total_pre > cap || realm_len > cap - total_pre)
		return CAEC_E_RANGE;
	memmove(buf + total_pre, buf, realm_len);
	memcpy(buf, pre.buf, pre.len);
	memcpy(buf + plat_off, plat, plat_len);
	memcpy(buf + plat_off + plat_len, mid.buf, mid.len);
	*shift = total_pre;
	*len = total_pre + realm_len;
	return 0;
}

int token_sign1_sign(uint8_t *base, const struct token_sign1_layout *l,
		     mbedtls_ecp_keypair *key,
		     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng)
{
	if (!base || !l || !key || !f_rng)
		return CAEC_E_INVAL;
	return cose_sign(key, f_rng, p_rng, base + l->prot_off, l->prot_len,
			 base + l->payload_off, l->payload_len, base + l->sig_off);
}

void token_sign1_layout_shift(struct token_sign1_layout *l, size_t shift)
{
	l->prot_off += shift;
	l->payload_off += shift;
	l->sig_off += shift;
}
