/* SPDX-License-Identifier: Apache-2.0 */
/* csm_check(): verify the internal invariants (see csm/check.h). */
#include <csm/check.h>

#include "internal.h"

/* Is node n on list h? */
static bool on_list(const struct csm_list *h, const struct csm_list *n)
{
	const struct csm_list *pos;

	list_for_each(pos, h)
		if (pos == n)
			return true;
	return false;
}

static bool range_ok(const struct csm_realm *r, const struct csm_range *g)
{
	return g->size && g->base % CSM_GRANULE_SIZE == 0 &&
	       g->size % CSM_GRANULE_SIZE == 0 && g->base + g->size > g->base &&
	       g->base + g->size <= r->ipa_limit && on_list(&r->ranges, &g->node);
}

static int check_grant(const struct csm *csm, const struct csm_grant *s,
		       const struct csm_region *g)
{
	if (csm_lookup(csm, s->obj.id, CSM_KIND_GRANT) != s)
		return -101;
	if (s->region != g || s->cons == g->prov)
		return -102;
	if (csm_lookup(csm, s->cons->obj.id, CSM_KIND_REALM) != s->cons ||
	    !on_list(&s->cons->grants, &s->cons_node))
		return -103;
	if (s->perm != CSM_PERM_RO && s->perm != CSM_PERM_RW)
		return -104;
	if (g->sealed && s->perm == CSM_PERM_RW)
		return -105;
	switch (s->state) {
	case CSM_GRANT_GRANTED:
		if (!list_empty(&s->range.node))
			return -106;
		break;
	case CSM_GRANT_RESERVED:
	case CSM_GRANT_ATTACHED:
		if (s->range.size != g->range.size || !range_ok(s->cons, &s->range))
			return -107;
		break;
	default:
		return -108;
	}
	return 0;
}

static int check_region(const struct csm *csm, const struct csm_region *g,
			const struct csm_realm *r, uint64_t *ngrants,
			uint64_t *nattached)
{
	const struct csm_list *pos;
	uint64_t n = 0, rw = 0;

	if (csm_lookup(csm, g->obj.id, CSM_KIND_REGION) != g || g->prov != r)
		return -201;
	if (!range_ok(r, &g->range))
		return -202;
	if (g->hash_len > CSM_HASH_MAX || (!g->sealed && g->hash_len))
		return -203;
	list_for_each(pos, &g->grants) {
		const struct csm_grant *s =
			container_of(pos, struct csm_grant, reg_node);
		int rc = check_grant(csm, s, g);

		if (rc)
			return rc;
		n++;
		rw += s->perm == CSM_PERM_RW;
		*nattached += s->state == CSM_GRANT_ATTACHED;
	}
	if (n != g->ngrants || rw != g->nrw)
		return -204;
	*ngrants += n;
	return 0;
}

int csm_check(const struct csm *csm)
{
	const struct csm_list *pos, *p2;
	uint64_t realms = 0, regions = 0, grants = 0, attached = 0, received = 0;

	if (!csm)
		return CAEC_E_INVAL;
	list_for_each(pos, &csm->realms) {
		const struct csm_realm *r =
			container_of(pos, struct csm_realm, node);
		uint64_t nranges = 0, nreg = 0, ng = 0, nbound = 0;

		if (csm_lookup(csm, r->obj.id, CSM_KIND_REALM) != r)
			return -301;
		if (r->rim_len > CSM_HASH_MAX)
			return -302;
		realms++;
		list_for_each(p2, &r->regions) {
			int rc = check_region(csm, container_of(p2, struct csm_region,
								prov_node),
					      r, &grants, &attached);

			if (rc)
				return rc;
			nreg++;
		}
		list_for_each(p2, &r->grants) {
			const struct csm_grant *s =
				container_of(p2, struct csm_grant, cons_node);

			if (s->cons != r || !on_list(&s->region->grants, &s->reg_node))
				return -303;
			ng++;
			nbound += s->state != CSM_GRANT_GRANTED;
		}
		if (ng != r->ngrants)
			return -304;
		list_for_each(p2, &r->ranges) {
			const struct csm_range *a =
				container_of(p2, struct csm_range, node);
			const struct csm_list *p3;

			nranges++;
			/* Pairwise disjoint. */
			for (p3 = p2->next; p3 != &r->ranges; p3 = p3->next) {
				const struct csm_range *b =
					container_of(p3, struct csm_range, node);

				if (a->base < b->base + b->size &&
				    b->base < a->base + a->size)
					return -305;
			}
		}
		if (nranges != nreg + nbound)
			return -306;
		regions += nreg;
		received += ng;
	}
	if (received != grants)
		return -307;
	if (realms != csm->stats.realms || regions != csm->stats.regions ||
	    grants != csm->stats.grants || attached != csm->stats.attached)
		return -308;
	if (csm_index_count(&csm->ids) != realms + regions + grants)
		return -309;
	if (csm_index_check(&csm->ids) != 0)
		return -310;
	return 0;
}
