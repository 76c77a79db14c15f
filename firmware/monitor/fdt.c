/*
 * Bounds-checked walk of a flattened device tree for the /memory node
 * (see fdt.h).  Only byte loads: at EL3 the MMU is off, RAM is Device
 * memory and an unaligned wider load would fault.  All arithmetic on
 * offsets is done in uint64_t on values that are each below 2^32, so no
 * sum can wrap.
 */
#include <fdt.h>
#include <stdbool.h>

struct fdt_walk {
	const uint8_t *st;	/* structure block */
	uint64_t st_size;
	const uint8_t *str;	/* strings block */
	uint64_t str_size;
	unsigned int ac, sc;	/* root #address-cells, #size-cells */
};

/* The properties of the current child of the root that matter here. */
struct fdt_node {
	bool is_memory;
	const uint8_t *reg;
	uint64_t reg_len;
};

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
	       (uint32_t)p[3];
}

static uint64_t be_cells(const uint8_t *p, unsigned int cells)
{
	return (cells == 2U) ? (((uint64_t)be32(p) << 32) | be32(p + 4)) : be32(p);
}

static uint64_t align4(uint64_t v)
{
	return (v + 3U) & ~(uint64_t)3U;
}

/* Length of the NUL-terminated string at p[0..max), or -1 if unterminated. */
static int64_t bounded_strlen(const uint8_t *p, uint64_t max)
{
	uint64_t i;

	for (i = 0U; i < max; i++) {
		if (p[i] == 0U) {
			return (int64_t)i;
		}
	}
	return -1;
}

static bool str_eq(const uint8_t *p, uint64_t len, const char *s)
{
	uint64_t i;

	for (i = 0U; i < len; i++) {
		if (s[i] == '\0' || (char)p[i] != s[i]) {
			return false;
		}
	}
	return s[len] == '\0';
}

static enum fdt_status check_header(const uint8_t *b, size_t avail, struct fdt_walk *w)
{
	uint64_t total, off_st, off_str, size_st, size_str;

	if (avail < FDT_HEADER_SIZE) {
		return FDT_E_TRUNCATED;
	}
	if (be32(b) != FDT_MAGIC) {
		return FDT_E_MAGIC;
	}
	/* version >= 17 (has size_dt_struct), readable by a v17 parser */
	if (be32(b + 20) < 17U || be32(b + 24) > 17U) {
		return FDT_E_VERSION;
	}
	total = be32(b + 4);
	off_st = be32(b + 8);
	off_str = be32(b + 12);
	size_str = be32(b + 32);
	size_st = be32(b + 36);
	if (total < FDT_HEADER_SIZE || total > avail) {
		return FDT_E_TRUNCATED;
	}
	if (off_st < FDT_HEADER_SIZE || (off_st & 3U) != 0U || (size_st & 3U) != 0U ||
	    off_st + size_st > total || off_str < FDT_HEADER_SIZE || off_str + size_str > total) {
		return FDT_E_LAYOUT;
	}
	w->st = b + off_st;
	w->st_size = size_st;
	w->str = b + off_str;
	w->str_size = size_str;
	w->ac = 2U;	/* the specification's defaults */
	w->sc = 1U;
	return FDT_OK;
}

/* A root #address-cells / #size-cells property: one cell, 1 or 2. */
static enum fdt_status read_cells(const uint8_t *val, uint64_t len, unsigned int *out)
{
	uint32_t v;

	if (len != 4U) {
		return FDT_E_CELLS;
	}
	v = be32(val);
	if (v != 1U && v != 2U) {
		return FDT_E_CELLS;
	}
	*out = v;
	return FDT_OK;
}

/* The reg of a finished memory node: look for the entry at `base`. */
static enum fdt_status scan_reg(const struct fdt_walk *w, const struct fdt_node *n,
				uint64_t base, bool *found, uint64_t *size)
{
	uint64_t entry = 4U * ((uint64_t)w->ac + w->sc);
	uint64_t off;

	if (n->reg == NULL || n->reg_len == 0U || n->reg_len % entry != 0U) {
		return FDT_E_REG;
	}
	for (off = 0U; off < n->reg_len; off += entry) {
		uint64_t a = be_cells(n->reg + off, w->ac);
		uint64_t s = be_cells(n->reg + off + 4U * w->ac, w->sc);

		if (s != 0U && a + s - 1U < a) {
			return FDT_E_REG;	/* wraps around the address space */
		}
		if (a != base) {
			continue;
		}
		if (*found) {
			return FDT_E_REG;	/* two regions claim the base */
		}
		*found = true;
		*size = s;
	}
	return FDT_OK;
}

