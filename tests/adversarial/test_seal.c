/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A "sealed" claim holds for every consumer mapping.
 *
 * A region that a consumer could once write (it got a writable
 * descriptor) cannot be write-sealed in place any more, so caec-simd
 * seals it by copying it into a new, write-sealed memfd.  The old memory
 * is still mapped by whoever mapped it before: a revoked read-write
 * consumer that ignored its revocation (revocation is cooperative on the
 * sim) can still write it.  If a read-only consumer attached before the
 * seal kept mapping it too, it would read what the hostile writer puts
 * there while caec_grant_list() and tokens report its grant sealed with
 * the hash of the copy (red-team finding M2).
 *
 * So a seal by copy first revokes every attachment of the region (the
 * REVOKED event and acknowledgement of a revocation; the grants stay),
 * and only then commits the sealed copy; consumers attach again to map
 * it.  These tests run the daemon as root and every realm as a throwaway
 * unprivileged user, each in its own process; the attackers speak the
 * raw protocol and keep what libcaec would give up.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "adv_util.h"
#include "fault_probe.h"
#include "simd_fixture.h"

#define SIZE (4 * CAEC_GRANULE_SIZE)

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0; /* tests skip */
	/* Long enough that honest libcaec consumers always acknowledge in
	 * time, even in a sanitizer build on a loaded machine. */
	static const char *const args[] = { "--revoke-timeout-ms", "4000", NULL };
	return caec_test_start_simd_secure(&simd, args) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

static void need_root(void)
{
	if (geteuid() != 0)
		skip();
}

static pid_t fork_child(struct chan *c)
{
	chan_open(c);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid != 0)
		chan_parent_side(c);
	else
		chan_child_side(c);
	return pid;
}

static void child_stop(struct chan *c, pid_t pid)
{
	put(c->down[1], 0);
	assert_int_equal(wait_child(pid), 0);
	close(c->up[0]);
	close(c->down[1]);
}

static uint64_t cmd1(struct chan *c, uint64_t cmd, uint64_t arg)
{
	put(c->down[1], cmd);
	put(c->down[1], arg);
	return get(c->up[0]);
}

/* ---- the provider: libcaec, honest ------------------------------------- */

/*
 * Shares SIZE bytes of 'P', reports its realm ID, then serves (one u64
 * each on c.down, answers on c.up):
 *   1 <consumer> <perm>  grant; answers the grant ID
 *   2 <grant>            revoke; answers -result
 *   3                    seal; answers -result, then the 32-byte hash as
 *                        4 u64 (zeros unless the result is OK or
 *                        CAEC_E_UNCONFIRMED)
 *   4                    is the memory all 'P'? (1/0)
 *   5                    does a store fault? (1/0)
 *   0                    exit
 */
static pid_t provider_start(struct chan *c, unsigned uid)
{
	pid_t pid = fork_child(c);
	if (pid != 0)
		return pid;
	CHILD_CHECK(caec_test_drop_to(uid) == 0);
	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t self;
	CHILD_OK(caec_open(&ctx, NULL));
	CHILD_OK(caec_self_id(ctx, &self));
	CHILD_OK(caec_share(ctx, SIZE, 0, &r));
	memset(caec_region_addr(r), 'P', SIZE);
	put(c->up[1], self);
	for (;;) {
		uint64_t cmd = get(c->down[0]);
		if (cmd == 0)
			break;
		if (cmd == 1) {
			uint64_t cons = get(c->down[0]), perm = get(c->down[0]), g = 0;
			CHILD_OK(caec_grant(r, cons, (unsigned)perm, NULL, &g));
			put(c->up[1], g);
		} else if (cmd == 2) {
			put(c->up[1], (uint64_t)-caec_revoke(r, get(c->down[0])));
		} else if (cmd == 3) {
			uint64_t h[4] = { 0 };
			int rc = caec_seal(r, (uint8_t *)h, sizeof(h));
			put(c->up[1], (uint64_t)(rc < 0 ? -rc : 0));
			for (int i = 0; i < 4; i++)
				put(c->up[1], h[i]);
		} else if (cmd == 4) {
			const unsigned char *p = caec_region_addr(r);
			bool all = true;
			for (size_t i = 0; i < SIZE; i++)
				all = all && p[i] == 'P';
			put(c->up[1], all);
		} else if (cmd == 5) {
			put(c->up[1], (uint64_t)caec_test_faults(caec_region_addr(r), true));
		}
	}
	caec_close(ctx);
	_exit(0);
}

