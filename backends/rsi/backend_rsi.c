/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RSI backend: libcaec on the real RMM.  Applications in a realm make
 * no RSI call themselves: the realm's CSM driver does, and this backend
 * speaks the driver's ABI (include/caec/abi/driver.h, docs/abi.md "The CSM
 * driver ABI") and nothing else, through a transport per kernel
 * (rsi_transport.h): svc to the caec realm kernel, or ioctl(2)/mmap(2) on a
 * Linux realm's /dev/caec (no such Linux driver exists yet; that path is
 * compiled, not run).  docs/backends.md maps each call.
 *
 * Events: the RMM announces no revocation; the driver finds it (an SEA on
 * an access, or its probe when asked for events) and queues REVOKED.  With
 * an event thread (Linux) the backend waits for events there, as the sim
 * backend does; a realm kernel's process has one thread, so the core asks
 * (ops->poll) at the top of the calls that must see a revocation.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <caec/abi/csm.h>
#include <caec/abi/driver.h>

#include <backend/backend.h>
#include <token/token.h>

#include "rsi.h"
#include "rsi_transport.h"

/* A permission from caec_grant() goes to the driver (and into x3 of
 * CSM_GRANT) unchanged, so it must be the ABI's value. */
_Static_assert(CAEC_PERM_RO == CAEC_CSM_PERM_RO && CAEC_PERM_RW == CAEC_CSM_PERM_RW,
	       "caec_grant() permissions are CSM_GRANT's x3 values");
_Static_assert(CAEC_GRANT_F_SEALED == CAEC_DRV_GRANT_F_SEALED &&
	       CAEC_GRANT_F_ATTACHED == CAEC_DRV_GRANT_F_ATTACHED,
	       "caec_grant_info flags are the driver's");
_Static_assert(CAEC_HASH_MAX == CAEC_DRV_HASH_MAX, "hash sizes");

/* How long the event thread blocks in one EVENT call (it re-checks stop). */
#define EVENT_WAIT_NS 100000000ll
/* Grants fetched per GRANT_LIST call. */
#define LIST_CHUNK 32u

struct rsi {
	struct caec_ctx *ctx;
	int fd;
	/* The event thread, if the platform has threads. */
	void *thread;
	volatile int stop;
	/* The platform key once checked (platform_key.c): it does not change
	 * while the realm runs.  key_len 0: not fetched yet. */
	pthread_mutex_t key_lock;
	int key_len;
	char key_pem[TOKEN_PEM_MAX];
};

int rsi_err(int e)
{
	switch (e) {
	case 0:
		return 0;
	case -CAEC_DRV_EINVAL:
	case -CAEC_DRV_EFAULT:
		return CAEC_E_INVAL;
	case -CAEC_DRV_ERANGE:
		return CAEC_E_RANGE;
	case -CAEC_DRV_ENOENT:
		return CAEC_E_NOENT;
	case -CAEC_DRV_EACCES:
		return CAEC_E_DENIED;
	case -CAEC_DRV_EBUSY:
		return CAEC_E_STATE;
	case -CAEC_DRV_ECANCELED:
		return CAEC_E_REVOKED;
	case -CAEC_DRV_EADDRINUSE:
		return CAEC_E_OVERLAP;
	case -CAEC_DRV_EPERM:
		return CAEC_E_PERM;
	case -CAEC_DRV_EEXIST:
		return CAEC_E_EXIST;
	case -CAEC_DRV_ENOMEM:
		return CAEC_E_NOMEM;
	case -CAEC_DRV_EAGAIN:
		return CAEC_E_BUSY;
	case -CAEC_DRV_EBADMSG:
		return CAEC_E_HASH;
	case -CAEC_DRV_ETIMEDOUT:
		return CAEC_E_TIMEDOUT;
	case -CAEC_DRV_EOPNOTSUPP:
		return CAEC_E_NOTSUP;
	case -CAEC_DRV_ENOTTY: /* a driver older than this library */
	case -CAEC_DRV_E2BIG:
		return CAEC_E_PROTO;
	default: /* EIO and anything else: the driver or RMM failed */
		return CAEC_E_PLATFORM;
	}
}

