/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where caec-simd listens.  Realms find the daemon by a path, so the path
 * is the daemon's identity: it must sit where nobody else can put a socket
 * first or swap it afterwards, and starting a second daemon must neither
 * steal it from the first nor delete it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockpath.h"
#include "listen.h"
#include "simd.h"

/* Take the lock file; -1 with a message if another daemon holds it. */
static int take_lock(struct simd *d)
{
	for (int tries = 0; tries < 5; tries++) {
		int fd = open(d->lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			fprintf(stderr, "caec-simd: %s: %s\n", d->lock_path, strerror(errno));
			return -1;
		}
		struct stat st, st2;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != d->euid) {
			fprintf(stderr, "caec-simd: %s is not a lock file of ours: not using it\n",
				d->lock_path);
			close(fd);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno == EWOULDBLOCK)
				fprintf(stderr, "caec-simd: another caec-simd is running on %s\n",
					d->sock_path);
			else
				fprintf(stderr, "caec-simd: flock %s: %s\n", d->lock_path,
					strerror(errno));
			close(fd);
			return -1;
		}
		/* The previous holder may have unlinked the file between our
		 * open and our flock: then we locked an orphan.  Retry. */
		if (stat(d->lock_path, &st2) == 0 && st2.st_dev == st.st_dev &&
		    st2.st_ino == st.st_ino) {
			d->lock_fd = fd;
			return 0;
		}
		close(fd);
	}
	fprintf(stderr, "caec-simd: cannot take %s\n", d->lock_path);
	return -1;
}

/* Is something listening on path?  (A daemon without our lock file.) */
static bool live_socket(const struct sockaddr_un *sa)
{
	int probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return false;
	bool live = connect(probe, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
		    errno == EAGAIN;
	close(probe);
	return live;
}

int simd_listen_open(struct simd *d, const char *path, bool default_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char why[512] = "";
	uid_t me = d->euid;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path) || strlen(path) >= sizeof(d->sock_path) ||
	    strlen(path) + 6 > sizeof(d->lock_path)) {
		fprintf(stderr, "caec-simd: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(d->sock_path, path, strlen(path) + 1);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	snprintf(d->lock_path, sizeof(d->lock_path), "%s.lock", path);

	if (default_path && !getenv("XDG_RUNTIME_DIR")) {
		/* The per-user default directory: create it private. */
		char dir[64];
		if (sim_default_dir(dir, sizeof(dir)) == 0 && mkdir(dir, 0700) < 0 &&
		    errno != EEXIST) {
			fprintf(stderr, "caec-simd: mkdir %s: %s\n", dir, strerror(errno));
			return -1;
		}
	}
	rc = sim_dir_trusted(path, &me, 1, default_path, why, sizeof(why));
	if (rc == -EACCES) {
		fprintf(stderr, "caec-simd: refusing %s: %s\n", path, why);
		return -1;
	}
	if (rc < 0) {
		fprintf(stderr, "caec-simd: socket directory of %s: %s\n", path,
			rc == -EPERM ? "permission denied on a directory on the way" : strerror(-rc));
		return -1;
	}
	if (take_lock(d) < 0)
		return -1;

	struct stat st;
	if (lstat(path, &st) == 0) {
		/* Only a socket of ours that nobody listens on is ours to
		 * remove (a daemon of ours that died).  Anything else stays:
		 * refuse to start rather than delete what we did not make. */
		if (!S_ISSOCK(st.st_mode) || st.st_uid != me) {
			fprintf(stderr, "caec-simd: %s exists and is not a socket of uid %u: "
				"not removing it\n", path, (unsigned)me);
			return -1;
		}
		if (live_socket(&sa)) {
			fprintf(stderr, "caec-simd: something is listening on %s: not replacing it\n",
				path);
			return -1;
		}
		if (unlink(path) < 0) {
			fprintf(stderr, "caec-simd: unlink %s: %s\n", path, strerror(errno));
			return -1;
		}
	} else if (errno != ENOENT) {
		fprintf(stderr, "caec-simd: %s: %s\n", path, strerror(errno));
		return -1;
	}

	d->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->listen_fd < 0) {
		perror("caec-simd: socket");
		return -1;
	}
	/* Before anyone can connect: connections inherit it, so no client
	 * ever gets a descriptor into our receive queues. */
	if (simd_refuse_descriptors(d->listen_fd) < 0)
		fprintf(stderr, "caec-simd: warning: this kernel cannot refuse descriptors sent "
			"by clients (SO_PASSRIGHTS, Linux 6.16): a client can stall the daemon "
			"with one whose close() blocks (docs/sim-platform.md)\n");
	mode_t old = umask(0077); /* owner only until the mode is set */
	rc = bind(d->listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0) {
		fprintf(stderr, "caec-simd: bind %s: %s\n", path, strerror(errno));
		close(d->listen_fd);
		d->listen_fd = -1;
		return -1;
	}
	if (lstat(path, &st) == 0) {
		d->sock_dev = st.st_dev;
		d->sock_ino = st.st_ino;
	}
	if ((d->o.socket_mode & 0777) != 0600 && chmod(path, d->o.socket_mode & 0777) < 0) {
		fprintf(stderr, "caec-simd: chmod %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (listen(d->listen_fd, 512) < 0) {
		perror("caec-simd: listen");
		return -1;
	}
	return 0;
}

void simd_listen_close(struct simd *d)
{
	struct stat st;
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		/* Remove the socket only if it is still the one we bound. */
		if (lstat(d->sock_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == d->sock_dev && st.st_ino == d->sock_ino)
			unlink(d->sock_path);
		d->listen_fd = -1;
	}
	if (d->lock_fd >= 0) {
		/* Unlinked while held: a daemon that opened it meanwhile sees
		 * the path changed after its flock and retries. */
		unlink(d->lock_path);
		close(d->lock_fd);
		d->lock_fd = -1;
	}
}
