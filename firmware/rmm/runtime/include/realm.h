/*
 * Realm Descriptor (lives in the RD granule) and REC (in the REC granule).
 */
#ifndef REALM_H
#define REALM_H

#include <fp_regs.h>
#include <fw_utils.h>
#include <granule.h>
#include <plat.h>
#include <rd_csm.h>
#include <s2tt.h>
#include <sha256.h>
#include <smc-rmi.h>

enum realm_state {
	REALM_NEW = 0,
	REALM_ACTIVE,
	REALM_SYSTEM_OFF,
};

#define REALM_MAX_VMID	255U	/* 8-bit VMIDs (VTCR_EL2.VS = 0) */
/*
 * RMI_FEATURES.MAX_RECS_ORDER: a realm has at most 2^8 - 1 RECs at a time
 * (REC_CREATE answers RMI_ERROR_REALM beyond that).
 */
#define REALM_MAX_RECS_ORDER	8U
#define REALM_MAX_RECS		((1UL << REALM_MAX_RECS_ORDER) - 1UL)
/*
 * RMI_FEATURES.NUM_BPS / NUM_WPS ("number minus one", 0 reserved): the
 * architectural minimum of two breakpoints and two watchpoints.  A realm
 * asks for exactly that (RmiRealmParams.num_bps = num_wps = 1).
 */
#define REALM_NUM_BPS		1UL
#define REALM_NUM_WPS		1UL

/* RSI_MEASUREMENT_READ / _EXTEND: index 1..4, the REMs (RMM v1.0 A7.1.2). */
#define REALM_NUM_REMS		4U

struct rd {
	uint32_t state;			/* enum realm_state, under RD lock */
	uint32_t hash_algo;
	struct s2tt_ctx s2;		/* RTT geometry, fixed at create */
	uint8_t rim[SHA256_DIGEST_SIZE];
	uint8_t rem[REALM_NUM_REMS][SHA256_DIGEST_SIZE];	/* under RD lock */
	uint8_t rpv[64];
	uint64_t num_recs_created;	/* the next REC's index (never decreases) */
	struct rd_csm csm;		/* confidential shared memory (runtime/csm) */
};
COMPILER_ASSERT(sizeof(struct rd) <= GRANULE_SIZE, "RD fits a granule");

/* Saved Realm EL1 system registers (switched by plat_rec_run). */
struct rec_sysregs {
	uint64_t sctlr_el1, tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, sp_el1, sp_el0, elr_el1, spsr_el1, esr_el1, far_el1;
	uint64_t cpacr_el1, tpidr_el1, tpidr_el0, tpidrro_el0, contextidr_el1;
	uint64_t par_el1, afsr0_el1, afsr1_el1, cntkctl_el1, csselr_el1;
	uint64_t vmpidr_el2;
	uint64_t vdisr_el2;		/* the realm's DISR_EL1 (HCR_EL2.AMO) */
};


/*
 * Realm EL1 timers (RMM v1.0 A6.2): the values the realm programmed, and
 * whether the RMM set IMASK on entry because the timer was already
 * asserted in the state last reported to the host.
 */
struct rec_timer {
	uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	uint32_t v_masked, p_masked;
};

/* Virtual GIC CPU interface (RMM v1.0 A6.1). */
struct rec_gic {
	uint64_t hcr;			/* from enter.gicv3_hcr; host-owned bits only */
	uint64_t lrs[REC_GIC_NUM_LRS];	/* in from enter, out to exit */
	uint64_t misr;			/* ICH_MISR_EL2 at the exit */
	uint64_t vmcr;			/* ICH_VMCR_EL2: the realm's, kept per REC */
	uint64_t ap0r0, ap1r0;		/* active priorities: the realm's */
};

/*
 * RMI_REC_AUX_COUNT: each REC has this many auxiliary granules (state
 * REC_AUX while the REC exists); they hold its attestation token
 * (lib/attest: ATTEST_AUX_GRANULES, runtime/rsi/attest.c).
 */
#define REC_AUX_GRANULES	3U

/* Attestation token generation on a REC (RMM v1.0 A7.2.2, B5.3.1/2). */
enum rec_attest_state {
	REC_NO_ATTEST_IN_PROGRESS = 0,
	REC_ATTEST_IN_PROGRESS,
};

struct rec_attest {
	uint32_t state;			/* enum rec_attest_state */
	uint32_t failed;		/* INIT could not make the token: CONTINUE says UNKNOWN */
	uint32_t is_signed;		/* the first CONTINUE signed it */
	uint32_t _pad;
	uint64_t len;			/* the token's length, in the aux granules */
	uint64_t copied;		/* bytes given to the realm so far */
	/* Where the realm COSE_Sign1's parts lie (struct token_sign1_layout). */
	uint64_t prot_off, prot_len, payload_off, payload_len, sig_off;
};