/* The config's device (caec_open() put CAEC_RSI_DEVICE there), or the
 * driver ABI's. */
static const char *device_path(const struct caec_config *cfg)
{
	if (cfg->rsi_device && *cfg->rsi_device)
		return cfg->rsi_device;
	return CAEC_DRV_DEVICE;
}

static int rsi_endpoint(const struct caec_config *cfg, char *buf, size_t cap)
{
	const char *p = device_path(cfg);
	size_t n = strlen(p);
	if (n >= cap || n > INT32_MAX)
		return CAEC_E_RANGE;
	memcpy(buf, p, n + 1);
	return (int)n;
}

/*
 * Every pending event of the file, reported to the core; the first wait
 * may block.  0 once none is pending, else the driver's error.
 */
static int drain_events(struct rsi *s, int64_t first_timeout_ns)
{
	int64_t timeout = first_timeout_ns;
	for (;;) {
		struct caec_drv_event_wait ev = { .size = sizeof(ev), .timeout_ns = timeout };
		int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_EVENT, &ev);
		if (rc == -CAEC_DRV_ETIMEDOUT)
			return 0; /* none pending */
		if (rc != 0)
			return rc;
		timeout = 0;
		if (ev.event.type == CAEC_DRV_EV_REVOKED)
			caec_priv_backend_event(s->ctx, CAEC_BEV_REVOKED, ev.event.id, 0);
		/* PEER_ATTACHED/DETACHED are reserved: the RMM reports neither. */
	}
}

static void *event_thread(void *arg)
{
	struct rsi *s = arg;
	while (!s->stop)
		if (drain_events(s, EVENT_WAIT_NS) != 0)
			break; /* the file is broken: calls fail on their own */
	return NULL;
}

static void rsi_poll(void *priv)
{
	struct rsi *s = priv;
	if (!s->thread)
		(void)drain_events(s, 0);
}

static void rsi_close(void *priv, bool forked)
{
	struct rsi *s = priv;
	if (!s)
		return;
	/* A forked child's copy: the event thread is the parent's, and the
	 * open file is shared with it (closing our descriptor only drops
	 * our reference; the parent's regions stay). */
	if (s->thread && !forked) {
		s->stop = 1;
		rsi_tr_thread_join(s->thread);
	}
	rsi_tr_close(s->fd); /* the last close: the driver unshares and detaches */
	pthread_mutex_destroy(&s->key_lock);
	free(s);
}

static int rsi_open(struct caec_ctx *ctx, const struct caec_config *cfg,
		    void **priv, uint64_t *self_id, uint32_t *flags)
{
	int fd = rsi_tr_open(device_path(cfg));
	if (fd < 0) {
		/* No device: not a realm with the CSM driver. */
		if (fd == -CAEC_DRV_ENOENT || fd == -CAEC_DRV_ENODEV)
			return CAEC_E_NOTSUP;
		return CAEC_E_PLATFORM;
	}
	struct caec_drv_version v = { .size = sizeof(v) };
	int rc = rsi_tr_ioctl(fd, CAEC_IOC_VERSION, &v);
	if (rc == 0 && v.abi_major != CAEC_DRV_ABI_MAJOR)
		rc = -CAEC_DRV_ENOTTY; /* another ABI: we cannot speak it */
	if (rc != 0) {
		rsi_tr_close(fd);
		/* ENOTTY: the node is not a CSM driver (or another version). */
		return rc == -CAEC_DRV_ENOTTY ? CAEC_E_PROTO : rsi_err(rc);
	}
	if (v.csm_highest == 0) {
		rsi_tr_close(fd); /* the driver runs on an RMM without CSM */
		return CAEC_E_NOTSUP;
	}
	struct caec_drv_realm_id id = { .size = sizeof(id) };
	rc = rsi_tr_ioctl(fd, CAEC_IOC_REALM_ID, &id);
	if (rc != 0) {
		rsi_tr_close(fd);
		return rsi_err(rc);
	}
	struct rsi *s = calloc(1, sizeof(*s));
	if (!s) {
		rsi_tr_close(fd);
		return CAEC_E_NOMEM;
	}
	s->ctx = ctx;
	s->fd = fd;
	if (pthread_mutex_init(&s->key_lock, NULL) != 0) {
		free(s);
		rsi_tr_close(fd);
		return CAEC_E_NOMEM;
	}
	if (rsi_tr_thread_start(event_thread, s, &s->thread) != 0)
		s->thread = NULL; /* one thread per process: ops->poll */
	*priv = s;
	*self_id = id.realm_id;
	*flags = 0; /* a realm's memory is isolated by the RMM, not by trust */
	return CAEC_OK;
}

