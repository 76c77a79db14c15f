/*
 * What Debian's arm64 libmbedcrypto.a (built for glibc) references and
 * picolibc does not have: the _FORTIFY_SOURCE checks, glibc's errno
 * accessor, the pthread mutexes of MBEDTLS_THREADING_PTHREAD (a realm
 * program here is single-threaded), and the POSIX file calls under
 * picolibc's fopen (the library's key-file helpers, which this program
 * never calls: a realm has no files) and raise (abort, and a smashed
 * stack found by the library's stack protector, end the realm).  rand()
 * is referenced by the library's self-tests only; picolibc's keeps its
 * state in .tdata, which this runtime's TLS layout does not expect.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len);
void *__memset_chk(void *dst, int c, size_t n, size_t dst_len);
int *__errno_location(void);
int __printf_chk(int flag, const char *fmt, ...);
int open(const char *path, int flags, ...);
int close(int fd);
long read(int fd, void *buf, size_t n);
long write(int fd, const void *buf, size_t n);
long lseek(int fd, long off, int whence);
int getpid(void);
int kill(int pid, int sig);
int rand(void);

/* A broken invariant inside mbedTLS: end the realm (no signals here). */
static void __attribute__((noreturn)) fortify_fail(const char *what)
{
	printf("mbedTLS: %s: buffer overflow\n", what);
	exit(134);
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
	if (n > dst_len) {
		fortify_fail("memcpy");
	}
	return memcpy(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dst_len)
{
	if (n > dst_len) {
		fortify_fail("memset");
	}
	return memset(dst, c, n);
}

int *__errno_location(void)
{
	return &errno;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	(void)m;
	(void)attr;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	(void)m;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	(void)m;
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	(void)m;
	return 0;
}

int __printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int n;

	(void)flag;
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	errno = ENOSYS;
	return -1;
}

int close(int fd)
{
	(void)fd;
	errno = ENOSYS;
	return -1;
}

long read(int fd, void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

long write(int fd, const void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

long lseek(int fd, long off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ENOSYS;
	return -1;
}

int getpid(void)
{
	return 1;
}

int kill(int pid, int sig)
{
	(void)pid;
	printf("realm program: signal %d, ending\n", sig);
	exit(128 + sig);
}

int rand(void)
{
	printf("realm program: rand() called (mbedTLS self-test?), ending\n");
	exit(134);
}
