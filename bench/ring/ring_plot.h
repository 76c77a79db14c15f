/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-bench-ring's plots: ring.gp, drawn by gnuplot from pingpong.csv and
 * stream.csv into pingpong.png and stream.png.  Written after a run, or
 * again from a results directory's CSVs alone (--replot), so that
 * committed results are redrawn without measuring again.
 */
#ifndef CAEC_BENCH_RING_PLOT_H
#define CAEC_BENCH_RING_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#define RING_PLOT_MAX_SIZES 32

struct ring_plot {
	char cpu[128];                     /* for the titles; "" for none */
	bool vsock;                        /* the CSVs hold vsock figures */
	size_t sizes[RING_PLOT_MAX_SIZES]; /* message sizes measured */
	size_t n;
};

/* Read what the plots need from dir's stream.csv (sizes, vsock) and
 * limits.csv or output.txt (the CPU).  Returns 0, or -1 with a message. */
int ring_plot_load(const char *dir, struct ring_plot *p);

/* Write dir/ring.gp.  Returns 0, or -1 with a message. */
int ring_plot_script(const char *dir, const struct ring_plot *p);

/* Run gnuplot on dir/ring.gp.  Returns 0 when both PNGs were drawn, or -1
 * with a message (no gnuplot, or it failed). */
int ring_plot_draw(const char *dir);

#endif
