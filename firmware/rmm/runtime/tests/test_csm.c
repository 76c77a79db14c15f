/*
 * Confidential shared memory in the RMM (runtime/csm) on the fake host:
 * every CSM call through REC_ENTER, the granule model, the faults a realm
 * takes, realm death, doorbells, TLB invalidation by VMID and IPA, the
 * metadata protocol and the lock order.
 */
#include "csm_world.h"

#include <csm/check.h>
#include <lockdep.h>
#include <rmm_csm.h>
#include <sha256.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CSM_1_0		CAEC_CSM_ABI_VERSION(1, 0)
#define REGION_PAGES	4U

static struct w_realm P, C, O;	/* provider, consumer, outsider */

static int setup(void **state)
{
	rmm_test_setup(state);
	w_world_reset();
	w_realm_make(&P, 1);
	w_realm_make(&C, 2);
	w_realm_make(&O, 3);
	return 0;
}

/* Every test ends with the state machine consistent and nothing locked. */
static int teardown(void **state)
{
	(void)state;
	assert_int_equal(0, csm_check(rmm_csm_state()));
	assert_int_equal(0, lockdep_held());
	return 0;
}

static uint64_t pa_of(const struct w_realm *r, uint64_t ipa)
{
	return s2tte_pa(w_entry(r, ipa));
}

static uint32_t refcount(uint64_t pa)
{
	return granule_refcount(addr_to_granule(pa));
}

/* Provider shares REGION_PAGES at W_CSM_BASE, grants to C with perm. */
static uint64_t share(struct w_realm *p, uint64_t *region)
{
	struct w_call c;

	assert_int_equal(RSI_SUCCESS, w_rsi_helped(p, SMC_RSI_CSM_SHARE, W_CSM_BASE,
						   REGION_PAGES * G, 0, 0, &c));
	*region = c.x[1];
	return *region;
}

static uint64_t grant(struct w_realm *p, uint64_t region, struct w_realm *to, unsigned long perm)
{
	struct w_call c;

	assert_int_equal(RSI_SUCCESS, w_rsi_helped(p, SMC_RSI_CSM_GRANT, region, to->id, perm, 0, &c));
	return c.x[1];
}

static void attach(struct w_realm *c, uint64_t g, uint64_t base)
{
	struct w_call k;

	assert_int_equal(RSI_SUCCESS, w_rsi_helped(c, SMC_RSI_CSM_RESERVE, g, base,
						   REGION_PAGES * G, 0, &k));
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(c, SMC_RSI_CSM_ATTACH, g, 0, 0, 0, &k));
}

static void poke(struct w_realm *r, uint64_t ipa, uint64_t v)
{
	assert_int_equal(WA_OK, w_access(r, ipa, true, &v));
}

static uint64_t peek(struct w_realm *r, uint64_t ipa)
{
	uint64_t v = 0;

	assert_int_equal(WA_OK, w_access(r, ipa, false, &v));
	return v;
}

/*
 * Proves realm IDs: assigned at REALM_ACTIVATE, non-zero, distinct, not a
 * counter; a destroyed realm's ID is never handed out again; and the
 * version calls of both interfaces.
 */
static void test_csm_ids_and_versions(void **state)
{
	struct w_realm d;
	struct smc_result res;
	struct w_call c;
	uint64_t old;

	(void)state;
	assert_int_not_equal(P.id, C.id);
	assert_int_not_equal(C.id, O.id);
	assert_true(P.id + 1 != C.id && C.id + 1 != O.id);
	w_rsi(&P, SMC_RSI_CSM_VERSION, CSM_1_0, 0, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(CSM_1_0, c.x[1]);
	assert_int_equal(CSM_1_0, c.x[2]);
	assert_int_equal(CAEC_CSM_FEAT_RO_S2 | CAEC_CSM_FEAT_LOCAL_ATTEST | CAEC_CSM_FEAT_SEAL |
			 CAEC_CSM_FEAT_NOTIFY, c.x[3]);
	w_rsi(&P, SMC_RSI_CSM_VERSION, CAEC_CSM_ABI_VERSION(2, 0), 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_CSM_VERSION, CSM_1_0, 0, 0, 0, 0, &res));
	assert_int_equal(CSM_1_0, res.x[1]);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_CSM_VERSION, 0x30000, 0, 0, 0, 0, NULL));
	/* Death and a new realm (same VMID, same RD granule can come back). */
	old = O.id;
	w_realm_teardown(&O);
	w_realm_make(&d, 3);
	assert_int_not_equal(old, d.id);
	assert_int_not_equal(P.id, d.id);
	assert_int_equal(d.id, rmm_csm_realm_id(d.t.rd));
}

/*
 * Proves CSM_SHARE's host protocol and result: with no metadata yet, BUSY
 * + CSM_META; then, unpopulated RAM, BUSY + CSM_POPULATE naming the
 * range; after the host populates, the call succeeds; every page is a
 * zeroed region page of the provider with refcount 1 (its one mapping);
 * overlaps and assigned EMPTY pages are refused (ERROR_INPUT) and change
 * nothing; unassigned EMPTY memory becomes RAM to populate.
 */
