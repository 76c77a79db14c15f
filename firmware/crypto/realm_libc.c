/*
 * What Debian's arm64 static crypto libraries (libmbedcrypto.a,
 * libcrypto.a), built for glibc and Linux, need in a realm program on
 * picolibc beyond what picolibc and the program's runtime give.  Linked by
 * every such program: on the realm C runtime at EL1 (realm/attest,
 * realm/bench) and, through libcaec's realm build, applications of the
 * realm kernel at EL0 (realm/libcaec); the EL3 monitor and the RMM, which
 * have no C library at all, use crypto/libc.c instead.
 *
 * - glibc's _FORTIFY_SOURCE checks (__memcpy_chk, __memset_chk, and
 *   __printf_chk, which mbedTLS's self-tests call) and errno accessor;
 * - the pthread mutexes of MBEDTLS_THREADING_PTHREAD (crypto/include/
 *   pthread.h gives glibc's layout): a realm program here is
 *   single-threaded;
 * - the POSIX calls picolibc's own fallbacks reach: mbedtls_md_file() and
 *   the key-file helpers link fopen, which needs open/read/write/lseek/
 *   close (a realm has no files: they fail with ENOSYS), and the stack
 *   protector's and the _FORTIFY checks' failure path links raise(), which
 *   needs getpid/kill (kill ends the program, as abort() would).  These
 *   are weak: a runtime that has the calls (the realm kernel's EL0
 *   runtime, realm/user: open, read, close, getpid and kill on system
 *   calls) overrides them;
 * - rand(), referenced by mbedTLS's self-tests only: picolibc's keeps its
 *   state in .tdata, which this runtime's TLS layout does not expect.
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

/* A broken invariant inside a library: end the realm (no signals here). */
static void __attribute__((noreturn)) fortify_fail(const char *what)
{
	printf("realm program: %s: buffer overflow\n", what);
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

/* glibc: printf with _FORTIFY_SOURCE's checks (flag > 0); picolibc's vprintf does the work. */
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

__attribute__((weak)) int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	errno = ENOSYS;
	return -1;
}

__attribute__((weak)) int close(int fd)
{
	(void)fd;
	errno = ENOSYS;
	return -1;
}

__attribute__((weak)) long read(int fd, void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

__attribute__((weak)) long write(int fd, const void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

__attribute__((weak)) long lseek(int fd, long off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ENOSYS;
	return -1;
}

__attribute__((weak)) int getpid(void)
{
	return 1;
}

/* raise(sig) is kill(getpid(), sig): the program ends with 128 + sig. */
__attribute__((weak)) int kill(int pid, int sig)
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
