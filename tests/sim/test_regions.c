/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Regions end to end, against a real caec-simd: every realm is a separate
 * process with its own context, as on the platform.
 *
 * Child processes report through their exit status (never through cmocka,
 * whose failure path must run in the test process): CHILD_CHECK prints
 * what failed and exits non-zero.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caec_test.h"
#include "fault_probe.h"
#include "simd_fixture.h"

#define CHILD_CHECK(cond)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "child %d: %s:%d: check failed: %s\n",  \
				(int)getpid(), __FILE__, __LINE__, #cond);      \
			_exit(1);                                               \
		}                                                               \
	} while (0)

#define CHILD_OK(rc)                                                            \
	do {                                                                    \
		int r_ = (rc);                                                  \
		if (r_ < 0) {                                                   \
			fprintf(stderr, "child %d: %s:%d: %s = %s\n",           \
				(int)getpid(), __FILE__, __LINE__, #rc,         \
				caec_errname(r_));                              \
			_exit(1);                                               \
		}                                                               \
	} while (0)

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	return caec_test_start_simd(&simd, NULL) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	/* A clean shutdown (exit 0) also proves the daemon survived. */
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

/* ---- a tiny pipe protocol between test processes ---------------------- */

struct chan {
	int up[2];   /* child -> parent */
	int down[2]; /* parent -> child */
};

static void chan_open(struct chan *c)
{
	assert_int_equal(pipe(c->up), 0);
	assert_int_equal(pipe(c->down), 0);
}

static void chan_child_side(struct chan *c)
{
	close(c->up[0]);
	close(c->down[1]);
}

