/* SPDX-License-Identifier: Apache-2.0 */
/* Strict GGUF v3 reader: see gguf.h. */
#include "gguf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the GGUF reader assumes a little-endian host"
#endif

struct cur {
	const uint8_t *base;
	uint64_t size;
	uint64_t pos;
	struct gguf_error *err;
};

static int fail(struct cur *c, int code, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct cur *c, int code, uint64_t off, const char *fmt, ...)
{
	if (c->err) {
		va_list ap;
		char detail[160];

		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
		c->err->code = code;
		c->err->offset = off;
		snprintf(c->err->msg, sizeof(c->err->msg), "%s at offset %llu: %s",
			 gguf_strerror(code), (unsigned long long)off, detail);
	}
	return code;
}

static uint64_t remaining(const struct cur *c)
{
	return c->size - c->pos;
}

static int take(struct cur *c, uint64_t n, const uint8_t **p, const char *what)
{
	if (n > remaining(c))
		return fail(c, GGUF_E_TRUNCATED, c->pos,
			    "%s needs %llu bytes, %llu left", what,
			    (unsigned long long)n,
			    (unsigned long long)remaining(c));
	*p = c->base + c->pos;
	c->pos += n;
	return GGUF_OK;
}

static int rd_u32(struct cur *c, uint32_t *v, const char *what)
{
	const uint8_t *p = NULL;
	int rc = take(c, 4, &p, what);

	if (rc == GGUF_OK)
		memcpy(v, p, 4);
	return rc;
}

static int rd_u64(struct cur *c, uint64_t *v, const char *what)
{
	const uint8_t *p = NULL;
	int rc = take(c, 8, &p, what);

	if (rc == GGUF_OK)
		memcpy(v, p, 8);
	return rc;
}

static int rd_str(struct cur *c, struct gguf_str *s, uint64_t max,
		  const char *what)
{
	uint64_t at = c->pos, len;
	const uint8_t *p = NULL;
	int rc = rd_u64(c, &len, what);

	if (rc)
		return rc;
	if (len > remaining(c))
		return fail(c, GGUF_E_STRING, at,
			    "%s length %llu exceeds the %llu bytes left", what,
			    (unsigned long long)len,
			    (unsigned long long)remaining(c));
	if (len > max)
		return fail(c, GGUF_E_STRING, at, "%s length %llu exceeds limit %llu",
			    what, (unsigned long long)len,
			    (unsigned long long)max);
	rc = take(c, len, &p, what);
	if (rc)
		return rc;
	s->ptr = (const char *)p;
	s->len = len;
	return GGUF_OK;
}

static uint64_t scalar_size(uint32_t t)
{
	switch (t) {
	case GGUF_TYPE_UINT8:
	case GGUF_TYPE_INT8:
	case GGUF_TYPE_BOOL:
		return 1;
	case GGUF_TYPE_UINT16:
	case GGUF_TYPE_INT16:
		return 2;
	case GGUF_TYPE_UINT32:
	case GGUF_TYPE_INT32:
	case GGUF_TYPE_FLOAT32:
		return 4;
	case GGUF_TYPE_UINT64:
	case GGUF_TYPE_INT64:
	case GGUF_TYPE_FLOAT64:
		return 8;
	default:
		return 0;
	}
}

const char *gguf_strerror(int code)
{
	switch (code) {
	case GGUF_OK: return "success";
	case GGUF_E_INVAL: return "invalid argument";
	case GGUF_E_TRUNCATED: return "truncated file";
	case GGUF_E_MAGIC: return "bad magic (not a GGUF file)";
	case GGUF_E_VERSION: return "unsupported GGUF version";
	case GGUF_E_COUNT: return "tensor or key/value count too large";
	case GGUF_E_STRING: return "string length out of bounds";
	case GGUF_E_VALUE_TYPE: return "unknown metadata value type";
	case GGUF_E_NESTED: return "nested arrays are not supported";
	case GGUF_E_ARRAY: return "array length out of bounds";
	case GGUF_E_DUP_KEY: return "duplicate metadata key";
	case GGUF_E_ALIGNMENT: return "invalid general.alignment";
	case GGUF_E_NDIMS: return "invalid tensor rank";
	case GGUF_E_DIM: return "invalid tensor dimension";
	case GGUF_E_TENSOR_TYPE: return "unsupported tensor type";
	case GGUF_E_BLOCK: return "row length not a multiple of the block size";
	case GGUF_E_DUP_TENSOR: return "duplicate tensor name";
	case GGUF_E_OFFSET: return "misaligned tensor data offset";
	case GGUF_E_BOUNDS: return "tensor data outside the file";
	case GGUF_E_OVERLAP: return "tensor data overlaps another tensor";
	case GGUF_E_NOMEM: return "out of memory";
	case GGUF_E_KEY: return "invalid metadata key";
	default: return "unknown GGUF error";
	}
}

