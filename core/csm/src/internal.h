/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to core/csm/src: the objects behind struct csm and the helpers the
 * call implementations share.  docs/csm-state-machine.md describes them.
 */
#ifndef CSM_INTERNAL_H
#define CSM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <csm/csm.h>
#include <csm/idgen.h>
#include <csm/index.h>

/* --- intrusive doubly-linked lists (circular, with a head node) --------- */

struct csm_list {
	struct csm_list *prev, *next;
};

static inline void list_init(struct csm_list *h)
{
	h->prev = h->next = h;
}

static inline bool list_empty(const struct csm_list *h)
{
	return h->next == h;
}

/* Append n at the tail of h (so walking from head gives insertion order). */
static inline void list_add_tail(struct csm_list *h, struct csm_list *n)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct csm_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* --- objects ------------------------------------------------------------- */

enum csm_kind {
	CSM_KIND_REALM = 1,
	CSM_KIND_REGION = 2,
	CSM_KIND_GRANT = 3,
};

/* Common head of every object indexed in csm->ids (first member). */
struct csm_obj {
	uint64_t id;                 /* == node.key while indexed */
	enum csm_kind kind;
	struct csm_index_node node;
};

/* A half-open IPA range [base, base+size) that belongs to one realm. */
struct csm_range {
	uint64_t base, size;
	struct csm_list node;  /* in realm->ranges while in use */
};

struct csm_realm {
	struct csm_obj obj;
	uint64_t cookie;
	uint64_t ipa_limit;
	uint32_t rim_len;
	uint8_t rim[CSM_HASH_MAX];
	struct csm_list regions;  /* csm_region.prov_node: regions it provides */
	struct csm_list grants;   /* csm_grant.cons_node: granted to it, in order */
	struct csm_list ranges;   /* csm_range.node: its CSM ranges */
	struct csm_list node;     /* in csm->realms */
	uint64_t ngrants;
};

struct csm_region {
	struct csm_obj obj;
	struct csm_realm *prov;
	uint64_t mem_cookie;
	struct csm_range range;   /* base/size; always on prov->ranges */
	bool sealed;
	uint32_t hash_len;
	uint8_t hash[CSM_HASH_MAX];
	struct csm_list grants;   /* csm_grant.reg_node */
	struct csm_list prov_node;
	uint64_t ngrants;
	uint64_t nrw;             /* grants with CSM_PERM_RW */
};

enum csm_grant_state {
	CSM_GRANT_GRANTED = 1,
	CSM_GRANT_RESERVED = 2,
	CSM_GRANT_ATTACHED = 3,
};

struct csm_grant {
	struct csm_obj obj;
	struct csm_region *region;
	struct csm_realm *cons;
	unsigned perm;
	enum csm_grant_state state;
	struct csm_policy policy;
	struct csm_range range;   /* reserved range; on cons->ranges unless GRANTED */
	struct csm_list reg_node;
	struct csm_list cons_node;
};

struct csm {
	const struct csm_plat_ops *ops;
	void *plat;
	struct csm_idgen idgen;
	struct csm_index ids;      /* every realm, region and grant by ID */
	struct csm_list realms;    /* csm_realm.node, in join order */
	struct csm_stats stats;
};

/* Every object fits the platform's allocation unit (csm.h). */
_Static_assert(sizeof(struct csm) <= CSM_ALLOC_MAX, "state fits CSM_ALLOC_MAX");
_Static_assert(sizeof(struct csm_realm) <= CSM_ALLOC_MAX, "realm fits CSM_ALLOC_MAX");
_Static_assert(sizeof(struct csm_region) <= CSM_ALLOC_MAX, "region fits CSM_ALLOC_MAX");
_Static_assert(sizeof(struct csm_grant) <= CSM_ALLOC_MAX, "grant fits CSM_ALLOC_MAX");

/* --- helpers (core.c) ---------------------------------------------------- */

/* A zeroed object of `kind` charged to the realm with cookie `owner`. */
void *csm_obj_alloc(struct csm *csm, enum csm_alloc_kind kind, uint64_t owner,
		    size_t size);
void csm_obj_free(struct csm *csm, enum csm_alloc_kind kind, uint64_t owner,
		  void *p, size_t size);

/* The object with this ID if it is of that kind, else NULL. */
void *csm_lookup(const struct csm *csm, uint64_t id, enum csm_kind kind);

/*
 * Draw an ID for a new object (into obj->id).  Indexing cannot fail, so
 * csm_obj_publish() may come at the end of the call, after every fallible
 * step.  CAEC_E_NOMEM once the 2^64 IDs are used up.
 */
int csm_obj_prepare(struct csm *csm, struct csm_obj *obj, enum csm_kind kind);
void csm_obj_publish(struct csm *csm, struct csm_obj *obj);
void csm_obj_unpublish(struct csm *csm, struct csm_obj *obj);

/*
 * Range checks for a new CSM range of realm r: CAEC_E_INVAL (size 0),
 * CAEC_E_ALIGN, CAEC_E_RANGE (wrap or past ipa_limit), CAEC_E_OVERLAP.
 */
int csm_range_check(const struct csm_realm *r, uint64_t base, uint64_t size);

/* Fill a mapping descriptor for grant s. */
void csm_grant_mapping(const struct csm_grant *s, struct csm_mapping *m);

/* Tell the provider of s about ev, if the platform wants events. */
void csm_peer_event(struct csm *csm, const struct csm_grant *s,
		    enum csm_peer_event ev);

/*
 * Teardown (cannot fail).  csm_grant_delete: unmap the consumer if attached
 * (why), drop its reservation, unlink and free the grant.
 * csm_region_delete: delete every grant (why), then release the region.
 */
void csm_grant_delete(struct csm *csm, struct csm_grant *s,
		      enum csm_unmap_reason why);
void csm_region_delete(struct csm *csm, struct csm_region *g,
		       enum csm_unmap_reason why, bool provider_dead);

/* Drop grant s's reservation/attachment (unmapping first if attached). */
void csm_grant_unbind(struct csm *csm, struct csm_grant *s,
		      enum csm_unmap_reason why);

#endif /* CSM_INTERNAL_H */
