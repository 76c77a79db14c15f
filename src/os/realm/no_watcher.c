/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_channel_watch() in a realm: the watcher is a thread sleeping on
 * several futex words (src/channel/watch.c), and a process of the realm
 * kernel has one thread, no multi-word wait and no descriptor to report
 * through (caec_ctx_fd() is CAEC_E_NOTSUP on the RSI backend).  Watching
 * is CAEC_E_NOTSUP here; caec_channel_wait_any() on one channel is what a
 * realm application uses instead.
 */
#include <caec/channel.h>

#include "../../channel/chan.h"

CAEC_EXPORT int caec_channel_watch(struct caec_channel *ch, uint32_t events, size_t send_len)
{
	(void)send_len;
	if (!ch || (events & ~(CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE)))
		return CAEC_E_INVAL;
	return CAEC_E_NOTSUP;
}

void caec_priv_channel_unwatch(struct caec_channel *ch)
{
	(void)ch;
}

void caec_priv_watch_fini(struct caec_ctx *ctx, bool forked)
{
	(void)ctx;
	(void)forked;
}
