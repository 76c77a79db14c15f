/*
 * System calls (arm64 Linux numbers and semantics for the subset in
 * uapi/realm_syscall.h).  Every pointer argument is copied through
 * copy_from_user/copy_to_user, which fail with EFAULT for anything the
 * application itself could not access; unknown calls fail with ENOSYS.
 */
#include <stdio.h>
#include <string.h>

#include <caec/abi/driver.h>

#include "kernel.h"

#define PATH_MAX_BYTES	64U
#define WRITE_CHUNK	256U

static struct kfile *get_file(struct proc *p, uint64_t fd)
{
	if (fd >= KMAX_FDS || p->fds[fd].kind == F_NONE) {
		return NULL;
	}
	return &p->fds[fd];
}

static int64_t sys_write(struct proc *p, uint64_t fd, uint64_t buf, uint64_t len)
{
	struct kfile *f = get_file(p, fd);
	char chunk[WRITE_CHUNK];
	uint64_t done = 0U;

	if (f == NULL) {
		return -RERR_EBADF;
	}
	if (f->kind != F_CONSOLE || fd == 0U) {
		return -RERR_EINVAL;
	}
	if (!user_range_ok(buf, len)) {
		return -RERR_EFAULT;
	}
	while (done < len) {
		size_t n = (len - done > WRITE_CHUNK) ? WRITE_CHUNK : (size_t)(len - done);

		if (copy_from_user(chunk, buf + done, n) != 0) {
			return (done > 0U) ? (int64_t)done : -RERR_EFAULT;
		}
		console_write_user(p, chunk, n);
		done += n;
	}
	return (int64_t)done;
}

static int64_t sys_openat(struct proc *p, int64_t dirfd, uint64_t upath, uint64_t flags)
{
	char path[PATH_MAX_BYTES];
	unsigned int fd;
	int n;

	(void)dirfd;	/* absolute paths only: one device exists */
	n = copy_str_from_user(path, upath, sizeof(path));
	if (n < 0) {
		return n;
	}
	if ((flags & ~(uint64_t)(RO_RDWR | RO_CLOEXEC)) != 0U) {
		return -RERR_EINVAL;
	}
	if (strcmp(path, CAEC_DRV_DEVICE) != 0) {
		return -RERR_ENOENT;
	}
	for (fd = 3U; fd < KMAX_FDS; fd++) {
		if (p->fds[fd].kind == F_NONE) {
			p->fds[fd].caec = csm_open(p);
			if (p->fds[fd].caec == NULL) {
				return -RERR_ENOMEM;
			}
			p->fds[fd].kind = F_CAEC;
			return fd;
		}
	}
	return -RERR_EMFILE;
}

static int64_t sys_close(struct proc *p, uint64_t fd)
{
	struct kfile *f = get_file(p, fd);

	if (f == NULL) {
		return -RERR_EBADF;
	}
	if (f->kind == F_CAEC) {
		csm_release(f->caec);
	}
	f->kind = F_NONE;
	f->caec = NULL;
	return 0;
}

static int64_t sys_ioctl(struct proc *p, uint64_t fd, uint64_t cmd, uint64_t arg)
{
	struct kfile *f = get_file(p, fd);

	if (f == NULL) {
		return -RERR_EBADF;
	}
	if (f->kind != F_CAEC) {
		return -RERR_ENOTTY;
	}
	if (cmd > UINT32_MAX) {
		return -RERR_ENOTTY;
	}
	return csm_ioctl(p, f->caec, (uint32_t)cmd, arg);
}

static int64_t sys_mmap(struct proc *p, const struct rt_frame *f)
{
	uint64_t len = f->x[1], prot = f->x[2], flags = f->x[3], fd = f->x[4], off = f->x[5];
	struct kfile *file = get_file(p, fd);

	if (flags != RMAP_SHARED) {
		return -RERR_EINVAL;	/* only shared mappings of /dev/caec */
	}
	if (file == NULL) {
		return -RERR_EBADF;
	}
	if (file->kind != F_CAEC) {
		return -RERR_ENODEV;
	}
	return csm_mmap(p, file->caec, len, prot, off);
}

static int64_t sys_nanosleep(struct proc *p, uint64_t ureq)
{
	struct rtimespec ts;

	if (copy_from_user(&ts, ureq, sizeof(ts)) != 0) {
		return -RERR_EFAULT;
	}
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000 ||
	    ts.tv_sec > 1000000000) {
		return -RERR_EINVAL;
	}
	sched_block(p, W_SLEEP, ts.tv_sec * 1000000000 + ts.tv_nsec);
	return SYSCALL_BLOCKED;
}