struct rec {
	uint64_t regs[31];		/* x0..x30: offset 0, used by assembly */
	uint64_t pc;			/* ELR_EL2 */
	uint64_t pstate;		/* SPSR_EL2 */
	struct rec_sysregs sysregs;
	uint64_t rd_addr;		/* owning realm */
	uint64_t mpidr;			/* MPIDR_EL1 form: Aff3 in [39:32] */
	uint32_t runnable;
	uint32_t vmid;
	struct s2tt_ctx s2;		/* copy of the RD's, for the run loop */
	uint64_t host_call_ipa;		/* the RsiHostCall while one is pending */
	uint32_t host_call_pending;
	/*
	 * PSCI CPU_ON or AFFINITY_INFO waits for RMI_PSCI_COMPLETE; the
	 * request (FID, target MPIDR, entry, context) stays in regs[0..3].
	 */
	uint32_t psci_pending;
	/*
	 * RIPAS change requested by RSI_IPA_STATE_SET (RMM v1.0 A5.4): the
	 * next address to change (ripas_addr), the top of the request, the
	 * RIPAS asked for and whether a change from DESTROYED is allowed.
	 */
	uint32_t ripas_pending;
	uint32_t ripas_destroyed;
	uint64_t ripas_addr, ripas_top, ripas_value;
	uint32_t trap_wfi, trap_wfe;	/* from enter.flags of this REC_ENTER */
	uint32_t emulatable_abort;	/* last exit: emulatable data abort (A4.3.4.3) */
	uint32_t emul_srt, emul_write;	/* ... its register and direction */
	uint32_t unprot_abort;		/* last exit: data abort at an unprotected IPA */
	uint64_t abort_esr, abort_far;	/* ... its ESR_EL2 and FAR_EL2 (for INJECT_SEA) */
	struct rec_timer timer;
	struct rec_gic gic;
	uint64_t aux[REC_AUX_GRANULES];	/* PAs of the auxiliary granules */
	struct rec_attest attest;
	struct fp_regs fp;		/* saved by plat_rec_run (fp_regs.S) */
};
COMPILER_ASSERT(sizeof(struct rec) <= GRANULE_SIZE, "REC fits a granule");
ASSERT_OFFSET(struct rec, pc, 31 * 8);
ASSERT_OFFSET(struct rec, pstate, 32 * 8);

/*
 * REC MPIDRs come in two layouts.  The host names a REC with an RmiRecMpidr
 * (RMM v1.0 B4.4.18: Aff0[3:0], Aff1[15:8], Aff2[23:16], Aff3[31:24],
 * every other bit zero); the realm sees and names its vCPUs with MPIDR_EL1
 * values (Aff3 in [39:32]), e.g. in PSCI CPU_ON.  Both give the same REC
 * index (A2.3.3: Aff3:Aff2:Aff1:Aff0[3:0]).  A realm's RECs are created in
 * index order, so an MPIDR names a REC exactly when its index is below
 * rd->num_recs_created.
 */
#define RMI_REC_MPIDR_MASK	0xFFFFFF0FUL
#define REC_MPIDR_MASK		0xFF00FFFF0FUL

static inline uint64_t rec_mpidr_to_index(uint64_t aff0, uint64_t aff1, uint64_t aff2,
					  uint64_t aff3)
{
	return aff0 + 16UL * aff1 + 16UL * 256UL * aff2 + 16UL * 256UL * 256UL * aff3;
}

/* RecIndex of an RmiRecMpidr; false if reserved bits are set. */
static inline bool rmi_rec_mpidr_index(uint64_t mpidr, uint64_t *index)
{
	if ((mpidr & ~RMI_REC_MPIDR_MASK) != 0UL) {
		return false;
	}
	*index = rec_mpidr_to_index(mpidr & 0xFUL, (mpidr >> 8) & 0xFFUL, (mpidr >> 16) & 0xFFUL,
				    (mpidr >> 24) & 0xFFUL);
	return true;
}

/* The MPIDR_EL1 value of the REC an RmiRecMpidr names. */
static inline uint64_t rmi_rec_mpidr_to_mpidr(uint64_t mpidr)
{
	return (mpidr & 0xFFFF0FUL) | (((mpidr >> 24) & 0xFFUL) << 32);
}

/* The REC index of an MPIDR_EL1 value (PSCI target); false if invalid. */
static inline bool rec_mpidr_index(uint64_t mpidr, uint64_t *index)
{
	if ((mpidr & ~REC_MPIDR_MASK) != 0UL) {
		return false;
	}
	*index = rec_mpidr_to_index(mpidr & 0xFUL, (mpidr >> 8) & 0xFFUL, (mpidr >> 16) & 0xFFUL,
				    (mpidr >> 32) & 0xFFUL);
	return true;
}

/* Realm EL1h with DAIF masked: the state a REC starts in. */
#define REC_INITIAL_PSTATE	0x3C5UL
/* SCTLR_EL1 RES1 bits, MMU and caches off: a REC's EL1 after "reset". */
#define REC_INITIAL_SCTLR	0x30D00800UL

static inline struct rd *granule_rd(struct granule *g)
{
	return (struct rd *)plat_granule_va(granule_addr(g));
}

static inline struct rec *granule_rec(struct granule *g)
{
	return (struct rec *)plat_granule_va(granule_addr(g));
}

/* VMID allocator shared by REALM_CREATE/DESTROY. */
bool vmid_reserve(unsigned int vmid);
void vmid_free(unsigned int vmid);
void vmid_reset(void);

#endif /* REALM_H */