static void test_csm_share_populate(void **state)
{
	struct w_call c;
	uint64_t i, region, empty, pa;

	(void)state;
	w_rsi(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE, REGION_PAGES * G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_BUSY, c.x[0]);
	assert_int_equal(RMI_EXIT_CSM_META, c.exit.exit_reason);
	(void)w_host_meta_add(&P);
	w_rsi(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE, REGION_PAGES * G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_BUSY, c.x[0]);
	assert_int_equal(RMI_EXIT_CSM_POPULATE, c.exit.exit_reason);
	assert_int_equal(W_CSM_BASE, c.exit.ripas_base);
	assert_int_equal(W_CSM_BASE + REGION_PAGES * G, c.exit.ripas_top);
	w_host_populate(&P, c.exit.ripas_base, c.exit.ripas_top);
	memset(fake_pa_ptr(pa_of(&P, W_CSM_BASE)), 0xAB, G);	/* old content */
	w_rsi(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE, REGION_PAGES * G, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	region = c.x[1];
	assert_int_not_equal(0, region);
	for (i = 0; i < REGION_PAGES; i++) {
		uint64_t e = w_entry(&P, W_CSM_BASE + i * G);

		assert_true(s2tte_is_csm_region(e, 3));
		assert_false(s2tte_is_read_only(e));
		assert_int_equal(1, refcount(s2tte_pa(e)));
		assert_true(rmm_csm_granule_is_shared(s2tte_pa(e)));
	}
	assert_int_equal(0, peek(&P, W_CSM_BASE));	/* zeroed */
	/* Overlap: the realm's error. */
	w_rsi(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE + G, G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	/*
	 * An assigned RIPAS EMPTY page (past the RAM the host declared) is
	 * the realm's error too, and nothing in the range changes.
	 */
	empty = TEST_IPA_BASE + W_RAM_PAGES * G;
	pa = w_alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, P.t.rd, pa, empty + G, 0, 0, NULL));
	w_rsi(&P, SMC_RSI_CSM_SHARE, empty, 2 * G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_int_equal(RIPAS_EMPTY, s2tte_get_ripas(w_entry(&P, empty), 3));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, P.t.rd, empty + G, 0, 0, 0, NULL));
	w_undelegate(pa);
	/*
	 * Unassigned EMPTY memory: sharing it is the realm's consent to have
	 * RAM there; it becomes RIPAS RAM for the host to populate.
	 */
	w_rsi(&P, SMC_RSI_CSM_SHARE, empty, G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_BUSY, c.x[0]);
	assert_int_equal(RMI_EXIT_CSM_POPULATE, c.exit.exit_reason);
	assert_int_equal(empty, c.exit.ripas_base);
	assert_true(s2tte_is_unassigned(w_entry(&P, empty)));
	assert_int_equal(RIPAS_RAM, s2tte_get_ripas(w_entry(&P, empty), 3));
	w_host_populate(&P, c.exit.ripas_base, c.exit.ripas_top);
	w_rsi(&P, SMC_RSI_CSM_SHARE, empty, G, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_true(s2tte_is_csm_region(w_entry(&P, empty), 3));
}

/*
 * Proves the metadata protocol: a provider's 16th object does not fit in
 * one donated granule (15 slots), the call answers BUSY with a CSM_META
 * exit and changes nothing; after CSM_META_ADD the same call succeeds.
 * CSM_META_REMOVE refuses a granule in use (ERROR_REALM) and one of
 * another realm (ERROR_INPUT), takes back an empty one; REALM_DESTROY
 * returns the rest.
 */
static void test_csm_meta(void **state)
{
	struct w_call c;
	uint64_t region, meta0, d;
	struct csm_stats st0, st1;
	unsigned int i;

	(void)state;
	(void)share(&P, &region);		/* 1 object */
	assert_int_equal(1, P.nmeta);
	meta0 = P.meta[0];
	(void)grant(&P, region, &C, CSM_PERM_RO);	/* 2 grants: 3 objects */
	(void)grant(&P, region, &O, CSM_PERM_RO);
	assert_int_equal(0, C.nmeta);		/* consuming costs C nothing */
	assert_int_equal(1, P.nmeta);
	assert_int_equal(3, refcount(meta0));
	/* Fill up with regions of one page each. */
	for (i = 0; i < 12; i++) {
		assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_SHARE,
							   W_CSM_BASE + (8 + i) * G, G, 0, 0, &c));
	}
	assert_int_equal(1, P.nmeta);
	assert_int_equal(15, refcount(meta0));
	w_host_populate(&P, W_CSM_BASE + 20 * G, W_CSM_BASE + 21 * G);
	csm_get_stats(rmm_csm_state(), &st0);
	w_rsi(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE + 20 * G, G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_BUSY, c.x[0]);
	assert_int_equal(RMI_EXIT_CSM_META, c.exit.exit_reason);
	csm_get_stats(rmm_csm_state(), &st1);
	assert_memory_equal(&st0, &st1, sizeof(st0));
	(void)w_host_meta_add(&P);
	w_rsi(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE + 20 * G, G, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	/* META_REMOVE: in use, wrong realm, then an empty one. */
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_CSM_META_REMOVE, P.t.rd, meta0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_CSM_META_REMOVE, C.t.rd, meta0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_CSM_META_REMOVE, P.t.rd, P.priv[0], 0, 0, 0, NULL));
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_UNSHARE, c.x[1], 0, 0, 0, &c));
	assert_int_equal(0, refcount(P.meta[1]));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_CSM_META_REMOVE, P.t.rd, P.meta[1], 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(P.meta[1])));
	/* A realm after SYSTEM_OFF gets no more. */
	w_rsi(&P, PSCI_SYSTEM_OFF, 0, 0, 0, 0, &c);
	assert_int_equal(0, refcount(meta0));	/* its death freed every object */
	d = w_alloc_ns();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, d, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_CSM_META_ADD, P.t.rd, d, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, d, 0, 0, 0, 0, NULL));
	w_free_ns(d);
	w_realm_teardown(&P);
	assert_int_equal(GRANULE_STATE_NS, granule_get_state(addr_to_granule(meta0)));
}

