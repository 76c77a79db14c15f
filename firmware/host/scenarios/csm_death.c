/*
 * Scenario "csm_death" (host-csm_death.elf, test fw_csm_death): realm0
 * shares a region read-write with realm1, which attaches and checks it;
 * then realm0 powers off (PSCI SYSTEM_OFF) while realm1 is attached.  The
 * RMM revokes the region at that moment: realm1's next load and store
 * are SEAs inside realm1 and its CSM calls answer clean errors (the
 * realms print them).  Then the host tears everything down: every
 * granule ends undelegated, and the region's granules read back zeroed
 * from the Normal world.
 */
#include "host_csm.h"

#include <smc-csm.h>

#define NR_REALMS	2U
#define CSM_DEATH	3UL
#define KEY_DONE	0x25UL
#define PSCI_SYSTEM_OFF_FID	0x84000008UL

extern const uint8_t realm_csm_start[], realm_csm_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];
static uint64_t region_pa[HOST_CSM_MAX_POP];
static unsigned int nregion;

static bool death_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	(void)k;
	if (r == &realms[0] && run->exit.exit_reason == RMI_EXIT_PSCI &&
	    run->exit.gprs[0] == PSCI_SYSTEM_OFF_FID) {
		fw_printf("[host] realm0 (the provider) powered off while realm1 is attached\n");
		host_csm_post(KEY_DONE, 1UL);	/* let realm1 go on */
		return false;			/* the default handling marks it off */
	}
	return host_csm_exit(r->priv, run);
}

int host_main(void)
{
	static const struct realm_image img = { realm_csm_start, realm_csm_end };
	uint64_t nonzero = 0UL, esr = 0UL, v;
	unsigned int i, w;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] csm_death: realm0 provides, realm1 consumes, realm0 dies first\n");
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &cs[i];
		realm_build(&realms[i], i, &img, 1U, CSM_DEATH);
	}
	host_csm_run(death_exit);
	host_csm_report();
	for (i = 0U; i < cs[0].npop; i++) {
		region_pa[nregion++] = cs[0].pop[i];
	}
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_unmap_window(&cs[i]);
		realm_teardown(&realms[i]);
		host_csm_after_teardown(&cs[i]);
	}
	for (i = 0U; i < nregion; i++) {
		for (w = 0U; w < GRANULE_SIZE / 8U; w++) {
			esr |= probe_read(region_pa[i] + w * 8U, &v, NULL);
			nonzero += (v != 0UL) ? 1UL : 0UL;
		}
	}
	fw_printf("[host] the region's %u granules after teardown: %s, %lu non-zero words\n",
		  nregion, (esr == 0UL) ? "readable from Normal EL2" : "FAULTED", nonzero);
	if (nregion == 0U || esr != 0UL || nonzero != 0UL) {
		host_fail("region granules not scrubbed or not back in the Normal world", nonzero);
	}
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
