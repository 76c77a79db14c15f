/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every bad argument of every public region call gets a clear error and
 * changes nothing.  Runs against a real caec-simd so that calls which pass
 * the library's own checks reach the platform's checks too.
 */
#include <string.h>

#include "caec_test.h"
#include "simd_fixture.h"

static struct caec_test_simd simd;

struct fx {
	struct caec_ctx *a, *b;   /* two realms */
	uint64_t ida, idb;
	struct caec_region *prov; /* provided by a */
	struct caec_region *att;  /* b's attachment of prov */
	uint64_t grant;
};

static int setup(void **state)
{
	static struct fx fx;
	memset(&fx, 0, sizeof(fx));
	if (caec_test_start_simd(&simd, NULL) != 0)
		return -1;
	if (caec_open(&fx.a, NULL) < 0 || caec_open(&fx.b, NULL) < 0)
		return -1;
	if (caec_self_id(fx.a, &fx.ida) < 0 || caec_self_id(fx.b, &fx.idb) < 0)
		return -1;
	if (caec_share(fx.a, 2 * CAEC_GRANULE_SIZE, 0, &fx.prov) < 0)
		return -1;
	if (caec_grant(fx.prov, fx.idb, CAEC_PERM_RW, NULL, &fx.grant) < 0)
		return -1;
	if (caec_attach(fx.b, fx.grant, NULL, &fx.att) < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	caec_close(fx->b);
	caec_close(fx->a);
	return caec_test_stop_simd(&simd) == 0 ? 0 : -1;
}

/* The platform still holds exactly the one grant: nothing was created. */
static void assert_unchanged(struct fx *fx)
{
	struct caec_grant_info gi[2];
	assert_caec_count(caec_grant_list(fx->b, gi, 2), 1);
	assert_int_equal(gi[0].grant_id, fx->grant);
	assert_caec_count(caec_grant_list(fx->a, gi, 2), 0);
	assert_false(caec_region_is_revoked(fx->att));
}

/* caec_open: NULL out, bad config size/flags, unknown or unavailable
 * backend, unreachable or unnamable daemon socket, bad daemon uid or
 * pinned key file. */
static void test_args_open(void **state)
{
	(void)state;
	struct caec_ctx *ctx = NULL;
	struct caec_config cfg;

	assert_caec_err(caec_open(NULL, NULL), CAEC_E_INVAL);
	memset(&cfg, 0, sizeof(cfg));
	assert_caec_err(caec_open(&ctx, &cfg), CAEC_E_INVAL); /* size 0 */
	cfg.size = sizeof(cfg);
	cfg.flags = 0x80000000u; /* not a CAEC_CONFIG_F_* */
	assert_caec_err(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	cfg.flags = 0;
	cfg.backend = "nonesuch";
	assert_caec_err(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	cfg.backend = "rsi"; /* no CSM transport on this machine */
	assert_caec_err(caec_open(&ctx, &cfg), CAEC_E_NOTSUP);
	cfg.backend = "sim";
	cfg.sim_socket = "/nonexistent/caec.sock";
	assert_caec_err(caec_open(&ctx, &cfg), CAEC_E_PLATFORM);
	char longpath[300];
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	cfg.sim_socket = longpath;
	assert_caec_err(caec_open(&ctx, &cfg), CAEC_E_INVAL);
	assert_null(ctx);

	setenv("CAEC_SIM_DAEMON_UID", "xyz", 1);
	assert_caec_err(caec_open(&ctx, NULL), CAEC_E_INVAL);
	unsetenv("CAEC_SIM_DAEMON_UID");
	/* A pinned key file that cannot be read is a caller error. */
	setenv("CAEC_PLATFORM_KEY", "/nonexistent/key.pem", 1);
	assert_caec_err(caec_open(&ctx, NULL), CAEC_E_INVAL);
	unsetenv("CAEC_PLATFORM_KEY");
	assert_null(ctx);

	/* A newer caller's bigger config with zero extension is fine; a
	 * non-zero extension this library does not know is refused. */
	struct {
		struct caec_config c;
		uint64_t extra;
	} big;
	memset(&big, 0, sizeof(big));
	big.c.size = sizeof(big);
	assert_caec_ok(caec_open(&ctx, &big.c));
	caec_close(ctx);
	big.extra = 1;
	ctx = NULL;
	assert_caec_err(caec_open(&ctx, &big.c), CAEC_E_INVAL);
	assert_null(ctx);

	caec_close(NULL); /* no-op */
	assert_string_equal(caec_backend_name(NULL), "");
}

static void test_args_self_id(void **state)
{
	struct fx *fx = *state;
	uint64_t id;
	assert_caec_err(caec_self_id(NULL, &id), CAEC_E_INVAL);
	assert_caec_err(caec_self_id(fx->a, NULL), CAEC_E_INVAL);
	assert_caec_ok(caec_self_id(fx->a, &id));
	assert_int_equal(id, fx->ida);
	assert_int_not_equal(fx->ida, fx->idb);
	assert_string_equal(caec_backend_name(fx->a), "sim");
}

/* caec_share: NULL arguments, flags, sizes that are zero, unaligned or
 * beyond the maximum. */
static void test_args_share(void **state)
{
	struct fx *fx = *state;
	struct caec_region *r = NULL;
	assert_caec_err(caec_share(NULL, CAEC_GRANULE_SIZE, 0, &r), CAEC_E_INVAL);
	assert_caec_err(caec_share(fx->a, CAEC_GRANULE_SIZE, 0, NULL), CAEC_E_INVAL);
	assert_caec_err(caec_share(fx->a, CAEC_GRANULE_SIZE, 1, &r), CAEC_E_INVAL);
	assert_caec_err(caec_share(fx->a, 0, 0, &r), CAEC_E_ALIGN);
	assert_caec_err(caec_share(fx->a, 1, 0, &r), CAEC_E_ALIGN);
	assert_caec_err(caec_share(fx->a, CAEC_GRANULE_SIZE - 1, 0, &r), CAEC_E_ALIGN);
	assert_caec_err(caec_share(fx->a, CAEC_GRANULE_SIZE + 1, 0, &r), CAEC_E_ALIGN);
	assert_caec_err(caec_share(fx->a, (size_t)CAEC_REGION_MAX_SIZE + CAEC_GRANULE_SIZE, 0, &r),
			CAEC_E_RANGE);
	assert_caec_err(caec_share(fx->a, SIZE_MAX & ~(size_t)(CAEC_GRANULE_SIZE - 1), 0, &r),
			CAEC_E_RANGE);
	assert_null(r);
	assert_unchanged(fx);
}

/* caec_grant: NULL, bad permission values, self or zero consumer, bad
 * policy, unknown consumer, granting from an attachment, duplicates. */
static void test_args_grant(void **state)
{
	struct fx *fx = *state;
	uint64_t sh = 0;
	struct caec_grant_policy pol;
	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);

	assert_caec_err(caec_grant(NULL, fx->idb, CAEC_PERM_RO, NULL, &sh), CAEC_E_INVAL);
	assert_caec_err(caec_grant(fx->prov, fx->idb, CAEC_PERM_RO, NULL, NULL), CAEC_E_INVAL);
	unsigned bad_perm[] = { 0, 2, 4, 7, 0xffffffffu };
	for (size_t i = 0; i < sizeof(bad_perm) / sizeof(bad_perm[0]); i++)
		assert_caec_err(caec_grant(fx->prov, fx->idb, bad_perm[i], NULL, &sh),
				CAEC_E_INVAL);
	assert_caec_err(caec_grant(fx->prov, 0, CAEC_PERM_RO, NULL, &sh), CAEC_E_INVAL);
	assert_caec_err(caec_grant(fx->prov, fx->ida, CAEC_PERM_RO, NULL, &sh), CAEC_E_INVAL);
	pol.size = 4;
	assert_caec_err(caec_grant(fx->prov, fx->idb, CAEC_PERM_RO, &pol, &sh), CAEC_E_INVAL);
	pol.size = sizeof(pol);
	pol.rim_len = CAEC_HASH_MAX + 1;
	assert_caec_err(caec_grant(fx->prov, fx->idb, CAEC_PERM_RO, &pol, &sh), CAEC_E_INVAL);
	/* An ID no realm has. */
	assert_caec_err(caec_grant(fx->prov, fx->idb ^ 0xf0f0, CAEC_PERM_RO, NULL, &sh),
			CAEC_E_NOENT);
	/* Only the provider grants. */
	assert_caec_err(caec_grant(fx->att, fx->ida ^ 1, CAEC_PERM_RO, NULL, &sh), CAEC_E_DENIED);
	/* Second grant of the same region to the same consumer. */
	assert_caec_err(caec_grant(fx->prov, fx->idb, CAEC_PERM_RO, NULL, &sh), CAEC_E_EXIST);
	assert_int_equal(sh, 0);
	assert_unchanged(fx);
}

/* caec_revoke: NULL, zero, unknown grant, from the consumer's handle, a
 * grant of another region. */
static void test_args_revoke(void **state)
{
	struct fx *fx = *state;
	assert_caec_err(caec_revoke(NULL, fx->grant), CAEC_E_INVAL);
	assert_caec_err(caec_revoke(fx->prov, 0), CAEC_E_INVAL);
	assert_caec_err(caec_revoke(fx->prov, fx->grant ^ 0x3c3c), CAEC_E_NOENT);
	assert_caec_err(caec_revoke(fx->att, fx->grant), CAEC_E_DENIED);
	/* b's own region, grant to a: a cannot revoke it. */
	struct caec_region *rb;
	uint64_t shb;
	assert_caec_ok(caec_share(fx->b, CAEC_GRANULE_SIZE, 0, &rb));
	assert_caec_ok(caec_grant(rb, fx->ida, CAEC_PERM_RO, NULL, &shb));
	assert_caec_err(caec_revoke(fx->prov, shb), CAEC_E_DENIED);
	assert_caec_ok(caec_unshare(rb));
	assert_unchanged(fx);
}

/* caec_unshare / caec_detach: NULL and the wrong side's handle. */
static void test_args_unshare_detach(void **state)
{
	struct fx *fx = *state;
	assert_caec_err(caec_unshare(NULL), CAEC_E_INVAL);
	assert_caec_err(caec_unshare(fx->att), CAEC_E_DENIED);
	assert_caec_err(caec_detach(NULL), CAEC_E_INVAL);
	assert_caec_err(caec_detach(fx->prov), CAEC_E_DENIED);
	assert_unchanged(fx);
}

/* caec_grant_list: NULL context, NULL array with capacity, truncation. */
static void test_args_grant_list(void **state)
{
	struct fx *fx = *state;
	struct caec_grant_info gi;
	assert_caec_err(caec_grant_list(NULL, &gi, 1), CAEC_E_INVAL);
	assert_caec_err(caec_grant_list(fx->b, NULL, 1), CAEC_E_INVAL);
	assert_caec_count(caec_grant_list(fx->b, NULL, 0), 1); /* count only */
	/* Capacity smaller than the count: count returned, cap entries written. */
	struct caec_region *r2;
	uint64_t sh2;
	assert_caec_ok(caec_share(fx->a, CAEC_GRANULE_SIZE, 0, &r2));
	assert_caec_ok(caec_grant(r2, fx->idb, CAEC_PERM_RO, NULL, &sh2));
	memset(&gi, 0, sizeof(gi));
	assert_caec_count(caec_grant_list(fx->b, &gi, 1), 2);
	assert_int_equal(gi.grant_id, fx->grant); /* grant order */
	assert_caec_ok(caec_unshare(r2));
	assert_unchanged(fx);
}

/* caec_attach: NULL, zero grant, bad options, unknown grant, attaching
 * twice. */
static void test_args_attach(void **state)
{
	struct fx *fx = *state;
	struct caec_region *r = NULL;
	struct caec_attach_opts o;
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	assert_caec_err(caec_attach(NULL, fx->grant, NULL, &r), CAEC_E_INVAL);
	assert_caec_err(caec_attach(fx->b, fx->grant, NULL, NULL), CAEC_E_INVAL);
	assert_caec_err(caec_attach(fx->b, 0, NULL, &r), CAEC_E_INVAL);
	o.size = 3;
	assert_caec_err(caec_attach(fx->b, fx->grant, &o, &r), CAEC_E_INVAL);
	o.size = sizeof(o);
	o.hash_len = CAEC_HASH_MAX + 1;
	assert_caec_err(caec_attach(fx->b, fx->grant, &o, &r), CAEC_E_INVAL);
	assert_caec_err(caec_attach(fx->b, fx->grant ^ 0x77, NULL, &r), CAEC_E_DENIED);
	assert_caec_err(caec_attach(fx->b, fx->grant, NULL, &r), CAEC_E_STATE);
	/* Requiring a seal hash of an unsealed region. */
	o.hash_len = 32;
	struct caec_region *r2;
	uint64_t sh2;
	assert_caec_ok(caec_share(fx->a, CAEC_GRANULE_SIZE, 0, &r2));
	assert_caec_ok(caec_grant(r2, fx->idb, CAEC_PERM_RO, NULL, &sh2));
	assert_caec_err(caec_attach(fx->b, sh2, &o, &r), CAEC_E_HASH);
	assert_caec_ok(caec_unshare(r2));
	assert_null(r);
	assert_unchanged(fx);
}

/* caec_seal: NULL, hash buffer inconsistent or too small, consumer
 * handle, a region with a read-write grant. */
static void test_args_seal(void **state)
{
	struct fx *fx = *state;
	uint8_t h[64];
	assert_caec_err(caec_seal(NULL, h, sizeof(h)), CAEC_E_INVAL);
	assert_caec_err(caec_seal(fx->prov, NULL, 32), CAEC_E_INVAL);
	assert_caec_err(caec_seal(fx->prov, h, 16), CAEC_E_RANGE);
	assert_caec_err(caec_seal(fx->att, h, sizeof(h)), CAEC_E_DENIED);
	/* fx->prov has a RW grant to b: sealing is refused and the
	 * provider's mapping stays writable. */
	assert_caec_err(caec_seal(fx->prov, h, sizeof(h)), CAEC_E_STATE);
	((volatile unsigned char *)caec_region_addr(fx->prov))[0] = 9;
	assert_int_equal(((unsigned char *)caec_region_addr(fx->att))[0], 9);
	assert_false(caec_region_is_sealed(fx->prov));
	assert_unchanged(fx);
}

/* Accessors and RCU helpers accept NULL without crashing. */
static void test_args_accessors_null(void **state)
{
	(void)state;
	assert_null(caec_region_addr(NULL));
	assert_int_equal(caec_region_size(NULL), 0);
	assert_int_equal(caec_region_perm(NULL), 0);
	assert_int_equal(caec_region_id(NULL), 0);
	assert_int_equal(caec_region_provider(NULL), 0);
	assert_false(caec_region_is_provider(NULL));
	assert_false(caec_region_is_sealed(NULL));
	assert_false(caec_region_is_revoked(NULL));
	assert_null(caec_region_enter(NULL));
	caec_region_leave(NULL);
	assert_caec_err(caec_region_set_event_handler(NULL, NULL, NULL), CAEC_E_INVAL);
}

/* Every error code has a distinct name and description; unknown values
 * are named as such. */
static void test_args_strerror(void **state)
{
	(void)state;
	for (int e = 0; e > -CAEC_ERR_COUNT; e--) {
		assert_string_not_equal(caec_strerror(e), "unknown caec error");
		assert_string_not_equal(caec_errname(e), "CAEC_E_UNKNOWN");
		for (int f = e - 1; f > -CAEC_ERR_COUNT; f--) {
			assert_string_not_equal(caec_strerror(e), caec_strerror(f));
			assert_string_not_equal(caec_errname(e), caec_errname(f));
		}
	}
	assert_string_equal(caec_strerror(-CAEC_ERR_COUNT), "unknown caec error");
	assert_string_equal(caec_strerror(1), "unknown caec error");
	assert_string_equal(caec_strerror(-100000), "unknown caec error");
	assert_string_equal(caec_errname(CAEC_E_DENIED), "CAEC_E_DENIED");
	assert_string_equal(caec_version(), "0.1.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_args_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_self_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_share, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_grant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_unshare_detach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_grant_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_attach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args_seal, setup, teardown),
		cmocka_unit_test(test_args_accessors_null),
		cmocka_unit_test(test_args_strerror),
	};
	return cmocka_run_group_tests_name("public API arguments", tests, NULL, NULL);
}
