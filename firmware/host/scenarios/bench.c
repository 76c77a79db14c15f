/*
 * Scenario "bench" (host-bench.elf; host-bench_quick.elf with BENCH_QUICK:
 * the QEMU test's short run): the AArch64 instruction-count benchmark,
 * bench/a64/run.sh, docs/benchmarks.md.  Two realms of the realm/bench
 * program under QEMU -icount shift=0 -seed 1.
 *
 * Phase A: both realms on CPU 0, one at a time.  The host switches realm
 * only at a host call (the realms' blackboard), and re-enters a realm that
 * exited for CSM_POPULATE, CSM_RELEASE or CSM_META at once, so what a
 * realm measures around one CSM call is that call, the host's handling of
 * its exits and nothing else.  CPU 1 is halted in WFI meanwhile (the
 * monitor's CPU_ON wait would be a WFE loop, whose few instructions QEMU's
 * round robin would run, and count, whenever CPU 0's turn ends).
 *
 * Phase B (both realms asked for it): CPU 0 wakes CPU 1 with an SGI,
 * realm1's REC moves to CPU 1, and the two run at the same time, each
 * entered again at every exit; while they measure they make none.  If
 * realm0 fails, another SGI makes realm1 exit and CPU 1 stops entering
 * it, so a failed run ends at once instead of at the test's timeout.
 *
 * The host itself measures, with the same counter: its handling of each
 * realm's CSM exits (BENCH_HC_HOST_COST), GRANULE_DELEGATE/UNDELEGATE, and
 * a loop of known length against PMCCNTR_EL0 (what the counter counts).
 */
#include "host_csm.h"

#include <bench_a64.h>
#include <realm_image.h>
#include <s2tt.h>
#include <smc-csm.h>
#include <string.h>

#ifdef BENCH_QUICK
#define BENCH_REPS		5UL
#define BENCH_CALL_REPS		10UL
#define BENCH_MSG_MAX		(64UL << 10)
#define BENCH_SWEEP		64UL
#else
#define BENCH_REPS		1000UL
#define BENCH_CALL_REPS		100UL
#define BENCH_MSG_MAX		BENCH_MAX_MSG
#define BENCH_SWEEP		512UL
#endif
#define NR_REALMS		2U
#define DELEGATE_SAMPLES	32U

extern const uint8_t realm_bench_start[], realm_bench_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];
static bool phase_b_asked[NR_REALMS];
static uint64_t cost_insns[NR_REALMS], cost_exits[NR_REALMS], cost_pages[NR_REALMS];
/* Level-3 RTTs of the shared window, per realm: one per 2 MB it touches. */
#define SHM_RTTS	((BENCH_SHM_SIZE >> 21) + 2U)
static uint64_t shm_pa[BENCH_SHM_PAGES], shm_rtt[NR_REALMS][SHM_RTTS];
static uint32_t hook_lock;
static volatile uint32_t cpu1_parked, cpu1_go, stop_realm1;
static bool exit_failed[NR_REALMS];

#define CPU1_RUN		1U	/* cpu1_go: run realm1 */
#define CPU1_RETURN		2U	/* cpu1_go: phase B never came */

#define SGI_WAKE		0U
#define GICR_ISENABLER0(cpu)	(PLAT_GICR_BASE + 0x10000UL + 0x100UL + (cpu) * PLAT_GICR_STRIDE)

