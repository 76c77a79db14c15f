/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sim backend: libcaec's client of caec-simd.
 *
 * One request socket (strictly request -> reply, serialized by req_lock)
 * and one event socket read by a library-owned thread.  Region memory
 * arrives as memfd descriptors and is mapped at an address range this
 * process reserved beforehand (PROT_NONE), whose base is the "IPA" the CSM
 * state machine checks for alignment and overlap.
 *
 * Translation of errno into caec_err happens here and nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <backend/backend.h>
#include "proto.h"
#include "sockmsg.h"
#include "sockpath.h"

struct sim {
	struct caec_ctx *ctx;
	int req_fd;
	int ev_fd;
	int stop_fd[2];          /* close()/write wakes the event thread */
	pthread_t ev_thread;
	bool ev_running;
	pthread_mutex_t req_lock;
	uint32_t seq;            /* under req_lock */
	uint32_t timeout_ms;
	atomic_bool lost;        /* platform gone or stream desynchronized */
};

static int errno_to_caec(int e)
{
	switch (e) {
	case ENOMEM:
	case ENOSPC:
	case EMFILE:
	case ENFILE:
		return CAEC_E_NOMEM;
	case EINVAL:
		return CAEC_E_INVAL;
	case EACCES:
	case EPERM:
		return CAEC_E_DENIED;
	default:
		return CAEC_E_PLATFORM;
	}
}

/* The request timeout in ms: the config's (ns, at most an hour: checked
 * with CAEC_TIMEOUT_MS by caec_open()), rounded up, else 10 s. */
static uint32_t request_timeout_ms(int64_t cfg_ns)
{
	if (cfg_ns > 0)
		return (uint32_t)((cfg_ns + 999999) / 1000000);
	return 10000;
}

/*
 * The platform is gone or out of step.  The event thread does the rest:
 * shutting its socket down wakes it with end-of-file, and it revokes
 * every consumer mapping (caec_priv_backend_event, PLATFORM_LOST).  Not
 * done here: the caller may hold the context's lock.
 */
static void mark_lost(struct sim *s)
{
	if (!atomic_exchange(&s->lost, true) && s->ev_fd >= 0)
		(void)shutdown(s->ev_fd, SHUT_RDWR);
}

/*
 * One request/reply exchange.  rep_len is the exact body size expected on
 * success, or for variable replies (var = true) the maximum.  Returns the
 * reply body length or a negative caec_err.  On timeout or a malformed
 * reply the connection is marked lost: a late reply would otherwise be
 * taken for the answer to the next request.
 */
static int sim_call_tmo(struct sim *s, uint16_t op, const void *req, size_t req_len,
			void *rep, size_t rep_len, bool var, int *fd_out,
			uint32_t timeout_ms)
{
	unsigned char buf[SIMD_MSG_MAX];
	struct simd_hdr h;
	int rc, fd = -1;

	if (fd_out)
		*fd_out = -1;
	if (atomic_load(&s->lost))
		return CAEC_E_PLATFORM;
	if (req_len > SIMD_MSG_MAX - sizeof(h))
		return CAEC_E_RANGE;

	pthread_mutex_lock(&s->req_lock);
	memset(&h, 0, sizeof(h));
	h.magic = SIMD_MAGIC;
	h.version = SIMD_PROTO_VERSION;
	h.op = op;
	h.seq = ++s->seq;
	h.len = (uint32_t)(sizeof(h) + req_len);
	memcpy(buf, &h, sizeof(h));
	if (req_len)
		memcpy(buf + sizeof(h), req, req_len);
	/* HELLO carries our credentials: the daemon measures the process
	 * that connected and checks that it is the one speaking. */
	ssize_t n = op == SIMD_OP_HELLO ? sockmsg_send_creds(s->req_fd, buf, h.len) :
					  sockmsg_send(s->req_fd, buf, h.len, -1, 0);
	if (n < 0) {
		rc = CAEC_E_PLATFORM;
		goto lost;
	}

	struct pollfd p = { .fd = s->req_fd, .events = POLLIN };
	int pr;
	do {
		pr = poll(&p, 1, (int)timeout_ms);
	} while (pr < 0 && errno == EINTR);
	if (pr <= 0) {
		/* At HELLO, silence is worth naming: something accepted the
		 * connection but no daemon answers.  Later the platform simply
		 * failed (documented as CAEC_E_PLATFORM). */
		rc = pr == 0 && op == SIMD_OP_HELLO ? CAEC_E_TIMEDOUT : CAEC_E_PLATFORM;
		goto lost;
	}
	n = sockmsg_recv(s->req_fd, buf, sizeof(buf), &fd, 0);
	if (n <= 0 || (size_t)n < sizeof(h)) {
		rc = n == -EMSGSIZE ? CAEC_E_PROTO : CAEC_E_PLATFORM;
		goto lost;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != SIMD_MAGIC || h.version != SIMD_PROTO_VERSION ||
	    h.op != op || h.seq != s->seq || h.len != (uint32_t)n) {
		rc = CAEC_E_PROTO;
		goto lost;
	}
	size_t body = (size_t)n - sizeof(h);
	if (h.status < 0) {
		rc = h.status <= -CAEC_ERR_COUNT ? CAEC_E_PROTO : h.status;
		if (body != 0) {
			rc = CAEC_E_PROTO;
			goto lost;
		}
		goto out;
	}
	if (h.status != 0 || (var ? body > rep_len : body != rep_len)) {
		rc = CAEC_E_PROTO;
		goto lost;
	}
	if (body)
		memcpy(rep, buf + sizeof(h), body);
	rc = (int)body;
	if (fd_out) {
		*fd_out = fd;
		fd = -1;
	}
out:
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&s->req_lock);
	return rc;
