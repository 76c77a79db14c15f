/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two-process stress test of a channel: N messages (default 10 million,
 * times $CAEC_TEST_SCALE) of pseudo-random sizes from the provider process
 * to the consumer process, each carrying its sequence number and content
 * derived from it.  The receiver checks every message (sequence => no
 * loss, duplication or reordering; length and every content byte => no
 * corruption) and a running checksum of all bytes, which it sends back
 * over the reverse ring for the sender to compare with its own.
 *
 * Usage: test_ring_stress [--transport memfd|region] [--mode spin|sleep|zerocopy]
 *                         [--count N]
 *   memfd:    the channel lives in a MAP_SHARED memfd mapped by both.
 *   region:   the channel lives in a sim CSM region: the provider creates
 *             and grants it, the consumer (another realm) attaches it; a
 *             private caec-simd is started for the test.
 *   spin:     non-blocking calls, retried (busy polling; sched_yield()
 *             every 1024 failed polls so a loaded machine still progresses).
 *   sleep:    blocking calls; the sender pauses every 4096 messages so the
 *             receiver drains the ring and sleeps on the doorbell (the test
 *             requires that it did sleep, measured as recv calls > 50 us).
 *   zerocopy: blocking reserve/commit and peek/release, verified in place.
 * Exit 0 pass, 1 fail, 77 skip.
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <caec/caec.h>
#include <caec/channel.h>

#include "simd_fixture.h"

#define MIN_LEN 8u
#define MAX_LEN 256u
#define REGION_SIZE (1u << 20)

enum mode { M_SPIN, M_SLEEP, M_ZC };

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static uint32_t msg_len(uint64_t seq)
{
	return MIN_LEN + (uint32_t)(mix(seq) % (MAX_LEN - MIN_LEN + 1));
}

/* Fill: the sequence number, then words derived from it. */
static void fill(uint8_t *p, uint64_t seq, uint32_t len)
{
	memcpy(p, &seq, 8);
	uint64_t w = mix(seq ^ 0xabcdef);
	for (uint32_t i = 8; i < len; i += 8) {
		w = w * 6364136223846793005ull + 1442695040888963407ull;
		uint32_t n = len - i < 8 ? len - i : 8;
		memcpy(p + i, &w, n);
	}
}

static uint64_t sum_update(uint64_t s, const uint8_t *p, uint32_t len)
{
	/* cheap order-sensitive checksum over all bytes, 8 at a time */
	uint32_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		s = (s ^ w) * 0x100000001b3ull;
	}
	for (; i < len; i++)
		s = (s ^ p[i]) * 0x100000001b3ull;
	return (s ^ len) * 0x100000001b3ull;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int sender(struct caec_channel *ch, enum mode m, uint64_t count)
{
	uint8_t buf[MAX_LEN];
	uint64_t sum = 0xcbf29ce484222325ull;
	for (uint64_t seq = 0; seq < count; seq++) {
		uint32_t len = msg_len(seq);
		int rc;
		if (m == M_ZC) {
			void *p;
			rc = caec_channel_reserve(ch, len, &p, CAEC_TIMEOUT_INFINITE);
			if (rc == 0) {
				fill(p, seq, len);
				sum = sum_update(sum, p, len);
				rc = caec_channel_commit(ch, len);
			}
		} else {
			fill(buf, seq, len);
			sum = sum_update(sum, buf, len);
			if (m == M_SPIN) {
				unsigned spins = 0;
				while ((rc = caec_channel_send(ch, buf, len, 0)) ==
				       CAEC_E_AGAIN)
					if (++spins % 1024 == 0)
						sched_yield(); /* loaded CI machines */
			} else {
				rc = caec_channel_send(ch, buf, len,
						       CAEC_TIMEOUT_INFINITE);
				if ((seq & 4095) == 4095) {
					/* Long enough for a receiver that lags by a
					 * full ring (slow sanitizer builds, loaded
					 * machines) to drain it and go to sleep. */
					struct timespec ts = {0, 1000 * 1000};
					nanosleep(&ts, NULL);
				}
			}
		}
		if (rc != 0) {
			fprintf(stderr, "sender: seq %" PRIu64 ": %s\n", seq,
				caec_errname(rc));
			return 1;
		}
	}
	/* The receiver's verdict: its checksum, message count, sleeps. */
	uint64_t reply[3];
	int rc = caec_channel_recv(ch, reply, sizeof(reply),
				   (int64_t)120 * 1000000000);
	if (rc != (int)sizeof(reply)) {
		fprintf(stderr, "sender: no reply: %s\n", caec_errname(rc));
		return 1;
	}
	printf("sender: %" PRIu64 " messages, checksum %016" PRIx64
	       "; receiver: %" PRIu64 " messages, checksum %016" PRIx64
	       ", %" PRIu64 " sleeps\n",
	       count, sum, reply[1], reply[0], reply[2]);
	if (reply[0] != sum || reply[1] != count) {
		fprintf(stderr, "sender: checksum/count mismatch\n");
		return 1;
	}
	if (m == M_SLEEP && reply[2] == 0) {
		fprintf(stderr, "sender: the receiver never slept on the doorbell\n");
		return 1;
	}
	return 0;
}

