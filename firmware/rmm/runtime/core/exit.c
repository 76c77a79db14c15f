/*
 * What happens when a realm leaves Realm EL1: trapped SMCs are RSI/PSCI
 * calls handled here (some need the host: HOST_CALL, PSCI); aborts on
 * RIPAS EMPTY memory become an SEA injected into the realm; other aborts
 * stage 2 could not resolve and anything unexpected go to the host as REC
 * exits with the syndrome the spec allows it to see.  The next REC_ENTER
 * completes a data-abort exit as the host's enter.flags say
 * (rec_entry_complete_abort: emulated MMIO or an injected SEA).
 */
#include <granule.h>
#include <plat.h>
#include <realm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <string.h>

#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		(((esr) >> ESR_EC_SHIFT) & 0x3FUL)
#define ESR_EC_UNKNOWN		0x00UL
#define ESR_EC_WFX		0x01UL
/* ESR_EL2.ISS of a trapped MSR/MRS (EC 0x18): the register, Rt, direction. */
#define SYSREG_KEY(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_KEY_MASK		SYSREG_KEY(0x3UL, 0x7UL, 0xFUL, 0xFUL, 0x7UL)
#define SYSREG_RT_SHIFT		5
#define SYSREG_RT_MASK		(0x1FUL << SYSREG_RT_SHIFT)
#define SYSREG_READ		BIT(0)
#define ICC_DIR_EL1		SYSREG_KEY(3UL, 0UL, 12UL, 11UL, 1UL)
#define ICC_SGI1R_EL1		SYSREG_KEY(3UL, 0UL, 12UL, 11UL, 5UL)
#define ICC_ASGI1R_EL1		SYSREG_KEY(3UL, 1UL, 12UL, 11UL, 6UL)
#define ICC_SGI0R_EL1		SYSREG_KEY(3UL, 2UL, 12UL, 11UL, 7UL)
#define ESR_EC_CP15_32		0x03UL	/* AArch32 MCR/MRC (EL0 of a realm) */
#define ESR_EC_CP15_64		0x04UL
#define ESR_EC_CP14_MR		0x05UL
#define ESR_EC_CP14_LS		0x06UL
#define ESR_EC_CP14_64		0x0CUL
#define ESR_EC_PAC		0x09UL
#define ESR_EC_HVC64		0x16UL
#define ESR_EC_SMC64		0x17UL
#define ESR_EC_SYSREG		0x18UL
#define ESR_EC_SVE		0x19UL
#define ESR_EC_SME		0x1DUL
#define ESR_EC_IABT_LOWER	0x20UL
#define ESR_EC_DABT_LOWER	0x24UL
#define ESR_IL			BIT(25)
#define ESR_WFX_TI		0x3UL		/* ISS.TI: WFI, WFE, WFIT, WFET */
#define ESR_DABT_ISV		BIT(24)
#define ESR_DABT_SAS		(0x3UL << 22)
#define ESR_DABT_SRT_SHIFT	16
#define ESR_DABT_SF		BIT(15)
#define ESR_ABT_SET		(0x3UL << 11)
#define ESR_ABT_FNV		BIT(10)
#define ESR_ABT_EA		BIT(9)
#define ESR_DABT_WNR		BIT(6)
#define ESR_ABT_S1PTW		BIT(7)
#define ESR_FSC_MASK		0x3FUL
#define ESR_SERROR_IDS		BIT(24)
#define ESR_SERROR_AET		(0x7UL << 10)
#define HPFAR_FIPA_SHIFT	4
#define ESR_EC_IABT_CUR		0x21UL
#define ESR_EC_DABT_CUR		0x25UL
#define FSC_SEA			0x10UL	/* synchronous external abort, not on a walk */
#define PSTATE_M_MASK		0xFUL
#define PSTATE_EL1H		0x5UL
#define PSTATE_EL1T		0x4UL
#define PSTATE_NRW		BIT(4)	/* AArch32 (only ever at the realm's EL0) */
#define REC_EXC_PSTATE		0x3C5UL	/* EL1h, DAIF masked */

static uint64_t fault_ipa(const struct realm_exception *exc)
{
	return ((exc->hpfar >> HPFAR_FIPA_SHIFT) << GRANULE_SHIFT) | (exc->far & GRANULE_MASK);
}

/*
 * RMM v1.0 A4.3.4.3: exit.esr keeps EC and only the ISS fields listed
 * for the kind of abort; HPFAR always, FAR (granule offset only) and the
 * store data only for an emulatable abort (unprotected IPA, ISV = 1).
 */
