/*
 * The CSM driver's internal state (csm.c, csm_ioctl.c, csm_rsi.c).
 *
 * Every region this realm shares (provider), attaches (consumer) or, in a
 * test kernel, maps from never-populated IPA (KTEST_MAP_EMPTY) is a
 * struct caec_region owned by one open file of /dev/caec.  Its IPA range
 * comes from one window of the protected IPA space above the realm's RAM
 * (range_alloc: a guard granule between ranges) and is mapped into at
 * most one application's address space at a time.
 */
#ifndef KERNEL_CSM_H
#define KERNEL_CSM_H

#include <stdbool.h>
#include <stdint.h>

#include <caec/abi/csm.h>
#include <caec/abi/driver.h>

#include "kernel.h"

#define CSM_MAX_FILES		8U
#define CSM_MAX_REGIONS		16U
#define CSM_MAX_GRANTS		8U	/* grants a provided region remembers, for NOTIFY */
#define CSM_EVENTS		16U
#define CSM_MAX_REGION_SIZE	(1UL << 30)

enum region_kind { R_PROVIDED, R_ATTACHED, R_TEST_EMPTY };

struct caec_region {
	bool used;
	enum region_kind kind;
	bool revoked;			/* a fault or the RMM said it is gone */
	struct caec_file *file;
	uint64_t id;			/* region ID (provided) or grant ID (attached) */
	uint64_t ipa, size;
	uint32_t perm;
	bool sealed;
	uint64_t mmap_offset;
	struct proc *map_proc;		/* NULL: not mapped */
	uint64_t map_va;
	bool map_rw;			/* the stage-1 mapping is writable */
	uint64_t grants[CSM_MAX_GRANTS];
	unsigned int ngrants;
};

struct caec_file {
	bool used;
	struct proc *owner;
	struct caec_drv_event ev[CSM_EVENTS];
	unsigned int ev_head, ev_count;
	bool ev_lost;
};

/* csm.c */
extern struct caec_region csm_regions[CSM_MAX_REGIONS];
struct caec_region *csm_region_new(struct caec_file *f, enum region_kind kind, uint64_t size);
int csm_region_ipa(struct caec_region *r, uint64_t size);
void csm_region_free(struct caec_region *r);
struct caec_region *csm_region_by_id(struct caec_file *f, uint64_t id, enum region_kind kind);
void csm_unmap(struct caec_region *r);
void csm_post_event(struct caec_file *f, uint32_t type, uint64_t id, uint64_t addr);
bool csm_pop_event(struct caec_file *f, struct caec_drv_event *out);
void csm_probe_revoked(struct proc *p, struct caec_file *f);
int csm_protect(struct caec_region *r, bool rw);
bool csm_fault_why(struct proc *p, uint64_t far, uint64_t esr, const char *who);

/* csm_rsi.c: RSI CSM calls.  Each returns 0 or a negative errno value. */
struct csm_version {
	bool present;			/* the RMM implements CSM_VERSION */
	uint32_t lowest, highest;
	uint64_t features;
};
void csm_rsi_version(struct csm_version *v);
int csm_rsi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t out[5]);
const char *csm_rsi_name(uint64_t fid);
int csm_attest(const uint8_t challenge[CAEC_DRV_HASH_MAX], uint64_t utoken, uint32_t cap,
	       uint32_t *len);

/* platform_key.c: the host's copy of the platform key (untrusted) to ukey. */
int csm_platform_key(uint64_t ukey, uint32_t cap, uint32_t *len);

/* csm_ioctl.c */
int64_t csm_ioctl_dispatch(struct proc *p, struct caec_file *f, uint32_t cmd, uint64_t arg);

#endif /* KERNEL_CSM_H */
