/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/abi/driver.h
 * @brief The CSM driver ABI: what a realm's CSM driver exposes to
 *        applications on /dev/caec (ioctl, mmap, SIGBUS).
 *
 * One ABI for two kernels: the caec realm kernel (firmware/realm/kernel),
 * whose applications reach it with the arm64 Linux system call numbers,
 * and a future Linux realm driver.  libcaec's RSI backend speaks it and
 * nothing else, so it needs only a transport (svc or ioctl(2)) per kernel.
 * docs/abi.md, "The CSM driver ABI", describes each call; this header
 * freezes the numbers and layouts.
 *
 * Rules for every ioctl argument:
 *  - It starts with `uint32_t size` (sizeof the struct as the caller
 *    compiled it) and `uint32_t flags` (0 unless a flag is defined).
 *  - size below the call's *_SIZE_V1 is refused (EINVAL).  A larger size
 *    is accepted when every byte the driver does not know is zero (else
 *    E2BIG), so fields can be appended later; outputs are written only up
 *    to the smaller of the two sizes, and only on success.
 *  - Unknown flags: EINVAL.  A bad pointer: EFAULT.  An ID this open file
 *    does not hold: ENOENT (a grant not made to this realm, for ATTACH:
 *    EACCES, as the RMM answers).  An unknown ioctl number: ENOTTY.
 *  - Errors are negative Linux errno values (asm-generic numbering; the
 *    CAEC_DRV_E* constants below, since a realm's C library may number
 *    errno differently).
 *  - A CSM call the RMM does not implement fails with EOPNOTSUPP.  A CSM
 *    call that fails names its cause (RSI x1, the magnitude of an
 *    enum caec_err), which the driver maps one to one (docs/abi.md):
 *    INVAL/ALIGN EINVAL, RANGE ERANGE, NOENT ENOENT, DENIED EACCES, STATE
 *    EBUSY, REVOKED ECANCELED, OVERLAP EADDRINUSE, PERM EPERM, EXIST
 *    EEXIST, NOMEM ENOMEM, PLATFORM EIO, HASH EBADMSG, BUSY EAGAIN
 *    (ERROR_BUSY is retried by the driver first).
 *
 * The ioctl numbers are the Linux arm64 encodings of _IOR/_IOW/_IOWR('\xCA',
 * nr, struct) with the V1 sizes; a driver matches the whole number.
 */
#ifndef CAEC_ABI_DRIVER_H
#define CAEC_ABI_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/** The device node a realm's CSM driver provides. */
#define CAEC_DRV_DEVICE "/dev/caec"

/** Driver ABI version (independent of the CSM RSI version). */
#define CAEC_DRV_ABI_MAJOR 1u
#define CAEC_DRV_ABI_MINOR 2u  /**< 1.1: NOTIFY_F_REGION, GRANT_F_ATTACHED, ATTACH hash; 1.2: PLATFORM_KEY */

/*
 * The errno values of this ABI (Linux asm-generic numbering).  Negated in
 * every error return.
 */
#define CAEC_DRV_EPERM 1
#define CAEC_DRV_ENOENT 2
#define CAEC_DRV_EIO 5
#define CAEC_DRV_E2BIG 7
#define CAEC_DRV_EBADF 9
#define CAEC_DRV_EAGAIN 11
#define CAEC_DRV_ENOMEM 12
#define CAEC_DRV_EACCES 13
#define CAEC_DRV_EFAULT 14
#define CAEC_DRV_EBUSY 16
#define CAEC_DRV_EEXIST 17
#define CAEC_DRV_ENODEV 19
#define CAEC_DRV_EINVAL 22
#define CAEC_DRV_ENOTTY 25
#define CAEC_DRV_ENOSPC 28
#define CAEC_DRV_ERANGE 34
#define CAEC_DRV_ENOSYS 38
#define CAEC_DRV_EBADMSG 74
#define CAEC_DRV_EOPNOTSUPP 95
#define CAEC_DRV_EADDRINUSE 98
#define CAEC_DRV_ETIMEDOUT 110
#define CAEC_DRV_ECANCELED 125