static int check_msg(const uint8_t *p, size_t len, uint64_t seq)
{
	uint8_t want[MAX_LEN];
	uint32_t wl = msg_len(seq);
	if (len != wl) {
		fprintf(stderr, "receiver: seq %" PRIu64 ": length %zu, want %u\n",
			seq, len, wl);
		return 1;
	}
	uint64_t got;
	memcpy(&got, p, 8);
	if (got != seq) {
		fprintf(stderr, "receiver: got seq %" PRIu64 ", want %" PRIu64
			" (%s)\n", got, seq, got < seq ? "duplicate" : "loss/reorder");
		return 1;
	}
	fill(want, seq, wl);
	if (memcmp(want, p, wl) != 0) {
		fprintf(stderr, "receiver: seq %" PRIu64 ": content differs\n", seq);
		return 1;
	}
	return 0;
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

static int receiver(struct caec_channel *ch, enum mode m, uint64_t count)
{
	uint64_t vcs0 = voluntary_switches();
	uint8_t buf[MAX_LEN];
	uint64_t sum = 0xcbf29ce484222325ull, sleeps = 0;
	for (uint64_t seq = 0; seq < count; seq++) {
		int rc;
		if (m == M_ZC) {
			const void *p;
			size_t len;
			rc = caec_channel_peek(ch, &p, &len, CAEC_TIMEOUT_INFINITE);
			if (rc == 0) {
				if (check_msg(p, len, seq))
					return 1;
				sum = sum_update(sum, p, (uint32_t)len);
				rc = caec_channel_release(ch);
			}
		} else {
			if (m == M_SPIN) {
				unsigned spins = 0;
				while ((rc = caec_channel_recv(ch, buf, sizeof(buf),
							       0)) == CAEC_E_AGAIN)
					if (++spins % 1024 == 0)
						sched_yield(); /* loaded CI machines */
			} else {
				uint64_t t0 = now_ns();
				rc = caec_channel_recv(ch, buf, sizeof(buf),
						       CAEC_TIMEOUT_INFINITE);
				if (now_ns() - t0 > 50000)
					sleeps++;
			}
			if (rc >= 0) {
				if (check_msg(buf, (size_t)rc, seq))
					return 1;
				sum = sum_update(sum, buf, (uint32_t)rc);
				rc = 0;
			}
		}
		if (rc != 0) {
			fprintf(stderr, "receiver: seq %" PRIu64 ": %s\n", seq,
				caec_errname(rc));
			return 1;
		}
	}
	/* Nothing more may arrive: a duplicate would show here. */
	int rc = caec_channel_recv(ch, buf, sizeof(buf), 0);
	if (rc != CAEC_E_AGAIN) {
		fprintf(stderr, "receiver: extra message or error: %d\n", rc);
		return 1;
	}
	/* "sleeps": slow blocking recv calls (> 50 us) that were also
	 * matched by voluntary context switches (futex sleeps). */
	uint64_t vcs = voluntary_switches() - vcs0;
	printf("receiver: %" PRIu64 " recv calls > 50 us, %" PRIu64
	       " voluntary context switches\n", sleeps, vcs);
	if (vcs < sleeps)
		sleeps = vcs;
	uint64_t reply[3] = {sum, count, sleeps};
	rc = caec_channel_send(ch, reply, sizeof(reply), CAEC_TIMEOUT_INFINITE);
	if (rc != 0) {
		fprintf(stderr, "receiver: reply: %s\n", caec_errname(rc));
		return 1;
	}
	/* Wait until the sender has read the reply (it closes after). */
	rc = caec_channel_recv(ch, buf, sizeof(buf), (int64_t)60 * 1000000000);
	if (rc != CAEC_E_CLOSED) {
		fprintf(stderr, "receiver: expected CLOSED, got %s\n",
			caec_errname(rc));
		return 1;
	}
	return 0;
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

static int run_memfd(enum mode m, uint64_t count)
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
		rc = receiver(cc, m, count);
		caec_channel_destroy(cc);
		_exit(rc);
	}
	int res = sender(ch, m, count);
	caec_channel_destroy(ch);
	int cres = wait_child(pid);
	munmap(base, REGION_SIZE);
	close(fd);
	return res || cres;
}

