/*
 * REC exit hygiene (RMM v1.0 A4.3, A6.1, A6.2) with the fake host playing
 * the realm: exactly the ESR/HPFAR/FAR bits the spec lists per exit kind,
 * no stale HPFAR, HVC and trapped system registers become an Unknown
 * exception in the realm, enter.flags.trap_wfi/trap_wfe reach the run,
 * the realm's timer and GIC state are reported on every exit, and invalid
 * enter.gicv3_* values make REC_ENTER fail.
 */
#include "rmm_test.h"

#include <string.h>

#define EC(x)		((uint64_t)(x) << 26)
#define IL		(1UL << 25)
#define STALE_HPFAR	0xABCD0UL
#define STALE_FAR	0xFEEDF00DUL

static struct test_realm realm;
static uint64_t rec_pa, run_pa;

static int setup(void **state)
{
	unsigned int i;

	rmm_test_setup(state);
	realm_build(&realm, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, realm.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + 8 * GRANULE_SIZE, 0, 0, NULL));
	for (i = 0; i < 2; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realm.rd, alloc_delegated(),
					    TEST_IPA_BASE + i * GRANULE_SIZE, 0, 0, NULL));
	}
	rec_pa = alloc_delegated();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, realm.rd, rec_pa,
				    make_rec_params(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE), 0, 0, NULL));
	run_pa = alloc_ns();
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, realm.rd, 0, 0, 0, 0, NULL));
	return 0;
}

static struct rmi_rec_run *run(void)
{
	return fake_pa_ptr(run_pa);
}

static struct rec *rec(void)
{
	return fake_pa_ptr(rec_pa);
}

/* One realm exit described by the test; stale FAR/HPFAR unless it sets them. */
struct one_exit {
	unsigned int kind;
	uint64_t esr, far, hpfar;
	uint32_t saw_trap_wfi, saw_trap_wfe;
};

static void realm_one_exit(struct rec *r, struct realm_exception *exc, void *arg)
{
	struct one_exit *x = arg;

	x->saw_trap_wfi = r->trap_wfi;
	x->saw_trap_wfe = r->trap_wfe;
	exc->kind = x->kind;
	exc->esr = x->esr;
	exc->far = x->far;
	exc->hpfar = x->hpfar;
}

static const struct rmi_rec_exit *enter(struct one_exit *x)
{
	fake_set_realm(realm_one_exit, x);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	return &run()->exit;
}

/* Every ISS bit set: only the ones the spec lists for the exit may survive. */
#define ALL_ISS		0x1FFFFFFUL

static void test_dabt_protected_non_emulatable(void **state)
{
	uint64_t ipa = TEST_IPA_BASE + 0x5000;	/* RIPAS RAM, unassigned */
	struct one_exit x = { REALM_EXC_SYNC, EC(0x24) | IL | (ALL_ISS & ~0x3FUL) | 0x07UL,
			      STALE_FAR, (ipa >> 12) << 4 };
	const struct rmi_rec_exit *e;

	(void)state;
	e = enter(&x);
	assert_int_equal(RMI_EXIT_SYNC, e->exit_reason);
	/* EC, SET[12:11], FnV[10], EA[9], DFSC: no IL, ISV, SAS, SRT, SF, AR, WnR, S1PTW, CM */
	assert_int_equal(EC(0x24) | (3UL << 11) | (1UL << 10) | (1UL << 9) | 0x07UL, e->esr);
	assert_int_equal(0, e->far);
	assert_int_equal((ipa >> 12) << 4, e->hpfar);
	assert_int_equal(0, e->gprs[0]);
}

static void test_dabt_unprotected(void **state)
{
	uint64_t ipa = TEST_UNPROT | 0x9000000UL;
	struct one_exit x = { REALM_EXC_SYNC, EC(0x24) | IL | ALL_ISS, 0x40001234UL,
			      (ipa >> 12) << 4 };
	const struct rmi_rec_exit *e;

	(void)state;
	/* SRT = 31 (XZR): the store data is 0 */
	e = enter(&x);
	/* emulatable: + ISV, SAS, SF, WnR; never SSE, SRT, AR, IL */
	assert_int_equal(EC(0x24) | (1UL << 24) | (3UL << 22) | (1UL << 15) | (3UL << 11) |
			 (1UL << 10) | (1UL << 9) | (1UL << 6) | 0x3FUL, e->esr);
	assert_int_equal(0x234UL, e->far);	/* bits above the granule masked */
	assert_int_equal((ipa >> 12) << 4, e->hpfar);

	/* ISV = 0 at an unprotected IPA: non-emulatable, IL kept, no FAR */
	x.esr = EC(0x24) | IL | (1UL << 6) | 0x0FUL;
	e = enter(&x);
	assert_int_equal(EC(0x24) | IL | 0x0FUL, e->esr);
	assert_int_equal(0, e->far);
}

