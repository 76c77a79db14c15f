/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group "regions": regions end to end between realms, each role a realm
 * with its own context (sim: a process; firmware: a realm).
 */
#include <string.h>

#include "cases.h"
#include "ct.h"

#ifdef CT_SIM_ONLY
#include <pthread.h>
#include <time.h>

#include "ct_sim.h"
#endif

/*
 * The whole lifecycle across two realms: share, grant RW, list grants,
 * attach, data written on either side is seen on the other (same memory,
 * no copy), detach, attach again, revoke, unshare.
 */
static void lifecycle_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self, grant;
	CT_OK(caec_self_id(ctx, &self));
	uint64_t consumer = ct_recv(1);
	CT_NE(consumer, self);

	CT_OK(caec_share(ctx, 8 * CAEC_GRANULE_SIZE, 0, &r));
	CT_CHECK(caec_region_is_provider(r));
	CT_EQ(caec_region_perm(r), CAEC_PERM_RW);
	CT_EQ(caec_region_provider(r), self);
	unsigned char *p = caec_region_addr(r);
	CT_NONNULL(p);
	/* Fresh regions are zero-filled. */
	for (size_t i = 0; i < 8 * CAEC_GRANULE_SIZE; i++)
		if (p[i])
			ct_fail_at(__FILE__, __LINE__, "byte %zu of a new region is %u", i, p[i]);
	memcpy(p, "provider data", 14);
	p[8 * CAEC_GRANULE_SIZE - 1] = 0xab;
	CT_OK(caec_grant(r, consumer, CAEC_PERM_RW, NULL, &grant));
	CT_NE(grant, 0);
	CT_NE(caec_region_region_id(r), 0);
	CT_NE(caec_region_region_id(r), grant);
	CT_EQ(caec_region_id(r), caec_region_region_id(r));
	CT_EQ(caec_region_grant_id(r), 0); /* a provider's region has grants, plural */
	/* One grant per consumer and region. */
	uint64_t dup;
	CT_ERR(caec_grant(r, consumer, CAEC_PERM_RO, NULL, &dup), CAEC_E_EXIST);
	ct_send(1, grant);
	ct_send(1, self);

	CT_EQ(ct_recv(1), 1);
	CT_MEM_EQ(p + CAEC_GRANULE_SIZE, "consumer data", 14);
	ct_send(1, 1);
	CT_EQ(ct_recv(1), 2);
	CT_OK(caec_revoke(r, grant));
	/* Revoking twice: the grant is gone. */
	CT_ERR(caec_revoke(r, grant), CAEC_E_NOENT);
	ct_send(1, 3);
	CT_EQ(ct_recv(1), 4);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void lifecycle_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r, *r2;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0), provider = ct_recv(0);

	struct caec_grant_info gi[4];
	CT_COUNT(caec_grant_list(ctx, gi, 4), 1);
	CT_EQ(gi[0].grant_id, grant);
	CT_EQ(gi[0].provider_id, provider);
	CT_EQ(gi[0].size, 8 * CAEC_GRANULE_SIZE);
	CT_EQ(gi[0].perm, CAEC_PERM_RW);
	CT_CHECK(!(gi[0].flags & CAEC_GRANT_F_ATTACHED));

	CT_OK(caec_attach(ctx, grant, NULL, &r));
	CT_EQ(caec_region_size(r), 8 * CAEC_GRANULE_SIZE);
	CT_EQ(caec_region_perm(r), CAEC_PERM_RW);
	CT_EQ(caec_region_grant_id(r), grant);
	CT_EQ(caec_region_region_id(r), 0); /* a consumer knows the grant */
	CT_EQ(caec_region_id(r), grant);
	CT_EQ(caec_region_provider(r), provider);
	CT_CHECK(!caec_region_is_provider(r));
	CT_CHECK(!caec_region_is_revoked(r));
	CT_COUNT(caec_grant_list(ctx, gi, 4), 1);
	CT_CHECK(gi[0].flags & CAEC_GRANT_F_ATTACHED);
	/* A second handle on the same grant is refused. */
	CT_ERR(caec_attach(ctx, grant, NULL, &r2), CAEC_E_STATE);

	unsigned char *p = caec_region_addr(r);
	CT_MEM_EQ(p, "provider data", 14);
	CT_EQ(p[8 * CAEC_GRANULE_SIZE - 1], 0xab);
	memcpy(p + CAEC_GRANULE_SIZE, "consumer data", 14);
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 1); /* the provider has read it */

	/* Detach, then attach again: the grant survives a detach. */
	CT_OK(caec_detach(r));
	CT_OK(caec_attach(ctx, grant, NULL, &r));
	p = caec_region_addr(r);
	CT_MEM_EQ(p + CAEC_GRANULE_SIZE, "consumer data", 14);
	ct_send(0, 2);
	CT_EQ(ct_recv(0), 3); /* the provider revoked */
	CT_CHECK(caec_region_is_revoked(r));
	CT_NULL(caec_region_enter(r));
	caec_region_leave(r);
	CT_COUNT(caec_grant_list(ctx, gi, 4), 0);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 4);
}

