/*
 * What Debian's arm64 static crypto libraries (libmbedcrypto.a,
 * libcrypto.a), built for glibc and Linux, need in a realm program on the
 * realm C runtime beyond what picolibc and the runtime give:
 *
 * - __printf_chk: glibc's _FORTIFY_SOURCE printf, which mbedTLS's
 *   self-tests call (linked with the AES module, never run);
 * - the POSIX calls picolibc's own fallbacks reach: mbedtls_md_file()
 *   (in md.o, never called) links fopen, which needs open/read/write/
 *   lseek/close; the stack protector's and the _FORTIFY checks' failure
 *   path links raise(), which needs getpid/kill.  A realm has no files:
 *   those fail with ENOSYS; kill() ends the program as abort() would.
 *
 * (The EL3 monitor and the RMM, which have no C library at all, get what
 * these libraries expect from firmware/crypto/libc.c instead.)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

int __printf_chk(int flag, const char *fmt, ...);
int open(const char *path, int flags, ...);
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
off_t lseek(int fd, off_t off, int whence);
int close(int fd);
pid_t getpid(void);
int kill(pid_t pid, int sig);
void _exit(int status) __attribute__((noreturn));

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

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	errno = ENOSYS;
	return -1;
}

ssize_t read(int fd, void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	(void)fd;
	(void)buf;
	(void)n;
	errno = ENOSYS;
	return -1;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ENOSYS;
	return -1;
}

int close(int fd)
{
	(void)fd;
	errno = ENOSYS;
	return -1;
}

pid_t getpid(void)
{
	return 1;
}

/* raise(sig) is kill(getpid(), sig): the program ends with 128 + sig. */
int kill(pid_t pid, int sig)
{
	(void)pid;
	printf("[realm] signal %d: ending the program\n", sig);
	_exit(128 + sig);
}
