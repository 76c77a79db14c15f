/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd internals: the simulated RMM + host.
 *
 * One event-loop thread (epoll) owns every client, the CSM state machine
 * (core/csm) and all replies; a small pool of worker threads does the work
 * that can take long -- measuring a realm's code at HELLO and hashing (or
 * copying) a region being sealed -- so that no client can stall the loop.
 * Workers never touch the CSM or a client: a job carries what it needs and
 * its result comes back to the loop (jobs.c).
 *
 * Revocation is cooperative on this platform: the daemon tells a consumer
 * to unmap and waits (bounded) for its acknowledgement before answering the
 * provider; a consumer that does not answer in time is disconnected, which
 * releases everything it held, and the provider is told the unmap is
 * unconfirmed.  It cannot force a process to drop a mapping it already has
 * -- the firmware's stage-2 unmap can.  Destroying a region additionally
 * punches out its memory, so stale mappings read zeros.
 */
#ifndef CAEC_SIMD_H
#define CAEC_SIMD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <csm/csm.h>

#include "proto.h"

struct token_signer;
struct simd;
struct simd_client;
struct simd_job;
struct simd_measure;
struct simd_sha;

/* What an epoll registration points at. */
enum simd_ep_kind {
	SIMD_EP_LISTEN = 1,
	SIMD_EP_SIGNAL,
	SIMD_EP_JOBS,
	SIMD_EP_REQ,   /* a client's request socket */
	SIMD_EP_EV,    /* a client's event socket */
};
struct simd_epref {
	enum simd_ep_kind kind;
	struct simd_client *c;
};

/* Per-user accounting: connections and regions (limits in struct simd). */
struct simd_uid {
	uid_t uid;
	unsigned conns;
	unsigned regions;
	/* Queued jobs of this user; the scheduler serves users round robin. */
	struct simd_job *q_head, *q_tail;
	bool on_ring;
	struct simd_uid *ring_next;
	struct simd_uid *next;
};

enum simd_cstate {
	SIMD_C_NEW,        /* connected, no HELLO yet (HELLO timeout runs) */
	SIMD_C_MEASURING,  /* HELLO received, measurement job in flight */
	SIMD_C_REALM,      /* a realm */
};

/* One queued event (daemon -> client). */
struct simd_evq_item {
	uint16_t type;
	uint64_t id, grant;
};

struct simd_client {
	uint64_t serial;         /* daemon-local number, for logs */
	int fd;                  /* request socket */
	int ev_fd;               /* daemon end of the event socketpair, or -1 */
	int pidfd;               /* the connecting process (SO_PEERPIDFD) */
	pid_t pid;               /* SO_PEERCRED: who connected */
	uid_t uid;
	gid_t gid;
	struct simd_uid *acct;
	enum simd_cstate state;
	bool dead;               /* to be removed at the end of this loop turn */
	bool insecure;           /* admitted under --allow-insecure-realms */
	uint64_t accepted_ms;
	struct simd_client *new_prev, *new_next; /* d->new_* list (state NEW) */
	struct simd_client *prev, *next;         /* d->clients */
	struct simd_epref ref_req, ref_ev;
	uint32_t req_events;     /* current epoll interest of fd */
	/* Realm identity (state REALM). */
	uint64_t realm_id;
	uint8_t rim[32];
	uint8_t rpv[64];
	pid_t sender;            /* SCM_CREDENTIALS of the request being handled */
	/* The request in progress.  While busy, fd is not polled for input:
	 * one request at a time per client. */
	bool busy;
	struct simd_hdr req_hdr;  /* echoed in the reply */
	struct simd_job *job;     /* a worker job for this request, or NULL */
	unsigned acks_pending;    /* consumers that must ACK before the reply */
	bool unconfirmed;         /* one of them was disconnected first */
	/* Events waiting for room in the event socket (FIFO from evq_head). */
	struct simd_evq_item *evq;
	size_t evq_head, evq_len, evq_cap;
	bool ev_out;              /* EPOLLOUT armed on ev_fd */
	bool evq_overflow_logged;
	/* A reply held until acks_pending reaches 0 (header + body). */
	unsigned char *held;
	size_t held_len;
	int held_fd;
	/* A seal by copy whose worker is done, waiting for acks_pending to
	 * reach 0 before it is committed (handlers.c). */
	struct simd_job *seal_wait;
	struct simd_client *hnext; /* d->realms bucket chain */
};

/* An outstanding revocation: consumer must ACK grant `grant_id`. */
struct simd_ack {
	struct simd_client *consumer;
	uint64_t grant_id;
	struct simd_client *waiter;  /* whose reply waits, or NULL */
	uint64_t deadline_ms;
};

struct simd_mem {
	int fd;                  /* the region's memfd (read-write) */
	uint64_t size;
	bool sealable_in_place;  /* no F_SEAL_SEAL yet: no consumer ever had a writable fd */
	/* A seal by copy is under way: its attachments were revoked, and
	 * attaching is refused (CAEC_E_BUSY) until the sealed copy replaces
	 * fd -- an attach now would map the memory being replaced. */
	bool copy_sealing;
	struct simd_uid *acct;   /* the provider's user (region count) */
};

