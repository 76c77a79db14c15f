/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group "seal": local attestation (the platform checks the consumer's
 * measurement at attach), sealed regions (read-only for everyone, content
 * hashed by the platform), and attestation tokens (the platform's signed
 * statement of a realm's measurement, ID and relations, checked with
 * libcaec's verifier).
 */
#include <string.h>
#include <sys/random.h>

#include <caec/attest.h>

#include "cases.h"
#include "ct.h"

/* A hash travels between roles as four 64-bit values. */
static void send_hash(int to, const uint8_t h[32])
{
	for (int i = 0; i < 4; i++) {
		uint64_t v;
		memcpy(&v, h + 8 * i, 8);
		ct_send(to, v);
	}
}

static void recv_hash(int from, uint8_t h[32])
{
	for (int i = 0; i < 4; i++) {
		uint64_t v = ct_recv(from);
		memcpy(h + 8 * i, &v, 8);
	}
}

/*
 * A grant carrying the consumer's real measurement lets it attach; a grant
 * carrying any other measurement (one bit off) is refused by the platform
 * at attach, and the grant stays granted, unattached.  A 31-byte prefix of
 * the right RIM never matches: the sim accepts the grant and refuses the
 * attach; the RSI carries only whole SHA-256/SHA-512 RIMs in a policy
 * granule, so the RSI backend refuses the grant (CAEC_E_INVAL).
 */
static void policy_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	struct caec_grant_policy pol;
	uint64_t good, bad, shortp, cons = ct_recv(1);
	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.rim_len = 32;
	recv_hash(1, pol.rim);
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));

	CT_OK(caec_grant(r, cons, CAEC_PERM_RO, &pol, &good));
	ct_send(1, good);
	CT_EQ(ct_recv(1), 1);
	CT_OK(caec_revoke(r, good));

	pol.rim[7] ^= 0x01;
	CT_OK(caec_grant(r, cons, CAEC_PERM_RO, &pol, &bad));
	ct_send(1, bad);
	CT_EQ(ct_recv(1), 2);
	CT_OK(caec_revoke(r, bad));

	pol.rim[7] ^= 0x01;
	pol.rim_len = 31; /* the right prefix, the wrong length */
	int rc = caec_grant(r, cons, CAEC_PERM_RO, &pol, &shortp);
	if (strcmp(ct_backend(), "rsi") == 0) {
		CT_ERR(rc, CAEC_E_INVAL);
		shortp = 0;
	} else {
		CT_OK(rc);
	}
	ct_send(1, shortp);
	CT_EQ(ct_recv(1), 3);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void policy_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *a;
	uint8_t rim[CAEC_HASH_MAX];
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	CT_EQ(ct_self_rim(ctx, rim), 32);
	ct_send(0, self);
	send_hash(0, rim);

	CT_OK(caec_attach(ctx, ct_recv(0), NULL, &a));
	CT_OK(caec_detach(a));
	ct_send(0, 1);

	uint64_t bad = ct_recv(0);
	CT_ERR(caec_attach(ctx, bad, NULL, &a), CAEC_E_DENIED);
	/* The denial left the grant granted but unattached. */
	struct caec_grant_info gi;
	CT_COUNT(caec_grant_list(ctx, &gi, 1), 1);
	CT_EQ(gi.grant_id, bad);
	CT_CHECK(!(gi.flags & CAEC_GRANT_F_ATTACHED));
	ct_send(0, 2);

	uint64_t shortp = ct_recv(0);
	if (shortp != 0)
		CT_ERR(caec_attach(ctx, shortp, NULL, &a), CAEC_E_DENIED);
	ct_close(ctx);
	ct_send(0, 3);
}

/*
 * Sealing: the hash the platform reports is the SHA-256 of the content;
 * afterwards the provider's own store faults, a read-only consumer that
 * requires that hash attaches, one that requires another hash gets
 * CAEC_E_HASH, and read-write grants are refused (CAEC_E_PERM).
 */
