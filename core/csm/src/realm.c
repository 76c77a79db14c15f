/* SPDX-License-Identifier: Apache-2.0 */
/* Realms: join, death (full teardown), existence. */
#include "internal.h"

int csm_realm_add(struct csm *csm, uint64_t cookie, const uint8_t *rim,
		  size_t rim_len, uint64_t ipa_limit, uint64_t *realm_id)
{
	struct csm_realm *r;
	int rc;

	if (!csm || !realm_id || rim_len > CSM_HASH_MAX || (!rim && rim_len))
		return CAEC_E_INVAL;

	r = csm_obj_alloc(csm, CSM_ALLOC_REALM, cookie, sizeof(*r));
	if (!r)
		return CAEC_E_NOMEM;
	rc = csm_obj_prepare(csm, &r->obj, CSM_KIND_REALM);
	if (rc) {
		csm_obj_free(csm, CSM_ALLOC_REALM, cookie, r, sizeof(*r));
		return rc;
	}
	r->cookie = cookie;
	r->ipa_limit = ipa_limit;
	r->rim_len = (uint32_t)rim_len;
	if (rim_len)
		memcpy(r->rim, rim, rim_len);
	list_init(&r->regions);
	list_init(&r->grants);
	list_init(&r->ranges);
	list_add_tail(&csm->realms, &r->node);
	csm_obj_publish(csm, &r->obj);
	csm->stats.realms++;
	*realm_id = r->obj.id;
	return 0;
}

int csm_realm_remove(struct csm *csm, uint64_t realm_id)
{
	struct csm_realm *r;

	if (!csm)
		return CAEC_E_INVAL;
	r = csm_lookup(csm, realm_id, CSM_KIND_REALM);
	if (!r)
		return CAEC_E_NOENT;

	/*
	 * 1. As consumer: drop every grant made to it.  The mapping goes
	 *    first (CSM_UNMAP_DEATH), then the provider hears DETACHED (if it
	 *    was attached) and GONE, then the grant is freed.  A realm never
	 *    consumes its own region, so no grant met here belongs to a
	 *    region deleted in step 2.
	 */
	while (!list_empty(&r->grants)) {
		struct csm_grant *s =
			container_of(r->grants.next, struct csm_grant, cons_node);
		bool attached = s->state == CSM_GRANT_ATTACHED;

		csm_grant_unbind(csm, s, CSM_UNMAP_DEATH);
		if (attached)
			csm_peer_event(csm, s, CSM_PEER_DETACHED);
		csm_peer_event(csm, s, CSM_PEER_GONE);
		csm_grant_delete(csm, s, CSM_UNMAP_DEATH);
	}

	/*
	 * 2. As provider: destroy every region it provides; each consumer is
	 *    unmapped (CSM_UNMAP_DEATH) before the region is released.  The
	 *    dead provider gets no peer events.
	 */
	while (!list_empty(&r->regions))
		csm_region_delete(csm, container_of(r->regions.next,
						    struct csm_region, prov_node),
				  CSM_UNMAP_DEATH, true);

	list_del(&r->node);
	csm_obj_unpublish(csm, &r->obj);
	csm->stats.realms--;
	csm_obj_free(csm, CSM_ALLOC_REALM, r->cookie, r, sizeof(*r));
	return 0;
}

bool csm_realm_exists(const struct csm *csm, uint64_t realm_id)
{
	return csm && csm_lookup(csm, realm_id, CSM_KIND_REALM) != NULL;
}
