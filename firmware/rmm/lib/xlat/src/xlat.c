/*
 * Building the RMM's stage-1 tables (see xlat.h).  xlat_map() first walks
 * the range without writing (overlaps, tables it would need), then writes:
 * a refused request leaves the tables as they were.
 */
#include <fw_utils.h>
#include <string.h>
#include <xlat.h>

#define L1_SHIFT	30U
#define L2_SHIFT	21U
#define L3_SHIFT	12U
#define IDX(va, s)	((unsigned int)(((va) >> (s)) & (XLAT_ENTRIES - 1U)))
#define PA_LIMIT	(1UL << 48)

void xlat_init(struct xlat_ctx *c, xlat_table_t *pool, unsigned int pool_size)
{
	c->pool = pool;
	c->pool_size = pool_size;
	c->used = 1U;
	memset(pool[0], 0, sizeof(xlat_table_t));
}

uint64_t xlat_leaf_attrs(unsigned int flags)
{
	uint64_t d = XLAT_AF | XLAT_AP1_RES1;

	if ((flags & XLAT_MT_NORMAL) != 0U) {
		d |= ((uint64_t)XLAT_MAIR_NORMAL << XLAT_ATTR_INDX_SHIFT) | XLAT_SH_INNER;
	} else {
		d |= (uint64_t)XLAT_MAIR_DEVICE << XLAT_ATTR_INDX_SHIFT;
	}
	if ((flags & XLAT_RO) != 0U) {
		d |= XLAT_AP2_RO;
	}
	if ((flags & XLAT_EXEC) == 0U) {
		d |= XLAT_XN;
	}
	if ((flags & XLAT_NS_PAS) != 0U) {
		d |= XLAT_NS;
	}
	if ((flags & XLAT_NSE) != 0U) {
		d |= XLAT_NSE_BIT;
	}
	return d;
}

static uint64_t *next_table(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & XLAT_ADDR_MASK);
}

static bool is_table(uint64_t desc)
{
	return (desc & (XLAT_DESC_VALID | XLAT_DESC_TABLE)) == (XLAT_DESC_VALID | XLAT_DESC_TABLE);
}

/* A zeroed table from the pool, linked from *slot (commit pass only). */
static uint64_t *new_table(struct xlat_ctx *c, uint64_t *slot)
{
	uint64_t *t = c->pool[c->used++];

	memset(t, 0, sizeof(xlat_table_t));
	*slot = (uint64_t)(uintptr_t)t | XLAT_DESC_VALID | XLAT_DESC_TABLE;
	return t;
}

/*
 * One pass over the range.  commit = false: write nothing, count the
 * tables a commit would allocate in *need, report overlaps.  commit =
 * true: allocate and write (the dry run has shown it cannot fail).
 */
static enum xlat_status walk(struct xlat_ctx *c, uint64_t va, uint64_t pa, uint64_t size,
			     uint64_t attrs, bool commit, unsigned int *need)
{
	uint64_t end = va + size, counted_l1 = ~0UL, counted_l2 = ~0UL;

	while (va < end) {
		bool block = (va % XLAT_BLOCK_SIZE) == 0U && (pa % XLAT_BLOCK_SIZE) == 0U &&
			     end - va >= XLAT_BLOCK_SIZE;
		uint64_t *l1e = &c->pool[0][IDX(va, L1_SHIFT)];
		uint64_t *l2 = NULL, *l3 = NULL;

		if ((*l1e & XLAT_DESC_VALID) != 0U) {
			if (!is_table(*l1e)) {
				return XLAT_E_OVERLAP;
			}
			l2 = next_table(*l1e);
		} else if (commit) {
			l2 = new_table(c, l1e);
		} else if ((va >> L1_SHIFT) != counted_l1) {
			counted_l1 = va >> L1_SHIFT;
			(*need)++;
		}
		if (block) {
			if (l2 != NULL && (l2[IDX(va, L2_SHIFT)] & XLAT_DESC_VALID) != 0U) {
				return XLAT_E_OVERLAP;
			}
			if (commit) {
				l2[IDX(va, L2_SHIFT)] = pa | attrs | XLAT_DESC_VALID;
			}
			va += XLAT_BLOCK_SIZE;
			pa += XLAT_BLOCK_SIZE;
			continue;
		}
		if (l2 != NULL && (l2[IDX(va, L2_SHIFT)] & XLAT_DESC_VALID) != 0U) {
			if (!is_table(l2[IDX(va, L2_SHIFT)])) {
				return XLAT_E_OVERLAP;
			}
			l3 = next_table(l2[IDX(va, L2_SHIFT)]);
		} else if (commit) {
			l3 = new_table(c, &l2[IDX(va, L2_SHIFT)]);
		} else if ((va >> L2_SHIFT) != counted_l2) {
			counted_l2 = va >> L2_SHIFT;
			(*need)++;
		}
		if (l3 != NULL && (l3[IDX(va, L3_SHIFT)] & XLAT_DESC_VALID) != 0U) {
			return XLAT_E_OVERLAP;
		}
		if (commit) {
			l3[IDX(va, L3_SHIFT)] = pa | attrs | XLAT_DESC_VALID | XLAT_DESC_TABLE;
		}
		va += XLAT_PAGE_SIZE;
		pa += XLAT_PAGE_SIZE;
	}
	return XLAT_OK;
}

enum xlat_status xlat_map(struct xlat_ctx *c, uint64_t va, uint64_t pa, uint64_t size,
			  unsigned int flags)
{
	unsigned int need = 0U;
	enum xlat_status st;

	if (size == 0U || ((va | pa | size) & (XLAT_PAGE_SIZE - 1U)) != 0U) {
		return XLAT_E_ALIGN;
	}
	if (va >= (1UL << XLAT_VA_BITS) || size > (1UL << XLAT_VA_BITS) - va ||
	    pa >= PA_LIMIT || size > PA_LIMIT - pa) {
		return XLAT_E_RANGE;
	}
	if ((flags & (XLAT_RO | XLAT_EXEC)) == XLAT_EXEC) {
		return XLAT_E_ATTR;
	}
	st = walk(c, va, pa, size, 0UL, false, &need);
	if (st != XLAT_OK) {
		return st;
	}
	if (need > c->pool_size - c->used) {
		return XLAT_E_NOMEM;
	}
	return walk(c, va, pa, size, xlat_leaf_attrs(flags), true, &need);
}

uint64_t xlat_lookup(const struct xlat_ctx *c, uint64_t va, unsigned int *level)
{
	uint64_t e;

	*level = 0U;
	if (va >= (1UL << XLAT_VA_BITS)) {
		return 0UL;
	}
	e = c->pool[0][IDX(va, L1_SHIFT)];
	if (!is_table(e)) {
		return 0UL;	/* this RMM maps no 1 GB blocks */
	}
	e = next_table(e)[IDX(va, L2_SHIFT)];
	if ((e & XLAT_DESC_VALID) == 0U) {
		return 0UL;
	}
	if (!is_table(e)) {
		*level = 2U;
		return e;
	}
	e = next_table(e)[IDX(va, L3_SHIFT)];
	if ((e & XLAT_DESC_VALID) == 0U) {
		return 0UL;
	}
	*level = 3U;
	return e;
}
