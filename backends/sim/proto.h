/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The caec-simd wire protocol (libcaec sim backend <-> caec-simd).
 *
 * Internal to this project: both ends are built from this header, so it is
 * versioned (SIMD_PROTO_VERSION) but not frozen: every message carries the
 * version, each side refuses any other (the client's caec_open() then fails
 * with CAEC_E_PROTO), and a change of a message, an op or an event a
 * client relies on bumps it (docs/abi.md, "The simulator's wire
 * protocol").  Both ends are on one
 * machine, so fields are host-endian; the daemon still treats every byte a
 * client sends as hostile.
 *
 * Transport: SOCK_SEQPACKET Unix sockets, one message per packet.
 *  - The request socket (client connects to the daemon's path) carries
 *    request -> reply, strictly alternating, one outstanding request.
 *  - The event socket is one end of a socketpair the daemon passes in the
 *    HELLO reply.  The daemon pushes struct simd_event on it; the client
 *    answers SIMD_EV_REVOKED with SIMD_EV_ACK once its mapping is gone.
 *  - Memory travels as file descriptors (SCM_RIGHTS) in SHARE, ATTACH,
 *    SEAL, REMAP and EXPORT replies, and the event socket in the HELLO reply: at
 *    most one fd per message.  Clients never send descriptors; the daemon
 *    closes any it receives.
 *  - Every request and every ACK must come from the realm's own process
 *    (the kernel stamps the sender: SO_PASSCRED); others are refused.
 *
 * Every message is exactly sizeof(struct simd_hdr) + the body size for its
 * op (requests) or for its op and status (replies: bodies are present only
 * when status == 0, except TOKEN/PLATFORM_KEY replies which are variable).
 */
#ifndef CAEC_SIM_PROTO_H
#define CAEC_SIM_PROTO_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#define SIMD_MAGIC 0x44534d43u /* "CMSD" little-endian */
#define SIMD_PROTO_VERSION 4u
/* Largest packet either side sends or accepts. */
#define SIMD_MSG_MAX 16384u
/* Longest variable payload (tokens, keys). */
#define SIMD_BLOB_MAX (SIMD_MSG_MAX - sizeof(struct simd_hdr))

enum simd_op {
	SIMD_OP_HELLO = 1,
	SIMD_OP_SHARE = 2,
	SIMD_OP_GRANT = 3,
	SIMD_OP_REVOKE = 4,
	SIMD_OP_UNSHARE = 5,
	SIMD_OP_SEAL = 6,
	SIMD_OP_GRANT_LIST = 7,
	SIMD_OP_GRANT_INFO = 8,
	SIMD_OP_ATTACH = 9,
	SIMD_OP_DETACH = 10,
	SIMD_OP_TOKEN = 11,
	SIMD_OP_PLATFORM_KEY = 12,
	SIMD_OP_REMAP = 13,
	SIMD_OP_GRANT_LIST_BATCH = 14, /* since 3 */
	SIMD_OP_EXPORT = 15,          /* since 4 */
	SIMD_OP_COUNT
};

struct simd_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t op;      /* enum simd_op */
	uint32_t seq;     /* request sequence number, echoed in the reply */
	uint32_t len;     /* total packet length, header included */
	int32_t status;   /* replies: 0 or a negative enum caec_err; requests: 0 */
	uint32_t _pad;
};
static_assert(sizeof(struct simd_hdr) == 24, "simd_hdr layout");

/*
 * HELLO: the realm introduces itself; it chooses nothing (its RPV is the
 * host's choice: caec-simd --rpv).  Only the process that connected may
 * send it (SCM_CREDENTIALS); the daemon measures that process before it
 * answers.  The reply carries the event socket.
 */
struct simd_hello_req {
	uint32_t flags;           /* 0 */
	uint32_t _pad;            /* 0 */
};
struct simd_hello_rep {
	uint64_t realm_id;
	uint32_t granule;         /* CSM granule size */
	uint32_t rim_len;
	uint8_t rim[64];          /* the realm's measurement (docs/sim-platform.md) */
	uint32_t flags;           /* SIMD_HELLO_F_* */
	uint32_t _pad;
};
/* The daemon admitted this realm although it cannot isolate it
 * (--allow-insecure-realms): same user as the daemon, root, holding any
 * capability, traced, running code another user can change, or in
 * another PID namespace. */
#define SIMD_HELLO_F_INSECURE 0x1u

/* SHARE: base = start of a range the client reserved in its address space. */
struct simd_share_req {
	uint64_t base;
	uint64_t size;
};
struct simd_share_rep {
	uint64_t region_id;       /* + fd: the region memory, read-write */
};

struct simd_grant_req {
	uint64_t region_id;
	uint64_t consumer;
	uint32_t perm;
	uint32_t rim_len;         /* local-attestation policy: 0 = none */
	uint8_t rim[64];
};
struct simd_grant_rep {
	uint64_t grant_id;
};

struct simd_id_req {            /* REVOKE (grant), UNSHARE, SEAL, REMAP (region), DETACH, GRANT_INFO (grant) */
	uint64_t id;
};

/* REMAP: the provider's region again (after a failed seal): + fd,
 * read-write, or read-only if the region is sealed. */
struct simd_remap_rep {
	uint32_t flags;           /* CAEC_GRANT_F_SEALED */
	uint32_t _pad;
};

/*
 * EXPORT (since 4): a new read-only descriptor of a region's memory, for
 * the realm to hand to third-party code (caec_region_export_fd()).  role 0: id is a
 * region the caller provides; role 1: id is a grant the caller has
 * attached.  Reply: + fd (O_RDONLY, a new open file description).
 */
struct simd_export_req {
	uint64_t id;
	uint32_t role;
	uint32_t _pad;            /* 0 */
};
struct simd_export_rep {
	uint64_t size;
	uint32_t flags;           /* CAEC_GRANT_F_SEALED */
	uint32_t _pad;
};

/* SEAL: the region is sealed.  A region some consumer could once write is
 * sealed by a copy: first every attachment of it is revoked (REVOKED
 * events; the grants stay, so consumers may attach again, to the sealed
 * copy) and attaching is refused (CAEC_E_BUSY) until the reply. */
struct simd_seal_rep {
	uint32_t hash_len;        /* + fd: the region memory, read-only */
	uint32_t flags;           /* SIMD_SEAL_F_* */
	uint8_t hash[64];
};
/* Sealed, but a consumer revoked for the seal did not acknowledge: it was
 * disconnected (the library reports CAEC_E_UNCONFIRMED). */
#define SIMD_SEAL_F_UNCONFIRMED 0x1u

struct simd_grant_list_req {
	uint64_t index;
};

/* GRANT_LIST_BATCH (since 3): the grants made to the caller from `index`
 * on, as many as fit (at most `max`, at most SIMD_GRANT_BATCH_MAX), and
 * how many there are in all -- one snapshot, one round trip; max 0 only
 * counts. */
struct simd_grant_batch_req {
	uint64_t index;
	uint32_t max;
	uint32_t _pad;            /* 0 */
};
struct simd_grant_batch_rep {   /* followed by `count` simd_grant_info_rep */
	uint64_t total;
	uint32_t count;
	uint32_t _pad;
};
struct simd_grant_info_rep {    /* GRANT_LIST and GRANT_INFO replies */
	uint64_t grant_id;
	uint64_t provider;
	uint64_t size;
	uint32_t perm;
	uint32_t flags;           /* CAEC_GRANT_F_* */
};

/* Entries one GRANT_LIST_BATCH reply carries at most. */
#define SIMD_GRANT_BATCH_MAX \
	((SIMD_BLOB_MAX - sizeof(struct simd_grant_batch_rep)) / sizeof(struct simd_grant_info_rep))

struct simd_attach_req {
	uint64_t grant_id;
	uint64_t base;            /* client-reserved range of the region's size */
	uint64_t size;
	uint32_t hash_len;        /* required seal hash: 0 = none */
	uint32_t _pad;
	uint8_t hash[64];
};
struct simd_attach_rep {
	uint64_t region_id;       /* + fd: read-only or read-write per perm */
	uint64_t provider;
	uint64_t size;
	uint32_t perm;
	uint32_t flags;
	uint32_t hash_len;
	uint32_t _pad;
	uint8_t hash[64];
};

struct simd_token_req {
	uint8_t challenge[64];
};
/* TOKEN and PLATFORM_KEY replies: the header followed by len - 24 bytes. */

/* Events on the event socket (both directions). */
enum simd_event_type {
	SIMD_EV_REVOKED = 1,       /* d->c: grant `id` is gone; unmap, then ACK */
	SIMD_EV_PEER_ATTACHED = 2, /* d->c: region `id`, grant `grant` attached */
	SIMD_EV_PEER_DETACHED = 3, /* d->c: region `id`, grant `grant` detached */
	SIMD_EV_ACK = 4,           /* c->d: revocation of grant `id` done */
	SIMD_EV_GRANTED = 5,       /* d->c (since 3): grant `id` was made to this realm
				    * by realm `grant`; a notification, dropped if the
				    * client's queue is full (it lists its grants anyway) */
};
struct simd_event {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint64_t id;
	uint64_t grant;
};
static_assert(sizeof(struct simd_event) == 24, "simd_event layout");

#endif /* CAEC_SIM_PROTO_H */
