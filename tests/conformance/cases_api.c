/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Group "api": every bad argument of every public region call gets a
 * clear error and changes nothing.  Calls that pass the library's own
 * checks reach the platform's (caec-simd's, or the CSM driver's and the
 * RMM's), which must answer with the same errors.
 *
 * The fixture (two roles): role 0 (realm a) provides a 2-page region and
 * grants it read-write to role 1 (realm b), which attaches it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* close(): both builds (the realm's EL0 runtime has it) */

#include "cases.h"
#include "ct.h"

struct fx {
	struct caec_ctx *ctx;
	uint64_t self, peer;      /* this realm's ID, the other role's */
	struct caec_region *prov; /* role 0: the region */
	struct caec_region *att;  /* role 1: its attachment */
	uint64_t grant;
};

static void fx_setup(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->ctx = ct_open();
	CT_OK(caec_self_id(f->ctx, &f->self));
	if (ct_role() == 0) {
		f->peer = ct_recv(1);
		CT_OK(caec_share(f->ctx, 2 * CAEC_GRANULE_SIZE, 0, &f->prov));
		CT_OK(caec_grant(f->prov, f->peer, CAEC_PERM_RW, NULL, &f->grant));
		ct_send(1, f->self);
		ct_send(1, f->grant);
		CT_EQ(ct_recv(1), 1); /* attached */
	} else {
		ct_send(0, f->self);
		f->peer = ct_recv(0);
		f->grant = ct_recv(0);
		CT_OK(caec_attach(f->ctx, f->grant, NULL, &f->att));
		ct_send(0, 1);
	}
}

/* The platform still holds exactly the one grant: nothing was created.
 * Each role checks what it sees; both then end the case. */
static void fx_unchanged(struct fx *f)
{
	struct caec_grant_info gi[2];
	if (ct_role() == 0) {
		CT_COUNT(caec_grant_list(f->ctx, gi, 2), 0);
		ct_send(1, 1);
		CT_EQ(ct_recv(1), 2);
	} else {
		CT_EQ(ct_recv(0), 1);
		CT_COUNT(caec_grant_list(f->ctx, gi, 2), 1);
		CT_EQ(gi[0].grant_id, f->grant);
		CT_CHECK(!caec_region_is_revoked(f->att));
		ct_send(0, 2);
	}
}

/* caec_open: NULL out, bad config size/flags, unknown or unavailable
 * backend, unreachable or unnamable platform, bad daemon uid or pinned key
 * file. */
static void args_open(void)
{
	struct caec_ctx *ctx = NULL;
	struct caec_config cfg;

	CT_ERR(caec_open(NULL, NULL), CAEC_E_INVAL);
	memset(&cfg, 0, sizeof(cfg));
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL); /* size 0 */
	cfg.size = sizeof(cfg);
	cfg.flags = 0x80000000u; /* not a CAEC_CONFIG_F_* */
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	cfg.flags = 0;
	cfg.backend = "nonesuch";
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	if (ct_on_sim()) {
		cfg.backend = "rsi"; /* no CSM driver (/dev/caec) on this machine */
		CT_ERR(caec_open(&ctx, &cfg), CAEC_E_NOTSUP);
		/* The Linux transport opens a node that is not a CSM driver,
		 * whose VERSION ioctl answers ENOTTY: another protocol. */
		cfg.rsi_device = "/dev/null";
		CT_ERR(caec_open(&ctx, &cfg), CAEC_E_PROTO);
		cfg.rsi_device = NULL;
		cfg.backend = "sim";
		cfg.sim_socket = "/nonexistent/caec.sock";
		CT_ERR(caec_open(&ctx, &cfg), CAEC_E_NOPLATFORM);
		char where[128];
		CT_COUNT(caec_endpoint(&cfg, where, sizeof(where)), strlen(cfg.sim_socket));
		CT_STR_EQ(where, "/nonexistent/caec.sock");
		char longpath[300];
		memset(longpath, 'x', sizeof(longpath) - 1);
		longpath[sizeof(longpath) - 1] = '\0';
		cfg.sim_socket = longpath;
		CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
		CT_ERR(caec_endpoint(&cfg, where, sizeof(where)), CAEC_E_INVAL);
		CT_NULL(ctx);

		/* The sim's own variables, malformed: reported as such. */
		char old[256];
		const char *cur = getenv("CAEC_SIM_SOCKET");
		CT_NONNULL(cur);
		CT_CHECK(strlen(cur) < sizeof(old));
		strcpy(old, cur);
		setenv("CAEC_SIM_SOCKET", longpath, 1);
		CT_ERR(caec_open(&ctx, NULL), CAEC_E_ENV);
		CT_ERR(caec_endpoint(NULL, where, sizeof(where)), CAEC_E_ENV);
		CT_STR_EQ(where, "CAEC_SIM_SOCKET");
		setenv("CAEC_SIM_SOCKET", old, 1);
		CT_COUNT(caec_endpoint(NULL, where, sizeof(where)), strlen(old));
		CT_STR_EQ(where, old);
		CT_ERR(caec_endpoint(NULL, where, 4), CAEC_E_RANGE);
		CT_ERR(caec_endpoint(NULL, NULL, 0), CAEC_E_INVAL);
		const char *bad_uid[] = { "xyz", "-1", " 5", "4294967295", "12a" };
		for (size_t i = 0; i < sizeof(bad_uid) / sizeof(bad_uid[0]); i++) {
			setenv("CAEC_SIM_DAEMON_UID", bad_uid[i], 1);
			CT_ERR(caec_open(&ctx, NULL), CAEC_E_ENV);
			CT_ERR(caec_endpoint(NULL, where, sizeof(where)), CAEC_E_ENV);
			CT_STR_EQ(where, "CAEC_SIM_DAEMON_UID");
		}
#ifdef CT_SIM_ONLY
		/* A config that sets the uid itself does not read it. */
		cfg.sim_socket = NULL;
		cfg.flags = CAEC_CONFIG_F_SIM_DAEMON_UID;
		cfg.sim_daemon_uid = (uint32_t)geteuid();
		CT_OK(caec_open(&ctx, &cfg));
		caec_close(ctx);
		cfg.flags = 0;
#endif
		unsetenv("CAEC_SIM_DAEMON_UID");
	} else {
		cfg.backend = "sim"; /* no caec-simd in a realm */
		CT_ERR(caec_open(&ctx, &cfg), CAEC_E_NOTSUP);
		cfg.backend = "rsi";
		cfg.rsi_device = "/dev/nonesuch"; /* no such node: no driver */
		CT_ERR(caec_open(&ctx, &cfg), CAEC_E_NOTSUP);
		char where[128];
		CT_COUNT(caec_endpoint(&cfg, where, sizeof(where)), strlen("/dev/nonesuch"));
		CT_STR_EQ(where, "/dev/nonesuch");
		cfg.rsi_device = NULL;
		CT_COUNT(caec_endpoint(&cfg, where, sizeof(where)), strlen("/dev/caec"));
		CT_STR_EQ(where, "/dev/caec");
		CT_OK(caec_open(&ctx, &cfg)); /* /dev/caec */
		CT_STR_EQ(caec_backend_name(ctx), "rsi");
		caec_close(ctx);
	}
	ctx = NULL;
	/* A pinned key file that cannot be read: a caller error when the
	 * config names it, the environment's when CAEC_PLATFORM_KEY does. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = sizeof(cfg);
	cfg.platform_key_file = "/nonexistent/key.pem";
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	char name[64];
	setenv("CAEC_PLATFORM_KEY", "/nonexistent/key.pem", 1);
	CT_ERR(caec_open(&ctx, NULL), CAEC_E_ENV);
	CT_ERR(caec_endpoint(NULL, name, sizeof(name)), CAEC_E_ENV);
	CT_STR_EQ(name, "CAEC_PLATFORM_KEY");
	unsetenv("CAEC_PLATFORM_KEY");
	/* Every backend's shared variables. */
	setenv("CAEC_BACKEND", "nonesuch", 1);
	CT_ERR(caec_open(&ctx, NULL), CAEC_E_ENV);
	CT_ERR(caec_endpoint(NULL, name, sizeof(name)), CAEC_E_ENV);
	CT_STR_EQ(name, "CAEC_BACKEND");
	CT_ERR(caec_endpoint(NULL, name, 5), CAEC_E_ENV); /* the name, cut to fit */
	CT_STR_EQ(name, "CAEC");
	unsetenv("CAEC_BACKEND");
	const char *bad_ms[] = { "abc", "0", "-5", "3600001", "10ms", "1e3" };
	for (size_t i = 0; i < sizeof(bad_ms) / sizeof(bad_ms[0]); i++) {
		setenv("CAEC_TIMEOUT_MS", bad_ms[i], 1);
		CT_ERR(caec_open(&ctx, NULL), CAEC_E_ENV);
		CT_ERR(caec_endpoint(NULL, name, sizeof(name)), CAEC_E_ENV);
		CT_STR_EQ(name, "CAEC_TIMEOUT_MS");
	}
	setenv("CAEC_TIMEOUT_MS", "", 1); /* empty: unset */
	CT_OK(caec_open(&ctx, NULL));
	caec_close(ctx);
	setenv("CAEC_TIMEOUT_MS", "2500", 1);
	CT_OK(caec_open(&ctx, NULL));
	caec_close(ctx);
	unsetenv("CAEC_TIMEOUT_MS");
	ctx = NULL;
	CT_NULL(ctx);

	/* A newer caller's bigger config with zero extension is fine; a
	 * non-zero extension this library does not know is refused. */
	struct {
		struct caec_config c;
		uint64_t extra;
	} big;
	memset(&big, 0, sizeof(big));
	big.c.size = sizeof(big);
	CT_OK(caec_open(&ctx, &big.c));
	caec_close(ctx);
	big.extra = 1;
	ctx = NULL;
	CT_ERR(caec_open(&ctx, &big.c), CAEC_E_INVAL);
	CT_NULL(ctx);

	/* Time is in ns (timeout_ns); the old ms field is still honoured,
	 * but not both at once, and neither beyond an hour. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = sizeof(cfg);
	cfg.timeout_ns = -1;
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	cfg.timeout_ns = 3601ll * 1000000000;
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	cfg.timeout_ns = 1000000000;
	cfg.timeout_ms = 1000;
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	cfg.timeout_ns = 0;
	cfg.timeout_ms = 3600001;
	CT_ERR(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	CT_NULL(ctx);
	cfg.timeout_ms = 2000;
	CT_OK(caec_open(&ctx, &cfg));
	caec_close(ctx);
	cfg.timeout_ms = 0;
	cfg.timeout_ns = 2000000000;
	CT_OK(caec_open(&ctx, &cfg));
	caec_close(ctx);
	/* A caller built before timeout_ns existed: its size stops short. */
	cfg.timeout_ns = 0;
	cfg.size = offsetof(struct caec_config, timeout_ns);
	CT_OK(caec_open(&ctx, &cfg));
	caec_close(ctx);
	ctx = NULL;

	caec_close(NULL); /* no-op */
	CT_STR_EQ(caec_backend_name(NULL), "");
}

