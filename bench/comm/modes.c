/* SPDX-License-Identifier: Apache-2.0 */
/* The table of modes, and stand-ins for modes this build could not have. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "comm.h"

#if !COMM_HAVE_OPENSSL
static int missing_prepare(struct comm_chan *ch)
{
	snprintf(ch->why, sizeof(ch->why), "unavailable: %s",
		 ch->ops->what);
	return -ENOSYS;
}
#define MISSING(nm, wh)                                              \
	{                                                            \
		.name = nm, .what = wh, .prepare = missing_prepare,  \
	}
const struct comm_mode_ops comm_mode_aes_openssl =
	MISSING("shm-aesgcm-openssl", "this build has no OpenSSL libcrypto");
int comm_aes_openssl_cpb(size_t size, double *enc, double *dec)
{
	(void)size;
	*enc = *dec = 0;
	return -ENOSYS;
}
void *comm_gcm_openssl_new(void) { return NULL; }
int comm_gcm_openssl_seal(void *g, uint64_t seq, const void *in, size_t len,
			  void *wire)
{
	(void)g, (void)seq, (void)in, (void)len, (void)wire;
	return -ENOSYS;
}
int comm_gcm_openssl_open(void *g, uint64_t seq, const void *wire, size_t len,
			  void *out)
{
	(void)g, (void)seq, (void)wire, (void)len, (void)out;
	return -ENOSYS;
}
void comm_gcm_openssl_free(void *g) { (void)g; }
#endif

const struct comm_mode_ops *const comm_modes[] = {
	&comm_mode_csm_copy,
	&comm_mode_csm_zerocopy,
	&comm_mode_shm_plain,
	&comm_mode_aes_mbedtls,
	&comm_mode_aes_openssl,
	&comm_mode_unix,
	&comm_mode_tcp,
	&comm_mode_vsock,
	&comm_mode_vsock_host,
	NULL,
};

const struct comm_mode_ops *comm_mode_find(const char *name)
{
	for (size_t i = 0; comm_modes[i]; i++)
		if (strcmp(comm_modes[i]->name, name) == 0)
			return comm_modes[i];
	return NULL;
}