enum fdt_status fdt_dram_size(const void *blob, size_t avail, uint64_t base, uint64_t *size)
{
	struct fdt_walk w;
	struct fdt_node node = { false, NULL, 0U };
	/* Per depth: a child node has been seen (properties must come first). */
	bool child_seen[FDT_MAX_DEPTH + 1U];
	unsigned int depth = 0U;
	bool root_done = false, found = false;
	uint64_t pos = 0U, dram = 0U;
	enum fdt_status st;

	if (blob == NULL || size == NULL) {
		return FDT_E_TRUNCATED;
	}
	st = check_header(blob, avail, &w);
	if (st != FDT_OK) {
		return st;
	}
	child_seen[0] = false;
	for (;;) {
		uint32_t tok;

		if (pos + 4U > w.st_size) {
			return FDT_E_STRUCT;	/* ran off the block without FDT_END */
		}
		tok = be32(w.st + pos);
		pos += 4U;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			int64_t len = bounded_strlen(w.st + pos, w.st_size - pos);

			if (len < 0 || root_done || depth == FDT_MAX_DEPTH) {
				return FDT_E_STRUCT;
			}
			child_seen[depth] = true;
			depth++;
			child_seen[depth] = false;
			if (depth == 2U) {	/* a child of the root */
				node.is_memory = false;
				node.reg = NULL;
				node.reg_len = 0U;
			}
			pos = align4(pos + (uint64_t)len + 1U);
			break;
		}
		case FDT_END_NODE:
			if (depth == 0U) {
				return FDT_E_STRUCT;
			}
			if (depth == 2U && node.is_memory) {
				st = scan_reg(&w, &node, base, &found, &dram);
				if (st != FDT_OK) {
					return st;
				}
			}
			depth--;
			root_done = (depth == 0U);
			break;
		case FDT_PROP: {
			uint64_t len, nameoff;
			const uint8_t *val, *name;
			int64_t nlen;

			if (pos + 8U > w.st_size || depth == 0U || child_seen[depth]) {
				return FDT_E_STRUCT;
			}
			len = be32(w.st + pos);
			nameoff = be32(w.st + pos + 4U);
			pos += 8U;
			if (len > w.st_size - pos || nameoff >= w.str_size) {
				return FDT_E_STRUCT;
			}
			val = w.st + pos;
			name = w.str + nameoff;
			nlen = bounded_strlen(name, w.str_size - nameoff);
			if (nlen < 0) {
				return FDT_E_STRUCT;
			}
			pos = align4(pos + len);
			if (depth == 1U && str_eq(name, (uint64_t)nlen, "#address-cells")) {
				st = read_cells(val, len, &w.ac);
			} else if (depth == 1U && str_eq(name, (uint64_t)nlen, "#size-cells")) {
				st = read_cells(val, len, &w.sc);
			} else if (depth == 2U && str_eq(name, (uint64_t)nlen, "device_type")) {
				node.is_memory = (len == 7U && str_eq(val, 6U, "memory") && val[6] == 0U);
			} else if (depth == 2U && str_eq(name, (uint64_t)nlen, "reg")) {
				node.reg = val;
				node.reg_len = len;
			}
			if (st != FDT_OK) {
				return st;
			}
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (!root_done) {
				return FDT_E_STRUCT;
			}
			if (!found) {
				return FDT_E_NO_MEMORY;
			}
			*size = dram;
			return FDT_OK;
		default:
			return FDT_E_STRUCT;
		}
	}
}

const char *fdt_status_str(enum fdt_status st)
{
	switch (st) {
	case FDT_OK: return "ok";
	case FDT_E_TRUNCATED: return "truncated blob or totalsize beyond the area";
	case FDT_E_MAGIC: return "no FDT magic";
	case FDT_E_VERSION: return "FDT version not compatible with 17";
	case FDT_E_LAYOUT: return "FDT blocks outside the blob";
	case FDT_E_STRUCT: return "malformed FDT structure block";
	case FDT_E_CELLS: return "unsupported #address-cells/#size-cells";
	case FDT_E_REG: return "malformed memory reg property";
	case FDT_E_NO_MEMORY: return "no memory node at the DRAM base";
	default: return "unknown FDT error";
	}
}
