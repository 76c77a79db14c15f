/* RMI_REC_CREATE / REC_DESTROY / REC_ENTER / PSCI_COMPLETE (B4.3.12, 13, 14, 7). */
#include "conf.h"

#include <measurement.h>
#include <string.h>

static struct rmi_rec_params *rec_params(struct conf_ctx *c)
{
	return fake_pa_ptr(c->args[2]);
}

static struct rec *rec_of(uint64_t pa)
{
	return fake_pa_ptr(pa);
}

/* A REC_ENTER is in progress on it (refcount 1, as REC_ENTER sets it). */
static void busy(uint64_t rec)
{
	granule_get(addr_to_granule(rec));
}

static void realm_off(struct conf_ctx *c)
{
	((struct rd *)fake_pa_ptr(c->realm.rd))->state = REALM_SYSTEM_OFF;
}

static void realm_activate(struct conf_ctx *c)
{
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, c->realm.rd, 0, 0, 0, 0, NULL));
}

/* ---- RMI_REC_CREATE -------------------------------------------------------- */

static const char *const create_conds[] = {
	"params_align", "params_bound", "params_pas", "rec_align", "rec_bound", "rec_state",
	"rd_align", "rd_bound", "rd_state", "realm_state", "num_recs", "mpidr_index", "num_aux",
	"aux_align", "aux_alias", "aux_state", NULL,
};

static void create_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->args[0] = c->realm.rd;
	c->args[1] = c->delegated;
	c->args[2] = make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE);
	rec_params(c)->gprs[7] = 0x77;
}

/* RmiRecMpidr of REC index i (Aff0[3:0], Aff1, Aff2, Aff3 in [31:24]). */
static uint64_t rmi_mpidr(uint64_t i)
{
	return (i % 16) | ((i / 16) % 256) << 8 | ((i / 4096) % 256) << 16 | (i / 1048576) << 24;
}

static void max_recs(struct conf_ctx *c)
{
	uint64_t i, p = make_rec_params(0, 0);

	for (i = 0; i < REALM_MAX_RECS; i++) {
		((struct rmi_rec_params *)fake_pa_ptr(p))->mpidr = rmi_mpidr(i);
		rec_params_fresh_aux(p);
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, alloc_delegated(), p, 0, 0,
					    NULL));
	}
	rec_params(c)->mpidr = rmi_mpidr(REALM_MAX_RECS);	/* the next index */
}

static void mpidr_not_next(struct conf_ctx *c) { rec_params(c)->mpidr = 1; }
static void mpidr_aff0_high(struct conf_ctx *c) { rec_params(c)->mpidr = 0x10; }
static void mpidr_el1_aff3(struct conf_ctx *c) { rec_params(c)->mpidr = 1UL << 32; }
static void num_aux_0(struct conf_ctx *c) { rec_params(c)->num_aux = 0; }
static void num_aux_4(struct conf_ctx *c)
{
	rec_params(c)->num_aux = REC_AUX_GRANULES + 1U;
	rec_params(c)->aux[REC_AUX_GRANULES] = alloc_delegated();
}
static void aux_unaligned(struct conf_ctx *c) { rec_params(c)->aux[1] += 8; }
static void aux_alias_rec(struct conf_ctx *c) { rec_params(c)->aux[2] = c->args[1]; }
static void aux_alias_twice(struct conf_ctx *c) { rec_params(c)->aux[2] = rec_params(c)->aux[0]; }
static void aux_ns(struct conf_ctx *c) { rec_params(c)->aux[1] = c->ns; }
static void aux_rec(struct conf_ctx *c) { rec_params(c)->aux[0] = c->other_rec; }
static void aux_untracked(struct conf_ctx *c)
{
	rec_params(c)->aux[2] = PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE;
}
static void off_and_bad_aux(struct conf_ctx *c)
{
	realm_off(c);
	aux_ns(c);
}
static void off_and_bad_mpidr(struct conf_ctx *c)
{
	realm_off(c);
	mpidr_not_next(c);
}

