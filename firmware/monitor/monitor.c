/*
 * caec EL3 monitor: boots the platform (GPT, GPC), starts the RMM in Realm
 * EL2, then the host in Normal EL2, and from then on only moves SMCs
 * between the worlds:
 *   Normal world RMI call    -> RMM (returned from its pending SMC)
 *   RMM RMI_REQ_COMPLETE     -> result to the Normal world
 *   RMM GTSI_(UN)DELEGATE    -> GPT change, back to the RMM
 *   RMM BOOT_COMPLETE        -> first entry of the host (CPU 0), or of
 *                               the CPU_ON entry point (other CPUs)
 *   RMM GET_REALM_ATTEST_KEY, GET_PLAT_TOKEN -> attestation (el3_attest.c)
 *   Normal world PSCI        -> physical CPU power (psci.c)
 *   Normal world CAEC_SIP_PLATFORM_KEY -> the platform key (el3_attest.c)
 * Everything is per CPU: each has its own pair of world contexts; the GPT
 * and the GIC distributor are set up once by CPU 0.
 */
#include <arch_helpers.h>
#include <caec_sip.h>
#include <console.h>
#include <context.h>
#include <fdt.h>
#include <fw_utils.h>
#include <gic.h>
#include <gpt.h>
#include <mem_layout.h>
#include <monitor_mmu.h>
#include <psci.h>
#include <plat_memory.h>
#include <rmm-el3-ifc.h>
#include <smc-csm.h>
#include <smc-rmi.h>
#include <string.h>
#include <undef.h>

#include "el3_attest.h"

#define SCR_NS		BIT(0)
#define SCR_HCE		BIT(8)
#define SCR_RW		BIT(10)
#define SCR_NSE		BIT(62)
#define SPSR_EL2H_DAIF	0x3C9UL
#define SCTLR_EL2_RES1	0x30C50830UL
#define CPTR_EL2_RES1	0x33FFUL
#define HCR_EL2_RW	BIT(31)
#define HCR_EL2_TGE	BIT(27)
#define SCTLR_EL1_SPAN	BIT(23)

static struct cpu_ctx ns_ctx[PLAT_MAX_CPUS];
static struct cpu_ctx realm_ctx[PLAT_MAX_CPUS];
static bool rmm_booted[PLAT_MAX_CPUS];
/* The memory layout from the device tree (CPU 0, before anything else). */
static struct boot_mem mem;
/* GPT changes: an L1 entry holds 16 granules, so two CPUs must not race. */
static uint32_t gpt_lock;
/* Set by CPU 0 once .bss, GPT and GIC distributor are ready (entry.S polls it). */
volatile uint32_t monitor_cold_done;

unsigned int monitor_cpu(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xFFUL);
}

static bool is_ns(const struct cpu_ctx *ctx)
{
	return ctx == &ns_ctx[monitor_cpu()];
}


static void el2_save(struct el2_sysregs *r)
{
	r->sctlr_el2 = read_sysreg(sctlr_el2);
	r->tcr_el2 = read_sysreg(tcr_el2);
	r->ttbr0_el2 = read_sysreg(ttbr0_el2);
	r->mair_el2 = read_sysreg(mair_el2);
	r->vbar_el2 = read_sysreg(vbar_el2);
	r->hcr_el2 = read_sysreg(hcr_el2);
	r->vtcr_el2 = read_sysreg(vtcr_el2);
	r->vttbr_el2 = read_sysreg(vttbr_el2);
	r->cptr_el2 = read_sysreg(cptr_el2);
	r->sp_el2 = read_sysreg(sp_el2);
	r->elr_el2 = read_sysreg(elr_el2);
	r->spsr_el2 = read_sysreg(spsr_el2);
	r->esr_el2 = read_sysreg(esr_el2);
	r->far_el2 = read_sysreg(far_el2);
	r->hpfar_el2 = read_sysreg(hpfar_el2);
	r->tpidr_el2 = read_sysreg(tpidr_el2);
	r->cnthctl_el2 = read_sysreg(cnthctl_el2);
	r->cntvoff_el2 = read_sysreg(cntvoff_el2);
	r->mdcr_el2 = read_sysreg(mdcr_el2);
	r->vpidr_el2 = read_sysreg(vpidr_el2);
	r->vmpidr_el2 = read_sysreg(vmpidr_el2);
	r->actlr_el2 = read_sysreg(actlr_el2);
}

