/* SPDX-License-Identifier: Apache-2.0 */
/* Growable open-addressing hash table, ID -> pointer (see csm/table.h). */
#include <string.h>

#include <csm/table.h>

#define TABLE_MIN_CAP 16u

/* splitmix64's finaliser: spreads any key over all bits. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static inline size_t home_slot(uint64_t key, size_t cap)
{
	return (size_t)(mix64(key) & (cap - 1));
}

void csm_table_init(struct csm_table *t, const struct csm_plat_ops *ops,
		    void *plat)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->plat = plat;
}

void csm_table_fini(struct csm_table *t)
{
	if (t->slots)
		t->ops->free(t->plat, t->slots, t->cap * sizeof(*t->slots));
	t->slots = NULL;
	t->cap = t->count = t->reserved = 0;
}

static size_t find(const struct csm_table *t, uint64_t key, bool *found)
{
	size_t mask = t->cap - 1, i = home_slot(key, t->cap);

	/* Load <= 1/2 guarantees an empty slot, so the loop ends. */
	while (t->slots[i].key != 0) {
		if (t->slots[i].key == key) {
			*found = true;
			return i;
		}
		i = (i + 1) & mask;
	}
	*found = false;
	return i;
}

void *csm_table_get(const struct csm_table *t, uint64_t key)
{
	bool found;
	size_t i;

	if (key == 0 || t->cap == 0)
		return NULL;
	i = find(t, key, &found);
	return found ? t->slots[i].val : NULL;
}

/* Move every entry into a new array of new_cap slots.  0 or NOMEM. */
static int rehash(struct csm_table *t, size_t new_cap)
{
	struct csm_table_slot *old = t->slots, *ns;
	size_t old_cap = t->cap;

	if (new_cap > SIZE_MAX / sizeof(*ns))
		return CAEC_E_NOMEM;
	ns = t->ops->alloc(t->plat, new_cap * sizeof(*ns));
	if (!ns)
		return CAEC_E_NOMEM;
	memset(ns, 0, new_cap * sizeof(*ns));
	t->slots = ns;
	t->cap = new_cap;
	for (size_t i = 0; i < old_cap; i++) {
		bool found;
		size_t j;

		if (old[i].key == 0)
			continue;
		j = find(t, old[i].key, &found);
		ns[j] = old[i];
	}
	if (old)
		t->ops->free(t->plat, old, old_cap * sizeof(*old));
	return 0;
}

int csm_table_reserve(struct csm_table *t)
{
	size_t need = t->count + t->reserved + 1;

	if (need > SIZE_MAX / 4)
		return CAEC_E_NOMEM;
	if (need * 2 > t->cap) {
		size_t cap = t->cap ? t->cap : TABLE_MIN_CAP;
		int rc;

		while (need * 2 > cap)
			cap *= 2;
		rc = rehash(t, cap);
		if (rc)
			return rc;
	}
	t->reserved++;
	return 0;
}

void csm_table_unreserve(struct csm_table *t)
{
	if (t->reserved)
		t->reserved--;
}

void csm_table_put(struct csm_table *t, uint64_t key, void *val)
{
	bool found;
	size_t i;

	/* Callers guarantee key != 0, absent, and a reservation. */
	i = find(t, key, &found);
	t->slots[i].key = key;
	t->slots[i].val = val;
	t->count++;
	if (t->reserved)
		t->reserved--;
}

void *csm_table_remove(struct csm_table *t, uint64_t key)
{
	size_t mask, i, j;
	bool found;
	void *val;

	if (key == 0 || t->cap == 0)
		return NULL;
	i = find(t, key, &found);
	if (!found)
		return NULL;
	val = t->slots[i].val;
	mask = t->cap - 1;

	/*
	 * Backward-shift deletion: walk the cluster after the hole and pull
	 * back every entry whose home slot is not cyclically within
	 * (hole, its position], so no probe sequence crosses an empty slot.
	 */
	j = i;
	for (;;) {
		size_t k;

		j = (j + 1) & mask;
		if (t->slots[j].key == 0)
			break;
		k = home_slot(t->slots[j].key, t->cap);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->slots[i] = t->slots[j];
		i = j;
	}
	t->slots[i].key = 0;
	t->slots[i].val = NULL;
	t->count--;

	/* Shrink when sparse; on allocation failure keep the larger array. */
	if (t->cap > TABLE_MIN_CAP && (t->count + t->reserved) * 8 < t->cap)
		(void)rehash(t, t->cap / 2);
	return val;
}