static const struct conf_row create_rows[] = {
	{ "params_align", "params_ptr + 8", 3, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_bound", "past the delegable DRAM", 3, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "params_pas", "an RD (Realm PAS)", 3, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_align", "rec + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_state", "NS", 2, MUT_NS, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_state", "a REC", 2, MUT_REC, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_align", "rd + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rd_state", "an RTT", 1, MUT_RTT, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_state", "ACTIVE", 0, MUT_NONE, realm_activate, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "realm_state", "SYSTEM_OFF", 0, MUT_NONE, realm_off, RMI_ERROR_REALM, 0, NULL, NULL },
	{ "num_recs", "the realm has 2^MAX_RECS_ORDER - 1 RECs", 0, MUT_NONE, max_recs,
	  RMI_ERROR_REALM, 0, NULL, NULL },
	{ "mpidr_index", "index 1, next is 0", 0, MUT_NONE, mpidr_not_next, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "mpidr_index", "Aff0[7:4] set", 0, MUT_NONE, mpidr_aff0_high, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "mpidr_index", "Aff3 in the MPIDR_EL1 position [39:32]", 0, MUT_NONE, mpidr_el1_aff3,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "num_aux", "num_aux 0", 0, MUT_NONE, num_aux_0, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "num_aux", "num_aux 4", 0, MUT_NONE, num_aux_4, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "aux_align", "aux[1] + 8", 0, MUT_NONE, aux_unaligned, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "aux_alias", "aux[2] == rec", 0, MUT_NONE, aux_alias_rec, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "aux_alias", "aux[2] == aux[0]", 0, MUT_NONE, aux_alias_twice, RMI_ERROR_INPUT, 0, NULL,
	  NULL },
	{ "aux_state", "aux[1] NS", 0, MUT_NONE, aux_ns, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "aux_state", "aux[0] a REC", 0, MUT_NONE, aux_rec, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "aux_state", "aux[2] past the delegable DRAM", 0, MUT_NONE, aux_untracked,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_state<mpidr_index", "SYSTEM_OFF and a wrong MPIDR", 0, MUT_NONE, off_and_bad_mpidr,
	  RMI_ERROR_REALM, 0, NULL, NULL },
	{ "realm_state<aux_state", "SYSTEM_OFF and aux[1] NS", 0, MUT_NONE, off_and_bad_aux,
	  RMI_ERROR_REALM, 0, NULL, NULL },
};

static void create_positive(struct conf_ctx *c)
{
	struct rd *rd = fake_pa_ptr(c->realm.rd);
	uint8_t rim[SHA256_DIGEST_SIZE];
	struct rec *rec;
	unsigned int i;

	memcpy(rim, rd->rim, sizeof(rim));
	measurement_rec_extend(rim, rec_params(c));
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REC_CREATE));
	rec = rec_of(c->delegated);
	assert_int_equal(GRANULE_STATE_REC, granule_get_state(addr_to_granule(c->delegated)));
	assert_int_equal(c->realm.rd, rec->rd_addr);
	assert_int_equal(0, rec->mpidr);
	assert_int_equal(1, rec->runnable);
	assert_int_equal(TEST_IPA_BASE, rec->pc);
	assert_int_equal(0x1234, rec->regs[0]);
	assert_int_equal(0x77, rec->regs[7]);
	for (i = 8; i < 31; i++) {
		assert_int_equal(0, rec->regs[i]);
	}
	assert_int_equal(0, rec->ripas_addr);
	assert_int_equal(0, rec->ripas_top);
	assert_int_equal(0, rec->host_call_pending);
	assert_int_equal(0, rec->psci_pending);
	assert_int_equal(1, rd->num_recs_created);
	assert_int_equal(1, granule_refcount(addr_to_granule(c->realm.rd)));
	assert_memory_equal(rim, rd->rim, sizeof(rim));
	for (i = 0; i < REC_AUX_GRANULES; i++) {
		assert_int_equal(rec_params(c)->aux[i], rec->aux[i]);
		assert_int_equal(GRANULE_STATE_REC_AUX,
				 granule_get_state(addr_to_granule(rec_params(c)->aux[i])));
	}
	assert_int_equal(REC_NO_ATTEST_IN_PROGRESS, rec->attest.state);
	rec_params(c)->mpidr = 1;
	rec_params(c)->flags = 0;	/* not runnable: the RIM does not change */
	rec_params_fresh_aux(c->args[2]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, alloc_delegated(), c->args[2],
				    0, 0, NULL));
	assert_memory_equal(rim, rd->rim, sizeof(rim));
	assert_int_equal(2, rd->num_recs_created);
}