lost:
	mark_lost(s);
	goto out;
}

static int sim_call(struct sim *s, uint16_t op, const void *req, size_t req_len,
		    void *rep, size_t rep_len, bool var, int *fd_out)
{
	return sim_call_tmo(s, op, req, req_len, rep, rep_len, var, fd_out, s->timeout_ms);
}

/* ---- events ------------------------------------------------------------ */

static void *event_thread(void *arg)
{
	struct sim *s = arg;

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = s->ev_fd, .events = POLLIN },
			{ .fd = s->stop_fd[0], .events = POLLIN },
		};
		int pr = poll(p, 2, -1);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			return NULL;
		struct simd_event ev;
		ssize_t n = sockmsg_recv(s->ev_fd, &ev, sizeof(ev), NULL, MSG_DONTWAIT);
		if (n == -EAGAIN || n == -EINTR)
			continue;
		if (n != (ssize_t)sizeof(ev) || ev.magic != SIMD_MAGIC ||
		    ev.version != SIMD_PROTO_VERSION)
			goto lost; /* EOF (daemon died) or garbage */
		switch (ev.type) {
		case SIMD_EV_REVOKED: {
			caec_priv_backend_event(s->ctx, CAEC_BEV_REVOKED, ev.id, 0);
			struct simd_event ack = {
				.magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION,
				.type = SIMD_EV_ACK, .id = ev.id,
			};
			/* Never block on the daemon: one that stops reading
			 * its events is as good as gone. */
			if (sockmsg_send(s->ev_fd, &ack, sizeof(ack), -1, MSG_DONTWAIT) < 0)
				goto lost;
			break;
		}
		case SIMD_EV_PEER_ATTACHED:
			caec_priv_backend_event(s->ctx, CAEC_BEV_PEER_ATTACHED, ev.id, ev.grant);
			break;
		case SIMD_EV_PEER_DETACHED:
			caec_priv_backend_event(s->ctx, CAEC_BEV_PEER_DETACHED, ev.id, ev.grant);
			break;
		case SIMD_EV_GRANTED:
			caec_priv_backend_event(s->ctx, CAEC_BEV_GRANTED, ev.id, ev.grant);
			break;
		default:
			break; /* unknown events are ignored (forward compatible) */
		}
	}
lost:
	atomic_store(&s->lost, true);
	caec_priv_backend_event(s->ctx, CAEC_BEV_PLATFORM_LOST, 0, 0);
	return NULL;
}

/* ---- lifecycle ---------------------------------------------------------- */

static void sim_free(struct sim *s, bool forked)
{
	/* A forked child has no event thread, and its copy of req_lock may
	 * be held by a thread that only exists in the parent. */
	if (s->ev_running && !forked) {
		(void)!write(s->stop_fd[1], "x", 1);
		pthread_join(s->ev_thread, NULL);
	}
	if (s->req_fd >= 0)
		close(s->req_fd);
	if (s->ev_fd >= 0)
		close(s->ev_fd);
	if (s->stop_fd[0] >= 0)
		close(s->stop_fd[0]);
	if (s->stop_fd[1] >= 0)
		close(s->stop_fd[1]);
	if (!forked)
		pthread_mutex_destroy(&s->req_lock);
	free(s);
}

