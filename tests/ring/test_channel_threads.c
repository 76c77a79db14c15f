/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channel and doorbell tests with threads in one process (memory shared
 * between threads stands in for a region).  Run under TSan by the test
 * script (-Db_sanitize=thread): every access to the shared bytes must be
 * ordered by the ring's release/acquire pairs or the doorbell fences.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "caec_test.h"

#include <caec/abi/ring.h>
#include <caec/channel.h>
#include <caec/doorbell.h>
#include <caec/ring.h>

#define MEM_SIZE (64u * 1024u)
#define MS 1000000ll

struct fx {
	void *mem;
	struct caec_channel *prov, *cons;
};

static uint64_t scaled(uint64_t n)
{
	uint64_t v = (uint64_t)((double)n * caec_test_scale());
	return v ? v : 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static int setup_flags(void **state, uint32_t flags)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->mem = aligned_alloc(4096, MEM_SIZE);
	memset(f->mem, 0xEE, MEM_SIZE);
	struct caec_channel_opts o = {.size = sizeof(o), .flags = flags};
	if (caec_channel_create_mem(f->mem, MEM_SIZE, CAEC_CHANNEL_PROVIDER,
				    &o, &f->prov) != 0 ||
	    caec_channel_create_mem(f->mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
				    NULL, &f->cons) != 0)
		return -1;
	*state = f;
	return 0;
}
static int setup(void **state) { return setup_flags(state, 0); }
static int setup_many(void **state)
{
	return setup_flags(state, CAEC_CHANNEL_F_MANY_TO_ONE);
}
/* Many-to-one over the first 8 KiB only: a 4 KiB ring (max_msg 2040). */
static int setup_many_small(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->mem = aligned_alloc(4096, MEM_SIZE);
	memset(f->mem, 0xEE, MEM_SIZE);
	struct caec_channel_opts o = {.size = sizeof(o),
				      .flags = CAEC_CHANNEL_F_MANY_TO_ONE,
				      .c2p_capacity = 4096};
	if (caec_channel_create_mem(f->mem, MEM_SIZE, CAEC_CHANNEL_PROVIDER,
				    &o, &f->prov) != 0 ||
	    caec_channel_create_mem(f->mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
				    NULL, &f->cons) != 0)
		return -1;
	*state = f;
	return 0;
}
static int teardown(void **state)
{
	struct fx *f = *state;
	caec_channel_destroy(f->cons);
	caec_channel_destroy(f->prov);
	free(f->mem);
	free(f);
	return 0;
}

/* --- streaming, blocking both sides --------------------------------- */

struct stream_arg {
	struct caec_channel *ch;
	uint64_t n;
	int zero_copy;
	int rc;
};

static void *stream_sender(void *p)
{
	struct stream_arg *a = p;
	uint8_t buf[300];
	for (uint64_t i = 0; i < a->n; i++) {
		size_t len = 8 + (i * 37) % 290;
		memset(buf, (int)(i & 0xff), len);
		memcpy(buf, &i, 8);
		int rc;
		if (a->zero_copy) {
			void *q;
			rc = caec_channel_reserve(a->ch, len, &q, CAEC_TIMEOUT_INFINITE);
			if (rc == 0) {
				memcpy(q, buf, len);
				rc = caec_channel_commit(a->ch, len);
			}
		} else {
			rc = caec_channel_send(a->ch, buf, len, CAEC_TIMEOUT_INFINITE);
		}
		if (rc != 0) {
			a->rc = rc;
			return NULL;
		}
	}
	return NULL;
}

static void stream(struct fx *f, int zero_copy)
{
	struct stream_arg a = {f->prov, scaled(500000), zero_copy, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, stream_sender, &a), 0);
	uint8_t buf[300];
	for (uint64_t i = 0; i < a.n; i++) {
		const uint8_t *p = buf;
		size_t len;
		int rc;
		if (zero_copy) {
			const void *q;
			rc = caec_channel_peek(f->cons, &q, &len, CAEC_TIMEOUT_INFINITE);
			p = q;
		} else {
			rc = caec_channel_recv(f->cons, buf, sizeof(buf), CAEC_TIMEOUT_INFINITE);
			len = (size_t)rc;
		}
		assert_caec_ok(rc);
		assert_int_equal(len, 8 + (i * 37) % 290);
		uint64_t seq;
		memcpy(&seq, p, 8);
		assert_int_equal(seq, i);
		assert_int_equal(p[len - 1], len > 8 ? (i & 0xff) : p[len - 1]);
		if (zero_copy)
			assert_caec_ok(caec_channel_release(f->cons));
	}
	pthread_join(t, NULL);
	assert_caec_ok(a.rc);
	assert_caec_err(caec_channel_recv(f->cons, buf, sizeof(buf), 0), CAEC_E_AGAIN);
}

