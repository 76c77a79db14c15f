/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_open() says what stands between a realm and caec-simd, each case
 * with its own error (and caec_endpoint() the path it tried):
 *
 *   nothing at the path, or its directory missing   CAEC_E_NOPLATFORM
 *   a file or a directory there, not a socket       CAEC_E_NOTSOCK
 *   a socket nobody listens on (stale)              CAEC_E_STALE
 *   permission denied (socket, or a directory)      CAEC_E_ACCESS
 *   a listener that never answers HELLO             CAEC_E_TIMEDOUT
 *   a listener whose backlog is full                CAEC_E_TIMEDOUT
 *
 * None of these needs a daemon: each builds the situation by hand in a
 * private directory.  The permission cases run the realm as an
 * unprivileged user (the test runs as root in CI) and are skipped
 * otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "caec_test.h"
#include "simd_fixture.h"
#include "../adversarial/adv_util.h"

#define TIMEOUT_NS (300ll * 1000 * 1000)

struct dir {
	char path[64];
	char sock[108];
};

static void dir_make(struct dir *d, mode_t mode)
{
	snprintf(d->path, sizeof(d->path), "/tmp/caec-open-XXXXXX");
	assert_non_null(mkdtemp(d->path));
	assert_int_equal(chmod(d->path, mode), 0);
	snprintf(d->sock, sizeof(d->sock), "%s/simd.sock", d->path);
}

static void dir_remove(struct dir *d)
{
	struct stat st;
	if (lstat(d->sock, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			rmdir(d->sock);
		else
			unlink(d->sock);
	}
	rmdir(d->path);
}

/* caec_open() on `path` with a short timeout; also checks that
 * caec_endpoint() names the same path. */
static int open_at(const char *path)
{
	struct caec_config cfg = { .size = sizeof(cfg), .sim_socket = path,
				   .timeout_ns = TIMEOUT_NS };
	char where[108];
	struct caec_ctx *ctx = NULL;
	assert_caec_count(caec_endpoint(&cfg, where, sizeof(where)), strlen(path));
	assert_string_equal(where, path);
	int rc = caec_open(&ctx, &cfg);
	if (rc == 0)
		caec_close(ctx);
	assert_true(rc < 0 || ctx != NULL);
	return rc;
}

/* A SEQPACKET socket bound at path; listening with `backlog` unless < 0. */
static int bind_at(const char *path, int backlog)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (backlog >= 0)
		assert_int_equal(listen(fd, backlog), 0);
	return fd;
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip(); /* needs another user's processes */
}

static void test_no_socket(void **state)
{
	(void)state;
	struct dir d;
	dir_make(&d, 0700);
	assert_caec_err(open_at(d.sock), CAEC_E_NOPLATFORM);
	char gone[128];
	snprintf(gone, sizeof(gone), "%s/missing-dir/simd.sock", d.path);
	assert_caec_err(open_at(gone), CAEC_E_NOPLATFORM);
	dir_remove(&d);
}

static void test_not_a_socket(void **state)
{
	(void)state;
	struct dir d;
	dir_make(&d, 0700);
	FILE *f = fopen(d.sock, "w");
	assert_non_null(f);
	fclose(f);
	assert_caec_err(open_at(d.sock), CAEC_E_NOTSOCK);
	unlink(d.sock);
	assert_int_equal(mkdir(d.sock, 0700), 0);
	assert_caec_err(open_at(d.sock), CAEC_E_NOTSOCK);
	dir_remove(&d);
}

/* A daemon that exited without removing its socket. */
static void test_stale_socket(void **state)
{
	(void)state;
	struct dir d;
	dir_make(&d, 0700);
	close(bind_at(d.sock, 4));
	assert_caec_err(open_at(d.sock), CAEC_E_STALE);
	/* Bound but never listening: the same to a client. */
	unlink(d.sock);
	int fd = bind_at(d.sock, -1);
	assert_caec_err(open_at(d.sock), CAEC_E_STALE);
	close(fd);
	dir_remove(&d);
}

/* Something listens (the connection sits in its backlog) but never
 * answers HELLO. */
static void test_silent_listener(void **state)
{
	(void)state;
	struct dir d;
	dir_make(&d, 0700);
	int fd = bind_at(d.sock, 8);
	assert_caec_err(open_at(d.sock), CAEC_E_TIMEDOUT);
	close(fd);
	dir_remove(&d);
}

/* A listener whose backlog is full: connect() itself would wait forever;
 * the library bounds it by the request timeout. */
static void test_full_backlog(void **state)
{
	(void)state;
	struct dir d;
	dir_make(&d, 0700);
	int fd = bind_at(d.sock, 0);
	/* Backlog 0 holds one connection: take it. */
	int c1 = raw_connect_to(d.sock);
	assert_true(c1 >= 0);
	assert_caec_err(open_at(d.sock), CAEC_E_TIMEDOUT);
	close(c1);
	close(fd);
	dir_remove(&d);
}

/* The victim (an unprivileged user) opens; its caec_open() result. */
static int victim_open(const char *path)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(1)) == 0);
		struct caec_config cfg = { .size = sizeof(cfg), .sim_socket = path,
					   .timeout_ns = TIMEOUT_NS };
		struct caec_ctx *ctx = NULL;
		int rc = caec_open(&ctx, &cfg);
		if (rc == 0)
			caec_close(ctx);
		_exit(rc < 0 ? -rc : 0);
	}
	return -wait_child(pid);
}

/* root's socket, mode 0600, in root's directory: another user may look
 * but not connect. */
static void test_socket_permission_denied(void **state)
{
	(void)state;
	need_root();
	struct dir d;
	dir_make(&d, 0711);
	int fd = bind_at(d.sock, 8);
	assert_int_equal(chmod(d.sock, 0600), 0);
	assert_caec_err(victim_open(d.sock), CAEC_E_ACCESS);
	close(fd);
	dir_remove(&d);
}

/* The socket's directory is root's, mode 0700: another user cannot even
 * look inside. */
static void test_directory_permission_denied(void **state)
{
	(void)state;
	need_root();
	struct dir d;
	dir_make(&d, 0700);
	int fd = bind_at(d.sock, 8);
	assert_int_equal(chmod(d.sock, 0666), 0);
	assert_caec_err(victim_open(d.sock), CAEC_E_ACCESS);
	close(fd);
	dir_remove(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_socket),
		cmocka_unit_test(test_not_a_socket),
		cmocka_unit_test(test_stale_socket),
		cmocka_unit_test(test_silent_listener),
		cmocka_unit_test(test_full_backlog),
		cmocka_unit_test(test_socket_permission_denied),
		cmocka_unit_test(test_directory_permission_denied),
	};
	caec_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
