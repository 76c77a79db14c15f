/*
 * The RMM's side of the EL3 attestation services (RMM-EL3 interface v1.0,
 * monitor/el3_attest.c) and of the crypto guard (firmware/crypto).
 *
 * The monitor writes into el3_buf, a page of the RMM's own memory (Realm
 * PAS, VA = PA here, mapped Realm PAS at EL3 too), which the RMM names by
 * its PA in each call; it is zeroed after every use.  Calls run inside
 * the crypto guard, which also serialises them.
 */
#include <arch_helpers.h>
#include <arch_rmm.h>
#include <attest.h>
#include <attest_el3.h>
#include <console.h>
#include <fw_crypto.h>
#include <plat.h>
#include <rmm-el3-ifc.h>
#include <string.h>

#define ECC_CURVE_P384	0UL
#define CRYPTO_HEAP	(32U * 1024U)

static uint8_t el3_buf[GRANULE_SIZE] __attribute__((aligned(GRANULE_SIZE)));
static uint8_t crypto_heap[CRYPTO_HEAP] __attribute__((aligned(16)));

void fw_crypto_panic(const char *why)
{
	rmm_panic(__FILE__, __LINE__, why);
}

void plat_attest_boot(void)
{
	fw_crypto_init(crypto_heap, sizeof(crypto_heap));
	if (plat_entropy(&__stack_chk_guard, sizeof(__stack_chk_guard)) != 0) {
		fw_printf("[rmm] no RNDR: realms cannot be attested\n");
	}
	attest_reset();
}

static void el3_call(uint64_t regs[8])
{
	smc_call(regs);
}

int plat_el3_realm_attest_key(uint8_t key[48])
{
	uint64_t regs[8] = { SMC_RMM_GET_REALM_ATTEST_KEY, (uint64_t)(uintptr_t)el3_buf,
			     sizeof(el3_buf), ECC_CURVE_P384, 0, 0, 0, 0 };
	int rc = -1;

	el3_call(regs);
	if ((long)regs[0] == E_RMM_OK && regs[1] == 48UL) {
		memcpy(key, el3_buf, 48U);
		rc = 0;
	} else {
		fw_printf("[rmm] RMM_GET_REALM_ATTEST_KEY: status %ld\n", (long)regs[0]);
	}
	memset(el3_buf, 0, sizeof(el3_buf));
	return rc;
}

int plat_el3_platform_token(const uint8_t *challenge, size_t challenge_len, uint8_t *token,
			    size_t cap, size_t *len)
{
	uint64_t regs[8] = { SMC_RMM_GET_PLAT_TOKEN, (uint64_t)(uintptr_t)el3_buf,
			     sizeof(el3_buf), challenge_len, 0, 0, 0, 0 };
	int rc = -1;

	memcpy(el3_buf, challenge, challenge_len);
	el3_call(regs);
	if ((long)regs[0] == E_RMM_OK && regs[1] > 0UL && regs[1] <= cap &&
	    regs[1] <= sizeof(el3_buf)) {
		memcpy(token, el3_buf, regs[1]);
		*len = regs[1];
		rc = 0;
	} else {
		fw_printf("[rmm] RMM_GET_PLAT_TOKEN: status %ld, size %lu\n", (long)regs[0],
			  regs[1]);
	}
	memset(el3_buf, 0, sizeof(el3_buf));
	return rc;
}

void plat_crypto_begin(void)
{
	fw_crypto_begin();
}

void plat_crypto_end(void)
{
	fw_crypto_end();
}

bool plat_irq_pending(void)
{
	return read_sysreg(isr_el1) != 0UL;
}
