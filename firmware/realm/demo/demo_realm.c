/*
 * caec-demo in realms: the roles of examples/regions/demo_roles.c (the
 * same code as the Linux demo) as an application of the realm kernel,
 * linked with libcaec's realm build.  Realm 0 is the provider, realm 1
 * consumer A (read-write), realm 2 consumer B (read-only); the regions
 * are the RMM's, reached through the RSI backend and /dev/caec; the
 * realms verify each other's attestation tokens (the RMM's, checked with
 * libcaec's verifier) before granting and attaching, as on Linux.  IDs,
 * challenges and tokens travel through the host (the peer harness), which
 * also tries to read the region when the provider has written its message
 * (outsider_look): the host's scenario shows that read taking a Granule
 * Protection Fault.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <caec/caec.h>
#include <realm_harness.h>
#include <user/sys.h>

#include "demo_roles.h"

#define RECV_TIMEOUT_S 60

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { 0, (long)ms * 1000000 };
	nanosleep(&ts, NULL);
}

static void send_to(int to, uint64_t v)
{
	long rc;
	while ((rc = sys_test_peer_send((unsigned)to, 0, v)) == -RERR_EAGAIN)
		sleep_ms(1);
	if (rc != 0) {
		printf("demo: send to realm %d: %s\n", to, sys_errname(rc));
		exit(1);
	}
}

static uint64_t recv_from(int from)
{
	uint64_t v;
	for (unsigned ms = 0; ms < RECV_TIMEOUT_S * 1000; ms++) {
		if (sys_test_peer_recv((unsigned)from, 0, &v) == 0)
			return v;
		sleep_ms(1);
	}
	printf("demo: nothing from realm %d in %d s\n", from, RECV_TIMEOUT_S);
	exit(1);
}

static jmp_buf fault_jmp;

static void on_fault(int sig, struct rsiginfo *info, void *uctx)
{
	(void)sig;
	(void)info;
	(void)uctx;
	longjmp(fault_jmp, 1);
}

/* A store of the byte already there, with SIGSEGV caught for the probe. */
static int write_faults(volatile char *p)
{
	struct rsigaction dfl = { .handler = RSIG_DFL };
	volatile int faulted = 0;

	if (user_sigaction(RSIGSEGV, on_fault) != 0)
		return -1;
	if (setjmp(fault_jmp) == 0) {
		char v = p[0];
		p[0] = v;
	} else {
		faulted = 1;
	}
	(void)sys_rt_sigaction(RSIGSEGV, &dfl, NULL, 8U);
	return faulted;
}

static void outsider_look(void)
{
	fflush(stdout);
	send_to(HC_PEER_HOST, 1);
}

static const struct demo_platform realm_platform = {
	.send = send_to,
	.recv = recv_from,
	.write_faults = write_faults,
	.outsider_look = outsider_look,
};

int main(int argc, char **argv)
{
	long info = sys_test_peer_info();
	int role;

	(void)argc;
	(void)argv;
	if (info < 0 || (info >> 16) < 3) {
		printf("demo: needs 3 realms and the peer harness\n");
		return 2;
	}
	role = (int)(info & 0xFFFF);
	if (role != DEMO_PROVIDER)
		return demo_consumer(&realm_platform, role);
	int rc = demo_provider(&realm_platform);
	printf("[%-8s] %s\n", "provider", rc == 0 ? "demo complete" : "demo FAILED");
	return rc;
}