/* An RPV rule (--rpv): the host, not the realm, chooses each realm's RPV. */
struct simd_rpv_rule {
	enum { SIMD_RPV_ANY, SIMD_RPV_UID, SIMD_RPV_EXE } kind;
	uid_t uid;
	dev_t dev;               /* SIMD_RPV_EXE: the file's identity */
	ino_t ino;
	uint8_t rpv[64];
};

/* Options; every limit is documented in docs/sim-platform.md. */
struct simd_opts {
	uint32_t revoke_timeout_ms;
	uint32_t hello_timeout_ms;
	uint64_t max_region_bytes;    /* per region */
	uint64_t max_image_bytes;     /* per measured file */
	unsigned max_conns_per_uid;
	unsigned max_regions_per_uid;
	unsigned max_pending_grants;  /* unattached grants per (granting user, consumer realm) */
	unsigned workers;
	bool allow_insecure;          /* --allow-insecure-realms */
	bool verbose;
	mode_t socket_mode;
	struct simd_rpv_rule *rpv;
	size_t n_rpv;
};

struct simd {
	struct simd_opts o;
	struct csm *csm;
	int epfd, listen_fd, sig_fd, jobs_fd, spare_fd, lock_fd;
	char sock_path[108];
	char lock_path[120];
	dev_t sock_dev;               /* identity of the socket we bound */
	ino_t sock_ino;
	uid_t euid;
	uint64_t next_serial;
	struct simd_client *clients;  /* every client */
	size_t n_clients;
	struct simd_client *new_head, *new_tail; /* state NEW, by accept time */
	struct simd_uid *uids;
	struct simd_client *realms[256]; /* by realm ID (hash buckets) */
	struct simd_ack *acks;
	size_t n_acks, cap_acks;
	struct simd_client *current;  /* client whose request is being handled */
	struct token_signer *signer;  /* attestation keys (may be NULL) */
	struct simd_epref ref_listen, ref_sig, ref_jobs;
	/* Seal in two phases (see plat.c): prepare (checks, freeze) and
	 * commit (the hash a worker computed). */
	enum { SIMD_SEAL_PREPARE = 1, SIMD_SEAL_COMMIT } seal_phase;
	struct simd_job *seal_job;
	/* Worker pool (jobs.c). */
	pthread_mutex_t jobs_lock;
	pthread_cond_t jobs_cond;
	struct simd_uid *ring;        /* users with queued jobs, round robin */
	struct simd_job *done_head, *done_tail;
	bool jobs_stop;
	pthread_t *threads;
	unsigned n_threads;
	pthread_mutex_t cache_lock;   /* measure.c's file hash cache */
	struct simd_hash_cache *cache;
};

