/*
 * RMI_RTT_CREATE / DESTROY / FOLD / READ_ENTRY / INIT_RIPAS / SET_RIPAS /
 * MAP_UNPROTECTED / UNMAP_UNPROTECTED (B4.3.15-B4.3.22).
 *
 * Realm A (conf_world): s2sz 39, root RTT at level 1, level-2 RTT at
 * TEST_IPA_BASE (1 GB), level-3 RTT at TEST_IPA_BASE (2 MB).
 */
#include "conf.h"

#include <measurement.h>
#include <s2tt.h>
#include <string.h>

#define L3_SIZE		0x1000UL
#define L2_SIZE		0x200000UL
#define L1_SIZE		0x40000000UL
#define UART_DESC	(0x09000000UL | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW)

static void realm_activate(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, c->realm.rd, 0, 0, 0, 0, NULL));
}

static void realm_off(struct conf_ctx *c)
{
	((struct rd *)fake_pa_ptr(c->realm.rd))->state = REALM_SYSTEM_OFF;
}

static uint64_t rtt_create(struct conf_ctx *c, uint64_t ipa, unsigned long level)
{
	uint64_t rtt = alloc_delegated();

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, c->realm.rd, rtt, ipa, level, 0, NULL));
	return rtt;
}

static void read_entry(struct conf_ctx *c, uint64_t ipa, unsigned long level, struct smc_result *r)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, c->realm.rd, ipa, level, 0, 0, r));
}

static void data_unknown(struct conf_ctx *c, uint64_t ipa)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd, alloc_delegated(), ipa,
				    0, 0, NULL));
}

#define LPA2_WHY	"without LPA2 a PA at or above 2^48 is not delegable, so rtt_bound fails first"

/* Common argument changes: level in x(l), IPA in x(i) */
static void level_1(struct conf_ctx *c, unsigned int l) { c->args[l - 1] = 1; }

/* ---- RMI_RTT_CREATE -------------------------------------------------------- */

static const char *const create_conds[] = {
	"rd_align", "rd_bound", "rd_state", "level_bound", "ipa_align", "ipa_bound", "rtt_align",
	"rtt_bound", "rtt_state", "rtt_bound2", "rtt_walk", "rtte_state", NULL,
};

/* A level-3 RTT for [TEST_IPA_BASE + 2 MB, + 4 MB). */
static void create_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
	c->args[1] = c->delegated;
	c->args[2] = TEST_IPA_BASE + L2_SIZE;
	c->args[3] = 3;
}

static void c_level_start(struct conf_ctx *c) { level_1(c, 4); c->args[2] = 0; }
static void c_level_4(struct conf_ctx *c) { c->args[3] = 4; }
static void c_level_neg(struct conf_ctx *c) { c->args[3] = (unsigned long)-1L; }
static void c_ipa_unaligned(struct conf_ctx *c) { c->args[2] += L3_SIZE; }
static void c_ipa_outside(struct conf_ctx *c)
{
	c->args[2] = 1UL << TEST_S2SZ;
	c->args[3] = 2;
}
static void c_rtt_48(struct conf_ctx *c) { c->args[1] = 1UL << 48; }
static void c_no_l2(struct conf_ctx *c) { c->args[2] = 0; }
static void c_table_exists(struct conf_ctx *c) { c->args[2] = TEST_IPA_BASE; }
static void c_level4_no_l2(struct conf_ctx *c)
{
	c->args[2] = 0;
	c->args[3] = 4;
}

static const struct conf_row create_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "an RTT", 1, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "the starting level 1", 0, MUT_NONE, c_level_start, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 4", 0, MUT_NONE, c_level_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level -1", 0, MUT_NONE, c_level_neg, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "not 2 MB aligned for a level-3 RTT", 0, MUT_NONE, c_ipa_unaligned,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "2^s2sz", 0, MUT_NONE, c_ipa_outside, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_align", "rtt + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_state", "NS", 2, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_state", "an RTT", 2, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_bound2", "rtt = 2^48", 0, MUT_NONE, c_rtt_48, RMI_ERROR_INPUT, 0, NULL, LPA2_WHY },
	{ "rtt_walk", "no level-2 RTT", 0, MUT_NONE, c_no_l2, RMI_ERROR_RTT, 1, NULL, NULL },
	{ "rtte_state", "a level-3 RTT exists there", 0, MUT_NONE, c_table_exists, RMI_ERROR_RTT, 2,
	  NULL, NULL },
	{ "level_bound<rtt_walk", "level 4 and nothing mapped", 0, MUT_NONE, c_level4_no_l2,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void create_positive(struct conf_ctx *c)
{
	uint64_t *t;
	struct smc_result r;
	unsigned int i;

	/* RIPAS RAM on the parent entry: the new RTT inherits it */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, c->args[2],
				    c->args[2] + L2_SIZE, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_CREATE));
	assert_int_equal(GRANULE_STATE_RTT, granule_get_state(addr_to_granule(c->delegated)));
	read_entry(c, c->args[2], 2, &r);
	assert_int_equal(RMI_TABLE, r.x[2]);
	assert_int_equal(c->delegated, r.x[3]);
	t = fake_pa_ptr(c->delegated);
	for (i = 0; i < S2TT_ENTRIES; i++) {
		assert_true(s2tte_is_unassigned(t[i]));
		assert_int_equal(RIPAS_RAM, s2tte_get_ripas(t[i], 3));
	}
	assert_int_equal(0, granule_refcount(addr_to_granule(c->delegated)));
	assert_int_equal(2, granule_refcount(addr_to_granule(c->realm.rtt_l2)));
	/* under an ASSIGNED_NS block: 512 contiguous ASSIGNED_NS pages (unfold) */
	(void)rtt_create(c, TEST_UNPROT, 2);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd, TEST_UNPROT, 2,
				    0x200000UL | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW, 0, NULL));
	t = fake_pa_ptr(rtt_create(c, TEST_UNPROT, 3));
	for (i = 0; i < S2TT_ENTRIES; i++) {
		assert_true(s2tte_is_assigned_ns(t[i], 3));
		assert_int_equal(0x200000UL + i * L3_SIZE, s2tte_pa(t[i]));
	}
	read_entry(c, TEST_UNPROT + 0x5000, 3, &r);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(0x205000UL | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW, r.x[3]);
}

