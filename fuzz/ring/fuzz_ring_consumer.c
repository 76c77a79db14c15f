/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: a ring consumer (and producer) against arbitrary ring
 * bytes written by a malicious peer.
 *
 * Input: byte 0 = flags (bit 0: write a valid v1 header over the image so
 * the fuzzer reaches the record parser quickly; bit 1: MPSC; bits 2-3:
 * capacity 256 << n), then the ring image (control block + data, zero
 * padded), then an operation stream: each op byte selects recv, peek +
 * release, a producer send, or a scribble (the next 6 bytes: 2-byte offset
 * into the ring, 4-byte value) -- the peer writing while we work.
 *
 * Checked: no out-of-bounds access or UB (ASan/UBSan), every peeked span
 * lies inside the data area, no length exceeds max_msg, and once a call
 * returns CAEC_E_CORRUPT every later call returns CAEC_E_PEER.  Every loop
 * is bounded by the input, so a hang is a bug (libFuzzer -timeout).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ring/ring.h>

#define MAX_CAP 2048u

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
	if (n < 1)
		return 0;
	uint8_t flags = in[0];
	uint32_t cap = 256u << ((flags >> 2) & 3);
	size_t ring_sz = CAEC_RING_BYTES(cap);
	/* exact-size heap block: ASan catches any access past the ring */
	uint8_t *mem = aligned_alloc(64, ring_sz);
	if (mem == NULL)
		return 0;
	size_t img = n - 1 < ring_sz ? n - 1 : ring_sz;
	memset(mem, 0, ring_sz);
	memcpy(mem, in + 1, img);
	const uint8_t *ops = in + 1 + img, *end = in + n;
	if (flags & 1) {
		struct caec_ring_abi_hdr h = {
			.magic = CAEC_RING_MAGIC, .major = CAEC_RING_MAJOR,
			.minor = CAEC_RING_MINOR,
			.features = (flags & 2) ? CAEC_RING_FEAT_MPSC : 0,
			.hdr_size = CAEC_RING_HDR_SIZE, .capacity = cap,
			.max_msg = CAEC_RING_MAX_MSG(cap)};
		memcpy(mem, &h, sizeof(h));
	}
	struct ring c, p;
	int crc = ring_init(&c, mem, ring_sz, RING_CONSUMER);
	int prc = ring_init(&p, mem, ring_sz, RING_PRODUCER);
	int cbroken = crc != 0, pbroken = prc != 0;
	if (crc != 0)
		check(crc == CAEC_E_CORRUPT);
	const uint8_t *data = mem + CAEC_RING_HDR_SIZE;
	uint8_t buf[MAX_CAP];
	/* at least a few consumer calls even without an op stream */
	size_t nops = (size_t)(end - ops) + 4;
	for (size_t k = 0; k < nops && k < 4096; k++) {
		uint8_t op = ops < end ? *ops++ : 0;
		int rc;
		switch (op & 3) {
		case 0:
			rc = ring_recv(&c, buf, (op & 4) ? 16 : sizeof(buf));
			if (cbroken) {
				check(rc == CAEC_E_PEER);
			} else if (rc == CAEC_E_CORRUPT) {
				cbroken = 1;
			} else {
				check(rc == CAEC_E_AGAIN || rc == CAEC_E_MSGSIZE ||
				      (rc >= 0 && (uint32_t)rc <= ring_max_msg(&c)));
			}
			break;
		case 1: {
			const void *q;
			size_t len;
			rc = ring_peek(&c, &q, &len);
			if (cbroken) {
				check(rc == CAEC_E_PEER);
			} else if (rc == CAEC_E_CORRUPT) {
				cbroken = 1;
			} else if (rc == 0) {
				const uint8_t *s = q;
				check(len <= ring_max_msg(&c));
				check(s >= data + 8 && s + len <= data + cap);
				/* read the whole span: ASan checks it */
				volatile uint8_t sum = 0;
				for (size_t i = 0; i < len; i++)
					sum ^= s[i];
				(void)sum;
				check(ring_release(&c) == 0);
			} else {
				check(rc == CAEC_E_AGAIN);
			}
			break;
		}
		case 2:
			rc = ring_send(&p, buf, (size_t)(op >> 2) * 4);
			if (pbroken) {
				check(rc == CAEC_E_PEER);
			} else if (rc == CAEC_E_CORRUPT) {
				pbroken = 1;
			} else {
				check(rc == 0 || rc == CAEC_E_AGAIN || rc == CAEC_E_MSGSIZE);
			}
			break;
		default:
			if (end - ops >= 6) {
				uint16_t off;
				memcpy(&off, ops, 2);
				size_t o = (size_t)off % (ring_sz - 3);
				memcpy(mem + o, ops + 2, 4);
				ops += 6;
			}
			break;
		}
	}
	free(mem);
	return 0;
}
