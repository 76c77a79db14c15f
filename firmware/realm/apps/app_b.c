/*
 * Realm kernel test application B: system calls with bad arguments, each
 * of which must fail cleanly (EFAULT, EBADF, ENOENT, ENOTTY, ENOSYS,
 * EINVAL), blocking calls (nanosleep, an event wait with a timeout) that
 * let application A run meanwhile, and finally a read of kernel memory
 * from EL0 with no SIGSEGV handler: the kernel must report the fault,
 * kill this application and carry on with A.  On the way it runs libcaec's
 * portable ring (core/ring, built with picolibc) at EL0.
 */
#include <stdlib.h>
#include <string.h>

#include <caec/abi/driver.h>
#include <ring/ring.h>

#include "check.h"

/*
 * 1000 messages of 1..300 bytes through one ring in this application's own
 * memory (producer and consumer endpoints on the same bytes), every one
 * checked: core/ring's code and layout at EL0 in a realm.
 */
static void ring_round_trip(void)
{
	const size_t size = 16384;
	void *mem = aligned_alloc(64, size);
	struct ring prod, cons;
	uint8_t msg[300], got[300];
	unsigned int i, bad = 0, sent = 0, recvd = 0;
	int ret;

	if (mem == NULL || ring_format(mem, size, ring_capacity_for(size), 0) != 0 ||
	    ring_init(&prod, mem, size, RING_PRODUCER) != 0 ||
	    ring_init(&cons, mem, size, RING_CONSUMER) != 0) {
		expect_true("ring set up in application memory", 0);
		return;
	}
	for (i = 0; i < 1000U; i++) {
		size_t len = 1U + (i * 37U) % sizeof(msg), k;

		for (k = 0; k < len; k++) {
			msg[k] = (uint8_t)(i * 7U + k);
		}
		if (ring_send(&prod, msg, len) == 0) {
			sent++;
		}
		ret = ring_recv(&cons, got, sizeof(got));
		if (ret >= 0) {
			recvd++;
			bad += (size_t)ret != len || memcmp(got, msg, len) != 0;
		}
	}
	printf("libcaec ring (core/ring) at EL0: %u sent, %u received, %u bad\n", sent, recvd, bad);
	expect_true("ring round trip", sent == 1000U && recvd == 1000U && bad == 0U);
	free(mem);
}

static double ms_since(uint64_t t0)
{
	return (double)(user_ticks() - t0) * 1000.0 / (double)user_ticks_per_s();
}

int main(int argc, char **argv)
{
	struct caec_drv_version v = { .size = sizeof(v) };
	struct caec_drv_event_wait ew = { .size = sizeof(ew), .timeout_ns = 5000000 };
	struct caec_drv_wait w = { .size = sizeof(w), .id = 12345 };
	struct rsigaction bad = { .handler = 0x80001000, .flags = RSA_SIGINFO };
	struct rtimespec ts = { 0, 2000000000 };
	const volatile uint64_t *volatile kernel_memory = (const volatile uint64_t *)0x40000000UL;
	long fd, pid = sys_getpid();
	uint64_t t0;

	printf("hello from EL0: pid %ld, picolibc printf %.2f, argc %d, argv[0] %s\n", pid, 2.5,
	       argc, argv[0]);
	fd = sys_openat(RAT_FDCWD, CAEC_DRV_DEVICE, RO_RDWR);
	expect("open " CAEC_DRV_DEVICE, fd >= 3 ? 0 : fd, 0);
	expect("ioctl VERSION", sys_ioctl((int)fd, CAEC_IOC_VERSION, &v), 0);

	expect("write of kernel memory (0x40000000)", sys_write(1, (const void *)0x40000000, 16), -RERR_EFAULT);
	expect("write of NULL", sys_write(1, NULL, 5), -RERR_EFAULT);
	expect("write to fd 9 (not open)", sys_write(9, "x", 1), -RERR_EBADF);
	expect("open /dev/null", sys_openat(RAT_FDCWD, "/dev/null", RO_RDWR), -RERR_ENOENT);
	expect("open with a kernel pointer as path", sys_openat(RAT_FDCWD, (const char *)0x40000000, RO_RDWR),
	       -RERR_EFAULT);
	expect("ioctl on the console", sys_ioctl(1, CAEC_IOC_VERSION, &v), -RERR_ENOTTY);
	expect("system call 9999", sys_call6(9999, 0, 0, 0, 0, 0, 0), -RERR_ENOSYS);
	expect("nanosleep with tv_nsec = 2e9", sys_nanosleep(&ts), -RERR_EINVAL);
	expect("WAIT on a region this file does not hold", sys_ioctl((int)fd, CAEC_IOC_WAIT, &w), -RERR_ENOENT);
	expect("mmap of an offset this file does not hold",
	       sys_mmap(4096, RPROT_READ, RMAP_SHARED, (int)fd, 1ULL << 32), -RERR_EINVAL);
	expect("rt_sigaction(SIGKILL)", sys_rt_sigaction(9, &bad, NULL, 8), -RERR_EINVAL);
	expect("rt_sigaction with a handler but no restorer", sys_rt_sigaction(RSIGSEGV, &bad, NULL, 8),
	       -RERR_EINVAL);

	ring_round_trip();
	ts.tv_nsec = 10000000;
	t0 = user_ticks();
	expect("nanosleep 10 ms", sys_nanosleep(&ts), 0);
	printf("slept %.1f ms (blocked; the kernel ran app_a or idled in WFI)\n", ms_since(t0));
	expect_true("slept at least 10 ms", ms_since(t0) >= 10.0);
	t0 = user_ticks();
	expect("EVENT with a 5 ms timeout", sys_ioctl((int)fd, CAEC_IOC_EVENT, &ew), -RERR_ETIMEDOUT);
	expect_true("waited at least 5 ms for the event", ms_since(t0) >= 5.0);

	printf("%s (%d failures); now reading kernel memory at 0x40000000 with no SIGSEGV handler\n",
	       check_failures == 0 ? "PASS" : "FAIL", check_failures);
	fflush(stdout);
	printf("FAIL: read kernel memory: 0x%lx\n", (unsigned long)*kernel_memory);
	return 1;
}