uint64_t dabt_exit_esr(uint64_t esr, bool unprotected)
{
	uint64_t keep = (ESR_EC(esr) << ESR_EC_SHIFT) | ESR_ABT_SET | ESR_ABT_FNV | ESR_ABT_EA |
			ESR_FSC_MASK;

	if (unprotected && (esr & ESR_DABT_ISV) != 0UL) {
		keep |= ESR_DABT_ISV | ESR_DABT_SAS | ESR_DABT_SF | ESR_DABT_WNR;
	} else if (unprotected) {
		keep |= ESR_IL;		/* non-emulatable at an unprotected IPA */
	}
	return esr & keep;
}

/* A4.3.4.2: EC, SET, EA, IFSC. */
uint64_t iabt_exit_esr(uint64_t esr)
{
	return esr & ((ESR_EC(esr) << ESR_EC_SHIFT) | ESR_ABT_SET | ESR_ABT_EA | ESR_FSC_MASK);
}

/* A4.3.10: EC, IDS, AET, EA, DFSC. */
uint64_t serror_exit_esr(uint64_t esr)
{
	return esr & ((ESR_EC(esr) << ESR_EC_SHIFT) | ESR_SERROR_IDS | ESR_SERROR_AET |
		      ESR_ABT_EA | ESR_FSC_MASK);
}

static void abort_exit(struct rec *rec, const struct realm_exception *exc,
		       struct rmi_rec_exit *exit)
{
	bool unprotected;

	exit->exit_reason = RMI_EXIT_SYNC;
	exit->hpfar = exc->hpfar;
	if (ESR_EC(exc->esr) == ESR_EC_IABT_LOWER) {
		exit->esr = iabt_exit_esr(exc->esr);
		return;
	}
	unprotected = !s2tt_ipa_is_protected(&rec->s2, fault_ipa(exc));
	exit->esr = dabt_exit_esr(exc->esr, unprotected);
	if (unprotected) {
		/* The host may answer this one with enter.flags.inject_sea. */
		rec->unprot_abort = 1U;
		rec->abort_esr = exc->esr;
		rec->abort_far = exc->far;
	}
	if ((exit->esr & ESR_DABT_ISV) != 0UL) {
		unsigned int srt = (unsigned int)((exc->esr >> ESR_DABT_SRT_SHIFT) & 0x1FUL);

		exit->far = exc->far & GRANULE_MASK;
		rec->emulatable_abort = 1U;
		rec->emul_srt = srt;
		rec->emul_write = (exc->esr & ESR_DABT_WNR) != 0UL;
		if ((exc->esr & ESR_DABT_WNR) != 0UL) {
			exit->gprs[0] = (srt == 31U) ? 0UL : rec->regs[srt];
		}
	}
}

#define FSC_PERM_FAULT(fsc)	(((fsc) & 0x3CUL) == 0x0CUL)	/* permission fault, any level */

/*
 * Is this stage-2 abort at a protected IPA the realm's own error, answered
 * with an SEA instead of an exit?  Read under the RD lock:
 *  - RIPAS EMPTY (RMM v1.0 A5.2.3); CSM reserved and gone entries are
 *    EMPTY too (runtime/csm: a reserved range not yet attached, a revoked
 *    or unshared range, a region whose provider died);
 *  - a permission fault on a CSM page: a store to a read-only grant or to
 *    a sealed region.
 * Never an exit for these: the host could answer it by populating the
 * range, and must not be able to.
 */
static bool abort_is_realm_error(const struct rec *rec, const struct realm_exception *exc)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	struct s2tt_walk w;
	uint64_t e;
	bool sea;

	RMM_ASSERT(g != NULL);
	s2tt_walk_lock_unlock(&rec->s2, fault_ipa(exc) & ~GRANULE_MASK, S2TT_PAGE_LEVEL, &w);
	e = w.table[w.index];
	sea = s2tte_get_ripas(e, w.last_level) == RIPAS_EMPTY ||
	      (s2tte_is_csm(e, w.last_level) && FSC_PERM_FAULT(exc->esr & ESR_FSC_MASK));
	granule_unlock(g);
	return sea;
}

/*
 * The length of the instruction that trapped (ESR_EL2.IL): 2 for a 16-bit
 * T32 instruction at the realm's AArch32 EL0, else 4.
 */
static uint64_t insn_len(uint64_t esr)
{
	return ((esr & ESR_IL) != 0UL) ? 4UL : 2UL;
}

