/*
 * RSI dispatch: FID-indexed table for the standard range, an empty table
 * for the CSM vendor range (ABI.md), and PSCI through psci_lookup().  As
 * for RMI, each entry records its arity and result count: the handler gets
 * x1 .. x(num_args) of the REC as named parameters, and x0 ..
 * x(num_results - 1) of the REC receive its results (unless the result is
 * pending on the host).
 */
#include <plat.h>
#include <realm.h>
#include <smc-csm.h>
#include <smc-handler.h>
#include <smc-rsi.h>
#include <string.h>

#define RSI_IDX(fid)	((fid) - SMC_RSI_FID_FIRST)
#define RSI_HANDLER(_id, _name, _fn, _na, _nr) \
	[RSI_IDX(_id)] = { .name = (_name), .fid = (_id), .f##_na = (_fn), \
			   .num_args = (_na), .num_results = (_nr) }

static const struct rsi_handler rsi_handlers[] = {
	RSI_HANDLER(SMC_RSI_VERSION, "RSI_VERSION", handle_rsi_version, 1, 3),
	RSI_HANDLER(SMC_RSI_FEATURES, "RSI_FEATURES", handle_rsi_features, 1, 2),
	RSI_HANDLER(SMC_RSI_MEASUREMENT_READ, "MEASUREMENT_READ", handle_rsi_measurement_read, 1, 9),
	/* x3..x10 (the value) are read from the REC by the handler. */
	RSI_HANDLER(SMC_RSI_MEASUREMENT_EXTEND, "MEASUREMENT_EXTEND",
		    handle_rsi_measurement_extend, 2, 1),
	/* x1..x8 (the challenge) are read from the REC by the handler. */
	RSI_HANDLER(SMC_RSI_ATTEST_TOKEN_INIT, "ATTESTATION_TOKEN_INIT",
		    handle_rsi_attest_token_init, 0, 2),
	RSI_HANDLER(SMC_RSI_ATTEST_TOKEN_CONTINUE, "ATTESTATION_TOKEN_CONTINUE",
		    handle_rsi_attest_token_continue, 3, 2),
	RSI_HANDLER(SMC_RSI_REALM_CONFIG, "REALM_CONFIG", handle_rsi_realm_config, 1, 1),
	RSI_HANDLER(SMC_RSI_IPA_STATE_GET, "IPA_STATE_GET", handle_rsi_ipa_state_get, 2, 3),
	RSI_HANDLER(SMC_RSI_IPA_STATE_SET, "IPA_STATE_SET", handle_rsi_ipa_state_set, 4, 3),
	RSI_HANDLER(SMC_RSI_HOST_CALL, "HOST_CALL", handle_rsi_host_call, 1, 1),
};
COMPILER_ASSERT(ARRAY_SIZE(rsi_handlers) == RSI_IDX(SMC_RSI_FID_LAST) + 1UL,
		"RSI table covers the RSI range");


bool rsi_call(const struct rsi_handler *h, struct rec *rec, struct rmi_rec_exit *exit)
{
	const unsigned long *a = (const unsigned long *)&rec->regs[1];
	struct rsi_result res;
	unsigned int i;

	memset(&res, 0, sizeof(res));
	RMM_ASSERT(h->num_args <= 4U && h->num_results <= RSI_RESULT_NR);
	switch (h->num_args) {
	case 0U:
		h->f0(rec, exit, &res);
		break;
	case 1U:
		h->f1(rec, exit, a[0], &res);
		break;
	case 2U:
		h->f2(rec, exit, a[0], a[1], &res);
		break;
	case 3U:
		h->f3(rec, exit, a[0], a[1], a[2], &res);
		break;
	default:
		h->f4(rec, exit, a[0], a[1], a[2], a[3], &res);
		break;
	}
#ifdef RMM_LOG_CALLS
	plat_log_call(((h->fid & 0xFFFFUL) < 0x20UL) ? "PSCI" : "RSI", h->name, a, h->num_args,
		      res.x, res.pending ? 0U : h->num_results);
#endif
	if (!res.pending) {
		for (i = 0U; i < h->num_results; i++) {
			rec->regs[i] = res.x[i];
		}
	}
	if (res.retry) {
		rec->pc -= 4UL;	/* back onto the SMC (the exit path stepped over it) */
	}
	return res.exit;
}

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
		h = psci_lookup(fid);
		if (h == NULL) {
			rec->regs[0] = PSCI_NOT_SUPPORTED;
			return false;
		}
	}
	if (h == NULL || h->num_results == 0U) {
		rec->regs[0] = SMC_UNKNOWN;
		return false;
	}
	return rsi_call(h, rec, exit);
}
