/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A library the measurement tests load with LD_PRELOAD into a realm.  Its
 * code runs in the realm (this constructor) without being part of the
 * realm's executable: the platform's measurement must change with it.
 */
#include <stdlib.h>

void caec_test_preloaded(void);

__attribute__((constructor)) static void preloaded(void)
{
	setenv("CAEC_TEST_PRELOADED", "1", 1);
}

void caec_test_preloaded(void)
{
}
