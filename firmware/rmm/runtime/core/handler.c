/*
 * RMI dispatch: one designated-initializer table per FID range, indexed by
 * (fid - first).  Unknown or empty slots answer SMC_UNKNOWN.
 */
#include <smc-csm.h>
#include <smc-handler.h>
#include <smc-rmi.h>

#define RMI_IDX(fid)	((fid) - SMC_RMI_FID_FIRST)
#define HANDLER(_id, _name, _fn, _na, _nr) \
	[RMI_IDX(_id)] = { .name = (_name), .fn = (_fn), .num_args = (_na), .num_results = (_nr) }

static const struct rmi_handler rmi_handlers[] = {
	HANDLER(SMC_RMI_VERSION, "RMI_VERSION", smc_version, 1, 2),
	HANDLER(SMC_RMI_GRANULE_DELEGATE, "GRANULE_DELEGATE", smc_granule_delegate, 1, 0),
	HANDLER(SMC_RMI_GRANULE_UNDELEGATE, "GRANULE_UNDELEGATE", smc_granule_undelegate, 1, 0),
	HANDLER(SMC_RMI_DATA_CREATE, "DATA_CREATE", smc_data_create, 5, 0),
	HANDLER(SMC_RMI_DATA_CREATE_UNKNOWN, "DATA_CREATE_UNKNOWN", smc_data_create_unknown, 3, 0),
	HANDLER(SMC_RMI_DATA_DESTROY, "DATA_DESTROY", smc_data_destroy, 2, 2),
	HANDLER(SMC_RMI_REALM_ACTIVATE, "REALM_ACTIVATE", smc_realm_activate, 1, 0),
	HANDLER(SMC_RMI_REALM_CREATE, "REALM_CREATE", smc_realm_create, 2, 0),
	HANDLER(SMC_RMI_REALM_DESTROY, "REALM_DESTROY", smc_realm_destroy, 1, 0),
	HANDLER(SMC_RMI_REC_CREATE, "REC_CREATE", smc_rec_create, 3, 0),
	HANDLER(SMC_RMI_REC_DESTROY, "REC_DESTROY", smc_rec_destroy, 1, 0),
	HANDLER(SMC_RMI_REC_ENTER, "REC_ENTER", smc_rec_enter, 2, 0),
	HANDLER(SMC_RMI_RTT_CREATE, "RTT_CREATE", smc_rtt_create, 4, 0),
	HANDLER(SMC_RMI_RTT_DESTROY, "RTT_DESTROY", smc_rtt_destroy, 3, 2),
	HANDLER(SMC_RMI_RTT_MAP_UNPROTECTED, "RTT_MAP_UNPROTECTED", smc_rtt_map_unprotected, 4, 0),
	HANDLER(SMC_RMI_RTT_READ_ENTRY, "RTT_READ_ENTRY", smc_rtt_read_entry, 3, 4),
	HANDLER(SMC_RMI_RTT_UNMAP_UNPROTECTED, "RTT_UNMAP_UNPROTECTED", smc_rtt_unmap_unprotected, 3, 1),
	HANDLER(SMC_RMI_PSCI_COMPLETE, "PSCI_COMPLETE", smc_psci_complete, 3, 0),
	HANDLER(SMC_RMI_FEATURES, "RMI_FEATURES", smc_features, 1, 1),
	HANDLER(SMC_RMI_REC_AUX_COUNT, "REC_AUX_COUNT", smc_rec_aux_count, 1, 1),
	HANDLER(SMC_RMI_RTT_INIT_RIPAS, "RTT_INIT_RIPAS", smc_rtt_init_ripas, 3, 1),
	[RMI_IDX(SMC_RMI_FID_LAST)] = { .name = NULL },
};
COMPILER_ASSERT(ARRAY_SIZE(rmi_handlers) == RMI_IDX(SMC_RMI_FID_LAST) + 1UL,
		"RMI table covers the RMI range");

/* CSM host calls (ABI.md) go here once core/csm is linked in. */
static const struct rmi_handler rmi_csm_handlers[SMC_RMI_CSM_FID_LAST - SMC_RMI_CSM_FID_FIRST + 1UL];

static const struct rmi_handler *rmi_lookup(unsigned long fid)
{
	if (fid >= SMC_RMI_FID_FIRST && fid <= SMC_RMI_FID_LAST) {
		return &rmi_handlers[RMI_IDX(fid)];
	}
	if (fid >= SMC_RMI_CSM_FID_FIRST && fid <= SMC_RMI_CSM_FID_LAST) {
		return &rmi_csm_handlers[fid - SMC_RMI_CSM_FID_FIRST];
	}
	return NULL;
}

void rmi_dispatch(const struct smc_args *args, struct smc_result *res)
{
	const struct rmi_handler *h = rmi_lookup(args->x[0]);
	unsigned int i;

	for (i = 0U; i < SMC_RESULT_NR; i++) {
		res->x[i] = 0UL;
	}
	if (h == NULL || h->fn == NULL) {
		res->x[0] = SMC_UNKNOWN;
		return;
	}
	h->fn(args, res);
}
