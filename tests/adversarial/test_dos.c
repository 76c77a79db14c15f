/* SPDX-License-Identifier: Apache-2.0 */
/*
 * No client can deny service to another.
 *
 * Each test is an attack a hostile local process could make on caec-simd,
 * followed by a check that a bystander realm is still served and the
 * victim still connected:
 *  - a consumer attaching and detaching in a loop while its provider
 *    cannot read its events (notifications are coalesced, the provider is
 *    not disconnected);
 *  - HELLO from a huge executable, and a seal of a huge region (the
 *    hashing runs on a worker, the loop goes on: bystanders' calls and a
 *    consumer's prompt acknowledgement are not delayed past their limits);
 *  - thousands of idle connections, and connections that never say HELLO;
 *  - one user creating regions, or granting to a victim, without end.
 * Attackers are separate processes, of another user where the limit is
 * per user.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include <caec/attest.h>

#include "adv_util.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	/* Any user may connect (the attackers are other users); the test's
	 * own realms are root: development mode. */
	static const char *const args[] = { "--allow-insecure-realms",
		"--revoke-timeout-ms", "500", "--max-image-mib", "8192", NULL };
	return caec_test_start_simd_secure(&simd, args) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL);
}

/* Huge sizes shrink under sanitizers (CAEC_TEST_SCALE < 1): what matters
 * there is that the code paths run, not that the stall would be long. */
static uint64_t huge(void)
{
	double s = caec_test_scale();
	uint64_t gib4 = UINT64_C(4) << 30;
	if (s >= 1.0)
		return gib4;
	return UINT64_C(256) << 20;
}

/* The daemon process is still there (not exited). */
static bool daemon_alive(void)
{
	return waitpid(simd.pid, NULL, WNOHANG) == 0;
}

/*
 * A consumer attaches and detaches in a loop while its provider is
 * stopped (it cannot read its event socket).  The provider is not
 * disconnected: when it runs again it is still a realm and its region is
 * still there.
 */
static void test_dos_notification_flood_keeps_provider(void **state)
{
	(void)state;
	struct chan c;
	chan_open(&c);
	pid_t prov = fork();
	assert_true(prov >= 0);
	if (prov == 0) {
		chan_child_side(&c);
		struct caec_ctx *ctx;
		struct caec_region *r, *r2;
		uint64_t grant;
		CHILD_OK(caec_open(&ctx, NULL));
		uint64_t cons = get(c.down[0]);
		CHILD_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
		CHILD_OK(caec_grant(r, cons, CAEC_PERM_RW, NULL, &grant));
		put(c.up[1], grant);
		get(c.down[0]); /* after the flood */
		int rc = caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r2);
		put(c.up[1], (uint64_t)(rc < 0 ? -rc : 0));
		get(c.down[0]);
		caec_close(ctx);
		_exit(0);
	}
	chan_parent_side(&c);
	struct caec_ctx *ctx;
	struct caec_region *a;
	uint64_t self;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_self_id(ctx, &self));
	put(c.down[1], self);
	uint64_t grant = get(c.up[0]);
	assert_int_equal(kill(prov, SIGSTOP), 0);
	int n = (int)(3000 * caec_test_scale());
	if (n < 600)
		n = 600; /* several times what fits in a socket's buffer */
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = caec_attach(ctx, grant, NULL, &a);
		if (rc == 0)
			rc = caec_detach(a);
	}
	kill(prov, SIGCONT);
	assert_caec_ok(rc);
	put(c.down[1], 1);
	assert_int_equal(get(c.up[0]), 0); /* the provider is still served */
	assert_caec_ok(caec_attach(ctx, grant, NULL, &a));
	assert_caec_ok(caec_detach(a));
	put(c.down[1], 1);
	assert_int_equal(wait_child(prov), 0);
	caec_close(ctx);
}

struct revoke_arg {
	struct caec_region *r;
	uint64_t grant;
	int rc;
};

