/*
 * /dev/caec ioctl calls (include/caec/abi/driver.h).  Each handler gets
 * its argument struct already copied in under the size-prefix rules
 * (arg_in) and is written back (arg_out) only when it succeeds.  Checks
 * that need no RMM come first, so bad arguments never reach the RSI.
 */
#include <stdio.h>
#include <string.h>

#include <caec/abi/csm.h>
#include <rt/early.h>
#include <rt/rsi.h>

#include "csm.h"

#define ARG_MAX		128U	/* the largest V1 struct is 120 bytes */
#define LIST_MAX	4096U	/* CSM_GRANT_LIST indexes the driver walks at most */

#ifdef REALM_KERNEL_TEST_HOOKS
/*
 * Test kernels only, not part of the driver ABI: map `length` bytes of the
 * IPA window that nobody populated (RIPAS EMPTY) as if it were an attached
 * region, so the fault -> revocation event path runs against the RMM's
 * real SEA before the RMM implements the CSM calls.
 */
struct ktest_map_empty {
	uint32_t size;
	uint32_t flags;
	uint64_t length;	/* in */
	uint64_t id;		/* out: a driver-made ID (0x7E57...), not an RMM one */
	uint64_t mmap_offset;	/* out */
};
#define KTEST_IOC_MAP_EMPTY CAEC_DRV_IOC(CAEC_DRV_IOC_READ | CAEC_DRV_IOC_WRITE, 0xF0, 32)
#endif

/*
 * Copies in a size-prefixed argument: size >= v1, unknown tail zero,
 * no flag outside `allowed`.  `buf` is zero-filled up to `known` first.  Returns the
 * caller's size (>= v1) or a negative errno value.
 */
static int64_t arg_in(uint64_t arg, void *buf, uint32_t v1, uint32_t known, uint32_t allowed)
{
	uint32_t hdr[2];
	uint8_t tail[32];
	uint64_t off;

	if (copy_from_user(hdr, arg, sizeof(hdr)) != 0) {
		return -RERR_EFAULT;
	}
	if (hdr[0] < v1) {
		return -RERR_EINVAL;
	}
	memset(buf, 0, known);
	if (copy_from_user(buf, arg, (hdr[0] < known) ? hdr[0] : known) != 0) {
		return -RERR_EFAULT;
	}
	for (off = known; off < hdr[0]; off += sizeof(tail)) {
		size_t n = (hdr[0] - off < sizeof(tail)) ? (size_t)(hdr[0] - off) : sizeof(tail);
		size_t i;

		if (copy_from_user(tail, arg + off, n) != 0) {
			return -RERR_EFAULT;
		}
		for (i = 0U; i < n; i++) {
			if (tail[i] != 0U) {
				return -RERR_E2BIG;
			}
		}
	}
	if ((hdr[1] & ~allowed) != 0U) {
		return -RERR_EINVAL;	/* a flag this call does not define */
	}
	return hdr[0];
}

static int64_t arg_out(uint64_t arg, const void *buf, uint32_t usize, uint32_t known)
{
	return (copy_to_user(arg, buf, (usize < known) ? usize : known) == 0) ? 0 : -RERR_EFAULT;
}

static bool zero_past(const uint8_t *b, uint32_t len, uint32_t cap)
{
	uint32_t i;

	for (i = len; i < cap; i++) {
		if (b[i] != 0U) {
			return false;
		}
	}
	return true;
}

static struct csm_version csm_ver;
static bool csm_ver_known;

static int64_t ioc_version(struct caec_drv_version *a)
{
	if (!csm_ver_known) {
		csm_rsi_version(&csm_ver);
		csm_ver_known = true;
	}
	a->abi_major = CAEC_DRV_ABI_MAJOR;
	a->abi_minor = CAEC_DRV_ABI_MINOR;
	a->csm_lowest = csm_ver.lowest;
	a->csm_highest = csm_ver.highest;
	a->csm_features = csm_ver.features;
	return 0;
}

static int64_t ioc_realm_id(struct caec_drv_realm_id *a)
{
	uint64_t out[5];
	int ret = csm_rsi(CAEC_RSI_CSM_REALM_ID, 0, 0, 0, 0, out);

	a->realm_id = out[0];
	return ret;
}