static uint64_t provider_grant(struct chan *c, uint64_t consumer, unsigned perm)
{
	put(c->down[1], 1);
	put(c->down[1], consumer);
	put(c->down[1], perm);
	return get(c->up[0]);
}

/* Does a store to the provider's mapping fault? */
static uint64_t provider_cmd_fault(struct chan *c)
{
	put(c->down[1], 5);
	return get(c->up[0]);
}

/* The result of a seal (command 3 sent earlier), and its hash. */
static int seal_result(struct chan *c, uint64_t hash[4])
{
	int rc = -(int)get(c->up[0]);
	for (int i = 0; i < 4; i++)
		hash[i] = get(c->up[0]);
	return rc;
}

/* ---- an honest consumer: libcaec ---------------------------------------- */

/* What command 3 of the honest consumer sees through its handle. */
enum view {
	VIEW_REVOKED = 0, /* caec_region_enter() gives NULL */
	VIEW_SEALED = 1,  /* readable, all 'P': the sealed content */
	VIEW_OTHER = 2,   /* readable, but not the sealed content */
};

/*
 * Reports its realm ID, then serves:
 *   1 <grant>            attach (no options); answers -result
 *   2 <grant> <h0..h3>   detach the current handle (if any) and attach
 *                        requiring that hash; answers -result
 *   3                    answers enum view, then 1 if caec_grant_list()
 *                        reports the current handle's grant sealed
 *   4                    detach; answers -result
 *   5                    answers how many grants caec_grant_list() lists
 *   0                    exit
 */
static pid_t consumer_start(struct chan *c, unsigned uid)
{
	pid_t pid = fork_child(c);
	if (pid != 0)
		return pid;
	CHILD_CHECK(caec_test_drop_to(uid) == 0);
	struct caec_ctx *ctx;
	struct caec_region *r = NULL;
	uint64_t self;
	CHILD_OK(caec_open(&ctx, NULL));
	CHILD_OK(caec_self_id(ctx, &self));
	put(c->up[1], self);
	for (;;) {
		uint64_t cmd = get(c->down[0]);
		if (cmd == 0)
			break;
		if (cmd == 1) {
			int rc = caec_attach(ctx, get(c->down[0]), NULL, &r);
			if (rc < 0)
				r = NULL;
			put(c->up[1], (uint64_t)-rc);
		} else if (cmd == 2) {
			uint64_t g = get(c->down[0]), h[4];
			for (int i = 0; i < 4; i++)
				h[i] = get(c->down[0]);
			if (r)
				CHILD_OK(caec_detach(r));
			struct caec_attach_opts o = { .size = sizeof(o), .hash_len = sizeof(h) };
			memcpy(o.expected_hash, h, sizeof(h));
			int rc = caec_attach(ctx, g, &o, &r);
			if (rc < 0)
				r = NULL;
			put(c->up[1], (uint64_t)-rc);
		} else if (cmd == 3) {
			CHILD_CHECK(r != NULL);
			const unsigned char *p = caec_region_enter(r);
			enum view v = VIEW_REVOKED;
			if (p) {
				v = VIEW_SEALED;
				for (size_t i = 0; i < SIZE; i++)
					if (p[i] != 'P')
						v = VIEW_OTHER;
			}
			caec_region_leave(r);
			struct caec_grant_info gi[8];
			int n = caec_grant_list(ctx, gi, 8);
			CHILD_OK(n);
			uint64_t sealed = 0;
			for (int i = 0; i < n && i < 8; i++)
				if (gi[i].grant_id == caec_region_id(r))
					sealed = (gi[i].flags & CAEC_GRANT_F_SEALED) != 0;
			put(c->up[1], v);
			put(c->up[1], sealed);
		} else if (cmd == 4) {
			int rc = r ? caec_detach(r) : CAEC_E_INVAL;
			r = NULL;
			put(c->up[1], (uint64_t)-rc);
		} else if (cmd == 5) {
			int n = caec_grant_list(ctx, NULL, 0);
			CHILD_OK(n);
			put(c->up[1], (uint64_t)n);
		}
	}
	caec_close(ctx);
	_exit(0);
}

