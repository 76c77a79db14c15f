/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer: arbitrary request sequences from two realms into caec-simd's
 * handlers and, through them, the CSM state machine.
 *
 * Input: a sequence of records {u8 client, u8 op, u16 len, len bytes of
 * body}.  Bodies are passed as they are (wrong sizes included), so both
 * the handlers' validation and every state-machine transition reachable
 * from the wire are exercised.  Record fields that look like IDs are
 * rewritten, with some probability, to IDs the daemon actually issued, so
 * the fuzzer gets past "unknown ID" quickly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "simd.h"

static uint64_t issued[64];
static size_t n_issued;

static void remember(uint64_t id)
{
	if (id)
		issued[n_issued++ % 64] = id;
}

static void patch_ids(unsigned char *b, size_t len, uint8_t sel)
{
	/* Replace the first u64 fields by issued IDs depending on sel bits. */
	for (size_t off = 0; off + 8 <= len && off < 24; off += 8) {
		if (!(sel & (1u << (off / 8))) || !n_issued)
			continue;
		uint64_t id = issued[(sel >> 3) % (n_issued < 64 ? n_issued : 64)];
		memcpy(b + off, &id, 8);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct simd d;
	static struct simd_client cl[2];
	static struct simd_client *clients[2] = { &cl[0], &cl[1] };
	static struct simd_reply rep;
	uint8_t rim[32] = { 0 };

	memset(&d, 0, sizeof(d));
	memset(cl, 0, sizeof(cl));
	n_issued = 0;
	d.revoke_timeout_ms = 1;
	/* Small regions keep every unit fast (sealing hashes the region);
	 * the size check itself is exercised by larger requests. */
	d.max_region_bytes = UINT64_C(1) << 24;
	d.clients = clients;
	d.n_clients = d.cap_clients = 2;
	if (csm_init(&d.csm, &simd_plat_ops, &d) < 0)
		return 0;
	for (int i = 0; i < 2; i++) {
		cl[i].serial = (uint64_t)i + 1;
		cl[i].fd = cl[i].ev_fd = cl[i].rep_fd = -1;
		cl[i].hello_done = true;
		rim[0] = (uint8_t)i;
		memcpy(cl[i].rim, rim, sizeof(rim));
		if (csm_realm_add(d.csm, cl[i].serial, rim, sizeof(rim),
				  UINT64_C(1) << 47, &cl[i].realm_id) < 0)
			goto out;
		remember(cl[i].realm_id);
	}

	while (size >= 4) {
		uint8_t who = data[0] & 1, op = data[1], sel = data[0] >> 1;
		size_t len = (size_t)data[2] | (size_t)data[3] << 8;
		data += 4;
		size -= 4;
		if (len > size)
			len = size;
		unsigned char body[SIMD_MSG_MAX];
		if (len > sizeof(body))
			len = sizeof(body);
		memcpy(body, data, len);
		data += len;
		size -= len;
		patch_ids(body, len, sel);
		if (op == SIMD_OP_HELLO || op == SIMD_OP_TOKEN)
			continue; /* need a real peer process / keys */
		d.current = &cl[who];
		simd_handle(&d, &cl[who], op, body, len, &rep);
		d.current = NULL;
		cl[who].acks_pending = 0; /* no consumer will ACK here */
		d.n_acks = 0;
		if (rep.status == 0 && rep.body_len >= 8) {
			uint64_t id;
			memcpy(&id, rep.body, 8);
			remember(id);
		}
		if (rep.fd >= 0)
			close(rep.fd);
	}
out:
	csm_fini(d.csm);
	free(d.acks);
	return 0;
}
