/* SPDX-License-Identifier: Apache-2.0 */
/* Machine limits: see machine_limits.h for the method. */
#include "machine_limits.h"

#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t ml_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int ml_pin(int cpu)
{
	if (cpu < 0)
		return 0;
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	return sched_setaffinity(0, sizeof(s), &s) == 0 ? 0 : -1;
}

int ml_pick_cpus(int *a, int *b)
{
	cpu_set_t s;
	*a = -1;
	*b = -1;
	if (sched_getaffinity(0, sizeof(s), &s) != 0)
		return 0;
	int n = 0;
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &s))
			continue;
		if (n == 0)
			*a = i;
		else if (n == 1)
			*b = i;
		n++;
	}
	return n;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}


/* The line: the initiator writes odd values, the responder even ones. */
int ml_cacheline_pingpong(int cpu_a, int cpu_b, int quick,
			  struct ml_pingpong *out)
{
	const unsigned per = 100, nb = quick ? 301 : 2001;
	_Atomic uint64_t *line = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (line == MAP_FAILED)
		return -1;
	atomic_store(line, 0);
	uint64_t rounds = (uint64_t)per * (nb + 2);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		munmap((void *)line, 4096);
		return -1;
	}
	if (pid == 0) {
		ml_pin(cpu_b);
		for (uint64_t v = 1; v < 2 * rounds; v += 2) {
			while (atomic_load_explicit(line, memory_order_acquire) != v)
				ml_cpu_relax();
			atomic_store_explicit(line, v + 1, memory_order_release);
		}
		_exit(0);
	}
	cpu_set_t saved;
	sched_getaffinity(0, sizeof(saved), &saved);
	ml_pin(cpu_a);
	double *samples = calloc(nb, sizeof(double));
	uint64_t v = 1;
	for (unsigned b = 0; b < nb + 2; b++) {
		uint64_t t0 = ml_now_ns();
		for (unsigned i = 0; i < per; i++, v += 2) {
			atomic_store_explicit(line, v, memory_order_release);
			while (atomic_load_explicit(line, memory_order_acquire) != v + 1)
				ml_cpu_relax();
		}
		uint64_t dt = ml_now_ns() - t0;
		if (b >= 2) /* two warm-up batches */
			samples[b - 2] = (double)dt / per;
	}
	waitpid(pid, NULL, 0);
	sched_setaffinity(0, sizeof(saved), &saved);
	qsort(samples, nb, sizeof(double), cmp_d);
	out->median_ns = samples[nb / 2];
	out->min_ns = samples[0];
	out->p90_ns = samples[nb * 9 / 10];
	out->batches = nb;
	out->per_batch = per;
	free(samples);
	munmap((void *)line, 4096);
	return 0;
}

/* Shared layout of struct ml_ref: the cache line at 0, then (after a
 * spare line, to keep the prefetcher off it) ring A (initiator ->
 * responder) at 4096 and ring B (responder -> initiator) after it. */
#define REF_RING_BYTES ((size_t)ML_IDEAL_SLOTS * ML_IDEAL_SLOT)
#define REF_LINE(r) ((_Atomic uint64_t *)(void *)(r)->shm)
#define REF_SLOT(r, dir, k) \
	((r)->shm + 4096 + (size_t)(dir) * REF_RING_BYTES + \
	 (size_t)((k) % ML_IDEAL_SLOTS) * ML_IDEAL_SLOT)
#define REF_SEQ(slot) ((_Atomic uint64_t *)(void *)(slot))

int ml_ref_init(struct ml_ref *r)
{
	r->shm_size = 4096 + 2 * REF_RING_BYTES;
	r->shm = mmap(NULL, r->shm_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->shm == MAP_FAILED) {
		r->shm = NULL;
		return -1;
	}
	/* anonymous mappings are zero-filled: line 0, every sequence 0 */
	r->cl_next = 1;
	r->seq = 0;
	return 0;
}

void ml_ref_fini(struct ml_ref *r)
{
	if (r->shm != NULL)
		munmap(r->shm, r->shm_size);
	r->shm = NULL;
}

