/*
 * The realm kernel: EL1, one vCPU, applications at EL0 each in its own
 * address space (ASID = pid), Linux-numbered system calls
 * (uapi/realm_syscall.h) and /dev/caec (include/caec/abi/driver.h).
 *
 * Execution model: after boot the kernel runs only in exception context
 * on the runtime's exception stack, with IRQs masked.  An exception from
 * EL0 saves the application's whole context (struct rt_frame, FP/SIMD
 * included); the kernel handles it and returns to the same or another
 * application by rewriting the frame.  A blocking call marks the process
 * blocked with a wait condition; the scheduler re-checks the conditions
 * (in the waiter's address space) whenever it picks the next process and
 * executes WFI (trapped by the RMM when the host asks) when none can run.
 *
 *   main.c       boot: heap, driver, applications, first entry to EL0
 *   sched.c      process table, scheduler, wait conditions, idle
 *   trap.c       the exception hook: system calls, faults, WFx
 *   syscall.c    the system calls
 *   signal.c     fault signals: delivery and rt_sigreturn
 *   random.c     getrandom(2) from RNDR
 *   vm.c         address spaces, pages, brk, user copies (uaccess.S)
 *   proc.c       loading an application (elf.c) and tearing it down
 *   csm.c        the CSM driver: regions, IPA ranges, faults, events
 *   csm_ioctl.c  /dev/caec ioctl argument handling, one function per call
 *   csm_rsi.c    the RSI CSM calls and their status mapping
 *   platform_key.c  the platform key, as the host hands it over
 *   console.c    application output, one line at a time
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <realm_syscall.h>
#include <rt/frame.h>
#include <rt/mmu.h>

#include "range_alloc.h"

#define KMAX_PROCS		4U
#define KMAX_FDS		8U
#define KMAX_BLOCKS		96U	/* page blocks owned by one process */
#define KNAME_MAX		16U

/* User address space (TTBR0, L1 entries 2..511; 0 and 1 are the kernel's). */
#define USER_BASE		0x80000000UL
#define USER_IMAGE_TOP		0xB0000000UL	/* ELF segments below this */
#define USER_STACK_TOP		0xC0000000UL
#define USER_STACK_SIZE		0x10000UL	/* a guard page below it stays unmapped */
#define USER_BRK_MAX		0x100000UL
#define USER_MMAP_BASE		0x1000000000UL
#define USER_MMAP_TOP		0x4000000000UL
#define USER_VA_TOP		(1UL << RT_VA_BITS)

enum proc_state { P_FREE, P_RUNNABLE, P_BLOCKED, P_ZOMBIE };
enum wait_kind { W_NONE, W_SLEEP, W_EVENT, W_DOORBELL, W_CHILD };
enum file_kind { F_NONE, F_CONSOLE, F_CAEC };

struct caec_file;
struct caec_region;

struct kfile {
	enum file_kind kind;
	struct caec_file *caec;
};

struct proc {
	unsigned int pid;
	unsigned int ppid;		/* the process that spawned it (0: the kernel) */
	uint64_t nvcsw;			/* times it blocked (getrusage ru_nvcsw) */
	char name[KNAME_MAX];
	enum proc_state state;
	struct rt_frame ctx;		/* saved EL0 context while not running */
	struct rt_pt pt;		/* its stage-1 tables, ASID = pid */
	void *blocks[KMAX_BLOCKS];	/* kernel heap blocks it owns */
	unsigned int nblocks;
	uint64_t brk_base, brk_cur, brk_mapped;
	struct range_alloc mmap_va;
	struct kfile fds[KMAX_FDS];
	struct rsigaction sig[RSIG_MAX + 1];
	/* A blocked system call: what it waits for, until when (ticks, 0 none). */
	enum wait_kind wait;
	uint64_t deadline;
	uint64_t wait_arg[3];
	struct caec_region *wait_region;
	int exit_status;		/* exit() value, or 128 + signal */
	int killed_by;			/* signal that ended it, 0 if it exited */
	char line[160];			/* console output not yet printed */
	unsigned int line_len;
};

/* Result of a system call that blocked: the scheduler completes it later. */
#define SYSCALL_BLOCKED		((int64_t)0x7FFFFFFFFFFFFFFF)