static void seal_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint8_t h[CAEC_HASH_MAX], want[32];
	uint64_t grant, rw, cons = ct_recv(1);
	size_t size = 4 * CAEC_GRANULE_SIZE;
	CT_OK(caec_share(ctx, size, 0, &r));
	unsigned char *p = caec_region_addr(r);
	for (size_t i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 31 + 7);
	ct_sha256(p, size, want);

	CT_COUNT(caec_seal(r, h, sizeof(h)), 32);
	CT_MEM_EQ(h, want, 32);
	CT_CHECK(caec_region_is_sealed(r));
	CT_EQ(caec_region_perm(r), CAEC_PERM_RO);
	/* Same address, same content, now read-only for the provider too. */
	CT_CHECK(caec_region_addr(r) == (void *)p);
	CT_EQ(p[5], (unsigned char)(5 * 31 + 7));
	CT_CHECK(ct_faults(p, true));
	CT_ERR(caec_seal(r, h, sizeof(h)), CAEC_E_STATE);

	CT_ERR(caec_grant(r, cons, CAEC_PERM_RW, NULL, &rw), CAEC_E_PERM);
	CT_OK(caec_grant(r, cons, CAEC_PERM_RO, NULL, &grant));
	ct_send(1, grant);
	send_hash(1, want);
	CT_EQ(ct_recv(1), 1);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void seal_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *a;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0);
	struct caec_attach_opts o;
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.hash_len = 32;
	recv_hash(0, o.expected_hash);

	struct caec_grant_info gi;
	CT_COUNT(caec_grant_list(ctx, &gi, 1), 1);
	CT_CHECK(gi.flags & CAEC_GRANT_F_SEALED);
	o.expected_hash[31] ^= 0x80;
	CT_ERR(caec_attach(ctx, grant, &o, &a), CAEC_E_HASH);
	o.expected_hash[31] ^= 0x80;
	CT_OK(caec_attach(ctx, grant, &o, &a));
	CT_CHECK(caec_region_is_sealed(a));
	CT_EQ(caec_region_perm(a), CAEC_PERM_RO);
	const unsigned char *p = caec_region_addr(a);
	for (size_t i = 0; i < caec_region_size(a); i++)
		if (p[i] != (unsigned char)(i * 31 + 7))
			ct_fail_at(__FILE__, __LINE__, "byte %zu of the sealed region is %u", i,
				   p[i]);
	CT_CHECK(ct_faults((volatile void *)p, true));
	CT_OK(caec_detach(a));
	ct_close(ctx);
	ct_send(0, 1);
}

/*
 * The seal is the platform's, not the library's: mprotect() cannot make
 * the provider's sealed mapping writable again (EACCES).
 */
static void seal_mprotect(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint8_t h[CAEC_HASH_MAX];
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	CT_COUNT(caec_seal(r, h, sizeof(h)), 32);
	CT_EQ(ct_make_writable(caec_region_addr(r), CAEC_GRANULE_SIZE), CT_EACCES);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

/*
 * Sealing waits for read-write grants to go: refused while one exists
 * (even unattached), allowed after it is revoked.
 */
static void seal_rw_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint8_t h[CAEC_HASH_MAX];
	uint64_t grant, cons = ct_recv(1);
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	CT_OK(caec_grant(r, cons, CAEC_PERM_RW, NULL, &grant));
	CT_ERR(caec_seal(r, h, sizeof(h)), CAEC_E_STATE);
	/* Still writable after the refusal. */
	((volatile unsigned char *)caec_region_addr(r))[0] = 1;
	CT_OK(caec_revoke(r, grant));
	CT_COUNT(caec_seal(r, h, sizeof(h)), 32);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
	ct_send(1, 1);
}

static void seal_rw_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	CT_EQ(ct_recv(0), 1);
	ct_close(ctx);
}

/*
 * The seal hash appears in the attestation tokens of both sides: the
 * provider's relation and the consumer's relation carry the same hash as
 * caec_seal() returned, with the right peers and roles.
 */
static void check_own_relation(struct caec_ctx *ctx, uint64_t grant, const uint8_t h[32],
			       uint32_t role, uint64_t peer)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 1, 2, 3 };
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	CT_CHECK(n > 0);
	cl.size = sizeof(cl);
	CT_OK(caec_token_parse(tok, (size_t)n, &cl));
	CT_EQ(cl.realm_id, self);
	CT_MEM_EQ(cl.challenge, ch, sizeof(ch));
	CT_EQ(cl.n_relations, 1);
	const struct caec_token_relation *rel = &cl.relations[0];
	CT_EQ(rel->grant_id, grant);
	CT_CHECK(rel->flags & CAEC_GRANT_F_SEALED);
	CT_EQ(rel->hash_len, 32);
	CT_MEM_EQ(rel->hash, h, 32);
	CT_EQ(rel->perm, CAEC_PERM_RO);
	CT_EQ(rel->role, role);
	CT_EQ(rel->peer_id, peer);
}

