/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile client talking raw protocol to caec-simd: malformed,
 * truncated, oversized and out-of-order messages, descriptors it was not
 * asked for, random garbage, and a consumer that never acknowledges a
 * revocation.  After each, the daemon must still serve well-behaved realms
 * (and must not leak descriptors).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adv_util.h"
#include "caec_test.h"
#include "simd_fixture.h"
#include "proto.h"
#include "sockmsg.h"

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	static const char *const args[] = { "--revoke-timeout-ms", "300", NULL };
	return caec_test_start_simd(&simd, args) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

static int raw_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", simd.sock);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static size_t mkreq(unsigned char *buf, uint16_t op, uint32_t seq,
		    const void *body, size_t len)
{
	struct simd_hdr h = {
		.magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION, .op = op,
		.seq = seq, .len = (uint32_t)(sizeof(h) + len),
	};
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), body, len);
	return sizeof(h) + len;
}

/* Wait up to 2 s for a reply; returns its status, or 1 on EOF (the
 * daemon hung up on us), or 2 on timeout. */
static int reply_status(int fd, int *rfd, void *body, size_t cap)
{
	unsigned char buf[SIMD_MSG_MAX];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 2000) <= 0)
		return 2;
	ssize_t n = sockmsg_recv(fd, buf, sizeof(buf), rfd, 0);
	if (n <= 0)
		return 1;
	struct simd_hdr h;
	assert_true((size_t)n >= sizeof(h));
	memcpy(&h, buf, sizeof(h));
	assert_int_equal(h.magic, SIMD_MAGIC);
	assert_int_equal(h.len, (uint32_t)n);
	if (body && h.status == 0) {
		assert_true((size_t)n - sizeof(h) <= cap);
		memcpy(body, buf + sizeof(h), (size_t)n - sizeof(h));
	}
	return h.status;
}

static int raw_call(int fd, uint16_t op, const void *body, size_t len,
		    void *rep, size_t cap, int *rfd)
{
	unsigned char buf[SIMD_MSG_MAX];
	size_t n = mkreq(buf, op, 7, body, len);
	ssize_t sent = op == SIMD_OP_HELLO ? sockmsg_send_creds(fd, buf, n) :
					     sockmsg_send(fd, buf, n, -1, 0);
	assert_true(sent == (ssize_t)n);
	return reply_status(fd, rfd, rep, cap);
}

static int hello(int fd, uint64_t *id, int *evfd)
{
	struct simd_hello_req rq;
	struct simd_hello_rep rp;
	memset(&rq, 0, sizeof(rq));
	int e = -1;
	int st = raw_call(fd, SIMD_OP_HELLO, &rq, sizeof(rq), &rp, sizeof(rp), &e);
	if (st == 0) {
		*id = rp.realm_id;
		/* Closing the event socket would get us disconnected (a realm
		 * that refuses events cannot be revoked); keep it open for as
		 * long as this process lives unless the caller takes it. */
		if (evfd)
			*evfd = e;
	}
	return st;
}

