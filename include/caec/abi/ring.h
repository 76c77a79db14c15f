/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/abi/ring.h
 * @brief Frozen shared-memory layout of caec rings and channels (layout v1).
 *
 * FROZEN.  This file describes bytes that two realms (possibly built from
 * different versions of caec, on x86-64 or AArch64) read and write in one
 * CSM region.  Do not reorder, resize or reuse a field.  Extend only by a new
 * feature bit plus words in the reserved space or appended at the end, and
 * bump the minor version; an incompatible change bumps the major, which
 * every reader rejects.  The layout version is independent of the library
 * version.
 *
 * All fields are fixed-width, little-endian (both supported architectures
 * are little-endian; a big-endian build fails below), naturally aligned.
 * Indices are free-running u32 byte counters, masked by (capacity - 1) on
 * use; a fill level `tail - head > capacity` means the ring is corrupt.
 *
 * One ring (offsets relative to the ring base, which is 64-byte aligned):
 *
 * @verbatim
 *   0 +-------------------------------------------------------------+
 *     | header line (written once by the formatter, read-only after) |
 *     |  magic, major, minor, features, hdr_size, capacity, max_msg  |
 *  64 +-------------------------------------------------------------+
 *     | producer line: tail (SPSC: published end of committed data), |
 *     |  reserve (MPSC: producers' shared claim index)               |
 * 128 +-------------------------------------------------------------+
 *     | consumer line: head (end of consumed data)                   |
 * 192 +-------------------------------------------------------------+
 *     | data doorbell line: word the consumer sleeps on (data avail) |
 * 256 +-------------------------------------------------------------+
 *     | space doorbell line: word producers sleep on (space avail)   |
 * 320 +-------------------------------------------------------------+
 *     | reserved (zero), for appended extensions                     |
 * 512 +-------------------------------------------------------------+
 *     | data[capacity]: records, each 8-byte aligned:                |
 *     |   u32 len | u32 stamp | payload[len] | pad to 8             |
 *     +-------------------------------------------------------------+
 * @endverbatim
 *
 * A record header is one little-endian u64 written with a single store:
 * bits 0..31 = payload length, bits 32..63 = stamp.  The stamp is the
 * free-running byte index at which the record starts (always a multiple of
 * 8), OR-ed with CAEC_RING_STAMP_COMMIT, CAEC_RING_STAMP_PAD for a padding
 * (skip) record and (SPSC) CAEC_RING_STAMP_NEXT_CLEAR.  A padding record
 * fills the bytes from its position to the end of the data area so that
 * every message is one contiguous span; its len is that span minus 8.  An
 * MPSC producer also publishes the unused rest of a shrunk or cancelled
 * claim as a skip record.  The validation rules every reader applies are
 * part of this layout version: docs/rings.md, "Validation rules".
 *
 * A channel region starts with one channel header line, followed by two
 * rings (provider-to-consumer, then consumer-to-provider), each at a
 * 64-byte-aligned offset named in the channel header.
 */
#ifndef CAEC_ABI_RING_H
#define CAEC_ABI_RING_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "caec ring layout v1 is little-endian only"
#endif

/** Cache-line size of the layout: a fixed ABI constant, not the CPU's. */
#define CAEC_ABI_CACHELINE 64u

/** Ring magic, "CAER" in memory order. */
#define CAEC_RING_MAGIC 0x52454143u
/** Ring layout major version: readers reject any other. */
#define CAEC_RING_MAJOR 1u
/** Ring layout minor version: compatible additions. */
#define CAEC_RING_MINOR 0u

/** Ring feature bit: multi-producer ring (producers claim with CAS on reserve). */
#define CAEC_RING_FEAT_MPSC 0x1u
/** Feature bits this layout version knows; readers reject unknown ones. */
#define CAEC_RING_FEAT_KNOWN CAEC_RING_FEAT_MPSC

/** Bytes from the ring base to data[0] in layout v1. */
#define CAEC_RING_HDR_SIZE 512u
/** Smallest data capacity (bytes; power of two). */
#define CAEC_RING_MIN_CAPACITY 64u
/** Largest data capacity (bytes; power of two). */
#define CAEC_RING_MAX_CAPACITY (1u << 30)
/** Record header size and record alignment. */
#define CAEC_RING_REC_ALIGN 8u
/** Record stamp flag: padding / skip record (the consumer passes over it). */
#define CAEC_RING_STAMP_PAD 0x1u
/** Record stamp flag: the record is committed (every written header has it). */
#define CAEC_RING_STAMP_COMMIT 0x2u
/**
 * Record stamp flag (SPSC): before publishing this record the producer
 * zeroed the 8-byte header slot that follows it, so the consumer may poll
 * that slot for the next record instead of reading `tail` (zero = not yet;
 * a stale value cannot appear there).  Without it the consumer reads tail.
 */
#define CAEC_RING_STAMP_NEXT_CLEAR 0x4u
/** Stamp bits that are flags (the rest is the record's position). */
#define CAEC_RING_STAMP_FLAGS 0x7u

/** Largest payload of a ring of `cap` data bytes (a record fits twice). */
#define CAEC_RING_MAX_MSG(cap) ((cap) / 2u - CAEC_RING_REC_ALIGN)

/** Header line, offset 0.  Written by the formatter before sharing. */
struct caec_ring_abi_hdr {
	uint32_t magic;     /**< 0: CAEC_RING_MAGIC. */
	uint16_t major;     /**< 4: CAEC_RING_MAJOR. */
	uint16_t minor;     /**< 6: CAEC_RING_MINOR. */
	uint32_t features;  /**< 8: CAEC_RING_FEAT_* bits. */
	uint32_t hdr_size;  /**< 12: offset of data[0]; CAEC_RING_HDR_SIZE in v1. */
	uint32_t capacity;  /**< 16: data bytes, power of two. */
	uint32_t max_msg;   /**< 20: CAEC_RING_MAX_MSG(capacity). */
	uint8_t _pad[40];   /**< 24: zero. */
};

/** Producer line, offset 64.  Written by producers only. */
struct caec_ring_abi_prod {
	uint32_t tail;      /**< 64: SPSC: end of committed records (release). */
	uint32_t reserve;   /**< 68: MPSC: end of claimed space (CAS by producers). */
	uint8_t _pad[56];   /**< 72: zero. */
};

/** Consumer line, offset 128.  Written by the consumer only. */
struct caec_ring_abi_cons {
	uint32_t head;      /**< 128: end of released records (release). */
	uint8_t _pad[60];   /**< 132: zero. */
};

/** A doorbell line.  The word is a caec doorbell (see caec/doorbell.h). */
struct caec_ring_abi_bell {
	uint32_t word;      /**< +0: doorbell word: seq << 1 | waiters bit. */
	uint8_t _pad[60];   /**< +4: zero. */
};

/** The whole ring control block; data[] follows at hdr_size. */
struct caec_ring_abi {
	struct caec_ring_abi_hdr hdr;    /**< 0 */
	struct caec_ring_abi_prod prod;  /**< 64 */
	struct caec_ring_abi_cons cons;  /**< 128 */
	struct caec_ring_abi_bell data_bell;  /**< 192: consumer waits for data. */
	struct caec_ring_abi_bell space_bell; /**< 256: producers wait for space. */
	uint8_t _reserved[192];          /**< 320: zero. */
};

/** Bytes a ring of `cap` data bytes occupies. */
#define CAEC_RING_BYTES(cap) ((size_t)CAEC_RING_HDR_SIZE + (size_t)(cap))

/** Channel magic, "CAEC" in memory order. */
#define CAEC_CHAN_MAGIC 0x43454143u
/** Channel layout major / minor. */
#define CAEC_CHAN_MAJOR 1u
#define CAEC_CHAN_MINOR 0u
/** Channel feature: the consumer-to-provider ring is MPSC (many-to-one). */
#define CAEC_CHAN_FEAT_MANY_TO_ONE 0x1u
/** Channel features known to layout v1. */
#define CAEC_CHAN_FEAT_KNOWN CAEC_CHAN_FEAT_MANY_TO_ONE
/** Channel state bits (prov_state / cons_state). */
#define CAEC_CHAN_ST_OPEN 0x1u
#define CAEC_CHAN_ST_CLOSED 0x2u

/** Channel header, at offset 0 of a channel region. */
struct caec_chan_abi {
	uint32_t magic;      /**< 0: CAEC_CHAN_MAGIC (provider-written). */
	uint16_t major;      /**< 4: CAEC_CHAN_MAJOR. */
	uint16_t minor;      /**< 6: CAEC_CHAN_MINOR. */
	uint32_t features;   /**< 8: CAEC_CHAN_FEAT_*. */
	uint32_t _pad0;      /**< 12: zero. */
	uint64_t p2c_off;    /**< 16: offset of the provider-to-consumer ring. */
	uint64_t c2p_off;    /**< 24: offset of the consumer-to-provider ring. */
	uint32_t p2c_cap;    /**< 32: its data capacity. */
	uint32_t c2p_cap;    /**< 36: its data capacity. */
	uint32_t prov_state; /**< 40: CAEC_CHAN_ST_* (provider-written). */
	uint32_t cons_state; /**< 44: CAEC_CHAN_ST_* (consumer-written; MPSC: any). */
	uint8_t _pad[16];    /**< 48: zero. */
};
/** Offset of the first ring in a channel region. */
#define CAEC_CHAN_HDR_SIZE 64u

#ifdef __cplusplus
#define CAEC_ABI_ASSERT_(e, m) static_assert(e, m)
#else
#define CAEC_ABI_ASSERT_(e, m) _Static_assert(e, m)
#endif
CAEC_ABI_ASSERT_(sizeof(struct caec_ring_abi_hdr) == 64, "ring hdr line");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, magic) == 0, "magic");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, major) == 4, "major");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, minor) == 6, "minor");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, features) == 8, "features");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, hdr_size) == 12, "hdr_size");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, capacity) == 16, "capacity");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi_hdr, max_msg) == 20, "max_msg");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, prod) == 64, "prod line");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, prod.tail) == 64, "tail");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, prod.reserve) == 68, "reserve");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, cons) == 128, "cons line");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, cons.head) == 128, "head");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, data_bell.word) == 192, "data bell");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, space_bell.word) == 256, "space bell");
CAEC_ABI_ASSERT_(offsetof(struct caec_ring_abi, _reserved) == 320, "reserved");
CAEC_ABI_ASSERT_(sizeof(struct caec_ring_abi) == CAEC_RING_HDR_SIZE, "ring ctl size");
CAEC_ABI_ASSERT_(sizeof(struct caec_chan_abi) == CAEC_CHAN_HDR_SIZE, "chan hdr size");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, features) == 8, "chan features");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, p2c_off) == 16, "p2c_off");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, c2p_off) == 24, "c2p_off");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, p2c_cap) == 32, "p2c_cap");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, c2p_cap) == 36, "c2p_cap");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, prov_state) == 40, "prov_state");
CAEC_ABI_ASSERT_(offsetof(struct caec_chan_abi, cons_state) == 44, "cons_state");

#endif /* CAEC_ABI_RING_H */