static void args_self_id(void)
{
	struct fx f;
	uint64_t id;
	fx_setup(&f);
	CT_ERR(caec_self_id(NULL, &id), CAEC_E_INVAL);
	CT_ERR(caec_self_id(f.ctx, NULL), CAEC_E_INVAL);
	CT_OK(caec_self_id(f.ctx, &id));
	CT_EQ(id, f.self);
	CT_NE(f.self, f.peer);
	CT_NE(f.self, 0);
	CT_STR_EQ(caec_backend_name(f.ctx), ct_backend());
	fx_unchanged(&f);
}

/* caec_share: NULL arguments, flags, sizes that are zero, unaligned or
 * beyond the maximum. */
static void args_share(void)
{
	struct fx f;
	fx_setup(&f);
	if (ct_role() == 0) {
		struct caec_region *r = NULL;
		CT_ERR(caec_share(NULL, CAEC_GRANULE_SIZE, 0, &r), CAEC_E_INVAL);
		CT_ERR(caec_share(f.ctx, CAEC_GRANULE_SIZE, 0, NULL), CAEC_E_INVAL);
		CT_ERR(caec_share(f.ctx, CAEC_GRANULE_SIZE, 1, &r), CAEC_E_INVAL);
		CT_ERR(caec_share(f.ctx, 0, 0, &r), CAEC_E_ALIGN);
		CT_ERR(caec_share(f.ctx, 1, 0, &r), CAEC_E_ALIGN);
		CT_ERR(caec_share(f.ctx, CAEC_GRANULE_SIZE - 1, 0, &r), CAEC_E_ALIGN);
		CT_ERR(caec_share(f.ctx, CAEC_GRANULE_SIZE + 1, 0, &r), CAEC_E_ALIGN);
		CT_ERR(caec_share(f.ctx, (size_t)CAEC_REGION_MAX_SIZE + CAEC_GRANULE_SIZE, 0, &r),
		       CAEC_E_RANGE);
		CT_ERR(caec_share(f.ctx, SIZE_MAX & ~(size_t)(CAEC_GRANULE_SIZE - 1), 0, &r),
		       CAEC_E_RANGE);
		CT_NULL(r);
	}
	fx_unchanged(&f);
}