static int64_t ioc_share(struct caec_file *f, struct caec_drv_share *a)
{
	struct caec_region *r;
	uint64_t out[5];
	int ret;

	if (a->length == 0U || (a->length % RT_PAGE_SIZE) != 0U) {
		return -RERR_EINVAL;
	}
	if (a->length > CSM_MAX_REGION_SIZE) {
		return -RERR_ENOMEM;
	}
	r = csm_region_new(f, R_PROVIDED, a->length);
	if (r == NULL) {
		return -RERR_ENOMEM;
	}
	ret = csm_region_ipa(r, a->length);
	if (ret == 0) {
		ret = csm_rsi(CAEC_RSI_CSM_SHARE, r->ipa, a->length, 0, 0, out);
	}
	if (ret != 0) {
		csm_region_free(r);
		return ret;
	}
	r->id = out[0];
	r->perm = CAEC_CSM_PERM_RW;
	a->region_id = r->id;
	a->mmap_offset = r->mmap_offset;
	return 0;
}

static int64_t ioc_grant(struct caec_file *f, struct caec_drv_grant *a)
{
	/* The whole granule: the RMM checks that every reserved byte is zero. */
	static uint8_t policy[CAEC_CSM_POLICY_SIZE] __attribute__((aligned(4096)));
	struct caec_csm_policy_abi head;
	struct caec_region *r;
	uint64_t out[5], policy_ipa = 0U;
	int ret;

	if ((a->perm != CAEC_CSM_PERM_RO && a->perm != CAEC_CSM_PERM_RW) || a->consumer_id == 0U ||
	    !(a->rim_len == 0U || (a->rim_len == 32U && a->hash_algo == CAEC_CSM_HASH_SHA256) ||
	      (a->rim_len == 64U && a->hash_algo == CAEC_CSM_HASH_SHA512)) ||
	    !zero_past(a->rim, a->rim_len, CAEC_DRV_HASH_MAX)) {
		return -RERR_EINVAL;
	}
	r = csm_region_by_id(f, a->region_id, R_PROVIDED);
	if (r == NULL) {
		return -RERR_ENOENT;
	}
	if (r->revoked) {
		return -RERR_ECANCELED;
	}
	if (a->rim_len > 0U) {
		/* The policy granule (caec/abi/csm.h); the RMM copies it at CSM_GRANT. */
		memset(policy, 0, sizeof(policy));
		memset(&head, 0, sizeof(head));
		head.magic = CAEC_CSM_POLICY_MAGIC;
		head.version = CAEC_CSM_POLICY_VERSION;
		head.hash_algo = a->hash_algo;
		head.rim_len = a->rim_len;
		memcpy(head.rim, a->rim, a->rim_len);
		memcpy(policy, &head, sizeof(head));
		policy_ipa = (uint64_t)(uintptr_t)policy;
	}
	ret = csm_rsi(CAEC_RSI_CSM_GRANT, r->id, a->consumer_id, a->perm, policy_ipa, out);
	if (ret != 0) {
		return ret;
	}
	a->grant_id = out[0];
	if (r->ngrants < CSM_MAX_GRANTS) {
		r->grants[r->ngrants++] = out[0];
	}
	return 0;
}

static int64_t ioc_revoke(struct caec_file *f, const struct caec_drv_revoke *a)
{
	struct caec_region *r = csm_region_by_id(f, a->region_id, R_PROVIDED);
	unsigned int i;
	int ret;

	if (r == NULL) {
		return -RERR_ENOENT;
	}
	ret = csm_rsi(CAEC_RSI_CSM_REVOKE, a->grant_id, 0, 0, 0, NULL);
	for (i = 0U; ret == 0 && i < r->ngrants; i++) {
		if (r->grants[i] == a->grant_id) {
			r->grants[i] = r->grants[--r->ngrants];
			break;
		}
	}
	return ret;
}

static int64_t ioc_unshare(struct caec_file *f, const struct caec_drv_unshare *a)
{
	struct caec_region *r = csm_region_by_id(f, a->region_id, R_PROVIDED);
	int ret;

	if (r == NULL) {
		return -RERR_ENOENT;
	}
	csm_unmap(r);	/* never leave the caller a mapping of a destroyed range */
	ret = csm_rsi(CAEC_RSI_CSM_UNSHARE, r->id, 0, 0, 0, NULL);
	if (ret == 0) {
		csm_region_free(r);
	}
	return ret;
}

