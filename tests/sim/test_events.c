/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event-loop integration against a real caec-simd: a context's descriptor
 * (caec_ctx_fd()) becomes readable when a grant is made to the realm, a
 * region event is handled, a watched channel is ready or the platform is
 * lost, and caec_ctx_events() says which; caec_channel_wait_any() wakes
 * for the first of several channels; caec_grant_list() lists more grants
 * than one reply carries.
 *
 * Provider and consumer are two contexts (two realms) of this process;
 * the daemon admits them (--allow-insecure-realms: same user).  "Not
 * readable" is checked with poll() and a zero timeout right after the
 * events were taken: nothing can have made it readable in between but a
 * bug.  Where a check needs "no event arrives", it waits 200 ms: such a
 * check can miss a bug on a very slow machine, never invent one.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caec_test.h"
#include "simd_fixture.h"

#include <caec/channel.h>

#define SEC 1000000000ll
#define LONG_MS 20000 /* a bound on waits that must end, not a timing */

static struct caec_test_simd simd;

static int setup(void **state)
{
	(void)state;
	static const char *const args[] = { "--max-pending-grants", "1000", NULL };
	return caec_test_start_simd(&simd, args) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;
	do {
		r = poll(&p, 1, ms);
	} while (r < 0);
	return r == 1 && (p.revents & POLLIN);
}

/* Wait until every bit of `want` was reported; what was reported. */
#define await(ctx, want) await_at(ctx, want, __LINE__)
static uint32_t await_at(struct caec_ctx *ctx, uint32_t want, int line)
{
	int fd = caec_ctx_fd(ctx);
	uint32_t seen = 0;
	assert_true(fd >= 0);
	while ((seen & want) != want) {
		if (!readable(fd, LONG_MS))
			fail_msg("line %d: events %#x awaited, %#x seen", line, want, seen);
		uint32_t ev;
		assert_caec_ok(caec_ctx_events(ctx, &ev));
		seen |= ev;
	}
	return seen;
}

/* No event of `bits` is raised within 200 ms (others, such as a late
 * CAEC_CTX_EV_GRANT from setting a channel up, may be). */
static void quiet(struct caec_ctx *ctx, uint32_t bits)
{
	int fd = caec_ctx_fd(ctx);
	assert_true(fd >= 0);
	for (int i = 0; i < 20; i++) {
		if (readable(fd, 10)) {
			uint32_t ev;
			assert_caec_ok(caec_ctx_events(ctx, &ev));
			if (ev & bits)
				fail_msg("events %#x raised, none of %#x expected", ev, bits);
		}
	}
}

static void drain(struct caec_ctx *ctx)
{
	uint32_t ev;
	assert_caec_ok(caec_ctx_events(ctx, &ev));
}

static void sleep_ms(long ms)
{
	nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000 }, NULL);
}

struct pair {
	struct caec_ctx *prov, *cons;
	uint64_t cons_id;
};

static void pair_open(struct pair *p)
{
	assert_caec_ok(caec_open(&p->prov, NULL));
	assert_caec_ok(caec_open(&p->cons, NULL));
	assert_caec_ok(caec_self_id(p->cons, &p->cons_id));
}

static void pair_close(struct pair *p)
{
	caec_close(p->cons);
	caec_close(p->prov);
}

/* A channel from prov to cons over a region granted read-write. */
struct link {
	struct caec_region *pr, *cr;
	struct caec_channel *pch, *cch;
	uint64_t grant;
};

static void link_open(struct pair *p, struct link *l, uint32_t flags)
{
	struct caec_channel_opts o = { .size = sizeof(o), .flags = flags };
	assert_caec_ok(caec_share(p->prov, caec_channel_region_size(256, flags), 0, &l->pr));
	assert_caec_ok(caec_channel_create(l->pr, &o, &l->pch));
	assert_caec_ok(caec_grant(l->pr, p->cons_id, CAEC_PERM_RW, NULL, &l->grant));
	assert_caec_ok(caec_attach(p->cons, l->grant, NULL, &l->cr));
	assert_caec_ok(caec_channel_create(l->cr, NULL, &l->cch));
}

static void link_close(struct link *l)
{
	caec_channel_destroy(l->cch);
	(void)caec_detach(l->cr);
	caec_channel_destroy(l->pch);
	(void)caec_unshare(l->pr);
}

/* ---- the context's descriptor ------------------------------------------ */