static void *revoke_thread(void *p)
{
	struct revoke_arg *a = p;
	a->rc = caec_revoke(a->r, a->grant);
	return NULL;
}

/* Start caec-test-realm padded to `size` bytes (sparse) in raw mode. */
static pid_t big_realm(const char *dir, uint64_t size, FILE **in, FILE **out)
{
	char big[128], cmd[1024];
	const char *b = getenv("CAEC_BUILD_ROOT");
	assert_non_null(b);
	snprintf(big, sizeof(big), "%s/big-realm", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s/tests/adversarial/caec-test-realm' '%s'", b, big);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(truncate(big, (off_t)size), 0);
	int to[2], from[2];
	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char lib[600];
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		/* The copy is elsewhere: its $ORIGIN run path finds no libcaec. */
		snprintf(lib, sizeof(lib), "%s/src", b);
		setenv("LD_LIBRARY_PATH", lib, 1);
		execl(big, big, "raw", simd.sock, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	*in = fdopen(to[1], "w");
	*out = fdopen(from[0], "r");
	return pid;
}

static void expect_line(FILE *f, const char *want)
{
	char line[128];
	assert_non_null(fgets(line, sizeof(line), f));
	line[strcspn(line, "\n")] = '\0';
	assert_string_equal(line, want);
}

/*
 * HELLO from a process whose executable is huge (sparse: reading it is
 * cheap, hashing it is not) arrives in the same turn as a revocation.
 * The consumer acknowledges in milliseconds; the measurement takes
 * seconds.  The consumer must not be disconnected as "did not unmap", the
 * revoke must report a confirmed unmap, and bystanders are served while
 * the measurement runs.
 */
static void test_dos_huge_image_does_not_stall_others(void **state)
{
	(void)state;
	char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/caec-big-XXXXXX");
	assert_non_null(mkdtemp(dir));
	struct caec_ctx *prov, *cons;
	struct caec_region *r, *a, *r2;
	uint64_t cid, grant;
	assert_caec_ok(caec_open(&prov, NULL));
	assert_caec_ok(caec_open(&cons, NULL));
	assert_caec_ok(caec_self_id(cons, &cid));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, cid, CAEC_PERM_RW, NULL, &grant));
	assert_caec_ok(caec_attach(cons, grant, NULL, &a));

	FILE *in, *out;
	pid_t big = big_realm(dir, huge(), &in, &out);
	expect_line(out, "ready");
	/* Let the HELLO and the revocation arrive together. */
	assert_int_equal(kill(simd.pid, SIGSTOP), 0);
	fprintf(in, "go\n");
	fflush(in);
	expect_line(out, "sent");
	struct revoke_arg ra = { r, grant, 1 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, revoke_thread, &ra), 0);
	sleep_ms(200); /* the request is in the socket */
	kill(simd.pid, SIGCONT);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_caec_ok(ra.rc); /* confirmed, not CAEC_E_UNCONFIRMED */
	assert_true(caec_region_is_revoked(a));
	/* The consumer is still a realm, and bystanders are served. */
	assert_int_equal(caec_grant_list(cons, NULL, 0), 0);
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r2));
	assert_caec_ok(caec_unshare(r2));
	kill(big, SIGKILL);
	wait_child(big);
	fclose(in);
	fclose(out);
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_unshare(r));
	caec_close(cons);
	caec_close(prov);
	char p[128];
	snprintf(p, sizeof(p), "%s/big-realm", dir);
	unlink(p);
	rmdir(dir);
}

struct seal_arg {
	struct caec_region *r;
	int rc;
};

static void *seal_thread(void *p)
{
	struct seal_arg *s = p;
	uint8_t h[32];
	s->rc = caec_seal(s->r, h, sizeof(h));
	return NULL;
}

/*
 * Sealing a huge (sparse) region hashes all of it.  Meanwhile other realms
 * -- with a request timeout well below the hashing time -- share, grant
 * and attach as usual.
 */
