/*
 * Names for ESR_EL1 exception classes and abort fault status codes (Arm
 * ARM D17.2.37, "ESR_EL1"), so a fault report says what happened.  Pure
 * functions: also unit-tested natively (realm/rt/tests).
 */
#include <rt/rt.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FU)
#define ESR_FSC(esr)	((esr) & 0x3FU)

const char *rt_esr_class_name(uint64_t esr)
{
	switch (ESR_EC(esr)) {
	case 0x00: return "Unknown reason";
	case 0x01: return "WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0E: return "Illegal execution state";
	case 0x15: return "SVC (AArch64)";
	case 0x16: return "HVC (AArch64)";
	case 0x17: return "SMC (AArch64)";
	case 0x18: return "MSR/MRS/system instruction";
	case 0x19: return "SVE access";
	case 0x20: return "Instruction Abort (lower EL)";
	case 0x21: return "Instruction Abort (same EL)";
	case 0x22: return "PC alignment fault";
	case 0x24: return "Data Abort (lower EL)";
	case 0x25: return "Data Abort (same EL)";
	case 0x26: return "SP alignment fault";
	case 0x2C: return "FP exception (AArch64)";
	case 0x2F: return "SError";
	case 0x30: return "Breakpoint (lower EL)";
	case 0x31: return "Breakpoint (same EL)";
	case 0x32: return "Software Step (lower EL)";
	case 0x33: return "Software Step (same EL)";
	case 0x34: return "Watchpoint (lower EL)";
	case 0x35: return "Watchpoint (same EL)";
	case 0x3C: return "BRK (AArch64)";
	default: return "Reserved or unhandled class";
	}
}

static bool is_abort(uint64_t esr)
{
	uint64_t ec = ESR_EC(esr);

	return ec == 0x20U || ec == 0x21U || ec == 0x24U || ec == 0x25U;
}

const char *rt_fault_status_name(uint64_t esr)
{
	static const char *const level_names[4][4] = {
		{ "address size fault, level 0", "address size fault, level 1",
		  "address size fault, level 2", "address size fault, level 3" },
		{ "translation fault, level 0", "translation fault, level 1",
		  "translation fault, level 2", "translation fault, level 3" },
		{ "access flag fault, level 0", "access flag fault, level 1",
		  "access flag fault, level 2", "access flag fault, level 3" },
		{ "permission fault, level 0", "permission fault, level 1",
		  "permission fault, level 2", "permission fault, level 3" },
	};
	uint64_t fsc = ESR_FSC(esr);

	if (!is_abort(esr)) {
		return "not an abort";
	}
	if (fsc < 0x10U) {
		return level_names[fsc >> 2][fsc & 3U];
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "synchronous tag check fault";
	case 0x14: case 0x15: case 0x16: case 0x17:
		return "synchronous external abort on a table walk";
	case 0x18: return "synchronous parity/ECC error";
	case 0x21: return "alignment fault";
	case 0x28: return "granule protection fault";
	case 0x30: return "TLB conflict abort";
	case 0x31: return "unsupported atomic hardware update";
	default: return "reserved fault status";
	}
}
