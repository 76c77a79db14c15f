/* SPDX-License-Identifier: Apache-2.0 */
/* Message sizes on a gnuplot axis: see gp_sizes.h. */
#include "gp_sizes.h"

void gp_size_label(size_t bytes, char *buf, size_t cap)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
	unsigned u = 0;
	double v = (double)bytes;
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (v == (double)(size_t)v)
		snprintf(buf, cap, "%zu %s", (size_t)v, unit[u]);
	else
		snprintf(buf, cap, "%.1f %s", v, unit[u]);
}

void gp_size_xtics(FILE *f, const size_t *sizes, size_t n)
{
	char label[32];
	fprintf(f, "set xtics (");
	for (size_t i = 0; i < n; i++) {
		gp_size_label(sizes[i], label, sizeof(label));
		fprintf(f, "%s\"%s\" %zu", i ? ", " : "", label, sizes[i]);
	}
	fprintf(f, ")%s\n", n > 8 ? " rotate by -35" : "");
	fprintf(f, "set xtics nomirror\n");
}
