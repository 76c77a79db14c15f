/* The test FDT writer (fdt_builder.h). */
#include "fdt_builder.h"

#include <fdt.h>
#include <stdlib.h>
#include <string.h>

void fdtb_set32(uint8_t *blob, size_t off, uint32_t v)
{
	blob[off] = (uint8_t)(v >> 24);
	blob[off + 1U] = (uint8_t)(v >> 16);
	blob[off + 2U] = (uint8_t)(v >> 8);
	blob[off + 3U] = (uint8_t)v;
}

uint32_t fdtb_get32(const uint8_t *blob, size_t off)
{
	return ((uint32_t)blob[off] << 24) | ((uint32_t)blob[off + 1U] << 16) |
	       ((uint32_t)blob[off + 2U] << 8) | blob[off + 3U];
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

static void put(struct fdtb *b, const void *p, size_t n)
{
	if (b->st_len + n + 3U > sizeof(b->st)) {
		abort();
	}
	memcpy(b->st + b->st_len, p, n);
	b->st_len += n;
	while ((b->st_len & 3U) != 0U) {
		b->st[b->st_len++] = 0U;
	}
}

void fdtb_token(struct fdtb *b, uint32_t tok)
{
	uint8_t t[4];

	fdtb_set32(t, 0, tok);
	put(b, t, 4);
}

void fdtb_begin(struct fdtb *b, const char *name)
{
	fdtb_token(b, FDT_BEGIN_NODE);
	put(b, name, strlen(name) + 1U);
}

void fdtb_end(struct fdtb *b)
{
	fdtb_token(b, FDT_END_NODE);
}

static uint32_t str_off(struct fdtb *b, const char *name)
{
	size_t off = 0U, n = strlen(name) + 1U;

	while (off < b->str_len) {	/* reuse a string already there */
		if (strcmp(b->str + off, name) == 0) {
			return (uint32_t)off;
		}
		off += strlen(b->str + off) + 1U;
	}
	if (b->str_len + n > sizeof(b->str)) {
		abort();
	}
	memcpy(b->str + b->str_len, name, n);
	b->str_len += n;
	return (uint32_t)off;
}

void fdtb_prop(struct fdtb *b, const char *name, const void *val, uint32_t len)
{
	uint8_t h[8];

	fdtb_token(b, FDT_PROP);
	fdtb_set32(h, 0, len);
	fdtb_set32(h, 4, str_off(b, name));
	put(b, h, 8);
	if (len != 0U) {
		put(b, val, len);
	}
}

void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v)
{
	uint8_t c[4];

	fdtb_set32(c, 0, v);
	fdtb_prop(b, name, c, 4);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, (uint32_t)strlen(s) + 1U);
}

void fdtb_prop_reg(struct fdtb *b, unsigned int ac, unsigned int sc, const uint64_t *pairs,
		   unsigned int n)
{
	uint8_t v[256];
	size_t off = 0U;
	unsigned int i;

	for (i = 0U; i < 2U * n; i++) {
		unsigned int cells = (i % 2U == 0U) ? ac : sc;

		if (cells == 2U) {
			fdtb_set32(v, off, (uint32_t)(pairs[i] >> 32));
			off += 4U;
		}
		fdtb_set32(v, off, (uint32_t)pairs[i]);
		off += 4U;
	}
	fdtb_prop(b, "reg", v, (uint32_t)off);
}

size_t fdtb_finish(struct fdtb *b, uint8_t *out, size_t cap)
{
	size_t off_rsv = FDT_HEADER_SIZE, off_st = off_rsv + 16U, off_str, total;

	fdtb_token(b, FDT_END);
	off_str = off_st + b->st_len;
	total = off_str + b->str_len;
	if (total > cap) {
		abort();
	}
	memset(out, 0, total);
	fdtb_set32(out, 0, FDT_MAGIC);
	fdtb_set32(out, FDTH_TOTALSIZE, (uint32_t)total);
	fdtb_set32(out, FDTH_OFF_STRUCT, (uint32_t)off_st);
	fdtb_set32(out, FDTH_OFF_STR, (uint32_t)off_str);
	fdtb_set32(out, 16, (uint32_t)off_rsv);
	fdtb_set32(out, FDTH_VERSION, 17U);
	fdtb_set32(out, FDTH_LAST_COMP, 16U);
	fdtb_set32(out, FDTH_SIZE_STR, (uint32_t)b->str_len);
	fdtb_set32(out, FDTH_SIZE_STRUCT, (uint32_t)b->st_len);
	memcpy(out + off_st, b->st, b->st_len);
	memcpy(out + off_str, b->str, b->str_len);
	return total;
}
