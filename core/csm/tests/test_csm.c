/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the CSM state machine (csm/csm.h) against the fake platform:
 * lifecycle, every documented error of every call, "a failed call changes
 * nothing", teardown order, realm death, scale and allocation failures.
 */
#include "csm_test.h"

#include <csm/check.h>

#include "internal.h"  /* only for test_csm_check_detects_corruption */

struct fx {
	struct fake_plat f;
	struct csm *csm;
	uint64_t A, B, C;          /* realms; B has RIM rim_b, C rim_c */
	uint64_t realms[8];        /* every realm the fixture knows, for snapshots */
	size_t nrealms;
};

static const uint8_t rim_b[32] = { 0xb0, 0xb1, 0xb2, 0xb3 };
static const uint8_t rim_c[48] = { 0xc0, 0xc1, 0xc2, 0xc3 };

static uint64_t add_realm(struct fx *x, uint64_t cookie, const uint8_t *rim,
			  size_t rim_len, uint64_t limit)
{
	uint64_t id = 0;

	assert_caec_ok(csm_realm_add(x->csm, cookie, rim, rim_len, limit, &id));
	assert_int_not_equal(id, 0);
	if (x->nrealms < 8)
		x->realms[x->nrealms++] = id;
	return id;
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	fake_init(&x->f);
	if (csm_init(&x->csm, &fake_ops, &x->f))
		return -1;
	x->A = add_realm(x, 0xa, NULL, 0, LIMIT);
	x->B = add_realm(x, 0xb, rim_b, sizeof(rim_b), LIMIT);
	x->C = add_realm(x, 0xc, rim_c, sizeof(rim_c), LIMIT);
	*state = x;
	return 0;
}

/* Every test ends here: fini frees everything and the platform saw no
 * contract breach, no mapping or region outlives the state. */
static int teardown(void **state)
{
	struct fx *x = *state;

	assert_caec_ok(csm_check(x->csm));
	csm_fini(x->csm);
	assert_int_equal(x->f.live_bytes, 0);
	assert_int_equal(x->f.live_allocs, 0);
	assert_int_equal(x->f.bad_frees, 0);
	assert_int_equal(x->f.violations, 0);
	assert_int_equal(x->f.nmaps, 0);
	assert_int_equal(x->f.nregions, 0);
	fake_fini(&x->f);
	free(x);
	return 0;
}

static uint64_t mk_region(struct fx *x, uint64_t caller, uint64_t base,
			  uint64_t size)
{
	uint64_t id = 0;

	assert_caec_ok(csm_share(x->csm, caller, base, size, &id));
	return id;
}

static uint64_t mk_grant(struct fx *x, uint64_t caller, uint64_t region,
			 uint64_t consumer, unsigned perm,
			 const struct csm_policy *pol)
{
	uint64_t id = 0;

	assert_caec_ok(csm_grant(x->csm, caller, region, consumer, perm, pol, &id));
	return id;
}

static void attach_at(struct fx *x, uint64_t caller, uint64_t grant,
		      uint64_t base, uint64_t size)
{
	assert_caec_ok(csm_reserve(x->csm, caller, grant, base, size));
	assert_caec_ok(csm_attach(x->csm, caller, grant, NULL, 0, NULL));
}

/* --- "a failed call changes nothing" ------------------------------------- */

struct snap {
	struct csm_stats st;
	size_t nev, live_bytes, live_allocs, nmaps, nregions;
	uint64_t grants_fp;
};

static void snap_take(struct fx *x, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	csm_get_stats(x->csm, &s->st);
	s->nev = x->f.nev;
	s->live_bytes = x->f.live_bytes;
	s->live_allocs = x->f.live_allocs;
	s->nmaps = x->f.nmaps;
	s->nregions = x->f.nregions;
	/* Fold every realm's grant list (IDs, flags, order) into one value. */
	for (size_t i = 0; i < x->nrealms; i++) {
		struct csm_grant_info g;

		for (uint64_t k = 0; csm_grant_list(x->csm, x->realms[i], k, &g) == 0; k++)
			s->grants_fp = s->grants_fp * 1000003u ^ g.grant_id ^
				       g.region_id * 3 ^ g.provider_id * 5 ^
				       g.size * 7 ^ g.perm * 11u ^
				       (uint64_t)g.sealed * 13u ^
				       (uint64_t)g.attached * 17u ^ k;
	}
}

#define EXPECT_FAIL(x, call, err)                                        \
	do {                                                             \
		struct snap s0_, s1_;                                    \
		snap_take((x), &s0_);                                    \
		assert_caec_err((call), (err));                          \
		snap_take((x), &s1_);                                    \
		assert_memory_equal(&s0_, &s1_, sizeof(s0_));            \
	} while (0)

static void expect_stats(struct fx *x, uint64_t realms, uint64_t regions,
			 uint64_t grants, uint64_t attached)
{
	struct csm_stats st;

	csm_get_stats(x->csm, &st);
	assert_int_equal(st.realms, realms);
	assert_int_equal(st.regions, regions);
	assert_int_equal(st.grants, grants);
	assert_int_equal(st.attached, attached);
}

/* --- init / realms ------------------------------------------------------- */

static void *ops_alloc_fail(void *plat, enum csm_alloc_kind kind, uint64_t owner,
			    size_t size)
{
	(void)plat;
	(void)kind;
	(void)owner;
	(void)size;
	return NULL;
}

/* Proves csm_init rejects NULLs and each missing required op, accepts
 * missing optional ops (seal, peer_event), and reports allocation and
 * entropy failures without leaking. */
static void test_csm_init_args(void **state)
{
	struct fake_plat f;
	struct csm_plat_ops ops;
	struct csm *c = (struct csm *)&f;
	size_t req[] = {
		offsetof(struct csm_plat_ops, alloc),
		offsetof(struct csm_plat_ops, free),
		offsetof(struct csm_plat_ops, entropy),
		offsetof(struct csm_plat_ops, region_create),
		offsetof(struct csm_plat_ops, region_release),
		offsetof(struct csm_plat_ops, map),
		offsetof(struct csm_plat_ops, unmap),
	};

	(void)state;
	fake_init(&f);
	assert_caec_err(csm_init(NULL, &fake_ops, &f), CAEC_E_INVAL);
	assert_caec_err(csm_init(&c, NULL, &f), CAEC_E_INVAL);
	assert_null(c);
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		ops = fake_ops;
		memset((char *)&ops + req[i], 0, sizeof(void (*)(void)));
		assert_caec_err(csm_init(&c, &ops, &f), CAEC_E_INVAL);
	}
	ops = fake_ops;
	ops.seal = NULL;
	ops.peer_event = NULL;
	assert_caec_ok(csm_init(&c, &ops, &f));
	csm_fini(c);
	ops = fake_ops;
	ops.alloc = ops_alloc_fail;
	assert_caec_err(csm_init(&c, &ops, &f), CAEC_E_NOMEM);
	f.entropy_rc = CAEC_E_PLATFORM;
	assert_caec_err(csm_init(&c, &fake_ops, &f), CAEC_E_PLATFORM);
	assert_null(c);
	assert_int_equal(f.live_bytes, 0);
	csm_fini(NULL);
	fake_fini(&f);
}

/* Proves realm_add validates its arguments, gives distinct non-zero IDs,
 * and that removed realm IDs are gone and never handed out again. */