/* Linux asm-generic ioctl encoding: dir[31:30] size[29:16] type[15:8] nr[7:0]. */
#define CAEC_DRV_IOC_TYPE 0xCAu
#define CAEC_DRV_IOC_WRITE 1u /**< the driver reads the argument (_IOW) */
#define CAEC_DRV_IOC_READ 2u  /**< the driver writes the argument (_IOR) */
#define CAEC_DRV_IOC(dir, nr, size)                                                       \
	((uint32_t)(((uint32_t)(dir) << 30) | ((uint32_t)(size) << 16) |                    \
		    (CAEC_DRV_IOC_TYPE << 8) | (uint32_t)(nr)))
#define CAEC_DRV_IOC_NR(cmd) ((cmd) & 0xFFu)
#define CAEC_DRV_IOC_SIZE(cmd) (((cmd) >> 16) & 0x3FFFu)

/** Longest hash (RIM, sealed-content hash) and attestation challenge. */
#define CAEC_DRV_HASH_MAX 64u

/* ---- CAEC_IOC_VERSION: driver ABI and what the RMM offers ---- */
struct caec_drv_version {
	uint32_t size;
	uint32_t flags;		/**< in: 0 */
	uint32_t abi_major;	/**< out: CAEC_DRV_ABI_MAJOR */
	uint32_t abi_minor;	/**< out: CAEC_DRV_ABI_MINOR */
	uint32_t csm_lowest;	/**< out: RSI CSM_VERSION x1, 0 if the RMM has no CSM */
	uint32_t csm_highest;	/**< out: RSI CSM_VERSION x2, 0 if the RMM has no CSM */
	uint64_t csm_features;	/**< out: CAEC_CSM_FEAT_* (caec/abi/csm.h) */
};
#define CAEC_DRV_VERSION_SIZE_V1 32u

/* ---- CAEC_IOC_REALM_ID: this realm's ID (RSI CSM_REALM_ID) ---- */
struct caec_drv_realm_id {
	uint32_t size;
	uint32_t flags;
	uint64_t realm_id;	/**< out */
};
#define CAEC_DRV_REALM_ID_SIZE_V1 16u

/* ---- CAEC_IOC_SHARE: create a region (RSI CSM_SHARE) ---- */
struct caec_drv_share {
	uint32_t size;
	uint32_t flags;
	uint64_t length;	/**< in: bytes, a non-zero multiple of 4096 */
	uint64_t region_id;	/**< out: the RMM's region ID */
	uint64_t mmap_offset;	/**< out: pass to mmap() to map the region */
};
#define CAEC_DRV_SHARE_SIZE_V1 32u

/* ---- CAEC_IOC_GRANT: grant a region to a consumer (RSI CSM_GRANT) ---- */
struct caec_drv_grant {
	uint32_t size;
	uint32_t flags;
	uint64_t region_id;	/**< in: a region this file shared */
	uint64_t consumer_id;	/**< in: the consumer's realm ID */
	uint32_t perm;		/**< in: CAEC_CSM_PERM_RO or CAEC_CSM_PERM_RW */
	uint16_t hash_algo;	/**< in: CAEC_CSM_HASH_* of rim (when rim_len > 0) */
	uint16_t rim_len;	/**< in: 0 (no policy), 32 or 64 */
	uint8_t rim[CAEC_DRV_HASH_MAX];	/**< in: expected consumer RIM (local attestation) */
	uint64_t grant_id;	/**< out */
};
#define CAEC_DRV_GRANT_SIZE_V1 104u

/* ---- CAEC_IOC_REVOKE: take one grant back (RSI CSM_REVOKE) ---- */
struct caec_drv_revoke {
	uint32_t size;
	uint32_t flags;
	uint64_t region_id;	/**< in: the region the grant belongs to */
	uint64_t grant_id;	/**< in */
};
#define CAEC_DRV_REVOKE_SIZE_V1 24u

/* ---- CAEC_IOC_UNSHARE: destroy a region (RSI CSM_UNSHARE) ---- */
struct caec_drv_unshare {
	uint32_t size;
	uint32_t flags;
	uint64_t region_id;	/**< in; the region is unmapped from the caller first */
};
#define CAEC_DRV_UNSHARE_SIZE_V1 16u