static void test_dos_huge_seal_does_not_stall_others(void **state)
{
	(void)state;
	struct caec_config cfg = { .size = sizeof(cfg), .timeout_ns = 3000 * 1000000ll };
	struct caec_ctx *prov, *b1, *b2;
	struct caec_region *r, *x, *y;
	uint64_t id2, g;
	assert_caec_ok(caec_open(&prov, NULL));
	assert_caec_ok(caec_open(&b1, &cfg));
	assert_caec_ok(caec_open(&b2, &cfg));
	assert_caec_ok(caec_self_id(b2, &id2));
	assert_caec_ok(caec_share(prov, (size_t)huge(), 0, &r));
	((unsigned char *)caec_region_addr(r))[12345] = 1;
	struct seal_arg sa = { r, 0 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, seal_thread, &sa), 0);
	sleep_ms(300); /* the seal is under way */
	assert_caec_ok(caec_share(b1, CAEC_GRANULE_SIZE, 0, &x));
	assert_caec_ok(caec_grant(x, id2, CAEC_PERM_RW, NULL, &g));
	assert_caec_ok(caec_attach(b2, g, NULL, &y));
	assert_caec_ok(caec_detach(y));
	assert_caec_ok(caec_unshare(x));
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(sa.rc, 32);
	assert_true(caec_region_is_sealed(r));
	assert_caec_ok(caec_unshare(r));
	caec_close(b2);
	caec_close(b1);
	caec_close(prov);
}

/*
 * Another user opens thousands of connections and says nothing.  The
 * daemon neither exits nor stops serving: a realm of this user still
 * opens and shares.
 */
static void test_dos_many_idle_connections(void **state)
{
	(void)state;
	need_root();
	struct chan c;
	chan_open(&c);
	pid_t att = fork();
	assert_true(att >= 0);
	if (att == 0) {
		chan_child_side(&c);
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(1)) == 0);
		struct rlimit rl;
		CHILD_CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		long n = (long)rl.rlim_cur - 64;
		if (n > 10000)
			n = 10000;
		long made = 0;
		for (long i = 0; i < n; i++)
			if (raw_connect_to(simd.sock) >= 0)
				made++;
		put(c.up[1], (uint64_t)made);
		get(c.down[0]);
		_exit(0);
	}
	chan_parent_side(&c);
	uint64_t made = get(c.up[0]);
	assert_true(made > 500);
	assert_true(daemon_alive());
	struct caec_ctx *ctx;
	struct caec_region *r;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
	assert_true(daemon_alive());
}

/* A connection that never says HELLO is closed (default: after 5 s). */
static void test_dos_silent_connection_times_out(void **state)
{
	(void)state;
	int fd = raw_connect_to(simd.sock);
	assert_true(fd >= 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 30000), 1);
	char b;
	assert_int_equal(recv(fd, &b, 1, 0), 0); /* end of file */
	close(fd);
}

/*
 * One user's realms create regions until the platform says
 * CAEC_E_QUOTA (default: 1024 per user).  Another user still shares, and
 * a new realm still joins.
 */
static void test_dos_region_quota(void **state)
{
	(void)state;
	need_root();
	struct chan c;
	chan_open(&c);
	pid_t att = fork();
	assert_true(att >= 0);
	if (att == 0) {
		chan_child_side(&c);
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(2)) == 0);
		struct caec_ctx *ctx;
		struct caec_region *r;
		CHILD_OK(caec_open(&ctx, NULL));
		int rc = 0;
		uint64_t n = 0;
		for (; n < 1100; n++)
			if ((rc = caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r)) < 0)
				break;
		put(c.up[1], n);
		put(c.up[1], (uint64_t)-rc);
		get(c.down[0]);
		caec_close(ctx);
		_exit(0);
	}
	chan_parent_side(&c);
	uint64_t n = get(c.up[0]);
	uint64_t err = get(c.up[0]);
	assert_int_equal(err, (uint64_t)-CAEC_E_QUOTA);
	assert_int_equal(n, 1024);
	struct caec_ctx *ctx, *late;
	struct caec_region *r;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_open(&late, NULL));
	assert_caec_ok(caec_unshare(r));
	caec_close(late);
	caec_close(ctx);
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
}

