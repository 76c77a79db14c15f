/*
 * RSI (B5.3) and PSCI (B6.3) as a realm sees them: each row runs realm A's
 * REC 0, which makes the call with the row's x1..x4, and checks the x0 it
 * gets back -- without a REC exit to the host in between.
 */
#include "conf.h"

#include <attest.h>
#include <rmm_csm.h>
#include <s2tt.h>
#include <sha256.h>
#include <string.h>
#include <token/token.h>

#define L3_SIZE		0x1000UL

static const char *const no_conds[] = { NULL };

static struct rec *rec_of(uint64_t pa)
{
	return fake_pa_ptr(pa);
}

static void active_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
}

static void two_recs_fixture(struct conf_ctx *c)
{
	conf_active_realm(c, true);
}

/* ---- RSI_VERSION / RSI_FEATURES: no failure conditions ---------------------- */

static void version_positive(struct conf_ctx *c)
{
	c->args[0] = RSI_ABI_VERSION;
	conf_rsi_call(c, SMC_RSI_VERSION);
	assert_false(c->rsi_exited);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_int_equal(RSI_ABI_VERSION, c->rsi_ret[1]);
	assert_int_equal(RSI_ABI_VERSION, c->rsi_ret[2]);
	c->args[0] = 0x20000;	/* 2.0: only a lower revision exists */
	conf_rsi_call(c, SMC_RSI_VERSION);
	assert_int_equal(RSI_ERROR_INPUT, c->rsi_ret[0]);
	assert_int_equal(RSI_ABI_VERSION, c->rsi_ret[1]);
	assert_int_equal(RSI_ABI_VERSION, c->rsi_ret[2]);
}

static void features_positive(struct conf_ctx *c)
{
	c->args[0] = 0;
	conf_rsi_call(c, SMC_RSI_FEATURES);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_int_equal(0, c->rsi_ret[1]);
	c->args[0] = 7;
	conf_rsi_call(c, SMC_RSI_FEATURES);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_int_equal(0, c->rsi_ret[1]);
}

/* ---- RSI_MEASUREMENT_READ ---------------------------------------------------- */

static const char *const mread_conds[] = { "index_bound", NULL };

static void index_5(struct conf_ctx *c) { c->args[0] = 5; }

static const struct conf_row mread_rows[] = {
	{ "index_bound", "index 5", 0, MUT_NONE, index_5, RSI_ERROR_INPUT, 0, NULL, NULL },
};

static void mread_positive(struct conf_ctx *c)
{
	const uint8_t *rim = ((struct rd *)fake_pa_ptr(c->realm.rd))->rim;
	unsigned int i;

	c->args[0] = 0;
	conf_rsi_call(c, SMC_RSI_MEASUREMENT_READ);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_memory_equal(rim, &c->rsi_ret[1], SHA256_DIGEST_SIZE);	/* little endian */
	for (i = 5; i <= 8; i++) {
		assert_int_equal(0, c->rsi_ret[i]);		/* zero padded to 512 bits */
	}
	c->args[0] = 4;		/* a REM: zero until extended */
	conf_rsi_call(c, SMC_RSI_MEASUREMENT_READ);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	for (i = 1; i <= 8; i++) {
		assert_int_equal(0, c->rsi_ret[i]);
	}
	memset(((struct rd *)fake_pa_ptr(c->realm.rd))->rem[3], 0x4E, SHA256_DIGEST_SIZE);
	conf_rsi_call(c, SMC_RSI_MEASUREMENT_READ);
	assert_int_equal(0x4E4E4E4E4E4E4E4EUL, c->rsi_ret[1]);
	assert_int_equal(0x4E4E4E4E4E4E4E4EUL, c->rsi_ret[4]);
	assert_int_equal(0, c->rsi_ret[5]);
}

/* ---- RSI_MEASUREMENT_EXTEND ------------------------------------------------ */

static const char *const mext_conds[] = { "index_bound", "size_bound", NULL };

static void mext_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = 1;		/* index */
	c->args[1] = 32;	/* size */
}

static void mext_index_0(struct conf_ctx *c) { c->args[0] = 0; }
static void mext_index_5(struct conf_ctx *c) { c->args[0] = 5; }
static void mext_size_65(struct conf_ctx *c) { c->args[1] = 65; }
static void mext_no_change(struct conf_ctx *c)
{
	static const uint8_t zero[REALM_NUM_REMS][SHA256_DIGEST_SIZE];

	assert_memory_equal(zero, ((struct rd *)fake_pa_ptr(c->realm.rd))->rem, sizeof(zero));
}

static const struct conf_row mext_rows[] = {
	{ "index_bound", "index 0 (the RIM)", 0, MUT_NONE, mext_index_0, RSI_ERROR_INPUT, 0,
	  mext_no_change, NULL },
	{ "index_bound", "index 5", 0, MUT_NONE, mext_index_5, RSI_ERROR_INPUT, 0, mext_no_change,
	  NULL },
	{ "size_bound", "size 65", 0, MUT_NONE, mext_size_65, RSI_ERROR_INPUT, 0, mext_no_change,
	  NULL },
};

