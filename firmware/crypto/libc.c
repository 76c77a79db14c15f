/*
 * What Debian's arm64 libmbedcrypto.a (built for glibc) and core/token
 * need from a C library, for images that have none.  The string
 * functions come from common/src/string.c.
 *
 * The glibc-only symbols: the Debian build uses -fstack-protector-strong
 * (__stack_chk_guard/__stack_chk_fail), _FORTIFY_SOURCE (the *_chk
 * variants, which must check their bound), errno through
 * __errno_location, and MBEDTLS_THREADING_PTHREAD (pthread mutexes, which
 * the crypto guard makes unnecessary: one CPU at a time).  printf-style
 * functions and file I/O are referenced by the library's self-tests and
 * its file helpers (mbedtls_*_self_test, mbedtls_pk_parse_keyfile...),
 * which the images never call: they stop the machine if they ever are.
 */
#include <fw_crypto.h>
#include <pthread.h>
#include <string.h>

#include "crypto_private.h"

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len);
void *__memset_chk(void *dst, int c, size_t n, size_t dst_len);
int *__errno_location(void);
void __stack_chk_fail(void) __attribute__((noreturn));
int __printf_chk(int flag, const char *fmt, ...);
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...);

/* Reset from RNDR by each image at boot, before mbedTLS first runs. */
uintptr_t __stack_chk_guard = 0x2B7E151628AED2A6UL;

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
	if (n > dst_len) {
		crypto_panic("__memcpy_chk: buffer overflow");
	}
	return memcpy(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dst_len)
{
	if (n > dst_len) {
		crypto_panic("__memset_chk: buffer overflow");
	}
	return memset(dst, c, n);
}

int *__errno_location(void)
{
	static int err;	/* written under the crypto guard only */

	return &err;
}

void __stack_chk_fail(void)
{
	crypto_panic("stack protector: stack smashed in mbedTLS");
}

int __printf_chk(int flag, const char *fmt, ...)
{
	(void)flag;
	(void)fmt;
	crypto_panic("mbedTLS called printf");
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *fmt, ...)
{
	(void)s;
	(void)maxlen;
	(void)flag;
	(void)slen;
	(void)fmt;
	crypto_panic("mbedTLS called snprintf");
}

/* The library's self-tests and file helpers: never called here. */
#define NEVER(ret, name, ...)						\
	ret name(__VA_ARGS__);						\
	ret name(__VA_ARGS__)						\
	{								\
		crypto_panic("mbedTLS called " #name "()");		\
	}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
NEVER(int, puts, const char *s)
NEVER(int, putchar, int c)
NEVER(void *, fopen, const char *path, const char *mode)
NEVER(int, fclose, void *f)
NEVER(int, ferror, void *f)
NEVER(char *, fgets, char *s, int n, void *f)
NEVER(size_t, fread, void *p, size_t size, size_t n, void *f)
NEVER(size_t, fwrite, const void *p, size_t size, size_t n, void *f)
NEVER(int, rand, void)
NEVER(void *, gmtime_r, const void *t, void *tm)
#pragma GCC diagnostic pop

char *strstr(const char *hay, const char *needle);
char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		if (strncmp(hay, needle, n) == 0) {
			return (char *)(uintptr_t)hay;
		}
	}
	return (n == 0U) ? (char *)(uintptr_t)hay : NULL;
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