/*
 * Take a synchronous exception at the realm's EL1 vector, as the
 * architecture would: ESR/FAR/ELR/SPSR_EL1 set, PC at VBAR_EL1 + offset
 * (lower EL: the AArch64 or AArch32 group, as EL0 ran).  `lower_ec`/
 * `cur_ec` are the ECs for an exception from EL0 / from EL1; `il` is the
 * trapped instruction's ESR.IL.
 */
static void inject_sync(struct rec *rec, uint64_t cur_ec, uint64_t lower_ec, uint64_t iss,
			uint64_t il, uint64_t far, uint64_t elr)
{
	uint64_t mode = rec->pstate & PSTATE_M_MASK;
	uint64_t ec, offset;

	if (mode == PSTATE_EL1H || mode == PSTATE_EL1T) {
		ec = cur_ec;
		offset = (mode == PSTATE_EL1H) ? 0x200UL : 0x0UL;
	} else {
		ec = lower_ec;
		offset = ((rec->pstate & PSTATE_NRW) != 0UL) ? 0x600UL : 0x400UL;
	}
	rec->sysregs.esr_el1 = (ec << ESR_EC_SHIFT) | (il & ESR_IL) | iss;
	rec->sysregs.far_el1 = far;
	rec->sysregs.elr_el1 = elr;
	rec->sysregs.spsr_el1 = rec->pstate;
	rec->pc = rec->sysregs.vbar_el1 + offset;
	rec->pstate = REC_EXC_PSTATE;
}

/*
 * A synchronous external abort for the realm's own access that trapped
 * with `esr`/`far` (ELR_EL2 = rec->pc, the faulting instruction): as
 * TF-RMM does, the ISS of the abort is kept (ISV, SAS, SRT, WnR... say
 * what the access was) except FnV and S1PTW, the FSC becomes "SEA, not
 * on a walk", and EA is set (A5.2.7: an SEA taken to a realm has EA = 1).
 */
static void inject_sea(struct rec *rec, uint64_t esr, uint64_t far)
{
	bool data = ESR_EC(esr) == ESR_EC_DABT_LOWER;
	uint64_t iss = esr & (BIT(ESR_EC_SHIFT - 1U) - 1UL) &
		       ~(ESR_FSC_MASK | ESR_ABT_FNV | ESR_ABT_S1PTW);

	inject_sync(rec, data ? ESR_EC_DABT_CUR : ESR_EC_IABT_CUR,
		    data ? ESR_EC_DABT_LOWER : ESR_EC_IABT_LOWER,
		    iss | ESR_ABT_EA | FSC_SEA, esr, far, rec->pc);
}

bool rec_entry_abort_flags_valid(const struct rec *rec, const struct rmi_rec_entry *entry)
{
	/* B4.3.14 rec_mmio: nothing to emulate unless the last exit was emulatable. */
	if ((entry->flags & REC_ENTRY_FLAG_EMUL_MMIO) != 0UL && rec->emulatable_abort == 0U) {
		return false;
	}
	/*
	 * inject_sea only after a data abort at an unprotected IPA (A4.2.3,
	 * A5.2.6): at a protected IPA the host must never be able to make a
	 * realm see an abort (A5.2.2).  v1.0 lists no failure condition for
	 * it; TF-RMM refuses it with RMI_ERROR_REC, and so does this RMM.
	 */
	if ((entry->flags & REC_ENTRY_FLAG_INJECT_SEA) != 0UL && rec->unprot_abort == 0U) {
		return false;
	}
	return true;
}

void rec_entry_complete_abort(struct rec *rec, const struct rmi_rec_entry *entry)
{
	if ((entry->flags & REC_ENTRY_FLAG_INJECT_SEA) != 0UL) {
		inject_sea(rec, rec->abort_esr, rec->abort_far);
	} else if ((entry->flags & REC_ENTRY_FLAG_EMUL_MMIO) != 0UL) {
		/* A read gets enter.gprs[0]; either way resume after the access. */
		if (rec->emul_write == 0U && rec->emul_srt != 31U) {
			rec->regs[rec->emul_srt] = entry->gprs[0];
		}
		rec->pc += insn_len(rec->abort_esr);
	}
	if ((entry->flags & (REC_ENTRY_FLAG_INJECT_SEA | REC_ENTRY_FLAG_EMUL_MMIO)) != 0UL) {
		rec->emulatable_abort = 0U;
		rec->unprot_abort = 0U;
	}
}

