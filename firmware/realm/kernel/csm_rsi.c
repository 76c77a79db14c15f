/*
 * The RSI side of the CSM driver: every CSM call goes through csm_rsi(),
 * which logs it, re-issues it while the RMM answers ERROR_BUSY (a host
 * action was pending and the host has run by the time the call returns),
 * and maps the result onto the driver ABI's errno values
 * (include/caec/abi/driver.h).  A failed CSM call names its cause in x1,
 * the magnitude of an enum caec_err (docs/abi.md), which maps one to one
 * (csm_detail_errno); without a detail the status maps coarsely:
 * SMC_UNKNOWN (the RMM does not implement the call) -> EOPNOTSUPP,
 * ERROR_INPUT -> EINVAL, ERROR_STATE -> EBUSY, ERROR_DENIED -> EACCES,
 * anything else -> EIO.
 */
#include <stdio.h>
#include <string.h>

#include <caec/abi/csm.h>
#include <rt/rsi.h>

#include "csm.h"

#define BUSY_RETRIES	64U

unsigned int csm_log_level = 2U;

const char *csm_rsi_name(uint64_t fid)
{
	switch (fid) {
	case CAEC_RSI_CSM_VERSION: return "CSM_VERSION";
	case CAEC_RSI_CSM_REALM_ID: return "CSM_REALM_ID";
	case CAEC_RSI_CSM_SHARE: return "CSM_SHARE";
	case CAEC_RSI_CSM_GRANT: return "CSM_GRANT";
	case CAEC_RSI_CSM_REVOKE: return "CSM_REVOKE";
	case CAEC_RSI_CSM_UNSHARE: return "CSM_UNSHARE";
	case CAEC_RSI_CSM_SEAL: return "CSM_SEAL";
	case CAEC_RSI_CSM_GRANT_LIST: return "CSM_GRANT_LIST";
	case CAEC_RSI_CSM_RESERVE: return "CSM_RESERVE";
	case CAEC_RSI_CSM_ATTACH: return "CSM_ATTACH";
	case CAEC_RSI_CSM_DETACH: return "CSM_DETACH";
	case CAEC_RSI_CSM_NOTIFY: return "CSM_NOTIFY";
	case SMC_RSI_ATTEST_TOKEN_INIT: return "ATTEST_TOKEN_INIT";
	case SMC_RSI_ATTEST_TOKEN_CONTINUE: return "ATTEST_TOKEN_CONTINUE";
	default: return "?";
	}
}

/* The errno of a CSM error detail (x1 on failure), 0 if it is none. */
static int csm_detail_errno(uint64_t detail)
{
	switch (detail) {
	case 1U:  /* CAEC_E_INVAL */
	case 2U:  /* CAEC_E_ALIGN: the driver only asks for aligned ranges */
		return -RERR_EINVAL;
	case 3U:  return -RERR_ERANGE;		/* CAEC_E_RANGE */
	case 4U:  return -RERR_ENOENT;		/* CAEC_E_NOENT */
	case 5U:  return -RERR_EACCES;		/* CAEC_E_DENIED */
	case 6U:  return -RERR_EBUSY;		/* CAEC_E_STATE */
	case 7U:  return -RERR_ECANCELED;	/* CAEC_E_REVOKED */
	case 8U:  return -RERR_EADDRINUSE;	/* CAEC_E_OVERLAP */
	case 9U:  return -RERR_EPERM;		/* CAEC_E_PERM */
	case 10U: return -RERR_EEXIST;		/* CAEC_E_EXIST */
	case 11U: return -RERR_ENOMEM;		/* CAEC_E_NOMEM */
	case 14U: return -RERR_EIO;		/* CAEC_E_PLATFORM */
	case 17U: return -RERR_EAGAIN;		/* CAEC_E_BUSY: still busy after the retries */
	case 31U: return -RERR_EBADMSG;		/* CAEC_E_HASH */
	default:  return 0;
	}
}

static int status_errno(uint64_t st, uint64_t detail)
{
	int e = (st != CAEC_RSI_SUCCESS && st != SMC_UNKNOWN) ? csm_detail_errno(detail) : 0;

	if (e != 0) {
		return e;
	}
	switch (st) {
	case CAEC_RSI_SUCCESS: return 0;
	case SMC_UNKNOWN: return -RERR_EOPNOTSUPP;
	case CAEC_RSI_ERROR_INPUT: return -RERR_EINVAL;
	case CAEC_RSI_ERROR_STATE: return -RERR_EBUSY;
	case CAEC_RSI_ERROR_DENIED: return -RERR_EACCES;
	default: return -RERR_EIO;
	}
}

