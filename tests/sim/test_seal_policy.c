/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Local attestation (the platform checks the consumer's measurement at
 * attach) and sealed regions (read-only for everyone, content hashed by
 * the platform), against a real caec-simd.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mbedtls/sha256.h>

#include <caec/attest.h>

#include "caec_test.h"
#include "fault_probe.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	return caec_test_start_simd(&simd, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

/* The measurement the simulated platform took of this process (the same
 * for every realm it opens), from a token of its own. */
static void self_rim(struct caec_ctx *ctx, uint8_t out[32])
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 0 };
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	cl.size = sizeof(cl);
	assert_caec_ok(caec_token_parse(tok, (size_t)n, &cl));
	assert_int_equal(cl.rim_len, 32);
	memcpy(out, cl.rim, 32);
}

/* Does a store fault?  In this process: region memory is not inherited
 * by a forked child. */
static int store_faults(volatile unsigned char *p)
{
	return caec_test_faults(p, true);
}

struct two {
	struct caec_ctx *prov, *cons;
	uint64_t cons_id;
};

static void open_two(struct two *t)
{
	assert_caec_ok(caec_open(&t->prov, NULL));
	assert_caec_ok(caec_open(&t->cons, NULL));
	assert_caec_ok(caec_self_id(t->cons, &t->cons_id));
}

static void close_two(struct two *t)
{
	caec_close(t->cons);
	caec_close(t->prov);
}

/*
 * A grant carrying the consumer's real measurement lets it attach; a grant
 * carrying any other measurement (one bit off, or a different length) is
 * refused by the platform at attach, and the grant stays attachable by
 * nobody else.
 */
static void test_policy_local_attestation(void **state)
{
	(void)state;
	struct two t;
	struct caec_region *r, *a;
	struct caec_grant_policy pol;
	uint64_t good, bad, shortp;
	open_two(&t);
	assert_caec_ok(caec_share(t.prov, CAEC_GRANULE_SIZE, 0, &r));

	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.rim_len = 32;
	self_rim(t.cons, pol.rim);
	assert_caec_ok(caec_grant(r, t.cons_id, CAEC_PERM_RO, &pol, &good));
	assert_caec_ok(caec_attach(t.cons, good, NULL, &a));
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_revoke(r, good));

	pol.rim[7] ^= 0x01;
	assert_caec_ok(caec_grant(r, t.cons_id, CAEC_PERM_RO, &pol, &bad));
	assert_caec_err(caec_attach(t.cons, bad, NULL, &a), CAEC_E_DENIED);
	/* The denial left the grant granted but unattached. */
	struct caec_grant_info gi;
	assert_caec_count(caec_grant_list(t.cons, &gi, 1), 1);
	assert_int_equal(gi.grant_id, bad);
	assert_false(gi.flags & CAEC_GRANT_F_ATTACHED);
	assert_caec_ok(caec_revoke(r, bad));

	pol.rim[7] ^= 0x01;
	pol.rim_len = 31; /* right prefix, wrong length */
	assert_caec_ok(caec_grant(r, t.cons_id, CAEC_PERM_RO, &pol, &shortp));
	assert_caec_err(caec_attach(t.cons, shortp, NULL, &a), CAEC_E_DENIED);
	assert_caec_ok(caec_unshare(r));
	close_two(&t);
}

/*
 * Sealing: the hash the platform reports is the SHA-256 of the content;
 * afterwards the provider's own store faults, a read-only consumer that
 * requires that hash attaches, one that requires another hash gets
 * CAEC_E_HASH, and read-write grants are refused.
 */
static void test_seal_hash_and_read_only(void **state)
{
	(void)state;
	struct two t;
	struct caec_region *r, *a;
	uint8_t h[CAEC_HASH_MAX], want[32];
	uint64_t grant, rw;
	size_t size = 4 * CAEC_GRANULE_SIZE;
	open_two(&t);
	assert_caec_ok(caec_share(t.prov, size, 0, &r));
	unsigned char *p = caec_region_addr(r);
	for (size_t i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 31 + 7);
	mbedtls_sha256_ret(p, size, want, 0);

	int n = caec_seal(r, h, sizeof(h));
	assert_int_equal(n, 32);
	assert_memory_equal(h, want, 32);
	assert_true(caec_region_is_sealed(r));
	assert_int_equal(caec_region_perm(r), CAEC_PERM_RO);
	/* Same address, same content, now read-only for the provider too. */
	assert_ptr_equal(caec_region_addr(r), p);
	assert_int_equal(p[5], (unsigned char)(5 * 31 + 7));
	assert_true(store_faults(p));
	assert_caec_err(caec_seal(r, h, sizeof(h)), CAEC_E_STATE);

	assert_caec_err(caec_grant(r, t.cons_id, CAEC_PERM_RW, NULL, &rw), CAEC_E_PERM);
	assert_caec_ok(caec_grant(r, t.cons_id, CAEC_PERM_RO, NULL, &grant));
	struct caec_grant_info gi;
	assert_caec_count(caec_grant_list(t.cons, &gi, 1), 1);
	assert_true(gi.flags & CAEC_GRANT_F_SEALED);

	struct caec_attach_opts o;
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.hash_len = 32;
	memcpy(o.expected_hash, want, 32);
	o.expected_hash[31] ^= 0x80;
	assert_caec_err(caec_attach(t.cons, grant, &o, &a), CAEC_E_HASH);
	o.expected_hash[31] ^= 0x80;
	assert_caec_ok(caec_attach(t.cons, grant, &o, &a));
	assert_true(caec_region_is_sealed(a));
	assert_memory_equal(caec_region_addr(a), p, size);
	assert_true(store_faults(caec_region_addr(a)));
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_unshare(r));
	close_two(&t);
}

