/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RSI backend's transport in an application of the caec realm kernel
 * (firmware/realm/kernel): the kernel takes the arm64 Linux system call
 * numbers and the driver ABI's structs, so these are the Linux calls made
 * with svc (firmware/realm/user's sys_call6).  A process there has one
 * thread: no event thread, the backend polls (ops->poll).
 */
#include <caec/abi/driver.h>

#include <user/sys.h>

#include "rsi_transport.h"

const char rsi_tr_name[] = "realm kernel svc";

int rsi_tr_open(const char *path)
{
	long fd = sys_openat(RAT_FDCWD, path, RO_RDWR | RO_CLOEXEC);
	return (int)fd;
}

void rsi_tr_close(int fd)
{
	(void)sys_close(fd);
}

int rsi_tr_ioctl(int fd, uint32_t cmd, void *arg)
{
	return (int)sys_ioctl(fd, cmd, arg);
}

int rsi_tr_mmap(int fd, size_t len, bool rw, uint64_t off, void **addr)
{
	long va = sys_mmap(len, RPROT_READ | (rw ? RPROT_WRITE : 0), RMAP_SHARED, fd, off);
	if (va < 0 && va >= -(long)RMAP_FAILED_MAX)
		return (int)va;
	*addr = (void *)(uintptr_t)va;
	return 0;
}

int rsi_tr_munmap(void *addr, size_t len)
{
	return (int)sys_munmap((uint64_t)(uintptr_t)addr, len);
}

int rsi_tr_thread_start(void *(*fn)(void *), void *arg, void **handle)
{
	(void)fn;
	(void)arg;
	(void)handle;
	return -CAEC_DRV_EOPNOTSUPP;
}

void rsi_tr_thread_join(void *handle)
{
	(void)handle;
}
