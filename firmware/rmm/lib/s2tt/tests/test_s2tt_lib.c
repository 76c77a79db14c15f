/*
 * lib/s2tt's descriptor encoding on its own: every kind of entry the
 * constructors make is recognised by exactly its predicates, with its PA,
 * RIPAS and RTT_READ_ENTRY view; valid entries are the hardware
 * descriptors VMSAv8-64 defines; unfold and fold are inverses; the live-
 * entry skip, the host's unprotected descriptors and the starting-level
 * rules.  The RMI commands that use them are tested in runtime/tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <s2tt.h>
#include <smc-rmi.h>

#define PA_4K		0x80123000UL	/* granule-aligned */
#define PA_2M		0x80200000UL	/* 2 MB-aligned */
#define KB4		0x1000UL
#define MB2		0x200000UL
#define GB1		0x40000000UL

enum kind {
	K_UNASSIGNED,
	K_UNASSIGNED_NS,
	K_ASSIGNED,		/* protected, any RIPAS */
	K_ASSIGNED_NS,
	K_TABLE,
	K_CSM_REGION,
	K_CSM_CONSUMER,
	K_CSM_MARKED,
};

struct entry {
	const char *what;
	uint64_t e;
	int level;
	enum kind kind;
	unsigned long ripas;	/* for protected kinds */
	uint64_t pa;		/* for kinds with an output address */
	bool valid;		/* a hardware descriptor (bit 0) */
	bool ro;
};

static void check_entry(const struct entry *t)
{
	uint64_t e = t->e;
	int l = t->level;
	bool prot = t->kind == K_ASSIGNED || t->kind == K_CSM_REGION ||
		    t->kind == K_CSM_CONSUMER;

	print_message("%s: 0x%llx\n", t->what, (unsigned long long)e);
	assert_int_equal(t->valid, (e & S2TTE_VALID) != 0);
	assert_int_equal(t->kind == K_UNASSIGNED, s2tte_is_unassigned(e));
	assert_int_equal(t->kind == K_UNASSIGNED_NS, s2tte_is_unassigned_ns(e));
	assert_int_equal(prot, s2tte_is_assigned(e, l));
	assert_int_equal(t->kind == K_ASSIGNED_NS, s2tte_is_assigned_ns(e, l));
	assert_int_equal(t->kind == K_TABLE, s2tte_is_table(e, l));
	assert_int_equal(t->kind == K_CSM_REGION, s2tte_is_csm_region(e, l));
	assert_int_equal(t->kind == K_CSM_CONSUMER, s2tte_is_csm_consumer(e, l));
	assert_int_equal(t->kind >= K_CSM_REGION, s2tte_is_csm(e, l));
	assert_int_equal(prot || t->kind == K_ASSIGNED_NS || t->kind == K_TABLE,
			 s2tte_is_live(e, l));
	/* An unprotected mapping does not keep its RTT alive. */
	assert_int_equal(prot || t->kind == K_TABLE, s2tte_counts_in_refcount(e, l));
	assert_int_equal(t->ro, s2tte_is_read_only(e));
	if (t->kind == K_UNASSIGNED || t->kind == K_ASSIGNED || t->kind == K_CSM_REGION ||
	    t->kind == K_CSM_CONSUMER) {
		assert_int_equal(t->ripas, s2tte_get_ripas(e, l));
	}
	switch (t->kind) {
	case K_TABLE:
		assert_int_equal(RMI_TABLE, s2tte_rmi_state(e, l));
		assert_int_equal(t->pa, s2tte_rmi_desc(e, l));
		break;
	case K_ASSIGNED:
	case K_ASSIGNED_NS:
	case K_CSM_REGION:
	case K_CSM_CONSUMER:
		assert_int_equal(RMI_ASSIGNED, s2tte_rmi_state(e, l));
		assert_int_equal(t->pa, s2tte_pa(e));
		assert_int_equal(t->pa, s2tte_rmi_desc(e, l) & S2TTE_OA_MASK);
		break;
	default:
		assert_int_equal(RMI_UNASSIGNED, s2tte_rmi_state(e, l));
		assert_int_equal(0, s2tte_rmi_desc(e, l));
		break;
	}
}

