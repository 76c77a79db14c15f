/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The library authenticates its platform, and the daemon guards its path.
 *
 * Impostors are processes of another user that listen where a realm would
 * look for caec-simd: in a shared directory, at the default path, or on a
 * socket created by root but served by another user.  A realm must refuse
 * all of them (CAEC_E_UNTRUSTED) without sending them a byte.  The daemon
 * must refuse a path in a directory others can write, never delete a file
 * it did not create, and a second daemon on the same path must leave the
 * first one working.  A pinned platform key is proved at open and trusted
 * by caec_verify_peer(); without one, the verifier is told.
 *
 * Attackers and victims are separate processes with separate throwaway
 * users (the test runs as root: a protection root bypasses is only tested
 * between unprivileged users).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#include <caec/attest.h>

#include "adv_util.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;

static void need_root(void)
{
	if (geteuid() != 0)
		skip(); /* needs to create users' processes */
}

/* ---- impostors ------------------------------------------------------ */

struct impostor {
	pid_t pid;
	int report; /* impostor -> test: "ready", then the bytes it got */
	int stop;   /* test -> impostor */
};

/*
 * An impostor: binds `path` as bind_uid (0: root), makes it connectable by
 * all, becomes listen_uid, listens, and counts every byte realms send it
 * until told to stop.  mkdir_mode != 0: first create the socket's
 * directory as bind_uid with that mode.
 */
static void impostor_start(struct impostor *im, const char *path, unsigned bind_uid,
			   unsigned listen_uid, mode_t mkdir_mode)
{
	int rep[2], stp[2];
	assert_int_equal(pipe(rep), 0);
	assert_int_equal(pipe(stp), 0);
	im->pid = fork();
	assert_true(im->pid >= 0);
	if (im->pid == 0) {
		close(rep[0]);
		close(stp[1]);
		if (bind_uid)
			CHILD_CHECK(caec_test_drop_to(bind_uid) == 0);
		if (mkdir_mode) {
			char dir[108];
			snprintf(dir, sizeof(dir), "%s", path);
			*strrchr(dir, '/') = '\0';
			CHILD_CHECK(mkdir(dir, mkdir_mode) == 0);
			CHILD_CHECK(chmod(dir, mkdir_mode) == 0);
		}
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		int l = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		CHILD_CHECK(l >= 0);
		CHILD_CHECK(bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0);
		CHILD_CHECK(chmod(path, 0666) == 0);
		if (listen_uid != bind_uid)
			CHILD_CHECK(caec_test_drop_to(listen_uid) == 0);
		CHILD_CHECK(listen(l, 16) == 0);
		put(rep[1], 1);
		uint64_t bytes = 0;
		int conns[16], nc = 0;
		for (;;) {
			struct pollfd p[18];
			int n = 0;
			p[n++] = (struct pollfd){ .fd = stp[0], .events = POLLIN };
			p[n++] = (struct pollfd){ .fd = l, .events = POLLIN };
			for (int i = 0; i < nc; i++)
				p[n++] = (struct pollfd){ .fd = conns[i], .events = POLLIN };
			if (poll(p, (nfds_t)n, -1) < 0)
				continue;
			if (p[0].revents)
				break;
			if ((p[1].revents & POLLIN) && nc < 16) {
				int c = accept(l, NULL, NULL);
				if (c >= 0)
					conns[nc++] = c;
			}
			for (int i = 0; i < nc; i++) {
				if (!(p[2 + i].revents & POLLIN))
					continue;
				char buf[4096];
				ssize_t r = recv(conns[i], buf, sizeof(buf), MSG_DONTWAIT);
				if (r > 0)
					bytes += (uint64_t)r;
			}
		}
		put(rep[1], bytes);
		_exit(0);
	}
	close(rep[1]);
	close(stp[0]);
	im->report = rep[0];
	im->stop = stp[1];
	assert_int_equal(get(im->report), 1);
}

