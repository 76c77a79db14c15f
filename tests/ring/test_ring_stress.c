/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two-process stress test of a channel in a MAP_SHARED memfd: N messages
 * (default 10 million, times $CAEC_TEST_SCALE) from the provider process
 * to the consumer process; the two ends are stress.c's (see stress.h for
 * what they check).  The same ends run over a CSM region, between realms,
 * in the conformance suite (tests/conformance/cases_stress.c: the
 * ring_stress_region_* tests).
 *
 * Usage: test_ring_stress [--mode spin|sleep|zerocopy] [--count N]
 * Exit 0 pass, 1 fail.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <caec/caec.h>
#include <caec/channel.h>

#include "stress.h"

#define REGION_SIZE (1u << 20)

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* This process's voluntary context switches (a futex sleep is one). */
static uint64_t voluntary_switches(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	uint64_t v = 0;
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %" SCNu64, &v) == 1)
			break;
	fclose(f);
	return v;
}

static int wait_child(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "consumer process died (signal %d)\n",
		WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return 1;
}

static int run_memfd(enum stress_mode m, uint64_t count)
{
	int fd = memfd_create("caec-ring-stress", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, REGION_SIZE) != 0) {
		perror("memfd");
		return 77;
	}
	void *base = mmap(NULL, REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			  fd, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	struct caec_channel *ch;
	int rc = caec_channel_create_mem(base, REGION_SIZE, CAEC_CHANNEL_PROVIDER,
					 NULL, &ch);
	if (rc != 0) {
		fprintf(stderr, "provider create: %s\n", caec_errname(rc));
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		struct caec_channel *cc;
		rc = caec_channel_create_mem(base, REGION_SIZE,
					     CAEC_CHANNEL_CONSUMER, NULL, &cc);
		if (rc != 0) {
			fprintf(stderr, "consumer create: %s\n", caec_errname(rc));
			_exit(1);
		}
		rc = stress_receiver(cc, m, count, voluntary_switches);
		caec_channel_destroy(cc);
		_exit(rc);
	}
	int res = stress_sender(ch, m, count, 1);
	caec_channel_destroy(ch);
	int cres = wait_child(pid);
	munmap(base, REGION_SIZE);
	close(fd);
	return res || cres;
}

int main(int argc, char **argv)
{
	const char *mode = "spin";
	double scale = getenv("CAEC_TEST_SCALE") ? atof(getenv("CAEC_TEST_SCALE")) : 1.0;
	uint64_t count = (uint64_t)(10000000.0 * (scale > 0 ? scale : 1.0));
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--mode") == 0)
			mode = argv[i + 1];
		else if (strcmp(argv[i], "--count") == 0)
			count = strtoull(argv[i + 1], NULL, 0);
	}
	enum stress_mode m = strcmp(mode, "sleep") == 0	 ? STRESS_SLEEP
			     : strcmp(mode, "zerocopy") == 0 ? STRESS_ZC
							     : STRESS_SPIN;
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(170); /* never hang a CI run: SIGALRM fails the test */
	uint64_t t0 = now_ns();
	int rc = run_memfd(m, count);
	double s = (double)(now_ns() - t0) / 1e9;
	printf("memfd/%s: %" PRIu64 " messages in %.2f s (%.0f ns/msg): %s\n",
	       mode, count, s, s * 1e9 / (double)count,
	       rc == 0 ? "PASS" : rc == 77 ? "SKIP" : "FAIL");
	return rc;
}
