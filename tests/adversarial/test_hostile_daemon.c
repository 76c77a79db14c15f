/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile platform: a fake caec-simd that answers libcaec with missing
 * or wrong descriptors, wrong lengths, out-of-range status codes, replies
 * to other requests, silence, and garbage events.  The library must fail
 * the call with a clear error and never crash, fault on memory it was
 * handed, or hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caec_test.h"
#include "proto.h"
#include "sockmsg.h"

enum scenario {
	SC_GOOD,            /* a correct daemon, for the baseline */
	SC_HELLO_NO_FD,     /* HELLO reply without the event socket */
	SC_HELLO_SHORT,     /* HELLO reply body one byte short */
	SC_HELLO_BAD_STATUS,/* status that is not a caec_err */
	SC_HELLO_WRONG_SEQ, /* reply to another request */
	SC_CREATE_SMALL_FD, /* region memfd smaller than the region */
	SC_CREATE_UNSEALED, /* right size, but the size is not sealed */
	SC_CREATE_NO_FD,    /* no descriptor at all */
	SC_SILENT,          /* HELLO fine, then never answers */
	SC_EVENT_GARBAGE,   /* HELLO fine, then garbage on the event socket */
	SC_GRANTS,          /* 600 grants, listed in batches; counts the requests */
	SC_GRANTS_TOO_MANY, /* a batch with more entries than asked for */
	SC_GRANTS_BAD_LEN,  /* a batch whose length does not match its count */
	SC_GRANTS_HUGE,     /* a total no int can return */
};

/* SC_GRANTS*: how many grants the fake daemon has made to its realm. */
#define FAKE_GRANTS 600u

static char sock_path[108];
static char dir_path[64];
/* The fake daemon writes one byte here per grant-list request. */
static int report[2] = { -1, -1 };

static void reply(int fd, const struct simd_hdr *req, int32_t status,
		  const void *body, size_t len, int pass_fd, uint32_t seq_delta)
{
	unsigned char buf[SIMD_MSG_MAX];
	struct simd_hdr h = *req;
	h.status = status;
	h.seq += seq_delta;
	h.len = (uint32_t)(sizeof(h) + len);
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), body, len);
	(void)sockmsg_send(fd, buf, h.len, pass_fd, 0);
}

static int region_memfd(uint64_t size, bool seal_size)
{
	int fd = memfd_create("fake", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		_exit(90);
	if (seal_size && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)
		_exit(91);
	return fd;
}

/* The fake daemon: serve one client according to the scenario. */
static void fake_daemon(enum scenario sc, int ready)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 4) < 0)
		_exit(92);
	(void)!write(ready, "r", 1);
	int c = accept(l, NULL, NULL);
	if (c < 0)
		_exit(93);
	int ev[2] = { -1, -1 };
	for (;;) {
		unsigned char in[SIMD_MSG_MAX];
		ssize_t n = sockmsg_recv(c, in, sizeof(in), NULL, 0);
		if (n <= 0)
			_exit(0);
		struct simd_hdr h;
		memcpy(&h, in, sizeof(h));
		if (h.op == SIMD_OP_HELLO) {
			struct simd_hello_rep r;
			memset(&r, 0, sizeof(r));
			r.realm_id = 0x1234;
			r.granule = CAEC_GRANULE_SIZE;
			if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ev) < 0)
				_exit(94);
			switch (sc) {
			case SC_HELLO_NO_FD:
				reply(c, &h, 0, &r, sizeof(r), -1, 0);
				break;
			case SC_HELLO_SHORT:
				reply(c, &h, 0, &r, sizeof(r) - 1, ev[1], 0);
				break;
			case SC_HELLO_BAD_STATUS:
				reply(c, &h, -CAEC_ERR_COUNT, NULL, 0, -1, 0);
				break;
			case SC_HELLO_WRONG_SEQ:
				reply(c, &h, 0, &r, sizeof(r), ev[1], 1);
				break;
			default:
				reply(c, &h, 0, &r, sizeof(r), ev[1], 0);
				break;
			}
			close(ev[1]);
			if (sc == SC_EVENT_GARBAGE)
				(void)!write(ev[0], "garbage!", 8);
			continue;
		}
		if (sc == SC_SILENT)
			continue;
		if (h.op == SIMD_OP_GRANT_LIST || h.op == SIMD_OP_GRANT_LIST_BATCH)
			(void)!write(report[1], "g", 1);
		if (h.op == SIMD_OP_GRANT_LIST_BATCH) {
			struct simd_grant_batch_req rq;
			memcpy(&rq, in + sizeof(h), sizeof(rq));
			static unsigned char body[SIMD_BLOB_MAX];
			struct simd_grant_batch_rep head = { .total = FAKE_GRANTS };
			uint64_t max = rq.max < SIMD_GRANT_BATCH_MAX ? rq.max : SIMD_GRANT_BATCH_MAX;
			if (sc == SC_GRANTS_TOO_MANY)
				max = rq.max + 1 < SIMD_GRANT_BATCH_MAX ? rq.max + 1 : max;
			for (uint64_t i = rq.index; i < FAKE_GRANTS && head.count < max; i++) {
				struct simd_grant_info_rep e = {
					.grant_id = 1000 + i, .provider = 0x99, .size = CAEC_GRANULE_SIZE,
					.perm = CAEC_PERM_RO,
				};
				memcpy(body + sizeof(head) + head.count * sizeof(e), &e, sizeof(e));
				head.count++;
			}
			size_t len = sizeof(head) + head.count * sizeof(struct simd_grant_info_rep);
			if (sc == SC_GRANTS_BAD_LEN)
				len -= 8;
			if (sc == SC_GRANTS_HUGE)
				head.total = (uint64_t)1 << 40;
			memcpy(body, &head, sizeof(head));
			reply(c, &h, 0, body, len, -1, 0);
			continue;
		}
		if (h.op == SIMD_OP_SHARE) {
			struct simd_share_req rq;
			memcpy(&rq, in + sizeof(h), sizeof(rq));
			struct simd_share_rep r = { .region_id = 0x77 };
			int fd = -1;
			if (sc == SC_CREATE_SMALL_FD)
				fd = region_memfd(CAEC_GRANULE_SIZE, true);
			else if (sc == SC_CREATE_UNSEALED)
				fd = region_memfd(rq.size, false);
			else if (sc != SC_CREATE_NO_FD)
				fd = region_memfd(rq.size, true);
			reply(c, &h, 0, &r, sizeof(r), fd, 0);
			if (fd >= 0)
				close(fd);
			continue;
		}
		/* Anything else (UNSHARE at close): success, no body. */
		reply(c, &h, 0, NULL, 0, -1, 0);
	}
}

