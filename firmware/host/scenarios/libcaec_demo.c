/*
 * Scenario "libcaec_demo" (host-libcaec_demo.elf, scripts/demo.sh firmware,
 * test fw_libcaec_demo): caec-demo in three realms.  Each realm runs the
 * realm kernel with the demo application (examples/regions/demo_roles.c,
 * the Linux demo's own roles, linked with libcaec's realm build): realm 0
 * is the provider, realm 1 consumer A (read-write), realm 2 consumer B
 * (read-only).  When the provider has written its message it asks the
 * host to look (the peer harness): the host reads every granule it gave
 * the provider's region, from Normal EL2, and each read takes a Granule
 * Protection Fault.
 */
#include "kernel_run.h"

#include <realm_image.h>

#define NR_REALMS	3U
#define DFSC_GPF	0x28UL
#define ESR_EC(esr)	(((esr) >> 26) & 0x3FUL)

extern const uint8_t realm_kernel_demo_start[], realm_kernel_demo_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];
static unsigned int looks;

/* The provider wrote its message: try to read its region, as the host. */
static void look(unsigned int from, uint64_t tag, uint64_t value)
{
	unsigned int i, gpf = 0U;
	uint64_t esr = 0UL, far = 0UL, v;

	(void)tag;
	if (from != 0U || value != 1U) {
		host_fail("unexpected message to the host", tag);
		return;
	}
	looks++;
	for (i = 0U; i < cs[0].npop; i++) {
		esr = probe_read(cs[0].pop[i], &v, &far);
		gpf += (ESR_EC(esr) == 0x25UL && (esr & 0x3FUL) == DFSC_GPF && far == cs[0].pop[i]);
	}
	fw_printf("[host] the provider's region: %u granules the host populated; it reads each "
		  "from Normal EL2: %u GPFs (last ESR_EL2=0x%lx FAR_EL2=0x%lx); the host never sees "
		  "the message\n", cs[0].npop, gpf, esr, far);
	if (cs[0].npop == 0U || gpf != cs[0].npop) {
		host_fail("the host read a granule of the region", esr);
	}
}

int host_main(void)
{
	static const struct realm_image img = { realm_kernel_demo_start, realm_kernel_demo_end };
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] caec-demo in %u realms: realm0 provider, realm1 consumer A (read-write), "
		  "realm2 consumer B (read-only), each the realm kernel with libcaec\n", NR_REALMS);
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		host_csm_set_window(&cs[i], 1UL << (REALM_S2SZ - 3U), 1UL << (REALM_S2SZ - 2U));
		realms[i].priv = &cs[i];
		realms[i].x0_zero = true;	/* one RIM: the realms check that peers run it */
		realm_build(&realms[i], i, &img, 1U, 0UL);
	}
	host_timer_init();
	/* Long slices: the realms block often, and their lines stay whole. */
	host_krun(realms, cs, NR_REALMS, look, 50U);
	host_krun_report();
	if (looks != 1U) {
		host_fail("the provider did not ask the host to look", looks);
	}
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
