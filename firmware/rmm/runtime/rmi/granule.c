/* RMI_GRANULE_DELEGATE / RMI_GRANULE_UNDELEGATE. */
#include <granule.h>
#include <plat.h>
#include <smc-handler.h>
#include <smc-rmi.h>

/*
 * RMI_GRANULE_DELEGATE
 *   x1: PA of the granule
 * Out:
 *   x0: RMI_SUCCESS; RMI_ERROR_INPUT if the address is not aligned, not
 *       host-delegable memory, not in state NS (e.g. already delegated), or
 *       EL3 refused the PAS change.
 * Transition: NS -> DELEGATED, GPI NS -> Realm.
 */
void smc_granule_delegate(unsigned long addr, struct smc_result *res)
{
	struct granule *g = find_lock_granule(addr, GRANULE_STATE_NS);

	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	if (plat_gtsi_delegate(addr) != 0) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	granule_set_state(g, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g);
}

/*
 * RMI_GRANULE_UNDELEGATE
 *   x1: PA of the granule
 * Out:
 *   x0: RMI_SUCCESS; RMI_ERROR_INPUT if not aligned, untracked, or not in
 *       state DELEGATED (in use as RD/REC/RTT/DATA, or never delegated).
 * Transition: DELEGATED -> NS.  The content is zeroed while the granule is
 * still in the Realm PAS, so nothing a realm left there reaches the host.
 */
void smc_granule_undelegate(unsigned long addr, struct smc_result *res)
{
	struct granule *g = find_lock_granule(addr, GRANULE_STATE_DELEGATED);

	if (g == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	granule_memzero(g);
	if (plat_gtsi_undelegate(addr) != 0) {
		/* EL3 and the RMM disagree on the GPT: an invariant is lost. */
		RMM_ASSERT(false);
	}
	granule_set_state(g, GRANULE_STATE_NS);
	res->x[0] = RMI_SUCCESS;
	granule_unlock(g);
}
