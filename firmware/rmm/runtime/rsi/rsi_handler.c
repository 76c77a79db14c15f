/*
 * RSI dispatch: FID-indexed table for the standard range, an empty table
 * for the CSM vendor range (ABI.md), PSCI handled by psci.c.
 */
#include <realm.h>
#include <smc-csm.h>
#include <smc-handler.h>
#include <smc-rsi.h>

#define RSI_IDX(fid)	((fid) - SMC_RSI_FID_FIRST)

static const struct rsi_handler rsi_handlers[] = {
	[RSI_IDX(SMC_RSI_VERSION)] = { "RSI_VERSION", handle_rsi_version },
	[RSI_IDX(SMC_RSI_FEATURES)] = { "RSI_FEATURES", handle_rsi_features },
	[RSI_IDX(SMC_RSI_MEASUREMENT_READ)] = { "MEASUREMENT_READ", handle_rsi_measurement_read },
	[RSI_IDX(SMC_RSI_REALM_CONFIG)] = { "REALM_CONFIG", handle_rsi_realm_config },
	[RSI_IDX(SMC_RSI_IPA_STATE_GET)] = { "IPA_STATE_GET", handle_rsi_ipa_state_get },
	[RSI_IDX(SMC_RSI_HOST_CALL)] = { "HOST_CALL", handle_rsi_host_call },
};
COMPILER_ASSERT(ARRAY_SIZE(rsi_handlers) == RSI_IDX(SMC_RSI_FID_LAST) + 1UL,
		"RSI table covers the RSI range");

/* CSM realm calls go here once core/csm is linked in. */
static const struct rsi_handler rsi_csm_handlers[SMC_RSI_CSM_FID_LAST - SMC_RSI_CSM_FID_FIRST + 1UL];

bool rsi_dispatch(struct rec *rec, struct rmi_rec_exit *exit)
{
	unsigned long fid = rec->regs[0];
	const struct rsi_handler *h = NULL;

	if (fid >= SMC_RSI_FID_FIRST && fid <= SMC_RSI_FID_LAST) {
		h = &rsi_handlers[RSI_IDX(fid)];
	} else if (fid >= SMC_RSI_CSM_FID_FIRST && fid <= SMC_RSI_CSM_FID_LAST) {
		h = &rsi_csm_handlers[fid - SMC_RSI_CSM_FID_FIRST];
	} else if ((fid & 0xBFFFFFE0UL) == 0x84000000UL) {
		/* PSCI, SMC32 0x840000xx or SMC64 0xC40000xx */
		return handle_psci(rec, exit);
	}
	if (h == NULL || h->fn == NULL) {
		rec->regs[0] = SMC_UNKNOWN;
		return false;
	}
	return h->fn(rec, exit);
}