/* Blocking copy sends and receives between two threads deliver every
 * message once, in order, intact (TSan: properly synchronized). */
static void test_channel_threads_stream_copy(void **state) { stream(*state, 0); }
/* The same with reserve/commit and peek/release in place. */
static void test_channel_threads_stream_zero_copy(void **state) { stream(*state, 1); }

/* --- ping-pong over both rings -------------------------------------- */

static void *echo(void *p)
{
	struct stream_arg *a = p;
	uint64_t v;
	for (uint64_t i = 0; i < a->n; i++) {
		int rc = caec_channel_recv(a->ch, &v, sizeof(v), CAEC_TIMEOUT_INFINITE);
		if (rc != 8) {
			a->rc = rc < 0 ? rc : CAEC_E_PROTO;
			return NULL;
		}
		v = v * 2 + 1;
		rc = caec_channel_send(a->ch, &v, sizeof(v), CAEC_TIMEOUT_INFINITE);
		if (rc != 0) {
			a->rc = rc;
			return NULL;
		}
	}
	return NULL;
}

/* Request/response: each side sleeps on its doorbell between messages
 * (no lost wake-up, or this test hangs and times out). */
static void test_channel_threads_ping_pong(void **state)
{
	struct fx *f = *state;
	struct stream_arg a = {f->cons, scaled(100000), 0, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, echo, &a), 0);
	for (uint64_t i = 0; i < a.n; i++) {
		uint64_t v = i, r = 0;
		assert_caec_ok(caec_channel_send(f->prov, &v, 8, CAEC_TIMEOUT_INFINITE));
		assert_caec_count(caec_channel_recv(f->prov, &r, 8, 10000 * MS), 8);
		assert_int_equal(r, i * 2 + 1);
	}
	pthread_join(t, NULL);
	assert_caec_ok(a.rc);
}

/* --- many-to-one ------------------------------------------------------ */

struct mp_arg {
	void *mem;
	uint32_t id;
	uint64_t n;
	int rc;
};

static void *mp_sender(void *p)
{
	struct mp_arg *a = p;
	struct caec_channel *ch;
	int rc = caec_channel_create_mem(a->mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
					 NULL, &ch);
	if (rc != 0) {
		a->rc = rc;
		return NULL;
	}
	for (uint64_t i = 0; i < a->n && rc == 0; i++) {
		uint64_t msg[2] = {a->id, i};
		size_t len = 16 + (i % 5) * 8;
		uint8_t buf[64] = {0};
		memcpy(buf, msg, 16);
		if (i & 1) {
			rc = caec_channel_send(ch, buf, len, CAEC_TIMEOUT_INFINITE);
		} else {
			void *q;
			rc = caec_channel_reserve(ch, 64, &q, CAEC_TIMEOUT_INFINITE);
			if (rc == 0) {
				memcpy(q, buf, len);
				rc = caec_channel_commit(ch, len); /* shrink */
			}
		}
	}
	a->rc = rc;
	caec_channel_destroy(ch);
	return NULL;
}

/* Three threads, each with its own handle, send to one receiver over the
 * multi-producer ring: every message arrives once, in per-sender order. */