/*
 * Consent is mutual and named: attaching a grant that was never granted,
 * a grant made to another realm, a revoked grant, or a grant whose region
 * was destroyed is a denial (CAEC_E_DENIED for all: caec_attach() tells a
 * realm nothing about grants that are not its own).  Role 1
 * is the named consumer, role 2 a bystander that learnt the grant ID.
 */
static void denials_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r, *r2;
	uint64_t grant, ida = ct_recv(1);
	(void)ct_recv(2);
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	CT_OK(caec_grant(r, ida, CAEC_PERM_RO, NULL, &grant));
	ct_send(1, grant);
	ct_send(2, grant);
	CT_EQ(ct_recv(2), 1); /* the bystander was refused */
	CT_EQ(ct_recv(1), 1); /* the consumer tried a made-up ID */
	CT_OK(caec_revoke(r, grant));
	ct_send(1, 2);
	CT_EQ(ct_recv(1), 2);
	/* A grant whose region is destroyed (unshared) is gone too. */
	uint64_t grant3;
	struct caec_region *r3;
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r3));
	CT_OK(caec_grant(r3, ida, CAEC_PERM_RW, NULL, &grant3));
	CT_OK(caec_unshare(r3));
	ct_send(1, grant3);
	CT_EQ(ct_recv(1), 3);
	/* The provider cannot attach its own region as a consumer either. */
	CT_ERR(caec_attach(ctx, grant, NULL, &r2), CAEC_E_DENIED);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void denials_named(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0);
	/* Never granted: an ID nobody issued. */
	CT_ERR(caec_attach(ctx, grant ^ 0x5555, NULL, &r), CAEC_E_DENIED);
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 2); /* revoked now */
	CT_ERR(caec_attach(ctx, grant, NULL, &r), CAEC_E_DENIED);
	ct_send(0, 2);
	uint64_t destroyed = ct_recv(0); /* its region unshared */
	CT_ERR(caec_attach(ctx, destroyed, NULL, &r), CAEC_E_DENIED);
	CT_COUNT(caec_grant_list(ctx, NULL, 0), 0);
	ct_close(ctx);
	ct_send(0, 3);
}

static void denials_bystander(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0);
	CT_ERR(caec_attach(ctx, grant, NULL, &r), CAEC_E_DENIED);
	CT_COUNT(caec_grant_list(ctx, NULL, 0), 0);
	ct_close(ctx);
	ct_send(0, 1);
}

/*
 * A read-only consumer's mapping cannot be written: a store faults, and
 * mprotect() cannot make it writable (EACCES: the platform mapped it
 * read-only for good).  The provider's later store is visible to it.
 */
static void ro_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant, cons = ct_recv(1);
	CT_OK(caec_share(ctx, 4 * CAEC_GRANULE_SIZE, 0, &r));
	unsigned char *p = caec_region_addr(r);
	p[0] = 0x11;
	CT_OK(caec_grant(r, cons, CAEC_PERM_RO, NULL, &grant));
	ct_send(1, grant);
	CT_EQ(ct_recv(1), 1);
	CT_EQ(p[0], 0x11);
	p[1] = 0x22;
	ct_send(1, 1);
	CT_EQ(ct_recv(1), 2);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void ro_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0);
	CT_OK(caec_attach(ctx, grant, NULL, &r));
	CT_EQ(caec_region_perm(r), CAEC_PERM_RO);
	volatile unsigned char *p = caec_region_addr(r);
	CT_EQ(p[0], 0x11);
	CT_CHECK(ct_faults(p, true));
	CT_CHECK(!ct_faults(p, false));
	CT_EQ(ct_make_writable((void *)p, caec_region_size(r)), CT_EACCES);
	CT_EQ(p[0], 0x11); /* unchanged */
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 1);
	CT_EQ(p[1], 0x22); /* the provider's later store is visible */
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

