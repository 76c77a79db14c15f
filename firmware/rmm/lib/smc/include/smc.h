/*
 * SMC Calling Convention basics shared by the RMM, the monitor and the host.
 * Register images are plain arrays so a dispatcher can be table driven.
 */
#ifndef SMC_H
#define SMC_H

#include <fw_utils.h>

#define SMC_UNKNOWN		(~0UL)		/* -1: not supported */

#define SMC64_STD_FID(n)	(0xC4000000UL | (unsigned long)(n))
#define SMC64_VENDOR_FID(n)	(0xC7000000UL | (unsigned long)(n))

/* x0 = FID, x1..x6 = arguments (RMI uses at most x1..x5). */
#define SMC_ARGS_NR		7U
struct smc_args {
	unsigned long x[SMC_ARGS_NR];
};

/* x0 = status, x1..x4 = outputs (RSI MEASUREMENT_READ needs x1..x8). */
#define SMC_RESULT_NR		9U
struct smc_result {
	unsigned long x[SMC_RESULT_NR];
};

/* PSCI function IDs the RMM handles on behalf of a realm (RMM v1.0 B6.3). */
#define PSCI_VERSION			0x84000000UL
#define PSCI_CPU_OFF			0x84000002UL
#define PSCI_SYSTEM_OFF			0x84000008UL
#define PSCI_SYSTEM_RESET		0x84000009UL
#define PSCI_FEATURES			0x8400000AUL
#define PSCI_CPU_SUSPEND_AARCH64	0xC4000001UL
#define PSCI_CPU_ON_AARCH64		0xC4000003UL
#define PSCI_AFFINITY_INFO_AARCH64	0xC4000004UL
#define PSCI_SUCCESS		0UL
#define PSCI_OFF		1UL	/* AFFINITY_INFO: the target is off */
#define PSCI_NOT_SUPPORTED	((unsigned long)-1L)
#define PSCI_INVALID_PARAMETERS	((unsigned long)-2L)
#define PSCI_DENIED		((unsigned long)-3L)
#define PSCI_ALREADY_ON		((unsigned long)-4L)
#define PSCI_INVALID_ADDRESS	((unsigned long)-9L)

#endif /* SMC_H */