static void test_channel_threads_many_to_one(void **state)
{
	struct fx *f = *state;
	enum { P = 3 };
	struct mp_arg a[P];
	pthread_t t[P];
	uint64_t n = scaled(100000), next[P] = {0};
	for (uint32_t i = 0; i < P; i++) {
		a[i] = (struct mp_arg){f->mem, i, n, 0};
		assert_int_equal(pthread_create(&t[i], NULL, mp_sender, &a[i]), 0);
	}
	uint8_t buf[64];
	/* the provider end of a many-to-one channel cannot send */
	assert_caec_err(caec_channel_send(f->prov, buf, 8, 0), CAEC_E_NOTSUP);
	for (uint64_t k = 0; k < P * n; k++) {
		int rc = caec_channel_recv(f->prov, buf, sizeof(buf), 10000 * MS);
		if (rc < 16)
			fail_msg("recv %d (%s) after %llu/%llu/%llu; senders %s %s %s", rc,
				 caec_errname(rc), (unsigned long long)next[0],
				 (unsigned long long)next[1], (unsigned long long)next[2],
				 caec_errname(a[0].rc), caec_errname(a[1].rc),
				 caec_errname(a[2].rc));
		uint64_t m[2];
		memcpy(m, buf, 16);
		assert_true(m[0] < P);
		assert_int_equal(m[1], next[m[0]]);
		assert_int_equal((size_t)rc, 16 + (m[1] % 5) * 8);
		next[m[0]]++;
	}
	for (uint32_t i = 0; i < P; i++) {
		pthread_join(t[i], NULL);
		assert_caec_ok(a[i].rc);
		assert_int_equal(next[i], n);
	}
	assert_caec_err(caec_channel_recv(f->prov, buf, sizeof(buf), 0), CAEC_E_AGAIN);
}

/* --- timeouts, close, full ring ---------------------------------------- */

/* An empty channel: timeout 0 says AGAIN at once, a 30 ms timeout says
 * TIMEDOUT after at least 30 ms. */
static void test_channel_recv_timeout(void **state)
{
	struct fx *f = *state;
	uint8_t buf[8];
	assert_caec_err(caec_channel_recv(f->cons, buf, 8, 0), CAEC_E_AGAIN);
	uint64_t t0 = now_ns();
	assert_caec_err(caec_channel_recv(f->cons, buf, 8, 30 * MS), CAEC_E_TIMEDOUT);
	uint64_t dt = now_ns() - t0;
	assert_true(dt >= 30 * MS);
	assert_true(dt < 3000 * MS);
	const void *p;
	size_t len;
	assert_caec_err(caec_channel_peek(f->cons, &p, &len, 5 * MS), CAEC_E_TIMEDOUT);
}

struct blocked {
	struct caec_channel *ch;
	int rc;
	int nmsgs;
	_Atomic int started;
};

static void *blocked_recv(void *p)
{
	struct blocked *b = p;
	uint8_t buf[64];
	atomic_store(&b->started, 1);
	for (;;) {
		int rc = caec_channel_recv(b->ch, buf, sizeof(buf), CAEC_TIMEOUT_INFINITE);
		if (rc < 0) {
			b->rc = rc;
			return NULL;
		}
		b->nmsgs++;
	}
}

/* A receiver asleep on the doorbell wakes up when the peer closes, gets
 * the messages sent before the close, then CAEC_E_CLOSED. */
static void test_channel_close_wakes_sleeper(void **state)
{
	struct fx *f = *state;
	struct blocked b = {.ch = f->cons};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, blocked_recv, &b), 0);
	while (!atomic_load(&b.started))
		sleep_ms(1);
	sleep_ms(50); /* let it go to sleep */
	assert_caec_ok(caec_channel_send(f->prov, "a", 1, 0));
	assert_caec_ok(caec_channel_send(f->prov, "b", 1, 0));
	caec_channel_destroy(f->prov);
	f->prov = NULL;
	pthread_join(t, NULL);
	assert_int_equal(b.nmsgs, 2);
	assert_caec_err(b.rc, CAEC_E_CLOSED);
	/* and sending to a closed peer fails at once */
	assert_caec_err(caec_channel_send(f->cons, "x", 1, CAEC_TIMEOUT_INFINITE),
			CAEC_E_CLOSED);
}

struct blocked_send {
	struct caec_channel *ch;
	size_t len;
	int rc;
	_Atomic int done;
};

static void *blocked_sender(void *p)
{
	struct blocked_send *b = p;
	static uint8_t buf[4096];
	b->rc = caec_channel_send(b->ch, buf, b->len, 10000 * MS);
	atomic_store(&b->done, 1);
	return NULL;
}

/* A sender blocked on a full ring sleeps until the receiver frees room. */
static void test_channel_send_waits_for_space(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1024] = {0};
	while (caec_channel_send(f->prov, buf, sizeof(buf), 0) == 0)
		;
	struct blocked_send b = {.ch = f->prov, .len = sizeof(buf)};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, blocked_sender, &b), 0);
	sleep_ms(50);
	assert_int_equal(atomic_load(&b.done), 0); /* still blocked */
	assert_caec_count(caec_channel_recv(f->cons, buf, sizeof(buf), 0), 1024);
	pthread_join(t, NULL);
	assert_caec_ok(b.rc);
	assert_caec_err(caec_channel_send(f->prov, buf, 1u << 20, 0), CAEC_E_MSGSIZE);
}

