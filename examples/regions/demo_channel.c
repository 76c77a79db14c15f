/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-demo, part 2: a channel between the provider and consumer A (see
 * demo_roles.h) -- the other half of the library.  The provider formats a
 * second region as a duplex channel (caec/channel.h: two rings, each with
 * a doorbell) and grants it to A; then
 *
 *   1. A sleeps in caec_channel_recv(); the provider's caec_channel_send()
 *      copies a message into the ring and rings the doorbell, which wakes A;
 *   2. A answers zero-copy: caec_channel_reserve() gives it a span inside
 *      the shared region, A writes the message there, caec_channel_commit()
 *      publishes it; the provider reads it where A wrote it
 *      (caec_channel_peek(), checked byte by byte, caec_channel_release());
 *   3. A sleeps in caec_channel_recv() again and the provider revokes A's
 *      grant: the revocation wakes A, whose call returns CAEC_E_CLOSED
 *      instead of sleeping on (or faulting on the unmapped ring).
 *
 * Every step checks its result; a role returns non-zero if one is not
 * what it must be.
 */
#include "demo_roles.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <caec/caec.h>
#include <caec/channel.h>

#define CH_REGION_SIZE (16 * CAEC_GRANULE_SIZE)
#define PING "ping from the provider (a copy)"
#define REPLY_HEAD "zero-copy reply from A"
#define REPLY_LEN 4096u
/* Long: a realm's clock runs in real time while QEMU may emulate slowly. */
#define WAIT_NS (60ll * 1000 * 1000 * 1000)

/* Steps A announces before it sleeps (so the provider acts on a sleeper). */
enum { A_ATTACHED = 1, A_SLEEPS_AGAIN = 2, A_DONE = 3 };

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

/* The reply's bytes after its heading: a pattern the provider checks. */
static uint8_t reply_byte(size_t i)
{
	return (uint8_t)(i * 7u + 1u);
}

int demo_channel_provider(const struct demo_platform *p, struct caec_ctx *ctx,
			  uint64_t id_a)
{
	const char *who = "provider";
	struct caec_region *r;
	struct caec_channel *ch;
	uint64_t grant;
	int rc;

	if ((rc = caec_share(ctx, CH_REGION_SIZE, 0, &r)) < 0)
		return demo_failed(who, "caec_share (channel)", rc);
	if ((rc = caec_channel_create(r, NULL, &ch)) < 0)
		return demo_failed(who, "caec_channel_create", rc);
	if ((rc = caec_grant(r, id_a, CAEC_PERM_RW, NULL, &grant)) < 0)
		return demo_failed(who, "caec_grant (channel)", rc);
	demo_say(who, "channel: a %d KiB region formatted as a channel (two rings, a "
		 "doorbell each), granted read-write to %016" PRIx64, CH_REGION_SIZE / 1024,
		 id_a);
	p->send(DEMO_A, grant);

	/* 1. A copy, to a receiver asleep on the doorbell. */
	if (p->recv(DEMO_A) != A_ATTACHED)
		return demo_failed(who, "A's channel end", CAEC_E_STATE);
	sleep_ms(50); /* A is asleep in caec_channel_recv() by now */
	/* Said first: A, woken, speaks as soon as the message is there. */
	demo_say(who, "channel: caec_channel_send(\"%s\"): %zu bytes copied into the "
		 "ring, A's doorbell rung", PING, sizeof(PING));
	if ((rc = caec_channel_send(ch, PING, sizeof(PING), WAIT_NS)) < 0)
		return demo_failed(who, "caec_channel_send", rc);

	/* 2. A's zero-copy reply, read where A wrote it. */
	const void *span;
	size_t len;
	if ((rc = caec_channel_peek(ch, &span, &len, WAIT_NS)) < 0)
		return demo_failed(who, "caec_channel_peek", rc);
	const uint8_t *b = span, *base = caec_region_addr(r);
	bool inside = b >= base && b + len <= base + caec_region_size(r);
	bool same = len == REPLY_LEN && memcmp(b, REPLY_HEAD, sizeof(REPLY_HEAD)) == 0;
	for (size_t i = sizeof(REPLY_HEAD); same && i < len; i++)
		same = b[i] == reply_byte(i);
	demo_say(who, "channel: peeked A's %zu-byte reply in place at offset 0x%zx: "
		 "\"%.*s\", %s", len, (size_t)(b - base), (int)sizeof(REPLY_HEAD),
		 same ? (const char *)b : "?",
		 inside && same ? "all as A wrote it (no copy)" : "NOT what A wrote");
	if (!inside || !same)
		return 1;
	if ((rc = caec_channel_release(ch)) < 0)
		return demo_failed(who, "caec_channel_release", rc);

	/* 3. Revoke A's grant while A sleeps. */
	if (p->recv(DEMO_A) != A_SLEEPS_AGAIN)
		return demo_failed(who, "A's second wait", CAEC_E_STATE);
	sleep_ms(50);
	demo_say(who, "channel: revoking A's grant while A sleeps in caec_channel_recv()");
	if ((rc = caec_revoke(r, grant)) < 0)
		return demo_failed(who, "caec_revoke (channel)", rc);
	if (p->recv(DEMO_A) != A_DONE)
		return demo_failed(who, "A's channel part", CAEC_E_STATE);
	caec_channel_destroy(ch);
	if ((rc = caec_unshare(r)) < 0)
		return demo_failed(who, "caec_unshare (channel)", rc);
	demo_say(who, "channel: destroyed the channel region");
	return 0;
}

