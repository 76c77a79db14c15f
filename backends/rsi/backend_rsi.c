/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RSI backend: CSM calls to the real RMM, through a Linux realm's CSM
 * driver (ioctl/mmap on a character device) or, in a bare-metal realm,
 * direct SMC (firmware/realm).
 *
 * Status: the firmware RMM (firmware/) does not implement the CSM calls
 * yet and no Linux CSM driver exists, so this backend only detects that it
 * cannot run and says so: caec_open() returns CAEC_E_NOTSUP ("not
 * supported by this backend or platform").  The interface is complete so
 * that the transport can be added without touching the core; see
 * docs/backends.md.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include <caec/abi/csm.h>

#include <backend/backend.h>

/* The CSM call numbers, status codes and policy granule this transport
 * will use come from caec/abi/csm.h only (the firmware uses the same
 * header).  A permission from caec_grant() goes into x3 of CSM_GRANT
 * unchanged, so it must be the ABI's value. */
_Static_assert(CAEC_PERM_RO == CAEC_CSM_PERM_RO && CAEC_PERM_RW == CAEC_CSM_PERM_RW,
	       "caec_grant() permissions are CSM_GRANT's x3 values");

static const char *device_path(const struct caec_config *cfg)
{
	if (cfg->rsi_device && *cfg->rsi_device)
		return cfg->rsi_device;
	const char *e = getenv("CAEC_RSI_DEVICE");
	return e && *e ? e : "/dev/caec-csm";
}

static int rsi_open(struct caec_ctx *ctx, const struct caec_config *cfg,
		    void **priv, uint64_t *self_id, uint32_t *flags)
{
	struct stat st;
	(void)ctx;
	(void)priv;
	(void)self_id;
	(void)flags;
	/* Whether or not a device node exists, no transport is implemented
	 * yet: refuse clearly rather than pretend.  A present node that we
	 * cannot drive is still "not supported". */
	(void)stat(device_path(cfg), &st);
	return CAEC_E_NOTSUP;
}

static void rsi_close(void *priv, bool forked)
{
	(void)priv;
	(void)forked;
}

/* The remaining operations are unreachable while open() refuses; they
 * exist so the vtable is complete and fails safely if ever reached. */
static int rsi_share(void *p, size_t s, struct caec_mapping *m)
{ (void)p; (void)s; (void)m; return CAEC_E_NOTSUP; }
static int rsi_grant(void *p, uint64_t r, uint64_t c, unsigned perm,
		     const struct caec_grant_policy *pol, uint64_t *sh)
{ (void)p; (void)r; (void)c; (void)perm; (void)pol; (void)sh; return CAEC_E_NOTSUP; }
static int rsi_revoke(void *p, uint64_t r, uint64_t sh)
{ (void)p; (void)r; (void)sh; return CAEC_E_NOTSUP; }
static int rsi_unshare(void *p, const struct caec_mapping *m)
{ (void)p; (void)m; return CAEC_E_NOTSUP; }
static int rsi_grant_list(void *p, size_t i, struct caec_grant_info *o)
{ (void)p; (void)i; (void)o; return CAEC_E_NOTSUP; }
static int rsi_attach(void *p, uint64_t sh, const struct caec_attach_opts *o,
		      struct caec_mapping *m)
{ (void)p; (void)sh; (void)o; (void)m; return CAEC_E_NOTSUP; }
static int rsi_detach(void *p, const struct caec_mapping *m, bool revoked)
{ (void)p; (void)m; (void)revoked; return CAEC_E_NOTSUP; }
static void rsi_unmap_revoked(void *p, const struct caec_mapping *m)
{ (void)p; (void)m; }

const struct caec_backend_ops caec_backend_rsi = {
	.name = "rsi",
	.open = rsi_open,
	.close = rsi_close,
	.share = rsi_share,
	.grant = rsi_grant,
	.revoke = rsi_revoke,
	.unshare = rsi_unshare,
	.seal = NULL,
	.grant_list = rsi_grant_list,
	.attach = rsi_attach,
	.detach = rsi_detach,
	.unmap_revoked = rsi_unmap_revoked,
	.attest_token = NULL,
	.platform_key = NULL,
};
