/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One handler per request.  The server has already checked the header
 * and who sent it; each handler checks its body length (exact), copies
 * the body into a private struct, validates, calls the CSM state machine
 * and fills the reply.  Nothing a client sends is trusted: IDs, sizes,
 * permissions and hash lengths are all checked here or in core/csm.
 *
 * HELLO and SEAL finish later, on a worker (jobs.c): the handler submits
 * the job and marks the reply deferred; simd_job_done() completes it (a
 * seal by copy once the consumers it revoked have answered too:
 * simd_seal_resume()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
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

/* A new open file description of region memory: read-only or
 * read-write, never shared with the daemon's own (flags, offset). */
static int reopen_mem(int fd, int flags)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, flags | O_CLOEXEC);
}

/* ---- HELLO -------------------------------------------------------------- */

static void op_hello(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_hello_req, req);

	if (c->state != SIMD_C_NEW) {
		rep->status = CAEC_E_STATE;
		return;
	}
	if (req.flags != 0 || req._pad != 0) {
		rep->status = CAEC_E_INVAL;
		return;
	}
	/* The realm is measured through the process that connected.  A
	 * process that connects, forks and execs a trusted image in the
	 * connecting process while the child says HELLO would borrow that
	 * image's measurement: HELLO must carry the credentials
	 * (SCM_CREDENTIALS, checked by the kernel) of the process that
	 * connected -- and so must every later request (server.c). */
	if (c->sender != c->pid) {
		rep->status = CAEC_E_DENIED;
		return;
	}
	struct simd_job *j = calloc(1, sizeof(*j));
	if (!j) {
		rep->status = CAEC_E_NOMEM;
		return;
	}
	j->kind = SIMD_JOB_MEASURE;
	j->c = c;
	j->acct = c->acct;
	j->pid = c->pid;
	j->pidfd = c->pidfd;
	j->new_fd = j->src_fd = -1;
	if (simd_job_submit(d, j) < 0) {
		simd_job_free(j);
		rep->status = CAEC_E_PLATFORM;
		return;
	}
	c->job = j;
	c->state = SIMD_C_MEASURING;
	simd_new_remove(d, c);
	rep->deferred = true;
}

static void reasons(uint32_t why, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s%s%s%s",
		 why & SIMD_INSECURE_UID ? " runs-as-root-or-the-daemon's-user" : "",
		 why & SIMD_INSECURE_CAPS ? " has-capabilities-that-bypass-permissions" : "",
		 why & SIMD_INSECURE_TRACED ? " is-traced" : "",
		 why & SIMD_INSECURE_IMAGE ? " runs-code-another-user-can-change" : "",
		 why & SIMD_INSECURE_PIDNS ? " in-another-pid-namespace" : "");
}

static void hello_done(struct simd *d, struct simd_client *c, struct simd_job *j)
{
	struct simd_hello_rep out;
	char why[160];
	int sv[2], rc;

	if (j->rc < 0) {
		fprintf(stderr, "caec-simd: pid %d (uid %u) not admitted: %s\n", (int)c->pid,
			(unsigned)c->uid, j->why[0] ? j->why : caec_strerror(j->rc));
		simd_new_restore(d, c);
		simd_reply(d, c, j->rc, NULL, 0, -1);
		return;
	}
	uint32_t insecure = j->insecure;
	if (c->uid == 0 || c->uid == d->euid)
		insecure |= SIMD_INSECURE_UID;
	if (insecure && !d->o.allow_insecure) {
		reasons(insecure, why, sizeof(why));
		fprintf(stderr, "caec-simd: pid %d (uid %u) not admitted: the daemon cannot "
			"isolate it:%s (see --allow-insecure-realms)\n",
			(int)c->pid, (unsigned)c->uid, why);
		simd_new_restore(d, c);
		simd_reply(d, c, CAEC_E_DENIED, NULL, 0, -1);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		simd_new_restore(d, c);
		simd_reply(d, c, CAEC_E_NOMEM, NULL, 0, -1);
		return;
	}
	rc = csm_realm_add(d->csm, (uint64_t)(uintptr_t)c, j->rim, sizeof(j->rim),
			   SIMD_IPA_LIMIT, &c->realm_id);
	struct simd_epref *ref = &c->ref_ev;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = ref };
	int one = 1;
	/* The client sends only acknowledgements here, never descriptors
	 * (simd_refuse_descriptors(); best effort on older kernels). */
	(void)simd_refuse_descriptors(sv[0]);
	if (rc == 0 && (fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0 ||
			setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
			epoll_ctl(d->epfd, EPOLL_CTL_ADD, sv[0], &ev) < 0)) {
		(void)csm_realm_remove(d->csm, c->realm_id);
		rc = CAEC_E_NOMEM;
	}
	if (rc < 0) {
		close(sv[0]);
		close(sv[1]);
		simd_new_restore(d, c);
		simd_reply(d, c, rc, NULL, 0, -1);
		return;
	}
	c->ev_fd = sv[0];
	c->state = SIMD_C_REALM;
	c->insecure = insecure != 0;
	memcpy(c->rim, j->rim, sizeof(c->rim));
	simd_rpv_for(d, c->uid, j->exe_dev, j->exe_ino, c->rpv);
	simd_realm_link(d, c);
	memset(&out, 0, sizeof(out));
	out.realm_id = c->realm_id;
	out.granule = CSM_GRANULE_SIZE;
	out.rim_len = sizeof(c->rim);
	memcpy(out.rim, c->rim, sizeof(c->rim));
	out.flags = c->insecure ? SIMD_HELLO_F_INSECURE : 0;
	if (c->insecure) {
		reasons(insecure, why, sizeof(why));
		simd_log(d, "realm %016llx (pid %d) admitted INSECURE:%s",
			 (unsigned long long)c->realm_id, (int)c->pid, why);
	}
	simd_log(d, "realm %016llx joined (pid %d, uid %u)", (unsigned long long)c->realm_id,
		 (int)c->pid, (unsigned)c->uid);
	simd_reply(d, c, 0, &out, sizeof(out), sv[1]);
}