/*
 * Revoke and unshare take access away: after caec_revoke() returns in the
 * provider, the consumer's handle reports revoked, caec_region_enter()
 * returns NULL and touching the old address faults (no stale data); the
 * same after caec_unshare() for every consumer of the region.  Role 1
 * loses access by revoke, role 2 by unshare.
 */
static void withdraw_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant[3];
	CT_OK(caec_share(ctx, 2 * CAEC_GRANULE_SIZE, 0, &r));
	((unsigned char *)caec_region_addr(r))[100] = 0x77;
	for (int i = 1; i <= 2; i++) {
		uint64_t id = ct_recv(i);
		CT_OK(caec_grant(r, id, CAEC_PERM_RW, NULL, &grant[i]));
		ct_send(i, grant[i]);
		CT_EQ(ct_recv(i), 1);
	}
	CT_OK(caec_revoke(r, grant[1]));
	ct_send(1, 1);
	CT_EQ(ct_recv(1), 2);
	CT_OK(caec_unshare(r));
	ct_send(2, 1);
	CT_EQ(ct_recv(2), 2);
	ct_close(ctx);
}

static void withdraw_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0);
	CT_OK(caec_attach(ctx, grant, NULL, &r));
	volatile unsigned char *p = caec_region_addr(r);
	CT_EQ(p[100], 0x77);
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 1); /* access withdrawn now (revoke or unshare) */
	CT_CHECK(caec_region_is_revoked(r));
	CT_NULL(caec_region_enter(r));
	caec_region_leave(r);
	CT_CHECK(ct_faults(p, false));
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

/*
 * A provider that dies (its process ends with no cleanup) takes its
 * regions with it: the attached consumer is revoked by the platform.
 * Role 1 is the provider and dies; role 0 the consumer.
 */
static void death_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(1, self);
	uint64_t grant = ct_recv(1);
	CT_OK(caec_attach(ctx, grant, NULL, &r));
	CT_EQ(((unsigned char *)caec_region_addr(r))[0], 0x42);
	ct_send(1, 1); /* die now */
	/* The platform notices the death and revokes; wait for it. */
	for (int i = 0; i < 500 && !caec_region_is_revoked(r); i++)
		ct_sleep_ms(10);
	CT_CHECK(caec_region_is_revoked(r));
	CT_NULL(caec_region_enter(r));
	caec_region_leave(r);
	CT_COUNT(caec_grant_list(ctx, NULL, 0), 0);
	CT_OK(caec_detach(r));
	ct_close(ctx);
}

static void death_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant, cons = ct_recv(0);
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	((unsigned char *)caec_region_addr(r))[0] = 0x42;
	CT_OK(caec_grant(r, cons, CAEC_PERM_RO, NULL, &grant));
	ct_send(0, grant);
	CT_EQ(ct_recv(0), 1); /* the consumer is attached */
	ct_die();
}

/*
 * No small fixed limit on consumers: every other role (64 on the sim, as
 * many realms as the firmware run has) attaches one region read-write at
 * once, each writes its own slot, everyone sees everyone's.
 */
static void many_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	int n = ct_nroles() - 1;
	uint64_t ids[64];
	CT_CHECK(n >= 1 && n <= 64);
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	for (int i = 1; i <= n; i++) {
		uint64_t grant;
		ids[i - 1] = ct_recv(i);
		CT_OK(caec_grant(r, ids[i - 1], CAEC_PERM_RW, NULL, &grant));
		ct_send(i, grant);
	}
	for (int i = 1; i <= n; i++)
		CT_EQ(ct_recv(i), 1);
	uint64_t *slots = caec_region_addr(r);
	for (int i = 0; i < n; i++)
		CT_EQ(slots[i], ids[i]);
	for (int i = 1; i <= n; i++)
		ct_send(i, 1);
	for (int i = 1; i <= n; i++)
		CT_EQ(ct_recv(i), 2);
	CT_OK(caec_unshare(r));
	ct_close(ctx);
}

static void many_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	int me = ct_role() - 1, n = ct_nroles() - 1;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t grant = ct_recv(0);
	CT_OK(caec_attach(ctx, grant, NULL, &r));
	volatile uint64_t *slots = caec_region_addr(r);
	slots[me] = self;
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 1); /* all have written */
	for (int k = 0; k < n; k++)
		CT_CHECK(slots[k] != 0);
	CT_EQ(slots[me], self);
	CT_OK(caec_detach(r));
	ct_close(ctx);
	ct_send(0, 2);
}

/*
 * Closing a context releases everything: regions it provided disappear
 * for their consumers, and the platform forgets its grants.
 */
