/*
 * The benchmark's realm program: x0 (the realm index) picks the role;
 * realm0 provides and sends, realm1 consumes and receives.  The host posts
 * the run's parameters on its blackboard before either realm starts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/early.h>
#include <rt/mmu.h>
#include <rt/rt.h>
#include <smc-csm.h>
#include <smc-rsi.h>

#include "bench.h"

uint64_t insn_overhead;
bool bench_quick;

void bench_fail(const char *what, long v)
{
	printf("[bench] FAIL: %s (%ld)\n", what, v);
	exit(1);
}

void *bench_alloc(size_t size)
{
	void *p = aligned_alloc(4096U, (size + 4095U) & ~(size_t)4095U);

	if (p == NULL) {
		bench_fail("out of memory", (long)size);
	}
	memset(p, 0, size);
	return p;
}

/*
 * A loop of exactly 2 instructions per iteration between two counter reads;
 * the least of three runs: when QEMU's round robin ends this vCPU's slice
 * (at most every few tens of millions of instructions), the other vCPU runs
 * its few instructions of waiting, and the counter counts those too.
 */
static uint64_t loop_delta(uint64_t iters)
{
	uint64_t best = UINT64_MAX, t0, d, n;
	unsigned int i;

	for (i = 0U; i < 3U; i++) {
		n = iters;
		t0 = insn_now();
		__asm__ volatile("1:\tsubs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
		d = insn_now() - t0;
		best = (d < best) ? d : best;
	}
	return best;
}

/*
 * What one counter tick is: CNTFRQ, the cost of an empty measurement, and
 * a 2,000,000-instruction loop measured (it must read 2,000,000 plus a
 * constant if a tick is one instruction).
 */
static void calibrate(unsigned int idx)
{
	uint64_t frq, best = UINT64_MAX, d1, d2, t0;
	unsigned int i;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	for (i = 0U; i < 16U; i++) {
		t0 = insn_now();
		d1 = insn_now() - t0;
		best = (d1 < best) ? d1 : best;
	}
	insn_overhead = best;
	d1 = loop_delta(1000000UL);
	d2 = loop_delta(2000000UL);
	printf("[realm%u] counter: CNTFRQ_EL0 %" PRIu64 " Hz; empty measurement %" PRIu64
	       " ticks; 2-instruction loop x 1000000: %" PRIu64 " ticks, x 2000000: %" PRIu64
	       " ticks (difference %" PRIu64 " for 2000000 more instructions)\n", idx, frq,
	       insn_overhead, d1, d2, d2 - d1);
}

/* VA = IPA for the CSM window, and the host-visible window at its unprotected IPA. */
static void map_windows(void)
{
	uint64_t shm = (1UL << (rt_ipa_width() - 1U)) | BENCH_SHM_IPA_OFF;

	if (rt_pt_map(&rt_kernel_pt, BENCH_CSM_WINDOW, BENCH_CSM_WINDOW, BENCH_CSM_WINDOW_SIZE,
		      RT_MAP_KERNEL_RW) != 0 ||
	    rt_pt_map(&rt_kernel_pt, shm, shm, BENCH_SHM_SIZE, RT_MAP_KERNEL_RW) != 0) {
		bench_fail("stage-1 map of the windows", 0);
	}
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

int main(void)
{
	unsigned int idx = (unsigned int)rt_host_arg();
	uint64_t id;
	struct csm_res r;

	calibrate(idx);
	bench_quick = board_get(BK_QUICK) != 0UL;
	map_windows();
	r = csm_call(SMC_RSI_CSM_REALM_ID, 0, 0, 0, 0);
	if (r.x[0] != RSI_SUCCESS) {
		bench_fail("CSM_REALM_ID", (long)r.x[0]);
	}
	id = r.x[1];
	board_post(idx == 0U ? BK_ID0 : BK_ID1, id);
	if (idx == 0U) {
		rmm_cost_provider(board_wait(BK_ID1));
		comm_provider();
	} else if (idx == 1U) {
		rmm_cost_consumer();
		comm_consumer();
	} else {
		bench_fail("realm index", (long)idx);
	}
	return 0;
}
