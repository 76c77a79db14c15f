/*
 * Scenario "csm_ring" (host-csm_ring.elf, test fw_csm_ring): realm0
 * produces 10,000 checksummed messages into a core/ring ring in a region
 * it shares read-write with realm1, which consumes them (realm/csm_ring.c).
 * Both block in WFIs the host traps when the ring is full or empty; the
 * host enters a waiting realm again only when a CSM_DOORBELL exit names
 * it (or named it since its last WFI).  If both wait, a wake-up was lost:
 * the run fails.  The host never sees the messages: only doorbells.
 */
#include "host_csm.h"

#define NR_REALMS	2U
#define CSM_RING	2UL

extern const uint8_t realm_csm_start[], realm_csm_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];

static bool ring_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	(void)k;
	return host_csm_exit(r->priv, run);
}

int host_main(void)
{
	static const struct realm_image img = { realm_csm_start, realm_csm_end };
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] csm_ring: realm0 produces, realm1 consumes, over a ring in CSM memory\n");
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &cs[i];
		realm_build(&realms[i], i, &img, 1U, CSM_RING);
	}
	host_csm_run(ring_exit);
	host_csm_report();
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_unmap_window(&cs[i]);
		realm_teardown(&realms[i]);
		host_csm_after_teardown(&cs[i]);
	}
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
