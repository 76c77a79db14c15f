/*
 * Realm payload "work" for the fw_preempt, fw_fp and fw_exit_hygiene
 * scenarios; x1 (REC 0's second argument) selects what it does:
 *   WORK_SPIN      spin for ever without a single exit (only the host's
 *                  timer can take the CPU back)
 *   WORK_COUNT     count to a large number, printing a console line after
 *                  every 40th of it (two such realms on two CPUs print at
 *                  the same time: every line must come out whole), then
 *                  wait 5 ms on the virtual timer (WFI, trapped when the
 *                  host asks), then SYSTEM_OFF
 *   WORK_FP        fill V0-V31/FPCR with a per-round pattern, HOST_CALL,
 *                  check them, 1200 rounds
 *   WORK_HYGIENE   HVC, HLT #0xF000 (semihosting), MDSCR/PMU writes (each
 *                  must be an UNDEF here), a timer the host must see in
 *                  exit.cnt*, an emulatable MMIO store, a load the host
 *                  answers with an injected SEA, a WFI, a write to the
 *                  on-demand page, a host breakpoint that must not fire,
 *                  a trapped 16-bit T32 WFI at EL0, console lines the host
 *                  must not pass on as they are (a "[host]" tag, an escape)
 */
#include <arch_helpers.h>
#include <console.h>
#include <fp_regs.h>
#include <fw_utils.h>
#include <realm_console.h>
#include <rmi-structs.h>
#include <smc-rmi.h>
#include <smc-rsi.h>

#define WORK_SPIN	1UL
#define WORK_COUNT	2UL
#define WORK_FP		3UL
#define WORK_HYGIENE	4UL
#define UART_VA		0x09000000UL
#define MMIO_VA		0x0A000000UL	/* unprotected IPA the host maps on demand */
#define SEA_VA		0x0A001000UL	/* unprotected IPA the host answers with an SEA */
#define FP_ROUNDS	1200U
#define HC_FP		0xF0U
#define HC_TIMER	0x7EU
#define HC_DONE		0xD0U
#define HC_DEBUG	0xDBU
#define PSCI_SYSTEM_OFF	0x84000008UL
#define VTIMER_INTID	27UL
#define COUNT_TO	60000000UL
#define COUNT_LINES	40UL
#define LINE_TEXT	"0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static uint64_t realm_l1[512] __attribute__((aligned(4096)));
static struct rsi_realm_config config __attribute__((aligned(4096)));
static struct rsi_host_call host_call __attribute__((aligned(4096)));
static struct fp_regs fp_buf;
extern uint8_t __realm_end[];

void realm_main(uint64_t index, uint64_t mode) __attribute__((noreturn));
void realm_secondary_main(uint64_t context) __attribute__((noreturn));
void realm_exception(void) __attribute__((noreturn));
void realm_sync_exception(void);
void work_debug_target(void);
uint64_t work_a32_run(uint64_t el0_entry);
extern uint32_t work_a32_r0;

static volatile uint64_t last_esr;	/* ESR_EL1 of the last UNDEF we survived */
static volatile unsigned int undefs;
static volatile unsigned int sea_armed;	/* a data abort is expected: survive it */
static volatile uint64_t sea_esr, sea_far;
static volatile unsigned int debug_hits;	/* debug exceptions the host caused */
static volatile uint64_t debug_esr;

static uint64_t smc3(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : :
			 "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			 "x15", "x16", "x17", "memory");
	return x0;
}

