/*
 * The RMM's lock order, and its check on the native build.
 *
 * A handler takes locks in this order (docs/firmware.md, "Lock order"):
 *   1. the CSM lock, if it can reach CSM state (runtime/csm), before any
 *      granule lock;
 *   2. the granules it names (its arguments), in ascending PA order
 *      (find_lock_granule, find_lock_granules): LOCK_NAMED;
 *   3. other realms' RDs, only under the CSM lock, in ascending PA order
 *      (find_lock_rd_peer): LOCK_PEER_RD;
 *   4. granules reached from a locked RD (RTT and DATA granules being
 *      transitioned) and NS buffers: LOCK_LEAF.  A leaf lock is held
 *      alone at its level: nothing else is locked until it is released.
 * RTT entries are read and written under their realm's RD lock (no RTT
 * granule lock for a walk).  The VMID bitmap lock is a leaf of its own.
 *
 * With RMM_LOCKDEP (the native fake-host build) every acquisition is
 * checked against these rules and a violation is an assertion failure;
 * otherwise the hooks compile to nothing.  The check is per thread of
 * execution: the native tests run the RMM on one thread.
 */
#ifndef LOCKDEP_H
#define LOCKDEP_H

#include <fw_utils.h>

enum lock_kind {
	LOCK_NAMED = 1,
	LOCK_PEER_RD = 2,
	LOCK_LEAF = 3,
};

#ifdef RMM_LOCKDEP
void lockdep_granule_acquire(const void *lock, uint64_t addr, enum lock_kind kind);
void lockdep_granule_release(const void *lock);
void lockdep_csm_acquire(void);
void lockdep_csm_release(void);
/* Granule locks held now (tests: none may be left after a call). */
unsigned int lockdep_held(void);
/* Forget everything held (a native test fixture resets the machine). */
void lockdep_reset(void);
#else
static inline void lockdep_granule_acquire(const void *lock, uint64_t addr, enum lock_kind kind)
{
	(void)lock;
	(void)addr;
	(void)kind;
}
static inline void lockdep_granule_release(const void *lock)
{
	(void)lock;
}
static inline void lockdep_csm_acquire(void)
{
}
static inline void lockdep_csm_release(void)
{
}
#endif

#endif /* LOCKDEP_H */