/* ---- CAEC_IOC_SEAL: seal a region (RSI CSM_SEAL) ---- */
struct caec_drv_seal {
	uint32_t size;
	uint32_t flags;
	uint64_t region_id;	/**< in */
	uint32_t hash_len;	/**< out */
	uint32_t _pad0;		/**< zero */
	uint8_t hash[CAEC_DRV_HASH_MAX];	/**< out: content hash */
};
#define CAEC_DRV_SEAL_SIZE_V1 88u

/* ---- CAEC_IOC_GRANT_LIST: grants made to this realm (RSI CSM_GRANT_LIST) ---- */
struct caec_drv_grant_entry {
	uint64_t grant_id;
	uint64_t provider_id;
	uint64_t length;
	uint32_t perm;
	uint32_t flags;		/**< CAEC_DRV_GRANT_F_* */
};
#define CAEC_DRV_GRANT_F_SEALED 0x1u
#define CAEC_DRV_GRANT_F_ATTACHED 0x2u	/**< GRANT_LIST only: this realm is attached */
struct caec_drv_grant_list {
	uint32_t size;
	uint32_t flags;
	uint64_t entries;	/**< in: user pointer to `capacity` entries (may be 0 if capacity is 0) */
	uint32_t capacity;	/**< in */
	uint32_t count;		/**< out: grants in total (may exceed capacity) */
};
#define CAEC_DRV_GRANT_LIST_SIZE_V1 24u

/* ---- CAEC_IOC_ATTACH: reserve an IPA range and attach (RSI CSM_RESERVE + CSM_ATTACH) ---- */
struct caec_drv_attach {
	uint32_t size;
	uint32_t flags;
	uint64_t grant_id;	/**< in */
	uint32_t hash_len;	/**< in: 0, or 32/64: the length of expected_hash */
	uint32_t _pad0;		/**< zero */
	uint8_t expected_hash[CAEC_DRV_HASH_MAX];	/**< in: required sealed-content hash (EBADMSG
							     unless the region is sealed with it) */
	uint64_t length;	/**< out: region size */
	uint64_t provider_id;	/**< out */
	uint32_t perm;		/**< out */
	uint32_t attach_flags;	/**< out: CAEC_DRV_GRANT_F_SEALED */
	uint64_t mmap_offset;	/**< out */
};
#define CAEC_DRV_ATTACH_SIZE_V1 120u

/* ---- CAEC_IOC_DETACH: unmap and detach (RSI CSM_DETACH) ---- */
struct caec_drv_detach {
	uint32_t size;
	uint32_t flags;
	uint64_t grant_id;	/**< in */
};
#define CAEC_DRV_DETACH_SIZE_V1 16u

/* ---- CAEC_IOC_NOTIFY: ring the peer's doorbell (RSI CSM_NOTIFY) ---- */
struct caec_drv_notify {
	uint32_t size;
	uint32_t flags;		/**< 0, or CAEC_DRV_NOTIFY_F_REGION */
	uint64_t grant_id;	/**< in: the grant linking caller and peer (a region ID with F_REGION) */
};
/** grant_id is a region this file shared: ring every grant made on it. */
#define CAEC_DRV_NOTIFY_F_REGION 0x1u
#define CAEC_DRV_NOTIFY_SIZE_V1 16u

/*
 * ---- CAEC_IOC_WAIT: futex-style doorbell wait ----
 * Blocks while the 32-bit word at `offset` in the region named by `id`
 * (a region ID this file shared, or a grant ID it attached) still holds
 * `expected`.  Returns 0 once it differs (checked whenever the realm
 * runs again, e.g. after the host delivered a CSM_DOORBELL), EAGAIN if it
 * differs already, ETIMEDOUT, ECANCELED if the region was revoked.
 */
struct caec_drv_wait {
	uint32_t size;
	uint32_t flags;
	uint64_t id;		/**< in: region ID or grant ID */
	uint64_t offset;	/**< in: 4-byte aligned, inside the region */
	uint32_t expected;	/**< in */
	uint32_t _pad0;		/**< zero */
	int64_t timeout_ns;	/**< in: < 0 forever, 0 only test, > 0 relative */
};
#define CAEC_DRV_WAIT_SIZE_V1 40u