/*
 * The seal is the kernel's, not the library's: even a descriptor-level
 * attempt to map the sealed memory writable fails for the provider (who
 * still holds its original read-write descriptor inside the library), as
 * observed by a write through a fresh writable mapping of /proc/self/map_files
 * being impossible -- here checked the portable way: mprotect() of the
 * provider's mapping to PROT_WRITE fails.
 */
static void test_seal_cannot_be_undone_by_mprotect(void **state)
{
	(void)state;
	struct two t;
	struct caec_region *r;
	uint8_t h[CAEC_HASH_MAX];
	open_two(&t);
	assert_caec_ok(caec_share(t.prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_count(caec_seal(r, h, sizeof(h)), 32);
	errno = 0;
	assert_int_equal(mprotect(caec_region_addr(r), CAEC_GRANULE_SIZE,
				  PROT_READ | PROT_WRITE), -1);
	assert_int_equal(errno, EACCES);
	assert_caec_ok(caec_unshare(r));
	close_two(&t);
}

/*
 * Sealing waits for read-write grants to go: refused while one exists
 * (even unattached), allowed after it is revoked.
 */
static void test_seal_refused_with_rw_grant(void **state)
{
	(void)state;
	struct two t;
	struct caec_region *r;
	uint8_t h[CAEC_HASH_MAX];
	uint64_t grant;
	open_two(&t);
	assert_caec_ok(caec_share(t.prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, t.cons_id, CAEC_PERM_RW, NULL, &grant));
	assert_caec_err(caec_seal(r, h, sizeof(h)), CAEC_E_STATE);
	/* Still writable after the refusal. */
	((volatile unsigned char *)caec_region_addr(r))[0] = 1;
	assert_caec_ok(caec_revoke(r, grant));
	assert_caec_count(caec_seal(r, h, sizeof(h)), 32);
	assert_caec_ok(caec_unshare(r));
	close_two(&t);
}

/*
 * The seal hash appears in the attestation tokens of both sides: the
 * provider's relation and the consumer's relation carry the same hash as
 * caec_seal() returned, with the right peers and roles.
 */
static void test_seal_hash_in_tokens(void **state)
{
	(void)state;
	struct two t;
	struct caec_region *r, *a;
	uint8_t h[CAEC_HASH_MAX], ch[CAEC_CHALLENGE_SIZE] = { 1, 2, 3 };
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint64_t grant, prov_id;
	open_two(&t);
	assert_caec_ok(caec_self_id(t.prov, &prov_id));
	assert_caec_ok(caec_share(t.prov, CAEC_GRANULE_SIZE, 0, &r));
	memset(caec_region_addr(r), 0x3c, CAEC_GRANULE_SIZE);
	assert_caec_count(caec_seal(r, h, sizeof(h)), 32);
	assert_caec_ok(caec_grant(r, t.cons_id, CAEC_PERM_RO, NULL, &grant));
	assert_caec_ok(caec_attach(t.cons, grant, NULL, &a));

	struct caec_ctx *who[2] = { t.prov, t.cons };
	for (int i = 0; i < 2; i++) {
		int n = caec_attest_token(who[i], ch, tok, sizeof(tok));
		assert_true(n > 0);
		cl.size = sizeof(cl);
		assert_caec_ok(caec_token_parse(tok, (size_t)n, &cl));
		assert_int_equal(cl.n_relations, 1);
		const struct caec_token_relation *rel = &cl.relations[0];
		assert_int_equal(rel->grant_id, grant);
		assert_true(rel->flags & CAEC_GRANT_F_SEALED);
		assert_int_equal(rel->hash_len, 32);
		assert_memory_equal(rel->hash, h, 32);
		assert_int_equal(rel->perm, CAEC_PERM_RO);
		if (i == 0) {
			assert_int_equal(rel->role, CAEC_TOKEN_ROLE_PROVIDER);
			assert_int_equal(rel->peer_id, t.cons_id);
		} else {
			assert_int_equal(rel->role, CAEC_TOKEN_ROLE_CONSUMER);
			assert_int_equal(rel->peer_id, prov_id);
		}
	}
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_unshare(r));
	close_two(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_policy_local_attestation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_hash_and_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_cannot_be_undone_by_mprotect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_refused_with_rw_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_hash_in_tokens, setup, teardown),
	};
	return cmocka_run_group_tests_name("local attestation and sealing (sim)", tests, NULL, NULL);
}