static void chan_parent_side(struct chan *c)
{
	close(c->up[1]);
	close(c->down[0]);
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
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/*
 * Child side of the usual opening: open a context (a new realm), tell the
 * parent our realm ID, and wait for the grant ID it grants us.
 */
static struct caec_ctx *child_join(struct chan *c, uint64_t *self, uint64_t *grant)
{
	struct caec_ctx *ctx;
	CHILD_OK(caec_open(&ctx, NULL));
	CHILD_OK(caec_self_id(ctx, self));
	put(c->up[1], *self);
	*grant = get(c->down[0]);
	return ctx;
}

/* Does reading (write = false) or writing addr fault?  Probed in this
 * process: region memory is not inherited by a forked child. */
static int access_faults(volatile unsigned char *addr, bool write)
{
	return caec_test_faults(addr, write);
}

static struct caec_ctx *open_ctx(void)
{
	struct caec_ctx *ctx = NULL;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_non_null(ctx);
	return ctx;
}

/* ----------------------------------------------------------------------- */

/*
 * The whole lifecycle across two realms: share, grant RW, list grants,
 * attach, data written on either side is seen on the other (same memory,
 * no copy), detach, attach again, revoke, unshare.
 */
static void test_regions_full_lifecycle(void **state)
{
	(void)state;
	struct chan c;
	chan_open(&c);
	pid_t pid = fork();
	if (pid == 0) {
		chan_child_side(&c);
		struct caec_region *r;
		uint64_t self, grant;
		struct caec_ctx *ctx = child_join(&c, &self, &grant);
		uint64_t provider = get(c.down[0]);

		struct caec_grant_info gi[4];
		int n = caec_grant_list(ctx, gi, 4);
		CHILD_CHECK(n == 1);
		CHILD_CHECK(gi[0].grant_id == grant);
		CHILD_CHECK(gi[0].provider_id == provider);
		CHILD_CHECK(gi[0].size == 8 * CAEC_GRANULE_SIZE);
		CHILD_CHECK(gi[0].perm == CAEC_PERM_RW);
		CHILD_CHECK(!(gi[0].flags & CAEC_GRANT_F_ATTACHED));

		CHILD_OK(caec_attach(ctx, grant, NULL, &r));
		CHILD_CHECK(caec_region_size(r) == 8 * CAEC_GRANULE_SIZE);
		CHILD_CHECK(caec_region_perm(r) == CAEC_PERM_RW);
		CHILD_CHECK(caec_region_id(r) == grant);
		CHILD_CHECK(caec_region_provider(r) == provider);
		CHILD_CHECK(!caec_region_is_provider(r));
		CHILD_CHECK(!caec_region_is_revoked(r));
		n = caec_grant_list(ctx, gi, 4);
		CHILD_CHECK(n == 1 && (gi[0].flags & CAEC_GRANT_F_ATTACHED));
		/* A second handle on the same grant is refused. */
		struct caec_region *r2;
		CHILD_CHECK(caec_attach(ctx, grant, NULL, &r2) == CAEC_E_STATE);

		unsigned char *p = caec_region_addr(r);
		CHILD_CHECK(memcmp(p, "provider data", 14) == 0);
		CHILD_CHECK(p[8 * CAEC_GRANULE_SIZE - 1] == 0xab);
		memcpy(p + CAEC_GRANULE_SIZE, "consumer data", 14);
		put(c.up[1], 1);
		get(c.down[0]); /* provider has read it */

		/* Detach, then attach again: the grant survives a detach. */
		CHILD_OK(caec_detach(r));
		CHILD_OK(caec_attach(ctx, grant, NULL, &r));
		p = caec_region_addr(r);
		CHILD_CHECK(memcmp(p + CAEC_GRANULE_SIZE, "consumer data", 14) == 0);
		put(c.up[1], 2);
		get(c.down[0]); /* provider revoked */
		CHILD_CHECK(caec_region_is_revoked(r));
		CHILD_CHECK(caec_region_enter(r) == NULL);
		caec_region_leave(r);
		CHILD_CHECK(caec_grant_list(ctx, gi, 4) == 0);
		CHILD_OK(caec_detach(r));
		caec_close(ctx);
		_exit(0);
	}
	chan_parent_side(&c);
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	uint64_t self, grant;
	assert_caec_ok(caec_self_id(ctx, &self));
	uint64_t consumer = get(c.up[0]);
	assert_int_not_equal(consumer, self);

	assert_caec_ok(caec_share(ctx, 8 * CAEC_GRANULE_SIZE, 0, &r));
	assert_true(caec_region_is_provider(r));
	assert_int_equal(caec_region_perm(r), CAEC_PERM_RW);
	assert_int_equal(caec_region_provider(r), self);
	unsigned char *p = caec_region_addr(r);
	assert_non_null(p);
	/* Fresh regions are zero-filled. */
	for (size_t i = 0; i < 8 * CAEC_GRANULE_SIZE; i++)
		if (p[i])
			fail_msg("byte %zu of a new region is %u", i, p[i]);
	memcpy(p, "provider data", 14);
	p[8 * CAEC_GRANULE_SIZE - 1] = 0xab;
	assert_caec_ok(caec_grant(r, consumer, CAEC_PERM_RW, NULL, &grant));
	assert_int_not_equal(grant, 0);
	/* One grant per consumer and region. */
	uint64_t dup;
	assert_caec_err(caec_grant(r, consumer, CAEC_PERM_RO, NULL, &dup), CAEC_E_EXIST);
	put(c.down[1], grant);
	put(c.down[1], self);

	assert_int_equal(get(c.up[0]), 1);
	assert_memory_equal(p + CAEC_GRANULE_SIZE, "consumer data", 14);
	put(c.down[1], 1);
	assert_int_equal(get(c.up[0]), 2);
	assert_caec_ok(caec_revoke(r, grant));
	/* Revoking twice: the grant is gone. */
	assert_caec_err(caec_revoke(r, grant), CAEC_E_NOENT);
	put(c.down[1], 3);
	assert_int_equal(wait_child(pid), 0);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/*
 * Consent is mutual and named: attaching a grant that was never granted,
 * a grant made to another realm, or a revoked grant is a denial.
 */
static void test_regions_attach_denials(void **state)
{
	(void)state;
	struct chan a, b;
	chan_open(&a);
	chan_open(&b);
	pid_t pa = fork();
	if (pa == 0) { /* the named consumer: attaches after revoke */
		chan_child_side(&a);
		struct caec_region *r;
		uint64_t self, grant;
		struct caec_ctx *ctx = child_join(&a, &self, &grant);
		/* Never granted: an ID nobody issued. */
		CHILD_CHECK(caec_attach(ctx, grant ^ 0x5555, NULL, &r) == CAEC_E_DENIED);
		get(a.down[0]); /* revoked now */
		CHILD_CHECK(caec_attach(ctx, grant, NULL, &r) == CAEC_E_DENIED);
		caec_close(ctx);
		_exit(0);
	}
	pid_t pb = fork();
	if (pb == 0) { /* a bystander realm that learnt the grant ID */
		chan_child_side(&b);
		struct caec_region *r;
		uint64_t self, grant;
		struct caec_ctx *ctx = child_join(&b, &self, &grant);
		CHILD_CHECK(caec_attach(ctx, grant, NULL, &r) == CAEC_E_DENIED);
		CHILD_CHECK(caec_grant_list(ctx, NULL, 0) == 0);
		caec_close(ctx);
		_exit(0);
	}
	chan_parent_side(&a);
	chan_parent_side(&b);
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	uint64_t grant;
	uint64_t ida = get(a.up[0]);
	(void)get(b.up[0]);
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, ida, CAEC_PERM_RO, NULL, &grant));
	put(a.down[1], grant);
	put(b.down[1], grant);
	assert_int_equal(wait_child(pb), 0);
	assert_caec_ok(caec_revoke(r, grant));
	put(a.down[1], 1);
	assert_int_equal(wait_child(pa), 0);
	/* The provider cannot attach its own region as a consumer either. */
	struct caec_region *r2;
	assert_caec_err(caec_attach(ctx, grant, NULL, &r2), CAEC_E_DENIED);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/*
 * A read-only consumer's mapping cannot be written: a store takes SIGSEGV
 * (observed in a child), and mprotect() cannot make it writable because
 * the descriptor behind it was opened read-only.  The RW consumer's store
 * succeeds and is visible to the RO consumer.
 */
static void test_regions_read_only_enforced(void **state)
{
	(void)state;
	struct chan c;
	chan_open(&c);
	pid_t pid = fork();
	if (pid == 0) {
		chan_child_side(&c);
		struct caec_region *r;
		uint64_t self, grant;
		struct caec_ctx *ctx = child_join(&c, &self, &grant);
		CHILD_OK(caec_attach(ctx, grant, NULL, &r));
		CHILD_CHECK(caec_region_perm(r) == CAEC_PERM_RO);
		volatile unsigned char *p = caec_region_addr(r);
		CHILD_CHECK(p[0] == 0x11);
		CHILD_CHECK(access_faults(p, true) == 1);
		CHILD_CHECK(access_faults(p, false) == 0);
		errno = 0;
		CHILD_CHECK(mprotect((void *)p, caec_region_size(r),
				     PROT_READ | PROT_WRITE) == -1);
		CHILD_CHECK(errno == EACCES);
		CHILD_CHECK(p[0] == 0x11); /* unchanged */
		put(c.up[1], 1);
		get(c.down[0]);
		CHILD_CHECK(p[1] == 0x22); /* provider's later store is visible */
		CHILD_OK(caec_detach(r));
		caec_close(ctx);
		_exit(0);
	}
	chan_parent_side(&c);
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	uint64_t grant, cons = get(c.up[0]);
	assert_caec_ok(caec_share(ctx, 4 * CAEC_GRANULE_SIZE, 0, &r));
	unsigned char *p = caec_region_addr(r);
	p[0] = 0x11;
	assert_caec_ok(caec_grant(r, cons, CAEC_PERM_RO, NULL, &grant));
	put(c.down[1], grant);
	assert_int_equal(get(c.up[0]), 1);
	assert_int_equal(p[0], 0x11);
	p[1] = 0x22;
	put(c.down[1], 1);
	assert_int_equal(wait_child(pid), 0);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/*
 * Revoke and unshare take access away: after caec_revoke() returns in the
 * provider, the consumer's handle reports revoked, caec_region_enter()
 * returns NULL and touching the old address faults (no stale data); the
 * same after caec_unshare() for every consumer of the region.
 */
static void test_regions_revoke_and_unshare_remove_access(void **state)
{
	(void)state;
	struct chan c1, c2;
	chan_open(&c1);
	chan_open(&c2);
	struct chan *cs[2] = { &c1, &c2 };
	pid_t pids[2];
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct chan *c = cs[i];
			chan_child_side(c);
			struct caec_region *r;
			uint64_t self, grant;
			struct caec_ctx *ctx = child_join(c, &self, &grant);
			CHILD_OK(caec_attach(ctx, grant, NULL, &r));
			volatile unsigned char *p = caec_region_addr(r);
			CHILD_CHECK(p[100] == 0x77);
			put(c->up[1], 1);
			get(c->down[0]); /* access withdrawn now (revoke or unshare) */
			CHILD_CHECK(caec_region_is_revoked(r));
			CHILD_CHECK(caec_region_enter(r) == NULL);
			caec_region_leave(r);
			CHILD_CHECK(access_faults(p, false) == 1);
			CHILD_OK(caec_detach(r));
			caec_close(ctx);
			_exit(0);
		}
		chan_parent_side(cs[i]);
	}
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	uint64_t grant[2];
	assert_caec_ok(caec_share(ctx, 2 * CAEC_GRANULE_SIZE, 0, &r));
	((unsigned char *)caec_region_addr(r))[100] = 0x77;
	for (int i = 0; i < 2; i++) {
		uint64_t id = get(cs[i]->up[0]);
		assert_caec_ok(caec_grant(r, id, CAEC_PERM_RW, NULL, &grant[i]));
		put(cs[i]->down[1], grant[i]);
		assert_int_equal(get(cs[i]->up[0]), 1);
	}
	/* Consumer 0 loses access by revoke, consumer 1 by unshare. */
	assert_caec_ok(caec_revoke(r, grant[0]));
	put(cs[0]->down[1], 1);
	assert_int_equal(wait_child(pids[0]), 0);
	assert_caec_ok(caec_unshare(r));
	put(cs[1]->down[1], 1);
	assert_int_equal(wait_child(pids[1]), 0);
	caec_close(ctx);
}

