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