/* ---- RMI_RTT_DESTROY ------------------------------------------------------- */

static const char *const destroy_conds[] = {
	"rd_align", "rd_bound", "rd_state", "level_bound", "ipa_align", "ipa_bound", "rtt_walk",
	"rtte_state", "rtt_live", NULL,
};

/*
 * An empty level-3 RTT at + 2 MB (v[0], the target); the level-3 RTT at
 * TEST_IPA_BASE is live (DATA at TEST_IPA_BASE).
 */
static void destroy_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->v[0] = rtt_create(c, TEST_IPA_BASE + L2_SIZE, 3);
	data_unknown(c, TEST_IPA_BASE);
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_IPA_BASE + L2_SIZE;
	c->args[2] = 3;
}

static void d_level_start(struct conf_ctx *c) { c->args[1] = 0; c->args[2] = 1; }
static void d_level_4(struct conf_ctx *c) { c->args[2] = 4; }
static void d_ipa_unaligned(struct conf_ctx *c) { c->args[1] += L3_SIZE; }
static void d_ipa_outside(struct conf_ctx *c) { c->args[1] = 1UL << TEST_S2SZ; c->args[2] = 2; }
static void d_no_l2(struct conf_ctx *c) { c->args[1] = 0; }
static void d_no_l3(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE + 2 * L2_SIZE; }
static void d_live(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE; }
static void top_l1(struct conf_ctx *c) { conf_assert_top(c, 2, TEST_IPA_BASE); }
static void top_l2_end(struct conf_ctx *c) { conf_assert_top(c, 2, TEST_IPA_BASE + L1_SIZE); }
static void top_ipa(struct conf_ctx *c) { conf_assert_top(c, 2, c->args[1]); }
static void top_zero(struct conf_ctx *c) { conf_assert_top(c, 2, 0); }

static const struct conf_row destroy_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, top_zero, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a DATA granule", 1, MUT_DATA, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "the starting level", 0, MUT_NONE, d_level_start, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 4", 0, MUT_NONE, d_level_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "not 2 MB aligned", 0, MUT_NONE, d_ipa_unaligned, RMI_ERROR_INPUT, 0, top_zero, NULL },
	{ "ipa_bound", "2^s2sz", 0, MUT_NONE, d_ipa_outside, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_walk", "no level-2 RTT: top = the next live level-1 entry", 0, MUT_NONE, d_no_l2,
	  RMI_ERROR_RTT, 1, top_l1, NULL },
	{ "rtte_state", "no RTT there: top = the end of the level-2 RTT", 0, MUT_NONE, d_no_l3,
	  RMI_ERROR_RTT, 2, top_l2_end, NULL },
	{ "rtt_live", "the RTT maps a DATA granule: top = ipa", 0, MUT_NONE, d_live, RMI_ERROR_RTT, 3,
	  top_ipa, NULL },
};

static void destroy_positive(struct conf_ctx *c)
{
	static const uint8_t zero[GRANULE_SIZE];
	struct smc_result r;
	uint64_t l3u;

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_DESTROY));
	assert_int_equal(c->v[0], c->res.x[1]);
	assert_int_equal(TEST_IPA_BASE + L1_SIZE, c->res.x[2]);	/* nothing live after it */
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(c->v[0])));
	assert_memory_equal(zero, fake_pa_ptr(c->v[0]), GRANULE_SIZE);
	read_entry(c, c->args[1], 2, &r);
	assert_int_equal(RMI_UNASSIGNED, r.x[2]);
	assert_int_equal(RIPAS_DESTROYED, r.x[4]);
	assert_int_equal(1, granule_refcount(addr_to_granule(c->realm.rtt_l2)));
	/* an RTT of ASSIGNED_NS entries is not live (A5.5.8): it can go */
	(void)rtt_create(c, TEST_UNPROT, 2);
	l3u = rtt_create(c, TEST_UNPROT, 3);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd, TEST_UNPROT, 3,
				    UART_DESC, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, c->realm.rd, TEST_UNPROT, 3, 0, 0, &r));
	assert_int_equal(l3u, r.x[1]);
	assert_int_equal(TEST_UNPROT + L1_SIZE, r.x[2]);
	read_entry(c, TEST_UNPROT, 2, &r);
	assert_int_equal(RMI_UNASSIGNED, r.x[2]);
	assert_int_equal(0, r.x[4]);	/* unprotected: RIPAS reads as EMPTY */
}

/* ---- RMI_RTT_FOLD ---------------------------------------------------------- */

static const char *const fold_conds[] = {
	"rd_align", "rd_bound", "rd_state", "level_bound", "ipa_align", "ipa_bound", "rtt_walk",
	"rtte_state", "rtt_homo", NULL,
};

/* A homogeneous (all UNASSIGNED, EMPTY) level-3 RTT at + 2 MB (v[0]). */
static void fold_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->v[0] = rtt_create(c, TEST_IPA_BASE + L2_SIZE, 3);
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_IPA_BASE + L2_SIZE;
	c->args[2] = 3;
}

static void f_mixed_ripas(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, c->args[1] + L3_SIZE,
				    c->args[1] + 2 * L3_SIZE, 0, 0, NULL));
}
static void f_one_assigned(struct conf_ctx *c) { data_unknown(c, c->args[1] + 0x7000); }
static void f_has_table(struct conf_ctx *c)
{
	c->args[1] = TEST_IPA_BASE;
	c->args[2] = 2;
}

/*
 * The fixture's level-3 RTT (at args[1]) full of ASSIGNED entries: entry i
 * maps PA first + i * 4 KB, except entries a and b, whose PAs are swapped
 * (a == b: none), all RIPAS RAM except entry `empty` (>= 512: none).
 * Granules outside the test allocator's areas are delegated directly: the
 * 512 from `first` on are free in every fixture (general area past what
 * the fixture allocated, then the block area).
 */
