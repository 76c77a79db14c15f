/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The token parser against malformed input of every kind: truncation at
 * every length, trailing bytes, wrong/missing tags, wrong types, indefinite
 * lengths, huge lengths, non-shortest heads, reserved bytes, duplicate,
 * unknown and missing keys, and out-of-range claim values at every level
 * (collection, COSE_Sign1, protected header, claims, COSE_Key, relations,
 * software components).  Every case must return CAEC_E_TOKEN.
 *
 * White-box: claims-level cases take a real token apart with the parser's
 * own reader (core/token/src/internal.h), change one entry, and put it back
 * together; a control case checks that reassembly alone changes nothing.
 * Parsing does not check signatures, so the original ones are kept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cbor.h>
#include <token/token.h>

#include "caec_test.h"
#include "internal.h" /* core/token/src: crd_* reader */
#include "token_fixture.h"

#define MAXE 16
#define BUF CAEC_TOKEN_MAX_SIZE

struct entry {
	int64_t key;
	const uint8_t *k; /* encoded key */
	size_t klen;
	const uint8_t *v; /* encoded value */
	size_t vlen;
};

struct map {
	struct entry e[MAXE];
	size_t n;
};

struct fix {
	uint8_t *tok;
	size_t len;
	struct token_view v;
	struct caec_token_claims c;
	struct map realm, plat;
};

static int skip_item(struct crd *r, int depth)
{
	struct chead h;
	int rc;

	if (depth > 16)
		return -1;
	rc = crd_head(r, &h);
	if (rc)
		return rc;
	uint64_t items = h.major == 4 ? h.val : h.major == 5 ? 2 * h.val :
			 h.major == 6 ? 1 : 0;
	for (uint64_t i = 0; i < items; i++)
		if ((rc = skip_item(r, depth + 1)))
			return rc;
	return 0;
}

static int split_map(const uint8_t *p, size_t len, struct map *m)
{
	struct crd r;
	uint64_t n;

	crd_init(&r, p, len);
	if (crd_map(&r, &n, MAXE))
		return -1;
	m->n = (size_t)n;
	for (size_t i = 0; i < m->n; i++) {
		size_t k0 = r.off;
		if (crd_int(&r, &m->e[i].key))
			return -1;
		size_t v0 = r.off;
		if (skip_item(&r, 0))
			return -1;
		m->e[i].k = p + k0;
		m->e[i].klen = v0 - k0;
		m->e[i].v = p + v0;
		m->e[i].vlen = r.off - v0;
	}
	return crd_end(&r);
}

static size_t put(uint8_t *out, size_t n, const void *p, size_t len)
{
	memcpy(out + n, p, len);
	return n + len;
}

/* Encode map m (header count = n_hdr) into out. */
static size_t build_map(uint8_t *out, const struct map *m, size_t n_hdr)
{
	size_t n = cbor_encode_map_start(n_hdr, out, BUF);
	for (size_t i = 0; i < m->n; i++) {
		n = put(out, n, m->e[i].k, m->e[i].klen);
		n = put(out, n, m->e[i].v, m->e[i].vlen);
	}
	return n;
}

static size_t bstr(uint8_t *out, size_t n, const uint8_t *p, size_t len)
{
	n += cbor_encode_bytestring_start(len, out + n, BUF - n);
	return put(out, n, p, len);
}

/* COSE_Sign1_Tagged with the given protected header and payload and the
 * signature of cv (unchecked by the parser). */
static size_t cose(uint8_t *out, const struct token_cose_view *cv,
		   const uint8_t *prot, size_t prot_len,
		   const uint8_t *payload, size_t payload_len)
{
	size_t n = cbor_encode_tag(18, out, BUF);
	n += cbor_encode_array_start(4, out + n, BUF - n);
	n = bstr(out, n, prot, prot_len);
	n += cbor_encode_map_start(0, out + n, BUF - n);
	n = bstr(out, n, payload, payload_len);
	return bstr(out, n, cv->sig, TOKEN_ES384_SIG_SIZE);
}

static size_t collection(uint8_t *out, const uint8_t *plat, size_t plat_len,
			 const uint8_t *realm, size_t realm_len)
{
	size_t n = cbor_encode_tag(399, out, BUF);
	n += cbor_encode_map_start(2, out + n, BUF - n);
	n += cbor_encode_uint(44234, out + n, BUF - n);
	n = bstr(out, n, plat, plat_len);
	n += cbor_encode_uint(44241, out + n, BUF - n);
	return bstr(out, n, realm, realm_len);
}

/* The decoder under test: caec_token_parse() is this behind its argument
 * checks, which tests/attest/test_token.c covers. */
