/*
 * The platform's public key, from the EL3 monitor (CAEC_SIP_PLATFORM_KEY,
 * common/include/caec_sip.h): the host is the courier that hands it to
 * realms, which check it themselves against their own tokens.
 */
#include "host.h"

#include <caec_sip.h>
#include <string.h>

bool host_platform_key(uint8_t der[CAEC_SIP_PLATFORM_KEY_WORDS * 8U])
{
	register uint64_t x0 __asm__("x0") = CAEC_SIP_PLATFORM_KEY;
	register uint64_t x1 __asm__("x1"), x2 __asm__("x2"), x3 __asm__("x3");
	register uint64_t x4 __asm__("x4"), x5 __asm__("x5"), x6 __asm__("x6");
	register uint64_t x7 __asm__("x7"), x8 __asm__("x8"), x9 __asm__("x9");
	register uint64_t x10 __asm__("x10"), x11 __asm__("x11"), x12 __asm__("x12");
	register uint64_t x13 __asm__("x13"), x14 __asm__("x14"), x15 __asm__("x15");
	uint64_t w[CAEC_SIP_PLATFORM_KEY_WORDS];
	unsigned int i, b;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5), "=r"(x6),
			   "=r"(x7), "=r"(x8), "=r"(x9), "=r"(x10), "=r"(x11), "=r"(x12),
			   "=r"(x13), "=r"(x14), "=r"(x15)
			 : : "x16", "x17", "memory");
	w[0] = x1; w[1] = x2; w[2] = x3; w[3] = x4; w[4] = x5; w[5] = x6; w[6] = x7;
	w[7] = x8; w[8] = x9; w[9] = x10; w[10] = x11; w[11] = x12; w[12] = x13;
	w[13] = x14; w[14] = x15;
	for (i = 0U; i < CAEC_SIP_PLATFORM_KEY_WORDS; i++) {
		for (b = 0U; b < 8U; b++) {
			der[i * 8U + b] = (uint8_t)(w[i] >> (8U * b));
		}
	}
	return x0 == 0UL;
}

/*
 * A realm's REALM_HOST_CALL_PLATFORM_KEY (the realm kernel's CAEC_IOC_
 * PLATFORM_KEY): the monitor's key, asked for once, into gprs[1..15].
 */
void host_answer_platform_key(struct rmi_rec_run *run)
{
	static uint8_t der[CAEC_SIP_PLATFORM_KEY_WORDS * 8U];
	static int have = -1;
	unsigned int i, b;

	if (have < 0) {
		have = host_platform_key(der) ? 1 : 0;
	}
	memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
	if (have == 0) {
		run->entry.gprs[0] = 1U;	/* no attestation keys on this machine */
		return;
	}
	for (i = 0U; i < CAEC_SIP_PLATFORM_KEY_WORDS; i++) {
		for (b = 0U; b < 8U; b++) {
			run->entry.gprs[1U + i] |= (uint64_t)der[i * 8U + b] << (8U * b);
		}
	}
}