/* ---- RMI_REC_DESTROY ------------------------------------------------------- */

static const char *const destroy_conds[] = {
	"rec_align", "rec_bound", "rec_gran_state", "rec_state", NULL,
};

static void destroy_fixture(struct conf_ctx *c)
{
	conf_world(c);
	c->rec = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, c->rec,
				    make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE), 0, 0, NULL));
	c->args[0] = c->rec;
}

static void rec_busy(struct conf_ctx *c) { busy(c->rec); }

static const struct conf_row destroy_rows[] = {
	{ "rec_align", "rec + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_gran_state", "an RD", 1, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_gran_state", "DELEGATED", 1, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_state", "running (REC_ENTER in progress)", 0, MUT_NONE, rec_busy, RMI_ERROR_REC, 0,
	  NULL, NULL },
};

static void destroy_positive(struct conf_ctx *c)
{
	static const uint8_t zero[GRANULE_SIZE];
	uint64_t aux[REC_AUX_GRANULES];
	unsigned int i;

	for (i = 0; i < REC_AUX_GRANULES; i++) {
		aux[i] = rec_of(c->rec)->aux[i];
		memset(fake_pa_ptr(aux[i]), 0x5A, GRANULE_SIZE);	/* a token was there */
	}
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REC_DESTROY));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(c->rec)));
	assert_memory_equal(zero, fake_pa_ptr(c->rec), GRANULE_SIZE);
	assert_int_equal(0, granule_refcount(addr_to_granule(c->realm.rd)));
	for (i = 0; i < REC_AUX_GRANULES; i++) {
		assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(aux[i])));
		assert_memory_equal(zero, fake_pa_ptr(aux[i]), GRANULE_SIZE);
	}
}

/* ---- RMI_REC_ENTER --------------------------------------------------------- */

static const char *const enter_conds[] = {
	"run_align", "run_bound", "run_pas", "rec_align", "rec_bound", "rec_gran_state",
	"realm_new", "system_off", "rec_state", "rec_runnable", "rec_mmio", "rec_gicv3",
	"rec_psci", NULL,
};

static void enter_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = c->rec;
	c->args[1] = c->run;
}

