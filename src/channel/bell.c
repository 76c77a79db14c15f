/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doorbell sleep/wake for core/doorbell, on every platform.
 *
 * A doorbell word in a region that a backend maps from another realm
 * (rsi: the peer runs on other CPUs of other VMs) cannot be slept on with
 * the OS's futex: nothing on this side would see the peer's store.  The
 * backend then sleeps and wakes through its platform (the CSM driver's
 * futex-style WAIT and its NOTIFY, a CSM_NOTIFY doorbell).  Every other
 * word (sim regions are shared memfds, plain memory) uses the OS's futex
 * (src/os/<os>/futex.c).
 */
#include <stdint.h>

#include <caec/error.h>
#include <doorbell/doorbell.h>

#include <backend/backend.h>

#include "../os/os.h"
#include "futex.h"

uint64_t caec_priv_now_ns(void)
{
	return caec_os_now_ns();
}

uint64_t caec_priv_deadline(int64_t timeout_ns)
{
	if (timeout_ns < 0)
		return DOORBELL_FOREVER;
	uint64_t now = caec_os_now_ns();
	if ((uint64_t)timeout_ns > DOORBELL_FOREVER - 1 - now)
		return DOORBELL_FOREVER - 1;
	return now + (uint64_t)timeout_ns;
}

static int bell_sleep(void *ctx, uint32_t *word, uint32_t val,
		      uint64_t deadline_ns)
{
	(void)ctx;
	int64_t timeout_ns = -1;
	if (deadline_ns != DOORBELL_FOREVER) {
		uint64_t now = caec_os_now_ns();
		if (deadline_ns <= now)
			return CAEC_E_TIMEDOUT;
		timeout_ns = deadline_ns - now > (uint64_t)INT64_MAX ?
				     INT64_MAX : (int64_t)(deadline_ns - now);
	}
	int rc = caec_backend_word_sleep(word, val, timeout_ns);
	if (rc != CAEC_E_NOTSUP)
		return rc;
	return caec_os_futex_sleep(word, val, deadline_ns);
}

static void bell_wake(void *ctx, uint32_t *word)
{
	(void)ctx;
	if (caec_backend_word_wake(word) != CAEC_E_NOTSUP)
		return;
	caec_os_futex_wake(word);
}

static uint64_t bell_now(void *ctx)
{
	(void)ctx;
	return caec_os_now_ns();
}

const struct doorbell_ops caec_priv_futex_ops = {
	.sleep = bell_sleep,
	.wake = bell_wake,
	.now_ns = bell_now,
	.ctx = NULL,
};
