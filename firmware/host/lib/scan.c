/*
 * Search of Normal-world memory for copies of a realm's secret.  It reads
 * every NS granule of DRAM the host may read (the DTB area, and from the
 * host image to the end of DRAM minus delegated granules, which would
 * fault) and counts 16-byte matches.
 * It detects leaked copies only: delegated memory is not scanned, so it is
 * not the isolation proof (the GPF on the host's read is).
 */
#include "host.h"

uint64_t splitmix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15UL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
	return x ^ (x >> 31);
}

static unsigned long scan_range(uint64_t base, uint64_t top, uint64_t seed, unsigned long *bytes)
{
	uint64_t w0 = splitmix(seed), w1 = splitmix(seed + 1U);
	unsigned long hits = 0UL;
	uint64_t pa;

	for (pa = base; pa < top; pa += GRANULE_SIZE) {
		const volatile uint64_t *p = (const volatile uint64_t *)(uintptr_t)pa;
		unsigned int i;

		if (is_delegated(pa)) {
			continue;	/* Realm PAS: a read would fault */
		}
		for (i = 0U; i < GRANULE_SIZE / 8U - 1U; i++) {
			if (p[i] == w0 && p[i + 1U] == w1) {
				hits++;
			}
		}
		*bytes += GRANULE_SIZE;
	}
	return hits;
}

unsigned long scan_for_secret(uint64_t seed, unsigned long *bytes)
{
	const struct boot_mem *m = host_mem();

	*bytes = 0UL;
	return scan_range(m->dram_base, PLAT_MONITOR_BASE, seed, bytes) +
	       scan_range(PLAT_HOST_BASE, m->dram_base + m->dram_size, seed, bytes);
}

void scanner_self_test(void)
{
	static const uint64_t seed = 0x5CA77E57UL;
	uint64_t pa = alloc_ns();
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)pa;
	unsigned long hits, bytes;

	p[5] = splitmix(seed);
	p[6] = splitmix(seed + 1U);
	hits = scan_for_secret(seed, &bytes);
	p[5] = 0UL;
	p[6] = 0UL;
	fw_printf("[host] scanner self-test: planted pattern found %lu time(s) in %lu MB\n",
		  hits, bytes >> 20);
	if (hits != 1UL) {
		host_fail("scanner self-test", hits);
	}
}
