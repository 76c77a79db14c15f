/*
 * lib/granule on its own, on the fake host's 8 MB "DRAM" (no RMI call):
 * address <-> granule mapping and its bounds, locking on a state, the
 * multi-granule lock (order, duplicates, rollback), refcounts and the
 * refcount invariant checked at unlock, scrubbing, the state count.
 * The RMI commands that use it are tested in runtime/tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fake_host.h>
#include <granule.h>
#include <lockdep.h>
#include <plat_memory.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PA(i)		(PLAT_NS_DRAM_BASE + (uint64_t)(i) * GRANULE_SIZE)
#define LAST		(PLAT_NS_DRAM_SIZE / GRANULE_SIZE - 1U)

static int setup(void **state)
{
	(void)state;
	fake_host_reset();
	return 0;
}

/* Every granule lock released and lockdep agrees. */
static void assert_nothing_locked(void)
{
	uint64_t i;

	for (i = 0; i <= LAST; i++) {
		assert_false(spinlock_is_held(&addr_to_granule(PA(i))->lock));
	}
	assert_int_equal(0, lockdep_held());
}

static void test_addr_mapping(void **state)
{
	uint64_t i;

	(void)state;
	for (i = 0; i <= LAST; i++) {
		struct granule *g = addr_to_granule(PA(i));

		assert_non_null(g);
		assert_int_equal(PA(i), granule_addr(g));
		if (i > 0) {
			assert_ptr_equal(addr_to_granule(PA(i - 1)) + 1, g);
		}
	}
	/* Outside the delegable range, or not granule-aligned: no granule. */
	assert_null(addr_to_granule(PLAT_NS_DRAM_BASE - GRANULE_SIZE));
	assert_null(addr_to_granule(PA(LAST + 1)));
	assert_null(addr_to_granule(0));
	assert_null(addr_to_granule(UINT64_MAX & ~(GRANULE_SIZE - 1)));
	assert_null(addr_to_granule(PA(3) + 8));
	assert_null(addr_to_granule(PA(3) + GRANULE_SIZE - 1));
	/* A fresh table: every granule NS, refcount 0. */
	assert_int_equal(LAST + 1, granule_count_in_state(GRANULE_STATE_NS));
	assert_int_equal(0, granule_refcount(addr_to_granule(PA(LAST))));
}

static void test_lock_on_state(void **state)
{
	struct granule *g;

	(void)state;
	/* Wrong state: NULL and nothing left locked. */
	assert_null(find_lock_granule(PA(5), GRANULE_STATE_DELEGATED));
	assert_nothing_locked();
	assert_null(find_lock_granule(PA(5) + 1, GRANULE_STATE_NS));
	assert_null(find_lock_granule(PA(LAST + 1), GRANULE_STATE_ANY));
	assert_nothing_locked();

	g = find_lock_granule(PA(5), GRANULE_STATE_NS);
	assert_ptr_equal(addr_to_granule(PA(5)), g);
	assert_true(spinlock_is_held(&g->lock));
	assert_int_equal(1, lockdep_held());
	granule_unlock_transition(g, GRANULE_STATE_DELEGATED);
	assert_nothing_locked();
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(g));
	assert_int_equal(1, granule_count_in_state(GRANULE_STATE_DELEGATED));

	/* ANY matches whatever is stored. */
	g = find_lock_granule(PA(5), GRANULE_STATE_ANY);
	assert_non_null(g);
	granule_unlock(g);
	assert_null(find_lock_granule(PA(5), GRANULE_STATE_NS));
	assert_nothing_locked();
}

static void test_lock_set_sorted(void **state)
{
	/* Named out of order: locked in ascending order (lockdep aborts
	 * otherwise), each found in the state asked for. */
	struct granule_set set[4] = {
		{ PA(40), GRANULE_STATE_NS, NULL },
		{ PA(7), GRANULE_STATE_NS, NULL },
		{ PA(300), GRANULE_STATE_NS, NULL },
		{ PA(8), GRANULE_STATE_NS, NULL },
	};
	unsigned int i;

	(void)state;
	assert_true(find_lock_granules(set, 4));
	assert_int_equal(4, lockdep_held());
	for (i = 0; i < 4; i++) {
		assert_ptr_equal(addr_to_granule(set[i].addr), set[i].g);
		assert_true(spinlock_is_held(&set[i].g->lock));
	}
	for (i = 0; i < 4; i++) {
		granule_unlock(set[i].g);
	}
	assert_nothing_locked();
}

