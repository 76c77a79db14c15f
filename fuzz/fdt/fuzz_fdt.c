/*
 * libFuzzer target: the EL3 monitor's device-tree parser
 * (firmware/monitor/fdt.c) on arbitrary bytes.  The input buffer is
 * exactly `size` bytes, so any read past it is an ASan error; UBSan
 * catches overflowing offset arithmetic.
 */
#include <stddef.h>
#include <stdint.h>

#include <fdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t dram = 0U;

	(void)fdt_dram_size(data, size, 0x40000000UL, &dram);
	return 0;
}