static void test_csm_realm_add_remove(void **state)
{
	struct fx *x = *state;
	uint8_t rim[CSM_HASH_MAX + 1] = { 0 };
	uint64_t id = 0, ids[64];

	EXPECT_FAIL(x, csm_realm_add(x->csm, 1, rim, CSM_HASH_MAX + 1, LIMIT, &id),
		    CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_realm_add(x->csm, 1, NULL, 4, LIMIT, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_realm_add(x->csm, 1, rim, 4, LIMIT, NULL), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_realm_add(NULL, 1, rim, 4, LIMIT, &id), CAEC_E_INVAL);
	assert_caec_ok(csm_realm_add(x->csm, 1, rim, CSM_HASH_MAX, LIMIT, &id));
	assert_true(csm_realm_exists(x->csm, id));
	assert_true(id != x->A && id != x->B && id != x->C);
	assert_caec_ok(csm_realm_remove(x->csm, id));
	assert_false(csm_realm_exists(x->csm, id));
	EXPECT_FAIL(x, csm_realm_remove(x->csm, id), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_realm_remove(x->csm, 0), CAEC_E_NOENT);
	for (int i = 0; i < 64; i++) {
		assert_caec_ok(csm_realm_add(x->csm, 2, NULL, 0, LIMIT, &ids[i]));
		assert_int_not_equal(ids[i], id);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(ids[i], ids[j]);
		/* Not a counter: neighbours are far apart. */
		if (i)
			assert_true(ids[i] - ids[i - 1] > 1000 &&
				    ids[i - 1] - ids[i] > 1000);
	}
	expect_stats(x, 3 + 64, 0, 0, 0);
	assert_false(csm_realm_exists(x->csm, 0));
	assert_false(csm_realm_exists(NULL, x->A));
}

/* --- lifecycle ----------------------------------------------------------- */

/* Proves the whole provider/consumer lifecycle and the exact callback
 * sequence: share -> grant -> grant_list -> reserve -> attach (info, peer
 * ATTACHED) -> detach (unmap DETACH, peer DETACHED) -> reserve/attach again
 * -> revoke (unmap REVOKE) -> unshare (release). */
static void test_csm_lifecycle(void **state)
{
	struct fx *x = *state;
	struct csm_attach_info info;
	struct csm_grant_info gr;
	uint64_t r, s, sz, mc;
	bool sealed;

	r = mk_region(x, x->A, 16 * G, 4 * G);
	assert_int_equal(x->f.ev[0].kind, FEV_REGION_CREATE);
	assert_int_equal(x->f.ev[0].cookie, 0xa);
	assert_int_equal(x->f.ev[0].region_id, r);
	assert_int_equal(x->f.ev[0].base, 16 * G);
	assert_int_equal(x->f.ev[0].size, 4 * G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RW, NULL);
	assert_true(r != s && r != x->A && s != x->B);
	expect_stats(x, 3, 1, 1, 0);

	assert_caec_ok(csm_grant_list(x->csm, x->B, 0, &gr));
	assert_int_equal(gr.grant_id, s);
	assert_int_equal(gr.region_id, r);
	assert_int_equal(gr.provider_id, x->A);
	assert_int_equal(gr.size, 4 * G);
	assert_int_equal(gr.perm, CSM_PERM_RW);
	assert_false(gr.sealed);
	assert_false(gr.attached);
	assert_caec_err(csm_grant_list(x->csm, x->B, 1, &gr), CAEC_E_NOENT);
	assert_caec_err(csm_grant_list(x->csm, x->A, 0, &gr), CAEC_E_NOENT);

	assert_caec_ok(csm_reserve(x->csm, x->B, s, 100 * G, 4 * G));
	fake_clear_events(&x->f);
	assert_caec_ok(csm_attach(x->csm, x->B, s, NULL, 0, &info));
	assert_int_equal(x->f.nev, 2);
	assert_int_equal(x->f.ev[0].kind, FEV_MAP);
	assert_int_equal(x->f.ev[0].cookie, 0xb);
	assert_int_equal(x->f.ev[0].realm_id, x->B);
	assert_int_equal(x->f.ev[0].grant_id, s);
	assert_int_equal(x->f.ev[0].region_id, r);
	assert_int_equal(x->f.ev[0].base, 100 * G);
	assert_int_equal(x->f.ev[0].size, 4 * G);
	assert_int_equal(x->f.ev[0].perm, CSM_PERM_RW);
	assert_int_equal(x->f.ev[1].kind, FEV_PEER);
	assert_int_equal(x->f.ev[1].cookie, 0xa);
	assert_int_equal(x->f.ev[1].arg, CSM_PEER_ATTACHED);
	assert_int_equal(x->f.ev[1].grant_id, s);
	assert_int_equal(info.region_id, r);
	assert_int_equal(info.provider_id, x->A);
	assert_int_equal(info.mem_cookie, x->f.ev[0].mem_cookie);
	assert_int_equal(info.size, 4 * G);
	assert_int_equal(info.perm, CSM_PERM_RW);
	assert_false(info.sealed);
	assert_int_equal(info.hash_len, 0);
	expect_stats(x, 3, 1, 1, 1);
	assert_caec_ok(csm_grant_list(x->csm, x->B, 0, &gr));
	assert_true(gr.attached);

	/* Both sides can query the region; a third realm cannot. */
	assert_caec_ok(csm_region_query(x->csm, x->A, r, &sz, &sealed, &mc));
	assert_int_equal(sz, 4 * G);
	assert_false(sealed);
	assert_int_equal(mc, info.mem_cookie);
	assert_caec_ok(csm_region_query(x->csm, x->B, r, NULL, NULL, NULL));
	assert_int_equal(csm_region_query(x->csm, x->C, r, &sz, NULL, NULL),
			 CAEC_E_DENIED);
	assert_int_equal(csm_region_query(x->csm, x->C, s, &sz, NULL, NULL),
			 CAEC_E_NOENT);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	assert_int_equal(x->f.nev, 2);
	assert_int_equal(x->f.ev[0].kind, FEV_UNMAP);
	assert_int_equal(x->f.ev[0].arg, CSM_UNMAP_DETACH);
	assert_int_equal(x->f.ev[0].base, 100 * G);
	assert_int_equal(x->f.ev[1].kind, FEV_PEER);
	assert_int_equal(x->f.ev[1].arg, CSM_PEER_DETACHED);
	expect_stats(x, 3, 1, 1, 0);

	/* Detach returned the grant to GRANTED: a new range works. */
	attach_at(x, x->B, s, 200 * G, 4 * G);
	assert_int_equal(x->f.maps[0].base, 200 * G);
	/* ... and the old range is free again for a region of B. */
	(void)mk_region(x, x->B, 100 * G, 4 * G);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_revoke(x->csm, x->A, s));
	assert_int_equal(x->f.nev, 1);
	assert_int_equal(x->f.ev[0].kind, FEV_UNMAP);
	assert_int_equal(x->f.ev[0].arg, CSM_UNMAP_REVOKE);
	assert_int_equal(x->f.nmaps, 0);
	expect_stats(x, 3, 2, 0, 0);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_unshare(x->csm, x->A, r));
	assert_int_equal(x->f.nev, 1);
	assert_int_equal(x->f.ev[0].kind, FEV_REGION_RELEASE);
	assert_int_equal(x->f.ev[0].region_id, r);
	assert_false(x->f.ev[0].provider_dead);
	expect_stats(x, 3, 1, 0, 0);
}

/* --- share (create a region) --------------------------------------------- */

/* Proves every documented CSM_SHARE error, in a way that changes nothing:
 * INVAL (NULL out, size 0), NOENT (unknown caller, or a non-realm ID),
 * ALIGN (base, size), RANGE (wrap, past ipa_limit), OVERLAP (each shape,
 * against own regions and own reserved grants), platform error; and the
 * boundary cases that must succeed (adjacent ranges, end == ipa_limit). */
static void test_csm_share_errors(void **state)
{
	struct fx *x = *state;
	uint64_t id = 0, r, s, small;

	small = add_realm(x, 0x5, NULL, 0, 64 * G);
	r = mk_region(x, x->A, 100 * G, 10 * G);    /* [100, 110) */
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, G, NULL), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_share(NULL, x->A, 0, G, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, 0, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_share(x->csm, 12345, 0, G, &id), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_share(x->csm, r, 0, G, &id), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 1, G, &id), CAEC_E_ALIGN);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, G / 2, G, &id), CAEC_E_ALIGN);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, G + 1, &id), CAEC_E_ALIGN);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, G - 1, &id), CAEC_E_ALIGN);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, UINT64_MAX - G + 1, G, &id),
		    CAEC_E_RANGE);     /* ends exactly at 2^64: wraps to 0 */
	EXPECT_FAIL(x, csm_share(x->csm, x->A, UINT64_MAX - G + 1, 2 * G, &id),
		    CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_share(x->csm, small, 60 * G, 5 * G, &id), CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_share(x->csm, small, 64 * G, G, &id), CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_share(x->csm, small, 0, 65 * G, &id), CAEC_E_RANGE);
	(void)mk_region(x, small, 60 * G, 4 * G);    /* ends at the limit */

	EXPECT_FAIL(x, csm_share(x->csm, x->A, 100 * G, 10 * G, &id), CAEC_E_OVERLAP);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 95 * G, 6 * G, &id), CAEC_E_OVERLAP);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 109 * G, 5 * G, &id), CAEC_E_OVERLAP);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 102 * G, 2 * G, &id), CAEC_E_OVERLAP);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 90 * G, 30 * G, &id), CAEC_E_OVERLAP);
	(void)mk_region(x, x->A, 90 * G, 10 * G);    /* adjacent below */
	(void)mk_region(x, x->A, 110 * G, G);        /* adjacent above */
	/* Another realm's ranges do not matter. */
	(void)mk_region(x, x->B, 100 * G, 10 * G);

	/* A reserved grant range of the caller counts as a CSM range. */
	s = mk_grant(x, x->A, r, x->C, CSM_PERM_RO, NULL);
	assert_caec_ok(csm_reserve(x->csm, x->C, s, 500 * G, 10 * G));
	EXPECT_FAIL(x, csm_share(x->csm, x->C, 505 * G, G, &id), CAEC_E_OVERLAP);
	assert_caec_ok(csm_attach(x->csm, x->C, s, NULL, 0, NULL));
	EXPECT_FAIL(x, csm_share(x->csm, x->C, 509 * G, 4 * G, &id), CAEC_E_OVERLAP);
	(void)mk_region(x, x->C, 510 * G, G);

	/* The platform's error is returned and nothing is left behind. */
	x->f.region_create_rc = CAEC_E_NOMEM;
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, G, &id), CAEC_E_NOMEM);
	x->f.region_create_rc = CAEC_E_PLATFORM;
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, G, &id), CAEC_E_PLATFORM);
	x->f.region_create_rc = 0;
	(void)mk_region(x, x->A, 0, G);
}

/* --- grant ----------------------------------------------------------------- */

/* Proves every documented CSM_GRANT error and that none changes state:
 * INVAL (perm 0/2/4, grant to self, rim_len > max, NULL out), NOENT
 * (unknown region, a realm or grant ID as region, unknown consumer, a
 * region ID as consumer), DENIED (someone else's region), EXIST (second
 * grant to the same consumer, whatever the perm), PERM (RW on sealed). */
static void test_csm_grant_errors(void **state)
{
	struct fx *x = *state;
	struct csm_policy pol = { .rim_len = CSM_HASH_MAX + 1 };
	uint64_t r, rb, s, id = 0;
	uint8_t h[CSM_HASH_MAX];
	size_t hl;

	r = mk_region(x, x->A, 0, G);
	rb = mk_region(x, x->B, 0, G);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, 0, NULL, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, 2, NULL, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, 4, NULL, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, 7, NULL, &id), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->A, CSM_PERM_RO, NULL, &id),
		    CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, CSM_PERM_RO, &pol, &id),
		    CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, CSM_PERM_RO, NULL, NULL),
		    CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, 777, x->B, CSM_PERM_RO, NULL, &id),
		    CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, x->C, x->B, CSM_PERM_RO, NULL, &id),
		    CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, 777, CSM_PERM_RO, NULL, &id),
		    CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, rb, CSM_PERM_RO, NULL, &id),
		    CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, rb, x->C, CSM_PERM_RO, NULL, &id),
		    CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_grant(x->csm, x->C, r, x->B, CSM_PERM_RO, NULL, &id),
		    CAEC_E_DENIED);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, s, x->C, CSM_PERM_RO, NULL, &id),
		    CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, CSM_PERM_RO, NULL, &id),
		    CAEC_E_EXIST);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, CSM_PERM_RW, NULL, &id),
		    CAEC_E_EXIST);
	/* After a revoke the consumer may be granted again. */
	assert_caec_ok(csm_revoke(x->csm, x->A, s));
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);

	assert_caec_ok(csm_seal(x->csm, x->A, r, h, sizeof(h), &hl));
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->C, CSM_PERM_RW, NULL, &id),
		    CAEC_E_PERM);
	(void)mk_grant(x, x->A, r, x->C, CSM_PERM_RO, NULL);
	expect_stats(x, 3, 2, 2, 0);
}

/* Proves the duplicate check works from both sides: a consumer with many
 * grants and a region with many grants (the check walks the shorter list). */
