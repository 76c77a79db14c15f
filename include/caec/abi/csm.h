/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/abi/csm.h
 * @brief The CSM call ABI: function IDs, status codes, exit reasons,
 *        feature bits, permissions and the CSM_GRANT policy granule.
 *
 * FROZEN.  This file is the authoritative numbering of the calls a realm
 * (RSI) and a host (RMI) make to an RMM with the CSM extension, shared by
 * the firmware (firmware/rmm/lib/smc/include/smc-csm.h includes it), by
 * libcaec's RSI backend and by the documentation (docs/abi.md, which
 * describes the registers and semantics of each call).  Never renumber or
 * reuse a value; add calls, status codes, exit reasons and feature bits at
 * unused values only.
 *
 * Every value here is a plain integer constant with a fixed-width type, so
 * that the freestanding firmware, C11 and C++ code can include it alone.
 *
 * One act, one word (see docs/abi.md): CSM_SHARE creates a region,
 * CSM_GRANT gives it to a consumer, CSM_REVOKE takes one grant back,
 * CSM_UNSHARE destroys the region and every grant of it.
 */
#ifndef CAEC_ABI_CSM_H
#define CAEC_ABI_CSM_H

#include <stddef.h>
#include <stdint.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the caec CSM policy granule is little-endian only"
#endif

/*
 * Function IDs.  SMCCC SMC64 fast calls in the vendor-specific hypervisor
 * service range (owner 7): the RMM v1.0 standard calls keep their own
 * numbers, and later RMM versions take the numbers after theirs.
 */

/** First / last FID reserved for CSM realm calls (RSI extension). */
#define CAEC_RSI_CSM_FID_FIRST UINT32_C(0xC7000190)
#define CAEC_RSI_CSM_FID_LAST UINT32_C(0xC70001AF)

/** Negotiate the CSM ABI version and read the feature bits. */
#define CAEC_RSI_CSM_VERSION UINT32_C(0xC7000190)
/** The caller's realm ID. */
#define CAEC_RSI_CSM_REALM_ID UINT32_C(0xC7000191)
/** Create (share) a region at a range of the caller's IPA space. */
#define CAEC_RSI_CSM_SHARE UINT32_C(0xC7000192)
/** Grant a region to a consumer realm, optionally with a policy granule. */
#define CAEC_RSI_CSM_GRANT UINT32_C(0xC7000193)
/** Revoke one grant. */
#define CAEC_RSI_CSM_REVOKE UINT32_C(0xC7000194)
/** Destroy (unshare) a region; revokes every grant of it first. */
#define CAEC_RSI_CSM_UNSHARE UINT32_C(0xC7000195)
/** Seal a region (read-only for everyone, content hashed). */
#define CAEC_RSI_CSM_SEAL UINT32_C(0xC7000196)
/** The index-th grant made to the caller. */
#define CAEC_RSI_CSM_GRANT_LIST UINT32_C(0xC7000197)
/** Consumer: name the IPA range that will map a grant. */
#define CAEC_RSI_CSM_RESERVE UINT32_C(0xC7000198)
/** Consumer: consent and map a reserved grant. */
#define CAEC_RSI_CSM_ATTACH UINT32_C(0xC7000199)
/** Consumer: unmap and drop the reservation (the grant remains). */
#define CAEC_RSI_CSM_DETACH UINT32_C(0xC700019A)
/** Ask the host to wake the peer of a grant (doorbell). */
#define CAEC_RSI_CSM_NOTIFY UINT32_C(0xC700019B)

/** First / last FID reserved for CSM host calls (RMI extension). */
#define CAEC_RMI_CSM_FID_FIRST UINT32_C(0xC7000150)
#define CAEC_RMI_CSM_FID_LAST UINT32_C(0xC700018F)

/** Negotiate the CSM ABI version (host side). */
#define CAEC_RMI_CSM_VERSION UINT32_C(0xC7000150)
/** Donate a delegated granule as CSM metadata space for a realm. */
#define CAEC_RMI_CSM_META_ADD UINT32_C(0xC7000151)
/** Take back an empty CSM metadata granule. */
#define CAEC_RMI_CSM_META_REMOVE UINT32_C(0xC7000152)