static void test_every_kind(void **state)
{
	const uint64_t host = PA_2M | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RO;
	const struct entry t[] = {
		{ "unassigned empty", s2tte_create_unassigned(RIPAS_EMPTY), 3, K_UNASSIGNED,
		  RIPAS_EMPTY, 0, false, false },
		{ "unassigned ram", s2tte_create_unassigned(RIPAS_RAM), 2, K_UNASSIGNED,
		  RIPAS_RAM, 0, false, false },
		{ "unassigned destroyed", s2tte_create_unassigned(RIPAS_DESTROYED), 1,
		  K_UNASSIGNED, RIPAS_DESTROYED, 0, false, false },
		{ "unassigned ns", s2tte_create_unassigned_ns(), 2, K_UNASSIGNED_NS, 0, 0, false,
		  false },
		{ "assigned ram page", s2tte_create_assigned(PA_4K, 3, RIPAS_RAM), 3, K_ASSIGNED,
		  RIPAS_RAM, PA_4K, true, false },
		{ "assigned ram block", s2tte_create_assigned(PA_2M, 2, RIPAS_RAM), 2, K_ASSIGNED,
		  RIPAS_RAM, PA_2M, true, false },
		{ "assigned empty", s2tte_create_assigned(PA_4K, 3, RIPAS_EMPTY), 3, K_ASSIGNED,
		  RIPAS_EMPTY, PA_4K, false, false },
		{ "assigned destroyed block", s2tte_create_assigned(PA_2M, 2, RIPAS_DESTROYED), 2,
		  K_ASSIGNED, RIPAS_DESTROYED, PA_2M, false, false },
		{ "assigned ns page", s2tte_create_assigned_ns(host, 3), 3, K_ASSIGNED_NS, 0, PA_2M,
		  true, true },
		{ "assigned ns block", s2tte_create_assigned_ns(host, 2), 2, K_ASSIGNED_NS, 0,
		  PA_2M, true, true },
		{ "table", s2tte_create_table(PA_4K), 2, K_TABLE, 0, PA_4K, true, false },
		{ "csm region", s2tte_create_csm_region(PA_4K, false), 3, K_CSM_REGION, RIPAS_RAM,
		  PA_4K, true, false },
		{ "csm region sealed", s2tte_create_csm_region(PA_4K, true), 3, K_CSM_REGION,
		  RIPAS_RAM, PA_4K, true, true },
		{ "csm consumer ro", s2tte_create_csm_consumer(PA_4K, true), 3, K_CSM_CONSUMER,
		  RIPAS_RAM, PA_4K, true, true },
		{ "csm consumer rw", s2tte_create_csm_consumer(PA_4K, false), 3, K_CSM_CONSUMER,
		  RIPAS_RAM, PA_4K, true, false },
		{ "csm reserved", s2tte_create_csm_marked(S2TTE_CSM_MARK_RESERVED), 3,
		  K_CSM_MARKED, RIPAS_EMPTY, 0, false, false },
		{ "csm gone", s2tte_create_csm_marked(S2TTE_CSM_MARK_GONE), 3, K_CSM_MARKED,
		  RIPAS_EMPTY, 0, false, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		check_entry(&t[i]);
	}
	assert_int_equal(S2TTE_CSM_MARK_RESERVED,
			 s2tte_csm_mark(s2tte_create_csm_marked(S2TTE_CSM_MARK_RESERVED)));
	assert_int_equal(S2TTE_CSM_MARK_GONE,
			 s2tte_csm_mark(s2tte_create_csm_marked(S2TTE_CSM_MARK_GONE)));
	assert_int_equal(S2TTE_CSM_MARK_NONE, s2tte_csm_mark(s2tte_create_unassigned(RIPAS_EMPTY)));
	assert_int_equal(S2TTE_CSM_MARK_NONE, s2tte_csm_mark(s2tte_create_csm_region(PA_4K, true)));
	/* A table entry at level 3 is a page, not a table. */
	assert_false(s2tte_is_table(s2tte_create_table(PA_4K), 3));
}

/* The valid entries are the stage-2 descriptors the MMU reads. */
static void test_hardware_descriptors(void **state)
{
	uint64_t page = s2tte_create_assigned(PA_4K, 3, RIPAS_RAM);
	uint64_t block = s2tte_create_assigned(PA_2M, 2, RIPAS_RAM);
	uint64_t ns = s2tte_create_assigned_ns(PA_4K | S2TTE_MEMATTR_NORMAL_WB | S2TTE_AP_RW, 3);

	(void)state;
	assert_int_equal(0x3, page & 0x3);		/* page */
	assert_int_equal(0x1, block & 0x3);		/* block */
	assert_int_equal(0x3, s2tte_create_table(PA_4K) & 0x3);
	assert_true((page & S2TTE_AF) && (block & S2TTE_AF) && (ns & S2TTE_AF));
	assert_int_equal(S2TTE_AP_RW, page & S2TTE_AP_MASK);
	assert_int_equal(S2TTE_MEMATTR_NORMAL_WB, page & S2TTE_MEMATTR_MASK);
	assert_int_equal(S2TTE_SH_INNER, page & (0x3UL << 8));
	assert_int_equal(0, page & (S2TTE_NS | S2TTE_XN));
	/* Unprotected: Non-secure PAS, never executable, the host's attributes. */
	assert_int_equal(S2TTE_NS | S2TTE_XN, ns & (S2TTE_NS | S2TTE_XN));
	assert_int_equal(S2TTE_MEMATTR_NORMAL_WB, ns & S2TTE_MEMATTR_MASK);
	assert_int_equal(PA_4K, ns & S2TTE_OA_MASK);
	/* The CSM software bits are the only difference from a RAM page. */
	assert_int_equal(page | S2TTE_CSM_REGION, s2tte_create_csm_region(PA_4K, false));
	assert_int_equal((page & ~S2TTE_AP_MASK) | S2TTE_AP_RO | S2TTE_CSM_CONSUMER,
			 s2tte_create_csm_consumer(PA_4K, true));
	/* The host's descriptor bits outside its fields do not get through. */
	assert_int_equal(ns, s2tte_create_assigned_ns(PA_4K | S2TTE_MEMATTR_NORMAL_WB |
						     S2TTE_AP_RW | BIT(63) | BIT(10) | 0x3, 3));
}

static void test_ripas_change(void **state)
{
	uint64_t e = s2tte_create_assigned(PA_4K, 3, RIPAS_EMPTY);

	(void)state;
	e = s2tte_with_ripas(e, 3, RIPAS_RAM);
	assert_int_equal(s2tte_create_assigned(PA_4K, 3, RIPAS_RAM), e);
	e = s2tte_with_ripas(e, 3, RIPAS_DESTROYED);
	assert_int_equal(s2tte_create_assigned(PA_4K, 3, RIPAS_DESTROYED), e);
	assert_int_equal(PA_4K, s2tte_pa(e));
	assert_int_equal(s2tte_create_unassigned(RIPAS_RAM),
			 s2tte_with_ripas(s2tte_create_unassigned(RIPAS_EMPTY), 2, RIPAS_RAM));
}

static void test_host_descriptor_checks(void **state)
{
	(void)state;
	assert_true(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_MEMATTR_NORMAL_WB | S2TTE_AP_RW));
	assert_true(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_MEMATTR_DEV_NGNRE));
	/* MemAttr 0b100 is reserved with FWB; MemAttr[3] is not the host's. */
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_MEMATTR_FWB_RESERVED));
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | (0x8UL << S2TTE_MEMATTR_SHIFT)));
	/* Any bit the RMM controls (valid, SH, AF, XN, NS, software). */
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | 0x1));
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_SH_INNER));
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_AF));
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_XN));
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_NS));
	assert_false(s2tte_host_ns_attrs_valid(PA_4K | S2TTE_CSM_REGION));
	/* The PA aligned to the entry's size. */
	assert_true(s2tte_host_ns_desc_valid(PA_4K, 3));
	assert_false(s2tte_host_ns_desc_valid(PA_4K, 2));
	assert_true(s2tte_host_ns_desc_valid(PA_2M, 2));
	assert_false(s2tte_host_ns_desc_valid(PA_2M, 1));
	assert_true(s2tte_host_ns_desc_valid(0x80000000UL, 1));
}

