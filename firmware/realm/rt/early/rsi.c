/*
 * RSI and PSCI helpers (include/rt/rsi.h).  Built like early/ (no FP, no
 * library calls): REALM_CONFIG runs before the MMU is on.
 */
#include <rt/rsi.h>

uint64_t rt_smc4(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		 uint64_t out[8])
{
	uint64_t r[RT_SMC_REGS] = { fid, a1, a2, a3, a4, 0UL, 0UL, 0UL, 0UL };
	unsigned int i;

	rt_smc(r);
	if (out != (uint64_t *)0) {
		for (i = 0U; i < 8U; i++) {
			out[i] = r[i + 1U];
		}
	}
	return r[0];
}

uint64_t rsi_version(uint64_t requested, uint64_t *lower, uint64_t *higher)
{
	uint64_t out[8];
	uint64_t ret = rt_smc4(SMC_RSI_VERSION, requested, 0UL, 0UL, 0UL, out);

	if (lower != (uint64_t *)0) {
		*lower = out[0];
	}
	if (higher != (uint64_t *)0) {
		*higher = out[1];
	}
	return ret;
}

uint64_t rsi_realm_config(struct rsi_realm_config *cfg)
{
	return rt_smc4(SMC_RSI_REALM_CONFIG, (uint64_t)(uintptr_t)cfg, 0UL, 0UL, 0UL, (uint64_t *)0);
}

uint64_t rsi_measurement_read(uint64_t index, uint8_t out[64])
{
	uint64_t r[8];
	uint64_t ret = rt_smc4(SMC_RSI_MEASUREMENT_READ, index, 0UL, 0UL, 0UL, r);
	unsigned int i;

	for (i = 0U; i < 64U; i++) {
		out[i] = (uint8_t)(r[i / 8U] >> (8U * (i % 8U)));
	}
	return ret;
}

uint64_t rsi_ipa_state_get(uint64_t base, uint64_t top, uint64_t *out_top, uint64_t *ripas)
{
	uint64_t out[8];
	uint64_t ret = rt_smc4(SMC_RSI_IPA_STATE_GET, base, top, 0UL, 0UL, out);

	if (out_top != (uint64_t *)0) {
		*out_top = out[0];
	}
	if (ripas != (uint64_t *)0) {
		*ripas = out[1];
	}
	return ret;
}

uint64_t rsi_host_call(struct rsi_host_call *hc)
{
	return rt_smc4(SMC_RSI_HOST_CALL, (uint64_t)(uintptr_t)hc, 0UL, 0UL, 0UL, (uint64_t *)0);
}

uint64_t psci_version(void)
{
	return rt_smc4(PSCI_VERSION, 0UL, 0UL, 0UL, 0UL, (uint64_t *)0);
}

void psci_system_off(void)
{
	(void)rt_smc4(PSCI_SYSTEM_OFF, 0UL, 0UL, 0UL, 0UL, (uint64_t *)0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}
