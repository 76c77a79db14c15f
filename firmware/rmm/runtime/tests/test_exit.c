/*
 * REC exit hygiene (RMM v1.0 A4.3, A6.1, A6.2) with the fake host playing
 * the realm: exactly the ESR/HPFAR/FAR bits the spec lists per exit kind,
 * no stale HPFAR, HVC and trapped system registers become an Unknown
 * exception in the realm, enter.flags.trap_wfi/trap_wfe reach the run,
 * the realm's timer and GIC state are reported on every exit, invalid
 * enter.gicv3_* values make REC_ENTER fail, and enter.flags.emul_mmio /
 * inject_sea complete a data-abort exit exactly when A4.2.3 allows.
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

/*
 * A6.1: HW = 1 in an LR or any HCR bit outside the host's makes REC_ENTER
 * fail with RMI_ERROR_REC (B4.3.14 rec_gicv3).
 */
static void test_gic_entry_validation(void **state)
{
	struct one_exit x = { REALM_EXC_IRQ, 0, 0, 0 };

	(void)state;
	fake_set_realm(realm_one_exit, &x);
	run()->entry.gicv3_lrs[2] = 1UL << 61;
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	run()->entry.gicv3_lrs[2] = (1UL << 62) | (1UL << 60) | (0xA0UL << 48) | 27UL;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(run()->entry.gicv3_lrs[2], rec()->gic.lrs[2]);
	/* EOI (bit 41) is the one pINTID bit allowed with HW 0; an invalid LR may repeat a vINTID */
	run()->entry.gicv3_lrs[3] = (1UL << 62) | (1UL << 41) | 30UL;
	run()->entry.gicv3_lrs[4] = 27UL;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	run()->entry.gicv3_lrs[3] = 0;
	run()->entry.gicv3_lrs[4] = 0;
	run()->entry.gicv3_hcr = 0x1;	/* En: the RMM's */
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	run()->entry.gicv3_hcr = 0x40FEUL;	/* UIE..VGrp1DIE, TDIR */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0x40FEUL, rec()->gic.hcr);
}

/* What the realm looks like when it runs again after an abort exit. */
struct resume {
	uint64_t pc, pstate, esr_el1, far_el1, elr_el1, spsr_el1, x5;
	unsigned int runs;
};

static void realm_records_resume(struct rec *r, struct realm_exception *exc, void *arg)
{
	struct resume *s = arg;

	s->pc = r->pc;
	s->pstate = r->pstate;
	s->esr_el1 = r->sysregs.esr_el1;
	s->far_el1 = r->sysregs.far_el1;
	s->elr_el1 = r->sysregs.elr_el1;
	s->spsr_el1 = r->sysregs.spsr_el1;
	s->x5 = r->regs[5];
	s->runs++;
	exc->kind = REALM_EXC_IRQ;
}

#define ABT_PC		0x40001000UL
#define ABT_VBAR	0x40008000UL
#define ABT_FAR		0x7FFF0018UL
#define ISS_ISV		(1UL << 24)
#define ISS_SAS_DW	(3UL << 22)
#define ISS_SRT5	(5UL << 16)
#define ISS_SF		(1UL << 15)
#define ISS_WNR		(1UL << 6)
#define ISS_S1PTW	(1UL << 7)
#define ISS_FNV		(1UL << 10)
#define ISS_EA		(1UL << 9)

/* A data abort exit at `ipa` taken from `pstate`, with the realm's registers set. */
static const struct rmi_rec_exit *abort_exit_at(uint64_t ipa, uint64_t esr, uint64_t pstate)
{
	struct one_exit x = { REALM_EXC_SYNC, esr, ABT_FAR, (ipa >> 12) << 4 };

	rec()->pc = ABT_PC;
	rec()->pstate = pstate;
	rec()->sysregs.vbar_el1 = ABT_VBAR;
	rec()->regs[5] = 0x5555UL;
	run()->entry.flags = 0;
	return enter(&x);
}

