/*
 * RSI (RMM v1.0) and PSCI calls from Realm EL1.  Each helper returns the
 * RSI status (x0) and writes its outputs through pointers; the raw
 * register interface is rt_smc().  The numbers come from the RMM's own
 * headers (smc-rsi.h, smc.h) so realm and RMM cannot disagree.
 */
#ifndef RT_RSI_H
#define RT_RSI_H

#include <stdint.h>

#include <rmi-structs.h>
#include <smc-rsi.h>
#include <smc.h>

#define RT_SMC_REGS	9U

/* x0..x8 in, x0..x8 out. */
void rt_smc(uint64_t regs[RT_SMC_REGS]);

/* Two-register convenience form: returns x0, outputs x1..x8 in out[0..7] (may be NULL). */
uint64_t rt_smc4(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		 uint64_t out[8]);

uint64_t rsi_version(uint64_t requested, uint64_t *lower, uint64_t *higher);
/* cfg: 4 KB aligned protected RAM. */
uint64_t rsi_realm_config(struct rsi_realm_config *cfg);
/* index 0 = RIM; out receives 64 bytes (x1..x8). */
uint64_t rsi_measurement_read(uint64_t index, uint8_t out[64]);
/* RIPAS of [base, top): *ripas for the run starting at base, which ends at *out_top. */
uint64_t rsi_ipa_state_get(uint64_t base, uint64_t top, uint64_t *out_top, uint64_t *ripas);
/* hc: 256-byte aligned protected RAM. */
uint64_t rsi_host_call(struct rsi_host_call *hc);

void psci_system_off(void) __attribute__((noreturn));
uint64_t psci_version(void);

#endif /* RT_RSI_H */
