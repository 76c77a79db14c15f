/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shm-aesgcm-mbedtls: AES-256-GCM (mbedTLS mbedtls_gcm_*) over
 * hypervisor-visible shared memory -- what a confidential VM does today.
 * Sender encrypts its private payload into the shared slot; receiver checks
 * header and sequence and decrypts+verifies into private memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <mbedtls/version.h>

#include "comm.h"

static int gcm_new(mbedtls_gcm_context **out)
{
	mbedtls_gcm_context *g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	mbedtls_gcm_init(g);
	if (mbedtls_gcm_setkey(g, MBEDTLS_CIPHER_ID_AES, comm_gcm_key, 256)) {
		mbedtls_gcm_free(g);
		free(g);
		return -EINVAL;
	}
	*out = g;
	return 0;
}

static void gcm_del(mbedtls_gcm_context *g)
{
	if (g) {
		mbedtls_gcm_free(g);
		free(g);
	}
}

static int seal(mbedtls_gcm_context *g, uint64_t seq, const uint8_t *in,
		size_t len, uint8_t *out /* hdr|ct|tag */)
{
	uint8_t iv[COMM_GCM_IV];
	comm_gcm_header(out, COMM_SESSION, seq);
	comm_gcm_iv(iv, COMM_SESSION, seq);
	return mbedtls_gcm_crypt_and_tag(g, MBEDTLS_GCM_ENCRYPT, len, iv,
					 sizeof(iv), out, COMM_GCM_HDR, in,
					 out + COMM_GCM_HDR, COMM_GCM_TAG,
					 out + COMM_GCM_HDR + len)
		       ? -EIO
		       : 0;
}

static int open_msg(mbedtls_gcm_context *g, uint64_t seq, const uint8_t *wire,
		    size_t len, uint8_t *out)
{
	uint8_t hdr[COMM_GCM_HDR], tag[COMM_GCM_TAG], iv[COMM_GCM_IV];
	/* copy what we check out of shared memory first */
	memcpy(hdr, wire, sizeof(hdr));
	memcpy(tag, wire + COMM_GCM_HDR + len, sizeof(tag));
	if (!comm_gcm_header_ok(hdr, COMM_SESSION, seq))
		return -EPROTO;
	comm_gcm_iv(iv, COMM_SESSION, seq);
	return mbedtls_gcm_auth_decrypt(g, len, iv, sizeof(iv), hdr,
					sizeof(hdr), tag, sizeof(tag),
					wire + COMM_GCM_HDR, out)
		       ? -EBADMSG
		       : 0;
}

void *comm_gcm_mbedtls_new(void)
{
	mbedtls_gcm_context *g;
	return gcm_new(&g) == 0 ? g : NULL;
}

int comm_gcm_mbedtls_seal(void *g, uint64_t seq, const void *in, size_t len,
			  void *wire)
{
	return seal(g, seq, in, len, wire);
}

int comm_gcm_mbedtls_open(void *g, uint64_t seq, const void *wire, size_t len,
			  void *out)
{
	return open_msg(g, seq, wire, len, out);
}

void comm_gcm_mbedtls_free(void *g) { gcm_del(g); }

static int m_prepare(struct comm_chan *ch)
{
	return comm_shmx_prepare_memfd(ch, "caec-bench-shm-aes-mbedtls");
}

static const struct comm_gcm_lib mbedtls = {
	.new_ctx = comm_gcm_mbedtls_new,
	.seal = comm_gcm_mbedtls_seal,
	.open = comm_gcm_mbedtls_open,
	.free_ctx = comm_gcm_mbedtls_free,
};

static int m_open(struct comm_chan *ch)
{
	return comm_gcm_mode_open(ch, &mbedtls);
}

static int m_commit(struct comm_chan *ch, size_t len, uint64_t seq)
{
	return comm_gcm_mode_commit(ch, &mbedtls, len, seq);
}

static int m_get(struct comm_chan *ch, uint64_t seq, const void **p,
		 size_t *len)
{
	return comm_gcm_mode_get(ch, &mbedtls, seq, p, len);
}

static void m_close(struct comm_chan *ch)
{
	comm_gcm_mode_close(ch, &mbedtls);
}

static const char *m_version(void)
{
	static char v[96];
	char s[18] = "";
	mbedtls_version_get_string(s);
	snprintf(v, sizeof(v), "AES-256-GCM, mbedTLS %s (mbedtls_gcm_*)", s);
	return v;
}

int comm_aes_mbedtls_cpb(size_t size, double *enc, double *dec)
{
	return comm_gcm_cpb(&mbedtls, size, enc, dec);
}

const struct comm_mode_ops comm_mode_aes_mbedtls = {
	.name = "shm-aesgcm-mbedtls",
	.what = "hypervisor-visible shared memory, AES-256-GCM seal/open "
		"(mbedTLS), 16 B header + 16 B tag",
	.prepare = m_prepare,
	.open = m_open,
	.configure = comm_shmx_configure,
	.tx_reserve = comm_shmx_tx_private,
	.tx_commit = m_commit,
	.tx_wait = comm_shmx_tx_wait,
	.rx_wait = comm_shmx_rx_wait,
	.rx_get = m_get,
	.rx_put = comm_shmx_rx_put,
	.close = m_close,
	.host_view = comm_shmx_host_view,
	.unprepare = comm_shmx_unprepare,
	.version = m_version,
};