static unsigned long enter_flags(uint64_t flags, struct resume *s)
{
	run()->entry.flags = flags;
	run()->entry.gprs[0] = 0xD47AUL;
	fake_set_realm(realm_records_resume, s);
	return rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL);
}

/*
 * INJECT_SEA after an emulatable read at an unprotected IPA: the realm
 * takes a synchronous external abort at its EL1 vector for the faulting
 * instruction (EA = 1, DFSC 0x10, the access's ISS kept, FnV and S1PTW
 * dropped, FAR = the VA), and emul_mmio, also set, is ignored: x5 keeps
 * its value and the PC does not move past the load.
 */
static void test_inject_sea_emulatable(void **state)
{
	uint64_t ipa = TEST_UNPROT | 0x0A000000UL;
	uint64_t iss = ISS_ISV | ISS_SAS_DW | ISS_SRT5 | ISS_SF | ISS_S1PTW | ISS_FNV;
	struct resume s = { 0 };
	const struct rmi_rec_exit *e;

	(void)state;
	e = abort_exit_at(ipa, EC(0x24) | IL | iss | 0x07UL, 0x3C5UL);	/* from EL1h */
	assert_int_equal(RMI_EXIT_SYNC, e->exit_reason);
	assert_int_equal(1, rec()->emulatable_abort);
	assert_rmi(RMI_SUCCESS, enter_flags(REC_ENTRY_FLAG_INJECT_SEA | REC_ENTRY_FLAG_EMUL_MMIO, &s));
	assert_int_equal(1, s.runs);
	assert_int_equal(EC(0x25) | IL | ISS_ISV | ISS_SAS_DW | ISS_SRT5 | ISS_SF | ISS_EA | 0x10UL,
			 s.esr_el1);
	assert_int_equal(ABT_FAR, s.far_el1);
	assert_int_equal(ABT_PC, s.elr_el1);		/* the load, not past it */
	assert_int_equal(0x3C5UL, s.spsr_el1);
	assert_int_equal(ABT_VBAR + 0x200UL, s.pc);	/* current EL, SPx, synchronous */
	assert_int_equal(0x3C5UL, s.pstate);
	assert_int_equal(0x5555UL, s.x5);		/* emul_mmio ignored */
	/* consumed: the next entry (after an IRQ exit) may not inject again */
	assert_rmi(RMI_ERROR_REC, enter_flags(REC_ENTRY_FLAG_INJECT_SEA, &s));
	assert_int_equal(1, s.runs);
}

/* From EL0, after a non-emulatable write (ISV = 0): EC 0x24, vector + 0x400, WnR kept. */
static void test_inject_sea_from_el0(void **state)
{
	uint64_t ipa = TEST_UNPROT | 0x0A000000UL;
	struct resume s = { 0 };

	(void)state;
	(void)abort_exit_at(ipa, EC(0x24) | IL | ISS_WNR | 0x0FUL, 0x0UL);	/* EL0t */
	assert_int_equal(0, rec()->emulatable_abort);
	assert_rmi(RMI_SUCCESS, enter_flags(REC_ENTRY_FLAG_INJECT_SEA, &s));
	assert_int_equal(EC(0x24) | IL | ISS_WNR | ISS_EA | 0x10UL, s.esr_el1);
	assert_int_equal(ABT_VBAR + 0x400UL, s.pc);
	assert_int_equal(0x0UL, s.spsr_el1);
}

/*
 * INJECT_SEA is refused (RMI_ERROR_REC, the REC does not run, nothing
 * changes) unless the last exit was a data abort at an unprotected IPA:
 * after one at a protected IPA, an instruction abort, an IRQ, a host call.
 */