static int parse(const uint8_t *p, size_t len, struct caec_token_claims *c)
{
	return token_decode(p, len, NULL, c);
}

/* Parse a token whose realm (or platform) claims map is `m` (n_hdr as its
 * count); everything else from the fixture token. */
static int parse_with(struct fix *f, const struct map *m, size_t n_hdr,
		      bool realm)
{
	static uint8_t payload[BUF], c1[BUF], tok[BUF];
	struct caec_token_claims c = { .size = sizeof(c) };
	const struct token_cose_view *cv = realm ? &f->v.realm : &f->v.plat;
	size_t pl = build_map(payload, m, n_hdr);
	size_t cl = cose(c1, cv, cv->prot, cv->prot_len, payload, pl);
	size_t tl = realm ?
		collection(tok, f->v.plat.whole, f->v.plat.whole_len, c1, cl) :
		collection(tok, c1, cl, f->v.realm.whole, f->v.realm.whole_len);
	return parse(tok, tl, &c);
}

static int setup(void **state)
{
	static const uint8_t seed[] = "malformed";
	struct token_signer *ts;
	struct token_realm_claims claims;
	struct token_relation rel[3];
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || token_signer_create_seeded(&ts, seed, sizeof(seed)))
		return -1;
	fix_claims(&claims, rel);
	fix_challenge(ch, 7);
	if (token_issue(ts, &claims, ch, &f->tok, &f->len))
		return -1;
	token_signer_destroy(ts);
	f->c.size = sizeof(f->c);
	if (token_decode(f->tok, f->len, &f->v, &f->c))
		return -1;
	if (split_map(f->v.realm.payload, f->v.realm.payload_len, &f->realm) ||
	    split_map(f->v.plat.payload, f->v.plat.payload_len, &f->plat))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	free(f->tok);
	free(f);
	return 0;
}

static void expect_token_err(const uint8_t *p, size_t len, const char *what)
{
	struct caec_token_claims c = { .size = sizeof(c) };
	int rc = parse(p, len, &c);

	if (rc != CAEC_E_TOKEN)
		fail_msg("%s: %s, expected CAEC_E_TOKEN", what, caec_errname(rc));
}

/* Proves: the test's reassembly is exact, so failures below come from the
 * one change each case makes. */
static void test_malformed_control_reassembly_parses(void **state)
{
	struct fix *f = *state;
	static uint8_t tok[BUF];

	assert_int_equal(f->realm.n, 10);
	assert_int_equal(f->plat.n, 9);
	assert_caec_ok(parse_with(f, &f->realm, f->realm.n, true));
	assert_caec_ok(parse_with(f, &f->plat, f->plat.n, false));
	size_t n = collection(tok, f->v.plat.whole, f->v.plat.whole_len,
			      f->v.realm.whole, f->v.realm.whole_len);
	assert_int_equal(n, f->len);
	assert_memory_equal(tok, f->tok, n);
}

/* Proves: every proper prefix of a token (including empty) is rejected. */
static void test_malformed_truncated_at_every_length(void **state)
{
	struct fix *f = *state;

	for (size_t n = 0; n < f->len; n++) {
		/* A right-sized heap copy lets ASan catch any over-read. */
		uint8_t *t = malloc(n ? n : 1);
		assert_non_null(t);
		memcpy(t, f->tok, n);
		struct caec_token_claims c = { .size = sizeof(c) };
		int rc = parse(t, n, &c);
		if (rc != CAEC_E_TOKEN)
			fail_msg("prefix of %zu bytes: %s", n, caec_errname(rc));
		free(t);
	}
}

/* Proves: bytes after the collection are rejected, as is an oversize or
 * NULL buffer. */
static void test_malformed_trailing_bytes(void **state)
{
	struct fix *f = *state;
	static uint8_t t[BUF + 1];
	static const uint8_t tails[] = { 0x00, 0xff, 0xa0, 0xf6 };

	for (unsigned i = 0; i < sizeof(tails); i++) {
		memcpy(t, f->tok, f->len);
		t[f->len] = tails[i];
		expect_token_err(t, f->len + 1, "one trailing byte");
	}
	memcpy(t, f->tok, f->len);
	memcpy(t + f->len, f->tok, f->len);
	expect_token_err(t, 2 * f->len, "token twice");
	expect_token_err(t, BUF + 1, "longer than CAEC_TOKEN_MAX_SIZE");
	expect_token_err(NULL, 10, "NULL buffer");
}

/* Proves: wrong, missing and extra tags, and the wrong container types,
 * are rejected at the collection level. */
