/* SPDX-License-Identifier: Apache-2.0 */
/* The ID index: an intrusive treap with keyed priorities (see csm/index.h). */
#include <string.h>

#include <csm/index.h>

/*
 * Priority of a key: SipHash-2-4 of the 16-byte message "csm-prio" || key
 * (little-endian).  The ID generator hashes 8-byte messages under the same
 * kind of key, so the two uses never hash the same input.
 */
static uint64_t prio_of(const struct csm_index *ix, uint64_t key)
{
	uint8_t msg[16] = { 'c', 's', 'm', '-', 'p', 'r', 'i', 'o' };

	for (unsigned i = 0; i < 8; i++)
		msg[8 + i] = (uint8_t)(key >> (8u * i));
	return csm_siphash24(ix->key, msg, sizeof(msg));
}

void csm_index_init(struct csm_index *ix, const uint8_t key[CSM_IDGEN_KEY_LEN])
{
	ix->root = NULL;
	ix->count = 0;
	memcpy(ix->key, key, CSM_IDGEN_KEY_LEN);
}

void csm_index_wipe(struct csm_index *ix)
{
	volatile uint8_t *k = ix->key;

	for (size_t i = 0; i < sizeof(ix->key); i++)
		k[i] = 0;
}

struct csm_index_node *csm_index_get(const struct csm_index *ix, uint64_t key)
{
	struct csm_index_node *n = ix->root;

	while (n && n->key != key)
		n = n->child[key > n->key];
	return n;
}

/* Which child of its parent n is (n has a parent). */
static inline int side(const struct csm_index_node *n)
{
	return n->parent->child[1] == n;
}

/* Point whatever pointed at old (its parent's child, or the root) at n. */
static void replace_in_parent(struct csm_index *ix, struct csm_index_node *old,
			      struct csm_index_node *n)
{
	struct csm_index_node *p = old->parent;

	if (!p)
		ix->root = n;
	else
		p->child[side(old)] = n;
	if (n)
		n->parent = p;
}

/*
 * Rotate n above its parent p, keeping the search order: n's inner
 * subtree (the one between n and p in key order) moves under p.
 */
static void rotate_up(struct csm_index *ix, struct csm_index_node *n)
{
	struct csm_index_node *p = n->parent;
	int d = side(n);
	struct csm_index_node *inner = n->child[!d];

	replace_in_parent(ix, p, n);
	p->child[d] = inner;
	if (inner)
		inner->parent = p;
	n->child[!d] = p;
	p->parent = n;
}

void csm_index_insert(struct csm_index *ix, struct csm_index_node *n)
{
	struct csm_index_node *p = NULL, **link = &ix->root;

	n->prio = prio_of(ix, n->key);
	n->child[0] = n->child[1] = NULL;
	while (*link) {
		p = *link;
		link = &p->child[n->key > p->key];
	}
	*link = n;
	n->parent = p;
	/* Restore the heap order: float n up past lower priorities. */
	while (n->parent && n->parent->prio < n->prio)
		rotate_up(ix, n);
	ix->count++;
}

void csm_index_remove(struct csm_index *ix, struct csm_index_node *n)
{
	/*
	 * Sink n below its higher-priority child until it has at most one
	 * child (the heap order among the others is unchanged), then splice
	 * it out.
	 */
	while (n->child[0] && n->child[1])
		rotate_up(ix, n->child[n->child[1]->prio > n->child[0]->prio]);
	replace_in_parent(ix, n, n->child[0] ? n->child[0] : n->child[1]);
	n->parent = n->child[0] = n->child[1] = NULL;
	ix->count--;
}

/*
 * In-order walk with parent pointers, no stack: the first node of the
 * subtree at n, and the node after n.
 */
static const struct csm_index_node *leftmost(const struct csm_index_node *n)
{
	while (n && n->child[0])
		n = n->child[0];
	return n;
}

static const struct csm_index_node *next(const struct csm_index_node *n)
{
	if (n->child[1])
		return leftmost(n->child[1]);
	while (n->parent && side(n) == 1)
		n = n->parent;
	return n->parent;
}

static size_t depth(const struct csm_index_node *n)
{
	size_t d = 0;

	for (; n; n = n->parent)
		d++;
	return d;
}

size_t csm_index_height(const struct csm_index *ix)
{
	size_t h = 0;

	for (const struct csm_index_node *n = leftmost(ix->root); n; n = next(n))
		if (!n->child[0] && !n->child[1] && depth(n) > h)
			h = depth(n);
	return h;
}

int csm_index_check(const struct csm_index *ix)
{
	const struct csm_index_node *n, *prev = NULL;
	size_t count = 0;

	if (ix->root && ix->root->parent)
		return -1;
	for (n = leftmost(ix->root); n; prev = n, n = next(n)) {
		count++;
		if (n->key == 0 || (prev && prev->key >= n->key))
			return -2;  /* search order (and no duplicates) */
		if (n->prio != prio_of(ix, n->key))
			return -3;
		for (int d = 0; d < 2; d++) {
			const struct csm_index_node *c = n->child[d];

			if (c && c->parent != n)
				return -4;
			if (c && c->prio > n->prio)
				return -5;  /* heap order */
		}
		if (count > ix->count)
			return -6;  /* more nodes than counted (or a cycle) */
	}
	return count == ix->count ? 0 : -6;
}
