/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group "channel": channels over real CSM regions between realms, and the
 * events that end a channel from outside.
 *
 *  revoke:      the consumer sleeps in recv; the provider revokes the
 *               grant.  The consumer must wake with CAEC_E_CLOSED and
 *               every later call must return CAEC_E_CLOSED, not fault.
 *  peer-death:  the consumer sends 3 messages and dies without closing.
 *               The provider, asleep in recv, gets the 3 messages and
 *               then CAEC_E_CLOSED (PEER_DETACHED event).
 *  many:        many-to-one: one region granted to two consumer realms,
 *               each sending over the multi-producer ring; the provider
 *               receives all, in per-sender order, then CAEC_E_AGAIN.
 *  unformatted, readonly: a consumer cannot open a channel on a region
 *               the provider has not formatted (CAEC_E_CORRUPT), nor on a
 *               read-only grant (CAEC_E_PERM).
 *  second:      a second channel on a region with a live one is refused
 *               (CAEC_E_EXIST) on both sides; the queued message arrives.
 *  handler:     a channel and the application's region event handler
 *               coexist, whichever is installed first: on revocation the
 *               handler runs and the channel's sleeper wakes.
 *  wait_any:    caec_channel_wait_any() wakes a consumer for the message
 *               on the one channel of its set; a set of two doorbell
 *               words works on the sim and is CAEC_E_NOTSUP in a realm
 *               (the driver's WAIT takes one word), as are the
 *               context's descriptor and watching (the RMM announces no
 *               grant; a realm process has no poll()).
 */
#include <string.h>

#include <caec/channel.h>

#include "cases.h"
#include "ct.h"

#define SZ (64u * 1024u)
#define SEC 1000000000ll
/* How long a blocked send or recv may wait before the case calls it a
 * hang: long, because a realm's clock runs in real time while QEMU, on a
 * loaded machine, may emulate it much slower. */
#define HANG (60 * SEC)

/* Provider side: a region with a channel (unless unformatted), granted. */
static struct caec_channel *provider_setup(struct caec_ctx *ctx, struct caec_region **r,
					   unsigned perm, bool formatted, uint64_t *grant)
{
	struct caec_channel *ch = NULL;
	uint64_t peer = ct_recv(1);
	CT_OK(caec_share(ctx, SZ, 0, r));
	if (formatted)
		CT_OK(caec_channel_create(*r, NULL, &ch));
	CT_OK(caec_grant(*r, peer, perm, NULL, grant));
	ct_send(1, *grant);
	return ch;
}

static struct caec_region *consumer_attach(struct caec_ctx *ctx)
{
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	CT_OK(caec_attach(ctx, ct_recv(0), NULL, &r));
	return r;
}

static void revoke_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant;
	struct caec_channel *ch = provider_setup(ctx, &r, CAEC_PERM_RW, true, &grant);
	CT_EQ(ct_recv(1), 1); /* ready */
	ct_sleep_ms(100);     /* the consumer is asleep in recv by now */
	CT_OK(caec_revoke(r, grant));
	CT_EQ(ct_recv(1), 2);
	caec_channel_destroy(ch);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void revoke_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r = consumer_attach(ctx);
	struct caec_channel *ch;
	char buf[64];
	CT_OK(caec_channel_create(r, NULL, &ch));
	ct_send(0, 1);
	/* Sleeps on the doorbell until the revocation wakes it. */
	CT_ERR(caec_channel_recv(ch, buf, sizeof(buf), 30 * SEC), CAEC_E_CLOSED);
	/* recv is woken as the revocation starts; is_revoked() turns true
	 * once the old mapping faults (one grace period later on the sim). */
	for (int i = 0; i < 1000 && !caec_region_is_revoked(r); i++)
		ct_sleep_ms(10);
	CT_CHECK(caec_region_is_revoked(r));
	CT_ERR(caec_channel_send(ch, "x", 1, 0), CAEC_E_CLOSED);
	const void *p;
	size_t len;
	CT_ERR(caec_channel_peek(ch, &p, &len, CAEC_TIMEOUT_INFINITE), CAEC_E_CLOSED);
	caec_channel_destroy(ch);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

