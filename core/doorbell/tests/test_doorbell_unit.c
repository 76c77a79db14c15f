/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the portable doorbell protocol (core/doorbell), with fake
 * sleep/wake operations, in one process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <caec_core/atomics.h>
#include <doorbell/doorbell.h>

#include "caec_test.h"

struct fake {
	int sleeps, wakes;
	int ready_after; /* cond becomes true after this many checks */
	int checks;
	uint32_t *word;
};

static int fake_sleep(void *ctx, uint32_t *word, uint32_t val, uint64_t dl)
{
	struct fake *k = ctx;
	(void)dl;
	k->sleeps++;
	assert_int_equal(ca_load_relaxed_u32(word), val);
	assert_true(val & DOORBELL_WAITERS);
	/* simulate the notifier running while we sleep */
	doorbell_notify(word, &(struct doorbell_ops){0});
	return 0;
}
static void fake_wake(void *ctx, uint32_t *word)
{
	(void)word;
	((struct fake *)ctx)->wakes++;
}
static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return 0;
}
static int fake_cond(void *arg)
{
	struct fake *k = arg;
	return ++k->checks > k->ready_after;
}

/* notify does nothing (no wake call) unless a waiter announced itself;
 * then it bumps the sequence and clears the waiter bit. */
static void test_doorbell_notify_only_when_waiter(void **state)
{
	(void)state;
	uint32_t word = 0;
	struct fake k = {0};
	struct doorbell_ops ops = {fake_sleep, fake_wake, fake_now, &k};
	assert_caec_count(doorbell_notify(&word, &ops), 0);
	assert_int_equal(k.wakes, 0);
	assert_int_equal(word, 0);
	word = 4 | DOORBELL_WAITERS;
	assert_caec_count(doorbell_notify(&word, &ops), 1);
	assert_int_equal(k.wakes, 1);
	assert_int_equal(word, 6);
	doorbell_kick(&word, &ops);
	assert_int_equal(word, 8);
	assert_int_equal(k.wakes, 2);
}

static void wake_counting(void *ctx, uint32_t *w)
{
	(void)w;
	((struct fake *)ctx)->wakes++;
}

static int sleep_then_ready(void *ctx, uint32_t *word, uint32_t val, uint64_t dl)
{
	struct fake *k = ctx;
	(void)dl;
	k->sleeps++;
	assert_int_equal(*word, val);
	assert_true(val & DOORBELL_WAITERS);
	k->ready_after = 0; /* the "notifier" published */
	struct doorbell_ops n = {NULL, wake_counting, fake_now, k};
	assert_caec_count(doorbell_notify(word, &n), 1);
	return 0;
}

/* A waiter spins first, then announces and sleeps only with the
 * announced value; a notification in between ends the wait. */
static void test_doorbell_wait_spins_then_sleeps(void **state)
{
	(void)state;
	uint32_t word = 0;
	struct fake k = {.ready_after = 1000};
	struct doorbell_ops ops = {sleep_then_ready, fake_wake, fake_now, &k};
	k.checks = 0;
	assert_caec_ok(doorbell_wait(&word, &ops, NULL, fake_cond, &k, 10,
				     DOORBELL_FOREVER));
	assert_int_equal(k.sleeps, 1);
	assert_int_equal(k.wakes, 1);
	assert_true(k.checks >= 11);
	/* one notification bumped the sequence; the waiter announced again
	 * before it saw the condition (harmless: one extra wake later) */
	assert_int_equal(word, DOORBELL_SEQ_STEP | DOORBELL_WAITERS);
	word = 0;
	/* ready during spinning: no announce, no sleep */
	struct fake k2 = {.ready_after = 3};
	struct doorbell_ops ops2 = {sleep_then_ready, fake_wake, fake_now, &k2};
	assert_caec_ok(doorbell_wait(&word, &ops2, NULL, fake_cond, &k2, 10,
				     DOORBELL_FOREVER));
	assert_int_equal(k2.sleeps, 0);
	assert_int_equal(word & DOORBELL_WAITERS, 0);
}

static int sleep_timeout(void *ctx, uint32_t *w, uint32_t v, uint64_t dl)
{
	(void)w;
	(void)v;
	(void)dl;
	((struct fake *)ctx)->sleeps++;
	return CAEC_E_TIMEDOUT;
}

/* A timed wait whose condition never holds returns TIMEDOUT. */
static void test_doorbell_wait_times_out(void **state)
{
	(void)state;
	uint32_t word = 0;
	struct fake k = {.ready_after = 1 << 30};
	struct doorbell_ops ops = {sleep_timeout, fake_wake, fake_now, &k};
	assert_caec_err(doorbell_wait(&word, &ops, NULL, fake_cond, &k, 5, 100),
			CAEC_E_TIMEDOUT);
	assert_int_equal(k.sleeps, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doorbell_notify_only_when_waiter),
		cmocka_unit_test(test_doorbell_wait_spins_then_sleeps),
		cmocka_unit_test(test_doorbell_wait_times_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
