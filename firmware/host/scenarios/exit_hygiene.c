/*
 * Scenario "exit_hygiene" (host-exit_hygiene.elf, test fw_exit_hygiene):
 * one realm of the "work" payload probes what a realm can do to the host
 * and what the host learns (RMM v1.0 A4.3, A6.2):
 *  - HVC, semihosting HLT #0xF000, MDSCR_EL1 and PMU writes: an UNDEF in
 *    the realm each (the realm reports it), no exit, and the run goes on;
 *  - a host call with the realm's timers programmed: exit.cnt* carry them,
 *    the host's own CNTV and CNTP registers, MDSCR_EL1, PMCR, FAR/HPFAR_EL2
 *    show nothing of the realm, the host's cycle counter (EL0/EL1 only)
 *    did not count the realm's execution, exit.esr/far/hpfar are zero;
 *  - an emulatable MMIO store: exactly EC, ISV, SAS, SF, WnR, DFSC, FAR
 *    within the granule, HPFAR, the data in gprs[0]; completed with
 *    enter.flags.emul_mmio;
 *  - an emulatable MMIO load the host refuses: enter.flags.inject_sea
 *    (with emul_mmio, which must be ignored) makes it an SEA in the realm
 *    (the realm checks ESR_EL1/FAR_EL1 and that the load did not happen);
 *    INJECT_SEA after a host call or a protected-IPA abort is refused
 *    with RMI_ERROR_REC and the realm does not run;
 *  - a breakpoint the host sets on realm code (with its MDSCR_EL1.MDE/KDE)
 *    does not fire in the realm (the realm reports it);
 *  - a realm's ICC_SGI1R_EL1 write: exit with the register and the value
 *    (the host delivers SGIs), the realm resumes after it;
 *  - a WFI with trap_wfi (twice: a 16-bit T32 one at the realm's EL0,
 *    which must resume 2 bytes on, and an A64 one): exit.esr = EC 1, TI 0, nothing else;
 *  - a write to protected unassigned RAM: EC and DFSC only (no IL, no WnR);
 *  - the next exit (a host call) has no stale HPFAR.
 */
#include "host.h"

#define WORK_HYGIENE	4UL
#define HC_TIMER	0x7EU
#define HC_DONE		0xD0U
#define HC_DEBUG	0xDBU
#define MMIO_IPA	(REALM_UNPROTECTED | 0x0A000018UL)
#define SEA_IPA		(REALM_UNPROTECTED | 0x0A001000UL)
#define NR_CHECKS	24U

extern const uint8_t realm_work_start[], realm_work_end[];

int host_main(void);

static struct host_realm realm;
static unsigned int checks;
static uint64_t host_pmcr;

/*
 * The host's own cycle counter, counting at EL0 and EL1 only (PMCCFILTR:
 * M excludes EL3, NSH = 0 excludes EL2): the host runs at EL2, so it may
 * only move if the host's PMU counts what the realm does at EL1.
 */
static void pmu_watch_realm(void)
{
	write_sysreg(pmccfiltr_el0, BIT(26));
	write_sysreg(pmccntr_el0, 0UL);
	write_sysreg(pmcntenset_el0, BIT(31));
	host_pmcr = read_sysreg(pmcr_el0) | 1UL;	/* E */
	write_sysreg(pmcr_el0, host_pmcr);
	isb();
}

static void check(bool ok, const char *what, uint64_t v)
{
	checks++;
	fw_printf("[host] exit hygiene: %s: 0x%lx %s\n", what, v, ok ? "ok" : "WRONG");
	if (!ok) {
		host_count_failure();
	}
}

/* REC_ENTER with INJECT_SEA where the last exit was no unprotected data abort. */
static void inject_sea_refused(struct host_realm *r, unsigned int k, struct rmi_rec_run *run,
			       const char *after)
{
	unsigned long ret;

	run->entry.flags = REC_ENTRY_FLAG_INJECT_SEA;
	ret = rmi(SMC_RMI_REC_ENTER, r->rec[k], r->run[k], 0, 0, 0, NULL);
	fw_printf("[host] exit hygiene: INJECT_SEA after %s: REC_ENTER status %lu\n", after, ret);
	check(ret == RMI_ERROR_REC, "INJECT_SEA refused (RMI_ERROR_REC)", ret);
	run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI;
}