/* REM' = SHA-256(REM || the first size bytes of x3..x10, little endian). */
static void rem_extend(uint8_t rem[SHA256_DIGEST_SIZE], const unsigned long *v, size_t size)
{
	struct sha256_ctx h;
	uint8_t bytes[64];

	memcpy(bytes, v, sizeof(bytes));	/* the test host is little endian too */
	sha256_init(&h);
	sha256_update(&h, rem, SHA256_DIGEST_SIZE);
	sha256_update(&h, bytes, size);
	sha256_final(&h, rem);
}

static void mext_positive(struct conf_ctx *c)
{
	static const size_t sizes[] = { 32, 0, 64, 7 };
	const struct rd *rd = fake_pa_ptr(c->realm.rd);
	uint8_t want[REALM_NUM_REMS][SHA256_DIGEST_SIZE], rim[SHA256_DIGEST_SIZE];
	unsigned long a[10];
	unsigned int i, k;

	memset(want, 0, sizeof(want));
	memcpy(rim, rd->rim, sizeof(rim));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		a[0] = 2;
		a[1] = sizes[i];
		for (k = 2; k < 10; k++) {
			a[k] = 0x0101010101010101UL * (i * 8 + k);
		}
		conf_rsi_call10(c, SMC_RSI_MEASUREMENT_EXTEND, a, 0);
		assert_false(c->rsi_exited);
		assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
		rem_extend(want[1], &a[2], sizes[i]);
		assert_memory_equal(want, rd->rem, sizeof(want));
	}
	/* MEASUREMENT_READ returns it; the RIM and the other REMs are unchanged. */
	c->args[0] = 2;
	conf_rsi_call(c, SMC_RSI_MEASUREMENT_READ);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_memory_equal(want[1], &c->rsi_ret[1], SHA256_DIGEST_SIZE);
	assert_memory_equal(rim, rd->rim, sizeof(rim));
}

/* ---- RSI_ATTESTATION_TOKEN_INIT / _CONTINUE ----------------------------------- */

#define TOKEN_BUF_IPA	(TEST_IPA_BASE + 2 * L3_SIZE)	/* a DATA page of realm A */

static void attest_init(struct conf_ctx *c, unsigned long salt)
{
	unsigned long a[10];
	unsigned int k;

	for (k = 0; k < 8; k++) {
		a[k] = 0xC0FFEE0000000000UL | (salt << 8) | k;
	}
	a[8] = a[9] = 0;
	conf_rsi_call10(c, SMC_RSI_ATTEST_TOKEN_INIT, a, 0);
	assert_false(c->rsi_exited);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
}

static void init_positive(struct conf_ctx *c)
{
	const struct rec *rec = rec_of(c->rec);
	unsigned long size;

	attest_init(c, 1);
	size = c->rsi_ret[1];
	assert_int_equal(REC_ATTEST_IN_PROGRESS, rec->attest.state);
	assert_int_equal(0, rec->attest.failed);
	assert_int_equal(size, rec->attest.len);
	assert_true(size > 1000 && size <= ATTEST_TOKEN_MAX);
	/* The token, signature still zero, is in the aux granules: tag 399 first. */
	assert_int_equal(0xD9, *(uint8_t *)fake_pa_ptr(rec->aux[0]));
	/* INIT again ends the first operation and starts another (same size). */
	((struct rec *)fake_pa_ptr(c->rec))->attest.copied = 5;
	attest_init(c, 2);
	assert_int_equal(size, c->rsi_ret[1]);
	assert_int_equal(0, rec->attest.copied);
	/* Without attestation from EL3 the bound is the aux space. */
	fake_el3_fail(true);
	attest_reset();
	attest_init(c, 3);
	assert_int_equal(ATTEST_TOKEN_MAX, c->rsi_ret[1]);
	assert_int_equal(1, rec->attest.failed);
}

static const char *const cont_conds[] = {
	"addr_align", "addr_bound", "offset_bound", "size_overflow", "size_bound", "state",
	"unknown", NULL,
};

static void cont_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = TOKEN_BUF_IPA;
	c->args[1] = 0;
	c->args[2] = L3_SIZE;
}

static void cont_unprotected(struct conf_ctx *c) { c->args[0] = TEST_UNPROT; }
static void cont_offset_4096(struct conf_ctx *c) { c->args[1] = L3_SIZE; }
static void cont_size_wraps(struct conf_ctx *c)
{
	c->args[1] = 8;
	c->args[2] = ~0UL - 4;
}
static void cont_size_past(struct conf_ctx *c)
{
	c->args[1] = 8;
	c->args[2] = L3_SIZE - 7;
}
static void cont_done(struct conf_ctx *c)
{
	attest_init(c, 4);
	rec_of(c->rec)->attest.state = REC_NO_ATTEST_IN_PROGRESS;	/* as after the last piece */
}
static void cont_el3_fails(struct conf_ctx *c)
{
	fake_el3_fail(true);
	attest_init(c, 5);
}
static void cont_not_in_progress(struct conf_ctx *c)
{
	assert_int_equal(REC_NO_ATTEST_IN_PROGRESS, rec_of(c->rec)->attest.state);
}

