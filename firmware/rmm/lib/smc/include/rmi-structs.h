/*
 * Layouts of the Normal-world structures the RMI reads and writes
 * (RMM v1.0): RmiRealmParams, RmiRecParams, RmiRecRun.  Every member is
 * pinned to its specification offset by the asserts at the bottom.
 */
#ifndef RMI_STRUCTS_H
#define RMI_STRUCTS_H

#include <fw_utils.h>
#include <smc-rmi.h>

struct rmi_realm_params {
	uint64_t flags;			/* 0x000 RMI_REALM_FLAGS_* */
	uint64_t s2sz;			/* 0x008 IPA width (low 8 bits used) */
	uint64_t sve_vl;		/* 0x010 */
	uint64_t num_bps;		/* 0x018 */
	uint64_t num_wps;		/* 0x020 */
	uint64_t pmu_num_ctrs;		/* 0x028 */
	uint8_t hash_algo;		/* 0x030 RMI_HASH_* */
	uint8_t _pad0[0x400 - 0x031];
	uint8_t rpv[64];		/* 0x400 Realm Personalization Value */
	uint8_t _pad1[0x800 - 0x440];
	uint16_t vmid;			/* 0x800 */
	uint8_t _pad2[6];
	uint64_t rtt_base;		/* 0x808 */
	int64_t rtt_level_start;	/* 0x810 */
	uint32_t rtt_num_start;		/* 0x818 */
	uint8_t _pad3[0x1000 - 0x81C];
};

#define RMI_REALM_FLAGS_LPA2	BIT(0)
#define RMI_REALM_FLAGS_SVE	BIT(1)
#define RMI_REALM_FLAGS_PMU	BIT(2)

struct rmi_rec_params {
	uint64_t flags;			/* 0x000 REC_PARAMS_FLAG_* */
	uint8_t _pad0[0x100 - 0x008];
	uint64_t mpidr;			/* 0x100 */
	uint8_t _pad1[0x200 - 0x108];
	uint64_t pc;			/* 0x200 */
	uint8_t _pad2[0x300 - 0x208];
	uint64_t gprs[REC_CREATE_NR_GPRS];	/* 0x300 x0..x7 */
	uint8_t _pad3[0x800 - 0x340];
	uint64_t num_aux;		/* 0x800 */
	uint64_t aux[REC_PARAMS_AUX_GRANULES];	/* 0x808 */
	uint8_t _pad4[0x1000 - 0x888];
};

struct rmi_rec_entry {
	uint64_t flags;			/* 0x000 REC_ENTRY_FLAG_* */
	uint8_t _pad0[0x200 - 0x008];
	uint64_t gprs[REC_EXIT_NR_GPRS];	/* 0x200 */
	uint8_t _pad1[0x300 - 0x2F8];
	uint64_t gicv3_hcr;		/* 0x300 */
	uint64_t gicv3_lrs[REC_GIC_NUM_LRS];	/* 0x308 */
	uint8_t _pad2[0x800 - 0x388];
};

#define REC_ENTRY_FLAG_EMUL_MMIO	BIT(0)
#define REC_ENTRY_FLAG_INJECT_SEA	BIT(1)
#define REC_ENTRY_FLAG_TRAP_WFI		BIT(2)
#define REC_ENTRY_FLAG_TRAP_WFE		BIT(3)
#define REC_ENTRY_FLAG_RIPAS_RESPONSE	BIT(4)	/* RMI_REJECT */

struct rmi_rec_exit {
	uint64_t exit_reason;		/* 0x000 RMI_EXIT_* */
	uint8_t _pad0[0x100 - 0x008];
	uint64_t esr;			/* 0x100 */
	uint64_t far;			/* 0x108 */
	uint64_t hpfar;			/* 0x110 */
	uint8_t _pad1[0x200 - 0x118];
	uint64_t gprs[REC_EXIT_NR_GPRS];	/* 0x200 */
	uint8_t _pad2[0x300 - 0x2F8];
	uint64_t gicv3_hcr;		/* 0x300 */
	uint64_t gicv3_lrs[REC_GIC_NUM_LRS];	/* 0x308 */
	uint64_t gicv3_misr;		/* 0x388 */
	uint64_t gicv3_vmcr;		/* 0x390 */
	uint8_t _pad3[0x400 - 0x398];
	uint64_t cntp_ctl;		/* 0x400 */
	uint64_t cntp_cval;		/* 0x408 */
	uint64_t cntv_ctl;		/* 0x410 */
	uint64_t cntv_cval;		/* 0x418 */
	uint8_t _pad4[0x500 - 0x420];
	uint64_t ripas_base;		/* 0x500 */
	uint64_t ripas_top;		/* 0x508 */
	uint64_t ripas_value;		/* 0x510 */
	uint8_t _pad5[0x600 - 0x518];
	uint16_t imm;			/* 0x600 host call immediate */
	uint8_t _pad6[0x700 - 0x602];
	uint64_t pmu_ovf_status;	/* 0x700 */
	uint8_t _pad7[0x800 - 0x708];
};

