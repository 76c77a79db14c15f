/*
 * Boot self-test of the RMM's stage-1 map (CPU 0, right after the MMU is
 * on): for each region, what the hardware does, not what the tables say:
 *
 *   read, write  AT S1E2R / AT S1E2W, then PAR_EL1.F (and the fault code)
 *   type         PAR_EL1.ATTR (the MAIR byte), on success
 *   PAS          a real load from the last delegable granule, which is NS
 *                at boot, through both views: through the NS alias it
 *                works, through the Realm-PAS view it takes a Granule
 *                Protection Fault.  (QEMU 10's PAR_EL1 does not report
 *                NSE: bit 11 is always set there, so AT cannot show it.)
 *   execute      a branch to the region, with the EL2 vector armed to
 *                catch the instruction abort and return (mmu_probe.S)
 *   store        a real store of the word already there, for RO regions
 *   descriptor   the leaf descriptor found by a software walk, against the
 *                bits xlat_leaf_attrs() gives for the region's kind
 *
 * The execute targets hold a RET so that a region that wrongly executes
 * returns instead of running data.  The Realm-PAS view of delegable
 * memory is branched to, which XN refuses before any access (else the
 * GPC would); the NS alias gets a RET in the last granule for the
 * branch, removed again afterwards.
 */
#include <arch_helpers.h>
#include <console.h>
#include <fw_utils.h>
#include <mmu.h>
#include <plat_memory.h>

#define RET_INSN		0xD65F03C0U
#define ESR_EC(esr)		(((esr) >> 26) & 0x3FUL)
#define EC_IABT_CUR		0x21UL
#define EC_DABT_CUR		0x25UL
#define FSC(esr)		((esr) & 0x3FUL)
#define FSC_PERM(fsc)		(((fsc) & 0x3CUL) == 0x0CUL)	/* permission fault, any level */
#define PAR_F			BIT(0)
#define PAR_FST(par)		(((par) >> 1) & 0x3FUL)
#define FSC_GPF			0x28UL	/* granule protection fault, not on a walk */
#define PAR_ATTR(par)		((par) >> 56)
#define FST_TRANSLATION(f)	(((f) & 0x3CUL) == 0x04UL)
#define DESC_ATTR_MASK		(XLAT_XN | XLAT_AF | XLAT_SH_INNER | XLAT_AP2_RO | XLAT_AP1_RES1 | \
				 XLAT_NS | (7UL << XLAT_ATTR_INDX_SHIFT))

enum expect { UNMAPPED, MAPPED };
/* A load from the region: not tried, must work, must take a GPF. */
enum load { LOAD_NONE, LOAD_OK, LOAD_GPF };

struct region {
	const char *name;
	uint64_t va;
	enum expect mapped;
	unsigned int flags;	/* XLAT_* when mapped */
	bool probe_exec;	/* the region holds a RET at va */
	bool probe_store;	/* a store of the same word is safe there */
	enum load load;
};

static const uint32_t ret_ro = RET_INSN;	/* .rodata */
static volatile uint32_t ret_rw = RET_INSN;	/* .data */

static bool check_region(const struct region *r)
{
	uint64_t par_r = mmu_at_read(r->va), par_w = mmu_at_write(r->va);
	uint64_t esr_x = 0UL, esr_w = 0UL, esr_r = 0UL, desc, want_attr;
	unsigned int level = 0U;
	bool ok, want_w, want_x;

	if (r->mapped == UNMAPPED) {
		ok = (par_r & PAR_F) != 0UL && FST_TRANSLATION(PAR_FST(par_r)) &&
		     (par_w & PAR_F) != 0UL && FST_TRANSLATION(PAR_FST(par_w)) &&
		     xlat_lookup(mmu_ctx(), r->va, &level) == 0UL;
		fw_printf("[rmm] stage-1 %s 0x%lx: unmapped (AT R fault 0x%lx, W fault 0x%lx): %s\n",
			  r->name, r->va, PAR_FST(par_r), PAR_FST(par_w), ok ? "ok" : "WRONG");
		return ok;
	}
	if (r->probe_exec) {
		esr_x = mmu_probe_exec(r->va);
	}
	if (r->probe_store) {
		esr_w = mmu_probe_write(r->va);
	}
	if (r->load != LOAD_NONE) {
		esr_r = mmu_probe_read(r->va);
	}
	desc = xlat_lookup(mmu_ctx(), r->va, &level);

	want_w = (r->flags & XLAT_RO) == 0U;
	want_x = (r->flags & XLAT_EXEC) != 0U;
	want_attr = ((r->flags & XLAT_MT_NORMAL) != 0U) ? 0xFFUL : 0x00UL;

	ok = (par_r & PAR_F) == 0UL && PAR_ATTR(par_r) == want_attr &&
	     (want_w ? (par_w & PAR_F) == 0UL :
		       (par_w & PAR_F) != 0UL && FSC_PERM(PAR_FST(par_w))) &&
	     (desc & DESC_ATTR_MASK) == xlat_leaf_attrs(r->flags);
	if (r->probe_exec) {
		ok = ok && (want_x ? esr_x == 0UL :
			    ESR_EC(esr_x) == EC_IABT_CUR && FSC_PERM(FSC(esr_x)));
	}
	if (r->load != LOAD_NONE) {
		ok = ok && (r->load == LOAD_OK ? esr_r == 0UL :
			    ESR_EC(esr_r) == EC_DABT_CUR && FSC(esr_r) == FSC_GPF);
	}
	if (r->probe_store) {
		ok = ok && (want_w ? esr_w == 0UL :
			    ESR_EC(esr_w) == EC_DABT_CUR && FSC_PERM(FSC(esr_w)));
	}
	fw_printf("[rmm] stage-1 %s 0x%lx: L%u desc 0x%lx; AT R %s attr 0x%lx, AT W %s; "
		  "%sexec %s%s: %s\n", r->name, r->va, level, desc,
		  ((par_r & PAR_F) == 0UL) ? "ok" : "fault", PAR_ATTR(par_r),
		  ((par_w & PAR_F) == 0UL) ? "ok" : "fault",
		  (r->load == LOAD_NONE) ? "" : (esr_r == 0UL) ? "load ok, " :
		  (FSC(esr_r) == FSC_GPF) ? "load GPF, " : "load faulted, ",
		  !r->probe_exec ? "not tried" : (esr_x == 0UL) ? "ran" : "faulted",
		  !r->probe_store ? "" : (esr_w == 0UL) ? ", store ok" : ", store faulted",
		  ok ? "ok" : "WRONG");
	if (r->probe_exec && esr_x != 0UL) {
		fw_printf("[rmm]   exec fault ESR_EL2=0x%lx\n", esr_x);
	}
	return ok;
}

