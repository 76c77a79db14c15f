/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doorbell words in RSI regions (backend.h: caec_backend_word_sleep/wake).
 *
 * The peer of a region is another realm: its store to a doorbell word
 * reaches our memory, but no futex of ours sees it.  So a waiter sleeps
 * in the CSM driver (CAEC_IOC_WAIT: the driver re-reads the word whenever
 * the realm runs again) and a notifier rings the peer's doorbell
 * (CAEC_IOC_NOTIFY: RSI CSM_NOTIFY, after which the host runs the peer).
 * This file maps a word's address to the open file and ID those calls
 * need.  Words anywhere else get CAEC_E_NOTSUP: the caller uses the OS's
 * futex (the sim backend's memfds, plain memory).
 */
#include <pthread.h>
#include <stdint.h>

#include <caec/abi/driver.h>
#include <caec/error.h>

#include <backend/backend.h>

#include "rsi.h"
#include "rsi_transport.h"

#define RSI_WORDS_MAX 64

static struct rsi_word_range {
	uintptr_t base;
	size_t size;
	int fd;
	uint64_t id;
	bool provider;
} ranges[RSI_WORDS_MAX];
static unsigned nranges;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int rsi_words_add(void *addr, size_t size, int fd, uint64_t id, bool provider)
{
	int rc = CAEC_E_NOMEM;
	pthread_mutex_lock(&lock);
	if (nranges < RSI_WORDS_MAX) {
		ranges[nranges++] = (struct rsi_word_range){
			(uintptr_t)addr, size, fd, id, provider };
		rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void rsi_words_remove(void *addr)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < nranges; i++) {
		if (ranges[i].base == (uintptr_t)addr) {
			ranges[i] = ranges[--nranges];
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}

/* The range holding word, copied out (the lock is not held across a wait). */
static bool find(const uint32_t *word, struct rsi_word_range *out)
{
	bool found = false;
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < nranges; i++) {
		const struct rsi_word_range *r = &ranges[i];
		if ((uintptr_t)word >= r->base && (uintptr_t)word - r->base < r->size) {
			*out = *r;
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
	return found;
}

bool caec_backend_word_is_platform(const uint32_t *word)
{
	struct rsi_word_range r;
	return find(word, &r);
}

int caec_backend_word_sleep(uint32_t *word, uint32_t val, int64_t timeout_ns)
{
	struct rsi_word_range r;
	if (!find(word, &r))
		return CAEC_E_NOTSUP;
	struct caec_drv_wait w = {
		.size = sizeof(w),
		.id = r.id,
		.offset = (uintptr_t)word - r.base,
		.expected = val,
		.timeout_ns = timeout_ns,
	};
	int rc = rsi_tr_ioctl(r.fd, CAEC_IOC_WAIT, &w);
	switch (rc) {
	case 0:
	case -CAEC_DRV_EAGAIN: /* the word had changed already */
		return 0;
	case -CAEC_DRV_ETIMEDOUT:
		return CAEC_E_TIMEDOUT;
	case -CAEC_DRV_ECANCELED: /* revoked: the driver took the SEA */
	case -CAEC_DRV_ENOENT:    /* detached or unshared meanwhile */
		return CAEC_E_CLOSED;
	default:
		return CAEC_E_PLATFORM;
	}
}

int caec_backend_word_wake(uint32_t *word)
{
	struct rsi_word_range r;
	if (!find(word, &r))
		return CAEC_E_NOTSUP;
	/* A provider does not know which of its grants are attached: the
	 * driver rings every grant of the region (the RMM rings only the
	 * attached ones). */
	struct caec_drv_notify n = {
		.size = sizeof(n),
		.flags = r.provider ? CAEC_DRV_NOTIFY_F_REGION : 0,
		.grant_id = r.id,
	};
	int rc = rsi_tr_ioctl(r.fd, CAEC_IOC_NOTIFY, &n);
	return rc == 0 ? 0 : rsi_err(rc);
}
