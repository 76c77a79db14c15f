/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file csm/csm.h
 * @brief The CSM state machine: realms, regions, grants, consent, teardown.
 *
 * Written once, used twice: linked into caec-simd (the simulated RMM) and
 * into the firmware RMM (firmware/rmm/runtime/csm).  It is portable C11
 * with no OS calls and no global state; everything platform-specific
 * (metadata memory, entropy, backing memory, stage-2 or memfd mappings,
 * TLB invalidation, hashing) goes through struct csm_plat_ops.
 *
 * Memory: every allocation is one object of at most CSM_ALLOC_MAX bytes
 * (the state, a realm, a region, a grant), charged to the realm that owns
 * it (csm_plat_ops.alloc names the kind and the owner).  Nothing grows by
 * reallocation: the ID index is threaded through the objects themselves.
 * So a platform can carve metadata out of fixed-size blocks per realm (the
 * RMM: granules the host donated to that realm) and refuse with NULL when
 * a realm's blocks are full; the call then fails with CAEC_E_NOMEM and
 * changes nothing, and succeeds when re-issued after more space was given.
 *
 * Objects and their states (docs/csm-state-machine.md has the diagram):
 *
 *   realm   ALIVE --csm_realm_remove--> gone (ID retired, never reused)
 *   region  OPEN --csm_seal--> SEALED;  OPEN|SEALED --csm_unshare--> gone
 *   grant   GRANTED --reserve--> RESERVED --attach--> ATTACHED
 *           ATTACHED|RESERVED --detach--> GRANTED
 *           any --revoke (or region destroy, or either realm's death)--> gone
 *
 * Every call names its caller (a realm ID the platform authenticated: the
 * RMM knows which realm issued an RSI call, caec-simd knows the socket).  A
 * call fails without changing any state, except that teardown calls
 * (revoke, destroy, realm_remove) always complete.
 *
 * Errors are negative `enum caec_err` values (caec/error.h):
 *  - consumer calls (reserve, attach, detach) on a grant that was not made
 *    to the caller -- unknown, revoked, or made to another realm -- fail
 *    with CAEC_E_DENIED, which does not reveal whether the ID exists;
 *  - provider calls name an object the caller owns: an unknown ID gives
 *    CAEC_E_NOENT, an ID owned by another realm CAEC_E_DENIED.
 *
 * A NULL struct csm or a NULL required pointer argument gives
 * CAEC_E_INVAL.  A provider call or CSM_SHARE by a caller that is not a
 * realm gives CAEC_E_NOENT; a consumer call by one gives CAEC_E_DENIED.
 *
 * Concurrency: none.  A struct csm is used by one thread at a time (the
 * daemon's event loop, or the RMM under one lock); callbacks run
 * synchronously inside the call that caused them and must not call back
 * into the same struct csm.  Teardown calls never allocate.
 */
#ifndef CSM_CSM_H
#define CSM_CSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <caec/abi/csm.h>
#include <caec/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CSM granule: base addresses and sizes are multiples of this. */
#define CSM_GRANULE_SIZE 4096u
/** Grant permissions: the CSM ABI's values, as are CAEC_PERM_*. */
#define CSM_PERM_RO CAEC_CSM_PERM_RO
#define CSM_PERM_RW CAEC_CSM_PERM_RW
/** Longest RIM / content hash carried, in bytes. */
#define CSM_HASH_MAX 64u

struct csm;

/** Largest allocation core/csm ever asks for, in bytes. */
#define CSM_ALLOC_MAX 256u

/**
 * What an allocation is for (csm_plat_ops.alloc), and so whom it is
 * charged to.
 */
enum csm_alloc_kind {
	CSM_ALLOC_STATE = 1,  /**< struct csm itself (csm_init); owner 0 */
	CSM_ALLOC_REALM = 2,  /**< a realm (csm_realm_add); owner: that realm */
	CSM_ALLOC_REGION = 3, /**< a region (csm_share); owner: its provider */
	CSM_ALLOC_GRANT = 4,  /**< a grant (csm_grant); owner: the provider */
};

/** Why a mapping is being removed (csm_plat_ops.unmap). */
enum csm_unmap_reason {
	CSM_UNMAP_DETACH = 1,  /**< the consumer detached itself */
	CSM_UNMAP_REVOKE = 2,  /**< the provider revoked the grant */
	CSM_UNMAP_UNSHARE = 3, /**< the provider unshared the region */
	CSM_UNMAP_DEATH = 4,   /**< the provider or the consumer died */
};

/** Provider-side events (csm_plat_ops.peer_event). */
enum csm_peer_event {
	CSM_PEER_ATTACHED = 1, /**< a consumer attached a grant */
	CSM_PEER_DETACHED = 2, /**< a consumer detached, or died while attached */
	CSM_PEER_GONE = 3,     /**< the consumer of a grant died; grant deleted */
};

/** One consumer mapping, as handed to map/unmap. */
struct csm_mapping {
	uint64_t realm_cookie;  /**< platform's handle of the consumer realm */
	uint64_t realm_id;      /**< consumer realm ID */
	uint64_t region_id;
	uint64_t grant_id;
	uint64_t mem_cookie;    /**< platform's handle of the region memory */
	uint64_t prov_cookie;   /**< platform's handle of the provider realm */
	uint64_t base;          /**< consumer's reserved base address (IPA) */
	uint64_t size;
	unsigned perm;          /**< CSM_PERM_RO or CSM_PERM_RW */
};

/** The platform interface.  Every function pointer is required unless noted. */
struct csm_plat_ops {
	/**
	 * Metadata memory for one object of `size` (<= CSM_ALLOC_MAX) bytes,
	 * charged to `owner` (a realm's cookie; 0 for CSM_ALLOC_STATE), or
	 * NULL when that owner has no room.  core/csm zeroes it.
	 */
	void *(*alloc)(void *plat, enum csm_alloc_kind kind, uint64_t owner,
		       size_t size);
	/** Return memory from alloc (same kind, owner and size). */
	void (*free)(void *plat, enum csm_alloc_kind kind, uint64_t owner,
		     void *ptr, size_t size);
	/** Fill buf with unpredictable bytes; 0 or a negative caec_err. */
	int (*entropy)(void *plat, void *buf, size_t len);
	/**
	 * Back a new region of the provider (cookie prov_cookie) at
	 * [base, base+size) with zeroed memory mapped read-write for the
	 * provider; store the platform's handle in *mem_cookie.
	 * Returns 0 or a negative caec_err (nothing to undo on failure).
	 */
	int (*region_create)(void *plat, uint64_t prov_cookie, uint64_t region_id,
			     uint64_t base, uint64_t size, uint64_t *mem_cookie);
	/**
	 * The region is gone and no consumer maps it any more: unmap it from
	 * the provider (unless the provider is dead), scrub and release the
	 * memory.  Cannot fail.
	 */
	void (*region_release)(void *plat, uint64_t prov_cookie, uint64_t region_id,
			       uint64_t mem_cookie, uint64_t size, bool provider_dead);
	/** Map the region into a consumer.  0 or a negative caec_err. */
	int (*map)(void *plat, const struct csm_mapping *m);
	/**
	 * Remove a consumer mapping.  Must be complete (TLBs invalidated,
	 * or on the sim, the consumer told) before the call that caused it
	 * reports success.  Cannot fail.
	 */
	void (*unmap)(void *plat, const struct csm_mapping *m,
		      enum csm_unmap_reason why);
	/**
	 * Seal: make every mapping of the region read-only (provider's
	 * included) and hash its content into hash (cap bytes); store the
	 * length (1..cap) in *len.  0 or a negative caec_err (then nothing
	 * changed); CAEC_E_RANGE when the hash does not fit in cap bytes.
	 * Optional: NULL means sealing is not supported (CAEC_E_NOTSUP).
	 */
	int (*seal)(void *plat, uint64_t prov_cookie, uint64_t region_id,
		    uint64_t mem_cookie, uint64_t size, uint8_t *hash, size_t cap,
		    size_t *len);
	/** Optional: tell a provider about its consumers.  NULL: no events. */
	void (*peer_event)(void *plat, uint64_t prov_cookie, uint64_t region_id,
			   uint64_t grant_id, enum csm_peer_event ev);
	/**
	 * Optional: a consumer reserves m->base/size for grant m->grant_id
	 * (the last step of csm_reserve, after every check).  The RMM marks
	 * the range so the host cannot populate it.  0, or a negative
	 * caec_err (nothing changed; e.g. CAEC_E_BUSY while the host must
	 * first reclaim private memory there).  NULL: nothing to do.
	 */
	int (*reserve)(void *plat, const struct csm_mapping *m);
	/**
	 * Optional: the reservation m is dropped (after unmap, if it was
	 * attached): by the consumer (CSM_UNMAP_DETACH) or not (the other
	 * reasons).  Cannot fail.  NULL: nothing to do.
	 */
	void (*unreserve)(void *plat, const struct csm_mapping *m,
			  enum csm_unmap_reason why);
};

/** Local-attestation policy carried by a grant (CSM_GRANT's policy granule). */
struct csm_policy {
	uint32_t rim_len;            /**< 0: no check */
	uint8_t rim[CSM_HASH_MAX];   /**< expected consumer RIM */
};

/** What csm_grant_list() reports for one grant made to the caller. */
struct csm_grant_info {
	uint64_t grant_id;
	uint64_t region_id;
	uint64_t provider_id;
	uint64_t size;
	unsigned perm;
	bool sealed;
	bool attached;
};

/** What csm_attach() reports to the consumer. */
struct csm_attach_info {
	uint64_t region_id;
	uint64_t provider_id;
	uint64_t mem_cookie;
	uint64_t size;
	unsigned perm;
	bool sealed;
	uint32_t hash_len;
	uint8_t hash[CSM_HASH_MAX];   /**< content hash if sealed */
};

/** Counters for tests and diagnostics. */
struct csm_stats {
	uint64_t realms, regions, grants, attached;
};

/**
 * Create the state.  ops must stay valid until csm_fini(); entropy is drawn
 * once here to key the ID generator.
 * Returns 0; CAEC_E_INVAL (NULL, missing required op); CAEC_E_NOMEM; or the
 * entropy op's error.
 */
int csm_init(struct csm **out, const struct csm_plat_ops *ops, void *plat);

/** Remove every realm (as if each died), then free everything.  NULL ok. */
void csm_fini(struct csm *csm);

/**
 * A realm joins: assign its 64-bit ID (unpredictable, never reused by this
 * struct csm, never 0).  cookie is the platform's handle, passed back in
 * callbacks.  rim (rim_len <= CSM_HASH_MAX bytes) is its measurement.
 * ipa_limit: every CSM range of the realm must end at or below it.
 * Returns 0; CAEC_E_INVAL; CAEC_E_NOMEM.
 */
int csm_realm_add(struct csm *csm, uint64_t cookie, const uint8_t *rim,
		  size_t rim_len, uint64_t ipa_limit, uint64_t *realm_id);

/**
 * A realm dies: every mapping it has of other realms' regions is removed
 * (providers get CSM_PEER_DETACHED), every grant made to it is deleted
 * (CSM_PEER_GONE), every region it provides is destroyed (consumers
 * unmapped with CSM_UNMAP_DEATH).  Returns 0; CAEC_E_NOENT.
 */
int csm_realm_remove(struct csm *csm, uint64_t realm_id);

/** Does the realm exist?  (Used by platforms that look realms up by ID.) */
bool csm_realm_exists(const struct csm *csm, uint64_t realm_id);

/**
 * CSM_SHARE: the caller provides a new region at [base, base+size).
 * Checks: size > 0 (CAEC_E_INVAL), base and size granule-aligned
 * (CAEC_E_ALIGN), end within the caller's ipa_limit and no wrap
 * (CAEC_E_RANGE), no overlap with another CSM range of the caller
 * (CAEC_E_OVERLAP); then CAEC_E_NOMEM or the region_create op's error.
 */
int csm_share(struct csm *csm, uint64_t caller, uint64_t base, uint64_t size,
	      uint64_t *region_id);

/**
 * CSM_GRANT: grant region_id to consumer with perm; policy may be NULL.
 * Errors: CAEC_E_INVAL (perm not RO/RW, consumer == caller, policy rim_len
 * too big); CAEC_E_NOENT (no such region, no such consumer realm);
 * CAEC_E_DENIED (region of another realm); CAEC_E_PERM (RW on a sealed
 * region); CAEC_E_EXIST (already shared with that consumer); CAEC_E_NOMEM.
 */
int csm_grant(struct csm *csm, uint64_t caller, uint64_t region_id,
	      uint64_t consumer, unsigned perm, const struct csm_policy *policy,
	      uint64_t *grant_id);

/**
 * CSM_REVOKE: delete a grant; if the consumer is attached, unmap it first
 * (CSM_UNMAP_REVOKE).  Errors: CAEC_E_NOENT, CAEC_E_DENIED.
 */
int csm_revoke(struct csm *csm, uint64_t caller, uint64_t grant_id);

/**
 * CSM_UNSHARE: revoke every grant of the region (CSM_UNMAP_UNSHARE for the
 * attached ones), then release it.  Errors: CAEC_E_NOENT, CAEC_E_DENIED.
 */
int csm_unshare(struct csm *csm, uint64_t caller, uint64_t region_id);

/**
 * CSM_SEAL: make the region read-only for everyone and record its content
 * hash (written to hash/cap, length in *len).  Errors: CAEC_E_NOENT,
 * CAEC_E_DENIED, CAEC_E_STATE (already sealed, or a RW grant exists),
 * CAEC_E_NOTSUP (platform cannot seal), CAEC_E_RANGE (cap too small: cap
 * 0, or the platform's hash does not fit), or the platform's error.  A seal
 * op that succeeds but reports a length outside 1..cap leaves the region
 * sealed without a hash and gives CAEC_E_PLATFORM.
 */
int csm_seal(struct csm *csm, uint64_t caller, uint64_t region_id,
	     uint8_t *hash, size_t cap, size_t *len);

/**
 * CSM_GRANT_LIST: the index-th grant made to the caller, in grant order.
 * Errors: CAEC_E_NOENT when index is past the last (also: unknown caller).
 */
int csm_grant_list(const struct csm *csm, uint64_t caller, uint64_t index,
		   struct csm_grant_info *out);

/**
 * CSM_RESERVE: the consumer names the grant and the range that will map it.
 * Checks: grant made to caller (else CAEC_E_DENIED), state GRANTED
 * (else CAEC_E_STATE), size equal to the region's (CAEC_E_INVAL),
 * alignment (CAEC_E_ALIGN), limit (CAEC_E_RANGE), no overlap with the
 * caller's other CSM ranges (CAEC_E_OVERLAP); then the platform's reserve
 * op, if any (its error is returned, state unchanged).  Never allocates.
 */
int csm_reserve(struct csm *csm, uint64_t caller, uint64_t grant_id,
		uint64_t base, uint64_t size);

/**
 * CSM_ATTACH: map a reserved grant.  Checks: granted to caller
 * (CAEC_E_DENIED), state RESERVED (CAEC_E_STATE), the grant's policy
 * against the caller's RIM (CAEC_E_DENIED), and, when expected_hash_len >
 * 0, that the region is sealed with exactly that hash (CAEC_E_HASH).
 * Then the platform maps it (its error is returned, state unchanged) and
 * the provider gets CSM_PEER_ATTACHED.  info may be NULL.
 */
int csm_attach(struct csm *csm, uint64_t caller, uint64_t grant_id,
	       const uint8_t *expected_hash, size_t expected_hash_len,
	       struct csm_attach_info *info);

/**
 * CSM_DETACH: undo attach and reserve (state back to GRANTED; the consumer
 * may reserve and attach again).  From RESERVED it only drops the
 * reservation.  The platform sees unmap (if attached), then unreserve,
 * both with CSM_UNMAP_DETACH; every other way a reservation ends (revoke,
 * unshare, death) calls them with that reason.  Errors: CAEC_E_DENIED, CAEC_E_STATE (not reserved or
 * attached).
 */
int csm_detach(struct csm *csm, uint64_t caller, uint64_t grant_id);

/** Current object counts. */
void csm_get_stats(const struct csm *csm, struct csm_stats *st);

/*
 * Queries for the platform (the RMM's hooks into the standard RMI calls).
 * They name no caller: the platform asks on its own behalf.
 */

/**
 * The region that realm_id provides and whose range contains ipa: its ID,
 * base and size (each output may be NULL).  O(regions of the realm).
 * CAEC_E_INVAL (NULL csm); CAEC_E_NOENT (no such realm or region).
 */
int csm_region_find(const struct csm *csm, uint64_t realm_id, uint64_t ipa,
		    uint64_t *region_id, uint64_t *base, uint64_t *size);

/** Callback of csm_region_for_each_mapping(); must not call into csm. */
typedef void (*csm_mapping_fn)(void *arg, const struct csm_mapping *m);

/**
 * Call fn for every attached consumer mapping of region_id, in grant
 * order.  Returns the number of calls, CAEC_E_INVAL or CAEC_E_NOENT.
 */
long csm_region_for_each_mapping(const struct csm *csm, uint64_t region_id,
				 csm_mapping_fn fn, void *arg);

/**
 * The realm a CSM_NOTIFY by caller on grant_id wakes: the provider, if
 * caller is the grant's consumer; the consumer, if caller provides its
 * region.  The grant must be attached.  Outputs may be NULL.
 * CAEC_E_INVAL (NULL csm); CAEC_E_DENIED (the grant involves neither, or
 * does not exist: nothing about other realms' grants is revealed);
 * CAEC_E_STATE (not attached).
 */
int csm_notify_target(const struct csm *csm, uint64_t caller, uint64_t grant_id,
		      uint64_t *target_id, uint64_t *target_cookie);

/**
 * Look up a region the caller can see (provider, or consumer of one of its
 * grants) and report its size, sealed flag and memory cookie.  For
 * platforms (e.g. the daemon re-sending a descriptor).  0, CAEC_E_NOENT,
 * CAEC_E_DENIED.
 */
int csm_region_query(const struct csm *csm, uint64_t caller, uint64_t region_id,
		     uint64_t *size, bool *sealed, uint64_t *mem_cookie);


/** One relation of a realm with a region, for attestation (csm_relations()). */
struct csm_relation {
	uint64_t region_id;
	uint64_t grant_id;     /**< 0: a provided region with no grant yet */
	uint64_t peer_id;      /**< the consumer (provider side) or provider; 0: none */
	unsigned perm;         /**< grant permission; 0 when grant_id is 0 */
	bool provider;         /**< the realm provides the region */
	bool attached;         /**< the grant is attached */
	bool sealed;
	uint32_t hash_len;
	uint8_t hash[CSM_HASH_MAX];
};

/**
 * The index-th CSM relation of realm_id: first, for each region it
 * provides (creation order), one entry per grant (or a single entry with
 * grant_id 0 if none); then each grant made to it (grant order).
 * CAEC_E_INVAL (NULL csm or out); CAEC_E_NOENT past the last or for an
 * unknown realm.  O(index).
 */
int csm_relations(const struct csm *csm, uint64_t realm_id, uint64_t index,
		  struct csm_relation *out);

/**
 * realm_id's relations in the order an attestation token lists them
 * (docs/attestation.md), on every platform: the regions it provides, each
 * with its grants (csm_relations()' order), then the grants made to it
 * that it has attached, then those it has not (any realm can make them,
 * unasked).  Fills out[0..n) and returns n: all of them when there are at
 * most cap; otherwise the first cap - 1, the last place being left for the
 * caller's summary entry.  *omitted: how many were left out (0 when all
 * fit).  CAEC_E_INVAL (NULL argument, cap 0 or above INT32_MAX),
 * CAEC_E_NOENT (unknown realm).  O(relations).
 */
int csm_token_relations(const struct csm *csm, uint64_t realm_id,
			struct csm_relation *out, size_t cap, uint64_t *omitted);

#ifdef __cplusplus
}
#endif
#endif /* CSM_CSM_H */