/* sched.c */
extern struct proc procs[KMAX_PROCS];
extern struct proc *cur;
struct proc *proc_alloc(const char *name);
void sched_block(struct proc *p, enum wait_kind w, int64_t timeout_ns);
/* Picks the next process to run (idling if none can), installs its
 * context in `frame` and its address space.  Ends the realm when every
 * process has ended. */
void schedule(struct rt_frame *frame);
uint64_t ktime_ticks(void);
uint64_t ktime_ns_to_ticks(int64_t ns);
void kernel_idle_init(void);

/* trap.c */
bool kernel_trap(struct rt_frame *frame, unsigned int kind);
void kernel_enter_first(struct rt_frame *frame) __attribute__((noreturn));

/* syscall.c */
int64_t syscall_dispatch(struct proc *p, struct rt_frame *f);

/* random.c: getrandom(2) from RNDR */
int64_t sys_getrandom(uint64_t ubuf, uint64_t len, uint64_t flags);

/* signal.c: true if a handler will run, false if the process was killed. */
bool signal_fault(struct proc *p, struct rt_frame *f, int sig, int code, uint64_t addr,
		  const char *why);
int64_t signal_return(struct proc *p, struct rt_frame *f);
void proc_kill(struct proc *p, int sig, const struct rt_frame *f, const char *why);

/* vm.c */
void vm_init(void);
bool vm_create(struct proc *p);
void vm_destroy(struct proc *p);
void vm_activate(const struct proc *p);
void vm_activate_kernel(void);
void *vm_alloc_block(struct proc *p, size_t size);
int vm_map_user(struct proc *p, uint64_t va, const void *kva, size_t size, enum rt_map_attr attr);
int64_t vm_brk(struct proc *p, uint64_t want);
/* User copies through LDTR/STTR: the access is checked as EL0's would be. */
int copy_from_user(void *dst, uint64_t usrc, size_t n);
int copy_to_user(uint64_t udst, const void *src, size_t n);
int copy_str_from_user(char *dst, uint64_t usrc, size_t cap);
int read_user_u32(uint64_t uaddr, uint32_t *val);
bool user_range_ok(uint64_t uaddr, size_t n);

/* proc.c: argv[0] is usually the name; at most KARGV_MAX arguments. */
#define KARGV_MAX		16U
struct proc *proc_spawn(const char *name, const void *elf, size_t len);
struct proc *proc_spawn_argv(const char *name, const void *elf, size_t len,
			     const char *const *argv);
void proc_exit(struct proc *p, int status);

/* The applications embedded in this kernel image (generated per image). */
struct kernel_app {
	const char *name;
	const uint8_t *start, *end;
};
extern const struct kernel_app kernel_apps[];
extern const unsigned int kernel_napps;
const struct kernel_app *kernel_app_find(const char *name);

/* How much the CSM driver tells the console: 2 every RSI call, 1 its
 * ranges, mappings and revocations, 0 only what goes wrong. */
extern unsigned int csm_log_level;

/* testhooks.c (test kernels) */
int64_t test_syscall(struct proc *p, struct rt_frame *f);

/* console.c */
void console_write_user(struct proc *p, const char *buf, size_t n);
void console_flush_proc(struct proc *p);

/* csm.c: the CSM driver (also see csm.h) */
void csm_init(void);
struct caec_file *csm_open(struct proc *p);
void csm_release(struct caec_file *f);
int64_t csm_ioctl(struct proc *p, struct caec_file *f, uint32_t cmd, uint64_t arg);
int64_t csm_mmap(struct proc *p, struct caec_file *f, uint64_t len, uint64_t prot, uint64_t off);
int64_t csm_munmap(struct proc *p, uint64_t va, uint64_t len);
/* A data or instruction abort at EL0: true if it hit a CSM mapping (now
 * revoked, event queued); *id gets the region or grant ID. */
bool csm_fault(struct proc *p, uint64_t far, uint64_t esr);
/* A blocked CAEC_IOC_WAIT/EVENT: true when done (result in p->ctx.x[0]). */
bool csm_wait_poll(struct proc *p, uint64_t now);
/* p maps an attached region: its waits re-check every CSM_REVOKE_POLL_NS. */
bool csm_has_attached(const struct proc *p);
#define CSM_REVOKE_POLL_NS	10000000LL
int64_t csm_mprotect(struct proc *p, uint64_t va, uint64_t len, uint64_t prot);

#endif /* KERNEL_KERNEL_H */
