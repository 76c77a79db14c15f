/*
 * EL0 side of the realm kernel's system calls (uapi/realm_syscall.h):
 * raw wrappers that return the kernel's value (>= 0, or -errno with Linux
 * numbering), as a test wants to see it, and a few helpers.
 */
#ifndef USER_SYS_H
#define USER_SYS_H

#include <stddef.h>
#include <stdint.h>

#include <realm_syscall.h>

long sys_call6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

static inline long sys_write(int fd, const void *buf, size_t n)
{
	return sys_call6(RSYS_write, fd, (long)(uintptr_t)buf, (long)n, 0, 0, 0);
}
static inline long sys_openat(int dirfd, const char *path, int flags)
{
	return sys_call6(RSYS_openat, dirfd, (long)(uintptr_t)path, flags, 0, 0, 0);
}
static inline long sys_close(int fd)
{
	return sys_call6(RSYS_close, fd, 0, 0, 0, 0, 0);
}
static inline long sys_ioctl(int fd, unsigned long cmd, const void *arg)
{
	return sys_call6(RSYS_ioctl, fd, (long)cmd, (long)(uintptr_t)arg, 0, 0, 0);
}
static inline long sys_mmap(uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	return sys_call6(RSYS_mmap, 0, (long)len, prot, flags, fd, (long)off);
}
static inline long sys_munmap(uint64_t addr, uint64_t len)
{
	return sys_call6(RSYS_munmap, (long)addr, (long)len, 0, 0, 0, 0);
}
static inline long sys_nanosleep(const struct rtimespec *req)
{
	return sys_call6(RSYS_nanosleep, (long)(uintptr_t)req, 0, 0, 0, 0, 0);
}
static inline long sys_getpid(void)
{
	return sys_call6(RSYS_getpid, 0, 0, 0, 0, 0, 0);
}
static inline long sys_sched_yield(void)
{
	return sys_call6(RSYS_sched_yield, 0, 0, 0, 0, 0, 0);
}
static inline long sys_rt_sigaction(int sig, const struct rsigaction *act, struct rsigaction *old,
				    size_t setsize)
{
	return sys_call6(RSYS_rt_sigaction, sig, (long)(uintptr_t)act, (long)(uintptr_t)old,
			 (long)setsize, 0, 0);
}

static inline long sys_wait4(long pid, int32_t *status)
{
	return sys_call6(RSYS_wait4, pid, (long)(uintptr_t)status, 0, 0, 0, 0);
}

/* Test kernels only (uapi/realm_syscall.h): the peer harness, the RIM, spawn. */
static inline long sys_test_peer_info(void)
{
	return sys_call6(RSYS_test_peer_info, 0, 0, 0, 0, 0, 0);
}
static inline long sys_test_peer_send(unsigned to, uint64_t tag, uint64_t value)
{
	return sys_call6(RSYS_test_peer_send, to, (long)tag, (long)value, 0, 0, 0);
}
static inline long sys_test_peer_recv(unsigned from, uint64_t tag, uint64_t *value)
{
	return sys_call6(RSYS_test_peer_recv, from, (long)tag, (long)(uintptr_t)value, 0, 0, 0);
}
static inline long sys_test_realm_rim(uint8_t out[64])
{
	return sys_call6(RSYS_test_realm_rim, (long)(uintptr_t)out, 0, 0, 0, 0, 0);
}
static inline long sys_test_spawn(const char *name, const char *const *argv)
{
	return sys_call6(RSYS_test_spawn, (long)(uintptr_t)name, (long)(uintptr_t)argv, 0, 0, 0, 0);
}

/* getrusage(RUSAGE_SELF)'s ru_nvcsw: how often this process blocked. */
long user_voluntary_switches(void);

/* The name of a system call's negative result ("EINVAL"), or "OK" for >= 0. */
const char *sys_errname(long ret);

typedef void (*user_sig_handler)(int sig, struct rsiginfo *info, void *ctx);
/* Installs a fault handler with the runtime's restorer; the kernel's result. */
long user_sigaction(int sig, user_sig_handler h);

/* The virtual counter (EL0 may read it) and its frequency. */
uint64_t user_ticks(void);
uint64_t user_ticks_per_s(void);

#endif /* USER_SYS_H */