#ifdef CT_SIM_ONLY
static void death_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant;
	struct caec_channel *ch = provider_setup(ctx, &r, CAEC_PERM_RW, true, &grant);
	CT_EQ(ct_recv(1), 1); /* ready */
	int v, n = 0, rc;
	for (;;) {
		rc = caec_channel_recv(ch, &v, sizeof(v), 30 * SEC);
		if (rc < 0)
			break;
		CT_EQ(v, n);
		n++;
	}
	CT_EQ(n, 3);
	CT_ERR(rc, CAEC_E_CLOSED);
	caec_channel_destroy(ch);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void death_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r = consumer_attach(ctx);
	struct caec_channel *ch;
	CT_OK(caec_channel_create(r, NULL, &ch));
	ct_send(0, 1);
	for (int i = 0; i < 3; i++)
		CT_OK(caec_channel_send(ch, &i, sizeof(i), 5 * SEC));
	ct_die(); /* without closing anything */
}
#endif

static void many_provider(void)
{
	enum { K = 2 };
	uint32_t per = (uint32_t)ct_pick(20000, 2000);
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	struct caec_channel *ch;
	struct caec_channel_opts o = { .size = sizeof(o), .flags = CAEC_CHANNEL_F_MANY_TO_ONE };
	CT_OK(caec_share(ctx, SZ, 0, &r));
	CT_OK(caec_channel_create(r, &o, &ch));
	for (int k = 1; k <= K; k++) {
		uint64_t grant, peer = ct_recv(k);
		CT_OK(caec_grant(r, peer, CAEC_PERM_RW, NULL, &grant));
		ct_send(k, grant);
		ct_send(k, per);
	}
	uint32_t next[K] = { 0 };
	for (uint32_t n = 0; n < K * per; n++) {
		uint32_t m[2];
		int rc = caec_channel_recv(ch, m, sizeof(m), HANG);
		if (rc != (int)sizeof(m))
			ct_fail_at(__FILE__, __LINE__, "recv after %u messages: %s", n,
				   caec_errname(rc));
		if (m[0] >= K || m[1] != next[m[0]])
			ct_fail_at(__FILE__, __LINE__, "message (%u, %u) out of order", m[0], m[1]);
		next[m[0]]++;
	}
	for (int k = 0; k < K; k++)
		CT_EQ(next[k], per);
	char b[8];
	CT_ERR(caec_channel_recv(ch, b, sizeof(b), 0), CAEC_E_AGAIN);
	for (int k = 1; k <= K; k++)
		ct_send(k, 1);
	for (int k = 1; k <= K; k++)
		CT_EQ(ct_recv(k), 2);
	caec_channel_destroy(ch);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void many_sender(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r = consumer_attach(ctx);
	struct caec_channel *ch;
	uint32_t id = (uint32_t)ct_role() - 1, per = (uint32_t)ct_recv(0);
	CT_OK(caec_channel_create(r, NULL, &ch));
	for (uint32_t i = 0; i < per; i++) {
		uint32_t m[2] = { id, i };
		int rc = caec_channel_send(ch, m, sizeof(m), HANG);
		if (rc != 0)
			ct_fail_at(__FILE__, __LINE__, "sender %u, message %u: %s", id, i,
				   caec_errname(rc));
	}
	/* Stay attached until the provider has read everything. */
	CT_EQ(ct_recv(0), 1);
	caec_channel_destroy(ch);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

/* A consumer can open a channel only on a formatted, read-write region. */
static void refused_provider(bool formatted, unsigned perm)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant;
	struct caec_channel *ch = provider_setup(ctx, &r, perm, formatted, &grant);
	CT_EQ(ct_recv(1), 1);
	caec_channel_destroy(ch);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void refused_consumer(int want)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r = consumer_attach(ctx);
	struct caec_channel *ch;
	CT_ERR(caec_channel_create(r, NULL, &ch), want);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 1);
}

/*
 * A second caec_channel_create() on a region with a live channel is
 * refused (CAEC_E_EXIST) on both sides (it would re-format the region
 * under the live channel), and the message queued before it still
 * arrives.
 */
