/*
 * Running realms that run the realm kernel (realm/kernel) and talk over
 * CSM: kernel_run.c.  Each realm idles in trapped WFIs; the host enters
 * it again when its virtual timer is due (and injects the timer's
 * interrupt, virtual INTID 27), when a CSM_DOORBELL names it, or when a
 * peer harness message arrives for it (realm_harness.h).  The CSM exits
 * are host/lib/csm.c's.
 */
#ifndef HOST_KERNEL_RUN_H
#define HOST_KERNEL_RUN_H

#include "host_csm.h"

#define HOST_KRUN_MAX	4U

/*
 * A message a realm sent to the host itself (HC_PEER_SEND to
 * HC_PEER_HOST): the scenario's to act on (may be NULL).
 */
typedef void (*host_krun_msg_fn)(unsigned int from, uint64_t tag, uint64_t value);

/*
 * Run realms rs[0..n) (built, their CSM state in cs[]) until every one has
 * powered off, each entered for at most slice_ms before the host's timer
 * preempts it (a realm spinning on a peer must let the peer run; the
 * realms' console lines are whole whatever the slice: realm_console.c).
 * A run in which every live realm waits without a timer is a lost
 * wake-up: it fails and stops.
 */
void host_krun(struct host_realm *rs, struct host_csm *cs, unsigned int n,
	       host_krun_msg_fn on_msg, unsigned int slice_ms);

/*
 * host_krun() in steps, for a scenario that moves realms between CPUs:
 * begin, then loop (as host_krun, until every realm is off or stop(), if
 * given, says so after a round), then host_krun_one() on each CPU for one
 * realm each (no preemption timer; exits are handled one at a time), or
 * loop again.  host_krun_post() queues a peer-harness message from the
 * host (HC_PEER_HOST) to realm `to`: 0 queued, 1 not.
 */
void host_krun_begin(struct host_realm *rs, struct host_csm *cs, unsigned int n,
		     host_krun_msg_fn on_msg);
void host_krun_loop(unsigned int slice_ms, bool (*stop)(void));
void host_krun_one(unsigned int i);
uint64_t host_krun_post(unsigned int to, uint64_t tag, uint64_t value);

/* The exit status realm i's kernel reported (-1: none), and the report line. */
long host_krun_exit_status(unsigned int i);
void host_krun_report(void);

#endif