static void test_malformed_collection_structure(void **state)
{
	struct fix *f = *state;
	const struct token_cose_view *p = &f->v.plat, *r = &f->v.realm;
	static uint8_t t[BUF];
	size_t n;

	/* Tag 398, tag 18, no tag at all, tag twice. */
	static const uint64_t tags[] = { 398, 18, 400 };
	for (unsigned i = 0; i < 3; i++) {
		n = cbor_encode_tag(tags[i], t, BUF);
		n = put(t, n, f->tok + 3, f->len - 3);
		expect_token_err(t, n, "wrong collection tag");
	}
	expect_token_err(f->tok + 3, f->len - 3, "untagged collection");
	n = cbor_encode_tag(399, t, BUF);
	n = put(t, n, f->tok, f->len);
	expect_token_err(t, n, "tag 399 twice");

	/* Array instead of map. */
	n = cbor_encode_tag(399, t, BUF);
	n += cbor_encode_array_start(2, t + n, BUF - n);
	n = bstr(t, n, p->whole, p->whole_len);
	n = bstr(t, n, r->whole, r->whole_len);
	expect_token_err(t, n, "collection is an array");

	/* Indefinite-length map. */
	n = cbor_encode_tag(399, t, BUF);
	n += cbor_encode_indef_map_start(t + n, BUF - n);
	n += cbor_encode_uint(44234, t + n, BUF - n);
	n = bstr(t, n, p->whole, p->whole_len);
	n += cbor_encode_uint(44241, t + n, BUF - n);
	n = bstr(t, n, r->whole, r->whole_len);
	n += cbor_encode_break(t + n, BUF - n);
	expect_token_err(t, n, "indefinite-length map");

	/* Indefinite-length (chunked) byte string for the platform token. */
	n = cbor_encode_tag(399, t, BUF);
	n += cbor_encode_map_start(2, t + n, BUF - n);
	n += cbor_encode_uint(44234, t + n, BUF - n);
	n += cbor_encode_indef_bytestring_start(t + n, BUF - n);
	n = bstr(t, n, p->whole, 10);
	n = bstr(t, n, p->whole + 10, p->whole_len - 10);
	n += cbor_encode_break(t + n, BUF - n);
	n += cbor_encode_uint(44241, t + n, BUF - n);
	n = bstr(t, n, r->whole, r->whole_len);
	expect_token_err(t, n, "indefinite-length byte string");

	/* Duplicate key, unknown key, missing key, extra key. */
	struct { uint64_t k1, k2; size_t count; const char *what; } km[] = {
		{ 44234, 44234, 2, "duplicate platform key" },
		{ 44241, 44241, 2, "duplicate realm key" },
		{ 44234, 44242, 2, "unknown key" },
		{ 44234, 44241, 3, "count says 3" },
		{ 44234, 44241, 1, "count says 1" },
	};
	for (unsigned i = 0; i < sizeof(km) / sizeof(km[0]); i++) {
		n = cbor_encode_tag(399, t, BUF);
		n += cbor_encode_map_start(km[i].count, t + n, BUF - n);
		n += cbor_encode_uint(km[i].k1, t + n, BUF - n);
		n = bstr(t, n, p->whole, p->whole_len);
		n += cbor_encode_uint(km[i].k2, t + n, BUF - n);
		n = bstr(t, n, r->whole, r->whole_len);
		expect_token_err(t, n, km[i].what);
	}
	/* Token as a text string instead of a byte string. */
	n = cbor_encode_tag(399, t, BUF);
	n += cbor_encode_map_start(2, t + n, BUF - n);
	n += cbor_encode_uint(44234, t + n, BUF - n);
	n += cbor_encode_string_start(p->whole_len, t + n, BUF - n);
	n = put(t, n, p->whole, p->whole_len);
	n += cbor_encode_uint(44241, t + n, BUF - n);
	n = bstr(t, n, r->whole, r->whole_len);
	expect_token_err(t, n, "platform token as tstr");
}

/* Proves: lengths and counts larger than the input are rejected without
 * reading past it or allocating (ASan would catch either). */
static void test_malformed_huge_lengths(void **state)
{
	(void)state;
	static const uint8_t cases[][16] = {
		/* collection map, key 44234, then a huge bstr head */
		{ 0xd9, 0x01, 0x8f, 0xa2, 0x19, 0xac, 0xca, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0xd9, 0x01, 0x8f, 0xa2, 0x19, 0xac, 0xca, 0x5a, 0xff, 0xff, 0xff, 0xff, 0x00 },
		{ 0xd9, 0x01, 0x8f, 0xa2, 0x19, 0xac, 0xca, 0x59, 0xff, 0xff, 0x00 },
		/* huge map count */
		{ 0xd9, 0x01, 0x8f, 0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 },
		{ 0xd9, 0x01, 0x8f, 0xba, 0x7f, 0xff, 0xff, 0xff, 0x00 },
		/* huge tag number */
		{ 0xdb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xa0 },
	};
	static const size_t lens[] = { 16, 13, 11, 13, 9, 10 };
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint8_t *t = malloc(lens[i]);
		assert_non_null(t);
		memcpy(t, cases[i], lens[i]);
		expect_token_err(t, lens[i], "huge length");
		free(t);
	}
}