/*
 * ---- CAEC_IOC_EVENT: the next region event of this file ----
 * Blocks up to timeout_ns (< 0 forever, 0 poll) for an event; ETIMEDOUT
 * if none.  Events are queued per open file in order; when the queue
 * overflowed, the next event has CAEC_DRV_EV_F_LOST set.
 */
enum caec_drv_event_type {
	CAEC_DRV_EV_REVOKED = 1,	  /**< access to the region is gone (libcaec: CAEC_REGION_EV_REVOKED) */
	CAEC_DRV_EV_PEER_ATTACHED = 2,	  /**< reserved: the RMM does not report it yet */
	CAEC_DRV_EV_PEER_DETACHED = 3,	  /**< reserved: the RMM does not report it yet */
};
#define CAEC_DRV_EV_F_LOST 0x1u
struct caec_drv_event {
	uint32_t type;		/**< enum caec_drv_event_type */
	uint32_t flags;		/**< CAEC_DRV_EV_F_* */
	uint64_t id;		/**< region ID (provider) or grant ID (consumer) */
	uint64_t addr;		/**< REVOKED after a fault: the faulting address, else 0 */
};
struct caec_drv_event_wait {
	uint32_t size;
	uint32_t flags;
	int64_t timeout_ns;	/**< in */
	struct caec_drv_event event;	/**< out */
};
#define CAEC_DRV_EVENT_SIZE_V1 40u

/* ---- CAEC_IOC_ATTEST: attestation token (RSI ATTEST_TOKEN_INIT/CONTINUE) ---- */
struct caec_drv_attest {
	uint32_t size;
	uint32_t flags;
	uint8_t challenge[CAEC_DRV_HASH_MAX];	/**< in */
	uint64_t token;		/**< in: user pointer to the output buffer */
	uint32_t token_cap;	/**< in: its size */
	uint32_t token_len;	/**< out: token size; on ENOSPC the size needed */
};
#define CAEC_DRV_ATTEST_SIZE_V1 88u

/*
 * ---- CAEC_IOC_PLATFORM_KEY: the platform's public key (ABI 1.2) ----
 * The key that signs platform tokens (the CPAK), as DER
 * SubjectPublicKeyInfo, as the machine hands it to the realm.  The driver
 * only carries it: it comes from outside the realm (on the caec firmware,
 * from the host, which got it from the EL3 monitor), so it is NOT
 * authenticated.  libcaec accepts it only when its SHA-256 is the key id
 * of the platform token in a token of this realm's own (ATTEST), and even
 * then it names the platform this realm runs on, not a platform anyone
 * vouched for (CAEC_VERIFY_W_UNPINNED).  EOPNOTSUPP: the machine has no
 * key to give.
 */
struct caec_drv_platform_key {
	uint32_t size;
	uint32_t flags;
	uint64_t key;		/**< in: user pointer to the output buffer */
	uint32_t key_cap;	/**< in: its size */
	uint32_t key_len;	/**< out: DER bytes; on ENOSPC the size needed */
};
#define CAEC_DRV_PLATFORM_KEY_SIZE_V1 24u

#define CAEC_IOC_VERSION CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x00, CAEC_DRV_VERSION_SIZE_V1)
#define CAEC_IOC_REALM_ID CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x01, CAEC_DRV_REALM_ID_SIZE_V1)
#define CAEC_IOC_SHARE CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x02, CAEC_DRV_SHARE_SIZE_V1)
#define CAEC_IOC_GRANT CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x03, CAEC_DRV_GRANT_SIZE_V1)
#define CAEC_IOC_REVOKE CAEC_DRV_IOC(CAEC_DRV_IOC_WRITE, 0x04, CAEC_DRV_REVOKE_SIZE_V1)
#define CAEC_IOC_UNSHARE CAEC_DRV_IOC(CAEC_DRV_IOC_WRITE, 0x05, CAEC_DRV_UNSHARE_SIZE_V1)
#define CAEC_IOC_SEAL CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x06, CAEC_DRV_SEAL_SIZE_V1)
#define CAEC_IOC_GRANT_LIST CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x07, CAEC_DRV_GRANT_LIST_SIZE_V1)
#define CAEC_IOC_ATTACH CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x08, CAEC_DRV_ATTACH_SIZE_V1)
#define CAEC_IOC_DETACH CAEC_DRV_IOC(CAEC_DRV_IOC_WRITE, 0x09, CAEC_DRV_DETACH_SIZE_V1)
#define CAEC_IOC_NOTIFY CAEC_DRV_IOC(CAEC_DRV_IOC_WRITE, 0x0A, CAEC_DRV_NOTIFY_SIZE_V1)
#define CAEC_IOC_WAIT CAEC_DRV_IOC(CAEC_DRV_IOC_WRITE, 0x0B, CAEC_DRV_WAIT_SIZE_V1)
#define CAEC_IOC_EVENT CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x0C, CAEC_DRV_EVENT_SIZE_V1)
#define CAEC_IOC_ATTEST CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x0D, CAEC_DRV_ATTEST_SIZE_V1)
#define CAEC_IOC_PLATFORM_KEY CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0x0E, CAEC_DRV_PLATFORM_KEY_SIZE_V1)

