/* RMI_GRANULE_DELEGATE / UNDELEGATE, RMI_VERSION, RMI_FEATURES (B4.3.5, 6, 23, 4). */
#include "conf.h"

#include <string.h>

/* ---- RMI_GRANULE_DELEGATE ------------------------------------------------- */

static const char *const delegate_conds[] = {
	"gran_align", "gran_bound", "gran_state", "gran_gpt", NULL,
};

static void delegate_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->ns;
}

static void below_dram(struct conf_ctx *c)
{
	c->args[0] = PLAT_NS_DRAM_BASE - GRANULE_SIZE;
}

static void el3_refuses(struct conf_ctx *c)
{
	(void)c;
	fake_gtsi_fail_next();
}

static const struct conf_row delegate_rows[] = {
	{ "gran_align", "addr + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_bound", "below the delegable DRAM", 0, MUT_NONE, below_dram, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "already DELEGATED", 1, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "an RD", 1, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "a DATA granule", 1, MUT_DATA, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_gpt", "EL3's GPT says it is not NS (EL3 refuses)", 0, MUT_NONE, el3_refuses,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void delegate_positive(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_GRANULE_DELEGATE));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(c->ns)));
	assert_int_equal(FAKE_GPI_REALM, fake_gpt_get(c->ns));
}

/* ---- RMI_GRANULE_UNDELEGATE ----------------------------------------------- */

static const char *const undelegate_conds[] = { "gran_align", "gran_bound", "gran_state", NULL };

static void undelegate_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->delegated;
	memset(fake_pa_ptr(c->delegated), 0xA5, GRANULE_SIZE);	/* realm-owned content */
}

static const struct conf_row undelegate_rows[] = {
	{ "gran_align", "addr + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "NS", 1, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "an RD", 1, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "a REC", 1, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "an RTT", 1, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "gran_state", "a DATA granule", 1, MUT_DATA, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void undelegate_positive(struct conf_ctx *c)
{
	static const uint8_t zero[GRANULE_SIZE];

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_GRANULE_UNDELEGATE));
	assert_int_equal(GRANULE_STATE_NS, granule_get_state(addr_to_granule(c->delegated)));
	assert_int_equal(FAKE_GPI_NS, fake_gpt_get(c->delegated));
	assert_memory_equal(zero, fake_pa_ptr(c->delegated), GRANULE_SIZE);	/* wiped */
}

/* ---- RMI_VERSION / RMI_FEATURES: no failure conditions --------------------- */

static const char *const no_conds[] = { NULL };

static void world_fixture(struct conf_ctx *c)
{
	conf_world(c);
}

/* B2 outcomes: (a) compatible, (b) only lower revisions, (c) only higher. */
static void version_positive(struct conf_ctx *c)
{
	static const struct {
		unsigned long req, status;
	} cases[] = {
		{ 0x10000, RMI_SUCCESS },	/* 1.0: (a) */
		{ 0x10001, RMI_ERROR_INPUT },	/* 1.1: (b), lower = 1.0 */
		{ 0x20000, RMI_ERROR_INPUT },	/* 2.0: (b) */
		{ 0x00009, RMI_ERROR_INPUT },	/* 0.9: (c), lower = higher */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		c->args[0] = cases[i].req;
		assert_rmi(cases[i].status, conf_call(c, SMC_RMI_VERSION));
		assert_int_equal(0x10000, c->res.x[1]);
		assert_int_equal(0x10000, c->res.x[2]);
	}
}

static void features_positive(struct conf_ctx *c)
{
	unsigned long f;

	c->args[0] = 0;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_FEATURES));
	f = c->res.x[1];
	assert_int_equal(48, f & 0xFF);			/* S2SZ */
	assert_int_equal(0, (f >> 8) & 0x3);		/* no LPA2, no SVE */
	assert_int_equal(1, (f >> 14) & 0x3F);		/* NUM_BPS: 2 breakpoints */
	assert_int_equal(1, (f >> 20) & 0x3F);		/* NUM_WPS */
	assert_int_equal(0, (f >> 26) & 0x3F);		/* no PMU */
	assert_int_equal(1, (f >> 32) & 0x1);		/* HASH_SHA_256 */
	assert_int_equal(0, (f >> 33) & 0x1);		/* no SHA-512 */
	assert_int_equal(plat_gic_num_lrs() - 1, (f >> 34) & 0xF);	/* GICV3_NUM_LRS */
	assert_int_equal(REALM_MAX_RECS_ORDER, (f >> 38) & 0xF);
	c->args[0] = 1;
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_FEATURES));
	assert_int_equal(0, c->res.x[1]);
}

const struct conf_cmd conf_granule_cmds[] = {
	{ "RMI_GRANULE_DELEGATE", "B4.3.5", CONF_RMI, SMC_RMI_GRANULE_DELEGATE, delegate_conds,
	  delegate_fixture, CONF_ROWS(delegate_rows), delegate_positive, NULL },
	{ "RMI_GRANULE_UNDELEGATE", "B4.3.6", CONF_RMI, SMC_RMI_GRANULE_UNDELEGATE, undelegate_conds,
	  undelegate_fixture, CONF_ROWS(undelegate_rows), undelegate_positive, NULL },
	{ "RMI_VERSION", "B4.3.23", CONF_RMI, SMC_RMI_VERSION, no_conds, world_fixture, NULL, 0,
	  version_positive, "1.0 only; the four outcomes of B2 checked" },
	{ "RMI_FEATURES", "B4.3.4", CONF_RMI, SMC_RMI_FEATURES, no_conds, world_fixture, NULL, 0,
	  features_positive, "S2SZ 48, SHA-256, NUM_BPS/WPS 1, GICV3_NUM_LRS from the GIC, MAX_RECS_ORDER 8" },
	{ NULL },
};
