/* SPDX-License-Identifier: Apache-2.0 */
/* Start and stop a private caec-simd for the CSM modes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

static bool can_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	bool ok = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(s);
	return ok;
}

int comm_simd_start(struct comm_simd *d, const char *exe, char *why,
		    size_t whylen)
{
	snprintf(d->dir, sizeof(d->dir), "/tmp/caec-bench-comm-XXXXXX");
	if (!mkdtemp(d->dir)) {
		snprintf(why, whylen, "mkdtemp: %s", strerror(errno));
		return -1;
	}
	snprintf(d->sock, sizeof(d->sock), "%s/simd.sock", d->dir);
	if (access(exe, X_OK) < 0) {
		snprintf(why, whylen, "%s: %s", exe, strerror(errno));
		rmdir(d->dir);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		rmdir(d->dir);
		return -1;
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);
		if (nul >= 0)
			dup2(nul, STDOUT_FILENO);
		/* The benchmark's realms run as the daemon's user: a
		 * development platform (docs/sim-platform.md). */
		execl(exe, exe, "--socket", d->sock, "--allow-insecure-realms",
		      (char *)NULL);
		_exit(127);
	}
	d->pid = pid;
	for (int i = 0; i < 500; i++) { /* up to 5 s */
		if (can_connect(d->sock))
			return 0;
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			snprintf(why, whylen, "%s exited (status %d)", exe, st);
			d->pid = -1;
			rmdir(d->dir);
			return -1;
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	snprintf(why, whylen, "%s did not accept connections", exe);
	comm_simd_stop(d);
	return -1;
}

void comm_simd_stop(struct comm_simd *d)
{
	if (d->pid <= 0)
		return;
	kill(d->pid, SIGTERM);
	int st;
	for (int i = 0; i < 300; i++) {
		if (waitpid(d->pid, &st, WNOHANG) == d->pid)
			goto gone;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &st, 0);
gone:
	d->pid = -1;
	unlink(d->sock);
	char lock[sizeof(d->sock) + 8];
	snprintf(lock, sizeof(lock), "%s.lock", d->sock);
	unlink(lock); /* left behind if it had to be killed */
	rmdir(d->dir);
}
