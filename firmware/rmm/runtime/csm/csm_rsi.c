/*
 * The CSM realm calls (RSI extension, docs/abi.md): each takes the CSM
 * lock, names its caller by the realm ID in its RD, runs the call in
 * core/csm and maps the result onto an RSI status.  A call that needs the
 * host first answers RSI_ERROR_BUSY and exits: CSM_POPULATE or
 * CSM_RELEASE (range in exit.ripas_base/top), or CSM_META when the
 * caller's metadata granules are full; the realm re-issues it.
 *
 * The RMM reads and writes realm memory on a realm's behalf (the policy
 * granule of CSM_GRANT, the output of CSM_SEAL) only in the caller's
 * private RAM: never in a CSM page, whose content is shared with others.
 */
#include <arch_rmm.h>
#include <plat.h>
#include <plat_memory.h>
#include <realm_mem.h>
#include <smc-csm.h>
#include <smc-handler.h>
#include <smc-rsi.h>
#include <string.h>

#include "csm_rmm.h"

#define CSM_ABI_1_0	CAEC_CSM_ABI_VERSION(CAEC_CSM_ABI_MAJOR, CAEC_CSM_ABI_MINOR)
#define CSM_FEATURES	(CAEC_CSM_FEAT_RO_S2 | CAEC_CSM_FEAT_LOCAL_ATTEST | CAEC_CSM_FEAT_SEAL | \
			 CAEC_CSM_FEAT_NOTIFY)
/* CSM_GRANT_LIST x5 flags, as libcaec's CAEC_GRANT_F_*. */
#define GRANT_LIST_SEALED	1UL
#define GRANT_LIST_ATTACHED	2UL
/* CSM_SEAL writes this many bytes at x2: the hash, then zeros. */
#define SEAL_OUT_SIZE		64U

static uint8_t policy_buf[PLAT_MAX_CPUS][CAEC_CSM_POLICY_SIZE];

/* enum caec_err -> RSI status (docs/abi.md). */
static unsigned long rsi_status(int rc)
{
	switch (rc) {
	case 0:
		return RSI_SUCCESS;
	case CAEC_E_INVAL:
	case CAEC_E_ALIGN:
	case CAEC_E_RANGE:
	case CAEC_E_OVERLAP:
	case CAEC_E_NOENT:
		return RSI_ERROR_INPUT;
	case CAEC_E_DENIED:
	case CAEC_E_PERM:
	case CAEC_E_HASH:
		return RSI_ERROR_DENIED;
	case CAEC_E_BUSY:
	case CAEC_E_NOMEM:
		return RSI_ERROR_BUSY;
	default:	/* STATE, EXIST, REVOKED; PLATFORM if the RMM has no CSM */
		return RSI_ERROR_STATE;
	}
}

/* The start of every call: the lock, and the caller's realm ID. */
static uint64_t enter(const struct rec *rec)
{
	rmm_csm_lock();
	rmm_csm.busy_exit = 0UL;
	return csm_caller_id(rec->rd_addr);
}

/*
 * The end of every call: the status, on failure the CSM error detail in
 * x1 (the magnitude of the enum caec_err core/csm returned, so a realm
 * tells CAEC_E_NOENT from CAEC_E_INVAL, which share ERROR_INPUT), and the
 * exit that asks the host for what the call lacked.
 */
static void leave(int rc, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	res->x[0] = rsi_status(rc);
	if (rc < 0) {
		res->x[1] = (unsigned long)(-(long)rc);
	}
	if (rc == CAEC_E_NOMEM) {
		exit->exit_reason = RMI_EXIT_CSM_META;
		res->exit = true;
	} else if (rc == CAEC_E_BUSY && rmm_csm.busy_exit != 0UL) {
		exit->exit_reason = rmm_csm.busy_exit;
		exit->ripas_base = rmm_csm.busy_base;
		exit->ripas_top = rmm_csm.busy_top;
		res->exit = true;
	}
	rmm_csm.busy_exit = 0UL;
	rmm_csm_unlock();
}

/* core/csm, or CAEC_E_PLATFORM when the RMM booted without entropy. */
static struct csm *csm_or_null(void)
{
	return rmm_csm.csm;
}

/*
 * The caller's private RAM at [ipa, ipa + len) (one granule), copied in
 * (dst) or written (src) under its RD lock.  CAEC_E_INVAL if it is not the
 * caller's own mapped RAM: EMPTY, not populated, or a CSM page.
 */