/* A grant made to the realm makes its descriptor readable (GRANT); the
 * grant is listed by then; taking the events makes it unreadable. */
static void test_fd_grant(void **state)
{
	(void)state;
	struct pair p;
	struct caec_region *r;
	struct caec_grant_info gi[2];
	uint64_t grant;
	pair_open(&p);
	int fd = caec_ctx_fd(p.cons);
	assert_true(fd >= 0);
	assert_int_equal(caec_ctx_fd(p.cons), fd); /* the same every time */
	drain(p.cons);
	assert_false(readable(fd, 0));
	assert_caec_ok(caec_share(p.prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, p.cons_id, CAEC_PERM_RO, NULL, &grant));
	assert_true(readable(fd, LONG_MS));
	uint32_t ev;
	assert_caec_ok(caec_ctx_events(p.cons, &ev));
	assert_int_equal(ev, CAEC_CTX_EV_GRANT);
	assert_false(readable(fd, 0));
	assert_caec_count(caec_grant_list(p.cons, gi, 2), 1);
	assert_true(gi[0].grant_id == grant);
	/* The provider was told nothing. */
	assert_caec_ok(caec_ctx_events(p.prov, &ev));
	assert_int_equal(ev, 0);
	assert_caec_ok(caec_unshare(r));
	pair_close(&p);
}

/* Events raised before the first caec_ctx_fd() are not lost. */
static void test_fd_made_late(void **state)
{
	(void)state;
	struct pair p;
	struct caec_region *r;
	uint64_t grant;
	pair_open(&p);
	assert_caec_ok(caec_share(p.prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, p.cons_id, CAEC_PERM_RO, NULL, &grant));
	sleep_ms(200); /* the event has most likely arrived: no descriptor yet */
	int fd = caec_ctx_fd(p.cons);
	assert_true(fd >= 0);
	assert_true(readable(fd, LONG_MS));
	assert_int_equal(await(p.cons, CAEC_CTX_EV_GRANT), CAEC_CTX_EV_GRANT);
	assert_caec_ok(caec_unshare(r));
	pair_close(&p);
}

/* Region events: the provider hears of the attach, the consumer of the
 * revocation -- and when it does, the region reads as revoked. */
static void test_fd_region_events(void **state)
{
	(void)state;
	struct pair p;
	struct caec_region *r, *a;
	uint64_t grant;
	pair_open(&p);
	assert_true(caec_ctx_fd(p.prov) >= 0);
	assert_true(caec_ctx_fd(p.cons) >= 0);
	assert_caec_ok(caec_share(p.prov, CAEC_GRANULE_SIZE, 0, &r));
	assert_caec_ok(caec_grant(r, p.cons_id, CAEC_PERM_RO, NULL, &grant));
	await(p.cons, CAEC_CTX_EV_GRANT);
	drain(p.prov);
	assert_caec_ok(caec_attach(p.cons, grant, NULL, &a));
	await(p.prov, CAEC_CTX_EV_REGION); /* attached */
	assert_caec_ok(caec_detach(a));
	await(p.prov, CAEC_CTX_EV_REGION); /* detached */
	assert_caec_ok(caec_attach(p.cons, grant, NULL, &a));
	await(p.prov, CAEC_CTX_EV_REGION);
	drain(p.cons);
	assert_caec_ok(caec_revoke(r, grant));
	await(p.cons, CAEC_CTX_EV_REGION);
	assert_true(caec_region_is_revoked(a));
	assert_caec_ok(caec_detach(a));
	assert_caec_ok(caec_unshare(r));
	pair_close(&p);
}

/* The daemon dies: PLATFORM_LOST (with REGION: attachments revoked). */
static void test_fd_platform_lost(void **state)
{
	(void)state;
	struct caec_ctx *ctx;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_true(caec_ctx_fd(ctx) >= 0);
	drain(ctx);
	caec_test_kill_simd(&simd);
	uint32_t ev = await(ctx, CAEC_CTX_EV_PLATFORM_LOST);
	assert_true(ev & CAEC_CTX_EV_REGION);
	caec_close(ctx);
	assert_int_equal(caec_test_start_simd(&simd, NULL), 0);
}

static void test_fd_args(void **state)
{
	(void)state;
	uint32_t ev;
	assert_caec_err(caec_ctx_fd(NULL), CAEC_E_INVAL);
	assert_caec_err(caec_ctx_events(NULL, &ev), CAEC_E_INVAL);
	struct caec_ctx *ctx;
	assert_caec_ok(caec_open(&ctx, NULL));
	assert_caec_err(caec_ctx_events(ctx, NULL), CAEC_E_INVAL);
	caec_close(ctx);
}

