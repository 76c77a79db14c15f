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
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
	struct caec_config cfg = { .size = sizeof(cfg), .timeout_ms = 3000 };
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
	assert_int_equal(cl.relations[0].region_id, caec_region_id(own));
	assert_int_equal(cl.relations[0].role, CAEC_TOKEN_ROLE_PROVIDER);
	const struct caec_token_relation *last = &cl.relations[CAEC_TOKEN_MAX_RELATIONS - 1];
	assert_int_equal(last->region_id, CAEC_TOKEN_REL_SUMMARY);
	assert_int_equal(last->grant_id, 1 + 64 - (CAEC_TOKEN_MAX_RELATIONS - 1));
	put(c.down[1], 1);
	assert_int_equal(wait_child(att), 0);
	assert_caec_ok(caec_unshare(own));
	caec_close(victim);
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
	};
	return cmocka_run_group_tests_name("denial of service between clients", tests, NULL, NULL);
}