static void el2_restore(const struct el2_sysregs *r)
{
	write_sysreg(sctlr_el2, r->sctlr_el2);
	write_sysreg(tcr_el2, r->tcr_el2);
	write_sysreg(ttbr0_el2, r->ttbr0_el2);
	write_sysreg(mair_el2, r->mair_el2);
	write_sysreg(vbar_el2, r->vbar_el2);
	write_sysreg(hcr_el2, r->hcr_el2);
	write_sysreg(vtcr_el2, r->vtcr_el2);
	write_sysreg(vttbr_el2, r->vttbr_el2);
	write_sysreg(cptr_el2, r->cptr_el2);
	write_sysreg(sp_el2, r->sp_el2);
	write_sysreg(elr_el2, r->elr_el2);
	write_sysreg(spsr_el2, r->spsr_el2);
	write_sysreg(esr_el2, r->esr_el2);
	write_sysreg(far_el2, r->far_el2);
	write_sysreg(hpfar_el2, r->hpfar_el2);
	write_sysreg(tpidr_el2, r->tpidr_el2);
	write_sysreg(cnthctl_el2, r->cnthctl_el2);
	write_sysreg(cntvoff_el2, r->cntvoff_el2);
	write_sysreg(mdcr_el2, r->mdcr_el2);
	write_sysreg(vpidr_el2, r->vpidr_el2);
	write_sysreg(vmpidr_el2, r->vmpidr_el2);
	write_sysreg(actlr_el2, r->actlr_el2);
	isb();
}

/* Save the EL2 state of `from`, load that of `to`; returns `to`. */
static struct cpu_ctx *switch_world(struct cpu_ctx *from, struct cpu_ctx *to)
{
	el2_save(&from->el2);
	el2_restore(&to->el2);
	return to;
}

static void ctx_init(struct cpu_ctx *ctx, uint64_t entry, uint64_t scr)
{
	ctx->elr_el3 = entry;
	ctx->spsr_el3 = SPSR_EL2H_DAIF;
	ctx->scr_el3 = scr;
	ctx->el2.sctlr_el2 = SCTLR_EL2_RES1;
	ctx->el2.cptr_el2 = CPTR_EL2_RES1;
	ctx->el2.hcr_el2 = HCR_EL2_RW;
	ctx->el2.cnthctl_el2 = 0x3UL;	/* EL1 may read the counter */
	ctx->el2.vpidr_el2 = read_sysreg(midr_el1);
	ctx->el2.vmpidr_el2 = read_sysreg(mpidr_el1);
}

static bool is_rmi_fid(uint64_t fid)
{
	return (fid >= SMC_RMI_FID_FIRST && fid <= SMC_RMI_FID_LAST) ||
	       (fid >= SMC_RMI_CSM_FID_FIRST && fid <= SMC_RMI_CSM_FID_LAST);
}

static bool is_delegable(uint64_t pa)
{
	return GRANULE_ALIGNED(pa) && pa >= mem.ns_base && pa - mem.ns_base < mem.ns_size;
}

