/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RSI backend's transport in a Linux realm: open(2), ioctl(2) and
 * mmap(2) on the CSM driver's device node, and a pthread for events.  No
 * Linux CSM driver exists yet, so on this project's machines open()
 * finds no /dev/caec and caec_open() fails with CAEC_E_NOTSUP; the rest
 * is compiled and type-checked, not run (docs/backends.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <caec/abi/driver.h>

#include "rsi_transport.h"

/* glibc's errno is Linux's: the driver ABI's numbers are these. */
_Static_assert(CAEC_DRV_EINVAL == EINVAL && CAEC_DRV_ENOENT == ENOENT &&
	       CAEC_DRV_ECANCELED == ECANCELED && CAEC_DRV_ETIMEDOUT == ETIMEDOUT &&
	       CAEC_DRV_EBADMSG == EBADMSG && CAEC_DRV_EADDRINUSE == EADDRINUSE &&
	       CAEC_DRV_EOPNOTSUPP == EOPNOTSUPP && CAEC_DRV_ERANGE == ERANGE,
	       "the driver ABI's errno values are Linux's");

const char rsi_tr_name[] = "linux ioctl";

int rsi_tr_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

void rsi_tr_close(int fd)
{
	close(fd);
}

int rsi_tr_ioctl(int fd, uint32_t cmd, void *arg)
{
	int rc;
	do {
		rc = ioctl(fd, (unsigned long)cmd, arg);
	} while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : 0;
}

int rsi_tr_mmap(int fd, size_t len, bool rw, uint64_t off, void **addr)
{
	void *p = mmap(NULL, len, PROT_READ | (rw ? PROT_WRITE : 0), MAP_SHARED, fd,
		       (off_t)off);
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

int rsi_tr_munmap(void *addr, size_t len)
{
	return munmap(addr, len) == 0 ? 0 : -errno;
}

int rsi_tr_thread_start(void *(*fn)(void *), void *arg, void **handle)
{
	pthread_t *t = malloc(sizeof(*t));
	if (!t)
		return -CAEC_DRV_ENOMEM;
	int rc = pthread_create(t, NULL, fn, arg);
	if (rc != 0) {
		free(t);
		return -rc;
	}
	*handle = t;
	return 0;
}

void rsi_tr_thread_join(void *handle)
{
	pthread_t *t = handle;
	pthread_join(*t, NULL);
	free(t);
}
