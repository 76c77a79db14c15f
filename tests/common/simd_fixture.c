/* SPDX-License-Identifier: Apache-2.0 */
#include "simd_fixture.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int connectable(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	int ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

static int start(struct caec_test_simd *s, const char *const *extra, bool secure)
{
	const char *exe = getenv("CAEC_SIMD");
	const char *tmp = getenv("TMPDIR");
	const char *argv[32];
	int argc = 0;

	memset(s, 0, sizeof(*s));
	if (!exe || !*exe) {
		fprintf(stderr, "fixture: CAEC_SIMD is not set (path of caec-simd)\n");
		return -1;
	}
	(void)tmp; /* TMPDIR may be too long for a socket path */
	snprintf(s->dir, sizeof(s->dir), "/tmp/caec-test-XXXXXX");
	if (!mkdtemp(s->dir)) {
		perror("fixture: mkdtemp");
		return -1;
	}
	snprintf(s->sock, sizeof(s->sock), "%s/simd.sock", s->dir);
	argv[argc++] = exe;
	argv[argc++] = "--socket";
	argv[argc++] = s->sock;
	if (secure) {
		if (chmod(s->dir, 0711) < 0) {
			perror("fixture: chmod");
			return -1;
		}
		argv[argc++] = "--socket-mode";
		argv[argc++] = "0666";
	} else {
		argv[argc++] = "--allow-insecure-realms";
	}
	for (int i = 0; extra && extra[i] && argc < 30; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;

	s->pid = fork();
	if (s->pid < 0) {
		perror("fixture: fork");
		return -1;
	}
	if (s->pid == 0) {
		/* Die with the test: a crashed test must not leave a daemon
		 * holding its output open (the harness would wait for it). */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		execv(exe, (char *const *)argv);
		perror("fixture: exec caec-simd");
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) { /* up to 10 s (sanitizer builds are slow) */
		if (connectable(s->sock)) {
			setenv("CAEC_SIM_SOCKET", s->sock, 1);
			return 0;
		}
		int st;
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			fprintf(stderr, "fixture: caec-simd exited early (status %d)\n", st);
			s->pid = 0;
			return -1;
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "fixture: caec-simd did not start listening\n");
	caec_test_kill_simd(s);
	return -1;
}

int caec_test_start_simd(struct caec_test_simd *s, const char *const *extra)
{
	return start(s, extra, false);
}

int caec_test_start_simd_secure(struct caec_test_simd *s, const char *const *extra)
{
	return start(s, extra, true);
}

int caec_test_drop_to(unsigned id)
{
	if (setgroups(0, NULL) < 0 || setresgid(id, id, id) < 0 ||
	    setresuid(id, id, id) < 0)
		return -1;
	/* The kernel made us non-dumpable for the credential change; a
	 * process that user started normally would be dumpable -- the state
	 * libcaec must protect a realm from. */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

unsigned caec_test_uid(unsigned k)
{
	/* Far above any real account; 16 per test process. */
	return 0x60000000u + ((unsigned)getpid() & 0xfffffu) * 16u + (k & 15u);
}

static void cleanup_dir(struct caec_test_simd *s)
{
	char lock[128];
	if (s->sock[0]) {
		unlink(s->sock);
		/* Left behind when the daemon was killed. */
		snprintf(lock, sizeof(lock), "%s.lock", s->sock);
		unlink(lock);
	}
	if (s->dir[0])
		rmdir(s->dir);
}

int caec_test_stop_simd(struct caec_test_simd *s)
{
	int st = 0, rc = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		for (int i = 0; i < 1000; i++) {
			pid_t w = waitpid(s->pid, &st, WNOHANG);
			if (w == s->pid) {
				rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
				break;
			}
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (rc == -1 && !WIFEXITED(st) && !WIFSIGNALED(st)) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, &st, 0);
		}
		s->pid = 0;
	}
	cleanup_dir(s);
	return rc;
}

void caec_test_kill_simd(struct caec_test_simd *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	cleanup_dir(s);
}
