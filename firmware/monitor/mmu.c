/*
 * The EL3 monitor's stage-1 map (39-bit VA, 4 KB granule, rmm/lib/xlat),
 * on from the cold boot on: mbedTLS (firmware/crypto) needs Normal
 * memory, and the attestation services reach the RMM's memory through
 * the Realm PAS.  VA = PA throughout:
 *
 *   monitor text                 Root   Normal   RO, executable
 *   monitor rodata               Root   Normal   RO, XN
 *   monitor data, bss, stacks    Root   Normal   RW, XN (the GPT is in .bss)
 *   RMM image and memory (6 MB)  Realm  Normal   RW, XN (2 MB blocks)
 *   GIC distributor, redistributors, PL011, Secure PL061
 *                                Root   Device   RW, XN
 *
 * Nothing else: not the DTB (read before the MMU is on), not the Normal
 * world's memory (PAS changes use DC CIPAPA by PA).  SCTLR_EL3.WXN makes
 * every writable page execute-never too.  CPU 0 builds the tables once;
 * every CPU turns its MMU on with them (monitor_mmu_enable).
 */
#include <arch_helpers.h>
#include <console.h>
#include <fw_utils.h>
#include <plat_memory.h>
#include <xlat.h>

#include "monitor_mmu.h"

#define MMU_POOL	8U

#define TCR_EL3_RES1	(BIT(31) | BIT(23))
#define TCR_T0SZ_39	(64UL - XLAT_VA_BITS)
#define TCR_IRGN0_WB	(1UL << 8)
#define TCR_ORGN0_WB	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_PS_40	(2UL << 16)
#define SCTLR_EL3_RES1	0x30C50830UL
#define SCTLR_M		BIT(0)
#define SCTLR_C		BIT(2)
#define SCTLR_I		BIT(12)
#define SCTLR_WXN	BIT(19)

#define ROOT		XLAT_NSE
#define REALM		(XLAT_NSE | XLAT_NS_PAS)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __rw_start[], __rw_end[];

static xlat_table_t mmu_pool[MMU_POOL] __attribute__((aligned(4096)));
static struct xlat_ctx mmu;

static uint64_t addr(const char *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool map(const char *what, uint64_t base, uint64_t size, unsigned int flags)
{
	enum xlat_status st = xlat_map(&mmu, base, base, size, flags);

	if (st != XLAT_OK) {
		fw_printf("[el3] stage-1 map of %s 0x%lx+0x%lx failed (%u)\n", what, base, size,
			  (unsigned int)st);
		return false;
	}
	return true;
}

bool monitor_mmu_build(void)
{
	xlat_init(&mmu, mmu_pool, MMU_POOL);
	return map("text", addr(__text_start), addr(__text_end) - addr(__text_start),
		   XLAT_CODE | ROOT) &&
	       map("rodata", addr(__rodata_start), addr(__rodata_end) - addr(__rodata_start),
		   XLAT_RODATA | ROOT) &&
	       map("data", addr(__rw_start), addr(__rw_end) - addr(__rw_start),
		   XLAT_RWDATA | ROOT) &&
	       map("RMM", PLAT_RMM_BASE, PLAT_RMM_SIZE, XLAT_RWDATA | REALM) &&
	       map("GICD", PLAT_GICD_BASE, 0x10000UL, XLAT_DEV | ROOT) &&
	       map("GICR", PLAT_GICR_BASE, PLAT_GICR_STRIDE * PLAT_MAX_CPUS, XLAT_DEV | ROOT) &&
	       map("UART", PLAT_UART_BASE, XLAT_PAGE_SIZE, XLAT_DEV | ROOT) &&
	       map("GPIO", PLAT_SECURE_GPIO_BASE, XLAT_PAGE_SIZE, XLAT_DEV | ROOT);
}

/*
 * This CPU's MMU on.  Everything the monitor wrote before (with the MMU
 * off: non-cacheable) is cleaned out of any cache first, so no stale line
 * hides it from the cacheable view.
 */
void monitor_mmu_enable(void)
{
	uint64_t line;

	for (line = addr(__rw_start); line < addr(__rw_end); line += 64U) {
		__asm__ volatile("dc civac, %0" : : "r"(line) : "memory");
	}
	dsb_sy();
	write_sysreg(mair_el3, XLAT_MAIR);
	write_sysreg(tcr_el3, TCR_EL3_RES1 | TCR_T0SZ_39 | TCR_IRGN0_WB | TCR_ORGN0_WB |
			      TCR_SH0_INNER | TCR_PS_40);
	write_sysreg(ttbr0_el3, addr((const char *)mmu_pool[0]));
	isb();
	__asm__ volatile("tlbi alle3" : : : "memory");
	dsb_sy();
	isb();
	write_sysreg(sctlr_el3, SCTLR_EL3_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN);
	isb();
}