static enum view consumer_view(struct chan *c, uint64_t *sealed)
{
	put(c->down[1], 3);
	enum view v = (enum view)get(c->up[0]);
	*sealed = get(c->up[0]);
	return v;
}

static int consumer_attach_hash(struct chan *c, uint64_t grant, const uint64_t h[4])
{
	put(c->down[1], 2);
	put(c->down[1], grant);
	for (int i = 0; i < 4; i++)
		put(c->down[1], h[i]);
	return -(int)get(c->up[0]);
}

/* ---- a hostile consumer: raw protocol ----------------------------------- */

/*
 * HELLO, report the HELLO status (negated) and its realm ID, wait for a
 * grant, attach it with `perm` and map its memory (shared; writable for
 * a read-write grant), close the descriptor -- and never acknowledge a
 * revocation, so the mapping outlives it.  Then report 1 and serve:
 *   1 <byte>   fill the kept mapping with byte; answers 1
 *   2          wait (20 s at most) for an event; answers its type and
 *              ID, or 0 0 if none came
 *   3          does the kept mapping read all zeros? (1/0)
 *   4          wait (30 s at most) until it does; answers 1, or 0 if it
 *              never did
 *   0          exit
 */
static pid_t hostile_start(struct chan *c, unsigned uid, unsigned perm)
{
	pid_t pid = fork_child(c);
	if (pid != 0)
		return pid;
	CHILD_CHECK(caec_test_drop_to(uid) == 0);
	int fd = raw_connect_to(simd.sock);
	CHILD_CHECK(fd >= 0);
	uint64_t id = 0;
	int evfd = -1;
	int st = raw_hello(fd, &id, &evfd);
	put(c->up[1], (uint64_t)-st);
	put(c->up[1], id);
	if (st != 0)
		_exit(0);
	uint64_t grant = get(c->down[0]);
	void *base = mmap(NULL, SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHILD_CHECK(base != MAP_FAILED);
	int memfd = -1;
	CHILD_RC(raw_attach(fd, grant, (uint64_t)(uintptr_t)base, SIZE, &memfd), 0);
	CHILD_CHECK(memfd >= 0);
	int prot = PROT_READ | (perm == CAEC_PERM_RW ? PROT_WRITE : 0);
	unsigned char *map = mmap(NULL, SIZE, prot, MAP_SHARED, memfd, 0);
	CHILD_CHECK(map != MAP_FAILED);
	close(memfd);
	put(c->up[1], 1);
	for (;;) {
		uint64_t cmd = get(c->down[0]);
		if (cmd == 0)
			break;
		if (cmd == 1) {
			uint64_t b = get(c->down[0]);
			CHILD_CHECK(perm == CAEC_PERM_RW);
			memset(map, (int)b, SIZE);
			put(c->up[1], 1);
		} else if (cmd == 2) {
			struct pollfd p = { .fd = evfd, .events = POLLIN };
			struct simd_event ev;
			/* The next event that is not the announcement of a
			 * grant (GRANTED, protocol 3: one came with ours). */
			do {
				memset(&ev, 0, sizeof(ev));
				if (poll(&p, 1, 20000) == 1 &&
				    sockmsg_recv(evfd, &ev, sizeof(ev), NULL, 0) != (ssize_t)sizeof(ev))
					memset(&ev, 0, sizeof(ev));
			} while (ev.type == SIMD_EV_GRANTED);
			put(c->up[1], ev.type);
			put(c->up[1], ev.id);
		} else if (cmd == 3 || cmd == 4) {
			bool zero = false;
			for (int k = 0; !zero && k < (cmd == 4 ? 3000 : 1); k++) {
				if (k > 0)
					nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
				zero = true;
				for (size_t i = 0; i < SIZE; i++)
					zero = zero && map[i] == 0;
			}
			put(c->up[1], zero);
		}
	}
	_exit(0);
}

/* ---- tests ---------------------------------------------------------------- */

/*
 * M2: a revoked read-write consumer keeps its mapping of the memory from
 * before the seal and changes it after the seal; a read-only consumer
 * attached before the seal must not read that change while its grant is
 * reported sealed.  It is revoked by the seal (its pre-seal mapping is
 * gone), keeps its grant, and attaching again maps the sealed copy, which
 * the hostile writer cannot reach.
 */
static void test_seal_copy_kept_writer_cannot_reach_ro_consumer(void **state)
{
	(void)state;
	need_root();
	struct chan pc, wc, rc;
	pid_t prov = provider_start(&pc, caec_test_uid(1));
	(void)get(pc.up[0]);
	pid_t writer = hostile_start(&wc, caec_test_uid(2), CAEC_PERM_RW);
	assert_caec_ok(-(int)get(wc.up[0])); /* HELLO */
	uint64_t wid = get(wc.up[0]);
	pid_t reader = consumer_start(&rc, caec_test_uid(3));
	uint64_t rid = get(rc.up[0]);

	/* The writer attaches read-write and maps the memory: from now on the
	 * region can only be sealed by a copy. */
	uint64_t gw = provider_grant(&pc, wid, CAEC_PERM_RW);
	put(wc.down[1], gw);
	assert_int_equal(get(wc.up[0]), 1);
	/* The reader attaches read-only, before the seal. */
	uint64_t gr = provider_grant(&pc, rid, CAEC_PERM_RO);
	assert_caec_ok(-(int)cmd1(&rc, 1, gr));
	uint64_t sealed = 0;
	assert_int_equal(consumer_view(&rc, &sealed), VIEW_SEALED);
	assert_int_equal(sealed, 0);
	/* The writer is revoked, ignores it and keeps its mapping. */
	assert_caec_err(-(int)cmd1(&pc, 2, gw), CAEC_E_UNCONFIRMED);

	/* Seal: the reader acknowledges its revocation (libcaec), so the
	 * seal is confirmed. */
	uint64_t hash[4];
	put(pc.down[1], 3);
	assert_caec_ok(seal_result(&pc, hash));
	assert_int_equal(provider_cmd_fault(&pc), 1);

	/* The writer changes the memory it kept. */
	assert_int_equal(cmd1(&wc, 1, 'W'), 1);
	enum view v = consumer_view(&rc, &sealed);
	assert_int_equal(sealed, 1); /* the platform claims: sealed */
	if (v == VIEW_OTHER)
		fail_msg("a read-only consumer attached before the seal reads memory a "
			 "revoked writer changed after it, while its grant is reported sealed");
	assert_int_equal(v, VIEW_REVOKED);

	/* The grant survived: attaching again (with the hash) maps the sealed
	 * copy, which the writer's kept mapping does not reach. */
	assert_caec_ok(consumer_attach_hash(&rc, gr, hash));
	assert_int_equal(consumer_view(&rc, &sealed), VIEW_SEALED);
	assert_int_equal(sealed, 1);
	assert_int_equal(cmd1(&wc, 1, 'V'), 1);
	assert_int_equal(consumer_view(&rc, &sealed), VIEW_SEALED);
	put(pc.down[1], 4);
	assert_int_equal(get(pc.up[0]), 1); /* the provider's view too */

	child_stop(&rc, reader);
	child_stop(&wc, writer);
	child_stop(&pc, prov);
}

/*
 * A consumer attached before a seal by copy that ignores its revocation is
 * disconnected, and the seal says so: CAEC_E_UNCONFIRMED -- yet the region
 * is sealed, the provider has its hash and a read-only mapping, and the
 * memory the consumer kept mapping is scrubbed (reads zeros).  While the
 * seal waits, attaching to the region is refused (CAEC_E_BUSY: it would map
 * the memory being replaced); afterwards it maps the sealed copy.
 */
static void test_seal_copy_unconfirmed_and_busy(void **state)
{
	(void)state;
	need_root();
	struct chan pc, hc, rc;
	pid_t prov = provider_start(&pc, caec_test_uid(4));
	(void)get(pc.up[0]);
	pid_t reader = consumer_start(&rc, caec_test_uid(5));
	uint64_t rid = get(rc.up[0]);
	pid_t hostile = hostile_start(&hc, caec_test_uid(6), CAEC_PERM_RO);
	assert_caec_ok(-(int)get(hc.up[0])); /* HELLO */
	uint64_t hid = get(hc.up[0]);

	/* The reader once had a writable descriptor: no seal in place. */
	uint64_t grw = provider_grant(&pc, rid, CAEC_PERM_RW);
	assert_caec_ok(-(int)cmd1(&rc, 1, grw));
	put(rc.down[1], 4);
	assert_caec_ok(-(int)get(rc.up[0]));
	assert_caec_ok(-(int)cmd1(&pc, 2, grw));
	/* A hostile read-only consumer attaches and maps. */
	uint64_t gh = provider_grant(&pc, hid, CAEC_PERM_RO);
	put(hc.down[1], gh);
	assert_int_equal(get(hc.up[0]), 1);
	uint64_t gr = provider_grant(&pc, rid, CAEC_PERM_RO);

	/* Seal; it waits for the hostile consumer's acknowledgement. */
	put(pc.down[1], 3);
	put(hc.down[1], 2);
	uint64_t type = get(hc.up[0]), id = get(hc.up[0]);
	if (type == 0)
		fail_msg("a consumer attached across a seal by copy was not revoked");
	assert_int_equal(type, SIMD_EV_REVOKED);
	assert_int_equal(id, gh);
	/* Meanwhile an attach would map the old memory: refused. */
	assert_caec_err(-(int)cmd1(&rc, 1, gr), CAEC_E_BUSY);

	uint64_t hash[4];
	assert_caec_err(seal_result(&pc, hash), CAEC_E_UNCONFIRMED);
	assert_true(hash[0] | hash[1] | hash[2] | hash[3]);
	assert_int_equal(provider_cmd_fault(&pc), 1); /* read-only */
	put(pc.down[1], 4);
	assert_int_equal(get(pc.up[0]), 1);
	/* The memory it kept was replaced and scrubbed: it reads zeros. */
	put(hc.down[1], 3);
	assert_int_equal(get(hc.up[0]), 1);
	/* Sealed with that hash: the reader attaches requiring it. */
	assert_caec_ok(consumer_attach_hash(&rc, gr, hash));
	uint64_t sealed = 0;
	assert_int_equal(consumer_view(&rc, &sealed), VIEW_SEALED);
	assert_int_equal(sealed, 1);

	child_stop(&rc, reader);
	child_stop(&hc, hostile);
	child_stop(&pc, prov);
}

/*
 * A provider that dies while its seal by copy waits for a consumer that
 * ignores the revocation: the daemon destroys the region (the memory the
 * consumer kept reads zeros, the other consumer's grant is gone) and keeps
 * serving; the teardown checks that it then exits cleanly (and, in the
 * ASan build, without leaking the waiting seal).
 */
static void test_seal_copy_provider_dies_while_waiting(void **state)
{
	(void)state;
	need_root();
	struct chan pc, hc, rc;
	pid_t prov = provider_start(&pc, caec_test_uid(7));
	(void)get(pc.up[0]);
	pid_t reader = consumer_start(&rc, caec_test_uid(8));
	uint64_t rid = get(rc.up[0]);
	pid_t hostile = hostile_start(&hc, caec_test_uid(9), CAEC_PERM_RO);
	assert_caec_ok(-(int)get(hc.up[0])); /* HELLO */
	uint64_t hid = get(hc.up[0]);

	/* A read-write attach (then detach, revoke): only a copy can seal. */
	uint64_t grw = provider_grant(&pc, rid, CAEC_PERM_RW);
	assert_caec_ok(-(int)cmd1(&rc, 1, grw));
	put(rc.down[1], 4);
	assert_caec_ok(-(int)get(rc.up[0]));
	assert_caec_ok(-(int)cmd1(&pc, 2, grw));
	(void)provider_grant(&pc, rid, CAEC_PERM_RO);
	uint64_t gh = provider_grant(&pc, hid, CAEC_PERM_RO);
	put(hc.down[1], gh);
	assert_int_equal(get(hc.up[0]), 1);

	/* Seal; the hostile consumer is revoked and stays silent. */
	put(pc.down[1], 3);
	put(hc.down[1], 2);
	assert_int_equal(get(hc.up[0]), SIMD_EV_REVOKED);
	assert_int_equal(get(hc.up[0]), gh);
	/* The provider dies in caec_seal(). */
	assert_int_equal(kill(prov, SIGKILL), 0);
	assert_int_equal(wait_child(prov), 128 + SIGKILL);
	close(pc.up[0]);
	close(pc.down[1]);

	put(hc.down[1], 4);
	assert_int_equal(get(hc.up[0]), 1);
	put(rc.down[1], 5);
	assert_int_equal(get(rc.up[0]), 0);

	child_stop(&rc, reader);
	child_stop(&hc, hostile);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seal_copy_kept_writer_cannot_reach_ro_consumer,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_copy_unconfirmed_and_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seal_copy_provider_dies_while_waiting, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("seal by copy", tests, NULL, NULL);
}