/* caec_grant: NULL, bad permission values, self or zero consumer, bad
 * policy, unknown consumer, granting from an attachment, duplicates. */
static void args_grant(void)
{
	struct fx f;
	uint64_t sh = 0;
	fx_setup(&f);
	if (ct_role() == 0) {
		struct caec_grant_policy pol;
		memset(&pol, 0, sizeof(pol));
		pol.size = sizeof(pol);
		CT_ERR(caec_grant(NULL, f.peer, CAEC_PERM_RO, NULL, &sh), CAEC_E_INVAL);
		CT_ERR(caec_grant(f.prov, f.peer, CAEC_PERM_RO, NULL, NULL), CAEC_E_INVAL);
		unsigned bad_perm[] = { 0, 2, 4, 7, 0xffffffffu };
		for (size_t i = 0; i < sizeof(bad_perm) / sizeof(bad_perm[0]); i++)
			CT_ERR(caec_grant(f.prov, f.peer, bad_perm[i], NULL, &sh), CAEC_E_INVAL);
		CT_ERR(caec_grant(f.prov, 0, CAEC_PERM_RO, NULL, &sh), CAEC_E_INVAL);
		CT_ERR(caec_grant(f.prov, f.self, CAEC_PERM_RO, NULL, &sh), CAEC_E_INVAL);
		pol.size = 4;
		CT_ERR(caec_grant(f.prov, f.peer, CAEC_PERM_RO, &pol, &sh), CAEC_E_INVAL);
		pol.size = sizeof(pol);
		pol.rim_len = CAEC_HASH_MAX + 1;
		CT_ERR(caec_grant(f.prov, f.peer, CAEC_PERM_RO, &pol, &sh), CAEC_E_INVAL);
		/* An ID no realm has. */
		CT_ERR(caec_grant(f.prov, f.peer ^ 0xf0f0, CAEC_PERM_RO, NULL, &sh), CAEC_E_NOENT);
		/* Second grant of the same region to the same consumer. */
		CT_ERR(caec_grant(f.prov, f.peer, CAEC_PERM_RO, NULL, &sh), CAEC_E_EXIST);
		CT_EQ(sh, 0);
	} else {
		/* Only the provider grants. */
		CT_ERR(caec_grant(f.att, f.peer ^ 1, CAEC_PERM_RO, NULL, &sh), CAEC_E_DENIED);
		CT_EQ(sh, 0);
	}
	fx_unchanged(&f);
}

