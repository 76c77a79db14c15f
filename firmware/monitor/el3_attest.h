/*
 * The platform's attestation services at EL3 (el3_attest.c): keys made at the
 * cold boot, and the two calls of the RMM-EL3 interface the RMM uses.
 */
#ifndef MONITOR_EL3_ATTEST_H
#define MONITOR_EL3_ATTEST_H

#include <context.h>

/*
 * CPU 0, cold boot, MMU on, before the RMM runs: measure the monitor and
 * the RMM, make the CPAK and the RAK, print the CPAK for verifiers.
 * Without RNDR there are no keys: both calls then answer E_RMM_UNK.
 */
void el3_attest_init(void);
/* The monitor's own measurement: first thing at the cold boot (MMU off). */
void el3_attest_measure_self(void);

/* RMM_GET_REALM_ATTEST_KEY(buf, size, curve) -> (status, key size). */
void el3_attest_get_realm_key(struct cpu_ctx *ctx);
/* RMM_GET_PLAT_TOKEN(buf, size, challenge size) -> (status, token size). */
void el3_attest_get_plat_token(struct cpu_ctx *ctx);
/* CAEC_SIP_PLATFORM_KEY from the Normal world (caec_sip.h). */
void el3_attest_platform_key(struct cpu_ctx *ctx);
/*
 * At power-off: one line on the platform token signed for the RMM (size,
 * signing time), and a second if it was signed more than once.
 */
void el3_attest_report(void);

#endif /* MONITOR_EL3_ATTEST_H */