static void test_csm_grant_duplicate_either_side(void **state)
{
	struct fx *x = *state;
	uint64_t big, regs[20], id;

	big = mk_region(x, x->A, 0, G);
	for (int i = 0; i < 20; i++) {
		uint64_t c = add_realm(x, 100 + i, NULL, 0, LIMIT);

		(void)mk_grant(x, x->A, big, c, CSM_PERM_RO, NULL);
		regs[i] = mk_region(x, x->A, (uint64_t)(i + 1) * G, G);
		(void)mk_grant(x, x->A, regs[i], x->B, CSM_PERM_RO, NULL);
	}
	(void)mk_grant(x, x->A, big, x->B, CSM_PERM_RO, NULL);
	/* region with 21 grants, consumer B with 21 grants */
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, big, x->B, CSM_PERM_RW, NULL, &id),
		    CAEC_E_EXIST);
	for (int i = 0; i < 20; i++)
		EXPECT_FAIL(x, csm_grant(x->csm, x->A, regs[i], x->B, CSM_PERM_RO,
					 NULL, &id), CAEC_E_EXIST);
	(void)mk_grant(x, x->A, regs[0], x->C, CSM_PERM_RO, NULL);
}

/* --- revoke / unshare ---------------------------------------------------- */

/* Proves CSM_REVOKE's errors (NOENT unknown/revoked/non-grant ID, DENIED
 * for the consumer or a stranger), and that revoking an attached grant
 * unmaps it before the call returns, after which every consumer call on it
 * is DENIED exactly as for an unknown ID. */
static void test_csm_revoke(void **state)
{
	struct fx *x = *state;
	struct csm_grant_info gr;
	uint64_t r, s, s2;

	r = mk_region(x, x->A, 0, 2 * G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RW, NULL);
	s2 = mk_grant(x, x->A, r, x->C, CSM_PERM_RO, NULL);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->A, 999), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->A, r), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->B, s), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->C, s), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_revoke(NULL, x->A, s), CAEC_E_INVAL);
	attach_at(x, x->B, s, 10 * G, 2 * G);
	assert_int_equal(x->f.nmaps, 1);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_revoke(x->csm, x->A, s));
	/* The mapping was gone when revoke returned, with the right reason. */
	assert_int_equal(x->f.nmaps, 0);
	assert_int_equal(x->f.nev, 1);
	assert_int_equal(x->f.ev[0].kind, FEV_UNMAP);
	assert_int_equal(x->f.ev[0].arg, CSM_UNMAP_REVOKE);
	assert_int_equal(x->f.ev[0].grant_id, s);
	assert_int_equal(x->f.ev[0].base, 10 * G);
	expect_stats(x, 3, 1, 1, 0);

	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 20 * G, 2 * G), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, s), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->A, s), CAEC_E_NOENT);
	assert_caec_err(csm_grant_list(x->csm, x->B, 0, &gr), CAEC_E_NOENT);
	assert_int_equal(csm_region_query(x->csm, x->B, r, NULL, NULL, NULL),
			 CAEC_E_DENIED);
	/* B's old reservation is free again. */
	(void)mk_region(x, x->B, 10 * G, 2 * G);

	/* Revoking a grant that is only reserved unmaps nothing. */
	assert_caec_ok(csm_reserve(x->csm, x->C, s2, 0, 2 * G));
	fake_clear_events(&x->f);
	assert_caec_ok(csm_revoke(x->csm, x->A, s2));
	assert_int_equal(x->f.nev, 0);
	(void)mk_region(x, x->C, 0, 2 * G);
}

/* Proves CSM_UNSHARE revokes every grant: each attached consumer is
 * unmapped (CSM_UNMAP_UNSHARE) before region_release, unattached ones are
 * not unmapped, every grant ID dies, and the errors NOENT/DENIED. */
static void test_csm_unshare(void **state)
{
	struct fx *x = *state;
	uint64_t r, sb, sc, sd, D;
	long rel;

	D = add_realm(x, 0xd, NULL, 0, LIMIT);
	r = mk_region(x, x->A, 0, G);
	sb = mk_grant(x, x->A, r, x->B, CSM_PERM_RW, NULL);
	sc = mk_grant(x, x->A, r, x->C, CSM_PERM_RO, NULL);
	sd = mk_grant(x, x->A, r, D, CSM_PERM_RO, NULL);
	attach_at(x, x->B, sb, 0, G);
	attach_at(x, x->C, sc, 5 * G, G);
	assert_caec_ok(csm_reserve(x->csm, D, sd, 0, G));

	EXPECT_FAIL(x, csm_unshare(x->csm, x->A, 4242), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_unshare(x->csm, x->A, sb), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_unshare(x->csm, x->B, r), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_unshare(x->csm, D, r), CAEC_E_DENIED);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_unshare(x->csm, x->A, r));
	rel = fake_find_ev(&x->f, 0, FEV_REGION_RELEASE, r, 0);
	assert_true(rel >= 0);
	assert_int_equal(x->f.nev, 3);    /* 2 unmaps + release, nothing else */
	assert_true(fake_find_ev(&x->f, 0, FEV_UNMAP, r, sb) < rel);
	assert_true(fake_find_ev(&x->f, 0, FEV_UNMAP, r, sc) < rel);
	assert_true(fake_find_ev(&x->f, 0, FEV_UNMAP, r, sd) < 0);
	for (size_t i = 0; i < x->f.nev; i++)
		if (x->f.ev[i].kind == FEV_UNMAP)
			assert_int_equal(x->f.ev[i].arg, CSM_UNMAP_UNSHARE);
	assert_false(x->f.ev[rel].provider_dead);
	expect_stats(x, 4, 0, 0, 0);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, sb), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_detach(x->csm, D, sd), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_unshare(x->csm, x->A, r), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->A, sc), CAEC_E_NOENT);
	/* Every range that was involved is free again. */
	(void)mk_region(x, x->A, 0, G);
	(void)mk_region(x, x->B, 0, G);
	(void)mk_region(x, x->C, 5 * G, G);
	(void)mk_region(x, D, 0, G);
}

/* --- seal ---------------------------------------------------------------- */

/* Proves CSM_SEAL: errors NOENT, DENIED, STATE (a RW grant exists, granted
 * or attached; already sealed), NOTSUP (no seal op), RANGE (cap 0 or too
 * small for the platform), INVAL, platform error -- none changes state;
 * success records the hash, reports it in grants/attach/query, and the
 * hash the caller gets is the platform's. */
static void test_csm_seal(void **state)
{
	struct fx *x = *state;
	uint8_t h[CSM_HASH_MAX], want[CSM_HASH_MAX];
	struct csm_attach_info info;
	struct csm_grant_info gr;
	uint64_t r, s, srw;
	size_t hl = 0;
	bool sealed;

	r = mk_region(x, x->A, 0, 2 * G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	srw = mk_grant(x, x->A, r, x->C, CSM_PERM_RW, NULL);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, 31337, h, sizeof(h), &hl), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_seal(x->csm, x->B, r, h, sizeof(h), &hl), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, sizeof(h), &hl), CAEC_E_STATE);
	attach_at(x, x->C, srw, 0, 2 * G);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, sizeof(h), &hl), CAEC_E_STATE);
	assert_caec_ok(csm_revoke(x->csm, x->A, srw));
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, sizeof(h), NULL), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, NULL, sizeof(h), &hl), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, NULL, 0, &hl), CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, 16, &hl), CAEC_E_RANGE);
	x->f.seal_rc = CAEC_E_PLATFORM;
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, sizeof(h), &hl), CAEC_E_PLATFORM);
	x->f.seal_rc = 0;
	assert_caec_ok(csm_grant_list(x->csm, x->B, 0, &gr));
	assert_false(gr.sealed);

	/* Seal with B's RO grant attached: allowed, B stays mapped. */
	attach_at(x, x->B, s, 0, 2 * G);
	assert_caec_ok(csm_seal(x->csm, x->A, r, h, 32, &hl));
	assert_int_equal(hl, 32);
	fake_hash(r, x->f.maps[0].mem_cookie, want, 32);
	assert_memory_equal(h, want, 32);
	assert_int_equal(x->f.nmaps, 1);
	assert_caec_ok(csm_grant_list(x->csm, x->B, 0, &gr));
	assert_true(gr.sealed);
	assert_caec_ok(csm_region_query(x->csm, x->B, r, NULL, &sealed, NULL));
	assert_true(sealed);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, sizeof(h), &hl), CAEC_E_STATE);

	/* A re-attach reports the sealed hash. */
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 0, 2 * G));
	assert_caec_ok(csm_attach(x->csm, x->B, s, want, 32, &info));
	assert_true(info.sealed);
	assert_int_equal(info.hash_len, 32);
	assert_memory_equal(info.hash, want, 32);
	assert_int_equal(info.perm, CSM_PERM_RO);
}

/* Proves the defence against a seal op that breaks its contract (success
 * with length 0): the region is treated as sealed (the platform did make
 * it read-only) but has no hash, the call reports CAEC_E_PLATFORM, RW
 * grants are refused and no expected hash can match. */
static void test_csm_seal_platform_bad_length(void **state)
{
	struct fx *x = *state;
	uint8_t h[CSM_HASH_MAX] = { 0 };
	uint64_t r, s, id;
	size_t hl = 99;
	bool sealed;

	r = mk_region(x, x->A, 0, G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	x->f.hash_len = 0;
	assert_int_equal(csm_seal(x->csm, x->A, r, h, sizeof(h), &hl),
			 CAEC_E_PLATFORM);
	assert_int_equal(hl, 99);
	assert_caec_ok(csm_region_query(x->csm, x->A, r, NULL, &sealed, NULL));
	assert_true(sealed);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->C, CSM_PERM_RW, NULL, &id),
		    CAEC_E_PERM);
	EXPECT_FAIL(x, csm_seal(x->csm, x->A, r, h, sizeof(h), &hl), CAEC_E_STATE);
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 0, G));
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, h, 1, NULL), CAEC_E_HASH);
	assert_caec_ok(csm_attach(x->csm, x->B, s, NULL, 0, NULL));
}

/* Proves a platform without a seal op gets CAEC_E_NOTSUP and no events,
 * and that a NULL peer_event op is simply skipped. */
static void test_csm_seal_notsup_and_no_events(void **state)
{
	struct fake_plat f;
	struct csm_plat_ops ops = fake_ops;
	struct csm *c;
	uint64_t a, b, r, s;
	uint8_t h[CSM_HASH_MAX];
	size_t hl;

	(void)state;
	fake_init(&f);
	ops.seal = NULL;
	ops.peer_event = NULL;
	assert_caec_ok(csm_init(&c, &ops, &f));
	assert_caec_ok(csm_realm_add(c, 1, NULL, 0, LIMIT, &a));
	assert_caec_ok(csm_realm_add(c, 2, NULL, 0, LIMIT, &b));
	assert_caec_ok(csm_share(c, a, 0, G, &r));
	assert_caec_err(csm_seal(c, a, r, h, sizeof(h), &hl), CAEC_E_NOTSUP);
	assert_caec_ok(csm_grant(c, a, r, b, CSM_PERM_RO, NULL, &s));
	assert_caec_ok(csm_reserve(c, b, s, 0, G));
	assert_caec_ok(csm_attach(c, b, s, NULL, 0, NULL));
	assert_caec_ok(csm_detach(c, b, s));
	assert_caec_ok(csm_reserve(c, b, s, 0, G));
	assert_caec_ok(csm_attach(c, b, s, NULL, 0, NULL));
	assert_caec_ok(csm_realm_remove(c, b));
	assert_int_equal(f.npeer, 0);
	assert_int_equal(f.nmaps, 0);
	csm_fini(c);
	assert_int_equal(f.live_bytes, 0);
	assert_int_equal(f.violations, 0);
	fake_fini(&f);
}

