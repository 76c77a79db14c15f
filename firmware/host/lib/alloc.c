/*
 * Granule allocator: a bump pointer over the NS memory after the host
 * image (granules are never reused, so a stale pointer can never alias a
 * new object), and the list of granules currently delegated.
 */
#include "host.h"

#include <string.h>

extern uint8_t host_pool_start[];

static uint64_t pool_next;
static uint64_t delegated[HOST_MAX_DELEGATED];
static unsigned int nr_delegated, total_delegated;

void host_alloc_init(void)
{
	pool_next = (uint64_t)(uintptr_t)host_pool_start;
}

uint64_t alloc_ns(void)
{
	uint64_t pa = pool_next;

	if (pa >= PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE) {
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