static int count_fds(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* A well-behaved exchange still works: two realms share and attach. */
static void assert_daemon_serves(void)
{
	struct caec_ctx *a, *b;
	struct caec_region *r, *att;
	uint64_t idb, grant;
	assert_caec_ok(caec_open(&a, NULL));
	assert_caec_ok(caec_open(&b, NULL));
	assert_caec_ok(caec_self_id(b, &idb));
	assert_caec_ok(caec_share(a, CAEC_GRANULE_SIZE, 0, &r));
	((char *)caec_region_addr(r))[0] = 'k';
	assert_caec_ok(caec_grant(r, idb, CAEC_PERM_RO, NULL, &grant));
	assert_caec_ok(caec_attach(b, grant, NULL, &att));
	assert_int_equal(((char *)caec_region_addr(att))[0], 'k');
	assert_caec_ok(caec_detach(att));
	assert_caec_ok(caec_unshare(r));
	caec_close(b);
	caec_close(a);
}

/*
 * Framing errors -- empty, short, oversized, wrong magic, wrong version,
 * length field that lies -- make the daemon hang up on that client only.
 */
static void test_proto_framing_errors_disconnect(void **state)
{
	(void)state;
	unsigned char buf[SIMD_MSG_MAX + 4096];
	struct simd_hello_req rq;
	memset(&rq, 0, sizeof(rq));

	for (int kind = 0; kind < 6; kind++) {
		int fd = raw_connect();
		size_t n = mkreq(buf, SIMD_OP_HELLO, 1, &rq, sizeof(rq));
		struct simd_hdr *h = (struct simd_hdr *)buf;
		switch (kind) {
		case 0: n = 10; break;                         /* truncated header */
		case 1: n = sizeof(buf); memset(buf + 24, 0xee, n - 24); h->len = (uint32_t)n; break; /* oversized */
		case 2: h->magic ^= 1; break;
		case 3: h->version = 99; break;
		case 4: h->len += 8; break;                   /* claims more than sent */
		case 5: n = 1; break;                         /* a single byte */
		}
		assert_true(sockmsg_send(fd, buf, n, -1, 0) == (ssize_t)n);
		assert_int_equal(reply_status(fd, NULL, NULL, 0), 1); /* EOF */
		close(fd);
	}
	assert_daemon_serves();
}

/*
 * Well-framed but wrong requests get an error reply and the client may go
 * on: unknown ops, wrong body sizes, requests before HELLO, HELLO twice,
 * non-zero reserved fields, invalid values.
 */
static void test_proto_semantic_errors_reply(void **state)
{
	(void)state;
	int fd = raw_connect();
	struct simd_share_req cr = { .base = 0x10000000, .size = CAEC_GRANULE_SIZE };
	uint64_t id = 0;

	assert_caec_err(raw_call(fd, SIMD_OP_SHARE, &cr, sizeof(cr), NULL, 0, NULL),
			CAEC_E_STATE); /* before HELLO */
	assert_caec_err(raw_call(fd, 0, NULL, 0, NULL, 0, NULL), CAEC_E_PROTO);
	assert_caec_err(raw_call(fd, 999, NULL, 0, NULL, 0, NULL), CAEC_E_PROTO);
	assert_caec_err(raw_call(fd, SIMD_OP_HELLO, "x", 1, NULL, 0, NULL), CAEC_E_PROTO);
	assert_caec_err(hello(fd, &id, NULL), CAEC_OK);
	assert_caec_err(hello(fd, &id, NULL), CAEC_E_STATE);
	/* Body one byte short / long. */
	assert_caec_err(raw_call(fd, SIMD_OP_SHARE, &cr, sizeof(cr) - 1, NULL, 0, NULL),
			CAEC_E_PROTO);
	unsigned char big[sizeof(cr) + 1];
	memset(big, 0, sizeof(big));
	assert_caec_err(raw_call(fd, SIMD_OP_SHARE, big, sizeof(big), NULL, 0, NULL),
			CAEC_E_PROTO);
	/* Reserved header fields. */
	unsigned char buf[128];
	size_t n = mkreq(buf, SIMD_OP_GRANT_LIST, 3, &(uint64_t){ 0 }, 8);
	((struct simd_hdr *)buf)->_pad = 1;
	assert_true(sockmsg_send(fd, buf, n, -1, 0) == (ssize_t)n);
	assert_caec_err(reply_status(fd, NULL, NULL, 0), CAEC_E_PROTO);
	/* Values: unaligned, zero, wrapping, overlapping ranges. */
	struct simd_share_req bad[] = {
		{ .base = 0x10000001, .size = CAEC_GRANULE_SIZE },
		{ .base = 0x10000000, .size = 0 },
		{ .base = 0x10000000, .size = 100 },
		{ .base = UINT64_MAX & ~0xfffull, .size = 2 * CAEC_GRANULE_SIZE },
		{ .base = 0x10000000, .size = UINT64_MAX & ~0xfffull },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(raw_call(fd, SIMD_OP_SHARE, &bad[i], sizeof(bad[i]), NULL, 0, NULL) < 0);
	struct simd_share_rep crep;
	int mfd = -1;
	assert_caec_err(raw_call(fd, SIMD_OP_SHARE, &cr, sizeof(cr), &crep, sizeof(crep), &mfd), CAEC_OK);
	assert_true(mfd >= 0);
	close(mfd);
	assert_caec_err(raw_call(fd, SIMD_OP_SHARE, &cr, sizeof(cr), NULL, 0, NULL),
			CAEC_E_OVERLAP);
	/* Bigger than the daemon's per-region limit (default 4 GiB): refused
	 * before any memory exists, whatever the address. */
	struct simd_share_req huge = { .base = 0x200000000000ull,
					.size = (4096ull << 20) + CAEC_GRANULE_SIZE };
	assert_caec_err(raw_call(fd, SIMD_OP_SHARE, &huge, sizeof(huge), NULL, 0, NULL),
			CAEC_E_RANGE);
	struct simd_grant_req sr;
	memset(&sr, 0, sizeof(sr));
	sr.region_id = crep.region_id;
	sr.consumer = 12345;
	sr.perm = CAEC_PERM_RO;
	sr.rim_len = 65;
	assert_caec_err(raw_call(fd, SIMD_OP_GRANT, &sr, sizeof(sr), NULL, 0, NULL),
			CAEC_E_INVAL);
	struct simd_attach_req ar;
	memset(&ar, 0, sizeof(ar));
	ar.grant_id = 1;
	ar.hash_len = 65;
	assert_caec_err(raw_call(fd, SIMD_OP_ATTACH, &ar, sizeof(ar), NULL, 0, NULL),
			CAEC_E_INVAL);
	/* GRANT_LIST_BATCH: reserved field, body length; an empty list is a
	 * count of 0 and no entries, whatever was asked. */
	struct simd_grant_batch_req bq = { .index = 0, .max = 5, ._pad = 1 };
	assert_caec_err(raw_call(fd, SIMD_OP_GRANT_LIST_BATCH, &bq, sizeof(bq), NULL, 0, NULL),
			CAEC_E_INVAL);
	bq._pad = 0;
	assert_caec_err(raw_call(fd, SIMD_OP_GRANT_LIST_BATCH, &bq, sizeof(bq) - 4, NULL, 0,
				 NULL), CAEC_E_PROTO);
	struct simd_grant_batch_rep bh;
	bq.max = UINT32_MAX;
	assert_caec_err(raw_call(fd, SIMD_OP_GRANT_LIST_BATCH, &bq, sizeof(bq), &bh, sizeof(bh),
				 NULL), CAEC_OK);
	assert_true(bh.total == 0 && bh.count == 0);
	/* Still connected and served. */
	struct simd_grant_list_req gq = { .index = 0 };
	assert_caec_err(raw_call(fd, SIMD_OP_GRANT_LIST, &gq, sizeof(gq), NULL, 0, NULL),
			CAEC_E_NOENT);
	close(fd);
	assert_daemon_serves();
}

/*
 * EXPORT hands out region memory, so it is for memory the caller already
 * holds: a region it provides, or a grant it has attached.  A grant merely
 * made to it (attach checks policy and hash), a region of another realm, a
 * grant of another realm, and malformed requests are refused; what is
 * handed out is read-only even to the provider.
 */
static void test_proto_export_needs_the_memory(void **state)
{
	(void)state;
	int a = raw_connect(), b = raw_connect(), c = raw_connect();
	uint64_t ida = 0, idb = 0, idc = 0;
	int ea = -1, eb = -1, ec = -1;
	assert_caec_err(hello(a, &ida, &ea), CAEC_OK);
	assert_caec_err(hello(b, &idb, &eb), CAEC_OK);
	assert_caec_err(hello(c, &idc, &ec), CAEC_OK);

	struct simd_share_req cr = { .base = 0x10000000, .size = 2 * CAEC_GRANULE_SIZE };
	struct simd_share_rep crep;
	int mfd = -1;
	assert_caec_err(raw_call(a, SIMD_OP_SHARE, &cr, sizeof(cr), &crep, sizeof(crep), &mfd),
			CAEC_OK);
	close(mfd);
	struct simd_grant_req gr;
	struct simd_grant_rep grep;
	memset(&gr, 0, sizeof(gr));
	gr.region_id = crep.region_id;
	gr.consumer = idb;
	gr.perm = CAEC_PERM_RW;
	assert_caec_err(raw_call(a, SIMD_OP_GRANT, &gr, sizeof(gr), &grep, sizeof(grep), NULL),
			CAEC_OK);

	struct simd_export_rep xr;
	struct simd_export_req region = { .id = crep.region_id, .role = 0 };
	struct simd_export_req grant = { .id = grep.grant_id, .role = 1 };
	int xfd = -1;
	/* not the provider */
	assert_true(raw_call(b, SIMD_OP_EXPORT, &region, sizeof(region), &xr, sizeof(xr), &xfd) < 0);
	assert_true(raw_call(c, SIMD_OP_EXPORT, &region, sizeof(region), &xr, sizeof(xr), &xfd) < 0);
	/* granted but not attached; somebody else's grant; the provider is
	 * not its consumer */
	assert_caec_err(raw_call(b, SIMD_OP_EXPORT, &grant, sizeof(grant), &xr, sizeof(xr), &xfd),
			CAEC_E_STATE);
	assert_caec_err(raw_call(c, SIMD_OP_EXPORT, &grant, sizeof(grant), &xr, sizeof(xr), &xfd),
			CAEC_E_NOENT);
	assert_caec_err(raw_call(a, SIMD_OP_EXPORT, &grant, sizeof(grant), &xr, sizeof(xr), &xfd),
			CAEC_E_NOENT);
	/* malformed */
	struct simd_export_req bad1 = { .id = crep.region_id, .role = 2 };
	struct simd_export_req bad2 = { .id = crep.region_id, .role = 0, ._pad = 1 };
	assert_caec_err(raw_call(a, SIMD_OP_EXPORT, &bad1, sizeof(bad1), NULL, 0, &xfd), CAEC_E_INVAL);
	assert_caec_err(raw_call(a, SIMD_OP_EXPORT, &bad2, sizeof(bad2), NULL, 0, &xfd), CAEC_E_INVAL);
	assert_caec_err(raw_call(a, SIMD_OP_EXPORT, &region, sizeof(region) - 1, NULL, 0, &xfd),
			CAEC_E_PROTO);
	assert_int_equal(xfd, -1);

	/* the provider: read-only, of the region's size */
	assert_caec_err(raw_call(a, SIMD_OP_EXPORT, &region, sizeof(region), &xr, sizeof(xr), &xfd),
			CAEC_OK);
	assert_true(xfd >= 0);
	assert_int_equal(fcntl(xfd, F_GETFL) & O_ACCMODE, O_RDONLY);
	assert_int_equal(xr.size, 2 * CAEC_GRANULE_SIZE);
	assert_true(mmap(NULL, CAEC_GRANULE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, xfd, 0) ==
		    MAP_FAILED);
	close(xfd);
	/* the consumer, once attached (read-write grant): read-only too */
	struct simd_attach_req ar;
	struct simd_attach_rep arep;
	memset(&ar, 0, sizeof(ar));
	ar.grant_id = grep.grant_id;
	ar.base = 0x20000000;
	ar.size = 2 * CAEC_GRANULE_SIZE;
	assert_caec_err(raw_call(b, SIMD_OP_ATTACH, &ar, sizeof(ar), &arep, sizeof(arep), &mfd),
			CAEC_OK);
	close(mfd);
	xfd = -1;
	assert_caec_err(raw_call(b, SIMD_OP_EXPORT, &grant, sizeof(grant), &xr, sizeof(xr), &xfd),
			CAEC_OK);
	assert_true(xfd >= 0);
	assert_int_equal(fcntl(xfd, F_GETFL) & O_ACCMODE, O_RDONLY);
	close(xfd);
	assert_caec_err(raw_call(c, SIMD_OP_EXPORT, &grant, sizeof(grant), &xr, sizeof(xr), &xfd),
			CAEC_E_NOENT);
	close(a);
	close(b);
	close(c);
	close(ea);
	close(eb);
	close(ec);
	assert_daemon_serves();
}

/*
 * Descriptors a client pushes at the daemon are refused by the kernel
 * (SO_PASSRIGHTS: the send fails with EPERM) or, on older kernels,
 * closed, not kept: after 200 requests each carrying a descriptor, the
 * daemon holds no more descriptors than before.
 */
static void test_proto_unsolicited_fds_closed(void **state)
{
	(void)state;
	/* Settle first: the fixture's readiness probe is a connection the
	 * daemon may not have reaped yet. */
	assert_daemon_serves();
	nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
	int before = count_fds(simd.pid);
	assert_true(before > 0);
	int fd = raw_connect();
	uint64_t id = 0;
	assert_caec_err(hello(fd, &id, NULL), CAEC_OK);
	int junk = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (int i = 0; i < 200; i++) {
		unsigned char buf[64];
		struct simd_grant_list_req gq = { .index = 0 };
		size_t n = mkreq(buf, SIMD_OP_GRANT_LIST, (uint32_t)i, &gq, sizeof(gq));
		ssize_t sent = sockmsg_send(fd, buf, n, junk, 0);
		if (sent == -EPERM)
			sent = sockmsg_send(fd, buf, n, -1, 0);
		assert_true(sent == (ssize_t)n);
		assert_caec_err(reply_status(fd, NULL, NULL, 0), CAEC_E_NOENT);
	}
	close(junk);
	close(fd);
	/* Give the daemon a moment to reap the client. */
	for (int i = 0; i < 300 && count_fds(simd.pid) > before; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	if (count_fds(simd.pid) != before) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "ls -l /proc/%d/fd >&2", (int)simd.pid);
		(void)!system(cmd);
	}
	assert_int_equal(count_fds(simd.pid), before);
	assert_daemon_serves();
}

/*
 * Random packets (fixed seed, reproducible): the daemon answers or hangs
 * up, never crashes, and serves others afterwards.
 */
static void test_proto_random_garbage(void **state)
{
	(void)state;
	unsigned seed = 0xc0ffee;
	int fd = raw_connect();
	unsigned char buf[512];
	int iters = (int)(3000 * caec_test_scale());
	for (int i = 0; i < iters; i++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % sizeof(buf));
		for (size_t k = 0; k < n; k++)
			buf[k] = (unsigned char)rand_r(&seed);
		if (rand_r(&seed) % 2) { /* often a plausible header */
			struct simd_hdr *h = (struct simd_hdr *)buf;
			if (n < sizeof(*h))
				n = sizeof(*h) + (size_t)(rand_r(&seed) % 200);
			h->magic = SIMD_MAGIC;
			h->version = SIMD_PROTO_VERSION;
			h->op = (uint16_t)(rand_r(&seed) % (SIMD_OP_COUNT + 2));
			h->len = (uint32_t)n;
			h->status = 0;
			h->_pad = 0;
		}
		if (sockmsg_send(fd, buf, n, -1, 0) < 0 ||
		    reply_status(fd, NULL, NULL, 0) == 1) {
			close(fd);
			fd = raw_connect();
			/* Keep some clients past HELLO so deeper handlers run. */
			uint64_t id = 0;
			if (rand_r(&seed) % 2)
				assert_caec_err(hello(fd, &id, NULL), CAEC_OK);
		}
	}
	close(fd);
	assert_daemon_serves();
}