/* ---- regions ----------------------------------------------------------- */

/* The memory of a region the caller provides (NULL if it does not). */
static struct simd_mem *provided_mem(struct simd *d, struct simd_client *c,
				     uint64_t region_id, bool *sealed, int *err)
{
	struct csm_relation r;
	uint64_t size, cookie;
	*err = CAEC_E_NOENT;
	for (uint64_t i = 0; csm_relations(d->csm, c->realm_id, i, &r) == 0; i++) {
		if (!r.provider)
			break; /* provided regions come first */
		if (r.region_id != region_id)
			continue;
		if (csm_region_query(d->csm, c->realm_id, region_id, &size, sealed, &cookie) < 0)
			return NULL;
		return (struct simd_mem *)(uintptr_t)cookie;
	}
	/* Let the state machine say why (NOENT or DENIED). */
	bool s;
	int rc = csm_region_query(d->csm, c->realm_id, region_id, &size, &s, &cookie);
	*err = rc < 0 ? rc : CAEC_E_DENIED;
	return NULL;
}

static void op_share(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_share_req, req);
	struct simd_share_rep out;
	uint64_t size, cookie;
	bool sealed;

	if (d->o.max_region_bytes && req.size > d->o.max_region_bytes) {
		rep->status = CAEC_E_RANGE;
		return;
	}
	if (c->acct->regions >= d->o.max_regions_per_uid) {
		simd_log(d, "uid %u: region limit (%u) reached", (unsigned)c->uid,
			 d->o.max_regions_per_uid);
		rep->status = CAEC_E_QUOTA;
		return;
	}
	int rc = csm_share(d->csm, c->realm_id, req.base, req.size, &out.region_id);
	if (rc < 0) {
		rep->status = rc;
		return;
	}
	int fd = -1;
	if (csm_region_query(d->csm, c->realm_id, out.region_id, &size, &sealed, &cookie) == 0)
		fd = reopen_mem(((struct simd_mem *)(uintptr_t)cookie)->fd, O_RDWR);
	if (fd < 0) {
		(void)csm_unshare(d->csm, c->realm_id, out.region_id);
		rep->status = CAEC_E_NOMEM;
		return;
	}
	set_body(rep, &out, sizeof(out));
	rep->fd = fd;
}

