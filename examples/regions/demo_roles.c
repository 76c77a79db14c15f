/* SPDX-License-Identifier: Apache-2.0 */
/* caec-demo's three realms (see demo_roles.h), on any platform. */
#include "demo_roles.h"
#include "peer_check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <caec/caec.h>

#define REGION_SIZE (16 * CAEC_GRANULE_SIZE)
#define REPLY_OFF CAEC_GRANULE_SIZE

static const char *const names[] = { "provider", "A (rw)", "B (ro)" };

void demo_say(const char *who, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("[%-8s] ", who);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

int demo_failed(const char *who, const char *what, int rc)
{
	fprintf(stderr, "[%-8s] %s failed: %s (%s)\n", who, what, caec_strerror(rc),
		caec_errname(rc));
	fflush(stderr);
	return 1;
}

int demo_consumer(const struct demo_platform *p, int role)
{
	const char *who = names[role];
	bool writer = role == DEMO_A;
	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t self;
	int rc;

	if ((rc = caec_open(&ctx, NULL)) < 0)
		return demo_failed(who, "caec_open", rc);
	if ((rc = caec_self_id(ctx, &self)) < 0)
		return demo_failed(who, "caec_self_id", rc);
	demo_say(who, "realm ID %016" PRIx64 ", asking the provider for a grant", self);
	p->send(DEMO_PROVIDER, self);
	/* Before attaching, make sure the provider is the realm we expect,
	 * running the software we expect (and prove the same to it). */
	uint64_t provider = p->recv(DEMO_PROVIDER);
	if ((rc = demo_mutual_attest(ctx, p, who, DEMO_PROVIDER, provider, false)) < 0)
		return demo_failed(who, "peer verification", rc);
	uint64_t grant = p->recv(DEMO_PROVIDER);

	struct caec_grant_info gi[8];
	int n = caec_grant_list(ctx, gi, 8);
	if (n < 0)
		return demo_failed(who, "caec_grant_list", n);
	demo_say(who, "%d grant(s) granted to me; attaching %016" PRIx64 " (%s)", n, grant,
	    n > 0 && gi[0].perm == CAEC_PERM_RW ? "read-write" : "read-only");
	if ((rc = caec_attach(ctx, grant, NULL, &r)) < 0)
		return demo_failed(who, "caec_attach", rc);
	const char *base = caec_region_addr(r);
	demo_say(who, "mapped %zu bytes at %p; provider says: \"%s\"", caec_region_size(r),
	    (void *)base, base);

	if (writer) {
		snprintf((char *)base + REPLY_OFF, 64, "reply from %s, in place", who);
		demo_say(who, "wrote my reply into the region (no copy, no crypto)");
		p->send(DEMO_PROVIDER, 1);
	} else {
		p->recv(DEMO_PROVIDER); /* wait until A has written */
		demo_say(who, "reads A's reply: \"%s\"", base + REPLY_OFF);
		int f = p->write_faults((volatile char *)base);
		demo_say(who, "write attempt on my read-only mapping: %s",
		    f == 1 ? "SIGSEGV (refused, as it must be)" : "NOT REFUSED");
		if (f != 1)
			return 1;
		p->send(DEMO_PROVIDER, 1);
	}

	/* Wait until the provider revokes us / destroys the region. */
	p->recv(DEMO_PROVIDER);
	demo_say(who, "access now: %s (caec_region_enter() -> %s)",
	    caec_region_is_revoked(r) ? "revoked" : "still granted",
	    caec_region_enter(r) ? "mapping" : "NULL");
	caec_region_leave(r);
	if ((rc = caec_detach(r)) < 0)
		return demo_failed(who, "caec_detach", rc);
	p->send(DEMO_PROVIDER, 1);
	if (writer && (rc = demo_channel_consumer(p, ctx)) != 0)
		return rc;
	caec_close(ctx);
	return 0;
}

int demo_provider(const struct demo_platform *p)
{
	const char *who = names[DEMO_PROVIDER];
	struct caec_ctx *ctx;
	struct caec_region *r;
	uint64_t self, grant_a, grant_b;
	int rc;

	if ((rc = caec_open(&ctx, NULL)) < 0)
		return demo_failed(who, "caec_open (is the platform there?)", rc);
	if ((rc = caec_self_id(ctx, &self)) < 0)
		return demo_failed(who, "caec_self_id", rc);
	demo_say(who, "realm ID %016" PRIx64 " on the '%s' platform", self, caec_backend_name(ctx));

	uint64_t id_a = p->recv(DEMO_A);
	uint64_t id_b = p->recv(DEMO_B);
	p->send(DEMO_A, self);
	p->send(DEMO_B, self);
	/* Verify each consumer before granting anything to it. */
	if ((rc = demo_mutual_attest(ctx, p, who, DEMO_A, id_a, true)) < 0)
		return demo_failed(who, "verify A", rc);
	if ((rc = demo_mutual_attest(ctx, p, who, DEMO_B, id_b, true)) < 0)
		return demo_failed(who, "verify B", rc);

	if ((rc = caec_share(ctx, REGION_SIZE, 0, &r)) < 0)
		return demo_failed(who, "caec_share", rc);
	char *base = caec_region_addr(r);
	snprintf(base, 64, "hello from realm %016" PRIx64, self);
	demo_say(who, "created a %d KiB confidential region and wrote a message", REGION_SIZE / 1024);
	if (p->outsider_look)
		p->outsider_look();

	if ((rc = caec_grant(r, id_a, CAEC_PERM_RW, NULL, &grant_a)) < 0)
		return demo_failed(who, "caec_grant A", rc);
	if ((rc = caec_grant(r, id_b, CAEC_PERM_RO, NULL, &grant_b)) < 0)
		return demo_failed(who, "caec_grant B", rc);
	demo_say(who, "granted read-write to %016" PRIx64 " and read-only to %016" PRIx64, id_a, id_b);
	p->send(DEMO_A, grant_a);
	p->send(DEMO_B, grant_b);

	p->recv(DEMO_A); /* A replied */
	demo_say(who, "reads A's reply in place: \"%s\"", base + REPLY_OFF);
	p->send(DEMO_B, 1);
	p->recv(DEMO_B); /* B showed its fault */

	if ((rc = caec_revoke(r, grant_b)) < 0)
		return demo_failed(who, "caec_revoke B", rc);
	demo_say(who, "revoked B's grant (B's mapping is gone when this returns)");
	p->send(DEMO_B, 1);
	p->recv(DEMO_B);

	if ((rc = caec_unshare(r)) < 0)
		return demo_failed(who, "caec_unshare", rc);
	demo_say(who, "destroyed the region: A's grant revoked with it, memory scrubbed");
	p->send(DEMO_A, 1);
	p->recv(DEMO_A);

	if ((rc = demo_channel_provider(p, ctx, id_a)) != 0)
		return rc;
	caec_close(ctx);
	return 0;
}
