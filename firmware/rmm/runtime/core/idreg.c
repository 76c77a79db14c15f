/*
 * The ID registers a realm reads (HCR_EL2.TID3 traps them): the CPU's
 * values, less the features the RMM does not give realms.  RMM v1.0
 * A3.1.3: a realm whose SVE is disabled must read ID_AA64PFR0_EL1.SVE as
 * "not implemented", and the RMM should trap and emulate the read.  A
 * realm OS that found SVE, SME, a PMU or pointer authentication here
 * would enable and use them, and take an UNDEF (or, for PAuth, trap to
 * the RMM) on its first use.  Portable: plat_id_reg() reads the CPU.
 */
#include <plat.h>
#include <smc-handler.h>

#define FIELD(shift)		(0xFUL << (shift))
#define IDREG(crm, op2)		(((crm) << 3) | (op2))

uint64_t idreg_realm_value(unsigned int crm, unsigned int op2, uint64_t hw)
{
	switch (IDREG(crm, op2)) {
	case IDREG(4U, 0U):	/* ID_AA64PFR0_EL1: SVE, SEL2, MPAM, AMU, RME */
		return hw & ~(FIELD(32) | FIELD(36) | FIELD(40) | FIELD(44) | FIELD(52));
	case IDREG(4U, 1U):	/* ID_AA64PFR1_EL1: MTE, MPAM_frac, SME, GCS */
		return hw & ~(FIELD(8) | FIELD(16) | FIELD(24) | FIELD(28) | FIELD(44));
	case IDREG(4U, 2U):	/* ID_AA64PFR2_EL1: MTE and FPMR extensions */
	case IDREG(4U, 4U):	/* ID_AA64ZFR0_EL1: SVE */
	case IDREG(4U, 5U):	/* ID_AA64SMFR0_EL1: SME */
	case IDREG(4U, 7U):	/* ID_AA64FPFR0_EL1: FP8 (FPMR) */
	case IDREG(7U, 3U):	/* ID_AA64MMFR3_EL1: TCR2, SCTLR2, S1PIE, S1POE...: EL3 enables none */
		return 0UL;
	case IDREG(5U, 0U):	/* ID_AA64DFR0_EL1: no PMU, SPE, trace, BRBE for realms */
		return hw & ~(FIELD(4) | FIELD(8) | FIELD(32) | FIELD(40) | FIELD(44) | FIELD(52));
	case IDREG(6U, 1U):	/* ID_AA64ISAR1_EL1: pointer authentication (APA, API, GPA, GPI) */
		return hw & ~(FIELD(4) | FIELD(8) | FIELD(24) | FIELD(28));
	case IDREG(6U, 2U):	/* ID_AA64ISAR2_EL1: pointer authentication (GPA3, APA3) */
		return hw & ~(FIELD(8) | FIELD(12));
	default:
		return hw;
	}
}