int demo_channel_consumer(const struct demo_platform *p, struct caec_ctx *ctx)
{
	const char *who = "A (rw)";
	struct caec_region *r;
	struct caec_channel *ch;
	char buf[128];
	int rc, n;

	uint64_t grant = p->recv(DEMO_PROVIDER);
	if ((rc = caec_attach(ctx, grant, NULL, &r)) < 0)
		return demo_failed(who, "caec_attach (channel)", rc);
	if ((rc = caec_channel_create(r, NULL, &ch)) < 0)
		return demo_failed(who, "caec_channel_create (my end)", rc);
	demo_say(who, "channel: attached it, opened my end (messages up to %zu bytes), "
		 "waiting in caec_channel_recv()", caec_channel_max_msg(ch));

	/* 1. Asleep until the provider's message rings the doorbell. */
	p->send(DEMO_PROVIDER, A_ATTACHED);
	int64_t t0 = now_ns();
	if ((n = caec_channel_recv(ch, buf, sizeof(buf), WAIT_NS)) < 0)
		return demo_failed(who, "caec_channel_recv", n);
	int64_t slept = now_ns() - t0;
	bool ping = n == (int)sizeof(PING) && memcmp(buf, PING, sizeof(PING)) == 0;
	demo_say(who, "channel: the doorbell woke me after %" PRId64 " ms in "
		 "caec_channel_recv(): \"%.*s\" (%d bytes, copied)%s", slept / 1000000,
		 n, buf, n, ping ? "" : " NOT the provider's message");
	if (!ping)
		return 1;

	/* 2. The reply, written in place in the ring. */
	void *span;
	if ((rc = caec_channel_reserve(ch, REPLY_LEN, &span, WAIT_NS)) < 0)
		return demo_failed(who, "caec_channel_reserve", rc);
	uint8_t *b = span;
	memcpy(b, REPLY_HEAD, sizeof(REPLY_HEAD));
	for (size_t i = sizeof(REPLY_HEAD); i < REPLY_LEN; i++)
		b[i] = reply_byte(i);
	size_t off = (size_t)(b - (uint8_t *)caec_region_addr(r));
	demo_say(who, "channel: zero-copy reply: reserved %u bytes at offset 0x%zx of the "
		 "region, wrote them in place, committing", REPLY_LEN, off);
	if ((rc = caec_channel_commit(ch, REPLY_LEN)) < 0)
		return demo_failed(who, "caec_channel_commit", rc);

	/* 3. Asleep again; the revocation must wake me, not leave me asleep. */
	p->send(DEMO_PROVIDER, A_SLEEPS_AGAIN);
	t0 = now_ns();
	rc = caec_channel_recv(ch, buf, sizeof(buf), WAIT_NS);
	slept = now_ns() - t0;
	demo_say(who, "channel: woken by the revocation after %" PRId64 " ms: "
		 "caec_channel_recv() -> %s", slept / 1000000, caec_errname(rc));
	if (rc != CAEC_E_CLOSED)
		return 1;
	/* The call wakes as the revocation starts; the region reads as
	 * revoked once the mapping is gone (a grace period later on the sim). */
	for (int i = 0; i < 1000 && !caec_region_is_revoked(r); i++)
		sleep_ms(10);
	rc = caec_channel_send(ch, "x", 1, 0);
	demo_say(who, "channel: region %s; caec_channel_send() -> %s",
		 caec_region_is_revoked(r) ? "revoked" : "STILL MAPPED", caec_errname(rc));
	if (!caec_region_is_revoked(r) || rc != CAEC_E_CLOSED)
		return 1;
	caec_channel_destroy(ch);
	if ((rc = caec_detach(r)) < 0)
		return demo_failed(who, "caec_detach (channel)", rc);
	p->send(DEMO_PROVIDER, A_DONE);
	return 0;
}
