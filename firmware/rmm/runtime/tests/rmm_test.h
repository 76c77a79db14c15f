/*
 * Shared helpers for the RMM native unit tests: RMI calls by FID through
 * the real dispatcher, a trivial granule allocator over the fake DRAM, and
 * a fixture that builds a realm the way a host would.
 */
#ifndef RMM_TEST_H
#define RMM_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fake_host.h>
#include <granule.h>
#include <plat_memory.h>
#include <realm.h>
#include <rmi-structs.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <smc-rsi.h>

/* Granule i of the fake DRAM. */
#define PA(i)	(PLAT_NS_DRAM_BASE + (uint64_t)(i) * GRANULE_SIZE)

/* Issue an RMI call; returns x0, results in *res if not NULL. */
unsigned long rmi(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5, struct smc_result *res);

/* Fresh machine: zeroed DRAM, all NS; the allocator restarts at granule 16. */
int rmm_test_setup(void **state);

/* Next free NS granule (never reused within a test). */
uint64_t alloc_ns(void);
/* Restart the params area (granules used only for RMI parameter blocks). */
void rmm_test_recycle_ns(void);
/* Allocate and delegate. */
uint64_t alloc_delegated(void);
/* A 2 MB-aligned run of 512 NS granules nothing else allocates. */
uint64_t block_area_2mb(void);

#define TEST_S2SZ	39U
#define TEST_IPA_BASE	0x40000000UL		/* realm RAM */
#define TEST_UNPROT	(1UL << (TEST_S2SZ - 1U))	/* unprotected half */

struct test_realm {
	uint64_t rd;
	uint64_t rtt_root;
	uint64_t rtt_l2;	/* maps [TEST_IPA_BASE, +1 GB) */
	uint64_t rtt_l3;	/* maps [TEST_IPA_BASE, +2 MB) */
	uint64_t params;	/* NS granule with RmiRealmParams */
	unsigned int vmid;
};

/* Fill an NS params granule; returns it. */
uint64_t make_realm_params(uint64_t rtt_base, unsigned int vmid);
/* RD + root RTT + L2 + L3 tables at TEST_IPA_BASE, realm NEW. */
void realm_build(struct test_realm *r, unsigned int vmid);
/* REC params in a new NS granule, with new delegated auxiliary granules. */
uint64_t make_rec_params(uint64_t pc, uint64_t flags);
/* New delegated auxiliary granules in params (to create another REC with it). */
void rec_params_fresh_aux(uint64_t params);
/* The same with the caller's auxiliary granules. */
uint64_t make_rec_params_aux(uint64_t pc, uint64_t flags, const uint64_t aux[REC_AUX_GRANULES]);

#define assert_rmi(expected, ret) assert_int_equal((unsigned long)(expected), (unsigned long)(ret))

#endif /* RMM_TEST_H */
