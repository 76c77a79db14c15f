/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The measurement describes the code that speaks for the realm.
 *
 * A grant policy names a consumer's RIM.  Code the executable file does
 * not contain -- a library forced in with LD_PRELOAD, or a program run
 * through the dynamic loader (ld.so PROGRAM, where the executable is the
 * loader) -- must change the measurement, so a policy naming the clean
 * program's RIM refuses it.  The realms here are separate programs
 * (caec-test-realm, started as the attack needs).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "adv_util.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	return caec_test_start_simd(&simd, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

/* A running caec-test-realm in "rim" mode. */
struct helper {
	pid_t pid;
	FILE *in, *out;
	char rim[160];
	uint64_t id;
};

/* Start argv (argv[0] is the program) with up to two extra environment
 * entries (NULL: none). */
static void helper_start2(struct helper *h, const char *const *argv, const char *env1,
			  const char *env2)
{
	int to[2], from[2];
	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	h->pid = fork();
	assert_true(h->pid >= 0);
	if (h->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		if (env1)
			putenv((char *)env1);
		if (env2)
			putenv((char *)env2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	h->in = fdopen(to[1], "w");
	h->out = fdopen(from[0], "r");
	char line[256];
	assert_non_null(fgets(line, sizeof(line), h->out));
	if (sscanf(line, "RIM %159s", h->rim) != 1)
		fail_msg("helper: %s", line);
	assert_non_null(fgets(line, sizeof(line), h->out));
	assert_int_equal(sscanf(line, "ID %" SCNx64, &h->id), 1);
}

static void helper_start(struct helper *h, const char *const *argv, const char *env1)
{
	helper_start2(h, argv, env1, NULL);
}

static const char *helper_attach(struct helper *h, uint64_t grant)
{
	static char line[256];
	fprintf(h->in, "attach %016" PRIx64 "\n", grant);
	fflush(h->in);
	assert_non_null(fgets(line, sizeof(line), h->out));
	line[strcspn(line, "\n")] = '\0';
	return line + 7; /* after "ATTACH " */
}

static void helper_stop(struct helper *h)
{
	fprintf(h->in, "quit\n");
	fclose(h->in);
	fclose(h->out);
	assert_int_equal(wait_child(h->pid), 0);
}

static const char *helper_path(void)
{
	static char p[512];
	const char *b = getenv("CAEC_BUILD_ROOT");
	assert_non_null(b);
	snprintf(p, sizeof(p), "%s/tests/adversarial/caec-test-realm", b);
	return p;
}

static void hex_rim(const char *hex, struct caec_grant_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->size = sizeof(*pol);
	pol->rim_len = (uint32_t)strlen(hex) / 2;
	for (uint32_t i = 0; i < pol->rim_len; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &pol->rim[i]), 1);
}

/*
 * LD_PRELOAD: the same executable with a preloaded library measures
 * differently, and a grant whose policy names the clean program's RIM
 * cannot be attached by it; the clean program attaches.
 */
static void test_measure_preloaded_code_changes_the_rim(void **state)
{
	(void)state;
	const char *b = getenv("CAEC_BUILD_ROOT");
	char env[600];
	snprintf(env, sizeof(env), "LD_PRELOAD=%s/tests/adversarial/libcaec_test_preload.so", b);
	const char *argv[] = { helper_path(), "rim", NULL };
	struct helper clean, pre;
	helper_start(&clean, argv, NULL);
	/* Under ASan the runtime must come first; preloading anything else
	 * first is what this test does on purpose. */
	helper_start2(&pre, argv, env, "ASAN_OPTIONS=verify_asan_link_order=0");
	assert_string_not_equal(clean.rim, pre.rim);

	struct caec_ctx *ctx;
	struct caec_region *r;
	struct caec_grant_policy pol;
	uint64_t g_clean, g_pre;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	hex_rim(clean.rim, &pol);
	assert_caec_ok(caec_grant(r, clean.id, CAEC_PERM_RO, &pol, &g_clean));
	assert_caec_ok(caec_grant(r, pre.id, CAEC_PERM_RO, &pol, &g_pre));
	assert_string_equal(helper_attach(&clean, g_clean), "CAEC_OK");
	assert_string_equal(helper_attach(&pre, g_pre), "CAEC_E_DENIED");
	helper_stop(&clean);
	helper_stop(&pre);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/* The dynamic loader this test runs with (its PT_INTERP), from our maps. */
static void find_loader(char *out, size_t cap)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	out[0] = '\0';
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');
		if (p && strstr(p, "/ld-linux")) {
			p[strcspn(p, "\n")] = '\0';
			snprintf(out, cap, "%s", p);
			break;
		}
	}
	fclose(f);
	if (!out[0])
		skip();
}

/*
 * ld.so PROGRAM: the executable is the loader, for every program run that
 * way.  Two different programs run through it must not measure the same,
 * and neither measures like the program run directly.
 */
