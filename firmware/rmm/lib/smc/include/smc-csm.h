/*
 * CSM (confidential shared memory) extension numbers, from
 * docs/abi.md.  Only the numbers live here: the calls are not implemented
 * by this firmware yet (a later issue links core/csm into the RMM and adds
 * handlers to the vendor dispatch tables in runtime/core).
 */
#ifndef SMC_CSM_H
#define SMC_CSM_H

#include <smc.h>

/* RSI extension (realm -> RMM) */
#define SMC_RSI_CSM_VERSION	SMC64_VENDOR_FID(0x190)
#define SMC_RSI_CSM_REALM_ID	SMC64_VENDOR_FID(0x191)
#define SMC_RSI_CSM_SHARE	SMC64_VENDOR_FID(0x192)
#define SMC_RSI_CSM_GRANT	SMC64_VENDOR_FID(0x193)
#define SMC_RSI_CSM_REVOKE	SMC64_VENDOR_FID(0x194)
#define SMC_RSI_CSM_UNSHARE	SMC64_VENDOR_FID(0x195)
#define SMC_RSI_CSM_SEAL	SMC64_VENDOR_FID(0x196)
#define SMC_RSI_CSM_GRANT_LIST	SMC64_VENDOR_FID(0x197)
#define SMC_RSI_CSM_RESERVE	SMC64_VENDOR_FID(0x198)
#define SMC_RSI_CSM_ATTACH	SMC64_VENDOR_FID(0x199)
#define SMC_RSI_CSM_DETACH	SMC64_VENDOR_FID(0x19A)
#define SMC_RSI_CSM_NOTIFY	SMC64_VENDOR_FID(0x19B)
#define SMC_RSI_CSM_FID_FIRST	SMC64_VENDOR_FID(0x190)
#define SMC_RSI_CSM_FID_LAST	SMC64_VENDOR_FID(0x1AF)

/* RMI extension (host -> RMM) */
#define SMC_RMI_CSM_VERSION	SMC64_VENDOR_FID(0x150)
#define SMC_RMI_CSM_META_ADD	SMC64_VENDOR_FID(0x151)
#define SMC_RMI_CSM_META_REMOVE	SMC64_VENDOR_FID(0x152)
#define SMC_RMI_CSM_FID_FIRST	SMC64_VENDOR_FID(0x150)
#define SMC_RMI_CSM_FID_LAST	SMC64_VENDOR_FID(0x18F)

/* Extra RSI status codes for CSM calls */
#define RSI_ERROR_DENIED	0x10UL
#define RSI_ERROR_BUSY		0x11UL

/* Vendor REC exit reasons */
#define RMI_EXIT_CSM_POPULATE	0x80UL
#define RMI_EXIT_CSM_RELEASE	0x81UL
#define RMI_EXIT_CSM_RECLAIM	0x82UL
#define RMI_EXIT_CSM_DOORBELL	0x83UL

#endif /* SMC_CSM_H */
