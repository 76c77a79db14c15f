/*
 * GICv3 set-up for the Normal world, done by EL3 because only the Secure
 * side may assign interrupt groups while the GIC has two security states
 * (GICD_CTLR.DS = 0, as QEMU virt with secure=on has): affinity routing on,
 * every SPI, SGI and PPI in Non-secure Group 1, Group 1 NS enabled, each
 * CPU's redistributor awake, and the system-register interface enabled
 * for EL3, EL2 and EL1 (ICC_SRE_ELx).  Written from the GICv3
 * architecture specification (IHI 0069).
 */
#include <arch_helpers.h>
#include <fw_utils.h>
#include <gic.h>
#include <plat_memory.h>

#define GICD_CTLR		0x0000U
#define GICD_TYPER		0x0004U
#define GICD_IGROUPR(n)		(0x0080U + 4U * (n))
#define GICD_IGRPMODR(n)	(0x0D00U + 4U * (n))
#define GICD_CTLR_GRP1NS	BIT(1)
#define GICD_CTLR_ARE_S		BIT(4)
#define GICD_CTLR_ARE_NS	BIT(5)
#define GICD_CTLR_RWP		BIT(31)

#define GICR_WAKER		0x0014U
#define GICR_WAKER_PSLEEP	BIT(1)
#define GICR_WAKER_CASLEEP	BIT(2)
#define GICR_SGI		0x10000UL
#define GICR_IGROUPR0		0x0080U
#define GICR_IGRPMODR0		0x0D00U

#define ICC_SRE_SRE		BIT(0)
#define ICC_SRE_DFB		BIT(1)
#define ICC_SRE_DIB		BIT(2)
#define ICC_SRE_EN		BIT(3)

static volatile uint32_t *reg32(uint64_t base, uint64_t off)
{
	return (volatile uint32_t *)(uintptr_t)(base + off);
}

void gic_init_distributor(void)
{
	uint32_t lines = ((*reg32(PLAT_GICD_BASE, GICD_TYPER) & 0x1FU) + 1U) * 32U;
	uint32_t n;

	*reg32(PLAT_GICD_BASE, GICD_CTLR) = GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS;
	while ((*reg32(PLAT_GICD_BASE, GICD_CTLR) & GICD_CTLR_RWP) != 0U) {
	}
	for (n = 1U; n < lines / 32U; n++) {	/* SPIs; word 0 is the redistributors' */
		*reg32(PLAT_GICD_BASE, GICD_IGROUPR(n)) = 0xFFFFFFFFU;
		*reg32(PLAT_GICD_BASE, GICD_IGRPMODR(n)) = 0U;
	}
	*reg32(PLAT_GICD_BASE, GICD_CTLR) = GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS | GICD_CTLR_GRP1NS;
	while ((*reg32(PLAT_GICD_BASE, GICD_CTLR) & GICD_CTLR_RWP) != 0U) {
	}
}

void gic_init_cpu(unsigned int cpu)
{
	uint64_t rd = PLAT_GICR_BASE + cpu * PLAT_GICR_STRIDE;

	*reg32(rd, GICR_WAKER) &= ~GICR_WAKER_PSLEEP;
	while ((*reg32(rd, GICR_WAKER) & GICR_WAKER_CASLEEP) != 0U) {
	}
	*reg32(rd + GICR_SGI, GICR_IGROUPR0) = 0xFFFFFFFFU;	/* SGIs+PPIs: Group 1 NS */
	*reg32(rd + GICR_SGI, GICR_IGRPMODR0) = 0U;
	dsb_sy();

	write_sysreg(S3_6_C12_C12_5, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_EN); /* ICC_SRE_EL3 */
	isb();
	write_sysreg(S3_4_C12_C9_5, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_EN); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(S3_0_C12_C12_5, ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB);	/* ICC_SRE_EL1 */
	isb();
	write_sysreg(S3_6_C12_C12_7, 0x1UL);	/* ICC_IGRPEN1_EL3: Group 1 NS on */
	write_sysreg(S3_0_C4_C6_0, 0xFFUL);	/* ICC_PMR_EL1: no priority masking */
	isb();
}