static int64_t sys_clock_gettime(uint64_t clk, uint64_t uts)
{
	uint64_t t = ktime_ticks(), f;
	struct rtimespec ts;

	if (clk != RCLOCK_MONOTONIC && clk != RCLOCK_REALTIME) {
		return -RERR_EINVAL;
	}
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	ts.tv_sec = (int64_t)(t / f);
	ts.tv_nsec = (int64_t)(((t % f) * 1000000000U) / f);
	return copy_to_user(uts, &ts, sizeof(ts));
}

static int64_t sys_rt_sigaction(struct proc *p, uint64_t sig, uint64_t uact, uint64_t uold,
				uint64_t setsize)
{
	struct rsigaction act;

	if (setsize != 8U || sig == 0U || sig > RSIG_MAX || sig == 9U || sig == 19U) {
		return -RERR_EINVAL;
	}
	if (uold != 0U && copy_to_user(uold, &p->sig[sig], sizeof(act)) != 0) {
		return -RERR_EFAULT;
	}
	if (uact == 0U) {
		return 0;
	}
	if (copy_from_user(&act, uact, sizeof(act)) != 0) {
		return -RERR_EFAULT;
	}
	if (act.handler > RSIG_IGN &&
	    ((act.flags & (RSA_SIGINFO | RSA_RESTORER)) != (RSA_SIGINFO | RSA_RESTORER) ||
	     !user_range_ok(act.handler, 4U) || !user_range_ok(act.restorer, 4U))) {
		return -RERR_EINVAL;	/* no vDSO: a handler needs its own restorer */
	}
	p->sig[sig] = act;
	return 0;
}

/* wait4(pid, status, 0, NULL): a child this process spawned (testhooks.c). */
static int64_t sys_wait4(struct proc *p, int64_t pid, uint64_t ustatus, uint64_t options,
			 uint64_t urusage)
{
	unsigned int i;

	if (options != 0U || urusage != 0U || pid <= 0) {
		return -RERR_EINVAL;
	}
	if (ustatus != 0U && !user_range_ok(ustatus, sizeof(int32_t))) {
		return -RERR_EFAULT;
	}
	for (i = 0U; i < KMAX_PROCS; i++) {
		if (procs[i].state != P_FREE && procs[i].pid == (unsigned int)pid &&
		    procs[i].ppid == p->pid) {
			p->wait_arg[0] = (uint64_t)pid;
			p->wait_arg[1] = ustatus;
			sched_block(p, W_CHILD, -1);
			return SYSCALL_BLOCKED;
		}
	}
	return -RERR_ECHILD;
}

/* getrusage(RUSAGE_SELF): only ru_nvcsw is kept (the times it blocked). */
static int64_t sys_getrusage(struct proc *p, int64_t who, uint64_t uusage)
{
	uint64_t ru[18];

	if (who != 0) {
		return -RERR_EINVAL;
	}
	memset(ru, 0, sizeof(ru));
	ru[16] = p->nvcsw;	/* after two timevals and 12 longs: ru_nvcsw */
	return copy_to_user(uusage, ru, sizeof(ru));
}

int64_t syscall_dispatch(struct proc *p, struct rt_frame *f)
{
	uint64_t *a = f->x;

	switch (f->x[8]) {
	case RSYS_write:
		return sys_write(p, a[0], a[1], a[2]);
	case RSYS_openat:
		return sys_openat(p, (int64_t)a[0], a[1], a[2]);
	case RSYS_close:
		return sys_close(p, a[0]);
	case RSYS_ioctl:
		return sys_ioctl(p, a[0], a[1], a[2]);
	case RSYS_mmap:
		return sys_mmap(p, f);
	case RSYS_munmap:
		return csm_munmap(p, a[0], a[1]);
	case RSYS_mprotect:
		return csm_mprotect(p, a[0], a[1], a[2]);
	case RSYS_brk:
		return vm_brk(p, a[0]);
	case RSYS_nanosleep:
		return sys_nanosleep(p, a[0]);
	case RSYS_clock_gettime:
		return sys_clock_gettime(a[0], a[1]);
	case RSYS_sched_yield:
		return 0;
	case RSYS_getpid:
		return p->pid;
	case RSYS_rt_sigaction:
		return sys_rt_sigaction(p, a[0], a[1], a[2], a[3]);
	case RSYS_rt_sigreturn:
		return signal_return(p, f);
	case RSYS_wait4:
		return sys_wait4(p, (int64_t)a[0], a[1], a[2], a[3]);
	case RSYS_getrusage:
		return sys_getrusage(p, (int64_t)a[0], a[1]);
	case RSYS_getrandom:
		return sys_getrandom(a[0], a[1], a[2]);
	case RSYS_test_peer_info:
	case RSYS_test_peer_send:
	case RSYS_test_peer_recv:
	case RSYS_test_realm_rim:
	case RSYS_test_spawn:
		return test_syscall(p, f);
	case RSYS_exit:
	case RSYS_exit_group:
		proc_exit(p, (int)(int32_t)a[0]);
		return 0;
	default:
		return -RERR_ENOSYS;
	}
}
