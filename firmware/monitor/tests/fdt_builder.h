/*
 * A minimal flattened-device-tree writer for the native tests: nodes,
 * properties, then a version-17 blob (header, empty reservation map,
 * structure block, strings block), with hooks to damage it afterwards.
 */
#ifndef FDT_BUILDER_H
#define FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

struct fdtb {
	uint8_t st[8192];
	size_t st_len;
	char str[2048];
	size_t str_len;
};

void fdtb_init(struct fdtb *b);
void fdtb_token(struct fdtb *b, uint32_t tok);	/* a bare token (NOP, END, bad ones) */
void fdtb_begin(struct fdtb *b, const char *name);
void fdtb_end(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *val, uint32_t len);
void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *s);
/* reg with `n` (address, size) pairs in ac/sc cells each. */
void fdtb_prop_reg(struct fdtb *b, unsigned int ac, unsigned int sc, const uint64_t *pairs,
		   unsigned int n);
/* Blob in out (up to cap bytes); returns its totalsize.  Adds FDT_END. */
size_t fdtb_finish(struct fdtb *b, uint8_t *out, size_t cap);

/* Header field access (big-endian) at byte offset off of the blob. */
uint32_t fdtb_get32(const uint8_t *blob, size_t off);
void fdtb_set32(uint8_t *blob, size_t off, uint32_t v);

#define FDTH_TOTALSIZE	4U
#define FDTH_OFF_STRUCT	8U
#define FDTH_OFF_STR	12U
#define FDTH_VERSION	20U
#define FDTH_LAST_COMP	24U
#define FDTH_SIZE_STR	32U
#define FDTH_SIZE_STRUCT 36U

#endif /* FDT_BUILDER_H */
