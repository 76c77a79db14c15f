/* SPDX-License-Identifier: Apache-2.0 */
/* Provider calls: CSM_SHARE, CSM_GRANT, CSM_REVOKE, CSM_UNSHARE, CSM_SEAL. */
#include "internal.h"

/* The region the caller provides: 0, CAEC_E_NOENT or CAEC_E_DENIED. */
static int own_region(const struct csm *csm, uint64_t caller, uint64_t id,
		      struct csm_region **out)
{
	struct csm_region *g = csm_lookup(csm, id, CSM_KIND_REGION);

	if (!g)
		return CAEC_E_NOENT;
	if (g->prov->obj.id != caller)
		return CAEC_E_DENIED;
	*out = g;
	return 0;
}

int csm_share(struct csm *csm, uint64_t caller, uint64_t base, uint64_t size,
	      uint64_t *region_id)
{
	struct csm_realm *r;
	struct csm_region *g;
	int rc;

	if (!csm || !region_id)
		return CAEC_E_INVAL;
	r = csm_lookup(csm, caller, CSM_KIND_REALM);
	if (!r)
		return CAEC_E_NOENT;
	rc = csm_range_check(r, base, size);
	if (rc)
		return rc;

	g = csm_obj_alloc(csm, CSM_ALLOC_REGION, r->cookie, sizeof(*g));
	if (!g)
		return CAEC_E_NOMEM;
	rc = csm_obj_prepare(csm, &g->obj, CSM_KIND_REGION);
	if (rc)
		goto err_free;
	/* The platform call is the last step that can fail. */
	rc = csm->ops->region_create(csm->plat, r->cookie, g->obj.id, base, size,
				     &g->mem_cookie);
	if (rc) {
		rc = rc < 0 ? rc : CAEC_E_PLATFORM;
		goto err_free;
	}

	g->prov = r;
	g->range.base = base;
	g->range.size = size;
	list_init(&g->grants);
	list_add_tail(&r->ranges, &g->range.node);
	list_add_tail(&r->regions, &g->prov_node);
	csm_obj_publish(csm, &g->obj);
	csm->stats.regions++;
	*region_id = g->obj.id;
	return 0;

err_free:
	csm_obj_free(csm, CSM_ALLOC_REGION, r->cookie, g, sizeof(*g));
	return rc;
}

/* Is region g already shared with realm c?  Walks the shorter list. */
static bool already_shared(const struct csm_region *g, const struct csm_realm *c)
{
	const struct csm_list *pos;

	if (g->ngrants <= c->ngrants) {
		list_for_each(pos, &g->grants)
			if (container_of(pos, struct csm_grant, reg_node)->cons == c)
				return true;
	} else {
		list_for_each(pos, &c->grants)
			if (container_of(pos, struct csm_grant, cons_node)->region == g)
				return true;
	}
	return false;
}

int csm_grant(struct csm *csm, uint64_t caller, uint64_t region_id,
	      uint64_t consumer, unsigned perm, const struct csm_policy *policy,
	      uint64_t *grant_id)
{
	struct csm_region *g;
	struct csm_realm *c;
	struct csm_grant *s;
	int rc;

	if (!csm || !grant_id || (perm != CSM_PERM_RO && perm != CSM_PERM_RW) ||
	    consumer == caller || (policy && policy->rim_len > CSM_HASH_MAX))
		return CAEC_E_INVAL;
	rc = own_region(csm, caller, region_id, &g);
	if (rc)
		return rc;
	c = csm_lookup(csm, consumer, CSM_KIND_REALM);
	if (!c)
		return CAEC_E_NOENT;
	if (g->sealed && perm == CSM_PERM_RW)
		return CAEC_E_PERM;
	if (already_shared(g, c))
		return CAEC_E_EXIST;

	/* A grant is charged to the provider: it is the provider's act. */
	s = csm_obj_alloc(csm, CSM_ALLOC_GRANT, g->prov->cookie, sizeof(*s));
	if (!s)
		return CAEC_E_NOMEM;
	rc = csm_obj_prepare(csm, &s->obj, CSM_KIND_GRANT);
	if (rc) {
		csm_obj_free(csm, CSM_ALLOC_GRANT, g->prov->cookie, s, sizeof(*s));
		return rc;
	}
	s->region = g;
	s->cons = c;
	s->perm = perm;
	s->state = CSM_GRANT_GRANTED;
	if (policy && policy->rim_len) {
		s->policy.rim_len = policy->rim_len;
		memcpy(s->policy.rim, policy->rim, policy->rim_len);
	}
	list_init(&s->range.node);
	list_add_tail(&g->grants, &s->reg_node);
	g->ngrants++;
	if (perm == CSM_PERM_RW)
		g->nrw++;
	list_add_tail(&c->grants, &s->cons_node);
	c->ngrants++;
	csm_obj_publish(csm, &s->obj);
	csm->stats.grants++;
	*grant_id = s->obj.id;
	return 0;
}

