/*
 * The crypto guard (fw_crypto.h): one lock for every use of mbedTLS in the
 * image, and this CPU's FP/SIMD registers saved on entry and loaded back on
 * exit, so the library's use of them is invisible to every other world.
 */
#include <fp_regs.h>
#include <fw_crypto.h>
#include <plat_memory.h>

#include "crypto_private.h"

static uint32_t lock;
static unsigned int owner;		/* MPIDR Aff0 + 1 of the holder, 0: none */
static struct fp_regs saved[PLAT_MAX_CPUS];

static unsigned int this_cpu(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned int)(mpidr & 0xFFUL);
}

void fw_crypto_init(void *heap, size_t size)
{
	heap_init(heap, size);
}

void fw_crypto_begin(void)
{
	unsigned int cpu = this_cpu();

	if (cpu >= PLAT_MAX_CPUS) {
		crypto_panic("crypto guard: CPU index out of range");
	}
	if (__atomic_load_n(&owner, __ATOMIC_RELAXED) == cpu + 1U) {
		crypto_panic("crypto guard entered twice on one CPU");
	}
	while (__atomic_exchange_n(&lock, 1U, __ATOMIC_ACQUIRE) != 0U) {
		__asm__ volatile("yield");
	}
	owner = cpu + 1U;
	fp_save(&saved[cpu]);
}

void fw_crypto_end(void)
{
	unsigned int cpu = this_cpu();

	if (owner != cpu + 1U) {
		crypto_panic("crypto guard left by a CPU that does not hold it");
	}
	fp_restore(&saved[cpu]);
	owner = 0U;
	__atomic_store_n(&lock, 0U, __ATOMIC_RELEASE);
}
