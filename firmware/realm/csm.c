/*
 * Realm payload "csm" for the fw_csm_* scenarios.  x0 = the realm index
 * (realm0 provides, realm1 consumes, realm2 is the outsider), x1 = the
 * scenario:
 *   CSM_ISOLATION  a read-only grant; the consumer reads in place, its
 *                  store is an SEA; the outsider sees nothing and is
 *                  refused; after the revoke the consumer's access is an
 *                  SEA
 *   CSM_RING       10,000 checksummed messages over a core/ring ring in
 *                  CSM memory, blocking waits with core/doorbell (sleep =
 *                  a trapped WFI, wake = CSM_NOTIFY): realm_ring.c
 *   CSM_DEATH      the provider powers off while the consumer is
 *                  attached; the consumer's next access is an SEA and its
 *                  calls answer a clean error
 * Each line a test asserts on is printed by the realm that saw it.
 */
#include <arch_helpers.h>
#include <console.h>
#include <smc-csm.h>
#include <smc-rsi.h>

#include "csm_lib.h"

#define CSM_ISOLATION	1UL
#define CSM_RING	2UL
#define CSM_DEATH	3UL
#define SIZE		(CSM_PAGES * GRANULE_SIZE)

void realm_main(uint64_t index, uint64_t scenario) __attribute__((noreturn));
void ring_provider(uint64_t index, uint64_t consumer_id);
void ring_consumer(uint64_t index);

static uint64_t my_id(uint64_t index)
{
	struct csm_ret r = csm(SMC_RSI_CSM_VERSION, CAEC_CSM_ABI_VERSION(1, 0), 0, 0, 0);
	uint64_t id;

	fw_printf("[realm%lu] CSM_VERSION status %lu, version 0x%lx, features 0x%lx\n", index,
		  r.x[0], r.x[2], r.x[3]);
	r = csm(SMC_RSI_CSM_REALM_ID, 0, 0, 0, 0);
	id = r.x[1];
	fw_printf("[realm%lu] CSM_REALM_ID status %lu, realm ID 0x%lx\n", index, r.x[0], id);
	post(KEY_ID(index), id);
	return id;
}

/* The provider's region at CSM_WINDOW, filled with a pattern. */
static uint64_t share_region(uint64_t index)
{
	volatile uint64_t *p = (volatile uint64_t *)CSM_WINDOW;
	struct csm_ret r = csm(SMC_RSI_CSM_SHARE, CSM_WINDOW, SIZE, 0, 0);
	uint64_t i;

	fw_printf("[realm%lu] CSM_SHARE(0x%lx, %lu KB) status %lu, region 0x%lx\n", index,
		  CSM_WINDOW, SIZE >> 10, r.x[0], r.x[1]);
	if (r.x[0] != RSI_SUCCESS) {
		system_off();
	}
	for (i = 0UL; i < SIZE / 8UL; i++) {
		p[i] = mix64(i);
	}
	return r.x[1];
}

/* The consumer finds the grant its provider made and maps it at CSM_WINDOW. */
static uint64_t find_and_attach(uint64_t index, uint64_t provider_id, uint64_t *perm)
{
	struct csm_ret r;
	uint64_t grant;

	do {
		r = rsi(SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0);
		if (r.x[0] != RSI_SUCCESS) {
			(void)get(0UL);	/* nothing yet: yield */
		}
	} while (r.x[0] != RSI_SUCCESS);
	grant = r.x[1];
	fw_printf("[realm%lu] CSM_GRANT_LIST(0): grant 0x%lx from realm 0x%lx (%s), %lu KB, "
		  "perm %lu\n", index, grant, r.x[2], (r.x[2] == provider_id) ? "the provider" : "?",
		  r.x[3] >> 10, r.x[4]);
	*perm = r.x[4];
	r = csm(SMC_RSI_CSM_RESERVE, grant, CSM_WINDOW, SIZE, 0);
	fw_printf("[realm%lu] CSM_RESERVE status %lu\n", index, r.x[0]);
	r = csm(SMC_RSI_CSM_ATTACH, grant, 0, 0, 0);
	fw_printf("[realm%lu] CSM_ATTACH status %lu, perm %lu, flags 0x%lx\n", index, r.x[0], r.x[1],
		  r.x[2]);
	return grant;
}

/* Does the consumer's mapping hold the provider's pattern (first, last word)? */
static bool pattern_ok(void)
{
	const volatile uint64_t *p = (const volatile uint64_t *)CSM_WINDOW;

	return p[0] == mix64(0UL) && p[SIZE / 8UL - 1UL] == mix64(SIZE / 8UL - 1UL);
}