static int private_ram_copy(const struct rec *rec, uint64_t ipa, void *dst, const void *src,
			    size_t len)
{
	struct granule *g;
	struct rd *rd;
	void *va = NULL;
	int level = 0, rc = CAEC_E_INVAL;

	if (!s2tt_ipa_is_protected(&rec->s2, ipa) || (ipa & GRANULE_MASK) + len > GRANULE_SIZE) {
		return CAEC_E_INVAL;
	}
	g = csm_rd_get(rec->rd_addr, &rd);
	if (realm_mem_lookup(&rd->s2, ipa, len, &va, &level) == REALM_MEM_RAM) {
		if (dst != NULL) {
			memcpy(dst, va, len);
		} else {
			memcpy(va, src, len);
		}
		rc = 0;
	}
	csm_rd_put(g);
	return rc;
}

/*
 * RSI CSM_VERSION(req) -> (lowest, highest, features)
 * x0 SUCCESS if the RMM implements req (1.0), else ERROR_INPUT; x1/x2 the
 * lowest and highest versions implemented; x3 the feature bits.
 */
static void csm_version_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long req,
			struct rsi_result *res)
{
	(void)rec;
	(void)exit;
	res->x[0] = (req == CSM_ABI_1_0 && csm_or_null() != NULL) ? RSI_SUCCESS : RSI_ERROR_INPUT;
	res->x[1] = CSM_ABI_1_0;
	res->x[2] = CSM_ABI_1_0;
	res->x[3] = (csm_or_null() != NULL) ? CSM_FEATURES : 0UL;
}

/* RSI CSM_REALM_ID -> id: the caller's 64-bit realm ID (ERROR_STATE if none). */
static void csm_realm_id_call(struct rec *rec, struct rmi_rec_exit *exit, struct rsi_result *res)
{
	uint64_t id = enter(rec);

	res->x[1] = id;
	leave((id != 0UL) ? 0 : CAEC_E_STATE, exit, res);
}

/* RSI CSM_SHARE(base, size) -> region: a region of the caller's [base, base + size). */
static void csm_share_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long base,
			   unsigned long size, struct rsi_result *res)
{
	uint64_t id = enter(rec), region = 0UL;
	int rc = (csm_or_null() == NULL) ? CAEC_E_PLATFORM :
		 csm_share(rmm_csm.csm, id, base, size, &region);

	res->x[1] = (rc == 0) ? region : 0UL;
	leave(rc, exit, res);
}

/*
 * The policy granule of CSM_GRANT (docs/abi.md, caec/abi/csm.h): copied
 * from the caller's private RAM, then every field and reserved byte is
 * checked on the copy.  CAEC_E_INVAL if anything is off.
 */
static int read_policy(const struct rec *rec, uint64_t ipa, struct csm_policy *pol)
{
	uint8_t *buf = policy_buf[plat_my_cpu()];
	struct caec_csm_policy_abi head;
	unsigned int i, digest;

	if (!GRANULE_ALIGNED(ipa) ||
	    private_ram_copy(rec, ipa, buf, NULL, CAEC_CSM_POLICY_SIZE) != 0) {
		return CAEC_E_INVAL;
	}
	memcpy(&head, buf, sizeof(head));
	if (head.magic != CAEC_CSM_POLICY_MAGIC || head.version != CAEC_CSM_POLICY_VERSION ||
	    head._pad0 != 0U) {
		return CAEC_E_INVAL;
	}
	if (head.hash_algo == CAEC_CSM_HASH_SHA256) {
		digest = 32U;
	} else if (head.hash_algo == CAEC_CSM_HASH_SHA512) {
		digest = 64U;
	} else {
		return CAEC_E_INVAL;
	}
	if (head.rim_len != digest) {
		return CAEC_E_INVAL;
	}
	for (i = 16U + digest; i < CAEC_CSM_POLICY_SIZE; i++) {
		if (buf[i] != 0U) {
			return CAEC_E_INVAL;	/* rim padding and the reserved rest */
		}
	}
	memset(pol, 0, sizeof(*pol));
	pol->rim_len = digest;
	memcpy(pol->rim, head.rim, digest);
	return 0;
}

/*
 * RSI CSM_GRANT(region, consumer, perm, policy_ipa) -> grant
 * policy_ipa: 0, or the IPA of a policy granule in the caller's RAM.
 */
static void csm_grant_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long region,
			   unsigned long consumer, unsigned long perm, unsigned long policy_ipa,
			   struct rsi_result *res)
{
	uint64_t id = enter(rec), grant = 0UL;
	struct csm_policy pol;
	int rc = 0;

