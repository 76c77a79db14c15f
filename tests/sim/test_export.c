/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_region_export_fd() against a real caec-simd: the descriptor a realm
 * hands to third-party code (an inference engine that mmaps its model) is
 * read-only, shows the region, and every mapping made from it goes when the
 * realm's access ends -- revocation, detach, unshare -- as the library's
 * own mapping does, so a provider's caec_revoke() still means the consumer
 * can no longer read.  Every realm is a process of its own (the test
 * process is the provider; consumers are forked children that report
 * through their exit status).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caec_test.h"
#include "child_check.h"
#include "fault_probe.h"
#include "simd_fixture.h"

#define SIZE (4 * CAEC_GRANULE_SIZE)

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

struct chan {
	int up[2], down[2];
};

static void chan_open(struct chan *c)
{
	assert_int_equal(pipe(c->up), 0);
	assert_int_equal(pipe(c->down), 0);
}

static void put(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		_exit(3);
}

static uint64_t get(int fd)
{
	uint64_t v;
	ssize_t n;
	do {
		n = read(fd, &v, sizeof(v));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v))
		_exit(4);
	return v;
}

static int wait_child(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

static void fill(unsigned char *p)
{
	for (size_t i = 0; i < SIZE; i++)
		p[i] = (unsigned char)(i * 7 + 3);
}

static bool filled(const unsigned char *p)
{
	for (size_t i = 0; i < SIZE; i++)
		if (p[i] != (unsigned char)(i * 7 + 3))
			return false;
	return true;
}

/* What a descriptor from caec_region_export_fd() must be, checked in the
 * calling process; returns a read-only mapping of it (the "engine's"). */
static unsigned char *check_fd(int fd, bool child)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL), fdf = fcntl(fd, F_GETFD);
	bool ok = fl >= 0 && (fl & O_ACCMODE) == O_RDONLY && fdf >= 0 &&
		  (fdf & FD_CLOEXEC) && fstat(fd, &st) == 0 &&
		  (size_t)st.st_size == SIZE;
	/* written to or mapped writable: refused */
	void *w = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok = ok && w == MAP_FAILED && errno == EACCES;
	ok = ok && write(fd, "x", 1) < 0 && errno == EBADF;
	unsigned char b[16];
	ok = ok && pread(fd, b, sizeof(b), 5) == (ssize_t)sizeof(b) &&
	     b[0] == (unsigned char)(5 * 7 + 3);
	unsigned char *p = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	ok = ok && p != MAP_FAILED && filled(p);
	if (child)
		CHILD_CHECK(ok);
	else
		assert_true(ok);
	return p;
}

/*
 * Provider: mappings of a descriptor exported before the seal end at the
 * seal.  A sealed region's descriptor is read-only, close-on-exec, of
 * the region's size, shows its content (mmap and pread); each call gives a
 * new descriptor of the same file; bad arguments are refused.  After
 * caec_unshare() every mapping made from it faults, while unrelated
 * mappings of this process stay.
 */
static void test_export_provider(void **state)
{
	(void)state;
	struct caec_ctx *ctx;
	struct caec_region *r;
	int fd = -1, fd2 = -1;

	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, SIZE, 0, &r));
	fill(caec_region_addr(r));
	/* exported before a seal (in place here): its mappings end there */
	assert_caec_ok(caec_region_export_fd(r, 0, &fd));
	unsigned char *pre = check_fd(fd, false);
	close(fd);
	fd = -1;
	uint8_t hash[CAEC_HASH_MAX];
	assert_caec_ok(caec_seal(r, hash, sizeof(hash)));
	assert_int_equal(caec_test_faults(pre, false), 1);

	assert_caec_err(caec_region_export_fd(NULL, 0, &fd), CAEC_E_INVAL);
	assert_caec_err(caec_region_export_fd(r, 1, &fd), CAEC_E_INVAL);
	assert_caec_err(caec_region_export_fd(r, 0, NULL), CAEC_E_INVAL);
	assert_caec_ok(caec_region_export_fd(r, 0, &fd));
	assert_caec_ok(caec_region_export_fd(r, 0, &fd2));
	assert_int_not_equal(fd, fd2);
	struct stat a, b;
	assert_int_equal(fstat(fd, &a), 0);
	assert_int_equal(fstat(fd2, &b), 0);
	assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	unsigned char *p = check_fd(fd, false);
	unsigned char *p2 = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd2, 0);
	assert_true(p2 != MAP_FAILED);
	unsigned char *anon = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(anon != MAP_FAILED);
	anon[0] = 1;

	assert_int_equal(caec_test_faults(p, false), 0);
	assert_caec_ok(caec_unshare(r));
	assert_int_equal(caec_test_faults(p, false), 1);
	assert_int_equal(caec_test_faults(p + SIZE - 1, false), 1);
	assert_int_equal(caec_test_faults(p2, false), 1);
	assert_int_equal(caec_test_faults(anon, true), 0);
	munmap(p, SIZE);
	munmap(p2, SIZE);
	munmap(anon, SIZE);
	close(fd);
	close(fd2);
	caec_close(ctx);
}

