/* SPDX-License-Identifier: Apache-2.0 */
/* Public doorbell API: core/doorbell protocol + Linux futexes. */
#include <stddef.h>
#include <stdint.h>

#include <caec/doorbell.h>
#include <doorbell/doorbell.h>

#include "futex.h"

CAEC_EXPORT int caec_doorbell_wait(uint32_t *word, caec_doorbell_cond_fn cond,
				   void *arg, int64_t timeout_ns)
{
	if (word == NULL || cond == NULL ||
	    ((uintptr_t)word & 3u) != 0)
		return CAEC_E_INVAL;
	if (timeout_ns == 0) {
		int rc = cond(arg);
		return rc > 0 ? 0 : rc < 0 ? rc : CAEC_E_TIMEDOUT;
	}
	return doorbell_wait(word, &caec_priv_futex_ops, NULL, cond, arg,
			     CAEC_PRIV_DOORBELL_SPINS,
			     caec_priv_deadline(timeout_ns));
}

CAEC_EXPORT int caec_doorbell_notify(uint32_t *word)
{
	if (word == NULL || ((uintptr_t)word & 3u) != 0)
		return CAEC_E_INVAL;
	return doorbell_notify(word, &caec_priv_futex_ops);
}

CAEC_EXPORT int caec_doorbell_kick(uint32_t *word)
{
	if (word == NULL || ((uintptr_t)word & 3u) != 0)
		return CAEC_E_INVAL;
	doorbell_kick(word, &caec_priv_futex_ops);
	return 0;
}
