/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_core/atomics.h -- the one atomics vocabulary of the portable core.
 *
 * Thin wrappers over C11 <stdatomic.h> for words that live in shared
 * memory.  The shared layouts (include/caec/abi/) declare plain fixed-width
 * integers, because they are a byte contract, not a C type; these helpers
 * access them as the matching _Atomic type (same size and alignment on
 * every target we build for, asserted below).
 *
 * Rule: every acquire names, in a comment at the call site, the release it
 * pairs with, and every release names what it publishes.  No `volatile` and
 * no compiler builtins elsewhere in the core.
 *
 * Freestanding-safe: <stdatomic.h> is one of the headers a freestanding
 * implementation provides; 32- and 64-bit atomics are lock-free on x86-64
 * and AArch64 (asserted at compile time).
 */
#ifndef CAEC_CORE_ATOMICS_H
#define CAEC_CORE_ATOMICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

_Static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t), "atomic u32 size");
_Static_assert(sizeof(_Atomic uint64_t) == sizeof(uint64_t), "atomic u64 size");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "lock-free 32-bit atomics required");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "lock-free 64-bit atomics required");

#define CA_U32(p) ((_Atomic uint32_t *)(void *)(p))
#define CA_U64(p) ((_Atomic uint64_t *)(void *)(p))

/* Relaxed: no ordering, only single-copy atomicity (no torn reads). */
static inline uint32_t ca_load_relaxed_u32(const uint32_t *p)
{
	return atomic_load_explicit(CA_U32(p), memory_order_relaxed);
}
static inline void ca_store_relaxed_u32(uint32_t *p, uint32_t v)
{
	atomic_store_explicit(CA_U32(p), v, memory_order_relaxed);
}
static inline uint64_t ca_load_relaxed_u64(const uint64_t *p)
{
	return atomic_load_explicit(CA_U64(p), memory_order_relaxed);
}
static inline void ca_store_relaxed_u64(uint64_t *p, uint64_t v)
{
	atomic_store_explicit(CA_U64(p), v, memory_order_relaxed);
}

/* Acquire: later accesses cannot move before this load. */
static inline uint32_t ca_load_acquire_u32(const uint32_t *p)
{
	return atomic_load_explicit(CA_U32(p), memory_order_acquire);
}
static inline uint64_t ca_load_acquire_u64(const uint64_t *p)
{
	return atomic_load_explicit(CA_U64(p), memory_order_acquire);
}

/* Release: earlier accesses cannot move after this store. */
static inline void ca_store_release_u32(uint32_t *p, uint32_t v)
{
	atomic_store_explicit(CA_U32(p), v, memory_order_release);
}
static inline void ca_store_release_u64(uint64_t *p, uint64_t v)
{
	atomic_store_explicit(CA_U64(p), v, memory_order_release);
}

/* Sequentially consistent read-modify-writes (used by the doorbell and the
 * MPSC claim; a full barrier on both architectures). */
static inline bool ca_cas_u32(uint32_t *p, uint32_t *expected, uint32_t desired)
{
	return atomic_compare_exchange_strong_explicit(
		CA_U32(p), expected, desired, memory_order_seq_cst,
		memory_order_seq_cst);
}
static inline uint32_t ca_fetch_or_u32(uint32_t *p, uint32_t v)
{
	return atomic_fetch_or_explicit(CA_U32(p), v, memory_order_seq_cst);
}
static inline uint32_t ca_fetch_add_u32(uint32_t *p, uint32_t v)
{
	return atomic_fetch_add_explicit(CA_U32(p), v, memory_order_seq_cst);
}
static inline uint32_t ca_load_seq_u32(const uint32_t *p)
{
	return atomic_load_explicit(CA_U32(p), memory_order_seq_cst);
}

/* Full fence: orders every earlier access before every later one (the
 * store-load ordering a Dekker-style handshake needs). */
#if defined(__SANITIZE_THREAD__)
/* GCC's ThreadSanitizer does not support atomic_thread_fence (-Wtsan).  In
 * TSan builds (x86-64 only) a seq_cst read-modify-write of a thread-local
 * dummy is the full barrier instead (a LOCK-prefixed instruction); being
 * thread-local it adds no happens-before edge that could hide a race. */
static _Thread_local _Atomic uint32_t ca_fence_dummy_;
static inline void ca_fence(void)
{
	atomic_fetch_add_explicit(&ca_fence_dummy_, 0, memory_order_seq_cst);
}
#else
static inline void ca_fence(void)
{
	atomic_thread_fence(memory_order_seq_cst);
}
#endif

/* CPU hint inside a spin loop. */
static inline void ca_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

#endif /* CAEC_CORE_ATOMICS_H */
