/*
 * RMM platform layer for QEMU virt at Realm EL2: boot (memory layout from
 * the monitor, stage-1 map in mmu.c), EL3 calls, stage-2 TLB maintenance,
 * REC entry/exit and the RMI request loop.
 */
#include <arch_helpers.h>
#include <attest_el3.h>
#include <console.h>
#include <granule.h>
#include <mmu.h>
#include <plat.h>
#include <plat_memory.h>
#include <realm.h>
#include <rmm_csm.h>
#include <rmm-el3-ifc.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>

/* VTCR_EL2 fields (the same layout as TCR's TTBR0 fields). */
#define TCR_IRGN0_WB	(1UL << 8)
#define TCR_ORGN0_WB	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)

#define HCR_VM		BIT(0)
#define HCR_SWIO	BIT(1)
#define HCR_FMO		BIT(3)
#define HCR_IMO		BIT(4)
#define HCR_AMO		BIT(5)
#define HCR_TSC		BIT(19)
#define HCR_TID3	BIT(18)		/* ID registers: emulated (core/idreg.c) */
#define HCR_RW		BIT(31)
#define HCR_TWI		BIT(13)
#define HCR_TWE		BIT(14)
#define HCR_FWB		BIT(46)		/* stage 2 forces memory types (FEAT_S2FWB) */
#define CPTR_TZ		BIT(8)		/* CPTR_EL2 (E2H = 0): trap SVE */
#define CPTR_TFP	BIT(10)		/* trap FP/SIMD */
#define CPTR_TSM	BIT(12)		/* trap SME */
#define HCR_REALM	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_TID3 | HCR_TSC | \
			 HCR_RW | HCR_FWB)
/* MDCR_EL2 while a realm runs: PMU, debug and OS-lock registers trap to EL2. */
#define MDCR_TPMCR	BIT(5)
#define MDCR_TPM	BIT(6)
#define MDCR_TDA	BIT(9)
#define MDCR_TDOSA	BIT(10)
#define MDCR_TDRA	BIT(11)
#define MDCR_HPMN_MASK	0x1FUL
#define MDCR_REALM	(MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)
#define ICH_HCR_EN	BIT(0)
#define PMCR_E		BIT(0)

/* The memory layout the monitor passed at the cold boot (boot_mem.h). */
static struct boot_mem rmm_mem;
/* The host's FP/SIMD registers while a REC runs on this CPU. */
static struct fp_regs host_fp[PLAT_MAX_CPUS];

unsigned int run_realm(struct rec *rec);
void rmm_main(uint64_t dram_base, uint64_t dram_size, uint64_t ns_base, uint64_t ns_size)
	__attribute__((noreturn));
void rmm_warm_main(unsigned int cpu) __attribute__((noreturn));
void rmm_exception(void) __attribute__((noreturn));

void *plat_granule_va(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

void *plat_ns_va(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + PLAT_NS_ALIAS);
}

static long el3_call(uint64_t fid, uint64_t arg)
{
	uint64_t regs[8] = { fid, arg, 0, 0, 0, 0, 0, 0 };

	smc_call(regs);
	return (long)regs[0];
}

int plat_gtsi_delegate(uint64_t pa)
{
	return (el3_call(SMC_RMM_GTSI_DELEGATE, pa) == E_RMM_OK) ? 0 : -1;
}

int plat_gtsi_undelegate(uint64_t pa)
{
	return (el3_call(SMC_RMM_GTSI_UNDELEGATE, pa) == E_RMM_OK) ? 0 : -1;
}

/* Invalidate stage 1+2 for the VMID: coarse but always correct. */
void plat_s2_tlbi_vmid(unsigned int vmid)
{
	dsb_ishst();
	write_sysreg(vttbr_el2, (uint64_t)vmid << 48);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" : : : "memory");
	dsb_ish();
	isb();
}

/* Beyond this many pages a VMID-wide flush is cheaper than one TLBI each. */
#define TLBI_MAX_PAGES	64UL

void plat_s2_tlbi_pages(unsigned int vmid, uint64_t ipa, unsigned long size)
{
	uint64_t a;

	/* TLBI IPAS2E1IS acts on the VMID in VTTBR_EL2: select it first. */
	dsb_ishst();
	write_sysreg(vttbr_el2, (uint64_t)vmid << 48);
	isb();
	for (a = ipa; a < ipa + size; a += GRANULE_SIZE) {
		__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(a >> GRANULE_SHIFT) : "memory");
	}
	dsb_ish();
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb_ish();
	isb();
}

