/*
 * aarch64 build: spinlock, atomics and assertions for the RMM core.
 * The native build has a header of the same name under include/native/.
 */
#ifndef ARCH_RMM_H
#define ARCH_RMM_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint32_t val;
} spinlock_t;

/* Acquire pairs with the release in spinlock_release(). */
static inline void spinlock_acquire(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->val, 1U, __ATOMIC_ACQUIRE) != 0U) {
		__asm__ volatile("yield");
	}
}

static inline void spinlock_release(spinlock_t *l)
{
	__atomic_store_n(&l->val, 0U, __ATOMIC_RELEASE);
}

static inline bool spinlock_is_held(const spinlock_t *l)
{
	return __atomic_load_n(&l->val, __ATOMIC_RELAXED) != 0U;
}

static inline uint32_t atomic_add_u32(uint32_t *p, int32_t v)
{
	return __atomic_add_fetch(p, (uint32_t)v, __ATOMIC_RELAXED);
}

void rmm_panic(const char *file, int line, const char *what) __attribute__((noreturn));

/* Assertions are for bugs inside the RMM only, never for host input. */
#define RMM_ASSERT(c) \
	do { if (!(c)) { rmm_panic(__FILE__, __LINE__, #c); } } while (0)

#endif /* ARCH_RMM_H */
