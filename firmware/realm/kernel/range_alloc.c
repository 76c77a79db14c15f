/* See range_alloc.h. */
#include "range_alloc.h"

#include <stddef.h>

bool range_alloc_init(struct range_alloc *a, uint64_t base, uint64_t top)
{
	if (a == NULL || base >= top || (base % RANGE_GRANULE) != 0U || (top % RANGE_GRANULE) != 0U) {
		return false;
	}
	a->base = base;
	a->top = top;
	a->n = 0U;
	return true;
}

static uint64_t align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1U) & ~(align - 1U);
}

int range_alloc(struct range_alloc *a, uint64_t size, uint64_t align, uint64_t *out)
{
	uint64_t start = a->base, cand;
	unsigned int i, j;

	if (size == 0U || (size % RANGE_GRANULE) != 0U || align < RANGE_GRANULE ||
	    (align & (align - 1U)) != 0U || size > a->top - a->base) {
		return -1;
	}
	if (a->n == RANGE_ALLOC_MAX) {
		return -2;
	}
	/* Gaps: before r[0], between neighbours, after the last; each keeps a guard granule. */
	for (i = 0U; i <= a->n; i++) {
		uint64_t end = (i < a->n) ? a->r[i].base : a->top;

		cand = align_up(start, align);
		if (cand >= start && cand < end && end - cand >= size &&
		    (i == a->n || end - cand - size >= RANGE_GRANULE)) {
			for (j = a->n; j > i; j--) {
				a->r[j] = a->r[j - 1U];
			}
			a->r[i].base = cand;
			a->r[i].size = size;
			a->n++;
			*out = cand;
			return 0;
		}
		if (i < a->n) {
			start = a->r[i].base + a->r[i].size + RANGE_GRANULE;
			if (start < a->r[i].base || start > a->top) {
				break;
			}
		}
	}
	return -2;
}

int range_free(struct range_alloc *a, uint64_t base, uint64_t size)
{
	unsigned int i;

	for (i = 0U; i < a->n; i++) {
		if (a->r[i].base == base && a->r[i].size == size) {
			for (; i + 1U < a->n; i++) {
				a->r[i] = a->r[i + 1U];
			}
			a->n--;
			return 0;
		}
	}
	return -1;
}

const struct range *range_find(const struct range_alloc *a, uint64_t addr)
{
	unsigned int i;

	for (i = 0U; i < a->n; i++) {
		if (addr >= a->r[i].base && addr - a->r[i].base < a->r[i].size) {
			return &a->r[i];
		}
	}
	return NULL;
}