/* Grants made by realms of `uid` to `consumer` that it has not attached. */
static unsigned pending_from(struct simd *d, uint64_t consumer, uid_t uid)
{
	struct csm_grant_info g;
	unsigned n = 0;
	for (uint64_t i = 0; csm_grant_list(d->csm, consumer, i, &g) == 0; i++) {
		if (g.attached)
			continue;
		struct simd_client *p = simd_client_by_realm(d, g.provider_id);
		if (p && p->uid == uid)
			n++;
	}
	return n;
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
	/* A consumer cannot refuse grants: bound how many one user's realms
	 * can leave waiting on it, so they cannot crowd out other users'. */
	if (csm_realm_exists(d->csm, req.consumer) &&
	    pending_from(d, req.consumer, c->uid) >= d->o.max_pending_grants) {
		simd_log(d, "uid %u: pending grant limit (%u) to realm %016llx reached",
			 (unsigned)c->uid, d->o.max_pending_grants,
			 (unsigned long long)req.consumer);
		rep->status = CAEC_E_QUOTA;
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
	/* Tell the consumer, so it need not poll its grant list.  The grant
	 * is in the state machine already: a list it asks for now has it. */
	struct simd_client *cons = simd_client_by_realm(d, req.consumer);
	if (cons && !cons->dead)
		simd_send_event(d, cons, SIMD_EV_GRANTED, out.grant_id, c->realm_id);
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

/* The attached consumer mappings of a region, copied out of the state
 * machine (its callback must not call back into it). */
struct attachments {
	struct csm_mapping *v;
	size_t n, cap;
};

static void collect_attachment(void *arg, const struct csm_mapping *m)
{
	struct attachments *a = arg;
	if (a->n < a->cap)
		a->v[a->n] = *m;
	a->n++;
}

/* 0, or CAEC_E_NOMEM (nothing collected). */
static int collect_attachments(struct simd *d, uint64_t region_id, struct attachments *a)
{
	memset(a, 0, sizeof(*a));
	if (csm_region_for_each_mapping(d->csm, region_id, collect_attachment, a) <= 0 ||
	    a->n == 0)
		return 0;
	a->cap = a->n;
	a->n = 0;
	a->v = calloc(a->cap, sizeof(*a->v));
	if (!a->v)
		return CAEC_E_NOMEM;
	(void)csm_region_for_each_mapping(d->csm, region_id, collect_attachment, a);
	if (a->n > a->cap)
		a->n = a->cap; /* cannot grow in between: one thread */
	return 0;
}

/*
 * Before a seal by copy: take every attachment away, as a revocation does
 * (REVOKED, then the acknowledgement the current request waits for), but
 * keep the grants -- the state machine goes back to "granted", as after a
 * detach (the provider is told PEER_DETACHED), and the consumer may attach
 * again, to the sealed copy.  Until it acknowledges, a consumer maps the
 * old memory, which a revoked read-write consumer that ignored its own
 * revocation may still write: the seal is committed (and so claimed) only
 * once every one of them has unmapped or been disconnected.
 */
static void revoke_attachments(struct simd *d, const struct attachments *a)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct csm_mapping *mp = &a->v[i];
		struct simd_client *cc = (struct simd_client *)(uintptr_t)mp->realm_cookie;
		/* The daemon detaches on the consumer's behalf: it is the
		 * platform taking the mapping away (plat_unmap() sends no event
		 * for a detach; the REVOKED below is the one). */
		(void)csm_detach(d->csm, mp->realm_id, mp->grant_id);
		if (cc->dead)
			continue; /* being disconnected: its library unmaps everything */
		simd_send_event(d, cc, SIMD_EV_REVOKED, mp->grant_id, 0);
		if (!cc->dead)
			(void)simd_expect_ack(d, cc, mp->grant_id);
	}
}

static void op_seal(struct simd *d, struct simd_client *c,
		    const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	uint8_t hash[CSM_HASH_MAX];
	size_t hlen = 0;

	struct simd_job *j = calloc(1, sizeof(*j));
	if (!j) {
		rep->status = CAEC_E_NOMEM;
		return;
	}
	j->kind = SIMD_JOB_SEAL;
	j->c = c;
	j->acct = c->acct;
	j->new_fd = j->src_fd = -1;
	/* Phase 1: the state machine's checks, then how to freeze (in place
	 * or by a copy, plat.c; the worker does it); CAEC_E_BUSY means both
	 * passed and nothing is recorded yet. */
	d->seal_phase = SIMD_SEAL_PREPARE;
	d->seal_job = j;
	int rc = csm_seal(d->csm, c->realm_id, req.id, hash, sizeof(hash), &hlen);
	d->seal_job = NULL;
	if (rc != CAEC_E_BUSY) {
		simd_job_free(j);
		rep->status = rc < 0 ? rc : CAEC_E_PLATFORM;
		return;
	}
	j->region_id = req.id;
	/* A copy: the attachments go (everything that can fail first). */
	struct attachments a = { 0 };
	if (j->copy && collect_attachments(d, req.id, &a) < 0) {
		simd_job_free(j);
		rep->status = CAEC_E_NOMEM;
		return;
	}
	if (simd_job_submit(d, j) < 0) {
		free(a.v);
		simd_job_free(j);
		rep->status = CAEC_E_PLATFORM;
		return;
	}
	if (j->copy) {
		j->mem->copy_sealing = true;
		revoke_attachments(d, &a);
		free(a.v);
	}
	c->job = j;
	rep->deferred = true;
}