/*
 * The core scenario: an RO consumer and an outsider.  Proves that the
 * consumer sees the provider's bytes in place (same granule, refcount =
 * mappings), its store is an SEA (never a host exit), the outsider sees
 * nothing and is DENIED, the host cannot DATA_CREATE or map the shared PA
 * elsewhere, and after REVOKE the consumer's accesses are SEAs, the host
 * cannot repopulate the range, and every page was invalidated by the
 * consumer's VMID and IPA with no VMID-wide flush.
 */
static void test_csm_isolation(void **state)
{
	uint64_t region, g, pa, v = 7, i, before, flushes;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	g = grant(&P, region, &C, CSM_PERM_RO);
	/* The consumer sees its grant, the outsider nothing. */
	w_rsi(&C, SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(g, c.x[1]);
	assert_int_equal(P.id, c.x[2]);
	assert_int_equal(REGION_PAGES * G, c.x[3]);
	assert_int_equal(CSM_PERM_RO, c.x[4]);
	assert_int_equal(0, c.x[5]);
	w_rsi(&O, SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&O, SMC_RSI_CSM_RESERVE, g, W_RSV_BASE, REGION_PAGES * G, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	w_rsi(&O, SMC_RSI_CSM_ATTACH, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);

	poke(&P, W_CSM_BASE + 8, 0x1122334455667788UL);
	attach(&C, g, W_RSV_BASE);
	pa = pa_of(&P, W_CSM_BASE);
	assert_int_equal(pa, pa_of(&C, W_RSV_BASE));
	assert_true(s2tte_is_csm_consumer(w_entry(&C, W_RSV_BASE), 3));
	assert_true(s2tte_is_read_only(w_entry(&C, W_RSV_BASE)));
	assert_int_equal(2, refcount(pa));
	assert_int_equal(0x1122334455667788UL, peek(&C, W_RSV_BASE + 8));
	poke(&P, W_CSM_BASE + 8, 0x99);
	assert_int_equal(0x99, peek(&C, W_RSV_BASE + 8));
	/* RO consumer's store: an SEA inside the realm, not an exit. */
	assert_int_equal(WA_SEA, w_access(&C, W_RSV_BASE + 8, true, &v));
	assert_int_equal(0x99, peek(&P, W_CSM_BASE + 8));

	/* The host cannot put the shared granule anywhere else. */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, O.t.rd, pa,
					TEST_IPA_BASE + 100 * G, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, O.t.rd, TEST_UNPROT, 3, pa, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL));
	assert_int_equal(FAKE_GPI_REALM, fake_gpt_get(pa));

	/* Revoke: unmapped (TLBI by VMID+IPA), then SEA, not populatable. */
	before = fake_tlbi_pages();
	flushes = fake_tlbi_vmid_count();
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_REVOKE, g, 0, 0, 0, &c));
	for (i = 0; i < REGION_PAGES; i++) {
		assert_true(fake_tlbi_page_logged(C.t.vmid, W_RSV_BASE + i * G, before));
		assert_false(fake_tlbi_page_logged(P.t.vmid, W_CSM_BASE + i * G, before));
		assert_int_equal(WA_SEA, w_access(&C, W_RSV_BASE + i * G, false, &v));
		assert_int_equal(S2TTE_CSM_MARK_GONE, s2tte_csm_mark(w_entry(&C, W_RSV_BASE + i * G)));
	}
	assert_int_equal(flushes, fake_tlbi_vmid_count());
	assert_int_equal(1, refcount(pa));
	{
		uint64_t d = w_alloc_ns();

		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, d, 0, 0, 0, 0, NULL));
		assert_rmi(rmi_pack(RMI_ERROR_RTT, 3), rmi(SMC_RMI_DATA_CREATE_UNKNOWN, C.t.rd, d,
							   W_RSV_BASE, 0, 0, NULL));
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, d, 0, 0, 0, 0, NULL));
		w_free_ns(d);
	}
	/* The revoked grant is gone for the consumer: DENIED, not "no such". */
	w_rsi(&C, SMC_RSI_CSM_DETACH, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
}