/* Many-to-one: a producer cancels a claim and the receiver's peek passes
 * over the skip record it left.  That frees space, so a sender asleep on a
 * full ring must be woken then, not only when its 10 s timeout expires.
 * (Regression: skip records freed space without a space-bell notify.) */
static void test_channel_skip_wakes_space_waiter(void **state)
{
	struct fx *f = *state;
	struct caec_channel *b_ch, *c_ch;
	assert_caec_ok(caec_channel_create_mem(f->mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
					       NULL, &b_ch));
	assert_caec_ok(caec_channel_create_mem(f->mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
					       NULL, &c_ch));
	size_t max = caec_channel_max_msg(f->cons); /* half the ring */
	assert_true(max > 0 && max <= 4096);
	static uint8_t buf[4096];
	void *q;
	/* A claims the first half, C commits the second: the ring is full. */
	assert_caec_ok(caec_channel_reserve(f->cons, max, &q, 0));
	assert_caec_ok(caec_channel_send(c_ch, buf, max, 0));
	assert_caec_err(caec_channel_send(b_ch, buf, max, 0), CAEC_E_AGAIN);
	struct blocked_send b = {.ch = b_ch, .len = max};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, blocked_sender, &b), 0);
	sleep_ms(200); /* let it go to sleep */
	assert_int_equal(atomic_load(&b.done), 0);
	assert_caec_ok(caec_channel_cancel(f->cons)); /* skip record at 0 */
	const void *p;
	size_t len;
	uint64_t t0 = now_ns();
	/* passes the skip (head moves by half the ring), finds C's message */
	assert_caec_ok(caec_channel_peek(f->prov, &p, &len, 0));
	assert_int_equal(len, max);
	while (!atomic_load(&b.done) && now_ns() - t0 < 3000 * MS)
		sleep_ms(1);
	assert_int_equal(atomic_load(&b.done), 1); /* woken, not timed out */
	pthread_join(t, NULL);
	assert_caec_ok(b.rc);
	assert_caec_ok(caec_channel_release(f->prov));
	assert_caec_count(caec_channel_recv(f->prov, buf, sizeof(buf), 0), (int)max);
	caec_channel_destroy(c_ch);
	caec_channel_destroy(b_ch);
}

/* A timed send on a full ring gives up with TIMEDOUT after its timeout. */
static void test_channel_send_timeout_when_full(void **state)
{
	struct fx *f = *state;
	uint8_t buf[1024] = {0};
	while (caec_channel_send(f->prov, buf, sizeof(buf), 0) == 0)
		;
	uint64_t t0 = now_ns();
	assert_caec_err(caec_channel_send(f->prov, buf, sizeof(buf), 20 * MS),
			CAEC_E_TIMEDOUT);
	assert_true(now_ns() - t0 >= 20 * MS);
	void *p;
	assert_caec_err(caec_channel_reserve(f->prov, sizeof(buf), &p, 0),
			CAEC_E_AGAIN);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct intr_arg {
	struct caec_channel *ch;
	_Atomic int rc;
	_Atomic int done;
};

static void *intr_recv(void *p)
{
	struct intr_arg *a = p;
	uint8_t buf[16];
	atomic_store(&a->rc, caec_channel_recv(a->ch, buf, sizeof(buf),
					       CAEC_TIMEOUT_INFINITE));
	atomic_store(&a->done, 1);
	return NULL;
}

/* A signal (handler installed without SA_RESTART) interrupts a receiver
 * asleep on the doorbell: the call returns CAEC_E_INTR. */
static void test_channel_signal_interrupts_wait(void **state)
{
	struct fx *f = *state;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	struct intr_arg a = {.ch = f->cons};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, intr_recv, &a), 0);
	/* Signals that land while it still spins are not EINTR: repeat. */
	for (int i = 0; i < 500 && !atomic_load(&a.done); i++) {
		sleep_ms(10);
		pthread_kill(t, SIGUSR1);
	}
	pthread_join(t, NULL);
	sigaction(SIGUSR1, &old, NULL);
	assert_caec_err(atomic_load(&a.rc), CAEC_E_INTR);
}

