/*
 * Granule tracking: one struct granule per 4 KB of host-delegable memory,
 * holding the RMM's view of who owns it (state), a lock and a reference
 * count.  Lock order (lockdep.h, checked on the native build): the CSM
 * lock; granules named by a handler in ascending address order
 * (find_lock_granule[s]); other realms' RDs under the CSM lock
 * (find_lock_rd_peer); then granules reached from a locked RD (RTTs,
 * DATA: granule_lock, find_lock_granule_leaf), one at a time.
 *
 * Refcount meaning per state (asserted on unlock):
 *   NS, DELEGATED, REC_AUX : 0
 *   DATA : the number of RTT entries that map it: 1 for a realm's own
 *          page (a block entry maps each of its granules once), 1 + the
 *          attached consumers for a CSM region page (runtime/csm)
 *   REC : 1 while the REC runs (REC_ENTER in progress), else 0
 *   RD  : number of RECs of the realm
 *   RTT : number of live entries (TABLE, ASSIGNED)
 *   CSM_META : the number of CSM objects stored in it (runtime/csm)
 */
#ifndef GRANULE_H
#define GRANULE_H

#include <arch_rmm.h>
#include <fw_utils.h>

enum granule_state {
	GRANULE_STATE_NS = 0,
	GRANULE_STATE_DELEGATED,
	GRANULE_STATE_RD,
	GRANULE_STATE_REC,
	GRANULE_STATE_REC_AUX,
	GRANULE_STATE_DATA,
	GRANULE_STATE_RTT,
	GRANULE_STATE_CSM_META,		/* host-donated CSM metadata (runtime/csm) */
	GRANULE_STATE_NR,
	GRANULE_STATE_ANY = 0xFF,	/* lookup wildcard, never stored */
};

struct granule {
	spinlock_t lock;
	uint8_t state;		/* enum granule_state, under lock */
	uint8_t csm;		/* DATA: a page of a CSM region (runtime/csm) */
	uint8_t _pad[2];
	uint32_t refcount;	/* atomic */
};

/* Reset every granule to NS (cold boot, or a native test fixture). */
void granule_table_init(void);

/* The granule of a PA, or NULL if not aligned or not tracked. */
struct granule *addr_to_granule(uint64_t addr);
uint64_t granule_addr(const struct granule *g);

/* Lock g and check its state; on mismatch unlock and return false. */
bool granule_lock_on_state(struct granule *g, enum granule_state expected);
void granule_lock(struct granule *g, enum granule_state expected);
void granule_unlock(struct granule *g);
void granule_set_state(struct granule *g, enum granule_state state);
void granule_unlock_transition(struct granule *g, enum granule_state state);
enum granule_state granule_get_state(const struct granule *g);

/* Find the granule of addr and lock it in the expected state, or NULL. */
struct granule *find_lock_granule(uint64_t addr, enum granule_state expected);
/* The same for another realm's RD, under the CSM lock (lockdep.h). */
struct granule *find_lock_rd_peer(uint64_t addr);
/* The same for a granule reached from a locked one, or an NS buffer. */
struct granule *find_lock_granule_leaf(uint64_t addr, enum granule_state expected);

struct granule_set {
	uint64_t addr;
	enum granule_state state;
	struct granule *g;	/* output */
};

/*
 * Lock several granules in ascending address order.  Fails (nothing left
 * locked) on an untracked or misaligned address, a duplicate, or a state
 * mismatch.
 */
bool find_lock_granules(struct granule_set *set, unsigned int n);

void granule_get(struct granule *g);
void granule_put(struct granule *g);
uint32_t granule_refcount(const struct granule *g);
/* Under the granule's lock: e.g. a folded RTT drops its 512 live entries. */
void granule_refcount_set(struct granule *g, uint32_t refcount);

/* Zero the granule's content (through the RMM's Realm PAS mapping). */
void granule_memzero(struct granule *g);

/* Counters used by tests and the boot log. */
unsigned long granule_count_in_state(enum granule_state state);

#endif /* GRANULE_H */