void plat_s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, unsigned long size)
{
	if (size / GRANULE_SIZE <= TLBI_MAX_PAGES) {
		plat_s2_tlbi_pages(vmid, ipa, size);
	} else {
		plat_s2_tlbi_vmid(vmid);
	}
}

int plat_entropy(void *buf, size_t len)
{
	uint8_t *b = buf;
	size_t i;

	if (((read_sysreg(id_aa64isar0_el1) >> 60) & 0xFUL) == 0UL) {
		return -1;	/* no FEAT_RNG */
	}
	for (i = 0U; i < len; i += 8U) {
		uint64_t v = 0UL, ok = 0UL;
		unsigned int tries, k;

		/* RNDR sets Z (and returns 0) when it has no entropy yet: retry. */
		for (tries = 0U; tries < 1000U && ok == 0UL; tries++) {
			__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
					 : "=r"(v), "=r"(ok) : : "cc");
		}
		if (ok == 0UL) {
			return -1;
		}
		for (k = 0U; k < 8U && i + k < len; k++) {
			b[i + k] = (uint8_t)(v >> (8U * k));
		}
	}
	return 0;
}

static void el1_restore(const struct rec_sysregs *s)
{
	write_sysreg(sctlr_el1, s->sctlr_el1);
	write_sysreg(tcr_el1, s->tcr_el1);
	write_sysreg(ttbr0_el1, s->ttbr0_el1);
	write_sysreg(ttbr1_el1, s->ttbr1_el1);
	write_sysreg(mair_el1, s->mair_el1);
	write_sysreg(amair_el1, s->amair_el1);
	write_sysreg(vbar_el1, s->vbar_el1);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(esr_el1, s->esr_el1);
	write_sysreg(far_el1, s->far_el1);
	write_sysreg(cpacr_el1, s->cpacr_el1);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(contextidr_el1, s->contextidr_el1);
	write_sysreg(par_el1, s->par_el1);
	write_sysreg(afsr0_el1, s->afsr0_el1);
	write_sysreg(afsr1_el1, s->afsr1_el1);
	write_sysreg(cntkctl_el1, s->cntkctl_el1);
	write_sysreg(csselr_el1, s->csselr_el1);
	write_sysreg(vmpidr_el2, s->vmpidr_el2);
	write_sysreg(S3_4_C12_C1_1, s->vdisr_el2);	/* VDISR_EL2 */
}

static void el1_save(struct rec_sysregs *s)
{
	s->sctlr_el1 = read_sysreg(sctlr_el1);
	s->tcr_el1 = read_sysreg(tcr_el1);
	s->ttbr0_el1 = read_sysreg(ttbr0_el1);
	s->ttbr1_el1 = read_sysreg(ttbr1_el1);
	s->mair_el1 = read_sysreg(mair_el1);
	s->amair_el1 = read_sysreg(amair_el1);
	s->vbar_el1 = read_sysreg(vbar_el1);
	s->sp_el1 = read_sysreg(sp_el1);
	s->sp_el0 = read_sysreg(sp_el0);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->esr_el1 = read_sysreg(esr_el1);
	s->far_el1 = read_sysreg(far_el1);
	s->cpacr_el1 = read_sysreg(cpacr_el1);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->contextidr_el1 = read_sysreg(contextidr_el1);
	s->par_el1 = read_sysreg(par_el1);
	s->afsr0_el1 = read_sysreg(afsr0_el1);
	s->afsr1_el1 = read_sysreg(afsr1_el1);
	s->cntkctl_el1 = read_sysreg(cntkctl_el1);
	s->csselr_el1 = read_sysreg(csselr_el1);
	s->vdisr_el2 = read_sysreg(S3_4_C12_C1_1);	/* VDISR_EL2 */
}

/*
 * After a REC run the EL1 registers still hold the realm's values, and the
 * monitor swaps only EL2 state: the host, back at Normal EL2, could read
 * the realm's TTBRs, stack pointers, TPIDRs, FAR/ESR... once they are saved
 * in the REC, put reset values back so nothing of the realm survives.
 * VDISR_EL2 too: it is what the realm's DISR_EL1 accesses reach, and the
 * monitor does not swap it.
 */
static void el1_scrub(void)
{
	static const struct rec_sysregs reset = {
		.sctlr_el1 = REC_INITIAL_SCTLR,
	};

	el1_restore(&reset);
}