/* caec_revoke: NULL, zero, unknown grant, from the consumer's handle, a
 * grant of another realm's region. */
static void args_revoke(void)
{
	struct fx f;
	fx_setup(&f);
	if (ct_role() == 0) {
		CT_ERR(caec_revoke(NULL, f.grant), CAEC_E_INVAL);
		CT_ERR(caec_revoke(f.prov, 0), CAEC_E_INVAL);
		CT_ERR(caec_revoke(f.prov, f.grant ^ 0x3c3c), CAEC_E_NOENT);
		/* b's own region, granted to a: a cannot revoke it. */
		uint64_t shb = ct_recv(1);
		CT_ERR(caec_revoke(f.prov, shb), CAEC_E_DENIED);
		ct_send(1, 1);
		CT_EQ(ct_recv(1), 2); /* b unshared it */
	} else {
		CT_ERR(caec_revoke(f.att, f.grant), CAEC_E_DENIED);
		struct caec_region *rb;
		uint64_t shb;
		CT_OK(caec_share(f.ctx, CAEC_GRANULE_SIZE, 0, &rb));
		CT_OK(caec_grant(rb, f.peer, CAEC_PERM_RO, NULL, &shb));
		ct_send(0, shb);
		CT_EQ(ct_recv(0), 1);
		CT_OK(caec_unshare(rb));
		ct_send(0, 2);
	}
	fx_unchanged(&f);
}

