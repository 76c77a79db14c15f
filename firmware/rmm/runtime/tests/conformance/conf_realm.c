/* RMI_REALM_CREATE / ACTIVATE / DESTROY, RMI_REC_AUX_COUNT (B4.3.9, 8, 10, 11). */
#include "conf.h"

#include <measurement.h>
#include <s2tt.h>
#include <string.h>

static struct rmi_realm_params *params(struct conf_ctx *c)
{
	return fake_pa_ptr(c->args[1]);
}

/* ---- RMI_REALM_CREATE ------------------------------------------------------ */

static const char *const create_conds[] = {
	"params_align", "params_bound", "params_pas", "params_valid", "params_supp", "alias",
	"rd_align", "rd_bound", "rd_state", "rtt_align", "rtt_num_level", "rtt_state",
	"vmid_valid", NULL,
};

/* A new realm (VMID 3) with one level-1 root RTT, not yet created. */
static void create_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->v[0] = alloc_delegated();	/* root RTT */
	c->args[0] = alloc_delegated();	/* RD */
	c->args[1] = make_realm_params(c->v[0], 3);
}

static void hash_invalid(struct conf_ctx *c) { params(c)->hash_algo = 2; }
static void flags_reserved(struct conf_ctx *c) { params(c)->flags = 1UL << 3; }
static void num_bps_reserved(struct conf_ctx *c) { params(c)->num_bps = 0; }
static void num_wps_reserved(struct conf_ctx *c) { params(c)->num_wps = 0; }
static void hash_sha512(struct conf_ctx *c) { params(c)->hash_algo = RMI_HASH_SHA_512; }
static void flags_lpa2(struct conf_ctx *c) { params(c)->flags = RMI_REALM_FLAGS_LPA2; }
static void flags_sve(struct conf_ctx *c) { params(c)->flags = RMI_REALM_FLAGS_SVE; }
static void flags_pmu(struct conf_ctx *c) { params(c)->flags = RMI_REALM_FLAGS_PMU; }
/*
 * s2sz 49 with an otherwise valid geometry for it (level 0, two root RTTs
 * aligned to 8 KB), so that only S2SZ is exceeded.
 */
static void s2sz_too_big(struct conf_ctx *c)
{
	uint64_t g0 = alloc_delegated(), g1 = alloc_delegated();

	(void)alloc_delegated();	/* g2: consecutive granules, both pairs delegated */
	params(c)->s2sz = 49;
	params(c)->rtt_level_start = 0;
	params(c)->rtt_num_start = 2;
	params(c)->rtt_base = IS_ALIGNED(g0, 2 * GRANULE_SIZE) ? g0 : g1;
}
static void bps_unsupported(struct conf_ctx *c) { params(c)->num_bps = REALM_NUM_BPS + 1; }
static void wps_unsupported(struct conf_ctx *c) { params(c)->num_wps = REALM_NUM_WPS + 1; }
static void rd_is_rtt(struct conf_ctx *c) { params(c)->rtt_base = c->args[0]; }
static void rtt_unaligned(struct conf_ctx *c) { params(c)->rtt_base += 8; }
/* s2sz 40 at level 1 needs two concatenated RTTs, aligned to 8 KB. */
static void rtt_concat_unaligned(struct conf_ctx *c)
{
	uint64_t g0 = alloc_delegated(), g1 = alloc_delegated();

	(void)alloc_delegated();	/* g2: the allocator hands out consecutive granules */
	params(c)->s2sz = 40;
	params(c)->rtt_num_start = 2;
	params(c)->rtt_base = IS_ALIGNED(g0, 2 * GRANULE_SIZE) ? g1 : g0;	/* both delegated */
}
static void rtt_num_wrong(struct conf_ctx *c) { params(c)->rtt_num_start = 2; }
static void level_start_3(struct conf_ctx *c) { params(c)->rtt_level_start = 3; }
static void level_start_neg(struct conf_ctx *c) { params(c)->rtt_level_start = -1; }
static void rtt_ns(struct conf_ctx *c) { params(c)->rtt_base = c->ns; }
static void rtt_rd(struct conf_ctx *c) { params(c)->rtt_base = c->other.rd; }
static void vmid_256(struct conf_ctx *c) { params(c)->vmid = 256; }
static void vmid_used(struct conf_ctx *c) { params(c)->vmid = 2; }

