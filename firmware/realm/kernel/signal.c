/*
 * Fault signals.  A fault at EL0 becomes SIGSEGV, SIGBUS or SIGILL; with
 * a handler (rt_sigaction with SA_SIGINFO | SA_RESTORER) the kernel
 * pushes a frame (siginfo + the whole saved context) on the application's
 * stack and runs handler(sig, &info, &context) with x30 = the restorer,
 * which calls rt_sigreturn; the handler may also leave with longjmp.
 * Without a handler the process is killed and the kernel carries on.
 * The signal is not blocked while its handler runs (SA_NODEFER
 * semantics): a fault in the handler is delivered again on the frame
 * below, until the stack runs out and the process is killed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rt/rt.h>

#include "kernel.h"

#define SIGFRAME_MAGIC	0x5349474652414D45ULL	/* "SIGFRAME" */
#define USER_SPSR	0xC0UL			/* EL0t, IRQ and FIQ masked */
#define SPSR_NZCV	0xF0000000UL

struct sigframe {
	struct rsiginfo info;
	struct rt_frame ctx;
	uint64_t magic;
	uint64_t _pad;
};

static const char *signame(int sig)
{
	switch (sig) {
	case RSIGILL: return "SIGILL";
	case RSIGBUS: return "SIGBUS";
	case RSIGSEGV: return "SIGSEGV";
	default: return "signal";
	}
}

void proc_kill(struct proc *p, int sig, const struct rt_frame *f, const char *why)
{
	console_flush_proc(p);
	printf("[kernel] %s (pid %u) killed by %s: %s; %s, ESR_EL1=0x%lx FAR_EL1=0x%lx "
	       "ELR_EL1=0x%lx\n", p->name, p->pid, signame(sig), why, rt_esr_class_name(f->esr),
	       (unsigned long)f->esr, (unsigned long)f->far, (unsigned long)f->elr);
	p->killed_by = sig;
	proc_exit(p, 128 + sig);
}

bool signal_fault(struct proc *p, struct rt_frame *f, int sig, int code, uint64_t addr,
		  const char *why)
{
	const struct rsigaction *act = &p->sig[sig];
	struct sigframe frame;
	uint64_t sp;

	if (act->handler <= RSIG_IGN) {
		proc_kill(p, sig, f, why);
		return false;
	}
	sp = (f->sp - sizeof(frame)) & ~15UL;
	memset(&frame, 0, sizeof(frame));
	frame.info.si_signo = sig;
	frame.info.si_code = code;
	frame.info.si_addr = addr;
	frame.ctx = *f;
	frame.magic = SIGFRAME_MAGIC;
	if (f->sp < sizeof(frame) || copy_to_user(sp, &frame, sizeof(frame)) != 0) {
		proc_kill(p, sig, f, "no room for the signal frame on its stack");
		return false;
	}
	console_flush_proc(p);
	printf("[kernel] %s (pid %u): %s at 0x%lx (%s), handler 0x%lx\n", p->name, p->pid,
	       signame(sig), (unsigned long)addr, why, (unsigned long)act->handler);
	f->x[0] = (uint64_t)sig;
	f->x[1] = sp + offsetof(struct sigframe, info);
	f->x[2] = sp + offsetof(struct sigframe, ctx);
	f->x[30] = act->restorer;
	f->elr = act->handler;
	f->sp = sp;
	f->spsr = USER_SPSR;
	return true;
}

int64_t signal_return(struct proc *p, struct rt_frame *f)
{
	struct sigframe frame;

	if (copy_from_user(&frame, f->sp, sizeof(frame)) != 0 || frame.magic != SIGFRAME_MAGIC ||
	    (frame.ctx.spsr & ~SPSR_NZCV) != USER_SPSR) {
		/* A forged or damaged frame must not give EL0 any other PSTATE. */
		proc_kill(p, RSIGSEGV, f, "bad rt_sigreturn frame");
		return 0;
	}
	*f = frame.ctx;
	return (int64_t)f->x[0];
}