/* ---- watched channels --------------------------------------------------- */

/* READABLE: fires once a message arrives, once (one-shot); re-armed on a
 * channel that is still ready, it fires at once; re-armed when drained,
 * it waits for the next message. */
static void test_watch_readable(void **state)
{
	(void)state;
	struct pair p;
	struct link l;
	char buf[64];
	pair_open(&p);
	link_open(&p, &l, 0);
	assert_caec_ok(caec_channel_watch(l.cch, CAEC_CHANNEL_READABLE, 0));
	quiet(p.cons, CAEC_CTX_EV_CHANNEL); /* nothing to receive yet */
	assert_caec_ok(caec_channel_send(l.pch, "one", 4, SEC));
	await(p.cons, CAEC_CTX_EV_CHANNEL);
	/* Disarmed: a second message raises nothing. */
	assert_caec_ok(caec_channel_send(l.pch, "two", 4, SEC));
	quiet(p.cons, CAEC_CTX_EV_CHANNEL);
	/* Re-armed while two messages wait: fires at once. */
	assert_caec_ok(caec_channel_watch(l.cch, CAEC_CHANNEL_READABLE, 0));
	await(p.cons, CAEC_CTX_EV_CHANNEL);
	assert_caec_count(caec_channel_recv(l.cch, buf, sizeof(buf), 0), 4);
	assert_caec_count(caec_channel_recv(l.cch, buf, sizeof(buf), 0), 4);
	assert_caec_err(caec_channel_recv(l.cch, buf, sizeof(buf), 0), CAEC_E_AGAIN);
	/* Drained and re-armed: waits for the next. */
	assert_caec_ok(caec_channel_watch(l.cch, CAEC_CHANNEL_READABLE, 0));
	quiet(p.cons, CAEC_CTX_EV_CHANNEL);
	assert_caec_ok(caec_channel_send(l.pch, "three", 6, SEC));
	await(p.cons, CAEC_CTX_EV_CHANNEL);
	assert_caec_count(caec_channel_recv(l.cch, buf, sizeof(buf), 0), 6);
	link_close(&l);
	pair_close(&p);
}

/* WRITABLE: a full ring fires once the receiver makes room. */
static void test_watch_writable(void **state)
{
	(void)state;
	struct pair p;
	struct link l;
	char buf[256] = { 0 };
	pair_open(&p);
	link_open(&p, &l, 0);
	int n = 0, rc;
	while ((rc = caec_channel_send(l.cch, buf, sizeof(buf), 0)) == 0)
		n++;
	assert_caec_err(rc, CAEC_E_AGAIN);
	assert_true(n > 0);
	assert_true(caec_ctx_fd(p.cons) >= 0);
	assert_caec_ok(caec_channel_watch(l.cch, CAEC_CHANNEL_WRITABLE, sizeof(buf)));
	drain(p.cons);
	quiet(p.cons, CAEC_CTX_EV_CHANNEL);
	assert_caec_count(caec_channel_recv(l.pch, buf, sizeof(buf), SEC), sizeof(buf));
	await(p.cons, CAEC_CTX_EV_CHANNEL);
	assert_caec_ok(caec_channel_send(l.cch, buf, sizeof(buf), 0));
	link_close(&l);
	pair_close(&p);
}

/* A revocation ends a watched channel: CHANNEL (and REGION) fire. */
static void test_watch_revoked(void **state)
{
	(void)state;
	struct pair p;
	struct link l;
	char buf[16];
	pair_open(&p);
	link_open(&p, &l, 0);
	assert_caec_ok(caec_channel_watch(l.cch, CAEC_CHANNEL_READABLE, 0));
	assert_true(caec_ctx_fd(p.cons) >= 0);
	drain(p.cons);
	assert_caec_ok(caec_revoke(l.pr, l.grant));
	await(p.cons, CAEC_CTX_EV_CHANNEL | CAEC_CTX_EV_REGION);
	assert_caec_err(caec_channel_recv(l.cch, buf, sizeof(buf), 0), CAEC_E_CLOSED);
	link_close(&l);
	pair_close(&p);
}

/* Several channels on one context; destroying a watched one stops its
 * watch and the others keep working; the limit; bad arguments. */