static void __attribute__((noreturn)) system_off(void)
{
	for (;;) {
		(void)smc3(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
}

static uint64_t host_call_imm(uint16_t imm, uint64_t a0, uint64_t a1)
{
	host_call.imm = imm;
	host_call.gprs[0] = a0;
	host_call.gprs[1] = a1;
	(void)smc3(SMC_RSI_HOST_CALL, (uint64_t)(uintptr_t)&host_call, 0, 0);
	return host_call.gprs[0];
}

/* As realm.c: VA 0-1 GB -> unprotected IPA (Device), 1-2 GB -> RAM. */
static void mmu_on(uint64_t ipa_width)
{
	realm_l1[0] = (1UL << (ipa_width - 1U)) | 0x1UL | BIT(10) | BIT(54) | BIT(53);
	realm_l1[1] = 0x40000000UL | 0x1UL | (1UL << 2) | (3UL << 8) | BIT(10);
	dsb_sy();
	write_sysreg(mair_el1, 0xFF00UL);
	write_sysreg(tcr_el1, 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | BIT(23) | (2UL << 32));
	write_sysreg(ttbr0_el1, (uint64_t)(uintptr_t)realm_l1);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb_sy();
	write_sysreg(sctlr_el1, 0x30D00800UL | BIT(0) | BIT(2) | BIT(12));
	isb();
}

/*
 * Wait `ticks` on the virtual timer: WFI until the virtual interrupt (INTID
 * 27, which the host injects through the list registers) is pending.
 * IRQs stay masked; WFI wakes on a pending interrupt all the same.
 */
static uint64_t timer_wait(uint64_t ticks, unsigned int *wakeups)
{
	uint64_t start = read_sysreg(cntvct_el0), iar;

	write_sysreg(S3_0_C4_C6_0, 0xFFUL);		/* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1UL);		/* ICC_IGRPEN1_EL1 */
	write_sysreg(cntv_cval_el0, start + ticks);
	write_sysreg(cntv_ctl_el0, 1UL);		/* enabled, not masked */
	isb();
	for (;;) {
		__asm__ volatile("wfi");
		(*wakeups)++;
		iar = read_sysreg(S3_0_C12_C12_0) & 0xFFFFFFUL;	/* ICC_IAR1_EL1 */
		if (iar == VTIMER_INTID) {
			write_sysreg(cntv_ctl_el0, 0UL);
			write_sysreg(S3_0_C12_C12_1, iar);	/* ICC_EOIR1_EL1 */
			isb();
			return read_sysreg(cntvct_el0) - start;
		}
	}
}

static void work_count(uint64_t index)
{
	volatile uint64_t sum = 0UL;
	uint64_t i, l, freq = read_sysreg(cntfrq_el0), waited;
	unsigned int wakeups = 0U;

	for (l = 1UL, i = 0UL; l <= COUNT_LINES; l++) {
		for (; i < l * (COUNT_TO / COUNT_LINES); i++) {
			sum += i;
		}
		fw_printf("[realm%lu] console line %02lu of %lu: %s\n", index, l, COUNT_LINES,
			  LINE_TEXT);
	}
	fw_printf("[realm%lu] counted to %lu (sum 0x%lx)\n", index, i, sum);
	waited = timer_wait(freq / 200U, &wakeups);	/* 5 ms */
	fw_printf("[realm%lu] virtual timer wait: asked %lu ticks, waited %lu (%s), %u wake-up(s)\n",
		  index, freq / 200U, waited, (waited >= freq / 200U) ? "not early" : "EARLY",
		  wakeups);
}

static void work_fp(uint64_t index)
{
	unsigned int round, i, bad = 0U;

	for (round = 0U; round < FP_ROUNDS; round++) {
		for (i = 0U; i < 64U; i++) {
			fp_buf.v[i] = 0xEA1A000000000000UL | ((uint64_t)index << 40) |
				    ((uint64_t)round << 8) | i;
		}
		fp_buf.fpcr = (uint64_t)(round & 3U) << 22;	/* FPCR.RMode */
		fp_buf.fpsr = 0UL;
		fp_restore(&fp_buf);
		(void)host_call_imm(HC_FP, index, round);
		fp_save(&fp_buf);
		for (i = 0U; i < 64U; i++) {
			if (fp_buf.v[i] != (0xEA1A000000000000UL | ((uint64_t)index << 40) |
					  ((uint64_t)round << 8) | i)) {
				bad++;
			}
		}
		if (fp_buf.fpcr != (uint64_t)(round & 3U) << 22) {
			bad++;
		}
	}
	fw_printf("[realm%lu] FP/SIMD: %u rounds with a host call each, %u register(s) lost\n",
		  index, FP_ROUNDS, bad);
}

static void expect_undef(uint64_t index, const char *what)
{
	unsigned int before = undefs;

	switch (what[0]) {
	case 'H':	/* HVC #0 */
		__asm__ volatile("hvc #0" : : : "memory");
		break;
	case 'S':	/* semihosting SYS_EXIT (0x18): would stop QEMU if it reached it */
		__asm__ volatile("mov x0, #0x18\n\tmov x1, #0x26\n\thlt #0xf000"
				 : : : "x0", "x1", "memory");
		break;
	case 'M':	/* MDSCR_EL1 (debug) */
		write_sysreg(mdscr_el1, 0x8000UL);
		break;
	case 'T':	/* TPIDR2_EL0 (SME): traps to EL3 while SCR_EL3.EnTP2 = 0 */
		write_sysreg(S3_3_C13_C0_5, 0x5EC2E7UL);
		break;
	default:	/* PMCR_EL0 and PMCCNTR_EL0 (PMU) */
		write_sysreg(pmcr_el0, 0x1UL);
		write_sysreg(pmccntr_el0, 0x5EC2E7UL);
		break;
	}
	fw_printf("[realm%lu] %s -> %s, ESR_EL1=0x%lx\n", index, what,
		  (undefs > before && (last_esr >> 26) == 0UL) ? "UNDEF (Unknown exception)" :
		  "NO UNDEF", last_esr);
}

/*
 * A load from an unprotected IPA the host does not emulate: it answers
 * with enter.flags.inject_sea (and emul_mmio, which must be ignored), so
 * the load takes a synchronous external abort here (RMM v1.0 A4.2.3,
 * A5.2.7: EC 0x25, EA = 1, DFSC 0x10, FAR = the VA) and x5 keeps its value.
 */
static void expect_sea(uint64_t index)
{
	register uint64_t dst __asm__("x5") = 0xBADUL;
	bool ok;

	sea_armed = 1U;
	__asm__ volatile("ldr %0, [%1]" : "+r"(dst) : "r"(SEA_VA) : "memory");
	ok = sea_armed == 0U && (sea_esr >> 26) == 0x25UL && (sea_esr & BIT(9)) != 0UL &&
	     (sea_esr & 0x3FUL) == 0x10UL && sea_far == SEA_VA && dst == 0xBADUL;
	fw_printf("[realm%lu] load the host does not emulate -> %s, ESR_EL1=0x%lx FAR_EL1=0x%lx, "
		  "x5=0x%lx\n", index, ok ? "SEA (EC 0x25, EA, DFSC 0x10), load not done" :
		  "NO SEA", sea_esr, sea_far, dst);
	sea_armed = 0U;
}

/*
 * The host programs a breakpoint on work_debug_target with its own
 * MDSCR_EL1 (MDE, KDE), which a realm can neither read nor change (its
 * debug registers UNDEF): with debug exceptions unmasked here, nothing
 * the host set may reach the realm.
 */
static void expect_no_host_debug(uint64_t index)
{
	uint64_t target = (uint64_t)(uintptr_t)work_debug_target;

	(void)host_call_imm(HC_DEBUG, target, 0);
	__asm__ volatile("msr daifclr, #8\n\tisb" : : : "memory");
	work_debug_target();
	__asm__ volatile("msr daifset, #8\n\tisb" : : : "memory");
	fw_printf("[realm%lu] host breakpoint on 0x%lx -> %s, ESR_EL1=0x%lx\n", index, target,
		  (debug_hits == 0U) ? "not taken" : "TAKEN", debug_esr);
}

/*
 * T32 code for EL0: r0 = 0, WFI (16 bits; trapped: the host sets
 * trap_wfi), r0 = 1, SVC #0.  The RMM must resume after the 2-byte WFI;
 * resuming 4 bytes on skips "movs r0, #1".
 */
static const uint16_t t32_code[] __attribute__((aligned(16))) = {
	0x2000U,	/* movs r0, #0 */
	0xBF30U,	/* wfi */
	0x2001U,	/* movs r0, #1 */
	0xDF00U,	/* svc #0 */
	0xE7FEU,	/* b . */
};

/*
 * A realm may run AArch32 (here T32) code at EL0 when the CPU implements
 * it, and a trapped 16-bit instruction has ESR_EL2.IL = 0.  VA 2-3 GB
 * maps realm RAM for EL0 (AP = 01, PXN).
 */
static void expect_t32_wfi_resumes(uint64_t index)
{
	uint64_t el0 = (read_sysreg(id_aa64pfr0_el1) >> 4) & 0xFUL;
	uint64_t esr;

	if (el0 != 2UL) {
		fw_printf("[realm%lu] AArch32 EL0 not implemented (ID_AA64PFR0_EL1.EL0 %lu)\n",
			  index, el0);
		return;
	}
	realm_l1[2] = 0x40000000UL | 0x1UL | (1UL << 2) | (3UL << 8) | BIT(10) | BIT(6) | BIT(53);
	dsb_sy();
	__asm__ volatile("tlbi vmalle1\n\tdsb sy\n\tisb" : : : "memory");
	/* SCTLR_EL1.nTWI: EL0's WFI is not trapped to EL1, so it reaches EL2 */
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | BIT(16));
	isb();
	esr = work_a32_run((uint64_t)(uintptr_t)t32_code + 0x40000000UL);
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~BIT(16));
	isb();
	fw_printf("[realm%lu] T32 EL0: trapped 16-bit WFI, then movs r0, #1 -> r0=%u (%s), "
		  "ESR_EL1=0x%lx\n", index, work_a32_r0,
		  (work_a32_r0 == 1U && (esr >> 26) == 0x11UL) ? "resumed after the WFI" : "WRONG",
		  esr);
}