uint64_t gguf_row_bytes(enum ggml_type t, uint64_t ne0)
{
	switch (t) {
	case GGML_TYPE_F32:
		return ne0 > UINT64_MAX / 4 ? 0 : ne0 * 4;
	case GGML_TYPE_F16:
		return ne0 > UINT64_MAX / 2 ? 0 : ne0 * 2;
	case GGML_TYPE_Q8_0:
		if (ne0 % QK8_0)
			return 0;
		return ne0 / QK8_0 * Q8_0_BLOCK_BYTES;
	default:
		return 0;
	}
}

bool gguf_str_eq(struct gguf_str s, const char *c)
{
	size_t n = strlen(c);

	return s.len == n && memcmp(s.ptr, c, n) == 0;
}

static int str_cmp(struct gguf_str a, struct gguf_str b)
{
	uint64_t n = a.len < b.len ? a.len : b.len;
	int r = n ? memcmp(a.ptr, b.ptr, n) : 0;

	if (r)
		return r;
	return a.len < b.len ? -1 : a.len > b.len;
}

static int cmp_kv(const void *a, const void *b)
{
	const struct gguf_kv *x = *(const struct gguf_kv *const *)a;
	const struct gguf_kv *y = *(const struct gguf_kv *const *)b;

	return str_cmp(x->key, y->key);
}

static int cmp_tname(const void *a, const void *b)
{
	const struct gguf_tensor *x = *(const struct gguf_tensor *const *)a;
	const struct gguf_tensor *y = *(const struct gguf_tensor *const *)b;

	return str_cmp(x->name, y->name);
}