/*
 * ABI version, as CSM_VERSION encodes it: major in bits 16..30, minor in
 * bits 0..15 (the encoding of RMI/RSI_VERSION).
 */
#define CAEC_CSM_ABI_MAJOR UINT32_C(1)
#define CAEC_CSM_ABI_MINOR UINT32_C(0)
#define CAEC_CSM_ABI_VERSION(major, minor) \
	((((uint32_t)(major) & UINT32_C(0x7fff)) << 16) | ((uint32_t)(minor) & UINT32_C(0xffff)))

/* Feature bits reported in x3 by RSI CSM_VERSION. */
/** Read-only grants are enforced in stage 2. */
#define CAEC_CSM_FEAT_RO_S2 (UINT64_C(1) << 0)
/** CSM_GRANT accepts a policy granule (local attestation). */
#define CAEC_CSM_FEAT_LOCAL_ATTEST (UINT64_C(1) << 1)
/** CSM_SEAL is implemented. */
#define CAEC_CSM_FEAT_SEAL (UINT64_C(1) << 2)
/** CSM_NOTIFY is implemented (doorbell exits). */
#define CAEC_CSM_FEAT_NOTIFY (UINT64_C(1) << 3)

/*
 * Status codes in x0.  The RSI v1.0 codes keep their values; CSM adds
 * DENIED and BUSY above them.
 */
#define CAEC_RSI_SUCCESS UINT64_C(0)
#define CAEC_RSI_ERROR_INPUT UINT64_C(1)
#define CAEC_RSI_ERROR_STATE UINT64_C(2)
#define CAEC_RSI_INCOMPLETE UINT64_C(3)
/** Not allowed: not granted to the caller, policy or permission refused. */
#define CAEC_RSI_ERROR_DENIED UINT64_C(0x10)
/** A host action is pending: re-issue the call after the host has run. */
#define CAEC_RSI_ERROR_BUSY UINT64_C(0x11)

/* Vendor REC exit reasons (rec_exit.exit_reason), range in ripas_base/top. */
/** Populate the provider's range with delegated DATA granules. */
#define CAEC_RMI_EXIT_CSM_POPULATE UINT64_C(0x80)
/** Reclaim the consumer's private granules in the reserved range. */
#define CAEC_RMI_EXIT_CSM_RELEASE UINT64_C(0x81)
/** A region or attachment is gone; the host may reclaim/repopulate. */
#define CAEC_RMI_EXIT_CSM_RECLAIM UINT64_C(0x82)
/** Wake the target realm's vCPU (availability only). */
#define CAEC_RMI_EXIT_CSM_DOORBELL UINT64_C(0x83)
/** The realm needs CSM metadata space: CSM_META_ADD a granule to its RD. */
#define CAEC_RMI_EXIT_CSM_META UINT64_C(0x84)

/* Grant permissions (x3 of CSM_GRANT).  libcaec's CAEC_PERM_* and
 * core/csm's CSM_PERM_* are defined as these. */
/** Read-only. */
#define CAEC_CSM_PERM_RO 1u
/** Read-write. */
#define CAEC_CSM_PERM_RW 3u

/*
 * The policy granule of CSM_GRANT (x4: its IPA, or 0 for no policy).  One
 * 4 KB granule of the provider's protected IPA space:
 *
 * @verbatim
 *    0  u32 magic       CAEC_CSM_POLICY_MAGIC
 *    4  u16 version     CAEC_CSM_POLICY_VERSION
 *    6  u16 hash_algo   CAEC_CSM_HASH_* of rim (the consumer's RIM algorithm)
 *    8  u32 rim_len     digest size of hash_algo (32 or 64)
 *   12  u32 _pad0       zero
 *   16  u8  rim[64]     expected RIM of the consumer; bytes past rim_len zero
 *   80  ... 4095        reserved, zero
 * @endverbatim
 *
 * The RMM copies the granule at CSM_GRANT and rejects it (ERROR_INPUT)
 * unless magic and version match, hash_algo is known, rim_len is its digest
 * size, and every reserved and padding byte is zero: a later version can
 * give them a meaning without older RMMs misreading them.  At CSM_ATTACH
 * the RMM compares hash_algo and rim[0..rim_len) with the consumer's
 * measurement and refuses (DENIED) on any difference.
 */