static void test_measure_programs_run_by_the_loader_differ(void **state)
{
	(void)state;
	char ld[256], dir[64], copy[128], cmd[1024];
	find_loader(ld, sizeof(ld));
	snprintf(dir, sizeof(dir), "/tmp/caec-measure-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	/* Another program: the same one with a byte more (ignored when it
	 * runs, but a different file). */
	snprintf(copy, sizeof(copy), "%s/other-realm", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && printf x >> '%s'", helper_path(), copy, copy);
	assert_int_equal(system(cmd), 0);

	const char *direct[] = { helper_path(), "rim", NULL };
	const char *via1[] = { ld, helper_path(), "rim", NULL };
	const char *via2[] = { ld, copy, "rim", NULL };
	/* The copy is elsewhere: its $ORIGIN run path finds no libcaec. */
	static char libpath[600];
	snprintf(libpath, sizeof(libpath), "LD_LIBRARY_PATH=%s/src", getenv("CAEC_BUILD_ROOT"));
	struct helper h0, h1, h2;
	helper_start(&h0, direct, NULL);
	helper_start(&h1, via1, libpath);
	helper_start(&h2, via2, libpath);
	assert_string_not_equal(h1.rim, h2.rim);
	assert_string_not_equal(h0.rim, h1.rim);
	helper_stop(&h0);
	helper_stop(&h1);
	helper_stop(&h2);
	unlink(copy);
	rmdir(dir);
}

/*
 * Start argv as user uid (0: as we are) with one extra environment entry
 * and return the first line it prints (without the newline); it is then
 * told to quit and reaped.
 */
static const char *first_line_as(unsigned uid, const char *const *argv, const char *env)
{
	static char line[256];
	struct helper h;
	int to[2], from[2];
	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	h.pid = fork();
	assert_true(h.pid >= 0);
	if (h.pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		if (uid && caec_test_drop_to(uid) < 0)
			_exit(126);
		if (env)
			putenv((char *)env);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	h.in = fdopen(to[1], "w");
	h.out = fdopen(from[0], "r");
	if (!fgets(line, sizeof(line), h.out))
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	fprintf(h.in, "quit\n");
	fclose(h.in);
	fclose(h.out);
	(void)wait_child(h.pid);
	return line;
}

/*
 * A realm of one user whose code is a file another user can change: a
 * copy of libcaec (the very same bytes, so the same RIM) owned by another
 * user, or writable by everyone.  Whoever can write it can change the
 * realm's code after it is measured (a write to the file reaches the
 * pages the realm runs), while its RIM -- all a verifier sees -- is the
 * genuine program's.  A daemon that isolates realms refuses it; a copy
 * owned by root or by the realm's own user is admitted and measures like
 * the original.
 */
static void test_measure_code_others_can_change_is_refused(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct caec_test_simd sec;
	assert_int_equal(caec_test_start_simd_secure(&sec, NULL), 0);
	const char *b = getenv("CAEC_BUILD_ROOT");
	unsigned realm = caec_test_uid(1), other = caec_test_uid(2);
	char dir[64], lib[128], cmd[1024];
	static char env[200];
	snprintf(dir, sizeof(dir), "/tmp/caec-libs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(lib, sizeof(lib), "%s/libcaec.so.0", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s/src/libcaec.so.0' '%s'", b, lib);
	assert_int_equal(system(cmd), 0);
	snprintf(env, sizeof(env), "LD_LIBRARY_PATH=%s", dir);
	const char *argv[] = { helper_path(), "rim", NULL };

	char clean[256];
	snprintf(clean, sizeof(clean), "%s", first_line_as(realm, argv, NULL));
	assert_memory_equal(clean, "RIM ", 4);
	/* Root's copy, 0755: nobody else can change it. */
	assert_int_equal(chmod(lib, 0755), 0);
	assert_string_equal(first_line_as(realm, argv, env), clean);
	/* The realm user's own copy: it could change its own realm's code
	 * anyway (docs/sim-platform.md), so this is admitted. */
	assert_int_equal(chown(lib, realm, realm), 0);
	assert_string_equal(first_line_as(realm, argv, env), clean);
	/* Another user's copy. */
	assert_int_equal(chown(lib, other, other), 0);
	assert_string_equal(first_line_as(realm, argv, env), "OPEN CAEC_E_DENIED");
	/* Root's copy that everyone may write. */
	assert_int_equal(chown(lib, 0, 0), 0);
	assert_int_equal(chmod(lib, 0777), 0);
	assert_string_equal(first_line_as(realm, argv, env), "OPEN CAEC_E_DENIED");

	unlink(lib);
	rmdir(dir);
	assert_int_equal(caec_test_stop_simd(&sec), 0);
	setenv("CAEC_SIM_SOCKET", simd.sock, 1);
}

/* Send a request whose SCM_CREDENTIALS name `pid` (who may do so is the
 * kernel's business: the sender itself, or one with CAP_SYS_ADMIN over
 * its pid namespace).  Returns the reply's status, or 1. */
static int request_as(int fd, pid_t pid, uint16_t op, const void *body, size_t len)
{
	unsigned char buf[SIMD_MSG_MAX];
	struct simd_hdr h = { .magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION, .op = op,
			      .seq = 5, .len = (uint32_t)(sizeof(h) + len) };
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), body, len);
	struct iovec iov = { buf, h.len };
	union {
		char b[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
			    .msg_controllen = sizeof(ctl.b) };
	struct ucred cr = { .pid = pid, .uid = getuid(), .gid = getgid() };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	if (sendmsg(fd, &m, MSG_NOSIGNAL) != (ssize_t)h.len)
		return 1;
	int got = -1;
	ssize_t n = sockmsg_recv(fd, buf, sizeof(buf), &got, 0);
	if (got >= 0)
		close(got);
	if (n < (ssize_t)sizeof(h))
		return 1;
	memcpy(&h, buf, sizeof(h));
	return h.status;
}

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * Only the process that connected speaks for its realm: the daemon
 * checks the PID the kernel puts in SCM_CREDENTIALS.  But a process with
 * CAP_SYS_ADMIN over its PID namespace may name any PID in it -- and any
 * user can have that, in a user and PID namespace of its own.  There, B
 * lets A connect and exec another program (the one to be measured; here
 * sleep), then says HELLO naming A: the daemon would measure A and let B,
 * whose code it never saw, speak for the realm.  A secure daemon refuses
 * a realm in a PID namespace other than its own.
 */
static void test_measure_pid_namespace_cannot_borrow_a_measurement(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct caec_test_simd sec;
	assert_int_equal(caec_test_start_simd_secure(&sec, NULL), 0);
	unsigned uid = caec_test_uid(3);
	struct chan c;
	chan_open(&c);
	pid_t x = fork();
	assert_true(x >= 0);
	if (x == 0) {
		chan_child_side(&c);
		char map[64];
		CHILD_CHECK(caec_test_drop_to(uid) == 0);
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID) < 0) {
			put(c.up[1], 77); /* no unprivileged namespaces here */
			_exit(0);
		}
		snprintf(map, sizeof(map), "0 %u 1", uid);
		CHILD_CHECK(write_file("/proc/self/uid_map", map));
		CHILD_CHECK(write_file("/proc/self/setgroups", "deny"));
		CHILD_CHECK(write_file("/proc/self/gid_map", map));
		pid_t b = fork(); /* PID 1 of the new namespace */
		CHILD_CHECK(b >= 0);
		if (b > 0)
			_exit(wait_child(b));
		int sp[2], execd[2];
		CHILD_CHECK(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sp) == 0);
		CHILD_CHECK(pipe2(execd, O_CLOEXEC) == 0);
		pid_t a = fork();
		CHILD_CHECK(a >= 0);
		if (a == 0) {
			int fd = raw_connect_to(sec.sock);
			CHILD_CHECK(fd >= 0);
			CHILD_CHECK(fcntl(fd, F_SETFD, 0) == 0);
			CHILD_CHECK(sockmsg_send(sp[1], "s", 1, fd, 0) == 1);
			/* As uid 0 of our namespace exec would give us every
			 * capability there: keep none, like an ordinary realm. */
			CHILD_CHECK(prctl(PR_SET_SECUREBITS, 0x3 /* NOROOT, locked */) == 0);
			execl("/bin/sleep", "sleep", "60", (char *)NULL);
			_exit(127);
		}
		close(execd[1]);
		int fd = -1;
		char ch;
		CHILD_CHECK(sockmsg_recv(sp[0], &ch, 1, &fd, 0) == 1 && fd >= 0);
		CHILD_CHECK(read(execd[0], &ch, 1) == 0); /* A runs sleep now */
		struct simd_hello_req rq = { 0 };
		int st = request_as(fd, a, SIMD_OP_HELLO, &rq, sizeof(rq));
		put(c.up[1], (uint64_t)-st);
		kill(a, SIGKILL);
		_exit(0);
	}
	chan_parent_side(&c);
	uint64_t r = get(c.up[0]);
	assert_int_equal(wait_child(x), 0);
	assert_int_equal(caec_test_stop_simd(&sec), 0);
	setenv("CAEC_SIM_SOCKET", simd.sock, 1);
	if (r == 77)
		skip();
	assert_caec_err(-(int)r, CAEC_E_DENIED);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_measure_preloaded_code_changes_the_rim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measure_programs_run_by_the_loader_differ, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measure_code_others_can_change_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measure_pid_namespace_cannot_borrow_a_measurement, setup, teardown),
	};
	return cmocka_run_group_tests_name("measurement of what speaks", tests, NULL, NULL);
}
