/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd internals: the simulated RMM + host.
 *
 * One thread, one poll loop.  Each connected process is a realm (struct
 * simd_client); the CSM state machine (core/csm) holds every decision about
 * regions and grants, and this daemon supplies its platform: memfd memory,
 * descriptors for mappings, revocation events and their acknowledgements.
 *
 * Revocation is cooperative on this platform: the daemon tells a consumer
 * to unmap and waits (bounded) for its acknowledgement before answering the
 * provider; a consumer that does not answer in time is disconnected, which
 * releases everything it held.  It cannot force a process to drop a
 * mapping it already has -- the firmware's stage-2 unmap can.  Destroying
 * a region additionally punches out its memory, so stale mappings read
 * zeros.
 */
#ifndef CAEC_SIMD_H
#define CAEC_SIMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <csm/csm.h>

#include "proto.h"

struct token_signer;

struct simd_client {
	uint64_t serial;         /* daemon-local handle; the CSM realm cookie */
	int fd;                  /* request socket */
	int ev_fd;               /* daemon end of the event socketpair */
	pid_t pid;               /* SO_PEERCRED: who connected */
	uid_t uid;
	pid_t sender;            /* SCM_CREDENTIALS of the request being handled */
	bool hello_done;
	bool dead;               /* to be removed at the end of this loop turn */
	uint64_t realm_id;
	uint8_t rim[32];
	uint8_t rpv[64];
	bool has_rpv;
	/* A reply held back until consumers acknowledge revocations. */
	bool deferred;
	unsigned acks_pending;
	unsigned char *rep_buf;
	size_t rep_len;
	int rep_fd;
};

/* An outstanding revocation: consumer must ACK grant `grant_id`. */
struct simd_ack {
	uint64_t consumer;       /* client serial */
	uint64_t grant_id;
	uint64_t waiter;         /* client serial whose reply waits, or 0 */
	uint64_t deadline_ms;
};

struct simd_mem {
	int fd;                  /* the region's memfd (read-write) */
	uint64_t size;
};

struct simd {
	struct csm *csm;
	int listen_fd;
	char sock_path[108];
	uint32_t revoke_timeout_ms;
	/* Largest region a realm may create.  The state machine has no
	 * limit; this platform has one because sealing hashes the whole
	 * region in the daemon's only thread (SHA-256 of a sparse 1 TiB
	 * memfd would stall every realm for minutes). */
	uint64_t max_region_bytes;
	bool verbose;
	uint64_t next_serial;
	struct simd_client **clients;
	size_t n_clients, cap_clients;
	struct simd_ack *acks;
	size_t n_acks, cap_acks;
	struct simd_client *current; /* client whose request is being handled */
	struct token_signer *signer; /* attestation keys (may be NULL) */
};

/* server.c */
int simd_init(struct simd *d, const char *sock_path, uint32_t revoke_timeout_ms);
int simd_run(struct simd *d, volatile int *stop);
void simd_fini(struct simd *d);
struct simd_client *simd_client_by_serial(struct simd *d, uint64_t serial);
void simd_log(const struct simd *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Send an event; marks the client dead if it cannot take it. */
void simd_send_event(struct simd *d, struct simd_client *c, uint16_t type,
		     uint64_t id, uint64_t grant);
/* Record that c must ACK grant_id before the current request completes. */
int simd_expect_ack(struct simd *d, struct simd_client *c, uint64_t grant_id);

/* plat.c */
extern const struct csm_plat_ops simd_plat_ops;

/* handlers.c: handle one validated request; fills the reply. */
struct simd_reply {
	int32_t status;
	unsigned char body[SIMD_BLOB_MAX];
	size_t body_len;
	int fd;                  /* descriptor to attach, closed after sending */
};
void simd_handle(struct simd *d, struct simd_client *c, uint16_t op,
		 const unsigned char *body, size_t len, struct simd_reply *rep);

/* measure.c: SHA-256 of the client's executable image (its "RIM"). */
int simd_measure_pid(pid_t pid, uint8_t out[32]);
/* SHA-256 of a memfd's content (seal). */
int simd_hash_fd(int fd, uint64_t size, uint8_t out[32]);

#endif /* CAEC_SIMD_H */
