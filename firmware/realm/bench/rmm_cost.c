/*
 * The RMM's costs, in instructions, as a realm sees them: the counter read
 * before and after one call (csm_call, which re-issues a call the host had
 * to act on), minus the empty measurement.  When a call exits to the host
 * (ERROR_BUSY: CSM_POPULATE, CSM_RELEASE, CSM_META), the interval holds
 * the exits, the host's handling (its own RMI calls into the RMM and EL3
 * included) and the re-entries: the line also says how many exits there
 * were and how many of the instructions the host counted in its handler.
 *
 * Phase A: both realms run on CPU 0, one at a time, and the host re-enters
 * the realm that exited for a CSM exit at once; the other CPU waits in the
 * monitor.  So an interval holds only this call's work.
 *
 * Output lines (bench/a64/run.sh turns them into CSV):
 *   @rmm,<realm>,<call>,<pages>,<n>,<min>,<median>,<max>,<exits>,<host insns>,<host pages>
 * <exits> counts the CSM exits the host handled for the call (the ERROR_BUSY
 * ones, and CSM_NOTIFY's CSM_DOORBELL); <pages> is 0 for calls that do not
 * depend on a region's size.
 */
#include <inttypes.h>
#include <stdio.h>

#include <smc-csm.h>
#include <smc-rsi.h>
#include <rt/rsi.h>

#include "bench.h"

#define CALL_REPS_MAX	1000U

static uint64_t samples[CALL_REPS_MAX];
static uint8_t seal_out[64] __attribute__((aligned(64)));

static void emit(unsigned int realm, const char *call, uint64_t pages, struct stats *s,
		 unsigned int exits, uint64_t host_insns, uint64_t host_pages)
{
	printf("@rmm,%u,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64
	       ",%" PRIu64 "\n", realm, call, pages, s->n, s->min, s->median, s->max, exits,
	       host_insns, host_pages);
}

/* One timed CSM call that must succeed; its line. */
static struct csm_res timed(unsigned int realm, const char *name, uint64_t pages, uint64_t fid,
			    uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	uint64_t hi, he, hp, t0, t;
	struct csm_res r;
	struct stats s;

	host_cost(BENCH_COST_CSM_EXITS, &hi, &he, &hp);	/* reset the host's count */
	t0 = insn_now();
	r = csm_call(fid, a1, a2, a3, a4);
	t = insn_now() - t0 - insn_overhead;
	if (r.x[0] != RSI_SUCCESS) {
		printf("[bench] %s(0x%" PRIx64 ", 0x%" PRIx64 ") status %" PRIu64 "\n", name, a1, a2,
		       r.x[0]);
		bench_fail(name, (long)r.x[0]);
	}
	host_cost(BENCH_COST_CSM_EXITS, &hi, &he, &hp);
	if (he < r.busy) {
		printf("[bench] %s: %u BUSY answers but %" PRIu64 " host CSM exits\n", name, r.busy,
		       he);
	}
	stats_of(&t, 1U, &s);
	emit(realm, name, pages, &s, (unsigned int)he, hi, hp);
	return r;
}

/*
 * A REC exit to the host and back: RSI_HOST_CALL, which the host answers
 * from its blackboard (no RMI call of its own).  The price of any exit.
 */
static void host_call_cost(unsigned int realm)
{
	unsigned int i, reps = (unsigned int)board_get(BK_CALL_REPS);
	uint64_t t0;
	struct stats s;

	reps = (reps == 0U || reps > CALL_REPS_MAX) ? CALL_REPS_MAX : reps;
	for (i = 0U; i < reps; i++) {
		t0 = insn_now();
		(void)board_get(BK_QUICK);
		samples[i] = insn_now() - t0 - insn_overhead;
	}
	stats_of(samples, reps, &s);
	emit(realm, "RSI_HOST_CALL", 0UL, &s, 1U, 0UL, 0UL);
}

/* A call without exits, repeated: the median of `reps`. */
static void repeated(unsigned int realm, const char *name, uint64_t fid, uint64_t a1)
{
	unsigned int i, reps = (unsigned int)board_get(BK_CALL_REPS);
	uint64_t out[8], t0;
	struct stats s;

	reps = (reps == 0U || reps > CALL_REPS_MAX) ? CALL_REPS_MAX : reps;
	for (i = 0U; i < reps; i++) {
		t0 = insn_now();
		(void)rt_smc4(fid, a1, 0UL, 0UL, 0UL, out);
		samples[i] = insn_now() - t0 - insn_overhead;
	}
	stats_of(samples, reps, &s);
	emit(realm, name, 0UL, &s, 0U, 0UL, 0UL);
}

