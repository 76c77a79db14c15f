/*
 * First C code of a realm, run with the MMU off (see aarch64/crt0.S):
 * RSI_REALM_CONFIG for the IPA width (where the unprotected half, and so
 * the console, is), then the runtime's stage-1 map, then MMU on.
 *
 *   text               EL1 RX           rodata (+GOT)      EL1 RO, XN
 *   data, bss, heap    EL1 RW, XN       stacks             EL1 RW, XN
 *   guard pages        unmapped (a stack overflow faults)
 *   UART page          Device, at RT_UART_VA -> unprotected IPA
 *
 * The console then sends its lines with host calls (realm_console.h); the
 * UART mapping stays for a host that does not answer them.
 */
#include <console.h>
#include <realm_console.h>
#include <rt/early.h>
#include <rt/layout.h>
#include <rt/mmu.h>
#include <rt/rsi.h>

#define EARLY_TABLES	16U

static uint64_t early_tables[EARLY_TABLES][512] __attribute__((aligned(4096)));
static unsigned int early_tables_used;

struct rsi_realm_config rt_realm_config __attribute__((aligned(4096)));
struct rt_pt rt_kernel_pt;
uint64_t rt_boot_arg;

/* .bss was zeroed by crt0, so every table in the pool starts empty. */
static uint64_t *early_alloc(void *arg)
{
	(void)arg;
	if (early_tables_used == EARLY_TABLES) {
		return (uint64_t *)0;
	}
	return early_tables[early_tables_used++];
}

static uint64_t va(const char *sym)
{
	return (uint64_t)(uintptr_t)sym;
}

static void map_or_die(uint64_t start, uint64_t end, enum rt_map_attr attr)
{
	if (end > start && rt_pt_map(&rt_kernel_pt, start, start, end - start, attr) != 0) {
		psci_system_off();	/* no console yet: the layout is broken */
	}
}

/* Tables were written with the MMU off: no stale cache line may hide them. */
static void clean_inval(uint64_t start, uint64_t end)
{
	uint64_t ctr, line, a;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4UL << ((ctr >> 16) & 0xFUL);
	for (a = start & ~(line - 1UL); a < end; a += line) {
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb sy" : : : "memory");
}

void rt_early_init(uint64_t arg)
{
	uint64_t w;

	rt_boot_arg = arg;
	if (rsi_realm_config(&rt_realm_config) != RSI_SUCCESS) {
		psci_system_off();
	}
	w = rt_realm_config.ipa_width;
	if (w < 33U || w > 40U) {
		psci_system_off();	/* TCR_EL1.IPS is 40 bits, the UART needs bit w-1 */
	}
	rt_kernel_pt.root = early_alloc((void *)0);
	rt_kernel_pt.alloc = early_alloc;
	rt_kernel_pt.asid = 0U;

	map_or_die(va(__rt_image_start), va(__rt_text_end), RT_MAP_KERNEL_RX);
	map_or_die(va(__rt_text_end), va(__rt_rodata_end), RT_MAP_KERNEL_RO);
	map_or_die(va(__rt_rodata_end), va(__rt_rw_end), RT_MAP_KERNEL_RW);
	map_or_die(va(__heap_start), va(__heap_end), RT_MAP_KERNEL_RW);
	map_or_die(va(__rt_stack_bottom), va(__rt_stack_top), RT_MAP_KERNEL_RW);
	map_or_die(va(__rt_exc_stack_bottom), va(__rt_exc_stack_top), RT_MAP_KERNEL_RW);
	if (rt_pt_map(&rt_kernel_pt, RT_UART_VA, (1UL << (w - 1U)) | RT_UART_PA, RT_PAGE_SIZE,
		      RT_MAP_DEVICE) != 0) {
		psci_system_off();
	}
	clean_inval(va((const char *)early_tables), va((const char *)early_tables) + sizeof(early_tables));
	rt_mmu_enable(rt_kernel_pt.root);
	console_init(RT_UART_VA);
	console_use_host_call();	/* one exit per line, not two per character */
}