static void test_inject_sea_refused(void **state)
{
	struct one_exit iabt = { REALM_EXC_SYNC, EC(0x20) | IL | 0x07UL, ABT_FAR,
				 ((TEST_IPA_BASE + 0x5000) >> 12) << 4 };
	struct one_exit irq = { REALM_EXC_IRQ, 0, 0, 0 };
	struct resume s = { 0 };

	(void)state;
	(void)abort_exit_at(TEST_IPA_BASE + 0x5000, EC(0x24) | IL | 0x07UL, 0x3C5UL);
	assert_rmi(RMI_ERROR_REC, enter_flags(REC_ENTRY_FLAG_INJECT_SEA, &s));
	assert_int_equal(0, s.runs);
	assert_int_equal(ABT_PC, rec()->pc);
	assert_int_equal(0, rec()->sysregs.esr_el1);
	run()->entry.flags = 0;
	(void)enter(&iabt);
	assert_rmi(RMI_ERROR_REC, enter_flags(REC_ENTRY_FLAG_INJECT_SEA, &s));
	run()->entry.flags = 0;
	(void)enter(&irq);
	assert_rmi(RMI_ERROR_REC, enter_flags(REC_ENTRY_FLAG_INJECT_SEA, &s));
	assert_int_equal(0, s.runs);
	/* the REC is still usable: an entry without the flag runs it */
	assert_rmi(RMI_SUCCESS, enter_flags(0, &s));
	assert_int_equal(1, s.runs);
}

/* First run: an instruction abort at `ipa`; second: record how the realm resumed, IRQ. */
struct iabt_then_record {
	uint64_t ipa, ifsc;
	struct resume s;
	unsigned int step;
};

static void realm_iabt_then_record(struct rec *r, struct realm_exception *exc, void *arg)
{
	struct iabt_then_record *t = arg;

	if (t->step++ == 0U) {
		exc->kind = REALM_EXC_SYNC;
		exc->esr = EC(0x20) | IL | t->ifsc;
		exc->far = ABT_FAR;
		exc->hpfar = (t->ipa >> 12) << 4;
		return;
	}
	realm_records_resume(r, exc, &t->s);
}

/* First run: an AArch32 MRC trap (EC 0x03, 16-bit); second: record, IRQ. */
static void realm_a32_trap_then_record(struct rec *r, struct realm_exception *exc, void *arg)
{
	struct iabt_then_record *t = arg;

	if (t->step++ == 0U) {
		exc->kind = REALM_EXC_SYNC;
		exc->esr = EC(0x03) | (0xEUL << 20) | BIT(24) | 1UL;
		return;
	}
	realm_records_resume(r, exc, &t->s);
}

/*
 * A5.2.6, A5.2.9: an instruction fetch from an Unprotected IPA is always
 * an SEA taken to the realm, never a REC exit (the host could not answer
 * it: inject_sea is refused after an instruction abort).  Unmapped
 * (translation fault) and ASSIGNED_NS (XN: permission fault) alike.
 */
static void test_iabt_unprotected_is_sea(void **state)
{
	static const uint64_t ifsc[] = { 0x07UL, 0x0FUL };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ifsc); i++) {
		struct iabt_then_record t = { TEST_UNPROT | 0x0A000000UL, ifsc[i], { 0 }, 0 };

		rec()->pc = ABT_FAR;
		rec()->pstate = 0x3C5UL;
		rec()->sysregs.vbar_el1 = ABT_VBAR;
		run()->entry.flags = 0;
		fake_set_realm(realm_iabt_then_record, &t);
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
		assert_int_equal(2, t.step);			/* no exit in between */
		assert_int_equal(RMI_EXIT_IRQ, run()->exit.exit_reason);
		assert_int_equal(EC(0x21) | IL | ISS_EA | 0x10UL, t.s.esr_el1);
		assert_int_equal(ABT_FAR, t.s.far_el1);
		assert_int_equal(ABT_FAR, t.s.elr_el1);		/* the fetch itself */
		assert_int_equal(ABT_VBAR + 0x200UL, t.s.pc);
		assert_int_equal(0, run()->exit.esr | run()->exit.hpfar);
	}
}