/* caec_unshare / caec_detach: NULL and the wrong side's handle. */
static void args_unshare_detach(void)
{
	struct fx f;
	fx_setup(&f);
	if (ct_role() == 0) {
		CT_ERR(caec_unshare(NULL), CAEC_E_INVAL);
		CT_ERR(caec_detach(NULL), CAEC_E_INVAL);
		CT_ERR(caec_detach(f.prov), CAEC_E_DENIED);
	} else {
		CT_ERR(caec_unshare(f.att), CAEC_E_DENIED);
	}
	fx_unchanged(&f);
}

/* caec_grant_list: NULL context, NULL array with capacity, truncation. */
static void args_grant_list(void)
{
	struct fx f;
	struct caec_grant_info gi;
	fx_setup(&f);
	if (ct_role() == 0) {
		struct caec_region *r2;
		uint64_t sh2;
		CT_EQ(ct_recv(1), 1);
		CT_OK(caec_share(f.ctx, CAEC_GRANULE_SIZE, 0, &r2));
		CT_OK(caec_grant(r2, f.peer, CAEC_PERM_RO, NULL, &sh2));
		ct_send(1, sh2);
		CT_EQ(ct_recv(1), 2);
		CT_OK(caec_unshare(r2));
	} else {
		CT_ERR(caec_grant_list(NULL, &gi, 1), CAEC_E_INVAL);
		CT_ERR(caec_grant_list(f.ctx, NULL, 1), CAEC_E_INVAL);
		CT_COUNT(caec_grant_list(f.ctx, NULL, 0), 1); /* count only */
		ct_send(0, 1);
		(void)ct_recv(0); /* a second grant now exists */
		/* Capacity smaller than the count: count returned, cap written. */
		memset(&gi, 0, sizeof(gi));
		CT_COUNT(caec_grant_list(f.ctx, &gi, 1), 2);
		CT_EQ(gi.grant_id, f.grant); /* grant order */
		ct_send(0, 2);
	}
	fx_unchanged(&f);
}

/* caec_attach: NULL, zero grant, bad options, unknown grant, attaching
 * twice, requiring a seal hash of an unsealed region. */
