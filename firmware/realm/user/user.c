/*
 * picolibc glue for EL0 applications: TLS, constructors, argc/argv from
 * the stack, stdio on write(1), malloc's sbrk on brk(2), _exit on
 * exit_group(2), the POSIX clock, sleep and yield calls picolibc declares
 * but leaves to the system, and the helpers of user/sys.h.
 */
/* kill() and getpid() as POSIX declares them. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <picotls.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <user/sys.h>

extern char __tls_base[];
void __libc_init_array(void);
void user_start(uint64_t *sp) __attribute__((noreturn));
void _exit(int status) __attribute__((noreturn));
void *sbrk(ptrdiff_t incr);
void __user_sigreturn(void);
int main(int argc, char **argv);

/*
 * sp: the initial stack as the kernel laid it out (Linux's layout: argc,
 * then argv[0..argc-1], NULL, then an empty environment's NULL).
 */
void user_start(uint64_t *sp)
{
	_set_tls(__tls_base);
	__libc_init_array();
	exit(main((int)sp[0], (char **)(uintptr_t)&sp[1]));
}

/* picolibc's clocks are newlib's numbers; the kernel takes Linux's. */
int clock_gettime(clockid_t clk, struct timespec *tp)
{
	struct rtimespec ts;
	long rc = sys_call6(RSYS_clock_gettime,
			    clk == CLOCK_MONOTONIC ? RCLOCK_MONOTONIC : RCLOCK_REALTIME,
			    (long)(uintptr_t)&ts, 0, 0, 0, 0);

	if (rc < 0) {
		errno = EINVAL;
		return -1;
	}
	tp->tv_sec = (time_t)ts.tv_sec;
	tp->tv_nsec = (long)ts.tv_nsec;
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct rtimespec ts = { (int64_t)req->tv_sec, (int64_t)req->tv_nsec };

	if (sys_nanosleep(&ts) < 0) {
		errno = EINVAL;
		return -1;
	}
	if (rem != NULL) {
		rem->tv_sec = 0;
		rem->tv_nsec = 0;
	}
	return 0;
}

/*
 * The file calls picolibc declares, on the kernel's: open(2) reaches
 * /dev/caec (the only file there is; anything else is ENOENT), read(2)
 * of it is not a call the driver has (ENOSYS from the kernel).
 */
int open(const char *path, int flags, ...)
{
	long fd = sys_openat(RAT_FDCWD, path,
			     ((flags & O_ACCMODE) == O_RDWR ? RO_RDWR : 0) |
			     ((flags & O_CLOEXEC) != 0 ? RO_CLOEXEC : 0));

	if (fd < 0) {
		errno = (fd == -RERR_ENOENT) ? ENOENT : EINVAL;
		return -1;
	}
	return (int)fd;
}

ssize_t read(int fd, void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

int close(int fd)
{
	if (sys_close(fd) < 0) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long va = (addr != NULL) ? -RERR_EINVAL : sys_mmap(len, prot, flags, fd, (uint64_t)off);

	if (va < 0 && va >= -(long)RMAP_FAILED_MAX) {
		errno = (va == -RERR_EACCES) ? EACCES : EINVAL;
		return MAP_FAILED;
	}
	return (void *)(uintptr_t)va;
}

int munmap(void *addr, size_t len)
{
	if (sys_munmap((uint64_t)(uintptr_t)addr, len) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int mprotect(void *addr, size_t len, int prot)
{
	long rc = sys_call6(RSYS_mprotect, (long)(uintptr_t)addr, (long)len, prot, 0, 0, 0);

	if (rc < 0) {
		errno = (rc == -RERR_EACCES) ? EACCES : EINVAL;
		return -1;
	}
	return 0;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	long rc = sys_call6(RSYS_getrandom, (long)(uintptr_t)buf, (long)len, (long)flags, 0, 0, 0);

	if (rc < 0) {
		errno = (rc == -RERR_EFAULT) ? EFAULT : (rc == -RERR_EINVAL) ? EINVAL :
			(rc == -RERR_ENOSYS) ? ENOSYS : EIO;
		return -1;
	}
	return (ssize_t)rc;
}

pid_t getpid(void)
{
	return (pid_t)sys_getpid();
}

/*
 * picolibc's raise() (abort()) sends the signal with kill().  The kernel
 * has no kill(2): a signal to this process ends it with status 128 + sig,
 * as an uncaught one would; other processes are out of reach.
 */
int kill(pid_t pid, int sig)
{
	if (pid != getpid()) {
		errno = EPERM;
		return -1;
	}
	fflush(stdout);
	for (;;) {
		(void)sys_call6(RSYS_exit_group, 128 + sig, 0, 0, 0, 0, 0);
	}
}

int sched_yield(void)
{
	(void)sys_sched_yield();
	return 0;
}

void _exit(int status)
{
	fflush(stdout);
	for (;;) {
		(void)sys_call6(RSYS_exit_group, status, 0, 0, 0, 0, 0);
	}
}

/* stdout: line-buffered, written with write(1). */
static char line[256];
static unsigned int line_len;

static int user_flush(FILE *f)
{
	(void)f;
	if (line_len > 0U) {
		(void)sys_write(1, line, line_len);
		line_len = 0U;
	}
	return 0;
}

static int user_putc(char c, FILE *f)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line)) {
		(void)user_flush(f);
	}
	return (unsigned char)c;
}

