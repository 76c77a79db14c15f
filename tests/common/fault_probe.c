/* SPDX-License-Identifier: Apache-2.0 */
#include "fault_probe.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>

static sigjmp_buf *probe_jump;

static void on_fault(int sig)
{
	siglongjmp(*probe_jump, sig);
}

/* Not instrumented by ThreadSanitizer: the probe reads memory another
 * thread (the library's event thread) may just have replaced with an
 * inaccessible mapping -- on purpose, that is what it checks. */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
__attribute__((no_sanitize("thread")))
#endif
#endif
int caec_test_faults(volatile unsigned char *addr, bool write)
{
	struct sigaction sa, old_segv, old_bus;
	sigjmp_buf jb;
	volatile int faulted = 0;

	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	probe_jump = &jb;
	if (sigsetjmp(jb, 1) == 0) {
		unsigned char v = addr[0];
		if (write)
			addr[0] = v;
	} else {
		faulted = 1;
	}
	probe_jump = NULL;
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return faulted;
}
