/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_open()'s configuration, resolved once: the caller's struct
 * caec_config (any size an older or newer caller compiled), then the
 * CAEC_* environment variables for what it left unset, checked here and
 * nowhere else.  Backends read the complete config and no variable of
 * their own, so a malformed variable is reported as such (CAEC_E_ENV,
 * naming it for caec_endpoint()) and never as a bad argument of a call
 * that passed none.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A CAEC_* variable's value, or NULL when unset or empty (which is how
 * the library has always read an empty variable: not set). */
static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static int bad_env(struct caec_priv_config *pc, const char *name)
{
	pc->bad = name;
	return CAEC_E_ENV;
}

/* A decimal number in [lo, hi] and nothing else. */
static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false; /* strtoull would take "-1" and " 1" */
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const struct caec_backend_ops *find_backend(const char *name)
{
	if (strcmp(name, "sim") == 0)
		return &caec_backend_sim;
	if (strcmp(name, "rsi") == 0)
		return &caec_backend_rsi;
	return NULL;
}

/* The backend a context uses when neither the config nor CAEC_BACKEND says. */
static const char *default_backend(void)
{
#if defined(__aarch64__)
	return "rsi";
#else
	return "sim";
#endif
}

int caec_priv_config(const struct caec_config *cfg, struct caec_priv_config *pc)
{
	struct caec_config def = { .size = sizeof(def) };
	struct caec_config *c = &pc->c;
	uint64_t v;

	memset(pc, 0, sizeof(*pc));
	if (!cfg)
		cfg = &def;
	/* Accept configs from older callers (smaller) and newer ones whose
	 * extra fields are all zero; a zero size is a caller bug. */
	if (cfg->size < offsetof(struct caec_config, timeout_ms) + sizeof(uint32_t))
		return CAEC_E_INVAL;
	if (cfg->size > sizeof(*c)) {
		const unsigned char *extra = (const unsigned char *)cfg + sizeof(*c);
		for (size_t i = 0; i < cfg->size - sizeof(*c); i++)
			if (extra[i])
				return CAEC_E_INVAL;
	}
	/* An older caller's config is shorter: copy what it has, the rest
	 * of ours stays zero (default). */
	memcpy(c, cfg, cfg->size < sizeof(*c) ? cfg->size : sizeof(*c));
	c->size = sizeof(*c);
	if (c->flags & ~CAEC_CONFIG_F_SIM_DAEMON_UID)
		return CAEC_E_INVAL;
	/* One unit for time in the API (ns); timeout_ms is the old field. */
	if (c->timeout_ns < 0 || c->timeout_ns > CAEC_PRIV_TIMEOUT_MAX_NS ||
	    (c->timeout_ns && c->timeout_ms) ||
	    (uint64_t)c->timeout_ms * 1000000u > (uint64_t)CAEC_PRIV_TIMEOUT_MAX_NS)
		return CAEC_E_INVAL;
	if (c->timeout_ms) {
		c->timeout_ns = (int64_t)c->timeout_ms * 1000000;
		c->timeout_ms = 0;
	}

	/* The backend: the config's name is an argument, the variable's is
	 * the environment's. */
	const char *name = c->backend && *c->backend ? c->backend : NULL;
	if (name) {
		pc->ops = find_backend(name);
		if (!pc->ops)
			return CAEC_E_INVAL;
	} else if ((name = env("CAEC_BACKEND")) != NULL) {
		pc->ops = find_backend(name);
		if (!pc->ops)
			return bad_env(pc, "CAEC_BACKEND");
	} else {
		pc->ops = find_backend(default_backend());
	}
	c->backend = pc->ops->name;

	const char *s;
	if (!c->timeout_ns && (s = env("CAEC_TIMEOUT_MS")) != NULL) {
		if (!parse_u64(s, 1, (uint64_t)(CAEC_PRIV_TIMEOUT_MAX_NS / 1000000), &v))
			return bad_env(pc, "CAEC_TIMEOUT_MS");
		c->timeout_ns = (int64_t)v * 1000000;
	}
	if (!(c->platform_key_file && *c->platform_key_file) &&
	    (s = env("CAEC_PLATFORM_KEY")) != NULL) {
		/* Readable now, or the variable names nothing we can use. */
		int fd = open(s, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return bad_env(pc, "CAEC_PLATFORM_KEY");
		close(fd);
		c->platform_key_file = s;
		pc->key_from_env = true;
	}
	if (pc->ops == &caec_backend_sim) {
		if (!(c->sim_socket && *c->sim_socket) &&
		    (s = env("CAEC_SIM_SOCKET")) != NULL) {
			c->sim_socket = s;
			pc->socket_from_env = true;
		}
		if (!(c->flags & CAEC_CONFIG_F_SIM_DAEMON_UID) &&
		    (s = env("CAEC_SIM_DAEMON_UID")) != NULL) {
			if (!parse_u64(s, 0, UINT32_MAX - 1, &v))
				return bad_env(pc, "CAEC_SIM_DAEMON_UID");
			c->sim_daemon_uid = (uint32_t)v;
			c->flags |= CAEC_CONFIG_F_SIM_DAEMON_UID;
		}
	} else if (!(c->rsi_device && *c->rsi_device) &&
		   (s = env("CAEC_RSI_DEVICE")) != NULL) {
		c->rsi_device = s;
	}
	/* The endpoint must be nameable (a socket path fits a sockaddr_un). */
	if (pc->ops->endpoint) {
		int rc = pc->ops->endpoint(c, pc->endpoint, sizeof(pc->endpoint));
		if (rc == CAEC_E_INVAL && pc->socket_from_env)
			return bad_env(pc, "CAEC_SIM_SOCKET");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int caec_endpoint(const struct caec_config *cfg, char *buf, size_t cap)
{
	struct caec_priv_config pc;
	if (!buf || cap == 0)
		return CAEC_E_INVAL;
	int rc = caec_priv_config(cfg, &pc);
	const char *out = pc.endpoint;
	if (rc == CAEC_E_ENV)
		out = pc.bad;
	else if (rc < 0)
		return rc;
	else if (!pc.ops->endpoint)
		return CAEC_E_NOTSUP;
	size_t n = strlen(out);
	if (rc == CAEC_E_ENV) {
		/* The error is the news: the name goes in as far as it fits. */
		if (n >= cap)
			n = cap - 1;
		memcpy(buf, out, n);
		buf[n] = '\0';
		return rc;
	}
	if (n >= cap || n > INT32_MAX)
		return CAEC_E_RANGE;
	memcpy(buf, out, n + 1);
	return (int)n;
}
