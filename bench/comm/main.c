/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-bench-comm: CAEC's confidential shared memory against what realms
 * must do today (hypervisor-visible memory + AES-GCM, sockets, vsock), all
 * modes in one run on one machine.  See docs/benchmarks.md.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "comm.h"
#include "comm_plot.h"
#include "report.h"
#include "simd_spawn.h"

enum {
	OPT_QUICK = 256, OPT_OUT, OPT_MODES, OPT_SIZES, OPT_REPS, OPT_ROUNDS,
	OPT_MODE_MAJOR, OPT_CPUS, OPT_SIMD, OPT_SIM_SOCKET, OPT_NO_PIPELINED,
	OPT_NO_PLOTS, OPT_NO_LIMITS, OPT_VSOCK_PEER, OPT_SERVE_VSOCK, OPT_LIST,
	OPT_REPLOT,
};

static const struct cli_opt cli_opts[] = {
	{ "quick", OPT_QUICK, NULL, "CI smoke: few sizes (64,1K,8K,32K,256K) and 100 "
	  "repetitions (< 1 min)" },
	{ "out", OPT_OUT, "DIR", "results directory (default: bench/out/comm under "
	  "$CAEC_SOURCE_ROOT, else ./bench/out/comm)" },
	{ "modes", OPT_MODES, "LIST", "comma-separated modes, see --list (default: "
	  "all that need no remote receiver)" },
	{ "sizes", OPT_SIZES, "LIST", "comma-separated message sizes, 16 B..1 GiB, "
	  "K/M suffixes allowed (default: powers of two from 64 to 16M)" },
	{ "reps", OPT_REPS, "N", "stop-and-wait repetitions up to 32 KiB, 1..1000000 "
	  "(default 1000; --quick: 100)" },
	{ "rounds", OPT_ROUNDS, "N", "run every mode N times, modes interleaved; per "
	  "size keep the round with the lowest median, 1..20 (default 1)" },
	{ "mode-major", OPT_MODE_MAJOR, NULL, "run each mode over all sizes in one "
	  "process pair (default: size-major, every mode per size)" },
	{ "cpus", OPT_CPUS, "A,B", "sender and receiver CPU (default: the first two "
	  "allowed)" },
	{ "simd", OPT_SIMD, "PATH", "the caec-simd to start for the csm-* modes "
	  "(default: $CAEC_SIMD, else the build's, else caec-simd from PATH)" },
	{ "sim-socket", OPT_SIM_SOCKET, "PATH", "use the caec-simd listening there "
	  "(default: $CAEC_SIM_SOCKET; when neither is given a private daemon is "
	  "started and stopped)" },
	{ "no-pipelined", OPT_NO_PIPELINED, NULL, "skip the pipelined phase" },
	{ "no-plots", OPT_NO_PLOTS, NULL, "do not run gnuplot (the .dat files and "
	  "comm_plots.gp are written all the same)" },
	{ "no-limits", OPT_NO_LIMITS, NULL, "do not measure the machine's limits nor "
	  "the ping-pong before each run (functional runs: each costs ~10^5 spinning "
	  "round trips)" },
	{ "vsock-peer", OPT_VSOCK_PEER, "CID:PORT", "receiver of the vsock-host mode "
	  "(a --serve-vsock elsewhere; CID 2 = this VM's host); adds vsock-host to "
	  "the default modes" },
	{ "serve-vsock", OPT_SERVE_VSOCK, "PORT", "be the vsock-host receiver: listen "
	  "on AF_VSOCK port PORT and serve runs until killed" },
	{ "list", OPT_LIST, NULL, "list the modes and exit" },
	{ "replot", OPT_REPLOT, "DIR", "measure nothing: write comm_plots.gp again from "
	  "the comm_<mode>.dat and comm_machine.csv files in DIR (a previous run's "
	  "--out) and draw its plots" },
	{ NULL },
};

static struct cli cli = {
	.prog = "caec-bench-comm",
	.usage = "[options]",
	.about = "CAEC's confidential shared memory against what realms must do today "
		 "(hypervisor-visible memory with AES-GCM, sockets, vsock), every mode "
		 "in one run on one machine (docs/benchmarks.md).  Prints its method "
		 "and results, and writes comm_*.csv, comm_summary.txt, comm_*.dat, "
		 "comm_plots.gp and, with gnuplot, comm_*.png into the results "
		 "directory.",
	.opts = cli_opts,
	.footer = "Exit status: 0 done; 1 a mode failed or the results could not be "
		  "written; 2 usage error.",
};

