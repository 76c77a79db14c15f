/*
 * The paper's communication benchmark (§7.3, Fig. 5) between two realms,
 * in instructions: stop-and-wait, sizes 64 B to BK_MAX_MSG in powers of
 * two, BK_REPS repetitions at every size (the paper's 1000; the whole run
 * takes minutes, so the x86 benchmark's fewer repetitions above 32 KiB
 * are not needed), after a warm-up of a tenth; the median of the sender's
 * round trip: fill the payload, copy or encrypt it into the shared
 * buffer, publish the sequence number, spin until the receiver acks.
 *
 * Phase B runs the sender on CPU 0 and the receiver on CPU 1 with no REC
 * exit.  Under -icount QEMU runs the two vCPUs one after the other
 * (round-robin in one thread) and every spin step is a YIELD, which hands
 * the host CPU to the other vCPU at once: so a round trip's count is the
 * sender's work, the receiver's work and one spin step on each side,
 * instructions of both CPUs together.  The four counter reads inside a
 * round trip (the sender's pair and mid read, the receiver's pair) cost
 * insn_overhead each and are subtracted.
 *
 * Output lines (bench/a64/run.sh turns them into CSV):
 *   @comm,<mode>,<size>,<reps>,<rtt min>,<p25>,<median>,<p75>,<max>,<sender work median>
 *   @rx,<mode>,<size>,<receiver work median>,<failed checks>
 *   @mode,<mode>,<available 0/1>,<library and version or reason>
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <smc-csm.h>
#include <smc-rsi.h>
#include <rt/rt.h>

#include "bench.h"

#define MAX_REPS	1000U
#define MAX_SIZES	16U
#define NR_MODES	6U

static const struct mode *const modes[NR_MODES] = {
	&mode_csm_copy, &mode_csm_zerocopy, &mode_shm_plain, &mode_shm_zerocopy, &mode_gcm_mbedtls,
	&mode_gcm_openssl,
};

static struct chan chans[NR_MODES];
static bool available[NR_MODES];
static uint64_t rtt[MAX_REPS], txw[MAX_REPS], rxw[MAX_REPS];
/* The receiver's medians, printed after the run (one console at a time). */
static uint64_t rx_median[NR_MODES][MAX_SIZES], rx_bad[NR_MODES][MAX_SIZES];

void comm_fill(uint8_t *p, size_t n, uint64_t seq)
{
	memset(p, (int)(seq & 0xFFUL), n);
	memcpy(p, &seq, sizeof(seq));
	memcpy(p + n - sizeof(seq), &seq, sizeof(seq));
}

bool comm_check(const uint8_t *p, size_t n, uint64_t seq)
{
	uint64_t a, b;

	memcpy(&a, p, sizeof(a));
	memcpy(&b, p + n - sizeof(b), sizeof(b));
	return a == seq && b == seq;
}

static unsigned int nr_sizes(uint64_t *sizes)
{
	uint64_t max = board_get(BK_MAX_MSG), s;
	unsigned int n = 0U;

	if (bench_quick) {
		static const uint64_t quick[] = { 64UL, 1024UL, 32768UL, 65536UL };

		for (n = 0U; n < 4U && quick[n] <= max; n++) {
			sizes[n] = quick[n];
		}
		return n;
	}
	for (s = 64UL; s <= max && n < MAX_SIZES; s *= 2UL) {
		sizes[n++] = s;
	}
	return n;
}

static unsigned int reps_for(uint64_t size)
{
	uint64_t reps = board_get(BK_REPS);

	(void)size;
	return (unsigned int)((reps == 0UL || reps > MAX_REPS) ? MAX_REPS : reps);
}

static unsigned int warmup_for(unsigned int reps)
{
	return (reps >= 10U) ? reps / 10U : 1U;
}

