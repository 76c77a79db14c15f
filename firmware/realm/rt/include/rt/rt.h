/*
 * The realm C runtime: what a realm program (int main(void), linked with
 * picolibc and realm-rt.ld) can ask of it.  See docs/firmware.md, "The
 * realm C runtime".
 *
 * Before main runs: stage-1 MMU on (cacheable RAM, W^X), FP/SIMD enabled
 * at EL1, exception vectors installed, TLS and constructors set up,
 * stdout/stderr on the console (line-buffered), malloc on a heap bounded
 * by the image's RAM.  main's return value goes to exit().  exit() flushes,
 * tells the host the status (HOST_CALL REALM_HOST_CALL_EXIT) and calls
 * PSCI SYSTEM_OFF.
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rt/frame.h>

int main(void);

/* x0 at entry: what the host passed to REC 0. */
uint64_t rt_host_arg(void);

/* Realm IPA width from RSI_REALM_CONFIG; the unprotected half starts at bit width-1. */
unsigned int rt_ipa_width(void);

/* Heap use: bytes handed out by sbrk so far, and the heap's size. */
void rt_heap_usage(size_t *used, size_t *size);

/* Prints the runtime's memory map and state (one line per range). */
void rt_describe(void);

/*
 * A hook sees every exception before the runtime's own handling; it returns
 * true when it handled it (the frame is restored and the ERET taken).  A
 * realm kernel installs one for EL0 exceptions.  NULL removes it.
 */
typedef bool (*rt_exception_hook)(struct rt_frame *frame, unsigned int kind);
void rt_set_exception_hook(rt_exception_hook hook);

/* The last fault a probe or fixup caught (ESR_EL1, FAR_EL1, ELR_EL1). */
struct rt_fault {
	uint64_t esr, far, elr;
};

/*
 * Probes: an access that may fault.  0 if it did not; -1 if it faulted,
 * and *fault (may be NULL) says how.  The program continues either way.
 */
int rt_probe_read64(const volatile void *addr, uint64_t *val, struct rt_fault *fault);
int rt_probe_write64(volatile void *addr, uint64_t val, struct rt_fault *fault);
/* Calls a function at addr (no arguments): faults if addr is not executable. */
int rt_probe_exec(const void *addr, struct rt_fault *fault);

/* "Data Abort (same EL)", ... for an ESR_EL1 value; never NULL. */
const char *rt_esr_class_name(uint64_t esr);
/* "translation fault, level 3", ... for an abort's fault status code; never NULL. */
const char *rt_fault_status_name(uint64_t esr);

/*
 * Reports an exception the way the runtime does for unhandled ones (class,
 * ESR, FAR, ELR, SPSR, registers) on the console, without stdio.
 */
void rt_report_exception(const struct rt_frame *frame, unsigned int kind, const char *what);

/* Flushes stdout's line buffer to the console (also done by exit). */
void rt_console_flush(void);

#endif /* RT_RT_H */
