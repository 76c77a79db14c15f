/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct csm itself (init, fini, stats) and the helpers shared by the call
 * implementations: object allocation and publication, range checks, and the
 * teardown primitives that every removal path goes through.
 */
#include "internal.h"

/* --- objects --------------------------------------------------------------- */

void *csm_obj_alloc(struct csm *csm, enum csm_alloc_kind kind, uint64_t owner,
		    size_t size)
{
	void *p = csm->ops->alloc(csm->plat, kind, owner, size);

	if (p)
		memset(p, 0, size);
	return p;
}

void csm_obj_free(struct csm *csm, enum csm_alloc_kind kind, uint64_t owner,
		  void *p, size_t size)
{
	csm->ops->free(csm->plat, kind, owner, p, size);
}

void *csm_lookup(const struct csm *csm, uint64_t id, enum csm_kind kind)
{
	struct csm_index_node *n;
	struct csm_obj *o;

	if (id == 0)
		return NULL;
	n = csm_index_get(&csm->ids, id);
	if (!n)
		return NULL;
	o = container_of(n, struct csm_obj, node);
	return o->kind == kind ? o : NULL;
}

int csm_obj_prepare(struct csm *csm, struct csm_obj *obj, enum csm_kind kind)
{
	uint64_t id = csm_idgen_next(&csm->idgen);

	if (id == 0)
		return CAEC_E_NOMEM;
	obj->id = id;
	obj->kind = kind;
	return 0;
}

void csm_obj_publish(struct csm *csm, struct csm_obj *obj)
{
	obj->node.key = obj->id;
	csm_index_insert(&csm->ids, &obj->node);
}

void csm_obj_unpublish(struct csm *csm, struct csm_obj *obj)
{
	csm_index_remove(&csm->ids, &obj->node);
}

/* --- ranges ---------------------------------------------------------------- */

int csm_range_check(const struct csm_realm *r, uint64_t base, uint64_t size)
{
	const struct csm_list *pos;

	if (size == 0)
		return CAEC_E_INVAL;
	if (base % CSM_GRANULE_SIZE || size % CSM_GRANULE_SIZE)
		return CAEC_E_ALIGN;
	if (base + size < base || base + size > r->ipa_limit)
		return CAEC_E_RANGE;
	list_for_each(pos, &r->ranges) {
		const struct csm_range *o =
			container_of(pos, struct csm_range, node);

		/* Half-open ranges, neither wraps: disjoint iff one ends first. */
		if (base < o->base + o->size && o->base < base + size)
			return CAEC_E_OVERLAP;
	}
	return 0;
}

/* --- grants ---------------------------------------------------------------- */

void csm_grant_mapping(const struct csm_grant *s, struct csm_mapping *m)
{
	memset(m, 0, sizeof(*m));
	m->realm_cookie = s->cons->cookie;
	m->realm_id = s->cons->obj.id;
	m->region_id = s->region->obj.id;
	m->grant_id = s->obj.id;
	m->mem_cookie = s->region->mem_cookie;
	m->prov_cookie = s->region->prov->cookie;
	m->base = s->range.base;
	m->size = s->range.size;
	m->perm = s->perm;
}

void csm_peer_event(struct csm *csm, const struct csm_grant *s,
		    enum csm_peer_event ev)
{
	if (csm->ops->peer_event)
		csm->ops->peer_event(csm->plat, s->region->prov->cookie,
				     s->region->obj.id, s->obj.id, ev);
}

void csm_grant_unbind(struct csm *csm, struct csm_grant *s,
		      enum csm_unmap_reason why)
{
	if (s->state == CSM_GRANT_ATTACHED) {
		struct csm_mapping m;

		/* The mapping goes before anything reports success. */
		csm_grant_mapping(s, &m);
		csm->ops->unmap(csm->plat, &m, why);
		csm->stats.attached--;
	}
	if (s->state != CSM_GRANT_GRANTED) {
		if (csm->ops->unreserve) {
			struct csm_mapping m;

			csm_grant_mapping(s, &m);
			csm->ops->unreserve(csm->plat, &m, why);
		}
		list_del(&s->range.node);
		s->range.base = s->range.size = 0;
		s->state = CSM_GRANT_GRANTED;
	}
}