/*
 * A consumer that never acknowledges a revocation cannot hold the provider
 * hostage: caec_revoke() returns once the daemon's revoke timeout (300 ms
 * here) expires, and the daemon disconnects that consumer.  And the call
 * tells the truth: the consumer (alive, still holding its descriptor and
 * mapping) never confirmed the unmap, so the result is CAEC_E_UNCONFIRMED,
 * not CAEC_OK.
 */
static void test_proto_stalled_consumer_disconnected(void **state)
{
	(void)state;
	int fd = raw_connect();
	uint64_t cid = 0;
	int evfd = -1;
	assert_caec_err(hello(fd, &cid, &evfd), CAEC_OK);

	struct caec_ctx *prov;
	struct caec_region *r;
	uint64_t grant;
	assert_caec_ok(caec_open(&prov, NULL));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, cid, CAEC_PERM_RW, NULL, &grant));

	void *base = mmap(NULL, CAEC_GRANULE_SIZE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(base != MAP_FAILED);
	struct simd_attach_req ar;
	memset(&ar, 0, sizeof(ar));
	ar.grant_id = grant;
	ar.base = (uint64_t)(uintptr_t)base;
	ar.size = CAEC_GRANULE_SIZE;
	struct simd_attach_rep arep;
	int mfd = -1;
	assert_caec_err(raw_call(fd, SIMD_OP_ATTACH, &ar, sizeof(ar), &arep, sizeof(arep), &mfd), CAEC_OK);
	assert_true(mfd >= 0);
	close(mfd);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_caec_err(caec_revoke(r, grant), CAEC_E_UNCONFIRMED); /* we never ACK */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	/* It waited for the consumer (not instant), but not forever. */
	assert_true(ms >= 250.0);
	assert_true(ms < 5000.0);
	/* The stalled consumer was disconnected. */
	assert_int_equal(reply_status(fd, NULL, NULL, 0), 1);
	close(evfd);
	close(fd);
	munmap(base, CAEC_GRANULE_SIZE);
	assert_caec_ok(caec_unshare(r));
	caec_close(prov);
	assert_daemon_serves();
}