static void args_attach(void)
{
	struct fx f;
	fx_setup(&f);
	if (ct_role() == 0) {
		struct caec_region *r2;
		uint64_t sh2;
		CT_EQ(ct_recv(1), 1);
		CT_OK(caec_share(f.ctx, CAEC_GRANULE_SIZE, 0, &r2));
		CT_OK(caec_grant(r2, f.peer, CAEC_PERM_RO, NULL, &sh2));
		ct_send(1, sh2);
		CT_EQ(ct_recv(1), 2);
		CT_OK(caec_unshare(r2));
	} else {
		struct caec_region *r = NULL;
		struct caec_attach_opts o;
		memset(&o, 0, sizeof(o));
		o.size = sizeof(o);
		CT_ERR(caec_attach(NULL, f.grant, NULL, &r), CAEC_E_INVAL);
		CT_ERR(caec_attach(f.ctx, f.grant, NULL, NULL), CAEC_E_INVAL);
		CT_ERR(caec_attach(f.ctx, 0, NULL, &r), CAEC_E_INVAL);
		o.size = 3;
		CT_ERR(caec_attach(f.ctx, f.grant, &o, &r), CAEC_E_INVAL);
		o.size = sizeof(o);
		o.hash_len = CAEC_HASH_MAX + 1;
		CT_ERR(caec_attach(f.ctx, f.grant, &o, &r), CAEC_E_INVAL);
		CT_ERR(caec_attach(f.ctx, f.grant ^ 0x77, NULL, &r), CAEC_E_DENIED);
		CT_ERR(caec_attach(f.ctx, f.grant, NULL, &r), CAEC_E_STATE);
		ct_send(0, 1);
		uint64_t sh2 = ct_recv(0);
		o.hash_len = 32;
		CT_ERR(caec_attach(f.ctx, sh2, &o, &r), CAEC_E_HASH);
		CT_NULL(r);
		ct_send(0, 2);
	}
	fx_unchanged(&f);
}

/* caec_seal: NULL, hash buffer inconsistent or too small, consumer
 * handle, a region with a read-write grant (refused, still writable). */
static void args_seal(void)
{
	struct fx f;
	uint8_t h[64];
	fx_setup(&f);
	if (ct_role() == 0) {
		CT_ERR(caec_seal(NULL, h, sizeof(h)), CAEC_E_INVAL);
		CT_ERR(caec_seal(f.prov, NULL, 32), CAEC_E_INVAL);
		CT_ERR(caec_seal(f.prov, h, 16), CAEC_E_RANGE);
		CT_ERR(caec_seal(f.prov, h, sizeof(h)), CAEC_E_STATE);
		((volatile unsigned char *)caec_region_addr(f.prov))[0] = 9;
		CT_CHECK(!caec_region_is_sealed(f.prov));
		ct_send(1, 1);
	} else {
		CT_ERR(caec_seal(f.att, h, sizeof(h)), CAEC_E_DENIED);
		CT_EQ(ct_recv(0), 1);
		CT_EQ(((volatile unsigned char *)caec_region_addr(f.att))[0], 9);
	}
	fx_unchanged(&f);
}

/*
 * caec_region_export_fd: NULL region or out, flags != 0.  Then each
 * backend's answer for memory the realm holds (role 0 its region, role 1
 * its attached read-write grant): the sim hands out a descriptor; the
 * RSI backend has no export call yet (docs/abi.md: designed, not in the
 * driver) and says CAEC_E_NOTSUP.  Neither creates anything.
 */