static const struct conf_row create_rows[] = {
	{ "params_align", "params_ptr + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_pas", "a DELEGATED granule", 2, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_valid", "hash_algo 2 (reserved)", 0, MUT_NONE, hash_invalid, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_valid", "flags bit 3 (reserved)", 0, MUT_NONE, flags_reserved, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_valid", "num_bps 0 (reserved)", 0, MUT_NONE, num_bps_reserved, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_valid", "num_wps 0 (reserved)", 0, MUT_NONE, num_wps_reserved, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "SHA-512", 0, MUT_NONE, hash_sha512, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "LPA2", 0, MUT_NONE, flags_lpa2, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "SVE", 0, MUT_NONE, flags_sve, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "PMU", 0, MUT_NONE, flags_pmu, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "s2sz 49 > S2SZ", 0, MUT_NONE, s2sz_too_big, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "num_bps > NUM_BPS", 0, MUT_NONE, bps_unsupported, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_supp", "num_wps > NUM_WPS", 0, MUT_NONE, wps_unsupported, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "alias", "rtt_base == rd", 0, MUT_NONE, rd_is_rtt, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "NS", 1, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "an RD", 1, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_align", "rtt_base + 8", 0, MUT_NONE, rtt_unaligned, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_align", "two root RTTs at an odd granule", 0, MUT_NONE, rtt_concat_unaligned,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_num_level", "rtt_num_start 2 for s2sz 39 at level 1", 0, MUT_NONE, rtt_num_wrong,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_num_level", "rtt_level_start 3", 0, MUT_NONE, level_start_3, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_num_level", "rtt_level_start -1", 0, MUT_NONE, level_start_neg, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_state", "rtt_base NS", 0, MUT_NONE, rtt_ns, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rtt_state", "rtt_base an RD", 0, MUT_NONE, rtt_rd, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "vmid_valid", "VMID 256 (8-bit VMIDs)", 0, MUT_NONE, vmid_256, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "vmid_valid", "VMID of realm B", 0, MUT_NONE, vmid_used, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void create_positive(struct conf_ctx *c)
{
	struct rmi_realm_params copy;
	uint8_t rim[SHA256_DIGEST_SIZE];
	struct smc_result r;
	struct rd *rd;
	uint64_t *root;

	memcpy(&copy, params(c), sizeof(copy));
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REALM_CREATE));
	assert_int_equal(GRANULE_STATE_RD, granule_get_state(addr_to_granule(c->args[0])));
	assert_int_equal(GRANULE_STATE_RTT, granule_get_state(addr_to_granule(c->v[0])));
	rd = fake_pa_ptr(c->args[0]);
	assert_int_equal(REALM_NEW, rd->state);
	assert_int_equal(0, rd->num_recs_created);
	assert_int_equal(TEST_S2SZ, rd->s2.s2sz);
	assert_int_equal(3, rd->s2.vmid);
	measurement_realm_init(&copy, rim);
	assert_memory_equal(rim, rd->rim, SHA256_DIGEST_SIZE);
	/* protected entries UNASSIGNED, RIPAS EMPTY; unprotected UNASSIGNED_NS */
	root = fake_pa_ptr(c->v[0]);
	assert_true(s2tte_is_unassigned(root[0]));
	assert_true(s2tte_is_unassigned_ns(root[256]));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, c->args[0], 0, 1, 0, 0, &r));
	assert_int_equal(RMI_UNASSIGNED, r.x[2]);
	assert_int_equal(RIPAS_EMPTY, r.x[4]);
}

/* ---- RMI_REALM_ACTIVATE ---------------------------------------------------- */

