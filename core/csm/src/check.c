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

static int check_share(const struct csm *csm, const struct csm_share *s,
		       const struct csm_region *g)
{
	if (csm_lookup(csm, s->obj.id, CSM_KIND_SHARE) != s)
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
	case CSM_SHARE_GRANTED:
		if (!list_empty(&s->range.node))
			return -106;
		break;
	case CSM_SHARE_RESERVED:
	case CSM_SHARE_ATTACHED:
		if (s->range.size != g->range.size || !range_ok(s->cons, &s->range))
			return -107;
		break;
	default:
		return -108;
	}
	return 0;
}

static int check_region(const struct csm *csm, const struct csm_region *g,
			const struct csm_realm *r, uint64_t *nshares,
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
	list_for_each(pos, &g->shares) {
		const struct csm_share *s =
			container_of(pos, struct csm_share, reg_node);
		int rc = check_share(csm, s, g);

		if (rc)
			return rc;
		n++;
		rw += s->perm == CSM_PERM_RW;
		*nattached += s->state == CSM_SHARE_ATTACHED;
	}
	if (n != g->nshares || rw != g->nrw)
		return -204;
	*nshares += n;
	return 0;
}

int csm_check(const struct csm *csm)
{
	const struct csm_list *pos, *p2;
	uint64_t realms = 0, regions = 0, shares = 0, attached = 0, grants = 0;

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
					      r, &shares, &attached);

			if (rc)
				return rc;
			nreg++;
		}
		list_for_each(p2, &r->grants) {
			const struct csm_share *s =
				container_of(p2, struct csm_share, cons_node);

			if (s->cons != r || !on_list(&s->region->shares, &s->reg_node))
				return -303;
			ng++;
			nbound += s->state != CSM_SHARE_GRANTED;
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
		grants += ng;
	}
	if (grants != shares)
		return -307;
	if (realms != csm->stats.realms || regions != csm->stats.regions ||
	    shares != csm->stats.shares || attached != csm->stats.attached)
		return -308;
	if (csm_table_count(&csm->ids) != realms + regions + shares)
		return -309;
	return 0;
}
