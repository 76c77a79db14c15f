/*
 * The RMM's CSM state machine: its lock, its boot, the realm lifecycle
 * hooks (REALM_ACTIVATE, SYSTEM_OFF, REALM_DESTROY) and the RD locking the
 * platform operations share.
 */
#include <arch_rmm.h>
#include <lockdep.h>
#include <plat.h>
#include <string.h>

#include "csm_rmm.h"

COMPILER_ASSERT(RD_CSM_REALM_OBJ_SIZE == CSM_ALLOC_MAX, "the RD holds one CSM object");

struct csm_rmm rmm_csm;
static spinlock_t csm_lock;

void rmm_csm_lock(void)
{
	lockdep_csm_acquire();
	spinlock_acquire(&csm_lock);
}

void rmm_csm_unlock(void)
{
	spinlock_release(&csm_lock);
	lockdep_csm_release();
}

/*
 * Boot: a fresh state.  The previous one (a native test reset) is simply
 * forgotten with the memory it described.  Without entropy there is no
 * CSM: every CSM call then fails (docs/abi.md), the rest of the RMM works.
 */
void rmm_csm_boot(void)
{
	memset(&rmm_csm, 0, sizeof(rmm_csm));
	csm_lock.val = 0U;
	if (csm_init(&rmm_csm.csm, &rmm_csm_ops, NULL) != 0) {
		rmm_csm.csm = NULL;
	}
}

struct csm *rmm_csm_state(void)
{
	return rmm_csm.csm;
}

static struct rd *rd_of(uint64_t rd_addr)
{
	return (struct rd *)plat_granule_va(rd_addr);
}

uint64_t csm_caller_id(uint64_t rd_addr)
{
	return rd_of(rd_addr)->csm.id;
}

uint64_t rmm_csm_realm_id(uint64_t rd_addr)
{
	return csm_caller_id(rd_addr);
}

struct granule *csm_rd_get(uint64_t rd_addr, struct rd **rd)
{
	struct granule *g = NULL;

	if (rd_addr != rmm_csm.held_rd) {
		/* core/csm only names realms that are alive, so this is an RD. */
		g = find_lock_rd_peer(rd_addr);
		RMM_ASSERT(g != NULL);
	}
	*rd = rd_of(rd_addr);
	return g;
}

void csm_rd_put(struct granule *g)
{
	if (g != NULL) {
		granule_unlock(g);
	}
}

void csm_rd_get2(uint64_t a, uint64_t b, struct granule **ga, struct granule **gb)
{
	struct rd *unused;

	*ga = NULL;
	*gb = NULL;
	if (a == b) {
		*ga = csm_rd_get(a, &unused);
	} else if (a < b) {
		*ga = csm_rd_get(a, &unused);
		*gb = csm_rd_get(b, &unused);
	} else {
		*gb = csm_rd_get(b, &unused);
		*ga = csm_rd_get(a, &unused);
	}
}

uint64_t *csm_s2_entry(const struct rd *rd, uint64_t ipa, struct s2tt_walk *w)
{
	s2tt_walk_lock_unlock(&rd->s2, ipa, S2TT_PAGE_LEVEL, w);
	return (w->last_level == S2TT_PAGE_LEVEL) ? &w->table[w->index] : NULL;
}

void csm_data_get(uint64_t pa)
{
	struct granule *g = find_lock_granule_leaf(pa, GRANULE_STATE_DATA);

	RMM_ASSERT(g != NULL);
	granule_get(g);
	granule_unlock(g);
}

void csm_data_put(uint64_t pa)
{
	struct granule *g = find_lock_granule_leaf(pa, GRANULE_STATE_DATA);

	RMM_ASSERT(g != NULL);
	granule_put(g);
	granule_unlock(g);
}

bool rmm_csm_granule_is_shared(uint64_t pa)
{
	struct granule *g = addr_to_granule(pa);

	return g != NULL && __atomic_load_n(&g->csm, __ATOMIC_ACQUIRE) != 0U;
}

/*
 * REALM_ACTIVATE: the measurement is final, so the realm joins with it.
 * Its CSM ranges are limited to its protected IPA space.  The realm
 * object lives in the RD (csm_meta_alloc), so joining needs no metadata
 * from the host and cannot run out of it.
 */
void rmm_csm_realm_activate(struct granule *g_rd)
{
	struct rd *rd = granule_rd(g_rd);
	uint64_t id = 0UL;

	if (rmm_csm.csm == NULL) {
		return;
	}
	rmm_csm.held_rd = granule_addr(g_rd);
	if (csm_realm_add(rmm_csm.csm, granule_addr(g_rd), rd->rim, sizeof(rd->rim),
			  1UL << (rd->s2.s2sz - 1U), &id) == 0) {
		rd->csm.id = id;
	}
	rmm_csm.held_rd = 0UL;
}

static void realm_die(uint64_t rd_addr, uint64_t held)
{
	struct rd *rd = rd_of(rd_addr);

	if (rmm_csm.csm == NULL || rd->csm.id == 0UL) {
		return;
	}
	rmm_csm.held_rd = held;
	(void)csm_realm_remove(rmm_csm.csm, rd->csm.id);
	rmm_csm.held_rd = 0UL;
	rd->csm.id = 0UL;	/* IDs are never reused: the realm has none now */
}

void rmm_csm_realm_off(uint64_t rd_addr)
{
	realm_die(rd_addr, 0UL);
}

void rmm_csm_realm_destroy(struct granule *g_rd)
{
	realm_die(granule_addr(g_rd), granule_addr(g_rd));
	csm_meta_release_all(granule_rd(g_rd));
}

int rmm_csm_relations(uint64_t rd_addr, struct csm_relation *out, size_t cap,
		      uint64_t *omitted)
{
	uint64_t id;
	int n;

	*omitted = 0UL;
	if (rmm_csm.csm == NULL) {
		return 0;
	}
	id = csm_caller_id(rd_addr);
	if (id == 0UL) {
		return 0;
	}
	n = csm_token_relations(rmm_csm.csm, id, out, cap, omitted);
	return (n < 0) ? 0 : n;
}