/* A peer that corrupts the shared ring: CORRUPT once, then PEER, through
 * the public channel API. */
static void test_channel_corrupt_peer(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64];
	assert_caec_ok(caec_channel_send(f->prov, "hello", 5, 0));
	/* the first record header of the p2c ring (channel header 64 + ring
	 * control block 512): a length beyond max_msg */
	uint32_t bad = 0x7ffffff8u;
	memcpy((uint8_t *)f->mem + CAEC_CHAN_HDR_SIZE + CAEC_RING_HDR_SIZE, &bad, 4);
	assert_caec_err(caec_channel_recv(f->cons, buf, sizeof(buf), 0), CAEC_E_CORRUPT);
	assert_caec_err(caec_channel_recv(f->cons, buf, sizeof(buf), 0), CAEC_E_PEER);
	assert_caec_err(caec_channel_recv(f->cons, buf, sizeof(buf), CAEC_TIMEOUT_INFINITE),
			CAEC_E_PEER);
	const void *p;
	size_t len;
	assert_caec_err(caec_channel_peek(f->cons, &p, &len, 0), CAEC_E_PEER);
}

/* A consumer refuses memory that does not hold a channel. */
static void test_channel_consumer_refuses_garbage(void **state)
{
	(void)state;
	void *mem = aligned_alloc(4096, MEM_SIZE);
	memset(mem, 0x5A, MEM_SIZE);
	struct caec_channel *ch;
	assert_caec_err(caec_channel_create_mem(mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
						NULL, &ch), CAEC_E_CORRUPT);
	/* a valid channel seen through a too-small mapping is refused too */
	assert_caec_ok(caec_channel_create_mem(mem, MEM_SIZE, CAEC_CHANNEL_PROVIDER,
					       NULL, &ch));
	struct caec_channel *c2;
	assert_caec_err(caec_channel_create_mem(mem, MEM_SIZE / 2,
						CAEC_CHANNEL_CONSUMER, NULL, &c2),
			CAEC_E_CORRUPT);
	/* A provider call with bad capacities fails without touching the
	 * live channel: its rings and magic stay, a consumer still attaches
	 * and gets what was sent.  (Regression: the magic was cleared and
	 * the first ring re-formatted before the second capacity was
	 * checked.) */
	assert_caec_ok(caec_channel_send(ch, "hi", 2, 0));
	struct caec_channel_opts bad = {.size = sizeof(bad), .p2c_capacity = 4096,
					.c2p_capacity = 3000};
	assert_caec_err(caec_channel_create_mem(mem, MEM_SIZE, CAEC_CHANNEL_PROVIDER,
						&bad, &c2), CAEC_E_RANGE);
	bad.c2p_capacity = 1u << 20; /* valid, but does not fit */
	assert_caec_err(caec_channel_create_mem(mem, MEM_SIZE, CAEC_CHANNEL_PROVIDER,
						&bad, &c2), CAEC_E_MSGSIZE);
	assert_caec_ok(caec_channel_create_mem(mem, MEM_SIZE, CAEC_CHANNEL_CONSUMER,
					       NULL, &c2));
	char got[8];
	assert_caec_count(caec_channel_recv(c2, got, sizeof(got), 0), 2);
	assert_memory_equal(got, "hi", 2);
	caec_channel_destroy(c2);
	caec_channel_destroy(ch);
	free(mem);
}

/* --- the public doorbell API ----------------------------------------- */

struct db_arg {
	uint32_t *word;
	_Atomic uint32_t flag;
	int rc;
};

static int db_cond(void *p)
{
	return atomic_load_explicit(&((struct db_arg *)p)->flag, memory_order_acquire) != 0;
}

static void *db_waiter(void *p)
{
	struct db_arg *a = p;
	a->rc = caec_doorbell_wait(a->word, db_cond, a, CAEC_TIMEOUT_INFINITE);
	return NULL;
}

/* A waiter sleeping in caec_doorbell_wait() is woken by notify after the
 * flag is published; notify with no waiter makes no wake-up. */
static void test_doorbell_wait_notify(void **state)
{
	(void)state;
	_Alignas(64) static uint32_t word;
	struct db_arg a = {.word = &word};
	assert_caec_count(caec_doorbell_notify(&word), 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, db_waiter, &a), 0);
	sleep_ms(30);
	atomic_store_explicit(&a.flag, 1, memory_order_release);
	int woke = caec_doorbell_notify(&word);
	pthread_join(t, NULL);
	assert_caec_ok(a.rc);
	assert_int_equal(woke, 1); /* it had announced that it sleeps */
	assert_caec_err(caec_doorbell_wait(&word, db_cond, &(struct db_arg){0}, 0),
			CAEC_E_TIMEDOUT);
	assert_caec_err(caec_doorbell_wait(NULL, db_cond, NULL, 0), CAEC_E_INVAL);
}

