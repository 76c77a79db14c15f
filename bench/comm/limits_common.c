/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Machine limits for caec-bench-comm, measured in the same run by the
 * shared bench/common/machine_limits (also used by caec-bench-ring):
 * cache-line ping-pong round trip between the two CPUs the modes use, and
 * single-core memcpy bandwidth for a DRAM-sized and a cache-sized buffer.
 */
#include <stdio.h>
#include <string.h>

#include "machine_limits.h"
#include "report.h"

int comm_limits_measure(struct comm_limits *l, int cpu_a, int cpu_b)
{
	struct ml_pingpong pp;
	struct ml_memcpy big, small;
	memset(l, 0, sizeof(*l));
	if (cpu_a >= 0 && cpu_b >= 0 &&
	    ml_cacheline_pingpong(cpu_a, cpu_b, 0, &pp) == 0)
		l->pingpong_ns = pp.median_ns;
	if (ml_memcpy_bw(cpu_a, (size_t)64 << 20, 0, &big) == 0)
		l->memcpy_gbps = big.best_gbps;
	if (ml_memcpy_bw(cpu_a, 32768, 0, &small) == 0)
		l->memcpy_l2_gbps = small.best_gbps;
	snprintf(l->source, sizeof(l->source),
		 "bench/common/machine_limits (ping-pong: median of batches; "
		 "memcpy: best of 9 runs)");
	l->have = l->memcpy_gbps > 0;
	return l->have ? 0 : -1;
}

double comm_pingpong_quick_ns(int cpu_a, int cpu_b)
{
	struct ml_pingpong pp;
	if (cpu_a < 0 || cpu_b < 0 || ml_cacheline_pingpong(cpu_a, cpu_b, 1, &pp))
		return 0;
	return pp.median_ns;
}