int csm_revoke(struct csm *csm, uint64_t caller, uint64_t grant_id)
{
	struct csm_grant *s;

	if (!csm)
		return CAEC_E_INVAL;
	s = csm_lookup(csm, grant_id, CSM_KIND_GRANT);
	if (!s)
		return CAEC_E_NOENT;
	if (s->region->prov->obj.id != caller)
		return CAEC_E_DENIED;
	/* Unmaps the consumer (if attached) before returning. */
	csm_grant_delete(csm, s, CSM_UNMAP_REVOKE);
	return 0;
}

int csm_unshare(struct csm *csm, uint64_t caller, uint64_t region_id)
{
	struct csm_region *g;
	int rc;

	if (!csm)
		return CAEC_E_INVAL;
	rc = own_region(csm, caller, region_id, &g);
	if (rc)
		return rc;
	csm_region_delete(csm, g, CSM_UNMAP_UNSHARE, false);
	return 0;
}

int csm_seal(struct csm *csm, uint64_t caller, uint64_t region_id,
	     uint8_t *hash, size_t cap, size_t *len)
{
	uint8_t buf[CSM_HASH_MAX];
	struct csm_region *g;
	size_t n = 0, pcap;
	int rc;

	if (!csm || !len || (!hash && cap))
		return CAEC_E_INVAL;
	rc = own_region(csm, caller, region_id, &g);
	if (rc)
		return rc;
	if (g->sealed || g->nrw)
		return CAEC_E_STATE;
	if (!csm->ops->seal)
		return CAEC_E_NOTSUP;
	if (cap == 0)
		return CAEC_E_RANGE;

	pcap = cap < CSM_HASH_MAX ? cap : CSM_HASH_MAX;
	rc = csm->ops->seal(csm->plat, g->prov->cookie, g->obj.id, g->mem_cookie,
			    g->range.size, buf, pcap, &n);
	if (rc)
		return rc < 0 ? rc : CAEC_E_PLATFORM;
	/*
	 * The platform has made the region read-only, so it is sealed
	 * whatever it reported.  A length outside (0, pcap] breaks the seal
	 * op's contract: keep the region sealed with no usable hash (no
	 * expected hash can then match) and report the platform fault.
	 */
	g->sealed = true;
	if (n == 0 || n > pcap) {
		g->hash_len = 0;
		return CAEC_E_PLATFORM;
	}
	g->hash_len = (uint32_t)n;
	memcpy(g->hash, buf, n);
	memcpy(hash, buf, n);
	*len = n;
	return 0;
}

int csm_region_query(const struct csm *csm, uint64_t caller, uint64_t region_id,
		     uint64_t *size, bool *sealed, uint64_t *mem_cookie)
{
	const struct csm_region *g;
	const struct csm_realm *c;

	if (!csm)
		return CAEC_E_INVAL;
	g = csm_lookup(csm, region_id, CSM_KIND_REGION);
	if (!g)
		return CAEC_E_NOENT;
	if (g->prov->obj.id != caller) {
		c = csm_lookup(csm, caller, CSM_KIND_REALM);
		if (!c || !already_shared(g, c))
			return CAEC_E_DENIED;
	}
	if (size)
		*size = g->range.size;
	if (sealed)
		*sealed = g->sealed;
	if (mem_cookie)
		*mem_cookie = g->mem_cookie;
	return 0;
}

int csm_region_find(const struct csm *csm, uint64_t realm_id, uint64_t ipa,
		    uint64_t *region_id, uint64_t *base, uint64_t *size)
{
	const struct csm_realm *r;
	const struct csm_list *pos;

	if (!csm)
		return CAEC_E_INVAL;
	r = csm_lookup(csm, realm_id, CSM_KIND_REALM);
	if (!r)
		return CAEC_E_NOENT;
	list_for_each(pos, &r->regions) {
		const struct csm_region *g =
			container_of(pos, struct csm_region, prov_node);

		/* base + size never wraps (csm_range_check). */
		if (ipa >= g->range.base && ipa - g->range.base < g->range.size) {
			if (region_id)
				*region_id = g->obj.id;
			if (base)
				*base = g->range.base;
			if (size)
				*size = g->range.size;
			return 0;
		}
	}
	return CAEC_E_NOENT;
}

long csm_region_for_each_mapping(const struct csm *csm, uint64_t region_id,
				 csm_mapping_fn fn, void *arg)
{
	const struct csm_region *g;
	const struct csm_list *pos;
	long n = 0;

	if (!csm || !fn)
		return CAEC_E_INVAL;
	g = csm_lookup(csm, region_id, CSM_KIND_REGION);
	if (!g)
		return CAEC_E_NOENT;
	list_for_each(pos, &g->grants) {
		const struct csm_grant *s =
			container_of(pos, struct csm_grant, reg_node);
		struct csm_mapping m;

		if (s->state != CSM_GRANT_ATTACHED)
			continue;
		csm_grant_mapping(s, &m);
		fn(arg, &m);
		n++;
	}
	return n;
}