/*
 * A provider that dies (killed, no cleanup) takes its regions with it:
 * the attached consumer is detached (revoked) by the platform.
 */
static void test_regions_provider_death_detaches_consumers(void **state)
{
	(void)state;
	struct chan c;
	chan_open(&c);
	pid_t prov = fork();
	if (prov == 0) {
		chan_child_side(&c);
		struct caec_ctx *ctx;
		struct caec_region *r;
		uint64_t grant;
		CHILD_OK(caec_open(&ctx, NULL));
		uint64_t cons = get(c.down[0]);
		CHILD_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
		((unsigned char *)caec_region_addr(r))[0] = 0x42;
		CHILD_OK(caec_grant(r, cons, CAEC_PERM_RO, NULL, &grant));
		put(c.up[1], grant);
		for (;;)
			pause(); /* until SIGKILL */
	}
	chan_parent_side(&c);
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	uint64_t self;
	assert_caec_ok(caec_self_id(ctx, &self));
	put(c.down[1], self);
	uint64_t grant = get(c.up[0]);
	assert_caec_ok(caec_attach(ctx, grant, NULL, &r));
	assert_int_equal(((unsigned char *)caec_region_addr(r))[0], 0x42);
	kill(prov, SIGKILL);
	assert_int_equal(wait_child(prov), 128 + SIGKILL);
	/* The daemon notices the closed socket and revokes; wait for it. */
	for (int i = 0; i < 500 && !caec_region_is_revoked(r); i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	assert_true(caec_region_is_revoked(r));
	assert_null(caec_region_enter(r));
	caec_region_leave(r);
	assert_caec_count(caec_grant_list(ctx, NULL, 0), 0);
	assert_caec_ok(caec_detach(r));
	caec_close(ctx);
}

/*
 * No small fixed limit on consumers: 64 consumer realms attach one region
 * read-write at once, each writes its own slot, everyone sees everyone's.
 */
static void test_regions_64_consumers(void **state)
{
	(void)state;
	enum { N = 64 };
	struct chan c[N];
	pid_t pid[N];
	for (int i = 0; i < N; i++) {
		chan_open(&c[i]);
		pid[i] = fork();
		if (pid[i] == 0) {
			chan_child_side(&c[i]);
			struct caec_region *r;
			uint64_t self, grant;
			struct caec_ctx *ctx = child_join(&c[i], &self, &grant);
			CHILD_OK(caec_attach(ctx, grant, NULL, &r));
			uint64_t *slots = caec_region_addr(r);
			slots[i] = self;
			put(c[i].up[1], 1);
			get(c[i].down[0]); /* all have written */
			for (int k = 0; k < N; k++)
				CHILD_CHECK(slots[k] != 0);
			CHILD_CHECK(slots[i] == self);
			CHILD_OK(caec_detach(r));
			caec_close(ctx);
			_exit(0);
		}
		chan_parent_side(&c[i]);
	}
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	uint64_t ids[N];
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	for (int i = 0; i < N; i++) {
		uint64_t grant;
		ids[i] = get(c[i].up[0]);
		assert_caec_ok(caec_grant(r, ids[i], CAEC_PERM_RW, NULL, &grant));
		put(c[i].down[1], grant);
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(get(c[i].up[0]), 1);
	uint64_t *slots = caec_region_addr(r);
	for (int i = 0; i < N; i++)
		assert_int_equal(slots[i], ids[i]);
	for (int i = 0; i < N; i++)
		put(c[i].down[1], 1);
	for (int i = 0; i < N; i++)
		assert_int_equal(wait_child(pid[i]), 0);
	assert_caec_ok(caec_unshare(r));
	caec_close(ctx);
}

/*
 * Closing a context releases everything: regions it provided disappear for
 * their consumers, and the platform forgets its grants.
 */
static void test_regions_close_releases_everything(void **state)
{
	(void)state;
	struct caec_ctx *prov = open_ctx(), *cons = open_ctx();
	struct caec_region *r, *a;
	uint64_t cid, grant;
	assert_caec_ok(caec_self_id(cons, &cid));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, cid, CAEC_PERM_RW, NULL, &grant));
	assert_caec_ok(caec_attach(cons, grant, NULL, &a));
	caec_close(prov); /* destroys r: synchronous revoke of a */
	assert_true(caec_region_is_revoked(a));
	assert_caec_count(caec_grant_list(cons, NULL, 0), 0);
	assert_caec_ok(caec_detach(a));
	caec_close(cons);
}