/* Both CPUs run realms in phase B: one exit is handled at a time. */
static void lock(void)
{
	while (__atomic_exchange_n(&hook_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
		__asm__ volatile("yield");
	}
}

static void unlock(void)
{
	__atomic_store_n(&hook_lock, 0U, __ATOMIC_RELEASE);
}

static bool bench_host_call(unsigned int i, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;

	switch (e->imm) {
	case BENCH_HC_PHASE_B:
		phase_b_asked[i] = true;
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		return true;
	case BENCH_HC_HOST_COST:
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		if (e->gprs[0] == BENCH_COST_CSM_EXITS) {
			run->entry.gprs[0] = cost_insns[i];
			run->entry.gprs[1] = cost_exits[i];
			run->entry.gprs[2] = cost_pages[i];
			cost_insns[i] = cost_exits[i] = cost_pages[i] = 0UL;
		}
		return true;
	case REALM_HOST_CALL_EXIT:
		fw_printf("[host] realm%u reports exit status %ld\n", i, (long)e->gprs[0]);
		if (e->gprs[0] != 0UL) {
			exit_failed[i] = true;
			host_count_failure();
		}
		return false;	/* answered by the default handling */
	default:
		return host_csm_exit(&cs[i], run);	/* the blackboard */
	}
}

static bool bench_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	unsigned int i = r->idx, npop;
	uint64_t t0;
	bool handled;

	(void)k;
	lock();
	switch (run->exit.exit_reason) {
	case RMI_EXIT_CSM_POPULATE:
	case RMI_EXIT_CSM_RELEASE:
	case RMI_EXIT_CSM_META:
	case RMI_EXIT_CSM_DOORBELL:
		npop = cs[i].npop;
		t0 = host_now();
		handled = host_csm_exit(&cs[i], run);
		cost_insns[i] += host_now() - t0;
		cost_exits[i]++;
		cost_pages[i] += (cs[i].npop > npop) ? cs[i].npop - npop : 0U;
		break;
	case RMI_EXIT_HOST_CALL:
		handled = bench_host_call(i, run);
		break;
	case RMI_EXIT_IRQ:
		/* Only CPU 0's SGI, to stop realm1 after realm0 failed. */
		(void)host_irq_ack();
		handled = true;
		break;
	default:
		handled = false;
		break;
	}
	unlock();
	return handled;
}

static uint64_t shm_rtt_ipa(unsigned int k)
{
	return ((REALM_UNPROTECTED | BENCH_SHM_IPA_OFF) & ~(s2tt_map_size(2) - 1UL)) +
	       k * s2tt_map_size(2);
}

static unsigned int shm_nr_rtts(void)
{
	uint64_t top = REALM_UNPROTECTED | (BENCH_SHM_IPA_OFF + BENCH_SHM_SIZE);

	return (unsigned int)((top - shm_rtt_ipa(0U) + s2tt_map_size(2) - 1UL) / s2tt_map_size(2));
}

/* NS granules at the same unprotected IPA in both realms (shm-* and AES modes). */
static void map_shm(struct host_realm *r, unsigned int i)
{
	uint64_t ipa = REALM_UNPROTECTED | BENCH_SHM_IPA_OFF;
	unsigned int p, k;

	for (k = 0U; k < shm_nr_rtts(); k++) {
		shm_rtt[i][k] = alloc_delegated();
		RMI_MUST("RTT_CREATE (shared window)", SMC_RMI_RTT_CREATE, r->rd, shm_rtt[i][k],
			 shm_rtt_ipa(k), 3, 0, NULL);
	}
	for (p = 0U; p < BENCH_SHM_PAGES; p++) {
		RMI_MUST("RTT_MAP_UNPROTECTED (shared window)", SMC_RMI_RTT_MAP_UNPROTECTED, r->rd,
			 ipa + p * GRANULE_SIZE, 3,
			 shm_pa[p] | S2TTE_MEMATTR_NORMAL_WB | S2TTE_AP_RW, 0, NULL);
	}
}

static void unmap_shm(struct host_realm *r, unsigned int i)
{
	uint64_t ipa = REALM_UNPROTECTED | BENCH_SHM_IPA_OFF;
	unsigned int p, k;

	for (p = 0U; p < BENCH_SHM_PAGES; p++) {
		RMI_MUST("RTT_UNMAP_UNPROTECTED (shared window)", SMC_RMI_RTT_UNMAP_UNPROTECTED, r->rd,
			 ipa + p * GRANULE_SIZE, 3, 0, 0, NULL);
	}
	for (k = 0U; k < shm_nr_rtts(); k++) {
		RMI_MUST("RTT_DESTROY (shared window)", SMC_RMI_RTT_DESTROY, r->rd, shm_rtt_ipa(k), 3,
			 0, 0, NULL);
		undelegate(shm_rtt[i][k]);
	}
}

