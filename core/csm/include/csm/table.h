/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file csm/table.h
 * @brief Internal to core/csm: a growable hash table from 64-bit ID to pointer.
 *
 * Not part of the CSM interface; exposed only for the unit tests.  Open
 * addressing with linear probing; deletion by backward shift (no
 * tombstones), so lookups stay short after any mix of inserts and removals.
 * The slot array comes from the injected allocator (csm_plat_ops.alloc) and
 * doubles when the load would pass 1/2; it halves (best effort) when the
 * load drops below 1/8.  There is no fixed capacity: only memory limits it.
 *
 * Key 0 marks an empty slot and cannot be stored (IDs are never 0).
 *
 * Insertion is split in two so that a caller can make every fallible step
 * before it changes anything: csm_table_reserve() may allocate and fail,
 * csm_table_put() after a successful reserve cannot fail.
 *
 * Context: no OS calls; allocation only through the ops given at init.
 * Ownership: the table owns its slot array; values are borrowed pointers.
 * Concurrency: none.
 */
#ifndef CSM_TABLE_H
#define CSM_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <csm/csm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One slot.  key 0: empty. */
struct csm_table_slot {
	uint64_t key;
	void *val;
};

/** The table.  Treat as opaque. */
struct csm_table {
	const struct csm_plat_ops *ops;
	void *plat;
	struct csm_table_slot *slots;  /**< cap slots, or NULL while cap == 0 */
	size_t cap;                    /**< 0 or a power of two */
	size_t count;                  /**< keys stored */
	size_t reserved;               /**< puts promised by csm_table_reserve */
};

/** Start an empty table (allocates nothing). */
void csm_table_init(struct csm_table *t, const struct csm_plat_ops *ops,
		    void *plat);

/** Free the slot array.  Values are not touched. */
void csm_table_fini(struct csm_table *t);

/** The value stored under key, or NULL. */
void *csm_table_get(const struct csm_table *t, uint64_t key);

/**
 * Make room so that one more csm_table_put() cannot fail.  Reservations
 * stack: each successful reserve covers exactly one put (or is given back
 * with csm_table_unreserve()).
 * @returns 0, or CAEC_E_NOMEM (table unchanged).
 */
int csm_table_reserve(struct csm_table *t);

/**
 * Store val under key (key != 0, not present).  Must follow a successful
 * csm_table_reserve().  Cannot fail.
 */
void csm_table_put(struct csm_table *t, uint64_t key, void *val);

/**
 * Drop a reservation that will not be used (the caller's operation failed
 * after csm_table_reserve()).
 */
void csm_table_unreserve(struct csm_table *t);

/**
 * Remove key.  @returns its value, or NULL if absent.  Never fails; may
 * shrink the slot array if memory is available.
 */
void *csm_table_remove(struct csm_table *t, uint64_t key);

/** Number of keys stored. */
static inline size_t csm_table_count(const struct csm_table *t)
{
	return t->count;
}

#ifdef __cplusplus
}
#endif
#endif /* CSM_TABLE_H */
