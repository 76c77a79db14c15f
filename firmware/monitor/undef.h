/*
 * What the monitor does with an instruction a lower EL executed that
 * trapped to EL3 and is not an SMC: a system register or feature that EL3
 * leaves disabled for that world (SCR_EL3.EnTP2 = 0 makes TPIDR2_EL0 trap
 * here, for instance).  The instruction is UNDEFINED for its world: the
 * monitor makes the lower EL take an Unknown exception (EC 0) at its own
 * vector, as TF-A does, instead of stopping the machine, so a realm (or
 * the host) cannot power everything off with one MSR.  Pure decision
 * here (unit-tested natively); monitor.c writes the registers.
 */
#ifndef MONITOR_UNDEF_H
#define MONITOR_UNDEF_H

#include <stdbool.h>
#include <stdint.h>

#define UNDEF_ESR	(1UL << 25)	/* ESR_ELx: EC 0 (Unknown reason), IL */

struct undef_target {
	unsigned int el;	/* 1 or 2: the EL that takes the exception */
	uint64_t vector;	/* offset from VBAR_ELx */
	uint64_t spsr;		/* PSTATE at the handler (goes to SPSR_EL3) */
};

/*
 * spsr_el3: the PSTATE the trapping instruction ran with; tge: HCR_EL2.TGE
 * of that world; target_span: SCTLR_EL1.SPAN (PSTATE.PAN is set on entry
 * to EL1 when it is 0).  False for a source the monitor cannot return to
 * (AArch32, or EL3 itself): the caller stops the machine.
 */
bool undef_target(uint64_t spsr_el3, bool tge, bool target_span, struct undef_target *t);

#endif /* MONITOR_UNDEF_H */