static void seal_tokens_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint8_t h[CAEC_HASH_MAX];
	uint64_t grant, self, cons = ct_recv(1);
	CT_OK(caec_self_id(ctx, &self));
	ct_send(1, self);
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	memset(caec_region_addr(r), 0x3c, CAEC_GRANULE_SIZE);
	CT_COUNT(caec_seal(r, h, sizeof(h)), 32);
	CT_OK(caec_grant(r, cons, CAEC_PERM_RO, NULL, &grant));
	ct_send(1, grant);
	send_hash(1, h);
	CT_EQ(ct_recv(1), 1); /* attached */
	check_own_relation(ctx, grant, h, CAEC_TOKEN_ROLE_PROVIDER, cons);
	ct_send(1, 2);
	CT_EQ(ct_recv(1), 3); /* the consumer checked its own and detached */
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void seal_tokens_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *a;
	uint8_t h[32];
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t prov = ct_recv(0), grant = ct_recv(0);
	recv_hash(0, h);
	CT_OK(caec_attach(ctx, grant, NULL, &a));
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 2);
	check_own_relation(ctx, grant, h, CAEC_TOKEN_ROLE_CONSUMER, prov);
	CT_OK(caec_detach(a));
	ct_close(ctx);
	ct_send(0, 3);
}

/* Bytes between roles as 64-bit values: the length, then 8 bytes a value. */
static void send_bytes(int to, const uint8_t *b, size_t n)
{
	ct_send(to, n);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = 0;
		memcpy(&v, b + i, n - i < 8 ? n - i : 8);
		ct_send(to, v);
	}
}

static size_t recv_bytes(int from, uint8_t *b, size_t cap)
{
	uint64_t n = ct_recv(from);
	CT_CHECK(n > 0 && n <= cap);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = ct_recv(from);
		memcpy(b + i, &v, n - i < 8 ? n - i : 8);
	}
	return (size_t)n;
}

/* Answer the peer's challenge with a token of ours. */
static void prove(struct caec_ctx *ctx, int peer)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	CT_EQ(recv_bytes(peer, ch, sizeof(ch)), sizeof(ch));
	/* A buffer too small for any token first: refused, nothing written. */
	CT_ERR(caec_attest_token(ctx, ch, tok, 16), CAEC_E_MSGSIZE);
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	CT_CHECK(n > 0);
	send_bytes(peer, tok, (size_t)n);
}

/* PSA lifecycle "secured" (0x3000..0x30ff), as caec_verify_peer() reads it. */
static bool secured(uint32_t lc)
{
	return (lc & 0xff00u) == 0x3000u;
}

/*
 * Verify the peer's token for a fresh challenge of ours: accepted with
 * the platform's reservations and no other, the claims the peer's own;
 * then the same token refused for another challenge, another realm ID,
 * another RIM, and with one byte of its realm signature flipped.
 */
