/* SPDX-License-Identifier: Apache-2.0 */
/* The fake platform of the csm unit tests (see fake_plat.h). */
#include <stdlib.h>
#include <string.h>

#include "fake_plat.h"

#define HDR_MAGIC 0x63736d2d66616b65ull /* "csm-fake" */

struct alloc_hdr {
	uint64_t magic;
	uint64_t size;
	uint64_t owner;
	uint64_t kind;
};

/* The per-owner account of owner, created on first use. */
static struct fake_owner *owner_acct(struct fake_plat *f, uint64_t owner)
{
	for (size_t i = 0; i < f->nowners; i++)
		if (f->owners[i].owner == owner)
			return &f->owners[i];
	if (f->nowners == f->cap_owners) {
		size_t cap = f->cap_owners ? f->cap_owners * 2 : 16;
		struct fake_owner *n = realloc(f->owners, cap * sizeof(*n));

		if (!n)
			abort();
		f->owners = n;
		f->cap_owners = cap;
	}
	f->owners[f->nowners] = (struct fake_owner){ .owner = owner, .quota = -1 };
	return &f->owners[f->nowners++];
}

const struct fake_owner *fake_owner(const struct fake_plat *f, uint64_t owner)
{
	for (size_t i = 0; i < f->nowners; i++)
		if (f->owners[i].owner == owner)
			return &f->owners[i];
	return NULL;
}

void fake_set_quota(struct fake_plat *f, uint64_t owner, long quota)
{
	owner_acct(f, owner)->quota = quota;
}

static void *fake_alloc(void *plat, enum csm_alloc_kind kind, uint64_t owner,
			size_t size)
{
	struct fake_plat *f = plat;
	struct fake_owner *o;
	struct alloc_hdr *h;

	f->nalloc++;
	/* The contract: one small object, the state charged to nobody. */
	if (size > CSM_ALLOC_MAX || size == 0 || kind < CSM_ALLOC_STATE ||
	    kind > CSM_ALLOC_GRANT || (kind == CSM_ALLOC_STATE && owner != 0))
		f->violations++;
	if (size > f->max_alloc)
		f->max_alloc = size;
	if (f->fail_at && f->nalloc == f->fail_at) {
		f->nfailed++;
		return NULL;
	}
	o = owner_acct(f, owner);
	if (o->quota >= 0 && o->live_allocs >= (size_t)o->quota) {
		f->nfailed++;
		return NULL;
	}
	h = calloc(1, sizeof(*h) + size);
	if (!h)
		return NULL;
	h->magic = HDR_MAGIC;
	h->size = size;
	h->owner = owner;
	h->kind = (uint64_t)kind;
	f->live_bytes += size;
	f->live_allocs++;
	o->live_allocs++;
	o->kinds[kind]++;
	return h + 1;
}

static void fake_free(void *plat, enum csm_alloc_kind kind, uint64_t owner,
		      void *ptr, size_t size)
{
	struct fake_plat *f = plat;
	struct fake_owner *o;
	struct alloc_hdr *h;

	if (!ptr) {
		f->bad_frees++;
		return;
	}
	h = (struct alloc_hdr *)ptr - 1;
	if (h->magic != HDR_MAGIC || h->size != size || h->owner != owner ||
	    h->kind != (uint64_t)kind) {
		f->bad_frees++;
		return;
	}
	h->magic = 0;
	f->live_bytes -= size;
	f->live_allocs--;
	o = owner_acct(f, owner);
	o->live_allocs--;
	o->kinds[kind]--;
	free(h);
}