unsigned int mmu_selftest(const struct boot_mem *m)
{
	extern char __rw_end[];
	uint64_t last = m->ns_base + m->ns_size - GRANULE_SIZE;	/* an NS granule at boot */
	volatile uint32_t *alias_ret = (volatile uint32_t *)(uintptr_t)(last + PLAT_NS_ALIAS);
	const struct region regions[] = {
		{ "text", (uint64_t)(uintptr_t)mmu_probe_ret, MAPPED, XLAT_CODE, true, true, LOAD_OK },
		{ "rodata", (uint64_t)(uintptr_t)&ret_ro, MAPPED, XLAT_RODATA, true, true, LOAD_OK },
		{ "data", (uint64_t)(uintptr_t)&ret_rw, MAPPED, XLAT_RWDATA, true, true, LOAD_OK },
		{ "delegable (Realm PAS)", last, MAPPED, XLAT_RWDATA, true, false, LOAD_GPF },
		{ "delegable (NS alias)", (uint64_t)(uintptr_t)alias_ret, MAPPED,
		  XLAT_RWDATA | XLAT_NS_PAS, true, false, LOAD_OK },
		{ "UART", PLAT_UART_BASE, MAPPED, XLAT_DEV, false, false, LOAD_NONE },
		{ "DTB", PLAT_DTB_BASE, UNMAPPED, 0U, false, false, LOAD_NONE },
		{ "monitor (Root PAS)", PLAT_MONITOR_BASE, UNMAPPED, 0U, false, false, LOAD_NONE },
		{ "RMM region past its image", (uint64_t)(uintptr_t)__rw_end, UNMAPPED, 0U, false,
		  false, LOAD_NONE },
		{ "GIC distributor", PLAT_GICD_BASE, UNMAPPED, 0U, false, false, LOAD_NONE },
		{ "past the delegable range", m->ns_base + m->ns_size, UNMAPPED, 0U, false, false,
		  LOAD_NONE },
	};
	unsigned int i, checked = 0U, wrong = 0U;
	/* Only touch the alias if it really reaches the NS granule (else: GPF). */
	bool alias_ok = mmu_probe_read((uint64_t)(uintptr_t)alias_ret) == 0UL;
	uint32_t saved = alias_ok ? *alias_ret : 0U;

	if (alias_ok) {
		*alias_ret = RET_INSN;
		dsb_sy();
		__asm__ volatile("ic iallu" : : : "memory");
		dsb_sy();
		isb();
	}
	for (i = 0U; i < ARRAY_SIZE(regions); i++) {
		/* If the image fills the RMM's 6 MB there is no tail to probe. */
		if (regions[i].va == (uint64_t)(uintptr_t)__rw_end &&
		    regions[i].va >= PLAT_RMM_BASE + PLAT_RMM_SIZE) {
			continue;
		}
		checked++;
		wrong += check_region(&regions[i]) ? 0U : 1U;
	}
	if (alias_ok) {
		*alias_ret = saved;
		dsb_sy();
	}
	write_sysreg(par_el1, 0UL);
	fw_printf("[rmm] stage-1 self-test: %u regions, %u wrong\n", checked, wrong);
	return wrong;
}