/*
 * Another user's realm grants a victim realm region after region, unasked.
 * After 64 unattached grants (default) further ones are refused
 * (CAEC_E_QUOTA), and the victim still gets its token: 64 relations, its
 * own region first, the last one a summary counting what was left out.
 */
static void test_dos_unsolicited_grants_cannot_block_tokens(void **state)
{
	(void)state;
	need_root();
	/* The attacker is forked before this process opens a context (and
	 * so starts a thread): a threaded fork is what TSan cannot follow. */
	struct chan c;
	chan_open(&c);
	pid_t att = fork();
	assert_true(att >= 0);
	if (att == 0) {
		chan_child_side(&c);
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(3)) == 0);
		uint64_t victim = get(c.down[0]);
		struct caec_ctx *ctx;
		struct caec_region *r;
		uint64_t g;
		CHILD_OK(caec_open(&ctx, NULL));
		int rc = 0;
		uint64_t n = 0;
		for (; n < 70; n++) {
			CHILD_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
			if ((rc = caec_grant(r, victim, CAEC_PERM_RO, NULL, &g)) < 0)
				break;
		}
		put(c.up[1], n);
		put(c.up[1], (uint64_t)-rc);
		get(c.down[0]);
		caec_close(ctx);
		_exit(0);
	}
	chan_parent_side(&c);
	struct caec_ctx *victim;
	struct caec_region *own;
	uint64_t vid;
	assert_caec_ok(caec_open(&victim, NULL));
	assert_caec_ok(caec_self_id(victim, &vid));
	assert_caec_ok(caec_share(victim, CAEC_GRANULE_SIZE, 0, &own));
	put(c.down[1], vid);
	uint64_t n = get(c.up[0]);
	assert_int_equal(get(c.up[0]), (uint64_t)-CAEC_E_QUOTA);
	assert_int_equal(n, 64);
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 0 };
	int len = caec_attest_token(victim, ch, tok, sizeof(tok));
	assert_caec_ok(len);
	cl.size = sizeof(cl);
	assert_caec_ok(caec_token_parse(tok, (size_t)len, &cl));
	assert_int_equal(cl.n_relations, CAEC_TOKEN_MAX_RELATIONS);
	assert_int_equal(cl.relations[0].region_id, caec_region_region_id(own));
	assert_int_equal(cl.relations[0].role, CAEC_TOKEN_ROLE_PROVIDER);
	const struct caec_token_relation *last = &cl.relations[CAEC_TOKEN_MAX_RELATIONS - 1];
	assert_int_equal(last->region_id, CAEC_TOKEN_REL_SUMMARY);
	assert_int_equal(last->grant_id, 1 + 64 - (CAEC_TOKEN_MAX_RELATIONS - 1));
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
	assert_caec_ok(caec_unshare(own));
	caec_close(victim);
}

/*
 * A TCP socket whose close() lingers: SO_LINGER set, and data queued that
 * cannot leave (its peer, *peer, never reads and has a tiny window).
 * Whoever drops the last reference to it waits in close() for up to
 * `seconds`.  -1 if loopback TCP is unavailable.
 */
