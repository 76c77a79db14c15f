/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file csm/index.h
 * @brief Internal to core/csm: the ID index, an intrusive treap.
 *
 * Not part of the CSM interface; exposed only for the unit tests.  Every
 * realm, region and grant embeds one struct csm_index_node, so the index
 * needs no memory of its own: inserting never allocates and cannot fail,
 * and all the memory of the CSM state is the objects themselves, each
 * charged to the realm that owns it (see csm_plat_ops.alloc).  That is
 * what lets the RMM keep CSM metadata in granules a host donated to one
 * realm: there is no shared table that would have to grow into ever
 * larger blocks, or that one realm's growth would charge to another.
 *
 * A treap is a binary search tree on the key that is also a max-heap on a
 * priority.  The priority of a node is SipHash-2-4 of its key under a
 * secret key, so the shape of the tree is that of a random binary search
 * tree on the keys present, whatever the order of insertions and
 * removals (a treap's shape depends only on its keys and priorities).
 * A realm sees its own IDs and decides which objects it keeps, but it
 * cannot see priorities, so it cannot make the tree deep: the expected
 * depth of every node is O(log n).  Lookups, insertions and removals are
 * iterative (parent pointers, rotations): no recursion on the RMM stack.
 *
 * Key 0 cannot be stored (IDs are never 0).
 *
 * Context: no OS calls, no allocation.
 * Ownership: the index borrows its nodes; the caller owns them.
 * Concurrency: none.
 */
#ifndef CSM_INDEX_H
#define CSM_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include <csm/idgen.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One node, embedded in the indexed object. */
struct csm_index_node {
	uint64_t key;                       /**< the ID, != 0 */
	uint64_t prio;                      /**< heap priority (set on insert) */
	struct csm_index_node *parent;
	struct csm_index_node *child[2];    /**< [0] smaller keys, [1] larger */
};

/** The index.  Treat as opaque. */
struct csm_index {
	struct csm_index_node *root;
	size_t count;
	uint8_t key[CSM_IDGEN_KEY_LEN];     /**< secret key of the priorities */
};

/** Start an empty index whose priorities are keyed with key. */
void csm_index_init(struct csm_index *ix, const uint8_t key[CSM_IDGEN_KEY_LEN]);

/** Overwrite the priority key (the nodes are not touched). */
void csm_index_wipe(struct csm_index *ix);

/** The node with this key, or NULL. */
struct csm_index_node *csm_index_get(const struct csm_index *ix, uint64_t key);

/**
 * Insert n, whose key is set, not 0 and not present.  Sets n's priority
 * and links.  Cannot fail.
 */
void csm_index_insert(struct csm_index *ix, struct csm_index_node *n);

/** Remove n, which is in the index.  Cannot fail. */
void csm_index_remove(struct csm_index *ix, struct csm_index_node *n);

/** Number of nodes. */
static inline size_t csm_index_count(const struct csm_index *ix)
{
	return ix->count;
}

/** Number of nodes on the longest root-to-leaf path (0 when empty). */
size_t csm_index_height(const struct csm_index *ix);

/**
 * Check the structure: search order, heap order on the priorities, the
 * priority of every node is the one its key gives, parent links, count.
 * @returns 0, or a negative number naming the broken rule.
 */
int csm_index_check(const struct csm_index *ix);

#ifdef __cplusplus
}
#endif
#endif /* CSM_INDEX_H */
