/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One handler per request.  The server has already checked the header;
 * each handler checks its body length (exact), copies the body into a
 * private struct, validates, calls the CSM state machine and fills the
 * reply.  Nothing a client sends is trusted: IDs, sizes, permissions and
 * hash lengths are all checked here or in core/csm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "simd.h"
#include "token_glue.h"

#define BODY(type, var)                                   \
	type var;                                         \
	if (len != sizeof(var)) {                         \
		rep->status = CAEC_E_PROTO;               \
		return;                                   \
	}                                                 \
	memcpy(&var, body, sizeof(var))

/* Highest user address we accept as a CSM "IPA" (x86-64 with 5-level
 * paging; AArch64 user space is smaller). */
#define SIMD_IPA_LIMIT (UINT64_C(1) << 57)

static void set_body(struct simd_reply *rep, const void *p, size_t n)
{
	memcpy(rep->body, p, n);
	rep->body_len = n;
}

static void op_hello(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_hello_req, req);
	struct simd_hello_rep out;
	int sv[2];
	int rc;

	if (c->hello_done) {
		rep->status = CAEC_E_STATE;
		return;
	}
	if (req.flags != 0 || req.has_rpv > 1) {
		rep->status = CAEC_E_INVAL;
		return;
	}
	/* The realm is measured through the PID that connected.  A process
	 * that connects, forks and execs a trusted image in the connecting
	 * process while the child says HELLO would borrow that image's
	 * measurement: HELLO must carry the credentials (SCM_CREDENTIALS,
	 * checked by the kernel) of the process that connected. */
	if (c->sender != c->pid) {
		rep->status = CAEC_E_DENIED;
		return;
	}
	if (simd_measure_pid(c->pid, c->rim) < 0) {
		rep->status = CAEC_E_PLATFORM;
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		rep->status = CAEC_E_NOMEM;
		return;
	}
	rc = csm_realm_add(d->csm, c->serial, c->rim, sizeof(c->rim),
			   SIMD_IPA_LIMIT, &c->realm_id);
	if (rc < 0) {
		close(sv[0]);
		close(sv[1]);
		rep->status = rc;
		return;
	}
	/* Our end must never block the loop: a consumer that stops reading
	 * events is disconnected instead. */
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	c->ev_fd = sv[0];
	c->hello_done = true;
	c->has_rpv = req.has_rpv;
	memcpy(c->rpv, req.rpv, sizeof(c->rpv));
	memset(&out, 0, sizeof(out));
	out.realm_id = c->realm_id;
	out.granule = CSM_GRANULE_SIZE;
	out.rim_len = sizeof(c->rim);
	memcpy(out.rim, c->rim, sizeof(c->rim));
	set_body(rep, &out, sizeof(out));
	rep->fd = sv[1];
	simd_log(d, "realm %016llx joined (pid %d)", (unsigned long long)c->realm_id,
		 (int)c->pid);
}

static struct simd_mem *region_mem(struct simd *d, struct simd_client *c,
				   uint64_t region_id, uint64_t *size, bool *sealed)
{
	uint64_t cookie;
	if (csm_region_query(d->csm, c->realm_id, region_id, size, sealed, &cookie) < 0)
		return NULL;
	return (struct simd_mem *)(uintptr_t)cookie;
}

static void op_share(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_share_req, req);
	struct simd_share_rep out;
	uint64_t size;
	bool sealed;

	if (d->max_region_bytes && req.size > d->max_region_bytes) {
		rep->status = CAEC_E_RANGE;
		return;
	}
	int rc = csm_share(d->csm, c->realm_id, req.base, req.size, &out.region_id);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	struct simd_mem *m = region_mem(d, c, out.region_id, &size, &sealed);
	int fd = m ? dup(m->fd) : -1;
	if (fd < 0) {
		(void)csm_unshare(d->csm, c->realm_id, out.region_id);
		rep->status = CAEC_E_NOMEM;
		return;
	}
	set_body(rep, &out, sizeof(out));
	rep->fd = fd;
}

