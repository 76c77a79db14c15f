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

/* The relation of grant s, seen from its consumer. */
static void fill_consumer(struct csm_relation *out, const struct csm_grant *s)
{
	memset(out, 0, sizeof(*out));
	fill_region(out, s->region);
	out->grant_id = s->obj.id;
	out->peer_id = s->region->prov->obj.id;
	out->perm = s->perm;
	out->attached = s->state == CSM_GRANT_ATTACHED;
}

/* Count (out == NULL) or list, from position *n on, what fits in cap. */
static void token_pass(const struct csm_realm *r, int pass, struct csm_relation *out,
		       size_t cap, size_t *n)
{
	const struct csm_list *it, *jt;

	if (pass == 0) {
		/* csm_relations()'s provider half, in its order. */
		list_for_each(it, &r->regions) {
			const struct csm_region *g = container_of(it, struct csm_region, prov_node);
			if (list_empty(&g->grants)) {
				if (out && *n < cap) {
					memset(&out[*n], 0, sizeof(out[*n]));
					fill_region(&out[*n], g);
					out[*n].provider = true;
				}
				(*n)++;
				continue;
			}
			list_for_each(jt, &g->grants) {
				const struct csm_grant *s = container_of(jt, struct csm_grant, reg_node);
				if (out && *n < cap) {
					struct csm_relation *o = &out[*n];
					memset(o, 0, sizeof(*o));
					fill_region(o, g);
					o->provider = true;
					o->grant_id = s->obj.id;
					o->peer_id = s->cons->obj.id;
					o->perm = s->perm;
					o->attached = s->state == CSM_GRANT_ATTACHED;
				}
				(*n)++;
			}
		}
		return;
	}
	/* Grants made to it: attached ones (pass 1), then the others (2). */
	list_for_each(it, &r->grants) {
		const struct csm_grant *s = container_of(it, struct csm_grant, cons_node);
		if ((s->state == CSM_GRANT_ATTACHED) != (pass == 1))
			continue;
		if (out && *n < cap)
			fill_consumer(&out[*n], s);
		(*n)++;
	}
}

int csm_token_relations(const struct csm *csm, uint64_t realm_id,
			struct csm_relation *out, size_t cap, uint64_t *omitted)
{
	const struct csm_realm *r;
	size_t total = 0, n = 0, room;
	int pass;

	if (!csm || !out || !omitted || cap == 0 || cap > INT32_MAX)
		return CAEC_E_INVAL;
	*omitted = 0;
	r = csm_lookup(csm, realm_id, CSM_KIND_REALM);
	if (!r)
		return CAEC_E_NOENT;
	for (pass = 0; pass < 3; pass++)
		token_pass(r, pass, NULL, 0, &total);
	/* More than cap: the last place is the caller's summary entry. */
	room = total > cap ? cap - 1 : total;
	for (pass = 0; pass < 3 && n < room; pass++)
		token_pass(r, pass, out, room, &n);
	if (n > room)
		n = room;
	*omitted = total - n;
	return (int)n;
}