static pid_t start_fake(enum scenario sc)
{
	int p[2];
	char b;
	snprintf(dir_path, sizeof(dir_path), "/tmp/caec-fake-XXXXXX");
	assert_non_null(mkdtemp(dir_path));
	snprintf(sock_path, sizeof(sock_path), "%s/s.sock", dir_path);
	assert_int_equal(pipe(p), 0);
	if (report[0] >= 0) {
		close(report[0]);
		close(report[1]);
	}
	assert_int_equal(pipe2(report, O_NONBLOCK | O_CLOEXEC), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		fake_daemon(sc, p[1]);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &b, 1), 1);
	close(p[0]);
	setenv("CAEC_SIM_SOCKET", sock_path, 1);
	return pid;
}

static void stop_fake(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(sock_path);
	rmdir(dir_path);
}

static int open_against(enum scenario sc, struct caec_ctx **ctx, pid_t *pid)
{
	*pid = start_fake(sc);
	*ctx = NULL;
	return caec_open(ctx, NULL);
}

/* Baseline: the fake daemon is good enough for a real grant to work, so
 * the failures below are caused by the one thing each scenario breaks. */
static void test_hostile_baseline(void **state)
{
	(void)state;
	struct caec_ctx *ctx;
	struct caec_region *r;
	pid_t pid;
	assert_caec_ok(open_against(SC_GOOD, &ctx, &pid));
	assert_caec_ok(caec_share(ctx, 2 * CAEC_GRANULE_SIZE, 0, &r));
	memset(caec_region_addr(r), 0xa5, 2 * CAEC_GRANULE_SIZE);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
	stop_fake(pid);
}

/* Broken HELLO replies: no event socket, short body, status outside the
 * enum, a reply to another sequence number -- each a protocol error. */
static void test_hostile_bad_hello(void **state)
{
	(void)state;
	enum scenario sc[] = { SC_HELLO_NO_FD, SC_HELLO_SHORT, SC_HELLO_BAD_STATUS,
			       SC_HELLO_WRONG_SEQ };
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		struct caec_ctx *ctx;
		pid_t pid;
		assert_caec_err(open_against(sc[i], &ctx, &pid), CAEC_E_PROTO);
		assert_null(ctx);
		stop_fake(pid);
	}
}

/* Region memory that is smaller than the region, whose size is not
 * sealed, or missing: refused before it is mapped, so nothing faults. */
static void test_hostile_bad_region_fd(void **state)
{
	(void)state;
	enum scenario sc[] = { SC_CREATE_SMALL_FD, SC_CREATE_UNSEALED, SC_CREATE_NO_FD };
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		struct caec_ctx *ctx;
		struct caec_region *r = NULL;
		pid_t pid;
		assert_caec_ok(open_against(sc[i], &ctx, &pid));
		assert_caec_err(caec_share(ctx, 4 * CAEC_GRANULE_SIZE, 0, &r), CAEC_E_PROTO);
		assert_null(r);
		caec_close(ctx);
		stop_fake(pid);
	}
}

/* A daemon that stops answering: the call fails after the request timeout
 * (CAEC_TIMEOUT_MS) and every later call fails at once. */