/* Phase 2, once the worker is done and (after a copy) every consumer
 * revoked for it has acknowledged or been disconnected. */
static void seal_done(struct simd *d, struct simd_client *c, struct simd_job *j)
{
	struct simd_seal_rep out;
	uint8_t hash[CSM_HASH_MAX];
	size_t hlen = 0;
	struct simd_mem *m = j->mem;
	bool unconfirmed = c->unconfirmed;

	/* Whatever the outcome, attaching is possible again: to the sealed
	 * copy, or (the seal failed) to the region as it was. */
	if (m)
		m->copy_sealing = false;
	if (j->rc < 0 || !m) {
		simd_reply(d, c, j->rc < 0 ? j->rc : CAEC_E_PLATFORM, NULL, 0, -1);
		return;
	}
	int sealed_fd = j->copy ? j->new_fd : m->fd;
	/* Everything that can fail before the state machine records it. */
	int fd = reopen_mem(sealed_fd, O_RDONLY);
	if (fd < 0) {
		simd_reply(d, c, CAEC_E_NOMEM, NULL, 0, -1);
		return;
	}
	/* Commit the hash the worker computed. */
	d->seal_phase = SIMD_SEAL_COMMIT;
	d->seal_job = j;
	int rc = csm_seal(d->csm, c->realm_id, j->region_id, hash, sizeof(hash), &hlen);
	d->seal_job = NULL;
	if (rc < 0) {
		close(fd);
		simd_reply(d, c, rc, NULL, 0, -1);
		return;
	}
	if (j->copy) {
		/* The region's memory is the sealed copy from now on.  No realm
		 * maps the old memory any more -- its attachments were revoked
		 * and confirmed (or their realms disconnected), and nobody could
		 * attach since -- so it is scrubbed: whatever a process kept
		 * mapping in defiance of a revocation reads zeros. */
		int old = m->fd;
		m->fd = j->new_fd;
		j->new_fd = -1;
		(void)fallocate(old, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
				(off_t)m->size);
		close(old);
	}
	memset(&out, 0, sizeof(out));
	out.hash_len = (uint32_t)hlen;
	out.flags = unconfirmed ? SIMD_SEAL_F_UNCONFIRMED : 0;
	memcpy(out.hash, hash, hlen);
	simd_reply(d, c, 0, &out, sizeof(out), fd);
}

static void op_remap(struct simd *d, struct simd_client *c,
		     const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_id_req, req);
	struct simd_remap_rep out;
	bool sealed = false;
	int err;
	struct simd_mem *m = provided_mem(d, c, req.id, &sealed, &err);
	if (!m) {
		rep->status = err;
		return;
	}
	int fd = reopen_mem(m->fd, sealed ? O_RDONLY : O_RDWR);
	if (fd < 0) {
		rep->status = CAEC_E_NOMEM;
		return;
	}
	memset(&out, 0, sizeof(out));
	out.flags = sealed ? 0x1u : 0; /* CAEC_GRANT_F_SEALED */
	set_body(rep, &out, sizeof(out));
	rep->fd = fd;
}

/*
 * EXPORT: one more read-only descriptor of memory the caller already maps:
 * a region it provides, or the region of a grant it has attached (a grant
 * merely made to it is not enough: the attach is where the consumer's
 * policy and the expected hash are checked).  A new read-only open file
 * description, like a read-only attach's, so the holder can never map it
 * writable, add seals or chmod the inode.  The library checks it is the
 * file it maps.
 */
