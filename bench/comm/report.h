/* SPDX-License-Identifier: Apache-2.0 */
/* caec-bench-comm: machine facts, results table, CSV and plots. */
#ifndef CAEC_BENCH_COMM_REPORT_H
#define CAEC_BENCH_COMM_REPORT_H

#include <stdio.h>
#include <sys/types.h>

#include "comm.h"

/* The machine's limits measured in the same run (limits*.c). */
struct comm_limits {
	bool have;
	double pingpong_ns;     /* core-to-core cache-line round trip */
	double memcpy_gbps;     /* single-core memcpy, large buffers, GB/s */
	double memcpy_l2_gbps;  /* single-core memcpy, 32 KiB (cache), GB/s */
	char source[160];       /* which code measured them, and how */
};
int comm_limits_measure(struct comm_limits *l, int cpu_a, int cpu_b);
/* A short ping-pong (median ns), taken before every mode's run, so that a
 * change of core-to-core latency during the run (VMs: vCPUs move between
 * physical cores) shows next to the figures it affects.  0: not measured. */
double comm_pingpong_quick_ns(int cpu_a, int cpu_b);

struct comm_crypto_cost {
	size_t size;
	double mb_enc, mb_dec, os_enc, os_dec; /* ticks per byte */
};

struct comm_report {
	const struct comm_opts *opts;
	const struct comm_plan *plan;
	struct comm_result res[16];
	size_t nres;
	struct comm_crypto_cost *crypto; /* one per plan size */
	struct comm_limits limits;
	char cpu[128];
	char kernel[200];
	double tsc_hz;
	uint64_t tsc_step; /* comm_tsc_step(): resolution of one tick read */
	double load_start[3], load_end[3]; /* getloadavg() */
	/* --no-limits: machine limits and per-run ping-pongs not measured */
	bool no_limits;
	char cmdline[512];
};

void comm_report_init(struct comm_report *r, const struct comm_opts *o,
		      const struct comm_plan *p);
void comm_report_machine(struct comm_report *r);
struct comm_result *comm_report_add(struct comm_report *r);
/*
 * Fold one run's result (any subset of the sizes) for mode index i into
 * the report: a size seen for the first time is taken as is; a repeated
 * size replaces its stop-and-wait figures when its median round trip is
 * lower, and its pipelined figures when its throughput is higher.
 * Consumes tmp.
 */
void comm_report_merge(struct comm_report *r, size_t i,
		       struct comm_result *tmp);
void comm_report_finish(struct comm_report *r);
void comm_report_crypto(struct comm_report *r);
void comm_report_print(const struct comm_report *r, FILE *f);
int comm_report_write(const struct comm_report *r, const char *dir,
		      bool plots);
void comm_report_fini(struct comm_report *r);

#endif