/* Pipe helpers for the realm-ID / grant-ID handshake. */
static int put64(int fd, uint64_t v)
{
	return write(fd, &v, 8) == 8 ? 0 : -1;
}
static int get64(int fd, uint64_t *v)
{
	return read(fd, v, 8) == 8 ? 0 : -1;
}

static int run_region(enum mode m, uint64_t count)
{
	struct caec_test_simd simd;
	if (getenv("CAEC_SIMD") == NULL) {
		fprintf(stderr, "CAEC_SIMD not set: skip\n");
		return 77;
	}
	if (caec_test_start_simd(&simd, NULL) != 0)
		return 1;
	int to_parent[2], to_child[2];
	if (pipe(to_parent) || pipe(to_child))
		return 1;
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		/* Consumer realm. */
		struct caec_ctx *ctx;
		uint64_t self, grant;
		struct caec_region *r;
		struct caec_channel *cc;
		int rc = caec_open(&ctx, NULL);
		if (rc != 0 || caec_self_id(ctx, &self) != 0 ||
		    put64(to_parent[1], self) || get64(to_child[0], &grant)) {
			fprintf(stderr, "consumer: open: %s\n", caec_errname(rc));
			_exit(1);
		}
		rc = caec_attach(ctx, grant, NULL, &r);
		if (rc == 0)
			rc = caec_channel_create(r, NULL, &cc);
		if (rc != 0) {
			fprintf(stderr, "consumer: attach/channel: %s\n",
				caec_errname(rc));
			_exit(1);
		}
		rc = receiver(cc, m, count);
		caec_channel_destroy(cc);
		if (caec_detach(r) != 0)
			rc = 1;
		caec_close(ctx);
		_exit(rc);
	}
	/* Provider realm. */
	int res = 1;
	struct caec_ctx *ctx = NULL;
	struct caec_region *r = NULL;
	struct caec_channel *ch = NULL;
	uint64_t peer, grant;
	int rc = caec_open(&ctx, NULL);
	if (rc == 0 && get64(to_parent[0], &peer) == 0)
		rc = caec_share(ctx, REGION_SIZE, 0, &r);
	if (rc == 0)
		rc = caec_channel_create(r, NULL, &ch);
	if (rc == 0)
		rc = caec_grant(r, peer, CAEC_PERM_RW, NULL, &grant);
	if (rc == 0 && put64(to_child[1], grant) == 0) {
		res = sender(ch, m, count);
	} else {
		fprintf(stderr, "provider: set-up: %s\n", caec_errname(rc));
		kill(pid, SIGKILL);
	}
	caec_channel_destroy(ch);
	int cres = wait_child(pid);
	if (r != NULL && caec_unshare(r) != 0)
		res = 1;
	caec_close(ctx);
	caec_test_stop_simd(&simd);
	return res || cres;
}

int main(int argc, char **argv)
{
	const char *transport = "memfd", *mode = "spin";
	double scale = getenv("CAEC_TEST_SCALE") ? atof(getenv("CAEC_TEST_SCALE")) : 1.0;
	uint64_t count = (uint64_t)(10000000.0 * (scale > 0 ? scale : 1.0));
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--transport") == 0)
			transport = argv[i + 1];
		else if (strcmp(argv[i], "--mode") == 0)
			mode = argv[i + 1];
		else if (strcmp(argv[i], "--count") == 0)
			count = strtoull(argv[i + 1], NULL, 0);
	}
	enum mode m = strcmp(mode, "sleep") == 0	 ? M_SLEEP
		      : strcmp(mode, "zerocopy") == 0 ? M_ZC
						      : M_SPIN;
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(170); /* never hang a CI run: SIGALRM fails the test */
	uint64_t t0 = now_ns();
	int rc = strcmp(transport, "region") == 0 ? run_region(m, count)
						  : run_memfd(m, count);
	double s = (double)(now_ns() - t0) / 1e9;
	printf("%s/%s: %" PRIu64 " messages in %.2f s (%.0f ns/msg): %s\n",
	       transport, mode, count, s, s * 1e9 / (double)count,
	       rc == 0 ? "PASS" : rc == 77 ? "SKIP" : "FAIL");
	return rc;
}