static void fold_fill_assigned(struct conf_ctx *c, uint64_t first, unsigned int a, unsigned int b,
			       unsigned int empty)
{
	uint64_t ipa = c->args[1];
	unsigned int i;

	for (i = 0; i < S2TT_ENTRIES; i++) {
		unsigned int j = (i == a) ? b : (i == b) ? a : i;

		if (i != empty) {
			assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd,
						    ipa + i * L3_SIZE, ipa + (i + 1) * L3_SIZE, 0, 0,
						    NULL));
		}
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, first + j * L3_SIZE, 0, 0, 0, 0,
					    NULL));
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd,
					    first + j * L3_SIZE, ipa + i * L3_SIZE, 0, 0, NULL));
	}
}

/* ... and full of ASSIGNED_NS entries, PA first + i * 4 KB, entry `odd` with other attributes. */
static void fold_fill_ns(struct conf_ctx *c, uint64_t first, unsigned int a, unsigned int b,
			 unsigned int odd)
{
	unsigned int i;

	(void)rtt_create(c, TEST_UNPROT, 2);
	(void)rtt_create(c, TEST_UNPROT, 3);
	c->args[1] = TEST_UNPROT;
	for (i = 0; i < S2TT_ENTRIES; i++) {
		unsigned int j = (i == a) ? b : (i == b) ? a : i;
		uint64_t attr = (i == odd) ? S2TTE_AP_RW | S2TTE_MEMATTR_DEV_NGNRE : S2TTE_AP_RW;

		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd,
					    TEST_UNPROT + i * L3_SIZE, 3, (first + j * L3_SIZE) | attr,
					    0, NULL));
	}
}

static void f_assigned_not_contiguous(struct conf_ctx *c)
{
	fold_fill_assigned(c, block_area_2mb(), 1, 2, S2TT_ENTRIES);
}
static void f_assigned_unaligned(struct conf_ctx *c)
{
	/* contiguous, but from the granule after a 2 MB boundary */
	fold_fill_assigned(c, block_area_2mb() - L2_SIZE + L3_SIZE, 0, 0, S2TT_ENTRIES);
}
static void f_assigned_one_empty(struct conf_ctx *c)
{
	fold_fill_assigned(c, block_area_2mb(), 0, 0, 7);
}
static void f_ns_not_contiguous(struct conf_ctx *c) { fold_fill_ns(c, 0x400000UL, 1, 2, S2TT_ENTRIES); }
static void f_ns_unaligned(struct conf_ctx *c) { fold_fill_ns(c, 0x401000UL, 0, 0, S2TT_ENTRIES); }
static void f_ns_other_attr(struct conf_ctx *c) { fold_fill_ns(c, 0x400000UL, 0, 0, 9); }

static const struct conf_row fold_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a REC", 1, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "the starting level", 0, MUT_NONE, d_level_start, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 4", 0, MUT_NONE, d_level_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "not 2 MB aligned", 0, MUT_NONE, d_ipa_unaligned, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "2^s2sz", 0, MUT_NONE, d_ipa_outside, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_walk", "no level-2 RTT", 0, MUT_NONE, d_no_l2, RMI_ERROR_RTT, 1, NULL, NULL },
	{ "rtte_state", "no RTT there", 0, MUT_NONE, d_no_l3, RMI_ERROR_RTT, 2, NULL, NULL },
	{ "rtt_homo", "one entry RIPAS RAM, the others EMPTY", 0, MUT_NONE, f_mixed_ripas,
	  RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "one entry ASSIGNED, the others not", 0, MUT_NONE, f_one_assigned,
	  RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "a level-2 RTT holding a TABLE entry", 0, MUT_NONE, f_has_table, RMI_ERROR_RTT,
	  2, NULL, NULL },
	{ "rtt_homo", "512 ASSIGNED RAM pages, entries 1 and 2 swapped (not contiguous)", 0, MUT_NONE,
	  f_assigned_not_contiguous, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "512 contiguous ASSIGNED RAM pages from a PA not 2 MB aligned", 0, MUT_NONE,
	  f_assigned_unaligned, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "512 contiguous ASSIGNED pages, one RIPAS EMPTY", 0, MUT_NONE,
	  f_assigned_one_empty, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "512 ASSIGNED_NS pages, entries 1 and 2 swapped (not contiguous)", 0, MUT_NONE,
	  f_ns_not_contiguous, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "512 contiguous ASSIGNED_NS pages from a PA not 2 MB aligned", 0, MUT_NONE,
	  f_ns_unaligned, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rtt_homo", "512 contiguous ASSIGNED_NS pages, one with other attributes", 0, MUT_NONE,
	  f_ns_other_attr, RMI_ERROR_RTT, 3, NULL, NULL },
};

/*
 * Fold 512 contiguous, 2 MB-aligned DATA granules at ipa into a level-2
 * block: RTT at ipa, RIPAS RAM, DATA_CREATE_UNKNOWN in order.
 */
static uint64_t make_block(struct conf_ctx *c, uint64_t ipa, uint64_t *rtt)
{
	uint64_t pa = block_area_2mb();
	unsigned int i;

	*rtt = rtt_create(c, ipa, 3);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, ipa, ipa + L2_SIZE, 0, 0,
				    NULL));
	for (i = 0; i < S2TT_ENTRIES; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, pa + i * L3_SIZE, 0, 0, 0, 0, NULL));
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd, pa + i * L3_SIZE,
					    ipa + i * L3_SIZE, 0, 0, NULL));
	}
	return pa;
}