/* Proves: non-shortest heads, reserved additional-info values, floats,
 * null, undefined, simple values and a stray break are rejected. */
static void test_malformed_heads(void **state)
{
	struct fix *f = *state;
	static uint8_t t[BUF];
	size_t n;

	/* Key 44234 as a 4-byte integer (value fits 2 bytes). */
	n = put(t, 0, f->tok, 4);
	t[n++] = 0x1a;
	t[n++] = 0;
	t[n++] = 0;
	n = put(t, n, f->tok + 5, f->len - 5);
	expect_token_err(t, n, "non-shortest key");
	/* Tag 399 as a 4-byte tag. */
	t[0] = 0xda;
	t[1] = t[2] = 0;
	n = put(t, 3, f->tok + 1, f->len - 1);
	expect_token_err(t, n, "non-shortest tag");
	/* Platform bstr length in 4-byte form (it needs 2). */
	assert_int_equal(f->tok[7], 0x59);
	n = put(t, 0, f->tok, 7);
	t[n++] = 0x5a;
	t[n++] = 0;
	t[n++] = 0;
	n = put(t, n, f->tok + 8, f->len - 8);
	expect_token_err(t, n, "non-shortest bstr length");
	/* Small value in 1-byte form: map count 2 as 0xb8 0x02. */
	n = put(t, 0, f->tok, 3);
	t[n++] = 0xb8;
	t[n++] = 0x02;
	n = put(t, n, f->tok + 4, f->len - 4);
	expect_token_err(t, n, "non-shortest map count");

	/* Reserved and unsupported initial bytes where the key should be. */
	static const uint8_t bad[] = { 0x1c, 0x1d, 0x1e, 0x1f, 0x3c, 0x5c, 0x7c,
		0x9c, 0xbc, 0xdc, 0xfc, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
		0xff, 0xf4, 0xe0 };
	for (unsigned i = 0; i < sizeof(bad); i++) {
		memcpy(t, f->tok, f->len);
		t[4] = bad[i];
		expect_token_err(t, f->len, "bad initial byte");
	}
}

/* Proves: a COSE_Sign1 that is not exactly [bstr, {}, bstr, bstr(96)]
 * under tag 18, or whose protected header is not {1: -35 [, 4: kid]}, is
 * rejected -- for both the platform and the realm token. */
