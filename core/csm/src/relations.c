/* SPDX-License-Identifier: Apache-2.0 */
/* csm_relations(): what a realm grants, for its attestation token. */
#include "internal.h"

static void fill_region(struct csm_relation *out, const struct csm_region *g)
{
	out->region_id = g->obj.id;
	out->sealed = g->sealed;
	out->hash_len = g->sealed ? g->hash_len : 0;
	if (g->sealed)
		memcpy(out->hash, g->hash, g->hash_len);
}

int csm_relations(const struct csm *csm, uint64_t realm_id, uint64_t index,
		  struct csm_relation *out)
{
	const struct csm_realm *r;
	const struct csm_list *it, *jt;
	uint64_t i = 0;

	if (!csm || !out)
		return CAEC_E_INVAL;
	r = csm_lookup(csm, realm_id, CSM_KIND_REALM);
	if (!r)
		return CAEC_E_NOENT;
	memset(out, 0, sizeof(*out));
	list_for_each(it, &r->regions) {
		const struct csm_region *g = container_of(it, struct csm_region, prov_node);
		if (list_empty(&g->grants)) {
			if (i++ == index) {
				fill_region(out, g);
				out->provider = true;
				return 0;
			}
			continue;
		}
		list_for_each(jt, &g->grants) {
			const struct csm_grant *s = container_of(jt, struct csm_grant, reg_node);
			if (i++ != index)
				continue;
			fill_region(out, g);
			out->provider = true;
			out->grant_id = s->obj.id;
			out->peer_id = s->cons->obj.id;
			out->perm = s->perm;
			out->attached = s->state == CSM_GRANT_ATTACHED;
			return 0;
		}
	}
	list_for_each(it, &r->grants) {
		const struct csm_grant *s = container_of(it, struct csm_grant, cons_node);
		if (i++ != index)
			continue;
		fill_region(out, s->region);
		out->grant_id = s->obj.id;
		out->peer_id = s->region->prov->obj.id;
		out->perm = s->perm;
		out->attached = s->state == CSM_GRANT_ATTACHED;
		return 0;
	}
	return CAEC_E_NOENT;
}