/* Stop the impostor; the number of bytes realms sent it. */
static uint64_t impostor_stop(struct impostor *im)
{
	assert_int_equal(write(im->stop, "x", 1), 1);
	uint64_t bytes = get(im->report);
	assert_int_equal(wait_child(im->pid), 0);
	close(im->report);
	close(im->stop);
	return bytes;
}

/*
 * A victim realm of user `uid` tries caec_open() (socket: NULL for the
 * default path).  Returns what caec_open() returned.
 */
static int victim_open(unsigned uid, const char *socket_path)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		CHILD_CHECK(caec_test_drop_to(uid) == 0);
		if (socket_path)
			setenv("CAEC_SIM_SOCKET", socket_path, 1);
		else
			unsetenv("CAEC_SIM_SOCKET");
		unsetenv("XDG_RUNTIME_DIR");
		setenv("CAEC_TIMEOUT_MS", "1000", 1);
		struct caec_ctx *ctx = NULL;
		int rc = caec_open(&ctx, NULL);
		if (rc == 0)
			caec_close(ctx);
		_exit(rc < 0 ? -rc : 0);
	}
	return -wait_child(pid);
}

/*
 * A socket in a shared directory (world-writable, sticky, like /tmp):
 * another user got there first.  The realm refuses to use it and sends
 * the impostor nothing.
 */