static void test_iabt(void **state)
{
	uint64_t ipa = TEST_IPA_BASE + 0x5000;
	struct one_exit x = { REALM_EXC_SYNC, EC(0x20) | IL | ALL_ISS, STALE_FAR, (ipa >> 12) << 4 };
	const struct rmi_rec_exit *e;

	(void)state;
	x.esr = (x.esr & ~0x3FUL) | 0x07UL;
	e = enter(&x);
	assert_int_equal(EC(0x20) | (3UL << 11) | (1UL << 9) | 0x07UL, e->esr);	/* SET, EA, IFSC */
	assert_int_equal(0, e->far);
	assert_int_equal((ipa >> 12) << 4, e->hpfar);
}

/* IRQ, FIQ, SError, WFx: HPFAR and FAR never reach the host (no stale HPFAR). */
static void test_no_stale_hpfar(void **state)
{
	struct one_exit irq = { REALM_EXC_IRQ, EC(0x24) | 0x07UL, STALE_FAR, STALE_HPFAR };
	struct one_exit fiq = { REALM_EXC_FIQ, 0, STALE_FAR, STALE_HPFAR };
	struct one_exit serr = { REALM_EXC_SERROR, EC(0x2F) | IL | ALL_ISS, STALE_FAR, STALE_HPFAR };
	struct one_exit wfi = { REALM_EXC_SYNC, EC(0x01) | IL | 0x1FFFFFCUL, STALE_FAR, STALE_HPFAR };
	const struct rmi_rec_exit *e;

	(void)state;
	e = enter(&irq);
	assert_int_equal(RMI_EXIT_IRQ, e->exit_reason);
	assert_int_equal(0, e->esr);
	assert_int_equal(0, e->hpfar);
	assert_int_equal(0, e->far);
	e = enter(&fiq);
	assert_int_equal(RMI_EXIT_FIQ, e->exit_reason);
	assert_int_equal(0, e->esr | e->hpfar | e->far);
	e = enter(&serr);
	assert_int_equal(RMI_EXIT_SERROR, e->exit_reason);
	/* EC, IDS[24], AET[12:10], EA[9], DFSC */
	assert_int_equal(EC(0x2F) | (1UL << 24) | (7UL << 10) | (1UL << 9) | 0x3FUL, e->esr);
	assert_int_equal(0, e->hpfar | e->far);
	e = enter(&wfi);
	assert_int_equal(RMI_EXIT_SYNC, e->exit_reason);
	assert_int_equal(EC(0x01), e->esr);	/* TI = 0 (WFI) */
	assert_int_equal(0, e->hpfar | e->far);
}

/* enter.flags.trap_wfi/trap_wfe reach the run; a WFx exit reports EC + TI only. */
static void test_wfx_flags(void **state)
{
	struct one_exit x = { REALM_EXC_SYNC, EC(0x01) | IL | 0x1UL, 0, 0 };	/* WFE */
	const struct rmi_rec_exit *e;
	uint64_t pc;

	(void)state;
	run()->entry.flags = REC_ENTRY_FLAG_TRAP_WFI;
	e = enter(&x);
	assert_int_equal(1, x.saw_trap_wfi);
	assert_int_equal(0, x.saw_trap_wfe);
	assert_int_equal(EC(0x01) | 0x1UL, e->esr);
	run()->entry.flags = REC_ENTRY_FLAG_TRAP_WFE;
	pc = rec()->pc;
	e = enter(&x);
	assert_int_equal(0, x.saw_trap_wfi);
	assert_int_equal(1, x.saw_trap_wfe);
	assert_int_equal(pc + 4, rec()->pc);	/* resumes after the WFE */
	run()->entry.flags = 0;
	(void)enter(&x);
	assert_int_equal(0, x.saw_trap_wfi | x.saw_trap_wfe);
	/* WFIT (TI = 2, Rn = 3): the timeout in gprs[0] */
	rec()->regs[3] = 0x5151UL;
	x.esr = EC(0x01) | IL | (3UL << 5) | (1UL << 2) | 0x2UL;
	e = enter(&x);
	assert_int_equal(EC(0x01) | 0x2UL, e->esr);
	assert_int_equal(0x5151UL, e->gprs[0]);
}

/* HVC and trapped MSR/MRS (PMU, debug), SVE, SME: UNDEF in the realm, no exit. */
static void realm_traps_then_irq(struct rec *r, struct realm_exception *exc, void *arg)
{
	unsigned int *step = arg;
	static const uint64_t ecs[] = { 0x16, 0x18, 0x19, 0x1D };

	if (*step > 0U) {
		uint64_t ec = ecs[*step - 1U];

		/* the previous trap became an Unknown exception at VBAR_EL1 + 0x200 */
		assert_int_equal(IL, r->sysregs.esr_el1);
		assert_int_equal(0x7000UL + 0x200UL, r->pc);
		assert_int_equal((ec == 0x16) ? 0x4000UL - 4UL : 0x4000UL, r->sysregs.elr_el1);
		assert_int_equal(0x3C5UL, r->pstate);
	}
	if (*step == ARRAY_SIZE(ecs)) {
		exc->kind = REALM_EXC_IRQ;
		return;
	}
	r->sysregs.vbar_el1 = 0x7000UL;
	r->pc = 0x4000UL;	/* for HVC, ELR_EL2 is already past it */
	r->pstate = 0x3C5UL;
	exc->kind = REALM_EXC_SYNC;
	exc->esr = EC(ecs[*step]) | IL;
	(*step)++;
}

