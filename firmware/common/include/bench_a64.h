/*
 * The AArch64 instruction-count benchmark (bench/a64, docs/benchmarks.md):
 * what its host scenario (host/scenarios/bench.c) and its realm program
 * (realm/bench) agree on.  realm0 is the provider and the sender, realm1
 * the consumer and the receiver.
 *
 * Phase A runs both realms on CPU 0, one at a time (the RMM's costs and
 * the set-up of every transport); phase B runs realm0 on CPU 0 and realm1
 * on CPU 1 at the same time (the stop-and-wait messages), without a
 * single REC exit while it measures.
 */
#ifndef BENCH_A64_H
#define BENCH_A64_H

/* Host calls (RsiHostCall.imm); the blackboard ones are host/lib/csm.c's. */
#define BENCH_HC_POST		0xC501U	/* gprs[0] key, gprs[1] value */
#define BENCH_HC_GET		0xC502U	/* gprs[0] key -> gprs[0] value (0: none) */
#define BENCH_HC_PHASE_B	0xBE02U	/* this realm is ready for phase B */
/* gprs[0] = which -> gprs[0] host instructions, gprs[1] exits, gprs[2] pages (then reset) */
#define BENCH_HC_HOST_COST	0xBE03U

/* Blackboard keys (host/lib/csm.c keeps 64). */
#define BK_QUICK		0x30UL	/* 1: the quick variant (tests) */
#define BK_REPS			0x31UL	/* stop-and-wait repetitions up to 32 KiB */
#define BK_MAX_MSG		0x32UL	/* largest message, bytes */
#define BK_SWEEP_MAX		0x33UL	/* largest region of the RMM sweep, pages */
#define BK_CALL_REPS		0x34UL	/* repetitions of each RMM call measurement */
#define BK_ID0			0x35UL	/* realm0's realm ID */
#define BK_ID1			0x36UL	/* realm1's realm ID */
#define BK_SWEEP_GRANT		0x37UL	/* sweep: the grant of this step */
#define BK_SWEEP_STEP		0x38UL	/* sweep: realm0 granted step n (pages) */
#define BK_SWEEP_ATTACHED	0x39UL	/* sweep: realm1 attached step n */
#define BK_COPY_GRANT		0x3AUL	/* csm-copy's region */
#define BK_RING_GRANT		0x3BUL	/* csm-zerocopy's region */
#define BK_COMM_READY		0x3CUL	/* realm1 attached both comm regions */
#define BK_COMM_DONE		0x3DUL	/* realm1 received every message */
#define BK_RX_FAULTS		0x3EUL	/* realm1's failed checks + 1 */

/* BENCH_HC_HOST_COST: which accumulator. */
#define BENCH_COST_CSM_EXITS	0UL	/* the host's handling of CSM exits */

/*
 * Each realm's CSM window (protected IPA, RIPAS EMPTY, no RTTs until a CSM
 * exit asks for them): the sweep's regions from its base, the comm regions
 * above.  The consumer reserves at the same offsets in its own window.
 */
#define BENCH_CSM_WINDOW	(1UL << 36)
#define BENCH_CSM_WINDOW_SIZE	(32UL << 20)
#define BENCH_SWEEP_OFF		0UL
#define BENCH_COPY_OFF		(16UL << 20)
#define BENCH_RING_OFF		(20UL << 20)

/* Largest message and what it takes (bytes). */
#define BENCH_MAX_MSG		(512UL << 10)
#define BENCH_SLOT_HDR		4096UL	/* control lines before the payload */
#define BENCH_SLOT_TRAILER	4096UL	/* AES: the 16-byte header and tag */
#define BENCH_SLOT_SIZE		(BENCH_SLOT_HDR + BENCH_MAX_MSG + BENCH_SLOT_TRAILER)
/* The zero-copy ring: max_msg = capacity / 2 - 8 must hold BENCH_MAX_MSG. */
#define BENCH_RING_CAP		(2UL << 20)
#define BENCH_RING_SIZE		(BENCH_RING_CAP + 4096UL)

/*
 * Host-visible shared memory: NS granules the host maps at this
 * unprotected IPA into both realms (level-3 RTT entries): the slot of
 * shm-plain and the AES modes at its start, shm-zerocopy's ring above.
 */
#define BENCH_SHM_IPA_OFF	0x10000000UL	/* + the realm's unprotected bit */
#define BENCH_SHM_SLOT_OFF	0UL
#define BENCH_SHM_RING_OFF	(1UL << 20)
#define BENCH_SHM_SIZE		(BENCH_SHM_RING_OFF + BENCH_RING_SIZE)
#define BENCH_SHM_PAGES		(BENCH_SHM_SIZE / 4096UL)

#endif /* BENCH_A64_H */
