/*
 * PSCI for realms (subset): VERSION and FEATURES answered here; CPU_OFF
 * and SYSTEM_OFF change REC/realm state, CPU_ON (SMC64) waits for the host's
 * RMI_PSCI_COMPLETE; all three exit to the host with RMI_EXIT_PSCI.  Others
 * (AFFINITY_INFO, SYSTEM_RESET, ...) answer NOT_SUPPORTED.
 */
#include <granule.h>
#include <realm.h>
#include <smc-handler.h>
#include <smc-rmi.h>

/* Has the realm of rec created a REC with this index? */
static bool rec_index_created(const struct rec *rec, uint64_t index)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	bool created;

	RMM_ASSERT(g != NULL);
	created = index < granule_rd(g)->num_recs_created;
	granule_unlock(g);
	return created;
}

bool handle_psci(struct rec *rec, struct rmi_rec_exit *exit)
{
	unsigned long fid = rec->regs[0];
	struct granule *g;
	uint64_t index;

	switch (fid) {
	case PSCI_VERSION:
		rec->regs[0] = 0x10001UL;	/* PSCI 1.1 */
		return false;
	case PSCI_FEATURES:
		rec->regs[0] = (rec->regs[1] == PSCI_VERSION || rec->regs[1] == PSCI_CPU_OFF ||
				rec->regs[1] == PSCI_SYSTEM_OFF || rec->regs[1] == PSCI_FEATURES ||
				rec->regs[1] == PSCI_CPU_ON_AARCH64) ?
			       0UL : PSCI_NOT_SUPPORTED;
		return false;
	case PSCI_CPU_ON_AARCH64:
		if (rec->regs[1] == rec->mpidr) {
			rec->regs[0] = PSCI_ALREADY_ON;
			return false;
		}
		/*
		 * Only an MPIDR some REC of this realm has can be completed by
		 * the host (RMI_PSCI_COMPLETE needs that REC): refuse the rest
		 * here, or the caller would wait for ever.
		 */
		if (!rec_mpidr_index(rec->regs[1], &index) || !rec_index_created(rec, index)) {
			rec->regs[0] = PSCI_INVALID_PARAMETERS;
			return false;
		}
		/* The entry point is the realm's business, not the host's. */
		rec->psci_pending = 1U;
		rec->psci_target = rec->regs[1];
		rec->psci_entry = rec->regs[2];
		rec->psci_context = rec->regs[3];
		exit->exit_reason = RMI_EXIT_PSCI;
		exit->gprs[0] = fid;
		exit->gprs[1] = rec->regs[1];
		return true;
	case PSCI_CPU_OFF:
		rec->runnable = 0U;
		break;
	case PSCI_SYSTEM_OFF:
		g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
		RMM_ASSERT(g != NULL);
		granule_rd(g)->state = REALM_SYSTEM_OFF;
		granule_unlock(g);
		break;
	default:
		rec->regs[0] = PSCI_NOT_SUPPORTED;
		return false;
	}
	exit->exit_reason = RMI_EXIT_PSCI;
	exit->gprs[0] = fid;
	exit->gprs[1] = rec->regs[1];
	exit->gprs[2] = rec->regs[2];
	exit->gprs[3] = rec->regs[3];
	rec->regs[0] = 0UL;
	return true;
}
