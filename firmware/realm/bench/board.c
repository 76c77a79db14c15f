/*
 * The host's blackboard (host/lib/csm.c: HC_POST/HC_GET), the benchmark's
 * own host calls, and the CSM calls.  Every host call is a REC exit: only
 * phase A and the end of phase B make them, never a measured interval.
 */
#include <smc-csm.h>
#include <string.h>

#include <rt/rsi.h>

#include "bench.h"

static struct rsi_host_call hc __attribute__((aligned(256)));

static uint64_t host_call(uint16_t imm, uint64_t a0, uint64_t a1, uint64_t out[3])
{
	memset(&hc, 0, sizeof(hc));
	hc.imm = imm;
	hc.gprs[0] = a0;
	hc.gprs[1] = a1;
	if (rsi_host_call(&hc) != RSI_SUCCESS) {
		bench_fail("RSI_HOST_CALL", imm);
	}
	if (out != NULL) {
		out[0] = hc.gprs[0];
		out[1] = hc.gprs[1];
		out[2] = hc.gprs[2];
	}
	return hc.gprs[0];
}

void board_post(uint64_t key, uint64_t value)
{
	(void)host_call(BENCH_HC_POST, key, value, NULL);
}

uint64_t board_get(uint64_t key)
{
	return host_call(BENCH_HC_GET, key, 0UL, NULL);
}

uint64_t board_wait(uint64_t key)
{
	uint64_t v;

	while ((v = board_get(key)) == 0UL) {
	}
	return v;
}

void board_wait_value(uint64_t key, uint64_t value)
{
	while (board_get(key) != value) {
	}
}

void host_cost(uint64_t which, uint64_t *insns, uint64_t *exits, uint64_t *pages)
{
	uint64_t out[3];

	(void)host_call(BENCH_HC_HOST_COST, which, 0UL, out);
	*insns = out[0];
	*exits = out[1];
	*pages = out[2];
}

void phase_b(void)
{
	(void)host_call(BENCH_HC_PHASE_B, 0UL, 0UL, NULL);
}

struct csm_res csm_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	struct csm_res r;
	uint64_t out[8];

	r.busy = 0U;
	for (;;) {
		r.x[0] = rt_smc4(fid, a1, a2, a3, a4, out);
		if (r.x[0] != RSI_ERROR_BUSY) {
			break;
		}
		r.busy++;	/* the host acted on the exit: re-issue the same call */
	}
	memcpy(&r.x[1], out, 5U * sizeof(uint64_t));
	return r;
}