	if (csm_or_null() == NULL) {
		rc = CAEC_E_PLATFORM;
	} else if (perm != CSM_PERM_RO && perm != CSM_PERM_RW) {
		rc = CAEC_E_INVAL;
	} else if (policy_ipa != 0UL) {
		rc = read_policy(rec, policy_ipa, &pol);
	}
	if (rc == 0) {
		rc = csm_grant(rmm_csm.csm, id, region, consumer, (unsigned int)perm,
			       (policy_ipa != 0UL) ? &pol : NULL, &grant);
	}
	res->x[1] = (rc == 0) ? grant : 0UL;
	leave(rc, exit, res);
}

/* RSI CSM_REVOKE(grant): the consumer is unmapped before this returns. */
static void csm_revoke_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long grant,
			    struct rsi_result *res)
{
	uint64_t id = enter(rec);

	leave((csm_or_null() == NULL) ? CAEC_E_PLATFORM : csm_revoke(rmm_csm.csm, id, grant),
	      exit, res);
}

/* RSI CSM_UNSHARE(region): every grant revoked, then the region released. */
static void csm_unshare_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long region,
			     struct rsi_result *res)
{
	uint64_t id = enter(rec);

	leave((csm_or_null() == NULL) ? CAEC_E_PLATFORM : csm_unshare(rmm_csm.csm, id, region),
	      exit, res);
}

/*
 * RSI CSM_SEAL(region, out_ipa): out_ipa (8-byte aligned, 64 bytes in one
 * granule of the caller's private RAM) receives the SHA-256 content hash
 * and 32 zero bytes.  The buffer is checked before the region is sealed;
 * if the caller's own IPA_STATE_SET took it away in between, the region
 * stays sealed and the call answers ERROR_INPUT.
 */
static void csm_seal_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long region,
			  unsigned long out_ipa, struct rsi_result *res)
{
	uint64_t id = enter(rec);
	uint8_t out[SEAL_OUT_SIZE];
	size_t len = 0U;
	int rc = 0;

	if (csm_or_null() == NULL) {
		rc = CAEC_E_PLATFORM;
	} else if (!IS_ALIGNED(out_ipa, 8UL) ||
		   private_ram_copy(rec, out_ipa, out, NULL, sizeof(out)) != 0) {
		rc = CAEC_E_INVAL;
	}
	if (rc == 0) {
		memset(out, 0, sizeof(out));
		rc = csm_seal(rmm_csm.csm, id, region, out, SHA256_DIGEST_SIZE, &len);
	}
	if (rc == 0 && private_ram_copy(rec, out_ipa, NULL, out, sizeof(out)) != 0) {
		rc = CAEC_E_INVAL;
	}
	leave(rc, exit, res);
}

/*
 * RSI CSM_GRANT_LIST(index) -> (grant, provider, size, perm, flags)
 * The index-th grant made to the caller; ERROR_INPUT past the last.
 * flags (x5): bit 0 sealed, bit 1 attached.
 */
static void csm_grant_list_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long index,
				struct rsi_result *res)
{
	uint64_t id = enter(rec);
	struct csm_grant_info gi;
	int rc = (csm_or_null() == NULL) ? CAEC_E_PLATFORM :
		 csm_grant_list(rmm_csm.csm, id, index, &gi);

	if (rc == 0) {
		res->x[1] = gi.grant_id;
		res->x[2] = gi.provider_id;
		res->x[3] = gi.size;
		res->x[4] = gi.perm;
		res->x[5] = (gi.sealed ? GRANT_LIST_SEALED : 0UL) |
			    (gi.attached ? GRANT_LIST_ATTACHED : 0UL);
	}
	leave(rc, exit, res);
}

/* RSI CSM_RESERVE(grant, base, size): the consumer names its range. */
static void csm_reserve_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long grant,
			     unsigned long base, unsigned long size, struct rsi_result *res)
{
	uint64_t id = enter(rec);

	leave((csm_or_null() == NULL) ? CAEC_E_PLATFORM :
	      csm_reserve(rmm_csm.csm, id, grant, base, size), exit, res);
}

/*
 * RSI CSM_ATTACH(grant, hash_ipa, hash_len) -> (perm, flags): consent;
 * mapped on return.  hash_len 0: no condition (hash_ipa ignored); 32 or
 * 64: hash_ipa (8-byte aligned, hash_len bytes in one granule of the
 * caller's private RAM) holds the content hash the consumer requires, and
 * the attach fails with CAEC_E_HASH (ERROR_DENIED, detail 31) unless the
 * region is sealed with exactly that hash.
 */