static void op_export(struct simd *d, struct simd_client *c,
		      const unsigned char *body, size_t len, struct simd_reply *rep)
{
	BODY(struct simd_export_req, req);
	struct simd_export_rep out;
	struct simd_mem *m = NULL;
	uint64_t size = 0, cookie;
	bool sealed = false;
	int err = CAEC_E_NOENT;

	if (req.role > 1 || req._pad != 0) {
		rep->status = CAEC_E_INVAL;
		return;
	}
	if (req.role == 0) {
		m = provided_mem(d, c, req.id, &sealed, &err);
		if (m && csm_region_query(d->csm, c->realm_id, req.id, &size, &sealed,
					  &cookie) < 0)
			m = NULL;
	} else {
		struct csm_relation r;
		for (uint64_t i = 0; csm_relations(d->csm, c->realm_id, i, &r) == 0; i++) {
			if (r.provider || r.grant_id != req.id)
				continue;
			err = r.attached ? 0 : CAEC_E_STATE;
			if (r.attached && csm_region_query(d->csm, c->realm_id, r.region_id,
							   &size, &sealed, &cookie) == 0)
				m = (struct simd_mem *)(uintptr_t)cookie;
			break;
		}
		if (!m && err == 0)
			err = CAEC_E_NOENT;
	}
	if (!m) {
		rep->status = err;
		return;
	}
	int fd = reopen_mem(m->fd, O_RDONLY);
	if (fd < 0) {
		rep->status = CAEC_E_NOMEM;
		return;
	}
	memset(&out, 0, sizeof(out));
	out.size = size;
	out.flags = sealed ? 0x1u : 0; /* CAEC_GRANT_F_SEALED */
	set_body(rep, &out, sizeof(out));
	rep->fd = fd;
}

/* ---- consumers -------------------------------------------------------- */

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

static void op_grant_list_batch(struct simd *d, struct simd_client *c,
				const unsigned char *body, size_t len,
				struct simd_reply *rep)
{
	BODY(struct simd_grant_batch_req, req);
	struct simd_grant_batch_rep head;
	struct csm_grant_info g;
	uint64_t i;

	if (req._pad != 0) {
		rep->status = CAEC_E_INVAL;
		return;
	}
	uint32_t max = req.max < SIMD_GRANT_BATCH_MAX ? req.max : (uint32_t)SIMD_GRANT_BATCH_MAX;
	memset(&head, 0, sizeof(head));
	for (i = 0; csm_grant_list(d->csm, c->realm_id, i, &g) == 0; i++) {
		if (i < req.index || head.count >= max)
			continue; /* counted, not sent */
		struct simd_grant_info_rep o;
		grant_to_rep(&g, &o);
		memcpy(rep->body + sizeof(head) + head.count * sizeof(o), &o, sizeof(o));
		head.count++;
	}
	head.total = i;
	memcpy(rep->body, &head, sizeof(head));
	rep->body_len = sizeof(head) + head.count * sizeof(struct simd_grant_info_rep);
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
		/* A writable descriptor could add seals: forbid seals first. */
		fd = simd_mem_lock_seals(m) < 0 ? -1 : reopen_mem(m->fd, O_RDWR);
	} else {
		/* Read-only consumers get a read-only open file description,
		 * so mmap(PROT_WRITE, MAP_SHARED), mprotect() to writable and
		 * F_ADD_SEALS all fail; the inode is not theirs to chmod. */
		fd = reopen_mem(m->fd, O_RDONLY);
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

/* ---- attestation ------------------------------------------------------ */

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
	[SIMD_OP_REMAP] = op_remap,
	[SIMD_OP_GRANT_LIST_BATCH] = op_grant_list_batch,
	[SIMD_OP_EXPORT] = op_export,
};

void simd_handle(struct simd *d, struct simd_client *c, uint16_t op,
		 const unsigned char *body, size_t len, struct simd_reply *rep)
{
	rep->status = 0;
	rep->body_len = 0;
	rep->fd = -1;
	rep->deferred = false;
	if (op == 0 || op >= SIMD_OP_COUNT || !handlers[op]) {
		rep->status = CAEC_E_PROTO;
		return;
	}
	if (op != SIMD_OP_HELLO && c->state != SIMD_C_REALM) {
		rep->status = CAEC_E_STATE;
		return;
	}
	handlers[op](d, c, body, len, rep);
	if (rep->status < 0) {
		rep->body_len = 0;
		rep->deferred = false;
		if (rep->fd >= 0) {
			close(rep->fd);
			rep->fd = -1;
		}
	}
}

void simd_job_done(struct simd *d, struct simd_client *c, struct simd_job *j)
{
	c->job = NULL;
	if (!c->dead) {
		if (j->kind == SIMD_JOB_MEASURE) {
			hello_done(d, c, j);
		} else if (c->acks_pending) {
			/* A seal by copy whose revoked consumers have not all
			 * answered: it is committed when they have
			 * (simd_release_held() -> simd_seal_resume()). */
			c->seal_wait = j;
			return;
		} else {
			seal_done(d, c, j);
		}
	}
	simd_job_free(j);
}

void simd_seal_resume(struct simd *d, struct simd_client *c)
{
	struct simd_job *j = c->seal_wait;
	c->seal_wait = NULL;
	if (!j)
		return;
	if (!c->dead)
		seal_done(d, c, j);
	simd_job_free(j);
}
