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

#define PSCI_HANDLER(_id, _name, _fn, _na, _nr) \
	{ .name = (_name), .fid = (_id), .f##_na = (_fn), .num_args = (_na), .num_results = (_nr) }

static const struct rsi_handler psci_handlers[] = {
	PSCI_HANDLER(PSCI_VERSION, "PSCI_VERSION", psci_version, 0, 1),
	PSCI_HANDLER(PSCI_FEATURES, "PSCI_FEATURES", psci_features, 1, 1),
	PSCI_HANDLER(PSCI_CPU_ON_AARCH64, "PSCI_CPU_ON", psci_cpu_on, 3, 1),
	PSCI_HANDLER(PSCI_CPU_OFF, "PSCI_CPU_OFF", psci_cpu_off, 0, 1),
	PSCI_HANDLER(PSCI_SYSTEM_OFF, "PSCI_SYSTEM_OFF", psci_system_off, 0, 1),
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

/* Exit to the host with RMI_EXIT_PSCI: gprs[0] = FID, [1..3] = the arguments. */
static void psci_exit(struct rmi_rec_exit *exit, unsigned long fid, const struct rec *rec,
		      struct rsi_result *res)
{
	exit->exit_reason = RMI_EXIT_PSCI;
	exit->gprs[0] = fid;
	exit->gprs[1] = rec->regs[1];
	exit->gprs[2] = rec->regs[2];
	exit->gprs[3] = rec->regs[3];
	res->exit = true;
}

/* PSCI_VERSION: 1.1 */
void psci_version(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	res->x[0] = 0x10001UL;
}

/* PSCI_FEATURES(psci_func_id): SUCCESS for the functions implemented here. */
void psci_features(struct rec *rec, struct rmi_rec_exit *exit, unsigned long psci_func_id,
		   struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	res->x[0] = (psci_func_id == PSCI_FEATURES || psci_lookup(psci_func_id) != NULL) ?
		    PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
}

/*
 * PSCI_CPU_ON(target_cpu, entry_point_address, context_id): exits with
 * RMI_EXIT_PSCI (gprs[0] FID, gprs[1] target MPIDR) and waits for the
 * host's RMI_PSCI_COMPLETE, which sets x0.
 */
void psci_cpu_on(struct rec *rec, struct rmi_rec_exit *exit, unsigned long target_cpu,
		 unsigned long entry_point_address, unsigned long context_id,
		 struct rsi_result *res)
{
	uint64_t index;

	if (target_cpu == rec->mpidr) {
		res->x[0] = PSCI_ALREADY_ON;
		return;
	}
	/*
	 * Only an MPIDR some REC of this realm has can be completed by the
	 * host (RMI_PSCI_COMPLETE needs that REC): refuse the rest here, or
	 * the caller would wait for ever.
	 */
	if (!rec_mpidr_index(target_cpu, &index) || !rec_index_created(rec, index)) {
		res->x[0] = PSCI_INVALID_PARAMETERS;
		return;
	}
	/* The entry point is the realm's business, not the host's. */
	rec->psci_pending = 1U;
	rec->psci_target = target_cpu;
	rec->psci_entry = entry_point_address;
	rec->psci_context = context_id;
	exit->exit_reason = RMI_EXIT_PSCI;
	exit->gprs[0] = PSCI_CPU_ON_AARCH64;
	exit->gprs[1] = target_cpu;
	res->exit = true;
	res->pending = true;
}

/* PSCI_CPU_OFF: the REC stops being runnable; exit to the host. */
void psci_cpu_off(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	rec->runnable = 0U;
	psci_exit(exit, PSCI_CPU_OFF, rec, res);
	res->x[0] = PSCI_SUCCESS;
}

/* PSCI_SYSTEM_OFF: the realm enters SYSTEM_OFF; exit to the host. */
void psci_system_off(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	struct granule *g = find_lock_granule(rec->rd_addr, GRANULE_STATE_RD);

	RMM_ASSERT(g != NULL);
	granule_rd(g)->state = REALM_SYSTEM_OFF;
	granule_unlock(g);
	psci_exit(exit, PSCI_SYSTEM_OFF, rec, res);
	res->x[0] = PSCI_SUCCESS;
}