static const struct conf_row cont_rows[] = {
	{ "addr_align", "addr + 8", 1, MUT_UNALIGNED, NULL, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "addr_bound", "an unprotected IPA", 0, MUT_NONE, cont_unprotected, RSI_ERROR_INPUT, 0,
	  NULL, NULL },
	{ "offset_bound", "offset 4096", 0, MUT_NONE, cont_offset_4096, RSI_ERROR_INPUT, 0, NULL,
	  NULL },
	{ "size_overflow", "offset 8, size 2^64 - 5", 0, MUT_NONE, cont_size_wraps, RSI_ERROR_INPUT,
	  0, NULL, NULL },
	{ "size_bound", "offset 8, size 4089", 0, MUT_NONE, cont_size_past, RSI_ERROR_INPUT, 0, NULL,
	  NULL },
	{ "state", "no INIT", 0, MUT_NONE, NULL, RSI_ERROR_STATE, 0, NULL, NULL },
	{ "state", "the last piece was taken", 0, MUT_NONE, cont_done, RSI_ERROR_STATE, 0, NULL,
	  NULL },
	{ "unknown", "EL3 gives no attestation key", 0, MUT_NONE, cont_el3_fails, RSI_ERROR_UNKNOWN,
	  0, cont_not_in_progress, NULL },
};

/*
 * The whole token, a few pieces at a time: INCOMPLETE until the last
 * piece, SUCCESS with it, then ERROR_STATE; size 0 gives nothing.  The
 * pieces, put together, are a token whose realm and platform signatures,
 * binding, challenge and claims core/token's verifier accepts.
 */
static void cont_positive(struct conf_ctx *c)
{
	static uint8_t token[ATTEST_TOKEN_MAX];
	static struct caec_token_claims claims;
	const uint8_t *buf = realm_ipa_to_va(&rec_of(c->rec)->s2, TOKEN_BUF_IPA, L3_SIZE);
	const struct rd *rd = fake_pa_ptr(c->realm.rd);
	struct caec_platform_key_ref key;
	uint8_t der[256], want_challenge[64];
	struct token_view v;
	size_t len = 0, total;
	unsigned int k, calls = 0;

	attest_init(c, 6);
	total = c->rsi_ret[1];
	for (k = 0; k < 8; k++) {
		uint64_t w = 0xC0FFEE0000000000UL | (6UL << 8) | k;

		memcpy(&want_challenge[k * 8], &w, 8);
	}
	c->args[1] = 0;
	c->args[2] = 0;			/* size 0: nothing, INCOMPLETE */
	conf_rsi_call(c, SMC_RSI_ATTEST_TOKEN_CONTINUE);
	assert_int_equal(RSI_INCOMPLETE, c->rsi_ret[0]);
	assert_int_equal(0, c->rsi_ret[1]);
	while (len < total) {
		c->args[1] = 100;	/* pieces of at most 1000 bytes at offset 100 */
		c->args[2] = 1000;
		conf_rsi_call(c, SMC_RSI_ATTEST_TOKEN_CONTINUE);
		assert_false(c->rsi_exited);
		assert_true(c->rsi_ret[1] > 0 && c->rsi_ret[1] <= 1000);
		memcpy(token + len, buf + 100, c->rsi_ret[1]);
		len += c->rsi_ret[1];
		calls++;
		assert_int_equal(len < total ? RSI_INCOMPLETE : RSI_SUCCESS, c->rsi_ret[0]);
	}
	assert_int_equal(total, len);
	assert_int_equal((total + 999) / 1000, calls);
	conf_rsi_call(c, SMC_RSI_ATTEST_TOKEN_CONTINUE);
	assert_int_equal(RSI_ERROR_STATE, c->rsi_ret[0]);

	claims.size = sizeof(claims);
	assert_int_equal(0, token_decode(token, len, &v, &claims));
	key.data = der;
	key.len = fake_el3_platform_key(der, sizeof(der));
	assert_int_equal(0, token_verify_signatures(&v, &claims, &key, 1));
	assert_memory_equal(want_challenge, claims.challenge, sizeof(want_challenge));
	assert_int_equal(32, claims.rim_len);
	assert_memory_equal(rd->rim, claims.rim, 32);
	assert_memory_equal(rd->rpv, claims.rpv, sizeof(claims.rpv));
	rmm_csm_lock();
	assert_int_equal(rmm_csm_realm_id(c->realm.rd), claims.realm_id);
	rmm_csm_unlock();
	assert_int_not_equal(0, claims.realm_id);
	assert_int_equal(0, claims.n_relations);
	assert_string_equal("sha-256", claims.hash_algo);
}

/* ---- RSI_REALM_CONFIG --------------------------------------------------------- */

static const char *const config_conds[] = { "addr_align", "addr_bound", NULL };

static void config_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = TEST_IPA_BASE + L3_SIZE;
}

static void addr_plus_8(struct conf_ctx *c) { c->args[0] += 8; }
static void addr_unprotected(struct conf_ctx *c) { c->args[0] = TEST_UNPROT; }

static const struct conf_row config_rows[] = {
	{ "addr_align", "addr + 8", 0, MUT_NONE, addr_plus_8, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "addr_bound", "an unprotected IPA", 0, MUT_NONE, addr_unprotected, RSI_ERROR_INPUT, 0, NULL, NULL },
};

