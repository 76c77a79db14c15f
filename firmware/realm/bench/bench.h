/*
 * The realm program of the AArch64 instruction-count benchmark
 * (docs/benchmarks.md, "Inter-realm communication on AArch64").  One image
 * for both realms, on the realm C runtime (picolibc): realm0 provides and
 * sends, realm1 consumes and receives.
 *
 *   main.c        roles, phases, the calibration of the counter
 *   board.c       the host's blackboard and phase host calls
 *   rmm_cost.c    instructions per CSM call and per region size
 *   comm.c        the stop-and-wait schedule, sender and receiver loops
 *   mode_*.c      the transports: CSM copy, CSM zero-copy ring,
 *                 host-visible plaintext, AES-256-GCM (two libraries)
 *   stats.c       medians and percentiles
 */
#ifndef REALM_BENCH_H
#define REALM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bench_a64.h>

/*
 * The measuring instrument.  Under QEMU -icount shift=0 the generic
 * timer's counters advance with QEMU's virtual clock, which is the count
 * of instructions retired by all vCPUs together (one per instruction at
 * CNTFRQ = 1 GHz): a delta is the number of instructions the whole
 * machine executed in between.  The ISBs keep the read in program order.
 */
static inline uint64_t insn_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) : : "memory");
	return v;
}

/* The spin-wait step: YIELD gives QEMU's round-robin vCPU loop the other CPU at once. */
static inline void spin_yield(void)
{
	__asm__ volatile("yield" : : : "memory");
}

/* ---- board.c ---- */
void board_post(uint64_t key, uint64_t value);
uint64_t board_get(uint64_t key);
uint64_t board_wait(uint64_t key);		/* until posted (non-zero) */
void board_wait_value(uint64_t key, uint64_t value);
/* The host's instructions, exits and pages for `which` since the last call. */
void host_cost(uint64_t which, uint64_t *insns, uint64_t *exits, uint64_t *pages);
void phase_b(void);				/* returns on the other CPU layout */

/* ---- CSM calls (board.c) ---- */
struct csm_res {
	uint64_t x[6];
	unsigned int busy;	/* ERROR_BUSY answers re-issued (one host exit each) */
};
struct csm_res csm_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4);

/* ---- stats.c ---- */
struct stats {
	uint64_t n, min, p25, median, p75, max;
};
void stats_of(uint64_t *v, size_t n, struct stats *s);	/* sorts v */

/* ---- main.c ---- */
extern uint64_t insn_overhead;	/* instructions of an empty insn_now() pair */
extern bool bench_quick;
void *bench_alloc(size_t size);	/* 4 KB aligned, zeroed; fails the run if none */
void bench_fail(const char *what, long v) __attribute__((noreturn));

/* ---- rmm_cost.c ---- */
void rmm_cost_provider(uint64_t consumer_id);
void rmm_cost_consumer(void);

/* ---- comm.c and the modes ---- */
struct chan;

struct mode {
	const char *name;
	const char *what;
	/* Sender: fill a payload of n bytes for seq (comm_fill) and publish it. */
	int (*send)(struct chan *c, size_t n, uint64_t seq);
	/* Sender: wait until the receiver acknowledged seq. */
	void (*wait_ack)(struct chan *c, uint64_t seq);
	/* Receiver: wait for seq, take it into private memory (or read it in place), check it, ack. */
	int (*recv)(struct chan *c, size_t n, uint64_t seq);
};

struct chan {
	const struct mode *mode;
	uint8_t *shared;	/* the transport's shared bytes (slot or ring) */
	size_t shared_size;
	uint8_t *priv;		/* private buffer of BENCH_MAX_MSG bytes */
	void *impl;		/* the mode's own state */
	uint64_t rx_work;	/* receiver: instructions of its last recv, waiting excluded */
};

/* The shared slot of the copy and AES modes: control lines, then the payload. */
struct slot_ctl {
	volatile uint64_t seq;	/* published last, after len and payload */
	volatile uint64_t len;
	uint64_t _pad0[6];
	volatile uint64_t ack;	/* the receiver's last acknowledged seq */
	uint64_t _pad1[7];
};
#define SLOT_PAYLOAD(base)	((uint8_t *)(base) + BENCH_SLOT_HDR)

/* The payload every mode sends: one memset and a sequence stamp at both ends. */
void comm_fill(uint8_t *p, size_t n, uint64_t seq);
bool comm_check(const uint8_t *p, size_t n, uint64_t seq);

/* Copy modes (mode_copy.c): csm-copy and shm-plain run this same code. */
extern const struct mode mode_csm_copy, mode_shm_plain;
void slot_publish(struct slot_ctl *ctl, size_t n, uint64_t seq);
void slot_wait_seq(const struct slot_ctl *ctl, uint64_t seq);
void slot_ack(struct slot_ctl *ctl, uint64_t seq);
void slot_wait_ack(struct chan *c, uint64_t seq);

/* csm-zerocopy and shm-zerocopy (mode_ring.c): core/ring in shared memory. */
extern const struct mode mode_csm_zerocopy, mode_shm_zerocopy;
int ring_mode_setup(struct chan *c, bool producer);

/* AES-256-GCM over host-visible memory (mode_gcm.c + one file per library). */
#define GCM_HDR		16U
#define GCM_IV		12U
#define GCM_TAG		16U
#define GCM_SESSION	0x63616563UL	/* fixed: the key exchange is not on the message path */
struct gcm_lib {
	const char *name;
	void (*version)(char *buf, size_t n);
	void *(*new_ctx)(const uint8_t key[32]);
	/* in -> out: header (AAD), ciphertext, tag. */
	int (*seal)(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		    const uint8_t *in, size_t n, uint8_t *ct, uint8_t tag[GCM_TAG]);
	/* 0 if the tag verifies; plaintext in out. */
	int (*open)(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		    const uint8_t *ct, size_t n, const uint8_t tag[GCM_TAG], uint8_t *out);
};
extern const struct gcm_lib gcm_mbedtls, gcm_openssl;
extern const struct mode mode_gcm_mbedtls, mode_gcm_openssl;
int gcm_mode_setup(struct chan *c);
/* false if the CPU lacks what the library needs (printed with the reason). */
bool gcm_openssl_available(void);
/* 0 if OpenSSL's kernel path and CRYPTO_gcm128 alone agree (gcm_openssl.c). */
int gcm_openssl_self_check(void *ctx);

void comm_provider(void);
void comm_consumer(void);

#endif /* REALM_BENCH_H */