static void test_undef_injection(void **state)
{
	unsigned int step = 0;

	(void)state;
	fake_set_realm(realm_traps_then_irq, &step);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(RMI_EXIT_IRQ, run()->exit.exit_reason);
	assert_int_equal(4, step);
}

/* Timer state in exit.cnt* on every exit, whatever the reason (A6.2). */
static void realm_sets_timer(struct rec *r, struct realm_exception *exc, void *arg)
{
	(void)arg;
	r->timer.cntv_ctl = 0x5;	/* ENABLE | ISTATUS */
	r->timer.cntv_cval = 0x1234;
	r->timer.cntp_ctl = 0x3;
	r->timer.cntp_cval = 0x99;
	r->gic.vmcr = 0xF00;
	r->gic.misr = 0x2;
	r->gic.hcr = 0xFFFFFFFFUL;
	r->gic.lrs[1] = 0xA0000000000001BUL;
	exc->kind = REALM_EXC_IRQ;
}

static void test_timer_and_gic_reported(void **state)
{
	const struct rmi_rec_exit *e;
	uint32_t masked;

	(void)state;
	fake_set_realm(realm_sets_timer, NULL);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	e = &run()->exit;
	assert_int_equal(0x5, e->cntv_ctl);
	assert_int_equal(0x1234, e->cntv_cval);
	assert_int_equal(0x3, e->cntp_ctl);
	assert_int_equal(0x99, e->cntp_cval);
	assert_int_equal(0xF00, e->gicv3_vmcr);
	assert_int_equal(0x2, e->gicv3_misr);
	/* only EOIcount and the host-owned bits; never En */
	assert_int_equal(0xF80040FEUL, e->gicv3_hcr);
	assert_int_equal(0xA0000000000001BUL, e->gicv3_lrs[1]);

	/* entry: an asserted timer is masked in hardware, and unmasked for the report */
	assert_int_equal(0x7, timer_entry_ctl(0x5, &masked));
	assert_int_equal(1, masked);
	assert_int_equal(0x5, timer_exit_ctl(0x7, masked));
	assert_int_equal(0x1, timer_entry_ctl(0x1, &masked));	/* not firing: unchanged */
	assert_int_equal(0, masked);
	assert_int_equal(0x7, timer_entry_ctl(0x7, &masked));	/* realm masked it itself */
	assert_int_equal(0, masked);
	assert_int_equal(0x7, timer_exit_ctl(0x7, masked));
}

/* A6.1: HW = 1 in an LR or any HCR bit outside the host's makes REC_ENTER fail. */
static void test_gic_entry_validation(void **state)
{
	struct one_exit x = { REALM_EXC_IRQ, 0, 0, 0 };

	(void)state;
	fake_set_realm(realm_one_exit, &x);
	run()->entry.gicv3_lrs[2] = 1UL << 61;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	run()->entry.gicv3_lrs[2] = (1UL << 62) | (1UL << 60) | (0xA0UL << 48) | 27UL;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(run()->entry.gicv3_lrs[2], rec()->gic.lrs[2]);
	run()->entry.gicv3_hcr = 0x1;	/* En: the RMM's */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	run()->entry.gicv3_hcr = 0x40FEUL;	/* UIE..VGrp1DIE, TDIR */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0x40FEUL, rec()->gic.hcr);
}

/* The per-kind ESR masks on their own (the functions exit.c uses). */
static void test_esr_masks(void **state)
{
	(void)state;
	assert_int_equal(EC(0x24) | 0x07UL,
			 dabt_exit_esr(EC(0x24) | IL | (1UL << 6) | (1UL << 24) | 0x07UL, false));
	assert_int_equal(EC(0x24) | (1UL << 6) | (1UL << 24) | 0x07UL,
			 dabt_exit_esr(EC(0x24) | IL | (1UL << 6) | (1UL << 24) | (5UL << 16) |
				       (1UL << 21) | (1UL << 14) | 0x07UL, true));
	assert_int_equal(EC(0x20) | 0x0FUL, iabt_exit_esr(EC(0x20) | IL | (1UL << 7) | 0x0FUL));
	assert_int_equal(EC(0x2F), serror_exit_esr(EC(0x2F) | IL | (1UL << 13)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dabt_protected_non_emulatable, setup),
		cmocka_unit_test_setup(test_dabt_unprotected, setup),
		cmocka_unit_test_setup(test_iabt, setup),
		cmocka_unit_test_setup(test_no_stale_hpfar, setup),
		cmocka_unit_test_setup(test_wfx_flags, setup),
		cmocka_unit_test_setup(test_undef_injection, setup),
		cmocka_unit_test_setup(test_timer_and_gic_reported, setup),
		cmocka_unit_test_setup(test_gic_entry_validation, setup),
		cmocka_unit_test(test_esr_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
