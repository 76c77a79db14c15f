/*
 * The realms meet through the host: a blackboard of u64 values
 * (host/lib/csm.c) and of byte strings (host/scenarios/attest.c), both
 * reached with RSI_HOST_CALL.  The host is untrusted: what passes here
 * (challenges, tokens, the platform key) is checked by the receiver.
 */
#include <stdio.h>
#include <string.h>

#include <rt/rsi.h>

#include "demo.h"

static struct rsi_host_call hc __attribute__((aligned(256)));

static void host_call(uint16_t imm)
{
	hc.imm = imm;
	if (rsi_host_call(&hc) != RSI_SUCCESS) {
		printf("host call 0x%x failed\n", imm);
	}
}

unsigned int board_who_am_i(void)
{
	memset(&hc, 0, sizeof(hc));
	host_call(HC_WHO_AM_I);
	return (unsigned int)hc.gprs[0];
}

void board_post(uint64_t key, uint64_t value)
{
	memset(&hc, 0, sizeof(hc));
	hc.gprs[0] = key;
	hc.gprs[1] = value;
	host_call(HC_POST);
}

uint64_t board_wait(uint64_t key)
{
	for (;;) {
		memset(&hc, 0, sizeof(hc));
		hc.gprs[0] = key;
		host_call(HC_GET);
		if (hc.gprs[0] != 0U) {
			return hc.gprs[0];
		}
	}
}

void blob_put(uint64_t key, const uint8_t *data, size_t len)
{
	size_t off, n;

	for (off = 0U; off < len; off += n) {
		n = (len - off < BLOB_CHUNK) ? len - off : BLOB_CHUNK;
		memset(&hc, 0, sizeof(hc));
		hc.gprs[0] = key;
		hc.gprs[1] = off;
		hc.gprs[2] = n;
		hc.gprs[3] = len;
		memcpy(&hc.gprs[4], data + off, n);
		host_call(HC_BLOB_PUT);
	}
}

size_t blob_wait(uint64_t key, uint8_t *out, size_t cap)
{
	size_t total = 0U, off = 0U, n;

	do {
		memset(&hc, 0, sizeof(hc));
		hc.gprs[0] = key;
		hc.gprs[1] = off;
		host_call(HC_BLOB_GET);
		total = hc.gprs[0];
		n = hc.gprs[1];
		if (total == 0U) {
			continue;	/* not posted yet: the host ran someone else */
		}
		if (n > BLOB_CHUNK || off + n > cap || off + n > total) {
			printf("the host sent a bad blob piece (key 0x%lx)\n", (unsigned long)key);
			return 0U;
		}
		memcpy(out + off, &hc.gprs[2], n);
		off += n;
	} while (total == 0U || off < total);
	return total;
}

void random_bytes(uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0U; i < n; i += 8U) {
		uint64_t v = 0U, ok = 0U;
		size_t k;

		while (ok == 0U) {
			__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(v), "=r"(ok) : :
					 "cc");
		}
		for (k = 0U; k < 8U && i + k < n; k++) {
			out[i + k] = (uint8_t)(v >> (8U * k));
		}
	}
}

void print_hex(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s", what);
	for (i = 0U; i < n; i++) {
		printf("%02x", p[i]);
	}
	printf("\n");
}

uint64_t now(void)
{
	uint64_t t;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t));
	return t;
}

uint64_t ms_since(uint64_t t0)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return (now() - t0) * 1000U / f;
}