/* --- reserve / attach / detach ------------------------------------------- */

/* Proves every CSM_RESERVE error without state change: DENIED (unknown ID,
 * another consumer's grant, the provider itself, a region ID), STATE
 * (reserve twice, reserve while attached), INVAL (size mismatch, size 0),
 * ALIGN, RANGE (past ipa_limit, wrap), OVERLAP (own region, own other
 * reservation); and that reserve itself never allocates. */
static void test_csm_reserve_errors(void **state)
{
	struct fx *x = *state;
	uint64_t r, r2, s, s2, sc, small;
	uint64_t n0;

	small = add_realm(x, 0x5, NULL, 0, 16 * G);
	r = mk_region(x, x->A, 0, 4 * G);
	r2 = mk_region(x, x->A, 4 * G, 4 * G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	s2 = mk_grant(x, x->A, r2, x->B, CSM_PERM_RO, NULL);
	sc = mk_grant(x, x->A, r, small, CSM_PERM_RO, NULL);
	(void)mk_region(x, x->B, 40 * G, 4 * G);

	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, 5555, 0, 4 * G), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, r, 0, 4 * G), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->C, s, 0, 4 * G), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->A, s, 100 * G, 4 * G), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_reserve(x->csm, 5555, s, 0, 4 * G), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 0, 2 * G), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 0, 8 * G), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 0, 0), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 0, 4 * G + 1), CAEC_E_INVAL);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 8, 4 * G), CAEC_E_ALIGN);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, UINT64_MAX - 4 * G + 1, 4 * G),
		    CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, LIMIT - 2 * G, 4 * G),
		    CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_reserve(x->csm, small, sc, 13 * G, 4 * G), CAEC_E_RANGE);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 42 * G, 4 * G), CAEC_E_OVERLAP);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 37 * G, 4 * G), CAEC_E_OVERLAP);

	n0 = x->f.nalloc;
	assert_caec_ok(csm_reserve(x->csm, small, sc, 12 * G, 4 * G)); /* at limit */
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 36 * G, 4 * G));   /* adjacent */
	assert_int_equal(x->f.nalloc, n0);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 100 * G, 4 * G), CAEC_E_STATE);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s2, 38 * G, 4 * G), CAEC_E_OVERLAP);
	assert_caec_ok(csm_attach(x->csm, x->B, s, NULL, 0, NULL));
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 100 * G, 4 * G), CAEC_E_STATE);
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s2, 36 * G, 4 * G), CAEC_E_OVERLAP);
	assert_caec_ok(csm_reserve(x->csm, x->B, s2, 44 * G, 4 * G));
	/* A consumer may map the same region only once; ranges of different
	 * consumers are independent. */
	(void)mk_region(x, x->C, 36 * G, 4 * G);
}

/* Proves every CSM_ATTACH error without state change: DENIED (unknown,
 * foreign, provider), STATE (granted only, double attach), INVAL (NULL
 * expected hash with a length), policy mismatch DENIED, platform map error
 * returned (grant stays RESERVED and attaches later). */
static void test_csm_attach_errors(void **state)
{
	struct fx *x = *state;
	uint64_t r, s, sc;

	r = mk_region(x, x->A, 0, G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RW, NULL);
	sc = mk_grant(x, x->A, r, x->C, CSM_PERM_RW, NULL);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, 1, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, sc, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->A, s, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, r, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 0, NULL), CAEC_E_STATE);
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 0, G));
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 4, NULL), CAEC_E_INVAL);
	x->f.map_rc = CAEC_E_NOMEM;
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 0, NULL), CAEC_E_NOMEM);
	x->f.map_rc = CAEC_E_PLATFORM;
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 0, NULL), CAEC_E_PLATFORM);
	x->f.map_rc = 0;
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, G, G), CAEC_E_STATE);
	assert_caec_ok(csm_attach(x->csm, x->B, s, NULL, 0, NULL));
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 0, NULL), CAEC_E_STATE);
	expect_stats(x, 3, 1, 2, 1);
}

/* Proves local attestation: with a policy, attach succeeds only for the
 * exact RIM (same length and bytes): a different byte, a shorter policy
 * that is a prefix of the RIM, and a realm without RIM are all DENIED. */
static void test_csm_attach_policy(void **state)
{
	struct fx *x = *state;
	struct csm_policy good = { .rim_len = sizeof(rim_b) };
	struct csm_policy bad = { .rim_len = sizeof(rim_b) };
	struct csm_policy prefix = { .rim_len = 4 };
	uint64_t r, s_good, s_bad, s_pre, s_none, s_c, D;

	D = add_realm(x, 0xd, NULL, 0, LIMIT);
	memcpy(good.rim, rim_b, sizeof(rim_b));
	memcpy(bad.rim, rim_b, sizeof(rim_b));
	bad.rim[31] ^= 1;
	memcpy(prefix.rim, rim_b, 4);

	/* One region per policy (one grant per consumer per region). */
	r = mk_region(x, x->A, 0, G);
	s_good = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, &good);
	s_c = mk_grant(x, x->A, r, x->C, CSM_PERM_RO, &good);
	s_none = mk_grant(x, x->A, r, D, CSM_PERM_RO, &good);
	r = mk_region(x, x->A, G, G);
	s_bad = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, &bad);
	r = mk_region(x, x->A, 2 * G, G);
	s_pre = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, &prefix);

	assert_caec_ok(csm_reserve(x->csm, x->B, s_bad, 0, G));
	assert_caec_ok(csm_reserve(x->csm, x->B, s_pre, G, G));
	assert_caec_ok(csm_reserve(x->csm, x->C, s_c, 0, G));
	assert_caec_ok(csm_reserve(x->csm, D, s_none, 0, G));
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s_bad, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s_pre, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->C, s_c, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, D, s_none, NULL, 0, NULL), CAEC_E_DENIED);
	attach_at(x, x->B, s_good, 2 * G, G);
	expect_stats(x, 4, 3, 5, 1);
}

/* Proves the expected-hash check: HASH when the region is not sealed, when
 * the bytes differ, when the length differs (shorter prefix, longer); OK
 * for the exact hash; no check with length 0. */
static void test_csm_attach_expected_hash(void **state)
{
	struct fx *x = *state;
	uint8_t h[CSM_HASH_MAX], bad[CSM_HASH_MAX];
	size_t hl;
	uint64_t r, s;

	r = mk_region(x, x->A, 0, G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 0, G));
	memset(h, 0, sizeof(h));
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, h, 32, NULL), CAEC_E_HASH);
	assert_caec_ok(csm_seal(x->csm, x->A, r, h, sizeof(h), &hl));
	assert_int_equal(hl, 32);
	memcpy(bad, h, sizeof(bad));
	bad[17] ^= 0x40;
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, bad, 32, NULL), CAEC_E_HASH);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, h, 31, NULL), CAEC_E_HASH);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, h, 33, NULL), CAEC_E_HASH);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, h, CSM_HASH_MAX + 100, NULL),
		    CAEC_E_HASH);
	assert_caec_ok(csm_attach(x->csm, x->B, s, h, 32, NULL));
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	attach_at(x, x->B, s, 0, G);   /* length 0: no check */
}

/* Proves CSM_DETACH: DENIED (unknown, foreign, provider), STATE when only
 * granted; from RESERVED it drops the reservation without any callback;
 * from ATTACHED it unmaps (DETACH) then tells the provider. */
static void test_csm_detach(void **state)
{
	struct fx *x = *state;
	uint64_t r, s;

	r = mk_region(x, x->A, 0, G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, 3), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_detach(x->csm, x->C, s), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_detach(x->csm, x->A, s), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, s), CAEC_E_STATE);
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 0, G));
	fake_clear_events(&x->f);
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	assert_int_equal(x->f.nev, 0);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, s), CAEC_E_STATE);
	EXPECT_FAIL(x, csm_attach(x->csm, x->B, s, NULL, 0, NULL), CAEC_E_STATE);
	attach_at(x, x->B, s, 0, G);
	fake_clear_events(&x->f);
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	assert_int_equal(x->f.nev, 2);
	assert_int_equal(x->f.ev[0].kind, FEV_UNMAP);
	assert_int_equal(x->f.ev[0].arg, CSM_UNMAP_DETACH);
	assert_int_equal(x->f.ev[1].kind, FEV_PEER);
	assert_int_equal(x->f.ev[1].arg, CSM_PEER_DETACHED);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, s), CAEC_E_STATE);
	expect_stats(x, 3, 1, 1, 0);
}

/* Proves CSM_GRANT_LIST lists grants in grant order across providers, skips
 * revoked ones, and fails with NOENT past the end and for unknown callers. */
static void test_csm_grant_list_order(void **state)
{
	struct fx *x = *state;
	uint64_t s[6], r[6];
	struct csm_grant_info gr;

	for (int i = 0; i < 6; i++) {
		uint64_t prov = i % 2 ? x->A : x->C;

		r[i] = mk_region(x, prov, (uint64_t)i * G, G);
		s[i] = mk_grant(x, prov, r[i], x->B, i % 3 ? CSM_PERM_RO : CSM_PERM_RW,
				NULL);
	}
	assert_caec_ok(csm_revoke(x->csm, x->C, s[2]));
	for (int i = 0, k = 0; i < 6; i++) {
		if (i == 2)
			continue;
		assert_caec_ok(csm_grant_list(x->csm, x->B, (uint64_t)k++, &gr));
		assert_int_equal(gr.grant_id, s[i]);
		assert_int_equal(gr.region_id, r[i]);
		assert_int_equal(gr.provider_id, i % 2 ? x->A : x->C);
		assert_int_equal(gr.perm, i % 3 ? CSM_PERM_RO : CSM_PERM_RW);
	}
	assert_caec_err(csm_grant_list(x->csm, x->B, 5, &gr), CAEC_E_NOENT);
	assert_caec_err(csm_grant_list(x->csm, x->B, UINT64_MAX, &gr), CAEC_E_NOENT);
	assert_caec_err(csm_grant_list(x->csm, 99, 0, &gr), CAEC_E_NOENT);
	assert_caec_err(csm_grant_list(x->csm, x->B, 0, NULL), CAEC_E_INVAL);
}