static void config_positive(struct conf_ctx *c)
{
	struct rd *rd = fake_pa_ptr(c->realm.rd);
	struct rsi_realm_config *cfg = realm_ipa_to_va(&rec_of(c->rec)->s2, c->args[0], 4096);

	memset(rd->rpv, 0x3C, sizeof(rd->rpv));
	memset(cfg, 0xFF, sizeof(*cfg));
	conf_rsi_call(c, SMC_RSI_REALM_CONFIG);
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_int_equal(TEST_S2SZ, cfg->ipa_width);
	assert_int_equal(RMI_HASH_SHA_256, cfg->hash_algo);
	assert_memory_equal(rd->rpv, cfg->rpv, sizeof(cfg->rpv));
	assert_int_equal(0, cfg->_pad0[0]);		/* unused bytes MBZ */
	/* RIPAS EMPTY: the realm's own error */
	c->args[0] = TEST_IPA_BASE + 20 * L3_SIZE;
	conf_rsi_call(c, SMC_RSI_REALM_CONFIG);
	assert_int_equal(RSI_ERROR_INPUT, c->rsi_ret[0]);
	/* RAM without a DATA granule: a stage-2 abort for the host, then a retry */
	c->args[0] = TEST_IPA_BASE + 8 * L3_SIZE;
	conf_rsi_call(c, SMC_RSI_REALM_CONFIG);
	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_SYNC, conf_exit(c)->exit_reason);
	assert_int_equal((0x24UL << 26) | 0x7UL, conf_exit(c)->esr);
	assert_int_equal((c->args[0] >> 12) << 4, conf_exit(c)->hpfar);
	assert_int_equal(0, conf_exit(c)->far);
}

/* ---- RSI_IPA_STATE_GET --------------------------------------------------------- */

static const char *const get_conds[] = {
	"base_align", "end_align", "size_valid", "rgn_bound", NULL,
};

static void get_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = TEST_IPA_BASE;
	c->args[1] = TEST_IPA_BASE + 32 * L3_SIZE;
}

static void g_base_unaligned(struct conf_ctx *c) { c->args[0] += 8; }
static void g_top_unaligned(struct conf_ctx *c) { c->args[1] += 8; }
static void g_top_eq_base(struct conf_ctx *c) { c->args[1] = c->args[0]; }
static void g_top_unprotected(struct conf_ctx *c) { c->args[1] = TEST_UNPROT + L3_SIZE; }
static void g_base_unprotected(struct conf_ctx *c)
{
	c->args[0] = TEST_UNPROT;
	c->args[1] = TEST_UNPROT + L3_SIZE;
}

static const struct conf_row get_rows[] = {
	{ "base_align", "base + 8", 0, MUT_NONE, g_base_unaligned, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "end_align", "top + 8", 0, MUT_NONE, g_top_unaligned, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "size_valid", "top == base", 0, MUT_NONE, g_top_eq_base, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "rgn_bound", "top in the unprotected half", 0, MUT_NONE, g_top_unprotected, RSI_ERROR_INPUT,
	  0, NULL, NULL },
	{ "rgn_bound", "an unprotected range", 0, MUT_NONE, g_base_unprotected, RSI_ERROR_INPUT, 0,
	  NULL, NULL },
};

static void get_positive(struct conf_ctx *c)
{
	conf_rsi_call(c, SMC_RSI_IPA_STATE_GET);	/* 16 pages of RAM, then EMPTY */
	assert_int_equal(RSI_SUCCESS, c->rsi_ret[0]);
	assert_int_equal(TEST_IPA_BASE + 16 * L3_SIZE, c->rsi_ret[1]);
	assert_int_equal(RIPAS_RAM, c->rsi_ret[2]);
	c->args[0] = TEST_IPA_BASE + 16 * L3_SIZE;
	conf_rsi_call(c, SMC_RSI_IPA_STATE_GET);
	assert_int_equal(TEST_IPA_BASE + 32 * L3_SIZE, c->rsi_ret[1]);	/* capped at top */
	assert_int_equal(RIPAS_EMPTY, c->rsi_ret[2]);
	/* DESTROYED */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, c->realm.rd, TEST_IPA_BASE + L3_SIZE, 0, 0,
				    0, NULL));
	c->args[0] = TEST_IPA_BASE + L3_SIZE;
	conf_rsi_call(c, SMC_RSI_IPA_STATE_GET);
	assert_int_equal(TEST_IPA_BASE + 2 * L3_SIZE, c->rsi_ret[1]);
	assert_int_equal(RIPAS_DESTROYED, c->rsi_ret[2]);
	/* a level-2 entry: the whole 2 MB (EMPTY), up to top */
	c->args[0] = TEST_IPA_BASE + 0x200000;
	c->args[1] = TEST_IPA_BASE + 0x600000;
	conf_rsi_call(c, SMC_RSI_IPA_STATE_GET);
	assert_int_equal(TEST_IPA_BASE + 0x600000, c->rsi_ret[1]);
	assert_int_equal(RIPAS_EMPTY, c->rsi_ret[2]);
}

/* ---- RSI_IPA_STATE_SET --------------------------------------------------------- */

