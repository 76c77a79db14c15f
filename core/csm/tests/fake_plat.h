/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake CSM platform for the unit tests: a malloc-backed allocator that
 * counts live bytes and can fail the Nth allocation, and platform callbacks
 * that record every call and track live regions and mappings, flagging any
 * call that breaks the platform contract (unmapping what is not mapped,
 * releasing a region that a consumer still maps, ...).
 */
#ifndef CSM_TEST_FAKE_PLAT_H
#define CSM_TEST_FAKE_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <csm/csm.h>

enum fake_ev_kind {
	FEV_REGION_CREATE = 1,
	FEV_REGION_RELEASE,
	FEV_MAP,
	FEV_UNMAP,
	FEV_SEAL,
	FEV_PEER,
	FEV_RESERVE,
	FEV_UNRESERVE,
};

struct fake_ev {
	enum fake_ev_kind kind;
	uint64_t cookie;     /* provider cookie, or consumer cookie for map/unmap */
	uint64_t realm_id;   /* map/unmap: consumer */
	uint64_t region_id;
	uint64_t grant_id;
	uint64_t mem_cookie;
	uint64_t base, size;
	unsigned perm;
	int arg;             /* unmap reason, peer event */
	bool provider_dead;
};

struct fake_region {
	uint64_t region_id, mem_cookie, prov_cookie, size;
	bool sealed;
};

/* What one owner (a realm cookie, or 0 for the state) has allocated. */
struct fake_owner {
	uint64_t owner;
	size_t live_allocs;
	size_t kinds[CSM_ALLOC_GRANT + 1];  /* live allocations per kind */
	long quota;             /* max live allocations; -1: unlimited */
};

struct fake_plat {
	/* allocator */
	struct fake_owner *owners;
	size_t nowners, cap_owners;
	size_t max_alloc;       /* largest size asked for */
	size_t live_bytes, live_allocs;
	uint64_t nalloc;        /* alloc calls so far */
	uint64_t fail_at;       /* fail the alloc call with this number (0: never) */
	uint64_t nfailed;
	unsigned bad_frees;     /* frees with a wrong size or pointer */

	/* recorded calls */
	bool record;            /* default true */
	struct fake_ev *ev;
	size_t nev, cap_ev;

	/* injected failures */
	int entropy_rc, region_create_rc, map_rc, seal_rc, reserve_rc;
	size_t hash_len;        /* bytes of hash seal produces (default 32) */
	uint64_t entropy_seed;

	/* live platform state */
	uint64_t next_mem_cookie;
	struct fake_region *regions;
	size_t nregions, cap_regions;
	struct csm_mapping *maps;
	size_t nmaps, cap_maps;
	unsigned violations;    /* contract breaches seen */
	uint64_t nunmap, nmap, nrelease, npeer;
	uint64_t nreserved;     /* live reservations (fake_ops_rsv) */
};

/* Without the optional reserve/unreserve ops (as caec-simd), and with. */
extern const struct csm_plat_ops fake_ops;
extern const struct csm_plat_ops fake_ops_rsv;

/* The account of owner (NULL if it never allocated). */
const struct fake_owner *fake_owner(const struct fake_plat *f, uint64_t owner);
/* Let owner have at most quota live allocations (-1: no limit). */
void fake_set_quota(struct fake_plat *f, uint64_t owner, long quota);

void fake_init(struct fake_plat *f);
void fake_fini(struct fake_plat *f);
void fake_clear_events(struct fake_plat *f);

/* The hash the fake seal op produces for a region. */
void fake_hash(uint64_t region_id, uint64_t mem_cookie, uint8_t *out, size_t len);

/* Is grant_id currently mapped?  Index into f->maps or -1. */
long fake_find_map(const struct fake_plat *f, uint64_t grant_id);
/* Is region_id live on the platform?  Index into f->regions or -1. */
long fake_find_region(const struct fake_plat *f, uint64_t region_id);

/* Index of the first recorded event matching (kind, grant or region id), or -1. */
long fake_find_ev(const struct fake_plat *f, size_t from, enum fake_ev_kind kind,
		  uint64_t region_id, uint64_t grant_id);

#endif