/* ICH_LR<n>_EL2: the register number is part of the instruction. */
static uint64_t ich_lr_read(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

static void ich_lr_write(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	case 8: write_sysreg(S3_4_C12_C13_0, v); break;
	case 9: write_sysreg(S3_4_C12_C13_1, v); break;
	case 10: write_sysreg(S3_4_C12_C13_2, v); break;
	case 11: write_sysreg(S3_4_C12_C13_3, v); break;
	case 12: write_sysreg(S3_4_C12_C13_4, v); break;
	case 13: write_sysreg(S3_4_C12_C13_5, v); break;
	case 14: write_sysreg(S3_4_C12_C13_6, v); break;
	default: write_sysreg(S3_4_C12_C13_7, v); break;
	}
}

static unsigned int ich_num_lrs(void)
{
	unsigned int n = (unsigned int)(read_sysreg(S3_4_C12_C11_1) & 0x1FUL) + 1U;	/* ICH_VTR_EL2 */

	return (n < REC_GIC_NUM_LRS) ? n : REC_GIC_NUM_LRS;
}

unsigned int plat_gic_num_lrs(void)
{
	return ich_num_lrs();
}

/*
 * The ID registers the realm may read, one MRS each (the encoding is part
 * of the instruction).  Only registers every Armv8.0 CPU has and those
 * idreg_realm_value() passes on are read: an encoding left out reads as
 * 0 (the architecture's reserved ID space is RAZ), so a realm cannot make
 * the RMM execute an MRS this CPU might not implement.
 */
uint64_t plat_id_reg(unsigned int crm, unsigned int op2)
{
	switch ((crm << 3) | op2) {
	case (1U << 3) | 0U: return read_sysreg(S3_0_C0_C1_0);	/* ID_PFR0_EL1 */
	case (1U << 3) | 1U: return read_sysreg(S3_0_C0_C1_1);	/* ID_PFR1_EL1 */
	case (1U << 3) | 2U: return read_sysreg(S3_0_C0_C1_2);	/* ID_DFR0_EL1 */
	case (1U << 3) | 3U: return read_sysreg(S3_0_C0_C1_3);	/* ID_AFR0_EL1 */
	case (1U << 3) | 4U: return read_sysreg(S3_0_C0_C1_4);	/* ID_MMFR0_EL1 */
	case (1U << 3) | 5U: return read_sysreg(S3_0_C0_C1_5);	/* ID_MMFR1_EL1 */
	case (1U << 3) | 6U: return read_sysreg(S3_0_C0_C1_6);	/* ID_MMFR2_EL1 */
	case (1U << 3) | 7U: return read_sysreg(S3_0_C0_C1_7);	/* ID_MMFR3_EL1 */
	case (2U << 3) | 0U: return read_sysreg(S3_0_C0_C2_0);	/* ID_ISAR0_EL1 */
	case (2U << 3) | 1U: return read_sysreg(S3_0_C0_C2_1);	/* ID_ISAR1_EL1 */
	case (2U << 3) | 2U: return read_sysreg(S3_0_C0_C2_2);	/* ID_ISAR2_EL1 */
	case (2U << 3) | 3U: return read_sysreg(S3_0_C0_C2_3);	/* ID_ISAR3_EL1 */
	case (2U << 3) | 4U: return read_sysreg(S3_0_C0_C2_4);	/* ID_ISAR4_EL1 */
	case (2U << 3) | 5U: return read_sysreg(S3_0_C0_C2_5);	/* ID_ISAR5_EL1 */
	case (3U << 3) | 0U: return read_sysreg(S3_0_C0_C3_0);	/* MVFR0_EL1 */
	case (3U << 3) | 1U: return read_sysreg(S3_0_C0_C3_1);	/* MVFR1_EL1 */
	case (3U << 3) | 2U: return read_sysreg(S3_0_C0_C3_2);	/* MVFR2_EL1 */
	case (4U << 3) | 0U: return read_sysreg(S3_0_C0_C4_0);	/* ID_AA64PFR0_EL1 */
	case (4U << 3) | 1U: return read_sysreg(S3_0_C0_C4_1);	/* ID_AA64PFR1_EL1 */
	case (5U << 3) | 0U: return read_sysreg(S3_0_C0_C5_0);	/* ID_AA64DFR0_EL1 */
	case (5U << 3) | 1U: return read_sysreg(S3_0_C0_C5_1);	/* ID_AA64DFR1_EL1 */
	case (5U << 3) | 4U: return read_sysreg(S3_0_C0_C5_4);	/* ID_AA64AFR0_EL1 */
	case (5U << 3) | 5U: return read_sysreg(S3_0_C0_C5_5);	/* ID_AA64AFR1_EL1 */
	case (6U << 3) | 0U: return read_sysreg(S3_0_C0_C6_0);	/* ID_AA64ISAR0_EL1 */
	case (6U << 3) | 1U: return read_sysreg(S3_0_C0_C6_1);	/* ID_AA64ISAR1_EL1 */
	case (7U << 3) | 0U: return read_sysreg(S3_0_C0_C7_0);	/* ID_AA64MMFR0_EL1 */
	case (7U << 3) | 1U: return read_sysreg(S3_0_C0_C7_1);	/* ID_AA64MMFR1_EL1 */
	case (7U << 3) | 2U: return read_sysreg(S3_0_C0_C7_2);	/* ID_AA64MMFR2_EL1 */
	default: return 0UL;
	}
}