/*
 * A trapped write the host must carry out (A6.1): ICC_DIR_EL1 traps when
 * the host set enter.gicv3_hcr.TDIR, because deactivation across RECs is
 * the host's job; the SGI registers always trap with HCR_EL2.IMO, and
 * only the host can deliver an SGI to another REC.  As in TF-RMM, the exit
 * is RMI_EXIT_SYNC with ESR_EL2 less Rt and the value in gprs[0]; the
 * REC resumes after the instruction.
 */
static bool gic_write_exit(struct rec *rec, uint64_t esr, struct rmi_rec_exit *exit)
{
	uint64_t key = esr & SYSREG_KEY_MASK;
	unsigned int rt = (unsigned int)((esr & SYSREG_RT_MASK) >> SYSREG_RT_SHIFT);

	if ((esr & SYSREG_READ) != 0UL ||
	    (key != ICC_DIR_EL1 && key != ICC_SGI1R_EL1 && key != ICC_ASGI1R_EL1 &&
	     key != ICC_SGI0R_EL1)) {
		return false;
	}
	exit->exit_reason = RMI_EXIT_SYNC;
	exit->esr = esr & ~SYSREG_RT_MASK;
	exit->gprs[0] = (rt == 31U) ? 0UL : rec->regs[rt];
	rec->pc += 4UL;
	return true;
}

/*
 * A read of an ID register (HCR_EL2.TID3: op0 3, op1 0, CRn 0, CRm 1..7):
 * the realm's view of it (core/idreg.c) in Rt, and on to the next
 * instruction.
 */
static bool id_reg_read(struct rec *rec, uint64_t esr)
{
	uint64_t key = esr & SYSREG_KEY_MASK;
	unsigned int crm = (unsigned int)((key >> 1) & 0xFUL);
	unsigned int op2 = (unsigned int)((key >> 17) & 0x7UL);
	unsigned int rt = (unsigned int)((esr & SYSREG_RT_MASK) >> SYSREG_RT_SHIFT);

	if ((esr & SYSREG_READ) == 0UL || (key & ~SYSREG_KEY(0UL, 0UL, 0UL, 0xFUL, 0x7UL)) !=
	    SYSREG_KEY(3UL, 0UL, 0UL, 0UL, 0UL) || crm == 0U) {
		return false;
	}
	if (rt != 31U) {
		rec->regs[rt] = idreg_realm_value(crm, op2, plat_id_reg(crm, op2));
	}
	rec->pc += 4UL;
	return true;
}

/* An Unknown exception (EC 0) for the instruction at `elr`, as an UNDEF would be. */
void inject_undef(struct rec *rec, uint64_t elr)
{
	inject_sync(rec, ESR_EC_UNKNOWN, ESR_EC_UNKNOWN, 0UL, ESR_IL, 0UL, elr);
}

static bool realm_exit(struct rec *rec, const struct realm_exception *exc,
		       struct rmi_rec_exit *exit)
{
	switch (exc->kind) {
	case REALM_EXC_IRQ:
		exit->exit_reason = RMI_EXIT_IRQ;
		return true;
	case REALM_EXC_FIQ:
		exit->exit_reason = RMI_EXIT_FIQ;
		return true;
	case REALM_EXC_SERROR:
		exit->exit_reason = RMI_EXIT_SERROR;
		exit->esr = serror_exit_esr(exc->esr);
		return true;
	default:
		break;
	}

