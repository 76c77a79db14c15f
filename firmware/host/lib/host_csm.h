/*
 * The host's side of confidential shared memory (host/lib/csm.c): it
 * answers the CSM exits of the realms it runs, keeps a blackboard the
 * realms use to meet (host calls), and runs realms that block in trapped
 * WFIs until a doorbell names them.
 *
 * The host is the untrusted party here: it only ever sees availability
 * (which realm a doorbell wakes), the ranges it must populate or reclaim,
 * and the PAs of the granules it gave itself.
 */
#ifndef HOST_CSM_H
#define HOST_CSM_H

#include "host.h"

/*
 * The default CSM window (realm/csm_lib.h): 64 pages of RIPAS RAM, declared
 * at realm_build, inside the realm's first level-3 RTT.
 */
#define HOST_CSM_WINDOW		0x40100000UL
#define HOST_CSM_WINDOW_PAGES	64U
/* Granules the host populates per realm (a 4 MB region and some more). */
#define HOST_CSM_MAX_POP	2048U
#define HOST_CSM_MAX_META	8U
/* RTTs the host creates in a window that has none (level 2 and 3). */
#define HOST_CSM_MAX_RTTS	12U

/* Blackboard host calls and keys (realm/csm_lib.h). */
#define HC_POST			0xC501U
#define HC_GET			0xC502U
#define HOST_CSM_KEYS		64U

struct host_csm {
	struct host_realm *r;
	uint64_t win_base, win_top;	/* CSM exits must name ranges inside it */
	uint64_t pop[HOST_CSM_MAX_POP];	/* granules populated on CSM_POPULATE */
	unsigned int npop;
	struct {
		uint64_t pa, ipa;
		unsigned long level;
	} rtt[HOST_CSM_MAX_RTTS];	/* created for CSM_POPULATE/RELEASE, in order */
	unsigned int nrtt;
	uint64_t meta[HOST_CSM_MAX_META];	/* granules donated on CSM_META */
	unsigned int nmeta;
	bool bell;		/* a doorbell named it while it was not waiting */
	bool waiting;		/* in a trapped WFI, not entered until a doorbell */
	unsigned int populates, releases, metas, rung, woken, wfis;
};

/*
 * Set up n realms (rs[i], cs[i]) before realm_build: the CSM window as
 * extra RIPAS RAM, the host_csm back-pointers, an empty blackboard.
 */
void host_csm_init(struct host_realm *rs, struct host_csm *cs, unsigned int n);

/*
 * After host_csm_init, before realm_build: the realm picks its own CSM
 * window [base, top) (realm/kernel's driver: [2^36, 2^37), RIPAS EMPTY, no
 * RTTs).  Nothing is declared RIPAS RAM: CSM_SHARE turns what it shares
 * into RAM, and the host creates the RTTs a CSM exit needs.
 */
void host_csm_set_window(struct host_csm *c, uint64_t base, uint64_t top);

/* The blackboard: what realms posted (0: nothing), and the host's own posts. */
uint64_t host_csm_get(uint64_t key);
void host_csm_post(uint64_t key, uint64_t value);

/*
 * Handle the exit of a REC of cs[i]: the CSM exits (populate, release,
 * metadata, doorbells), a trapped WFI, and the blackboard host calls.
 * true if handled (false: the caller's default handling).
 */
bool host_csm_exit(struct host_csm *c, struct rmi_rec_run *run);

/*
 * Round-robin over the realms' REC 0 with WFI trapped, skipping a realm
 * that waits for a doorbell, until every realm powered off; a realm that
 * rang a doorbell is entered again at once.  If every
 * live realm waits, a wake-up was lost: that is a failure and the run
 * stops.  hook (may be NULL) sees each exit first.
 */
void host_csm_run(host_exit_hook hook);

/*
 * Teardown around realm_teardown(): first every assigned page of the
 * window (the default one, or every level-3 RTT the host created) is
 * destroyed (the provider's region pages, a consumer's views), what the
 * host populated is undelegated and the RTTs it created are destroyed;
 * afterwards the metadata granules REALM_DESTROY returned are undelegated.
 */
void host_csm_unmap_window(struct host_csm *c);
void host_csm_after_teardown(struct host_csm *c);

/* Exits, doorbells, WFIs of the whole run (for the report). */
void host_csm_report(void);

#endif /* HOST_CSM_H */
