/*
 * The memory layout the monitor passed in registers, and the granule
 * allocator: a bump pointer over the delegable NS memory after the host
 * image (granules are never reused, so a stale pointer can never alias a
 * new object), and the list of granules currently delegated.
 */
#include "host.h"

#include <string.h>

extern uint8_t host_pool_start[];

static struct boot_mem mem;
static uint64_t pool_next;

void host_boot_args(uint64_t dram_base, uint64_t dram_size, uint64_t ns_base, uint64_t ns_size,
		    uint64_t dtb)
{
	mem.dram_base = dram_base;
	mem.dram_size = dram_size;
	mem.ns_base = ns_base;
	mem.ns_size = ns_size;
	console_init(PLAT_UART_BASE);
	fw_printf("[host] memory from the monitor: DRAM 0x%lx+0x%lx (%lu MB), delegable "
		  "0x%lx-0x%lx (%lu MB), device tree at 0x%lx\n", dram_base, dram_size,
		  dram_size >> 20, ns_base, ns_base + ns_size, ns_size >> 20, dtb);
}

const struct boot_mem *host_mem(void)
{
	return &mem;
}
static uint64_t delegated[HOST_MAX_DELEGATED];
static unsigned int nr_delegated, total_delegated;

void host_alloc_init(void)
{
	pool_next = (uint64_t)(uintptr_t)host_pool_start;
}

uint64_t alloc_ns(void)
{
	uint64_t pa = pool_next;

	if (pa >= mem.ns_base + mem.ns_size) {
		host_fail("host out of memory", pa);
		host_exit(1);
	}
	pool_next += GRANULE_SIZE;
	memset((void *)(uintptr_t)pa, 0, GRANULE_SIZE);
	return pa;
}

uint64_t alloc_delegated(void)
{
	uint64_t pa = alloc_ns();

	if (nr_delegated == HOST_MAX_DELEGATED) {
		host_fail("host delegation table full", pa);
		host_exit(1);
	}
	RMI_MUST("GRANULE_DELEGATE", SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL);
	delegated[nr_delegated++] = pa;
	total_delegated++;
	return pa;
}

bool is_delegated(uint64_t pa)
{
	unsigned int i;

	for (i = 0U; i < nr_delegated; i++) {
		if (delegated[i] == (pa & ~GRANULE_MASK)) {
			return true;
		}
	}
	return false;
}

void undelegate(uint64_t pa)
{
	unsigned int i;

	RMI_MUST("GRANULE_UNDELEGATE", SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL);
	for (i = 0U; i < nr_delegated; i++) {
		if (delegated[i] == pa) {
			delegated[i] = delegated[--nr_delegated];
			return;
		}
	}
}

unsigned int host_nr_delegated(void)
{
	return nr_delegated;
}

unsigned int host_total_delegated(void)
{
	return total_delegated;
}