	switch (ESR_EC(exc->esr)) {
	case ESR_EC_SMC64:
		/* A trapped SMC returns to itself: step over it. */
		rec->pc += 4UL;
		return rsi_dispatch(rec, exit);
	case ESR_EC_HVC64:
		/* A4.3.4: HVC is an Unknown exception in the realm (ELR is past it). */
		inject_undef(rec, rec->pc - 4UL);
		return false;
	case ESR_EC_SYSREG:
	case ESR_EC_SVE:
	case ESR_EC_SME:
		/*
		 * GIC writes only the host can carry out go to it; other trapped
		 * registers (debug and PMU: a realm has neither, num_bps,
		 * num_wps and pmu are 0), SVE and SME (not enabled for realms)
		 * are UNDEFINED for the realm, nothing for the host to see.
		 */
		if (ESR_EC(exc->esr) == ESR_EC_SYSREG && gic_write_exit(rec, exc->esr, exit)) {
			return true;
		}
		if (ESR_EC(exc->esr) == ESR_EC_SYSREG && id_reg_read(rec, exc->esr)) {
			return false;
		}
		inject_undef(rec, rec->pc);
		return false;
	case ESR_EC_PAC:
		/*
		 * Pointer authentication (HCR_EL2.API = 0: its keys are not
		 * switched): a realm was told it has none (ID_AA64ISAR1/2), so
		 * the instruction is UNDEFINED, not an exit the host cannot
		 * answer.
		 */
		inject_undef(rec, rec->pc);
		return false;
	case ESR_EC_CP15_32:
	case ESR_EC_CP15_64:
	case ESR_EC_CP14_MR:
	case ESR_EC_CP14_LS:
	case ESR_EC_CP14_64:
		/*
		 * The same traps (PMU, debug) from AArch32 code at the realm's
		 * EL0: UNDEFINED there too, rather than an exit the host cannot
		 * answer (the REC would trap again on every entry).
		 */
		inject_sync(rec, ESR_EC_UNKNOWN, ESR_EC_UNKNOWN, 0UL, exc->esr, 0UL, rec->pc);
		return false;
	case ESR_EC_WFX:
		/*
		 * Only trapped when the host asked (enter.flags): A4.3.4.1, EC and
		 * ISS.TI.  Resume after the instruction (2 bytes for a T32 WFI
		 * at AArch32 EL0): a WFx may always wake.
		 */
		rec->pc += insn_len(exc->esr);
		exit->exit_reason = RMI_EXIT_SYNC;
		exit->esr = exc->esr & ((ESR_EC_WFX << ESR_EC_SHIFT) | ESR_WFX_TI);
		if ((exc->esr & 0x2UL) != 0UL) {	/* WFIT/WFET: the timeout (ISS.Rn) */
			unsigned int rn = (unsigned int)((exc->esr >> 5) & 0x1FUL);

			exit->gprs[0] = (rn == 31U) ? 0UL : rec->regs[rn];
		}
		return true;
	case ESR_EC_DABT_LOWER:
	case ESR_EC_IABT_LOWER:
		/*
		 * RMM v1.0 A5.2.3, A5.2.6: an access to protected IPA whose
		 * RIPAS is EMPTY, and any instruction fetch from an unprotected
		 * IPA, is the realm's own error and gets an SEA; the host is
		 * not told.  So do the CSM faults (abort_is_realm_error).
		 * Other stage-2 faults (unassigned RAM, DESTROYED, data
		 * accesses to unprotected IPA) are for the host to resolve or
		 * to refuse.
		 */
		if (s2tt_ipa_is_protected(&rec->s2, fault_ipa(exc)) ?
		    abort_is_realm_error(rec, exc) :
		    ESR_EC(exc->esr) == ESR_EC_IABT_LOWER) {
			inject_sea(rec, exc->esr, exc->far);
			return false;
		}
		abort_exit(rec, exc, exit);
		return true;
	default:
		/* Nothing else should reach EL2; the host learns the EC only. */
		exit->exit_reason = RMI_EXIT_SYNC;
		exit->esr = exc->esr & (ESR_EC(exc->esr) << ESR_EC_SHIFT);
		return true;
	}
}

bool handle_realm_exit(struct rec *rec, const struct realm_exception *exc,
		       struct rmi_rec_exit *exit)
{
	memset(exit, 0, sizeof(*exit));
	rec->emulatable_abort = 0U;
	rec->unprot_abort = 0U;
	if (!realm_exit(rec, exc, exit)) {
		return false;
	}
	/* A6.1, A6.2: timer and GIC state on every exit, whatever the reason. */
	rec_exit_report_state(rec, exit);
	return true;
}

void *realm_ipa_to_va(const struct s2tt_ctx *s2, uint64_t ipa, size_t len)
{
	struct s2tt_walk w;
	uint64_t e;

	if (len == 0UL || len > GRANULE_SIZE || (ipa & GRANULE_MASK) + len > GRANULE_SIZE ||
	    !s2tt_ipa_is_protected(s2, ipa)) {
		return NULL;
	}
	s2tt_walk_lock_unlock(s2, ipa & ~GRANULE_MASK, S2TT_PAGE_LEVEL, &w);
	e = w.table[w.index];
	if (w.last_level != S2TT_PAGE_LEVEL || !s2tte_is_assigned(e, S2TT_PAGE_LEVEL) ||
	    s2tte_get_ripas(e, S2TT_PAGE_LEVEL) != RIPAS_RAM || s2tte_is_csm(e, S2TT_PAGE_LEVEL)) {
		return NULL;
	}
	return (uint8_t *)plat_granule_va(s2tte_pa(e)) + (ipa & GRANULE_MASK);
}