static void csm_attach_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long grant,
			    unsigned long hash_ipa, unsigned long hash_len, struct rsi_result *res)
{
	uint64_t id = enter(rec);
	struct csm_attach_info ai;
	uint8_t want[CSM_HASH_MAX];
	int rc = 0;

	if (csm_or_null() == NULL) {
		rc = CAEC_E_PLATFORM;
	} else if (hash_len != 0UL &&
		   ((hash_len != 32UL && hash_len != 64UL) || !IS_ALIGNED(hash_ipa, 8UL) ||
		    private_ram_copy(rec, hash_ipa, want, NULL, hash_len) != 0)) {
		rc = CAEC_E_INVAL;
	}
	if (rc == 0) {
		rc = csm_attach(rmm_csm.csm, id, grant, (hash_len != 0UL) ? want : NULL,
				(size_t)hash_len, &ai);
	}

	if (rc == 0) {
		res->x[1] = ai.perm;
		res->x[2] = ai.sealed ? GRANT_LIST_SEALED : 0UL;
	}
	leave(rc, exit, res);
}

/* RSI CSM_DETACH(grant): unmapped, the range back to RIPAS EMPTY. */
static void csm_detach_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long grant,
			    struct rsi_result *res)
{
	uint64_t id = enter(rec);

	leave((csm_or_null() == NULL) ? CAEC_E_PLATFORM : csm_detach(rmm_csm.csm, id, grant),
	      exit, res);
}

/*
 * RSI CSM_NOTIFY(grant): ring the peer's doorbell.  The REC exits with
 * CSM_DOORBELL and exit.gprs[0] = the peer's RD: availability only, the
 * host learns nothing else.  The grant must be attached.
 */
static void csm_notify_call(struct rec *rec, struct rmi_rec_exit *exit, unsigned long grant,
			    struct rsi_result *res)
{
	uint64_t id = enter(rec), target = 0UL;
	int rc = (csm_or_null() == NULL) ? CAEC_E_PLATFORM :
		 csm_notify_target(rmm_csm.csm, id, grant, NULL, &target);

	if (rc == 0) {
		exit->exit_reason = RMI_EXIT_CSM_DOORBELL;
		exit->gprs[0] = target;
		res->exit = true;
	}
	leave(rc, exit, res);
}

#define CSM_IDX(fid)	((fid) - SMC_RSI_CSM_FID_FIRST)
#define CSM_RSI(_id, _name, _fn, _na, _nr) \
	[CSM_IDX(_id)] = { .name = (_name), .fid = (_id), .f##_na = (_fn), \
			   .num_args = (_na), .num_results = (_nr) }

const struct rsi_handler rsi_csm_handlers[SMC_RSI_CSM_FID_LAST - SMC_RSI_CSM_FID_FIRST + 1UL] = {
	CSM_RSI(SMC_RSI_CSM_VERSION, "CSM_VERSION", csm_version_call, 1, 4),
	CSM_RSI(SMC_RSI_CSM_REALM_ID, "CSM_REALM_ID", csm_realm_id_call, 0, 2),
	CSM_RSI(SMC_RSI_CSM_SHARE, "CSM_SHARE", csm_share_call, 2, 2),
	CSM_RSI(SMC_RSI_CSM_GRANT, "CSM_GRANT", csm_grant_call, 4, 2),
	CSM_RSI(SMC_RSI_CSM_REVOKE, "CSM_REVOKE", csm_revoke_call, 1, 2),
	CSM_RSI(SMC_RSI_CSM_UNSHARE, "CSM_UNSHARE", csm_unshare_call, 1, 2),
	CSM_RSI(SMC_RSI_CSM_SEAL, "CSM_SEAL", csm_seal_call, 2, 2),
	CSM_RSI(SMC_RSI_CSM_GRANT_LIST, "CSM_GRANT_LIST", csm_grant_list_call, 1, 6),
	CSM_RSI(SMC_RSI_CSM_RESERVE, "CSM_RESERVE", csm_reserve_call, 3, 2),
	CSM_RSI(SMC_RSI_CSM_ATTACH, "CSM_ATTACH", csm_attach_call, 3, 3),
	CSM_RSI(SMC_RSI_CSM_DETACH, "CSM_DETACH", csm_detach_call, 1, 2),
	CSM_RSI(SMC_RSI_CSM_NOTIFY, "CSM_NOTIFY", csm_notify_call, 1, 2),
};