static void test_lock_set_refusals(void **state)
{
	struct granule *g;
	struct granule_set dup[3] = {
		{ PA(9), GRANULE_STATE_NS, NULL },
		{ PA(10), GRANULE_STATE_NS, NULL },
		{ PA(9), GRANULE_STATE_NS, NULL },
	};
	struct granule_set untracked[2] = {
		{ PA(9), GRANULE_STATE_NS, NULL },
		{ PA(LAST + 1), GRANULE_STATE_NS, NULL },
	};
	/* The third in address order is in the wrong state: the two below
	 * it were locked first and must be released again. */
	struct granule_set mismatch[4] = {
		{ PA(30), GRANULE_STATE_NS, NULL },
		{ PA(11), GRANULE_STATE_NS, NULL },
		{ PA(20), GRANULE_STATE_NS, NULL },
		{ PA(12), GRANULE_STATE_NS, NULL },
	};

	(void)state;
	assert_false(find_lock_granules(dup, 3));
	assert_nothing_locked();
	assert_false(find_lock_granules(untracked, 2));
	assert_nothing_locked();

	g = find_lock_granule(PA(20), GRANULE_STATE_NS);
	granule_unlock_transition(g, GRANULE_STATE_DELEGATED);
	assert_false(find_lock_granules(mismatch, 4));
	assert_nothing_locked();
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(g));
	assert_int_equal(GRANULE_STATE_NS, granule_get_state(addr_to_granule(PA(11))));
}

static void test_refcount(void **state)
{
	struct granule *g;

	(void)state;
	g = find_lock_granule(PA(50), GRANULE_STATE_NS);
	granule_set_state(g, GRANULE_STATE_RTT);
	granule_get(g);
	granule_get(g);
	granule_get(g);
	assert_int_equal(3, granule_refcount(g));
	granule_put(g);
	assert_int_equal(2, granule_refcount(g));
	granule_refcount_set(g, 512);
	assert_int_equal(512, granule_refcount(g));
	granule_unlock(g);
	assert_int_equal(512, granule_refcount(addr_to_granule(PA(50))));
	/* A neighbour is untouched. */
	assert_int_equal(0, granule_refcount(addr_to_granule(PA(51))));
}

/* Runs fn in a child: did it die of an assertion (SIGABRT)? */
static bool aborts(void (*fn)(void))
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		/* No core dumps or cmocka output from the child. */
		fclose(stderr);
		fn();
		_exit(0);
	}
	assert_int_equal(pid, waitpid(pid, &st, 0));
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

static void delegated_with_reference(void)
{
	struct granule *g = find_lock_granule(PA(60), GRANULE_STATE_NS);

	granule_set_state(g, GRANULE_STATE_DELEGATED);
	granule_get(g);
	granule_unlock(g);	/* DELEGATED must have refcount 0 */
}

static void data_without_mapping(void)
{
	struct granule *g = find_lock_granule(PA(61), GRANULE_STATE_NS);

	granule_unlock_transition(g, GRANULE_STATE_DATA);	/* DATA needs >= 1 */
}

static void put_below_zero(void)
{
	granule_put(addr_to_granule(PA(62)));
}

static void state_change_unlocked(void)
{
	granule_set_state(addr_to_granule(PA(63)), GRANULE_STATE_RD);
}

static void data_with_mapping(void)
{
	struct granule *g = find_lock_granule(PA(64), GRANULE_STATE_NS);

	granule_set_state(g, GRANULE_STATE_DATA);
	granule_get(g);
	granule_unlock(g);
}

static void test_invariants_checked(void **state)
{
	(void)state;
	assert_true(aborts(delegated_with_reference));
	assert_true(aborts(data_without_mapping));
	assert_true(aborts(put_below_zero));
	assert_true(aborts(state_change_unlocked));
	assert_false(aborts(data_with_mapping));
}

static void test_memzero_one_granule(void **state)
{
	uint8_t *prev = fake_pa_ptr(PA(69)), *g = fake_pa_ptr(PA(70)), *next = fake_pa_ptr(PA(71));
	unsigned int i;

	(void)state;
	memset(prev, 0x11, GRANULE_SIZE);
	memset(g, 0x22, GRANULE_SIZE);
	memset(next, 0x33, GRANULE_SIZE);
	/* The RMM writes a granule only once it is in the Realm PAS. */
	assert_int_equal(0, plat_gtsi_delegate(PA(70)));
	granule_memzero(addr_to_granule(PA(70)));
	for (i = 0; i < GRANULE_SIZE; i++) {
		assert_int_equal(0x11, prev[i]);
		assert_int_equal(0, g[i]);
		assert_int_equal(0x33, next[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_addr_mapping, setup),
		cmocka_unit_test_setup(test_lock_on_state, setup),
		cmocka_unit_test_setup(test_lock_set_sorted, setup),
		cmocka_unit_test_setup(test_lock_set_refusals, setup),
		cmocka_unit_test_setup(test_refcount, setup),
		cmocka_unit_test_setup(test_invariants_checked, setup),
		cmocka_unit_test_setup(test_memzero_one_granule, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