/* Map what SHARE or ATTACH returned; register its doorbell words. */
static int map(struct rsi *s, struct caec_mapping *m, uint64_t off, bool rw,
	       bool provider)
{
	void *addr;
	int rc = rsi_tr_mmap(s->fd, m->size, rw, off, &addr);
	if (rc != 0)
		return rsi_err(rc);
	rc = rsi_words_add(addr, m->size, s->fd, m->id, provider);
	if (rc < 0) {
		(void)rsi_tr_munmap(addr, m->size);
		return rc;
	}
	m->addr = addr;
	return 0;
}

static void unmap(const struct caec_mapping *m)
{
	rsi_words_remove(m->addr);
	(void)rsi_tr_munmap(m->addr, m->size);
}

static int rsi_share(void *priv, size_t size, struct caec_mapping *m)
{
	struct rsi *s = priv;
	struct caec_drv_share a = { .size = sizeof(a), .length = size };
	int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_SHARE, &a);
	if (rc != 0)
		/* ENOMEM for a size beyond the driver's limit: a range error. */
		return rc == -CAEC_DRV_ENOMEM ? CAEC_E_RANGE : rsi_err(rc);
	m->size = size;
	m->perm = CAEC_PERM_RW;
	m->id = a.region_id;
	rc = map(s, m, a.mmap_offset, true, true);
	if (rc < 0) {
		struct caec_drv_unshare u = { .size = sizeof(u), .region_id = a.region_id };
		(void)rsi_tr_ioctl(s->fd, CAEC_IOC_UNSHARE, &u);
	}
	return rc;
}

static int rsi_grant(void *priv, uint64_t region_id, uint64_t consumer,
		     unsigned perm, const struct caec_grant_policy *policy,
		     uint64_t *grant_id)
{
	struct rsi *s = priv;
	struct caec_drv_grant a = {
		.size = sizeof(a),
		.region_id = region_id,
		.consumer_id = consumer,
		.perm = perm,
	};
	if (policy && policy->rim_len > 0) {
		/* The RMM compares a whole RIM: a SHA-256 or SHA-512 digest. */
		if (policy->rim_len == 32)
			a.hash_algo = CAEC_CSM_HASH_SHA256;
		else if (policy->rim_len == 64)
			a.hash_algo = CAEC_CSM_HASH_SHA512;
		else
			return CAEC_E_INVAL;
		a.rim_len = (uint16_t)policy->rim_len;
		memcpy(a.rim, policy->rim, policy->rim_len);
	}
	int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_GRANT, &a);
	if (rc != 0)
		return rsi_err(rc);
	*grant_id = a.grant_id;
	return 0;
}

static int rsi_revoke(void *priv, uint64_t region_id, uint64_t grant_id)
{
	struct rsi *s = priv;
	struct caec_drv_revoke a = { .size = sizeof(a), .region_id = region_id,
				     .grant_id = grant_id };
	return rsi_err(rsi_tr_ioctl(s->fd, CAEC_IOC_REVOKE, &a));
}

