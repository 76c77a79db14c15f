/* RMI_DATA_CREATE / DATA_CREATE_UNKNOWN / DATA_DESTROY (B4.3.1, 2, 3). */
#include "conf.h"

#include <measurement.h>
#include <s2tt.h>
#include <string.h>

#define L2_SIZE		0x200000UL
#define L1_SIZE		0x40000000UL

static uint64_t make_src(uint8_t fill)
{
	uint64_t pa = alloc_ns();

	memset(fake_pa_ptr(pa), fill, GRANULE_SIZE);
	return pa;
}

static void realm_activate(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, c->realm.rd, 0, 0, 0, 0, NULL));
}

static void realm_off(struct conf_ctx *c)
{
	((struct rd *)fake_pa_ptr(c->realm.rd))->state = REALM_SYSTEM_OFF;
}

static void ipa_unprotected(struct conf_ctx *c) { c->args[2] = TEST_UNPROT; }
static void ipa_outside(struct conf_ctx *c) { c->args[2] = 1UL << TEST_S2SZ; }
static void ipa_no_l2(struct conf_ctx *c) { c->args[2] = 0; }		/* walk stops at level 1 */
static void ipa_no_l3(struct conf_ctx *c) { c->args[2] = TEST_IPA_BASE + L2_SIZE; }	/* level 2 */
static void data_above_48_bits(struct conf_ctx *c) { c->args[1] = 1UL << 48; }

static void ipa_assigned(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd, alloc_delegated(),
				    c->args[2], 0, 0, NULL));
}

#define LPA2_WHY	"without LPA2 a PA at or above 2^48 is not delegable, so data_bound fails first"

/* ---- RMI_DATA_CREATE ------------------------------------------------------- */

static const char *const create_conds[] = {
	"src_align", "src_bound", "src_pas", "data_align", "data_bound", "data_state",
	"data_bound2", "rd_align", "rd_bound", "rd_state", "ipa_align", "ipa_bound",
	"realm_state", "rtt_walk", "rtte_state", NULL,
};

static void create_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
	c->args[1] = c->delegated;
	c->args[2] = TEST_IPA_BASE + 0x3000;
	c->args[3] = make_src(0x5A);
	c->args[4] = RMI_MEASURE_CONTENT;
}

static void active_and_unmapped(struct conf_ctx *c)
{
	realm_activate(c);
	ipa_no_l3(c);
}

static void unprotected_and_active(struct conf_ctx *c)
{
	realm_activate(c);
	ipa_unprotected(c);
}

static const struct conf_row create_rows[] = {
	{ "src_align", "src + 8", 4, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "src_bound", "past the delegable DRAM", 4, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "src_pas", "an RD (Realm PAS)", 4, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_align", "data + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_state", "NS", 2, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_state", "a DATA granule (of realm B)", 2, MUT_DATA, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_bound2", "data = 2^48", 0, MUT_NONE, data_above_48_bits, RMI_ERROR_INPUT, 0, NULL,
	  LPA2_WHY },
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a REC", 1, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "ipa + 8", 3, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "unprotected IPA", 0, MUT_NONE, ipa_unprotected, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "outside the IPA space", 0, MUT_NONE, ipa_outside, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_state", "ACTIVE", 0, MUT_NONE, realm_activate, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "realm_state", "SYSTEM_OFF", 0, MUT_NONE, realm_off, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "rtt_walk", "no level-2 RTT", 0, MUT_NONE, ipa_no_l2, RMI_ERROR_RTT, 1, NULL, NULL },
	{ "rtt_walk", "no level-3 RTT", 0, MUT_NONE, ipa_no_l3, RMI_ERROR_RTT, 2, NULL, NULL },
	{ "rtte_state", "ASSIGNED", 0, MUT_NONE, ipa_assigned, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "ipa_bound<realm_state", "unprotected IPA in an ACTIVE realm", 0, MUT_NONE,
	  unprotected_and_active, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_state<rtt_walk", "ACTIVE and no level-3 RTT", 0, MUT_NONE, active_and_unmapped,
	  RMI_ERROR_REALM, 0, NULL, NULL },
};