static void test_malformed_cose_sign1(void **state)
{
	struct fix *f = *state;
	static uint8_t c1[BUF], t[BUF], prot[64];

	for (int which = 0; which < 2; which++) {
		const struct token_cose_view *cv = which ? &f->v.realm : &f->v.plat;
		const struct token_cose_view *other = which ? &f->v.plat : &f->v.realm;
#define EMIT(what)                                                                 \
	do {                                                                       \
		size_t tl_ = which ? collection(t, other->whole, other->whole_len, c1, cl) \
				   : collection(t, c1, cl, other->whole, other->whole_len); \
		expect_token_err(t, tl_, what);                                    \
	} while (0)
		size_t cl, n;

		/* Control: rebuilt as-is parses. */
		cl = cose(c1, cv, cv->prot, cv->prot_len, cv->payload, cv->payload_len);
		assert_int_equal(cl, cv->whole_len);
		/* Missing tag 18, and tag 17 (COSE_Mac0). */
		cl = cose(c1, cv, cv->prot, cv->prot_len, cv->payload, cv->payload_len);
		memmove(c1, c1 + 1, cl - 1);
		cl--;
		EMIT("untagged COSE_Sign1");
		cl = cose(c1, cv, cv->prot, cv->prot_len, cv->payload, cv->payload_len);
		c1[0] = 0xd1;
		EMIT("tag 17");
		/* Array of 3 and 5. */
		cl = cose(c1, cv, cv->prot, cv->prot_len, cv->payload, cv->payload_len);
		c1[1] = 0x83;
		EMIT("array of 3");
		c1[1] = 0x85;
		EMIT("array of 5");
		c1[1] = 0x9f;
		EMIT("indefinite array");
		/* Non-empty unprotected header {4: h'01'}. */
		n = cbor_encode_tag(18, c1, BUF);
		n += cbor_encode_array_start(4, c1 + n, BUF - n);
		n = bstr(c1, n, cv->prot, cv->prot_len);
		n += cbor_encode_map_start(1, c1 + n, BUF - n);
		n += cbor_encode_uint(4, c1 + n, BUF - n);
		n = bstr(c1, n, (const uint8_t *)"\x01", 1);
		n = bstr(c1, n, cv->payload, cv->payload_len);
		cl = bstr(c1, n, cv->sig, 96);
		EMIT("non-empty unprotected header");
		/* Signature of 95 and 97 bytes. */
		for (size_t sl = 95; sl <= 97; sl += 2) {
			uint8_t sig[97] = { 0 };
			memcpy(sig, cv->sig, 95);
			n = cbor_encode_tag(18, c1, BUF);
			n += cbor_encode_array_start(4, c1 + n, BUF - n);
			n = bstr(c1, n, cv->prot, cv->prot_len);
			n += cbor_encode_map_start(0, c1 + n, BUF - n);
			n = bstr(c1, n, cv->payload, cv->payload_len);
			cl = bstr(c1, n, sig, sl);
			EMIT("wrong signature size");
		}
		/* Protected headers: ES256, no alg, unknown label, alg as tstr,
		 * duplicate alg, trailing byte, not a map. */
		static const uint8_t prots[][8] = {
			{ 0xa1, 0x01, 0x26 },             /* {1: -7} ES256 */
			{ 0xa0 },                         /* {} */
			{ 0xa2, 0x01, 0x38, 0x22, 0x03, 0x00 }, /* + {3: 0} */
			{ 0xa1, 0x01, 0x65, 'E', 'S', '3', '8', '4' },
			{ 0xa2, 0x01, 0x38, 0x22, 0x01, 0x38, 0x22 },
			{ 0xa1, 0x01, 0x38, 0x22, 0x00 }, /* trailing byte */
			{ 0x82, 0x01, 0x38 },             /* array */
			{ 0xa1, 0x04, 0x40 },             /* empty kid, no alg */
		};
		static const size_t prot_lens[] = { 3, 1, 6, 8, 7, 5, 3, 3 };
		for (unsigned i = 0; i < sizeof(prot_lens) / sizeof(prot_lens[0]); i++) {
			memcpy(prot, prots[i], prot_lens[i]);
			cl = cose(c1, cv, prot, prot_lens[i], cv->payload, cv->payload_len);
			EMIT("bad protected header");
		}
		/* Payload with a trailing byte; payload not a map. */
		static uint8_t pl[BUF];
		memcpy(pl, cv->payload, cv->payload_len);
		pl[cv->payload_len] = 0x00;
		cl = cose(c1, cv, cv->prot, cv->prot_len, pl, cv->payload_len + 1);
		EMIT("payload with trailing byte");
		pl[0] = 0x80;
		cl = cose(c1, cv, cv->prot, cv->prot_len, pl, 1);
		EMIT("payload is an array");
#undef EMIT
	}
}

/* Candidate replacement values of the wrong type or out of range. */
static const uint8_t repl[][1] = { { 0x00 }, { 0x40 }, { 0x60 }, { 0xf6 }, { 0xa0 }, { 0x80 } };

/* Proves: for every realm and platform claim, leaving it out (if it is
 * required), repeating it, or giving it a value of the wrong type is
 * rejected; so is an unknown claim. */