struct rmi_rec_run {
	struct rmi_rec_entry entry;	/* 0x000 */
	struct rmi_rec_exit exit;	/* 0x800 */
};

/* RsiHostCall, in realm memory (protected IPA given in x1) */
struct rsi_host_call {
	uint16_t imm;			/* 0x000 */
	uint8_t _pad0[6];
	uint64_t gprs[REC_HOST_CALL_NR_GPRS];	/* 0x008 */
};

/* RsiRealmConfig, in realm memory (4 KB aligned protected IPA in x1) */
struct rsi_realm_config {
	uint64_t ipa_width;		/* 0x000 */
	uint8_t hash_algo;		/* 0x008 */
	uint8_t _pad0[0x200 - 0x009];
	uint8_t rpv[64];		/* 0x200 */
	uint8_t _pad1[0x1000 - 0x240];
};

COMPILER_ASSERT(sizeof(struct rmi_realm_params) == 0x1000, "realm params size");
ASSERT_OFFSET(struct rmi_realm_params, hash_algo, 0x30);
ASSERT_OFFSET(struct rmi_realm_params, rpv, 0x400);
ASSERT_OFFSET(struct rmi_realm_params, vmid, 0x800);
ASSERT_OFFSET(struct rmi_realm_params, rtt_base, 0x808);
ASSERT_OFFSET(struct rmi_realm_params, rtt_level_start, 0x810);
ASSERT_OFFSET(struct rmi_realm_params, rtt_num_start, 0x818);
COMPILER_ASSERT(sizeof(struct rmi_rec_params) == 0x1000, "rec params size");
ASSERT_OFFSET(struct rmi_rec_params, mpidr, 0x100);
ASSERT_OFFSET(struct rmi_rec_params, pc, 0x200);
ASSERT_OFFSET(struct rmi_rec_params, gprs, 0x300);
ASSERT_OFFSET(struct rmi_rec_params, num_aux, 0x800);
ASSERT_OFFSET(struct rmi_rec_params, aux, 0x808);
COMPILER_ASSERT(sizeof(struct rmi_rec_run) == 0x1000, "rec run size");
ASSERT_OFFSET(struct rmi_rec_run, exit, 0x800);
ASSERT_OFFSET(struct rmi_rec_entry, gprs, 0x200);
ASSERT_OFFSET(struct rmi_rec_entry, gicv3_hcr, 0x300);
ASSERT_OFFSET(struct rmi_rec_exit, esr, 0x100);
ASSERT_OFFSET(struct rmi_rec_exit, hpfar, 0x110);
ASSERT_OFFSET(struct rmi_rec_exit, gprs, 0x200);
ASSERT_OFFSET(struct rmi_rec_exit, gicv3_vmcr, 0x390);
ASSERT_OFFSET(struct rmi_rec_exit, cntv_cval, 0x418);
ASSERT_OFFSET(struct rmi_rec_exit, ripas_base, 0x500);
ASSERT_OFFSET(struct rmi_rec_exit, ripas_top, 0x508);
ASSERT_OFFSET(struct rmi_rec_exit, imm, 0x600);
ASSERT_OFFSET(struct rmi_rec_exit, pmu_ovf_status, 0x700);
ASSERT_OFFSET(struct rsi_host_call, gprs, 0x8);
ASSERT_OFFSET(struct rsi_realm_config, hash_algo, 0x8);
ASSERT_OFFSET(struct rsi_realm_config, rpv, 0x200);
COMPILER_ASSERT(sizeof(struct rsi_host_call) == 0x100, "RsiHostCall size");

#endif /* RMI_STRUCTS_H */
