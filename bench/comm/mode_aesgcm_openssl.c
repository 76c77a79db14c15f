/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shm-aesgcm-openssl: AES-256-GCM through OpenSSL's EVP interface over
 * hypervisor-visible shared memory.  OpenSSL is used ONLY here, as a
 * benchmark baseline (the paper's fastest encrypted mode); libcaec does not
 * link it.  Framing is the same as the mbedTLS mode (aes_common.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "comm.h"

struct ossl {
	EVP_CIPHER_CTX *enc, *dec;
};

static void ossl_del(struct ossl *o)
{
	if (!o)
		return;
	EVP_CIPHER_CTX_free(o->enc);
	EVP_CIPHER_CTX_free(o->dec);
	free(o);
}

static int ossl_new(struct ossl **out)
{
	struct ossl *o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->enc = EVP_CIPHER_CTX_new();
	o->dec = EVP_CIPHER_CTX_new();
	if (!o->enc || !o->dec ||
	    EVP_EncryptInit_ex(o->enc, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(o->enc, EVP_CTRL_GCM_SET_IVLEN, COMM_GCM_IV, NULL) != 1 ||
	    EVP_EncryptInit_ex(o->enc, NULL, NULL, comm_gcm_key, NULL) != 1 ||
	    EVP_DecryptInit_ex(o->dec, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(o->dec, EVP_CTRL_GCM_SET_IVLEN, COMM_GCM_IV, NULL) != 1 ||
	    EVP_DecryptInit_ex(o->dec, NULL, NULL, comm_gcm_key, NULL) != 1) {
		ossl_del(o);
		return -EIO;
	}
	*out = o;
	return 0;
}

static int seal(struct ossl *o, uint64_t seq, const uint8_t *in, size_t len,
		uint8_t *out)
{
	uint8_t iv[COMM_GCM_IV];
	int n;
	if (len > INT_MAX)
		return -EMSGSIZE;
	comm_gcm_header(out, COMM_SESSION, seq);
	comm_gcm_iv(iv, COMM_SESSION, seq);
	if (EVP_EncryptInit_ex(o->enc, NULL, NULL, NULL, iv) != 1 ||
	    EVP_EncryptUpdate(o->enc, NULL, &n, out, COMM_GCM_HDR) != 1 ||
	    EVP_EncryptUpdate(o->enc, out + COMM_GCM_HDR, &n, in, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(o->enc, out + COMM_GCM_HDR + n, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(o->enc, EVP_CTRL_GCM_GET_TAG, COMM_GCM_TAG,
				out + COMM_GCM_HDR + len) != 1)
		return -EIO;
	return 0;
}

static int open_msg(struct ossl *o, uint64_t seq, const uint8_t *wire,
		    size_t len, uint8_t *out)
{
	uint8_t hdr[COMM_GCM_HDR], tag[COMM_GCM_TAG], iv[COMM_GCM_IV];
	int n;
	if (len > INT_MAX)
		return -EMSGSIZE;
	memcpy(hdr, wire, sizeof(hdr));
	memcpy(tag, wire + COMM_GCM_HDR + len, sizeof(tag));
	if (!comm_gcm_header_ok(hdr, COMM_SESSION, seq))
		return -EPROTO;
	comm_gcm_iv(iv, COMM_SESSION, seq);
	if (EVP_DecryptInit_ex(o->dec, NULL, NULL, NULL, iv) != 1 ||
	    EVP_DecryptUpdate(o->dec, NULL, &n, hdr, sizeof(hdr)) != 1 ||
	    EVP_DecryptUpdate(o->dec, out, &n, wire + COMM_GCM_HDR, (int)len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(o->dec, EVP_CTRL_GCM_SET_TAG, sizeof(tag), tag) != 1)
		return -EIO;
	if (EVP_DecryptFinal_ex(o->dec, out + n, &n) != 1)
		return -EBADMSG;
	return 0;
}

void *comm_gcm_openssl_new(void)
{
	struct ossl *o;
	return ossl_new(&o) == 0 ? o : NULL;
}

int comm_gcm_openssl_seal(void *g, uint64_t seq, const void *in, size_t len,
			  void *wire)
{
	return seal(g, seq, in, len, wire);
}

int comm_gcm_openssl_open(void *g, uint64_t seq, const void *wire, size_t len,
			  void *out)
{
	return open_msg(g, seq, wire, len, out);
}

void comm_gcm_openssl_free(void *g) { ossl_del(g); }

static int o_prepare(struct comm_chan *ch)
{
	return comm_shmx_prepare_memfd(ch, "caec-bench-shm-aes-openssl");
}

static const struct comm_gcm_lib openssl = {
	.new_ctx = comm_gcm_openssl_new,
	.seal = comm_gcm_openssl_seal,
	.open = comm_gcm_openssl_open,
	.free_ctx = comm_gcm_openssl_free,
};

static int o_open(struct comm_chan *ch)
{
	return comm_gcm_mode_open(ch, &openssl);
}

static int o_commit(struct comm_chan *ch, size_t len, uint64_t seq)
{
	return comm_gcm_mode_commit(ch, &openssl, len, seq);
}

static int o_get(struct comm_chan *ch, uint64_t seq, const void **p,
		 size_t *len)
{
	return comm_gcm_mode_get(ch, &openssl, seq, p, len);
}

static void o_close(struct comm_chan *ch)
{
	comm_gcm_mode_close(ch, &openssl);
}

static const char *o_version(void)
{
	static char v[160];
	snprintf(v, sizeof(v), "AES-256-GCM (EVP_aes_256_gcm), %s",
		 OpenSSL_version(OPENSSL_VERSION));
	return v;
}

int comm_aes_openssl_cpb(size_t size, double *enc, double *dec)
{
	return comm_gcm_cpb(&openssl, size, enc, dec);
}

const struct comm_mode_ops comm_mode_aes_openssl = {
	.name = "shm-aesgcm-openssl",
	.what = "hypervisor-visible shared memory, AES-256-GCM seal/open "
		"(OpenSSL EVP), 16 B header + 16 B tag",
	.prepare = o_prepare,
	.open = o_open,
	.configure = comm_shmx_configure,
	.tx_reserve = comm_shmx_tx_private,
	.tx_commit = o_commit,
	.tx_wait = comm_shmx_tx_wait,
	.rx_wait = comm_shmx_rx_wait,
	.rx_get = o_get,
	.rx_put = comm_shmx_rx_put,
	.close = o_close,
	.host_view = comm_shmx_host_view,
	.unprepare = comm_shmx_unprepare,
	.version = o_version,
};