static int64_t ioc_seal(struct caec_file *f, struct caec_drv_seal *a)
{
	static uint8_t hash[CAEC_DRV_HASH_MAX] __attribute__((aligned(64)));
	struct caec_region *r = csm_region_by_id(f, a->region_id, R_PROVIDED);
	int ret;

	if (r == NULL) {
		return -RERR_ENOENT;
	}
	memset(hash, 0, sizeof(hash));
	ret = csm_rsi(CAEC_RSI_CSM_SEAL, r->id, (uint64_t)(uintptr_t)hash, 0, 0, NULL);
	if (ret != 0) {
		return ret;
	}
	r->sealed = true;
	csm_protect(r, false);	/* a store must fault at stage 1, not be an SEA */
	a->hash_len = (rt_realm_config.hash_algo == 1U) ? 64U : 32U;
	memcpy(a->hash, hash, sizeof(a->hash));
	return 0;
}

/* CSM_GRANT_LIST by index until ERROR_INPUT (past the end). */
static int64_t ioc_grant_list(struct caec_drv_grant_list *a)
{
	struct caec_drv_grant_entry e;
	uint64_t out[5];
	uint32_t i;
	int ret;

	if (a->capacity > 0U && (a->entries == 0U ||
	    !user_range_ok(a->entries, (size_t)a->capacity * sizeof(e)))) {
		return -RERR_EFAULT;
	}
	for (i = 0U; i < LIST_MAX; i++) {
		ret = csm_rsi(CAEC_RSI_CSM_GRANT_LIST, i, 0, 0, 0, out);
		if (ret == -RERR_EINVAL || ret == -RERR_ENOENT) {
			break;	/* past the last grant */
		}
		if (ret != 0) {
			return ret;
		}
		if (i < a->capacity) {
			memset(&e, 0, sizeof(e));
			e.grant_id = out[0];
			e.provider_id = out[1];
			e.length = out[2];
			e.perm = (uint32_t)out[3];
			e.flags = (uint32_t)out[4] & (CAEC_DRV_GRANT_F_SEALED | CAEC_DRV_GRANT_F_ATTACHED);
			if (copy_to_user(a->entries + (uint64_t)i * sizeof(e), &e, sizeof(e)) != 0) {
				return -RERR_EFAULT;
			}
		}
	}
	a->count = i;
	return 0;
}

/*
 * The size and provider of a grant made to this realm, from
 * CSM_GRANT_LIST.  A grant that is not in the list is EACCES, as the RMM
 * answers a consumer call on it (DENIED): whether the ID exists at all is
 * not the caller's business.
 */
static int grant_size(uint64_t grant_id, uint64_t *size, uint64_t *provider)
{
	uint64_t out[5];
	uint32_t i;
	int ret;

	for (i = 0U; i < LIST_MAX; i++) {
		ret = csm_rsi(CAEC_RSI_CSM_GRANT_LIST, i, 0, 0, 0, out);
		if (ret == -RERR_EINVAL || ret == -RERR_ENOENT) {
			return -RERR_EACCES;	/* past the last grant */
		}
		if (ret != 0) {
			return ret;
		}
		if (out[0] == grant_id) {
			*size = out[2];
			*provider = out[1];
			return 0;
		}
	}
	return -RERR_EACCES;
}

static int64_t ioc_attach(struct caec_file *f, struct caec_drv_attach *a)
{
	static uint8_t attach_hash[CAEC_DRV_HASH_MAX] __attribute__((aligned(64)));
	struct caec_region *r;
	uint64_t out[5], size = 0U, provider = 0U;
	int ret;

	if (a->grant_id == 0U || !(a->hash_len == 0U || a->hash_len == 32U || a->hash_len == 64U) ||
	    a->_pad0 != 0U || !zero_past(a->expected_hash, a->hash_len, CAEC_DRV_HASH_MAX)) {
		return -RERR_EINVAL;
	}
	if (csm_region_by_id(f, a->grant_id, R_ATTACHED) != NULL) {
		return -RERR_EBUSY;
	}
	ret = grant_size(a->grant_id, &size, &provider);
	if (ret != 0) {
		return ret;
	}
	if (size == 0U || (size % RT_PAGE_SIZE) != 0U || size > CSM_MAX_REGION_SIZE) {
		return -RERR_EIO;	/* the RMM reported an impossible size */
	}
	if (a->hash_len > 0U) {
		/* CSM_ATTACH reads the required hash from the caller's private RAM. */
		memcpy(attach_hash, a->expected_hash, sizeof(attach_hash));
	}
	r = csm_region_new(f, R_ATTACHED, size);
	if (r == NULL) {
		return -RERR_ENOMEM;
	}
	ret = csm_region_ipa(r, size);
	if (ret == 0) {
		ret = csm_rsi(CAEC_RSI_CSM_RESERVE, a->grant_id, r->ipa, size, 0, NULL);
	}
	if (ret == 0) {
		ret = csm_rsi(CAEC_RSI_CSM_ATTACH, a->grant_id,
			      (a->hash_len > 0U) ? (uint64_t)(uintptr_t)attach_hash : 0U, a->hash_len,
			      0, out);
		if (ret != 0) {
			(void)csm_rsi(CAEC_RSI_CSM_DETACH, a->grant_id, 0, 0, 0, NULL);
		}
	}
	if (ret != 0) {
		csm_region_free(r);
		return ret;
	}
	r->id = a->grant_id;
	r->perm = (uint32_t)out[0];
	r->sealed = (out[1] & 1U) != 0U;
	a->length = size;
	a->provider_id = provider;
	a->perm = r->perm;
	a->attach_flags = r->sealed ? CAEC_DRV_GRANT_F_SEALED : 0U;
	a->mmap_offset = r->mmap_offset;
	return 0;
}