static void sort(uint64_t *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1U; i < n; i++) {
		for (j = i; j > 0U && v[j - 1U] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1U];
			v[j - 1U] = t;
		}
	}
}

static void emit(const char *what, uint64_t *v, unsigned int n)
{
	sort(v, n);
	fw_printf("@host,%s,%u,%lu,%lu,%lu\n", what, n, v[0], v[(n - 1U) / 2U], v[n - 1U]);
}

/*
 * What the counter counts: a loop of exactly 2,000,000 instructions at NS
 * EL2, measured with CNTPCT_EL0 (the generic timer, as the realms read
 * CNTVCT_EL0) and with the PMU cycle counter PMCCNTR_EL0, which QEMU
 * advances once per instruction under -icount shift=0.  The RMM stops the
 * host's PMU while a realm runs, so realms cannot be measured with it.
 */
static void counter_check(void)
{
	uint64_t n, c0, c1, t0, t1, dt = UINT64_MAX, dc = UINT64_MAX;
	unsigned int i;

	write_sysreg(pmccfiltr_el0, 1UL << 27);		/* NSH: count at EL2 too */
	write_sysreg(pmcntenset_el0, 1UL << 31);
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | 0x5UL);	/* E, C (reset) */
	isb();
	/* The least of three: the idle CPU's wait loop may run once in between. */
	for (i = 0U; i < 3U; i++) {
		n = 1000000UL;
		c0 = read_sysreg(pmccntr_el0);
		t0 = host_now();
		__asm__ volatile("1:\tsubs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
		t1 = host_now();
		isb();
		c1 = read_sysreg(pmccntr_el0);
		dt = (t1 - t0 < dt) ? t1 - t0 : dt;
		dc = (c1 - c0 < dc) ? c1 - c0 : dc;
	}
	fw_printf("[host] counter check at NS EL2, 1000000 x a 2-instruction loop: CNTPCT_EL0 +%lu, "
		  "PMCCNTR_EL0 +%lu; CNTFRQ_EL0 %lu Hz\n", dt, dc, read_sysreg(cntfrq_el0));
	fw_printf("@host,counter-check-cntpct,1,%lu,%lu,%lu\n", dt, dt, dt);
	fw_printf("@host,counter-check-pmccntr,1,%lu,%lu,%lu\n", dc, dc, dc);
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) & ~0x1UL);
	isb();
}

/* GRANULE_DELEGATE and UNDELEGATE (through EL3's GPT update), per granule. */
static void delegate_costs(void)
{
	uint64_t pa[DELEGATE_SAMPLES], d[DELEGATE_SAMPLES], u[DELEGATE_SAMPLES], t0;
	unsigned int i;

	for (i = 0U; i < DELEGATE_SAMPLES; i++) {
		pa[i] = alloc_ns();
		t0 = host_now();
		RMI_MUST("GRANULE_DELEGATE", SMC_RMI_GRANULE_DELEGATE, pa[i], 0, 0, 0, 0, NULL);
		d[i] = host_now() - t0;
	}
	for (i = 0U; i < DELEGATE_SAMPLES; i++) {
		t0 = host_now();
		RMI_MUST("GRANULE_UNDELEGATE", SMC_RMI_GRANULE_UNDELEGATE, pa[i], 0, 0, 0, 0, NULL);
		u[i] = host_now() - t0;
	}
	emit("GRANULE_DELEGATE", d, DELEGATE_SAMPLES);
	emit("GRANULE_UNDELEGATE", u, DELEGATE_SAMPLES);
}

/* Phase A: CPU 0, one realm at a time, until both asked for phase B. */
static void phase_a(void)
{
	unsigned int cur = 0U;

	while (!(phase_b_asked[0] && phase_b_asked[1])) {
		struct host_realm *r = &realms[cur];
		struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[0];

		if (!realm_alive(r)) {
			host_fail("a realm stopped in phase A", cur);
			return;
		}
		if (phase_b_asked[cur]) {
			cur ^= 1U;
			continue;
		}
		run->entry.flags = 0UL;
		realm_step(r, 0U, bench_exit);
		if (run->exit.exit_reason == RMI_EXIT_HOST_CALL) {
			cur ^= 1U;
		}
	}
}