/*
 * HELLO decides the realm's measurement, taken through the PID that
 * connected, so it must come from that process: from a forked child on the
 * parent's connection (the parent could exec a trusted image meanwhile) it
 * is refused -- and the connector itself can still say HELLO afterwards.
 */
static void test_proto_hello_must_come_from_connector(void **state)
{
	(void)state;
	unsigned char buf[128];
	struct simd_hello_req rq;
	memset(&rq, 0, sizeof(rq));
	int fd = raw_connect();

	size_t n = mkreq(buf, SIMD_OP_HELLO, 1, &rq, sizeof(rq));
	pid_t pid = fork();
	if (pid == 0) {
		/* The child's own credentials: not the connector's PID. */
		if (sockmsg_send_creds(fd, buf, n) != (ssize_t)n)
			_exit(2);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_caec_err(reply_status(fd, NULL, NULL, 0), CAEC_E_DENIED);

	uint64_t id = 0;
	assert_caec_err(hello(fd, &id, NULL), CAEC_OK);
	assert_int_not_equal(id, 0);
	close(fd);
	assert_daemon_serves();
}

/*
 * Only the process that connected speaks for its realm, after HELLO too:
 * a child that inherited the socket (it could exec anything, or be
 * anything the parent forked) has every request refused, while the
 * realm's own process is still served on the same connection.
 */
static void test_proto_forked_child_cannot_speak_for_the_realm(void **state)
{
	(void)state;
	int fd = raw_connect();
	uint64_t id = 0;
	assert_int_equal(hello(fd, &id, NULL), 0);
	struct simd_grant_list_req gq = { .index = 0 };
	pid_t pid = fork();
	if (pid == 0) {
		int st = raw_call(fd, SIMD_OP_GRANT_LIST, &gq, sizeof(gq), NULL, 0, NULL);
		_exit(st == CAEC_E_DENIED ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(raw_call(fd, SIMD_OP_GRANT_LIST, &gq, sizeof(gq), NULL, 0, NULL),
			 CAEC_E_NOENT);
	close(fd);
	assert_daemon_serves();
}

/*
 * The realm ends when the process that connected exits, even if a child
 * that inherited its socket (and event socket) keeps them open and says
 * nothing: the daemon watches the connector's pidfd and hangs up on its
 * own.  Then the realm's grant is gone for a third realm, and the child's
 * next request is refused (the connection is closed).
 */
static void test_proto_realm_ends_with_its_process(void **state)
{
	(void)state;
	struct caec_ctx *third;
	uint64_t third_id;
	assert_caec_ok(caec_open(&third, NULL));
	assert_caec_ok(caec_self_id(third, &third_id));
	int up[2], down[2];
	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	pid_t conn = fork();
	assert_true(conn >= 0);
	if (conn == 0) {
		/* The connector: a realm with a region granted to `third`. */
		close(up[0]);
		close(down[1]);
		int fd = raw_connect_to(simd.sock);
		uint64_t id = 0, grant = 0;
		int evfd = -1, memfd = -1;
		if (fd < 0 || raw_hello(fd, &id, &evfd) != 0 || evfd < 0)
			_exit(2);
		void *base = mmap(NULL, CAEC_GRANULE_SIZE, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct simd_share_req sq = { .base = (uint64_t)(uintptr_t)base,
					     .size = CAEC_GRANULE_SIZE };
		struct simd_share_rep sr;
		if (base == MAP_FAILED ||
		    raw_request(fd, SIMD_OP_SHARE, &sq, sizeof(sq), &sr, sizeof(sr), &memfd) != 0)
			_exit(3);
		close(memfd);
		struct simd_grant_req gq;
		struct simd_grant_rep gr;
		memset(&gq, 0, sizeof(gq));
		gq.region_id = sr.region_id;
		gq.consumer = third_id;
		gq.perm = CAEC_PERM_RO;
		if (raw_request(fd, SIMD_OP_GRANT, &gq, sizeof(gq), &gr, sizeof(gr), NULL) != 0)
			_exit(4);
		grant = gr.grant_id;
		pid_t kid = fork();
		if (kid < 0)
			_exit(5);
		if (kid == 0) {
			/* Holds both sockets; silent until the daemon hangs up
			 * (reported as 1) or 10 s pass (0: the realm lives on). */
			struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
			int hung = poll(&p, 1, 10000) == 1 && (p.revents & (POLLHUP | POLLRDHUP));
			if (write(up[1], &hung, sizeof(hung)) != (ssize_t)sizeof(hung))
				_exit(6);
			char go;
			if (read(down[0], &go, 1) != 1)
				_exit(7);
			/* Its next request: refused, by a closed connection. */
			struct simd_grant_list_req lq = { .index = 0 };
			int st = raw_request(fd, SIMD_OP_GRANT_LIST, &lq, sizeof(lq), NULL, 0, NULL);
			if (write(up[1], &st, sizeof(st)) != (ssize_t)sizeof(st))
				_exit(8);
			close(evfd);
			_exit(0);
		}
		if (write(up[1], &grant, sizeof(grant)) != (ssize_t)sizeof(grant))
			_exit(9);
		_exit(0); /* the connector exits; its child keeps the sockets */
	}
	close(up[1]);
	close(down[0]);
	uint64_t grant = 0;
	assert_int_equal(read(up[0], &grant, sizeof(grant)), (ssize_t)sizeof(grant));
	int st;
	assert_int_equal(waitpid(conn, &st, 0), conn);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* The daemon hangs up on the child without being asked anything... */
	int hung = 0;
	assert_int_equal(read(up[0], &hung, sizeof(hung)), (ssize_t)sizeof(hung));
	assert_int_equal(hung, 1);
	/* ...having removed the realm: its grant no longer exists (an
	 * unknown grant is denied; while the realm lived it attached). */
	struct caec_region *r = NULL;
	assert_caec_err(caec_attach(third, grant, NULL, &r), CAEC_E_DENIED);
	/* And the child's request is not served. */
	assert_int_equal(write(down[1], "g", 1), 1);
	int req = 0;
	assert_int_equal(read(up[0], &req, sizeof(req)), (ssize_t)sizeof(req));
	assert_int_equal(req, 1); /* EOF: the daemon closed the connection */
	close(up[0]);
	close(down[1]);
	caec_close(third);
	assert_daemon_serves();
}

int main(void)
{
	caec_test_filter();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_proto_framing_errors_disconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_semantic_errors_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_export_needs_the_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_unsolicited_fds_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_hello_must_come_from_connector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_forked_child_cannot_speak_for_the_realm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_realm_ends_with_its_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_random_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proto_stalled_consumer_disconnected, setup, teardown),
	};
	return cmocka_run_group_tests_name("hostile protocol clients", tests, NULL, NULL);
}
