/*
 * RMI dispatch: one designated-initializer table per FID range, indexed by
 * (fid - first).  Each entry names its handler, the number of argument
 * registers it takes (the handler's arity: x1 .. x(num_args)) and the
 * number of result registers it returns (x0 .. x(num_results - 1)).  The
 * dispatcher calls the handler through the prototype of that arity, clears
 * every result register past num_results (so a handler cannot hand the
 * host a value the specification does not define), and on a build with
 * RMM_LOG_CALLS logs the call.  Unknown or empty slots answer SMC_UNKNOWN.
 */
#include <arch_rmm.h>
#include <plat.h>
#include <smc-csm.h>
#include <smc-handler.h>
#include <smc-rmi.h>

#define RMI_IDX(fid)	((fid) - SMC_RMI_FID_FIRST)
#define HANDLER(_id, _name, _fn, _na, _nr) \
	[RMI_IDX(_id)] = { .name = (_name), .f##_na = (_fn), .num_args = (_na), \
			   .num_results = (_nr) }

/* num_results counts x0: VERSION answers (status, lower, higher) = 3. */
static const struct rmi_handler rmi_handlers[] = {
	HANDLER(SMC_RMI_VERSION, "RMI_VERSION", smc_version, 1, 3),
	HANDLER(SMC_RMI_GRANULE_DELEGATE, "GRANULE_DELEGATE", smc_granule_delegate, 1, 1),
	HANDLER(SMC_RMI_GRANULE_UNDELEGATE, "GRANULE_UNDELEGATE", smc_granule_undelegate, 1, 1),
	HANDLER(SMC_RMI_DATA_CREATE, "DATA_CREATE", smc_data_create, 5, 1),
	HANDLER(SMC_RMI_DATA_CREATE_UNKNOWN, "DATA_CREATE_UNKNOWN", smc_data_create_unknown, 3, 1),
	HANDLER(SMC_RMI_DATA_DESTROY, "DATA_DESTROY", smc_data_destroy, 2, 3),
	HANDLER(SMC_RMI_REALM_ACTIVATE, "REALM_ACTIVATE", smc_realm_activate, 1, 1),
	HANDLER(SMC_RMI_REALM_CREATE, "REALM_CREATE", smc_realm_create, 2, 1),
	HANDLER(SMC_RMI_REALM_DESTROY, "REALM_DESTROY", smc_realm_destroy, 1, 1),
	HANDLER(SMC_RMI_REC_CREATE, "REC_CREATE", smc_rec_create, 3, 1),
	HANDLER(SMC_RMI_REC_DESTROY, "REC_DESTROY", smc_rec_destroy, 1, 1),
	HANDLER(SMC_RMI_REC_ENTER, "REC_ENTER", smc_rec_enter, 2, 1),
	HANDLER(SMC_RMI_RTT_CREATE, "RTT_CREATE", smc_rtt_create, 4, 1),
	HANDLER(SMC_RMI_RTT_DESTROY, "RTT_DESTROY", smc_rtt_destroy, 3, 3),
	HANDLER(SMC_RMI_RTT_MAP_UNPROTECTED, "RTT_MAP_UNPROTECTED", smc_rtt_map_unprotected, 4, 1),
	HANDLER(SMC_RMI_RTT_READ_ENTRY, "RTT_READ_ENTRY", smc_rtt_read_entry, 3, 5),
	HANDLER(SMC_RMI_RTT_UNMAP_UNPROTECTED, "RTT_UNMAP_UNPROTECTED", smc_rtt_unmap_unprotected, 3, 2),
	HANDLER(SMC_RMI_PSCI_COMPLETE, "PSCI_COMPLETE", smc_psci_complete, 3, 1),
	HANDLER(SMC_RMI_FEATURES, "RMI_FEATURES", smc_features, 1, 2),
	HANDLER(SMC_RMI_RTT_FOLD, "RTT_FOLD", smc_rtt_fold, 3, 2),
	HANDLER(SMC_RMI_REC_AUX_COUNT, "REC_AUX_COUNT", smc_rec_aux_count, 1, 2),
	HANDLER(SMC_RMI_RTT_INIT_RIPAS, "RTT_INIT_RIPAS", smc_rtt_init_ripas, 3, 2),
	HANDLER(SMC_RMI_RTT_SET_RIPAS, "RTT_SET_RIPAS", smc_rtt_set_ripas, 4, 2),
	[RMI_IDX(SMC_RMI_FID_LAST)] = { .name = NULL },
};
COMPILER_ASSERT(ARRAY_SIZE(rmi_handlers) == RMI_IDX(SMC_RMI_FID_LAST) + 1UL,
		"RMI table covers the RMI range");


const struct rmi_handler *rmi_handler_lookup(unsigned long fid)
{
	const struct rmi_handler *h = NULL;

	if (fid >= SMC_RMI_FID_FIRST && fid <= SMC_RMI_FID_LAST) {
		h = &rmi_handlers[RMI_IDX(fid)];
	} else if (fid >= SMC_RMI_CSM_FID_FIRST && fid <= SMC_RMI_CSM_FID_LAST) {
		h = &rmi_csm_handlers[fid - SMC_RMI_CSM_FID_FIRST];
	}
	return (h != NULL && h->num_results != 0U) ? h : NULL;
}

void rmi_dispatch(const struct smc_args *args, struct smc_result *res)
{
	const struct rmi_handler *h = rmi_handler_lookup(args->x[0]);
	const unsigned long *a = &args->x[1];
	unsigned int i;

	for (i = 0U; i < SMC_RESULT_NR; i++) {
		res->x[i] = 0UL;
	}
	if (h == NULL) {
		res->x[0] = SMC_UNKNOWN;
		return;
	}
	RMM_ASSERT(h->num_args <= RMI_MAX_ARGS && h->num_results <= SMC_RESULT_NR);
	switch (h->num_args) {
	case 0U:
		h->f0(res);
		break;
	case 1U:
		h->f1(a[0], res);
		break;
	case 2U:
		h->f2(a[0], a[1], res);
		break;
	case 3U:
		h->f3(a[0], a[1], a[2], res);
		break;
	case 4U:
		h->f4(a[0], a[1], a[2], a[3], res);
		break;
	default:
		h->f5(a[0], a[1], a[2], a[3], a[4], res);
		break;
	}
	for (i = h->num_results; i < SMC_RESULT_NR; i++) {
		res->x[i] = 0UL;
	}
#ifdef RMM_LOG_CALLS
	plat_log_call("RMI", h->name, a, h->num_args, res->x, h->num_results);
#endif
}