/* --- realm death --------------------------------------------------------- */

/* Proves a provider's death destroys its regions: every attached consumer
 * is unmapped (DEATH) before region_release(provider_dead = true), the
 * dead provider gets no peer events, consumers lose the grants and their
 * reserved ranges are free again. */
static void test_csm_death_provider(void **state)
{
	struct fx *x = *state;
	uint64_t r1, r2, s1, s2, s3;
	struct csm_grant_info gr;

	r1 = mk_region(x, x->A, 0, G);
	r2 = mk_region(x, x->A, G, 2 * G);
	s1 = mk_grant(x, x->A, r1, x->B, CSM_PERM_RW, NULL);
	s2 = mk_grant(x, x->A, r2, x->B, CSM_PERM_RO, NULL);
	s3 = mk_grant(x, x->A, r2, x->C, CSM_PERM_RO, NULL);
	attach_at(x, x->B, s1, 10 * G, G);
	attach_at(x, x->B, s2, 20 * G, 2 * G);
	assert_caec_ok(csm_reserve(x->csm, x->C, s3, 0, 2 * G));

	fake_clear_events(&x->f);
	assert_caec_ok(csm_realm_remove(x->csm, x->A));
	assert_false(csm_realm_exists(x->csm, x->A));
	for (size_t i = 0; i < x->f.nev; i++) {
		const struct fake_ev *e = &x->f.ev[i];

		assert_int_not_equal(e->kind, FEV_PEER);
		if (e->kind == FEV_UNMAP)
			assert_int_equal(e->arg, CSM_UNMAP_DEATH);
		if (e->kind == FEV_REGION_RELEASE)
			assert_true(e->provider_dead);
	}
	assert_true(fake_find_ev(&x->f, 0, FEV_UNMAP, r1, s1) <
		    fake_find_ev(&x->f, 0, FEV_REGION_RELEASE, r1, 0));
	assert_true(fake_find_ev(&x->f, 0, FEV_UNMAP, r2, s2) <
		    fake_find_ev(&x->f, 0, FEV_REGION_RELEASE, r2, 0));
	assert_int_equal(x->f.nev, 4);
	expect_stats(x, 2, 0, 0, 0);
	assert_caec_err(csm_grant_list(x->csm, x->B, 0, &gr), CAEC_E_NOENT);
	EXPECT_FAIL(x, csm_detach(x->csm, x->B, s1), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_attach(x->csm, x->C, s3, NULL, 0, NULL), CAEC_E_DENIED);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 0, G, &r1), CAEC_E_NOENT);
	(void)mk_region(x, x->B, 10 * G, 12 * G);
	(void)mk_region(x, x->C, 0, 2 * G);
}

/* Proves a consumer's death: its mappings are removed (DEATH), providers
 * hear DETACHED then GONE for attached grants and only GONE for the
 * others, the grants are deleted, the providers' regions survive. */
static void test_csm_death_consumer(void **state)
{
	struct fx *x = *state;
	uint64_t r1, r2, s1, s2, s3;
	long d, g;

	r1 = mk_region(x, x->A, 0, G);
	r2 = mk_region(x, x->C, 0, G);
	s1 = mk_grant(x, x->A, r1, x->B, CSM_PERM_RW, NULL);
	s2 = mk_grant(x, x->C, r2, x->B, CSM_PERM_RO, NULL);
	s3 = mk_grant(x, x->A, r1, x->C, CSM_PERM_RO, NULL);
	attach_at(x, x->B, s1, 0, G);
	attach_at(x, x->C, s3, 5 * G, G);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_realm_remove(x->csm, x->B));
	/* s1: unmap(DEATH) < peer DETACHED < peer GONE, to A's cookie. */
	assert_int_equal(x->f.ev[0].kind, FEV_UNMAP);
	assert_int_equal(x->f.ev[0].grant_id, s1);
	assert_int_equal(x->f.ev[0].arg, CSM_UNMAP_DEATH);
	assert_int_equal(x->f.ev[1].kind, FEV_PEER);
	assert_int_equal(x->f.ev[1].arg, CSM_PEER_DETACHED);
	assert_int_equal(x->f.ev[1].cookie, 0xa);
	assert_int_equal(x->f.ev[2].kind, FEV_PEER);
	assert_int_equal(x->f.ev[2].arg, CSM_PEER_GONE);
	assert_int_equal(x->f.ev[2].grant_id, s1);
	/* s2 was never attached: only GONE, to C. */
	d = fake_find_ev(&x->f, 3, FEV_PEER, r2, s2);
	assert_true(d >= 0);
	assert_int_equal(x->f.ev[d].arg, CSM_PEER_GONE);
	assert_int_equal(x->f.ev[d].cookie, 0xc);
	g = fake_find_ev(&x->f, (size_t)d + 1, FEV_PEER, r2, s2);
	assert_true(g < 0);
	assert_int_equal(x->f.nev, 4);
	expect_stats(x, 2, 2, 1, 1);
	EXPECT_FAIL(x, csm_revoke(x->csm, x->A, s1), CAEC_E_NOENT);
	/* The provider may grant its region again, to someone else. */
	assert_int_equal(fake_find_map(&x->f, s3), 0);
}

/* Proves a realm that is provider and consumer of many regions at once
 * dies cleanly: its mappings go, its regions go after their consumers are
 * unmapped, other realms' regions and cross grants survive untouched, and
 * nothing leaks (checked at teardown). */
static void test_csm_death_both(void **state)
{
	struct fx *x = *state;
	uint64_t own[10], other[10], s_in[10], s_out[10], keep, ks;
	long rel;

	for (int i = 0; i < 10; i++) {
		own[i] = mk_region(x, x->A, (uint64_t)i * G, G);
		s_out[i] = mk_grant(x, x->A, own[i], i % 2 ? x->B : x->C,
				    CSM_PERM_RW, NULL);
		attach_at(x, i % 2 ? x->B : x->C, s_out[i],
			  (uint64_t)(100 + i) * G, G);
		other[i] = mk_region(x, i % 2 ? x->B : x->C,
				     (uint64_t)(200 + i) * G, G);
		s_in[i] = mk_grant(x, i % 2 ? x->B : x->C, other[i], x->A,
				   CSM_PERM_RO, NULL);
		if (i < 7)
			attach_at(x, x->A, s_in[i], (uint64_t)(50 + i) * G, G);
	}
	keep = mk_region(x, x->B, 300 * G, G);
	ks = mk_grant(x, x->B, keep, x->C, CSM_PERM_RO, NULL);
	attach_at(x, x->C, ks, 300 * G, G);
	expect_stats(x, 3, 21, 21, 18);

	fake_clear_events(&x->f);
	assert_caec_ok(csm_realm_remove(x->csm, x->A));
	expect_stats(x, 2, 11, 1, 1);
	for (int i = 0; i < 10; i++) {
		rel = fake_find_ev(&x->f, 0, FEV_REGION_RELEASE, own[i], 0);
		assert_true(rel >= 0);
		assert_true(x->f.ev[rel].provider_dead);
		assert_true(fake_find_ev(&x->f, 0, FEV_UNMAP, own[i], s_out[i]) < rel);
		assert_true(fake_find_ev(&x->f, 0, FEV_REGION_RELEASE, other[i], 0) < 0);
		assert_true(fake_find_ev(&x->f, 0, FEV_PEER, other[i], s_in[i]) >= 0);
		assert_int_equal(fake_find_ev(&x->f, 0, FEV_UNMAP, other[i], s_in[i]) >= 0,
				 i < 7);
	}
	assert_true(fake_find_map(&x->f, ks) >= 0);
	assert_int_equal(x->f.nmaps, 1);
}

/* --- scale, fini, allocation failure ------------------------------------- */

/* Proves there is no fixed limit on consumers: 1000 realms attach one
 * region, the provider sees 1000 ATTACHED events, and unshare unmaps all
 * 1000 before the single release. */
static void test_csm_thousand_consumers(void **state)
{
	struct fx *x = *state;
	enum { N = 1000 };
	uint64_t r, *s = malloc(N * sizeof(*s));
	long rel;

	assert_non_null(s);
	r = mk_region(x, x->A, 0, 16 * G);
	for (int i = 0; i < N; i++) {
		uint64_t c = add_realm(x, 1000 + (uint64_t)i, NULL, 0, LIMIT);

		s[i] = mk_grant(x, x->A, r, c, CSM_PERM_RO, NULL);
		attach_at(x, c, s[i], (uint64_t)i * 16 * G, 16 * G);
	}
	expect_stats(x, 3 + N, 1, N, N);
	assert_int_equal(x->f.nmaps, N);
	assert_int_equal(x->f.npeer, N);
	fake_clear_events(&x->f);
	assert_caec_ok(csm_unshare(x->csm, x->A, r));
	rel = fake_find_ev(&x->f, 0, FEV_REGION_RELEASE, r, 0);
	assert_int_equal(rel, N);
	assert_int_equal(x->f.nev, N + 1);
	for (int i = 0; i < N; i++)
		assert_int_equal(x->f.ev[i].kind, FEV_UNMAP);
	assert_int_equal(x->f.nmaps, 0);
	expect_stats(x, 3 + N, 0, 0, 0);
	free(s);
}

/* Proves csm_fini tears down everything as realm death would: every
 * mapping removed before its region's release, every region released with
 * provider_dead, every allocation returned (teardown checks the counts). */
static void test_csm_fini_releases_all(void **state)
{
	struct fake_plat f;
	struct csm *c;
	uint64_t rl[5], r, s;

	(void)state;
	fake_init(&f);
	assert_caec_ok(csm_init(&c, &fake_ops, &f));
	for (int i = 0; i < 5; i++)
		assert_caec_ok(csm_realm_add(c, (uint64_t)i, NULL, 0, LIMIT, &rl[i]));
	for (int i = 0; i < 5; i++) {
		assert_caec_ok(csm_share(c, rl[i], 0, G, &r));
		for (int j = 0; j < 5; j++) {
			if (j == i)
				continue;
			assert_caec_ok(csm_grant(c, rl[i], r, rl[j], CSM_PERM_RO,
						NULL, &s));
			assert_caec_ok(csm_reserve(c, rl[j], s, (uint64_t)(i + 1) * G, G));
			if ((i + j) % 2)
				assert_caec_ok(csm_attach(c, rl[j], s, NULL, 0, NULL));
		}
	}
	assert_true(f.nmaps > 0);
	fake_clear_events(&f);
	csm_fini(c);
	assert_int_equal(f.nmaps, 0);
	assert_int_equal(f.nregions, 0);
	assert_int_equal(f.nrelease, 5);
	for (size_t i = 0; i < f.nev; i++)
		if (f.ev[i].kind == FEV_REGION_RELEASE)
			assert_true(f.ev[i].provider_dead);
	assert_int_equal(f.violations, 0);
	assert_int_equal(f.live_bytes, 0);
	assert_int_equal(f.live_allocs, 0);
	fake_fini(&f);
}