static const char *const set_conds[] = {
	"base_align", "top_align", "size_valid", "rgn_bound", "ripas_valid", NULL,
};

static void set_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = TEST_IPA_BASE + 16 * L3_SIZE;
	c->args[1] = TEST_IPA_BASE + 32 * L3_SIZE;
	c->args[2] = RIPAS_RAM;
	c->args[3] = 0;
}

static void ripas_destroyed(struct conf_ctx *c) { c->args[2] = RIPAS_DESTROYED; }
static void ripas_dev(struct conf_ctx *c) { c->args[2] = 3; }

static const struct conf_row set_rows[] = {
	{ "base_align", "base + 8", 0, MUT_NONE, g_base_unaligned, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "top_align", "top + 8", 0, MUT_NONE, g_top_unaligned, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "size_valid", "top == base", 0, MUT_NONE, g_top_eq_base, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "rgn_bound", "top in the unprotected half", 0, MUT_NONE, g_top_unprotected, RSI_ERROR_INPUT,
	  0, NULL, NULL },
	{ "ripas_valid", "DESTROYED", 0, MUT_NONE, ripas_destroyed, RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "ripas_valid", "DEV (3)", 0, MUT_NONE, ripas_dev, RSI_ERROR_INPUT, 0, NULL, NULL },
};

static void set_positive(struct conf_ctx *c)
{
	struct rmi_rec_exit *e = conf_exit(c);
	struct rec *rec = rec_of(c->rec);
	unsigned int i;

	c->args[3] = RSI_CHANGE_DESTROYED | 0xF0UL;	/* flags[63:1] SBZ: ignored */
	conf_rsi_call(c, SMC_RSI_IPA_STATE_SET);
	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_RIPAS_CHANGE, e->exit_reason);
	assert_int_equal(c->args[0], e->ripas_base);
	assert_int_equal(c->args[1], e->ripas_top);
	assert_int_equal(RIPAS_RAM, e->ripas_value);
	assert_int_equal(0, e->esr);
	for (i = 0; i < REC_EXIT_NR_GPRS; i++) {
		assert_int_equal(0, e->gprs[i]);
	}
	assert_int_equal(c->args[0], rec->ripas_addr);
	assert_int_equal(c->args[1], rec->ripas_top);
	assert_int_equal(1, rec->ripas_destroyed);
	/* the host does nothing and accepts: new_base == base, ACCEPT */
	conf_rsi_call_args(c, SMC_RSI_VERSION, (const unsigned long[4]){ RSI_ABI_VERSION }, 0);
	assert_int_equal(RSI_SUCCESS, c->entry_ret[0]);
	assert_int_equal(c->args[0], c->entry_ret[1]);
	assert_int_equal(RSI_ACCEPT, c->entry_ret[2]);
	assert_int_equal(0, rec->ripas_addr);
	assert_int_equal(0, rec->ripas_top);
	/* ... or rejects: response REJECT */
	conf_rsi_call(c, SMC_RSI_IPA_STATE_SET);
	conf_rsi_call_args(c, SMC_RSI_VERSION, (const unsigned long[4]){ RSI_ABI_VERSION },
			   REC_ENTRY_FLAG_RIPAS_RESPONSE);
	assert_int_equal(c->args[0], c->entry_ret[1]);
	assert_int_equal(RSI_REJECT, c->entry_ret[2]);
}

/* ---- RSI_HOST_CALL --------------------------------------------------------------- */

static const char *const hc_conds[] = { "addr_align", "addr_bound", NULL };

static void hc_fixture(struct conf_ctx *c)
{
	conf_active_rec(c);
	c->args[0] = TEST_IPA_BASE + 2 * L3_SIZE + 0x100;
}

static void addr_plus_128(struct conf_ctx *c) { c->args[0] += 0x80; }

static const struct conf_row hc_rows[] = {
	{ "addr_align", "addr + 128 (not 256-byte aligned)", 0, MUT_NONE, addr_plus_128,
	  RSI_ERROR_INPUT, 0, NULL, NULL },
	{ "addr_bound", "an unprotected IPA", 0, MUT_NONE, addr_unprotected, RSI_ERROR_INPUT, 0, NULL, NULL },
};

/* imm and x0..x30 to the host, the host's x0..x30 back into the RsiHostCall. */
static void hc_positive(struct conf_ctx *c)
{
	struct rsi_host_call *hc = realm_ipa_to_va(&rec_of(c->rec)->s2, c->args[0], sizeof(*hc));
	struct rmi_rec_run *run = fake_pa_ptr(c->run);
	unsigned int i;

	hc->imm = 0xBEEF;
	for (i = 0; i < REC_HOST_CALL_NR_GPRS; i++) {
		hc->gprs[i] = 0x1000 + i;
		run->entry.gprs[i] = 0x2000 + i;
	}
	conf_rsi_call(c, SMC_RSI_HOST_CALL);
	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_HOST_CALL, run->exit.exit_reason);
	assert_int_equal(0xBEEF, run->exit.imm);
	for (i = 0; i < REC_HOST_CALL_NR_GPRS; i++) {
		assert_int_equal(0x1000 + i, run->exit.gprs[i]);
	}
	assert_int_equal(1, rec_of(c->rec)->host_call_pending);
	conf_rsi_call_args(c, SMC_RSI_VERSION, (const unsigned long[4]){ RSI_ABI_VERSION }, 0);
	assert_int_equal(RSI_SUCCESS, c->entry_ret[0]);
	for (i = 0; i < REC_HOST_CALL_NR_GPRS; i++) {
		assert_int_equal(0x2000 + i, hc->gprs[i]);
	}
}

