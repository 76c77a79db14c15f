/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/common/machine_limits -- physical limits measured in the same run
 * as a benchmark, so that results are reported as ratios to them:
 *
 *  - core-to-core cache-line ping-pong round trip: two processes pinned to
 *    two CPUs bounce one 64-byte line of a MAP_SHARED mapping (each waits
 *    for the other's value, then writes its own); the median round trip
 *    over batches is the floor of any shared-memory stop-and-wait RTT;
 *  - single-core memcpy bandwidth: one pinned core copies a buffer of a
 *    given size (e.g. 4 KiB: cache-resident, or 64 MiB: DRAM), best of
 *    several runs; the ceiling of any copying transport on that core.
 *
 * Used by bench/ring (caec-bench-ring) and bench/comm (caec-bench-comm).
 * Not part of libcaec.
 */
#ifndef CAEC_BENCH_MACHINE_LIMITS_H
#define CAEC_BENCH_MACHINE_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic clock, ns. */
uint64_t ml_now_ns(void);

/* Pin the calling thread to cpu (ignored if cpu < 0).  0 or -1. */
int ml_pin(int cpu);

/* Two distinct CPUs this process may run on (the first two of its
 * affinity mask); *b = -1 if there is only one.  Returns how many CPUs
 * are allowed. */
int ml_pick_cpus(int *a, int *b);

struct ml_pingpong {
	double median_ns; /* median round trip over batches */
	double min_ns;    /* best batch average */
	double p90_ns;
	unsigned batches, per_batch;
};

/* Cache-line ping-pong between two processes pinned to cpu_a / cpu_b.
 * quick: fewer batches.  Returns 0, or -1 (fork/mmap failed). */
int ml_cacheline_pingpong(int cpu_a, int cpu_b, int quick,
			  struct ml_pingpong *out);

struct ml_memcpy {
	size_t bytes;        /* buffer size copied per memcpy */
	double best_gbps;    /* best run, 1e9 bytes/s */
	double median_gbps;
};

/* memcpy bandwidth of one core (pinned to cpu) copying `bytes`-sized
 * buffers.  Returns 0 or -1. */
int ml_memcpy_bw(int cpu, size_t bytes, int quick, struct ml_memcpy *out);

/* Cross-core copy bandwidth: what a minimal copying shared-memory stream
 * does between these two CPUs.  The process on cpu_a copies `chunk` bytes
 * from a private buffer into one of 16 shared slots and flags it (one
 * flag line per slot); the process on cpu_b copies it out to a private
 * buffer and acknowledges; both copies overlap.  Bytes moved per second,
 * best of many short runs (~256 KiB each). */
int ml_crosscore_copy_bw(int cpu_a, int cpu_b, size_t chunk, int quick,
			 struct ml_memcpy *out);

/* One-line description of the CPU (model name from /proc/cpuinfo). */
const char *ml_cpu_model(void);

#endif