static void test_watch_many_and_args(void **state)
{
	(void)state;
	struct pair p;
	struct link l[3];
	pair_open(&p);
	for (int i = 0; i < 3; i++) {
		link_open(&p, &l[i], 0);
		assert_caec_ok(caec_channel_watch(l[i].cch, CAEC_CHANNEL_READABLE, 0));
	}
	assert_true(caec_ctx_fd(p.cons) >= 0);
	drain(p.cons);
	caec_channel_destroy(l[1].cch); /* watched: the watch goes with it */
	l[1].cch = NULL;
	quiet(p.cons, CAEC_CTX_EV_CHANNEL);
	assert_caec_ok(caec_channel_send(l[2].pch, "y", 1, SEC));
	await(p.cons, CAEC_CTX_EV_CHANNEL);
	/* Which one: wait_any with timeout 0 says. */
	struct caec_channel_wait w[2] = {
		{ .ch = l[0].cch, .events = CAEC_CHANNEL_READABLE },
		{ .ch = l[2].cch, .events = CAEC_CHANNEL_READABLE },
	};
	assert_caec_count(caec_channel_wait_any(w, 2, 0), 1);
	assert_int_equal(w[0].revents, 0);
	assert_int_equal(w[1].revents, CAEC_CHANNEL_READABLE);
	/* Stop watching: a message raises nothing. */
	assert_caec_ok(caec_channel_watch(l[0].cch, 0, 0));
	drain(p.cons);
	assert_caec_ok(caec_channel_send(l[0].pch, "z", 1, SEC));
	quiet(p.cons, CAEC_CTX_EV_CHANNEL);

	/* Arguments. */
	assert_caec_err(caec_channel_watch(NULL, CAEC_CHANNEL_READABLE, 0), CAEC_E_INVAL);
	assert_caec_err(caec_channel_watch(l[0].cch, 0x8, 0), CAEC_E_INVAL);
	assert_caec_err(caec_channel_watch(l[0].cch, CAEC_CHANNEL_CLOSED, 0), CAEC_E_INVAL);
	assert_caec_err(caec_channel_watch(l[0].cch, CAEC_CHANNEL_WRITABLE,
					   caec_channel_max_msg(l[0].cch) + 1), CAEC_E_MSGSIZE);
	void *mem = aligned_alloc(4096, 16384);
	struct caec_channel *m;
	assert_caec_ok(caec_channel_create_mem(mem, 16384, CAEC_CHANNEL_PROVIDER, NULL, &m));
	assert_caec_err(caec_channel_watch(m, CAEC_CHANNEL_READABLE, 0), CAEC_E_NOTSUP);
	caec_channel_destroy(m);
	free(mem);
	for (int i = 0; i < 3; i++)
		link_close(&l[i]);
	pair_close(&p);
}

/* At most CAEC_CHANNEL_WATCH_MAX channels per context. */
static void test_watch_limit(void **state)
{
	(void)state;
	enum { N = CAEC_CHANNEL_WATCH_MAX + 1 };
	struct caec_ctx *ctx;
	struct caec_region *r[N];
	struct caec_channel *ch[N];
	assert_caec_ok(caec_open(&ctx, NULL));
	for (int i = 0; i < N; i++) {
		assert_caec_ok(caec_share(ctx, caec_channel_region_size(64, 0), 0, &r[i]));
		assert_caec_ok(caec_channel_create(r[i], NULL, &ch[i]));
		int rc = caec_channel_watch(ch[i], CAEC_CHANNEL_READABLE, 0);
		if (i < (int)CAEC_CHANNEL_WATCH_MAX)
			assert_caec_ok(rc);
		else
			assert_caec_err(rc, CAEC_E_RANGE);
	}
	/* Re-arming a watched one is no new entry; one fewer makes room. */
	assert_caec_ok(caec_channel_watch(ch[0], CAEC_CHANNEL_READABLE, 0));
	assert_caec_ok(caec_channel_watch(ch[0], 0, 0));
	assert_caec_ok(caec_channel_watch(ch[N - 1], CAEC_CHANNEL_READABLE, 0));
	for (int i = 0; i < N; i++) {
		caec_channel_destroy(ch[i]);
		assert_caec_ok(caec_unshare(r[i]));
	}
	caec_close(ctx);
}

/* ---- wait_any ------------------------------------------------------------- */