static void test_sizes_and_levels(void **state)
{
	(void)state;
	assert_int_equal(KB4, s2tt_map_size(3));
	assert_int_equal(MB2, s2tt_map_size(2));
	assert_int_equal(GB1, s2tt_map_size(1));
	assert_int_equal(512 * GB1, s2tt_map_size(0));
	assert_int_equal(MB2, s2tt_table_end(3, 0x1234));
	assert_int_equal(4 * MB2, s2tt_table_end(3, 3 * MB2 + 5 * KB4));
	assert_int_equal(2 * GB1, s2tt_table_end(2, GB1 + 7 * MB2));
	/* Starting level and root tables for an IPA width (RMM v1.0 A5.5). */
	assert_true(s2tt_params_valid(39, 1, 1));
	assert_true(s2tt_params_valid(40, 1, 2));
	assert_true(s2tt_params_valid(43, 1, 16));
	assert_false(s2tt_params_valid(44, 1, 32));	/* more than 16 tables */
	assert_false(s2tt_params_valid(40, 1, 1));	/* too few tables */
	assert_false(s2tt_params_valid(39, 1, 2));	/* too many */
	assert_true(s2tt_params_valid(48, 0, 1));
	assert_true(s2tt_params_valid(30, 2, 1));
	assert_false(s2tt_params_valid(30, 1, 1));	/* needs a lower start */
	assert_false(s2tt_params_valid(39, 3, 1));
	assert_false(s2tt_params_valid(39, -1, 1));
}

static uint64_t table[S2TT_ENTRIES];

