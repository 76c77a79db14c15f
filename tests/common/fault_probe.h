/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Probe whether an access faults, in this process.  Region memory is not
 * inherited by fork() (MADV_DONTFORK), so a probe in a forked child would
 * fault on any region address and prove nothing: this one runs here, with
 * a temporary SIGSEGV/SIGBUS handler that jumps back.
 */
#ifndef CAEC_TEST_FAULT_PROBE_H
#define CAEC_TEST_FAULT_PROBE_H

#include <stdbool.h>

/*
 * 1 if reading addr (write: reading it and storing the same byte back)
 * faults, 0 if it does not.  A store that succeeds changes nothing.  Not
 * for concurrent use by several threads.
 */
int caec_test_faults(volatile unsigned char *addr, bool write);

#endif
