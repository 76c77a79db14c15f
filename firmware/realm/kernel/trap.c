/*
 * The kernel's exception hook (installed with rt_set_exception_hook):
 * everything from EL0.  Exceptions at EL1 are left to the runtime (its
 * fixups make user copies fail with EFAULT; anything else is a kernel
 * bug, reported before the realm ends).
 */
#include <stdio.h>

#include <rt/rt.h>

#include "kernel.h"

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FU)
#define EC_UNKNOWN	0x00U
#define EC_WFX		0x01U
#define EC_SVC64	0x15U
#define EC_SYSREG	0x18U
#define EC_IABT_LOW	0x20U
#define EC_PC_ALIGN	0x22U
#define EC_DABT_LOW	0x24U
#define EC_SP_ALIGN	0x26U
#define EC_BRK		0x3CU
#define FSC_PERM_MASK	0x3CU
#define FSC_PERM	0x0CU

/* The kernel's own TLS (picolibc's errno lives there): set on every entry from EL0. */
static uint64_t kernel_tpidr;

static void fault(struct proc *p, struct rt_frame *f)
{
	uint64_t esr = f->esr, ec = ESR_EC(esr);

	if ((ec == EC_DABT_LOW || ec == EC_IABT_LOW) && csm_fault(p, f->far, esr)) {
		(void)signal_fault(p, f, RSIGBUS, RBUS_ADRERR, f->far,
				   "access to a revoked CSM region");
		return;
	}
	switch (ec) {
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		(void)signal_fault(p, f, RSIGSEGV,
				   ((esr & FSC_PERM_MASK) == FSC_PERM) ? RSEGV_ACCERR : RSEGV_MAPERR,
				   f->far, rt_fault_status_name(esr));
		return;
	case EC_PC_ALIGN:
	case EC_SP_ALIGN:
		(void)signal_fault(p, f, RSIGBUS, RBUS_ADRERR, f->far, "alignment");
		return;
	default:
		(void)signal_fault(p, f, RSIGILL, RILL_ILLOPC, f->elr, "illegal instruction");
		return;
	}
}

static void lower_sync(struct proc *p, struct rt_frame *f)
{
	int64_t ret;

	switch (ESR_EC(f->esr)) {
	case EC_SVC64:
		ret = syscall_dispatch(p, f);
		if (ret != SYSCALL_BLOCKED && p->state == P_RUNNABLE) {
			f->x[0] = (uint64_t)ret;
		}
		return;
	case EC_WFX:
		f->elr += 4U;		/* an application's WFI/WFE: a yield */
		return;
	default:
		fault(p, f);
		return;
	}
}

bool kernel_trap(struct rt_frame *f, unsigned int kind)
{
	struct proc *p = cur;
	bool yield;

	if (kind < RT_VEC_LOWER_SYNC) {
		return false;
	}
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(kernel_tpidr));
	if (p == NULL) {
		rt_report_exception(f, kind, "exception from EL0 with no current process");
		return false;
	}
	yield = false;
	switch (kind) {
	case RT_VEC_LOWER_SYNC:
		yield = ESR_EC(f->esr) == EC_WFX ||
			(ESR_EC(f->esr) == EC_SVC64 && f->x[8] == RSYS_sched_yield);
		lower_sync(p, f);
		break;
	case RT_VEC_LOWER_IRQ:
	case RT_VEC_LOWER_FIQ:
		/* EL0 runs with IRQs masked; an interrupt here is spurious. */
		break;
	default:
		proc_kill(p, RSIGBUS, f, "SError or AArch32 exception");
		break;
	}
	if (p->state != P_RUNNABLE || yield) {
		schedule(f);
	}
	return true;
}

/* Called once at boot, with the kernel's TLS installed. */
void kernel_trap_init(void);
void kernel_trap_init(void)
{
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(kernel_tpidr));
	rt_set_exception_hook(kernel_trap);
}
