/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd: the simulated RMM + host for developing caec realms on x86.
 * See docs/sim-platform.md for what it simulates, the trust model it
 * enforces and what it cannot.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <caec/version.h>

#include "sockpath.h"
#include "simd.h"
#include "token_glue.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: caec-simd [options]\n"
		"  -s, --socket PATH          listen here (default: $CAEC_SIM_SOCKET,\n"
		"                             $XDG_RUNTIME_DIR/caec-simd.sock, /tmp/caec-simd-<uid>/caec-simd.sock);\n"
		"                             its directory must not be writable by other users\n"
		"      --socket-mode MODE     socket permissions, octal (default 0600: this user only;\n"
		"                             0666 lets realms of other users connect)\n"
		"      --allow-insecure-realms  admit realms the daemon cannot isolate (same user as\n"
		"                             the daemon, root, capabilities that bypass file\n"
		"                             permissions, traced, running code another user can\n"
		"                             change, or in another PID namespace); tokens then\n"
		"                             report a debug platform and such realms are flagged\n"
		"                             (caec_ctx_flags)\n"
		"      --rpv SEL=HEX          realm personalization value for realms matching SEL\n"
		"                             (uid:N, exe:PATH or any); repeatable, first match wins\n"
		"  -t, --revoke-timeout-ms N  how long a consumer may take to unmap a revoked\n"
		"                             region before it is disconnected (default 5000)\n"
		"      --hello-timeout-ms N   connections that do not say HELLO within N ms are\n"
		"                             closed (default 5000)\n"
		"  -m, --max-region-mib N     largest region a realm may create, in MiB (default 4096)\n"
		"      --max-image-mib N      largest file measured at HELLO, in MiB (default 512)\n"
		"      --max-conns-per-uid N  connections per user (default 256)\n"
		"      --max-regions-per-uid N  regions provided by one user's realms (default 1024)\n"
		"      --max-pending-grants N grants one user's realms may leave unattached\n"
		"                             with one consumer realm (default 64)\n"
		"      --workers N            threads measuring and sealing (default 2)\n"
		"      --platform-key PEM     platform attestation key (P-384); generated if absent\n"
		"      --rak PEM              realm attestation key (P-384); generated if absent\n"
		"  -v, --verbose              log realms joining/leaving and disconnections\n"
		"  -h, --help                 this help\n"
		"      --version              print the version\n"
		"Runs in the foreground until SIGINT or SIGTERM.\n");
}

enum {
	OPT_VERSION = 256, OPT_PKEY, OPT_RAK, OPT_SOCKMODE, OPT_INSECURE, OPT_RPV,
	OPT_HELLO_TO, OPT_MAX_IMAGE, OPT_MAX_CONNS, OPT_MAX_REGIONS, OPT_MAX_PENDING,
	OPT_WORKERS,
};