static void fold_positive(struct conf_ctx *c)
{
	uint64_t ipa = TEST_IPA_BASE + 2 * L2_SIZE, pa, rtt, *l2, *t;
	struct smc_result r;
	unsigned int i;

	/* UNASSIGNED EMPTY: the parent becomes UNASSIGNED EMPTY */
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_FOLD));
	assert_int_equal(c->v[0], c->res.x[1]);
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(c->v[0])));
	read_entry(c, c->args[1], 3, &r);
	assert_int_equal(2, r.x[1]);
	assert_int_equal(RMI_UNASSIGNED, r.x[2]);
	assert_int_equal(RIPAS_EMPTY, r.x[4]);
	assert_int_equal(1, granule_refcount(addr_to_granule(c->realm.rtt_l2)));

	/* 512 ASSIGNED RAM pages: a level-2 block descriptor */
	pa = make_block(c, ipa, &rtt);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_FOLD, c->realm.rd, ipa, 3, 0, 0, &r));
	assert_int_equal(rtt, r.x[1]);
	l2 = fake_pa_ptr(c->realm.rtt_l2);
	assert_int_equal(S2TTE_BLOCK, l2[2] & S2TTE_TYPE_MASK);
	assert_int_equal(pa, s2tte_pa(l2[2]));
	read_entry(c, ipa, 2, &r);
	assert_int_equal(2, r.x[1]);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(pa, r.x[3]);
	assert_int_equal(RIPAS_RAM, r.x[4]);
	assert_int_equal(2, granule_refcount(addr_to_granule(c->realm.rtt_l2)));
	/* a page of the block: no level-3 entry, top = the block itself */
	assert_rmi(rmi_pack(RMI_ERROR_RTT, 2), rmi(SMC_RMI_DATA_DESTROY, c->realm.rd, ipa + 0x5000,
						   0, 0, 0, &r));
	assert_int_equal(ipa, r.x[2]);
	/* not homogeneous once unfolded and one page differs */
	t = fake_pa_ptr(rtt = rtt_create(c, ipa, 3));	/* unfold: contiguous pages again */
	for (i = 0; i < S2TT_ENTRIES; i++) {
		assert_true(s2tte_is_assigned(t[i], 3));
		assert_int_equal(pa + i * L3_SIZE, s2tte_pa(t[i]));
	}
	assert_int_equal(S2TT_ENTRIES, granule_refcount(addr_to_granule(rtt)));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, c->realm.rd, ipa + 0x5000, 0, 0, 0, &r));
	assert_int_equal(pa + 0x5000, r.x[1]);
	assert_rmi(rmi_pack(RMI_ERROR_RTT, 3), rmi(SMC_RMI_RTT_FOLD, c->realm.rd, ipa, 3, 0, 0, NULL));

	/* 512 contiguous ASSIGNED_NS pages with one attribute set: an NS block */
	(void)rtt_create(c, TEST_UNPROT, 2);
	rtt = rtt_create(c, TEST_UNPROT, 3);
	for (i = 0; i < S2TT_ENTRIES; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd,
					    TEST_UNPROT + i * L3_SIZE, 3,
					    (0x400000UL + i * L3_SIZE) | S2TTE_AP_RW, 0, NULL));
	}
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_FOLD, c->realm.rd, TEST_UNPROT, 3, 0, 0, &r));
	assert_int_equal(rtt, r.x[1]);
	read_entry(c, TEST_UNPROT, 3, &r);
	assert_int_equal(2, r.x[1]);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(0x400000UL | S2TTE_AP_RW, r.x[3]);
}

/* ---- RMI_RTT_READ_ENTRY ---------------------------------------------------- */

static const char *const read_conds[] = {
	"rd_align", "rd_bound", "rd_state", "level_bound", "ipa_align", "ipa_bound", NULL,
};

static void read_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_IPA_BASE;
	c->args[2] = 3;
}

/* Level 0 at IPA 0 (aligned to a level-0 entry, in range): only the level is wrong. */
static void r_level_0(struct conf_ctx *c)
{
	c->args[1] = 0;
	c->args[2] = 0;
}
static void r_level_4(struct conf_ctx *c) { c->args[2] = 4; }
static void r_ipa_outside(struct conf_ctx *c) { c->args[1] = 1UL << TEST_S2SZ; }

static const struct conf_row read_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "NS", 1, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 0, above the starting level", 0, MUT_NONE, r_level_0, RMI_ERROR_INPUT,
	  0, NULL, NULL },
	{ "level_bound", "level 4", 0, MUT_NONE, r_level_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "ipa + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "2^s2sz", 0, MUT_NONE, r_ipa_outside, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void read_positive(struct conf_ctx *c)
{
	struct smc_result r;
	uint64_t data = alloc_delegated();

	/* UNASSIGNED, RIPAS EMPTY: desc 0 */
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_READ_ENTRY));
	assert_int_equal(3, c->res.x[1]);
	assert_int_equal(RMI_UNASSIGNED, c->res.x[2]);
	assert_int_equal(0, c->res.x[3]);
	assert_int_equal(RIPAS_EMPTY, c->res.x[4]);
	/* TABLE: desc = the next RTT */
	read_entry(c, TEST_IPA_BASE, 1, &r);
	assert_int_equal(1, r.x[1]);
	assert_int_equal(RMI_TABLE, r.x[2]);
	assert_int_equal(c->realm.rtt_l2, r.x[3]);
	/* the walk stops early: walk_level 1 */
	read_entry(c, 0, 3, &r);
	assert_int_equal(1, r.x[1]);
	/* ASSIGNED */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd, data, TEST_IPA_BASE,
				    0, 0, NULL));
	read_entry(c, TEST_IPA_BASE, 3, &r);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(data, r.x[3]);
	/* UNASSIGNED_NS and ASSIGNED_NS: RIPAS reads as EMPTY, desc has MemAttr and S2AP */
	read_entry(c, TEST_UNPROT, 1, &r);
	assert_int_equal(RMI_UNASSIGNED, r.x[2]);
	assert_int_equal(0, r.x[3]);
	assert_int_equal(0, r.x[4]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd, TEST_UNPROT, 1,
				    0x40000000UL | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW, 0, NULL));
	read_entry(c, TEST_UNPROT, 1, &r);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(0x40000000UL | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW, r.x[3]);
	assert_int_equal(0, r.x[4]);
}

/* ---- RMI_RTT_INIT_RIPAS ---------------------------------------------------- */

static const char *const init_conds[] = {
	"rd_align", "rd_bound", "rd_state", "size_valid", "top_bound", "realm_state", "base_align",
	"rtte_state", "top_gran_align", "no_progress", NULL,
};

static void init_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_IPA_BASE;
	c->args[2] = TEST_IPA_BASE + 4 * L3_SIZE;
}