/* A6.1: the host's LRs and HCR bits, the realm's VMCR and active priorities. */
static void vgic_enter(const struct rec *rec)
{
	unsigned int i, n = ich_num_lrs();

	write_sysreg(S3_4_C12_C11_7, rec->gic.vmcr);	/* ICH_VMCR_EL2 */
	write_sysreg(S3_4_C12_C8_0, rec->gic.ap0r0);	/* ICH_AP0R0_EL2 */
	write_sysreg(S3_4_C12_C9_0, rec->gic.ap1r0);	/* ICH_AP1R0_EL2 */
	for (i = 0U; i < n; i++) {
		ich_lr_write(i, rec->gic.lrs[i]);
	}
	write_sysreg(S3_4_C12_C11_0, rec->gic.hcr | ICH_HCR_EN);	/* ICH_HCR_EL2 */
}

/* Save for the exit record, then leave the interface disabled and empty. */
static void vgic_exit(struct rec *rec)
{
	unsigned int i, n = ich_num_lrs();

	rec->gic.hcr = read_sysreg(S3_4_C12_C11_0);
	rec->gic.misr = read_sysreg(S3_4_C12_C11_2);
	rec->gic.vmcr = read_sysreg(S3_4_C12_C11_7);
	rec->gic.ap0r0 = read_sysreg(S3_4_C12_C8_0);
	rec->gic.ap1r0 = read_sysreg(S3_4_C12_C9_0);
	write_sysreg(S3_4_C12_C11_0, 0UL);
	for (i = 0U; i < n; i++) {
		rec->gic.lrs[i] = ich_lr_read(i);
		ich_lr_write(i, 0UL);
	}
	write_sysreg(S3_4_C12_C11_7, 0UL);
	write_sysreg(S3_4_C12_C8_0, 0UL);
	write_sysreg(S3_4_C12_C9_0, 0UL);
}

/*
 * A6.2: the realm's EL1 timers, with a zero virtual offset; a timer that
 * was asserted in the state last reported is masked so the realm can run.
 */
static void timers_enter(struct rec *rec)
{
	write_sysreg(cntvoff_el2, 0UL);
	write_sysreg(cntv_cval_el0, rec->timer.cntv_cval);
	write_sysreg(cntv_ctl_el0, timer_entry_ctl(rec->timer.cntv_ctl, &rec->timer.v_masked));
	write_sysreg(cntp_cval_el0, rec->timer.cntp_cval);
	write_sysreg(cntp_ctl_el0, timer_entry_ctl(rec->timer.cntp_ctl, &rec->timer.p_masked));
}

/* Save what the host is told (exit.cnt*), then stop and clear both timers. */
static void timers_exit(struct rec *rec)
{
	rec->timer.cntv_ctl = timer_exit_ctl(read_sysreg(cntv_ctl_el0), rec->timer.v_masked);
	rec->timer.cntv_cval = read_sysreg(cntv_cval_el0);
	rec->timer.cntp_ctl = timer_exit_ctl(read_sysreg(cntp_ctl_el0), rec->timer.p_masked);
	rec->timer.cntp_cval = read_sysreg(cntp_cval_el0);
	write_sysreg(cntv_ctl_el0, 0UL);
	write_sysreg(cntv_cval_el0, 0UL);
	write_sysreg(cntp_ctl_el0, 0UL);
	write_sysreg(cntp_cval_el0, 0UL);
}

