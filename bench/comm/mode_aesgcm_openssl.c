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

static int o_open(struct comm_chan *ch)
{
	int rc = comm_shmx_open(ch, COMM_GCM_HDR + COMM_GCM_TAG);
	if (rc < 0)
		return rc;
	struct comm_shmx *x = ch->priv;
	return ossl_new((struct ossl **)&x->crypto);
}

static int o_commit(struct comm_chan *ch, size_t len, uint64_t seq)
{
	struct comm_shmx *x = ch->priv;
	uint8_t *slot = shmring_tx_slot(x->ring, seq);
	if (!slot)
		return -ETIMEDOUT;
	int rc = seal(x->crypto, seq, x->txbuf, len, slot);
	if (rc < 0)
		return rc;
	return shmring_tx_publish(x->ring, seq,
				  len + COMM_GCM_HDR + COMM_GCM_TAG);
}

static int o_get(struct comm_chan *ch, uint64_t seq, const void **p,
		 size_t *len)
{
	struct comm_shmx *x = ch->priv;
	void *slot;
	size_t n;
	int rc = shmring_rx_slot(x->ring, seq, &slot, &n);
	if (rc < 0)
		return rc;
	if (n < COMM_GCM_HDR + COMM_GCM_TAG ||
	    n - COMM_GCM_HDR - COMM_GCM_TAG > ch->opts->max_msg)
		return -EPROTO;
	n -= COMM_GCM_HDR + COMM_GCM_TAG;
	rc = open_msg(x->crypto, seq, slot, n, x->rxbuf);
	if (rc < 0)
		return rc;
	*p = x->rxbuf;
	*len = n;
	return 0;
}

static void o_close(struct comm_chan *ch)
{
	struct comm_shmx *x = ch->priv;
	if (x) {
		ossl_del(x->crypto);
		x->crypto = NULL;
	}
	comm_shmx_close(ch);
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
	struct ossl *o;
	uint8_t *in = comm_alloc(size), *wire = comm_alloc(size + 64),
		*out = comm_alloc(size);
	int rc = -ENOMEM;
	*enc = *dec = 0;
	if (!in || !wire || !out || ossl_new(&o) < 0)
		goto done;
	comm_fill_default(in, size, 1, NULL);
	unsigned iters = (unsigned)(((size_t)8 << 20) / size);
	if (iters < 4)
		iters = 4;
	if (iters > 20000)
		iters = 20000;
	double be = 0, bd = 0;
	rc = 0;
	for (int round = 0; round < 3 && rc == 0; round++) {
		uint64_t t0 = comm_ticks();
		for (unsigned i = 0; i < iters && rc == 0; i++)
			rc = seal(o, i, in, size, wire);
		uint64_t t1 = comm_ticks();
		for (unsigned i = 0; i < iters && rc == 0; i++)
			rc = open_msg(o, iters - 1, wire, size, out);
		uint64_t t2 = comm_ticks();
		double e = (double)(t1 - t0) / iters / (double)size;
		double d = (double)(t2 - t1) / iters / (double)size;
		if (round == 0 || e < be)
			be = e;
		if (round == 0 || d < bd)
			bd = d;
	}
	if (rc == 0 && memcmp(in, out, size) != 0)
		rc = -EBADMSG;
	*enc = be;
	*dec = bd;
	ossl_del(o);
done:
	comm_free(in, size);
	comm_free(wire, size + 64);
	comm_free(out, size);
	return rc;
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
