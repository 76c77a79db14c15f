/*
 * Only for the mbedTLS headers (firmware/crypto): Debian builds the library
 * with MBEDTLS_THREADING_PTHREAD, so its contexts that hold a mutex (the
 * DRBGs, the entropy pool, RSA) embed a glibc pthread_mutex_t.  Its size
 * and alignment here are glibc's on aarch64 (__SIZEOF_PTHREAD_MUTEX_T 48,
 * aligned as long), so those structures have the library's layout.  The
 * functions are crypto/libc.c's no-ops: the crypto guard serialises every
 * use of the library.
 */
#ifndef FW_CRYPTO_PTHREAD_H
#define FW_CRYPTO_PTHREAD_H

typedef union {
	char __size[48];
	long __align;
} pthread_mutex_t;

typedef union {
	char __size[8];
	int __align;
} pthread_mutexattr_t;

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

#endif /* FW_CRYPTO_PTHREAD_H */