static void op_grant(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_grant_req, req);
	struct simd_grant_rep out;
	struct csm_policy pol;

	if (req.rim_len > sizeof(req.rim)) {
		rep->status = CAEC_E_INVAL;
		return;
	}
	memset(&pol, 0, sizeof(pol));
	pol.rim_len = req.rim_len;
	memcpy(pol.rim, req.rim, req.rim_len);
	int rc = csm_grant(d->csm, c->realm_id, req.region_id, req.consumer,
			   req.perm, req.rim_len ? &pol : NULL, &out.grant_id);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	set_body(rep, &out, sizeof(out));
}

static void op_revoke(struct simd *d, struct simd_client *c,
		      const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	rep->status = csm_revoke(d->csm, c->realm_id, req.id);
}

static void op_unshare(struct simd *d, struct simd_client *c,
		       const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	rep->status = csm_unshare(d->csm, c->realm_id, req.id);
}

static void op_seal(struct simd *d, struct simd_client *c,
		    const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	struct simd_seal_rep out;
	size_t hlen = 0;
	uint64_t size;
	bool sealed;
	char path[64];

	/* Get the read-only descriptor the reply carries before sealing, so
	 * that nothing can fail after the seal is in place. */
	struct simd_mem *m = region_mem(d, c, req.id, &size, &sealed);
	if (!m) {
		/* Not visible to the caller: let the state machine say why. */
		memset(&out, 0, sizeof(out));
		rep->status = csm_seal(d->csm, c->realm_id, req.id, out.hash,
				       sizeof(out.hash), &hlen);
		if (rep->status == 0) /* cannot happen: the query just failed */
			rep->status = CAEC_E_PLATFORM;
		return;
	}
	/* A read-only open file description: it can never be mapped
	 * writable, whatever the holder does. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", m->fd);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rep->status = CAEC_E_NOMEM;
		return;
	}
	memset(&out, 0, sizeof(out));
	int rc = csm_seal(d->csm, c->realm_id, req.id, out.hash, sizeof(out.hash), &hlen);
	if (rc < 0) {
		close(fd);
		rep->status = rc;
		return;
	}
	out.hash_len = (uint32_t)hlen;
	set_body(rep, &out, sizeof(out));
	rep->fd = fd;
}

static void grant_to_rep(const struct csm_grant_info *g,
			 struct simd_grant_info_rep *o)
{
	memset(o, 0, sizeof(*o));
	o->grant_id = g->grant_id;
	o->provider = g->provider_id;
	o->size = g->size;
	o->perm = g->perm;
	o->flags = (g->sealed ? 0x1u : 0) | (g->attached ? 0x2u : 0);
}

static void op_grant_list(struct simd *d, struct simd_client *c,
			  const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_grant_list_req, req);
	struct csm_grant_info g;
	struct simd_grant_info_rep out;

	int rc = csm_grant_list(d->csm, c->realm_id, req.index, &g);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	grant_to_rep(&g, &out);
	set_body(rep, &out, sizeof(out));
}

static void op_grant_info(struct simd *d, struct simd_client *c,
			  const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	struct csm_grant_info g;
	struct simd_grant_info_rep out;

	/* Only grants made to the caller are visible; anything else is a
	 * denial, exactly like attaching it would be. */
	for (uint64_t i = 0;; i++) {
		if (csm_grant_list(d->csm, c->realm_id, i, &g) < 0) {
			rep->status = CAEC_E_DENIED;
			return;
		}
		if (g.grant_id == req.id)
			break;
	}
	grant_to_rep(&g, &out);
	set_body(rep, &out, sizeof(out));
}