static void test_malformed_claims_missing_duplicate_wrong_type(void **state)
{
	struct fix *f = *state;
	struct map m;

	for (int which = 0; which < 2; which++) {
		const struct map *src = which ? &f->realm : &f->plat;
		for (size_t i = 0; i < src->n; i++) {
			int64_t key = src->e[i].key;
			bool optional = !which && key == TOKEN_PLAT_VERIFICATION_SERVICE;
			/* missing */
			m = *src;
			memmove(&m.e[i], &m.e[i + 1], (m.n - i - 1) * sizeof(m.e[0]));
			m.n--;
			int rc = parse_with(f, &m, m.n, which);
			if (optional)
				assert_caec_ok(rc);
			else if (rc != CAEC_E_TOKEN)
				fail_msg("claim %lld missing: %s", (long long)key, caec_errname(rc));
			/* duplicate */
			m = *src;
			m.e[m.n++] = src->e[i];
			rc = parse_with(f, &m, m.n, which);
			if (rc != CAEC_E_TOKEN)
				fail_msg("claim %lld twice: %s", (long long)key, caec_errname(rc));
			/* wrong type / out of range */
			for (unsigned j = 0; j < sizeof(repl) / sizeof(repl[0]); j++) {
				bool valid = (which && key == TOKEN_REALM_CAEC_REALM_ID && repl[j][0] == 0x00) ||
					     (which && key == TOKEN_REALM_CAEC_RELATIONS && repl[j][0] == 0x80) ||
					     (!which && key == TOKEN_PLAT_LIFECYCLE && repl[j][0] == 0x00) ||
					     (!which && key == TOKEN_PLAT_CONFIG && repl[j][0] == 0x40);
				m = *src;
				m.e[i].v = repl[j];
				m.e[i].vlen = 1;
				rc = parse_with(f, &m, m.n, which);
				if (valid)
					assert_caec_ok(rc);
				else if (rc != CAEC_E_TOKEN)
					fail_msg("claim %lld = 0x%02x: %s", (long long)key,
						 repl[j][0], caec_errname(rc));
			}
		}
		/* unknown claim (private-use key next to ours, and a CCA one) */
		static const uint8_t unk_keys[][5] = { { 0x3a, 0x00, 0x01, 0x11, 0x71 },
						       { 0x19, 0xac, 0xd2 } };
		static const size_t unk_lens[] = { 5, 3 };
		for (unsigned u = 0; u < 2; u++) {
			m = *src;
			m.e[m.n] = (struct entry){ .k = unk_keys[u], .klen = unk_lens[u],
						   .v = repl[1], .vlen = 1 };
			m.n++;
			int rc = parse_with(f, &m, m.n, which);
			if (rc != CAEC_E_TOKEN)
				fail_msg("unknown claim: %s", caec_errname(rc));
		}
		/* A duplicate that keeps the count right: in the platform token,
		 * replace the optional claim by a second copy of another one, so
		 * only duplicate detection can catch it. */
		if (!which) {
			size_t vs = 0;
			while (src->e[vs].key != TOKEN_PLAT_VERIFICATION_SERVICE)
				vs++;
			for (size_t i = 0; i < src->n; i++) {
				if (i == vs)
					continue;
				m = *src;
				m.e[vs] = src->e[i];
				int rc = parse_with(f, &m, m.n, which);
				if (rc != CAEC_E_TOKEN)
					fail_msg("claim %lld twice, count intact: %s",
						 (long long)src->e[i].key, caec_errname(rc));
			}
		}
		/* map count that disagrees with the entries */
		assert_caec_err(parse_with(f, src, src->n + 1, which), CAEC_E_TOKEN);
		assert_caec_err(parse_with(f, src, src->n - 1, which), CAEC_E_TOKEN);
	}
}

static size_t find(const struct map *m, int64_t key)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->e[i].key == key)
			return i;
	fail_msg("key %lld not in token", (long long)key);
	return 0;
}

/* Replace one claim's value with `v` and expect CAEC_E_TOKEN. */
static void bad_value(struct fix *f, bool realm, int64_t key, const uint8_t *v,
		      size_t vlen, const char *what)
{
	struct map m = realm ? f->realm : f->plat;
	size_t i = find(&m, key);

	m.e[i].v = v;
	m.e[i].vlen = vlen;
	int rc = parse_with(f, &m, m.n, realm);
	if (rc != CAEC_E_TOKEN)
		fail_msg("%s: %s", what, caec_errname(rc));
}

/* Proves: values of the right type but out of range are rejected: wrong
 * sizes, profile, hash algorithms, COSE_Key contents, relations, software
 * components, instance ID type, lifecycle. */