/** Policy granule magic, "CAEP" in memory order. */
#define CAEC_CSM_POLICY_MAGIC UINT32_C(0x50454143)
/** Policy granule layout version. */
#define CAEC_CSM_POLICY_VERSION UINT16_C(1)
/** Size of the policy granule (one CCA granule). */
#define CAEC_CSM_POLICY_SIZE 4096u
/** Longest RIM the granule carries. */
#define CAEC_CSM_POLICY_RIM_MAX 64u
/** hash_algo: SHA-256 (32-byte RIM).  Same values as RMI's RmiHashAlgorithm. */
#define CAEC_CSM_HASH_SHA256 UINT16_C(0)
/** hash_algo: SHA-512 (64-byte RIM). */
#define CAEC_CSM_HASH_SHA512 UINT16_C(1)

/** The defined head of the policy granule; the rest is reserved. */
struct caec_csm_policy_abi {
	uint32_t magic;                        /**< 0: CAEC_CSM_POLICY_MAGIC. */
	uint16_t version;                      /**< 4: CAEC_CSM_POLICY_VERSION. */
	uint16_t hash_algo;                    /**< 6: CAEC_CSM_HASH_*. */
	uint32_t rim_len;                      /**< 8: 32 (SHA-256) or 64 (SHA-512). */
	uint32_t _pad0;                        /**< 12: zero. */
	uint8_t rim[CAEC_CSM_POLICY_RIM_MAX];  /**< 16: expected consumer RIM. */
};
/** Offset of the reserved (must-be-zero) rest of the granule. */
#define CAEC_CSM_POLICY_RESERVED_OFF 80u

#ifdef __cplusplus
#define CAEC_CSM_ABI_ASSERT_(e, m) static_assert(e, m)
#else
#define CAEC_CSM_ABI_ASSERT_(e, m) _Static_assert(e, m)
#endif
CAEC_CSM_ABI_ASSERT_(offsetof(struct caec_csm_policy_abi, magic) == 0, "policy magic");
CAEC_CSM_ABI_ASSERT_(offsetof(struct caec_csm_policy_abi, version) == 4, "policy version");
CAEC_CSM_ABI_ASSERT_(offsetof(struct caec_csm_policy_abi, hash_algo) == 6, "policy hash_algo");
CAEC_CSM_ABI_ASSERT_(offsetof(struct caec_csm_policy_abi, rim_len) == 8, "policy rim_len");
CAEC_CSM_ABI_ASSERT_(offsetof(struct caec_csm_policy_abi, _pad0) == 12, "policy pad");
CAEC_CSM_ABI_ASSERT_(offsetof(struct caec_csm_policy_abi, rim) == 16, "policy rim");
CAEC_CSM_ABI_ASSERT_(sizeof(struct caec_csm_policy_abi) == CAEC_CSM_POLICY_RESERVED_OFF,
		     "policy head size");
CAEC_CSM_ABI_ASSERT_(CAEC_CSM_POLICY_RESERVED_OFF < CAEC_CSM_POLICY_SIZE, "policy fits");
CAEC_CSM_ABI_ASSERT_(CAEC_RSI_CSM_NOTIFY <= CAEC_RSI_CSM_FID_LAST, "RSI CSM range");
CAEC_CSM_ABI_ASSERT_(CAEC_RMI_CSM_META_REMOVE <= CAEC_RMI_CSM_FID_LAST, "RMI CSM range");
#undef CAEC_CSM_ABI_ASSERT_

#endif /* CAEC_ABI_CSM_H */
