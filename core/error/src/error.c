/* SPDX-License-Identifier: Apache-2.0 */
#include <caec/error.h>

#include <assert.h>
#include <stddef.h>

struct err_desc {
	const char *name;
	const char *text;
};

/* Indexed by -err.  The static_assert below keeps it complete. */
static const struct err_desc err_table[] = {
	[0] = { "CAEC_OK", "success" },
	[-CAEC_E_INVAL] = { "CAEC_E_INVAL", "invalid argument" },
	[-CAEC_E_ALIGN] = { "CAEC_E_ALIGN", "size or address is not a multiple of the CSM granule" },
	[-CAEC_E_RANGE] = { "CAEC_E_RANGE", "value out of the supported range" },
	[-CAEC_E_NOENT] = { "CAEC_E_NOENT", "no such realm, region or grant" },
	[-CAEC_E_DENIED] = { "CAEC_E_DENIED", "denied: no mutual consent, wrong realm or policy mismatch" },
	[-CAEC_E_STATE] = { "CAEC_E_STATE", "object is in the wrong state for this call" },
	[-CAEC_E_REVOKED] = { "CAEC_E_REVOKED", "grant revoked or region destroyed" },
	[-CAEC_E_OVERLAP] = { "CAEC_E_OVERLAP", "range overlaps another CSM range of this realm" },
	[-CAEC_E_PERM] = { "CAEC_E_PERM", "permission not allowed" },
	[-CAEC_E_EXIST] = { "CAEC_E_EXIST", "already exists" },
	[-CAEC_E_NOMEM] = { "CAEC_E_NOMEM", "out of memory" },
	[-CAEC_E_AGAIN] = { "CAEC_E_AGAIN", "resource temporarily unavailable; try again" },
	[-CAEC_E_TIMEDOUT] = { "CAEC_E_TIMEDOUT", "timed out" },
	[-CAEC_E_PLATFORM] = { "CAEC_E_PLATFORM", "CSM platform (caec-simd, driver or RMM) failed or is unreachable" },
	[-CAEC_E_PROTO] = { "CAEC_E_PROTO", "unexpected answer from the CSM platform (protocol error)" },
	[-CAEC_E_NOTSUP] = { "CAEC_E_NOTSUP", "not supported by this backend or platform" },
	[-CAEC_E_BUSY] = { "CAEC_E_BUSY", "host action pending; re-issue the call" },
	[-CAEC_E_MSGSIZE] = { "CAEC_E_MSGSIZE", "message does not fit" },
	[-CAEC_E_CORRUPT] = { "CAEC_E_CORRUPT", "shared state written by the peer is corrupt" },
	[-CAEC_E_PEER] = { "CAEC_E_PEER", "broken by a misbehaving peer earlier" },
	[-CAEC_E_CLOSED] = { "CAEC_E_CLOSED", "peer closed or detached" },
	[-CAEC_E_INTR] = { "CAEC_E_INTR", "interrupted by a signal" },
	[-CAEC_E_TOKEN] = { "CAEC_E_TOKEN", "attestation token is malformed" },
	[-CAEC_E_SIGNATURE] = { "CAEC_E_SIGNATURE", "token signature does not verify" },
	[-CAEC_E_PLATFORM_KEY] = { "CAEC_E_PLATFORM_KEY", "platform token not signed by an accepted platform key" },
	[-CAEC_E_CHALLENGE] = { "CAEC_E_CHALLENGE", "token challenge is not the expected one" },
	[-CAEC_E_RIM] = { "CAEC_E_RIM", "realm measurement (RIM) is not an expected value" },
	[-CAEC_E_RPV] = { "CAEC_E_RPV", "realm personalization value (RPV) is not the expected one" },
	[-CAEC_E_REALM_ID] = { "CAEC_E_REALM_ID", "realm ID is not the expected one" },
	[-CAEC_E_BINDING] = { "CAEC_E_BINDING", "platform token is not bound to the realm attestation key" },
	[-CAEC_E_HASH] = { "CAEC_E_HASH", "sealed-region content hash is not the expected one" },
	[-CAEC_E_UNTRUSTED] = { "CAEC_E_UNTRUSTED", "platform endpoint not trusted (socket directory writable by others, or unexpected daemon user)" },
	[-CAEC_E_UNCONFIRMED] = { "CAEC_E_UNCONFIRMED", "done, but a consumer did not confirm that it unmapped" },
	[-CAEC_E_QUOTA] = { "CAEC_E_QUOTA", "a platform limit on connections, regions or pending grants is reached" },
	[-CAEC_E_FORKED] = { "CAEC_E_FORKED", "context inherited across fork(): only the process that opened it may use it" },
	[-CAEC_E_NOPLATFORM] = { "CAEC_E_NOPLATFORM", "no platform endpoint at that path (is caec-simd running?)" },
	[-CAEC_E_ACCESS] = { "CAEC_E_ACCESS", "permission denied on the platform endpoint (the socket or a directory on its path)" },
	[-CAEC_E_NOTSOCK] = { "CAEC_E_NOTSOCK", "the platform socket path is not a socket" },
	[-CAEC_E_STALE] = { "CAEC_E_STALE", "stale platform socket: nothing listens on it (the daemon exited without removing it)" },
	[-CAEC_E_ENV] = { "CAEC_E_ENV", "a CAEC_* environment variable is malformed" },
};

static_assert(sizeof(err_table) / sizeof(err_table[0]) == CAEC_ERR_COUNT,
	      "err_table must cover every enum caec_err value");

static const struct err_desc *lookup(int err)
{
	if (err > 0 || err <= -CAEC_ERR_COUNT)
		return NULL;
	const struct err_desc *d = &err_table[-err];
	return d->name ? d : NULL;
}

const char *caec_strerror(int err)
{
	const struct err_desc *d = lookup(err);
	return d ? d->text : "unknown caec error";
}

const char *caec_errname(int err)
{
	const struct err_desc *d = lookup(err);
	return d ? d->name : "CAEC_E_UNKNOWN";
}
