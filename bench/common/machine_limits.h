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
 *    several runs; the ceiling of any copying transport on that core;
 *  - struct ml_ref: the cache-line ping-pong and an "ideal ring" (the
 *    lower bound of any ring through memory) as short batches a benchmark
 *    interleaves with its own, so that ratios compare neighbours (the
 *    placement of a VM's vCPUs drifts over minutes).
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

/* The CPU's spin-wait hint (x86 PAUSE, AArch64 YIELD), used by every
 * polling loop of the benchmarks, the reference ping-pong included. */
static inline void ml_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

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

/*
 * Interleavable references: the same two reference ping-pongs, run in
 * short batches by two processes that also do other work in between (so
 * that a benchmark can alternate them with its own batches and compare
 * neighbours, immune to the vCPU placement drifting over minutes).
 *
 *  - cache line: one 64-byte line; the initiator writes odd values, the
 *    responder answers with the next even one (release stores, acquire
 *    loads, ml_cpu_relax() in the wait loops) -- the protocol of
 *    ml_cacheline_pingpong();
 *  - ideal ring: a minimal ring that moves messages through memory (meant
 *    as the floor of any copying ring; it copies the whole payload in and
 *    out, so a zero-copy reader that touches one word can beat it): two
 *    arrays (one per direction) of ML_IDEAL_SLOTS fixed
 *    ML_IDEAL_SLOT-byte slots, 64-byte aligned; slot = 8-byte sequence
 *    word + payload (<= ML_IDEAL_MAX_PAYLOAD bytes).  The sender copies
 *    the payload in and stores the sequence (release); the receiver spins
 *    (acquire, ml_cpu_relax()) on the next slot's sequence and copies the
 *    payload out.  No validation, no index other than the sequence, no
 *    back-pressure (stop-and-wait never has more than one message in
 *    flight).
 *
 * Usage: ml_ref_init() before fork(); both processes then own a copy of
 * struct ml_ref (the counters are private, the mapping shared) and must
 * call the initiator / responder functions with the same n, in the same
 * order.  Each call is n round trips.
 */
#define ML_IDEAL_SLOTS 1024u
#define ML_IDEAL_SLOT 128u
#define ML_IDEAL_MAX_PAYLOAD (ML_IDEAL_SLOT - 8u)

struct ml_ref {
	uint8_t *shm;      /* MAP_SHARED: line, then the two slot arrays */
	size_t shm_size;
	uint64_t cl_next;  /* next odd value the initiator writes */
	uint64_t seq;      /* sequence of the last round trip on the rings */
};

/* Map the shared state (call before fork()).  0 or -1. */
int ml_ref_init(struct ml_ref *r);
void ml_ref_fini(struct ml_ref *r);

/* n cache-line round trips, initiator / responder side. */
void ml_ref_cacheline_initiate(struct ml_ref *r, unsigned n);
void ml_ref_cacheline_respond(struct ml_ref *r, unsigned n);

/* n ideal-ring round trips of len bytes (len <= ML_IDEAL_MAX_PAYLOAD)
 * each way.  Initiator: sends buf, receives into buf.  Responder:
 * receives into buf, sends buf back. */
void ml_ref_ring_initiate(struct ml_ref *r, unsigned n, void *buf, size_t len);
void ml_ref_ring_respond(struct ml_ref *r, unsigned n, void *buf, size_t len);

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
