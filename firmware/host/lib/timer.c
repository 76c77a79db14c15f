/*
 * The host's preemption timer and GIC CPU interface (NS EL2): the EL2
 * physical timer (CNTHP, PPI 10 = INTID 26 on QEMU virt) is armed before
 * each REC_ENTER; when it fires during a realm's run the RMM exits with
 * RMI_EXIT_IRQ, and the host acknowledges the interrupt through ICC_*.
 * IRQs stay masked at EL2 (PSTATE.I): the host polls after each exit.
 */
#include "host.h"

#define GICR_SGI_ISENABLER0	(PLAT_GICR_BASE + 0x10000UL + 0x100UL)
#define INTID_HYP_TIMER		26U
#define INTID_VTIMER		27U

void host_timer_init(void)
{
	volatile uint32_t *isen = (volatile uint32_t *)(uintptr_t)(GICR_SGI_ISENABLER0 +
		host_cpu() * PLAT_GICR_STRIDE);

	*isen = (1U << INTID_HYP_TIMER) | (1U << INTID_VTIMER);
	dsb_sy();
	write_sysreg(S3_0_C4_C6_0, 0xFFUL);	/* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1UL);	/* ICC_IGRPEN1_EL1 */
	write_sysreg(cnthp_ctl_el2, 0UL);
	isb();
}

uint64_t host_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t host_ticks_per_ms(void)
{
	return read_sysreg(cntfrq_el0) / 1000UL;
}

void host_slice_arm(uint64_t ticks)
{
	write_sysreg(cnthp_cval_el2, host_now() + ticks);
	write_sysreg(cnthp_ctl_el2, 1UL);	/* enabled, not masked */
	isb();
}

void host_slice_disarm(void)
{
	write_sysreg(cnthp_ctl_el2, 0UL);
	isb();
}

unsigned int host_irq_ack(void)
{
	uint64_t iar = read_sysreg(S3_0_C12_C12_0) & 0xFFFFFFUL;	/* ICC_IAR1_EL1 */

	if (iar < 1020UL) {
		if (iar == INTID_HYP_TIMER) {
			host_slice_disarm();	/* level: stop it before EOI */
		}
		write_sysreg(S3_0_C12_C12_1, iar);	/* ICC_EOIR1_EL1 (EOImode 0) */
		isb();
	}
	return (unsigned int)iar;
}
