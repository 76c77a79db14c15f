/*
 * Scenario "realm_rt" (host-realm_rt.elf, test fw_realm_rt): one realm
 * built from the realm runtime's test program (realm/rt-test), an image
 * with the realm image header whose RAM (4 MB of heap) needs several
 * level-3 RTTs.  The host runs it to PSCI SYSTEM_OFF, prints the exit
 * status the runtime reports with HOST_CALL REALM_HOST_CALL_EXIT, and
 * checks teardown leaves nothing delegated.  What the realm checks
 * itself is on the console, asserted by tests/qemu/test_fw_realm_rt.sh.
 */
#include "host.h"

#include <realm_image.h>
#include <string.h>

extern const uint8_t realm_rt_test_start[], realm_rt_test_end[];

int host_main(void);

static struct host_realm realm;
static bool exit_reported;

static bool rt_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == REALM_HOST_CALL_EXIT) {
		fw_printf("[host] realm%u REC%u reports exit status %ld\n", r->idx, k,
			  (long)run->exit.gprs[0]);
		exit_reported = true;
	}
	return false;	/* the default handling answers the host call */
}

int host_main(void)
{
	static const struct realm_image img = { realm_rt_test_start, realm_rt_test_end };
	const struct realm_image_header *h = (const void *)realm_rt_test_start;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] realm image: %lu bytes embedded, header: load %lu KB at 0x%lx, RAM %lu KB\n",
		  (unsigned long)(realm_rt_test_end - realm_rt_test_start),
		  (unsigned long)(h->load_size >> 10), (unsigned long)h->load_addr,
		  (unsigned long)(h->mem_size >> 10));
	realm_build(&realm, 0U, &img, 1U, 0UL);
	fw_printf("[host] realm0: %u level-3 RTTs for its RAM\n", realm.nl3);
	realms_run(&realm, 1U, rt_exit);
	if (!exit_reported) {
		host_fail("realm did not report an exit status", 0);
	}
	realm_teardown(&realm);
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