/* ---- PSCI ------------------------------------------------------------------------ */

static void psci_version_positive(struct conf_ctx *c)
{
	conf_rsi_call(c, PSCI_VERSION);
	assert_false(c->rsi_exited);
	assert_int_equal(0x10001, c->rsi_ret[0]);
}

static void psci_features_positive(struct conf_ctx *c)
{
	static const unsigned long yes[] = {
		PSCI_VERSION, PSCI_CPU_SUSPEND_AARCH64, PSCI_CPU_OFF, PSCI_CPU_ON_AARCH64,
		PSCI_AFFINITY_INFO_AARCH64, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES,
	};
	static const unsigned long no[] = { 0x84000003UL, 0x84000005UL, 0xC4000012UL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		c->args[0] = yes[i];
		conf_rsi_call(c, PSCI_FEATURES);
		assert_int_equal(PSCI_SUCCESS, c->rsi_ret[0]);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		c->args[0] = no[i];
		conf_rsi_call(c, PSCI_FEATURES);
		assert_int_equal(PSCI_NOT_SUPPORTED, c->rsi_ret[0]);
		conf_rsi_call(c, no[i]);	/* and calling it */
		assert_int_equal(PSCI_NOT_SUPPORTED, c->rsi_ret[0]);
	}
}

static const char *const cpu_on_conds[] = { "entry", "mpidr", "runnable", NULL };

static void cpu_on_fixture(struct conf_ctx *c)
{
	two_recs_fixture(c);
	c->args[0] = 1;				/* MPIDR of REC 1 */
	c->args[1] = TEST_IPA_BASE + L3_SIZE;	/* entry point */
	c->args[2] = 0xC0DE;			/* context id */
}

static void entry_unprotected(struct conf_ctx *c) { c->args[1] = TEST_UNPROT; }
static void entry_outside(struct conf_ctx *c) { c->args[1] = 1UL << TEST_S2SZ; }
static void mpidr_2(struct conf_ctx *c) { c->args[0] = 2; }
static void mpidr_aff0_high(struct conf_ctx *c) { c->args[0] = 0x11; }
static void mpidr_self(struct conf_ctx *c) { c->args[0] = 0; }
static void entry_and_mpidr(struct conf_ctx *c)
{
	entry_unprotected(c);
	mpidr_2(c);
}

static const struct conf_row cpu_on_rows[] = {
	{ "entry", "an unprotected entry point", 0, MUT_NONE, entry_unprotected,
	  PSCI_INVALID_ADDRESS, 0, NULL, NULL },
	{ "entry", "an entry point outside the IPA space", 0, MUT_NONE, entry_outside,
	  PSCI_INVALID_ADDRESS, 0, NULL, NULL },
	{ "mpidr", "MPIDR 2: no such REC", 0, MUT_NONE, mpidr_2, PSCI_INVALID_PARAMETERS, 0, NULL, NULL },
	{ "mpidr", "Aff0[7:4] set", 0, MUT_NONE, mpidr_aff0_high, PSCI_INVALID_PARAMETERS, 0, NULL, NULL },
	{ "runnable", "the caller itself", 0, MUT_NONE, mpidr_self, PSCI_ALREADY_ON, 0, NULL, NULL },
	{ "entry<mpidr", "both wrong", 0, MUT_NONE, entry_and_mpidr, PSCI_INVALID_ADDRESS, 0, NULL, NULL },
};

static void cpu_on_positive(struct conf_ctx *c)
{
	struct rmi_rec_exit *e = conf_exit(c);
	unsigned int i;

	conf_rsi_call(c, PSCI_CPU_ON_AARCH64);
	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_PSCI, e->exit_reason);
	assert_int_equal(PSCI_CPU_ON_AARCH64, e->gprs[0]);
	/* A4.3.3: gprs[1..3] = target_cpu, entry point, context id; nothing else */
	assert_int_equal(1, e->gprs[1]);
	assert_int_equal(c->args[1], e->gprs[2]);
	assert_int_equal(c->args[2], e->gprs[3]);
	for (i = 4; i < REC_EXIT_NR_GPRS; i++) {
		assert_int_equal(0, e->gprs[i]);
	}
	assert_int_equal(1, rec_of(c->rec)->psci_pending);
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_SUCCESS, 0, 0, NULL));
	conf_rsi_call_args(c, PSCI_VERSION, (const unsigned long[4]){ 0 }, 0);
	assert_int_equal(PSCI_SUCCESS, c->entry_ret[0]);
	assert_int_equal(0, c->entry_ret[1]);
	assert_int_equal(0, c->entry_ret[2]);
	assert_int_equal(c->args[1], rec_of(c->rec1)->pc);
	assert_int_equal(0xC0DE, rec_of(c->rec1)->regs[0]);
}

static const char *const affinity_conds[] = { "target_bound", "target_match", NULL };

