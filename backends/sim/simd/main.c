/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd: the simulated RMM + host for developing caec realms on x86.
 * See docs/sim-platform.md for what it simulates and what it cannot.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <caec/version.h>

#include "sockpath.h"
#include "simd.h"
#include "token_glue.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: caec-simd [options]\n"
		"  -s, --socket PATH          listen here (default: $CAEC_SIM_SOCKET,\n"
		"                             $XDG_RUNTIME_DIR/caec-simd.sock, /tmp/caec-simd-<uid>.sock)\n"
		"  -t, --revoke-timeout-ms N  how long a consumer may take to unmap a revoked\n"
		"                             region before it is disconnected (default 5000)\n"
		"  -m, --max-region-mib N     largest region a realm may create, in MiB\n"
		"                             (default 4096; sealing hashes it in the daemon)\n"
		"      --platform-key PEM     platform attestation key (P-384); generated if absent\n"
		"      --rak PEM              realm attestation key (P-384); generated if absent\n"
		"  -v, --verbose              log realms joining/leaving and disconnections\n"
		"  -h, --help                 this help\n"
		"      --version              print the version\n"
		"Runs in the foreground until SIGINT or SIGTERM.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "revoke-timeout-ms", required_argument, NULL, 't' },
		{ "max-region-mib", required_argument, NULL, 'm' },
		{ "platform-key", required_argument, NULL, 'P' },
		{ "rak", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	const char *sock = NULL, *pkey = NULL, *rak = NULL;
	unsigned long timeout = 5000;
	unsigned long long max_mib = 4096;
	bool verbose = false;
	int c;

	while ((c = getopt_long(argc, argv, "s:t:m:vh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 't': {
			char *end;
			timeout = strtoul(optarg, &end, 10);
			if (*end || timeout == 0 || timeout > 600000) {
				fprintf(stderr, "caec-simd: --revoke-timeout-ms must be 1..600000\n");
				return 2;
			}
			break;
		}
		case 'm': {
			char *end;
			max_mib = strtoull(optarg, &end, 10);
			if (*end || max_mib == 0 || max_mib > (1ull << 20)) {
				fprintf(stderr, "caec-simd: --max-region-mib must be 1..1048576\n");
				return 2;
			}
			break;
		}
		case 'P':
			pkey = optarg;
			break;
		case 'R':
			rak = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("caec-simd %s (protocol %u)\n", CAEC_VERSION_STRING, SIMD_PROTO_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	char path[108];
	if (sim_socket_path(sock, path, sizeof(path)) < 0) {
		fprintf(stderr, "caec-simd: socket path too long\n");
		return 2;
	}

	/* Signals are blocked except inside ppoll(), so a stop request is
	 * never lost between checking the flag and sleeping. */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);

	/* Not dumpable: other processes of this user cannot open our memfds
	 * through /proc/<pid>/fd or attach a debugger (root still can). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	struct simd d;
	memset(&d, 0, sizeof(d));
	d.verbose = verbose;
	d.max_region_bytes = (uint64_t)max_mib << 20;
	int rc = 1;
	/* Keys first: a daemon that cannot attest must not start listening. */
	int trc = simd_token_init(&d, pkey, rak);
	if (trc < 0) {
		fprintf(stderr, "caec-simd: attestation keys: %s\n", caec_strerror(trc));
		return 1;
	}
	if (simd_init(&d, path, (uint32_t)timeout) < 0)
		goto out;
	fprintf(stderr, "caec-simd: listening on %s\n", path);
	rc = simd_run(&d, (volatile int *)&stop_flag) < 0 ? 1 : 0;
	if (verbose)
		fprintf(stderr, "caec-simd: shutting down\n");
out:
	simd_fini(&d);
	simd_token_fini(&d);
	return rc;
}