static void run_one(struct host_realm *r, volatile uint32_t *stop)
{
	struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[0];

	while (realm_alive(r) && *stop == 0U) {
		run->entry.flags = 0UL;
		realm_step(r, 0U, bench_exit);
	}
}

/*
 * CPU 1: halted in WFI (nothing to execute, nothing counted) until CPU 0's
 * SGI says phase B has begun; then it runs realm1.
 */
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
		__asm__ volatile("wfi");	/* IRQs masked: the pending SGI wakes it */
	}
	(void)host_irq_ack();
	if (cpu1_go == CPU1_RUN) {
		run_one(&realms[1], &stop_realm1);
	}
}

/* ICC_SGI1R_EL1: INTID SGI_WAKE to Aff0 = 1 (TargetList bit 1) in cluster 0. */
static void sgi_cpu1(void)
{
	dsb_sy();
	write_sysreg(S3_0_C12_C11_5, ((uint64_t)SGI_WAKE << 24) | (1UL << 1));
	isb();
}

static void wake_cpu1(uint32_t how)
{
	__atomic_store_n(&cpu1_go, how, __ATOMIC_RELEASE);
	sgi_cpu1();
}

int host_main(void)
{
	static const struct realm_image img = { realm_bench_start, realm_bench_end };
	unsigned long on;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] bench%s: instruction counts under QEMU -icount shift=0; realm0 provides "
		  "and sends, realm1 consumes and receives\n",
#ifdef BENCH_QUICK
		  " (quick)"
#else
		  ""
#endif
		  );
	counter_check();
	delegate_costs();
	host_csm_init(realms, cs, NR_REALMS);
	host_csm_post(BK_QUICK,
#ifdef BENCH_QUICK
		      1UL
#else
		      0UL
#endif
		      );
	host_csm_post(BK_REPS, BENCH_REPS);
	host_csm_post(BK_CALL_REPS, BENCH_CALL_REPS);
	host_csm_post(BK_MAX_MSG, BENCH_MSG_MAX);
	host_csm_post(BK_SWEEP_MAX, BENCH_SWEEP);
	for (i = 0U; i < BENCH_SHM_PAGES; i++) {
		shm_pa[i] = alloc_ns();
	}
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &cs[i];
		host_csm_set_window(&cs[i], BENCH_CSM_WINDOW, BENCH_CSM_WINDOW + BENCH_CSM_WINDOW_SIZE);
		realm_build(&realms[i], i, &img, 1U, 0UL);
		map_shm(&realms[i], i);
	}
	on = host_cpu_on(1U, cpu1_runs_realm1, NULL);
	if (on != 0UL) {
		host_fail("CPU_ON of cpu1", on);
		host_exit(1);
	}
	while (__atomic_load_n(&cpu1_parked, __ATOMIC_ACQUIRE) == 0U) {
		__asm__ volatile("yield");
	}
	fw_printf("[host] phase A: both realms on cpu0 (RMM costs, set-up), cpu1 halted in WFI\n");
	phase_a();
	if (phase_b_asked[0] && phase_b_asked[1]) {
		fw_printf("[host] phase B: realm0 on cpu0, realm1 on cpu1 (stop-and-wait messages)\n");
		wake_cpu1(CPU1_RUN);
		run_one(&realms[0], &stop_realm1);
		/*
		 * realm0 failed: realm1 would wait for its messages for ever
		 * without an exit.  The SGI makes it exit (RMI_EXIT_IRQ), and
		 * CPU 1 stops entering it.
		 */
		if (exit_failed[0] || !realms[0].off) {
			__atomic_store_n(&stop_realm1, 1U, __ATOMIC_RELEASE);
			sgi_cpu1();
		}
	} else {
		wake_cpu1(CPU1_RETURN);	/* phase B never came */
	}
	host_cpu_wait(1U);
	for (i = 0U; i < NR_REALMS; i++) {
		if (!realms[i].off) {
			host_fail("realm did not end with SYSTEM_OFF", i);
		}
	}
	host_csm_report();
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_unmap_window(&cs[i]);
		unmap_shm(&realms[i], i);
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