/* A decimal number in [lo, hi], or exit 2 naming the option. */
static unsigned long long number(const char *name, const char *s,
				 unsigned long long lo, unsigned long long hi)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || !*s || v < lo || v > hi) {
		fprintf(stderr, "caec-simd: --%s must be %llu..%llu\n", name, lo, hi);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "socket-mode", required_argument, NULL, OPT_SOCKMODE },
		{ "allow-insecure-realms", no_argument, NULL, OPT_INSECURE },
		{ "rpv", required_argument, NULL, OPT_RPV },
		{ "revoke-timeout-ms", required_argument, NULL, 't' },
		{ "hello-timeout-ms", required_argument, NULL, OPT_HELLO_TO },
		{ "max-region-mib", required_argument, NULL, 'm' },
		{ "max-image-mib", required_argument, NULL, OPT_MAX_IMAGE },
		{ "max-conns-per-uid", required_argument, NULL, OPT_MAX_CONNS },
		{ "max-regions-per-uid", required_argument, NULL, OPT_MAX_REGIONS },
		{ "max-pending-grants", required_argument, NULL, OPT_MAX_PENDING },
		{ "workers", required_argument, NULL, OPT_WORKERS },
		{ "platform-key", required_argument, NULL, OPT_PKEY },
		{ "rak", required_argument, NULL, OPT_RAK },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 },
	};
	const char *sock = NULL, *pkey = NULL, *rak = NULL;
	static struct simd d;
	int c;

	d.o = (struct simd_opts){
		.revoke_timeout_ms = 5000,
		.hello_timeout_ms = 5000,
		.max_region_bytes = (uint64_t)4096 << 20,
		.max_image_bytes = (uint64_t)512 << 20,
		.max_conns_per_uid = 256,
		.max_regions_per_uid = 1024,
		.max_pending_grants = 64,
		.workers = 2,
		.socket_mode = 0600,
	};
	while ((c = getopt_long(argc, argv, "s:t:m:vh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case OPT_SOCKMODE: {
			char *end;
			unsigned long m = strtoul(optarg, &end, 8);
			if (*end || !*optarg || m > 0777 || (m & 0600) != 0600) {
				fprintf(stderr, "caec-simd: --socket-mode must be octal, 0600..0777\n");
				return 2;
			}
			d.o.socket_mode = (mode_t)m;
			break;
		}
		case OPT_INSECURE:
			d.o.allow_insecure = true;
			break;
		case OPT_RPV:
			if (simd_rpv_parse(&d.o, optarg) < 0) {
				fprintf(stderr, "caec-simd: --rpv %s: want uid:N=HEX, exe:PATH=HEX "
					"or any=HEX (up to 128 hex digits; PATH must exist)\n", optarg);
				return 2;
			}
			break;
		case 't':
			d.o.revoke_timeout_ms = (uint32_t)number("revoke-timeout-ms", optarg, 1, 600000);
			break;
		case OPT_HELLO_TO:
			d.o.hello_timeout_ms = (uint32_t)number("hello-timeout-ms", optarg, 1, 600000);
			break;
		case 'm':
			d.o.max_region_bytes = number("max-region-mib", optarg, 1, 1ull << 20) << 20;
			break;
		case OPT_MAX_IMAGE:
			d.o.max_image_bytes = number("max-image-mib", optarg, 1, 1ull << 20) << 20;
			break;
		case OPT_MAX_CONNS:
			d.o.max_conns_per_uid = (unsigned)number("max-conns-per-uid", optarg, 1, 1u << 20);
			break;
		case OPT_MAX_REGIONS:
			d.o.max_regions_per_uid = (unsigned)number("max-regions-per-uid", optarg, 1, 1u << 24);
			break;
		case OPT_MAX_PENDING:
			d.o.max_pending_grants = (unsigned)number("max-pending-grants", optarg, 1, 1u << 20);
			break;
		case OPT_WORKERS:
			d.o.workers = (unsigned)number("workers", optarg, 1, 64);
			break;
		case OPT_PKEY:
			pkey = optarg;
			break;
		case OPT_RAK:
			rak = optarg;
			break;
		case 'v':
			d.o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
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
	bool default_path = false;
	if (sim_socket_path(sock, path, sizeof(path), &default_path) < 0) {
		fprintf(stderr, "caec-simd: socket path too long\n");
		return 2;
	}

	/* SIGINT/SIGTERM are read from a signalfd (server.c). */
	signal(SIGPIPE, SIG_IGN);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);

	/* As many descriptors as we may have: every realm holds a few and
	 * every region one.  Limits per user keep one from taking them all. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}

	/* Not dumpable: other processes of this user cannot open our memfds
	 * through /proc/<pid>/fd or attach a debugger (root still can). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	int rc = 1;
	/* Keys first: a daemon that cannot attest must not start listening. */
	int trc = simd_token_init(&d, pkey, rak);
	if (trc < 0) {
		fprintf(stderr, "caec-simd: attestation keys: %s\n", caec_strerror(trc));
		return 1;
	}
	static volatile int stop_flag;
	if (simd_init(&d, path, default_path) < 0)
		goto out;
	fprintf(stderr, "caec-simd: listening on %s%s\n", path,
		d.o.allow_insecure ? " (admitting insecure realms: development only)" : "");
	rc = simd_run(&d, &stop_flag) < 0 ? 1 : 0;
	if (d.o.verbose)
		fprintf(stderr, "caec-simd: shutting down\n");
out:
	simd_fini(&d);
	simd_token_fini(&d);
	free(d.o.rpv);
	return rc;
}
