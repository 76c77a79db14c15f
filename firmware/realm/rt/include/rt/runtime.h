/* Runtime-internal interfaces shared by its files (and a realm kernel). */
#ifndef RT_RUNTIME_H
#define RT_RUNTIME_H

#include <stdbool.h>

#include <rt/frame.h>

/* Exit status of a realm that took an unhandled exception: this + EC. */
#define RT_EXIT_FAULT_BASE	128UL

/* Called by aarch64/vectors.S. */
void rt_exception(struct rt_frame *frame, unsigned int kind);

/* Applies an extable/probe fixup for a synchronous abort at EL1; false if none. */
bool rt_fixup(struct rt_frame *frame);

/* Flush the console, report `status` to the host, PSCI SYSTEM_OFF. */
void rt_terminate(int status) __attribute__((noreturn));

/* First C code on the program stack (aarch64/crt0.S). */
void rt_start(uint64_t arg) __attribute__((noreturn));

/* Resumes the context in `frame` (on the exception stack) with an ERET. */
void rt_exception_return(void) __attribute__((noreturn));

#endif /* RT_RUNTIME_H */