static void second_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	struct caec_channel *ch2 = NULL;
	uint64_t grant;
	struct caec_channel *ch = provider_setup(ctx, &r, CAEC_PERM_RW, true, &grant);
	CT_EQ(ct_recv(1), 1); /* ready */
	CT_OK(caec_channel_send(ch, "first", 6, 5 * SEC));
	CT_ERR(caec_channel_create(r, NULL, &ch2), CAEC_E_EXIST);
	CT_NULL(ch2);
	ct_send(1, 1);
	CT_EQ(ct_recv(1), 2);
	caec_channel_destroy(ch);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void second_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r = consumer_attach(ctx);
	struct caec_channel *ch, *ch2 = NULL;
	char buf[64];
	CT_OK(caec_channel_create(r, NULL, &ch));
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 1); /* the provider queued a message */
	CT_ERR(caec_channel_create(r, NULL, &ch2), CAEC_E_EXIST);
	CT_COUNT(caec_channel_recv(ch, buf, sizeof(buf), HANG), 6);
	CT_MEM_EQ(buf, "first", 6);
	caec_channel_destroy(ch);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

/*
 * The application's region event handler and a channel on the region both
 * see a revocation.  Region A gets its handler before the channel, region
 * B after it (and B's handler is then removed and set again): each time
 * the consumer sleeps in recv, the provider revokes, recv ends with
 * CAEC_E_CLOSED (the channel's own listener woke it) and the handler
 * counted exactly one CAEC_REGION_EV_REVOKED.
 */
static void handler_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r[2];
	struct caec_channel *ch[2];
	uint64_t grant[2], peer = ct_recv(1);
	for (int i = 0; i < 2; i++) {
		CT_OK(caec_share(ctx, SZ, 0, &r[i]));
		CT_OK(caec_channel_create(r[i], NULL, &ch[i]));
		CT_OK(caec_grant(r[i], peer, CAEC_PERM_RW, NULL, &grant[i]));
		ct_send(1, grant[i]);
	}
	for (int i = 0; i < 2; i++) {
		CT_EQ(ct_recv(1), 1 + (uint64_t)i); /* asleep in recv on region i */
		ct_sleep_ms(100);
		CT_OK(caec_revoke(r[i], grant[i]));
	}
	CT_EQ(ct_recv(1), 3);
	for (int i = 0; i < 2; i++) {
		caec_channel_destroy(ch[i]);
		CT_OK(caec_unshare(r[i]));
	}
	ct_close(ctx);
}

static void count_revoked(struct caec_region *r, int ev, uint64_t grant, void *arg)
{
	(void)r;
	(void)grant;
	if (ev == CAEC_REGION_EV_REVOKED)
		(*(unsigned *)arg)++;
}

static void handler_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r[2];
	struct caec_channel *ch[2];
	unsigned revoked[2] = { 0, 0 };
	uint64_t self;
	char buf[16];
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	for (int i = 0; i < 2; i++)
		CT_OK(caec_attach(ctx, ct_recv(0), NULL, &r[i]));
	/* A: the handler first, then the channel. */
	CT_OK(caec_region_set_event_handler(r[0], count_revoked, &revoked[0]));
	CT_OK(caec_channel_create(r[0], NULL, &ch[0]));
	/* B: the channel first, then the handler, removed, set again. */
	CT_OK(caec_channel_create(r[1], NULL, &ch[1]));
	CT_OK(caec_region_set_event_handler(r[1], count_revoked, &revoked[1]));
	CT_OK(caec_region_set_event_handler(r[1], NULL, NULL));
	CT_OK(caec_region_set_event_handler(r[1], count_revoked, &revoked[1]));
	for (int i = 0; i < 2; i++) {
		ct_send(0, 1 + (uint64_t)i);
		CT_ERR(caec_channel_recv(ch[i], buf, sizeof(buf), HANG), CAEC_E_CLOSED);
		for (int k = 0; k < 1000 && !caec_region_is_revoked(r[i]); k++)
			ct_sleep_ms(10);
		CT_CHECK(caec_region_is_revoked(r[i]));
		CT_EQ(revoked[i], 1);
	}
	for (int i = 0; i < 2; i++) {
		caec_channel_destroy(ch[i]);
		CT_OK(caec_detach(r[i]));
	}
	ct_close(ctx);
	ct_send(0, 3);
}