/* Whole-list check: each size in 16 B..1 GiB, or a usage error naming it. */
static void parse_sizes(char *list, size_t **out, size_t *n)
{
	size_t cap = 8, k = 0;
	size_t *v = malloc(cap * sizeof(*v));
	for (char *tok = strtok(list, ","); tok && v; tok = strtok(NULL, ",")) {
		if (k == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		if (v)
			v[k++] = (size_t)cli_size(&cli, "--sizes", tok, 16, (size_t)1 << 30);
	}
	if (!v) {
		fprintf(stderr, "caec-bench-comm: out of memory\n");
		exit(1);
	}
	if (k == 0)
		cli_usage_error(&cli, "--sizes: no size given");
	*out = v;
	*n = k;
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
	bool quick = false, pipelined = true, plots = true, limits = true;
	char *modes_arg = NULL, *sizes_arg = NULL;
	const char *out = NULL, *simd = NULL, *sock = NULL, *replot = NULL, *arg;
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
	while ((c = cli_next(&cli, argc, argv, &arg)) != -1) {
		switch (c) {
		case OPT_QUICK: quick = true; break;
		case OPT_OUT: out = arg; break;
		case OPT_MODES: modes_arg = (char *)arg; break;
		case OPT_SIZES: sizes_arg = (char *)arg; break;
		case OPT_REPS:
			reps = (unsigned)cli_uint(&cli, "--reps", arg, 1, 1000000);
			reps_set = true;
			break;
		case OPT_CPUS: {
			char tail;
			if (sscanf(arg, "%d,%d%c", &cpu_a, &cpu_b, &tail) != 2 ||
			    cpu_a < 0 || cpu_b < 0 || cpu_a >= CPU_SETSIZE ||
			    cpu_b >= CPU_SETSIZE)
				cli_usage_error(&cli, "--cpus: '%s' is not two CPU numbers A,B",
						arg);
			break;
		}
		case OPT_ROUNDS:
			rounds = (unsigned)cli_uint(&cli, "--rounds", arg, 1, COMM_MAX_ROUNDS);
			break;
		case OPT_MODE_MAJOR: mode_major = true; break;
		case OPT_SIMD: simd = arg; break;
		case OPT_SIM_SOCKET: sock = arg; break;
		case OPT_NO_PIPELINED: pipelined = false; break;
		case OPT_NO_PLOTS: plots = false; break;
		case OPT_NO_LIMITS: limits = false; break;
		case OPT_VSOCK_PEER: {
			char tail;
			if (sscanf(arg, "%u:%u%c", &peer_cid, &peer_port, &tail) != 2 ||
			    peer_port == 0)
				cli_usage_error(&cli, "--vsock-peer: '%s' is not CID:PORT, "
						"e.g. 2:5000", arg);
			break;
		}
		case OPT_SERVE_VSOCK:
			serve_port = (unsigned)cli_uint(&cli, "--serve-vsock", arg, 1,
							UINT32_MAX);
			break;
		case OPT_REPLOT: replot = arg; break;
		case OPT_LIST:
			for (size_t i = 0; comm_modes[i]; i++)
				printf("%-20s %s\n", comm_modes[i]->name,
				       comm_modes[i]->what);
			return 0;
		}
	}
	if (cli_operand_index() != argc)
		cli_usage_error(&cli, "unexpected operand '%s'", argv[cli_operand_index()]);
	if (replot) {
		struct comm_plot p;
		if (comm_plot_load(replot, &p) < 0 || comm_plot_script(replot, &p) < 0 ||
		    (plots && comm_plot_draw(replot) < 0))
			return 1;
		printf("caec-bench-comm: wrote %s/comm_plots.gp%s from its files (%zu modes, "
		       "%zu sizes)\n", replot, plots ? " and drew its plots" : "", p.nmodes,
		       p.nsizes);
		return 0;
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
			if (!m)
				cli_usage_error(&cli, "--modes: unknown mode '%s' (--list "
						"lists them)", t);
			if (nsel == 16)
				cli_usage_error(&cli, "--modes: more than 16 modes");
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
		parse_sizes(sizes_arg, &sizes, &nsizes);
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
	struct simd_spawn daemon = { .pid = -1 };
	bool need_csm = false;
	for (size_t i = 0; i < nsel; i++)
		if (strncmp(sel[i]->name, "csm-", 4) == 0)
			need_csm = true;
	if (!sock)
		sock = getenv("CAEC_SIM_SOCKET");
	char simd_why[200] = "";
	if (need_csm && !sock) {
#ifdef COMM_SIMD_PATH
		simd = simd_spawn_exe(simd, COMM_SIMD_PATH);
#else
		simd = simd_spawn_exe(simd, NULL);
#endif
		if (simd_spawn_start(&daemon, simd, "bench-comm", simd_why,
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
	simd_spawn_stop(&daemon);

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