/* Proves a RW consumer writes the provider's memory in place. */
static void test_csm_rw_consumer(void **state)
{
	uint64_t region, g;

	(void)state;
	(void)share(&P, &region);
	g = grant(&P, region, &C, CSM_PERM_RW);
	attach(&C, g, W_RSV_BASE);
	assert_false(s2tte_is_read_only(w_entry(&C, W_RSV_BASE + G)));
	poke(&C, W_RSV_BASE + G + 16, 0xC0FFEE);
	assert_int_equal(0xC0FFEE, peek(&P, W_CSM_BASE + G + 16));
}

/*
 * Proves RESERVE's host protocol: private pages in the range give BUSY +
 * CSM_RELEASE; once the host reclaimed them the range is marked reserved,
 * DATA_CREATE refuses it, the realm's own access is an SEA; DETACH leaves
 * it RIPAS EMPTY and the host may populate it again (no consent needed).
 */
static void test_csm_reserve_release(void **state)
{
	uint64_t region, g, base = TEST_IPA_BASE + 2 * G, d, v;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	g = grant(&P, region, &C, CSM_PERM_RO);
	w_rsi(&C, SMC_RSI_CSM_RESERVE, g, base, REGION_PAGES * G, 0, &c);
	assert_int_equal(RSI_ERROR_BUSY, c.x[0]);
	assert_int_equal(RMI_EXIT_CSM_RELEASE, c.exit.exit_reason);
	assert_int_equal(base, c.exit.ripas_base);
	assert_int_equal(base + REGION_PAGES * G, c.exit.ripas_top);
	w_host_release(&C, c.exit.ripas_base, c.exit.ripas_top);
	w_rsi(&C, SMC_RSI_CSM_RESERVE, g, base, REGION_PAGES * G, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(S2TTE_CSM_MARK_RESERVED, s2tte_csm_mark(w_entry(&C, base)));
	d = w_alloc_ns();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, d, 0, 0, 0, 0, NULL));
	assert_rmi(rmi_pack(RMI_ERROR_RTT, 3), rmi(SMC_RMI_DATA_CREATE_UNKNOWN, C.t.rd, d, base, 0, 0, NULL));
	assert_int_equal(WA_SEA, w_access(&C, base, false, &v));
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g, 0, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(CSM_PERM_RO, c.x[1]);
	w_rsi(&C, SMC_RSI_CSM_DETACH, g, 0, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_true(s2tte_is_unassigned(w_entry(&C, base)));
	assert_int_equal(RIPAS_EMPTY, s2tte_get_ripas(w_entry(&C, base), 3));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, C.t.rd, d, base, 0, 0, NULL));
	/* The grant remains: reserve (the host takes its page back) and attach again. */
	w_rsi(&C, SMC_RSI_CSM_RESERVE, g, base, REGION_PAGES * G, 0, &c);
	assert_int_equal(RMI_EXIT_CSM_RELEASE, c.exit.exit_reason);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, C.t.rd, base, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, d, 0, 0, 0, 0, NULL));
	w_free_ns(d);
	attach(&C, g, base);
	assert_int_equal(2, refcount(pa_of(&P, W_CSM_BASE)));
}

/*
 * Proves sealing: refused while a RW grant exists; then the hash written
 * to the caller's private buffer is the SHA-256 of the content, every
 * mapping (provider's included) is read-only, the provider's store is an
 * SEA, a RW grant is refused (DENIED) and the list shows "sealed";
 * an output buffer in shared memory is refused.
 */
static void test_csm_seal(void **state)
{
	uint64_t region, g, out = TEST_IPA_BASE + 3 * G, v = 1, i;
	uint8_t want[32], *got;
	struct sha256_ctx sc;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	poke(&P, W_CSM_BASE, 0xDEADBEEF);
	g = grant(&P, region, &C, CSM_PERM_RW);
	w_rsi(&P, SMC_RSI_CSM_SEAL, region, out, 0, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_REVOKE, g, 0, 0, 0, &c));
	g = grant(&P, region, &C, CSM_PERM_RO);
	attach(&C, g, W_RSV_BASE);
	w_rsi(&P, SMC_RSI_CSM_SEAL, region, W_CSM_BASE, 0, 0, &c);	/* shared buffer */
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&P, SMC_RSI_CSM_SEAL, region, out + 4, 0, 0, &c);	/* misaligned */
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&P, SMC_RSI_CSM_SEAL, region, out, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	sha256_init(&sc);
	for (i = 0; i < REGION_PAGES; i++) {
		sha256_update(&sc, fake_pa_ptr(pa_of(&P, W_CSM_BASE + i * G)), G);
		assert_true(s2tte_is_read_only(w_entry(&P, W_CSM_BASE + i * G)));
	}
	sha256_final(&sc, want);
	got = fake_pa_ptr(pa_of(&P, out));
	assert_memory_equal(want, got, 32);
	for (i = 32; i < 64; i++) {
		assert_int_equal(0, got[i]);
	}
	assert_int_equal(WA_SEA, w_access(&P, W_CSM_BASE, true, &v));
	assert_int_equal(0xDEADBEEF, peek(&C, W_RSV_BASE));
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, O.id, CSM_PERM_RW, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	w_rsi(&C, SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0, &c);
	assert_int_equal(3, c.x[5]);	/* sealed | attached */
	w_rsi(&P, SMC_RSI_CSM_SEAL, region, out, 0, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);
	/* Unshare: the pages are private and writable again. */
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_UNSHARE, region, 0, 0, 0, &c));
	assert_false(s2tte_is_csm(w_entry(&P, W_CSM_BASE), 3));
	poke(&P, W_CSM_BASE, 5);
	assert_int_equal(S2TTE_CSM_MARK_GONE, s2tte_csm_mark(w_entry(&C, W_RSV_BASE)));
}

