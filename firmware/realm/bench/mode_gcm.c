/*
 * AES-256-GCM over host-visible memory, the paper's baseline (what realms
 * do today): the sender encrypts its private payload into the shared slot
 * as [16-byte header (session, sequence) | ciphertext | 16-byte tag], the
 * header authenticated as AAD, the 12-byte IV derived from (session,
 * sequence); the receiver takes the header and tag out of shared memory
 * first, checks the header against the sequence it expects, derives the IV
 * from that (never from the header), and decrypts and verifies into
 * private memory.  The same framing as bench/comm on x86.
 *
 * The key is fixed and known to both realms: in a deployment it would come
 * from an attested key exchange, which is not on the per-message path.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

static const uint8_t gcm_key[32] = {
	0x63, 0x61, 0x65, 0x63, 0x2d, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x2d,
	0x63, 0x6f, 0x6d, 0x6d, 0x2d, 0x6b, 0x65, 0x79, 0x2d, 0x30, 0x31,
	0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62,
};

struct gcm_state {
	const struct gcm_lib *lib;
	void *ctx;
};

static struct gcm_state states[2];

static void put_le64(uint8_t *p, uint64_t v)
{
	unsigned int i;

	for (i = 0U; i < 8U; i++) {
		p[i] = (uint8_t)(v >> (8U * i));
	}
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0UL;
	unsigned int i;

	for (i = 0U; i < 8U; i++) {
		v |= (uint64_t)p[i] << (8U * i);
	}
	return v;
}

/* 4 bytes of session || 8 bytes of sequence: unique per message under one key. */
static void make_iv(uint8_t iv[GCM_IV], uint64_t seq)
{
	uint8_t s[8];

	put_le64(s, GCM_SESSION);
	memcpy(iv, s, 4U);
	put_le64(iv + 4, seq);
}

/*
 * The library must refuse what it should: a sealed message opens; with one
 * ciphertext bit, one tag bit or one header bit flipped it does not.
 */
static int self_check(const struct gcm_lib *lib, void *ctx)
{
	uint8_t msg[64], ct[64], tag[GCM_TAG], hdr[GCM_HDR] = { 1 }, iv[GCM_IV], out[64];
	int bad = 0;

	comm_fill(msg, sizeof(msg), 7UL);
	make_iv(iv, 7UL);
	if (lib->seal(ctx, iv, hdr, msg, sizeof(msg), ct, tag) != 0 ||
	    lib->open(ctx, iv, hdr, ct, sizeof(ct), tag, out) != 0 || memcmp(out, msg, 64U) != 0) {
		return -1;
	}
	ct[5] ^= 0x10U;
	bad += lib->open(ctx, iv, hdr, ct, sizeof(ct), tag, out) == 0;
	ct[5] ^= 0x10U;
	tag[0] ^= 0x01U;
	bad += lib->open(ctx, iv, hdr, ct, sizeof(ct), tag, out) == 0;
	tag[0] ^= 0x01U;
	hdr[9] ^= 0x80U;
	bad += lib->open(ctx, iv, hdr, ct, sizeof(ct), tag, out) == 0;
	return (bad == 0) ? 0 : -1;
}

int gcm_mode_setup(struct chan *c)
{
	struct gcm_state *st = &states[c->mode == &mode_gcm_mbedtls ? 0 : 1];

	st->lib = (c->mode == &mode_gcm_mbedtls) ? &gcm_mbedtls : &gcm_openssl;
	st->ctx = st->lib->new_ctx(gcm_key);
	c->impl = st;
	if (st->ctx == NULL || self_check(st->lib, st->ctx) != 0 ||
	    (st->lib == &gcm_openssl && gcm_openssl_self_check(st->ctx) != 0)) {
		return -1;
	}
	printf("[bench] %s: a sealed message opens; one flipped ciphertext, tag or header bit "
	       "is refused\n", c->mode->name);
	return 0;
}

static int gcm_send(struct chan *c, size_t n, uint64_t seq)
{
	struct gcm_state *st = c->impl;
	uint8_t *wire = SLOT_PAYLOAD(c->shared), iv[GCM_IV];
	int rc;

	comm_fill(c->priv, n, seq);
	put_le64(wire, GCM_SESSION);
	put_le64(wire + 8, seq);
	make_iv(iv, seq);
	rc = st->lib->seal(st->ctx, iv, wire, c->priv, n, wire + GCM_HDR, wire + GCM_HDR + n);
	slot_publish((struct slot_ctl *)c->shared, n, seq);
	return rc;
}

static int gcm_recv(struct chan *c, size_t n, uint64_t seq)
{
	struct slot_ctl *ctl = (struct slot_ctl *)c->shared;
	struct gcm_state *st = c->impl;
	const uint8_t *wire = SLOT_PAYLOAD(c->shared);
	uint8_t hdr[GCM_HDR], tag[GCM_TAG], iv[GCM_IV];
	uint64_t t0;
	bool ok;

	slot_wait_seq(ctl, seq);
	t0 = insn_now();
	ok = ctl->len == n;
	if (ok) {
		/* What is checked is copied out of shared memory first. */
		memcpy(hdr, wire, sizeof(hdr));
		memcpy(tag, wire + GCM_HDR + n, sizeof(tag));
		make_iv(iv, seq);
		ok = get_le64(hdr) == GCM_SESSION && get_le64(hdr + 8) == seq &&
		     st->lib->open(st->ctx, iv, hdr, wire + GCM_HDR, n, tag, c->priv) == 0 &&
		     comm_check(c->priv, n, seq);
	}
	slot_ack(ctl, seq);
	c->rx_work = insn_now() - t0 - insn_overhead;
	return ok ? 0 : -1;
}

const struct mode mode_gcm_mbedtls = {
	.name = "gcm-mbedtls",
	.what = "host-visible memory, AES-256-GCM with Debian's arm64 mbedTLS (mbedtls_gcm_*)",
	.send = gcm_send,
	.wait_ack = slot_wait_ack,
	.recv = gcm_recv,
};

const struct mode mode_gcm_openssl = {
	.name = "gcm-openssl-ce",
	.what = "host-visible memory, AES-256-GCM with Debian's arm64 OpenSSL libcrypto: "
		"EVP's AES-256-GCM path on ARMv8 (CRYPTO_gcm128, aes_v8 AESE/AESMC, gcm_ghash_v8 PMULL, "
		"and the interleaved aes_gcm_*_256_kernel from 512 B)",
	.send = gcm_send,
	.wait_ack = slot_wait_ack,
	.recv = gcm_recv,
};
