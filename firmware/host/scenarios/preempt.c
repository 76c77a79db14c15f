/*
 * Scenario "preempt" (host-preempt.elf, test fw_preempt): three realms of
 * the "work" payload.  realm0 spins for ever without a single exit;
 * realm1 (on CPU 0, round-robin with realm0) and realm2 (on CPU 1, at the
 * same time) count, then wait 5 ms on their virtual timer with WFI, which
 * the host traps (enter.flags).  The host's EL2 timer (a 1 ms slice before
 * every REC_ENTER) preempts whoever runs (RMI_EXIT_IRQ); a REC waiting in
 * WFI is not entered again until its exit.cntv_cval has passed, and its
 * timer interrupt (exit.cntv_ctl asserted) is injected as virtual INTID
 * 27 through enter.gicv3_lrs.  When both workers are off, the host
 * destroys the spinner, and every granule must end undelegated and zero.
 */
#include "host.h"

#define NR_REALMS	3U
#define WORK_SPIN	1UL
#define WORK_COUNT	2UL
#define LR_VTIMER	((1UL << 62) | (1UL << 60) | (0xA0UL << 48) | 27UL)	/* pending, G1 */
#define LR_STATE(lr)	(((lr) >> 62) & 3UL)
#define CNT_ASSERTED(ctl) (((ctl) & 7UL) == 5UL)	/* ENABLE, ISTATUS, !IMASK */

extern const uint8_t realm_work_start[], realm_work_end[];

int host_main(void);

struct preempt_realm {
	unsigned int irq_exits, wfx_exits, injected;
	uint64_t wait_until;		/* 0: runnable */
	uint64_t first_entry, last_exit;
};

static struct host_realm realms[NR_REALMS];
static struct preempt_realm pr[NR_REALMS];

static bool preempt_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	struct preempt_realm *p = r->priv;
	const struct rmi_rec_exit *e = &run->exit;

	(void)k;
	p->last_exit = host_now();
	/* Every exit: keep the LR state, inject the realm's timer if it fired. */
	run->entry.gicv3_lrs[0] = e->gicv3_lrs[0];
	if (CNT_ASSERTED(e->cntv_ctl) && LR_STATE(e->gicv3_lrs[0]) == 0UL) {
		run->entry.gicv3_lrs[0] = LR_VTIMER;
		p->injected++;
		p->wait_until = 0UL;
	}
	switch (e->exit_reason) {
	case RMI_EXIT_IRQ:
		(void)host_irq_ack();
		p->irq_exits++;
		return true;
	case RMI_EXIT_SYNC:
		if ((e->esr >> 26) != 0x01UL) {
			return false;
		}
		p->wfx_exits++;
		/* WFI: not worth entering before its timer can fire. */
		if ((e->cntv_ctl & 1UL) != 0UL && !CNT_ASSERTED(e->cntv_ctl)) {
			p->wait_until = e->cntv_cval;
		}
		return true;
	default:
		return false;
	}
}

/* Round-robin over `n` realms on this CPU until each of `finite` is off. */
static void run_realms(struct host_realm *rs, unsigned int n, unsigned int finite)
{
	uint64_t slice = host_ticks_per_ms();
	unsigned int i, done = 0U;

	host_timer_init();
	while (done < finite) {
		done = 0U;
		for (i = 0U; i < n; i++) {
			struct host_realm *r = &rs[i];
			struct preempt_realm *p = r->priv;
			struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[0];

			if (!realm_alive(r)) {
				done += (r->off) ? 1U : 0U;
				continue;
			}
			if (p->wait_until != 0UL && host_now() < p->wait_until) {
				continue;
			}
			p->wait_until = 0UL;
			run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI | REC_ENTRY_FLAG_TRAP_WFE;
			if (p->first_entry == 0UL) {
				p->first_entry = host_now();
			}
			host_slice_arm(slice);
			realm_step(r, 0U, preempt_exit);
			host_slice_disarm();
		}
	}
}

static void cpu1_runs_realm2(void *arg)
{
	(void)arg;
	run_realms(&realms[2], 1U, 1U);
}

static void report(unsigned int i, unsigned int cpu)
{
	fw_printf("[host] realm%u on cpu%u: %u REC exits, %u preempted by the host timer "
		  "(RMI_EXIT_IRQ), %u WFx exits, %u virtual timer injections, %s\n", i, cpu,
		  realms[i].exits, pr[i].irq_exits, pr[i].wfx_exits, pr[i].injected,
		  realms[i].off ? "finished (SYSTEM_OFF)" : "still running");
}

int host_main(void)
{
	static const struct realm_image img = { realm_work_start, realm_work_end };
	unsigned long on;
	unsigned int i, j, nonzero = 0U, pages = 0U;
	bool overlap;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] preempt: realm0 spins, realm1 (cpu0) and realm2 (cpu1) count and wait\n");
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &pr[i];
		realm_build(&realms[i], i, &img, 1U, (i == 0U) ? WORK_SPIN : WORK_COUNT);
	}
	on = host_cpu_on(1U, cpu1_runs_realm2, NULL);
	if (on != 0UL) {
		host_fail("CPU_ON of cpu1", on);
		host_exit(1);
	}
	run_realms(realms, 2U, 1U);
	host_cpu_wait(1U);
	for (i = 0U; i < NR_REALMS; i++) {
		report(i, (i == 2U) ? 1U : 0U);
	}
	overlap = pr[2].first_entry < pr[1].last_exit && pr[1].first_entry < pr[2].last_exit;
	fw_printf("[host] RECs ran on both CPUs at once: %s\n", overlap ? "yes" : "no");
	if (!overlap || realms[0].off || !realms[1].off || !realms[2].off || pr[0].irq_exits < 3U ||
	    pr[1].irq_exits == 0U || pr[1].injected == 0U || pr[2].injected == 0U) {
		host_fail("preemption, virtual timer or concurrency", pr[0].irq_exits);
	}

	/* The spinner never stops by itself: destroy it while it is not running. */
	for (i = 0U; i < NR_REALMS; i++) {
		realm_teardown(&realms[i]);
	}
	for (i = 0U; i < NR_REALMS; i++) {
		for (j = 0U; j < realms[i].npages; j++) {
			const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)realms[i].data[j];
			unsigned int w;

			for (w = 0U; w < GRANULE_SIZE / 8U; w++) {
				nonzero += (p[w] != 0UL) ? 1U : 0U;
			}
			pages++;
		}
	}
	fw_printf("[host] after teardown: %u granules still delegated; %u former realm pages "
		  "read back from Normal EL2, %u non-zero words\n", host_nr_delegated(), pages, nonzero);
	if (host_nr_delegated() != 0U || nonzero != 0U) {
		host_count_failure();
	}
	return host_result();
}