/*
 * Proves the error detail: on failure x1 holds the magnitude of the
 * enum caec_err core/csm returned, so causes that share an RSI status
 * stay apart (NOENT and INVAL are both ERROR_INPUT; EXIST and STATE both
 * ERROR_STATE; PERM, HASH and DENIED all ERROR_DENIED), for calls with
 * one result register before this detail too (REVOKE, DETACH).
 */
static void test_csm_error_detail(void **state)
{
	uint64_t region, g, out = TEST_IPA_BASE + 3 * G;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id ^ 0xF0F0UL, CSM_PERM_RO, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_NOENT);
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id, 2, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_INVAL);
	g = grant(&P, region, &C, CSM_PERM_RO);
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id, CSM_PERM_RO, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_EXIST);
	w_rsi(&P, SMC_RSI_CSM_REVOKE, g ^ 0x3C3CUL, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_NOENT);
	w_rsi(&O, SMC_RSI_CSM_REVOKE, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_DENIED);
	w_rsi(&C, SMC_RSI_CSM_DETACH, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_STATE);
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_REVOKE, g, 0, 0, 0, &c));
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_SEAL, region, out, 0, 0, &c));
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id, CSM_PERM_RW, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_PERM);
	/* Success leaves x1 to the call's own output. */
	g = grant(&P, region, &C, CSM_PERM_RO);
	assert_int_not_equal(0, g);
}

/*
 * Proves CSM_ATTACH's required hash: a consumer that names the sealed
 * region's SHA-256 (from its own private RAM) attaches; one bit off, the
 * wrong length, a buffer in shared memory or an unsealed region are
 * refused before anything is mapped (detail CAEC_E_HASH or CAEC_E_INVAL)
 * and the grant stays attachable.
 */
static void test_csm_attach_hash(void **state)
{
	uint64_t region, g, g2, region2, out = TEST_IPA_BASE + 3 * G, want = TEST_IPA_BASE + 5 * G;
	uint8_t *h;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	poke(&P, W_CSM_BASE + 8, 0x5EA1ED);
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_SEAL, region, out, 0, 0, &c));
	g = grant(&P, region, &C, CSM_PERM_RO);
	h = fake_pa_ptr(pa_of(&C, want));
	memcpy(h, fake_pa_ptr(pa_of(&P, out)), 32);
	h[31] ^= 0x80;
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&C, SMC_RSI_CSM_RESERVE, g, W_RSV_BASE,
						   REGION_PAGES * G, 0, &c));
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g, want, 32, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_HASH);
	assert_int_equal(S2TTE_CSM_MARK_RESERVED, s2tte_csm_mark(w_entry(&C, W_RSV_BASE)));
	h[31] ^= 0x80;
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g, want, 31, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_INVAL);
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g, want + 4, 32, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g, W_RSV_BASE, 32, 0, &c);	/* not private RAM */
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g, want, 32, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(1, c.x[2]);	/* sealed */
	assert_int_equal(0x5EA1ED, peek(&C, W_RSV_BASE + 8));
	/* An unsealed region never matches a required hash. */
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE + 16 * G,
						   REGION_PAGES * G, 0, 0, &c));
	region2 = c.x[1];
	g2 = grant(&P, region2, &C, CSM_PERM_RO);
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&C, SMC_RSI_CSM_RESERVE, g2, W_RSV_BASE + 16 * G,
						   REGION_PAGES * G, 0, &c));
	w_rsi(&C, SMC_RSI_CSM_ATTACH, g2, want, 32, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	assert_caec_err(w_detail(&c), CAEC_E_HASH);
}

/* Writes a policy granule into the caller's private page at ipa. */
static void put_policy(struct w_realm *r, uint64_t ipa, const uint8_t *rim, uint32_t len,
		       uint16_t algo)
{
	uint8_t *p = fake_pa_ptr(pa_of(r, ipa));
	struct caec_csm_policy_abi h;

	memset(p, 0, G);
	memset(&h, 0, sizeof(h));
	h.magic = CAEC_CSM_POLICY_MAGIC;
	h.version = CAEC_CSM_POLICY_VERSION;
	h.hash_algo = algo;
	h.rim_len = len;
	memcpy(h.rim, rim, len);
	memcpy(p, &h, sizeof(h));
}

