/*
 * Scenario "bench_caec" (host-bench_caec.elf; host-bench_caec_quick.elf
 * with BENCH_QUICK): the AArch64 benchmark's libcaec modes, bench/a64,
 * docs/benchmarks.md.  Two realms of the kernel-bench image (the realm
 * kernel and realm/bench-caec, linked with libcaec's realm build) under
 * QEMU -icount shift=0 -seed 1.
 *
 * Phase A: both realm kernels on CPU 0 (host_krun's round robin, 50 ms
 * slices): libcaec opens, shares, grants, attaches and formats the
 * channel, CPU 1 halted in WFI.  When both applications have asked the
 * host for phase B (peer harness), CPU 1 is woken with an SGI and each
 * realm runs alone on its CPU with no preemption timer; the host posts
 * them "go" (with the repetitions), and they measure with no REC exit.
 */
#include "kernel_run.h"

#include <realm_image.h>

#define NR_REALMS		2U
#define TAG_PHASE_B		4U
#define TAG_GO			5U
#define SGI_WAKE		0U
#define GICR_ISENABLER0(cpu)	(PLAT_GICR_BASE + 0x10000UL + 0x100UL + (cpu) * PLAT_GICR_STRIDE)
#ifdef BENCH_QUICK
#define BENCH_GO		((5UL << 8) | 1UL)	/* 5 repetitions, quick sizes */
#else
#define BENCH_GO		(1000UL << 8)
#endif

extern const uint8_t realm_kernel_bench_start[], realm_kernel_bench_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];
static volatile uint32_t asked, cpu1_parked, cpu1_go;

static void on_msg(unsigned int from, uint64_t tag, uint64_t value)
{
	if (tag != TAG_PHASE_B || value != from || from >= NR_REALMS) {
		host_fail("unexpected message to the host", tag);
		return;
	}
	asked |= 1U << from;
}

static bool both_asked(void)
{
	return asked == (1U << NR_REALMS) - 1U;
}

/* CPU 1: halted in WFI until phase B, then realm1 alone. */
static void cpu1_runs_realm1(void *arg)
{
	volatile uint32_t *isen = (volatile uint32_t *)(uintptr_t)GICR_ISENABLER0(host_cpu());

	(void)arg;
	*isen = 1U << SGI_WAKE;
	dsb_sy();
	write_sysreg(S3_0_C4_C6_0, 0xFFUL);	/* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1UL);	/* ICC_IGRPEN1_EL1 */
	isb();
	__atomic_store_n(&cpu1_parked, 1U, __ATOMIC_RELEASE);
	while (__atomic_load_n(&cpu1_go, __ATOMIC_ACQUIRE) == 0U) {
		__asm__ volatile("wfi");
	}
	(void)host_irq_ack();
	if (cpu1_go == 1U) {
		host_krun_one(1U);
	}
}

static void wake_cpu1(uint32_t how)
{
	__atomic_store_n(&cpu1_go, how, __ATOMIC_RELEASE);
	dsb_sy();
	write_sysreg(S3_0_C12_C11_5, ((uint64_t)SGI_WAKE << 24) | (1UL << 1));	/* ICC_SGI1R_EL1 */
	isb();
}

int host_main(void)
{
	static const struct realm_image img = { realm_kernel_bench_start, realm_kernel_bench_end };
	unsigned long on;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] bench_caec%s: libcaec's channel between two realm kernels, in "
		  "instructions\n",
#ifdef BENCH_QUICK
		  " (quick)"
#else
		  ""
#endif
		  );
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_set_window(&cs[i], 1UL << (REALM_S2SZ - 3U), 1UL << (REALM_S2SZ - 2U));
		realms[i].priv = &cs[i];
		realm_build(&realms[i], i, &img, 1U, 0UL);
	}
	host_timer_init();
	on = host_cpu_on(1U, cpu1_runs_realm1, NULL);
	if (on != 0UL) {
		host_fail("CPU_ON of cpu1", on);
		host_exit(1);
	}
	while (__atomic_load_n(&cpu1_parked, __ATOMIC_ACQUIRE) == 0U) {
		__asm__ volatile("yield");
	}
	host_krun_begin(realms, cs, NR_REALMS, on_msg);
	host_krun_loop(50U, both_asked);
	if (both_asked()) {
		fw_printf("[host] phase B: realm0 on cpu0, realm1 on cpu1, no preemption timer\n");
		for (i = 0U; i < NR_REALMS; i++) {
			(void)host_krun_post(i, TAG_GO, BENCH_GO);
		}
		wake_cpu1(1U);
		host_krun_one(0U);
	} else {
		wake_cpu1(2U);
	}
	host_cpu_wait(1U);
	host_krun_report();
	for (i = 0U; i < NR_REALMS; i++) {
		if (!realms[i].off || host_krun_exit_status(i) != 0) {
			host_fail("realm did not end with status 0 and SYSTEM_OFF", i);
		}
		host_csm_unmap_window(&cs[i]);
		realm_teardown(&realms[i]);
		host_csm_after_teardown(&cs[i]);
	}
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
