/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Region memory is reachable only through a grant.
 *
 * The daemon runs as root, as it is meant to (docs/sim-platform.md), and
 * admits only realms it can isolate; realms run as throwaway unprivileged
 * users.  A read-only consumer, a read-write consumer and a process of the
 * provider's own user that is not a realm each try what a hostile process
 * would: change the memory's mode, reopen it writable, add seals, read and
 * write the provider's memory through /proc.  Each fails, and the provider
 * can still seal.  A realm whose privileges would defeat all of that
 * (root here) is refused unless the daemon runs in development mode, and
 * then it is flagged.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <mbedtls/sha256.h>

#include <caec/attest.h>

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
	static const char *const args[] = { "--revoke-timeout-ms", "300", NULL };
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

/*
 * A provider realm in a child of user uid: shares SIZE bytes filled with
 * 'P', tells the parent its realm ID... then serves commands from the
 * parent on c.down (one u64 each) and answers on c.up:
 *   1 <consumer> <perm>   grant; answers the grant ID
 *   2 <grant>             revoke; answers the result (+CAEC_E_* negated)
 *   3                     seal; answers the result
 *   4                     is the memory still all 'P'? (1/0)
 *   5                     does a store fault? (1/0)
 *   6                     the region's address
 *   0                     exit
 */
static pid_t provider_start(struct chan *c, unsigned uid)
{
	chan_open(c);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid != 0) {
		chan_parent_side(c);
		return pid;
	}
	chan_child_side(c);
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
			uint8_t h[32];
			int rc = caec_seal(r, h, sizeof(h));
			put(c->up[1], (uint64_t)(rc < 0 ? -rc : 0));
		} else if (cmd == 4) {
			const unsigned char *p = caec_region_addr(r);
			bool all = true;
			for (size_t i = 0; i < SIZE; i++)
				all = all && p[i] == 'P';
			put(c->up[1], all);
		} else if (cmd == 5) {
			put(c->up[1], (uint64_t)caec_test_faults(caec_region_addr(r), true));
		} else if (cmd == 6) {
			put(c->up[1], (uint64_t)(uintptr_t)caec_region_addr(r));
		}
	}
	caec_close(ctx);
	_exit(0);
}

static void provider_stop(struct chan *c, pid_t pid)
{
	put(c->down[1], 0);
	assert_int_equal(wait_child(pid), 0);
	close(c->up[0]);
	close(c->down[1]);
}

static uint64_t provider_cmd(struct chan *c, uint64_t cmd)
{
	put(c->down[1], cmd);
	return get(c->up[0]);
}

static uint64_t provider_grant(struct chan *c, uint64_t consumer, unsigned perm)
{
	put(c->down[1], 1);
	put(c->down[1], consumer);
	put(c->down[1], perm);
	return get(c->up[0]);
}

/*
 * A hostile consumer on the raw protocol (it keeps the descriptor libcaec
 * would close), as user uid: HELLO, report the HELLO status (negated) and
 * its realm ID, wait for a grant, attach it keeping the descriptor, then
 * run `attack` and exit with its result.
 */
typedef int (*attack_fn)(int memfd, unsigned perm);

static pid_t hostile_consumer(struct chan *c, unsigned uid, unsigned perm, attack_fn attack)
{
	chan_open(c);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid != 0) {
		chan_parent_side(c);
		return pid;
	}
	chan_child_side(c);
	if (uid)
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
	int memfd = -1;
	CHILD_RC(raw_attach(fd, grant, (uint64_t)(uintptr_t)base, SIZE, &memfd), 0);
	CHILD_CHECK(memfd >= 0);
	int rc = attack(memfd, perm);
	put(c->up[1], 1);
	get(c->down[0]); /* hold the connection until told */
	_exit(rc);
}

/* The usual escalations on a read-only descriptor: each must fail. */
static int attack_ro(int memfd, unsigned perm)
{
	(void)perm;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	CHILD_CHECK(fchmod(memfd, 0666) < 0);
	CHILD_CHECK(open(path, O_RDWR | O_CLOEXEC) < 0);
	CHILD_CHECK(fcntl(memfd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE) < 0);
	CHILD_CHECK(fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL) < 0);
	CHILD_CHECK(mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0) == MAP_FAILED);
	CHILD_CHECK(pwrite(memfd, "X", 1, 0) < 0);
	return 0;
}

/* A read-write consumer may write, but never change seals (which could
 * lock its provider out of sealing, or later writers out). */