/*
 * Proves allocation failure at every allocation point of realm_add,
 * share and grant returns CAEC_E_NOMEM and changes nothing (stats,
 * callbacks, grant lists, live memory), and that the call then succeeds
 * once allocation works (each iteration fails allocation 1, 2, ... until
 * the call succeeds).  Each creating call makes exactly one allocation,
 * its object: the ID index lives in the objects and never allocates.
 */
static void test_csm_alloc_failure_every_point(void **state)
{
	struct fx *x = *state;
	uint64_t regions[40], id;
	unsigned fails = 0;
	int rc;

	for (int i = 0; i < 40; i++) {
		uint64_t c = 0;

		/* realm_add */
		for (uint64_t n = 1;; n++) {
			struct snap a, b;

			snap_take(x, &a);
			x->f.fail_at = x->f.nalloc + n;
			rc = csm_realm_add(x->csm, 7000 + (uint64_t)i, NULL, 0, LIMIT, &c);
			x->f.fail_at = 0;
			if (rc == 0)
				break;
			assert_caec_err(rc, CAEC_E_NOMEM);
			snap_take(x, &b);
			assert_memory_equal(&a, &b, sizeof(a));
			fails++;
		}
		/* share */
		for (uint64_t n = 1;; n++) {
			struct snap a, b;

			snap_take(x, &a);
			x->f.fail_at = x->f.nalloc + n;
			rc = csm_share(x->csm, x->A, (uint64_t)i * G, G, &regions[i]);
			x->f.fail_at = 0;
			if (rc == 0)
				break;
			assert_caec_err(rc, CAEC_E_NOMEM);
			snap_take(x, &b);
			assert_memory_equal(&a, &b, sizeof(a));
			fails++;
		}
		/* grant (to B, which the snapshot's grant fingerprint covers) */
		for (uint64_t n = 1;; n++) {
			struct snap a, b;

			snap_take(x, &a);
			x->f.fail_at = x->f.nalloc + n;
			rc = csm_grant(x->csm, x->A, regions[i], x->B, CSM_PERM_RO,
				       NULL, &id);
			x->f.fail_at = 0;
			if (rc == 0)
				break;
			assert_caec_err(rc, CAEC_E_NOMEM);
			snap_take(x, &b);
			assert_memory_equal(&a, &b, sizeof(a));
			fails++;
		}
		/* reserve and attach allocate nothing. */
		x->f.fail_at = x->f.nalloc + 1;
		assert_caec_ok(csm_reserve(x->csm, x->B, id, (uint64_t)i * G, G));
		assert_caec_ok(csm_attach(x->csm, x->B, id, NULL, 0, NULL));
		x->f.fail_at = 0;
	}
	/* One allocation point per call: exactly 3*40 failures. */
	assert_int_equal(fails, 3 * 40);
	expect_stats(x, 3 + 40, 40, 40, 40);
	/* Teardown (in the fixture) still frees everything. */
}

/* Proves a failure injected at every allocation during a whole scenario,
 * including teardown (which never allocates), never leaks or corrupts:
 * run the scenario once per allocation index. */
static void test_csm_alloc_failure_scenario(void **state)
{
	(void)state;
	for (uint64_t n = 1; n < 200; n++) {
		struct fake_plat f;
		struct csm *c = NULL;
		uint64_t r[30], s[30], a = 0, b = 0;

		fake_init(&f);
		f.fail_at = n;
		if (csm_init(&c, &fake_ops, &f) == 0) {
			(void)csm_realm_add(c, 1, NULL, 0, LIMIT, &a);
			(void)csm_realm_add(c, 2, NULL, 0, LIMIT, &b);
			for (int i = 0; i < 30; i++) {
				r[i] = s[i] = 0;
				if (csm_share(c, a, (uint64_t)i * G, G, &r[i]) == 0 &&
				    csm_grant(c, a, r[i], b, CSM_PERM_RO, NULL, &s[i]) == 0 &&
				    csm_reserve(c, b, s[i], (uint64_t)i * G, G) == 0)
					assert_caec_ok(csm_attach(c, b, s[i], NULL, 0, NULL));
			}
			for (int i = 0; i < 30; i += 3)
				(void)csm_unshare(c, a, r[i]);
			(void)csm_realm_remove(c, b);
			csm_fini(c);
		}
		assert_int_equal(f.live_bytes, 0);
		assert_int_equal(f.live_allocs, 0);
		assert_int_equal(f.bad_frees, 0);
		assert_int_equal(f.violations, 0);
		assert_int_equal(f.nmaps, 0);
		assert_int_equal(f.nregions, 0);
		fake_fini(&f);
	}
}

/* Proves IDs of different kinds come from one generator: no realm, region
 * or grant ID equals another, and an ID of one kind is unknown as any
 * other kind. */
static void test_csm_ids_unique_across_kinds(void **state)
{
	struct fx *x = *state;
	uint64_t ids[300];
	size_t n = 0;

	for (int i = 0; i < 100; i++) {
		uint64_t r = mk_region(x, x->A, (uint64_t)i * G, G);

		ids[n++] = r;
		ids[n++] = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
		ids[n++] = add_realm(x, 9, NULL, 0, LIMIT);
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(ids[i], x->A);
		assert_int_not_equal(ids[i], x->B);
		assert_int_not_equal(ids[i], x->C);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(ids[i], ids[j]);
	}
	assert_false(csm_realm_exists(x->csm, ids[0]));
	assert_false(csm_realm_exists(x->csm, ids[1]));
	assert_true(csm_realm_exists(x->csm, ids[2]));
	EXPECT_FAIL(x, csm_unshare(x->csm, x->A, ids[2]), CAEC_E_NOENT);
}

/* --- relations (attestation view) --------------------------------------- */

/* Proves csm_relations lists, for a realm, each provided region (one entry
 * per grant in grant order, or one grant-less entry), then each grant
 * granted to it in grant order, with peer, perm, attached and sealed hash;
 * NOENT past the end, for an unknown realm and for a NULL out. */
static void test_csm_relations(void **state)
{
	struct fx *x = *state;
	struct csm_relation rel;
	uint8_t h[CSM_HASH_MAX];
	uint64_t r1, r2, r3, sb, sc, s3, sin;
	size_t hl;

	r1 = mk_region(x, x->A, 0, G);
	r2 = mk_region(x, x->A, G, G);
	sb = mk_grant(x, x->A, r2, x->B, CSM_PERM_RW, NULL);
	sc = mk_grant(x, x->A, r2, x->C, CSM_PERM_RO, NULL);
	attach_at(x, x->B, sb, 0, G);
	r3 = mk_region(x, x->B, 10 * G, G);
	assert_caec_ok(csm_seal(x->csm, x->B, r3, h, sizeof(h), &hl));
	sin = mk_grant(x, x->B, r3, x->A, CSM_PERM_RO, NULL);
	attach_at(x, x->A, sin, 20 * G, G);
	s3 = mk_grant(x, x->B, r3, x->C, CSM_PERM_RO, NULL);

	assert_caec_ok(csm_relations(x->csm, x->A, 0, &rel));
	assert_int_equal(rel.region_id, r1);
	assert_int_equal(rel.grant_id, 0);
	assert_int_equal(rel.peer_id, 0);
	assert_int_equal(rel.perm, 0);
	assert_true(rel.provider);
	assert_false(rel.attached);
	assert_false(rel.sealed);

	assert_caec_ok(csm_relations(x->csm, x->A, 1, &rel));
	assert_int_equal(rel.region_id, r2);
	assert_int_equal(rel.grant_id, sb);
	assert_int_equal(rel.peer_id, x->B);
	assert_int_equal(rel.perm, CSM_PERM_RW);
	assert_true(rel.provider);
	assert_true(rel.attached);

	assert_caec_ok(csm_relations(x->csm, x->A, 2, &rel));
	assert_int_equal(rel.grant_id, sc);
	assert_int_equal(rel.peer_id, x->C);
	assert_false(rel.attached);

	assert_caec_ok(csm_relations(x->csm, x->A, 3, &rel));
	assert_int_equal(rel.region_id, r3);
	assert_int_equal(rel.grant_id, sin);
	assert_int_equal(rel.peer_id, x->B);
	assert_int_equal(rel.perm, CSM_PERM_RO);
	assert_false(rel.provider);
	assert_true(rel.attached);
	assert_true(rel.sealed);
	assert_int_equal(rel.hash_len, hl);
	assert_memory_equal(rel.hash, h, hl);

	assert_caec_err(csm_relations(x->csm, x->A, 4, &rel), CAEC_E_NOENT);
	assert_caec_err(csm_relations(x->csm, 777, 0, &rel), CAEC_E_NOENT);
	assert_caec_err(csm_relations(x->csm, r1, 0, &rel), CAEC_E_NOENT);
	assert_caec_err(csm_relations(x->csm, x->A, 0, NULL), CAEC_E_INVAL);
	assert_caec_err(csm_relations(NULL, x->A, 0, &rel), CAEC_E_INVAL);

	/* After a revoke the provider side shows the region grant-less. */
	assert_caec_ok(csm_revoke(x->csm, x->A, sb));
	assert_caec_ok(csm_revoke(x->csm, x->A, sc));
	assert_caec_ok(csm_relations(x->csm, x->A, 1, &rel));
	assert_int_equal(rel.region_id, r2);
	assert_int_equal(rel.grant_id, 0);
	/* C sees only its grant from B. */
	assert_caec_ok(csm_relations(x->csm, x->C, 0, &rel));
	assert_int_equal(rel.grant_id, s3);
	assert_false(rel.provider);
	assert_caec_err(csm_relations(x->csm, x->C, 1, &rel), CAEC_E_NOENT);
}

/* Proves csm_token_relations lists a realm's relations in the token's
 * order (provided regions with their grants, attached grants made to it,
 * then unattached ones, each group in csm_relations()' order), all of them
 * when they fit, else cap - 1 and the number omitted; and its errors. */