/*
 * A hostile host's self-hosted debug state: OS lock off, MDSCR_EL1.MDE and
 * KDE, breakpoint 0 on a realm address (EL1 and EL0, any security state).
 * The realm reports whether it took a debug exception.
 */
static void debug_arm(uint64_t va)
{
	write_sysreg(oslar_el1, 0UL);
	write_sysreg(dbgbvr0_el1, va);
	write_sysreg(dbgbcr0_el1, (0xFUL << 5) | (0x3UL << 1) | 1UL);	/* BAS, PMC, E */
	write_sysreg(mdscr_el1, BIT(15) | BIT(13));			/* MDE, KDE */
	isb();
}

static void debug_disarm(void)
{
	write_sysreg(dbgbcr0_el1, 0UL);
	write_sysreg(mdscr_el1, 0UL);
	isb();
}

static bool hygiene_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;

	run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI;
	debug_disarm();
	if (e->exit_reason == RMI_EXIT_HOST_CALL && e->imm == HC_DEBUG) {
		debug_arm(e->gprs[0]);
		return false;
	}
	if (e->exit_reason == RMI_EXIT_HOST_CALL && e->imm == HC_TIMER) {
		check(e->cntv_ctl == 1UL, "HOST_CALL: exit.cntv_ctl (realm: enabled)", e->cntv_ctl);
		check(e->cntv_cval == e->gprs[0], "HOST_CALL: exit.cntv_cval = the realm's", e->cntv_cval);
		check(e->cntp_ctl == 2UL, "HOST_CALL: exit.cntp_ctl (realm: masked)", e->cntp_ctl);
		check(e->cntp_cval == 0x7777000UL, "HOST_CALL: exit.cntp_cval", e->cntp_cval);
		check((read_sysreg(cntv_ctl_el0) | read_sysreg(cntv_cval_el0)) == 0UL,
		      "host CNTV_CTL|CNTV_CVAL_EL0 (scrubbed)", read_sysreg(cntv_cval_el0));
		check((read_sysreg(cntp_ctl_el0) | read_sysreg(cntp_cval_el0)) == 0UL,
		      "host CNTP_CTL|CNTP_CVAL_EL0 (scrubbed)", read_sysreg(cntp_cval_el0));
		check(read_sysreg(mdscr_el1) == 0UL, "host MDSCR_EL1 (realm wrote 0x8000)",
		      read_sysreg(mdscr_el1));
		check(read_sysreg(pmcr_el0) == host_pmcr && read_sysreg(pmccntr_el0) == 0UL,
		      "host PMCR_EL0 as set, its EL0/EL1 cycle counter did not count the realm",
		      read_sysreg(pmccntr_el0));
		check(read_sysreg(S3_4_C12_C1_1) == 0UL, "host VDISR_EL2 (realm wrote DISR_EL1 0x80000123)",
		      read_sysreg(S3_4_C12_C1_1));
		write_sysreg(S3_4_C12_C1_1, 0x5EC2E7UL);	/* the realm must not read this back */
		check((e->esr | e->far | e->hpfar) == 0UL, "HOST_CALL: exit.esr|far|hpfar", e->hpfar);
		check((read_sysreg(far_el2) | read_sysreg(hpfar_el2)) == 0UL,
		      "host FAR_EL2|HPFAR_EL2 after the exit", read_sysreg(hpfar_el2));
		inject_sea_refused(r, k, run, "a host call");
		return false;
	}
	if (e->exit_reason == RMI_EXIT_HOST_CALL && e->imm == HC_DONE) {
		check(e->hpfar == 0UL && e->far == 0UL, "HOST_CALL after an abort: no stale HPFAR",
		      e->hpfar);
		check(e->gprs[0] == 0x1234UL, "realm's on-demand page holds its write", e->gprs[0]);
		return false;
	}
	if (e->exit_reason != RMI_EXIT_SYNC) {
		return false;
	}
	if ((e->esr >> 26) == 0x24UL && e->hpfar == ((MMIO_IPA >> 12) << 4)) {
		check((e->esr & ~0x3FUL) == 0x91C08040UL && (e->esr & 0x3CUL) == 0x4UL,
		      "MMIO store: exit.esr = EC|ISV|SAS=3|SF|WnR|DFSC", e->esr);
		check(e->far == (MMIO_IPA & GRANULE_MASK), "MMIO store: exit.far (granule offset)", e->far);
		check(e->gprs[0] == 0xA5A5UL, "MMIO store: exit.gprs[0] = data", e->gprs[0]);
		run->entry.flags |= REC_ENTRY_FLAG_EMUL_MMIO;
		return true;
	}
	if ((e->esr >> 26) == 0x24UL && e->hpfar == ((SEA_IPA >> 12) << 4)) {
		check((e->esr & ~0x3FUL) == 0x91C08000UL && (e->esr & 0x3CUL) == 0x4UL,
		      "MMIO load: exit.esr = EC|ISV|SAS=3|SF|DFSC (no WnR)", e->esr);
		check(e->far == 0UL && e->gprs[0] == 0UL, "MMIO load: exit.far 0 (offset), no data",
		      e->far | e->gprs[0]);
		/* Not emulated: an SEA for the realm; emul_mmio must then be ignored. */
		run->entry.flags |= REC_ENTRY_FLAG_INJECT_SEA | REC_ENTRY_FLAG_EMUL_MMIO;
		run->entry.gprs[0] = 0x5EA5EAUL;
		return true;
	}
	if ((e->esr >> 26) == 0x18UL) {
		/* ICC_SGI1R_EL1 (op0 3, op1 0, CRn 12, CRm 11, op2 5), write, Rt cleared */
		check(e->esr == ((0x18UL << 26) | BIT(25) | (3UL << 20) | (5UL << 17) | (12UL << 10) |
				 (11UL << 1)) && e->gprs[0] == 0x3000001UL &&
		      (e->far | e->hpfar) == 0UL,
		      "ICC_SGI1R_EL1 write: exit.esr = EC|IL|register (no Rt), gprs[0] = value",
		      e->esr);
		return true;
	}
	if ((e->esr >> 26) == 0x01UL) {
		check(e->esr == (0x01UL << 26) && (e->far | e->hpfar) == 0UL,
		      "WFI (trapped): exit.esr = EC 1, TI 0; no FAR/HPFAR", e->esr);
		return true;
	}
	if ((e->esr >> 26) == 0x24UL) {
		check(e->esr == 0x90000007UL && e->far == 0UL &&
		      e->hpfar == ((r->lazy_ipa >> 12) << 4),
		      "protected write: exit.esr = EC|DFSC only, HPFAR", e->esr);
		inject_sea_refused(r, k, run, "an abort at a protected IPA");
	}
	return false;	/* the on-demand page: the default handler maps it */
}

int host_main(void)
{
	static const struct realm_image img = { realm_work_start, realm_work_end };

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	realm_build(&realm, 0U, &img, 1U, WORK_HYGIENE);
	pmu_watch_realm();
	((struct rmi_rec_run *)(uintptr_t)realm.run[0])->entry.flags = REC_ENTRY_FLAG_TRAP_WFI;
	realms_run(&realm, 1U, hygiene_exit);
	fw_printf("[host] exit hygiene: %u checks\n", checks);
	if (checks != NR_CHECKS) {
		host_fail("not every exit kind was seen", checks);
	}
	realm_teardown(&realm);
	if (host_nr_delegated() != 0U) {
		host_fail("granules left delegated", host_nr_delegated());
	}
	return host_result();
}