static void work_hygiene(uint64_t index)
{
	volatile uint64_t *mmio = (volatile uint64_t *)MMIO_VA;
	volatile uint64_t *lazy = (volatile uint64_t *)(uintptr_t)__realm_end;

	expect_undef(index, "HVC #0");
	expect_undef(index, "Semihosting HLT #0xF000 SYS_EXIT");
	expect_undef(index, "MDSCR_EL1 write");
	expect_undef(index, "PMU PMCR_EL0/PMCCNTR_EL0 write");
	expect_undef(index, "TPIDR2_EL0 write");
	expect_no_host_debug(index);
	expect_t32_wfi_resumes(index);
	/* A3.1.3: what the realm is told it has (the RMM emulates ID register reads). */
	{
		uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
		uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1), isar1 = read_sysreg(id_aa64isar1_el1);

		fw_printf("[realm%lu] ID registers: SVE %lu SME %lu PMUVer %lu APA/API %lu "
			  "ZFR0 0x%lx\n", index, (pfr0 >> 32) & 0xFUL, (pfr1 >> 24) & 0xFUL,
			  (dfr0 >> 8) & 0xFUL, (isar1 >> 4) & 0xFFUL, read_sysreg(S3_0_C0_C4_4));
	}
	/* An SGI to this REC (INTID 3, target list 1): the host's to deliver (A6.1). */
	__asm__ volatile("mov x7, %0\n\tmsr S3_0_C12_C11_5, x7" : : "r"(0x3000001UL) : "x7");
	fw_printf("[realm%lu] ICC_SGI1R_EL1 write -> resumed after it\n", index);
	/* A timer far in the future: the host must see it in exit.cnt*, not in CNTV_*. */
	write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + (1UL << 40));
	write_sysreg(cntv_ctl_el0, 1UL);
	write_sysreg(cntp_cval_el0, 0x7777000UL);
	write_sysreg(cntp_ctl_el0, 2UL);	/* disabled, masked */
	/* DISR_EL1 (RAS): with HCR_EL2.AMO the realm's accesses reach VDISR_EL2 */
	write_sysreg(S3_0_C12_C1_1, 0x80000123UL);
	(void)host_call_imm(HC_TIMER, read_sysreg(cntv_cval_el0), 0);
	fw_printf("[realm%lu] DISR_EL1 after a host call: 0x%lx\n", index, read_sysreg(S3_0_C12_C1_1));
	write_sysreg(cntv_ctl_el0, 0UL);
	/* Emulatable MMIO store (x-reg, 8 bytes) at an unprotected IPA. */
	*(volatile uint64_t *)((uintptr_t)mmio + 0x18) = 0xA5A5UL;
	expect_sea(index);
	__asm__ volatile("wfi");		/* trapped: the host asked */
	*lazy = 0x1234UL;			/* protected, unassigned: a non-emulatable write */
	(void)host_call_imm(HC_DONE, *lazy, 0);
	/* The host shows the realm's lines, but never as a firmware world's. */
	fw_printf("[host] RESULT: PASS (0 failures), says realm%lu\n", index);
	fw_printf("[realm%lu] an escape sequence: \033[2J\n", index);
	fw_printf("[realm%lu] hygiene probes done\n", index);
}