void ml_ref_cacheline_initiate(struct ml_ref *r, unsigned n)
{
	_Atomic uint64_t *line = REF_LINE(r);
	uint64_t v = r->cl_next;
	for (unsigned i = 0; i < n; i++, v += 2) {
		atomic_store_explicit(line, v, memory_order_release);
		while (atomic_load_explicit(line, memory_order_acquire) != v + 1)
			ml_cpu_relax();
	}
	r->cl_next = v;
}

void ml_ref_cacheline_respond(struct ml_ref *r, unsigned n)
{
	_Atomic uint64_t *line = REF_LINE(r);
	uint64_t v = r->cl_next;
	for (unsigned i = 0; i < n; i++, v += 2) {
		while (atomic_load_explicit(line, memory_order_acquire) != v)
			ml_cpu_relax();
		atomic_store_explicit(line, v + 1, memory_order_release);
	}
	r->cl_next = v;
}

static void ref_send(struct ml_ref *r, int dir, uint64_t k, const void *buf,
		     size_t len)
{
	uint8_t *slot = REF_SLOT(r, dir, k);
	memcpy(slot + 8, buf, len);
	atomic_store_explicit(REF_SEQ(slot), k, memory_order_release);
}

static void ref_recv(struct ml_ref *r, int dir, uint64_t k, void *buf,
		     size_t len)
{
	uint8_t *slot = REF_SLOT(r, dir, k);
	while (atomic_load_explicit(REF_SEQ(slot), memory_order_acquire) != k)
		ml_cpu_relax();
	memcpy(buf, slot + 8, len);
	/* keep the copy out: the compiler must not drop it */
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

void ml_ref_ring_initiate(struct ml_ref *r, unsigned n, void *buf, size_t len)
{
	if (len > ML_IDEAL_MAX_PAYLOAD)
		len = ML_IDEAL_MAX_PAYLOAD;
	for (unsigned i = 0; i < n; i++) {
		uint64_t k = ++r->seq;
		ref_send(r, 0, k, buf, len);
		ref_recv(r, 1, k, buf, len);
	}
}

void ml_ref_ring_respond(struct ml_ref *r, unsigned n, void *buf, size_t len)
{
	if (len > ML_IDEAL_MAX_PAYLOAD)
		len = ML_IDEAL_MAX_PAYLOAD;
	for (unsigned i = 0; i < n; i++) {
		uint64_t k = ++r->seq;
		ref_recv(r, 0, k, buf, len);
		ref_send(r, 1, k, buf, len);
	}
}

#undef REF_RING_BYTES
#undef REF_LINE
#undef REF_SLOT
#undef REF_SEQ

int ml_memcpy_bw(int cpu, size_t bytes, int quick, struct ml_memcpy *out)
{
	cpu_set_t saved;
	sched_getaffinity(0, sizeof(saved), &saved);
	ml_pin(cpu);
	uint8_t *src = aligned_alloc(4096, (bytes + 4095) & ~(size_t)4095);
	uint8_t *dst = aligned_alloc(4096, (bytes + 4095) & ~(size_t)4095);
	if (src == NULL || dst == NULL) {
		free(src);
		free(dst);
		return -1;
	}
	memset(src, 1, bytes);
	memset(dst, 2, bytes);
	/* ~64 MiB (quick: 16 MiB) copied per run */
	size_t per_run = quick ? (16u << 20) : (64u << 20);
	unsigned reps = (unsigned)(per_run / bytes);
	if (reps == 0)
		reps = 1;
	enum { RUNS = 9 };
	double r[RUNS];
	for (int k = 0; k < RUNS; k++) {
		uint64_t t0 = ml_now_ns();
		for (unsigned i = 0; i < reps; i++) {
			memcpy(dst, src, bytes);
			/* keep the copy: the compiler must not drop it */
			__asm__ __volatile__("" : : "r"(dst) : "memory");
		}
		uint64_t dt = ml_now_ns() - t0;
		r[k] = (double)bytes * reps / (double)dt; /* bytes/ns = GB/s */
	}
	qsort(r, RUNS, sizeof(double), cmp_d);
	out->bytes = bytes;
	out->best_gbps = r[RUNS - 1];
	out->median_gbps = r[RUNS / 2];
	free(src);
	free(dst);
	sched_setaffinity(0, sizeof(saved), &saved);
	return 0;
}

int ml_crosscore_copy_bw(int cpu_a, int cpu_b, size_t chunk, int quick,
			 struct ml_memcpy *out)
{
	/* many short runs (~256 KiB each), best one: long runs are always
	 * preempted somewhere on a shared machine */
	enum { MAXRUNS = 401, NB = 16 };
	const int RUNS = quick ? 41 : MAXRUNS;
	uint64_t per_run = (256u << 10) / chunk;
	if (per_run < 4 * NB)
		per_run = 4 * NB;
	/* NB slots of `chunk` bytes; per-slot flags on their own lines */
	size_t flags_sz = 2 * NB * 64;
	size_t shsz = flags_sz + NB * chunk;
	uint8_t *sh = mmap(NULL, shsz, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -1;
	/* full[i]: writer's sequence number in slot i; empty[i]: reader's ack */
#define FULL(i) ((_Atomic uint64_t *)(void *)(sh + (size_t)(i) * 64))
#define EMPTY(i) ((_Atomic uint64_t *)(void *)(sh + (size_t)(NB + (i)) * 64))
#define SLOT(i) (sh + flags_sz + (size_t)(i) * chunk)
	uint64_t rounds = per_run * RUNS;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		munmap(sh, shsz);
		return -1;
	}
	if (pid == 0) {
		ml_pin(cpu_b);
		uint8_t *dst = aligned_alloc(4096, chunk);
		for (uint64_t k = 1; k <= rounds; k++) {
			unsigned i = (unsigned)(k % NB);
			while (atomic_load_explicit(FULL(i), memory_order_acquire) != k)
				ml_cpu_relax();
			memcpy(dst, SLOT(i), chunk);
			__asm__ __volatile__("" : : "r"(dst) : "memory");
			atomic_store_explicit(EMPTY(i), k, memory_order_release);
		}
		_exit(0);
	}
	cpu_set_t saved;
	sched_getaffinity(0, sizeof(saved), &saved);
	ml_pin(cpu_a);
	uint8_t *src = aligned_alloc(4096, chunk);
	memset(src, 7, chunk);
	double r[MAXRUNS];
	uint64_t k = 1;
	for (int run = 0; run < RUNS; run++) {
		uint64_t t0 = ml_now_ns();
		for (uint64_t j = 0; j < per_run; j++, k++) {
			unsigned i = (unsigned)(k % NB);
			/* wait until the reader is done with this slot's last use */
			while (k > NB && atomic_load_explicit(EMPTY(i), memory_order_acquire) != k - NB)
				ml_cpu_relax();
			memcpy(SLOT(i), src, chunk);
			atomic_store_explicit(FULL(i), k, memory_order_release);
		}
		/* the run ends when the reader has the last chunk */
		while (atomic_load_explicit(EMPTY((k - 1) % NB), memory_order_acquire) != k - 1)
			ml_cpu_relax();
		r[run] = (double)chunk * per_run / (double)(ml_now_ns() - t0);
	}
#undef FULL
#undef EMPTY
#undef SLOT
	waitpid(pid, NULL, 0);
	sched_setaffinity(0, sizeof(saved), &saved);
	free(src);
	munmap(sh, shsz);
	qsort(r, RUNS, sizeof(double), cmp_d);
	out->bytes = chunk;
	out->best_gbps = r[RUNS - 1];
	out->median_gbps = r[RUNS / 2];
	return 0;
}

const char *ml_cpu_model(void)
{
	static char model[128];
	if (model[0])
		return model;
	snprintf(model, sizeof(model), "unknown CPU");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (f == NULL)
		return model;
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');
		if (c != NULL && strncmp(line, "model name", 10) == 0) {
			c++;
			while (*c == ' ')
				c++;
			c[strcspn(c, "\n")] = 0;
			snprintf(model, sizeof(model), "%s", c);
			break;
		}
	}
	fclose(f);
	return model;
}
