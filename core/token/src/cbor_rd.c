/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict, allocation-free CBOR reader on top of libcbor's streaming
 * decoder (cbor_stream_decode): it decodes one item head at a time and we
 * check everything else -- lengths against the buffer, shortest-form
 * arguments, no indefinite lengths, only the types a token uses.
 *
 * libcbor 0.8 (Debian 12) rejects the one-byte tag heads 0xc6..0xd4 (tags
 * 6..20) as "unassigned", which includes tag 18, COSE_Sign1_Tagged.  Those
 * heads carry their value in the initial byte, so we decode them here
 * before asking libcbor.
 */
#include "internal.h"

#include <string.h>

#include <cbor.h>

struct head_ctx {
	struct chead *h;
	bool ok;
};

static void set(void *c, unsigned major, uint64_t val, const uint8_t *str)
{
	struct head_ctx *hc = c;

	hc->h->major = major;
	hc->h->val = val;
	hc->h->str = str;
	hc->ok = true;
}

static void on_u8(void *c, uint8_t v) { set(c, 0, v, NULL); }
static void on_u16(void *c, uint16_t v) { set(c, 0, v, NULL); }
static void on_u32(void *c, uint32_t v) { set(c, 0, v, NULL); }
static void on_u64(void *c, uint64_t v) { set(c, 0, v, NULL); }
static void on_n8(void *c, uint8_t v) { set(c, 1, v, NULL); }
static void on_n16(void *c, uint16_t v) { set(c, 1, v, NULL); }
static void on_n32(void *c, uint32_t v) { set(c, 1, v, NULL); }
static void on_n64(void *c, uint64_t v) { set(c, 1, v, NULL); }
static void on_bstr(void *c, cbor_data p, size_t n) { set(c, 2, n, p); }
static void on_tstr(void *c, cbor_data p, size_t n) { set(c, 3, n, p); }
static void on_array(void *c, size_t n) { set(c, 4, n, NULL); }
static void on_map(void *c, size_t n) { set(c, 5, n, NULL); }
static void on_tag(void *c, uint64_t v) { set(c, 6, v, NULL); }
static void on_bool(void *c, bool v) { set(c, 7, v ? 21 : 20, NULL); }

/* Everything not set here (indefinite starts, break, floats, null,
 * undefined) stays a no-op from cbor_empty_callbacks: ok remains false. */
static struct cbor_callbacks make_callbacks(void)
{
	struct cbor_callbacks cb = cbor_empty_callbacks;

	cb.uint8 = on_u8;
	cb.uint16 = on_u16;
	cb.uint32 = on_u32;
	cb.uint64 = on_u64;
	cb.negint8 = on_n8;
	cb.negint16 = on_n16;
	cb.negint32 = on_n32;
	cb.negint64 = on_n64;
	cb.byte_string = on_bstr;
	cb.string = on_tstr;
	cb.array_start = on_array;
	cb.map_start = on_map;
	cb.tag = on_tag;
	cb.boolean = on_bool;
	return cb;
}

/* The argument must use the shortest form (RFC 8949 preferred encoding). */
static bool shortest(unsigned ai, uint64_t val)
{
	switch (ai) {
	case 24: return val >= 24;
	case 25: return val > 0xff;
	case 26: return val > 0xffff;
	case 27: return val > 0xffffffffu;
	default: return ai < 24 && val == ai;
	}
}

int crd_head(struct crd *r, struct chead *h)
{
	if (r->off >= r->len)
		return CAEC_E_TOKEN;
	const uint8_t *src = r->p + r->off;
	size_t avail = r->len - r->off;
	unsigned major = src[0] >> 5, ai = src[0] & 0x1f;

	if (major == 7) {
		/* Only false (0xf4) and true (0xf5) appear in a token. */
		if (src[0] != 0xf4 && src[0] != 0xf5)
			return CAEC_E_TOKEN;
		h->major = 7;
		h->val = ai;
		h->str = NULL;
		r->off++;
		return 0;
	}
	if (major == 6 && ai < 24) {
		/* Work around libcbor 0.8's rejection of tags 6..20. */
		h->major = 6;
		h->val = ai;
		h->str = NULL;
		r->off++;
		return 0;
	}
	if (ai > 27)
		return CAEC_E_TOKEN; /* reserved (28..30) or indefinite (31) */

	/* Built per call (a few pointers): no shared state between threads. */
	const struct cbor_callbacks cb = make_callbacks();
	struct head_ctx hc = { .h = h, .ok = false };
	struct cbor_decoder_result res = cbor_stream_decode(src, avail, &cb, &hc);

	if (res.status != CBOR_DECODER_FINISHED || !hc.ok || res.read == 0 ||
	    res.read > avail || h->major != major)
		return token_err(-1, TOKEN_SITE_CBOR);
	if (!shortest(ai, h->val))
		return CAEC_E_TOKEN;
	r->off += res.read;
	return 0;
}