static int64_t ioc_detach(struct caec_file *f, const struct caec_drv_detach *a)
{
	struct caec_region *r = csm_region_by_id(f, a->grant_id, R_ATTACHED);
	bool revoked;
	int ret;

	if (r == NULL) {
		return -RERR_ENOENT;
	}
	revoked = r->revoked;

	csm_unmap(r);
	ret = csm_rsi(CAEC_RSI_CSM_DETACH, r->id, 0, 0, 0, NULL);
	/* Gone for this realm either way: a revoked grant detaches with an error. */
	csm_region_free(r);
	return revoked ? 0 : ret;
}

/* A grant this file holds: one it attached, or one it made on a region it shares. */
static bool knows_grant(struct caec_file *f, uint64_t grant_id)
{
	unsigned int i, j;

	for (i = 0U; i < CSM_MAX_REGIONS; i++) {
		const struct caec_region *r = &csm_regions[i];

		if (!r->used || r->file != f) {
			continue;
		}
		if (r->kind == R_ATTACHED && r->id == grant_id) {
			return true;
		}
		for (j = 0U; r->kind == R_PROVIDED && j < r->ngrants; j++) {
			if (r->grants[j] == grant_id) {
				return true;
			}
		}
	}
	return false;
}

/*
 * NOTIFY: one grant, or with CAEC_DRV_NOTIFY_F_REGION every grant this
 * file made on the region named by grant_id (a provider ringing all its
 * consumers: libcaec does not track which grants are attached).  The RMM
 * rings attached grants only; the others answer ERROR_STATE, which is no
 * error here: nobody waits behind them.
 */
static int64_t ioc_notify(struct caec_file *f, const struct caec_drv_notify *a)
{
	struct caec_region *r;
	unsigned int i;
	int ret;

	if ((a->flags & CAEC_DRV_NOTIFY_F_REGION) == 0U) {
		if (!knows_grant(f, a->grant_id)) {
			return -RERR_ENOENT;
		}
		return csm_rsi(CAEC_RSI_CSM_NOTIFY, a->grant_id, 0, 0, 0, NULL);
	}
	r = csm_region_by_id(f, a->grant_id, R_PROVIDED);
	if (r == NULL) {
		return -RERR_ENOENT;
	}
	for (i = 0U; i < r->ngrants; i++) {
		ret = csm_rsi(CAEC_RSI_CSM_NOTIFY, r->grants[i], 0, 0, 0, NULL);
		if (ret != 0 && ret != -RERR_EBUSY) {
			return ret;
		}
	}
	return 0;
}

static struct caec_region *region_of_file(struct caec_file *f, uint64_t id)
{
	struct caec_region *r = csm_region_by_id(f, id, R_PROVIDED);

	if (r == NULL) {
		r = csm_region_by_id(f, id, R_ATTACHED);
	}
	if (r == NULL) {
		r = csm_region_by_id(f, id, R_TEST_EMPTY);
	}
	return r;
}

static int64_t ioc_wait(struct proc *p, struct caec_file *f, const struct caec_drv_wait *a)
{
	struct caec_region *r = region_of_file(f, a->id);

	if (r == NULL) {
		return -RERR_ENOENT;
	}
	if ((a->offset & 3U) != 0U || a->offset >= r->size || a->_pad0 != 0U) {
		return -RERR_EINVAL;
	}
	if (r->revoked) {
		return -RERR_ECANCELED;
	}
	if (r->map_proc != p) {
		return -RERR_EINVAL;	/* the word is read through the caller's mapping */
	}
	p->wait_region = r;
	p->wait_arg[0] = a->offset;
	p->wait_arg[1] = a->expected;
	sched_block(p, W_DOORBELL, a->timeout_ns);
	/* Checked at once: an unchanged word with timeout 0 is ETIMEDOUT. */
	if (csm_wait_poll(p, ktime_ticks())) {
		p->state = P_RUNNABLE;
		p->wait = W_NONE;
		return (int64_t)p->ctx.x[0] == 0 ? -RERR_EAGAIN : (int64_t)p->ctx.x[0];
	}
	return SYSCALL_BLOCKED;
}