/* ---- server.c: the loop, clients, replies --------------------------- */
int simd_init(struct simd *d, const char *sock_path, bool default_path);
int simd_run(struct simd *d, volatile int *stop);
void simd_fini(struct simd *d);
void simd_log(const struct simd *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint64_t simd_now_ms(void);
/*
 * Have the kernel refuse descriptors sent to sock (SO_PASSRIGHTS, Linux
 * 6.16; inherited by connections accepted on a listening socket).  A
 * descriptor a client passes would be closed here, in the loop -- and the
 * last close() of some files blocks (a TCP socket lingering on unsendable
 * data, a FUSE file whose server does not answer FLUSH).  0 or -1 (older
 * kernel: descriptors are then received and closed, see sockmsg.c).
 */
int simd_refuse_descriptors(int sock);
/* Finish a client's request now with this reply (body may be NULL). */
void simd_reply(struct simd *d, struct simd_client *c, int32_t status,
		const void *body, size_t len, int fd);
struct simd_uid *simd_uid_get(struct simd *d, uid_t uid);
/* The connected realm with this ID, or NULL. */
struct simd_client *simd_client_by_realm(const struct simd *d, uint64_t realm_id);
void simd_realm_link(struct simd *d, struct simd_client *c);
/* A HELLO is being measured: c leaves the list the HELLO timeout
 * watches; it returns there (ordered by accept time) if the HELLO fails. */
void simd_new_remove(struct simd *d, struct simd_client *c);
void simd_new_restore(struct simd *d, struct simd_client *c);
/* Once no acknowledgement is pending: commit c's waiting seal
 * (simd_seal_resume()), or send c's held reply (a reply that succeeded
 * becomes CAEC_E_UNCONFIRMED if a consumer left unconfirmed). */
void simd_release_held(struct simd *d, struct simd_client *c);
/* Interest in c's request socket: input unless a request is in progress. */
void simd_update_interest(struct simd *d, struct simd_client *c);

/* ---- events.c: event queues, acknowledgements -------------------------- */
/* Queue an event; never disconnects a client whose socket is only full.
 * Peer notifications are coalesced per grant (latest wins). */
void simd_send_event(struct simd *d, struct simd_client *c, uint16_t type,
		     uint64_t id, uint64_t grant);
/* Send what fits of c's queue (EPOLLOUT armed while some is left). */
void simd_flush_events(struct simd *d, struct simd_client *c);
/* Read c's acknowledgements. */
void simd_read_events(struct simd *d, struct simd_client *c);
/* Record that c must ACK grant_id before the current request completes. */
int simd_expect_ack(struct simd *d, struct simd_client *c, uint64_t grant_id);
/* Consumers past their deadline are disconnected (after a last read). */
void simd_expire_acks(struct simd *d);
/* Milliseconds to the next ack deadline, or -1. */
int simd_next_ack_ms(const struct simd *d);
/* Forget every ack involving c (it is leaving). */
void simd_drop_acks(struct simd *d, struct simd_client *c);
void simd_evq_free(struct simd_client *c);

/* ---- plat.c --------------------------------------------------------- */
extern const struct csm_plat_ops simd_plat_ops;
/* Add F_SEAL_SEAL before a consumer gets a writable descriptor. */
int simd_mem_lock_seals(struct simd_mem *m);

/* ---- handlers.c: handle one validated request ---------------------- */
struct simd_reply {
	int32_t status;
	unsigned char body[SIMD_BLOB_MAX];
	size_t body_len;
	int fd;                  /* descriptor to attach, closed after sending */
	bool deferred;           /* a job finishes this request later */
};
void simd_handle(struct simd *d, struct simd_client *c, uint16_t op,
		 const unsigned char *body, size_t len, struct simd_reply *rep);
/* A job of c finished (in the loop): complete its request -- a seal by
 * copy only once its revoked consumers have acknowledged (c->seal_wait). */
void simd_job_done(struct simd *d, struct simd_client *c, struct simd_job *j);
/* c's acknowledgements are all in: commit and answer its waiting seal. */
void simd_seal_resume(struct simd *d, struct simd_client *c);

/* ---- jobs.c: worker pool, per-user round robin ---------------------- */
enum simd_job_kind { SIMD_JOB_MEASURE = 1, SIMD_JOB_SEAL };
struct simd_job {
	enum simd_job_kind kind;
	struct simd_client *c;   /* owner (kept alive while the job runs) */
	struct simd_uid *acct;
	atomic_bool cancel;
	int rc;                  /* result: 0 or a negative caec_err */
	char why[160];           /* why it failed, for the log */
	/* measure */
	pid_t pid;
	int pidfd;
	struct simd_measure *ms;  /* progress (measure.c), NULL until the first step */
	uint8_t rim[32];
	uint32_t insecure;       /* SIMD_INSECURE_* reasons */
	dev_t exe_dev;
	ino_t exe_ino;
	uid_t euid;
	/* seal */
	struct simd_mem *mem;
	uint64_t region_id;
	uint64_t size;
	bool copy;               /* seal into a new memfd (in place impossible) */
	int new_fd;              /* copy: the sealed copy */
	int src_fd;              /* the memfd read (in place: mem->fd) */
	uint64_t off;            /* progress (hash or copy), resumable */
	bool copied;
	bool frozen;             /* in place: F_SEAL_WRITE added (by the worker) */
	struct simd_sha *sha;    /* while hashing (sha.h) */
	uint8_t hash[32];
	struct simd_job *next;
};
int simd_jobs_start(struct simd *d);
void simd_jobs_stop(struct simd *d);
/* Queue a job (its acct must be set).  0 or CAEC_E_NOMEM. */
int simd_job_submit(struct simd *d, struct simd_job *j);
/* In the loop: collect finished jobs and hand each to simd_job_done(). */
void simd_jobs_reap(struct simd *d);
void simd_job_free(struct simd_job *j);

/* ---- measure.c ------------------------------------------------------- */
#define SIMD_INSECURE_UID 0x1u     /* runs as the daemon's user or root */
#define SIMD_INSECURE_CAPS 0x2u    /* capabilities that bypass file permissions or ptrace */
#define SIMD_INSECURE_TRACED 0x4u  /* being traced: its tracer can change its code */
#define SIMD_INSECURE_IMAGE 0x8u   /* maps code another user can change (file owner or mode) */
#define SIMD_INSECURE_PIDNS 0x10u  /* in another PID namespace: others there may speak as it */
/* One step of measuring a process (worker thread): hash at most `budget`
 * bytes (every file counts for at least 64 KiB).  Returns 1 when more
 * remains, 0 when done (j->rim), or a negative caec_err (j->why). */
int simd_measure_step(struct simd *d, struct simd_job *j, uint64_t budget);
/* Release what an unfinished measurement holds (simd_job_free()). */
void simd_measure_free(struct simd_job *j);
/* One step of a seal job: copy and/or hash at most `budget` bytes.
 * Returns 1 when more remains, 0 when done, or a negative caec_err. */
int simd_seal_step(struct simd_job *j, uint64_t budget);
int simd_cache_init(struct simd *d);
void simd_cache_fini(struct simd *d);

/* ---- policy.c: realms the host admits, RPVs it assigns -------------- */
int simd_rpv_parse(struct simd_opts *o, const char *arg);
void simd_rpv_for(const struct simd *d, uid_t uid, dev_t exe_dev,
		  ino_t exe_ino, uint8_t rpv[64]);

#endif /* CAEC_SIMD_H */