/* EMUL_MMIO: a read gets enter.gprs[0] and resumes after the load; only after an emulatable abort. */
static void test_emul_mmio(void **state)
{
	uint64_t ipa = TEST_UNPROT | 0x0A000000UL;
	struct resume s = { 0 };

	(void)state;
	(void)abort_exit_at(ipa, EC(0x24) | IL | ISS_WNR | 0x07UL, 0x3C5UL);	/* ISV = 0 */
	assert_rmi(RMI_ERROR_REC, enter_flags(REC_ENTRY_FLAG_EMUL_MMIO, &s));
	assert_int_equal(0, s.runs);
	(void)abort_exit_at(ipa, EC(0x24) | IL | ISS_ISV | ISS_SAS_DW | ISS_SRT5 | ISS_SF | 0x07UL,
			    0x3C5UL);
	assert_rmi(RMI_SUCCESS, enter_flags(REC_ENTRY_FLAG_EMUL_MMIO, &s));
	assert_int_equal(0xD47AUL, s.x5);
	assert_int_equal(ABT_PC + 4UL, s.pc);
	assert_int_equal(0, s.esr_el1);		/* no exception taken */
	assert_rmi(RMI_ERROR_REC, enter_flags(REC_ENTRY_FLAG_EMUL_MMIO, &s));	/* consumed */
}

/*
 * AArch32 (T32) code at the realm's EL0: a trapped 16-bit instruction has
 * ESR_EL2.IL = 0 and the REC resumes 2 bytes on; exceptions the RMM
 * injects are taken at the lower-EL AArch32 vector (VBAR_EL1 + 0x600)
 * with the trapped instruction's IL.
 */
#define PSTATE_A32_USR_T	0x30UL

static void test_aarch32_el0(void **state)
{
	uint64_t ipa = TEST_UNPROT | 0x0A000000UL;
	struct one_exit wfi = { REALM_EXC_SYNC, EC(0x01) | (0xEUL << 20) | BIT(24), 0, 0 };
	struct iabt_then_record t = { 0 };
	struct resume s = { 0 };
	uint64_t pc;

	(void)state;
	/* 16-bit WFI, trapped: resume after it, 2 bytes on */
	rec()->pstate = PSTATE_A32_USR_T;
	pc = rec()->pc;
	run()->entry.flags = REC_ENTRY_FLAG_TRAP_WFI;
	(void)enter(&wfi);
	assert_int_equal(pc + 2, rec()->pc);
	/* 16-bit load emulated by the host: resume 2 bytes on */
	(void)abort_exit_at(ipa, EC(0x24) | ISS_ISV | (2UL << 22) | (1UL << 16) | 0x07UL,
			    PSTATE_A32_USR_T);
	assert_rmi(RMI_SUCCESS, enter_flags(REC_ENTRY_FLAG_EMUL_MMIO, &s));
	assert_int_equal(ABT_PC + 2UL, s.pc);
	/* an SEA for it instead: at VBAR_EL1 + 0x600, IL 0, SPSR = its PSTATE */
	(void)abort_exit_at(ipa, EC(0x24) | ISS_ISV | (2UL << 22) | (1UL << 16) | 0x07UL,
			    PSTATE_A32_USR_T);
	assert_rmi(RMI_SUCCESS, enter_flags(REC_ENTRY_FLAG_INJECT_SEA, &s));
	assert_int_equal(ABT_VBAR + 0x600UL, s.pc);
	assert_int_equal(EC(0x24) | ISS_ISV | (2UL << 22) | (1UL << 16) | ISS_EA | 0x10UL,
			 s.esr_el1);
	assert_int_equal(PSTATE_A32_USR_T, s.spsr_el1);
	assert_int_equal(ABT_PC, s.elr_el1);
	/* a trapped MRC p15 (PMU, MDCR_EL2.TPM; EC 0x03): UNDEF there, no exit */
	rec()->pc = ABT_PC;
	rec()->pstate = PSTATE_A32_USR_T;
	rec()->sysregs.vbar_el1 = ABT_VBAR;
	t.ifsc = 0;
	fake_set_realm(realm_a32_trap_then_record, &t);
	run()->entry.flags = 0;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(2, t.step);
	assert_int_equal(RMI_EXIT_IRQ, run()->exit.exit_reason);
	assert_int_equal(0, t.s.esr_el1);			/* EC 0, IL 0 (16-bit) */
	assert_int_equal(ABT_PC, t.s.elr_el1);
	assert_int_equal(ABT_VBAR + 0x600UL, t.s.pc);
}