static int64_t ioc_event(struct proc *p, struct caec_file *f, uint64_t arg,
			 const struct caec_drv_event_wait *a, uint32_t usize)
{
	struct caec_drv_event_wait out = *a;

	csm_probe_revoked(p, f);
	if (csm_pop_event(f, &out.event)) {
		return arg_out(arg, &out, usize, sizeof(out));
	}
	if (a->timeout_ns == 0) {
		return -RERR_ETIMEDOUT;
	}
	p->wait_arg[0] = (uint64_t)(uintptr_t)f;
	p->wait_arg[1] = arg + offsetof(struct caec_drv_event_wait, event);
	sched_block(p, W_EVENT, a->timeout_ns);
	return SYSCALL_BLOCKED;
}

static int64_t ioc_attest(struct caec_drv_attest *a)
{
	if (a->token_cap > 0U && !user_range_ok(a->token, a->token_cap)) {
		return -RERR_EFAULT;
	}
	return csm_attest(a->challenge, a->token, a->token_cap, &a->token_len);
}

static int64_t ioc_platform_key(struct caec_drv_platform_key *a)
{
	if (a->key_cap > 0U && !user_range_ok(a->key, a->key_cap)) {
		return -RERR_EFAULT;
	}
	return csm_platform_key(a->key, a->key_cap, &a->key_len);
}

#ifdef REALM_KERNEL_TEST_HOOKS
static int64_t ktest_map_empty(struct caec_file *f, struct ktest_map_empty *a)
{
	static uint64_t next = 1U;
	struct caec_region *r;
	uint64_t top = 0U, ripas = 9U;

	if (a->length == 0U || (a->length % RT_PAGE_SIZE) != 0U || a->length > CSM_MAX_REGION_SIZE) {
		return -RERR_EINVAL;
	}
	r = csm_region_new(f, R_TEST_EMPTY, a->length);
	if (r == NULL) {
		return -RERR_ENOMEM;
	}
	if (csm_region_ipa(r, a->length) != 0) {
		csm_region_free(r);
		return -RERR_ENOMEM;
	}
	(void)rsi_ipa_state_get(r->ipa, r->ipa + a->length, &top, &ripas);
	printf("[kernel] csm: TEST HOOK: IPA 0x%lx-0x%lx has RIPAS %s (IPA_STATE_GET); mapped as "
	       "if attached, read-write\n", (unsigned long)r->ipa, (unsigned long)(r->ipa + a->length),
	       ripas == 0U ? "EMPTY" : (ripas == 1U ? "RAM" : "other"));
	r->id = 0x7E57000000000000ULL | next++;
	r->perm = CAEC_CSM_PERM_RW;
	a->id = r->id;
	a->mmap_offset = r->mmap_offset;
	return 0;
}
#endif

/* One argument buffer for every call (the kernel runs one call at a time). */
static union {
	struct caec_drv_version version;
	struct caec_drv_realm_id realm_id;
	struct caec_drv_share share;
	struct caec_drv_grant grant;
	struct caec_drv_revoke revoke;
	struct caec_drv_unshare unshare;
	struct caec_drv_seal seal;
	struct caec_drv_grant_list grant_list;
	struct caec_drv_attach attach;
	struct caec_drv_detach detach;
	struct caec_drv_notify notify;
	struct caec_drv_wait wait;
	struct caec_drv_event_wait event;
	struct caec_drv_attest attest;
	struct caec_drv_platform_key platform_key;
#ifdef REALM_KERNEL_TEST_HOOKS
	struct ktest_map_empty ktest;
#endif
	uint8_t bytes[ARG_MAX];
} u;

/* arg_in with the call's V1 and current size (and the flags it defines);
 * `ret` = the caller's size. */
#define ARG_IN_FLAGS(field, v1, allowed) \
	do { \
		ret = arg_in(arg, &u.field, (v1), sizeof(u.field), (allowed)); \
		if (ret < 0) { \
			return ret; \
		} \
		usize = (uint32_t)ret; \
	} while (0)
