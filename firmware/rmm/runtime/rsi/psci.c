/*
 * PSCI for realms, as RMM v1.0 routes it (A4.3.7, B6): VERSION and
 * FEATURES are answered here; CPU_SUSPEND, CPU_OFF, SYSTEM_OFF and
 * SYSTEM_RESET change REC or realm state and notify the host with a REC
 * exit due to PSCI; CPU_ON and AFFINITY_INFO, after the checks the RMM
 * can make alone, exit to the host, which names the target REC with
 * RMI_PSCI_COMPLETE (runtime/rmi/rec.c).  The exit carries the FID and,
 * for the two MPIDR calls, the target MPIDR; nothing else of the realm's
 * registers.  Other FIDs (including the SMC32 forms of the SMC64-only
 * calls) answer PSCI_NOT_SUPPORTED.
 */
#include <granule.h>
#include <realm.h>
#include <rmm_csm.h>
#include <smc-handler.h>
#include <smc-rmi.h>

#define PSCI_HANDLER(_id, _name, _fn, _na, _nr) \
	{ .name = (_name), .fid = (_id), .f##_na = (_fn), .num_args = (_na), .num_results = (_nr) }

static const struct rsi_handler psci_handlers[] = {
	PSCI_HANDLER(PSCI_VERSION, "PSCI_VERSION", psci_version, 0, 1),
	PSCI_HANDLER(PSCI_CPU_SUSPEND_AARCH64, "PSCI_CPU_SUSPEND", psci_cpu_suspend, 3, 1),
	PSCI_HANDLER(PSCI_CPU_OFF, "PSCI_CPU_OFF", psci_cpu_off, 0, 1),
	PSCI_HANDLER(PSCI_CPU_ON_AARCH64, "PSCI_CPU_ON", psci_cpu_on, 3, 1),
	PSCI_HANDLER(PSCI_AFFINITY_INFO_AARCH64, "PSCI_AFFINITY_INFO", psci_affinity_info, 2, 1),
	PSCI_HANDLER(PSCI_SYSTEM_OFF, "PSCI_SYSTEM_OFF", psci_system_off, 0, 1),
	PSCI_HANDLER(PSCI_SYSTEM_RESET, "PSCI_SYSTEM_RESET", psci_system_reset, 0, 1),
	PSCI_HANDLER(PSCI_FEATURES, "PSCI_FEATURES", psci_features, 1, 1),
};

const struct rsi_handler *psci_lookup(unsigned long fid)
{
	unsigned int i;

	for (i = 0U; i < ARRAY_SIZE(psci_handlers); i++) {
		if (psci_handlers[i].fid == fid) {
			return &psci_handlers[i];
		}
	}
	return NULL;
}

/* MpidrIsUsed: an MPIDR_EL1 value that names a REC this realm created. */
static bool mpidr_is_used(const struct rec *rec, uint64_t mpidr)
{
	struct granule *g;
	uint64_t index;
	bool used;

	if (!rec_mpidr_index(mpidr, &index)) {
		return false;
	}
	g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	RMM_ASSERT(g != NULL);
	used = index < granule_rd(g)->num_recs_created;
	granule_unlock(g);
	return used;
}

/*
 * A REC exit due to PSCI (A4.3.3): gprs[0] = FID, gprs[1..3] = the
 * function's arguments, zero where it has fewer than three.  Nothing
 * else of the realm's registers reaches the host (the caller zeroed the
 * exit record).
 */
static void psci_exit(struct rmi_rec_exit *exit, unsigned long fid, unsigned long arg0,
		      unsigned long arg1, unsigned long arg2, struct rsi_result *res)
{
	exit->exit_reason = RMI_EXIT_PSCI;
	exit->gprs[0] = fid;
	exit->gprs[1] = arg0;
	exit->gprs[2] = arg1;
	exit->gprs[3] = arg2;
	res->exit = true;
}

/*
 * The realm stops for good.  First its death in the CSM (runtime/csm):
 * detached from every grant made to it, its regions revoked from every
 * consumer (their ranges fault from now on).  The CSM lock comes before
 * the RD lock, so the two steps are made under the CSM lock.
 */
static void realm_system_off(const struct rec *rec)
{
	struct granule *g;

	rmm_csm_lock();
	rmm_csm_realm_off(rec->rd_addr);
	g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);
	RMM_ASSERT(g != NULL);
	granule_rd(g)->state = REALM_SYSTEM_OFF;
	granule_unlock(g);
	rmm_csm_unlock();
}

/* PSCI_VERSION: 1.1 (B6.2 asks for at least 1.1). */
void psci_version(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	res->x[0] = 0x10001UL;
}

/* PSCI_FEATURES(psci_func_id): SUCCESS for the functions in the table. */
void psci_features(struct rec *rec, struct rmi_rec_exit *exit, unsigned long psci_func_id,
		   struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	/* X1[63:32] SBZ: the FID is the low word. */
	res->x[0] = (psci_lookup(psci_func_id & 0xFFFFFFFFUL) != NULL) ?
		    PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
}