static int attack_rw(int memfd, unsigned perm)
{
	(void)perm;
	CHILD_CHECK(fchmod(memfd, 0666) < 0);
	CHILD_CHECK(fcntl(memfd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE) < 0);
	CHILD_CHECK(fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL) < 0);
	CHILD_CHECK(fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE) < 0);
	return 0;
}

/* Root escalates: take the inode, reopen it writable, write. */
static int attack_as_root(int memfd, unsigned perm)
{
	(void)perm;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	(void)fchmod(memfd, 0666);
	int w = open(path, O_RDWR | O_CLOEXEC);
	if (w >= 0 && pwrite(w, "ROOT", 4, 0) == 4)
		return 2; /* wrote into a read-only grant */
	return 0;
}

/*
 * A read-only consumer of another user cannot gain write access or change
 * seals by any of the usual means, and the provider's seal still works.
 */
static void test_iso_ro_consumer_cannot_write_or_seal(void **state)
{
	(void)state;
	need_root();
	struct chan pc, cc;
	pid_t prov = provider_start(&pc, caec_test_uid(1));
	(void)get(pc.up[0]);
	pid_t cons = hostile_consumer(&cc, caec_test_uid(2), CAEC_PERM_RO, attack_ro);
	assert_caec_ok(-(int)get(cc.up[0])); /* HELLO */
	uint64_t cid = get(cc.up[0]);
	put(cc.down[1], provider_grant(&pc, cid, CAEC_PERM_RO));
	assert_int_equal(get(cc.up[0]), 1);
	put(cc.down[1], 1);
	assert_int_equal(wait_child(cons), 0);
	assert_int_equal(provider_cmd(&pc, 4), 1); /* untouched */
	assert_int_equal(provider_cmd(&pc, 3), 0); /* seals */
	assert_int_equal(provider_cmd(&pc, 5), 1); /* now read-only */
	provider_stop(&pc, prov);
}

/*
 * A read-write consumer cannot add seals: not F_SEAL_FUTURE_WRITE (later
 * writers, the provider's own restored mapping, would be locked out), not
 * F_SEAL_SEAL (sealing would fail, leaving the provider's mapping
 * inaccessible).  Once its grant is revoked the provider seals; a failed
 * seal (a read-write grant still exists) leaves its mapping writable.
 */
static void test_iso_rw_consumer_cannot_change_seals(void **state)
{
	(void)state;
	need_root();
	struct chan pc, cc;
	pid_t prov = provider_start(&pc, caec_test_uid(3));
	(void)get(pc.up[0]);
	pid_t cons = hostile_consumer(&cc, caec_test_uid(4), CAEC_PERM_RW, attack_rw);
	assert_caec_ok(-(int)get(cc.up[0])); /* HELLO */
	uint64_t cid = get(cc.up[0]);
	uint64_t grant = provider_grant(&pc, cid, CAEC_PERM_RW);
	put(cc.down[1], grant);
	assert_int_equal(get(cc.up[0]), 1);
	/* Sealing with a read-write grant fails, and the mapping stays RW. */
	assert_int_equal(provider_cmd(&pc, 3), (uint64_t)-CAEC_E_STATE);
	assert_int_equal(provider_cmd(&pc, 5), 0);
	/* The hostile consumer never acknowledges: the revoke says so. */
	put(pc.down[1], 2);
	put(pc.down[1], grant);
	assert_int_equal(get(pc.up[0]), (uint64_t)-CAEC_E_UNCONFIRMED);
	put(cc.down[1], 1);
	assert_int_equal(wait_child(cons), 0);
	assert_int_equal(provider_cmd(&pc, 3), 0);  /* seals */
	assert_int_equal(provider_cmd(&pc, 5), 1);  /* read-only now */
	assert_int_equal(provider_cmd(&pc, 4), 1);  /* content intact */
	provider_stop(&pc, prov);
}

/*
 * A realm running as root -- the daemon's user, with every capability --
 * could take a read-only grant's memory and write it.  The daemon refuses
 * to admit it (CAEC_E_DENIED), so it never gets a grant.
 */
static void test_iso_privileged_realm_refused(void **state)
{
	(void)state;
	need_root();
	struct chan pc, cc;
	pid_t prov = provider_start(&pc, caec_test_uid(5));
	(void)get(pc.up[0]);
	pid_t cons = hostile_consumer(&cc, 0, CAEC_PERM_RO, attack_as_root);
	int hello = -(int)get(cc.up[0]);
	uint64_t cid = get(cc.up[0]);
	if (hello == 0) {
		/* Admitted (the defect): let the attack run to show what it does. */
		put(cc.down[1], provider_grant(&pc, cid, CAEC_PERM_RO));
		(void)get(cc.up[0]);
		put(cc.down[1], 1);
		int st = wait_child(cons);
		assert_int_equal(provider_cmd(&pc, 4), 1);
		fail_msg("a root realm was admitted (attack exit %d)", st);
	}
	assert_caec_err(hello, CAEC_E_DENIED);
	assert_int_equal(wait_child(cons), 0);
	assert_int_equal(provider_cmd(&pc, 4), 1);
	provider_stop(&pc, prov);
}