/*
 * A6.1: writes to ICC_SGI1R_EL1 / ASGI1R / SGI0R (trapped by HCR_EL2.IMO)
 * and ICC_DIR_EL1 (trapped when the host set TDIR) are the host's to carry
 * out: RMI_EXIT_SYNC with ESR_EL2 less Rt and the value in gprs[0], the
 * REC resuming after the MSR (as TF-RMM).  A read is still an UNDEF.
 */
struct sysreg_then_record {
	uint64_t esr;
	struct resume s;
	unsigned int step;
};

static void realm_sysreg_then_record(struct rec *r, struct realm_exception *exc, void *arg)
{
	struct sysreg_then_record *t = arg;

	if (t->step++ == 0U) {
		exc->kind = REALM_EXC_SYNC;
		exc->esr = t->esr;
		return;
	}
	realm_records_resume(r, exc, &t->s);
}

#define SYSREG_ISS(op0, op1, crn, crm, op2, rt, rd) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((uint64_t)(rt) << 5) | \
	 ((crm) << 1) | (rd))

static void test_gic_writes_exit(void **state)
{
	uint64_t sgi = EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 12UL, 11UL, 5UL, 3, 0UL);
	uint64_t dir = EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 12UL, 11UL, 1UL, 31, 0UL);
	struct sysreg_then_record t = { sgi, { 0 }, 0 };
	const struct rmi_rec_exit *e = &run()->exit;

	(void)state;
	rec()->regs[3] = 0x10000FFUL;		/* INTID 1, target list 0xFF */
	rec()->pc = ABT_PC;
	rec()->pstate = 0x3C5UL;
	rec()->sysregs.vbar_el1 = ABT_VBAR;
	fake_set_realm(realm_sysreg_then_record, &t);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(1, t.step);		/* an exit right after the MSR */
	assert_int_equal(RMI_EXIT_SYNC, e->exit_reason);
	assert_int_equal(EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 12UL, 11UL, 5UL, 0, 0UL), e->esr);
	assert_int_equal(0x10000FFUL, e->gprs[0]);
	assert_int_equal(0, e->far | e->hpfar | e->gprs[1]);
	assert_int_equal(ABT_PC + 4, rec()->pc);
	/* ICC_DIR_EL1 with TDIR, from XZR */
	t.esr = dir;
	t.step = 0;
	run()->entry.gicv3_hcr = 1UL << 14;	/* TDIR */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(1, t.step);
	assert_int_equal(EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 12UL, 11UL, 1UL, 0, 0UL), e->esr);
	assert_int_equal(0, e->gprs[0]);
	run()->entry.gicv3_hcr = 0;
	/* reading a write-only register: UNDEF in the realm, no exit */
	t.esr = sgi | 1UL;
	t.step = 0;
	rec()->pc = ABT_PC;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(2, t.step);
	assert_int_equal(RMI_EXIT_IRQ, e->exit_reason);
	assert_int_equal(IL, t.s.esr_el1);
	assert_int_equal(ABT_PC, t.s.elr_el1);
}

/*
 * A3.1.3: ID register reads (HCR_EL2.TID3) are emulated: the CPU's value
 * (all fields set in the fake host) less SVE, SME, PMU, PAuth, MTE...;
 * the REC goes on after the MRS without an exit.  A pointer-authentication
 * trap (EC 0x09) is an UNDEF.
 */
