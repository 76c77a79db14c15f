/*
 * What happens when a realm leaves Realm EL1: trapped SMCs are RSI/PSCI
 * calls handled here (some need the host: HOST_CALL, PSCI); aborts on
 * RIPAS EMPTY memory become an SEA injected into the realm; other aborts
 * stage 2 could not resolve and anything unexpected go to the host as REC
 * exits with the syndrome the spec allows it to see.
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
#define ESR_EC_HVC64		0x16UL
#define ESR_EC_SMC64		0x17UL
#define ESR_EC_IABT_LOWER	0x20UL
#define ESR_EC_DABT_LOWER	0x24UL
#define ESR_IL			BIT(25)
#define ESR_DABT_ISV		BIT(24)
#define ESR_DABT_WNR		BIT(6)
#define ESR_FSC_MASK		0x3FUL
/* ISV, SAS, SSE, SRT, SF, AR: the access details, only for unprotected IPAs. */
#define ESR_DABT_ACCESS_MASK	(0x7FFUL << 14)
#define HPFAR_FIPA_SHIFT	4
#define ESR_EC_IABT_CUR		0x21UL
#define ESR_EC_DABT_CUR		0x25UL
#define FSC_SEA			0x10UL	/* synchronous external abort, not on a walk */
#define PSTATE_M_MASK		0xFUL
#define PSTATE_EL1H		0x5UL
#define PSTATE_EL1T		0x4UL
#define REC_EXC_PSTATE		0x3C5UL	/* EL1h, DAIF masked */

static uint64_t fault_ipa(const struct realm_exception *exc)
{
	return ((exc->hpfar >> HPFAR_FIPA_SHIFT) << GRANULE_SHIFT) | (exc->far & GRANULE_MASK);
}

static void sync_exit(struct rec *rec, const struct realm_exception *exc,
		      struct rmi_rec_exit *exit)
{
	uint64_t ec = ESR_EC(exc->esr);

	exit->exit_reason = RMI_EXIT_SYNC;
	exit->hpfar = exc->hpfar;
	if (ec == ESR_EC_DABT_LOWER) {
		bool unprotected = !s2tt_ipa_is_protected(&rec->s2, fault_ipa(exc));
		uint64_t keep = (ec << ESR_EC_SHIFT) | ESR_IL | ESR_DABT_WNR | ESR_FSC_MASK;

		/*
		 * The host may emulate an access to unprotected IPA, so it sees
		 * the access details and FAR; for protected IPA it only learns
		 * the IPA granule (HPFAR) and the fault status.
		 */
		if (unprotected) {
			keep |= ESR_DABT_ACCESS_MASK;
			exit->far = exc->far;
		}
		exit->esr = exc->esr & keep;
	} else if (ec == ESR_EC_IABT_LOWER) {
		exit->esr = exc->esr & ((ec << ESR_EC_SHIFT) | ESR_IL | ESR_FSC_MASK);
	} else {
		exit->esr = exc->esr & ((ec << ESR_EC_SHIFT) | ESR_IL);
	}
}

/* RIPAS of a protected IPA, read under the RD lock. */
static unsigned long ipa_ripas(const struct rec *rec, uint64_t ipa)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	struct s2tt_walk w;
	unsigned long ripas;

	RMM_ASSERT(g != NULL);
	s2tt_walk_lock_unlock(&rec->s2, ipa & ~GRANULE_MASK, S2TT_PAGE_LEVEL, &w);
	ripas = s2tte_get_ripas(w.table[w.index], w.last_level);
	granule_unlock(g);
	return ripas;
}

/*
 * Take a synchronous external abort at the realm's EL1 vector, as the
 * architecture would: ESR/FAR/ELR/SPSR_EL1 set, PC at VBAR_EL1 + offset.
 */
static void inject_sea(struct rec *rec, const struct realm_exception *exc)
{
	uint64_t mode = rec->pstate & PSTATE_M_MASK;
	bool data = ESR_EC(exc->esr) == ESR_EC_DABT_LOWER;
	uint64_t ec, offset;

	if (mode == PSTATE_EL1H || mode == PSTATE_EL1T) {
		ec = data ? ESR_EC_DABT_CUR : ESR_EC_IABT_CUR;
		offset = (mode == PSTATE_EL1H) ? 0x200UL : 0x0UL;
	} else {
		ec = data ? ESR_EC_DABT_LOWER : ESR_EC_IABT_LOWER;
		offset = 0x400UL;
	}
	rec->sysregs.esr_el1 = (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SEA |
			       (data ? (exc->esr & ESR_DABT_WNR) : 0UL);
	rec->sysregs.far_el1 = exc->far;
	rec->sysregs.elr_el1 = rec->pc;
	rec->sysregs.spsr_el1 = rec->pstate;
	rec->pc = rec->sysregs.vbar_el1 + offset;
	rec->pstate = REC_EXC_PSTATE;
}

bool handle_realm_exit(struct rec *rec, const struct realm_exception *exc,
		       struct rmi_rec_exit *exit)
{
	memset(exit, 0, sizeof(*exit));
	switch (exc->kind) {
	case REALM_EXC_IRQ:
		exit->exit_reason = RMI_EXIT_IRQ;
		return true;
	case REALM_EXC_FIQ:
		exit->exit_reason = RMI_EXIT_FIQ;
		return true;
	case REALM_EXC_SERROR:
		exit->exit_reason = RMI_EXIT_SERROR;
		exit->esr = exc->esr;
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
		/* No hypervisor calls inside a realm (ELR is already past HVC). */
		rec->regs[0] = SMC_UNKNOWN;
		return false;
	case ESR_EC_DABT_LOWER:
	case ESR_EC_IABT_LOWER:
		/*
		 * RMM v1.0: an access to protected IPA whose RIPAS is EMPTY is
		 * the realm's own error and gets an SEA; the host is not told.
		 * Other stage-2 faults (unassigned RAM, DESTROYED, unprotected
		 * IPA) are for the host to resolve or to refuse.
		 */
		if (s2tt_ipa_is_protected(&rec->s2, fault_ipa(exc)) &&
		    ipa_ripas(rec, fault_ipa(exc)) == RIPAS_EMPTY) {
			inject_sea(rec, exc);
			return false;
		}
		sync_exit(rec, exc, exit);
		return true;
	default:
		sync_exit(rec, exc, exit);
		return true;
	}
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
	    s2tte_get_ripas(e, S2TT_PAGE_LEVEL) != RIPAS_RAM) {
		return NULL;
	}
	return (uint8_t *)plat_granule_va(s2tte_pa(e)) + (ipa & GRANULE_MASK);
}
