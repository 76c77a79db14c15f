/*
 * The parts of RMM v1.0 A6.1 (virtual GIC) and A6.2 (timers) that are
 * rules about values, kept apart from the register accesses in plat/ so
 * the native tests can check them.
 */
#include <realm.h>
#include <smc-handler.h>
#include <smc-rmi.h>

/* ICH_HCR_EL2 fields the host controls (A6.1). */
#define ICH_HCR_UIE		BIT(1)
#define ICH_HCR_LRENPIE		BIT(2)
#define ICH_HCR_NPIE		BIT(3)
#define ICH_HCR_VGRP0EIE	BIT(4)
#define ICH_HCR_VGRP0DIE	BIT(5)
#define ICH_HCR_VGRP1EIE	BIT(6)
#define ICH_HCR_VGRP1DIE	BIT(7)
#define ICH_HCR_TDIR		BIT(14)
#define ICH_HCR_EOICOUNT	(0x1FUL << 27)
#define ICH_HCR_HOST_BITS	(ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE | ICH_HCR_VGRP0EIE | \
				 ICH_HCR_VGRP0DIE | ICH_HCR_VGRP1EIE | ICH_HCR_VGRP1DIE | ICH_HCR_TDIR)
#define ICH_LR_STATE_SHIFT	62
#define ICH_LR_HW		BIT(61)
#define ICH_LR_EOI		BIT(41)		/* the one pINTID bit with HW = 0 */
#define ICH_LR_VINTID		0xFFFFFFFFUL
/*
 * RES0 with HW = 0: bits 59:56, 47:45 and pINTID 44:32 but EOI (GICv3
 * ICH_LR<n>_EL2).
 */
#define ICH_LR_RES0		((0xFUL << 56) | ((0x1FFFUL << 32) & ~ICH_LR_EOI) | (0x7UL << 45))

#define CNT_CTL_ENABLE		BIT(0)
#define CNT_CTL_IMASK		BIT(1)
#define CNT_CTL_ISTATUS		BIT(2)

bool rec_entry_gic_valid(const struct rmi_rec_entry *e)
{
	unsigned int i;

	if ((e->gicv3_hcr & ~ICH_HCR_HOST_BITS) != 0UL) {
		return false;
	}
	for (i = 0U; i < REC_GIC_NUM_LRS; i++) {
		uint64_t lr = e->gicv3_lrs[i];
		unsigned int j;

		/* HW must be 0 (the RMM cannot check the physical side). */
		if ((lr & (ICH_LR_HW | ICH_LR_RES0)) != 0UL) {
			return false;
		}
		if ((lr >> ICH_LR_STATE_SHIFT) == 0UL) {
			continue;	/* invalid: its vINTID means nothing */
		}
		/* Two valid LRs with one vINTID: UNPREDICTABLE (as TF-RMM, refused). */
		for (j = i + 1U; j < REC_GIC_NUM_LRS; j++) {
			uint64_t other = e->gicv3_lrs[j];

			if ((other >> ICH_LR_STATE_SHIFT) != 0UL &&
			    (other & ICH_LR_VINTID) == (lr & ICH_LR_VINTID)) {
				return false;
			}
		}
	}
	return true;
}

uint64_t rec_exit_gic_hcr(uint64_t ich_hcr)
{
	return ich_hcr & (ICH_HCR_HOST_BITS | ICH_HCR_EOICOUNT);
}

bool timer_asserted(uint64_t ctl)
{
	return (ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
}

uint64_t timer_entry_ctl(uint64_t ctl, uint32_t *masked)
{
	*masked = timer_asserted(ctl) ? 1U : 0U;
	return (*masked != 0U) ? (ctl | CNT_CTL_IMASK) : ctl;
}

uint64_t timer_exit_ctl(uint64_t hw_ctl, uint32_t masked)
{
	return (masked != 0U) ? (hw_ctl & ~CNT_CTL_IMASK) : hw_ctl;
}

void rec_exit_report_state(const struct rec *rec, struct rmi_rec_exit *exit)
{
	unsigned int i;

	exit->cntv_ctl = rec->timer.cntv_ctl;
	exit->cntv_cval = rec->timer.cntv_cval;
	exit->cntp_ctl = rec->timer.cntp_ctl;
	exit->cntp_cval = rec->timer.cntp_cval;
	exit->gicv3_hcr = rec_exit_gic_hcr(rec->gic.hcr);
	for (i = 0U; i < REC_GIC_NUM_LRS; i++) {
		exit->gicv3_lrs[i] = rec->gic.lrs[i];
	}
	exit->gicv3_misr = rec->gic.misr;
	exit->gicv3_vmcr = rec->gic.vmcr;
}