static void test_csm_token_relations(void **state)
{
	struct fx *x = *state;
	struct csm_relation rel[4];
	uint64_t r1, rb1, rb2, rc, g1, g2, g3, d, omitted = 99;

	r1 = mk_region(x, x->A, 0, G);
	rb1 = mk_region(x, x->B, 10 * G, G);
	rb2 = mk_region(x, x->B, 11 * G, G);
	rc = mk_region(x, x->C, 12 * G, G);
	g1 = mk_grant(x, x->B, rb1, x->A, CSM_PERM_RO, NULL);
	g2 = mk_grant(x, x->B, rb2, x->A, CSM_PERM_RW, NULL);
	g3 = mk_grant(x, x->C, rc, x->A, CSM_PERM_RO, NULL);
	attach_at(x, x->A, g2, 20 * G, G);

	assert_int_equal(csm_token_relations(x->csm, x->A, rel, 4, &omitted), 4);
	assert_int_equal(omitted, 0);
	assert_int_equal(rel[0].region_id, r1);
	assert_true(rel[0].provider);
	assert_int_equal(rel[1].grant_id, g2);
	assert_true(rel[1].attached);
	assert_int_equal(rel[1].perm, CSM_PERM_RW);
	assert_int_equal(rel[1].peer_id, x->B);
	assert_int_equal(rel[2].grant_id, g1);
	assert_false(rel[2].attached);
	assert_false(rel[2].provider);
	assert_int_equal(rel[3].grant_id, g3);
	assert_int_equal(rel[3].region_id, rc);
	assert_int_equal(rel[3].peer_id, x->C);

	/* One too many: cap - 1 listed, the rest counted. */
	assert_int_equal(csm_token_relations(x->csm, x->A, rel, 3, &omitted), 2);
	assert_int_equal(omitted, 2);
	assert_int_equal(rel[0].region_id, r1);
	assert_int_equal(rel[1].grant_id, g2);
	assert_int_equal(csm_token_relations(x->csm, x->A, rel, 1, &omitted), 0);
	assert_int_equal(omitted, 4);

	/* The provider side: B's regions, each with its grant. */
	assert_int_equal(csm_token_relations(x->csm, x->B, rel, 4, &omitted), 2);
	assert_int_equal(omitted, 0);
	assert_int_equal(rel[0].grant_id, g1);
	assert_int_equal(rel[0].peer_id, x->A);
	assert_false(rel[0].attached);
	assert_int_equal(rel[1].grant_id, g2);
	assert_true(rel[1].attached);
	assert_true(rel[1].provider);
	d = add_realm(x, 0xd, NULL, 0, LIMIT);
	assert_int_equal(csm_token_relations(x->csm, d, rel, 4, &omitted), 0);
	assert_int_equal(omitted, 0);

	assert_caec_err(csm_token_relations(x->csm, 777, rel, 4, &omitted), CAEC_E_NOENT);
	assert_caec_err(csm_token_relations(x->csm, x->A, rel, 0, &omitted), CAEC_E_INVAL);
	assert_caec_err(csm_token_relations(x->csm, x->A, NULL, 4, &omitted), CAEC_E_INVAL);
	assert_caec_err(csm_token_relations(x->csm, x->A, rel, 4, NULL), CAEC_E_INVAL);
	assert_caec_err(csm_token_relations(NULL, x->A, rel, 4, &omitted), CAEC_E_INVAL);
}

/* Proves csm_check (used by the teardown of every test here and by the
 * stress test) is not vacuous: breaking one invariant at a time inside the
 * state is reported, and restoring it makes the check pass again. */
/* --- storage: one small object per allocation, charged to its owner ------ */

/*
 * Proves the storage contract the RMM relies on: every allocation is one
 * object of at most CSM_ALLOC_MAX bytes; a realm is charged to itself, a
 * region and every grant of it to the provider (the consumer is charged
 * nothing); removing a realm returns everything charged to it; and the
 * state itself is charged to nobody.
 */
static void test_csm_alloc_owners(void **state)
{
	struct fx *x = *state;
	const struct fake_owner *a, *b;
	uint64_t r, s, t;

	r = mk_region(x, x->A, 0, 2 * G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	t = mk_grant(x, x->A, r, x->C, CSM_PERM_RW, NULL);
	attach_at(x, x->B, s, 4 * G, 2 * G);
	a = fake_owner(&x->f, 0xa);
	b = fake_owner(&x->f, 0xb);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->kinds[CSM_ALLOC_REALM], 1);
	assert_int_equal(a->kinds[CSM_ALLOC_REGION], 1);
	assert_int_equal(a->kinds[CSM_ALLOC_GRANT], 2);
	assert_int_equal(b->kinds[CSM_ALLOC_REALM], 1);
	assert_int_equal(b->live_allocs, 1);          /* consuming costs B nothing */
	assert_int_equal(fake_owner(&x->f, 0)->kinds[CSM_ALLOC_STATE], 1);
	assert_true(x->f.max_alloc <= CSM_ALLOC_MAX);
	/* B's death frees only B's realm object (the grant is A's). */
	assert_caec_ok(csm_realm_remove(x->csm, x->B));
	assert_int_equal(fake_owner(&x->f, 0xb)->live_allocs, 0);
	assert_int_equal(fake_owner(&x->f, 0xa)->kinds[CSM_ALLOC_GRANT], 1);
	/* A's death frees everything charged to A. */
	assert_caec_ok(csm_realm_remove(x->csm, x->A));
	assert_int_equal(fake_owner(&x->f, 0xa)->live_allocs, 0);
	assert_int_equal(x->f.violations, 0);
	(void)t;
	x->nrealms = 1;
	x->realms[0] = x->C;
}

/*
 * Proves the metadata-exhaustion protocol: a provider whose own space is
 * full gets CAEC_E_NOMEM from share and grant with nothing changed, other
 * realms are unaffected (their space is theirs), and once the platform
 * gives the provider more room the same calls succeed when re-issued.
 */
static void test_csm_owner_out_of_space_then_retry(void **state)
{
	struct fx *x = *state;
	uint64_t r, r2, rb, s;

	r = mk_region(x, x->A, 0, G);
	/* A may hold what it has now, nothing more. */
	fake_set_quota(&x->f, 0xa, (long)fake_owner(&x->f, 0xa)->live_allocs);
	EXPECT_FAIL(x, csm_share(x->csm, x->A, 8 * G, G, &r2), CAEC_E_NOMEM);
	EXPECT_FAIL(x, csm_grant(x->csm, x->A, r, x->B, CSM_PERM_RO, NULL, &s),
		    CAEC_E_NOMEM);
	/* B's space is B's own. */
	rb = mk_region(x, x->B, 0, G);
	(void)mk_grant(x, x->B, rb, x->A, CSM_PERM_RO, NULL);
	/* More room for A (the host donated a granule): the retry works. */
	fake_set_quota(&x->f, 0xa, -1);
	assert_caec_ok(csm_share(x->csm, x->A, 8 * G, G, &r2));
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	attach_at(x, x->B, s, 16 * G, G);
	expect_stats(x, 3, 3, 2, 1);
}

/* --- the optional reserve/unreserve ops ----------------------------------- */

/* Runs a test body on a state whose platform has reserve/unreserve. */
static struct fx *rsv_fx(void)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	fake_init(&x->f);
	assert_caec_ok(csm_init(&x->csm, &fake_ops_rsv, &x->f));
	x->A = add_realm(x, 0xa, NULL, 0, LIMIT);
	x->B = add_realm(x, 0xb, rim_b, sizeof(rim_b), LIMIT);
	x->C = add_realm(x, 0xc, rim_c, sizeof(rim_c), LIMIT);
	return x;
}

/* Index of the n-th event of kind at or after from, or -1. */
static long nth_ev(const struct fake_plat *f, size_t from, enum fake_ev_kind kind)
{
	for (size_t i = from; i < f->nev; i++)
		if (f->ev[i].kind == kind)
			return (long)i;
	return -1;
}

/*
 * Proves reserve is the last step of csm_reserve (no call with a failing
 * check reaches it), its error fails the call with nothing changed, and
 * every way a reservation ends calls unreserve once, after the unmap, with
 * the reason: detach (from RESERVED and from ATTACHED), revoke, unshare,
 * consumer death, provider death.
 */
