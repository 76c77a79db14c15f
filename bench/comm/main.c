/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-bench-comm: CAEC's confidential shared memory against what realms
 * must do today (hypervisor-visible memory + AES-GCM, sockets, vsock), all
 * modes in one run on one machine.  See docs/benchmarks.md.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "comm.h"
#include "report.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: caec-bench-comm [options]\n"
		"  --quick            CI smoke: few sizes and repetitions (< 1 min)\n"
		"  --out DIR          results directory (default bench/out/comm under\n"
		"                     $CAEC_SOURCE_ROOT, else ./bench/out/comm)\n"
		"  --modes LIST       comma-separated modes (default: all)\n"
		"  --sizes LIST       comma-separated sizes, K/M suffixes allowed\n"
		"                     (default 64..16M powers of two; quick: 64,1K,8K,32K,256K)\n"
		"  --reps N           stop-and-wait repetitions up to 32 KiB (default 1000)\n"
		"  --rounds N         run every mode N times, modes interleaved; per size\n"
		"                     keep the round with the lowest median (default 1)\n"
		"  --mode-major       run each mode over all sizes in one process pair\n"
		"                     (default: size-major, every mode per size)\n"
		"  --cpus A,B         sender and receiver CPU (default: first two allowed)\n"
		"  --simd PATH        caec-simd to start (default $CAEC_SIMD, else the build's)\n"
		"  --sim-socket PATH  use a running caec-simd (default $CAEC_SIM_SOCKET;\n"
		"                     if unset a private daemon is started and stopped)\n"
		"  --no-pipelined     skip the pipelined phase\n"
		"  --no-plots         do not run gnuplot\n"
		"  --no-limits        do not measure the machine's limits nor the\n"
		"                     ping-pong before each run (functional runs:\n"
		"                     each costs ~10^5 spinning round trips)\n"
		"  --vsock-peer CID:PORT  receiver of the vsock-host mode (a\n"
		"                     --serve-vsock elsewhere; CID 2 = this VM's host);\n"
		"                     adds vsock-host to the default modes\n"
		"  --serve-vsock PORT be the vsock-host receiver: listen on AF_VSOCK\n"
		"                     port PORT and serve runs until killed\n"
		"  --list             list modes and exit\n");
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end == 'B')
		end++;
	if (*end || v < 16 || v > ((size_t)1 << 30))
		return -1;
	*out = (size_t)v;
	return 0;
}

static int parse_sizes(char *list, size_t **out, size_t *n)
{
	size_t cap = 8, k = 0;
	size_t *v = malloc(cap * sizeof(*v));
	for (char *tok = strtok(list, ","); tok && v; tok = strtok(NULL, ",")) {
		if (k == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		if (!v || parse_size(tok, &v[k]) < 0) {
			fprintf(stderr, "bad size '%s'\n", tok);
			free(v);
			return -1;
		}
		k++;
	}
	*out = v;
	*n = k;
	return v && k ? 0 : -1;
}

static void pick_cpus(int *a, int *b)
{
	cpu_set_t set;
	*a = *b = -1;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		if (*a < 0)
			*a = c;
		else if (*b < 0) {
			*b = c;
			break;
		}
	}
	if (*b < 0)
		*a = -1; /* one CPU: do not pin, both share it */
}