static void args_export_fd(void)
{
	struct fx f;
	int fd = -1;
	fx_setup(&f);
	struct caec_region *r = ct_role() == 0 ? f.prov : f.att;
	CT_ERR(caec_region_export_fd(NULL, 0, &fd), CAEC_E_INVAL);
	CT_ERR(caec_region_export_fd(r, 1, &fd), CAEC_E_INVAL);
	CT_ERR(caec_region_export_fd(r, 0, NULL), CAEC_E_INVAL);
	CT_CHECK(fd == -1);
	if (strcmp(ct_backend(), "rsi") == 0) {
		CT_ERR(caec_region_export_fd(r, 0, &fd), CAEC_E_NOTSUP);
		CT_CHECK(fd == -1);
	} else {
		CT_OK(caec_region_export_fd(r, 0, &fd));
		CT_CHECK(fd >= 0);
		close(fd);
	}
	fx_unchanged(&f);
}

/* Accessors and RCU helpers accept NULL without crashing. */
static void args_accessors_null(void)
{
	CT_NULL(caec_region_addr(NULL));
	CT_EQ(caec_region_size(NULL), 0);
	CT_EQ(caec_region_perm(NULL), 0);
	CT_EQ(caec_region_id(NULL), 0);
	CT_EQ(caec_region_region_id(NULL), 0);
	CT_EQ(caec_region_grant_id(NULL), 0);
	CT_EQ(caec_region_provider(NULL), 0);
	CT_CHECK(!caec_region_is_provider(NULL));
	CT_CHECK(!caec_region_is_sealed(NULL));
	CT_CHECK(!caec_region_is_revoked(NULL));
	CT_NULL(caec_region_enter(NULL));
	caec_region_leave(NULL);
	CT_ERR(caec_region_set_event_handler(NULL, NULL, NULL), CAEC_E_INVAL);
}

/* Every error code has a distinct name and description; unknown values
 * are named as such; the version is the project's. */
static void args_strerror(void)
{
	for (int e = 0; e > -CAEC_ERR_COUNT; e--) {
		CT_CHECK(strcmp(caec_strerror(e), "unknown caec error") != 0);
		CT_CHECK(strcmp(caec_errname(e), "CAEC_E_UNKNOWN") != 0);
		for (int g = e - 1; g > -CAEC_ERR_COUNT; g--) {
			CT_CHECK(strcmp(caec_strerror(e), caec_strerror(g)) != 0);
			CT_CHECK(strcmp(caec_errname(e), caec_errname(g)) != 0);
		}
	}
	CT_STR_EQ(caec_strerror(-CAEC_ERR_COUNT), "unknown caec error");
	CT_STR_EQ(caec_strerror(1), "unknown caec error");
	CT_STR_EQ(caec_strerror(-100000), "unknown caec error");
	CT_STR_EQ(caec_errname(CAEC_E_DENIED), "CAEC_E_DENIED");
	CT_STR_EQ(caec_version(), CAEC_VERSION_STRING);
}

const struct ct_case ct_cases_api[] = {
	{ "args_open", "api", 1, args_open, NULL, NULL, -1, NULL },
	{ "args_self_id", "api", 2, args_self_id, args_self_id, NULL, -1, NULL },
	{ "args_share", "api", 2, args_share, args_share, NULL, -1, NULL },
	{ "args_grant", "api", 2, args_grant, args_grant, NULL, -1, NULL },
	{ "args_revoke", "api", 2, args_revoke, args_revoke, NULL, -1, NULL },
	{ "args_unshare_detach", "api", 2, args_unshare_detach, args_unshare_detach, NULL, -1,
	  NULL },
	{ "args_grant_list", "api", 2, args_grant_list, args_grant_list, NULL, -1, NULL },
	{ "args_attach", "api", 2, args_attach, args_attach, NULL, -1, NULL },
	{ "args_seal", "api", 2, args_seal, args_seal, NULL, -1, NULL },
	{ "args_export_fd", "api", 2, args_export_fd, args_export_fd, NULL, -1, NULL },
	{ "args_accessors_null", "api", 1, args_accessors_null, NULL, NULL, -1, NULL },
	{ "args_strerror", "api", 1, args_strerror, NULL, NULL, -1, NULL },
};
const size_t ct_ncases_api = sizeof(ct_cases_api) / sizeof(ct_cases_api[0]);