static void close_provider(void)
{
	struct caec_ctx *prov = ct_open();
	struct caec_region *r;
	uint64_t grant, cid = ct_recv(1);
	CT_OK(caec_share(prov, CAEC_GRANULE_SIZE, 0, &r));
	CT_OK(caec_grant(r, cid, CAEC_PERM_RW, NULL, &grant));
	ct_send(1, grant);
	CT_EQ(ct_recv(1), 1);
	ct_close(prov); /* destroys r: the consumer is revoked */
	ct_send(1, 2);
	CT_EQ(ct_recv(1), 3);
}

static void close_consumer(void)
{
	struct caec_ctx *cons = ct_open();
	struct caec_region *a;
	uint64_t cid;
	CT_OK(caec_self_id(cons, &cid));
	ct_send(0, cid);
	CT_OK(caec_attach(cons, ct_recv(0), NULL, &a));
	ct_send(0, 1);
	CT_EQ(ct_recv(0), 2);
	CT_CHECK(caec_region_is_revoked(a));
	CT_COUNT(caec_grant_list(cons, NULL, 0), 0);
	CT_OK(caec_detach(a));
	ct_close(cons);
	ct_send(0, 3);
}

#ifdef CT_SIM_ONLY
struct reader_arg {
	struct caec_region *r;
	unsigned long sections; /* sections that saw the mapping */
	unsigned long bad;      /* inconsistent content seen */
};

static void *reader(void *p)
{
	struct reader_arg *a = p;
	for (;;) {
		const volatile uint64_t *w = caec_region_enter(a->r);
		if (!w) {
			caec_region_leave(a->r);
			return NULL;
		}
		/* The provider filled every word with the same value before
		 * granting; read all of it while inside the section. */
		uint64_t first = w[0];
		for (size_t i = 1; i < 2 * CAEC_GRANULE_SIZE / 8; i++)
			if (w[i] != first)
				a->bad++;
		__atomic_fetch_add(&a->sections, 1, __ATOMIC_RELAXED);
		caec_region_leave(a->r);
	}
}

/*
 * Revocation under load: four consumer threads read the whole region in
 * caec_region_enter()/leave() sections in a tight loop while the provider
 * revokes.  No reader faults (the mapping is removed only after every
 * section in progress has ended), each sees NULL afterwards and stops, and
 * nobody saw torn content.  (Two contexts of one process: two realms on
 * the sim, where a realm is a connection.)
 */
static void revoke_under_readers(void)
{
	enum { T = 4 };
	struct caec_ctx *prov = ct_open(), *cons = ct_open();
	struct caec_region *r, *a;
	uint64_t cid, grant;
	pthread_t th[T];
	struct reader_arg args[T];

	CT_OK(caec_self_id(cons, &cid));
	CT_OK(caec_share(prov, 2 * CAEC_GRANULE_SIZE, 0, &r));
	uint64_t *w = caec_region_addr(r);
	for (size_t i = 0; i < 2 * CAEC_GRANULE_SIZE / 8; i++)
		w[i] = 0x1234567890abcdefull;
	CT_OK(caec_grant(r, cid, CAEC_PERM_RO, NULL, &grant));
	CT_OK(caec_attach(cons, grant, NULL, &a));
	for (int i = 0; i < T; i++) {
		args[i] = (struct reader_arg){ .r = a };
		CT_EQ(pthread_create(&th[i], NULL, reader, &args[i]), 0);
	}
	/* Let every reader get going, then pull the rug. */
	for (int spins = 0; spins < 2000; spins++) {
		bool all = true;
		for (int i = 0; i < T; i++)
			all = all && __atomic_load_n(&args[i].sections, __ATOMIC_RELAXED) > 10;
		if (all)
			break;
		ct_sleep_ms(1);
	}
	CT_OK(caec_revoke(r, grant));
	for (int i = 0; i < T; i++) {
		CT_EQ(pthread_join(th[i], NULL), 0);
		CT_CHECK(args[i].sections > 0);
		CT_EQ(args[i].bad, 0);
	}
	CT_CHECK(caec_region_is_revoked(a));
	CT_OK(caec_detach(a));
	CT_OK(caec_unshare(r));
	ct_close(cons);
	ct_close(prov);
}

/*
 * A killed platform (the daemon) leaves clients with a clear error, not a
 * hang: every call that needs the platform returns CAEC_E_PLATFORM.
 */