static void rec_of_new_realm(struct conf_ctx *c) { c->args[0] = c->other_rec; }
static void not_runnable(struct conf_ctx *c) { rec_of(c->rec)->runnable = 0; }
static void psci_pending(struct conf_ctx *c) { rec_of(c->rec)->psci_pending = 1; }
static void emul_mmio(struct conf_ctx *c)
{
	((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry.flags = REC_ENTRY_FLAG_EMUL_MMIO;
}
static void bad_gicv3_hcr(struct conf_ctx *c)
{
	((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry.gicv3_hcr = ~0UL;
}
static void bad_gicv3_lr(struct conf_ctx *c)
{
	((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry.gicv3_lrs[3] = 1UL << 61;
}
static void lr_res0_59_56(struct conf_ctx *c)
{
	((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry.gicv3_lrs[0] = (1UL << 62) | (1UL << 56) | 40;
}
static void lr_pintid_not_eoi(struct conf_ctx *c)
{
	((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry.gicv3_lrs[1] = (1UL << 62) | (1UL << 33) | 41;
}
static void lr_same_vintid(struct conf_ctx *c)
{
	struct rmi_rec_entry *e = &((struct rmi_rec_run *)fake_pa_ptr(c->run))->entry;

	e->gicv3_lrs[0] = (1UL << 62) | (1UL << 60) | 27;	/* pending */
	e->gicv3_lrs[5] = (2UL << 62) | (1UL << 60) | 27;	/* active: the same vINTID */
}
static void off_and_not_runnable(struct conf_ctx *c)
{
	realm_off(c);
	not_runnable(c);
}
static void busy_and_psci(struct conf_ctx *c)
{
	rec_busy(c);
	psci_pending(c);
}

static const struct conf_row enter_rows[] = {
	{ "run_align", "run_ptr + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "run_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "run_pas", "a DELEGATED granule", 2, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_align", "rec + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "rec_gran_state", "an RD", 1, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "realm_new", "a REC of a NEW realm", 0, MUT_NONE, rec_of_new_realm, RMI_ERROR_REALM, 0,
	  NULL, NULL },
	{ "system_off", "the realm is SYSTEM_OFF", 0, MUT_NONE, realm_off, RMI_ERROR_REALM, 1, NULL,
	  NULL },
	{ "rec_state", "running", 0, MUT_NONE, rec_busy, RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_runnable", "not runnable", 0, MUT_NONE, not_runnable, RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_mmio", "emul_mmio after an exit that was not an emulatable abort", 0, MUT_NONE,
	  emul_mmio, RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_gicv3", "gicv3_hcr with bits the host does not control", 0, MUT_NONE, bad_gicv3_hcr,
	  RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_gicv3", "an LR with HW set", 0, MUT_NONE, bad_gicv3_lr, RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_gicv3", "an LR with RES0 bits 59:56 set", 0, MUT_NONE, lr_res0_59_56, RMI_ERROR_REC, 0,
	  NULL, NULL },
	{ "rec_gicv3", "an LR (HW 0) with a pINTID bit other than EOI", 0, MUT_NONE, lr_pintid_not_eoi,
	  RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_gicv3", "two valid LRs with the same vINTID (UNPREDICTABLE in GICv3)", 0, MUT_NONE,
	  lr_same_vintid, RMI_ERROR_REC, 0, NULL, NULL },
	{ "rec_psci", "a PSCI request pending", 0, MUT_NONE, psci_pending, RMI_ERROR_REC, 0, NULL, NULL },
	{ "system_off<rec_runnable", "SYSTEM_OFF and not runnable", 0, MUT_NONE, off_and_not_runnable,
	  RMI_ERROR_REALM, 1, NULL, NULL },
	{ "rec_state<rec_psci", "running and a PSCI request pending", 0, MUT_NONE, busy_and_psci,
	  RMI_ERROR_REC, 0, NULL, NULL },
};

/* A load from unprotected IPA with ISV set: an emulatable data abort. */
static void realm_mmio_read(struct rec *rec, struct realm_exception *exc, void *arg)
{
	(void)rec;
	(void)arg;
	exc->kind = REALM_EXC_SYNC;
	exc->esr = (0x24UL << 26) | (1UL << 25) | (1UL << 24) | (3UL << 22) | 0x07UL;
	exc->far = 0x1008UL;
	exc->hpfar = ((TEST_UNPROT | 0x1000UL) >> 12) << 4;
}

/*
 * enter.flags.emul_mmio is accepted right after an emulatable abort exit;
 * the default fake realm then calls PSCI SYSTEM_OFF: exit.gprs[0] = FID,
 * nothing else.
 */
static void enter_positive(struct conf_ctx *c)
{
	struct rmi_rec_run *run = fake_pa_ptr(c->run);
	struct rmi_rec_exit *e = &run->exit;
	unsigned int i;

	fake_set_realm(realm_mmio_read, NULL);
	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REC_ENTER));
	assert_int_equal(RMI_EXIT_SYNC, e->exit_reason);
	assert_int_equal(1, rec_of(c->rec)->emulatable_abort);
	fake_set_realm(NULL, NULL);
	run->entry.flags = REC_ENTRY_FLAG_EMUL_MMIO;

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_REC_ENTER));
	assert_int_equal(RMI_EXIT_PSCI, e->exit_reason);
	assert_int_equal(PSCI_SYSTEM_OFF, e->gprs[0]);
	for (i = 1; i < REC_EXIT_NR_GPRS; i++) {
		assert_int_equal(0, e->gprs[i]);
	}
	assert_int_equal(0, e->esr);
	assert_int_equal(0, granule_refcount(addr_to_granule(c->rec)));	/* no longer running */
	assert_int_equal(REALM_SYSTEM_OFF, ((struct rd *)fake_pa_ptr(c->realm.rd))->state);
	assert_int_equal(0, rec_of(c->rec)->emulatable_abort);	/* that exit was not one */
}

/* ---- RMI_PSCI_COMPLETE ----------------------------------------------------- */

static const char *const complete_conds[] = {
	"alias", "calling_align", "calling_bound", "calling_state", "target_align", "target_bound",
	"target_state", "pending", "owner", "target", "status", NULL,
};

#define CPU_ON_ENTRY	(TEST_IPA_BASE + 0x1000)
#define CPU_ON_CONTEXT	0xC0FFEEUL

static void realm_cpu_on_1(struct rec *rec, struct realm_exception *exc, void *arg)
{
	(void)arg;
	rec->regs[0] = PSCI_CPU_ON_AARCH64;
	rec->regs[1] = 1;
	rec->regs[2] = CPU_ON_ENTRY;
	rec->regs[3] = CPU_ON_CONTEXT;
	exc->kind = REALM_EXC_SYNC;
	exc->esr = (0x17UL << 26) | (1UL << 25);
}

/*
 * Realm A with REC 0 (runnable), REC 1 and REC 2 (off), ACTIVE; REC 0 has
 * called PSCI CPU_ON(MPIDR 1): args = (REC 0, REC 1, SUCCESS).
 */
static void complete_fixture(struct conf_ctx *c)
{
	unsigned int i;
	uint64_t p;

	conf_world(c);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, c->realm.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + 4 * GRANULE_SIZE, 0, 0, NULL));
	c->rec = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, c->rec,
				    make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE), 0, 0, NULL));
	for (i = 1; i <= 2; i++) {
		uint64_t r = alloc_delegated();

		p = make_rec_params(0, 0);
		((struct rmi_rec_params *)fake_pa_ptr(p))->mpidr = i;
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->realm.rd, r, p, 0, 0, NULL));
		c->v[i] = r;
	}
	c->rec1 = c->v[1];
	realm_activate(c);
	c->run = alloc_ns();
	fake_set_realm(realm_cpu_on_1, NULL);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
	fake_set_realm(NULL, NULL);
	assert_int_equal(1, rec_of(c->rec)->psci_pending);
	c->args[0] = c->rec;
	c->args[1] = c->rec1;
	c->args[2] = PSCI_SUCCESS;
}

