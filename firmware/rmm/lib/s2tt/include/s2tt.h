/*
 * Realm stage-2 translation tables (RTTs) in the VMSAv8-64 stage-2 format,
 * 4 KB granule.  Valid entries are real hardware descriptors; invalid
 * entries carry the RMM's HIPAS/RIPAS in software bits that the MMU
 * ignores.
 *
 *   bits[1:0]  0b11 table (level < 3) / page (level 3), 0b01 block, 0b00 invalid
 *   invalid:   [4:2] HIPAS (UNASSIGNED 0, ASSIGNED 1, UNASSIGNED_NS 2)
 *              [6:5] RIPAS (EMPTY 0, RAM 1, DESTROYED 2)
 *              [8:7] CSM mark of an UNASSIGNED page (0 none, 1 reserved,
 *                    2 gone; see below)
 *              [47:12] PA of an ASSIGNED granule whose RIPAS is not RAM
 *   valid:     [5:2] MemAttr, [7:6] S2AP, [9:8] SH, [10] AF, [47:12] OA,
 *              [54] XN, [55] NS (unprotected IPA -> Non-secure PAS),
 *              [56] CSM consumer mapping, [57] CSM region page (software
 *              bits the MMU ignores)
 *
 * Confidential shared memory (runtime/csm) adds four level-3 states:
 *   region page    a provider's DATA granule in a CSM region (valid, [57];
 *                  S2AP read-only once sealed)
 *   consumer page  an attached consumer's mapping of a provider's granule
 *                  (valid, [56]; S2AP read-only for a read-only grant)
 *   reserved       a consumer's range reserved for a grant (invalid)
 *   gone           part of a CSM range whose memory was taken away:
 *                  revoked, unshared, its provider dead or its granule
 *                  destroyed (invalid)
 * Marked entries (reserved, gone) are UNASSIGNED with RIPAS EMPTY: a realm
 * access is a Synchronous External Abort, and DATA_CREATE, RTT_INIT_RIPAS
 * and RTT_SET_RIPAS refuse them (s2tte_is_unassigned() is false for
 * them).  None of the four can be folded.
 */
#ifndef S2TT_H
#define S2TT_H

#include <fw_utils.h>

struct granule;

#define S2TT_PAGE_LEVEL		3
#define S2TT_MIN_STARTING_LEVEL	0
#define S2TT_ENTRIES		512U
#define S2TT_MAX_ROOT_TABLES	16U

/* What a realm's RTT tree looks like (copied from the RD). */
struct s2tt_ctx {
	uint64_t rtt_base;
	int level_start;
	unsigned int num_start;
	unsigned int s2sz;
	unsigned int vmid;
};

/* Result of a walk: the table holding the entry at last_level. */
struct s2tt_walk {
	int last_level;
	struct granule *g_table;	/* granule of that table */
	uint64_t *table;		/* RMM pointer to it */
	unsigned long index;		/* entry index within it */
};

/* Size of the IPA range one entry at this level maps. */
unsigned long s2tt_map_size(int level);
bool s2tt_ipa_is_protected(const struct s2tt_ctx *ctx, uint64_t ipa);
bool s2tt_ipa_in_range(const struct s2tt_ctx *ctx, uint64_t ipa);
/* Check the starting level / number of root tables against s2sz. */
bool s2tt_params_valid(unsigned int s2sz, int level_start, unsigned int num_start);

/* Walk from the root towards level; stops at the first non-table entry. */
void s2tt_walk_lock_unlock(const struct s2tt_ctx *ctx, uint64_t ipa, int level,
			   struct s2tt_walk *w);

/*
 * Unfold: initialise a new level-`level` table from its parent entry (at
 * level - 1, any state but TABLE).  Unassigned parents are copied; an
 * ASSIGNED or ASSIGNED_NS block becomes 512 entries mapping the same
 * range contiguously with the same RIPAS / attributes.  Returns the number
 * of live entries that count in the new table's refcount.
 */
unsigned int s2tt_init_table(uint64_t *table, uint64_t parent, int level);

/*
 * RttIsHomogeneous/RttFold (RMM v1.0 A5.5.6): true if the level-`level`
 * table can be folded; *folded = the parent entry that replaces it.
 */
bool s2tt_fold(const uint64_t *table, int level, uint64_t *folded);

/*
 * RttSkipNonLiveEntries: from the entry of ipa in the level-`level` table,
 * the IPA of the first live entry (TABLE, ASSIGNED, ASSIGNED_NS), or the
 * IPA just past the table; aligned down to the entry size.
 */
uint64_t s2tt_skip_non_live(const uint64_t *table, int level, uint64_t ipa);

/* IPA just past the level-`level` table that holds ipa's entry. */
uint64_t s2tt_table_end(int level, uint64_t ipa);
/* Initialise the root tables for the protected/unprotected halves. */
void s2tt_init_root(const struct s2tt_ctx *ctx);

