/*
 * Scenario "libcaec" (host-libcaec.elf, test fw_libcaec_conformance):
 * libcaec's conformance suite in three realms.  Each realm runs the realm
 * kernel with one application, the suite's realm runner
 * (tests/conformance/ct_realm.c) linked with libcaec's realm build: role r
 * of every case runs in realm r, through the RSI backend, the CSM driver
 * and the RMM's CSM calls.  The host answers the CSM exits, the realms'
 * timers and doorbells, and carries the harness's messages between the
 * runners (host/lib/kernel_run.c); it sees no region's content.  Realm 0
 * prints "realm conformance: N passed, M failed".
 */
#include "kernel_run.h"

#include <realm_image.h>

#define NR_REALMS	3U

extern const uint8_t realm_kernel_conformance_start[], realm_kernel_conformance_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];

int host_main(void)
{
	static const struct realm_image img = { realm_kernel_conformance_start,
						realm_kernel_conformance_end };
	const struct realm_image_header *h = (const void *)realm_kernel_conformance_start;
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] libcaec conformance: %u realms, each the realm kernel with the suite's "
		  "runner (load %lu KB, RAM %lu KB)\n", NR_REALMS, (unsigned long)(h->load_size >> 10),
		  (unsigned long)(h->mem_size >> 10));
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_set_window(&cs[i], 1UL << (REALM_S2SZ - 3U), 1UL << (REALM_S2SZ - 2U));
		realms[i].priv = &cs[i];
		realms[i].x0_zero = true;	/* one RIM: the realms check that peers run it */
		realm_build(&realms[i], i, &img, 1U, 0UL);
	}
	host_timer_init();
	host_krun(realms, cs, NR_REALMS, NULL, 1U);
	host_krun_report();
	for (i = 0U; i < NR_REALMS; i++) {
		if (!realms[i].off) {
			host_fail("realm did not end with SYSTEM_OFF", i);
		}
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