void plat_rec_run(struct rec *rec, struct realm_exception *exc)
{
	/*
	 * VTCR: IPA width s2sz, 4 KB granule, walks cacheable inner-shareable,
	 * PS = the CPU's PA range so any s2sz up to 48 is consistent with it.
	 */
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0x7UL;
	uint64_t vtcr = BIT(31) | (64UL - rec->s2.s2sz) |
			((uint64_t)(2 - rec->s2.level_start) << 6) |
			TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | (parange << 16);
	uint64_t hcr = HCR_REALM | ((rec->trap_wfi != 0U) ? HCR_TWI : 0UL) |
		       ((rec->trap_wfe != 0U) ? HCR_TWE : 0UL);
	uint64_t cptr = read_sysreg(cptr_el2);
	uint64_t mdcr = read_sysreg(mdcr_el2);
	uint64_t pmcr = read_sysreg(pmcr_el0);
	uint64_t mdscr = read_sysreg(mdscr_el1);
	struct fp_regs *hfp = &host_fp[plat_my_cpu()];

	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, rec->s2.rtt_base | ((uint64_t)rec->vmid << 48));
	el1_restore(&rec->sysregs);
	timers_enter(rec);
	vgic_enter(rec);
	/*
	 * FP/SIMD (eager): the host's registers out, the REC's in; SVE and SME
	 * stay trapped (not context-switched, so a realm may not use them).
	 */
	fp_save(hfp);
	fp_restore(&rec->fp);
	write_sysreg(hcr_el2, hcr);
	write_sysreg(cptr_el2, (cptr & ~CPTR_TFP) | CPTR_TZ | CPTR_TSM);
	write_sysreg(mdcr_el2, (mdcr & MDCR_HPMN_MASK) | MDCR_REALM);
	/*
	 * The host's PMU must not count what the realm does: PMCR_EL0.E off
	 * stops its cycle counter and the counters below HPMN (those at or
	 * above it need MDCR_EL2.HPME, which is 0), as TF-RMM does.
	 */
	write_sysreg(pmcr_el0, pmcr & ~PMCR_E);
	/*
	 * MDSCR_EL1 is the host's (a realm's accesses UNDEF): its MDE, KDE
	 * and SS would let the host's breakpoints, watchpoints and software
	 * step fire inside the realm.  The realm runs with all of them off.
	 */
	write_sysreg(mdscr_el1, 0UL);
	isb();

	exc->kind = run_realm(rec);

	exc->esr = read_sysreg(esr_el2);
	exc->far = read_sysreg(far_el2);
	exc->hpfar = read_sysreg(hpfar_el2);
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(cptr_el2, cptr);
	write_sysreg(mdcr_el2, mdcr);
	write_sysreg(pmcr_el0, pmcr);
	write_sysreg(mdscr_el1, mdscr);
	isb();
	fp_save(&rec->fp);
	fp_restore(hfp);
	vgic_exit(rec);
	timers_exit(rec);
	el1_save(&rec->sysregs);
	el1_scrub();
	/*
	 * FAR and HPFAR are not swapped by EL3 and the host must learn only
	 * what exit.* tells it: leave nothing of the realm's fault in them.
	 */
	write_sysreg(far_el2, 0UL);
	write_sysreg(hpfar_el2, 0UL);
	write_sysreg(esr_el2, 0UL);
	isb();
}

/* After a panic: ask EL3 to power the machine off (the console has the reason). */
static void __attribute__((noreturn)) rmm_stop(void)
{
	uint64_t regs[8] = { PSCI_SYSTEM_OFF, 0, 0, 0, 0, 0, 0, 0 };

	for (;;) {
		smc_call(regs);
	}
}

#ifdef RMM_LOG_CALLS
void plat_log_call(const char *iface, const char *name, const unsigned long *args,
		   unsigned int nargs, const unsigned long *res, unsigned int nres)
{
	unsigned int i;

	fw_printf("[rmm] %s %s", iface, name);
	for (i = 0U; i < nargs; i++) {
		fw_printf(" %lx", args[i]);
	}
	fw_printf(" >");
	for (i = 0U; i < nres; i++) {
		fw_printf(" %lx", res[i]);
	}
	fw_printf("\n");
}
#endif

void rmm_panic(const char *file, int line, const char *what)
{
	fw_printf("[rmm] PANIC %s:%d: %s\n", file, line, what);
	rmm_stop();
}