/*
 * mmap: mmap(NULL, length, PROT_READ[|PROT_WRITE], MAP_SHARED, fd,
 * mmap_offset) with the length and offset SHARE or ATTACH returned maps the
 * whole region once (EBUSY if already mapped, EACCES for PROT_WRITE on a
 * read-only grant or a sealed region, PROT_EXEC refused); munmap() of the
 * whole mapping unmaps it.
 *
 * Faults: an access to a region after it was revoked, destroyed or its
 * provider died takes a synchronous external abort in the realm; the
 * driver queues CAEC_DRV_EV_REVOKED (with the address) and the kernel
 * sends SIGBUS (si_code BUS_ADRERR, si_addr the address) to the thread.
 * (libcaec installs no handler: an arbitrary access cannot be resumed.
 * It asks for events, EVENT with timeout 0, which makes the driver probe
 * its attached regions first, so a revocation is usually found there.)
 * The range stays reserved but inaccessible until munmap/DETACH/UNSHARE.
 * mprotect(2) of a whole mapping to PROT_READ, or back to read-write where
 * mmap would allow it (else EACCES), keeps its address.
 */

#ifdef __cplusplus
#define CAEC_DRV_ASSERT_(e, m) static_assert(e, m)
#else
#define CAEC_DRV_ASSERT_(e, m) _Static_assert(e, m)
#endif
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_version) == CAEC_DRV_VERSION_SIZE_V1, "version");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_realm_id) == CAEC_DRV_REALM_ID_SIZE_V1, "realm_id");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_share) == CAEC_DRV_SHARE_SIZE_V1, "share");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_grant) == CAEC_DRV_GRANT_SIZE_V1, "grant");
CAEC_DRV_ASSERT_(offsetof(struct caec_drv_grant, rim) == 32, "grant rim");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_revoke) == CAEC_DRV_REVOKE_SIZE_V1, "revoke");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_unshare) == CAEC_DRV_UNSHARE_SIZE_V1, "unshare");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_seal) == CAEC_DRV_SEAL_SIZE_V1, "seal");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_grant_entry) == 32, "grant entry");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_grant_list) == CAEC_DRV_GRANT_LIST_SIZE_V1, "grant list");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_attach) == CAEC_DRV_ATTACH_SIZE_V1, "attach");
CAEC_DRV_ASSERT_(offsetof(struct caec_drv_attach, length) == 88, "attach length");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_detach) == CAEC_DRV_DETACH_SIZE_V1, "detach");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_notify) == CAEC_DRV_NOTIFY_SIZE_V1, "notify");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_wait) == CAEC_DRV_WAIT_SIZE_V1, "wait");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_event) == 24, "event");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_event_wait) == CAEC_DRV_EVENT_SIZE_V1, "event wait");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_attest) == CAEC_DRV_ATTEST_SIZE_V1, "attest");
CAEC_DRV_ASSERT_(sizeof(struct caec_drv_platform_key) == CAEC_DRV_PLATFORM_KEY_SIZE_V1,
		 "platform key");
CAEC_DRV_ASSERT_(CAEC_IOC_SHARE == 0xC020CA02u, "SHARE is _IOWR(0xCA, 2, 32 bytes)");
#undef CAEC_DRV_ASSERT_

#endif /* CAEC_ABI_DRIVER_H */