struct later {
	struct caec_channel *ch;   /* send one byte here... */
	struct caec_region *r;     /* ...or revoke this region's grant */
	uint64_t grant;
};

static void *act_later(void *arg)
{
	struct later *a = arg;
	sleep_ms(50); /* the waiter is most likely asleep by now */
	if (a->ch)
		assert_caec_ok(caec_channel_send(a->ch, "!", 1, SEC));
	else
		assert_caec_ok(caec_revoke(a->r, a->grant));
	return NULL;
}

static void test_wait_any(void **state)
{
	(void)state;
	struct pair p;
	struct link l[3];
	char buf[16];
	pthread_t t;
	pair_open(&p);
	for (int i = 0; i < 3; i++)
		link_open(&p, &l[i], 0);
	struct caec_channel_wait w[3];
	for (int i = 0; i < 3; i++)
		w[i] = (struct caec_channel_wait){ .ch = l[i].cch, .events = CAEC_CHANNEL_READABLE };
	assert_caec_err(caec_channel_wait_any(w, 3, 0), CAEC_E_AGAIN);
	assert_caec_err(caec_channel_wait_any(w, 3, 20 * 1000000), CAEC_E_TIMEDOUT);
	/* Ready now: the one with a message, and only it. */
	assert_caec_ok(caec_channel_send(l[1].pch, "a", 1, SEC));
	assert_caec_count(caec_channel_wait_any(w, 3, CAEC_TIMEOUT_INFINITE), 1);
	assert_int_equal(w[0].revents, 0);
	assert_int_equal(w[1].revents, CAEC_CHANNEL_READABLE);
	assert_int_equal(w[2].revents, 0);
	assert_caec_count(caec_channel_recv(l[1].cch, buf, sizeof(buf), 0), 1);
	/* Asleep on all three: a send on the third wakes it. */
	struct later a = { .ch = l[2].pch };
	assert_int_equal(pthread_create(&t, NULL, act_later, &a), 0);
	assert_caec_count(caec_channel_wait_any(w, 3, 20 * SEC), 1);
	assert_int_equal(w[2].revents, CAEC_CHANNEL_READABLE);
	pthread_join(t, NULL);
	assert_caec_count(caec_channel_recv(l[2].cch, buf, sizeof(buf), 0), 1);
	/* The peer closes the first: READABLE (recv will not block) and
	 * CLOSED. */
	caec_channel_destroy(l[0].pch);
	l[0].pch = NULL;
	assert_caec_count(caec_channel_wait_any(w, 3, 20 * SEC), 1);
	assert_int_equal(w[0].revents, CAEC_CHANNEL_READABLE | CAEC_CHANNEL_CLOSED);
	assert_caec_err(caec_channel_recv(l[0].cch, buf, sizeof(buf), 0), CAEC_E_CLOSED);
	/* Asleep on the other two: a revocation wakes it. */
	struct caec_channel_wait w2[2] = { w[1], w[2] };
	struct later rv = { .r = l[1].pr, .grant = l[1].grant };
	assert_int_equal(pthread_create(&t, NULL, act_later, &rv), 0);
	assert_caec_count(caec_channel_wait_any(w2, 2, 20 * SEC), 1);
	assert_true(w2[0].revents & CAEC_CHANNEL_CLOSED);
	assert_int_equal(w2[1].revents, 0);
	pthread_join(t, NULL);
	for (int i = 0; i < 3; i++)
		link_close(&l[i]);
	pair_close(&p);
}

/* READABLE on one end, WRITABLE on another, in one set. */
static void test_wait_any_both_ways(void **state)
{
	(void)state;
	struct pair p;
	struct link l;
	char buf[256] = { 0 };
	pair_open(&p);
	link_open(&p, &l, 0);
	while (caec_channel_send(l.cch, buf, sizeof(buf), 0) == 0)
		;
	struct caec_channel_wait w[2] = {
		{ .ch = l.cch, .events = CAEC_CHANNEL_WRITABLE, .send_len = sizeof(buf) },
		{ .ch = l.pch, .events = CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE,
		  .send_len = 16 },
	};
	/* The provider's end can send (its ring is empty) and receive. */
	assert_caec_count(caec_channel_wait_any(w, 2, 0), 1);
	assert_int_equal(w[0].revents, 0);
	assert_int_equal(w[1].revents, CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE);
	/* Only the consumer's full ring now: it waits for room. */
	w[1].events = 0;
	assert_caec_err(caec_channel_wait_any(w, 2, 20 * 1000000), CAEC_E_TIMEDOUT);
	assert_caec_count(caec_channel_recv(l.pch, buf, sizeof(buf), 0), sizeof(buf));
	assert_caec_count(caec_channel_wait_any(w, 2, 20 * SEC), 1);
	assert_int_equal(w[0].revents, CAEC_CHANNEL_WRITABLE);
	link_close(&l);
	pair_close(&p);
}