/*
 * Proves local attestation: a policy with the consumer's RIM admits it,
 * any other RIM is DENIED at ATTACH; a malformed policy (bad magic, a
 * reserved byte set, a wrong rim_len) or one not in the provider's
 * private RAM is ERROR_INPUT at GRANT.
 */
static void test_csm_policy(void **state)
{
	const uint8_t *rim_c = ((struct rd *)fake_pa_ptr(C.t.rd))->rim;
	uint64_t region, pol = TEST_IPA_BASE + 4 * G, g;
	uint8_t other[32];
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	put_policy(&P, pol, rim_c, 32, CAEC_CSM_HASH_SHA256);
	((uint8_t *)fake_pa_ptr(pa_of(&P, pol)))[100] = 1;	/* reserved byte */
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id, CSM_PERM_RO, pol, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	put_policy(&P, pol, rim_c, 31, CAEC_CSM_HASH_SHA256);
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id, CSM_PERM_RO, pol, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&P, SMC_RSI_CSM_GRANT, region, C.id, CSM_PERM_RO, W_CSM_BASE, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	put_policy(&P, pol, rim_c, 32, CAEC_CSM_HASH_SHA256);
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_GRANT, region, C.id,
						   CSM_PERM_RO, pol, &c));
	g = c.x[1];
	attach(&C, g, W_RSV_BASE);
	memcpy(other, rim_c, 32);
	other[0] ^= 1;
	put_policy(&P, pol, other, 32, CAEC_CSM_HASH_SHA256);
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_GRANT, region, O.id,
						   CSM_PERM_RO, pol, &c));
	g = c.x[1];
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&O, SMC_RSI_CSM_RESERVE, g, W_RSV_BASE,
						   REGION_PAGES * G, 0, &c));
	w_rsi(&O, SMC_RSI_CSM_ATTACH, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
}

/*
 * Proves DATA_DESTROY of a shared granule: through the provider, every
 * consumer's mapping goes first (TLBI by its VMID and IPA), the granule is
 * zeroed and DELEGATED, every participant's access to that page is an
 * SEA and no one can attach any more; through a consumer, only that view
 * goes and the provider's bytes are untouched.
 */
static void test_csm_data_destroy(void **state)
{
	uint64_t region, g1, g2, pa0, pa1, before, v;
	struct smc_result res;

	(void)state;
	(void)share(&P, &region);
	g1 = grant(&P, region, &C, CSM_PERM_RO);
	g2 = grant(&P, region, &O, CSM_PERM_RW);
	attach(&C, g1, W_RSV_BASE);
	attach(&O, g2, W_RSV_BASE + 16 * G);
	pa0 = pa_of(&P, W_CSM_BASE);
	pa1 = pa_of(&P, W_CSM_BASE + G);
	poke(&P, W_CSM_BASE + G, 0xAA55);
	assert_int_equal(3, refcount(pa1));
	/* Through a consumer: that view only. */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, C.t.rd, W_RSV_BASE + G, 0, 0, 0, &res));
	assert_int_equal(pa1, res.x[1]);
	assert_int_equal(2, refcount(pa1));
	assert_int_equal(GRANULE_STATE_DATA, granule_get_state(addr_to_granule(pa1)));
	assert_int_equal(0xAA55, peek(&P, W_CSM_BASE + G));
	assert_int_equal(0xAA55, peek(&O, W_RSV_BASE + 16 * G + G));
	assert_int_equal(WA_SEA, w_access(&C, W_RSV_BASE + G, false, &v));
	/* Through the provider: everyone's mapping first. */
	before = fake_tlbi_pages();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, P.t.rd, W_CSM_BASE, 0, 0, 0, &res));
	assert_int_equal(pa0, res.x[1]);
	assert_true(fake_tlbi_page_logged(C.t.vmid, W_RSV_BASE, before));
	assert_true(fake_tlbi_page_logged(O.t.vmid, W_RSV_BASE + 16 * G, before));
	assert_true(fake_tlbi_page_logged(P.t.vmid, W_CSM_BASE, before));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(pa0)));
	assert_int_equal(0, refcount(pa0));
	assert_int_equal(WA_SEA, w_access(&P, W_CSM_BASE, false, &v));
	assert_int_equal(WA_SEA, w_access(&C, W_RSV_BASE, false, &v));
	assert_int_equal(WA_SEA, w_access(&O, W_RSV_BASE + 16 * G, false, &v));
	assert_rmi(rmi_pack(RMI_ERROR_RTT, 3), rmi(SMC_RMI_DATA_CREATE_UNKNOWN, P.t.rd, pa0,
						   W_CSM_BASE, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, pa0, 0, 0, 0, 0, NULL));
	/* The pop list of P no longer owns pa0: take it out. */
	for (unsigned int i = 0; i < P.npop; i++) {
		if (P.pop[i] == pa0) {
			P.pop[i] = P.pop[--P.npop];
			w_free_ns(pa0);
		}
	}
}

