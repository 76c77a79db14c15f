/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-bench-comm: inter-realm communication benchmark (internal header).
 *
 * Two "realm" processes (fork()ed; on the sim platform a realm is a
 * process), pinned to different cores where the machine has them, exchange
 * messages through one *mode* (a transport).  Every mode implements the same
 * small vtable, struct comm_mode_ops; the harness (harness.c) runs the
 * paper's stop-and-wait loop and a pipelined full-ring loop over it, and
 * measures both sides.
 *
 * Sender, per message (the paper's loop):
 *   p = tx_reserve(len)       private buffer, or the shared slot (zero-copy)
 *   fill(p, len, seq)         the payload fill (timed separately)
 *   tx_commit(len, seq)       copy / encrypt into the shared buffer, publish
 *   tx_wait(seq)              spin (or block) until the receiver released seq
 * Receiver, per message:
 *   rx_get(seq, &p, &len)     wait for seq; copy / decrypt+verify into
 *                             private memory, or point into the slot
 *   check(p, len, seq)        the stamps the sender wrote
 *   rx_put(seq, ack)          release the slot; ack = answer a waiting sender
 *
 * This is benchmark code, not library code: it prints, exits and uses errno.
 */
#ifndef CAEC_BENCH_COMM_H
#define CAEC_BENCH_COMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum comm_role { COMM_TX = 0, COMM_RX = 1 };

/* How the sender fills a payload (the bytes the test scans for). */
typedef void (*comm_fill_fn)(void *p, size_t len, uint64_t seq, void *arg);
/* Extra receiver-side check of a received payload (true = as expected). */
typedef bool (*comm_check_fn)(const void *p, size_t len, uint64_t seq,
			      void *arg);

/* Options shared by every mode of one run. */
struct comm_opts {
	size_t max_msg;          /* largest message of the run */
	size_t ring_bytes;       /* shared data bytes a ring may use */
	unsigned max_slots;      /* most messages in flight (pipelined) */
	int cpu_tx, cpu_rx;      /* -1: do not pin */
	const char *sim_socket;  /* caec-simd socket for the CSM modes */
	comm_fill_fn fill;       /* NULL: the default fill (one memset) */
	void *fill_arg;
	comm_check_fn check;     /* NULL: only the sequence stamps */
	void *check_arg;
	bool verbose;
	/* vsock-host: where the remote receiver listens (port 0: none given) */
	unsigned vsock_peer_cid, vsock_peer_port;
};

struct comm_chan;

struct comm_mode_ops {
	const char *name;
	/* One line: what the mode does, printed with the results. */
	const char *what;
	/*
	 * Parent, before fork(): create what both processes inherit.
	 * Returns 0, or -errno with ch->why set: the mode is unavailable.
	 */
	int (*prepare)(struct comm_chan *ch);
	/* Each process after fork(); ch->role says which side. */
	int (*open)(struct comm_chan *ch);
	/*
	 * Both sides, with the ring empty (after a barrier), before a series
	 * of messages of `size` bytes.
	 */
	int (*configure)(struct comm_chan *ch, size_t size);
	void *(*tx_reserve)(struct comm_chan *ch, size_t len, uint64_t seq);
	int (*tx_commit)(struct comm_chan *ch, size_t len, uint64_t seq);
	int (*tx_wait)(struct comm_chan *ch, uint64_t seq);
	/*
	 * Optional: wait until message seq has (started to) arrive, so that
	 * rx_get() measures work rather than waiting.
	 */
	int (*rx_wait)(struct comm_chan *ch, uint64_t seq);
	int (*rx_get)(struct comm_chan *ch, uint64_t seq, const void **p,
		      size_t *len);
	int (*rx_put)(struct comm_chan *ch, uint64_t seq, bool ack);
	void (*close)(struct comm_chan *ch);
	/*
	 * Parent, after the child exited: the bytes of hypervisor-visible
	 * shared memory this mode used (NULL/0: none).  Optional.
	 */
	void (*host_view)(struct comm_chan *ch, const void **p, size_t *len);
	/* Parent, last: undo prepare(). */
	void (*unprepare)(struct comm_chan *ch);
	/* Optional: a line naming cipher/library versions actually used. */
	const char *(*version)(void);
	/*
	 * The receiver is a process elsewhere (another machine or VM) running
	 * comm_remote_serve_one(), not a fork()ed child: prepare() connects
	 * ch->ctl and the data path to it, the harness sends it the plan
	 * (remote.c) and runs only the sender.  Not in the default mode list.
	 */
	bool remote;
};

struct comm_chan {
	const struct comm_mode_ops *ops;
	const struct comm_opts *opts;
	enum comm_role role;
	int ctl;              /* control socket to the peer process */
	void *priv;           /* mode state */
	char why[160];        /* reason when unavailable / failed */
	char note[160];       /* extra description printed with results */
};

/* All modes, in table order; NULL-terminated. */
extern const struct comm_mode_ops *const comm_modes[];
const struct comm_mode_ops *comm_mode_find(const char *name);

extern const struct comm_mode_ops comm_mode_shm_plain;
extern const struct comm_mode_ops comm_mode_aes_mbedtls;
extern const struct comm_mode_ops comm_mode_aes_openssl;
extern const struct comm_mode_ops comm_mode_unix;
extern const struct comm_mode_ops comm_mode_tcp;
extern const struct comm_mode_ops comm_mode_vsock;
extern const struct comm_mode_ops comm_mode_vsock_host;
extern const struct comm_mode_ops comm_mode_csm_copy;
extern const struct comm_mode_ops comm_mode_csm_zerocopy;

/* ---- measurement plan and results ------------------------------------ */

/* Most --rounds the main program accepts. */
#define COMM_MAX_ROUNDS 20u

struct comm_point {
	size_t size;
	unsigned reps;         /* stop-and-wait repetitions measured */
	/* stop-and-wait, sender round trip (rdtsc ticks), spin included */
	double rtt_med, rtt_p10, rtt_p90;
	double pingpong_ns;    /* cache-line ping-pong just before this run */
	double fill_med;       /* sender: ticks of the payload fill alone */
	double tx_work_med;    /* sender: reserve+fill+commit, no waiting */
	double rx_work_med;    /* receiver: get+check+put, no waiting */
	/*
	 * The same three as interquartile means (mean of the sorted samples
	 * [n/4, 3n/4)): finer than the TSC step (comm_tsc_step()), which
	 * quantizes the medians.
	 */
	double rtt_iqm, tx_work_iqm, rx_work_iqm;
	/*
	 * Target 1's figures, per round (index = round; 0 = not measured):
	 * the rtt IQM and the both-sides work IQM of that round's run, so
	 * that the report can compare each mode with shm-plain of the same
	 * round -- runs seconds apart, on the same vCPU placement.
	 */
	double rtt_iqm_round[COMM_MAX_ROUNDS];
	double work_iqm_round[COMM_MAX_ROUNDS];
	double pingpong_round[COMM_MAX_ROUNDS]; /* pingpong_ns of that run */
	/* both sides' CPU time per message (CLOCK_THREAD_CPUTIME_ID), ticks */
	double cpu_both;       /* stop-and-wait, spin included */
	/* pipelined, full ring */
	unsigned pipe_msgs;
	double pipe_ticks;     /* wall ticks for pipe_msgs messages */
	double pipe_cpu_both;  /* both sides' CPU ticks per message */
	bool ok;
};

struct comm_result {
	const struct comm_mode_ops *ops;
	unsigned round;         /* main program: the round this run belongs to */
	bool available;
	char why[160];
	char note[160];
	size_t npoints;
	struct comm_point *points;
	/* hypervisor-visible bytes after the run (scan test; parent-owned) */
	unsigned char *host_copy;
	size_t host_len;
};

struct comm_plan {
	const size_t *sizes;
	size_t nsizes;
	bool quick;
	unsigned reps_small;   /* reps up to 32 KiB (paper: 1000) */
	bool keep_host_view;   /* copy host_view() into the result */
	bool pipelined;        /* also run the pipelined phase */
	unsigned rounds;       /* main program: rounds merged into a result */
	bool size_major;       /* main program: sizes outer, modes inner */
};

/* Run one mode over every size of the plan.  Returns 0 or -errno. */
int comm_run_mode(const struct comm_mode_ops *ops,
		  const struct comm_opts *opts, const struct comm_plan *plan,
		  struct comm_result *res);
/*
 * The receiver's side of one run, after prepare() (ch->role = COMM_RX,
 * ch->ctl connected to the sender): open, tell the sender, receive every
 * size of the plan, close.  The fork()ed child and the remote receiver
 * both run exactly this.  Returns 0 or -errno.
 */
int comm_rx_side(struct comm_chan *ch, const struct comm_plan *plan);

/*
 * Remote receiver (remote.c), for modes with ops->remote.  The sender's
 * harness sends the plan over the control connection; the receiver reads
 * and validates it, then runs comm_rx_side() over the data connection.
 *
 * comm_remote_send_plan: 0 or -errno.
 * comm_remote_serve_one: serve one run on accepted connections (ops: the
 *   mode's, used as the receiver); 0, or -errno with a reason in why
 *   (-EPROTO: a malformed or foreign plan).  Closes neither fd.
 * comm_remote_serve_vsock: listen on AF_VSOCK (any CID) port and serve
 *   one run per pair of connections (control, then data) until killed;
 *   prints one line per run.  Returns only on a listening error (-errno).
 */
#define COMM_REMOTE_MAX_SIZES 64u
int comm_remote_send_plan(int ctl, const struct comm_opts *opts,
			  const struct comm_plan *plan);
int comm_remote_serve_one(const struct comm_mode_ops *ops, int ctl, int data,
			  char *why, size_t whylen);
int comm_remote_serve_vsock(const struct comm_mode_ops *ops, unsigned port);
void comm_result_fini(struct comm_result *res);
/* Stop-and-wait repetitions and pipelined message count for a size. */
unsigned comm_plan_reps(const struct comm_plan *plan, size_t size);
unsigned comm_plan_pipe_msgs(const struct comm_plan *plan, size_t size);

/* ---- helpers shared by modes ----------------------------------------- */

/* Time stamp counter and its frequency (measured). */
uint64_t comm_ticks(void);
double comm_tsc_hz(void);
const char *comm_tick_source(void);
/*
 * Resolution of comm_ticks(): the smallest nonzero difference of
 * consecutive reads over a short loop (measured on the first call, then
 * cached).  On some VMs rdtscp advances in steps of tens of ticks.
 */
uint64_t comm_tsc_step(void);

/*
 * Spin-wait helper: returns false once a (generous) deadline passed or the
 * peer process is gone (its control socket hung up).
 */
extern int comm_spin_peer_fd;
struct comm_spin {
	uint64_t n;
	uint64_t deadline;
};
void comm_spin_init(struct comm_spin *s);
bool comm_spin_step(struct comm_spin *s);

/* Full-length I/O on a stream socket; 0 or -errno (-EPIPE on EOF). */
int comm_write_all(int fd, const void *p, size_t n);
int comm_read_all(int fd, void *p, size_t n);

/*
 * Default payload fill (one memset) and the check of the sequence stamps
 * the harness writes into the first and last 8 bytes after every fill.
 */
void comm_stamp(void *p, size_t len, uint64_t seq);
void comm_fill_default(void *p, size_t len, uint64_t seq, void *arg);
bool comm_check(const void *p, size_t len, uint64_t seq);

/* Allocate page-aligned private memory (pre-faulted); free with comm_free. */
void *comm_alloc(size_t n);
void comm_free(void *p, size_t n);

/* Shared slot ring over a memory block (shmring.c). */
struct shmring;
size_t shmring_bytes(size_t ring_bytes);
struct shmring *shmring_new(void *base, size_t bytes, unsigned max_slots,
			    size_t extra);
void shmring_free(struct shmring *r);
int shmring_configure(struct shmring *r, size_t size);
unsigned shmring_window(const struct shmring *r);
/* Producer: spin until a slot is free; returns the slot's data area. */
void *shmring_tx_slot(struct shmring *r, uint64_t seq);
int shmring_tx_publish(struct shmring *r, uint64_t seq, size_t len);
int shmring_tx_wait(struct shmring *r, uint64_t seq);
/* Consumer: spin until seq is published; data area and published length. */
int shmring_rx_slot(struct shmring *r, uint64_t seq, void **p, size_t *len);
void shmring_rx_release(struct shmring *r, uint64_t seq);
size_t shmring_slot_cap(const struct shmring *r);

/*
 * State of every mode that moves messages through a shmring over one block
 * of shared memory (shm-*, csm-*): the block, the ring, private buffers.
 */
struct comm_shmx {
	int memfd;             /* shm modes: the hypervisor-visible memfd */
	void *base;
	size_t bytes;
	struct shmring *ring;
	unsigned char *txbuf;  /* sender's private payload buffer */
	unsigned char *rxbuf;  /* receiver's private copy */
	size_t buflen;
	void *crypto;          /* AES modes: the library context */
};
void comm_prefault(void *base, size_t bytes);
int comm_shmx_prepare_memfd(struct comm_chan *ch, const char *name);
int comm_shmx_open(struct comm_chan *ch, size_t extra);
int comm_shmx_configure(struct comm_chan *ch, size_t size);
int comm_shmx_tx_wait(struct comm_chan *ch, uint64_t seq);
int comm_shmx_rx_put(struct comm_chan *ch, uint64_t seq, bool ack);
void comm_shmx_close(struct comm_chan *ch);
void comm_shmx_host_view(struct comm_chan *ch, const void **p, size_t *len);
void comm_shmx_unprepare(struct comm_chan *ch);
void *comm_shmx_tx_private(struct comm_chan *ch, size_t len, uint64_t seq);
int comm_shmx_tx_copy(struct comm_chan *ch, size_t len, uint64_t seq);
int comm_shmx_rx_wait(struct comm_chan *ch, uint64_t seq);
int comm_shmx_rx_copy(struct comm_chan *ch, uint64_t seq, const void **p,
		      size_t *len);

/* AES-256-GCM framing shared by both crypto libraries. */
#define COMM_GCM_HDR 16u
#define COMM_GCM_TAG 16u
#define COMM_GCM_IV 12u
#define COMM_SESSION 0x5245414c4d434f4dull /* arbitrary, fixed per run */
void comm_gcm_header(uint8_t hdr[COMM_GCM_HDR], uint64_t session,
		     uint64_t seq);
void comm_gcm_iv(uint8_t iv[COMM_GCM_IV], uint64_t session, uint64_t seq);
bool comm_gcm_header_ok(const uint8_t hdr[COMM_GCM_HDR], uint64_t session,
			uint64_t seq);
extern const uint8_t comm_gcm_key[32];

/*
 * The AES-GCM modes' seal/open, per library, for tests: wire is
 * [header 16 | ciphertext len | tag 16].  open returns 0, -EPROTO (header
 * session/sequence is not the expected one) or -EBADMSG (tag check failed;
 * out must then be ignored).  new returns NULL on failure; OpenSSL ones
 * return NULL / -ENOSYS when the build has no OpenSSL.
 */
void *comm_gcm_mbedtls_new(void);
int comm_gcm_mbedtls_seal(void *g, uint64_t seq, const void *in, size_t len,
			  void *wire);
int comm_gcm_mbedtls_open(void *g, uint64_t seq, const void *wire, size_t len,
			  void *out);
void comm_gcm_mbedtls_free(void *g);
void *comm_gcm_openssl_new(void);
int comm_gcm_openssl_seal(void *g, uint64_t seq, const void *in, size_t len,
			  void *wire);
int comm_gcm_openssl_open(void *g, uint64_t seq, const void *wire, size_t len,
			  void *out);
void comm_gcm_openssl_free(void *g);

/*
 * One AES-256-GCM library behind the common framing: the two AES modes are
 * the same mode glue (aes_common.c) over a different one of these.
 */
struct comm_gcm_lib {
	void *(*new_ctx)(void);
	int (*seal)(void *g, uint64_t seq, const void *in, size_t len, void *wire);
	int (*open)(void *g, uint64_t seq, const void *wire, size_t len, void *out);
	void (*free_ctx)(void *g);
};
int comm_gcm_mode_open(struct comm_chan *ch, const struct comm_gcm_lib *lib);
int comm_gcm_mode_commit(struct comm_chan *ch, const struct comm_gcm_lib *lib,
			 size_t len, uint64_t seq);
int comm_gcm_mode_get(struct comm_chan *ch, const struct comm_gcm_lib *lib,
		      uint64_t seq, const void **p, size_t *len);
void comm_gcm_mode_close(struct comm_chan *ch, const struct comm_gcm_lib *lib);
int comm_gcm_cpb(const struct comm_gcm_lib *lib, size_t size, double *enc,
		 double *dec);

/*
 * Per-byte cost of AES-256-GCM on one core, measured now: ticks per byte to
 * encrypt (seal) and to decrypt+verify (open) a `size`-byte message with a
 * 16-byte AAD, best of a few runs.  0 on error.
 */
int comm_aes_mbedtls_cpb(size_t size, double *enc, double *dec);
int comm_aes_openssl_cpb(size_t size, double *enc, double *dec);

#endif /* CAEC_BENCH_COMM_H */