/*
 * A killed daemon leaves clients with a clear error, not a hang: every
 * call that needs the platform returns CAEC_E_PLATFORM promptly.
 */
static void test_regions_daemon_death_is_an_error(void **state)
{
	(void)state;
	struct caec_ctx *ctx = open_ctx();
	struct caec_region *r;
	assert_caec_ok(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	((unsigned char *)caec_region_addr(r))[0] = 1;
	caec_test_kill_simd(&simd);
	struct caec_region *r2;
	uint64_t grant;
	assert_caec_err(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r2), CAEC_E_PLATFORM);
	assert_caec_err(caec_grant(r, 12345, CAEC_PERM_RO, NULL, &grant), CAEC_E_PLATFORM);
	assert_caec_err(caec_grant_list(ctx, NULL, 0), CAEC_E_PLATFORM);
	/* The memory itself stays valid for the provider. */
	assert_int_equal(((unsigned char *)caec_region_addr(r))[0], 1);
	/* Opening a new context now fails cleanly too. */
	struct caec_ctx *ctx2 = NULL;
	assert_caec_err(caec_open(&ctx2, NULL), CAEC_E_PLATFORM);
	assert_null(ctx2);
	assert_caec_err(caec_unshare(r), CAEC_E_PLATFORM);
	caec_close(ctx);
	/* Restart for the teardown's clean-shutdown check. */
	assert_int_equal(caec_test_start_simd(&simd, NULL), 0);
}