static void test_hostile_silent_daemon(void **state)
{
	(void)state;
	struct caec_ctx *ctx;
	struct caec_region *r;
	pid_t pid;
	struct timespec t0, t1;
	setenv("CAEC_TIMEOUT_MS", "300", 1);
	assert_caec_ok(open_against(SC_SILENT, &ctx, &pid));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_caec_err(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r), CAEC_E_PLATFORM);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	assert_true(ms >= 250 && ms < 5000);
	assert_caec_err(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r), CAEC_E_PLATFORM);
	caec_close(ctx); /* must not hang */
	unsetenv("CAEC_TIMEOUT_MS");
	stop_fake(pid);
}

/* Garbage on the event socket marks the platform lost: calls fail with
 * CAEC_E_PLATFORM, close does not hang. */
static void test_hostile_event_garbage(void **state)
{
	(void)state;
	struct caec_ctx *ctx;
	struct caec_region *r;
	pid_t pid;
	assert_caec_ok(open_against(SC_EVENT_GARBAGE, &ctx, &pid));
	int rc = 0;
	for (int i = 0; i < 200; i++) {
		rc = caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r);
		if (rc == CAEC_E_PLATFORM)
			break;
		if (rc == 0) {
			/* The garbage may be read between the two calls. */
			int d = caec_unshare(r);
			assert_true(d == 0 || d == CAEC_E_PLATFORM);
		}
		nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
	}
	assert_caec_err(rc, CAEC_E_PLATFORM);
	caec_close(ctx);
	stop_fake(pid);
}

/* Grant-list requests the fake daemon received since the last look. */
static unsigned requests(void)
{
	char b[64];
	unsigned n = 0;
	ssize_t r;
	while ((r = read(report[0], b, sizeof(b))) > 0)
		n += (unsigned)r;
	return n;
}

/* caec_grant_list() costs one round trip per batch of up to
 * SIMD_GRANT_BATCH_MAX (510) entries, not one per entry: a count is one
 * request, 10 entries one, all 600 two; the entries are the daemon's, in
 * its order, and nothing past cap is written. */
static void test_hostile_grant_list_batched(void **state)
{
	(void)state;
	static struct caec_grant_info g[FAKE_GRANTS + 1];
	struct caec_ctx *ctx;
	pid_t pid;
	assert_caec_ok(open_against(SC_GRANTS, &ctx, &pid));
	(void)requests();
	assert_caec_count(caec_grant_list(ctx, NULL, 0), FAKE_GRANTS);
	assert_int_equal(requests(), 1);
	memset(g, 0xee, sizeof(g));
	assert_caec_count(caec_grant_list(ctx, g, 10), FAKE_GRANTS);
	assert_int_equal(requests(), 1);
	assert_true(g[9].grant_id == 1009 && g[10].grant_id == 0xeeeeeeeeeeeeeeeeull);
	memset(g, 0xee, sizeof(g));
	assert_caec_count(caec_grant_list(ctx, g, FAKE_GRANTS + 1), FAKE_GRANTS);
	assert_int_equal(requests(), 2);
	for (unsigned i = 0; i < FAKE_GRANTS; i++) {
		assert_true(g[i].grant_id == 1000 + i);
		assert_true(g[i].provider_id == 0x99 && g[i].perm == CAEC_PERM_RO &&
			    g[i].size == CAEC_GRANULE_SIZE);
	}
	assert_true(g[FAKE_GRANTS].grant_id == 0xeeeeeeeeeeeeeeeeull);
	caec_close(ctx);
	stop_fake(pid);
}

/* A batch that holds more entries than asked for, whose length does not
 * match its count, or whose total does not fit the return value: a
 * protocol error, and nothing is written past cap. */
static void test_hostile_grant_list_lies(void **state)
{
	(void)state;
	enum scenario sc[] = { SC_GRANTS_TOO_MANY, SC_GRANTS_BAD_LEN, SC_GRANTS_HUGE };
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		struct caec_grant_info g[5];
		struct caec_ctx *ctx;
		pid_t pid;
		memset(g, 0xee, sizeof(g));
		assert_caec_ok(open_against(sc[i], &ctx, &pid));
		assert_caec_err(caec_grant_list(ctx, g, 4), CAEC_E_PROTO);
		assert_true(g[4].grant_id == 0xeeeeeeeeeeeeeeeeull);
		caec_close(ctx);
		stop_fake(pid);
	}
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_baseline),
		cmocka_unit_test(test_hostile_bad_hello),
		cmocka_unit_test(test_hostile_bad_region_fd),
		cmocka_unit_test(test_hostile_silent_daemon),
		cmocka_unit_test(test_hostile_event_garbage),
		cmocka_unit_test(test_hostile_grant_list_batched),
		cmocka_unit_test(test_hostile_grant_list_lies),
	};
	return cmocka_run_group_tests_name("hostile platform (fake caec-simd)", tests, NULL, NULL);
}
