/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd: the simulated RMM + host for developing caec realms on x86.
 * See docs/sim-platform.md for what it simulates, the trust model it
 * enforces and what it cannot.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <caec/version.h>

#include "notify.h"
#include "cli.h"
#include "sockpath.h"
#include "simd.h"
#include "token_glue.h"

enum {
	OPT_SOCKET = 's', OPT_REVOKE_TO = 't', OPT_MAX_REGION = 'm', OPT_VERBOSE = 'v',
	OPT_PKEY = 256, OPT_RAK, OPT_SOCKMODE, OPT_INSECURE, OPT_RPV, OPT_HELLO_TO,
	OPT_MAX_IMAGE, OPT_MAX_CONNS, OPT_MAX_REGIONS, OPT_MAX_PENDING, OPT_WORKERS,
};

static const struct cli_opt opts[] = {
	{ "socket", OPT_SOCKET, "PATH",
	  "listen here (default: $CAEC_SIM_SOCKET, else "
	  "$XDG_RUNTIME_DIR/caec-simd.sock, else /tmp/caec-simd-<uid>/caec-simd.sock); "
	  "its directory must not be writable by other users" },
	{ "socket-mode", OPT_SOCKMODE, "MODE",
	  "socket permissions, octal, 0600..0777 (default 0600: this user only; "
	  "0666 lets realms of other users connect)" },
	{ "allow-insecure-realms", OPT_INSECURE, NULL,
	  "admit realms the daemon cannot isolate (same user as the daemon, root, "
	  "capabilities that bypass file permissions, traced, running code another "
	  "user can change, or in another PID namespace); tokens then report a debug "
	  "platform and such realms are flagged (caec_ctx_flags) (default: refused)" },
	{ "rpv", OPT_RPV, "SEL=HEX",
	  "realm personalization value (up to 128 hex digits) for realms matching "
	  "SEL: uid:N, exe:PATH or any; repeatable, the first match wins "
	  "(default: none, an RPV of zeros)" },
	{ "revoke-timeout-ms", OPT_REVOKE_TO, "N",
	  "how long a consumer may take to unmap a revoked region before it is "
	  "disconnected, 1..600000 ms (default 5000)" },
	{ "hello-timeout-ms", OPT_HELLO_TO, "N",
	  "connections that do not say HELLO within N ms are closed, 1..600000 "
	  "(default 5000)" },
	{ "max-region-mib", OPT_MAX_REGION, "N",
	  "largest region a realm may create, in MiB (default 4096)" },
	{ "max-image-mib", OPT_MAX_IMAGE, "N",
	  "largest program file measured at HELLO, in MiB (default 512)" },
	{ "max-conns-per-uid", OPT_MAX_CONNS, "N", "connections per user (default 256)" },
	{ "max-regions-per-uid", OPT_MAX_REGIONS, "N",
	  "regions provided by one user's realms (default 1024)" },
	{ "max-pending-grants", OPT_MAX_PENDING, "N",
	  "grants one user's realms may leave unattached with one consumer realm "
	  "(default 64)" },
	{ "workers", OPT_WORKERS, "N", "threads measuring and sealing, 1..64 (default 2)" },
	{ "platform-key", OPT_PKEY, "PEM",
	  "platform attestation key, P-384 (default: generated at start)" },
	{ "rak", OPT_RAK, "PEM", "realm attestation key, P-384 (default: generated at start)" },
	{ "verbose", OPT_VERBOSE, NULL, "log realms joining and leaving, and disconnections" },
	{ NULL },
};

static struct cli cli = {
	.prog = "caec-simd",
	.usage = "[options]",
	.about = "The simulated RMM and host for developing caec realms on one machine: "
		 "realms are processes that connect to it (docs/sim-platform.md: what it "
		 "simulates, its trust model, its limits).  Runs in the foreground until "
		 "SIGINT or SIGTERM; logs to stderr.",
	.opts = opts,
	.footer = "Exit status: 0 stopped by SIGINT or SIGTERM; 1 could not start (keys, "
		  "socket) or failed; 2 usage error.",
};

int main(int argc, char **argv)
{
	const char *sock = NULL, *pkey = NULL, *rak = NULL, *arg;
	static struct simd d;
	int c;
	char note[32];

	snprintf(note, sizeof(note), "(protocol %u)", SIMD_PROTO_VERSION);
	cli.version_note = note;
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
	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_SOCKET:
			sock = arg;
			break;
		case OPT_SOCKMODE: {
			char *end;
			unsigned long m = strtoul(arg, &end, 8);
			if (*end || !*arg || *arg == '-' || m > 0777 || (m & 0600) != 0600)
				cli_usage_error(&cli, "--socket-mode: '%s' is not octal 0600..0777 "
						"with the owner's read and write bits", arg);
			d.o.socket_mode = (mode_t)m;
			break;
		}
		case OPT_INSECURE:
			d.o.allow_insecure = true;
			break;
		case OPT_RPV:
			if (simd_rpv_parse(&d.o, arg) < 0)
				cli_usage_error(&cli, "--rpv: '%s': want uid:N=HEX, exe:PATH=HEX or "
						"any=HEX (up to 128 hex digits; PATH must exist)", arg);
			break;
		case OPT_REVOKE_TO:
			d.o.revoke_timeout_ms =
				(uint32_t)cli_uint(&cli, "--revoke-timeout-ms", arg, 1, 600000);
			break;
		case OPT_HELLO_TO:
			d.o.hello_timeout_ms =
				(uint32_t)cli_uint(&cli, "--hello-timeout-ms", arg, 1, 600000);
			break;
		case OPT_MAX_REGION:
			d.o.max_region_bytes = cli_uint(&cli, "--max-region-mib", arg, 1, 1ull << 20)
					       << 20;
			break;
		case OPT_MAX_IMAGE:
			d.o.max_image_bytes = cli_uint(&cli, "--max-image-mib", arg, 1, 1ull << 20)
					      << 20;
			break;
		case OPT_MAX_CONNS:
			d.o.max_conns_per_uid =
				(unsigned)cli_uint(&cli, "--max-conns-per-uid", arg, 1, 1u << 20);
			break;
		case OPT_MAX_REGIONS:
			d.o.max_regions_per_uid =
				(unsigned)cli_uint(&cli, "--max-regions-per-uid", arg, 1, 1u << 24);
			break;
		case OPT_MAX_PENDING:
			d.o.max_pending_grants =
				(unsigned)cli_uint(&cli, "--max-pending-grants", arg, 1, 1u << 20);
			break;
		case OPT_WORKERS:
			d.o.workers = (unsigned)cli_uint(&cli, "--workers", arg, 1, 64);
			break;
		case OPT_PKEY:
			pkey = arg;
			break;
		case OPT_RAK:
			rak = arg;
			break;
		case OPT_VERBOSE:
			d.o.verbose = true;
			break;
		}
	}
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);

	char path[108];
	bool default_path = false;
	if (sim_socket_path(sock, path, sizeof(path), &default_path) < 0) {
		cli_usage_error(&cli, "%s: the socket path is too long (at most 107 bytes)",
				sock ? "--socket" : "$CAEC_SIM_SOCKET or $XDG_RUNTIME_DIR");
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
	/* Under systemd (Type=notify): realms can connect from now on. */
	(void)simd_notify("READY=1");
	rc = simd_run(&d, &stop_flag) < 0 ? 1 : 0;
	(void)simd_notify("STOPPING=1");
	if (d.o.verbose)
		fprintf(stderr, "caec-simd: shutting down\n");
out:
	simd_fini(&d);
	simd_token_fini(&d);
	free(d.o.rpv);
	return rc;
}
