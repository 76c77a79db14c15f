/*
 * Private to runtime/csm: the RMM's instance of the CSM state machine and
 * the helpers its files share.  Everything here is protected by the CSM
 * lock (rmm_csm_lock).
 */
#ifndef CSM_RMM_H
#define CSM_RMM_H

#include <csm/csm.h>
#include <granule.h>
#include <realm.h>
#include <rmm_csm.h>
#include <s2tt.h>

struct csm_rmm {
	struct csm *csm;		/* NULL if boot found no entropy */
	/*
	 * The RD the caller of core/csm already holds locked (an RMI handler
	 * that named it), or 0: the platform operations lock every other RD
	 * they touch as a peer RD (lockdep.h) and leave this one alone.
	 */
	uint64_t held_rd;
	/*
	 * Set by an operation that answers CAEC_E_BUSY: the REC exit that
	 * asks the host to act (CSM_POPULATE or CSM_RELEASE) and its range.
	 */
	unsigned long busy_exit;
	uint64_t busy_base, busy_top;
};

extern struct csm_rmm rmm_csm;
extern const struct csm_plat_ops rmm_csm_ops;

/* Metadata granule layout (csm_meta.c): slot 0 is the header. */
#define CSM_META_SLOT		CSM_ALLOC_MAX
#define CSM_META_SLOTS		(GRANULE_SIZE / CSM_META_SLOT)	/* header included */

struct csm_meta_hdr {
	uint64_t self;		/* PA of this granule */
	uint64_t rd;		/* PA of the realm it was donated to */
	uint64_t next;		/* PA of the realm's next metadata granule, 0: last */
	uint32_t used;		/* bit i: slot i holds an object (bit 0: this header) */
};

/* The metadata allocator (csm_meta.c), behind csm_plat_ops.alloc/free. */
void *csm_meta_alloc(enum csm_alloc_kind kind, uint64_t owner, size_t size);
void csm_meta_free(enum csm_alloc_kind kind, uint64_t owner, void *ptr, size_t size);
/* REALM_DESTROY: every (empty) metadata granule of rd -> DELEGATED, zeroed. */
void csm_meta_release_all(struct rd *rd);

/*
 * Lock an RD for a platform operation: NULL (and *rd set) if it is the
 * held one, else its granule locked as a peer RD.  csm_rd_put undoes it.
 * csm_rd_get2 locks two (or one, if equal) in ascending address order.
 */
struct granule *csm_rd_get(uint64_t rd_addr, struct rd **rd);
void csm_rd_put(struct granule *g);
void csm_rd_get2(uint64_t a, uint64_t b, struct granule **ga, struct granule **gb);

/* The level-3 entry of ipa in rd's RTTs, or NULL if the walk stops above. */
uint64_t *csm_s2_entry(const struct rd *rd, uint64_t ipa, struct s2tt_walk *w);

/* Change a DATA granule's refcount (its number of mappings) under its lock. */
void csm_data_get(uint64_t pa);
void csm_data_put(uint64_t pa);

/* The realm ID of the REC's realm (0: not in the CSM any more). */
uint64_t csm_caller_id(uint64_t rd_addr);

#endif /* CSM_RMM_H */
