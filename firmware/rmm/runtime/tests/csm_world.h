/*
 * A small world for the CSM tests on the fake host: realms that issue RSI
 * calls and touch their memory the way the MMU would, and a host that
 * answers their CSM exits.  Shared by test_csm.c and test_csm_fuzz.c.
 *
 * Each realm: RD, level-1 root, one level-2 and one level-3 RTT covering
 * [TEST_IPA_BASE, +2 MB); RIPAS RAM over the first W_RAM_PAGES pages, of
 * which the first W_PRIV_PAGES are populated (private RAM); one REC;
 * ACTIVE.  Provider regions go in [W_CSM_BASE, ...) (RAM, unpopulated
 * until a CSM_POPULATE exit), consumer reservations in [W_RSV_BASE, ...)
 * (RIPAS EMPTY).
 */
#ifndef CSM_WORLD_H
#define CSM_WORLD_H

#include "caec_test.h"
#include "rmm_test.h"

#include <caec/abi/csm.h>
#include <s2tt.h>
#include <smc-csm.h>

#define G		GRANULE_SIZE
#define W_PRIV_PAGES	8U
#define W_RAM_PAGES	192U
#define W_CSM_BASE	(TEST_IPA_BASE + 64UL * G)
#define W_RSV_BASE	(TEST_IPA_BASE + 256UL * G)
#define W_MAX_META	16U
#define W_MAX_POP	160U

struct w_realm {
	struct test_realm t;
	uint64_t rec, run;
	uint64_t aux[REC_AUX_GRANULES];	/* the REC's auxiliary granules */
	uint64_t id;			/* CSM_REALM_ID */
	uint64_t priv[W_PRIV_PAGES];	/* private DATA granules */
	uint64_t meta[W_MAX_META];	/* donated metadata granules */
	unsigned int nmeta;
	uint64_t pop[W_MAX_POP];	/* granules the host populated on CSM_POPULATE */
	unsigned int npop;
	bool off;			/* SYSTEM_OFF */
	bool destroyed;
};

/* What a realm's RSI call returned. */
struct w_call {
	unsigned long rmi;		/* REC_ENTER status */
	unsigned long x[9];		/* the REC's x0..x8 afterwards */
	struct rmi_rec_exit exit;	/* the exit the host saw */
	bool returned;			/* the realm ran on after the call (no exit) */
};

/* A failed CSM call's error detail: x1 holds the caec error negated
 * (docs/abi.md); for assert_caec_err(), which names it. */
static inline int w_detail(const struct w_call *c)
{
	return c->x[1] <= (unsigned long)INT32_MAX ? -(int)c->x[1] : INT32_MIN;
}

/* Forget the granules given back (call from each test's setup). */
void w_world_reset(void);
/* NS granules, reused once given back (long random runs). */
uint64_t w_alloc_ns(void);
void w_free_ns(uint64_t pa);
/* A delegated granule (w_alloc_ns + GRANULE_DELEGATE), and back. */
uint64_t w_alloc_delegated(void);
void w_undelegate(uint64_t pa);

/* Build an ACTIVE realm with VMID vmid and learn its realm ID. */
void w_realm_make(struct w_realm *r, unsigned int vmid);

/* The realm issues one SMC (x0 = fid) and stops; the REC exit says why. */
void w_rsi(struct w_realm *r, unsigned long fid, unsigned long a1, unsigned long a2,
	   unsigned long a3, unsigned long a4, struct w_call *out);
/* The same with x1..x10 (x5..x10 are zero for w_rsi). */
void w_rsi10(struct w_realm *r, unsigned long fid, const unsigned long a[10], struct w_call *out);

/*
 * The same, with a cooperative host: CSM_POPULATE, CSM_RELEASE and
 * CSM_META exits are answered (populate, reclaim, donate) and the call
 * re-issued, as a realm does on RSI_ERROR_BUSY.  Returns x0.
 */
unsigned long w_rsi_helped(struct w_realm *r, unsigned long fid, unsigned long a1,
			   unsigned long a2, unsigned long a3, unsigned long a4, struct w_call *out);

/* Host actions behind w_rsi_helped. */
void w_host_populate(struct w_realm *r, uint64_t base, uint64_t top);
void w_host_release(struct w_realm *r, uint64_t base, uint64_t top);
uint64_t w_host_meta_add(struct w_realm *r);

enum w_result {
	WA_OK,		/* the access went through */
	WA_SEA,		/* the RMM injected a synchronous external abort */
	WA_EXIT,		/* the RMM exited to the host (a stage-2 abort exit) */
};

/*
 * A load or store of 8 bytes at ipa, as the MMU would do it: through a
 * valid stage-2 entry with the right permission it happens (on the fake
 * DRAM); otherwise the realm takes the stage-2 fault and the RMM decides.
 */
enum w_result w_access(struct w_realm *r, uint64_t ipa, bool write, uint64_t *val);

/* The level-3 entry of ipa in r (test view, no lock). */
uint64_t w_entry(const struct w_realm *r, uint64_t ipa);

/*
 * Tear the realm down as a host does: RECs, every assigned page
 * (DATA_DESTROY), RTTs, REALM_DESTROY; then undelegate everything it
 * delegated for it, metadata granules included.
 */
void w_realm_teardown(struct w_realm *r);

#endif /* CSM_WORLD_H */