static void affinity_fixture(struct conf_ctx *c)
{
	two_recs_fixture(c);
	c->args[0] = 1;
	c->args[1] = 0;
}

static void lowest_level_1(struct conf_ctx *c) { c->args[1] = 1; }
static void target_2(struct conf_ctx *c) { c->args[0] = 2; }

static const struct conf_row affinity_rows[] = {
	{ "target_bound", "lowest_affinity_level 1", 0, MUT_NONE, lowest_level_1,
	  PSCI_INVALID_PARAMETERS, 0, NULL, NULL },
	{ "target_match", "MPIDR 2: no such REC", 0, MUT_NONE, target_2, PSCI_INVALID_PARAMETERS, 0,
	  NULL, NULL },
};

static void affinity_positive(struct conf_ctx *c)
{
	/* the caller itself is on, answered without the host */
	c->args[0] = 0;
	conf_rsi_call(c, PSCI_AFFINITY_INFO_AARCH64);
	assert_false(c->rsi_exited);
	assert_int_equal(PSCI_SUCCESS, c->rsi_ret[0]);
	/* REC 1 is off: the host names it, the answer is PSCI_OFF */
	c->args[0] = 1;
	conf_rsi_call(c, PSCI_AFFINITY_INFO_AARCH64);
	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_PSCI, conf_exit(c)->exit_reason);
	assert_int_equal(PSCI_AFFINITY_INFO_AARCH64, conf_exit(c)->gprs[0]);
	assert_int_equal(1, conf_exit(c)->gprs[1]);
	assert_int_equal(0, conf_exit(c)->gprs[2]);	/* lowest_affinity_level */
	for (unsigned int i = 3; i < REC_EXIT_NR_GPRS; i++) {
		assert_int_equal(0, conf_exit(c)->gprs[i]);	/* only two arguments */
	}
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_DENIED, 0, 0,
					NULL));	/* only SUCCESS is permitted */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_SUCCESS, 0, 0, NULL));
	conf_rsi_call(c, PSCI_AFFINITY_INFO_AARCH64);
	assert_int_equal(PSCI_OFF, c->entry_ret[0]);
	/* once REC 1 runs: SUCCESS (on) */
	rec_of(c->rec1)->runnable = 1;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_PSCI_COMPLETE, c->rec, c->rec1, PSCI_SUCCESS, 0, 0, NULL));
	conf_rsi_call_args(c, PSCI_VERSION, (const unsigned long[4]){ 0 }, 0);
	assert_int_equal(PSCI_SUCCESS, c->entry_ret[0]);
}

/*
 * A notification exit (A4.3.3): gprs[0] = FID, gprs[1..nargs] = the
 * function's arguments (set_args_123), and nothing else of the realm's
 * registers.
 */
static void assert_notification(struct conf_ctx *c, unsigned long fid, unsigned int nargs)
{
	struct rmi_rec_exit *e = conf_exit(c);
	unsigned int i;

	assert_true(c->rsi_exited);
	assert_int_equal(RMI_EXIT_PSCI, e->exit_reason);
	assert_int_equal(fid, e->gprs[0]);
	for (i = 1; i < REC_EXIT_NR_GPRS; i++) {
		assert_int_equal(i <= nargs ? c->args[i - 1] : 0UL, e->gprs[i]);
	}
	assert_int_equal(0, rec_of(c->rec)->psci_pending);
}

static void set_args_123(struct conf_ctx *c)
{
	c->args[0] = 0x111;
	c->args[1] = 0x222;
	c->args[2] = 0x333;
}

static void cpu_suspend_positive(struct conf_ctx *c)
{
	set_args_123(c);
	conf_rsi_call(c, PSCI_CPU_SUSPEND_AARCH64);
	assert_notification(c, PSCI_CPU_SUSPEND_AARCH64, 3);
	conf_rsi_call_args(c, PSCI_VERSION, (const unsigned long[4]){ 0 }, 0);
	assert_int_equal(PSCI_SUCCESS, c->entry_ret[0]);	/* resumes where it was */
}

