/*
 * Scenario "realm_kernel" (host-realm_kernel.elf, test fw_realm_kernel):
 * one realm running the realm kernel (realm/kernel) with two EL0
 * applications.  The host traps WFI/WFE (enter.flags) and preempts the
 * realm with its 1 ms EL2 timer; when the realm's kernel idles in WFI
 * with its virtual timer armed, the host does not enter it again before
 * exit.cntv_cval, and injects the timer interrupt (virtual INTID 27
 * through enter.gicv3_lrs) once exit.cntv_ctl shows it asserted.  The
 * run ends with the exit status the runtime reports and SYSTEM_OFF;
 * teardown must leave nothing delegated.  The kernel's CSM driver shares
 * memory in its IPA window [2^(w-3), 2^(w-2)) (RIPAS EMPTY, no RTTs): the
 * host answers its CSM exits (host/lib/csm.c: RTTs, populate, metadata).
 */
#include "host.h"
#include "host_csm.h"

#include <caec_sip.h>
#include <smc-csm.h>

#include <realm_image.h>

#define LR_VTIMER	((1UL << 62) | (1UL << 60) | (0xA0UL << 48) | 27UL)	/* pending, G1 */
#define LR_STATE(lr)	(((lr) >> 62) & 3UL)
#define CNT_ASSERTED(ctl) (((ctl) & 7UL) == 5UL)	/* ENABLE, ISTATUS, !IMASK */

extern const uint8_t realm_kernel_start[], realm_kernel_end[];

int host_main(void);

static struct host_realm realm;
static struct host_csm csm;
static unsigned int irq_exits, wfx_exits, injected, untimed_wfis;
static uint64_t wait_until;
static bool exit_reported;

static bool kernel_exit(struct host_realm *r, unsigned int k, struct rmi_rec_run *run)
{
	const struct rmi_rec_exit *e = &run->exit;

	run->entry.gicv3_lrs[0] = e->gicv3_lrs[0];
	if (CNT_ASSERTED(e->cntv_ctl) && LR_STATE(e->gicv3_lrs[0]) == 0UL) {
		run->entry.gicv3_lrs[0] = LR_VTIMER;
		injected++;
		wait_until = 0UL;
	}
	switch (e->exit_reason) {
	case RMI_EXIT_CSM_POPULATE:
	case RMI_EXIT_CSM_RELEASE:
	case RMI_EXIT_CSM_META:
	case RMI_EXIT_CSM_DOORBELL:
		return host_csm_exit(&csm, run);
	case RMI_EXIT_IRQ:
		(void)host_irq_ack();
		irq_exits++;
		return true;
	case RMI_EXIT_SYNC:
		if ((e->esr >> 26) != 0x01UL) {
			return false;
		}
		wfx_exits++;
		if ((e->cntv_ctl & 1UL) != 0UL && !CNT_ASSERTED(e->cntv_ctl)) {
			wait_until = e->cntv_cval;	/* not worth entering before its timer fires */
		} else if ((e->cntv_ctl & 1UL) == 0UL) {
			untimed_wfis++;	/* waits for a doorbell: none can come in this scenario */
		}
		return true;
	case RMI_EXIT_HOST_CALL:
		if (run->exit.imm == REALM_HOST_CALL_PLATFORM_KEY) {
			host_answer_platform_key(run);
			return true;
		}
		if (run->exit.imm == REALM_HOST_CALL_EXIT) {
			fw_printf("[host] realm%u REC%u reports exit status %ld\n", r->idx, k,
				  (long)run->exit.gprs[0]);
			exit_reported = true;
		}
		return false;	/* the default handling answers the host call */
	default:
		return false;
	}
}

int host_main(void)
{
	static const struct realm_image img = { realm_kernel_start, realm_kernel_end };
	const struct realm_image_header *h = (const void *)realm_kernel_start;
	struct rmi_rec_run *run;
	uint64_t slice;

	console_init(PLAT_UART_BASE);
	host_alloc_init();
	fw_printf("[host] realm kernel image: %lu bytes embedded, load %lu KB, RAM %lu KB\n",
		  (unsigned long)(realm_kernel_end - realm_kernel_start),
		  (unsigned long)(h->load_size >> 10), (unsigned long)(h->mem_size >> 10));
	host_csm_init(&realm, &csm, 1U);
	host_csm_set_window(&csm, 1UL << (REALM_S2SZ - 3U), 1UL << (REALM_S2SZ - 2U));
	realm_build(&realm, 0U, &img, 1U, 0UL);
	run = (struct rmi_rec_run *)(uintptr_t)realm.run[0];
	host_timer_init();
	slice = host_ticks_per_ms();
	while (realm_alive(&realm) && untimed_wfis < 1000U) {
		if (wait_until != 0UL && host_now() < wait_until) {
			continue;
		}
		wait_until = 0UL;
		run->entry.flags = REC_ENTRY_FLAG_TRAP_WFI | REC_ENTRY_FLAG_TRAP_WFE;
		host_slice_arm(slice);
		realm_step(&realm, 0U, kernel_exit);
		host_slice_disarm();
	}
	fw_printf("[host] realm0: %u REC exits, %u preempted by the host timer, %u WFx exits "
		  "(trapped), %u virtual timer injections, %u WFIs without a timer\n", realm.exits,
		  irq_exits, wfx_exits, injected, untimed_wfis);
	if (!realm.off) {
		host_fail("realm did not end with SYSTEM_OFF", untimed_wfis);
	}
	if (!exit_reported) {
		host_fail("realm did not report an exit status", 0);
	}
	host_csm_report();
	host_csm_unmap_window(&csm);
	realm_teardown(&realm);
	host_csm_after_teardown(&csm);
	fw_printf("[host] teardown complete: %u granules delegated in total, %u still delegated\n",
		  host_total_delegated(), host_nr_delegated());
	if (host_nr_delegated() != 0U) {
		host_count_failure();
	}
	return host_result();
}