/* Both realms: every mode's shared bytes and state (phase A). */
static void setup(bool provider, uint8_t *copy, uint8_t *ringmem)
{
	uint64_t shm = (1UL << (rt_ipa_width() - 1U)) | BENCH_SHM_IPA_OFF;
	/* One private buffer: one mode runs at a time. */
	uint8_t *priv = bench_alloc(BENCH_MAX_MSG);
	char what[160];
	unsigned int i;

	for (i = 0U; i < NR_MODES; i++) {
		struct chan *c = &chans[i];
		int rc = 0;

		c->mode = modes[i];
		c->priv = priv;
		available[i] = true;
		snprintf(what, sizeof(what), "libcaec's core/ring, compiled from its own sources");
		if (c->mode == &mode_csm_copy) {
			c->shared = copy;
			c->shared_size = BENCH_SLOT_SIZE;
			snprintf(what, sizeof(what), "none (memcpy)");
		} else if (c->mode == &mode_csm_zerocopy) {
			c->shared = ringmem;
			c->shared_size = BENCH_RING_SIZE;
			rc = ring_mode_setup(c, provider);
		} else if (c->mode == &mode_shm_zerocopy) {
			c->shared = (uint8_t *)(uintptr_t)(shm + BENCH_SHM_RING_OFF);
			c->shared_size = BENCH_RING_SIZE;
			rc = ring_mode_setup(c, provider);
		} else {
			c->shared = (uint8_t *)(uintptr_t)(shm + BENCH_SHM_SLOT_OFF);
			c->shared_size = BENCH_SLOT_SIZE;
			snprintf(what, sizeof(what), "none (memcpy)");
			if (c->mode == &mode_gcm_openssl && !gcm_openssl_available()) {
				available[i] = false;
				snprintf(what, sizeof(what), "unavailable: the CPU reports no AES+PMULL "
					 "(ID_AA64ISAR0_EL1.AES < 2)");
			} else if (c->mode == &mode_gcm_mbedtls || c->mode == &mode_gcm_openssl) {
				const struct gcm_lib *lib = (c->mode == &mode_gcm_mbedtls) ?
					&gcm_mbedtls : &gcm_openssl;

				rc = gcm_mode_setup(c);
				lib->version(what, sizeof(what));
			}
		}
		if (rc != 0) {
			bench_fail(c->mode->name, rc);
		}
		if (provider) {
			printf("@mode,%s,%d,%s\n", c->mode->name, available[i] ? 1 : 0, what);
			printf("[realm0] mode %s: %s\n", c->mode->name, c->mode->what);
		}
	}
}

static void emit(const struct mode *m, uint64_t size, unsigned int reps)
{
	struct stats r, w;

	stats_of(rtt, reps, &r);
	stats_of(txw, reps, &w);
	printf("@comm,%s,%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
	       ",%" PRIu64 "\n", m->name, size, reps, r.min, r.p25, r.median, r.p75, r.max,
	       w.median);
}

void comm_provider(void)
{
	uint64_t sizes[MAX_SIZES], seq = 0UL, cid = board_get(BK_ID1), t0, t1, t2;
	uint8_t *copy = (uint8_t *)(BENCH_CSM_WINDOW + BENCH_COPY_OFF);
	uint8_t *ringmem = (uint8_t *)(BENCH_CSM_WINDOW + BENCH_RING_OFF);
	unsigned int i, s, k, ns = nr_sizes(sizes);
	struct csm_res r;

	/* The two CSM regions, granted read-write to realm1. */
	r = csm_call(SMC_RSI_CSM_SHARE, (uint64_t)(uintptr_t)copy, BENCH_SLOT_SIZE, 0, 0);
	if (r.x[0] != RSI_SUCCESS) {
		bench_fail("CSM_SHARE of the copy region", (long)r.x[0]);
	}
	r = csm_call(SMC_RSI_CSM_GRANT, r.x[1], cid, CAEC_CSM_PERM_RW, 0);
	board_post(BK_COPY_GRANT, r.x[1]);
	r = csm_call(SMC_RSI_CSM_SHARE, (uint64_t)(uintptr_t)ringmem, BENCH_RING_SIZE, 0, 0);
	if (r.x[0] != RSI_SUCCESS) {
		bench_fail("CSM_SHARE of the ring region", (long)r.x[0]);
	}
	r = csm_call(SMC_RSI_CSM_GRANT, r.x[1], cid, CAEC_CSM_PERM_RW, 0);
	setup(true, copy, ringmem);	/* formats the ring before realm1 attaches */
	board_post(BK_RING_GRANT, r.x[1]);
	board_wait(BK_COMM_READY);
	printf("[realm0] comm: %u sizes, 64 B to %" PRIu64 " B; phase B: realm0 on cpu0, realm1 on "
	       "cpu1, no REC exits while measuring\n", ns, sizes[ns - 1U]);
	phase_b();
	for (i = 0U; i < NR_MODES; i++) {
		struct chan *c = &chans[i];

		if (!available[i]) {
			continue;
		}
		for (s = 0U; s < ns; s++) {
			unsigned int reps = reps_for(sizes[s]), warm = warmup_for(reps);

			for (k = 0U; k < warm + reps; k++) {
				seq++;
				t0 = insn_now();
				if (c->mode->send(c, sizes[s], seq) != 0) {
					bench_fail("send", (long)seq);
				}
				t1 = insn_now();
				c->mode->wait_ack(c, seq);
				t2 = insn_now();
				if (k >= warm) {
					rtt[k - warm] = t2 - t0 - 4U * insn_overhead;
					txw[k - warm] = t1 - t0 - insn_overhead;
				}
			}
			emit(c->mode, sizes[s], reps);
		}
	}
	printf("[realm0] comm: %" PRIu64 " messages sent\n", seq);
	board_post(BK_COMM_DONE, 1UL);		/* realm1 may print now */
	board_wait_value(BK_COMM_DONE, 2UL);
	printf("[realm0] comm: receiver reports %" PRIu64 " failed checks\n",
	       board_get(BK_RX_FAULTS) - 1UL);
}