static void test_trust_impostor_in_shared_dir(void **state)
{
	(void)state;
	need_root();
	char dir[64], path[108];
	snprintf(dir, sizeof(dir), "/tmp/caec-shared-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 01777), 0);
	snprintf(path, sizeof(path), "%s/simd.sock", dir);
	struct impostor im;
	impostor_start(&im, path, caec_test_uid(1), caec_test_uid(1), 0);
	assert_caec_err(victim_open(caec_test_uid(2), path), CAEC_E_UNTRUSTED);
	assert_int_equal(impostor_stop(&im), 0);
	unlink(path);
	rmdir(dir);
}

/*
 * The default path, with XDG_RUNTIME_DIR unset.  Another user has put a
 * socket at the old default (/tmp/caec-simd-<uid>.sock) and created the
 * new default directory (/tmp/caec-simd-<uid>/) with a socket in it.  The
 * realm refuses: the default directory must be its own, mode 0700.
 */
static void test_trust_default_path_not_in_shared_tmp(void **state)
{
	(void)state;
	need_root();
	unsigned victim = caec_test_uid(3), attacker = caec_test_uid(4);
	char old_path[108], dir[64], new_path[108];
	snprintf(old_path, sizeof(old_path), "/tmp/caec-simd-%u.sock", victim);
	snprintf(dir, sizeof(dir), "/tmp/caec-simd-%u", victim);
	snprintf(new_path, sizeof(new_path), "%s/caec-simd.sock", dir);
	unlink(old_path);
	unlink(new_path);
	rmdir(dir);
	struct impostor a, b;
	impostor_start(&a, old_path, attacker, attacker, 0);
	impostor_start(&b, new_path, attacker, attacker, 0777);
	assert_caec_err(victim_open(victim, NULL), CAEC_E_UNTRUSTED);
	assert_int_equal(impostor_stop(&a), 0);
	assert_int_equal(impostor_stop(&b), 0);
	unlink(old_path);
	unlink(new_path);
	rmdir(dir);
}

/*
 * A root-owned directory no one else can write, a root-owned socket in it
 * -- but the process listening is another user (it bound as root, then
 * dropped privileges and listened).  SO_PEERCRED says who listens: the
 * realm refuses before it says HELLO.
 */
static void test_trust_peer_must_be_the_daemon_user(void **state)
{
	(void)state;
	need_root();
	char dir[64], path[108];
	snprintf(dir, sizeof(dir), "/tmp/caec-peer-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0711), 0);
	snprintf(path, sizeof(path), "%s/simd.sock", dir);
	struct impostor im;
	impostor_start(&im, path, 0, caec_test_uid(5), 0);
	assert_caec_err(victim_open(caec_test_uid(6), path), CAEC_E_UNTRUSTED);
	assert_int_equal(impostor_stop(&im), 0);
	unlink(path);
	rmdir(dir);
}

/* ---- the daemon's path -------------------------------------------------- */

/* Run caec-simd with these arguments; its exit status, or -1 if it was
 * still running after 10 s (then it is killed). */
static int run_simd(const char *const *args)
{
	const char *exe = getenv("CAEC_SIMD");
	assert_non_null(exe);
	const char *argv[16];
	int argc = 0;
	argv[argc++] = exe;
	for (int i = 0; args[i] && argc < 15; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* A path in a directory others can write: the daemon refuses to listen
 * there (and creates nothing). */
static void test_trust_daemon_refuses_unsafe_dir(void **state)
{
	(void)state;
	char dir[64], path[108];
	snprintf(dir, sizeof(dir), "/tmp/caec-unsafe-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/simd.sock", dir);
	const char *args[] = { "--socket", path, NULL };
	int st = run_simd(args);
	assert_true(st > 0);
	struct stat sb;
	assert_int_equal(lstat(path, &sb), -1);
	rmdir(dir);
}

/* A plain file where the socket should be: not the daemon's to delete. */
static void test_trust_daemon_keeps_a_plain_file(void **state)
{
	(void)state;
	char dir[64], path[108], buf[16] = "";
	snprintf(dir, sizeof(dir), "/tmp/caec-plain-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/simd.sock", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep me", 7), 7);
	close(fd);
	const char *args[] = { "--socket", path, NULL };
	assert_true(run_simd(args) > 0);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 7);
	close(fd);
	assert_memory_equal(buf, "keep me", 7);
	unlink(path);
	rmdir(dir);
}

/*
 * Starting a second daemon on the path of a running one -- even while the
 * first is stalled and its backlog is full, so that connecting to it fails
 * -- leaves the first one in place and working.
 */
static void test_trust_second_daemon_leaves_first(void **state)
{
	(void)state;
	assert_int_equal(caec_test_start_simd(&simd, NULL), 0);
	struct stat before, after;
	assert_int_equal(lstat(simd.sock, &before), 0);
	assert_int_equal(kill(simd.pid, SIGSTOP), 0);
	int fill[2048], n = 0;
	for (; n < 2048; n++) {
		fill[n] = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", simd.sock);
		if (fill[n] < 0 || connect(fill[n], (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			if (fill[n] >= 0)
				close(fill[n]);
			break; /* the backlog is full */
		}
	}
	const char *args[] = { "--socket", simd.sock, NULL };
	int st = run_simd(args);
	kill(simd.pid, SIGCONT);
	for (int i = 0; i < n; i++)
		close(fill[i]);
	assert_true(st > 0); /* it gave up by itself */
	assert_int_equal(lstat(simd.sock, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	struct caec_ctx *ctx = NULL;
	assert_caec_ok(caec_open(&ctx, NULL));
	caec_close(ctx);
	assert_int_equal(caec_test_stop_simd(&simd), 0);
}

/* ---- pinned platform key ------------------------------------------------ */

/* A fresh P-384 key pair: private PEM to priv_path, public to pub_path. */
static void make_key(const char *priv_path, const char *pub_path)
{
	mbedtls_entropy_context ent;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_pk_context pk;
	unsigned char pem[2048];
	mbedtls_entropy_init(&ent);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_pk_init(&pk);
	assert_int_equal(mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, NULL, 0), 0);
	assert_int_equal(mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
	assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, mbedtls_pk_ec(pk),
					     mbedtls_ctr_drbg_random, &drbg), 0);
	const char *paths[2] = { priv_path, pub_path };
	for (int k = 0; k < 2; k++) {
		memset(pem, 0, sizeof(pem));
		assert_int_equal(k == 0 ? mbedtls_pk_write_key_pem(&pk, pem, sizeof(pem)) :
				 mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem)), 0);
		int fd = open(paths[k], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, pem, strlen((char *)pem)), (ssize_t)strlen((char *)pem));
		close(fd);
	}
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&ent);
}

/* caec_verify_peer() of b's token by a; its result. */
static int verify_b_by_a(struct caec_ctx *a, struct caec_ctx *b)
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	uint64_t idb;
	memset(ch, 0x5a, sizeof(ch));
	assert_caec_ok(caec_self_id(b, &idb));
	int n = caec_attest_token(b, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	return caec_verify_peer(a, idb, ch, tok, (size_t)n, NULL, NULL);
}

/*
 * The platform key can be pinned (CAEC_PLATFORM_KEY here): a platform that
 * cannot prove it holds the pinned key is refused at open; one that can
 * is marked pinned, and verification uses the pinned key.  A verifier
 * that pinned nothing gets CAEC_VERIFY_W_UNPINNED with its success.
 */
static void test_trust_pinned_platform_key(void **state)
{
	(void)state;
	char dir[64], k1[128], p1[128], k2[128], p2[128];
	snprintf(dir, sizeof(dir), "/tmp/caec-keys-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(k1, sizeof(k1), "%s/k1.pem", dir);
	snprintf(p1, sizeof(p1), "%s/p1.pem", dir);
	snprintf(k2, sizeof(k2), "%s/k2.pem", dir);
	snprintf(p2, sizeof(p2), "%s/p2.pem", dir);
	make_key(k1, p1);
	make_key(k2, p2);
	const char *args[] = { "--platform-key", k1, NULL };
	assert_int_equal(caec_test_start_simd(&simd, args), 0);
	struct caec_ctx *a = NULL, *b = NULL;

	/* Pinned to another key: this is not our platform. */
	setenv("CAEC_PLATFORM_KEY", p2, 1);
	assert_caec_err(caec_open(&a, NULL), CAEC_E_PLATFORM_KEY);
	assert_null(a);

	/* Pinned to the platform's key: proved at open, used to verify. */
	setenv("CAEC_PLATFORM_KEY", p1, 1);
	assert_caec_ok(caec_open(&a, NULL));
	assert_caec_ok(caec_open(&b, NULL));
	uint32_t flags = 0;
	assert_caec_ok(caec_ctx_flags(a, &flags));
	assert_true(flags & CAEC_CTX_F_KEY_PINNED);
	int rc = verify_b_by_a(a, b);
	assert_caec_ok(rc);
	assert_false(rc & CAEC_VERIFY_W_UNPINNED);
	caec_close(a);

	/* Nothing pinned: verified against the key the platform served, and
	 * the verifier is told so. */
	unsetenv("CAEC_PLATFORM_KEY");
	assert_caec_ok(caec_open(&a, NULL));
	assert_caec_ok(caec_ctx_flags(a, &flags));
	assert_false(flags & CAEC_CTX_F_KEY_PINNED);
	rc = verify_b_by_a(a, b);
	assert_caec_ok(rc);
	assert_true(rc & CAEC_VERIFY_W_UNPINNED);
	caec_close(a);
	caec_close(b);
	assert_int_equal(caec_test_stop_simd(&simd), 0);
	unlink(k1);
	unlink(p1);
	unlink(k2);
	unlink(p2);
	rmdir(dir);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trust_impostor_in_shared_dir),
		cmocka_unit_test(test_trust_default_path_not_in_shared_tmp),
		cmocka_unit_test(test_trust_peer_must_be_the_daemon_user),
		cmocka_unit_test(test_trust_daemon_refuses_unsafe_dir),
		cmocka_unit_test(test_trust_daemon_keeps_a_plain_file),
		cmocka_unit_test(test_trust_second_daemon_leaves_first),
		cmocka_unit_test(test_trust_pinned_platform_key),
	};
	return cmocka_run_group_tests_name("platform trust", tests, NULL, NULL);
}