static int lingering_socket(int seconds, int *peer, int *lis)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int small = 4096;
	*lis = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*lis < 0)
		return -1;
	(void)setsockopt(*lis, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (bind(*lis, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(*lis, 1) < 0 ||
	    getsockname(*lis, (struct sockaddr *)&a, &al) < 0)
		return -1;
	int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t < 0)
		return -1;
	(void)setsockopt(t, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	if (connect(t, (struct sockaddr *)&a, sizeof(a)) < 0)
		return -1;
	*peer = accept(*lis, NULL, NULL);
	if (*peer < 0)
		return -1;
	static char junk[65536];
	while (send(t, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	struct linger lg = { .l_onoff = 1, .l_linger = seconds };
	if (setsockopt(t, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		return -1;
	return t;
}

/*
 * Another user's realm sends caec-simd descriptors whose last close()
 * blocks (a TCP socket lingering on data it cannot send), on its request
 * socket and on its event socket, and drops its own copies.  The daemon
 * must not be the one left closing them: the kernel refuses descriptors
 * to its sockets (SO_PASSRIGHTS), so a bystander -- with a request timeout
 * well below the linger time -- opens and shares as usual.
 */
static void test_dos_passed_descriptors_cannot_block_the_daemon(void **state)
{
	(void)state;
	need_root();
	int probe[2], zero = 0;
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, probe), 0);
	bool refusable = setsockopt(probe[0], SOL_SOCKET, 83 /* SO_PASSRIGHTS */, &zero,
				    sizeof(zero)) == 0;
	close(probe[0]);
	close(probe[1]);
	if (!refusable)
		skip(); /* Linux < 6.16: documented in docs/sim-platform.md */
	struct chan c;
	chan_open(&c);
	pid_t att = fork();
	assert_true(att >= 0);
	if (att == 0) {
		chan_child_side(&c);
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(4)) == 0);
		int fd = raw_connect_to(simd.sock);
		CHILD_CHECK(fd >= 0);
		uint64_t id;
		int evfd = -1;
		CHILD_RC(raw_hello(fd, &id, &evfd), 0);
		int peer1, lis1, peer2, lis2;
		int t1 = lingering_socket(60, &peer1, &lis1);
		int t2 = lingering_socket(60, &peer2, &lis2);
		CHILD_CHECK(t1 >= 0 && t2 >= 0);
		put(c.up[1], 1);
		get(c.down[0]); /* the daemon is stopped: our copies close first */
		struct simd_hdr h = { .magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION,
				      .op = SIMD_OP_GRANT_LIST, .seq = 1,
				      .len = sizeof(h) + sizeof(struct simd_grant_list_req) };
		unsigned char req[sizeof(h) + sizeof(struct simd_grant_list_req)] = { 0 };
		memcpy(req, &h, sizeof(h));
		struct simd_event ack = { .magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION,
					  .type = SIMD_EV_ACK, .id = 1 };
		/* Whether the kernel let them through is not the point: the
		 * daemon must be unaffected either way.  A socket the kernel
		 * refused is still only ours: close it without lingering. */
		struct linger now = { .l_onoff = 1, .l_linger = 0 };
		if (sockmsg_send(fd, req, sizeof(req), t1, 0) < 0)
			(void)setsockopt(t1, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
		if (sockmsg_send(evfd, &ack, sizeof(ack), t2, 0) < 0)
			(void)setsockopt(t2, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
		close(t1);
		close(t2);
		put(c.up[1], 1);
		get(c.down[0]); /* keep the peers (and the zero windows) until told */
		_exit(0);
	}
	chan_parent_side(&c);
	assert_int_equal(get(c.up[0]), 1);
	/* Stopped, the daemon cannot read (and close) a descriptor before
	 * the attacker has dropped its own copy: the daemon's close() would
	 * be the last, the one that lingers. */
	assert_int_equal(kill(simd.pid, SIGSTOP), 0);
	put(c.down[1], 1);
	assert_int_equal(get(c.up[0]), 1);
	kill(simd.pid, SIGCONT);
	sleep_ms(200); /* the daemon has read what was sent */
	struct caec_config cfg = { .size = sizeof(cfg), .timeout_ns = 3000 * 1000000ll };
	struct caec_ctx *ctx;
	struct caec_region *r;
	int rc = caec_open(&ctx, &cfg);
	if (rc == 0) {
		rc = caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r);
		if (rc == 0)
			rc = caec_unshare(r);
		caec_close(ctx);
	}
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
	assert_caec_ok(rc);
	assert_true(daemon_alive());
}

/*
 * Another user's realms seal regions whose pages they keep pinned (a
 * pipe holds references to them, from vmsplice()).  Adding F_SEAL_WRITE
 * then makes the kernel wait for the pins to go (about 150 ms) before it
 * fails: if that wait happens in the event loop, 40 such seals in a row
 * stall everyone for seconds.  A bystander with a 3 s request timeout must
 * still open and share while the seals keep coming.
 */
#define PIN_CONNS 40
static void test_dos_seals_of_pinned_pages_do_not_stall_others(void **state)
{
	(void)state;
	need_root();
	struct chan c;
	chan_open(&c);
	pid_t att = fork();
	assert_true(att >= 0);
	if (att == 0) {
		chan_child_side(&c);
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(5)) == 0);
		int fds[PIN_CONNS];
		uint64_t regions[PIN_CONNS];
		for (int i = 0; i < PIN_CONNS; i++) {
			uint64_t id;
			fds[i] = raw_connect_to(simd.sock);
			CHILD_CHECK(fds[i] >= 0);
			CHILD_RC(raw_hello(fds[i], &id, NULL), 0);
			void *base = mmap(NULL, CAEC_GRANULE_SIZE, PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			struct simd_share_req rq = { (uint64_t)(uintptr_t)base, CAEC_GRANULE_SIZE };
			struct simd_share_rep rp;
			int mfd = -1;
			CHILD_RC(raw_request(fds[i], SIMD_OP_SHARE, &rq, sizeof(rq), &rp,
					     sizeof(rp), &mfd), 0);
			regions[i] = rp.region_id;
			char *p = mmap(NULL, CAEC_GRANULE_SIZE, PROT_READ | PROT_WRITE,
				       MAP_SHARED, mfd, 0);
			CHILD_CHECK(p != MAP_FAILED);
			p[0] = 1;
			int pp[2];
			CHILD_CHECK(pipe(pp) == 0);
			struct iovec iov = { p, CAEC_GRANULE_SIZE };
			CHILD_CHECK(vmsplice(pp[1], &iov, 1, 0) == CAEC_GRANULE_SIZE);
			munmap(p, CAEC_GRANULE_SIZE);
			close(mfd);
		}
		put(c.up[1], 1);
		/* Seal every region, again and again, until told to stop. */
		for (;;) {
			struct pollfd stop = { .fd = c.down[0], .events = POLLIN };
			if (poll(&stop, 1, 0) == 1)
				break;
			for (int i = 0; i < PIN_CONNS; i++) {
				struct simd_hdr h = { .magic = SIMD_MAGIC,
						      .version = SIMD_PROTO_VERSION,
						      .op = SIMD_OP_SEAL, .seq = 1,
						      .len = sizeof(h) + sizeof(struct simd_id_req) };
				unsigned char req[sizeof(h) + sizeof(struct simd_id_req)];
				struct simd_id_req id = { regions[i] };
				memcpy(req, &h, sizeof(h));
				memcpy(req + sizeof(h), &id, sizeof(id));
				CHILD_CHECK(sockmsg_send(fds[i], req, sizeof(req), -1, 0) ==
					    (ssize_t)sizeof(req));
			}
			for (int i = 0; i < PIN_CONNS; i++) {
				unsigned char rep[SIMD_MSG_MAX];
				struct simd_hdr h;
				CHILD_CHECK(sockmsg_recv(fds[i], rep, sizeof(rep), NULL, 0) >=
					    (ssize_t)sizeof(h));
				memcpy(&h, rep, sizeof(h));
				CHILD_CHECK(h.status == CAEC_E_STATE); /* pinned: never sealed */
			}
		}
		_exit(0);
	}
	chan_parent_side(&c);
	assert_int_equal(get(c.up[0]), 1);
	sleep_ms(300); /* the seals are under way */
	struct caec_config cfg = { .size = sizeof(cfg), .timeout_ns = 3000 * 1000000ll };
	struct caec_ctx *ctx;
	struct caec_region *r;
	int rc = caec_open(&ctx, &cfg);
	if (rc == 0) {
		rc = caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r);
		if (rc == 0)
			rc = caec_unshare(r);
		caec_close(ctx);
	}
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
	assert_caec_ok(rc);
}

