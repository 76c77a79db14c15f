/* Memory layout from the DRAM size (see mem_layout.h). */
#include <mem_layout.h>
#include <plat_memory.h>

enum mem_layout_status mem_layout_from_dram(uint64_t dram_size, struct boot_mem *out)
{
	uint64_t size = dram_size & ~(PLAT_DRAM_ALIGN - 1UL);
	uint64_t ns_size;

	if (dram_size > PLAT_DRAM_MAX) {
		return MEM_LAYOUT_TOO_LARGE;
	}
	if (size < PLAT_DRAM_MIN) {
		return MEM_LAYOUT_TOO_SMALL;
	}
	ns_size = PLAT_DRAM_BASE + size - PLAT_NS_DRAM_BASE;
	if (ns_size > PLAT_NS_DRAM_MAX) {
		ns_size = PLAT_NS_DRAM_MAX;
	}
	out->dram_base = PLAT_DRAM_BASE;
	out->dram_size = size;
	out->ns_base = PLAT_NS_DRAM_BASE;
	out->ns_size = ns_size;
	return MEM_LAYOUT_OK;
}