static void same_rec(struct conf_ctx *c) { c->args[1] = c->args[0]; }
static void no_request(struct conf_ctx *c) { rec_of(c->rec)->psci_pending = 0; }
/*
 * A REC of realm B with the MPIDR the request named (1), so that only the
 * owner differs: realm B's REC 0 would fail `target` as well.
 */
static void other_realm(struct conf_ctx *c)
{
	uint64_t p = make_rec_params(0, 0), rec = alloc_delegated();

	((struct rmi_rec_params *)fake_pa_ptr(p))->mpidr = 1;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, c->other.rd, rec, p, 0, 0, NULL));
	assert_int_equal(rec_of(c->rec)->regs[1], rec_of(rec)->mpidr);
	c->args[1] = rec;
}
static void wrong_target(struct conf_ctx *c) { c->args[1] = c->v[2]; }
static void denied_but_on(struct conf_ctx *c)
{
	rec_of(c->rec1)->runnable = 1;
	c->args[2] = PSCI_DENIED;
}
static void status_already_on(struct conf_ctx *c) { c->args[2] = PSCI_ALREADY_ON; }
static void status_garbage(struct conf_ctx *c) { c->args[2] = 5; }

static const struct conf_row complete_rows[] = {
	{ "alias", "target_rec == calling_rec", 0, MUT_NONE, same_rec, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "calling_align", "calling_rec + 8", 1, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "calling_bound", "past the delegable DRAM", 1, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "calling_state", "an RD", 1, MUT_RD, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "target_align", "target_rec + 8", 2, MUT_UNALIGNED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "target_bound", "past the delegable DRAM", 2, MUT_UNTRACKED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "target_state", "DELEGATED", 2, MUT_DELEGATED, NULL, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "pending", "no PSCI request pending", 0, MUT_NONE, no_request, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "owner", "a REC of realm B with the MPIDR asked for", 0, MUT_NONE, other_realm, RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "target", "REC 2, the request named MPIDR 1", 0, MUT_NONE, wrong_target, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "status", "DENIED for a runnable target", 0, MUT_NONE, denied_but_on, RMI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "status", "ALREADY_ON (never the host's to give)", 0, MUT_NONE, status_already_on,
	  RMI_ERROR_INPUT, 0, NULL, NULL },
	{ "status", "5 (not a PSCI code)", 0, MUT_NONE, status_garbage, RMI_ERROR_INPUT, 0, NULL, NULL },
};