static void test_wait_any_args(void **state)
{
	(void)state;
	struct pair p;
	struct link l, m;
	pair_open(&p);
	link_open(&p, &l, 0);
	link_open(&p, &m, CAEC_CHANNEL_F_MANY_TO_ONE);
	struct caec_channel_wait w[CAEC_CHANNEL_WAIT_MAX + 1];
	for (size_t i = 0; i <= CAEC_CHANNEL_WAIT_MAX; i++)
		w[i] = (struct caec_channel_wait){ .ch = l.cch, .events = CAEC_CHANNEL_READABLE };
	assert_caec_err(caec_channel_wait_any(NULL, 1, 0), CAEC_E_INVAL);
	assert_caec_err(caec_channel_wait_any(w, 0, 0), CAEC_E_INVAL);
	assert_caec_err(caec_channel_wait_any(w, CAEC_CHANNEL_WAIT_MAX + 1, 0), CAEC_E_INVAL);
	assert_caec_err(caec_channel_wait_any(w, CAEC_CHANNEL_WAIT_MAX, 0), CAEC_E_AGAIN);
	w[0].events = 0;
	assert_caec_err(caec_channel_wait_any(w, 1, 0), CAEC_E_INVAL); /* nothing asked */
	w[0].events = CAEC_CHANNEL_CLOSED;
	assert_caec_err(caec_channel_wait_any(w, 1, 0), CAEC_E_INVAL);
	w[0] = (struct caec_channel_wait){ .ch = NULL, .events = CAEC_CHANNEL_READABLE };
	assert_caec_err(caec_channel_wait_any(w, 1, 0), CAEC_E_INVAL);
	w[0] = (struct caec_channel_wait){ .ch = l.cch, .events = CAEC_CHANNEL_WRITABLE,
					   .send_len = caec_channel_max_msg(l.cch) + 1 };
	assert_caec_err(caec_channel_wait_any(w, 1, 0), CAEC_E_MSGSIZE);
	/* A many-to-one consumer end cannot receive, its provider cannot send. */
	w[0] = (struct caec_channel_wait){ .ch = m.cch, .events = CAEC_CHANNEL_READABLE };
	assert_caec_err(caec_channel_wait_any(w, 1, 0), CAEC_E_NOTSUP);
	w[0] = (struct caec_channel_wait){ .ch = m.pch, .events = CAEC_CHANNEL_WRITABLE };
	assert_caec_err(caec_channel_wait_any(w, 1, 0), CAEC_E_NOTSUP);
	link_close(&m);
	link_close(&l);
	pair_close(&p);
}

/* ---- grant lists longer than one reply ----------------------------------- */

static void test_grant_list_many(void **state)
{
	(void)state;
	enum { N = 520 }; /* > SIMD_GRANT_BATCH_MAX (510): two replies */
	static struct caec_region *r[N];
	static uint64_t grant[N];
	static struct caec_grant_info gi[N + 1];
	struct pair p;
	pair_open(&p);
	for (int i = 0; i < N; i++) {
		assert_caec_ok(caec_share(p.prov, CAEC_GRANULE_SIZE, 0, &r[i]));
		assert_caec_ok(caec_grant(r[i], p.cons_id, CAEC_PERM_RO, NULL, &grant[i]));
	}
	assert_caec_count(caec_grant_list(p.cons, NULL, 0), N);
	assert_caec_count(caec_grant_list(p.cons, gi, N + 1), N);
	for (int i = 0; i < N; i++)
		assert_true(gi[i].grant_id == grant[i]); /* grant order */
	for (int i = 0; i < N; i++)
		assert_caec_ok(caec_unshare(r[i]));
	assert_caec_count(caec_grant_list(p.cons, gi, N), 0);
	pair_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fd_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_made_late, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_region_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_platform_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_readable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_revoked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_many_and_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watch_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_any, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_any_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait_any_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grant_list_many, setup, teardown),
	};
	caec_test_filter();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