static void platform_death(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
	((unsigned char *)caec_region_addr(r))[0] = 1;
	ct_sim_kill_platform();
	struct caec_region *r2;
	uint64_t grant;
	CT_ERR(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r2), CAEC_E_PLATFORM);
	CT_ERR(caec_grant(r, 12345, CAEC_PERM_RO, NULL, &grant), CAEC_E_PLATFORM);
	CT_ERR(caec_grant_list(ctx, NULL, 0), CAEC_E_PLATFORM);
	/* The memory itself stays valid for the provider. */
	CT_EQ(((unsigned char *)caec_region_addr(r))[0], 1);
	/* Opening a new context now fails cleanly too, saying that no
	 * daemon is there (the harness removed the dead one's directory). */
	struct caec_ctx *ctx2 = NULL;
	CT_ERR(caec_open(&ctx2, NULL), CAEC_E_NOPLATFORM);
	CT_NULL(ctx2);
	CT_ERR(caec_unshare(r), CAEC_E_PLATFORM);
	ct_close(ctx);
	ct_sim_restart_platform(); /* for the teardown's clean-shutdown check */
}
#endif

/*
 * A consumer's detach racing the provider's unshare: whichever the
 * platform sees first, the detach succeeds and frees the handle (the
 * header's promise), the unshare succeeds, and nothing is left behind.
 * The two calls are started together many times over.
 */
static void race_provider(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t grant, ida = ct_recv(1);
	uint64_t rounds = ct_pick(200, 20);
	ct_send(1, rounds);
	for (uint64_t i = 0; i < rounds; i++) {
		CT_OK(caec_share(ctx, CAEC_GRANULE_SIZE, 0, &r));
		CT_OK(caec_grant(r, ida, CAEC_PERM_RW, NULL, &grant));
		ct_send(1, grant);
		CT_EQ(ct_recv(1), i); /* attached: go */
		CT_OK(caec_unshare(r));
		CT_EQ(ct_recv(1), i); /* the consumer's detach returned */
	}
	ct_send(1, rounds); /* every unshare returned */
	ct_close(ctx);
}

static void race_consumer(void)
{
	struct caec_ctx *ctx = ct_open();
	struct caec_region *r;
	uint64_t self;
	CT_OK(caec_self_id(ctx, &self));
	ct_send(0, self);
	uint64_t rounds = ct_recv(0);
	for (uint64_t i = 0; i < rounds; i++) {
		CT_OK(caec_attach(ctx, ct_recv(0), NULL, &r));
		ct_send(0, i);
		CT_ERR(caec_detach(r), CAEC_OK);
		ct_send(0, i);
	}
	CT_EQ(ct_recv(0), rounds);
	CT_COUNT(caec_grant_list(ctx, NULL, 0), 0);
	ct_close(ctx);
}

const struct ct_case ct_cases_regions[] = {
	{ "regions_full_lifecycle", "regions", 2, lifecycle_provider, lifecycle_consumer, NULL, -1,
	  NULL },
	{ "regions_attach_denials", "regions", 3, denials_provider, denials_named,
	  denials_bystander, -1, NULL },
	{ "regions_read_only_enforced", "regions", 2, ro_provider, ro_consumer, NULL, -1, NULL },
	{ "regions_detach_races_unshare", "regions", 2, race_provider, race_consumer, NULL, -1,
	  NULL },
	{ "regions_revoke_and_unshare_remove_access", "regions", 3, withdraw_provider,
	  withdraw_consumer, NULL, -1, NULL },
	{ "regions_provider_death_detaches_consumers", "regions", 2, death_consumer,
	  death_provider, NULL, 1, NULL },
	{ "regions_64_consumers", "regions", CT_ROLES_MANY, many_provider, many_consumer, NULL, -1,
	  NULL },
	{ "regions_close_releases_everything", "regions", 2, close_provider, close_consumer, NULL,
	  -1, NULL },
	{ "regions_revoke_under_concurrent_readers", "regions", 1,
	  CT_SIM_FN(revoke_under_readers), NULL, NULL, -1,
	  "needs threads in the consumer, and the RSI cannot keep a revoked mapping until "
	  "readers leave: the RMM removes it at once (a process of the realm kernel has one "
	  "thread)" },
	{ "regions_daemon_death_is_an_error", "regions", 1, CT_SIM_FN(platform_death), NULL,
	  NULL, -1,
	  "kills the simulated platform (caec-simd); the RMM of a realm cannot be killed" },
};
const size_t ct_ncases_regions = sizeof(ct_cases_regions) / sizeof(ct_cases_regions[0]);