void csm_grant_delete(struct csm *csm, struct csm_grant *s,
		      enum csm_unmap_reason why)
{
	csm_grant_unbind(csm, s, why);
	list_del(&s->reg_node);
	s->region->ngrants--;
	if (s->perm == CSM_PERM_RW)
		s->region->nrw--;
	list_del(&s->cons_node);
	s->cons->ngrants--;
	csm_obj_unpublish(csm, &s->obj);
	csm->stats.grants--;
	csm_obj_free(csm, CSM_ALLOC_GRANT, s->region->prov->cookie, s, sizeof(*s));
}

/* --- regions --------------------------------------------------------------- */

void csm_region_delete(struct csm *csm, struct csm_region *g,
		       enum csm_unmap_reason why, bool provider_dead)
{
	struct csm_realm *prov = g->prov;

	/*
	 * Every consumer is unmapped (inside csm_grant_delete) before the
	 * platform may scrub and reuse the memory.  Each grant is unlinked
	 * before it is freed, and the list head is re-read each time, so the
	 * walk never touches freed memory.
	 */
	while (!list_empty(&g->grants))
		csm_grant_delete(csm, container_of(g->grants.next,
						   struct csm_grant, reg_node),
				 why);
	list_del(&g->range.node);
	list_del(&g->prov_node);
	csm_obj_unpublish(csm, &g->obj);
	csm->stats.regions--;
	csm->ops->region_release(csm->plat, prov->cookie, g->obj.id,
				 g->mem_cookie, g->range.size, provider_dead);
	csm_obj_free(csm, CSM_ALLOC_REGION, prov->cookie, g, sizeof(*g));
}

/* --- struct csm ------------------------------------------------------------ */

int csm_init(struct csm **out, const struct csm_plat_ops *ops, void *plat)
{
	uint8_t key[CSM_IDGEN_KEY_LEN];
	struct csm *csm;
	int rc;

	if (!out)
		return CAEC_E_INVAL;
	*out = NULL;
	if (!ops || !ops->alloc || !ops->free || !ops->entropy ||
	    !ops->region_create || !ops->region_release || !ops->map ||
	    !ops->unmap)
		return CAEC_E_INVAL;

	csm = ops->alloc(plat, CSM_ALLOC_STATE, 0, sizeof(*csm));
	if (!csm)
		return CAEC_E_NOMEM;
	memset(csm, 0, sizeof(*csm));
	csm->ops = ops;
	csm->plat = plat;

	rc = ops->entropy(plat, key, sizeof(key));
	if (rc) {
		ops->free(plat, CSM_ALLOC_STATE, 0, csm, sizeof(*csm));
		return rc < 0 ? rc : CAEC_E_PLATFORM;
	}
	/* One key: IDs permute 8-byte counters, priorities hash 16 bytes. */
	csm_idgen_init(&csm->idgen, key);
	csm_index_init(&csm->ids, key);
	{
		volatile uint8_t *k = key;

		for (size_t i = 0; i < sizeof(key); i++)
			k[i] = 0;
	}
	list_init(&csm->realms);
	*out = csm;
	return 0;
}

void csm_fini(struct csm *csm)
{
	const struct csm_plat_ops *ops;
	void *plat;

	if (!csm)
		return;
	while (!list_empty(&csm->realms)) {
		struct csm_realm *r =
			container_of(csm->realms.next, struct csm_realm, node);

		(void)csm_realm_remove(csm, r->obj.id);
	}
	csm_index_wipe(&csm->ids);
	csm_idgen_wipe(&csm->idgen);
	ops = csm->ops;
	plat = csm->plat;
	ops->free(plat, CSM_ALLOC_STATE, 0, csm, sizeof(*csm));
}

void csm_get_stats(const struct csm *csm, struct csm_stats *st)
{
	if (!st)
		return;
	if (!csm) {
		memset(st, 0, sizeof(*st));
		return;
	}
	*st = csm->stats;
}