/* --- waiting on several channels ------------------------------------- */

/*
 * Four channels over plain memory, a sender thread on each (blocking
 * sends, small rings so they often wait for room), one receiver thread
 * that only ever sleeps in caec_channel_wait_any() on all four and then
 * drains what is ready without blocking.  Every message arrives, in order
 * per channel: no wake-up is lost on any of the words slept on together.
 */
#define WA_CHANNELS 4
static void test_channel_wait_any_threads(void **state)
{
	(void)state;
	struct caec_channel *prov[WA_CHANNELS], *cons[WA_CHANNELS];
	void *mem[WA_CHANNELS];
	struct stream_arg a[WA_CHANNELS];
	pthread_t t[WA_CHANNELS];
	struct caec_channel_opts o = {.size = sizeof(o), .p2c_capacity = 1024,
				      .c2p_capacity = 1024};
	uint64_t n = scaled(100000);
	for (int i = 0; i < WA_CHANNELS; i++) {
		mem[i] = aligned_alloc(4096, 8192);
		assert_caec_ok(caec_channel_create_mem(mem[i], 8192, CAEC_CHANNEL_PROVIDER, &o,
						       &prov[i]));
		assert_caec_ok(caec_channel_create_mem(mem[i], 8192, CAEC_CHANNEL_CONSUMER, NULL,
						       &cons[i]));
		a[i] = (struct stream_arg){prov[i], n, 0, 0};
		assert_int_equal(pthread_create(&t[i], NULL, stream_sender, &a[i]), 0);
	}
	struct caec_channel_wait w[WA_CHANNELS];
	for (int i = 0; i < WA_CHANNELS; i++)
		w[i] = (struct caec_channel_wait){.ch = cons[i], .events = CAEC_CHANNEL_READABLE};
	uint64_t next[WA_CHANNELS] = {0}, total = 0, waits = 0;
	uint8_t buf[300];
	while (total < WA_CHANNELS * n) {
		int rc = caec_channel_wait_any(w, WA_CHANNELS, 30 * 1000 * MS);
		if (rc < 0)
			fail_msg("wait_any after %llu messages: %s", (unsigned long long)total,
				 caec_errname(rc));
		waits++;
		for (int i = 0; i < WA_CHANNELS; i++) {
			if (!(w[i].revents & CAEC_CHANNEL_READABLE))
				continue;
			while ((rc = caec_channel_recv(cons[i], buf, sizeof(buf), 0)) >= 0) {
				uint64_t seq;
				assert_true(rc >= 8);
				memcpy(&seq, buf, 8);
				if (seq != next[i])
					fail_msg("channel %d: message %llu, expected %llu", i,
						 (unsigned long long)seq, (unsigned long long)next[i]);
				next[i]++;
				total++;
			}
			assert_caec_err(rc, CAEC_E_AGAIN);
		}
	}
	for (int i = 0; i < WA_CHANNELS; i++) {
		pthread_join(t[i], NULL);
		assert_caec_ok(a[i].rc);
		assert_true(next[i] == n);
		caec_channel_destroy(cons[i]);
		caec_channel_destroy(prov[i]);
		free(mem[i]);
	}
	print_message("wait_any: %llu messages over %d channels in %llu waits\n",
		      (unsigned long long)total, WA_CHANNELS, (unsigned long long)waits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_channel_threads_stream_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_threads_stream_zero_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_threads_ping_pong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_threads_many_to_one, setup_many, teardown),
		cmocka_unit_test_setup_teardown(test_channel_recv_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_close_wakes_sleeper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_send_waits_for_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_send_timeout_when_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_skip_wakes_space_waiter, setup_many_small, teardown),
		cmocka_unit_test_setup_teardown(test_channel_signal_interrupts_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_corrupt_peer, setup, teardown),
		cmocka_unit_test(test_channel_consumer_refuses_garbage),
		cmocka_unit_test(test_doorbell_wait_notify),
		cmocka_unit_test(test_channel_wait_any_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