static void test_id_registers(void **state)
{
	uint64_t pfr0 = EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 0UL, 4UL, 0UL, 4, 1UL);
	struct sysreg_then_record t = { pfr0, { 0 }, 0 };

	(void)state;
	rec()->pc = ABT_PC;
	rec()->pstate = 0x3C5UL;
	rec()->sysregs.vbar_el1 = ABT_VBAR;
	fake_set_realm(realm_sysreg_then_record, &t);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(2, t.step);			/* no exit for the read */
	assert_int_equal(RMI_EXIT_IRQ, run()->exit.exit_reason);
	assert_int_equal(ABT_PC + 4, t.s.pc);
	assert_int_equal(0, t.s.esr_el1);		/* no exception */
	/* SVE [35:32], SEL2, MPAM, AMU [47:32] and RME [55:52] read as 0 */
	assert_int_equal(~0UL & ~(0xFFFFUL << 32) & ~(0xFUL << 52), rec()->regs[4]);
	/* ID_AA64ZFR0_EL1 into XZR and x2: 0 */
	t.esr = EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 0UL, 4UL, 4UL, 2, 1UL);
	t.step = 0;
	rec()->regs[2] = 0x5A5AUL;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(0, rec()->regs[2]);
	/* a write to an ID register, and PAuth (EC 0x09): UNDEF */
	t.esr = EC(0x18) | IL | SYSREG_ISS(3UL, 0UL, 0UL, 4UL, 0UL, 4, 0UL);
	t.step = 0;
	rec()->pc = ABT_PC;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(IL, t.s.esr_el1);
	assert_int_equal(ABT_VBAR + 0x200UL, t.s.pc);
	t.esr = EC(0x09) | IL;
	t.step = 0;
	rec()->pc = ABT_PC;
	rec()->pstate = 0x3C5UL;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_ENTER, rec_pa, run_pa, 0, 0, 0, NULL));
	assert_int_equal(2, t.step);
	assert_int_equal(IL, t.s.esr_el1);
	assert_int_equal(ABT_PC, t.s.elr_el1);
	/* the values on their own */
	assert_int_equal(0, idreg_realm_value(4U, 5U, ~0UL));			/* SMFR0 */
	assert_int_equal(0, (idreg_realm_value(4U, 1U, ~0UL) >> 24) & 0xFUL);	/* SME */
	assert_int_equal(0, (idreg_realm_value(5U, 0U, ~0UL) >> 8) & 0xFUL);	/* PMUVer */
	assert_int_equal(0xFUL, idreg_realm_value(5U, 0U, ~0UL) & 0xFUL);	/* DebugVer kept */
	assert_int_equal(0, (idreg_realm_value(6U, 1U, ~0UL) >> 4) & 0xFFUL);	/* APA, API */
	assert_int_equal(~0UL, idreg_realm_value(7U, 0U, ~0UL));		/* MMFR0 as is */
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
		cmocka_unit_test_setup(test_iabt_unprotected_is_sea, setup),
		cmocka_unit_test_setup(test_no_stale_hpfar, setup),
		cmocka_unit_test_setup(test_wfx_flags, setup),
		cmocka_unit_test_setup(test_undef_injection, setup),
		cmocka_unit_test_setup(test_timer_and_gic_reported, setup),
		cmocka_unit_test_setup(test_gic_entry_validation, setup),
		cmocka_unit_test_setup(test_inject_sea_emulatable, setup),
		cmocka_unit_test_setup(test_inject_sea_from_el0, setup),
		cmocka_unit_test_setup(test_inject_sea_refused, setup),
		cmocka_unit_test_setup(test_emul_mmio, setup),
		cmocka_unit_test_setup(test_aarch32_el0, setup),
		cmocka_unit_test_setup(test_gic_writes_exit, setup),
		cmocka_unit_test_setup(test_id_registers, setup),
		cmocka_unit_test(test_esr_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