static int rsi_unshare(void *priv, const struct caec_mapping *m)
{
	struct rsi *s = priv;
	struct caec_drv_unshare a = { .size = sizeof(a), .region_id = m->id };
	unmap(m);
	return rsi_err(rsi_tr_ioctl(s->fd, CAEC_IOC_UNSHARE, &a));
}

static int rsi_seal(void *priv, struct caec_mapping *m, uint8_t *hash, size_t cap)
{
	struct rsi *s = priv;
	struct caec_drv_seal a = { .size = sizeof(a), .region_id = m->id };
	int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_SEAL, &a);
	if (rc != 0)
		return rsi_err(rc);
	if (a.hash_len == 0 || a.hash_len > sizeof(a.hash))
		return CAEC_E_PROTO;
	/* The driver remapped the region read-only at the same address. */
	m->perm = CAEC_PERM_RO;
	m->flags |= CAEC_GRANT_F_SEALED;
	m->hash_len = a.hash_len;
	memcpy(m->hash, a.hash, a.hash_len);
	if (a.hash_len > cap)
		return CAEC_E_RANGE;
	memcpy(hash, a.hash, a.hash_len);
	return (int)a.hash_len;
}

/*
 * One GRANT_LIST call when the caller's room (at most a chunk more than
 * the list) holds the whole list: one snapshot, written into a buffer of
 * this call's own (calls may run on several threads).  The driver's
 * entries are not caec_grant_info: converted here.
 */
static int rsi_grant_list(void *priv, struct caec_grant_info *out, size_t cap)
{
	struct rsi *s = priv;
	/* Always room for one entry: the driver gets a real array. */
	uint32_t room = cap < 1 ? 1 : cap < LIST_CHUNK ? (uint32_t)cap : LIST_CHUNK;
	for (;;) {
		struct caec_drv_grant_entry *e = calloc(room, sizeof(*e));
		if (!e)
			return CAEC_E_NOMEM;
		struct caec_drv_grant_list a = {
			.size = sizeof(a),
			.entries = (uint64_t)(uintptr_t)e,
			.capacity = room,
		};
		int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_GRANT_LIST, &a);
		if (rc != 0) {
			free(e);
			return rsi_err(rc);
		}
		if (a.count > INT32_MAX) {
			free(e);
			return CAEC_E_PROTO;
		}
		/* Everything the caller has room for is here: done. */
		if (a.count <= room || room >= cap) {
			size_t n = a.count < room ? a.count : room;
			if (n > cap)
				n = cap;
			for (size_t i = 0; i < n; i++)
				out[i] = (struct caec_grant_info){
					.grant_id = e[i].grant_id,
					.provider_id = e[i].provider_id,
					.size = e[i].length,
					.perm = e[i].perm,
					.flags = e[i].flags &
						 (CAEC_GRANT_F_SEALED | CAEC_GRANT_F_ATTACHED),
				};
			free(e);
			return (int)a.count;
		}
		free(e); /* longer than this room and the caller has more: again */
		uint64_t want = (uint64_t)a.count + LIST_CHUNK;
		room = want < cap ? (uint32_t)want : (uint32_t)(cap < UINT32_MAX ? cap : UINT32_MAX);
	}
}

static int rsi_attach(void *priv, uint64_t grant_id, const struct caec_attach_opts *opts,
		      struct caec_mapping *m)
{
	struct rsi *s = priv;
	struct caec_drv_attach a = { .size = sizeof(a), .grant_id = grant_id };
	if (opts && opts->hash_len > 0) {
		/* The RMM checks a whole SHA-256 or SHA-512 digest; any other
		 * length can never be a sealed region's hash. */
		if (opts->hash_len != 32 && opts->hash_len != 64)
			return CAEC_E_HASH;
		a.hash_len = opts->hash_len;
		memcpy(a.expected_hash, opts->expected_hash, opts->hash_len);
	}
	int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_ATTACH, &a);
	if (rc != 0)
		/* EBUSY here: this file is attached already (the core refuses
		 * a second handle first, so another process's file). */
		return rsi_err(rc);
	m->size = a.length;
	m->perm = a.perm;
	m->id = grant_id;
	m->provider = a.provider_id;
	m->flags = (a.attach_flags & CAEC_DRV_GRANT_F_SEALED) ? CAEC_GRANT_F_SEALED : 0;
	if (m->flags & CAEC_GRANT_F_SEALED)
		m->perm = CAEC_PERM_RO; /* sealed: read-only for everyone */
	rc = map(s, m, a.mmap_offset, m->perm == CAEC_PERM_RW, false);
	if (rc < 0) {
		struct caec_drv_detach d = { .size = sizeof(d), .grant_id = grant_id };
		(void)rsi_tr_ioctl(s->fd, CAEC_IOC_DETACH, &d);
	}
	return rc;
}