static void i_top_eq_base(struct conf_ctx *c) { c->args[2] = c->args[1]; }
static void i_top_below(struct conf_ctx *c) { c->args[2] = c->args[1] - L3_SIZE; }
static void i_top_unprotected(struct conf_ctx *c) { c->args[2] = TEST_UNPROT + L3_SIZE; }
static void i_top_wraps(struct conf_ctx *c)
{
	c->args[1] = 0;
	c->args[2] = 0x800;
}
static void i_base_unaligned3(struct conf_ctx *c) { c->args[1] += 8; }
static void i_base_unaligned2(struct conf_ctx *c)
{
	c->args[1] = TEST_IPA_BASE + L2_SIZE + L3_SIZE;
	c->args[2] = TEST_IPA_BASE + 2 * L2_SIZE;
}
static void i_assigned(struct conf_ctx *c) { data_unknown(c, c->args[1]); }
static void i_top_unaligned(struct conf_ctx *c) { c->args[2] += 0x800; }
static void i_no_progress(struct conf_ctx *c)
{
	c->args[1] = TEST_IPA_BASE + L2_SIZE;	/* a level-2 entry: 2 MB */
	c->args[2] = c->args[1] + L3_SIZE;
}
static void i_no_progress_unaligned(struct conf_ctx *c)
{
	c->args[1] = TEST_IPA_BASE + L2_SIZE;
	c->args[2] = c->args[1] + 0x800;
}
static void i_active_unaligned(struct conf_ctx *c)
{
	realm_activate(c);
	i_base_unaligned3(c);
}

static const struct conf_row init_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a REC", 1, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "size_valid", "top == base", 0, MUT_NONE, i_top_eq_base, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "size_valid", "top < base", 0, MUT_NONE, i_top_below, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "top_bound", "top - 4 KB unprotected", 0, MUT_NONE, i_top_unprotected, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "top_bound", "top < 4 KB (top - 4 KB wraps)", 0, MUT_NONE, i_top_wraps, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "realm_state", "ACTIVE", 0, MUT_NONE, realm_activate, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "realm_state", "SYSTEM_OFF", 0, MUT_NONE, realm_off, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "base_align", "base + 8 (walk level 3)", 0, MUT_NONE, i_base_unaligned3, RMI_ERROR_RTT, 3,
	  NULL, NULL },
	{ "base_align", "base not 2 MB aligned where the walk stops at level 2", 0, MUT_NONE,
	  i_base_unaligned2, RMI_ERROR_RTT, 2, NULL, NULL },
	{ "rtte_state", "ASSIGNED", 0, MUT_NONE, i_assigned, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "top_gran_align", "top + 2 KB", 0, MUT_NONE, i_top_unaligned, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "no_progress", "top inside the 2 MB entry at base", 0, MUT_NONE, i_no_progress,
	  RMI_ERROR_RTT, 2, NULL, NULL },
	{ "realm_state<base_align", "ACTIVE and base unaligned", 0, MUT_NONE, i_active_unaligned,
	  RMI_ERROR_REALM, 0, NULL, NULL },
	{ "top_gran_align<no_progress", "top unaligned inside the entry at base", 0, MUT_NONE,
	  i_no_progress_unaligned, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void init_positive(struct conf_ctx *c)
{
	struct rd *rd = fake_pa_ptr(c->realm.rd);
	uint8_t rim[SHA256_DIGEST_SIZE];
	uint64_t base, *t;
	struct smc_result r;

	/* level-3 entries: one RIM descriptor per entry */
	memcpy(rim, rd->rim, sizeof(rim));
	measurement_ripas_extend_level(rim, c->args[1], c->args[2], L3_SIZE);
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_INIT_RIPAS));
	assert_int_equal(c->args[2], c->res.x[1]);
	assert_memory_equal(rim, rd->rim, sizeof(rim));
	read_entry(c, c->args[2] - L3_SIZE, 3, &r);
	assert_int_equal(RIPAS_RAM, r.x[4]);
	read_entry(c, c->args[2], 3, &r);
	assert_int_equal(RIPAS_EMPTY, r.x[4]);
	/* stops at the end of the RTT */
	base = TEST_IPA_BASE + L2_SIZE - 2 * L3_SIZE;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, base, base + 4 * L3_SIZE,
				    0, 0, &r));
	assert_int_equal(TEST_IPA_BASE + L2_SIZE, r.x[1]);
	/* level-2 entries (no level-3 RTT): 2 MB descriptors, stops at a TABLE */
	(void)rtt_create(c, TEST_IPA_BASE + 4 * L2_SIZE, 3);
	base = TEST_IPA_BASE + L2_SIZE;
	memcpy(rim, rd->rim, sizeof(rim));
	measurement_ripas_extend_level(rim, base, TEST_IPA_BASE + 4 * L2_SIZE, L2_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, base,
				    TEST_IPA_BASE + 8 * L2_SIZE, 0, 0, &r));
	assert_int_equal(TEST_IPA_BASE + 4 * L2_SIZE, r.x[1]);
	assert_memory_equal(rim, rd->rim, sizeof(rim));
	read_entry(c, base, 2, &r);
	assert_int_equal(RIPAS_RAM, r.x[4]);
	/* an ASSIGNED EMPTY entry after base becomes RAM: a valid mapping */
	base = TEST_IPA_BASE + 0x10000;
	data_unknown(c, base + L3_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, base, base + 2 * L3_SIZE,
				    0, 0, &r));
	assert_int_equal(base + 2 * L3_SIZE, r.x[1]);
	t = fake_pa_ptr(c->realm.rtt_l3);
	assert_int_equal(S2TTE_TABLE_OR_PAGE, t[0x11] & S2TTE_TYPE_MASK);
	read_entry(c, base + L3_SIZE, 3, &r);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(RIPAS_RAM, r.x[4]);
}

/* ---- RMI_RTT_SET_RIPAS ----------------------------------------------------- */

static const char *const set_conds[] = {
	"rd_align", "rd_bound", "rd_state", "rec_align", "rec_bound", "rec_gran_state", "rec_state",
	"rec_owner", "size_valid", "base_bound", "top_bound", "base_align", "top_gran_align",
	"no_progress", NULL,
};

#define SET_BASE	(TEST_IPA_BASE + 16 * L3_SIZE)	/* RIPAS EMPTY, unassigned */
#define SET_TOP		(TEST_IPA_BASE + 32 * L3_SIZE)

/* The realm asks for a RIPAS change; the REC is left waiting for the host. */
static void request(struct conf_ctx *c, uint64_t base, uint64_t top, unsigned long ripas,
		    unsigned long flags)
{
	const unsigned long a[4] = { base, top, ripas, flags };

	conf_rsi_call_args(c, SMC_RSI_IPA_STATE_SET, a, 0);
	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_RIPAS_CHANGE, conf_exit(c)->exit_reason);
	c->args[2] = base;
	c->args[3] = top;
}