/* The user caec-simd must run as: the config's (caec_open() put
 * CAEC_SIM_DAEMON_UID there), or ours. */
static uid_t daemon_uid(const struct caec_config *cfg)
{
	if (cfg->flags & CAEC_CONFIG_F_SIM_DAEMON_UID)
		return (uid_t)cfg->sim_daemon_uid;
	return geteuid();
}

/* What a failed look at the socket path means to the caller. */
static int path_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return CAEC_E_NOPLATFORM;
	case EACCES:
	case EPERM:
		return CAEC_E_ACCESS;
	default:
		return CAEC_E_PLATFORM;
	}
}

/*
 * Authenticate the platform before saying anything to it: the socket must
 * be where only trusted users (root, us, the daemon's user) could have put
 * it (sim_dir_trusted()), belong to the daemon's user, and the process
 * listening on it must be that user (SO_PEERCRED, after connecting).
 * Otherwise an impostor could receive our requests, our region memory and
 * serve its own "platform key".
 */
static int check_socket_path(const char *path, bool is_default, uid_t daemon)
{
	uid_t owners[2] = { geteuid(), daemon };
	int rc = sim_dir_trusted(path, owners, 2, is_default, NULL, 0);
	if (rc == -EACCES)
		return CAEC_E_UNTRUSTED;
	if (rc < 0)
		return path_errno(-rc); /* -EPERM: a directory we cannot search */
	struct stat st;
	if (lstat(path, &st) < 0)
		return path_errno(errno);
	if (!S_ISSOCK(st.st_mode))
		return CAEC_E_NOTSOCK;
	if (st.st_uid != daemon && st.st_uid != 0)
		return CAEC_E_UNTRUSTED;
	return 0;
}

static int check_peer(int fd, uid_t daemon)
{
	struct ucred cr;
	socklen_t l = sizeof(cr);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) < 0)
		return CAEC_E_PLATFORM;
	return cr.uid == daemon || cr.uid == 0 ? 0 : CAEC_E_UNTRUSTED;
}