static void test_malformed_claim_values(void **state)
{
	struct fix *f = *state;
	static uint8_t v[512];
	size_t n;
	uint8_t z[128] = { 0 };

	n = bstr(v, 0, z, 63);
	bad_value(f, true, TOKEN_REALM_CHALLENGE, v, n, "challenge of 63 bytes");
	n = bstr(v, 0, z, 65);
	bad_value(f, true, TOKEN_REALM_RPV, v, n, "RPV of 65 bytes");
	n = bstr(v, 0, z, 48);
	bad_value(f, true, TOKEN_REALM_RIM, v, n, "RIM of 48 bytes with sha-256");
	n = bstr(v, 0, z, 65);
	bad_value(f, true, TOKEN_REALM_RIM, v, n, "RIM of 65 bytes");
	n = cbor_encode_string_start(28, v, sizeof(v));
	n = put(v, n, "tag:arm.com,2023:realm#2.0.0", 28);
	bad_value(f, true, TOKEN_REALM_PROFILE, v, n, "other realm profile");
	n = cbor_encode_string_start(7, v, sizeof(v));
	n = put(v, n, "sha-384", 7);
	bad_value(f, true, TOKEN_REALM_HASH_ALGO, v, n, "sha-384 measurements of 32 bytes");
	n = cbor_encode_string_start(3, v, sizeof(v));
	n = put(v, n, "md5", 3);
	bad_value(f, true, TOKEN_REALM_PUB_KEY_HASH_ALGO, v, n, "md5 RAK hash");
	n = cbor_encode_string_start(8, v, sizeof(v));
	n = put(v, n, "sha\0-256", 8);
	bad_value(f, true, TOKEN_REALM_HASH_ALGO, v, n, "NUL inside text");
	/* REMs: 3 entries; 5 entries; one of 48 bytes. */
	for (size_t cnt = 3; cnt <= 5; cnt += 2) {
		n = cbor_encode_array_start(cnt, v, sizeof(v));
		for (size_t i = 0; i < cnt; i++)
			n = bstr(v, n, z, 32);
		bad_value(f, true, TOKEN_REALM_REMS, v, n, "REM count");
	}
	n = cbor_encode_array_start(4, v, sizeof(v));
	for (size_t i = 0; i < 4; i++)
		n = bstr(v, n, z, i == 2 ? 48 : 32);
	bad_value(f, true, TOKEN_REALM_REMS, v, n, "REM of 48 bytes");

	/* COSE_Key variants: P-256 curve, OKP kty, short x, missing y,
	 * extra label, raw point instead of a COSE_Key. */
	uint8_t key[160];
	const uint8_t *x = f->c.rak + 1, *y = f->c.rak + 49;
	struct { int64_t kty, crv; size_t xl; bool y, extra; const char *what; } kv[] = {
		{ 2, 1, 48, true, false, "P-256 curve" },
		{ 1, 2, 48, true, false, "OKP key type" },
		{ 2, 2, 47, true, false, "short x" },
		{ 2, 2, 48, false, false, "missing y" },
		{ 2, 2, 48, true, true, "extra label" },
	};
	for (unsigned i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		size_t k = cbor_encode_map_start(2 + 1 + kv[i].y + kv[i].extra, key, sizeof(key));
		k += cbor_encode_uint(1, key + k, sizeof(key) - k);
		k += cbor_encode_uint((uint64_t)kv[i].kty, key + k, sizeof(key) - k);
		k += cbor_encode_negint(0, key + k, sizeof(key) - k);
		k += cbor_encode_uint((uint64_t)kv[i].crv, key + k, sizeof(key) - k);
		k += cbor_encode_negint(1, key + k, sizeof(key) - k);
		k = bstr(key, k, x, kv[i].xl);
		if (kv[i].y) {
			k += cbor_encode_negint(2, key + k, sizeof(key) - k);
			k = bstr(key, k, y, 48);
		}
		if (kv[i].extra) {
			k += cbor_encode_uint(3, key + k, sizeof(key) - k);
			k += cbor_encode_negint(34, key + k, sizeof(key) - k);
		}
		n = bstr(v, 0, key, k);
		bad_value(f, true, TOKEN_REALM_PUB_KEY, v, n, kv[i].what);
	}
	n = bstr(v, 0, f->c.rak, 97);
	bad_value(f, true, TOKEN_REALM_PUB_KEY, v, n, "raw point instead of COSE_Key");

	/* Relations: role 3, perm 2, sealed without hash, hash without
	 * sealed, unknown key, missing key, 65 entries. */
	struct { unsigned role, perm; bool sealed, hash, extra, drop; const char *what; } rv[] = {
		{ 3, 1, false, false, false, false, "role 3" },
		{ 1, 2, false, false, false, false, "perm 2" },
		{ 1, 1, true, false, false, false, "sealed without hash" },
		{ 1, 1, false, true, false, false, "hash without sealed" },
		{ 1, 1, false, false, true, false, "unknown relation key" },
		{ 1, 1, false, false, false, true, "missing region ID" },
	};
	for (unsigned i = 0; i < sizeof(rv) / sizeof(rv[0]); i++) {
		size_t cnt = 6 + rv[i].hash + rv[i].extra - rv[i].drop;
		n = cbor_encode_array_start(1, v, sizeof(v));
		n += cbor_encode_map_start(cnt, v + n, sizeof(v) - n);
		if (!rv[i].drop) {
			n += cbor_encode_uint(1, v + n, sizeof(v) - n);
			n += cbor_encode_uint(5, v + n, sizeof(v) - n);
		}
		n += cbor_encode_uint(2, v + n, sizeof(v) - n);
		n += cbor_encode_uint(6, v + n, sizeof(v) - n);
		n += cbor_encode_uint(3, v + n, sizeof(v) - n);
		n += cbor_encode_uint(9, v + n, sizeof(v) - n);
		n += cbor_encode_uint(4, v + n, sizeof(v) - n);
		n += cbor_encode_uint(rv[i].perm, v + n, sizeof(v) - n);
		n += cbor_encode_uint(5, v + n, sizeof(v) - n);
		n += cbor_encode_uint(rv[i].role, v + n, sizeof(v) - n);
		n += cbor_encode_uint(6, v + n, sizeof(v) - n);
		n += cbor_encode_bool(rv[i].sealed, v + n, sizeof(v) - n);
		if (rv[i].hash) {
			n += cbor_encode_uint(7, v + n, sizeof(v) - n);
			n = bstr(v, n, z, 32);
		}
		if (rv[i].extra) {
			n += cbor_encode_uint(8, v + n, sizeof(v) - n);
			n += cbor_encode_uint(0, v + n, sizeof(v) - n);
		}
		bad_value(f, true, TOKEN_REALM_CAEC_RELATIONS, v, n, rv[i].what);
	}
	static uint8_t many[BUF];
	n = cbor_encode_array_start(65, many, sizeof(many));
	for (unsigned i = 0; i < 65; i++) {
		n += cbor_encode_map_start(6, many + n, sizeof(many) - n);
		for (unsigned k = 1; k <= 5; k++) {
			n += cbor_encode_uint(k, many + n, sizeof(many) - n);
			n += cbor_encode_uint(1, many + n, sizeof(many) - n);
		}
		n += cbor_encode_uint(6, many + n, sizeof(many) - n);
		n += cbor_encode_bool(false, many + n, sizeof(many) - n);
	}
	bad_value(f, true, TOKEN_REALM_CAEC_RELATIONS, many, n, "65 relations");
	/* Realm ID wider than 64 bits cannot be expressed; negative can. */
	n = cbor_encode_negint(5, v, sizeof(v));
	bad_value(f, true, TOKEN_REALM_CAEC_REALM_ID, v, n, "negative realm ID");

	/* Platform: instance ID type 0x02, implementation ID of 31 bytes,
	 * challenge of 33 bytes, lifecycle > 0xffff, no sw components, a sw
	 * component without measurement, other platform profile, config of
	 * 65 bytes, 9 sw components. */
	uint8_t inst[33];
	memcpy(inst, f->c.instance_id, 33);
	inst[0] = 0x02;
	n = bstr(v, 0, inst, 33);
	bad_value(f, false, TOKEN_PLAT_INSTANCE_ID, v, n, "instance ID type 2");
	n = bstr(v, 0, z, 31);
	bad_value(f, false, TOKEN_PLAT_IMPLEMENTATION_ID, v, n, "impl ID 31 bytes");
	n = bstr(v, 0, z, 33);
	bad_value(f, false, TOKEN_PLAT_CHALLENGE, v, n, "platform challenge 33 bytes");
	n = cbor_encode_uint(0x10000, v, sizeof(v));
	bad_value(f, false, TOKEN_PLAT_LIFECYCLE, v, n, "lifecycle 0x10000");
	n = bstr(v, 0, z, 65);
	bad_value(f, false, TOKEN_PLAT_CONFIG, v, n, "config 65 bytes");
	n = cbor_encode_array_start(0, v, sizeof(v));
	bad_value(f, false, TOKEN_PLAT_SW_COMPONENTS, v, n, "no sw components");
	n = cbor_encode_array_start(1, v, sizeof(v));
	n += cbor_encode_map_start(1, v + n, sizeof(v) - n);
	n += cbor_encode_uint(5, v + n, sizeof(v) - n);
	n = bstr(v, n, z, 32);
	bad_value(f, false, TOKEN_PLAT_SW_COMPONENTS, v, n, "sw component without measurement");
	n = cbor_encode_array_start(9, v, sizeof(v));
	for (unsigned i = 0; i < 9; i++) {
		n += cbor_encode_map_start(2, v + n, sizeof(v) - n);
		n += cbor_encode_uint(2, v + n, sizeof(v) - n);
		n = bstr(v, n, z, 4);
		n += cbor_encode_uint(5, v + n, sizeof(v) - n);
		n = bstr(v, n, z, 4);
	}
	bad_value(f, false, TOKEN_PLAT_SW_COMPONENTS, v, n, "9 sw components");
	n = cbor_encode_string_start(28, v, sizeof(v));
	n = put(v, n, "http://arm.com/CCA-SSD/1.0.0", 28);
	bad_value(f, false, TOKEN_PLAT_PROFILE, v, n, "legacy platform profile");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed_control_reassembly_parses),
		cmocka_unit_test(test_malformed_truncated_at_every_length),
		cmocka_unit_test(test_malformed_trailing_bytes),
		cmocka_unit_test(test_malformed_collection_structure),
		cmocka_unit_test(test_malformed_huge_lengths),
		cmocka_unit_test(test_malformed_heads),
		cmocka_unit_test(test_malformed_cose_sign1),
		cmocka_unit_test(test_malformed_claims_missing_duplicate_wrong_type),
		cmocka_unit_test(test_malformed_claim_values),
	};
	return cmocka_run_group_tests_name("attest_malformed", tests, setup, teardown);
}