static void create_positive(struct conf_ctx *c)
{
	uint8_t rim[SHA256_DIGEST_SIZE];
	struct rd *rd = fake_pa_ptr(c->realm.rd);
	struct smc_result r;

	/* reserved flags bits: an invalid encoding, RMI_ERROR_INPUT */
	c->args[4] = 2;
	assert_rmi(RMI_ERROR_INPUT, conf_call(c, SMC_RMI_DATA_CREATE));
	c->args[4] = RMI_MEASURE_CONTENT;
	memcpy(rim, rd->rim, sizeof(rim));
	measurement_data_extend(rim, c->args[2], RMI_MEASURE_CONTENT, fake_pa_ptr(c->args[3]));
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_DATA_CREATE));
	assert_memory_equal(fake_pa_ptr(c->args[3]), fake_pa_ptr(c->delegated), GRANULE_SIZE);
	assert_memory_equal(rim, rd->rim, sizeof(rim));
	assert_int_equal(GRANULE_STATE_DATA, granule_get_state(addr_to_granule(c->delegated)));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, c->realm.rd, c->args[2], 3, 0, 0, &r));
	assert_int_equal(3, r.x[1]);
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(c->delegated, r.x[3]);
	assert_int_equal(RIPAS_RAM, r.x[4]);
	assert_int_equal(1, granule_refcount(addr_to_granule(c->realm.rtt_l3)));
}

/* ---- RMI_DATA_CREATE_UNKNOWN ------------------------------------------------ */

static const char *const unknown_conds[] = {
	"data_align", "data_bound", "data_state", "data_bound2", "rd_align", "rd_bound",
	"rd_state", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state", NULL,
};

static void unknown_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
	c->args[1] = c->delegated;
	c->args[2] = TEST_IPA_BASE + 0x3000;
	memset(fake_pa_ptr(c->delegated), 0xA5, GRANULE_SIZE);	/* left over in the granule */
}

static void unprotected_and_unmapped(struct conf_ctx *c)
{
	c->args[2] = TEST_UNPROT | TEST_IPA_BASE;	/* no unprotected RTTs at all */
}

static const struct conf_row unknown_rows[] = {
	{ "data_align", "data + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_state", "an RTT", 2, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "data_bound2", "data = 2^48", 0, MUT_NONE, data_above_48_bits, RMI_ERROR_INPUT, 0, NULL,
	  LPA2_WHY },
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "NS", 1, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "ipa + 8", 3, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_bound", "unprotected IPA", 0, MUT_NONE, ipa_unprotected, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_walk", "no level-3 RTT", 0, MUT_NONE, ipa_no_l3, RMI_ERROR_RTT, 2, NULL, NULL },
	{ "rtte_state", "ASSIGNED", 0, MUT_NONE, ipa_assigned, RMI_ERROR_RTT, 3, NULL, NULL },
	{ "ipa_bound<rtt_walk", "unprotected and unmapped", 0, MUT_NONE, unprotected_and_unmapped,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
};

/* Allowed in every realm state; content wiped; the entry keeps its RIPAS. */
static void unknown_positive(struct conf_ctx *c)
{
	static const uint8_t zero[GRANULE_SIZE];
	struct smc_result r;

	realm_off(c);
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_DATA_CREATE_UNKNOWN));
	assert_memory_equal(zero, fake_pa_ptr(c->delegated), GRANULE_SIZE);
	assert_int_equal(GRANULE_STATE_DATA, granule_get_state(addr_to_granule(c->delegated)));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, c->realm.rd, c->args[2], 3, 0, 0, &r));
	assert_int_equal(RMI_ASSIGNED, r.x[2]);
	assert_int_equal(c->delegated, r.x[3]);
	assert_int_equal(RIPAS_EMPTY, r.x[4]);
}

/* ---- RMI_DATA_DESTROY -------------------------------------------------------- */

static const char *const destroy_conds[] = {
	"rd_align", "rd_bound", "rd_state", "ipa_align", "ipa_bound", "rtt_walk", "rtte_state",
	NULL,
};

/*
 * Level-3 RTT at TEST_IPA_BASE: +0x1000 ASSIGNED RAM (v[0]), +0x3000
 * ASSIGNED with RIPAS EMPTY (v[1]), the rest UNASSIGNED; args = (rd,
 * +0x1000).
 */
static void destroy_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->v[0] = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, c->realm.rd, c->v[0], TEST_IPA_BASE + 0x1000,
				    make_src(1), 0, NULL));
	c->v[1] = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, c->realm.rd, c->v[1],
				    TEST_IPA_BASE + 0x3000, 0, 0, NULL));
	c->args[0] = c->realm.rd;
	c->args[1] = TEST_IPA_BASE + 0x1000;
}

static void d_ipa_unprotected(struct conf_ctx *c) { c->args[1] = TEST_UNPROT; }
static void d_ipa_no_l2(struct conf_ctx *c) { c->args[1] = 0; }
static void d_ipa_no_l3(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE + L2_SIZE; }
static void d_ipa_unassigned(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE; }
static void d_ipa_unassigned2(struct conf_ctx *c) { c->args[1] = TEST_IPA_BASE + 0x2000; }
static void d_unprotected_unmapped(struct conf_ctx *c) { c->args[1] = TEST_UNPROT | TEST_IPA_BASE; }