static int sim_open(struct caec_ctx *ctx, const struct caec_config *cfg,
		    void **priv, uint64_t *self_id, uint32_t *flags)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct simd_hello_req hreq;
	struct simd_hello_rep hrep;
	bool is_default = false;
	uid_t daemon;
	int rc;

	struct sim *s = calloc(1, sizeof(*s));
	if (!s)
		return CAEC_E_NOMEM;
	s->ctx = ctx;
	s->req_fd = s->ev_fd = s->stop_fd[0] = s->stop_fd[1] = -1;
	s->timeout_ms = request_timeout_ms(cfg->timeout_ns);
	atomic_init(&s->lost, false);
	pthread_mutex_init(&s->req_lock, NULL);

	memset(&hreq, 0, sizeof(hreq));
	daemon = daemon_uid(cfg);
	if (sim_socket_path(cfg->sim_socket, sa.sun_path, sizeof(sa.sun_path),
			    &is_default) < 0) {
		rc = CAEC_E_INVAL;
		goto fail;
	}
	rc = check_socket_path(sa.sun_path, is_default, daemon);
	if (rc < 0)
		goto fail;
	if (pipe2(s->stop_fd, O_CLOEXEC) < 0) {
		rc = errno_to_caec(errno);
		goto fail;
	}
	s->req_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s->req_fd < 0) {
		rc = errno_to_caec(errno);
		goto fail;
	}
	/* A daemon whose listen backlog is full would block connect()
	 * without end: bound it by the request timeout, then undo. */
	struct timeval tv = { .tv_sec = s->timeout_ms / 1000,
			      .tv_usec = (suseconds_t)(s->timeout_ms % 1000) * 1000 };
	(void)setsockopt(s->req_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(s->req_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		switch (errno) {
		case ECONNREFUSED:
			rc = CAEC_E_STALE; /* a socket file nobody listens on */
			break;
		case EAGAIN:
		case ETIMEDOUT:
			rc = CAEC_E_TIMEDOUT;
			break;
		default:
			rc = path_errno(errno); /* gone since, or not ours to write */
			break;
		}
		goto fail;
	}
	tv = (struct timeval){ 0, 0 };
	(void)setsockopt(s->req_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	rc = check_peer(s->req_fd, daemon);
	if (rc < 0)
		goto fail;
	int efd;
	rc = sim_call(s, SIMD_OP_HELLO, &hreq, sizeof(hreq), &hrep, sizeof(hrep),
		      false, &efd);
	if (rc < 0)
		goto fail;
	if (efd < 0 || hrep.granule != CAEC_GRANULE_SIZE || hrep.realm_id == 0) {
		if (efd >= 0)
			close(efd);
		rc = CAEC_E_PROTO;
		goto fail;
	}
	s->ev_fd = efd;
	/* Measured: from now on processes of our user must not read or
	 * write our memory (region mappings included) through /proc or
	 * ptrace.  Not earlier: a daemon of our own user (development) could
	 * not have measured us. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		rc = CAEC_E_PLATFORM;
		goto fail;
	}
	if (pthread_create(&s->ev_thread, NULL, event_thread, s) != 0) {
		rc = CAEC_E_NOMEM;
		goto fail;
	}
	s->ev_running = true;
	*self_id = hrep.realm_id;
	*flags = (hrep.flags & SIMD_HELLO_F_INSECURE) ? CAEC_CTX_F_INSECURE : 0;
	*priv = s;
	return 0;
fail:
	sim_free(s, false);
	return rc;
}

static void sim_close(void *priv, bool forked)
{
	sim_free(priv, forked);
}

/* ---- address space ---------------------------------------------------- */

/* Reserve size bytes of address space that nothing else will use. */
static void *reserve_va(size_t size)
{
	void *p = mmap(NULL, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Make [addr, addr+size) inaccessible but keep it reserved. */
static void make_inaccessible(void *addr, size_t size)
{
	(void)mmap(addr, size, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/*
 * A descriptor from the daemon must be what it claims before we map it: a
 * regular file of exactly the region's size that nobody can shrink (else a
 * hostile or broken daemon could make our accesses fault with SIGBUS), and
 * for a sealed region, sealed against writes.
 */
static int check_region_fd(int fd, uint64_t size, bool sealed)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uint64_t)st.st_size != size)
		return CAEC_E_PROTO;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK) || !(seals & F_SEAL_GROW))
		return CAEC_E_PROTO;
	if (sealed && !(seals & F_SEAL_WRITE))
		return CAEC_E_PROTO;
	return 0;
}

static int map_fd_at(void *addr, size_t size, int fd, unsigned perm)
{
	int prot = perm == CAEC_PERM_RW ? PROT_READ | PROT_WRITE : PROT_READ;
	void *p = mmap(addr, size, prot, MAP_SHARED | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED)
		return errno_to_caec(errno);
	/* Region memory is reachable only through a grant: a forked child
	 * (no realm, or another realm) does not inherit it. */
	if (madvise(addr, size, MADV_DONTFORK) < 0) {
		make_inaccessible(addr, size);
		return CAEC_E_PLATFORM;
	}
	return 0;
}

/* ---- provider ----------------------------------------------------------- */

static int sim_share(void *priv, size_t size, struct caec_mapping *m)
{
	struct sim *s = priv;
	struct simd_share_req req;
	struct simd_share_rep rep;
	int fd, rc;

	void *base = reserve_va(size);
	if (!base)
		return CAEC_E_NOMEM;
	req.base = (uint64_t)(uintptr_t)base;
	req.size = size;
	rc = sim_call(s, SIMD_OP_SHARE, &req, sizeof(req), &rep, sizeof(rep),
		      false, &fd);
	if (rc < 0)
		goto fail;
	if (fd < 0) {
		rc = CAEC_E_PROTO;
		goto fail;
	}
	rc = check_region_fd(fd, size, false);
	if (rc == 0)
		rc = map_fd_at(base, size, fd, CAEC_PERM_RW);
	/* No read-write descriptor stays here: nothing of ours can reopen
	 * or reseal the memory, and /proc/<pid>/fd shows no way in. */
	close(fd);
	if (rc < 0) {
		struct simd_id_req d = { .id = rep.region_id };
		(void)sim_call(s, SIMD_OP_UNSHARE, &d, sizeof(d), NULL, 0, false, NULL);
		goto fail;
	}
	m->addr = base;
	m->size = size;
	m->perm = CAEC_PERM_RW;
	m->id = rep.region_id;
	m->cookie = -1;
	return 0;
fail:
	munmap(base, size);
	return rc;
}

static int sim_grant(void *priv, uint64_t region_id, uint64_t consumer,
		     unsigned perm, const struct caec_grant_policy *policy,
		     uint64_t *grant_id)
{
	struct simd_grant_req req;
	struct simd_grant_rep rep;

	memset(&req, 0, sizeof(req));
	req.region_id = region_id;
	req.consumer = consumer;
	req.perm = perm;
	if (policy && policy->rim_len) {
		req.rim_len = policy->rim_len;
		memcpy(req.rim, policy->rim, policy->rim_len);
	}
	int rc = sim_call(priv, SIMD_OP_GRANT, &req, sizeof(req), &rep,
			  sizeof(rep), false, NULL);
	if (rc < 0)
		return rc;
	*grant_id = rep.grant_id;
	return 0;
}

static int sim_revoke(void *priv, uint64_t region_id, uint64_t grant_id)
{
	(void)region_id; /* the daemon checks the grant belongs to the caller */
	struct simd_id_req req = { .id = grant_id };
	int rc = sim_call(priv, SIMD_OP_REVOKE, &req, sizeof(req), NULL, 0,
			  false, NULL);
	return rc < 0 ? rc : 0;
}

static int sim_unshare(void *priv, const struct caec_mapping *m)
{
	struct simd_id_req req = { .id = m->id };
	int rc = sim_call(priv, SIMD_OP_UNSHARE, &req, sizeof(req), NULL, 0,
			  false, NULL);
	munmap(m->addr, m->size);
	return rc < 0 ? rc : 0;
}

/* Map the provider's region again after a failed seal: the platform
 * hands out a new descriptor (read-only if it did seal). */
static int remap(struct sim *s, struct caec_mapping *m)
{
	struct simd_id_req req = { .id = m->id };
	struct simd_remap_rep rep;
	int fd, rc;
	rc = sim_call(s, SIMD_OP_REMAP, &req, sizeof(req), &rep, sizeof(rep), false, &fd);
	if (rc < 0)
		return rc;
	if (fd < 0)
		return CAEC_E_PROTO;
	bool sealed = rep.flags & CAEC_GRANT_F_SEALED;
	rc = check_region_fd(fd, m->size, sealed);
	if (rc == 0)
		rc = map_fd_at(m->addr, m->size, fd, sealed ? CAEC_PERM_RO : CAEC_PERM_RW);
	close(fd);
	if (rc == 0 && sealed) {
		m->perm = CAEC_PERM_RO;
		m->flags |= CAEC_GRANT_F_SEALED;
	}
	return rc;
}

static int sim_seal(void *priv, struct caec_mapping *m, uint8_t *hash,
		    size_t cap)
{
	struct simd_id_req req = { .id = m->id };
	struct simd_seal_rep rep;
	int fd, rc;

	/* Drop our writable mapping first: the daemon can only seal the
	 * memfd against writes (F_SEAL_WRITE) when no writable shared
	 * mapping of it exists anywhere. */
	make_inaccessible(m->addr, m->size);
	/* The platform hashes the whole region: allow for it on top of the
	 * request timeout (1 s per 64 MiB, a slow hash). */
	struct sim *s = priv;
	uint64_t extra = (uint64_t)(m->size >> 26) * 1000u;
	uint64_t tmo = s->timeout_ms + extra;
	if (tmo > INT32_MAX)
		tmo = INT32_MAX;
	rc = sim_call_tmo(s, SIMD_OP_SEAL, &req, sizeof(req), &rep, sizeof(rep),
			  false, &fd, (uint32_t)tmo);
	if (rc < 0 || fd < 0 || rep.hash_len == 0 || rep.hash_len > cap ||
	    rep.hash_len > sizeof(rep.hash)) {
		if (rc >= 0) {
			rc = CAEC_E_PROTO;
			if (fd >= 0)
				close(fd);
		}
		/* Not sealed: the read-write mapping comes back. */
		if (remap(priv, m) < 0)
			return CAEC_E_PLATFORM;
		return rc;
	}
	rc = check_region_fd(fd, m->size, true);
	if (rc == 0)
		rc = map_fd_at(m->addr, m->size, fd, CAEC_PERM_RO);
	close(fd);
	if (rc < 0)
		return rc;
	m->perm = CAEC_PERM_RO;
	m->flags |= CAEC_GRANT_F_SEALED;
	m->hash_len = rep.hash_len;
	memcpy(m->hash, rep.hash, rep.hash_len);
	memcpy(hash, rep.hash, rep.hash_len);
	/* Sealed; but a consumer attached before (the seal by copy revoked
	 * it) was disconnected without confirming its unmap. */
	if (rep.flags & SIMD_SEAL_F_UNCONFIRMED)
		return CAEC_E_UNCONFIRMED;
	return (int)rep.hash_len;
}

/* ---- consumer ----------------------------------------------------------- */

/*
 * One GRANT_LIST_BATCH round trip per SIMD_GRANT_BATCH_MAX entries the
 * caller has room for (one to count when it has none): a list that fits
 * one reply is one snapshot.  The total is the last reply's.
 */
static int sim_grant_list(void *priv, struct caec_grant_info *out, size_t cap)
{
	unsigned char buf[SIMD_BLOB_MAX];
	struct simd_grant_batch_rep head;
	size_t got = 0;
	for (;;) {
		size_t want = cap - got;
		struct simd_grant_batch_req req = {
			.index = got,
			.max = (uint32_t)(want < SIMD_GRANT_BATCH_MAX ? want : SIMD_GRANT_BATCH_MAX),
		};
		int rc = sim_call(priv, SIMD_OP_GRANT_LIST_BATCH, &req, sizeof(req), buf,
				  sizeof(buf), true, NULL);
		if (rc < 0)
			return rc;
		if ((size_t)rc < sizeof(head))
			return CAEC_E_PROTO;
		memcpy(&head, buf, sizeof(head));
		if (head.count > req.max ||
		    (size_t)rc != sizeof(head) + head.count * sizeof(struct simd_grant_info_rep) ||
		    head.total > INT32_MAX)
			return CAEC_E_PROTO;
		for (uint32_t i = 0; i < head.count; i++) {
			struct simd_grant_info_rep e;
			memcpy(&e, buf + sizeof(head) + i * sizeof(e), sizeof(e));
			out[got + i] = (struct caec_grant_info){
				.grant_id = e.grant_id,
				.provider_id = e.provider,
				.size = e.size,
				.perm = e.perm,
				.flags = e.flags,
			};
		}
		got += head.count;
		/* Done when the caller is full, the list is, or it shrank. */
		if (got >= cap || got >= head.total || head.count == 0)
			return (int)head.total;
	}
}

static int sim_attach(void *priv, uint64_t grant_id,
		      const struct caec_attach_opts *opts, struct caec_mapping *m)
{
	struct simd_id_req ireq = { .id = grant_id };
	struct simd_grant_info_rep info;
	struct simd_attach_req req;
	struct simd_attach_rep rep;
	int fd, rc;

	/* Learn the size first: the range we reserve must match it. */
	rc = sim_call(priv, SIMD_OP_GRANT_INFO, &ireq, sizeof(ireq), &info,
		      sizeof(info), false, NULL);
	if (rc < 0)
		return rc;
	if (info.size == 0 || info.size % CAEC_GRANULE_SIZE ||
	    info.size > CAEC_REGION_MAX_SIZE)
		return CAEC_E_PROTO;
	void *base = reserve_va((size_t)info.size);
	if (!base)
		return CAEC_E_NOMEM;
	memset(&req, 0, sizeof(req));
	req.grant_id = grant_id;
	req.base = (uint64_t)(uintptr_t)base;
	req.size = info.size;
	if (opts && opts->hash_len) {
		req.hash_len = opts->hash_len;
		memcpy(req.hash, opts->expected_hash, opts->hash_len);
	}
	rc = sim_call(priv, SIMD_OP_ATTACH, &req, sizeof(req), &rep, sizeof(rep),
		      false, &fd);
	if (rc < 0)
		goto fail;
	if (fd < 0 || rep.size != info.size || rep.hash_len > sizeof(rep.hash) ||
	    (rep.perm != CAEC_PERM_RO && rep.perm != CAEC_PERM_RW)) {
		if (fd >= 0)
			close(fd);
		rc = CAEC_E_PROTO;
		goto fail_detach;
	}
	rc = check_region_fd(fd, info.size, rep.flags & CAEC_GRANT_F_SEALED);
	if (rc == 0)
		rc = map_fd_at(base, (size_t)info.size, fd, rep.perm);
	close(fd);
	if (rc < 0)
		goto fail_detach;
	m->addr = base;
	m->size = (size_t)info.size;
	m->perm = rep.perm;
	m->id = grant_id;
	m->provider = rep.provider;
	m->flags = rep.flags;
	m->hash_len = rep.hash_len;
	memcpy(m->hash, rep.hash, rep.hash_len);
	m->cookie = -1;
	return 0;
fail_detach:
	(void)sim_call(priv, SIMD_OP_DETACH, &ireq, sizeof(ireq), NULL, 0, false,
		       NULL);
fail:
	munmap(base, (size_t)info.size);
	return rc;
}

static int sim_detach(void *priv, const struct caec_mapping *m, bool revoked)
{
	munmap(m->addr, m->size);
	if (revoked)
		return 0;
	struct simd_id_req req = { .id = m->id };
	int rc = sim_call(priv, SIMD_OP_DETACH, &req, sizeof(req), NULL, 0,
			  false, NULL);
	/* Not attached any more: the platform took the attachment away and
	 * its REVOKED event has not been handled yet -- a seal by copy
	 * revokes it keeping the grant (STATE), a revoke or unshare racing
	 * this detach removed the grant (DENIED: a realm only ever detaches
	 * grants it attached).  Either way this realm holds nothing now. */
	if (rc == CAEC_E_STATE || rc == CAEC_E_DENIED)
		return 0;
	return rc < 0 ? rc : 0;
}

static void sim_unmap_revoked(void *priv, const struct caec_mapping *m)
{
	(void)priv;
	make_inaccessible(m->addr, m->size);
}

/* A read-only descriptor of m's memory for third-party code
 * (caec_region_export_fd(); the core checks it maps the same file). */
static int sim_export_fd(void *priv, const struct caec_mapping *m, bool provider,
			 int *out)
{
	struct simd_export_req req = { .id = m->id, .role = provider ? 0 : 1 };
	struct simd_export_rep rep;
	int fd;
	int rc = sim_call(priv, SIMD_OP_EXPORT, &req, sizeof(req), &rep, sizeof(rep),
			  false, &fd);
	if (rc < 0)
		return rc;
	if (fd < 0)
		return CAEC_E_PROTO;
	rc = rep.size == m->size ? check_region_fd(fd, m->size, rep.flags & CAEC_GRANT_F_SEALED)
				 : CAEC_E_PROTO;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

static int sim_attest_token(void *priv, const uint8_t challenge[64],
			    uint8_t *buf, size_t cap)
{
	struct simd_token_req req;
	memcpy(req.challenge, challenge, sizeof(req.challenge));
	uint8_t tmp[SIMD_BLOB_MAX];
	int rc = sim_call(priv, SIMD_OP_TOKEN, &req, sizeof(req), tmp,
			  sizeof(tmp), true, NULL);
	if (rc < 0)
		return rc;
	if ((size_t)rc > cap)
		return CAEC_E_MSGSIZE;
	memcpy(buf, tmp, (size_t)rc);
	return rc;
}

static int sim_platform_key(void *priv, uint8_t *buf, size_t cap)
{
	uint8_t tmp[SIMD_BLOB_MAX];
	int rc = sim_call(priv, SIMD_OP_PLATFORM_KEY, NULL, 0, tmp, sizeof(tmp),
			  true, NULL);
	if (rc < 0)
		return rc;
	if ((size_t)rc > cap)
		return CAEC_E_MSGSIZE;
	memcpy(buf, tmp, (size_t)rc);
	return rc;
}

/* The socket path sim_open() would connect to. */
static int sim_endpoint(const struct caec_config *cfg, char *buf, size_t cap)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	if (sim_socket_path(cfg->sim_socket, path, sizeof(path), NULL) < 0)
		return CAEC_E_INVAL; /* too long for a socket address */
	size_t n = strlen(path);
	if (n >= cap)
		return CAEC_E_RANGE;
	memcpy(buf, path, n + 1);
	return (int)n;
}

const struct caec_backend_ops caec_backend_sim = {
	.name = "sim",
	.endpoint = sim_endpoint,
	.open = sim_open,
	.close = sim_close,
	.share = sim_share,
	.grant = sim_grant,
	.revoke = sim_revoke,
	.unshare = sim_unshare,
	.seal = sim_seal,
	.grant_list = sim_grant_list,
	.attach = sim_attach,
	.detach = sim_detach,
	.unmap_revoked = sim_unmap_revoked,
	.export_fd = sim_export_fd,
	.attest_token = sim_attest_token,
	.platform_key = sim_platform_key,
	.event_fd = true,
};
