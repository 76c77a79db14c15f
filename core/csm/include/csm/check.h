/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file csm/check.h
 * @brief Internal to core/csm: a full consistency check of a struct csm.
 *
 * Not part of the CSM interface.  Walks every object and verifies the
 * invariants the implementation relies on (list membership both ways,
 * counters, ranges, ID table contents).  For tests and debug builds of a
 * platform; O(objects).
 *
 * Context: no OS calls, no allocation.  Ownership: none.
 * Concurrency: as any other csm call.
 */
#ifndef CSM_CHECK_H
#define CSM_CHECK_H

#include <csm/csm.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check csm's internal invariants.
 * @returns 0 when they all hold, else a negative number naming the first
 *          broken one (see src/check.c), or CAEC_E_INVAL for NULL.
 */
int csm_check(const struct csm *csm);

#ifdef __cplusplus
}
#endif
#endif /* CSM_CHECK_H */
