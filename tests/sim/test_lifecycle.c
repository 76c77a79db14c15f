/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a realm keeps when things end: a connection the daemon drops, a
 * daemon that dies, a fork().
 *
 *  - Losing the platform revokes every consumer mapping at once, as a
 *    revocation would: whatever the provider writes afterwards is never
 *    read through the library.
 *  - A forked child's inherited contexts are dead (CAEC_E_FORKED) and it
 *    inherits no region memory: it cannot keep reading a consumer's
 *    mapping after the provider revoked it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caec_test.h"
#include "fault_probe.h"
#include "simd_fixture.h"
#include "../adversarial/adv_util.h"

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

static void wait_revoked(struct caec_region *r)
{
	for (int i = 0; i < 1000 && !caec_region_is_revoked(r); i++)
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
}

/* The consumer's handler for the second grant takes longer than the
 * revoke timeout: the daemon gives up on this consumer and disconnects
 * it while the handler runs. */
static void slow_handler(struct caec_region *r, int ev, uint64_t grant, void *arg)
{
	(void)r;
	(void)grant;
	(void)arg;
	if (ev == CAEC_REGION_EV_REVOKED)
		nanosleep(&(struct timespec){ 1, 0 }, NULL);
}

/*
 * The daemon disconnects a consumer (it did not acknowledge a revocation
 * in time).  Its other attachment must go too: the library, having lost
 * its platform, revokes it -- the provider's later writes are never read.
 */
static void test_life_disconnected_consumer_reads_nothing_more(void **state)
{
	(void)state;
	struct caec_ctx *prov, *cons;
	struct caec_region *r1, *r2, *a1, *a2;
	uint64_t cid, g1, g2;
	assert_caec_ok(caec_open(&prov, NULL));
	assert_caec_ok(caec_open(&cons, NULL));
	assert_caec_ok(caec_self_id(cons, &cid));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r1));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r2));
	strcpy(caec_region_addr(r1), "before");
	assert_caec_ok(caec_grant(r1, cid, CAEC_PERM_RO, NULL, &g1));
	assert_caec_ok(caec_grant(r2, cid, CAEC_PERM_RO, NULL, &g2));
	assert_caec_ok(caec_attach(cons, g1, NULL, &a1));
	assert_caec_ok(caec_attach(cons, g2, NULL, &a2));
	assert_caec_ok(caec_region_set_event_handler(a2, slow_handler, NULL));
	/* Not confirmed in time: the consumer was disconnected. */
	assert_caec_err(caec_revoke(r2, g2), CAEC_E_UNCONFIRMED);
	strcpy(caec_region_addr(r1), "AFTER: the consumer must not see this");
	wait_revoked(a1);
	assert_true(caec_region_is_revoked(a1));
	assert_null(caec_region_enter(a1));
	caec_region_leave(a1);
	assert_int_equal(caec_test_faults(caec_region_addr(a1), false), 1);
	assert_caec_err(caec_grant_list(cons, NULL, 0), CAEC_E_PLATFORM);
	assert_caec_ok(caec_detach(a1));
	assert_caec_ok(caec_detach(a2));
	caec_close(cons);
	assert_caec_ok(caec_unshare(r1));
	assert_caec_ok(caec_unshare(r2));
	caec_close(prov);
}

/*
 * The daemon dies.  Every consumer mapping is revoked (enter() returns
 * NULL, the old address faults); the provider's own memory stays.
 */
static void test_life_lost_platform_revokes_consumers(void **state)
{
	(void)state;
	struct caec_ctx *prov, *cons;
	struct caec_region *r, *a;
	uint64_t cid, g;
	assert_caec_ok(caec_open(&prov, NULL));
	assert_caec_ok(caec_open(&cons, NULL));
	assert_caec_ok(caec_self_id(cons, &cid));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r));
	((char *)caec_region_addr(r))[0] = 'p';
	assert_caec_ok(caec_grant(r, cid, CAEC_PERM_RW, NULL, &g));
	assert_caec_ok(caec_attach(cons, g, NULL, &a));
	caec_test_kill_simd(&simd);
	wait_revoked(a);
	assert_true(caec_region_is_revoked(a));
	assert_null(caec_region_enter(a));
	caec_region_leave(a);
	assert_int_equal(caec_test_faults(caec_region_addr(a), false), 1);
	assert_int_equal(((char *)caec_region_addr(r))[0], 'p');
	assert_caec_ok(caec_detach(a));
	caec_close(cons);
	assert_caec_err(caec_unshare(r), CAEC_E_PLATFORM);
	caec_close(prov);
	assert_int_equal(caec_test_start_simd(&simd, NULL), 0);
}

/*
 * fork(): the child inherits neither a usable context nor region memory.
 * Every call on the inherited context fails with CAEC_E_FORKED, enter()
 * gives NULL, the consumer's address is unmapped in the child; after the
 * provider revokes the grant, the child reads nothing of what the
 * provider writes.  caec_close() in the child frees its copy only: the
 * parent's context works on.
 */
static void test_life_fork_child_has_nothing(void **state)
{
	(void)state;
	struct caec_ctx *prov, *cons;
	struct caec_region *r, *a, *x;
	uint64_t cid, g, id;
	struct caec_grant_info gi;
	assert_caec_ok(caec_open(&prov, NULL));
	assert_caec_ok(caec_open(&cons, NULL));
	assert_caec_ok(caec_self_id(cons, &cid));
	assert_caec_ok(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r));
	strcpy(caec_region_addr(r), "shared");
	assert_caec_ok(caec_grant(r, cid, CAEC_PERM_RO, NULL, &g));
	assert_caec_ok(caec_attach(cons, g, NULL, &a));
	struct chan c;
	chan_open(&c);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		chan_child_side(&c);
		CHILD_RC(caec_share(cons, CAEC_GRANULE_SIZE, 0, &x), CAEC_E_FORKED);
		CHILD_RC(caec_grant_list(cons, &gi, 1), CAEC_E_FORKED);
		CHILD_RC(caec_self_id(cons, &id), CAEC_E_FORKED);
		CHILD_RC(caec_revoke(r, g), CAEC_E_FORKED);
		CHILD_RC(caec_detach(a), CAEC_E_FORKED);
		CHILD_CHECK(caec_region_enter(a) == NULL);
		caec_region_leave(a);
		volatile unsigned char *pa = caec_region_addr(a);
		CHILD_CHECK(caec_test_faults(pa, false) == 1);
		CHILD_CHECK(caec_test_faults(caec_region_addr(r), false) == 1);
		put(c.up[1], 1);
		get(c.down[0]); /* the provider has revoked and written */
		CHILD_CHECK(caec_test_faults(pa, false) == 1);
		caec_close(cons);
		caec_close(prov);
		_exit(0);
	}
	chan_parent_side(&c);
	assert_int_equal(get(c.up[0]), 1);
	assert_caec_ok(caec_revoke(r, g));
	strcpy(caec_region_addr(r), "after revoke");
	put(c.down[1], 1);
	assert_int_equal(wait_child(pid), 0);
	/* The parent's contexts are untouched by the child's close. */
	assert_caec_ok(caec_self_id(cons, &id));
	assert_int_equal(caec_grant_list(cons, NULL, 0), 0);
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_unshare(r));
	caec_close(cons);
	caec_close(prov);
}

int main(void)
{
	caec_test_filter();
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_life_disconnected_consumer_reads_nothing_more, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_lost_platform_revokes_consumers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_life_fork_child_has_nothing, setup, teardown),
	};
	return cmocka_run_group_tests_name("lifecycle: lost platform, fork", tests, NULL, NULL);
}