void comm_consumer(void)
{
	uint64_t sizes[MAX_SIZES], seq = 0UL, bad_total = 0UL;
	uint8_t *copy = (uint8_t *)(BENCH_CSM_WINDOW + BENCH_COPY_OFF);
	uint8_t *ringmem = (uint8_t *)(BENCH_CSM_WINDOW + BENCH_RING_OFF);
	unsigned int i, s, k, ns = nr_sizes(sizes);
	uint64_t grant;
	struct csm_res r;
	struct stats st;

	grant = board_wait(BK_COPY_GRANT);
	r = csm_call(SMC_RSI_CSM_RESERVE, grant, (uint64_t)(uintptr_t)copy, BENCH_SLOT_SIZE, 0);
	r = (r.x[0] == RSI_SUCCESS) ? csm_call(SMC_RSI_CSM_ATTACH, grant, 0, 0, 0) : r;
	if (r.x[0] != RSI_SUCCESS) {
		bench_fail("attach of the copy region", (long)r.x[0]);
	}
	grant = board_wait(BK_RING_GRANT);
	r = csm_call(SMC_RSI_CSM_RESERVE, grant, (uint64_t)(uintptr_t)ringmem, BENCH_RING_SIZE, 0);
	r = (r.x[0] == RSI_SUCCESS) ? csm_call(SMC_RSI_CSM_ATTACH, grant, 0, 0, 0) : r;
	if (r.x[0] != RSI_SUCCESS) {
		bench_fail("attach of the ring region", (long)r.x[0]);
	}
	setup(false, copy, ringmem);
	board_post(BK_COMM_READY, 1UL);
	phase_b();
	for (i = 0U; i < NR_MODES; i++) {
		struct chan *c = &chans[i];

		if (!available[i]) {
			continue;
		}
		for (s = 0U; s < ns; s++) {
			unsigned int reps = reps_for(sizes[s]), warm = warmup_for(reps), bad = 0U;

			for (k = 0U; k < warm + reps; k++) {
				seq++;
				int rc = c->mode->recv(c, sizes[s], seq);

				/*
				 * Hand the CPU back at once: the sender's round
				 * trip ends with this message's ack, and this
				 * loop's own bookkeeping (the statistics at the
				 * end of a size) falls into the next message's.
				 */
				spin_yield();
				bad += (rc != 0) ? 1U : 0U;
				if (k >= warm) {
					rxw[k - warm] = c->rx_work;
				}
			}
			stats_of(rxw, reps, &st);
			rx_median[i][s] = st.median;
			rx_bad[i][s] = bad;
			bad_total += bad;
		}
	}
	board_wait_value(BK_COMM_DONE, 1UL);
	for (i = 0U; i < NR_MODES; i++) {
		for (s = 0U; s < ns && available[i]; s++) {
			printf("@rx,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", modes[i]->name, sizes[s],
			       rx_median[i][s], rx_bad[i][s]);
		}
	}
	printf("[realm1] comm: %" PRIu64 " messages received, %" PRIu64 " failed checks\n", seq,
	       bad_total);
	board_post(BK_RX_FAULTS, bad_total + 1UL);
	board_post(BK_COMM_DONE, 2UL);
}