/*
 * A process of the provider's own user that is not a realm reaches no
 * region memory: the provider keeps no descriptor of it (nothing to open
 * through /proc/<pid>/fd), and a realm process is not dumpable (no
 * /proc/<pid>/mem, no ptrace).
 */
static void test_iso_same_user_non_realm_reaches_nothing(void **state)
{
	(void)state;
	need_root();
	unsigned uid = caec_test_uid(6);
	struct chan pc;
	pid_t prov = provider_start(&pc, uid);
	(void)get(pc.up[0]);
	uint64_t addr = provider_cmd(&pc, 6);
	pid_t spy = fork();
	assert_true(spy >= 0);
	if (spy == 0) {
		CHILD_CHECK(caec_test_drop_to(uid) == 0);
		char path[64];
		int wrote = 0;
		/* Every descriptor the provider holds, opened for writing. */
		snprintf(path, sizeof(path), "/proc/%d/fd", (int)prov);
		DIR *dir = opendir(path);
		for (struct dirent *e; dir && (e = readdir(dir));) {
			char fdp[400];
			struct stat st;
			snprintf(fdp, sizeof(fdp), "%s/%s", path, e->d_name);
			int fd = open(fdp, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == SIZE &&
			    pwrite(fd, "SPY", 3, 0) == 3)
				wrote = 1;
			close(fd);
		}
		if (dir)
			closedir(dir);
		/* The provider's memory, directly. */
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)prov);
		int mem = open(path, O_RDWR | O_CLOEXEC);
		char b[3];
		if (mem >= 0 && pread(mem, b, 3, (off_t)addr) == 3)
			wrote |= 2;
		if (mem >= 0 && pwrite(mem, "SPY", 3, (off_t)addr) == 3)
			wrote |= 4;
		_exit(wrote);
	}
	assert_int_equal(wait_child(spy), 0);
	assert_int_equal(provider_cmd(&pc, 4), 1);
	provider_stop(&pc, prov);
}

/*
 * Development mode (--allow-insecure-realms): a realm the daemon cannot
 * isolate is admitted, and that is visible -- in caec_ctx_flags() and in
 * every token (a debug lifecycle, so caec_verify_peer() warns).  A realm
 * of another user on the same daemon is not flagged.
 */
static void test_iso_insecure_realm_is_flagged(void **state)
{
	(void)state;
	need_root();
	struct caec_test_simd dev;
	static const char *const args[] = { "--allow-insecure-realms", NULL };
	assert_int_equal(caec_test_start_simd_secure(&dev, args), 0);
	struct caec_ctx *ctx = NULL;
	uint32_t flags = 0;
	assert_caec_ok(caec_open(&ctx, NULL)); /* root: insecure */
	assert_caec_ok(caec_ctx_flags(ctx, &flags));
	assert_true(flags & CAEC_CTX_F_INSECURE);
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 1 };
	uint64_t id;
	assert_caec_ok(caec_self_id(ctx, &id));
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	int rc = caec_verify_peer(ctx, id, ch, tok, (size_t)n, NULL, NULL);
	assert_caec_ok(rc);
	assert_true(rc & CAEC_VERIFY_W_DEBUG_PLATFORM);
	caec_close(ctx);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		CHILD_CHECK(caec_test_drop_to(caec_test_uid(7)) == 0);
		CHILD_OK(caec_open(&ctx, NULL));
		CHILD_OK(caec_ctx_flags(ctx, &flags));
		CHILD_CHECK(!(flags & CAEC_CTX_F_INSECURE));
		caec_close(ctx);
		_exit(0);
	}
	assert_int_equal(wait_child(pid), 0);
	assert_int_equal(caec_test_stop_simd(&dev), 0);
	/* Back to the secure daemon of this group's fixture. */
	setenv("CAEC_SIM_SOCKET", simd.sock, 1);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_iso_ro_consumer_cannot_write_or_seal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iso_rw_consumer_cannot_change_seals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iso_privileged_realm_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iso_same_user_non_realm_reaches_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iso_insecure_realm_is_flagged, setup, teardown),
	};
	return cmocka_run_group_tests_name("region isolation between users", tests, NULL, NULL);
}