/*
 * Consumer, read-only grant of a sealed region: the exported descriptor
 * shows the region; when the provider revokes, caec_revoke() returns
 * CAEC_OK only after the consumer's library made the "engine's" mapping
 * inaccessible -- the consumer then faults on it, and a new export is
 * refused.  A second consumer's mapping goes at caec_detach().  Fails if
 * the library drops only its own mapping.
 */
static void test_export_consumer_revoke_and_detach(void **state)
{
	(void)state;
	struct chan c[2];
	pid_t pid[2];

	for (int k = 0; k < 2; k++) {
		chan_open(&c[k]);
		pid[k] = fork();
		if (pid[k] == 0) {
			close(c[k].up[0]);
			close(c[k].down[1]);
			struct caec_ctx *ctx;
			struct caec_region *r;
			uint64_t self;
			int fd;
			CHILD_OK(caec_open(&ctx, NULL));
			CHILD_OK(caec_self_id(ctx, &self));
			put(c[k].up[1], self);
			uint64_t grant = get(c[k].down[0]);
			CHILD_OK(caec_attach(ctx, grant, NULL, &r));
			CHILD_CHECK(caec_region_is_sealed(r));
			CHILD_OK(caec_region_export_fd(r, 0, &fd));
			unsigned char *p = check_fd(fd, true);
			CHILD_CHECK(caec_test_faults(p, false) == 0);
			put(c[k].up[1], 1); /* mapped */
			if (k == 0) {
				get(c[k].down[0]); /* the provider revoked */
				CHILD_CHECK(caec_region_is_revoked(r));
				CHILD_CHECK(caec_test_faults(p, false) == 1);
				CHILD_CHECK(caec_test_faults(p + SIZE - 1, false) == 1);
				int fd2;
				CHILD_CHECK(caec_region_export_fd(r, 0, &fd2) == CAEC_E_REVOKED);
				CHILD_OK(caec_detach(r));
			} else {
				CHILD_OK(caec_detach(r));
				CHILD_CHECK(caec_test_faults(p, false) == 1);
			}
			close(fd);
			caec_close(ctx);
			_exit(0);
		}
		close(c[k].up[1]);
		close(c[k].down[0]);
	}
	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t grant[2];
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, SIZE, 0, &r));
	fill(caec_region_addr(r));
	uint8_t hash[CAEC_HASH_MAX];
	assert_caec_ok(caec_seal(r, hash, sizeof(hash)));
	for (int k = 0; k < 2; k++) {
		uint64_t consumer = get(c[k].up[0]);
		assert_caec_ok(caec_grant(r, consumer, CAEC_PERM_RO, NULL, &grant[k]));
		put(c[k].down[1], grant[k]);
	}
	for (int k = 0; k < 2; k++)
		assert_int_equal(get(c[k].up[0]), 1);
	/* CAEC_OK, not CAEC_E_UNCONFIRMED: the consumer acknowledged after
	 * its mappings were gone */
	assert_caec_err(caec_revoke(r, grant[0]), CAEC_OK);
	put(c[0].down[1], 1);
	for (int k = 0; k < 2; k++)
		assert_int_equal(wait_child(pid[k]), 0);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/*
 * A seal that copies the region (a consumer once had it read-write)
 * revokes the consumers attached to the old memory: one that had exported
 * it loses the mapping its "engine" made too, and exporting through the
 * revoked handle is refused (CAEC_E_REVOKED).  After attaching again, the
 * export works and shows the sealed copy.  In a forked child of a realm,
 * the call is refused (CAEC_E_FORKED).
 */