static int rsi_detach(void *priv, const struct caec_mapping *m, bool revoked)
{
	struct rsi *s = priv;
	struct caec_drv_detach a = { .size = sizeof(a), .grant_id = m->id };
	unmap(m);
	int rc = rsi_err(rsi_tr_ioctl(s->fd, CAEC_IOC_DETACH, &a));
	/* A grant the RMM took away since (revoke, unshare, the provider's
	 * death) is gone for this realm either way: DENIED only says so. */
	if (revoked || rc == CAEC_E_DENIED)
		return 0;
	return rc;
}

static void rsi_unmap_revoked(void *priv, const struct caec_mapping *m)
{
	(void)priv;
	(void)m;
	/* Nothing to do: the driver removed the mapping when it found the
	 * revocation, and keeps the range reserved (a stale pointer faults)
	 * until detach munmaps it. */
}

static int rsi_attest_token(void *priv, const uint8_t challenge[64], uint8_t *buf,
			    size_t cap)
{
	struct rsi *s = priv;
	struct caec_drv_attest a = {
		.size = sizeof(a),
		.token = (uint64_t)(uintptr_t)buf,
		.token_cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap,
	};
	memcpy(a.challenge, challenge, sizeof(a.challenge));
	int rc = rsi_tr_ioctl(s->fd, CAEC_IOC_ATTEST, &a);
	if (rc == -CAEC_DRV_ENOSPC)
		return CAEC_E_MSGSIZE; /* as caec_attest_token() documents */
	/* EOPNOTSUPP (an RMM without attestation tokens): CAEC_E_NOTSUP. */
	return rc != 0 ? rsi_err(rc) : (int)a.token_len;
}

static int rsi_platform_key(void *priv, uint8_t *buf, size_t cap)
{
	struct rsi *s = priv;
	int rc = 0;
	pthread_mutex_lock(&s->key_lock);
	if (s->key_len == 0) {
		rc = rsi_platform_key_fetch(s->fd, s->key_pem, sizeof(s->key_pem));
		if (rc > 0)
			s->key_len = rc;
	}
	if (rc >= 0) {
		rc = s->key_len;
		if ((size_t)rc > cap)
			rc = CAEC_E_MSGSIZE;
		else
			memcpy(buf, s->key_pem, (size_t)rc);
	}
	pthread_mutex_unlock(&s->key_lock);
	return rc;
}

const struct caec_backend_ops caec_backend_rsi = {
	.name = "rsi",
	.endpoint = rsi_endpoint,
	.open = rsi_open,
	.close = rsi_close,
	.share = rsi_share,
	.grant = rsi_grant,
	.revoke = rsi_revoke,
	.unshare = rsi_unshare,
	.seal = rsi_seal,
	.grant_list = rsi_grant_list,
	.attach = rsi_attach,
	.detach = rsi_detach,
	.unmap_revoked = rsi_unmap_revoked,
	.attest_token = rsi_attest_token,
	.platform_key = rsi_platform_key,
	.poll = rsi_poll,
	/* No caec_ctx_fd(): the RMM announces no grant (a consumer learns of
	 * one only by listing), the driver finds revocations only when asked
	 * or on an access, and a realm kernel's process has neither poll(2)
	 * nor a second thread to watch channels. */
	.event_fd = false,
	.revoked_before_event = true,
};