static const char *const activate_conds[] = {
	"rd_align", "rd_bound", "rd_state", "realm_state", NULL,
};

static void activate_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
}

static void already_active(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, c->realm.rd, 0, 0, 0, 0, NULL));
}

static void system_off(struct conf_ctx *c)
{
	((struct rd *)fake_pa_ptr(c->realm.rd))->state = REALM_SYSTEM_OFF;
}

static const struct conf_row activate_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a REC", 1, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "DELEGATED", 1, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_state", "ACTIVE", 0, MUT_NONE, already_active, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "realm_state", "SYSTEM_OFF", 0, MUT_NONE, system_off, RMI_ERROR_REALM, 0, NULL, NULL },
};

static void activate_positive(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REALM_ACTIVATE));
	assert_int_equal(REALM_ACTIVE, ((struct rd *)fake_pa_ptr(c->realm.rd))->state);
}

/* ---- RMI_REALM_DESTROY ----------------------------------------------------- */

static const char *const destroy_conds[] = {
	"rd_align", "rd_bound", "rd_state", "realm_live", NULL,
};

/* Realm C: an RD and its root RTT only. */
static void destroy_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->v[0] = alloc_delegated();
	c->args[0] = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, c->args[0], make_realm_params(c->v[0], 3),
				    0, 0, 0, NULL));
}

static void live_rec(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->args[0], alloc_delegated(),
				    make_rec_params(0, 0), 0, 0, NULL));
}

static void live_table(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, c->args[0], alloc_delegated(),
				    TEST_IPA_BASE, 2, 0, NULL));
}

static const struct conf_row destroy_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "an RTT", 1, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "DELEGATED", 1, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_live", "it has a REC", 0, MUT_NONE, live_rec, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "realm_live", "its root RTT has a TABLE entry", 0, MUT_NONE, live_table, RMI_ERROR_REALM, 0,
	  NULL, NULL },
};

/* ASSIGNED_NS entries (here a 1 GB block) do not keep a realm alive. */
static void destroy_positive(struct conf_ctx *c)
{
	uint64_t rd = c->args[0];

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, rd, TEST_UNPROT, 1,
				    0x40000000UL | S2TTE_AP_RW, 0, NULL));
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REALM_DESTROY));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rd)));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(c->v[0])));
	/* VMID 3 is free again */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, rd, make_realm_params(c->v[0], 3), 0, 0, 0,
				    NULL));
}

/* ---- RMI_REC_AUX_COUNT ----------------------------------------------------- */

static const char *const aux_conds[] = { "rd_align", "rd_bound", "rd_state", NULL };

static const struct conf_row aux_rows[] = {
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "a DATA granule", 1, MUT_DATA, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void aux_positive(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REC_AUX_COUNT));
	assert_int_equal(REC_AUX_GRANULES, c->res.x[1]);
}

const struct conf_cmd conf_realm_cmds[] = {
	{ "RMI_REALM_CREATE", "B4.3.9", CONF_RMI, SMC_RMI_REALM_CREATE, create_conds, create_fixture,
	  CONF_ROWS(create_rows), create_positive, NULL },
	{ "RMI_REALM_ACTIVATE", "B4.3.8", CONF_RMI, SMC_RMI_REALM_ACTIVATE, activate_conds,
	  activate_fixture, CONF_ROWS(activate_rows), activate_positive, NULL },
	{ "RMI_REALM_DESTROY", "B4.3.10", CONF_RMI, SMC_RMI_REALM_DESTROY, destroy_conds,
	  destroy_fixture, CONF_ROWS(destroy_rows), destroy_positive, NULL },
	{ "RMI_REC_AUX_COUNT", "B4.3.11", CONF_RMI, SMC_RMI_REC_AUX_COUNT, aux_conds,
	  activate_fixture, CONF_ROWS(aux_rows), aux_positive,
	  "3 auxiliary granules: a REC's attestation token (12 KB)" },
	{ NULL },
};