static uint64_t next_pages(uint64_t n)
{
	if (!bench_quick) {
		return n * 2UL;
	}
	return n * 8UL;	/* quick: 1, 8, 64 pages */
}

void rmm_cost_provider(uint64_t consumer_id)
{
	uint64_t n, max = board_get(BK_SWEEP_MAX), off = BENCH_SWEEP_OFF, region, grant;
	struct csm_res r;

	repeated(0U, "RSI_VERSION", SMC_RSI_VERSION, RSI_ABI_VERSION);
	repeated(0U, "CSM_VERSION", SMC_RSI_CSM_VERSION, CAEC_CSM_ABI_VERSION(1, 0));
	repeated(0U, "CSM_REALM_ID", SMC_RSI_CSM_REALM_ID, 0UL);
	host_call_cost(0U);
	/*
	 * Warm-up: the first SHARE and GRANT also ask the host for a
	 * metadata granule (CSM_META); later objects reuse its slots.
	 */
	r = timed(0U, "CSM_SHARE(first)", 1UL, SMC_RSI_CSM_SHARE, BENCH_CSM_WINDOW + off, 4096UL, 0, 0);
	region = r.x[1];
	r = timed(0U, "CSM_GRANT(first)", 1UL, SMC_RSI_CSM_GRANT, region, consumer_id, CAEC_CSM_PERM_RW, 0);
	(void)timed(0U, "CSM_REVOKE(unattached)", 1UL, SMC_RSI_CSM_REVOKE, r.x[1], 0, 0, 0);
	(void)timed(0U, "CSM_UNSHARE(first)", 1UL, SMC_RSI_CSM_UNSHARE, region, 0, 0, 0);
	off += 4096UL;
	for (n = 1UL; n <= max; n = next_pages(n)) {
		uint64_t base = BENCH_CSM_WINDOW + off;

		r = timed(0U, "CSM_SHARE", n, SMC_RSI_CSM_SHARE, base, n * 4096UL, 0, 0);
		region = r.x[1];
		r = timed(0U, "CSM_GRANT", n, SMC_RSI_CSM_GRANT, region, consumer_id, CAEC_CSM_PERM_RW, 0);
		grant = r.x[1];
		board_post(BK_SWEEP_GRANT, grant);
		board_post(BK_SWEEP_STEP, n);
		board_wait_value(BK_SWEEP_ATTACHED, n);
		if (n == 1UL) {
			/* Exits CSM_DOORBELL: the host learns which realm to wake. */
			(void)timed(0U, "CSM_NOTIFY", 0UL, SMC_RSI_CSM_NOTIFY, grant, 0, 0, 0);
		}
		(void)timed(0U, "CSM_REVOKE", n, SMC_RSI_CSM_REVOKE, grant, 0, 0, 0);
		(void)timed(0U, "CSM_SEAL", n, SMC_RSI_CSM_SEAL, region,
			    (uint64_t)(uintptr_t)seal_out, 0, 0);
		(void)timed(0U, "CSM_UNSHARE", n, SMC_RSI_CSM_UNSHARE, region, 0, 0, 0);
		off += n * 4096UL;
	}
	printf("[realm0] RMM costs measured: regions of 1 to %" PRIu64 " pages\n", max);
}

void rmm_cost_consumer(void)
{
	uint64_t n, max = board_get(BK_SWEEP_MAX), off = BENCH_SWEEP_OFF, grant;

	for (n = 1UL; n <= max; n = next_pages(n)) {
		uint64_t base = BENCH_CSM_WINDOW + off;

		board_wait_value(BK_SWEEP_STEP, n);
		grant = board_get(BK_SWEEP_GRANT);
		if (n == 1UL) {
			repeated(1U, "CSM_GRANT_LIST", SMC_RSI_CSM_GRANT_LIST, 0UL);
		}
		(void)timed(1U, "CSM_RESERVE", n, SMC_RSI_CSM_RESERVE, grant, base, n * 4096UL, 0);
		(void)timed(1U, "CSM_ATTACH", n, SMC_RSI_CSM_ATTACH, grant, 0, 0, 0);
		(void)timed(1U, "CSM_DETACH", n, SMC_RSI_CSM_DETACH, grant, 0, 0, 0);
		(void)timed(1U, "CSM_RESERVE(again)", n, SMC_RSI_CSM_RESERVE, grant, base,
			    n * 4096UL, 0);
		(void)timed(1U, "CSM_ATTACH(again)", n, SMC_RSI_CSM_ATTACH, grant, 0, 0, 0);
		board_post(BK_SWEEP_ATTACHED, n);
		off += n * 4096UL;
	}
}
