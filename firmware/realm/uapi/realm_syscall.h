/*
 * The realm kernel's system call interface, shared by the kernel
 * (firmware/realm/kernel) and the EL0 runtime (firmware/realm/user).
 *
 * It is a subset of arm64 Linux: `svc #0` with the call number in x8,
 * arguments in x0-x5, the result in x0 (>= 0, or a negative errno value
 * with Linux's asm-generic numbering), the same call numbers and the
 * same layouts for the structures below.  Together with /dev/caec
 * (include/caec/abi/driver.h) that is what an application of the CSM
 * driver sees, under this kernel or under Linux.
 */
#ifndef REALM_SYSCALL_H
#define REALM_SYSCALL_H

#include <stdint.h>

/* arm64 Linux system call numbers (asm-generic/unistd.h). */
#define RSYS_ioctl		29
#define RSYS_openat		56
#define RSYS_close		57
#define RSYS_write		64
#define RSYS_exit		93
#define RSYS_exit_group		94
#define RSYS_nanosleep		101
#define RSYS_clock_gettime	113
#define RSYS_sched_yield	124
#define RSYS_rt_sigaction	134
#define RSYS_rt_sigreturn	139
#define RSYS_getrusage		165
#define RSYS_getpid		172
#define RSYS_brk		214
#define RSYS_munmap		215
#define RSYS_mmap		222
#define RSYS_mprotect		226
#define RSYS_wait4		260
#define RSYS_getrandom		278

/*
 * Test kernels only (REALM_KERNEL_TEST_HOOKS), numbers Linux does not use:
 * the peer harness (common/include/realm_harness.h) and starting another
 * embedded application.
 *   peer_info()                       -> realm index | number of realms << 16
 *   peer_send(to, tag, value)         -> 0, -EAGAIN (host queue full), -EINVAL
 *   peer_recv(from, tag, uint64_t *)  -> 0 (value written), -EAGAIN (none yet)
 *   realm_rim(uint8_t out[64])        -> RIM length (RSI_MEASUREMENT_READ 0)
 *   spawn(name, argv)                 -> pid of the new process (its parent: the caller)
 */
#define RSYS_test_peer_info	0x1000
#define RSYS_test_peer_send	0x1001
#define RSYS_test_peer_recv	0x1002
#define RSYS_test_realm_rim	0x1003
#define RSYS_test_spawn		0x1004

/* errno values (asm-generic/errno-base.h, errno.h). */
#define RERR_EPERM		1
#define RERR_ENOENT		2
#define RERR_EINTR		4
#define RERR_EIO		5
#define RERR_E2BIG		7
#define RERR_EBADF		9
#define RERR_ECHILD		10
#define RERR_EAGAIN		11
#define RERR_ENOMEM		12
#define RERR_EACCES		13
#define RERR_EFAULT		14
#define RERR_EBUSY		16
#define RERR_EEXIST		17
#define RERR_ENODEV		19
#define RERR_EINVAL		22
#define RERR_EMFILE		24
#define RERR_ENOTTY		25
#define RERR_ENOSPC		28
#define RERR_ERANGE		34
#define RERR_ENAMETOOLONG	36
#define RERR_ENOSYS		38
#define RERR_EBADMSG		74
#define RERR_EOPNOTSUPP		95
#define RERR_EADDRINUSE		98
#define RERR_ETIMEDOUT		110
#define RERR_ECANCELED		125

/* openat */
#define RAT_FDCWD		(-100)
#define RO_RDWR			2
#define RO_CLOEXEC		0x80000

/* mmap */
#define RPROT_READ		1
#define RPROT_WRITE		2
#define RPROT_EXEC		4
#define RMAP_SHARED		1
#define RMAP_FAILED_MAX		4095UL	/* results in [-4095, -1] are errors */

/* clock_gettime */
#define RCLOCK_REALTIME		0
#define RCLOCK_MONOTONIC	1

/* getrandom(2) flags (the kernel's source never blocks: they change nothing). */
#define RGRND_NONBLOCK		0x1U
#define RGRND_RANDOM		0x2U
#define RGRND_INSECURE		0x4U

struct rtimespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* Signals the kernel sends (synchronous faults only). */
#define RSIGILL			4
#define RSIGBUS			7
#define RSIGSEGV		11
#define RSIG_MAX		31
#define RSIG_DFL		0UL
#define RSIG_IGN		1UL
#define RSA_SIGINFO		0x00000004UL
#define RSA_RESTORER		0x04000000UL

#define RSEGV_MAPERR		1
#define RSEGV_ACCERR		2
#define RBUS_ADRERR		2
#define RILL_ILLOPC		1

/* struct sigaction as rt_sigaction(2) takes it on arm64 (sigsetsize 8). */
struct rsigaction {
	uint64_t handler;	/* void (*)(int, struct rsiginfo *, void *), SIG_DFL or SIG_IGN */
	uint64_t flags;		/* RSA_SIGINFO | RSA_RESTORER required for a handler */
	uint64_t restorer;	/* code that makes rt_sigreturn */
	uint64_t mask;		/* ignored: the kernel sends only synchronous faults */
};

/* The head of Linux's siginfo_t (128 bytes) for a fault. */
struct rsiginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t _pad0;
	uint64_t si_addr;
	uint8_t _rest[104];
};

_Static_assert(sizeof(struct rsigaction) == 32, "sigaction layout");
_Static_assert(sizeof(struct rsiginfo) == 128, "siginfo size");

#endif /* REALM_SYSCALL_H */