static void verify(struct caec_ctx *ctx, int peer, uint64_t peer_id, const char *which)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	uint64_t self;
	uint32_t flags;
	struct caec_rim_ref rim;
	struct caec_verify_policy pol;
	CT_OK(caec_self_id(ctx, &self));
	CT_OK(caec_ctx_flags(ctx, &flags));
	rim.len = ct_self_rim(ctx, rim.value); /* peers run this same program */
	CT_EQ(getrandom(ch, sizeof(ch), 0), sizeof(ch));
	send_bytes(peer, ch, sizeof(ch));
	size_t len = recv_bytes(peer, tok, sizeof(tok));

	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.rims = &rim;
	pol.n_rims = 1;
	cl.size = sizeof(cl);
	uint64_t t0 = ct_now_ns();
	int rc = caec_verify_peer(ctx, peer_id, ch, tok, len, &pol, &cl);
	uint64_t t1 = ct_now_ns();
	CT_OK(rc);
	CT_EQ(cl.realm_id, peer_id);
	CT_EQ(cl.rim_len, rim.len);
	CT_MEM_EQ(cl.rim, rim.value, rim.len);
	CT_MEM_EQ(cl.challenge, ch, sizeof(ch));
	/* Reservations: exactly those the platform earns.  An unpinned key
	 * (on the RSI always: a realm cannot pin the per-boot key of the
	 * firmware), and a platform whose lifecycle is not "secured". */
	int want = (flags & CAEC_CTX_F_KEY_PINNED) ? 0 : CAEC_VERIFY_W_UNPINNED;
	if (!secured(cl.lifecycle))
		want |= CAEC_VERIFY_W_DEBUG_PLATFORM;
	if (strcmp(ct_backend(), "rsi") == 0)
		CT_CHECK(want & CAEC_VERIFY_W_UNPINNED);
	CT_EQ(rc, want);
	/* Again: the platform key is known by now. */
	int rc2 = caec_verify_peer(ctx, peer_id, ch, tok, len, &pol, &cl);
	uint64_t t2 = ct_now_ns();
	CT_EQ(rc2, want);
	ct_note("%s: caec_verify_peer() %llu ms (first, with the platform key), then %llu ms; "
		"lifecycle 0x%04x, reservations %d", which,
		(unsigned long long)((t1 - t0) / 1000000u), (unsigned long long)((t2 - t1) / 1000000u),
		(unsigned)cl.lifecycle, rc);

	CT_ERR(caec_verify_peer(ctx, self, ch, tok, len, &pol, NULL), CAEC_E_REALM_ID);
	ch[5] ^= 0x20;
	CT_ERR(caec_verify_peer(ctx, peer_id, ch, tok, len, &pol, NULL), CAEC_E_CHALLENGE);
	ch[5] ^= 0x20;
	rim.value[0] ^= 1;
	CT_ERR(caec_verify_peer(ctx, peer_id, ch, tok, len, &pol, NULL), CAEC_E_RIM);
	rim.value[0] ^= 1;
	tok[len - 1] ^= 0x01; /* the last byte: the realm token's signature */
	CT_ERR(caec_verify_peer(ctx, peer_id, ch, tok, len, &pol, NULL), CAEC_E_SIGNATURE);
}

/*
 * Mutual attestation, as an application does it before sharing: each
 * role challenges the other, gets a token for that challenge, and checks
 * it with caec_verify_peer() (the platform's key, the RIM of this
 * program, the peer's realm ID, freshness).
 */
static void attest_role0(void)
{
	struct caec_ctx *ctx = ct_open();
	uint64_t self, peer = ct_recv(1);
	CT_OK(caec_self_id(ctx, &self));
	ct_send(1, self);
	verify(ctx, 1, peer, "role 0 checks role 1");
	prove(ctx, 1);
	CT_EQ(ct_recv(1), 1);
	ct_close(ctx);
}

static void attest_role1(void)
{
	struct caec_ctx *ctx = ct_open();
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t peer = ct_recv(0);
	prove(ctx, 0);
	verify(ctx, 0, peer, "role 1 checks role 0");
	ct_close(ctx);
	ct_send(0, 1);
}

const struct ct_case ct_cases_seal[] = {
	{ "policy_local_attestation", "seal", 2, policy_provider, policy_consumer, NULL, -1, NULL },
	{ "seal_hash_and_read_only", "seal", 2, seal_provider, seal_consumer, NULL, -1, NULL },
	{ "seal_cannot_be_undone_by_mprotect", "seal", 1, seal_mprotect, NULL, NULL, -1, NULL },
	{ "seal_refused_with_rw_grant", "seal", 2, seal_rw_provider, seal_rw_consumer, NULL, -1,
	  NULL },
	{ "seal_hash_in_tokens", "seal", 2, seal_tokens_provider, seal_tokens_consumer, NULL, -1,
	  NULL },
	{ "attest_verify_peer", "seal", 2, attest_role0, attest_role1, NULL, -1, NULL },
};
const size_t ct_ncases_seal = sizeof(ct_cases_seal) / sizeof(ct_cases_seal[0]);