static void set_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = c->realm.rd;
	c->args[1] = c->rec;
	request(c, SET_BASE, SET_TOP, RIPAS_RAM, 0);
}

static void s_busy(struct conf_ctx *c) { granule_get(addr_to_granule(c->rec)); }
static void s_top_eq_base(struct conf_ctx *c) { c->args[3] = c->args[2]; }
static void s_base_wrong(struct conf_ctx *c) { c->args[2] += L3_SIZE; }
static void s_top_beyond(struct conf_ctx *c) { c->args[3] += L3_SIZE; }
static void s_level2_unaligned(struct conf_ctx *c)
{
	request(c, TEST_IPA_BASE + L2_SIZE + L3_SIZE, TEST_IPA_BASE + 2 * L2_SIZE, RIPAS_RAM, 0);
}
static void s_top_unaligned(struct conf_ctx *c) { c->args[3] -= 0x800; }
static void destroyed_first(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, c->realm.rd, TEST_IPA_BASE + L3_SIZE, 0,
				    0, 0, NULL));
	request(c, TEST_IPA_BASE + L3_SIZE, TEST_IPA_BASE + 3 * L3_SIZE, RIPAS_RAM, 0);
}
static void s_destroyed_unaligned_top(struct conf_ctx *c)
{
	destroyed_first(c);
	c->args[3] -= 0x800;
}
static void s_no_request(struct conf_ctx *c)
{
	/* the REC re-entered: the request is over, ripas_addr = ripas_top = 0 */
	conf_rsi_call_args(c, SMC_RSI_VERSION, (const unsigned long[4]){ 0x10000 }, 0);
}
static void s_busy_size(struct conf_ctx *c)
{
	s_busy(c);
	s_top_eq_base(c);
}
static void s_base_wrong_unaligned(struct conf_ctx *c)
{
	s_level2_unaligned(c);
	c->args[2] += L3_SIZE;
}

static const struct conf_row set_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a REC", 1, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_align", "rec + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_gran_state", "an RD", 2, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_state", "running", 0, MUT_NONE, s_busy, RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_owner", "a REC of realm B", 2, MUT_REC, NULL, RMI_ERROR_REC, 0, NULL, NULL },
	{ "size_valid", "top == base", 0, MUT_NONE, s_top_eq_base, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "base_bound", "base != the next address of the request", 0, MUT_NONE, s_base_wrong,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "base_bound", "no request (ripas_addr 0)", 0, MUT_NONE, s_no_request, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "top_bound", "top beyond the request", 0, MUT_NONE, s_top_beyond, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "base_align", "base not 2 MB aligned where the walk stops at level 2", 0, MUT_NONE,
	  s_level2_unaligned, RMI_ERROR_RTT, 2, NULL, NULL },
	{ "top_gran_align", "top - 2 KB", 0, MUT_NONE, s_top_unaligned, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "no_progress", "the first page is DESTROYED and the realm did not allow changing it", 0,
	  MUT_NONE, destroyed_first, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "rec_state<size_valid", "running and top == base", 0, MUT_NONE, s_busy_size, RMI_ERROR_REC,
	  0, NULL, NULL },
	{ "base_bound<base_align", "wrong and unaligned base", 0, MUT_NONE, s_base_wrong_unaligned,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "top_gran_align<no_progress", "unaligned top and a DESTROYED first page", 0, MUT_NONE,
	  s_destroyed_unaligned_top, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void set_positive(struct conf_ctx *c)
{
	struct smc_result r;
	uint64_t *t = fake_pa_ptr(c->realm.rtt_l3);

	/* part of the range, then the host rejects the rest */
	c->args[3] = SET_BASE + 2 * L3_SIZE;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_SET_RIPAS));
	assert_int_equal(SET_BASE + 2 * L3_SIZE, c->res.x[1]);
	assert_int_equal(SET_BASE + 2 * L3_SIZE, ((struct rec *)fake_pa_ptr(c->rec))->ripas_addr);
	read_entry(c, SET_BASE + L3_SIZE, 3, &r);
	assert_int_equal(RIPAS_RAM, r.x[4]);
	read_entry(c, SET_BASE + 2 * L3_SIZE, 3, &r);
	assert_int_equal(RIPAS_EMPTY, r.x[4]);
	conf_rsi_call_args(c, SMC_RSI_VERSION, (const unsigned long[4]){ 0x10000 },
			   REC_ENTRY_FLAG_RIPAS_RESPONSE);
	assert_int_equal(RSI_SUCCESS, c->entry_ret[0]);
	assert_int_equal(SET_BASE + 2 * L3_SIZE, c->entry_ret[1]);	/* new_base */
	assert_int_equal(RSI_REJECT, c->entry_ret[2]);
	assert_int_equal(0, ((struct rec *)fake_pa_ptr(c->rec))->ripas_top);

	/* a whole range in two steps, accepted */
	request(c, SET_BASE, SET_TOP, RIPAS_EMPTY, 0);
	c->args[3] = SET_BASE + L3_SIZE;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_SET_RIPAS));
	c->args[2] = SET_BASE + L3_SIZE;
	c->args[3] = SET_TOP;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_SET_RIPAS));
	assert_int_equal(SET_TOP, c->res.x[1]);
	conf_rsi_call_args(c, SMC_RSI_VERSION, (const unsigned long[4]){ 0x10000 },
			   REC_ENTRY_FLAG_RIPAS_RESPONSE);	/* REJECT of EMPTY is not possible */
	assert_int_equal(SET_TOP, c->entry_ret[1]);
	assert_int_equal(RSI_ACCEPT, c->entry_ret[2]);

	/* RAM -> EMPTY of mapped RAM: the page stops being mapped (and the TLB is invalidated) */
	request(c, TEST_IPA_BASE + 2 * L3_SIZE, TEST_IPA_BASE + 3 * L3_SIZE, RIPAS_EMPTY, 0);
	assert_int_equal(S2TTE_TABLE_OR_PAGE, t[2] & S2TTE_TYPE_MASK);
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_SET_RIPAS));
	assert_int_equal(0, t[2] & S2TTE_VALID);
	read_entry(c, TEST_IPA_BASE + 2 * L3_SIZE, 3, &r);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(RIPAS_EMPTY, r.x[4]);

	/* DESTROYED: skipped over only if the realm allowed it */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, c->realm.rd, TEST_IPA_BASE + L3_SIZE, 0, 0,
				    0, NULL));
	request(c, TEST_IPA_BASE, TEST_IPA_BASE + 2 * L3_SIZE, RIPAS_RAM, 0);
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_SET_RIPAS));
	assert_int_equal(TEST_IPA_BASE + L3_SIZE, c->res.x[1]);	/* stops at the DESTROYED page */
	request(c, TEST_IPA_BASE, TEST_IPA_BASE + 2 * L3_SIZE, RIPAS_RAM, RSI_CHANGE_DESTROYED);
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_SET_RIPAS));
	assert_int_equal(TEST_IPA_BASE + 2 * L3_SIZE, c->res.x[1]);
	read_entry(c, TEST_IPA_BASE + L3_SIZE, 3, &r);
	assert_int_equal(RIPAS_RAM, r.x[4]);
}