/*
 * PSCI_CPU_SUSPEND(power_state, entry_point_address, context_id): every
 * power state is a plain suspend (B6.3.4): the host is notified and the
 * call returns SUCCESS when the REC runs again; entry point and context
 * are only reported to the host (A4.3.3), the REC resumes after the SMC.
 */
void psci_cpu_suspend(struct rec *rec, struct rmi_rec_exit *exit, unsigned long power_state,
		      unsigned long entry_point_address, unsigned long context_id,
		      struct rsi_result *res)
{
	(void)rec;
	psci_exit(exit, PSCI_CPU_SUSPEND_AARCH64, power_state, entry_point_address,
		  context_id, res);
	res->x[0] = PSCI_SUCCESS;
}

/*
 * PSCI_CPU_ON(target_cpu, entry_point_address, context_id)
 * Failure conditions: entry (entry point not a protected IPA:
 * PSCI_INVALID_ADDRESS), mpidr (no REC of the realm has target_cpu:
 * PSCI_INVALID_PARAMETERS), runnable (the target runs: PSCI_ALREADY_ON;
 * decided here for the caller itself, else by RMI_PSCI_COMPLETE).
 * None of these exits to the host.  Otherwise: REC exit due to PSCI with
 * the FID and the three arguments; x0 is set by RMI_PSCI_COMPLETE.
 */
void psci_cpu_on(struct rec *rec, struct rmi_rec_exit *exit, unsigned long target_cpu,
		 unsigned long entry_point_address, unsigned long context_id,
		 struct rsi_result *res)
{
	if (!s2tt_ipa_is_protected(&rec->s2, entry_point_address)) {
		res->x[0] = PSCI_INVALID_ADDRESS;
		return;
	}
	/*
	 * Only an MPIDR some REC of this realm has can be completed by the
	 * host (RMI_PSCI_COMPLETE needs that REC): refuse the rest here, or
	 * the caller would wait for ever.
	 */
	if (!mpidr_is_used(rec, target_cpu)) {
		res->x[0] = PSCI_INVALID_PARAMETERS;
		return;
	}
	if (target_cpu == rec->mpidr) {
		res->x[0] = PSCI_ALREADY_ON;
		return;
	}
	rec->psci_pending = 1U;
	psci_exit(exit, PSCI_CPU_ON_AARCH64, target_cpu, entry_point_address, context_id, res);
	res->pending = true;
}

/*
 * PSCI_AFFINITY_INFO(target_affinity, lowest_affinity_level)
 * Failure conditions (PSCI_INVALID_PARAMETERS): target_bound
 * (lowest_affinity_level != 0; X2[63:32] SBZ), target_match (no REC has
 * target_affinity).  The caller itself is ON (PSCI_SUCCESS) at once;
 * otherwise REC exit due to PSCI with the FID and both arguments, and
 * RMI_PSCI_COMPLETE answers SUCCESS (runnable) or PSCI_OFF.
 */
void psci_affinity_info(struct rec *rec, struct rmi_rec_exit *exit, unsigned long target_affinity,
			unsigned long lowest_affinity_level, struct rsi_result *res)
{
	if ((lowest_affinity_level & 0xFFFFFFFFUL) != 0UL || !mpidr_is_used(rec, target_affinity)) {
		res->x[0] = PSCI_INVALID_PARAMETERS;
		return;
	}
	if (target_affinity == rec->mpidr) {
		res->x[0] = PSCI_SUCCESS;
		return;
	}
	rec->psci_pending = 1U;
	psci_exit(exit, PSCI_AFFINITY_INFO_AARCH64, target_affinity, lowest_affinity_level,
		  0UL, res);
	res->pending = true;
}

/* PSCI_CPU_OFF: the REC stops being runnable; the host is notified. */
void psci_cpu_off(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	rec->runnable = 0U;
	psci_exit(exit, PSCI_CPU_OFF, 0UL, 0UL, 0UL, res);
	res->x[0] = PSCI_SUCCESS;
}

/* PSCI_SYSTEM_OFF: the realm enters SYSTEM_OFF; the host is notified. */
void psci_system_off(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	realm_system_off(rec);
	psci_exit(exit, PSCI_SYSTEM_OFF, 0UL, 0UL, 0UL, res);
	res->x[0] = PSCI_SUCCESS;
}

/* PSCI_SYSTEM_RESET: as SYSTEM_OFF for the RMM (B6.3.7); the host may rebuild. */
void psci_system_reset(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	realm_system_off(rec);
	psci_exit(exit, PSCI_SYSTEM_RESET, 0UL, 0UL, 0UL, res);
	res->x[0] = PSCI_SUCCESS;
}
