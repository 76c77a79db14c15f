/*
 * Lock-order checker of the native build (see lockdep.h for the rules).
 * One thread runs the RMM in the native tests, so the state is global.
 */
#include <lockdep.h>
#include <arch_rmm.h>

#ifdef RMM_LOCKDEP

#define LOCKDEP_MAX	32U

static struct {
	const void *lock;
	uint64_t addr;
	enum lock_kind kind;
} held[LOCKDEP_MAX];
static unsigned int nheld;
static bool csm_held;

void lockdep_granule_acquire(const void *lock, uint64_t addr, enum lock_kind kind)
{
	unsigned int i;

	RMM_ASSERT(nheld < LOCKDEP_MAX);
	for (i = 0U; i < nheld; i++) {
		/* A leaf is held alone at its level: nothing after it. */
		RMM_ASSERT(held[i].kind != LOCK_LEAF);
		if (kind == LOCK_NAMED) {
			/* Named granules: first, and in ascending PA order. */
			RMM_ASSERT(held[i].kind == LOCK_NAMED && held[i].addr < addr);
		} else if (kind == LOCK_PEER_RD && held[i].kind == LOCK_PEER_RD) {
			RMM_ASSERT(held[i].addr < addr);
		}
	}
	/* Another realm's RD only under the CSM lock. */
	RMM_ASSERT(kind != LOCK_PEER_RD || csm_held);
	held[nheld].lock = lock;
	held[nheld].addr = addr;
	held[nheld].kind = kind;
	nheld++;
}

void lockdep_granule_release(const void *lock)
{
	unsigned int i;

	for (i = 0U; i < nheld; i++) {
		if (held[i].lock == lock) {
			held[i] = held[--nheld];	/* the checks need no order */
			return;
		}
	}
	RMM_ASSERT(false);	/* released a lock that was not held */
}

void lockdep_csm_acquire(void)
{
	RMM_ASSERT(!csm_held);
	RMM_ASSERT(nheld == 0U);	/* the CSM lock comes first */
	csm_held = true;
}

void lockdep_csm_release(void)
{
	RMM_ASSERT(csm_held);
	csm_held = false;
}

unsigned int lockdep_held(void)
{
	return nheld + (csm_held ? 1U : 0U);
}

void lockdep_reset(void)
{
	nheld = 0U;
	csm_held = false;
}

#endif /* RMM_LOCKDEP */