/* ---- RMI_RTT_MAP_UNPROTECTED ----------------------------------------------- */

static const char *const map_conds[] = {
	"attr_valid", "rd_align", "rd_bound", "rd_state", "level_bound", "addr_align", "addr_bound",
	"ipa_align", "ipa_bound", "rtt_walk", "rtte_state", NULL,
};

/* Unprotected level-2 and level-3 RTTs at TEST_UNPROT. */
static void map_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->v[0] = rtt_create(c, TEST_UNPROT, 2);
	c->v[1] = rtt_create(c, TEST_UNPROT, 3);
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_UNPROT + L3_SIZE;
	c->args[2] = 3;
	c->args[3] = UART_DESC;
}

static void m_attr_bit52(struct conf_ctx *c) { c->args[3] |= 1UL << 52; }
static void m_attr_valid_bit(struct conf_ctx *c) { c->args[3] |= S2TTE_VALID; }
static void m_attr_ns(struct conf_ctx *c) { c->args[3] |= S2TTE_NS; }
static void m_memattr3(struct conf_ctx *c) { c->args[3] |= 0x8UL << S2TTE_MEMATTR_SHIFT; }
static void m_memattr_reserved(struct conf_ctx *c)
{
	c->args[3] = (c->args[3] & ~S2TTE_MEMATTR_MASK) | S2TTE_MEMATTR_FWB_RESERVED;
}
static void m_level_0(struct conf_ctx *c) { c->args[2] = 0; }
static void m_level_4(struct conf_ctx *c) { c->args[2] = 4; }
static void m_addr_unaligned(struct conf_ctx *c)
{
	c->args[1] = TEST_UNPROT + L2_SIZE;	/* a level-2 block needs a 2 MB-aligned PA */
	c->args[2] = 2;
	c->args[3] = 0x09001000UL | S2TTE_AP_RW;
}
static void m_addr_48(struct conf_ctx *c) { c->args[3] |= 1UL << 48; }
static void m_ipa_protected(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE; }
static void m_ipa_outside(struct conf_ctx *c) { c->args[1] = 1UL << TEST_S2SZ; }
static void m_no_l2(struct conf_ctx *c) { c->args[1] = TEST_UNPROT + L1_SIZE; }
static void m_mapped(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_MAP_UNPROTECTED));
}
static void m_protected_unmapped(struct conf_ctx *c) { c->args[1] = 0; }

static const struct conf_row map_rows[] = {
	{ "attr_valid", "bit 52 set", 0, MUT_NONE, m_attr_bit52, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "attr_valid", "descriptor type bits set", 0, MUT_NONE, m_attr_valid_bit, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "attr_valid", "NS bit set (RMM-controlled)", 0, MUT_NONE, m_attr_ns, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "attr_valid", "MemAttr[3] set (RES0 with FEAT_S2FWB)", 0, MUT_NONE, m_memattr3,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "attr_valid", "MemAttr 0b100 (reserved with FEAT_S2FWB)", 0, MUT_NONE, m_memattr_reserved,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "DELEGATED", 1, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 0 (no level-0 blocks)", 0, MUT_NONE, m_level_0, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "level_bound", "level 4", 0, MUT_NONE, m_level_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "addr_align", "PA not 2 MB aligned for a level-2 block", 0, MUT_NONE, m_addr_unaligned,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "addr_bound", "PA 2^48", 0, MUT_NONE, m_addr_48, RMI_ERROR_INPUT, 0, NULL,
	  "without LPA2, PA bits above 47 are not host-controlled, so attr_valid fails first" },
	{ "ipa_align", "ipa + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "a protected IPA", 0, MUT_NONE, m_ipa_protected, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "2^s2sz", 0, MUT_NONE, m_ipa_outside, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_walk", "no level-2 RTT", 0, MUT_NONE, m_no_l2, RMI_ERROR_RTT, 1, NULL, NULL },
	{ "rtte_state", "already mapped", 0, MUT_NONE, m_mapped, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "ipa_bound<rtt_walk", "a protected IPA without a level-2 RTT", 0, MUT_NONE,
	  m_protected_unmapped, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void map_positive(struct conf_ctx *c)
{
	uint64_t *t = fake_pa_ptr(c->v[1]);
	struct smc_result r;

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_MAP_UNPROTECTED));
	/* a valid NS-PAS page descriptor: PA, host attributes, NS, XN, AF */
	assert_int_equal(S2TTE_TABLE_OR_PAGE, t[1] & S2TTE_TYPE_MASK);
	assert_int_equal(0x09000000UL, s2tte_pa(t[1]));
	assert_true((t[1] & S2TTE_NS) != 0 && (t[1] & S2TTE_XN) != 0 && (t[1] & S2TTE_AF) != 0);
	read_entry(c, c->args[1], 3, &r);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(UART_DESC, r.x[3]);
	assert_int_equal(0, granule_refcount(addr_to_granule(c->v[1])));	/* not live */
	/* a level-2 block */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd, TEST_UNPROT + L2_SIZE, 2,
				    0x200000UL | S2TTE_AP_RW, 0, NULL));
	assert_int_equal(S2TTE_BLOCK, ((uint64_t *)fake_pa_ptr(c->v[0]))[1] & S2TTE_TYPE_MASK);
}