static void test_csm_reserve_ops(void **state)
{
	struct fx *x = rsv_fx();
	uint64_t r, s, t, u;
	long i, j;

	(void)state;
	r = mk_region(x, x->A, 0, 2 * G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RW, NULL);
	/* A failing check never reaches the platform. */
	fake_clear_events(&x->f);
	assert_caec_err(csm_reserve(x->csm, x->B, s, 4 * G, G), CAEC_E_INVAL);
	assert_caec_err(csm_reserve(x->csm, x->C, s, 4 * G, 2 * G), CAEC_E_DENIED);
	assert_int_equal(x->f.nev, 0);
	/* The platform refuses (e.g. the host must first free the range). */
	x->f.reserve_rc = CAEC_E_BUSY;
	EXPECT_FAIL(x, csm_reserve(x->csm, x->B, s, 4 * G, 2 * G), CAEC_E_BUSY);
	x->f.reserve_rc = 0;
	assert_int_equal(x->f.nreserved, 0);
	/* The range is still free: a reservation there now succeeds. */
	fake_clear_events(&x->f);
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 4 * G, 2 * G));
	assert_int_equal(x->f.ev[0].kind, FEV_RESERVE);
	assert_int_equal(x->f.ev[0].base, 4 * G);
	assert_int_equal(x->f.ev[0].grant_id, s);
	assert_int_equal(x->f.nreserved, 1);
	/* Detach from RESERVED: unreserve(DETACH), no unmap. */
	fake_clear_events(&x->f);
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	assert_int_equal(x->f.nev, 1);
	assert_int_equal(x->f.ev[0].kind, FEV_UNRESERVE);
	assert_int_equal(x->f.ev[0].arg, CSM_UNMAP_DETACH);
	/* Detach from ATTACHED: unmap, then unreserve, both DETACH. */
	attach_at(x, x->B, s, 4 * G, 2 * G);
	fake_clear_events(&x->f);
	assert_caec_ok(csm_detach(x->csm, x->B, s));
	i = nth_ev(&x->f, 0, FEV_UNMAP);
	j = nth_ev(&x->f, 0, FEV_UNRESERVE);
	assert_true(i >= 0 && j > i);
	assert_int_equal(x->f.ev[j].arg, CSM_UNMAP_DETACH);
	/* Revoke of an attached grant: unmap then unreserve, REVOKE. */
	attach_at(x, x->B, s, 4 * G, 2 * G);
	fake_clear_events(&x->f);
	assert_caec_ok(csm_revoke(x->csm, x->A, s));
	i = nth_ev(&x->f, 0, FEV_UNMAP);
	j = nth_ev(&x->f, 0, FEV_UNRESERVE);
	assert_true(i >= 0 && j > i);
	assert_int_equal(x->f.ev[j].arg, CSM_UNMAP_REVOKE);
	/* Unshare: each reservation ends with UNSHARE before the release. */
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	t = mk_grant(x, x->A, r, x->C, CSM_PERM_RO, NULL);
	attach_at(x, x->B, s, 4 * G, 2 * G);
	assert_caec_ok(csm_reserve(x->csm, x->C, t, 4 * G, 2 * G));
	fake_clear_events(&x->f);
	assert_caec_ok(csm_unshare(x->csm, x->A, r));
	i = nth_ev(&x->f, 0, FEV_UNRESERVE);
	j = nth_ev(&x->f, (size_t)i + 1, FEV_UNRESERVE);
	assert_true(i >= 0 && j > i);
	assert_int_equal(x->f.ev[i].arg, CSM_UNMAP_UNSHARE);
	assert_int_equal(x->f.ev[j].arg, CSM_UNMAP_UNSHARE);
	assert_true(nth_ev(&x->f, 0, FEV_REGION_RELEASE) > j);
	assert_int_equal(x->f.nreserved, 0);
	/* Deaths: the consumer's, then the provider's. */
	r = mk_region(x, x->A, 0, G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	u = mk_grant(x, x->A, r, x->C, CSM_PERM_RO, NULL);
	attach_at(x, x->B, s, 8 * G, G);
	attach_at(x, x->C, u, 8 * G, G);
	fake_clear_events(&x->f);
	assert_caec_ok(csm_realm_remove(x->csm, x->B));
	j = nth_ev(&x->f, 0, FEV_UNRESERVE);
	assert_true(j > nth_ev(&x->f, 0, FEV_UNMAP));
	assert_int_equal(x->f.ev[j].arg, CSM_UNMAP_DEATH);
	fake_clear_events(&x->f);
	assert_caec_ok(csm_realm_remove(x->csm, x->A));
	j = nth_ev(&x->f, 0, FEV_UNRESERVE);
	assert_true(j > nth_ev(&x->f, 0, FEV_UNMAP));
	assert_int_equal(x->f.ev[j].arg, CSM_UNMAP_DEATH);
	assert_int_equal(x->f.nreserved, 0);
	assert_int_equal(x->f.violations, 0);
	assert_int_equal(csm_check(x->csm), 0);
	csm_fini(x->csm);
	assert_int_equal(x->f.live_allocs, 0);
	assert_int_equal(x->f.violations, 0);
	fake_fini(&x->f);
	free(x);
}

/* --- platform queries ------------------------------------------------------ */

static void count_mapping(void *arg, const struct csm_mapping *m)
{
	struct csm_mapping *seen = arg;

	/* Remember the last one; count in seen->size's high bits is not
	 * needed: the caller checks the return value. */
	*seen = *m;
}

/*
 * Proves csm_region_find finds the region containing an IPA (first and
 * last byte, not one past), only among the realm's own regions;
 * csm_region_for_each_mapping visits exactly the attached grants with the
 * provider's cookie; and the mapping descriptors carry prov_cookie.
 */
static void test_csm_region_queries(void **state)
{
	struct fx *x = *state;
	struct csm_mapping seen;
	uint64_t r, id = 0, base = 0, size = 0, s, t;

	r = mk_region(x, x->A, 4 * G, 3 * G);
	assert_caec_ok(csm_region_find(x->csm, x->A, 4 * G, &id, &base, &size));
	assert_int_equal(id, r);
	assert_int_equal(base, 4 * G);
	assert_int_equal(size, 3 * G);
	assert_caec_ok(csm_region_find(x->csm, x->A, 7 * G - 1, &id, NULL, NULL));
	assert_int_equal(csm_region_find(x->csm, x->A, 7 * G, &id, NULL, NULL),
			 CAEC_E_NOENT);
	assert_int_equal(csm_region_find(x->csm, x->A, 4 * G - 1, NULL, NULL, NULL),
			 CAEC_E_NOENT);
	assert_int_equal(csm_region_find(x->csm, x->B, 4 * G, NULL, NULL, NULL),
			 CAEC_E_NOENT);
	assert_int_equal(csm_region_find(x->csm, 12345, 4 * G, NULL, NULL, NULL),
			 CAEC_E_NOENT);
	assert_int_equal(csm_region_find(NULL, x->A, 4 * G, NULL, NULL, NULL),
			 CAEC_E_INVAL);

	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	t = mk_grant(x, x->A, r, x->C, CSM_PERM_RW, NULL);
	assert_int_equal(csm_region_for_each_mapping(x->csm, r, count_mapping, &seen), 0);
	attach_at(x, x->C, t, 16 * G, 3 * G);
	assert_caec_ok(csm_reserve(x->csm, x->B, s, 16 * G, 3 * G));  /* not attached */
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(csm_region_for_each_mapping(x->csm, r, count_mapping, &seen), 1);
	assert_int_equal(seen.grant_id, t);
	assert_int_equal(seen.realm_cookie, 0xc);
	assert_int_equal(seen.prov_cookie, 0xa);
	assert_int_equal(seen.base, 16 * G);
	assert_int_equal(seen.perm, CSM_PERM_RW);
	assert_int_equal(csm_region_for_each_mapping(x->csm, s, count_mapping, &seen),
			 CAEC_E_NOENT);
	assert_caec_err(csm_region_for_each_mapping(x->csm, r, NULL, NULL), CAEC_E_INVAL);
	assert_int_equal(x->f.maps[0].prov_cookie, 0xa);
}

/*
 * Proves csm_notify_target: the consumer's notify wakes the provider and
 * the provider's wakes the consumer; only once attached (STATE); anyone
 * else, an unknown ID, a region ID or a revoked grant gets DENIED.
 */
static void test_csm_notify_target(void **state)
{
	struct fx *x = *state;
	uint64_t r, s, id = 0, cookie = 0;

	r = mk_region(x, x->A, 0, G);
	s = mk_grant(x, x->A, r, x->B, CSM_PERM_RW, NULL);
	assert_caec_err(csm_notify_target(x->csm, x->B, s, &id, &cookie), CAEC_E_STATE);
	assert_caec_err(csm_notify_target(x->csm, x->A, s, &id, &cookie), CAEC_E_STATE);
	attach_at(x, x->B, s, 0, G);
	assert_caec_ok(csm_notify_target(x->csm, x->B, s, &id, &cookie));
	assert_int_equal(id, x->A);
	assert_int_equal(cookie, 0xa);
	assert_caec_ok(csm_notify_target(x->csm, x->A, s, &id, &cookie));
	assert_int_equal(id, x->B);
	assert_int_equal(cookie, 0xb);
	assert_caec_ok(csm_notify_target(x->csm, x->A, s, NULL, NULL));
	assert_caec_err(csm_notify_target(x->csm, x->C, s, &id, NULL), CAEC_E_DENIED);
	assert_caec_err(csm_notify_target(x->csm, x->B, s + 1, &id, NULL), CAEC_E_DENIED);
	assert_caec_err(csm_notify_target(x->csm, x->A, r, &id, NULL), CAEC_E_DENIED);
	assert_caec_err(csm_notify_target(NULL, x->A, s, &id, NULL), CAEC_E_INVAL);
	assert_caec_ok(csm_revoke(x->csm, x->A, s));
	assert_caec_err(csm_notify_target(x->csm, x->B, s, &id, NULL), CAEC_E_DENIED);
	assert_caec_err(csm_notify_target(x->csm, x->A, s, &id, NULL), CAEC_E_DENIED);
}

static void test_csm_check_detects_corruption(void **state)
{
	struct fx *x = *state;
	struct csm_region *g;
	struct csm_grant *s;
	uint64_t r, sid;

	r = mk_region(x, x->A, 0, 2 * G);
	sid = mk_grant(x, x->A, r, x->B, CSM_PERM_RO, NULL);
	assert_caec_ok(csm_reserve(x->csm, x->B, sid, 8 * G, 2 * G));
	assert_caec_ok(csm_check(x->csm));
	g = csm_lookup(x->csm, r, CSM_KIND_REGION);
	s = csm_lookup(x->csm, sid, CSM_KIND_GRANT);
	assert_non_null(g);
	assert_non_null(s);

	x->csm->stats.attached++;
	assert_int_not_equal(csm_check(x->csm), 0);
	x->csm->stats.attached--;
	g->nrw++;
	assert_int_not_equal(csm_check(x->csm), 0);
	g->nrw--;
	s->range.size = G;   /* reservation no longer the region's size */
	assert_int_not_equal(csm_check(x->csm), 0);
	s->range.size = 2 * G;
	s->state = CSM_GRANT_GRANTED;  /* GRANTED but still holds a range */
	assert_int_not_equal(csm_check(x->csm), 0);
	s->state = CSM_GRANT_RESERVED;
	s->cons->ngrants++;
	assert_int_not_equal(csm_check(x->csm), 0);
	s->cons->ngrants--;
	assert_caec_ok(csm_check(x->csm));
	assert_caec_err(csm_check(NULL), CAEC_E_INVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csm_init_args),
		T(test_csm_realm_add_remove),
		T(test_csm_lifecycle),
		T(test_csm_share_errors),
		T(test_csm_grant_errors),
		T(test_csm_grant_duplicate_either_side),
		T(test_csm_revoke),
		T(test_csm_unshare),
		T(test_csm_seal),
		T(test_csm_seal_platform_bad_length),
		cmocka_unit_test(test_csm_seal_notsup_and_no_events),
		T(test_csm_reserve_errors),
		T(test_csm_attach_errors),
		T(test_csm_attach_policy),
		T(test_csm_attach_expected_hash),
		T(test_csm_detach),
		T(test_csm_grant_list_order),
		T(test_csm_death_provider),
		T(test_csm_death_consumer),
		T(test_csm_death_both),
		T(test_csm_thousand_consumers),
		cmocka_unit_test(test_csm_fini_releases_all),
		T(test_csm_alloc_failure_every_point),
		cmocka_unit_test(test_csm_alloc_failure_scenario),
		T(test_csm_ids_unique_across_kinds),
		T(test_csm_relations),
		T(test_csm_token_relations),
		T(test_csm_check_detects_corruption),
		T(test_csm_alloc_owners),
		T(test_csm_owner_out_of_space_then_retry),
		cmocka_unit_test(test_csm_reserve_ops),
		T(test_csm_region_queries),
		T(test_csm_notify_target),
	};
#undef T

	return cmocka_run_group_tests_name("csm", tests, NULL, NULL);
}