static void test_export_after_seal_by_copy_and_fork(void **state)
{
	(void)state;
	struct chan rw, ro;
	chan_open(&rw);
	chan_open(&ro);
	pid_t p_rw = fork();
	if (p_rw == 0) { /* attaches read-write once, then leaves */
		close(rw.up[0]);
		close(rw.down[1]);
		struct caec_ctx *ctx;
		struct caec_region *r;
		uint64_t self;
		CHILD_OK(caec_open(&ctx, NULL));
		CHILD_OK(caec_self_id(ctx, &self));
		put(rw.up[1], self);
		CHILD_OK(caec_attach(ctx, get(rw.down[0]), NULL, &r));
		CHILD_OK(caec_detach(r));
		put(rw.up[1], 1);
		/* Stay connected until the provider revoked: a realm that
		 * leaves loses its grants, and the revoke would find none. */
		get(rw.down[0]);
		caec_close(ctx);
		_exit(0);
	}
	close(rw.up[1]);
	close(rw.down[0]);
	pid_t p_ro = fork();
	if (p_ro == 0) { /* attached read-only before the seal */
		close(ro.up[0]);
		close(ro.down[1]);
		struct caec_ctx *ctx;
		struct caec_region *r;
		uint64_t self;
		int fd = -1;
		CHILD_OK(caec_open(&ctx, NULL));
		CHILD_OK(caec_self_id(ctx, &self));
		put(ro.up[1], self);
		uint64_t grant = get(ro.down[0]);
		CHILD_OK(caec_attach(ctx, grant, NULL, &r));
		CHILD_OK(caec_region_export_fd(r, 0, &fd));
		unsigned char *old = check_fd(fd, true);
		close(fd);
		fd = -1;
		put(ro.up[1], 1);
		get(ro.down[0]); /* sealed */
		CHILD_CHECK(caec_region_is_revoked(r));
		CHILD_CHECK(caec_test_faults(old, false) == 1);
		CHILD_CHECK(caec_region_export_fd(r, 0, &fd) == CAEC_E_REVOKED);
		CHILD_CHECK(fd == -1);
		CHILD_OK(caec_detach(r));
		CHILD_OK(caec_attach(ctx, grant, NULL, &r));
		CHILD_OK(caec_region_export_fd(r, 0, &fd));
		close(check_fd(fd, true) ? fd : fd);
		pid_t f = fork();
		if (f == 0) {
			int fd2;
			_exit(caec_region_export_fd(r, 0, &fd2) == CAEC_E_FORKED ? 0 : 1);
		}
		int st;
		CHILD_CHECK(waitpid(f, &st, 0) == f && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		CHILD_OK(caec_detach(r));
		caec_close(ctx);
		_exit(0);
	}
	close(ro.up[1]);
	close(ro.down[0]);

	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t g_rw, g_ro;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_ok(caec_share(ctx, SIZE, 0, &r));
	fill(caec_region_addr(r));
	/* the provider's own engine, on the memory before the seal */
	int pfd = -1;
	assert_caec_ok(caec_region_export_fd(r, 0, &pfd));
	unsigned char *pold = check_fd(pfd, false);
	close(pfd);
	assert_caec_ok(caec_grant(r, get(rw.up[0]), CAEC_PERM_RW, NULL, &g_rw));
	put(rw.down[1], g_rw);
	assert_int_equal(get(rw.up[0]), 1);
	assert_caec_ok(caec_revoke(r, g_rw));
	put(rw.down[1], 1);
	assert_caec_ok(caec_grant(r, get(ro.up[0]), CAEC_PERM_RO, NULL, &g_ro));
	put(ro.down[1], g_ro);
	assert_int_equal(get(ro.up[0]), 1);
	uint8_t hash[CAEC_HASH_MAX];
	assert_caec_ok(caec_seal(r, hash, sizeof(hash)));
	/* The copy is the region now and the old memory is scrubbed: what
	 * the provider's engine mapped of it faults rather than reading
	 * zeros; a new export shows the sealed copy. */
	assert_int_equal(caec_test_faults(pold, false), 1);
	assert_caec_ok(caec_region_export_fd(r, 0, &pfd));
	unsigned char *pnew = check_fd(pfd, false);
	close(pfd);
	put(ro.down[1], 1);
	assert_int_equal(wait_child(p_rw), 0);
	assert_int_equal(wait_child(p_ro), 0);
	assert_caec_ok(caec_unshare(r));
	assert_int_equal(caec_test_faults(pnew, false), 1);
	caec_close(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_provider),
		cmocka_unit_test(test_export_consumer_revoke_and_detach),
		cmocka_unit_test(test_export_after_seal_by_copy_and_fork),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
