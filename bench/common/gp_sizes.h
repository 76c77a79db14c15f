/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Message sizes on a gnuplot axis, as people read them: "64 B", "1 KiB",
 * "16 MiB" (and "31.9 KiB" for a size that is not a whole unit), one tic
 * per size measured, so that no tic falls between two measured points.
 */
#ifndef CAEC_BENCH_GP_SIZES_H
#define CAEC_BENCH_GP_SIZES_H

#include <stddef.h>
#include <stdio.h>

/* "64 B", "1 KiB", "31.9 KiB", "16 MiB" into buf. */
void gp_size_label(size_t bytes, char *buf, size_t cap);

/* "set xtics (...)" with a labelled tic at each size; rotated when there
 * are many, so that the labels do not overlap. */
void gp_size_xtics(FILE *f, const size_t *sizes, size_t n);

#endif