static int fake_entropy(void *plat, void *buf, size_t len)
{
	struct fake_plat *f = plat;
	uint8_t *b = buf;

	if (f->entropy_rc)
		return f->entropy_rc;
	for (size_t i = 0; i < len; i++) {
		/* splitmix64 stream: deterministic per seed. */
		uint64_t z = (f->entropy_seed += 0x9e3779b97f4a7c15ull);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		b[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

static void record(struct fake_plat *f, const struct fake_ev *e)
{
	if (!f->record)
		return;
	if (f->nev == f->cap_ev) {
		size_t cap = f->cap_ev ? f->cap_ev * 2 : 64;
		struct fake_ev *n = realloc(f->ev, cap * sizeof(*n));

		if (!n)
			abort();
		f->ev = n;
		f->cap_ev = cap;
	}
	f->ev[f->nev++] = *e;
}

long fake_find_region(const struct fake_plat *f, uint64_t region_id)
{
	for (size_t i = 0; i < f->nregions; i++)
		if (f->regions[i].region_id == region_id)
			return (long)i;
	return -1;
}

long fake_find_map(const struct fake_plat *f, uint64_t grant_id)
{
	for (size_t i = 0; i < f->nmaps; i++)
		if (f->maps[i].grant_id == grant_id)
			return (long)i;
	return -1;
}

long fake_find_ev(const struct fake_plat *f, size_t from, enum fake_ev_kind kind,
		  uint64_t region_id, uint64_t grant_id)
{
	for (size_t i = from; i < f->nev; i++)
		if (f->ev[i].kind == kind &&
		    (!region_id || f->ev[i].region_id == region_id) &&
		    (!grant_id || f->ev[i].grant_id == grant_id))
			return (long)i;
	return -1;
}

static int fake_region_create(void *plat, uint64_t prov_cookie,
			      uint64_t region_id, uint64_t base, uint64_t size,
			      uint64_t *mem_cookie)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_REGION_CREATE, .cookie = prov_cookie,
			     .region_id = region_id, .base = base, .size = size };

	if (f->region_create_rc)
		return f->region_create_rc;
	if (fake_find_region(f, region_id) >= 0)
		f->violations++;
	if (f->nregions == f->cap_regions) {
		size_t cap = f->cap_regions ? f->cap_regions * 2 : 16;
		struct fake_region *n = realloc(f->regions, cap * sizeof(*n));

		if (!n)
			abort();
		f->regions = n;
		f->cap_regions = cap;
	}
	*mem_cookie = ++f->next_mem_cookie;
	f->regions[f->nregions++] = (struct fake_region){
		.region_id = region_id, .mem_cookie = *mem_cookie,
		.prov_cookie = prov_cookie, .size = size };
	e.mem_cookie = *mem_cookie;
	record(f, &e);
	return 0;
}

static void fake_region_release(void *plat, uint64_t prov_cookie,
				uint64_t region_id, uint64_t mem_cookie,
				uint64_t size, bool provider_dead)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_REGION_RELEASE, .cookie = prov_cookie,
			     .region_id = region_id, .mem_cookie = mem_cookie,
			     .size = size, .provider_dead = provider_dead };
	long i = fake_find_region(f, region_id);

	f->nrelease++;
	if (i < 0 || f->regions[i].mem_cookie != mem_cookie ||
	    f->regions[i].prov_cookie != prov_cookie ||
	    f->regions[i].size != size)
		f->violations++;
	/* No consumer may still map a released region. */
	for (size_t k = 0; k < f->nmaps; k++)
		if (f->maps[k].region_id == region_id)
			f->violations++;
	if (i >= 0)
		f->regions[i] = f->regions[--f->nregions];
	record(f, &e);
}

static int fake_map(void *plat, const struct csm_mapping *m)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_MAP, .cookie = m->realm_cookie,
			     .realm_id = m->realm_id, .region_id = m->region_id,
			     .grant_id = m->grant_id, .mem_cookie = m->mem_cookie,
			     .base = m->base, .size = m->size, .perm = m->perm };
	long r;

	if (f->map_rc)
		return f->map_rc;
	f->nmap++;
	r = fake_find_region(f, m->region_id);
	if (r < 0 || f->regions[r].mem_cookie != m->mem_cookie ||
	    f->regions[r].size != m->size || fake_find_map(f, m->grant_id) >= 0)
		f->violations++;
	if (f->nmaps == f->cap_maps) {
		size_t cap = f->cap_maps ? f->cap_maps * 2 : 16;
		struct csm_mapping *n = realloc(f->maps, cap * sizeof(*n));

		if (!n)
			abort();
		f->maps = n;
		f->cap_maps = cap;
	}
	f->maps[f->nmaps++] = *m;
	record(f, &e);
	return 0;
}

static void fake_unmap(void *plat, const struct csm_mapping *m,
		       enum csm_unmap_reason why)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_UNMAP, .cookie = m->realm_cookie,
			     .realm_id = m->realm_id, .region_id = m->region_id,
			     .grant_id = m->grant_id, .mem_cookie = m->mem_cookie,
			     .base = m->base, .size = m->size, .perm = m->perm,
			     .arg = (int)why };
	long i = fake_find_map(f, m->grant_id);

	f->nunmap++;
	/* Must be exactly the mapping that was made. */
	if (i < 0 || memcmp(&f->maps[i], m, sizeof(*m)) != 0)
		f->violations++;
	if (i >= 0)
		f->maps[i] = f->maps[--f->nmaps];
	record(f, &e);
}