static void complete_positive(struct conf_ctx *c)
{
	struct rec *caller = rec_of(c->rec), *target = rec_of(c->rec1);
	unsigned int i;

	assert_rmi(RMI_SUCCESS, conf_call(c, SMC_RMI_PSCI_COMPLETE));
	assert_int_equal(PSCI_SUCCESS, caller->regs[0]);
	assert_int_equal(0, caller->regs[1]);
	assert_int_equal(0, caller->regs[2]);
	assert_int_equal(0, caller->regs[3]);
	assert_int_equal(0, caller->psci_pending);
	assert_int_equal(1, target->runnable);
	assert_int_equal(CPU_ON_ENTRY, target->pc);
	assert_int_equal(CPU_ON_CONTEXT, target->regs[0]);
	for (i = 1; i < 31; i++) {
		assert_int_equal(0, target->regs[i]);
	}
	assert_int_equal(REC_INITIAL_PSTATE, target->pstate);
	assert_int_equal(REC_INITIAL_SCTLR, target->sysregs.sctlr_el1);
	/* a second CPU_ON of the same REC: ALREADY_ON, decided by PSCI_COMPLETE */
	fake_set_realm(realm_cpu_on_1, NULL);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_SUCCESS, 0, 0, NULL));
	assert_int_equal(PSCI_ALREADY_ON, caller->regs[0]);
	/* DENIED for an off target */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
	target->runnable = 0;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_DENIED, 0, 0, NULL));
	assert_int_equal(PSCI_DENIED, caller->regs[0]);
	assert_int_equal(0, target->runnable);
	/*
	 * A target running on another CPU (REC_ENTER in progress) is on: no
	 * failure condition covers it, the caller gets ALREADY_ON and the
	 * running REC is not touched.
	 */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
	target->runnable = 0;
	target->pc = 0x1234;
	granule_get(addr_to_granule(c->rec1));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_SUCCESS, 0, 0, NULL));
	assert_int_equal(PSCI_ALREADY_ON, caller->regs[0]);
	assert_int_equal(0x1234, target->pc);
	granule_put(addr_to_granule(c->rec1));
	fake_set_realm(NULL, NULL);
}

const struct conf_cmd conf_rec_cmds[] = {
	{ "RMI_REC_CREATE", "B4.3.12", CONF_RMI, SMC_RMI_REC_CREATE, create_conds, create_fixture,
	  CONF_ROWS(create_rows), create_positive, NULL },
	{ "RMI_REC_DESTROY", "B4.3.13", CONF_RMI, SMC_RMI_REC_DESTROY, destroy_conds, destroy_fixture,
	  CONF_ROWS(destroy_rows), destroy_positive, "the auxiliary granules go back DELEGATED, zeroed" },
	{ "RMI_REC_ENTER", "B4.3.14", CONF_RMI, SMC_RMI_REC_ENTER, enter_conds, enter_fixture,
	  CONF_ROWS(enter_rows), enter_positive, NULL },
	{ "RMI_PSCI_COMPLETE", "B4.3.7", CONF_RMI, SMC_RMI_PSCI_COMPLETE, complete_conds,
	  complete_fixture, CONF_ROWS(complete_rows), complete_positive, NULL },
	{ NULL },
};
