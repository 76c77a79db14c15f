/* SPDX-License-Identifier: Apache-2.0 */
/* Consumer calls: CSM_GRANT_LIST, CSM_RESERVE, CSM_ATTACH, CSM_DETACH. */
#include "internal.h"

/*
 * The grant made to the caller, or NULL.  Unknown, revoked and foreign
 * grants look the same (the caller learns nothing about other realms).
 */
static struct csm_grant *granted(const struct csm *csm, uint64_t caller,
				 uint64_t grant_id)
{
	struct csm_grant *s = csm_lookup(csm, grant_id, CSM_KIND_GRANT);

	return (s && s->cons->obj.id == caller) ? s : NULL;
}

int csm_grant_list(const struct csm *csm, uint64_t caller, uint64_t index,
		   struct csm_grant_info *out)
{
	const struct csm_realm *r;
	const struct csm_list *pos;

	if (!csm || !out)
		return CAEC_E_INVAL;
	r = csm_lookup(csm, caller, CSM_KIND_REALM);
	if (!r || index >= r->ngrants)
		return CAEC_E_NOENT;
	list_for_each(pos, &r->grants) {
		const struct csm_grant *s =
			container_of(pos, struct csm_grant, cons_node);

		if (index--)
			continue;
		memset(out, 0, sizeof(*out));
		out->grant_id = s->obj.id;
		out->region_id = s->region->obj.id;
		out->provider_id = s->region->prov->obj.id;
		out->size = s->region->range.size;
		out->perm = s->perm;
		out->sealed = s->region->sealed;
		out->attached = s->state == CSM_GRANT_ATTACHED;
		return 0;
	}
	return CAEC_E_NOENT; /* not reached: ngrants counts the list */
}

int csm_reserve(struct csm *csm, uint64_t caller, uint64_t grant_id,
		uint64_t base, uint64_t size)
{
	struct csm_grant *s;
	int rc;

	if (!csm)
		return CAEC_E_INVAL;
	s = granted(csm, caller, grant_id);
	if (!s)
		return CAEC_E_DENIED;
	if (s->state != CSM_GRANT_GRANTED)
		return CAEC_E_STATE;
	if (size != s->region->range.size)
		return CAEC_E_INVAL;
	rc = csm_range_check(s->cons, base, size);
	if (rc)
		return rc;
	s->range.base = base;
	s->range.size = size;
	if (csm->ops->reserve) {
		struct csm_mapping m;

		/* The platform's step is the last one that can fail. */
		csm_grant_mapping(s, &m);
		rc = csm->ops->reserve(csm->plat, &m);
		if (rc) {
			s->range.base = s->range.size = 0;
			return rc < 0 ? rc : CAEC_E_PLATFORM;
		}
	}
	list_add_tail(&s->cons->ranges, &s->range.node);
	s->state = CSM_GRANT_RESERVED;
	return 0;
}

int csm_attach(struct csm *csm, uint64_t caller, uint64_t grant_id,
	       const uint8_t *expected_hash, size_t expected_hash_len,
	       struct csm_attach_info *info)
{
	const struct csm_region *g;
	struct csm_mapping m;
	struct csm_grant *s;
	int rc;

	if (!csm || (!expected_hash && expected_hash_len))
		return CAEC_E_INVAL;
	s = granted(csm, caller, grant_id);
	if (!s)
		return CAEC_E_DENIED;
	if (s->state != CSM_GRANT_RESERVED)
		return CAEC_E_STATE;
	/* Local attestation: the consumer's RIM must be the one expected. */
	if (s->policy.rim_len &&
	    (s->policy.rim_len != s->cons->rim_len ||
	     memcmp(s->policy.rim, s->cons->rim, s->policy.rim_len) != 0))
		return CAEC_E_DENIED;
	g = s->region;
	if (expected_hash_len &&
	    (!g->sealed || g->hash_len != expected_hash_len ||
	     memcmp(g->hash, expected_hash, expected_hash_len) != 0))
		return CAEC_E_HASH;

	csm_grant_mapping(s, &m);
	rc = csm->ops->map(csm->plat, &m);
	if (rc)
		return rc < 0 ? rc : CAEC_E_PLATFORM;
	s->state = CSM_GRANT_ATTACHED;
	csm->stats.attached++;
	csm_peer_event(csm, s, CSM_PEER_ATTACHED);

	if (info) {
		memset(info, 0, sizeof(*info));
		info->region_id = g->obj.id;
		info->provider_id = g->prov->obj.id;
		info->mem_cookie = g->mem_cookie;
		info->size = g->range.size;
		info->perm = s->perm;
		info->sealed = g->sealed;
		if (g->sealed) {
			info->hash_len = g->hash_len;
			memcpy(info->hash, g->hash, g->hash_len);
		}
	}
	return 0;
}

int csm_detach(struct csm *csm, uint64_t caller, uint64_t grant_id)
{
	struct csm_grant *s;
	bool attached;

	if (!csm)
		return CAEC_E_INVAL;
	s = granted(csm, caller, grant_id);
	if (!s)
		return CAEC_E_DENIED;
	if (s->state == CSM_GRANT_GRANTED)
		return CAEC_E_STATE;
	attached = s->state == CSM_GRANT_ATTACHED;
	csm_grant_unbind(csm, s, CSM_UNMAP_DETACH);
	if (attached)
		csm_peer_event(csm, s, CSM_PEER_DETACHED);
	return 0;
}

int csm_notify_target(const struct csm *csm, uint64_t caller, uint64_t grant_id,
		      uint64_t *target_id, uint64_t *target_cookie)
{
	const struct csm_grant *s;
	const struct csm_realm *t;

	if (!csm)
		return CAEC_E_INVAL;
	s = csm_lookup(csm, grant_id, CSM_KIND_GRANT);
	/* Unknown and foreign grants look the same (as for consumer calls). */
	if (!s)
		return CAEC_E_DENIED;
	if (s->cons->obj.id == caller)
		t = s->region->prov;
	else if (s->region->prov->obj.id == caller)
		t = s->cons;
	else
		return CAEC_E_DENIED;
	if (s->state != CSM_GRANT_ATTACHED)
		return CAEC_E_STATE;
	if (target_id)
		*target_id = t->obj.id;
	if (target_cookie)
		*target_cookie = t->cookie;
	return 0;
}
