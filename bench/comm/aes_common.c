/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AES-256-GCM message framing shared by the mbedTLS and OpenSSL modes, as
 * in the paper: a 16-byte header (session, sequence) authenticated as AAD,
 * a 12-byte IV derived from (session, sequence), a 16-byte tag.  Slot:
 *
 *   [ header 16 | ciphertext len | tag 16 ]
 *
 * The receiver derives the IV from the sequence number it expects (never
 * from the header), checks the header's session and sequence, and decrypts
 * into private memory; the tag check covers header and ciphertext.
 *
 * The key is a fixed benchmark key known to both realm processes: in a real
 * deployment it would come from an attested key exchange, which is not on
 * the per-message path and is not measured here.
 */
#include <errno.h>
#include <string.h>

#include "comm.h"

const uint8_t comm_gcm_key[32] = {
	0x63, 0x61, 0x65, 0x63, 0x2d, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x2d,
	0x63, 0x6f, 0x6d, 0x6d, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x30, 0x31,
	0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62,
};

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void comm_gcm_header(uint8_t hdr[COMM_GCM_HDR], uint64_t session,
		     uint64_t seq)
{
	put_le64(hdr, session);
	put_le64(hdr + 8, seq);
}

void comm_gcm_iv(uint8_t iv[COMM_GCM_IV], uint64_t session, uint64_t seq)
{
	/* 4 bytes of session || 8 bytes of sequence: unique per message
	 * under one key as long as sequences do not repeat in a session */
	uint8_t s[8];
	put_le64(s, session);
	memcpy(iv, s, 4);
	put_le64(iv + 4, seq);
}

bool comm_gcm_header_ok(const uint8_t hdr[COMM_GCM_HDR], uint64_t session,
			uint64_t seq)
{
	return get_le64(hdr) == session && get_le64(hdr + 8) == seq;
}

/* ---- the AES modes' glue, shared by both libraries ------------------- */

int comm_gcm_mode_open(struct comm_chan *ch, const struct comm_gcm_lib *lib)
{
	int rc = comm_shmx_open(ch, COMM_GCM_HDR + COMM_GCM_TAG);
	if (rc < 0)
		return rc;
	struct comm_shmx *x = ch->priv;
	x->crypto = lib->new_ctx();
	return x->crypto ? 0 : -EIO;
}

/* Seal the private payload straight into the ring slot and publish it. */
int comm_gcm_mode_commit(struct comm_chan *ch, const struct comm_gcm_lib *lib,
			 size_t len, uint64_t seq)
{
	struct comm_shmx *x = ch->priv;
	uint8_t *slot = shmring_tx_slot(x->ring, seq);
	if (!slot)
		return -ETIMEDOUT;
	int rc = lib->seal(x->crypto, seq, x->txbuf, len, slot);
	if (rc < 0)
		return rc;
	return shmring_tx_publish(x->ring, seq, len + COMM_GCM_HDR + COMM_GCM_TAG);
}

/* Check the slot's length, then open (verify + decrypt) into private memory. */
int comm_gcm_mode_get(struct comm_chan *ch, const struct comm_gcm_lib *lib,
		      uint64_t seq, const void **p, size_t *len)
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
	rc = lib->open(x->crypto, seq, slot, n, x->rxbuf);
	if (rc < 0)
		return rc;
	*p = x->rxbuf;
	*len = n;
	return 0;
}

void comm_gcm_mode_close(struct comm_chan *ch, const struct comm_gcm_lib *lib)
{
	struct comm_shmx *x = ch->priv;
	if (x) {
		if (x->crypto)
			lib->free_ctx(x->crypto);
		x->crypto = NULL;
	}
	comm_shmx_close(ch);
}

/*
 * Cycles per byte to seal and to open a size-byte message, best of three
 * rounds of enough messages to move ~8 MiB.  The open loop opens the last
 * sealed message with its own sequence (re-sealing inside the timed loop
 * would skew it).
 */
int comm_gcm_cpb(const struct comm_gcm_lib *lib, size_t size, double *enc,
		 double *dec)
{
	void *g = NULL;
	uint8_t *in = comm_alloc(size), *wire = comm_alloc(size + 64),
		*out = comm_alloc(size);
	int rc = -ENOMEM;
	*enc = *dec = 0;
	if (!in || !wire || !out || !(g = lib->new_ctx()))
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
			rc = lib->seal(g, i, in, size, wire);
		uint64_t t1 = comm_ticks();
		for (unsigned i = 0; i < iters && rc == 0; i++)
			rc = lib->open(g, iters - 1, wire, size, out);
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
	lib->free_ctx(g);
done:
	comm_free(in, size);
	comm_free(wire, size + 64);
	comm_free(out, size);
	return rc;
}
