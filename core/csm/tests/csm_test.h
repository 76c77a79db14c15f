/* SPDX-License-Identifier: Apache-2.0 */
/* Shared fixture helpers of the csm unit tests. */
#ifndef CSM_TEST_CSM_TEST_H
#define CSM_TEST_CSM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <caec/error.h>
#include <csm/csm.h>

#include "caec_test.h"
#include "fake_plat.h"

#define G ((uint64_t)CSM_GRANULE_SIZE)
#define LIMIT (1ull << 30)

#endif
