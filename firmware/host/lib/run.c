/*
 * Running RECs: one REC_ENTER and its exit (PSCI CPU_ON/CPU_OFF/SYSTEM_OFF,
 * the on-demand page's stage-2 fault, yield host calls), and a round-robin
 * scheduler that switches REC at every exit, so the RMM moves between RECs
 * of one realm (same stage 2) and between realms (other VMID, same IPAs).
 */
#include "host.h"

#include <string.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3FUL)

static unsigned int el1_checks;	/* REC exits after which EL1 was checked */
static unsigned int el1_leaks;	/* ... and found realm values in it */

unsigned int host_el1_checks(void)
{
	return el1_checks;
}

unsigned int host_el1_leaks(void)
{
	return el1_leaks;
}

/*
 * A stage-2 data abort on the realm's on-demand page: give it a granule
 * (DATA_CREATE_UNKNOWN works in an ACTIVE realm) and let the REC retry.
 */
static bool handle_stage2_fault(struct host_realm *r, const struct rmi_rec_exit *e)
{
	uint64_t ipa = (e->hpfar >> 4) << GRANULE_SHIFT;

	if (ESR_EC(e->esr) != 0x24UL || ipa != r->lazy_ipa || r->lazy_data != 0UL) {
		fw_printf("[host] FAIL: realm%u unexpected stage-2 fault ESR=0x%lx IPA=0x%lx\n",
			  r->idx, e->esr, ipa);
		host_count_failure();
		return false;
	}
	r->lazy_data = alloc_delegated();
	RMI_MUST("DATA_CREATE_UNKNOWN (on demand)", SMC_RMI_DATA_CREATE_UNKNOWN, r->rd,
		 r->lazy_data, ipa, 0, 0, NULL);
	fw_printf("[host] realm%u: stage-2 fault ESR=0x%lx at IPA 0x%lx -> DATA_CREATE_UNKNOWN "
		  "PA 0x%lx, resuming\n", r->idx, e->esr, ipa, r->lazy_data);
	return true;
}

/* PSCI exits: CPU_ON (complete it), CPU_OFF, SYSTEM_OFF. */
static void handle_psci_exit(struct host_realm *r, unsigned int k, const struct rmi_rec_exit *e)
{
	unsigned long ret;
	uint64_t target = e->gprs[1];

	switch (e->gprs[0]) {
	case 0xC4000003UL:	/* CPU_ON */
		if (target >= r->nrecs) {
			host_fail("CPU_ON of an MPIDR without a REC", target);
			r->sched[k] = false;
			return;
		}
		ret = rmi(SMC_RMI_PSCI_COMPLETE, r->rec[k], r->rec[target], 0 /* SUCCESS */, 0, 0, NULL);
		fw_printf("[host] realm%u REC%u: PSCI CPU_ON of MPIDR 0x%lx -> PSCI_COMPLETE status %lu\n",
			  r->idx, k, target, ret);
		if (ret != RMI_SUCCESS) {
			host_fail("PSCI_COMPLETE", ret);
			r->sched[k] = false;
			return;
		}
		r->sched[target] = true;
		return;
	case 0x84000002UL:	/* CPU_OFF */
		fw_printf("[host] realm%u REC%u: PSCI CPU_OFF\n", r->idx, k);
		r->sched[k] = false;
		return;
	case 0x84000008UL:	/* SYSTEM_OFF */
		fw_printf("[host] realm%u: PSCI SYSTEM_OFF from REC%u after %u REC exits\n",
			  r->idx, k, r->exits);
		r->off = true;
		return;
	default:
		host_fail("unexpected PSCI exit", e->gprs[0]);
		r->sched[k] = false;
		return;
	}
}

