/*
 * Platform interface of the RMM core.  Everything the portable runtime
 * needs from the machine goes through these functions: plat/qemu implements
 * them for Realm EL2 on QEMU, plat/native for the x86 unit tests.  The CSM
 * component (runtime/csm) uses the same stage-2 and GPT hooks.
 */
#ifndef PLAT_H
#define PLAT_H

#include <fw_utils.h>

struct rec;

/* Index of the calling CPU (0..PLAT_MAX_CPUS-1): selects per-CPU buffers. */
unsigned int plat_my_cpu(void);
/* Number of GICv3 list registers a REC can use (at most REC_GIC_NUM_LRS). */
unsigned int plat_gic_num_lrs(void);
/*
 * The CPU's ID register S3_0_C0_C<crm>_<op2> (crm 1..7: the space
 * HCR_EL2.TID3 traps); 0 for an encoding the platform does not read.
 */
uint64_t plat_id_reg(unsigned int crm, unsigned int op2);

/*
 * The host-delegable range whose granules the RMM tracks: on QEMU what
 * the monitor found in the device tree, at most PLAT_GRANULES_MAX granules.
 */
void plat_delegable_range(uint64_t *base, uint64_t *size);

/* RMM-private pointer to a granule in the Realm PAS (delegated memory). */
void *plat_granule_va(uint64_t pa);
/* RMM pointer through which a Normal-world granule can be accessed. */
void *plat_ns_va(uint64_t pa);

/* Ask EL3 to move a granule between the NS and Realm PAS (0 or -errno). */
int plat_gtsi_delegate(uint64_t pa);
int plat_gtsi_undelegate(uint64_t pa);

/* Stage-2 TLB maintenance after an RTT entry stopped being valid. */
void plat_s2_tlbi_ipa(unsigned int vmid, uint64_t ipa, unsigned long size);
void plat_s2_tlbi_vmid(unsigned int vmid);
/*
 * Invalidate, by VMID and IPA, the stage-2 entries of every 4 KB page of
 * [ipa, ipa + size), then the VMID's stage-1 entries (combined entries are
 * tagged by VA, not IPA), on every CPU, complete before it returns: what a
 * CSM unmap or permission change needs, never a whole-VMID stage-2 flush.
 */
void plat_s2_tlbi_pages(unsigned int vmid, uint64_t ipa, unsigned long size);

/* len unpredictable bytes from the hardware RNG (RNDR): 0, or -1 if none. */
int plat_entropy(void *buf, size_t len);

/*
 * Attestation (lib/attest).  EL3's services of the RMM-EL3 interface v1.0
 * (QEMU: SMCs to the monitor; native: a fake EL3 with its own keys), each
 * 0 or -1, called inside the crypto guard:
 *   the realm attestation key's private scalar (P-384, big endian);
 *   the platform token for a challenge (the hash of the RAK claim).
 */
int plat_el3_realm_attest_key(uint8_t key[48]);
int plat_el3_platform_token(const uint8_t *challenge, size_t challenge_len, uint8_t *token,
			    size_t cap, size_t *len);
/*
 * The crypto guard: mbedTLS (built for Linux, FP/SIMD inside) runs only
 * between these, one CPU at a time, with the FP/SIMD registers of whoever
 * owns them saved and put back (firmware/crypto).  Not nestable.
 */
void plat_crypto_begin(void);
void plat_crypto_end(void);
/* A physical interrupt is pending for this CPU (ISR_EL1): the host should run. */
bool plat_irq_pending(void);

/* What a realm did to leave the CPU (filled by plat_rec_run). */
#define REALM_EXC_SYNC	0U
#define REALM_EXC_IRQ	1U
#define REALM_EXC_FIQ	2U
#define REALM_EXC_SERROR 3U

struct realm_exception {
	unsigned int kind;	/* REALM_EXC_* */
	uint64_t esr;		/* ESR_EL2 */
	uint64_t far;		/* FAR_EL2 */
	uint64_t hpfar;		/* HPFAR_EL2 */
};

/* Run the REC at Realm EL1 until it traps to the RMM. */
void plat_rec_run(struct rec *rec, struct realm_exception *exc);

/*
 * Log one handled call: interface ("RMI", "RSI", "PSCI"), name, the
 * argument registers it takes and the result registers it returns.  Only
 * called on builds with RMM_LOG_CALLS (debug builds and the native tests).
 */
void plat_log_call(const char *iface, const char *name, const unsigned long *args,
		   unsigned int nargs, const unsigned long *res, unsigned int nres);

#endif /* PLAT_H */