static int mkdir_p(const char *path)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "out", required_argument, NULL, 'o' },
		{ "modes", required_argument, NULL, 'm' },
		{ "sizes", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "mode-major", no_argument, NULL, 'M' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "simd", required_argument, NULL, 'S' },
		{ "sim-socket", required_argument, NULL, 'k' },
		{ "no-pipelined", no_argument, NULL, 'P' },
		{ "no-plots", no_argument, NULL, 'G' },
		{ "no-limits", no_argument, NULL, 'L' },
		{ "vsock-peer", required_argument, NULL, 'V' },
		{ "serve-vsock", required_argument, NULL, 'W' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool quick = false, pipelined = true, plots = true, limits = true;
	char *modes_arg = NULL, *sizes_arg = NULL;
	const char *out = NULL, *simd = NULL, *sock = NULL;
	unsigned reps = 1000;
	bool reps_set = false;
	unsigned rounds = 1;
	bool mode_major = false;
	int cpu_a = -2, cpu_b = -2;
	unsigned peer_cid = 0, peer_port = 0, serve_port = 0;
	int c;
	char cmdline[512] = "";

	/* before getopt/strtok touch argv */
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(cmdline);
		snprintf(cmdline + n, sizeof(cmdline) - n, "%s%s", i ? " " : "",
			 i ? argv[i] : "caec-bench-comm");
	}
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'q': quick = true; break;
		case 'o': out = optarg; break;
		case 'm': modes_arg = optarg; break;
		case 's': sizes_arg = optarg; break;
		case 'r':
			reps = (unsigned)strtoul(optarg, NULL, 0);
			reps_set = true;
			break;
		case 'c':
			if (sscanf(optarg, "%d,%d", &cpu_a, &cpu_b) != 2) {
				usage(stderr);
				return 2;
			}
			break;
		case 'R': rounds = (unsigned)strtoul(optarg, NULL, 0); break;
		case 'M': mode_major = true; break;
		case 'S': simd = optarg; break;
		case 'k': sock = optarg; break;
		case 'P': pipelined = false; break;
		case 'G': plots = false; break;
		case 'L': limits = false; break;
		case 'V':
			if (sscanf(optarg, "%u:%u", &peer_cid, &peer_port) != 2 ||
			    peer_port == 0) {
				fprintf(stderr, "--vsock-peer wants CID:PORT, "
					"e.g. 2:5000\n");
				return 2;
			}
			break;
		case 'W':
			if (sscanf(optarg, "%u", &serve_port) != 1 ||
			    serve_port == 0) {
				fprintf(stderr, "--serve-vsock wants a port\n");
				return 2;
			}
			break;
		case 'l':
			for (size_t i = 0; comm_modes[i]; i++)
				printf("%-20s %s\n", comm_modes[i]->name,
				       comm_modes[i]->what);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || reps == 0 || rounds == 0 || rounds > COMM_MAX_ROUNDS) {
		usage(stderr);
		return 2;
	}
	if (serve_port) {
		/* the receiver of the vsock-host mode; it measures nothing */
		setvbuf(stdout, NULL, _IOLBF, 0);
		int rc = comm_remote_serve_vsock(&comm_mode_vsock_host,
						 serve_port);
		fprintf(stderr, "caec-bench-comm: --serve-vsock %u: %s\n",
			serve_port, strerror(-rc));
		return 1;
	}

	/* modes */
	const struct comm_mode_ops *sel[16];
	size_t nsel = 0;
	if (modes_arg) {
		for (char *t = strtok(modes_arg, ","); t; t = strtok(NULL, ",")) {
			const struct comm_mode_ops *m = comm_mode_find(t);
			if (!m || nsel == 16) {
				fprintf(stderr, "unknown mode '%s' (--list)\n", t);
				return 2;
			}
			sel[nsel++] = m;
		}
	} else {
		/* remote modes need a receiver somewhere else: only with one */
		for (size_t i = 0; comm_modes[i] && nsel < 16; i++)
			if (!comm_modes[i]->remote || peer_port)
				sel[nsel++] = comm_modes[i];
	}

	/* sizes */
	size_t *sizes = NULL, nsizes = 0;
	if (sizes_arg) {
		if (parse_sizes(sizes_arg, &sizes, &nsizes) < 0)
			return 2;
	} else if (quick) {
		static const size_t q[] = { 64, 1024, 8192, 32768, 262144 };
		nsizes = sizeof(q) / sizeof(q[0]);
		sizes = malloc(sizeof(q));
		memcpy(sizes, q, sizeof(q));
	} else {
		sizes = malloc(20 * sizeof(*sizes));
		for (size_t s = 64; s <= ((size_t)16 << 20); s *= 2)
			sizes[nsizes++] = s;
	}
	size_t max_msg = 0;
	for (size_t i = 0; i < nsizes; i++)
		if (sizes[i] > max_msg)
			max_msg = sizes[i];
	if (quick && !reps_set)
		reps = 100;

	struct comm_opts opts = { .max_msg = max_msg };
	opts.ring_bytes = 4 * max_msg + 4096;
	if (opts.ring_bytes < ((size_t)4 << 20))
		opts.ring_bytes = (size_t)4 << 20;
	if (opts.ring_bytes > ((size_t)64 << 20) + 8192)
		opts.ring_bytes = ((size_t)64 << 20) + 8192;
	opts.max_slots = 64;
	if (cpu_a == -2)
		pick_cpus(&cpu_a, &cpu_b);
	opts.cpu_tx = cpu_a;
	opts.cpu_rx = cpu_b;
	opts.vsock_peer_cid = peer_cid;
	opts.vsock_peer_port = peer_port;

	struct comm_plan plan = {
		.sizes = sizes, .nsizes = nsizes, .quick = quick,
		.reps_small = reps, .pipelined = pipelined, .rounds = rounds,
		.size_major = !mode_major,
	};

	/* output directory */
	char outbuf[1024];
	if (!out) {
		const char *root = getenv("CAEC_SOURCE_ROOT");
		snprintf(outbuf, sizeof(outbuf), "%s/bench/out/comm",
			 root ? root : ".");
		out = outbuf;
	}
	if (mkdir_p(out) < 0) {
		fprintf(stderr, "cannot create %s: %s\n", out, strerror(errno));
		return 1;
	}

	/* the sim platform, for the CSM modes */
	struct comm_simd daemon = { .pid = -1 };
	bool need_csm = false;
	for (size_t i = 0; i < nsel; i++)
		if (strncmp(sel[i]->name, "csm-", 4) == 0)
			need_csm = true;
	if (!sock)
		sock = getenv("CAEC_SIM_SOCKET");
	char simd_why[200] = "";
	if (need_csm && !sock) {
		if (!simd)
			simd = getenv("CAEC_SIMD");
#ifdef COMM_SIMD_PATH
		if (!simd)
			simd = COMM_SIMD_PATH;
#endif
		if (!simd)
			snprintf(simd_why, sizeof(simd_why),
				 "no caec-simd (--simd / CAEC_SIMD)");
		else if (comm_simd_start(&daemon, simd, simd_why,
					 sizeof(simd_why)) == 0)
			sock = daemon.sock;
	}
	opts.sim_socket = sock;

	struct comm_report rep;
	comm_report_init(&rep, &opts, &plan);
	rep.no_limits = !limits;
	snprintf(rep.cmdline, sizeof(rep.cmdline), "%s", cmdline);
	fprintf(stderr, "caec-bench-comm: %zu modes, %zu sizes (%zu..%zu B), "
		"cpus %d/%d, ticks at %.3f GHz\n", nsel, nsizes, sizes[0],
		max_msg, opts.cpu_tx, opts.cpu_rx, comm_tsc_hz() / 1e9);
	comm_report_machine(&rep);

	int fails = 0;
	bool gone[16] = { false }; /* unavailable: do not ask again */
	for (size_t i = 0; i < nsel; i++) {
		struct comm_result *res = comm_report_add(&rep);
		if (!res)
			return 1;
		memset(res, 0, sizeof(*res));
		res->ops = sel[i];
	}
	/*
	 * One run = one mode over a set of sizes in a fresh process pair.
	 * Mode-major: one run per mode with every size.  Size-major (the
	 * default): one run per (size, mode), modes inner, so that modes are
	 * compared under the same machine conditions.
	 */
	size_t nblocks = plan.size_major ? nsizes : 1;
	for (unsigned round = 0; round < rounds; round++) {
		for (size_t b = 0; b < nblocks; b++) {
			struct comm_plan sub = plan;
			if (plan.size_major) {
				sub.sizes = &sizes[b];
				sub.nsizes = 1;
			}
			char sb[32] = "all sizes";
			if (plan.size_major)
				snprintf(sb, sizeof(sb), "%zu B", sizes[b]);
			fprintf(stderr, " round %u/%u, %s\n", round + 1, rounds,
				sb);
			for (size_t k = 0; k < nsel; k++) {
				/* alternate the order: slow drifts in machine
				 * load do not favour one end of the list */
				size_t i = (round + b) % 2 ? nsel - 1 - k : k;
				struct comm_result tmp;
				int rc = 0;
				if (gone[i])
					continue;
				fprintf(stderr, "  %-20s ...", sel[i]->name);
				fflush(stderr);
				memset(&tmp, 0, sizeof(tmp));
				tmp.ops = sel[i];
				tmp.round = round;
				if (need_csm && !sock &&
				    strncmp(sel[i]->name, "csm-", 4) == 0) {
					snprintf(tmp.why, sizeof(tmp.why),
						 "unavailable: caec-simd: %.120s",
						 simd_why);
				} else {
					double pp = limits ? comm_pingpong_quick_ns(
						opts.cpu_tx, opts.cpu_rx) : 0;
					rc = comm_run_mode(sel[i], &opts, &sub,
							   &tmp);
					for (size_t j = 0; j < tmp.npoints; j++)
						tmp.points[j].pingpong_ns = pp;
				}
				if (rc < 0) {
					fails++;
					fprintf(stderr, " FAILED (%s)\n",
						tmp.why[0] ? tmp.why
							   : strerror(-rc));
				} else if (!tmp.available) {
					gone[i] = true;
					fprintf(stderr, " %s\n", tmp.why);
				} else {
					fprintf(stderr, " ok\n");
				}
				comm_report_merge(&rep, i, &tmp);
			}
		}
	}
	comm_simd_stop(&daemon);

	comm_report_crypto(&rep);
	comm_report_finish(&rep);
	comm_report_print(&rep, stdout);
	int rc = comm_report_write(&rep, out, plots);
	comm_report_fini(&rep);
	free(sizes);
	if (rc < 0) {
		fprintf(stderr, "writing results to %s failed: %s\n", out,
			strerror(-rc));
		return 1;
	}
	printf("\nresults: %s/ (comm_*.csv, comm_*.png, comm_summary.txt)\n",
	       out);
	return fails ? 1 : 0;
}