static const char *status_name(uint64_t st)
{
	switch (st) {
	case CAEC_RSI_SUCCESS: return "SUCCESS";
	case SMC_UNKNOWN: return "SMC_UNKNOWN (not implemented by this RMM)";
	case CAEC_RSI_ERROR_INPUT: return "ERROR_INPUT";
	case CAEC_RSI_ERROR_STATE: return "ERROR_STATE";
	case CAEC_RSI_INCOMPLETE: return "INCOMPLETE";
	case CAEC_RSI_ERROR_DENIED: return "ERROR_DENIED";
	case CAEC_RSI_ERROR_BUSY: return "ERROR_BUSY";
	default: return "unknown status";
	}
}

int csm_rsi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t out[5])
{
	uint64_t r[8] = { 0 }, st;
	unsigned int tries = 0U;

	do {
		st = rt_smc4(fid, a1, a2, a3, a4, r);
	} while (st == CAEC_RSI_ERROR_BUSY && ++tries < BUSY_RETRIES);
	if (csm_log_level >= 2U) {
		printf("[kernel] csm: RSI %s(0x%lx, 0x%lx, 0x%lx, 0x%lx) -> %s", csm_rsi_name(fid),
		       (unsigned long)a1, (unsigned long)a2, (unsigned long)a3, (unsigned long)a4,
		       status_name(st));
		if (st != CAEC_RSI_SUCCESS && st != SMC_UNKNOWN && csm_detail_errno(r[0]) != 0) {
			printf(" (detail %lu)", (unsigned long)r[0]);
		}
		printf("\n");
	}
	if (out != NULL) {
		memcpy(out, r, 5U * sizeof(uint64_t));
	}
	return status_errno(st, r[0]);
}

void csm_rsi_version(struct csm_version *v)
{
	uint64_t out[5];
	int ret = csm_rsi(CAEC_RSI_CSM_VERSION, CAEC_CSM_ABI_VERSION(CAEC_CSM_ABI_MAJOR, CAEC_CSM_ABI_MINOR),
			  0, 0, 0, out);

	memset(v, 0, sizeof(*v));
	/* ERROR_INPUT still reports the range the RMM supports. */
	if (ret == 0 || ret == -RERR_EINVAL) {
		v->present = true;
		v->lowest = (uint32_t)out[0];
		v->highest = (uint32_t)out[1];
		v->features = (ret == 0) ? out[2] : 0U;
	}
}

/*
 * RSI_ATTESTATION_TOKEN_INIT then _CONTINUE (RMM v1.0 B5.3.1/2) into one
 * granule of kernel memory at a time, each piece copied to the caller.
 */
int csm_attest(const uint8_t challenge[CAEC_DRV_HASH_MAX], uint64_t utoken, uint32_t cap,
	       uint32_t *len)
{
	static uint8_t buf[4096] __attribute__((aligned(4096)));
	uint64_t c[8], r[8], st, bound;
	uint32_t done = 0U;
	unsigned int i;
	int ret;

	memcpy(c, challenge, sizeof(c));
	{
		/* The challenge takes x1..x8: the full register form. */
		uint64_t regs[RT_SMC_REGS] = { SMC_RSI_ATTEST_TOKEN_INIT, c[0], c[1], c[2], c[3],
					       c[4], c[5], c[6], c[7] };

		rt_smc(regs);
		st = regs[0];
		r[0] = regs[1];
	}
	if (csm_log_level >= 2U) {
		printf("[kernel] csm: RSI ATTEST_TOKEN_INIT -> %s\n", status_name(st));
	}
	ret = status_errno(st, 0U);
	if (ret != 0) {
		return ret;
	}
	bound = r[0];
	if (bound > cap) {
		*len = (uint32_t)((bound > UINT32_MAX) ? UINT32_MAX : bound);
		return -RERR_ENOSPC;
	}
	for (i = 0U; i < 1024U; i++) {
		st = rt_smc4(SMC_RSI_ATTEST_TOKEN_CONTINUE, (uint64_t)(uintptr_t)buf, 0U,
			     sizeof(buf), 0U, r);
		if (st != CAEC_RSI_SUCCESS && st != CAEC_RSI_INCOMPLETE) {
			return status_errno(st, 0U);
		}
		if (r[0] > sizeof(buf) || r[0] > (uint64_t)cap - done) {
			return -RERR_EIO;
		}
		if (copy_to_user(utoken + done, buf, r[0]) != 0) {
			return -RERR_EFAULT;
		}
		done += (uint32_t)r[0];
		if (st == CAEC_RSI_SUCCESS) {
			*len = done;
			return 0;
		}
	}
	return -RERR_EIO;
}