/* top = walk_top on the RTT errors (B4.3.3.2) */
static void top_l1(struct conf_ctx *c) { conf_assert_top(c, 2, TEST_IPA_BASE); }
static void top_l2(struct conf_ctx *c) { conf_assert_top(c, 2, TEST_IPA_BASE + L1_SIZE); }
static void top_1000(struct conf_ctx *c) { conf_assert_top(c, 2, TEST_IPA_BASE + 0x1000); }
static void top_3000(struct conf_ctx *c) { conf_assert_top(c, 2, TEST_IPA_BASE + 0x3000); }
static void top_zero(struct conf_ctx *c) { conf_assert_top(c, 2, 0); }

static const struct conf_row destroy_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, top_zero, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "DELEGATED", 1, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "ipa_align", "ipa + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, top_zero, NULL },
	{ "ipa_bound", "unprotected IPA", 0, MUT_NONE, d_ipa_unprotected, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_walk", "no level-2 RTT: top = next live level-1 entry", 0, MUT_NONE, d_ipa_no_l2,
	  RMI_ERROR_RTT, 1, top_l1, NULL },
	{ "rtt_walk", "no level-3 RTT: top = end of the level-2 RTT", 0, MUT_NONE, d_ipa_no_l3,
	  RMI_ERROR_RTT, 2, top_l2, NULL },
	{ "rtte_state", "UNASSIGNED: top = next ASSIGNED entry", 0, MUT_NONE, d_ipa_unassigned,
	  RMI_ERROR_RTT, 3, top_1000, NULL },
	{ "rtte_state", "UNASSIGNED after the first: top skips it", 0, MUT_NONE, d_ipa_unassigned2,
	  RMI_ERROR_RTT, 3, top_3000, NULL },
	{ "ipa_bound<rtt_walk", "unprotected and unmapped", 0, MUT_NONE, d_unprotected_unmapped,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void destroy_positive(struct conf_ctx *c)
{
	static const uint8_t zero[GRANULE_SIZE];
	unsigned long tlbi = fake_tlbi_count();
	struct smc_result r;

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_DATA_DESTROY));
	assert_int_equal(c->v[0], c->res.x[1]);				/* data */
	assert_int_equal(TEST_IPA_BASE + 0x3000, c->res.x[2]);		/* top: next live */
	assert_true(fake_tlbi_count() > tlbi);
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(c->v[0])));
	assert_memory_equal(zero, fake_pa_ptr(c->v[0]), GRANULE_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, c->realm.rd, TEST_IPA_BASE + 0x1000, 3, 0,
				    0, &r));
	assert_int_equal(RMI_UNASSIGNED, r.x[2]);
	assert_int_equal(RIPAS_DESTROYED, r.x[4]);		/* RAM -> DESTROYED */
	/* the EMPTY one keeps EMPTY; nothing live is left: top = end of the RTT */
	c->args[1] = TEST_IPA_BASE + 0x3000;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_DATA_DESTROY));
	assert_int_equal(c->v[1], c->res.x[1]);
	assert_int_equal(TEST_IPA_BASE + L2_SIZE, c->res.x[2]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, c->realm.rd, TEST_IPA_BASE + 0x3000, 3, 0,
				    0, &r));
	assert_int_equal(RIPAS_EMPTY, r.x[4]);
	assert_int_equal(0, granule_refcount(addr_to_granule(c->realm.rtt_l3)));
}

const struct conf_cmd conf_data_cmds[] = {
	{ "RMI_DATA_CREATE", "B4.3.1", CONF_RMI, SMC_RMI_DATA_CREATE, create_conds, create_fixture,
	  CONF_ROWS(create_rows), create_positive, "reserved flags bits: RMI_ERROR_INPUT, checked last" },
	{ "RMI_DATA_CREATE_UNKNOWN", "B4.3.2", CONF_RMI, SMC_RMI_DATA_CREATE_UNKNOWN, unknown_conds,
	  unknown_fixture, CONF_ROWS(unknown_rows), unknown_positive, "any realm state" },
	{ "RMI_DATA_DESTROY", "B4.3.3", CONF_RMI, SMC_RMI_DATA_DESTROY, destroy_conds,
	  destroy_fixture, CONF_ROWS(destroy_rows), destroy_positive, "top checked on every RTT error" },
	{ NULL },
};