int crd_uint(struct crd *r, uint64_t *v)
{
	struct chead h;
	int rc = crd_head(r, &h);

	if (rc)
		return rc;
	if (h.major != 0)
		return CAEC_E_TOKEN;
	*v = h.val;
	return 0;
}

int crd_int(struct crd *r, int64_t *v)
{
	struct chead h;
	int rc = crd_head(r, &h);

	if (rc)
		return rc;
	if ((h.major != 0 && h.major != 1) || h.val > (uint64_t)INT64_MAX)
		return CAEC_E_TOKEN;
	*v = h.major == 0 ? (int64_t)h.val : -1 - (int64_t)h.val;
	return 0;
}

static int crd_string(struct crd *r, unsigned major, const uint8_t **p,
		      size_t *len)
{
	struct chead h;
	int rc = crd_head(r, &h);

	if (rc)
		return rc;
	if (h.major != major)
		return CAEC_E_TOKEN;
	*p = h.str;
	*len = (size_t)h.val;
	return 0;
}

int crd_bstr(struct crd *r, const uint8_t **p, size_t *len)
{
	return crd_string(r, 2, p, len);
}

int crd_tstr(struct crd *r, const uint8_t **p, size_t *len)
{
	return crd_string(r, 3, p, len);
}

int crd_text(struct crd *r, char *buf, size_t cap)
{
	const uint8_t *p;
	size_t n;
	int rc = crd_tstr(r, &p, &n);

	if (rc)
		return rc;
	if (n == 0 || n >= cap || memchr(p, 0, n))
		return CAEC_E_TOKEN;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

int crd_bytes_exact(struct crd *r, uint8_t *buf, size_t len)
{
	const uint8_t *p;
	size_t n;
	int rc = crd_bstr(r, &p, &n);

	if (rc)
		return rc;
	if (n != len)
		return CAEC_E_TOKEN;
	memcpy(buf, p, n);
	return 0;
}

int crd_bytes_max(struct crd *r, uint8_t *buf, size_t cap, uint32_t *len)
{
	const uint8_t *p;
	size_t n;
	int rc = crd_bstr(r, &p, &n);

	if (rc)
		return rc;
	if (n == 0 || n > cap)
		return CAEC_E_TOKEN;
	memcpy(buf, p, n);
	*len = (uint32_t)n;
	return 0;
}

static int crd_count(struct crd *r, unsigned major, uint64_t *n, uint64_t max,
		     unsigned bytes_per_item)
{
	struct chead h;
	int rc = crd_head(r, &h);

	if (rc)
		return rc;
	if (h.major != major || h.val > max)
		return CAEC_E_TOKEN;
	/* Every item takes at least one byte: cheap early rejection. */
	if (h.val > (r->len - r->off) / bytes_per_item)
		return CAEC_E_TOKEN;
	*n = h.val;
	return 0;
}

int crd_array(struct crd *r, uint64_t *n, uint64_t max)
{
	return crd_count(r, 4, n, max, 1);
}

int crd_map(struct crd *r, uint64_t *n, uint64_t max)
{
	return crd_count(r, 5, n, max, 2);
}

int crd_tag(struct crd *r, uint64_t want)
{
	struct chead h;
	int rc = crd_head(r, &h);

	if (rc)
		return rc;
	return h.major == 6 && h.val == want ? 0 : CAEC_E_TOKEN;
}

int crd_bool(struct crd *r, bool *v)
{
	struct chead h;
	int rc = crd_head(r, &h);

	if (rc)
		return rc;
	if (h.major != 7)
		return CAEC_E_TOKEN;
	*v = h.val == 21;
	return 0;
}

int crd_end(const struct crd *r)
{
	return r->off == r->len ? 0 : CAEC_E_TOKEN;
}
