/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A strict, allocation-free CBOR reader: it decodes one item head at a
 * time (RFC 8949 section 3) and checks everything a token needs --
 * lengths against the buffer, shortest-form arguments, no indefinite
 * lengths, only the types a token uses.
 *
 * Portable: no library but memcpy/memchr, so the same reader runs in
 * libcaec, caec-simd and realm payloads (core/token/meson.build).
 */
#include "internal.h"

#include <string.h>

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
	uint64_t val = 0;
	size_t n = 1;

	if (major == 7) {
		/* Only false (0xf4) and true (0xf5) appear in a token: no
		 * floats, null, undefined, other simple values or break. */
		if (src[0] != 0xf4 && src[0] != 0xf5)
			return CAEC_E_TOKEN;
		h->major = 7;
		h->val = ai;
		h->str = NULL;
		r->off++;
		return 0;
	}
	if (ai > 27)
		return CAEC_E_TOKEN; /* reserved (28..30) or indefinite (31) */
	if (ai < 24) {
		val = ai;
	} else {
		size_t bytes = (size_t)1 << (ai - 24); /* 1, 2, 4 or 8 */
		if (avail < 1 + bytes)
			return CAEC_E_TOKEN; /* truncated argument */
		for (size_t i = 0; i < bytes; i++)
			val = (val << 8) | src[1 + i];
		n += bytes;
	}
	if (!shortest(ai, val))
		return CAEC_E_TOKEN;
	h->major = major;
	h->val = val;
	h->str = NULL;
	if (major == 2 || major == 3) {
		/* A string must lie wholly inside the buffer. */
		if (val > avail - n)
			return CAEC_E_TOKEN;
		h->str = src + n;
		n += (size_t)val;
	}
	r->off += n;
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
