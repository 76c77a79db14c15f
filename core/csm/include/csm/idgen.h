/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file csm/idgen.h
 * @brief Internal to core/csm: unpredictable, never-reused 64-bit IDs.
 *
 * Not part of the CSM interface; exposed only so the unit tests can reach
 * it.  An ID is a keyed pseudo-random permutation of a 64-bit counter: the
 * counter never repeats, the permutation is a bijection, so the IDs never
 * repeat either, and without the key the next ID cannot be guessed from the
 * previous ones.  The permutation is a 4-round balanced Feistel network over
 * the two 32-bit halves whose round function is SipHash-2-4 keyed with 128
 * bits of platform entropy.  0 and UINT64_MAX are never handed out.
 *
 * Context: pure computation, no OS calls.
 * Ownership: the caller owns struct csm_idgen; wipe it with
 * csm_idgen_wipe() when done (it holds the key).
 * Concurrency: none; one user at a time.
 */
#ifndef CSM_IDGEN_H
#define CSM_IDGEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Key length of the generator, in bytes. */
#define CSM_IDGEN_KEY_LEN 16u

/** Generator state.  Treat as opaque. */
struct csm_idgen {
	uint64_t k0, k1;  /**< SipHash key (little-endian halves of the key) */
	uint64_t next;    /**< next counter value to permute */
};

/**
 * SipHash-2-4 of len bytes at data under a 16-byte key.
 * @returns the 64-bit tag.
 */
uint64_t csm_siphash24(const uint8_t key[CSM_IDGEN_KEY_LEN], const void *data,
		       size_t len);

/** Key the generator and restart its counter at 0. */
void csm_idgen_init(struct csm_idgen *g, const uint8_t key[CSM_IDGEN_KEY_LEN]);

/** Overwrite the key and counter (call before the memory is released). */
void csm_idgen_wipe(struct csm_idgen *g);

/** The keyed permutation itself (a bijection on uint64_t). */
uint64_t csm_idgen_permute(const struct csm_idgen *g, uint64_t x);

/** Inverse of csm_idgen_permute() (for tests). */
uint64_t csm_idgen_unpermute(const struct csm_idgen *g, uint64_t y);

/**
 * The next ID: never 0, never UINT64_MAX, never one handed out before by g.
 * @returns the ID, or 0 once the 2^64 counter values are used up
 *          (unreachable in practice; callers treat it as CAEC_E_NOMEM).
 */
uint64_t csm_idgen_next(struct csm_idgen *g);

#ifdef __cplusplus
}
#endif
#endif /* CSM_IDGEN_H */
