/*
 * The peer harness between realm applications of a test run: values they
 * send each other (realm and grant IDs, "go" steps, verdicts) through the
 * host, with host calls the realm kernel makes for them (test kernels
 * only: REALM_KERNEL_TEST_HOOKS).  The host is untrusted in CCA, and that
 * is fine here: it carries only what the tests exchange openly, it is not
 * the thing under test, and nothing it carries is a capability (the RMM
 * checks every attach against the grant, whoever learnt its ID).
 *
 * Shared by the realm kernel (realm/kernel/testhooks.c) and the host
 * library (host/lib/kernel_run.c).
 */
#ifndef REALM_HARNESS_H
#define REALM_HARNESS_H

/*
 * gprs[0] out: the number of realms in the run, [1]: the caller's index.
 * (From the host, not from x0 at boot: REC_CREATE measures x0, so realms
 * that must share one RIM, as peers running "my own image" do, all start
 * with x0 = 0.)
 */
#define HC_PEER_INFO	0xC510U
/*
 * gprs[0] = destination realm (HC_PEER_HOST: the host scenario itself),
 * [1] = tag, [2] = value.  Out gprs[0]: 0 queued, 1 queue full, 2 no such
 * realm.  Messages from one realm to another stay in order.
 */
#define HC_PEER_SEND	0xC511U
/*
 * gprs[0] = source realm, [1] = tag.  Messages from that realm with a
 * smaller tag are dropped (a run that gave up on them); out gprs[0] = 1
 * and [1] = the value if the first one left has this tag, else 0.
 */
#define HC_PEER_RECV	0xC512U
#define HC_PEER_HOST	0xFFU

#endif /* REALM_HARNESS_H */
