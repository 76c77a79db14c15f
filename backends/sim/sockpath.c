/* SPDX-License-Identifier: Apache-2.0 */
#include "sockpath.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int sim_default_dir(char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "/tmp/caec-simd-%u", (unsigned)geteuid());
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int sim_socket_path(const char *explicit_path, char *buf, size_t cap,
		    bool *is_default)
{
	const char *p = explicit_path;
	char dir[64];
	int n;

	if (is_default)
		*is_default = false;
	if (!p || !*p)
		p = getenv("CAEC_SIM_SOCKET");
	if (p && *p) {
		n = snprintf(buf, cap, "%s", p);
	} else {
		const char *xdg = getenv("XDG_RUNTIME_DIR");
		if (is_default)
			*is_default = true;
		if (xdg && *xdg) {
			n = snprintf(buf, cap, "%s/" SIM_SOCKET_NAME, xdg);
		} else {
			if (sim_default_dir(dir, sizeof(dir)) < 0)
				return -ENAMETOOLONG;
			n = snprintf(buf, cap, "%s/" SIM_SOCKET_NAME, dir);
		}
	}
	if (n < 0 || (size_t)n >= cap ||
	    (size_t)n >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	return 0;
}

static bool trusted_uid(uid_t u, const uid_t *owners, size_t n)
{
	if (u == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (owners[i] == u)
			return true;
	return false;
}

static int say(char *why, size_t whylen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *why, size_t whylen, int rc, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* A failed look at a path: -ENOENT (not there), -EPERM (a directory on
 * the way cannot be searched; -EACCES means "not trusted" here), or
 * another -errno. */
static int look_errno(int e)
{
	if (e == ENOENT || e == ENOTDIR)
		return -ENOENT;
	return e == EACCES ? -EPERM : -e;
}

/*
 * Check the chain of directories of `abs` (absolute, no trailing name):
 * "/" and every prefix.  follow: stat (resolved chain) or lstat (as
 * written: symbolic links must be owned by a trusted user).
 */
static int check_chain(const char *abs, bool follow, const uid_t *owners,
		       size_t n, char *why, size_t whylen)
{
	char pre[PATH_MAX];
	size_t len = strlen(abs);
	if (len >= sizeof(pre))
		return -ENAMETOOLONG;
	for (size_t i = 0; i <= len; i++) {
		/* Examine "/" and each prefix ending before a '/' or at the end. */
		if (i != 0 && i != len && abs[i] != '/')
			continue;
		if (i != 0 && i != len && abs[i - 1] == '/')
			continue; /* "//" */
		size_t pl = i == 0 ? 1 : i;
		memcpy(pre, abs, pl);
		pre[pl] = '\0';
		struct stat st;
		if ((follow ? stat(pre, &st) : lstat(pre, &st)) < 0)
			return look_errno(errno);
		if (!trusted_uid(st.st_uid, owners, n))
			return say(why, whylen, -EACCES, "%s is owned by uid %u, not a trusted user",
				   pre, (unsigned)st.st_uid);
		if (S_ISLNK(st.st_mode))
			continue; /* owned by a trusted user; its target is the resolved chain's */
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		bool last = i == len;
		bool others_write = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
		if (others_write && (last || !(st.st_mode & S_ISVTX)))
			return say(why, whylen, -EACCES,
				   "%s is writable by group or others (mode %04o)", pre,
				   (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

int sim_dir_trusted(const char *path, const uid_t *owners, size_t n,
		    bool private_dir, char *why, size_t whylen)
{
	char abs[PATH_MAX], real[PATH_MAX];
	int rc;

	if (!path || !*path)
		return -EINVAL;
	if (path[0] == '/') {
		if (strlen(path) >= sizeof(abs))
			return -ENAMETOOLONG;
		memcpy(abs, path, strlen(path) + 1);
	} else {
		if (!getcwd(abs, sizeof(abs)))
			return -errno;
		size_t l = strlen(abs);
		if (l + 1 + strlen(path) >= sizeof(abs))
			return -ENAMETOOLONG;
		abs[l] = '/';
		memcpy(abs + l + 1, path, strlen(path) + 1);
	}
	/* The socket's directory: everything before the last '/'. */
	char *slash = strrchr(abs, '/');
	if (slash == abs)
		abs[1] = '\0';
	else
		*slash = '\0';
	rc = check_chain(abs, false, owners, n, why, whylen);
	if (rc < 0)
		return rc;
	if (!realpath(abs, real))
		return look_errno(errno);
	rc = check_chain(real, true, owners, n, why, whylen);
	if (rc < 0)
		return rc;
	if (private_dir) {
		struct stat st;
		if (stat(real, &st) < 0)
			return look_errno(errno);
		if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
			return say(why, whylen, -EACCES,
				   "%s must be owned by uid %u with mode 0700 (is uid %u, mode %04o)",
				   real, (unsigned)geteuid(), (unsigned)st.st_uid,
				   (unsigned)(st.st_mode & 07777));
	}
	return 0;
}