void realm_main(uint64_t index, uint64_t mode)
{
	if (smc3(SMC_RSI_REALM_CONFIG, (uint64_t)(uintptr_t)&config, 0, 0) != RSI_SUCCESS) {
		system_off();
	}
	mmu_on(config.ipa_width);
	console_init(UART_VA);
	console_use_host_call();	/* one exit per line, not two per character */
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | (3UL << 20));	/* FP/SIMD at EL0/EL1 */
	isb();
	if (mode == WORK_SPIN) {
		fw_printf("[realm%lu] spinning for ever, no exits\n", index);
		for (;;) {
		}
	}
	fw_printf("[realm%lu] work mode %lu on REC 0\n", index, mode);
	if (mode == WORK_COUNT) {
		work_count(index);
	} else if (mode == WORK_FP) {
		work_fp(index);
	} else if (mode == WORK_HYGIENE) {
		work_hygiene(index);
	}
	fw_printf("[realm%lu] PSCI SYSTEM_OFF\n", index);
	system_off();
}

void realm_secondary_main(uint64_t context)
{
	(void)context;
	system_off();
}

/* UNDEFs and the SEA the hygiene probes expect: step over the instruction. */
void realm_sync_exception(void)
{
	uint64_t esr = read_sysreg(esr_el1);

	if ((esr >> 26) == 0x25UL && sea_armed != 0U) {
		sea_esr = esr;
		sea_far = read_sysreg(far_el1);
		sea_armed = 0U;
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4UL);
		return;
	}
	if ((esr >> 26) == 0x31UL || (esr >> 26) == 0x33UL || (esr >> 26) == 0x35UL) {
		/* breakpoint, software step, watchpoint (current EL): the host's */
		debug_esr = esr;
		debug_hits++;
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4UL);
		return;
	}
	if ((esr >> 26) == 0UL) {
		last_esr = esr;
		undefs++;
		write_sysreg(elr_el1, read_sysreg(elr_el1) + 4UL);
		return;
	}
	realm_exception();
}

void realm_exception(void)
{
	fw_printf("[realm] unexpected exception: ESR_EL1=0x%lx ELR_EL1=0x%lx FAR_EL1=0x%lx\n",
		  read_sysreg(esr_el1), read_sysreg(elr_el1), read_sysreg(far_el1));
	system_off();
}