static int cmp_toff(const void *a, const void *b)
{
	const struct gguf_tensor *x = *(const struct gguf_tensor *const *)a;
	const struct gguf_tensor *y = *(const struct gguf_tensor *const *)b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int parse_kv(struct cur *c, struct gguf_kv *kv)
{
	uint64_t at = c->pos;
	uint32_t t;
	const uint8_t *p = NULL;
	int rc;

	rc = rd_str(c, &kv->key, GGUF_MAX_KEY_LEN, "metadata key");
	if (rc)
		return rc;
	if (kv->key.len == 0 || memchr(kv->key.ptr, 0, kv->key.len))
		return fail(c, GGUF_E_KEY, at, "key is empty or contains NUL");
	at = c->pos;
	rc = rd_u32(c, &t, "value type");
	if (rc)
		return rc;
	if (t >= GGUF_TYPE_COUNT)
		return fail(c, GGUF_E_VALUE_TYPE, at, "key '%.*s' has type %u",
			    (int)kv->key.len, kv->key.ptr, t);
	kv->type = (enum gguf_type)t;
	kv->data = c->base + c->pos;
	if (t == GGUF_TYPE_STRING) {
		struct gguf_str s;

		return rd_str(c, &s, UINT64_MAX, "string value");
	}
	if (t != GGUF_TYPE_ARRAY)
		return take(c, scalar_size(t), &p, "scalar value");

	at = c->pos;
	rc = rd_u32(c, &t, "array element type");
	if (rc)
		return rc;
	if (t == GGUF_TYPE_ARRAY)
		return fail(c, GGUF_E_NESTED, at, "key '%.*s'", (int)kv->key.len,
			    kv->key.ptr);
	if (t >= GGUF_TYPE_COUNT)
		return fail(c, GGUF_E_VALUE_TYPE, at,
			    "key '%.*s' has array element type %u",
			    (int)kv->key.len, kv->key.ptr, t);
	kv->arr_type = (enum gguf_type)t;
	at = c->pos;
	rc = rd_u64(c, &kv->arr_len, "array length");
	if (rc)
		return rc;
	kv->data = c->base + c->pos;
	if (t == GGUF_TYPE_STRING) {
		/* Each element takes at least its 8-byte length. */
		if (kv->arr_len > remaining(c) / 8)
			return fail(c, GGUF_E_ARRAY, at,
				    "key '%.*s': %llu strings cannot fit",
				    (int)kv->key.len, kv->key.ptr,
				    (unsigned long long)kv->arr_len);
		for (uint64_t i = 0; i < kv->arr_len; i++) {
			struct gguf_str s;

			rc = rd_str(c, &s, UINT64_MAX, "array string");
			if (rc)
				return rc;
		}
		return GGUF_OK;
	}
	if (kv->arr_len > remaining(c) / scalar_size(t))
		return fail(c, GGUF_E_ARRAY, at,
			    "key '%.*s': %llu elements of %llu bytes cannot fit",
			    (int)kv->key.len, kv->key.ptr,
			    (unsigned long long)kv->arr_len,
			    (unsigned long long)scalar_size(t));
	return take(c, kv->arr_len * scalar_size(t), &p, "array data");
}

static int parse_tensor(struct cur *c, struct gguf_tensor *t)
{
	uint64_t at = c->pos, nel = 1, rows;
	uint32_t type;
	int rc;

	rc = rd_str(c, &t->name, GGUF_MAX_KEY_LEN, "tensor name");
	if (rc)
		return rc;
	at = c->pos;
	rc = rd_u32(c, &t->n_dims, "tensor rank");
	if (rc)
		return rc;
	if (t->n_dims == 0 || t->n_dims > GGUF_MAX_DIMS)
		return fail(c, GGUF_E_NDIMS, at, "tensor '%.*s' has %u dimensions",
			    (int)t->name.len, t->name.ptr, t->n_dims);
	for (uint32_t i = 0; i < GGUF_MAX_DIMS; i++)
		t->ne[i] = 1;
	for (uint32_t i = 0; i < t->n_dims; i++) {
		at = c->pos;
		rc = rd_u64(c, &t->ne[i], "tensor dimension");
		if (rc)
			return rc;
		if (t->ne[i] == 0 || t->ne[i] > (uint64_t)INT64_MAX / nel)
			return fail(c, GGUF_E_DIM, at,
				    "tensor '%.*s' dimension %u is %llu",
				    (int)t->name.len, t->name.ptr, i,
				    (unsigned long long)t->ne[i]);
		nel *= t->ne[i];
	}
	at = c->pos;
	rc = rd_u32(c, &type, "tensor type");
	if (rc)
		return rc;
	if (type != GGML_TYPE_F32 && type != GGML_TYPE_F16 &&
	    type != GGML_TYPE_Q8_0)
		return fail(c, GGUF_E_TENSOR_TYPE, at,
			    "tensor '%.*s' has ggml type %u (F32, F16, Q8_0 only)",
			    (int)t->name.len, t->name.ptr, type);
	t->type = (enum ggml_type)type;
	if (t->type == GGML_TYPE_Q8_0 && t->ne[0] % QK8_0)
		return fail(c, GGUF_E_BLOCK, at,
			    "tensor '%.*s' q8_0 row of %llu elements",
			    (int)t->name.len, t->name.ptr,
			    (unsigned long long)t->ne[0]);
	rows = nel / t->ne[0];
	uint64_t rb = gguf_row_bytes(t->type, t->ne[0]);
	if (rb == 0 || rows > UINT64_MAX / rb)
		return fail(c, GGUF_E_DIM, at, "tensor '%.*s' size overflows",
			    (int)t->name.len, t->name.ptr);
	t->nbytes = rows * rb;
	at = c->pos;
	rc = rd_u64(c, &t->offset, "tensor offset");
	return rc;
}

int gguf_parse(struct gguf_file *f, const void *data, size_t size,
	       struct gguf_error *err)
{
	struct cur c = {.base = data, .size = size, .pos = 0, .err = err};
	const void **sorted = NULL;
	uint32_t magic;
	uint64_t at;
	int rc;

	if (err) {
		err->code = 0;
		err->offset = 0;
		err->msg[0] = 0;
	}
	if (!f)
		return GGUF_E_INVAL;
	memset(f, 0, sizeof(*f));
	if (!data && size)
		return fail(&c, GGUF_E_INVAL, 0, "NULL image");

	rc = rd_u32(&c, &magic, "magic");
	if (rc)
		return rc;
	if (magic != GGUF_MAGIC)
		return fail(&c, GGUF_E_MAGIC, 0, "magic is 0x%08x", magic);
	rc = rd_u32(&c, &f->version, "version");
	if (rc)
		return rc;
	if (f->version != GGUF_VERSION)
		return fail(&c, GGUF_E_VERSION, 4, "version %u, expected 3",
			    f->version);
	at = c.pos;
	if ((rc = rd_u64(&c, &f->n_tensors, "tensor count")) ||
	    (rc = rd_u64(&c, &f->n_kv, "metadata count")))
		return rc;
	/* Each tensor info takes >= 8+4+8+4+8 bytes, each kv >= 8+1+4+1. */
	if (f->n_tensors > GGUF_MAX_TENSORS || f->n_tensors > remaining(&c) / 32)
		return fail(&c, GGUF_E_COUNT, at, "%llu tensors",
			    (unsigned long long)f->n_tensors);
	if (f->n_kv > GGUF_MAX_KV || f->n_kv > remaining(&c) / 14)
		return fail(&c, GGUF_E_COUNT, at + 8, "%llu metadata entries",
			    (unsigned long long)f->n_kv);

	f->base = data;
	f->size = size;
	f->alignment = GGUF_DEFAULT_ALIGNMENT;
	f->kv = calloc(f->n_kv ? f->n_kv : 1, sizeof(*f->kv));
	f->tensors = calloc(f->n_tensors ? f->n_tensors : 1, sizeof(*f->tensors));
	uint64_t nsort = f->n_kv > f->n_tensors ? f->n_kv : f->n_tensors;
	sorted = calloc(nsort ? nsort : 1, sizeof(*sorted));
	if (!f->kv || !f->tensors || !sorted) {
		rc = fail(&c, GGUF_E_NOMEM, 0, "index allocation");
		goto out;
	}

	for (uint64_t i = 0; i < f->n_kv; i++) {
		rc = parse_kv(&c, &f->kv[i]);
		if (rc)
			goto out;
		sorted[i] = &f->kv[i];
	}
	if (f->n_kv > 1) {
		qsort(sorted, f->n_kv, sizeof(*sorted), cmp_kv);
		for (uint64_t i = 1; i < f->n_kv; i++)
			if (cmp_kv(&sorted[i - 1], &sorted[i]) == 0) {
				const struct gguf_kv *k = sorted[i];
				rc = fail(&c, GGUF_E_DUP_KEY,
					  (uint64_t)(k->key.ptr - (const char *)f->base),
					  "key '%.*s'", (int)k->key.len, k->key.ptr);
				goto out;
			}
	}
	const struct gguf_kv *al = gguf_find_kv(f, "general.alignment");
	if (al) {
		uint32_t a;

		if (al->type != GGUF_TYPE_UINT32) {
			rc = fail(&c, GGUF_E_ALIGNMENT,
				  (uint64_t)(al->data - f->base),
				  "general.alignment must be uint32");
			goto out;
		}
		memcpy(&a, al->data, 4);
		if (a == 0 || (a & (a - 1)) || a > GGUF_MAX_ALIGNMENT) {
			rc = fail(&c, GGUF_E_ALIGNMENT,
				  (uint64_t)(al->data - f->base),
				  "general.alignment is %u", a);
			goto out;
		}
		f->alignment = a;
	}

	for (uint64_t i = 0; i < f->n_tensors; i++) {
		rc = parse_tensor(&c, &f->tensors[i]);
		if (rc)
			goto out;
		sorted[i] = &f->tensors[i];
	}
	if (f->n_tensors > 1) {
		qsort(sorted, f->n_tensors, sizeof(*sorted), cmp_tname);
		for (uint64_t i = 1; i < f->n_tensors; i++)
			if (cmp_tname(&sorted[i - 1], &sorted[i]) == 0) {
				const struct gguf_tensor *t = sorted[i];
				rc = fail(&c, GGUF_E_DUP_TENSOR,
					  (uint64_t)(t->name.ptr - (const char *)f->base),
					  "tensor '%.*s'", (int)t->name.len,
					  t->name.ptr);
				goto out;
			}
	}

	/* The data section starts at the next multiple of the alignment. */
	uint64_t pad = (f->alignment - c.pos % f->alignment) % f->alignment;
	f->data_offset = c.pos + pad;
	for (uint64_t i = 0; i < f->n_tensors; i++) {
		struct gguf_tensor *t = &f->tensors[i];

		if (t->offset % f->alignment) {
			rc = fail(&c, GGUF_E_OFFSET, f->data_offset,
				  "tensor '%.*s' offset %llu not a multiple of %u",
				  (int)t->name.len, t->name.ptr,
				  (unsigned long long)t->offset, f->alignment);
			goto out;
		}
		if (f->data_offset > size || t->offset > size - f->data_offset ||
		    t->nbytes > size - f->data_offset - t->offset) {
			rc = fail(&c, GGUF_E_BOUNDS, f->data_offset,
				  "tensor '%.*s' [%llu, +%llu) beyond file of %llu bytes",
				  (int)t->name.len, t->name.ptr,
				  (unsigned long long)t->offset,
				  (unsigned long long)t->nbytes,
				  (unsigned long long)size);
			goto out;
		}
		t->data = f->base + f->data_offset + t->offset;
	}
	if (f->n_tensors > 1) {
		qsort(sorted, f->n_tensors, sizeof(*sorted), cmp_toff);
		for (uint64_t i = 1; i < f->n_tensors; i++) {
			const struct gguf_tensor *a = sorted[i - 1], *b = sorted[i];

			if (a->offset + a->nbytes > b->offset) {
				rc = fail(&c, GGUF_E_OVERLAP,
					  f->data_offset + b->offset,
					  "tensors '%.*s' and '%.*s'",
					  (int)a->name.len, a->name.ptr,
					  (int)b->name.len, b->name.ptr);
				goto out;
			}
		}
	}
	rc = GGUF_OK;
out:
	free(sorted);
	if (rc)
		gguf_fini(f);
	return rc;
}

void gguf_fini(struct gguf_file *f)
{
	if (!f)
		return;
	free(f->kv);
	free(f->tensors);
	memset(f, 0, sizeof(*f));
}

const struct gguf_kv *gguf_find_kv(const struct gguf_file *f, const char *key)
{
	for (uint64_t i = 0; f && i < f->n_kv; i++)
		if (gguf_str_eq(f->kv[i].key, key))
			return &f->kv[i];
	return NULL;
}

const struct gguf_tensor *gguf_find_tensor(const struct gguf_file *f,
					   const char *name)
{
	for (uint64_t i = 0; f && i < f->n_tensors; i++)
		if (gguf_str_eq(f->tensors[i].name, name))
			return &f->tensors[i];
	return NULL;
}

bool gguf_kv_get_u64(const struct gguf_kv *kv, uint64_t *out)
{
	if (!kv)
		return false;
	switch (kv->type) {
	case GGUF_TYPE_UINT8: *out = kv->data[0]; return true;
	case GGUF_TYPE_INT8: {
		int8_t v; memcpy(&v, kv->data, 1);
		if (v < 0) return false;
		*out = (uint64_t)v; return true;
	}
	case GGUF_TYPE_UINT16: { uint16_t v; memcpy(&v, kv->data, 2); *out = v; return true; }
	case GGUF_TYPE_INT16: {
		int16_t v; memcpy(&v, kv->data, 2);
		if (v < 0) return false;
		*out = (uint64_t)v; return true;
	}
	case GGUF_TYPE_UINT32: { uint32_t v; memcpy(&v, kv->data, 4); *out = v; return true; }
	case GGUF_TYPE_INT32: {
		int32_t v; memcpy(&v, kv->data, 4);
		if (v < 0) return false;
		*out = (uint64_t)v; return true;
	}
	case GGUF_TYPE_UINT64: memcpy(out, kv->data, 8); return true;
	case GGUF_TYPE_INT64: {
		int64_t v; memcpy(&v, kv->data, 8);
		if (v < 0) return false;
		*out = (uint64_t)v; return true;
	}
	default:
		return false;
	}
}

bool gguf_kv_get_f32(const struct gguf_kv *kv, float *out)
{
	if (!kv)
		return false;
	if (kv->type == GGUF_TYPE_FLOAT32) {
		memcpy(out, kv->data, 4);
		return true;
	}
	if (kv->type == GGUF_TYPE_FLOAT64) {
		double d;
		memcpy(&d, kv->data, 8);
		*out = (float)d;
		return true;
	}
	return false;
}

bool gguf_kv_get_str(const struct gguf_kv *kv, struct gguf_str *out)
{
	if (!kv || kv->type != GGUF_TYPE_STRING)
		return false;
	*out = gguf_arr_next_str(&(const uint8_t *){kv->data});
	return true;
}

struct gguf_str gguf_arr_next_str(const uint8_t **cursor)
{
	struct gguf_str s;

	memcpy(&s.len, *cursor, 8);
	s.ptr = (const char *)*cursor + 8;
	*cursor += 8 + s.len;
	return s;
}
