/*
 * Processes and the scheduler.  Round-robin over runnable processes at
 * every exception that gives up the CPU (a blocking call, sched_yield, a
 * trapped WFI, an exit).  No preemption of EL0 code yet: an application
 * runs until it makes such a call (the host still preempts the realm).
 *
 * Blocked processes are re-checked in their own address space whenever
 * the scheduler runs.  When nothing can run, the kernel arms the virtual
 * timer for the earliest deadline and executes WFI: the host, which asks
 * the RMM to trap WFI, re-enters the realm when the timer is due (or when
 * a peer's CSM_DOORBELL makes it), and injects the timer's interrupt,
 * which the kernel acknowledges through the GIC CPU interface.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#define VTIMER_INTID	27U

struct proc procs[KMAX_PROCS];
struct proc *cur;
static unsigned int next_pid = 1U;
static unsigned int idle_wfis, idle_timer_irqs;

uint64_t ktime_ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t freq(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

uint64_t ktime_ns_to_ticks(int64_t ns)
{
	uint64_t f = freq();

	if (ns <= 0) {
		return 0U;
	}
	/* Seconds and the rest separately: no overflow for any int64 ns. */
	return ((uint64_t)ns / 1000000000U) * f + (((uint64_t)ns % 1000000000U) * f) / 1000000000U;
}

void kernel_idle_init(void)
{
	/* GIC CPU interface: every priority, Group 1 on (the host injects INTID 27). */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xFFUL));	/* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0" : : "r"(1UL));	/* ICC_IGRPEN1_EL1 */
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");
	/* EL0 may read the virtual counter (CNTKCTL_EL1.EL0VCTEN). */
	__asm__ volatile("msr cntkctl_el1, %0\n\tisb" : : "r"(2UL));
}

struct proc *proc_alloc(const char *name)
{
	unsigned int i;

	for (i = 0U; i < KMAX_PROCS; i++) {
		struct proc *p = &procs[i];

		if (p->state == P_FREE) {
			memset(p, 0, sizeof(*p));
			p->pid = next_pid++;
			strncpy(p->name, name, KNAME_MAX - 1U);
			return p;
		}
	}
	return NULL;
}

void sched_block(struct proc *p, enum wait_kind w, int64_t timeout_ns)
{
	p->nvcsw++;
	p->state = P_BLOCKED;
	p->wait = w;
	p->deadline = (timeout_ns < 0) ? 0U : ktime_ticks() + ktime_ns_to_ticks(timeout_ns);
	if (timeout_ns == 0) {
		p->deadline = ktime_ticks();
	}
}

/*
 * wait4 on a child: once it has ended, its status (Linux's encoding: exit
 * status << 8, or the signal that killed it) goes to the parent and the
 * child's slot is freed.
 */
static bool child_done(struct proc *p)
{
	unsigned int i;

	for (i = 0U; i < KMAX_PROCS; i++) {
		struct proc *c = &procs[i];

		if (c->pid != (unsigned int)p->wait_arg[0] || c->state == P_FREE) {
			continue;
		}
		if (c->state != P_ZOMBIE) {
			return false;
		}
		if (p->wait_arg[1] != 0U) {
			int32_t st = c->killed_by != 0 ? c->killed_by : (c->exit_status & 0xFF) << 8;

			(void)copy_to_user(p->wait_arg[1], &st, sizeof(st));
		}
		p->ctx.x[0] = c->pid;
		c->state = P_FREE;
		return true;
	}
	p->ctx.x[0] = (uint64_t)-RERR_ECHILD;
	return true;
}

/* The wait condition of a blocked process; its address space is active. */
static bool wait_done(struct proc *p, uint64_t now)
{
	switch (p->wait) {
	case W_SLEEP:
		if (now >= p->deadline) {
			p->ctx.x[0] = 0U;
			return true;
		}
		return false;
	case W_EVENT:
	case W_DOORBELL:
		return csm_wait_poll(p, now);
	case W_CHILD:
		return child_done(p);
	default:
		return true;
	}
}

/* WFI until the virtual timer fires at `deadline` (0: no deadline). */
static void idle(uint64_t deadline)
{
	uint64_t iar;

	if (deadline != 0U) {
		__asm__ volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
				 : : "r"(deadline), "r"(1UL));
	}
	idle_wfis++;
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar));	/* ICC_IAR1_EL1 */
	iar &= 0xFFFFFFUL;
	if (iar < 1020U) {
		if (iar == VTIMER_INTID) {
			idle_timer_irqs++;
			__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");
		}
		__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"(iar));	/* ICC_EOIR1_EL1 */
	}
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");
}

static void kernel_finish(void)
{
	unsigned int i;

	vm_activate_kernel();
	printf("[kernel] every application has ended; idle WFIs %u, virtual timer interrupts %u\n",
	       idle_wfis, idle_timer_irqs);
	for (i = 0U; i < KMAX_PROCS; i++) {
		if (procs[i].pid != 0U && procs[i].state == P_ZOMBIE) {
			printf("[kernel]   %s (pid %u): %s %d\n", procs[i].name, procs[i].pid,
			       procs[i].killed_by != 0 ? "killed by signal" : "exit status",
			       procs[i].killed_by != 0 ? procs[i].killed_by : procs[i].exit_status);
		}
	}
	exit(0);
}

void schedule(struct rt_frame *frame)
{
	unsigned int start = (cur != NULL) ? (unsigned int)(cur - procs) + 1U : 0U, k;

	if (cur != NULL && cur->state != P_FREE && cur->state != P_ZOMBIE) {
		cur->ctx = *frame;
	}
	for (;;) {
		uint64_t now = ktime_ticks(), earliest = 0U;
		bool alive = false;

		for (k = 0U; k < KMAX_PROCS; k++) {
			struct proc *p = &procs[(start + k) % KMAX_PROCS];

			if (p->state == P_BLOCKED) {
				vm_activate(p);
				if (wait_done(p, now)) {
					p->state = P_RUNNABLE;
					p->wait = W_NONE;
				} else {
					uint64_t d = p->deadline;

					/* The RMM does not announce revocations: a waiter on
					 * an attached region looks again every 10 ms. */
					if ((p->wait == W_EVENT || p->wait == W_DOORBELL) &&
					    csm_has_attached(p)) {
						uint64_t poll = now + ktime_ns_to_ticks(CSM_REVOKE_POLL_NS);

						d = (d == 0U || poll < d) ? poll : d;
					}
					if (d != 0U && (earliest == 0U || d < earliest)) {
						earliest = d;
					}
				}
			}
			if (p->state == P_RUNNABLE) {
				cur = p;
				vm_activate(p);
				*frame = p->ctx;
				return;
			}
			alive = alive || p->state == P_BLOCKED;
		}
		if (!alive) {
			cur = NULL;
			kernel_finish();
		}
		idle(earliest);
	}
}