static bool gpt_transition_locked(uint64_t pa, unsigned int from, unsigned int to)
{
	bool ok;

	while (__atomic_exchange_n(&gpt_lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
	}
	ok = gpt_transition(pa, from, to);
	__atomic_store_n(&gpt_lock, 0U, __ATOMIC_RELEASE);
	return ok;
}

/* SMC from the Normal world. */
static struct cpu_ctx *handle_ns_smc(struct cpu_ctx *ctx)
{
	unsigned int cpu = monitor_cpu();
	uint64_t fid = ctx->x[0];
	unsigned int i;

	if (is_rmi_fid(fid) && rmm_booted[cpu]) {
		/* The RMM's pending SMC returns with the request in x0..x6. */
		for (i = 0U; i < 7U; i++) {
			realm_ctx[cpu].x[i] = ctx->x[i];
		}
		return switch_world(ctx, &realm_ctx[cpu]);
	}
	if (psci_is_fid(fid)) {
		psci_handle(ctx);
		return ctx;
	}
	if (fid == CAEC_SIP_PLATFORM_KEY) {
		el3_attest_platform_key(ctx);
		return ctx;
	}
	ctx->x[0] = SMC_UNKNOWN;
	return ctx;
}

/* SMC from the RMM (Realm EL2). */
static struct cpu_ctx *handle_realm_smc(struct cpu_ctx *ctx)
{
	unsigned int cpu = monitor_cpu();
	uint64_t fid = ctx->x[0];
	unsigned int i;

	switch (fid) {
	case SMC_RMM_BOOT_COMPLETE:
		if (rmm_booted[cpu]) {
			break;
		}
		fw_printf("[el3] cpu%u: RMM boot complete (status %ld), entering the Normal world "
			  "at 0x%lx\n", cpu, (long)ctx->x[1], ns_ctx[cpu].elr_el3);
		if (ctx->x[1] != 0UL) {
			monitor_panic("RMM boot failed");
		}
		rmm_booted[cpu] = true;
		return switch_world(ctx, &ns_ctx[cpu]);
	case SMC_RMM_REQ_COMPLETE:
		if (!rmm_booted[cpu]) {
			break;
		}
		for (i = 0U; i < 5U; i++) {
			ns_ctx[cpu].x[i] = ctx->x[i + 1U];
		}
		return switch_world(ctx, &ns_ctx[cpu]);
	case PSCI_SYSTEM_OFF:
		/* The RMM's way out after a panic it has printed. */
		psci_handle(ctx);
		return ctx;
	case SMC_RMM_GET_REALM_ATTEST_KEY:
		el3_attest_get_realm_key(ctx);
		return ctx;
	case SMC_RMM_GET_PLAT_TOKEN:
		el3_attest_get_plat_token(ctx);
		return ctx;
	case SMC_RMM_GTSI_DELEGATE:
	case SMC_RMM_GTSI_UNDELEGATE: {
		uint64_t pa = ctx->x[1];
		bool del = (fid == SMC_RMM_GTSI_DELEGATE);

		if (!is_delegable(pa)) {
			ctx->x[0] = (uint64_t)E_RMM_BAD_ADDR;
		} else if (!gpt_transition_locked(pa, del ? GPI_NS : GPI_REALM,
						  del ? GPI_REALM : GPI_NS)) {
			ctx->x[0] = (uint64_t)E_RMM_BAD_PAS;
		} else {
			ctx->x[0] = (uint64_t)E_RMM_OK;
		}
		return ctx;
	}
	default:
		break;
	}
	ctx->x[0] = (uint64_t)E_RMM_UNK;
	return ctx;
}

/*
 * Make the lower EL that trapped here take an Unknown exception at its own
 * vector (the world's EL1/EL2 registers are live: nothing was switched).
 */
static bool inject_undef(struct cpu_ctx *ctx)
{
	struct undef_target t;
	bool tge = (read_sysreg(hcr_el2) & HCR_EL2_TGE) != 0UL;
	bool span = (read_sysreg(sctlr_el1) & SCTLR_EL1_SPAN) != 0UL;

	if (!undef_target(ctx->spsr_el3, tge, span, &t)) {
		return false;
	}
	if (t.el == 1U) {
		write_sysreg(esr_el1, UNDEF_ESR);
		write_sysreg(elr_el1, ctx->elr_el3);
		write_sysreg(spsr_el1, ctx->spsr_el3);
		ctx->elr_el3 = read_sysreg(vbar_el1) + t.vector;
	} else {
		write_sysreg(esr_el2, UNDEF_ESR);
		write_sysreg(elr_el2, ctx->elr_el3);
		write_sysreg(spsr_el2, ctx->spsr_el3);
		ctx->elr_el3 = read_sysreg(vbar_el2) + t.vector;
	}
	ctx->spsr_el3 = t.spsr;
	return true;
}

struct cpu_ctx *monitor_lower_sync(struct cpu_ctx *ctx)
{
	uint64_t esr = read_sysreg(esr_el3);
	uint64_t ec = (esr >> 26) & 0x3FUL;

	if (ec == 0x17UL) {	/* SMC64; ELR_EL3 already points past it */
		return is_ns(ctx) ? handle_ns_smc(ctx) : handle_realm_smc(ctx);
	}
	/*
	 * Anything else is an instruction trapped by a control EL3 leaves
	 * off (a system register, SVE/SME, ...): UNDEFINED for the world that
	 * ran it, not a reason to stop the machine (undef.h).
	 */
	if (inject_undef(ctx)) {
		return ctx;
	}
	fw_printf("[el3] unexpected exception from %s world: ESR_EL3=0x%lx ELR_EL3=0x%lx "
		  "FAR_EL3=0x%lx MFAR_EL3=0x%lx\n", is_ns(ctx) ? "Normal" : "Realm",
		  esr, ctx->elr_el3, read_sysreg(far_el3), read_sysreg(mfar_el3));
	monitor_panic("unexpected lower-EL exception");
}

void monitor_current_el_fault(void)
{
	fw_printf("[el3] PANIC: exception at EL3: ESR_EL3=0x%lx ELR_EL3=0x%lx FAR_EL3=0x%lx\n",
		  read_sysreg(esr_el3), read_sysreg(elr_el3), read_sysreg(far_el3));
	platform_power_off();
}

void monitor_panic(const char *why)
{
	fw_printf("[el3] PANIC: %s\n", why);
	platform_power_off();
}

/* EL3 registers and GPC of the calling CPU (every CPU has its own). */
static void cpu_el3_init(unsigned int cpu)
{
	write_sysreg(cptr_el3, 0UL);
	write_sysreg(mdcr_el3, 0UL);
	isb();
	gpt_enable();
	gic_init_cpu(cpu);
}

/*
 * Start this CPU's RMM (its per-CPU boot, then RMM_BOOT_COMPLETE) and,
 * after it, the Normal world at `ns_entry`: CPU 0 with the memory layout
 * in x0..x4, another CPU with x0 = `ns_arg` (the PSCI context id).  The
 * RMM gets its CPU index and the layout (boot_mem.h).
 */
void monitor_enter_rmm(unsigned int cpu, uint64_t ns_entry, uint64_t ns_arg)
{
	memset(&ns_ctx[cpu], 0, sizeof(ns_ctx[cpu]));
	memset(&realm_ctx[cpu], 0, sizeof(realm_ctx[cpu]));
	ctx_init(&ns_ctx[cpu], ns_entry, SCR_NS | SCR_HCE | SCR_RW);
	if (cpu == 0U) {
		ns_ctx[cpu].x[0] = mem.dram_base;
		ns_ctx[cpu].x[1] = mem.dram_size;
		ns_ctx[cpu].x[2] = mem.ns_base;
		ns_ctx[cpu].x[3] = mem.ns_size;
		ns_ctx[cpu].x[4] = PLAT_DTB_BASE;
	} else {
		ns_ctx[cpu].x[0] = ns_arg;
	}
	ctx_init(&realm_ctx[cpu], PLAT_RMM_BASE, SCR_NSE | SCR_NS | SCR_HCE | SCR_RW);
	realm_ctx[cpu].x[0] = cpu;
	realm_ctx[cpu].x[1] = mem.dram_base;
	realm_ctx[cpu].x[2] = mem.dram_size;
	realm_ctx[cpu].x[3] = mem.ns_base;
	realm_ctx[cpu].x[4] = mem.ns_size;
	rmm_booted[cpu] = false;
	/* The current EL2 registers are nobody's yet: load the RMM's and go. */
	el2_restore(&realm_ctx[cpu].el2);
	el3_exit(&realm_ctx[cpu]);
}

/* Every CPU but 0, once CPU 0 booted the platform: wait for a PSCI CPU_ON. */
void monitor_secondary_main(void)
{
	unsigned int cpu = monitor_cpu();
	uint64_t entry, arg;

	monitor_mmu_enable();	/* CPU 0 built the tables before monitor_cold_done */
	psci_wait_for_cpu_on(cpu, &entry, &arg);
	cpu_el3_init(cpu);
	fw_printf("[el3] cpu%u: on (PSCI CPU_ON), entering the RMM, then 0x%lx\n", cpu, entry);
	monitor_enter_rmm(cpu, entry, arg);
}

/*
 * The DRAM size from QEMU's device tree at the start of RAM; the layout
 * every component then uses.  A blob the parser refuses, or a size outside
 * the platform's bounds, stops the boot with the reason on the console.
 */
static void discover_memory(void)
{
	uint64_t size = 0UL;
	enum fdt_status st = fdt_dram_size((const void *)(uintptr_t)PLAT_DTB_BASE,
					   PLAT_DTB_MAX_SIZE, PLAT_DRAM_BASE, &size);
	enum mem_layout_status ls;

	if (st != FDT_OK) {
		fw_printf("[el3] device tree at 0x%lx: %s\n", PLAT_DTB_BASE, fdt_status_str(st));
		monitor_panic("no DRAM size from the device tree");
	}
	ls = mem_layout_from_dram(size, &mem);
	if (ls != MEM_LAYOUT_OK) {
		fw_printf("[el3] device tree: DRAM 0x%lx+0x%lx (%lu MB) is %s (supported: %lu MB to "
			  "%lu MB)\n", PLAT_DRAM_BASE, size, size >> 20,
			  (ls == MEM_LAYOUT_TOO_SMALL) ? "too small" : "too large",
			  PLAT_DRAM_MIN >> 20, PLAT_DRAM_MAX >> 20);
		monitor_panic("unsupported DRAM size");
	}
	fw_printf("[el3] device tree: DRAM 0x%lx+0x%lx (%lu MB); delegable 0x%lx-0x%lx (%lu MB)\n",
		  mem.dram_base, mem.dram_size, mem.dram_size >> 20, mem.ns_base,
		  mem.ns_base + mem.ns_size, mem.ns_size >> 20);
}

void monitor_main(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	el3_attest_measure_self();	/* before anything writes .data */
	console_init(PLAT_UART_BASE);
	fw_printf("[el3] caec monitor: CurrentEL=%lu ID_AA64PFR0_EL1=0x%lx RME=%lu\n",
		  (read_sysreg(CurrentEL) >> 2) & 3UL, pfr0, (pfr0 >> 52) & 0xFUL);
	if (((pfr0 >> 52) & 0xFUL) == 0UL) {
		monitor_panic("FEAT_RME missing (need -cpu max,x-rme=on)");
	}
	discover_memory();
	gpt_build(&mem);
	gic_init_distributor();
	if (!monitor_mmu_build()) {
		monitor_panic("EL3 stage-1 tables");
	}
	monitor_mmu_enable();
	cpu_el3_init(0U);
	psci_init(&mem);
	fw_printf("[el3] GPT on: GPCCR_EL3=0x%lx GPTBR_EL3=0x%lx; Root 0x%lx+0x%lx, "
		  "Realm (RMM) 0x%lx+0x%lx, rest of DRAM Normal, no access above 0x%lx\n",
		  read_sysreg(gpccr_el3), read_sysreg(gptbr_el3), PLAT_MONITOR_BASE,
		  PLAT_MONITOR_SIZE, PLAT_RMM_BASE, PLAT_RMM_SIZE, mem.dram_base + mem.dram_size);

	el3_attest_init();

	dsb_sy();
	monitor_cold_done = 1U;
	/* The other CPUs poll it with their MMU off: make it reach memory. */
	__asm__ volatile("dc civac, %0" : : "r"(&monitor_cold_done) : "memory");
	dsb_sy();
	__asm__ volatile("sev");
	fw_printf("[el3] entering RMM at Realm EL2 0x%lx\n", PLAT_RMM_BASE);
	monitor_enter_rmm(0U, PLAT_HOST_BASE, 0UL);	/* the layout goes in x0..x4 */
}