void realm_step(struct host_realm *r, unsigned int k, host_exit_hook hook)
{
	struct rmi_rec_run *run = (struct rmi_rec_run *)(uintptr_t)r->run[k];
	uint64_t flags = run->entry.flags, gprs[REC_EXIT_NR_GPRS];
	/* What carries over to a console completion: the traps, not one-shot answers. */
	uint64_t traps = flags & (REC_ENTRY_FLAG_TRAP_WFI | REC_ENTRY_FLAG_TRAP_WFE);
	enum realm_console_exit console;

	memcpy(gprs, run->entry.gprs, sizeof(gprs));
	do {
		RMI_MUST("REC_ENTER", SMC_RMI_REC_ENTER, r->rec[k], r->run[k], 0, 0, 0, NULL);
		/*
		 * The realm ran at EL1 with its own vector table and stack; the
		 * RMM must have scrubbed both (and the rest of EL1) before
		 * coming back.
		 */
		el1_checks++;
		if (read_sysreg(vbar_el1) != 0UL || read_sysreg(sp_el1) != 0UL) {
			el1_leaks++;
			host_fail("realm EL1 state (VBAR_EL1/SP_EL1) visible to the host",
				  read_sysreg(vbar_el1));
		}
		console = realm_console_exit(r, k, run);
		run->entry.flags = (console == REALM_CONSOLE_NONE) ? flags :
				   (console == REALM_CONSOLE_UART) ? (traps | REC_ENTRY_FLAG_EMUL_MMIO) :
				   traps;
	} while (console != REALM_CONSOLE_NONE);
	memcpy(run->entry.gprs, gprs, sizeof(gprs));
	r->exits++;
	if (hook != NULL && hook(r, k, run)) {
		return;
	}
	switch (run->exit.exit_reason) {
	case RMI_EXIT_HOST_CALL:
		/* A yield: nothing to do, the scheduler moves on. */
		memset(run->entry.gprs, 0, sizeof(run->entry.gprs));
		run->entry.gprs[0] = 0xACCE55UL;	/* host's answer */
		return;
	case RMI_EXIT_SYNC:
		if (!handle_stage2_fault(r, &run->exit)) {
			r->sched[k] = false;
		}
		return;
	case RMI_EXIT_PSCI:
		handle_psci_exit(r, k, &run->exit);
		return;
	default:
		fw_printf("[host] FAIL: realm%u unexpected exit %lu ESR=0x%lx HPFAR=0x%lx\n",
			  r->idx, run->exit.exit_reason, run->exit.esr, run->exit.hpfar);
		host_count_failure();
		r->sched[k] = false;
		return;
	}
}

bool realm_alive(const struct host_realm *r)
{
	unsigned int k;

	if (r->off) {
		return false;
	}
	for (k = 0U; k < r->nrecs; k++) {
		if (r->sched[k]) {
			return true;
		}
	}
	return false;
}

void realms_run(struct host_realm *realms, unsigned int n, host_exit_hook hook)
{
	unsigned int i, k;
	bool any = true;
	unsigned long ret;

	while (any) {
		any = false;
		for (i = 0U; i < n; i++) {
			for (k = 0U; k < realms[i].nrecs && realm_alive(&realms[i]); k++) {
				if (realms[i].sched[k]) {
					realm_step(&realms[i], k, hook);
				}
			}
			any = any || realm_alive(&realms[i]);
		}
	}
	for (i = 0U; i < n; i++) {
		struct host_realm *r = &realms[i];

		if (!r->off) {
			host_fail("realm stopped without SYSTEM_OFF", r->idx);
		}
		ret = rmi(SMC_RMI_REC_ENTER, r->rec[0], r->run[0], 0, 0, 0, NULL);
		fw_printf("[host] realm%u: REC_ENTER after SYSTEM_OFF -> status 0x%lx (ERROR_REALM index 1 expected)\n",
			  r->idx, ret);
		if (ret != rmi_pack(RMI_ERROR_REALM, 1UL)) {
			host_fail("REC_ENTER after SYSTEM_OFF", ret);
		}
	}
}
