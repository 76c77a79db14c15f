/* SPDX-License-Identifier: Apache-2.0 */
/* caec-bench-comm: clocks, spinning, socket I/O, payload fill/check. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "comm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
uint64_t comm_ticks(void)
{
	unsigned aux;
	return __rdtscp(&aux);
}
static inline void cpu_relax(void) { _mm_pause(); }
const char *comm_tick_source(void)
{
	return "rdtscp (constant/nonstop TSC), converted to ns with the TSC "
	       "frequency measured against CLOCK_MONOTONIC_RAW";
}
#elif defined(__aarch64__)
uint64_t comm_ticks(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}
static inline void cpu_relax(void) { __asm__ volatile("yield"); }
const char *comm_tick_source(void)
{
	return "CNTVCT_EL0 (generic timer; not CPU cycles)";
}
#else
uint64_t comm_ticks(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
static inline void cpu_relax(void) {}
const char *comm_tick_source(void) { return "CLOCK_MONOTONIC_RAW ns"; }
#endif

static double ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double comm_tsc_hz(void)
{
	static double hz;
	if (hz > 0)
		return hz;
	/* Best of three 50 ms windows. */
	double best = 0;
	for (int i = 0; i < 3; i++) {
		double n0 = ns_now();
		uint64_t t0 = comm_ticks();
		struct timespec d = { 0, 50 * 1000 * 1000 };
		nanosleep(&d, NULL);
		double n1 = ns_now();
		uint64_t t1 = comm_ticks();
		double f = (double)(t1 - t0) / ((n1 - n0) * 1e-9);
		if (i == 0 || f < best)
			best = f; /* shortest-delay bias is symmetric; take min */
	}
	hz = best;
	return hz;
}

int comm_spin_peer_fd = -1;

void comm_spin_init(struct comm_spin *s)
{
	s->n = 0;
	s->deadline = 0;
}

bool comm_spin_step(struct comm_spin *s)
{
	cpu_relax();
	if ((++s->n & 0xffff) != 0)
		return true;
	if (comm_spin_peer_fd >= 0) {
		struct pollfd pf = { .fd = comm_spin_peer_fd, .events = 0 };
		if (poll(&pf, 1, 0) > 0 && (pf.revents & (POLLHUP | POLLERR)))
			return false;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec;
	if (s->deadline == 0) {
		s->deadline = now + 60; /* a peer that vanished: give up */
		return true;
	}
	return now < s->deadline;
}

int comm_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int comm_read_all(int fd, void *p, size_t n)
{
	char *c = p;
	while (n > 0) {
		ssize_t r = read(fd, c, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EPIPE;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * Default fill: one memset of the whole payload (the cheapest fill there
 * is, the same for every mode).
 */
void comm_fill_default(void *p, size_t len, uint64_t seq, void *arg)
{
	(void)arg;
	memset(p, (int)(seq & 0xff), len);
}

/* The sequence number in the first and last 8 bytes. */
void comm_stamp(void *p, size_t len, uint64_t seq)
{
	if (len >= 16) {
		memcpy(p, &seq, 8);
		memcpy((char *)p + len - 8, &seq, 8);
	}
}

bool comm_check(const void *p, size_t len, uint64_t seq)
{
	uint64_t a, b;
	if (len < 16)
		return true;
	memcpy(&a, p, 8);
	memcpy(&b, (const char *)p + len - 8, 8);
	return a == seq && b == seq;
}

void *comm_alloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void comm_free(void *p, size_t n)
{
	if (p)
		munmap(p, n);
}
