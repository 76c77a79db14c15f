/* Order statistics of a sample (the paper's median, and the spread). */
#include <stdlib.h>

#include "bench.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void stats_of(uint64_t *v, size_t n, struct stats *s)
{
	s->n = n;
	if (n == 0U) {
		s->min = s->p25 = s->median = s->p75 = s->max = 0UL;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	s->min = v[0];
	s->p25 = v[n / 4U];
	/* The lower median for an even count: always a measured value. */
	s->median = v[(n - 1U) / 2U];
	s->p75 = v[(3U * n) / 4U];
	s->max = v[n - 1U];
}
