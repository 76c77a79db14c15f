/*
 * A first-fit allocator of address ranges inside a window, in 4 KB units,
 * with one unallocated granule between any two ranges (an overrun of one
 * range faults instead of reaching the next).  The realm kernel uses it
 * for the CSM driver's IPA ranges and for each application's mmap area.
 * Pure code: no hardware access, unit-tested natively.
 */
#ifndef KERNEL_RANGE_ALLOC_H
#define KERNEL_RANGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#define RANGE_ALLOC_MAX	64U	/* live ranges per allocator */
#define RANGE_GRANULE	4096UL

struct range {
	uint64_t base, size;
};

struct range_alloc {
	uint64_t base, top;		/* the window [base, top) */
	unsigned int n;			/* live ranges, sorted by base */
	struct range r[RANGE_ALLOC_MAX];
};

/* Window must be granule aligned and non-empty; false otherwise. */
bool range_alloc_init(struct range_alloc *a, uint64_t base, uint64_t top);

/*
 * Allocates `size` bytes (non-zero granule multiple) aligned to `align`
 * (a power of two >= RANGE_GRANULE).  0 and *out = base, or
 * -1 (bad size/alignment), -2 (no room, or RANGE_ALLOC_MAX ranges live).
 */
int range_alloc(struct range_alloc *a, uint64_t size, uint64_t align, uint64_t *out);

/* Frees exactly a range range_alloc returned: 0, or -1 if there is none. */
int range_free(struct range_alloc *a, uint64_t base, uint64_t size);

/* The live range containing addr, or NULL. */
const struct range *range_find(const struct range_alloc *a, uint64_t addr);

#endif /* KERNEL_RANGE_ALLOC_H */
