/*
 * What the runtime does with an exception (aarch64/vectors.S calls
 * rt_exception with the saved frame):
 *   1. an installed hook (a realm kernel's) gets it first;
 *   2. a synchronous abort at a probe or other fixup site resumes at the
 *      fixup, with the fault recorded;
 *   3. anything else is reported on the console (class, ESR, FAR, ELR,
 *      registers) and the realm ends cleanly: exit status 128 + EC to the
 *      host, then PSCI SYSTEM_OFF.
 * Reports are printed with the firmware's small printf straight to the
 * UART, not stdio, which the faulting code may have been in the middle of.
 */
#include <console.h>

#include <rt/frame.h>
#include <rt/rt.h>
#include <rt/runtime.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FU)
#define EC_IABT_CUR	0x21U
#define EC_DABT_CUR	0x25U
#define MAX_NESTING	2U

struct rt_extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct rt_extable_entry __rt_extable_start[], __rt_extable_end[];
extern char __rt_probe_call_return[], __rt_probe_call_fixup[];
int __rt_probe_ld(const volatile void *addr, uint64_t *val);
int __rt_probe_st(volatile void *addr, uint64_t val);
int __rt_probe_call(const void *fn);

static rt_exception_hook hook;
static struct rt_fault last_fault;
static unsigned int nesting;

static const char *const vector_names[16] = {
	"EL1 with SP_EL0, sync", "EL1 with SP_EL0, IRQ", "EL1 with SP_EL0, FIQ",
	"EL1 with SP_EL0, SError", "EL1 with SP_EL1, sync", "EL1 with SP_EL1, IRQ",
	"EL1 with SP_EL1, FIQ", "EL1 with SP_EL1, SError", "EL0 (AArch64), sync",
	"EL0 (AArch64), IRQ", "EL0 (AArch64), FIQ", "EL0 (AArch64), SError",
	"EL0 (AArch32), sync", "EL0 (AArch32), IRQ", "EL0 (AArch32), FIQ",
	"EL0 (AArch32), SError",
};

void rt_set_exception_hook(rt_exception_hook h)
{
	hook = h;
}

bool rt_fixup(struct rt_frame *f)
{
	const struct rt_extable_entry *e;
	uint64_t ec = ESR_EC(f->esr), fix = 0UL;

	if (ec == EC_IABT_CUR && f->x[30] == (uint64_t)(uintptr_t)__rt_probe_call_return) {
		fix = (uint64_t)(uintptr_t)__rt_probe_call_fixup;
	} else if (ec == EC_DABT_CUR) {
		for (e = __rt_extable_start; e < __rt_extable_end; e++) {
			if (e->insn == f->elr) {
				fix = e->fixup;
				break;
			}
		}
	}
	if (fix == 0UL) {
		return false;
	}
	last_fault.esr = f->esr;
	last_fault.far = f->far;
	last_fault.elr = f->elr;
	f->elr = fix;
	return true;
}

void rt_report_exception(const struct rt_frame *f, unsigned int kind, const char *what)
{
	uint64_t ec = ESR_EC(f->esr);
	unsigned int i;

	fw_printf("[rt] %s: %s, taken from %s\n", what, rt_esr_class_name(f->esr),
		  vector_names[kind & 15U]);
	fw_printf("[rt]   ESR_EL1=0x%lx (EC 0x%lx, ISS 0x%lx: %s%s)\n", f->esr, ec,
		  f->esr & 0x1FFFFFFUL, rt_fault_status_name(f->esr),
		  ((ec == 0x24U || ec == EC_DABT_CUR) && (f->esr & (1UL << 6)) != 0UL) ? ", write" :
		  ((ec == 0x24U || ec == EC_DABT_CUR) ? ", read" : ""));
	fw_printf("[rt]   FAR_EL1=0x%lx ELR_EL1=0x%lx SPSR_EL1=0x%lx SP=0x%lx\n", f->far, f->elr,
		  f->spsr, ((f->spsr & 0xFUL) == 0x5UL) ?
		  (uint64_t)(uintptr_t)f + RT_FRAME_SIZE : f->sp);
	for (i = 0U; i < 30U; i += 3U) {
		fw_printf("[rt]   x%u=0x%lx x%u=0x%lx x%u=0x%lx\n", i, f->x[i], i + 1U, f->x[i + 1U],
			  i + 2U, f->x[i + 2U]);
	}
	fw_printf("[rt]   x30=0x%lx\n", f->x[30]);
}

void rt_exception(struct rt_frame *f, unsigned int kind)
{
	if (++nesting > MAX_NESTING) {
		fw_printf("[rt] exception while handling an exception: ESR_EL1=0x%lx ELR_EL1=0x%lx "
			  "FAR_EL1=0x%lx\n", f->esr, f->elr, f->far);
		rt_terminate(RT_EXIT_FAULT_BASE + 0x3F);
	}
	if (hook != NULL && hook(f, kind)) {
		nesting--;
		return;
	}
	if ((kind == RT_VEC_CUR_SP0_SYNC || kind == RT_VEC_CUR_SPX_SYNC) && rt_fixup(f)) {
		nesting--;
		return;
	}
	rt_console_flush();
	rt_report_exception(f, kind, "unhandled exception");
	fw_printf("[rt] realm ends: exit status %lu\n", RT_EXIT_FAULT_BASE + ESR_EC(f->esr));
	rt_terminate((int)(RT_EXIT_FAULT_BASE + ESR_EC(f->esr)));
}

static int probe_result(int ret, struct rt_fault *fault)
{
	if (ret != 0 && fault != NULL) {
		*fault = last_fault;
	}
	return ret;
}

int rt_probe_read64(const volatile void *addr, uint64_t *val, struct rt_fault *fault)
{
	uint64_t v = 0UL;
	int ret = __rt_probe_ld(addr, &v);

	if (val != NULL) {
		*val = v;
	}
	return probe_result(ret, fault);
}

int rt_probe_write64(volatile void *addr, uint64_t val, struct rt_fault *fault)
{
	return probe_result(__rt_probe_st(addr, val), fault);
}

int rt_probe_exec(const void *addr, struct rt_fault *fault)
{
	return probe_result(__rt_probe_call(addr), fault);
}
