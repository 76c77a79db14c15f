/*
 * CAEC_IOC_PLATFORM_KEY: the platform's public key (the CPAK that signs
 * platform tokens), as DER SubjectPublicKeyInfo.  A realm cannot ask the
 * EL3 monitor itself, so it asks its host (REALM_HOST_CALL_PLATFORM_KEY,
 * common/include/caec_sip.h), which got the key from the monitor.  The
 * driver only carries the answer: the host is untrusted, and libcaec
 * accepts the key only if its SHA-256 is the key id of the platform token
 * in a token of this realm's own (backends/rsi/platform_key.c).
 */
#include <string.h>

#include <caec_sip.h>
#include <rt/rsi.h>

#include "csm.h"

#define KEY_BYTES	(CAEC_SIP_PLATFORM_KEY_WORDS * 8U)

static struct rsi_host_call hc __attribute__((aligned(256)));

int csm_platform_key(uint64_t ukey, uint32_t cap, uint32_t *len)
{
	uint8_t der[KEY_BYTES];
	unsigned int i, b;

	memset(&hc, 0, sizeof(hc));
	hc.imm = REALM_HOST_CALL_PLATFORM_KEY;
	if (rsi_host_call(&hc) != 0U) {
		return -RERR_EIO;
	}
	if (hc.gprs[0] != 0U) {
		return -RERR_EOPNOTSUPP;	/* the host has no key to give */
	}
	for (i = 0U; i < CAEC_SIP_PLATFORM_KEY_WORDS; i++) {
		for (b = 0U; b < 8U; b++) {
			der[i * 8U + b] = (uint8_t)(hc.gprs[1U + i] >> (8U * b));
		}
	}
	*len = KEY_BYTES;
	if (cap < KEY_BYTES) {
		return -RERR_ENOSPC;
	}
	return (copy_to_user(ukey, der, KEY_BYTES) != 0) ? -RERR_EFAULT : 0;
}
