/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The part of <pthread.h> libcaec uses, for applications of the caec realm
 * kernel (firmware/realm/kernel), whose processes have exactly one thread.
 *
 * libcaec's logic (src/) serialises with POSIX mutexes.  With one thread
 * there is nobody to exclude, so a mutex only records that it is held: a
 * second lock by the same (only) thread is a bug that would deadlock on a
 * threaded platform, and stops the program with a message instead.  No
 * thread can be created here (the RSI backend polls for events instead of
 * running an event thread; see rsi_transport.h), and no process forks.
 */
#ifndef CAEC_REALM_PTHREAD_H
#define CAEC_REALM_PTHREAD_H

#include <stdio.h>
#include <stdlib.h>

typedef struct {
	int held;
} pthread_mutex_t;
typedef int pthread_mutexattr_t;

#define PTHREAD_MUTEX_INITIALIZER { 0 }

static inline int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	(void)a;
	m->held = 0;
	return 0;
}

static inline int pthread_mutex_destroy(pthread_mutex_t *m)
{
	(void)m;
	return 0;
}

static inline int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (m->held) {
		fprintf(stderr, "libcaec: a mutex locked twice by the only thread "
				"(a deadlock on a threaded platform)\n");
		abort();
	}
	m->held = 1;
	return 0;
}

static inline int pthread_mutex_unlock(pthread_mutex_t *m)
{
	m->held = 0;
	return 0;
}

typedef int pthread_once_t;
#define PTHREAD_ONCE_INIT 0

static inline int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (!*once) {
		*once = 1;
		fn();
	}
	return 0;
}

/* There is no fork(2) in the realm kernel: the handlers never run. */
static inline int pthread_atfork(void (*prepare)(void), void (*parent)(void),
				 void (*child)(void))
{
	(void)prepare;
	(void)parent;
	(void)child;
	return 0;
}

#endif
