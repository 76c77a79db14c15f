/*
 * CSM (confidential shared memory) extension numbers, under the firmware's
 * SMC_* / RSI_* / RMI_* naming.  The numbers themselves live in one place,
 * the frozen public header include/caec/abi/csm.h, which libcaec's RSI
 * backend also uses; this file only gives them firmware names.  The
 * handlers are in runtime/csm (core/csm linked into the RMM).
 */
#ifndef SMC_CSM_H
#define SMC_CSM_H

#include <caec/abi/csm.h>
#include <smc.h>

/* RSI extension (realm -> RMM) */
#define SMC_RSI_CSM_VERSION	CAEC_RSI_CSM_VERSION
#define SMC_RSI_CSM_REALM_ID	CAEC_RSI_CSM_REALM_ID
#define SMC_RSI_CSM_SHARE	CAEC_RSI_CSM_SHARE
#define SMC_RSI_CSM_GRANT	CAEC_RSI_CSM_GRANT
#define SMC_RSI_CSM_REVOKE	CAEC_RSI_CSM_REVOKE
#define SMC_RSI_CSM_UNSHARE	CAEC_RSI_CSM_UNSHARE
#define SMC_RSI_CSM_SEAL	CAEC_RSI_CSM_SEAL
#define SMC_RSI_CSM_GRANT_LIST	CAEC_RSI_CSM_GRANT_LIST
#define SMC_RSI_CSM_RESERVE	CAEC_RSI_CSM_RESERVE
#define SMC_RSI_CSM_ATTACH	CAEC_RSI_CSM_ATTACH
#define SMC_RSI_CSM_DETACH	CAEC_RSI_CSM_DETACH
#define SMC_RSI_CSM_NOTIFY	CAEC_RSI_CSM_NOTIFY
#define SMC_RSI_CSM_FID_FIRST	CAEC_RSI_CSM_FID_FIRST
#define SMC_RSI_CSM_FID_LAST	CAEC_RSI_CSM_FID_LAST

/* RMI extension (host -> RMM) */
#define SMC_RMI_CSM_VERSION	CAEC_RMI_CSM_VERSION
#define SMC_RMI_CSM_META_ADD	CAEC_RMI_CSM_META_ADD
#define SMC_RMI_CSM_META_REMOVE	CAEC_RMI_CSM_META_REMOVE
#define SMC_RMI_CSM_FID_FIRST	CAEC_RMI_CSM_FID_FIRST
#define SMC_RMI_CSM_FID_LAST	CAEC_RMI_CSM_FID_LAST

/* Extra RSI status codes for CSM calls */
#define RSI_ERROR_DENIED	CAEC_RSI_ERROR_DENIED
#define RSI_ERROR_BUSY		CAEC_RSI_ERROR_BUSY

/* Vendor REC exit reasons */
#define RMI_EXIT_CSM_POPULATE	CAEC_RMI_EXIT_CSM_POPULATE
#define RMI_EXIT_CSM_RELEASE	CAEC_RMI_EXIT_CSM_RELEASE
#define RMI_EXIT_CSM_RECLAIM	CAEC_RMI_EXIT_CSM_RECLAIM
#define RMI_EXIT_CSM_DOORBELL	CAEC_RMI_EXIT_CSM_DOORBELL
#define RMI_EXIT_CSM_META	CAEC_RMI_EXIT_CSM_META

/* The vendor range as the SMCCC helpers of smc.h build it: a check that
 * the public numbering sits where the firmware dispatches vendor calls. */
_Static_assert(SMC_RSI_CSM_FID_FIRST == SMC64_VENDOR_FID(0x190), "RSI CSM base");
_Static_assert(SMC_RMI_CSM_FID_FIRST == SMC64_VENDOR_FID(0x150), "RMI CSM base");

#endif /* SMC_CSM_H */