void fake_hash(uint64_t region_id, uint64_t mem_cookie, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)((region_id >> (8 * (i % 8))) ^
				   (mem_cookie * 31) ^ (i * 7));
}

static int fake_seal(void *plat, uint64_t prov_cookie, uint64_t region_id,
		     uint64_t mem_cookie, uint64_t size, uint8_t *hash,
		     size_t cap, size_t *len)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_SEAL, .cookie = prov_cookie,
			     .region_id = region_id, .mem_cookie = mem_cookie,
			     .size = size };
	long i;

	if (f->seal_rc)
		return f->seal_rc;
	if (cap < f->hash_len)
		return CAEC_E_RANGE;
	i = fake_find_region(f, region_id);
	if (i < 0 || f->regions[i].sealed)
		f->violations++;
	else
		f->regions[i].sealed = true;
	/* Every mapping of a sealed region must be read-only. */
	for (size_t k = 0; k < f->nmaps; k++)
		if (f->maps[k].region_id == region_id &&
		    f->maps[k].perm != CSM_PERM_RO)
			f->violations++;
	fake_hash(region_id, mem_cookie, hash, f->hash_len);
	*len = f->hash_len;
	record(f, &e);
	return 0;
}

static void fake_peer_event(void *plat, uint64_t prov_cookie, uint64_t region_id,
			    uint64_t grant_id, enum csm_peer_event ev)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_PEER, .cookie = prov_cookie,
			     .region_id = region_id, .grant_id = grant_id,
			     .arg = (int)ev };

	f->npeer++;
	record(f, &e);
}

static int fake_reserve(void *plat, const struct csm_mapping *m)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_RESERVE, .cookie = m->realm_cookie,
			     .realm_id = m->realm_id, .region_id = m->region_id,
			     .grant_id = m->grant_id, .base = m->base,
			     .size = m->size, .perm = m->perm };

	if (f->reserve_rc)
		return f->reserve_rc;
	f->nreserved++;
	record(f, &e);
	return 0;
}

static void fake_unreserve(void *plat, const struct csm_mapping *m,
			   enum csm_unmap_reason why)
{
	struct fake_plat *f = plat;
	struct fake_ev e = { .kind = FEV_UNRESERVE, .cookie = m->realm_cookie,
			     .realm_id = m->realm_id, .region_id = m->region_id,
			     .grant_id = m->grant_id, .base = m->base,
			     .size = m->size, .perm = m->perm, .arg = (int)why };

	/* A reservation ends after its mapping (if any) is gone. */
	if (f->nreserved == 0 || fake_find_map(f, m->grant_id) >= 0)
		f->violations++;
	else
		f->nreserved--;
	record(f, &e);
}

const struct csm_plat_ops fake_ops_rsv = {
	.alloc = fake_alloc,
	.free = fake_free,
	.entropy = fake_entropy,
	.region_create = fake_region_create,
	.region_release = fake_region_release,
	.map = fake_map,
	.unmap = fake_unmap,
	.seal = fake_seal,
	.peer_event = fake_peer_event,
	.reserve = fake_reserve,
	.unreserve = fake_unreserve,
};

const struct csm_plat_ops fake_ops = {
	.alloc = fake_alloc,
	.free = fake_free,
	.entropy = fake_entropy,
	.region_create = fake_region_create,
	.region_release = fake_region_release,
	.map = fake_map,
	.unmap = fake_unmap,
	.seal = fake_seal,
	.peer_event = fake_peer_event,
};

void fake_init(struct fake_plat *f)
{
	memset(f, 0, sizeof(*f));
	f->record = true;
	f->hash_len = 32;
	f->entropy_seed = 0x1234;
}

void fake_fini(struct fake_plat *f)
{
	free(f->ev);
	free(f->regions);
	free(f->maps);
	free(f->owners);
	f->owners = NULL;
	f->ev = NULL;
	f->regions = NULL;
	f->maps = NULL;
}

void fake_clear_events(struct fake_plat *f)
{
	f->nev = 0;
}
