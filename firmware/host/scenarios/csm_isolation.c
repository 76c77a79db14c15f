/*
 * Scenario "csm_isolation" (host-csm_isolation.elf, test fw_csm_isolation):
 * three realms of the "csm" payload: realm0 provides a 64 KB region and
 * grants it read-only to realm1; realm2 is an outsider.  Checked here, as
 * the hostile host: a read of a region granule's PA takes a GPF; the
 * region's granule can be neither DATA_CREATEd into the outsider nor
 * mapped into it unprotected (an ordinary NS granule can, at the same
 * IPA); after the revoke, the consumer's range cannot be populated.
 * Checked by the realms (on the console): the consumer reads the
 * provider's bytes in place and its store is an SEA; the outsider's
 * grant list is empty and its RESERVE/ATTACH are DENIED; after the revoke
 * the consumer's loads are SEAs.  Teardown leaves no granule delegated.
 */
#include "host_csm.h"

#include <s2tt.h>
#include <smc-csm.h>

#define NR_REALMS	3U
#define CSM_ISOLATION	1UL
#define KEY_GRANT_RO	0x21UL
#define KEY_REVOKED	0x23UL
#define ESR_EC(esr)	(((esr) >> 26) & 0x3FUL)
#define DFSC_GPF	0x28UL

extern const uint8_t realm_csm_start[], realm_csm_end[];

int host_main(void);

static struct host_realm realms[NR_REALMS];
static struct host_csm cs[NR_REALMS];

/* The provider shared its window: the host knows which PAs it gave. */
static void check_shared_granule(void)
{
	uint64_t pa = cs[0].pop[0], esr, v = 0UL, far = 0UL, ns, ret;
	uint64_t uipa = UART_IPA + GRANULE_SIZE;	/* an UNASSIGNED_NS entry of realm2 */

	esr = probe_read(pa, &v, &far);
	fw_printf("[host] read of the CSM granule at PA 0x%lx from Normal EL2 -> %s ESR_EL2=0x%lx "
		  "FAR_EL2=0x%lx\n", pa, ((esr & 0x3FUL) == DFSC_GPF) ? "GPF," : "NO GPF,", esr, far);
	if (ESR_EC(esr) != 0x25UL || (esr & 0x3FUL) != DFSC_GPF || far != pa) {
		host_fail("the host could read a CSM granule", esr);
	}
	ret = rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realms[2].rd, pa, HOST_CSM_WINDOW, 0, 0, NULL);
	fw_printf("[host] DATA_CREATE_UNKNOWN of the CSM granule into the outsider -> status 0x%lx\n",
		  ret);
	if (ret != RMI_ERROR_INPUT) {
		host_fail("CSM granule mapped into the outsider", ret);
	}
	ret = rmi(SMC_RMI_RTT_MAP_UNPROTECTED, realms[2].rd, uipa, 3, pa | S2TTE_AP_RW, 0, NULL);
	fw_printf("[host] RTT_MAP_UNPROTECTED of the CSM granule into the outsider -> status 0x%lx\n",
		  ret);
	if (ret != RMI_ERROR_INPUT) {
		host_fail("CSM granule mapped unprotected", ret);
	}
	/* Control: the same call with a Normal-world granule works. */
	ns = alloc_ns();
	ret = rmi(SMC_RMI_RTT_MAP_UNPROTECTED, realms[2].rd, uipa, 3, ns | S2TTE_AP_RW, 0, NULL);
	fw_printf("[host] control: RTT_MAP_UNPROTECTED of a Normal-world granule there -> status "
		  "0x%lx\n", ret);
	if (ret != RMI_SUCCESS) {
		host_fail("control mapping refused", ret);
	}
	RMI_MUST("RTT_UNMAP_UNPROTECTED", SMC_RMI_RTT_UNMAP_UNPROTECTED, realms[2].rd, uipa, 3, 0, 0,
		 NULL);
}

/* After the revoke: the consumer's range cannot be repopulated. */
static void check_no_repopulate(void)
{
	uint64_t d = alloc_delegated();
	unsigned long ret = rmi(SMC_RMI_DATA_CREATE_UNKNOWN, realms[1].rd, d, HOST_CSM_WINDOW, 0, 0,
				NULL);

	fw_printf("[host] after CSM_REVOKE: DATA_CREATE_UNKNOWN into the consumer's range -> "
		  "status 0x%lx\n", ret);
	if (ret != rmi_pack(RMI_ERROR_RTT, 3UL)) {
		host_fail("the host repopulated a revoked range", ret);
	}
	undelegate(d);
}

static bool isolation_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	struct host_csm *c = r->priv;

	(void)k;
	if (run->exit.exit_reason == RMI_EXIT_HOST_CALL && run->exit.imm == HC_POST) {
		if (run->exit.gprs[0] == KEY_GRANT_RO) {
			check_shared_granule();
		} else if (run->exit.gprs[0] == KEY_REVOKED) {
			check_no_repopulate();
		}
	}
	return host_csm_exit(c, run);
}

int host_main(void)
{
	static const struct realm_image img = { realm_csm_start, realm_csm_end };
	unsigned int i;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] csm_isolation: realm0 provides, realm1 consumes read-only, realm2 is an "
		  "outsider\n");
	host_csm_init(realms, cs, NR_REALMS);
	for (i = 0U; i < NR_REALMS; i++) {
		realms[i].priv = &cs[i];
		realm_build(&realms[i], i, &img, 1U, CSM_ISOLATION);
	}
	host_csm_run(isolation_exit);
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