/* Descriptor constructors */
uint64_t s2tte_create_unassigned(unsigned long ripas);
uint64_t s2tte_create_unassigned_ns(void);
uint64_t s2tte_create_assigned(uint64_t pa, int level, unsigned long ripas);
uint64_t s2tte_create_assigned_ns(uint64_t host_desc, int level);
uint64_t s2tte_create_table(uint64_t pa);
/*
 * RttDescriptorIsValidForUnprotected: the host's RTT_MAP_UNPROTECTED
 * descriptor sets only host-controlled fields (PA, MemAttr[2:0], S2AP),
 * and MemAttr is not the reserved encoding.
 */
bool s2tte_host_ns_attrs_valid(uint64_t desc);
/* ... and its PA is aligned to the size of a level-`level` entry. */
bool s2tte_host_ns_desc_valid(uint64_t desc, int level);

/* CSM descriptors (see the top of this file) */
#define S2TTE_CSM_CONSUMER	BIT(56)
#define S2TTE_CSM_REGION	BIT(57)
#define S2TTE_CSM_MARK_NONE	0UL
#define S2TTE_CSM_MARK_RESERVED	1UL
#define S2TTE_CSM_MARK_GONE	2UL
/* A level-3 page: region page (ro: sealed) or consumer page (ro: RO grant). */
uint64_t s2tte_create_csm_region(uint64_t pa, bool ro);
uint64_t s2tte_create_csm_consumer(uint64_t pa, bool ro);
/* An invalid level-3 entry with a CSM mark (RESERVED or GONE). */
uint64_t s2tte_create_csm_marked(unsigned long mark);
/* The mark of an invalid entry (S2TTE_CSM_MARK_NONE if none or valid). */
unsigned long s2tte_csm_mark(uint64_t s2tte);
/* Any of the four CSM states. */
bool s2tte_is_csm(uint64_t s2tte, int level);
bool s2tte_is_csm_region(uint64_t s2tte, int level);
bool s2tte_is_csm_consumer(uint64_t s2tte, int level);
/* Valid and read-only in stage 2. */
bool s2tte_is_read_only(uint64_t s2tte);

/* Descriptor predicates and fields */
bool s2tte_is_table(uint64_t s2tte, int level);
bool s2tte_is_unassigned(uint64_t s2tte);
bool s2tte_is_unassigned_ns(uint64_t s2tte);
bool s2tte_is_assigned(uint64_t s2tte, int level);	/* protected */
bool s2tte_is_assigned_ns(uint64_t s2tte, int level);
bool s2tte_is_live(uint64_t s2tte, int level);
/*
 * Counts in its table's refcount (RMM v1.0 RTT liveness: ASSIGNED or
 * TABLE; an ASSIGNED_NS entry does not keep an RTT alive).
 */
bool s2tte_counts_in_refcount(uint64_t s2tte, int level);
/* The same protected entry (UNASSIGNED or ASSIGNED) with another RIPAS. */
uint64_t s2tte_with_ripas(uint64_t s2tte, int level, unsigned long ripas);
unsigned long s2tte_get_ripas(uint64_t s2tte, int level);
uint64_t s2tte_pa(uint64_t s2tte);
/* The host-visible value of the entry for RTT_READ_ENTRY (state, desc). */
unsigned long s2tte_rmi_state(uint64_t s2tte, int level);
uint64_t s2tte_rmi_desc(uint64_t s2tte, int level);

/* Hardware attribute bits (used by the platform for VTCR and tests). */
#define S2TTE_VALID		0x1UL
#define S2TTE_TABLE_OR_PAGE	0x3UL
#define S2TTE_BLOCK		0x1UL
#define S2TTE_TYPE_MASK		0x3UL
#define S2TTE_MEMATTR_SHIFT	2
#define S2TTE_MEMATTR_MASK	(0xFUL << S2TTE_MEMATTR_SHIFT)
/*
 * The RMM runs realms with HCR_EL2.FWB = 1 (FEAT_S2FWB, RMM v1.0 A5.5.11):
 * MemAttr[3] is RES0 and MemAttr[2:0] = 0b0xx Device, 0b101 Normal
 * Non-cacheable, 0b110 Normal Write-Back (whatever stage 1 says), 0b111
 * stage 1's attributes; 0b100 is reserved.  The host controls MemAttr[2:0]
 * of unprotected mappings.
 */
#define S2TTE_NS_MEMATTR_MASK	(0x7UL << S2TTE_MEMATTR_SHIFT)
#define S2TTE_MEMATTR_FWB_RESERVED	(0x4UL << S2TTE_MEMATTR_SHIFT)
#define S2TTE_MEMATTR_NORMAL_WB	(0x6UL << S2TTE_MEMATTR_SHIFT)
#define S2TTE_MEMATTR_DEV_NGNRE	(0x1UL << S2TTE_MEMATTR_SHIFT)
#define S2TTE_AP_SHIFT		6
#define S2TTE_AP_MASK		(0x3UL << S2TTE_AP_SHIFT)
#define S2TTE_AP_RW		(0x3UL << S2TTE_AP_SHIFT)
#define S2TTE_AP_RO		(0x1UL << S2TTE_AP_SHIFT)
#define S2TTE_SH_INNER		(0x3UL << 8)
#define S2TTE_AF		BIT(10)
#define S2TTE_XN		BIT(54)
#define S2TTE_NS		BIT(55)
#define S2TTE_OA_MASK		0x0000FFFFFFFFF000UL

#endif /* S2TT_H */
