/*
 * Native (fake-host) build: single-threaded, so the spinlock only records
 * ownership and asserts the lock discipline (as TF-RMM's fake_host does).
 */
#ifndef ARCH_RMM_H
#define ARCH_RMM_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint32_t val;
} spinlock_t;

static inline void spinlock_acquire(spinlock_t *l)
{
	assert(l->val == 0U);	/* re-entry would deadlock on hardware */
	l->val = 1U;
}

static inline void spinlock_release(spinlock_t *l)
{
	assert(l->val == 1U);
	l->val = 0U;
}

static inline bool spinlock_is_held(const spinlock_t *l)
{
	return l->val != 0U;
}

static inline uint32_t atomic_add_u32(uint32_t *p, int32_t v)
{
	*p += (uint32_t)v;
	return *p;
}

#define RMM_ASSERT(c) assert(c)

#endif /* ARCH_RMM_H */
