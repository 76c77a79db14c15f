/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growing CBOR writer: libcbor's head encoders (cbor_encode_*) write into
 * a malloc'd buffer.  Errors are sticky, so a sequence of writes is checked
 * once at the end (w->err).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>

/* Largest encoded head: initial byte + 8-byte argument. */
#define HEAD_MAX 9u

void cwr_init(struct cwr *w)
{
	memset(w, 0, sizeof(*w));
}

void cwr_fini(struct cwr *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static bool reserve(struct cwr *w, size_t more)
{
	if (w->err)
		return false;
	if (more > CAEC_TOKEN_MAX_SIZE || w->len + more > CAEC_TOKEN_MAX_SIZE) {
		w->err = CAEC_E_RANGE;
		return false;
	}
	if (w->len + more <= w->cap)
		return true;
	size_t cap = w->cap ? w->cap : 512;
	while (cap < w->len + more)
		cap *= 2;
	uint8_t *nb = realloc(w->buf, cap);
	if (!nb) {
		w->err = CAEC_E_NOMEM;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

/* Account for a libcbor encoder's result: 0 means it did not fit. */
static void took(struct cwr *w, size_t n)
{
	if (n == 0)
		w->err = token_err(-1, TOKEN_SITE_CBOR_ENC);
	else
		w->len += n;
}

void cwr_uint(struct cwr *w, uint64_t v)
{
	if (reserve(w, HEAD_MAX))
		took(w, cbor_encode_uint(v, w->buf + w->len, w->cap - w->len));
}

void cwr_int(struct cwr *w, int64_t v)
{
	if (v >= 0) {
		cwr_uint(w, (uint64_t)v);
		return;
	}
	/* CBOR major type 1 encodes -1 - n. */
	if (reserve(w, HEAD_MAX))
		took(w, cbor_encode_negint((uint64_t)(-1 - v), w->buf + w->len,
					   w->cap - w->len));
}

void cwr_bstr(struct cwr *w, const void *p, size_t len)
{
	if (!reserve(w, HEAD_MAX + len))
		return;
	took(w, cbor_encode_bytestring_start(len, w->buf + w->len, w->cap - w->len));
	if (!w->err && len) {
		memcpy(w->buf + w->len, p, len);
		w->len += len;
	}
}

void cwr_tstr(struct cwr *w, const char *s)
{
	size_t len = strlen(s);

	if (!reserve(w, HEAD_MAX + len))
		return;
	took(w, cbor_encode_string_start(len, w->buf + w->len, w->cap - w->len));
	if (!w->err && len) {
		memcpy(w->buf + w->len, s, len);
		w->len += len;
	}
}

void cwr_array(struct cwr *w, size_t n)
{
	if (reserve(w, HEAD_MAX))
		took(w, cbor_encode_array_start(n, w->buf + w->len, w->cap - w->len));
}

void cwr_map(struct cwr *w, size_t n)
{
	if (reserve(w, HEAD_MAX))
		took(w, cbor_encode_map_start(n, w->buf + w->len, w->cap - w->len));
}

void cwr_tag(struct cwr *w, uint64_t tag)
{
	if (reserve(w, HEAD_MAX))
		took(w, cbor_encode_tag(tag, w->buf + w->len, w->cap - w->len));
}

void cwr_bool(struct cwr *w, bool v)
{
	if (reserve(w, 1))
		took(w, cbor_encode_bool(v, w->buf + w->len, w->cap - w->len));
}

void cwr_raw(struct cwr *w, const void *p, size_t len)
{
	if (!reserve(w, len) || !len)
		return;
	memcpy(w->buf + w->len, p, len);
	w->len += len;
}