struct reader_arg {
	struct caec_region *r;
	unsigned long sections;   /* sections that saw the mapping */
	unsigned long bad;        /* inconsistent content seen */
};

static void *reader(void *p)
{
	struct reader_arg *a = p;
	for (;;) {
		const volatile uint64_t *w = caec_region_enter(a->r);
		if (!w) {
			caec_region_leave(a->r);
			return NULL;
		}
		/* The provider filled every word with the same value before
		 * granting; read all of it while inside the section. */
		uint64_t first = w[0];
		for (size_t i = 1; i < 2 * CAEC_GRANULE_SIZE / 8; i++)
			if (w[i] != first)
				a->bad++;
		__atomic_fetch_add(&a->sections, 1, __ATOMIC_RELAXED);
		caec_region_leave(a->r);
	}
}

/*
 * Revocation under load: four consumer threads read the whole region in
 * caec_region_enter()/leave() sections in a tight loop while the provider
 * revokes.  No reader faults (the mapping is removed only after every
 * section in progress has ended), each sees NULL afterwards and stops, and
 * nobody saw torn content.
 */
static void test_regions_revoke_under_concurrent_readers(void **state)
{
	(void)state;
	enum { T = 4 };
	struct caec_ctx *prov = open_ctx(), *cons = open_ctx();
	struct caec_region *r, *a;
	uint64_t cid, grant;
	pthread_t th[T];
	struct reader_arg args[T];

	assert_caec_ok(caec_self_id(cons, &cid));
	assert_caec_ok(caec_share(prov, 2 * CAEC_GRANULE_SIZE, 0, &r));
	uint64_t *w = caec_region_addr(r);
	for (size_t i = 0; i < 2 * CAEC_GRANULE_SIZE / 8; i++)
		w[i] = 0x1234567890abcdefull;
	assert_caec_ok(caec_grant(r, cid, CAEC_PERM_RO, NULL, &grant));
	assert_caec_ok(caec_attach(cons, grant, NULL, &a));
	for (int i = 0; i < T; i++) {
		args[i] = (struct reader_arg){ .r = a };
		assert_int_equal(pthread_create(&th[i], NULL, reader, &args[i]), 0);
	}
	/* Let every reader get going, then pull the rug. */
	for (int spins = 0; spins < 2000; spins++) {
		bool all = true;
		for (int i = 0; i < T; i++)
			all = all && __atomic_load_n(&args[i].sections, __ATOMIC_RELAXED) > 10;
		if (all)
			break;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	assert_caec_ok(caec_revoke(r, grant));
	for (int i = 0; i < T; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(args[i].sections > 0);
		assert_int_equal(args[i].bad, 0);
	}
	assert_true(caec_region_is_revoked(a));
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_unshare(r));
	caec_close(cons);
	caec_close(prov);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_regions_full_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_attach_denials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_read_only_enforced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_revoke_and_unshare_remove_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_provider_death_detaches_consumers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_64_consumers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_close_releases_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_revoke_under_concurrent_readers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regions_daemon_death_is_an_error, setup, teardown),
	};
	return cmocka_run_group_tests_name("regions (sim)", tests, NULL, NULL);
}