/*
 * Proves realm death at SYSTEM_OFF: a provider's death revokes every
 * grant (consumers' ranges become SEA, the grant disappears from their
 * list, DETACH is DENIED: a clean error), its pages become its private
 * pages (refcount 1); a consumer's death detaches it.  Teardown then
 * leaves every granule undelegated.
 */
static void test_csm_death(void **state)
{
	uint64_t region, g1, g2, v, pa;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	g1 = grant(&P, region, &C, CSM_PERM_RO);
	g2 = grant(&P, region, &O, CSM_PERM_RW);
	attach(&C, g1, W_RSV_BASE);
	attach(&O, g2, W_RSV_BASE);
	pa = pa_of(&P, W_CSM_BASE);
	assert_int_equal(3, refcount(pa));
	/* The consumer O powers off: detached. */
	w_rsi(&O, PSCI_SYSTEM_OFF, 0, 0, 0, 0, &c);
	assert_int_equal(RMI_EXIT_PSCI, c.exit.exit_reason);
	assert_int_equal(2, refcount(pa));
	w_rsi(&P, SMC_RSI_CSM_REVOKE, g2, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);		/* no such grant any more */
	/* The provider powers off: C's range faults. */
	w_rsi(&P, PSCI_SYSTEM_OFF, 0, 0, 0, 0, &c);
	assert_int_equal(1, refcount(pa));
	assert_false(rmm_csm_granule_is_shared(pa));
	assert_int_equal(WA_SEA, w_access(&C, W_RSV_BASE, false, &v));
	w_rsi(&C, SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&C, SMC_RSI_CSM_DETACH, g1, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	w_realm_teardown(&P);
	w_realm_teardown(&O);
	w_realm_teardown(&C);
	assert_int_equal(0, granule_count_in_state(GRANULE_STATE_DELEGATED));
	assert_int_equal(0, granule_count_in_state(GRANULE_STATE_CSM_META));
}

/*
 * Proves REALM_DESTROY of realms that never powered off: a consumer with a
 * live mapping (the host removes its view page by page), then a provider
 * with live consumers elsewhere: they fault afterwards.
 */
static void test_csm_destroy_without_off(void **state)
{
	uint64_t region, g1, g2, v;

	(void)state;
	(void)share(&P, &region);
	g1 = grant(&P, region, &C, CSM_PERM_RO);
	g2 = grant(&P, region, &O, CSM_PERM_RO);
	attach(&C, g1, W_RSV_BASE);
	attach(&O, g2, W_RSV_BASE);
	w_realm_teardown(&C);
	assert_int_equal(2, refcount(pa_of(&P, W_CSM_BASE)));
	w_realm_teardown(&P);
	assert_int_equal(WA_SEA, w_access(&O, W_RSV_BASE, false, &v));
	w_realm_teardown(&O);
	assert_int_equal(0, granule_count_in_state(GRANULE_STATE_DELEGATED));
}

/*
 * Proves CSM_NOTIFY: an attached consumer's notify exits with
 * CSM_DOORBELL naming the provider's RD, the provider's names the
 * consumer's; before attach it is ERROR_STATE, from an outsider DENIED.
 */
static void test_csm_notify(void **state)
{
	uint64_t region, g;
	struct w_call c;

	(void)state;
	(void)share(&P, &region);
	g = grant(&P, region, &C, CSM_PERM_RW);
	w_rsi(&C, SMC_RSI_CSM_NOTIFY, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);
	assert_true(c.returned);
	attach(&C, g, W_RSV_BASE);
	w_rsi(&C, SMC_RSI_CSM_NOTIFY, g, 0, 0, 0, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(RMI_EXIT_CSM_DOORBELL, c.exit.exit_reason);
	assert_int_equal(P.t.rd, c.exit.gprs[0]);
	assert_int_equal(0, c.exit.gprs[1]);
	w_rsi(&P, SMC_RSI_CSM_NOTIFY, g, 0, 0, 0, &c);
	assert_int_equal(C.t.rd, c.exit.gprs[0]);
	w_rsi(&O, SMC_RSI_CSM_NOTIFY, g, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_DENIED, c.x[0]);
	assert_true(c.returned);
}

/*
 * Proves the RMM writes nothing of its own or the host's into shared
 * memory on a realm's behalf: REALM_CONFIG and HOST_CALL on a region page
 * or a consumer page are ERROR_INPUT, and RSI_IPA_STATE_SET completed by
 * the host stops at CSM entries.
 */
static void test_csm_no_writes_into_shared(void **state)
{
	uint64_t region, g;
	struct w_call c;
	struct smc_result res;

	(void)state;
	(void)share(&P, &region);
	g = grant(&P, region, &C, CSM_PERM_RW);
	attach(&C, g, W_RSV_BASE);
	w_rsi(&P, SMC_RSI_REALM_CONFIG, W_CSM_BASE, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&C, SMC_RSI_REALM_CONFIG, W_RSV_BASE, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&C, SMC_RSI_HOST_CALL, W_RSV_BASE, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_true(c.returned);
	/* IPA_STATE_SET over the consumer's range: the host cannot apply it. */
	w_rsi(&C, SMC_RSI_IPA_STATE_SET, W_RSV_BASE, W_RSV_BASE + G, RIPAS_EMPTY, 0, &c);
	assert_int_equal(RMI_EXIT_RIPAS_CHANGE, c.exit.exit_reason);
	assert_rmi(rmi_pack(RMI_ERROR_RTT, 3), rmi(SMC_RMI_RTT_SET_RIPAS, C.t.rd, C.rec, W_RSV_BASE,
						   W_RSV_BASE + G, 0, &res));
	assert_true(s2tte_is_csm_consumer(w_entry(&C, W_RSV_BASE), 3));
}

/* Run fn in a child: true if the lock-order check aborted it. */
static bool lockdep_aborts(void (*fn)(void))
{
	pid_t pid = fork();
	int st = 0;

	assert_true(pid >= 0);
	if (pid == 0) {
		(void)freopen("/dev/null", "w", stderr);	/* the expected assertion text */
		fn();
		_exit(0);	/* the check did not fire */
	}
	assert_int_equal(pid, waitpid(pid, &st, 0));
	if (WIFEXITED(st)) {
		assert_int_equal(0, WEXITSTATUS(st));
		return false;
	}
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	return true;
}

static void bad_csm_after_granule(void)
{
	(void)find_lock_granule(P.t.rd, GRANULE_STATE_RD);
	rmm_csm_lock();
}

static void bad_descending(void)
{
	(void)find_lock_granule(C.t.rd, GRANULE_STATE_RD);
	(void)find_lock_granule(P.t.rd, GRANULE_STATE_RD);
}

static void bad_peer_without_csm(void)
{
	(void)find_lock_rd_peer(P.t.rd);
}

static void bad_after_leaf(void)
{
	(void)find_lock_granule_leaf(P.priv[0], GRANULE_STATE_DATA);
	(void)find_lock_granule(O.t.rd, GRANULE_STATE_RD);
}

/* The documented order: CSM lock, named, a lower peer RD, a leaf. */
static void good_order(void)
{
	struct granule *a, *b, *d;

	rmm_csm_lock();
	a = find_lock_granule(O.t.rd, GRANULE_STATE_RD);
	b = find_lock_rd_peer(P.t.rd);
	d = find_lock_granule_leaf(C.priv[0], GRANULE_STATE_DATA);
	granule_unlock(d);
	granule_unlock(b);
	granule_unlock(a);
	rmm_csm_unlock();
}

/*
 * Proves the native build checks the lock order (lockdep.h): the CSM lock
 * after a granule lock, named granules in descending order, a peer RD
 * without the CSM lock, and a named granule after a leaf each abort; the
 * documented order (with a peer RD below the named one) does not.
 */
static void test_lock_order_checked(void **state)
{
	(void)state;
	assert_true(P.t.rd < C.t.rd && C.t.rd < O.t.rd);
	assert_true(lockdep_aborts(bad_csm_after_granule));
	assert_true(lockdep_aborts(bad_descending));
	assert_true(lockdep_aborts(bad_peer_without_csm));
	assert_true(lockdep_aborts(bad_after_leaf));
	assert_false(lockdep_aborts(good_order));
}

/* Without RNDR the RMM runs, but no realm gets CSM: every call fails. */
static void test_csm_no_entropy(void **state)
{
	struct w_realm r;
	struct w_call c;

	(void)state;
	fake_entropy_seed(1, true);
	rmm_csm_boot();
	assert_null(rmm_csm_state());
	memset(&r, 0, sizeof(r));
	r.t.rd = P.t.rd;
	r.rec = P.rec;
	r.run = P.run;
	w_rsi(&r, SMC_RSI_CSM_VERSION, CSM_1_0, 0, 0, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	assert_int_equal(0, c.x[3]);
	w_rsi(&r, SMC_RSI_CSM_SHARE, W_CSM_BASE, G, 0, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);
	fake_entropy_seed(2, false);
	rmm_csm_boot();
}

static int no_check_teardown(void **state)
{
	(void)state;
	return 0;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_csm_ids_and_versions),
		T(test_csm_share_populate),
		T(test_csm_meta),
		T(test_csm_isolation),
		T(test_csm_rw_consumer),
		T(test_csm_reserve_release),
		T(test_csm_seal),
		T(test_csm_error_detail),
		T(test_csm_attach_hash),
		T(test_csm_policy),
		T(test_csm_data_destroy),
		T(test_csm_death),
		T(test_csm_destroy_without_off),
		T(test_csm_notify),
		T(test_csm_no_writes_into_shared),
		T(test_lock_order_checked),
		cmocka_unit_test_setup_teardown(test_csm_no_entropy, setup, no_check_teardown),
	};

	return cmocka_run_group_tests_name("rmm-csm", tests, NULL, NULL);
}