static void wait_any_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant;
	struct caec_channel *ch = provider_setup(ctx, &r, CAEC_PERM_RW, true, &grant);
	CT_EQ(ct_recv(1), 1); /* ready: asleep in wait_any by now, most likely */
	ct_sleep_ms(100);
	CT_OK(caec_channel_send(ch, "ping", 5, HANG));
	CT_EQ(ct_recv(1), 2);
	caec_channel_destroy(ch);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void wait_any_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r = consumer_attach(ctx);
	struct caec_channel *ch;
	char buf[16];
	CT_OK(caec_channel_create(r, NULL, &ch));
	struct caec_channel_wait w = { .ch = ch, .events = CAEC_CHANNEL_READABLE };
	CT_ERR(caec_channel_wait_any(&w, 1, 0), CAEC_E_AGAIN);
	CT_EQ(w.revents, 0);
	ct_send(0, 1);
	CT_COUNT(caec_channel_wait_any(&w, 1, HANG), 1);
	CT_EQ(w.revents, CAEC_CHANNEL_READABLE);
	CT_COUNT(caec_channel_recv(ch, buf, sizeof(buf), 0), 5);
	CT_MEM_EQ(buf, "ping", 5);
	/* Two words (receive or room to send): one futex_waitv on Linux;
	 * nothing in a realm can wait on both. */
	w.events = CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE;
	w.send_len = caec_channel_max_msg(ch) + 1;
	CT_ERR(caec_channel_wait_any(&w, 1, 0), CAEC_E_MSGSIZE);
	w.send_len = 8;
	CT_COUNT(caec_channel_wait_any(&w, 1, 0), 1); /* room to send */
	CT_EQ(w.revents, CAEC_CHANNEL_WRITABLE);
	char fill[64] = { 0 };
	while (caec_channel_send(ch, fill, sizeof(fill), 0) == 0)
		;
	w.send_len = sizeof(fill);
	if (ct_on_sim()) {
		CT_ERR(caec_channel_wait_any(&w, 1, 10000000), CAEC_E_TIMEDOUT);
		CT_CHECK(caec_ctx_fd(ctx) >= 0);
		CT_OK(caec_channel_watch(ch, CAEC_CHANNEL_READABLE, 0));
	} else {
		CT_ERR(caec_channel_wait_any(&w, 1, 10000000), CAEC_E_NOTSUP);
		uint32_t ev;
		CT_ERR(caec_ctx_fd(ctx), CAEC_E_NOTSUP);
		CT_ERR(caec_ctx_events(ctx, &ev), CAEC_E_NOTSUP);
		CT_ERR(caec_channel_watch(ch, CAEC_CHANNEL_READABLE, 0), CAEC_E_NOTSUP);
	}
	caec_channel_destroy(ch);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

static void unformatted_provider(void)
{
	refused_provider(false, CAEC_PERM_RW);
}
static void unformatted_consumer(void)
{
	refused_consumer(CAEC_E_CORRUPT);
}
static void readonly_provider(void)
{
	refused_provider(true, CAEC_PERM_RO);
}
static void readonly_consumer(void)
{
	refused_consumer(CAEC_E_PERM);
}

const struct ct_case ct_cases_channel[] = {
	{ "channel_revoke", "channel", 2, revoke_provider, revoke_consumer, NULL, -1, NULL },
	{ "channel_peer_death", "channel", 2, CT_SIM_FN(death_provider), CT_SIM_FN(death_consumer),
	  NULL, 1,
	  "needs the provider to learn that its consumer detached (PEER_DETACHED); the RMM "
	  "reports no peer events (the driver ABI reserves CAEC_DRV_EV_PEER_*)" },
	{ "channel_many_to_one", "channel", 3, many_provider, many_sender, NULL, -1, NULL },
	{ "channel_unformatted", "channel", 2, unformatted_provider, unformatted_consumer, NULL,
	  -1, NULL },
	{ "channel_readonly", "channel", 2, readonly_provider, readonly_consumer, NULL, -1, NULL },
	{ "channel_second_refused", "channel", 2, second_provider, second_consumer, NULL, -1,
	  NULL },
	{ "channel_keeps_region_handler", "channel", 2, handler_provider, handler_consumer, NULL,
	  -1, NULL },
	{ "channel_wait_any", "channel", 2, wait_any_provider, wait_any_consumer, NULL, -1, NULL },
};
const size_t ct_ncases_channel = sizeof(ct_cases_channel) / sizeof(ct_cases_channel[0]);
