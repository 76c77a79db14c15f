/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-bench-comm's plots: comm_plots.gp, drawn by gnuplot from the
 * per-mode comm_<mode>.dat files into comm_latency.png, comm_cycles.png,
 * comm_throughput.png, comm_throughput_pipelined.png and
 * comm_work_both.png.  Written after a run, or again from a results
 * directory's files alone (--replot), so that committed results are
 * redrawn without measuring again.
 */
#ifndef CAEC_BENCH_COMM_PLOT_H
#define CAEC_BENCH_COMM_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#define COMM_PLOT_MAX_MODES 16
#define COMM_PLOT_MAX_SIZES 32

struct comm_plot {
	char cpu[128];                             /* for the titles */
	const char *modes[COMM_PLOT_MAX_MODES];    /* names with a .dat file */
	size_t nmodes;
	size_t sizes[COMM_PLOT_MAX_SIZES];         /* every size measured, sorted */
	size_t nsizes;
	bool pipelined;                            /* the pipelined phase ran */
};

/* Add one measured size (kept sorted, duplicates dropped). */
void comm_plot_add_size(struct comm_plot *p, size_t size);

/* Read what the plots need from dir: the modes that have a
 * comm_<mode>.dat, their sizes and whether the pipelined column holds
 * figures, and the CPU from comm_machine.csv.  0, or -1 with a message. */
int comm_plot_load(const char *dir, struct comm_plot *p);

/* Write dir/comm_plots.gp.  0, or -1 with a message. */
int comm_plot_script(const char *dir, const struct comm_plot *p);

/* Run gnuplot on it (its errors in dir/comm_plots.log).  0 drawn; -1 with
 * a message (no gnuplot, or it failed). */
int comm_plot_draw(const char *dir);

#endif