/*
 * Another user's process maps many huge (sparse) files executable and
 * says HELLO on two connections: two measurements of seconds each, one
 * per worker.  Measurements must take their turn with other users' work
 * (in steps, round robin), not hold a worker to the end: a bystander with
 * a 3 s request timeout must still open and share meanwhile.
 */
#define BIG_FILES 8
static void test_dos_huge_measurements_do_not_starve_others(void **state)
{
	(void)state;
	need_root();
	char dir[64];
	snprintf(dir, sizeof(dir), "/tmp/caec-bigm-XXXXXX");
	assert_non_null(mkdtemp(dir));
	unsigned uid = caec_test_uid(6);
	assert_int_equal(chown(dir, uid, uid), 0);
	struct chan c;
	chan_open(&c);
	pid_t att = fork();
	assert_true(att >= 0);
	if (att == 0) {
		chan_child_side(&c);
		CHILD_CHECK(caec_test_drop_to(uid) == 0);
		for (int i = 0; i < BIG_FILES; i++) {
			char p[128];
			snprintf(p, sizeof(p), "%s/code%d", dir, i);
			int f = open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
			CHILD_CHECK(f >= 0);
			CHILD_CHECK(ftruncate(f, (off_t)huge()) == 0);
			CHILD_CHECK(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, f, 0) !=
				    MAP_FAILED);
			close(f);
			unlink(p);
		}
		int fds[2];
		for (int i = 0; i < 2; i++) {
			fds[i] = raw_connect_to(simd.sock);
			CHILD_CHECK(fds[i] >= 0);
			unsigned char buf[64];
			struct simd_hello_req rq = { 0 };
			struct simd_hdr h = { .magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION,
					      .op = SIMD_OP_HELLO, .seq = 1,
					      .len = sizeof(h) + sizeof(rq) };
			memcpy(buf, &h, sizeof(h));
			memcpy(buf + sizeof(h), &rq, sizeof(rq));
			CHILD_CHECK(sockmsg_send_creds(fds[i], buf, h.len) == (ssize_t)h.len);
		}
		put(c.up[1], 1);
		get(c.down[0]);
		_exit(0);
	}
	chan_parent_side(&c);
	assert_int_equal(get(c.up[0]), 1);
	sleep_ms(300); /* both measurements are under way */
	struct caec_config cfg = { .size = sizeof(cfg), .timeout_ns = 3000 * 1000000ll };
	struct caec_ctx *ctx;
	struct caec_region *r;
	int rc = caec_open(&ctx, &cfg);
	if (rc == 0) {
		rc = caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r);
		if (rc == 0)
			rc = caec_unshare(r);
		caec_close(ctx);
	}
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
	rmdir(dir);
	assert_caec_ok(rc);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dos_notification_flood_keeps_provider, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_huge_image_does_not_stall_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_huge_seal_does_not_stall_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_many_idle_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_silent_connection_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_region_quota, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_unsolicited_grants_cannot_block_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_passed_descriptors_cannot_block_the_daemon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_seals_of_pinned_pages_do_not_stall_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dos_huge_measurements_do_not_starve_others, setup, teardown),
	};
	return cmocka_run_group_tests_name("denial of service between clients", tests, NULL, NULL);
}