static void isolation(uint64_t index)
{
	volatile uint64_t *w = (volatile uint64_t *)CSM_WINDOW;
	uint64_t region, grant, esr, v = 0UL, perm;
	struct csm_ret r;

	(void)my_id(index);
	if (index == 0UL) {
		uint64_t consumer = wait_for(KEY_ID(1UL));

		region = share_region(index);
		r = csm(SMC_RSI_CSM_GRANT, region, consumer, CAEC_CSM_PERM_RO, 0);
		grant = r.x[1];
		fw_printf("[realm0] CSM_GRANT(read-only, to realm 0x%lx) status %lu, grant 0x%lx\n",
			  consumer, r.x[0], grant);
		post(KEY_GRANT_RO, grant);
		(void)wait_for(KEY_VERIFIED);
		(void)wait_for(KEY_OUTSIDER);
		r = csm(SMC_RSI_CSM_REVOKE, grant, 0, 0, 0);
		fw_printf("[realm0] CSM_REVOKE status %lu\n", r.x[0]);
		post(KEY_REVOKED, 1UL);
		(void)wait_for(KEY_DONE);
		r = csm(SMC_RSI_CSM_UNSHARE, region, 0, 0, 0);
		fw_printf("[realm0] CSM_UNSHARE status %lu\n", r.x[0]);
	} else if (index == 1UL) {
		grant = find_and_attach(index, wait_for(KEY_ID(0UL)), &perm);
		fw_printf("[realm1] reads the provider's data in place: %s\n",
			  pattern_ok() ? "pattern OK" : "pattern WRONG");
		esr = try_store(&w[1], 0xBADUL);
		fw_printf("[realm1] store to the read-only grant -> %s ESR_EL1=0x%lx\n", sea_name(esr),
			  esr);
		post(KEY_VERIFIED, 1UL);
		(void)wait_for(KEY_REVOKED);
		esr = try_load(&w[0], &v);
		fw_printf("[realm1] load after CSM_REVOKE -> %s ESR_EL1=0x%lx\n", sea_name(esr), esr);
		esr = try_load(&w[SIZE / 8UL - 1UL], &v);
		fw_printf("[realm1] load of the last page after CSM_REVOKE -> %s ESR_EL1=0x%lx\n",
			  sea_name(esr), esr);
		r = rsi(SMC_RSI_CSM_DETACH, grant, 0, 0, 0);
		fw_printf("[realm1] CSM_DETACH of the revoked grant -> status 0x%lx\n", r.x[0]);
		post(KEY_DONE, 1UL);
	} else {
		grant = wait_for(KEY_GRANT_RO);
		r = rsi(SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0);
		fw_printf("[realm2] outsider: CSM_GRANT_LIST(0) -> status %lu (nothing granted)\n",
			  r.x[0]);
		r = rsi(SMC_RSI_CSM_RESERVE, grant, CSM_WINDOW, SIZE, 0);
		fw_printf("[realm2] outsider: CSM_RESERVE of grant 0x%lx -> status 0x%lx\n", grant,
			  r.x[0]);
		r = rsi(SMC_RSI_CSM_ATTACH, grant, 0, 0, 0);
		fw_printf("[realm2] outsider: CSM_ATTACH of grant 0x%lx -> status 0x%lx\n", grant,
			  r.x[0]);
		post(KEY_OUTSIDER, 1UL);
	}
}

static void death(uint64_t index)
{
	volatile uint64_t *w = (volatile uint64_t *)CSM_WINDOW;
	uint64_t region, grant, esr, v = 0UL, perm;
	struct csm_ret r;

	(void)my_id(index);
	if (index == 0UL) {
		uint64_t consumer = wait_for(KEY_ID(1UL));

		region = share_region(index);
		r = csm(SMC_RSI_CSM_GRANT, region, consumer, CAEC_CSM_PERM_RW, 0);
		fw_printf("[realm0] CSM_GRANT(read-write) status %lu; waiting for the consumer\n",
			  r.x[0]);
		(void)wait_for(KEY_VERIFIED);
		fw_printf("[realm0] provider powers off with its consumer attached\n");
		return;
	}
	grant = find_and_attach(index, wait_for(KEY_ID(0UL)), &perm);
	esr = try_store(&w[2], 0x5EED5EEDUL);
	fw_printf("[realm1] reads the provider's data: %s; store -> %s\n",
		  pattern_ok() ? "pattern OK" : "pattern WRONG", (esr == 0UL) ? "OK" : "FAULT");
	post(KEY_VERIFIED, 1UL);
	/* Yield until the host saw the provider's SYSTEM_OFF. */
	(void)wait_for(KEY_DONE);
	esr = try_load(&w[0], &v);
	fw_printf("[realm1] load after the provider's death -> %s ESR_EL1=0x%lx\n", sea_name(esr),
		  esr);
	esr = try_store(&w[3], 1UL);
	fw_printf("[realm1] store after the provider's death -> %s ESR_EL1=0x%lx\n", sea_name(esr),
		  esr);
	r = rsi(SMC_RSI_CSM_GRANT_LIST, 0, 0, 0, 0);
	fw_printf("[realm1] CSM_GRANT_LIST(0) after the provider's death -> status 0x%lx\n", r.x[0]);
	r = rsi(SMC_RSI_CSM_DETACH, grant, 0, 0, 0);
	fw_printf("[realm1] CSM_DETACH after the provider's death -> status 0x%lx\n", r.x[0]);
}

void realm_main(uint64_t index, uint64_t scenario)
{
	realm_setup();
	fw_printf("[realm%lu] CSM payload, scenario %lu\n", index, scenario);
	switch (scenario) {
	case CSM_ISOLATION:
		isolation(index);
		break;
	case CSM_RING:
		(void)my_id(index);
		if (index == 0UL) {
			ring_provider(index, wait_for(KEY_ID(1UL)));
		} else {
			ring_consumer(index);
		}
		break;
	case CSM_DEATH:
		death(index);
		break;
	default:
		break;
	}
	fw_printf("[realm%lu] PSCI SYSTEM_OFF\n", index);
	system_off();
}