static FILE user_stdio = FDEV_SETUP_STREAM(user_putc, NULL, user_flush, _FDEV_SETUP_WRITE);
FILE *const stdin = &user_stdio;
FILE *const stdout = &user_stdio;
FILE *const stderr = &user_stdio;

void *sbrk(ptrdiff_t incr)
{
	static uint64_t cur;
	uint64_t old, want;

	if (cur == 0U) {
		cur = (uint64_t)sys_call6(RSYS_brk, 0, 0, 0, 0, 0, 0);
	}
	old = cur;
	want = old + (uint64_t)incr;
	if (incr != 0 && (uint64_t)sys_call6(RSYS_brk, (long)want, 0, 0, 0, 0, 0) != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	cur = want;
	return (void *)(uintptr_t)old;
}

long user_sigaction(int sig, user_sig_handler h)
{
	struct rsigaction act = {
		.handler = (uint64_t)(uintptr_t)h,
		.flags = RSA_SIGINFO | RSA_RESTORER,
		.restorer = (uint64_t)(uintptr_t)__user_sigreturn,
		.mask = 0,
	};

	return sys_rt_sigaction(sig, &act, NULL, 8U);
}

long user_voluntary_switches(void)
{
	uint64_t ru[18];	/* struct rusage on arm64 Linux: 144 bytes */
	long rc = sys_call6(RSYS_getrusage, 0, (long)(uintptr_t)ru, 0, 0, 0, 0);

	return rc < 0 ? rc : (long)ru[16];	/* ru_nvcsw */
}

uint64_t user_ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t user_ticks_per_s(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

const char *sys_errname(long ret)
{
	switch (-ret) {
	case RERR_EPERM: return "EPERM";
	case RERR_ENOENT: return "ENOENT";
	case RERR_EINTR: return "EINTR";
	case RERR_EIO: return "EIO";
	case RERR_E2BIG: return "E2BIG";
	case RERR_EBADF: return "EBADF";
	case RERR_ECHILD: return "ECHILD";
	case RERR_EAGAIN: return "EAGAIN";
	case RERR_ENOMEM: return "ENOMEM";
	case RERR_EACCES: return "EACCES";
	case RERR_EFAULT: return "EFAULT";
	case RERR_EBUSY: return "EBUSY";
	case RERR_EEXIST: return "EEXIST";
	case RERR_ENODEV: return "ENODEV";
	case RERR_EINVAL: return "EINVAL";
	case RERR_EMFILE: return "EMFILE";
	case RERR_ENOTTY: return "ENOTTY";
	case RERR_ENOSPC: return "ENOSPC";
	case RERR_ERANGE: return "ERANGE";
	case RERR_EBADMSG: return "EBADMSG";
	case RERR_EADDRINUSE: return "EADDRINUSE";
	case RERR_ENAMETOOLONG: return "ENAMETOOLONG";
	case RERR_ENOSYS: return "ENOSYS";
	case RERR_EOPNOTSUPP: return "EOPNOTSUPP";
	case RERR_ETIMEDOUT: return "ETIMEDOUT";
	case RERR_ECANCELED: return "ECANCELED";
	default: return (ret >= 0) ? "OK" : "E?";
	}
}
