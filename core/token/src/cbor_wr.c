/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A CBOR writer into a caller's fixed buffer, shortest-form heads only
 * (RFC 8949 preferred serialization, which the decoder demands).  Errors
 * are sticky, so a sequence of writes is checked once at the end (w->err):
 * CAEC_E_RANGE when the buffer is too small.
 *
 * Portable: no allocation and no library but memcpy/strlen, so the
 * firmware (EL3 monitor, RMM) encodes tokens with this same code.
 */
#include "internal.h"

#include <string.h>

size_t cbor_head(uint8_t out[CBOR_HEAD_MAX], unsigned major, uint64_t val)
{
	uint8_t ib = (uint8_t)(major << 5);
	size_t bytes;

	if (val < 24) {
		out[0] = ib | (uint8_t)val;
		return 1;
	}
	if (val <= 0xff) {
		out[0] = ib | 24;
		bytes = 1;
	} else if (val <= 0xffff) {
		out[0] = ib | 25;
		bytes = 2;
	} else if (val <= 0xffffffffu) {
		out[0] = ib | 26;
		bytes = 4;
	} else {
		out[0] = ib | 27;
		bytes = 8;
	}
	for (size_t i = 0; i < bytes; i++)
		out[1 + i] = (uint8_t)(val >> (8 * (bytes - 1 - i)));
	return 1 + bytes;
}

void cwr_init(struct cwr *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = buf ? cap : 0;
	w->err = 0;
}

static bool room(struct cwr *w, size_t more)
{
	if (w->err)
		return false;
	if (more > w->cap - w->len) {
		w->err = CAEC_E_RANGE;
		return false;
	}
	return true;
}

static void head(struct cwr *w, unsigned major, uint64_t val)
{
	uint8_t h[CBOR_HEAD_MAX];
	size_t n = cbor_head(h, major, val);

	if (room(w, n)) {
		memcpy(w->buf + w->len, h, n);
		w->len += n;
	}
}

void cwr_uint(struct cwr *w, uint64_t v)
{
	head(w, 0, v);
}

void cwr_int(struct cwr *w, int64_t v)
{
	if (v >= 0)
		head(w, 0, (uint64_t)v);
	else
		head(w, 1, (uint64_t)(-1 - v)); /* major type 1 encodes -1 - n */
}

void cwr_bstr(struct cwr *w, const void *p, size_t len)
{
	head(w, 2, len);
	cwr_raw(w, p, len);
}

void cwr_bstr_head(struct cwr *w, size_t len)
{
	head(w, 2, len);
}

void cwr_tstr(struct cwr *w, const char *s)
{
	size_t len = strlen(s);

	head(w, 3, len);
	cwr_raw(w, s, len);
}

void cwr_array(struct cwr *w, size_t n)
{
	head(w, 4, n);
}

void cwr_map(struct cwr *w, size_t n)
{
	head(w, 5, n);
}

void cwr_tag(struct cwr *w, uint64_t tag)
{
	head(w, 6, tag);
}

void cwr_bool(struct cwr *w, bool v)
{
	uint8_t b = v ? 0xf5 : 0xf4;

	cwr_raw(w, &b, 1);
}

void cwr_raw(struct cwr *w, const void *p, size_t len)
{
	if (!room(w, len) || !len)
		return;
	memcpy(w->buf + w->len, p, len);
	w->len += len;
}