/* ---- RMI_RTT_UNMAP_UNPROTECTED --------------------------------------------- */

static const char *const unmap_conds[] = {
	"rd_align", "rd_bound", "rd_state", "level_bound", "ipa_align", "ipa_bound", "rtt_walk",
	"rtte_state", NULL,
};

/* As map_fixture, with pages mapped at +4 KB and +20 KB and a block at +4 MB. */
static void unmap_fixture(struct conf_ctx *c)
{
	map_fixture(c);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd, TEST_UNPROT + L3_SIZE,
				    3, UART_DESC, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd,
				    TEST_UNPROT + 5 * L3_SIZE, 3, UART_DESC, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, c->realm.rd,
				    TEST_UNPROT + 2 * L2_SIZE, 2, 0x200000UL | S2TTE_AP_RW, 0, NULL));
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_UNPROT + L3_SIZE;
	c->args[2] = 3;
	c->args[3] = 0;
}

static void u_level_0(struct conf_ctx *c) { c->args[2] = 0; }
static void u_ipa_protected(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE; }
static void u_no_l3(struct conf_ctx *c) { c->args[1] = TEST_UNPROT + 3 * L2_SIZE; }
static void u_unmapped(struct conf_ctx *c) { c->args[1] = TEST_UNPROT + 2 * L3_SIZE; }
static void u_block(struct conf_ctx *c) { c->args[1] = TEST_UNPROT + 2 * L2_SIZE + L3_SIZE; }
static void u_top_l2_end(struct conf_ctx *c) { conf_assert_top(c, 1, TEST_UNPROT + L1_SIZE); }
static void u_top_5(struct conf_ctx *c) { conf_assert_top(c, 1, TEST_UNPROT + 5 * L3_SIZE); }
static void u_top_block(struct conf_ctx *c) { conf_assert_top(c, 1, TEST_UNPROT + 2 * L2_SIZE); }
static void u_top_zero(struct conf_ctx *c) { conf_assert_top(c, 1, 0); }

static const struct conf_row unmap_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, u_top_zero, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "an RTT", 1, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 0", 0, MUT_NONE, u_level_0, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "level_bound", "level 4", 0, MUT_NONE, m_level_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "ipa + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, u_top_zero, NULL },
	{ "ipa_bound", "a protected IPA", 0, MUT_NONE, u_ipa_protected, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_walk", "no level-3 RTT: top = the end of the level-2 RTT", 0, MUT_NONE, u_no_l3,
	  RMI_ERROR_RTT, 2, u_top_l2_end, NULL },
	{ "rtt_walk", "a level-2 block maps it: top = the block", 0, MUT_NONE, u_block, RMI_ERROR_RTT,
	  2, u_top_block, NULL },
	{ "rtte_state", "not mapped: top = the next mapped page", 0, MUT_NONE, u_unmapped,
	  RMI_ERROR_RTT, 3, u_top_5, NULL },
};

static void unmap_positive(struct conf_ctx *c)
{
	unsigned long tlbi = fake_tlbi_count();
	uint64_t *t = fake_pa_ptr(c->v[1]);

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_UNMAP_UNPROTECTED));
	assert_int_equal(TEST_UNPROT + 5 * L3_SIZE, c->res.x[1]);	/* top: next live */
	assert_true(s2tte_is_unassigned_ns(t[1]));
	assert_true(fake_tlbi_count() > tlbi);
	c->args[1] = TEST_UNPROT + 5 * L3_SIZE;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_UNMAP_UNPROTECTED));
	assert_int_equal(TEST_UNPROT + L2_SIZE, c->res.x[1]);		/* top: end of the RTT */
	c->args[1] = TEST_UNPROT + 2 * L2_SIZE;
	c->args[2] = 2;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_RTT_UNMAP_UNPROTECTED));
	assert_int_equal(TEST_UNPROT + L1_SIZE, c->res.x[1]);
}

const struct conf_cmd conf_rtt_cmds[] = {
	{ "RMI_RTT_CREATE", "B4.3.15", CONF_RMI, SMC_RMI_RTT_CREATE, create_conds, create_fixture,
	  CONF_ROWS(create_rows), create_positive, "unfolds ASSIGNED and ASSIGNED_NS blocks" },
	{ "RMI_RTT_DESTROY", "B4.3.16", CONF_RMI, SMC_RMI_RTT_DESTROY, destroy_conds,
	  destroy_fixture, CONF_ROWS(destroy_rows), destroy_positive, "top checked on every RTT error" },
	{ "RMI_RTT_FOLD", "B4.3.17", CONF_RMI, SMC_RMI_RTT_FOLD, fold_conds, fold_fixture,
	  CONF_ROWS(fold_rows), fold_positive,
	  "UNASSIGNED, ASSIGNED (level-2 block of protected RAM) and ASSIGNED_NS folds" },
	{ "RMI_RTT_READ_ENTRY", "B4.3.20", CONF_RMI, SMC_RMI_RTT_READ_ENTRY, read_conds, read_fixture,
	  CONF_ROWS(read_rows), read_positive, NULL },
	{ "RMI_RTT_INIT_RIPAS", "B4.3.18", CONF_RMI, SMC_RMI_RTT_INIT_RIPAS, init_conds, init_fixture,
	  CONF_ROWS(init_rows), init_positive, "one RIM descriptor per entry" },
	{ "RMI_RTT_SET_RIPAS", "B4.3.21", CONF_RMI, SMC_RMI_RTT_SET_RIPAS, set_conds, set_fixture,
	  CONF_ROWS(set_rows), set_positive, "partial progress, rejection, DESTROYED protection" },
	{ "RMI_RTT_MAP_UNPROTECTED", "B4.3.19", CONF_RMI, SMC_RMI_RTT_MAP_UNPROTECTED, map_conds,
	  map_fixture, CONF_ROWS(map_rows), map_positive, NULL },
	{ "RMI_RTT_UNMAP_UNPROTECTED", "B4.3.22", CONF_RMI, SMC_RMI_RTT_UNMAP_UNPROTECTED,
	  unmap_conds, unmap_fixture, CONF_ROWS(unmap_rows), unmap_positive,
	  "top checked on every RTT error" },
	{ NULL },
};
