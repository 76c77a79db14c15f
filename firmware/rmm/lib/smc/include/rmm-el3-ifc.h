/*
 * RMM <-> EL3 interface (RMM-EL3 communication interface v1.0 FIDs).
 * The RMM returns each RMI result with RMI_REQ_COMPLETE, and that SMC
 * returns the next RMI request to it.
 */
#ifndef RMM_EL3_IFC_H
#define RMM_EL3_IFC_H

#include <smc.h>

#define SMC_RMM_GTSI_DELEGATE		SMC64_STD_FID(0x1B0)
#define SMC_RMM_GTSI_UNDELEGATE		SMC64_STD_FID(0x1B1)
#define SMC_RMM_GET_REALM_ATTEST_KEY	SMC64_STD_FID(0x1B2)
#define SMC_RMM_GET_PLAT_TOKEN		SMC64_STD_FID(0x1B3)
#define SMC_RMM_BOOT_COMPLETE		SMC64_STD_FID(0x1CF)
#define SMC_RMM_REQ_COMPLETE		SMC64_STD_FID(0x18F)

/* Return codes of the EL3 services (E_RMM_*) */
#define E_RMM_OK		0L
#define E_RMM_UNK		(-1L)
#define E_RMM_BAD_ADDR		(-2L)
#define E_RMM_BAD_PAS		(-3L)
#define E_RMM_NOMEM		(-4L)
#define E_RMM_INVAL		(-5L)

#endif /* RMM_EL3_IFC_H */