static void test_unfold_fold(void **state)
{
	const uint64_t parents[] = {
		s2tte_create_assigned(PA_2M, 2, RIPAS_RAM),
		s2tte_create_assigned(PA_2M, 2, RIPAS_EMPTY),
		s2tte_create_assigned_ns(PA_2M | S2TTE_MEMATTR_NORMAL_WB | S2TTE_AP_RW, 2),
		s2tte_create_unassigned(RIPAS_RAM),
		s2tte_create_unassigned_ns(),
	};
	const unsigned int live[] = { S2TT_ENTRIES, S2TT_ENTRIES, 0, 0, 0 };
	uint64_t folded;
	size_t p;
	unsigned int i;

	(void)state;
	for (p = 0; p < sizeof(parents) / sizeof(parents[0]); p++) {
		assert_int_equal(live[p], s2tt_init_table(table, parents[p], 3));
		for (i = 0; i < S2TT_ENTRIES; i++) {
			if (s2tte_is_assigned(parents[p], 2) || s2tte_is_assigned_ns(parents[p], 2)) {
				assert_int_equal(PA_2M + i * KB4, s2tte_pa(table[i]));
				assert_int_equal(s2tte_get_ripas(parents[p], 2),
						 s2tte_get_ripas(table[i], 3));
			} else {
				assert_int_equal(parents[p], table[i]);
			}
		}
		assert_true(s2tt_fold(table, 3, &folded));
		assert_int_equal(parents[p], folded);
	}

	/* Not homogeneous: one entry differs, the PA not contiguous, a
	 * CSM page, a block not aligned to the parent's size, a table. */
	(void)s2tt_init_table(table, parents[0], 3);
	table[100] = s2tte_create_assigned(PA_2M + 100 * KB4, 3, RIPAS_EMPTY);
	assert_false(s2tt_fold(table, 3, &folded));
	(void)s2tt_init_table(table, parents[0], 3);
	table[511] = s2tte_create_assigned(PA_2M + 512 * KB4, 3, RIPAS_RAM);
	assert_false(s2tt_fold(table, 3, &folded));
	(void)s2tt_init_table(table, parents[0], 3);
	table[7] = s2tte_create_csm_region(PA_2M + 7 * KB4, false);
	assert_false(s2tt_fold(table, 3, &folded));
	(void)s2tt_init_table(table, s2tte_create_unassigned(RIPAS_EMPTY), 3);
	table[0] = s2tte_create_csm_marked(S2TTE_CSM_MARK_RESERVED);
	assert_false(s2tt_fold(table, 3, &folded));
	for (i = 0; i < S2TT_ENTRIES; i++) {
		table[i] = s2tte_create_assigned(PA_4K + i * KB4, 3, RIPAS_RAM);
	}
	assert_false(s2tt_fold(table, 3, &folded));
	for (i = 0; i < S2TT_ENTRIES; i++) {
		table[i] = s2tte_create_table(PA_4K);
	}
	assert_false(s2tt_fold(table, 2, &folded));
	/* Level 1 tables never fold into a level-0 block. */
	(void)s2tt_init_table(table, s2tte_create_assigned(0, 1, RIPAS_RAM), 2);
	assert_false(s2tt_fold(table, 1, &folded));
}

static void test_skip_non_live(void **state)
{
	const uint64_t base = 4 * MB2;	/* a level-3 table's range */
	unsigned int i;

	(void)state;
	for (i = 0; i < S2TT_ENTRIES; i++) {
		table[i] = s2tte_create_unassigned(RIPAS_RAM);
	}
	table[3] = s2tte_create_csm_marked(S2TTE_CSM_MARK_GONE);	/* not live */
	table[100] = s2tte_create_assigned(PA_4K, 3, RIPAS_EMPTY);
	table[300] = s2tte_create_assigned_ns(PA_4K, 3);
	assert_int_equal(base + 100 * KB4, s2tt_skip_non_live(table, 3, base));
	assert_int_equal(base + 100 * KB4, s2tt_skip_non_live(table, 3, base + 99 * KB4 + 5));
	assert_int_equal(base + 100 * KB4, s2tt_skip_non_live(table, 3, base + 100 * KB4));
	assert_int_equal(base + 300 * KB4, s2tt_skip_non_live(table, 3, base + 101 * KB4));
	assert_int_equal(base + MB2, s2tt_skip_non_live(table, 3, base + 301 * KB4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_hardware_descriptors),
		cmocka_unit_test(test_ripas_change),
		cmocka_unit_test(test_host_descriptor_checks),
		cmocka_unit_test(test_sizes_and_levels),
		cmocka_unit_test(test_unfold_fold),
		cmocka_unit_test(test_skip_non_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