#define ARG_IN(field, v1) ARG_IN_FLAGS(field, v1, 0U)
#define DONE(call, field) \
	do { \
		ret = (call); \
		return (ret == 0) ? arg_out(arg, &u.field, usize, sizeof(u.field)) : ret; \
	} while (0)

int64_t csm_ioctl_dispatch(struct proc *p, struct caec_file *f, uint32_t cmd, uint64_t arg)
{
	uint32_t usize;
	int64_t ret;

	switch (cmd) {
	case CAEC_IOC_VERSION:
		ARG_IN(version, CAEC_DRV_VERSION_SIZE_V1);
		DONE(ioc_version(&u.version), version);
	case CAEC_IOC_REALM_ID:
		ARG_IN(realm_id, CAEC_DRV_REALM_ID_SIZE_V1);
		DONE(ioc_realm_id(&u.realm_id), realm_id);
	case CAEC_IOC_SHARE:
		ARG_IN(share, CAEC_DRV_SHARE_SIZE_V1);
		DONE(ioc_share(f, &u.share), share);
	case CAEC_IOC_GRANT:
		ARG_IN(grant, CAEC_DRV_GRANT_SIZE_V1);
		DONE(ioc_grant(f, &u.grant), grant);
	case CAEC_IOC_REVOKE:
		ARG_IN(revoke, CAEC_DRV_REVOKE_SIZE_V1);
		return ioc_revoke(f, &u.revoke);
	case CAEC_IOC_UNSHARE:
		ARG_IN(unshare, CAEC_DRV_UNSHARE_SIZE_V1);
		return ioc_unshare(f, &u.unshare);
	case CAEC_IOC_SEAL:
		ARG_IN(seal, CAEC_DRV_SEAL_SIZE_V1);
		if (u.seal._pad0 != 0U) {
			return -RERR_EINVAL;
		}
		DONE(ioc_seal(f, &u.seal), seal);
	case CAEC_IOC_GRANT_LIST:
		ARG_IN(grant_list, CAEC_DRV_GRANT_LIST_SIZE_V1);
		DONE(ioc_grant_list(&u.grant_list), grant_list);
	case CAEC_IOC_ATTACH:
		ARG_IN(attach, CAEC_DRV_ATTACH_SIZE_V1);
		DONE(ioc_attach(f, &u.attach), attach);
	case CAEC_IOC_DETACH:
		ARG_IN(detach, CAEC_DRV_DETACH_SIZE_V1);
		return ioc_detach(f, &u.detach);
	case CAEC_IOC_NOTIFY:
		ARG_IN_FLAGS(notify, CAEC_DRV_NOTIFY_SIZE_V1, CAEC_DRV_NOTIFY_F_REGION);
		return ioc_notify(f, &u.notify);
	case CAEC_IOC_WAIT:
		ARG_IN(wait, CAEC_DRV_WAIT_SIZE_V1);
		return ioc_wait(p, f, &u.wait);
	case CAEC_IOC_EVENT:
		ARG_IN(event, CAEC_DRV_EVENT_SIZE_V1);
		return ioc_event(p, f, arg, &u.event, usize);
	case CAEC_IOC_ATTEST:
		ARG_IN(attest, CAEC_DRV_ATTEST_SIZE_V1);
		ret = ioc_attest(&u.attest);
		if (ret == -RERR_ENOSPC) {
			(void)arg_out(arg, &u.attest, usize, sizeof(u.attest));	/* the size needed */
			return ret;
		}
		return (ret == 0) ? arg_out(arg, &u.attest, usize, sizeof(u.attest)) : ret;
	case CAEC_IOC_PLATFORM_KEY:
		ARG_IN(platform_key, CAEC_DRV_PLATFORM_KEY_SIZE_V1);
		ret = ioc_platform_key(&u.platform_key);
		if (ret == -RERR_ENOSPC) {
			/* the size needed */
			(void)arg_out(arg, &u.platform_key, usize, sizeof(u.platform_key));
			return ret;
		}
		return (ret == 0) ? arg_out(arg, &u.platform_key, usize, sizeof(u.platform_key)) : ret;
#ifdef REALM_KERNEL_TEST_HOOKS
	case KTEST_IOC_MAP_EMPTY:
		ARG_IN(ktest, 32U);
		DONE(ktest_map_empty(f, &u.ktest), ktest);
#endif
	default:
		return -RERR_ENOTTY;
	}
}