void rmm_exception(void)
{
	fw_printf("[rmm] PANIC: exception at Realm EL2: ESR_EL2=0x%lx ELR_EL2=0x%lx FAR_EL2=0x%lx\n",
		  read_sysreg(esr_el2), read_sysreg(elr_el2), read_sysreg(far_el2));
	rmm_stop();
}

unsigned int plat_my_cpu(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xFFUL);
}

/* RMM_BOOT_COMPLETE, then serve RMI requests on this CPU for ever. */
static void __attribute__((noreturn)) rmi_loop(void)
{
	uint64_t regs[8] = { SMC_RMM_BOOT_COMPLETE, 0, 0, 0, 0, 0, 0, 0 };
	struct smc_args args;
	struct smc_result res;
	unsigned int i;

	for (;;) {
		/* BOOT_COMPLETE / REQ_COMPLETE return the next RMI request. */
		smc_call(regs);
		for (i = 0U; i < SMC_ARGS_NR; i++) {
			args.x[i] = regs[i];
		}
		rmi_dispatch(&args, &res);
		regs[0] = SMC_RMM_REQ_COMPLETE;
		for (i = 0U; i < 5U; i++) {
			regs[i + 1U] = res.x[i];
		}
		regs[6] = 0UL;
		regs[7] = 0UL;
	}
}

void plat_delegable_range(uint64_t *base, uint64_t *size)
{
	*base = rmm_mem.ns_base;
	*size = rmm_mem.ns_size;
}

/*
 * The layout from the monitor, checked against what this RMM was built
 * for: the granule array and the stage-1 map have fixed upper bounds.
 */
static bool layout_ok(const struct boot_mem *m)
{
	return m->ns_base >= PLAT_RMM_BASE + PLAT_RMM_SIZE && m->ns_size != 0UL &&
	       m->ns_size <= PLAT_NS_DRAM_MAX && m->ns_base % XLAT_BLOCK_SIZE == 0UL &&
	       m->ns_size % XLAT_BLOCK_SIZE == 0UL && m->ns_base >= m->dram_base &&
	       m->ns_base + m->ns_size <= m->dram_base + m->dram_size &&
	       m->dram_base + m->dram_size <= PLAT_NS_ALIAS;
}

/* Cold boot, CPU 0: x1..x4 from the monitor (boot_mem.h). */
void rmm_main(uint64_t dram_base, uint64_t dram_size, uint64_t ns_base, uint64_t ns_size)
{
	console_init(PLAT_UART_BASE);
	/* RTT entries use the FEAT_S2FWB memory-type encodings (HCR_EL2.FWB). */
	if (((read_sysreg(id_aa64mmfr2_el1) >> 40) & 0xFUL) == 0UL) {
		rmm_panic(__FILE__, __LINE__, "FEAT_S2FWB not implemented");
	}
	rmm_mem.dram_base = dram_base;
	rmm_mem.dram_size = dram_size;
	rmm_mem.ns_base = ns_base;
	rmm_mem.ns_size = ns_size;
	if (!layout_ok(&rmm_mem)) {
		fw_printf("[rmm] PANIC: memory layout from EL3 not supported: DRAM 0x%lx+0x%lx, "
			  "delegable 0x%lx+0x%lx\n", dram_base, dram_size, ns_base, ns_size);
		rmm_stop();
	}
	if (!mmu_build(&rmm_mem)) {
		rmm_stop();
	}
	mmu_enable();
	if (mmu_selftest(&rmm_mem) != 0U) {
		fw_printf("[rmm] PANIC: the stage-1 map does not enforce its permissions\n");
		rmm_stop();
	}
	granule_table_init();
	vmid_reset();
	rmm_csm_boot();
	plat_attest_boot();
	fw_printf("[rmm] caec RMM at Realm EL2: RMI %lu.%lu, RSI 1.0, tracking %lu granules "
		  "at 0x%lx-0x%lx, stage-1 MMU on (W^X)\n", RMI_ABI_VERSION_MAJOR,
		  RMI_ABI_VERSION_MINOR, ns_size >> GRANULE_SHIFT, ns_base, ns_base + ns_size);
	rmi_loop();
}

/* Per-CPU boot of another CPU: the shared state exists already. */
void rmm_warm_main(unsigned int cpu)
{
	mmu_enable();
	fw_printf("[rmm] cpu%u: per-CPU boot done, stage-1 MMU on\n", cpu);
	rmi_loop();
}
