/*
 * Granule tracking: one struct granule per 4 KB of host-delegable memory,
 * holding the RMM's view of who owns it (state), a lock and a reference
 * count.  Lock order: granules found at the top of a handler are locked in
 * ascending address order (find_lock_granules); objects reached from a
 * locked RD (RTTs, DATA) are taken after it.
 *
 * Refcount meaning per state (asserted on unlock):
 *   NS, DELEGATED, DATA : 0
 *   REC : 1 while the REC runs (REC_ENTER in progress), else 0
 *   RD  : number of RECs of the realm
 *   RTT : number of live entries (TABLE, ASSIGNED, ASSIGNED_NS)
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
	GRANULE_STATE_NR,
	GRANULE_STATE_ANY = 0xFF,	/* lookup wildcard, never stored */
};

struct granule {
	spinlock_t lock;
	uint8_t state;		/* enum granule_state, under lock */
	uint8_t _pad[3];
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
