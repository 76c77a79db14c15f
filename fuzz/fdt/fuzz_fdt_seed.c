/*
 * Writes seed device trees for fuzz_fdt into the directory argv[1]:
 * QEMU-shaped trees with 2- and 1-cell layouts and several regions,
 * built with the native tests' FDT writer.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <fdt.h>

#include "fdt_builder.h"

static uint8_t blob[16384];

static int write_seed(const char *dir, const char *name, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(blob, 1, len, f) != len) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

static size_t tree(unsigned int ac, unsigned int sc, const uint64_t *pairs, unsigned int n)
{
	struct fdtb b;

	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", ac);
	fdtb_prop_u32(&b, "#size-cells", sc);
	fdtb_prop_str(&b, "compatible", "linux,dummy-virt");
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_reg(&b, ac, sc, pairs, n);
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_end(&b);
	fdtb_begin(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1U);
	fdtb_begin(&b, "cpu@0");
	fdtb_prop_u32(&b, "reg", 0U);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_token(&b, FDT_NOP);
	fdtb_end(&b);
	return fdtb_finish(&b, blob, sizeof(blob));
}

int main(int argc, char **argv)
{
	const uint64_t one[2] = { 0x40000000UL, 0x40000000UL };
	const uint64_t two[4] = { 0x100000000UL, 0x40000000UL, 0x40000000UL, 0x20000000UL };
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir>\n", argv[0]);
		return 2;
	}
	rc |= write_seed(argv[1], "qemu-1g", tree(2U, 2U, one, 1U));
	rc |= write_seed(argv[1], "cells-1-1", tree(1U, 1U, one, 1U));
	rc |= write_seed(argv[1], "two-regions", tree(2U, 2U, two, 2U));
	return rc;
}
