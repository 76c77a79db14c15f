/* SPDX-License-Identifier: Apache-2.0 */
/* The case tables of each group (cases_<group>.c), listed by ct_cases.c. */
#ifndef CAEC_TESTS_CASES_H
#define CAEC_TESTS_CASES_H

#include <stddef.h>

#include "ct.h"

extern const struct ct_case ct_cases_api[];
extern const size_t ct_ncases_api;
extern const struct ct_case ct_cases_regions[];
extern const size_t ct_ncases_regions;
extern const struct ct_case ct_cases_seal[];
extern const size_t ct_ncases_seal;
extern const struct ct_case ct_cases_channel[];
extern const size_t ct_ncases_channel;
extern const struct ct_case ct_cases_stress[];
extern const size_t ct_ncases_stress;

/*
 * A case body that only a Linux harness can run (it kills the daemon,
 * starts threads): compiled with CT_SIM_ONLY
 * defined (the sim harness), listed everywhere with its reason.
 */
#ifdef CT_SIM_ONLY
#define CT_SIM_FN(f) f
#else
#define CT_SIM_FN(f) NULL
#endif

#endif
