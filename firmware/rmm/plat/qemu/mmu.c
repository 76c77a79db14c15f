/*
 * The RMM's stage-1 map at Realm EL2 (39-bit VA, 4 KB granule), built
 * from the linker script's section bounds and the memory layout the
 * monitor passed at boot.  Only what the RMM uses is mapped:
 *
 *   RMM text                       VA = PA   Normal   RO, executable
 *   RMM rodata                     VA = PA   Normal   RO, XN
 *   RMM data, bss, stacks, tables  VA = PA   Normal   RW, XN
 *   delegable range (Realm PAS)    VA = PA   Normal   RW, XN  (2 MB blocks)
 *   delegable range (NS PAS)       PA + 4 GB Normal   RW, XN, NS (2 MB blocks)
 *   PL011 UART (one page)          VA = PA   Device   RW, XN
 *
 * Nothing else (DTB, monitor, the rest of the RMM's 6 MB, GIC, flash) is
 * mapped, and SCTLR_EL2.WXN makes any writable page execute-never as well.
 */
#include <arch_helpers.h>
#include <console.h>
#include <fw_utils.h>
#include <mmu.h>
#include <plat_memory.h>

#define MMU_POOL	16U

#define TCR_EL2_RES1	(BIT(31) | BIT(23))
#define TCR_T0SZ_39	(64UL - XLAT_VA_BITS)
#define TCR_IRGN0_WB	(1UL << 8)
#define TCR_ORGN0_WB	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_PS_40	(2UL << 16)
#define SCTLR_EL2_RES1	0x30C50830UL
#define SCTLR_M		BIT(0)
#define SCTLR_C		BIT(2)
#define SCTLR_I		BIT(12)
#define SCTLR_WXN	BIT(19)

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __rw_start[], __rw_end[];

static xlat_table_t mmu_pool[MMU_POOL] __attribute__((aligned(4096)));
static struct xlat_ctx mmu;

const struct xlat_ctx *mmu_ctx(void)
{
	return &mmu;
}

static bool map(const char *what, uint64_t va, uint64_t pa, uint64_t size, unsigned int flags)
{
	enum xlat_status st = xlat_map(&mmu, va, pa, size, flags);

	if (st != XLAT_OK) {
		fw_printf("[rmm] stage-1 map of %s 0x%lx+0x%lx failed (%u)\n", what, va, size,
			  (unsigned int)st);
		return false;
	}
	return true;
}

static uint64_t addr(const char *p)
{
	return (uint64_t)(uintptr_t)p;
}

bool mmu_build(const struct boot_mem *m)
{
	uint64_t line, pool = addr((const char *)mmu_pool);

	xlat_init(&mmu, mmu_pool, MMU_POOL);
	if (!map("text", addr(__text_start), addr(__text_start),
		 addr(__text_end) - addr(__text_start), XLAT_CODE) ||
	    !map("rodata", addr(__rodata_start), addr(__rodata_start),
		 addr(__rodata_end) - addr(__rodata_start), XLAT_RODATA) ||
	    !map("data", addr(__rw_start), addr(__rw_start),
		 addr(__rw_end) - addr(__rw_start), XLAT_RWDATA) ||
	    !map("delegable", m->ns_base, m->ns_base, m->ns_size, XLAT_RWDATA) ||
	    !map("NS alias", m->ns_base + PLAT_NS_ALIAS, m->ns_base, m->ns_size,
		 XLAT_RWDATA | XLAT_NS_PAS) ||
	    !map("UART", PLAT_UART_BASE, PLAT_UART_BASE, XLAT_PAGE_SIZE, XLAT_DEV)) {
		return false;
	}
	/*
	 * Written with the MMU off (non-cacheable); the walks will be
	 * cacheable: make sure no stale line of the tables survives.
	 */
	for (line = pool; line < pool + sizeof(mmu_pool); line += 64U) {
		__asm__ volatile("dc civac, %0" : : "r"(line) : "memory");
	}
	dsb_sy();
	return true;
}

void mmu_enable(void)
{
	write_sysreg(mair_el2, XLAT_MAIR);
	write_sysreg(tcr_el2, TCR_EL2_RES1 | TCR_T0SZ_39 | TCR_IRGN0_WB | TCR_ORGN0_WB |
			      TCR_SH0_INNER | TCR_PS_40);
	write_sysreg(ttbr0_el2, (uint64_t)(uintptr_t)mmu_pool[0]);
	isb();
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb_sy();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN);
	isb();
}