static void cpu_off_positive(struct conf_ctx *c)
{
	set_args_123(c);
	conf_rsi_call(c, PSCI_CPU_OFF);
	assert_notification(c, PSCI_CPU_OFF, 0);
	assert_int_equal(0, rec_of(c->rec)->runnable);
	assert_rmi(RMI_ERROR_REC, rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
}

static void system_off_positive(struct conf_ctx *c)
{
	set_args_123(c);
	conf_rsi_call(c, PSCI_SYSTEM_OFF);
	assert_notification(c, PSCI_SYSTEM_OFF, 0);
	assert_int_equal(REALM_SYSTEM_OFF, ((struct rd *)fake_pa_ptr(c->realm.rd))->state);
	assert_rmi(rmi_pack(RMI_ERROR_REALM, 1), rmi(SMC_RMI_REC_ENTER, c->rec, c->run, 0, 0, 0, NULL));
}

static void system_reset_positive(struct conf_ctx *c)
{
	set_args_123(c);
	conf_rsi_call(c, PSCI_SYSTEM_RESET);
	assert_notification(c, PSCI_SYSTEM_RESET, 0);
	assert_int_equal(REALM_SYSTEM_OFF, ((struct rd *)fake_pa_ptr(c->realm.rd))->state);
}

const struct conf_cmd conf_rsi_cmds[] = {
	{ "RSI_VERSION", "B5.3.10", CONF_RSI, SMC_RSI_VERSION, no_conds, active_fixture, NULL, 0,
	  version_positive, NULL },
	{ "RSI_FEATURES", "B5.3.3", CONF_RSI, SMC_RSI_FEATURES, no_conds, active_fixture, NULL, 0,
	  features_positive, NULL },
	{ "RSI_MEASUREMENT_READ", "B5.3.8", CONF_RSI, SMC_RSI_MEASUREMENT_READ, mread_conds,
	  active_fixture, CONF_ROWS(mread_rows), mread_positive, "index 1..4: the REMs" },
	{ "RSI_MEASUREMENT_EXTEND", "B5.3.7", CONF_RSI, SMC_RSI_MEASUREMENT_EXTEND, mext_conds,
	  mext_fixture, CONF_ROWS(mext_rows), mext_positive,
	  "REM = SHA-256 of the REM then value[0..size), as TF-RMM extends" },
	{ "RSI_ATTESTATION_TOKEN_INIT", "B5.3.2", CONF_RSI, SMC_RSI_ATTEST_TOKEN_INIT, no_conds,
	  active_fixture, NULL, 0, init_positive,
	  "the claims are taken and the token encoded here; x1 is its exact size" },
	{ "RSI_ATTESTATION_TOKEN_CONTINUE", "B5.3.1", CONF_RSI, SMC_RSI_ATTEST_TOKEN_CONTINUE,
	  cont_conds, cont_fixture, CONF_ROWS(cont_rows), cont_positive,
	  "signed at the first call; an IRQ pending before that: IRQ exit, INCOMPLETE" },
	{ "RSI_REALM_CONFIG", "B5.3.9", CONF_RSI, SMC_RSI_REALM_CONFIG, config_conds, config_fixture,
	  CONF_ROWS(config_rows), config_positive,
	  "RIPAS EMPTY: RSI_ERROR_INPUT; unmapped RAM: stage-2 abort exit, then retried" },
	{ "RSI_IPA_STATE_GET", "B5.3.5", CONF_RSI, SMC_RSI_IPA_STATE_GET, get_conds, get_fixture,
	  CONF_ROWS(get_rows), get_positive, NULL },
	{ "RSI_IPA_STATE_SET", "B5.3.6", CONF_RSI, SMC_RSI_IPA_STATE_SET, set_conds, set_fixture,
	  CONF_ROWS(set_rows), set_positive, "RIPAS change exit; completed with RMI_RTT_SET_RIPAS" },
	{ "RSI_HOST_CALL", "B5.3.4", CONF_RSI, SMC_RSI_HOST_CALL, hc_conds, hc_fixture,
	  CONF_ROWS(hc_rows), hc_positive, "imm and gprs[0..30] both ways" },
	{ NULL },
};

const struct conf_cmd conf_psci_cmds[] = {
	{ "PSCI_VERSION", "B6.3.8", CONF_RSI, PSCI_VERSION, no_conds, active_fixture, NULL, 0,
	  psci_version_positive, "1.1" },
	{ "PSCI_FEATURES", "B6.3.5", CONF_RSI, PSCI_FEATURES, no_conds, active_fixture, NULL, 0,
	  psci_features_positive, NULL },
	{ "PSCI_CPU_ON", "B6.3.3", CONF_RSI, PSCI_CPU_ON_AARCH64, cpu_on_conds, cpu_on_fixture,
	  CONF_ROWS(cpu_on_rows), cpu_on_positive,
	  "failures answered in the RMM; ALREADY_ON for another REC by RMI_PSCI_COMPLETE" },
	{ "PSCI_CPU_OFF", "B6.3.2", CONF_RSI, PSCI_CPU_OFF, no_conds, active_fixture, NULL, 0,
	  cpu_off_positive, NULL },
	{ "PSCI_CPU_SUSPEND", "B6.3.4", CONF_RSI, PSCI_CPU_SUSPEND_AARCH64, no_conds, active_fixture,
	  NULL, 0, cpu_suspend_positive, NULL },
	{ "PSCI_AFFINITY_INFO", "B6.3.1", CONF_RSI, PSCI_AFFINITY_INFO_AARCH64, affinity_conds,
	  affinity_fixture, CONF_ROWS(affinity_rows), affinity_positive,
	  "the caller itself answered in the RMM, other RECs via RMI_PSCI_COMPLETE" },
	{ "PSCI_SYSTEM_OFF", "B6.3.6", CONF_RSI, PSCI_SYSTEM_OFF, no_conds, active_fixture, NULL, 0,
	  system_off_positive, NULL },
	{ "PSCI_SYSTEM_RESET", "B6.3.7", CONF_RSI, PSCI_SYSTEM_RESET, no_conds, active_fixture, NULL,
	  0, system_reset_positive, "the realm enters SYSTEM_OFF; the host may rebuild it" },
	{ NULL },
};

const struct conf_missing conf_missing_cmds[] = {
	{ NULL, NULL, NULL },
};
