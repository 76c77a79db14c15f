/*
 * Granule tracking array and its lock discipline.
 */
#include <granule.h>
#include <lockdep.h>
#include <plat.h>
#include <plat_memory.h>
#include <string.h>

/* Sized for the platform's bound; the range in use is set at boot. */
static struct granule granules[PLAT_GRANULES_MAX];
static uint64_t granules_base;
static uint64_t nr_granules;

void granule_table_init(void)
{
	uint64_t size;

	plat_delegable_range(&granules_base, &size);
	RMM_ASSERT(GRANULE_ALIGNED(granules_base) && (size >> GRANULE_SHIFT) <= PLAT_GRANULES_MAX);
	nr_granules = size >> GRANULE_SHIFT;
	memset(granules, 0, sizeof(granules[0]) * nr_granules);
}

struct granule *addr_to_granule(uint64_t addr)
{
	if (!GRANULE_ALIGNED(addr) || addr < granules_base ||
	    (addr - granules_base) >> GRANULE_SHIFT >= nr_granules) {
		return NULL;
	}
	return &granules[(addr - granules_base) >> GRANULE_SHIFT];
}

uint64_t granule_addr(const struct granule *g)
{
	return granules_base + ((uint64_t)(g - granules) << GRANULE_SHIFT);
}

enum granule_state granule_get_state(const struct granule *g)
{
	return (enum granule_state)g->state;
}

static bool lock_on_state(struct granule *g, enum granule_state expected, enum lock_kind kind)
{
	lockdep_granule_acquire(&g->lock, granule_addr(g), kind);
	spinlock_acquire(&g->lock);
	if (expected != GRANULE_STATE_ANY && g->state != (uint8_t)expected) {
		spinlock_release(&g->lock);
		lockdep_granule_release(&g->lock);
		return false;
	}
	return true;
}

bool granule_lock_on_state(struct granule *g, enum granule_state expected)
{
	return lock_on_state(g, expected, LOCK_NAMED);
}

void granule_lock(struct granule *g, enum granule_state expected)
{
	bool ok = lock_on_state(g, expected, LOCK_LEAF);

	RMM_ASSERT(ok);
	(void)ok;
}

/* Per-state refcount invariant, checked whenever a lock is dropped. */
static void granule_check_invariants(const struct granule *g)
{
	switch ((enum granule_state)g->state) {
	case GRANULE_STATE_NS:
	case GRANULE_STATE_DELEGATED:
	case GRANULE_STATE_REC_AUX:
		RMM_ASSERT(g->refcount == 0U);
		break;
	case GRANULE_STATE_DATA:
		RMM_ASSERT(g->refcount >= 1U);	/* mapped: by its owner at least */
		break;
	case GRANULE_STATE_CSM_META:
		RMM_ASSERT(g->refcount <= GRANULE_SIZE / 256U);	/* objects in it */
		break;
	case GRANULE_STATE_REC:
		RMM_ASSERT(g->refcount <= 1U);	/* 1 = running */
		break;
	case GRANULE_STATE_RTT:
		RMM_ASSERT(g->refcount <= 512U * 16U);
		break;
	default:
		break;
	}
}

void granule_unlock(struct granule *g)
{
	RMM_ASSERT(spinlock_is_held(&g->lock));
	granule_check_invariants(g);
	spinlock_release(&g->lock);
	lockdep_granule_release(&g->lock);
}

void granule_set_state(struct granule *g, enum granule_state state)
{
	RMM_ASSERT(spinlock_is_held(&g->lock));
	g->state = (uint8_t)state;
}

void granule_unlock_transition(struct granule *g, enum granule_state state)
{
	granule_set_state(g, state);
	granule_unlock(g);
}

struct granule *find_lock_granule(uint64_t addr, enum granule_state expected)
{
	struct granule *g = addr_to_granule(addr);

	if (g == NULL || !granule_lock_on_state(g, expected)) {
		return NULL;
	}
	return g;
}

struct granule *find_lock_rd_peer(uint64_t addr)
{
	struct granule *g = addr_to_granule(addr);

	if (g == NULL || !lock_on_state(g, GRANULE_STATE_RD, LOCK_PEER_RD)) {
		return NULL;
	}
	return g;
}

struct granule *find_lock_granule_leaf(uint64_t addr, enum granule_state expected)
{
	struct granule *g = addr_to_granule(addr);

	if (g == NULL || !lock_on_state(g, expected, LOCK_LEAF)) {
		return NULL;
	}
	return g;
}

bool find_lock_granules(struct granule_set *set, unsigned int n)
{
	unsigned int order[20];
	unsigned int i, j;

	RMM_ASSERT(n <= ARRAY_SIZE(order));
	for (i = 0U; i < n; i++) {
		set[i].g = addr_to_granule(set[i].addr);
		if (set[i].g == NULL) {
			return false;
		}
		order[i] = i;
	}
	/* Insertion sort by address: n is tiny (RD + up to 16 RTTs). */
	for (i = 1U; i < n; i++) {
		unsigned int cur = order[i];

		for (j = i; j > 0U && set[order[j - 1U]].addr > set[cur].addr; j--) {
			order[j] = order[j - 1U];
		}
		order[j] = cur;
	}
	for (i = 1U; i < n; i++) {
		if (set[order[i]].addr == set[order[i - 1U]].addr) {
			return false;
		}
	}
	for (i = 0U; i < n; i++) {
		struct granule_set *s = &set[order[i]];

		if (!granule_lock_on_state(s->g, s->state)) {
			while (i-- > 0U) {
				granule_unlock(set[order[i]].g);
			}
			return false;
		}
	}
	return true;
}

void granule_get(struct granule *g)
{
	(void)atomic_add_u32(&g->refcount, 1);
}

void granule_put(struct granule *g)
{
	RMM_ASSERT(g->refcount > 0U);
	(void)atomic_add_u32(&g->refcount, -1);
}

uint32_t granule_refcount(const struct granule *g)
{
	return __atomic_load_n(&g->refcount, __ATOMIC_RELAXED);
}

void granule_refcount_set(struct granule *g, uint32_t refcount)
{
	RMM_ASSERT(spinlock_is_held(&g->lock));
	__atomic_store_n(&g->refcount, refcount, __ATOMIC_RELAXED);
}

void granule_memzero(struct granule *g)
{
	memset(plat_granule_va(granule_addr(g)), 0, GRANULE_SIZE);
}

unsigned long granule_count_in_state(enum granule_state state)
{
	unsigned long i, n = 0UL;

	for (i = 0UL; i < nr_granules; i++) {
		if (granules[i].state == (uint8_t)state) {
			n++;
		}
	}
	return n;
}
