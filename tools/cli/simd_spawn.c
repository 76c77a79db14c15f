/* SPDX-License-Identifier: Apache-2.0 */
/* A private caec-simd: see simd_spawn.h. */
#include "simd_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *simd_spawn_exe(const char *given, const char *built)
{
	if (given && *given)
		return given;
	const char *env = getenv("CAEC_SIMD");
	if (env && *env)
		return env;
	if (built && *built && access(built, X_OK) == 0)
		return built;
	return "caec-simd";
}

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

static void sleep_10ms(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

int simd_spawn_start(struct simd_spawn *d, const char *exe, const char *tag,
		     char *why, size_t whylen)
{
	d->pid = -1;
	snprintf(d->dir, sizeof(d->dir), "/tmp/caec-%.20s-XXXXXX", tag);
	if (!mkdtemp(d->dir)) {
		snprintf(why, whylen, "mkdtemp %s: %s", d->dir, strerror(errno));
		d->dir[0] = '\0';
		return -1;
	}
	snprintf(d->sock, sizeof(d->sock), "%s/simd.sock", d->dir);
	if (strchr(exe, '/') && access(exe, X_OK) < 0) {
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
		execlp(exe, exe, "--socket", d->sock, "--allow-insecure-realms",
		       (char *)NULL);
		_exit(127);
	}
	d->pid = pid;
	for (int i = 0; i < 500; i++) { /* up to 5 s */
		if (can_connect(d->sock))
			return 0;
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
				snprintf(why, whylen, "cannot run %s (not found?)", exe);
			else
				snprintf(why, whylen, "%s exited (status %d)", exe, st);
			d->pid = -1;
			rmdir(d->dir);
			return -1;
		}
		sleep_10ms();
	}
	snprintf(why, whylen, "%s did not accept connections within 5 s", exe);
	simd_spawn_stop(d);
	return -1;
}

void simd_spawn_stop(struct simd_spawn *d)
{
	if (d->pid <= 0)
		return;
	kill(d->pid, SIGTERM);
	int st;
	bool gone = false;
	for (int i = 0; i < 300 && !gone; i++) {
		gone = waitpid(d->pid, &st, WNOHANG) == d->pid;
		if (!gone)
			sleep_10ms();
	}
	if (!gone) {
		kill(d->pid, SIGKILL);
		waitpid(d->pid, &st, 0);
	}
	d->pid = -1;
	unlink(d->sock);
	char lock[sizeof(d->sock) + 8];
	snprintf(lock, sizeof(lock), "%s.lock", d->sock);
	unlink(lock); /* left behind if it had to be killed */
	rmdir(d->dir);
}