static void op_attach(struct simd *d, struct simd_client *c,
		      const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_attach_req, req);
	struct csm_attach_info info;
	struct simd_attach_rep out;
	int rc;

	if (req.hash_len > sizeof(req.hash) || req._pad != 0) {
		rep->status = CAEC_E_INVAL;
		return;
	}
	rc = csm_reserve(d->csm, c->realm_id, req.grant_id, req.base, req.size);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	rc = csm_attach(d->csm, c->realm_id, req.grant_id, req.hash, req.hash_len, &info);
	if (rc < 0) {
		(void)csm_detach(d->csm, c->realm_id, req.grant_id);
		rep->status = rc;
		return;
	}
	struct simd_mem *m = (struct simd_mem *)(uintptr_t)info.mem_cookie;
	int fd;
	if (info.perm == CSM_PERM_RW) {
		fd = dup(m->fd);
	} else {
		/* Read-only consumers get a read-only open file description,
		 * so mmap(PROT_WRITE, MAP_SHARED) and mprotect() to writable
		 * both fail with EACCES. */
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", m->fd);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		(void)csm_detach(d->csm, c->realm_id, req.grant_id);
		rep->status = CAEC_E_NOMEM;
		return;
	}
	memset(&out, 0, sizeof(out));
	out.region_id = info.region_id;
	out.provider = info.provider_id;
	out.size = info.size;
	out.perm = info.perm;
	out.flags = info.sealed ? 0x1u : 0;
	out.hash_len = info.hash_len;
	memcpy(out.hash, info.hash, info.hash_len <= sizeof(out.hash) ? info.hash_len : 0);
	set_body(rep, &out, sizeof(out));
	rep->fd = fd;
}

static void op_detach(struct simd *d, struct simd_client *c,
		      const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	rep->status = csm_detach(d->csm, c->realm_id, req.id);
}

static void op_token(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_token_req, req);
	size_t out_len = 0;
	int rc = simd_token_for(d, c, req.challenge, rep->body, sizeof(rep->body),
				&out_len);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	rep->body_len = out_len;
}

static void op_platform_key(struct simd *d, struct simd_client *c,
			    const unsigned char *body, size_t len,
			    struct simd_reply *rep)
{
	(void)c;
	(void)body;
	if (len != 0) {
		rep->status = CAEC_E_PROTO;
		return;
	}
	size_t out_len = 0;
	int rc = simd_platform_key(d, rep->body, sizeof(rep->body), &out_len);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	rep->body_len = out_len;
}

typedef void (*handler_fn)(struct simd *, struct simd_client *,
			   const unsigned char *, size_t, struct simd_reply *);

static const handler_fn handlers[SIMD_OP_COUNT] = {
	[SIMD_OP_HELLO] = op_hello,
	[SIMD_OP_SHARE] = op_share,
	[SIMD_OP_GRANT] = op_grant,
	[SIMD_OP_REVOKE] = op_revoke,
	[SIMD_OP_UNSHARE] = op_unshare,
	[SIMD_OP_SEAL] = op_seal,
	[SIMD_OP_GRANT_LIST] = op_grant_list,
	[SIMD_OP_GRANT_INFO] = op_grant_info,
	[SIMD_OP_ATTACH] = op_attach,
	[SIMD_OP_DETACH] = op_detach,
	[SIMD_OP_TOKEN] = op_token,
	[SIMD_OP_PLATFORM_KEY] = op_platform_key,
};

void simd_handle(struct simd *d, struct simd_client *c, uint16_t op,
		 const unsigned char *body, size_t len, struct simd_reply *rep)
{
	rep->status = 0;
	rep->body_len = 0;
	rep->fd = -1;
	if (op == 0 || op >= SIMD_OP_COUNT || !handlers[op]) {
		rep->status = CAEC_E_PROTO;
		return;
	}
	if (op != SIMD_OP_HELLO && !c->hello_done) {
		rep->status = CAEC_E_STATE;
		return;
	}
	handlers[op](d, c, body, len, rep);
	if (rep->status < 0) {
		rep->body_len = 0;
		if (rep->fd >= 0) {
			close(rep->fd);
			rep->fd = -1;
		}
	}
}
