/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The part of liburcu's "bp" flavour libcaec uses, for applications of the
 * caec realm kernel, whose processes have one thread.
 *
 * RCU lets readers run while a revocation unpublishes a mapping, then
 * waits until no reader can still use it (region.c).  With one thread no
 * reader runs during a grace period, so the read-side section is empty
 * and synchronize returns at once; publication keeps its release/acquire
 * order.  (On the RSI backend the RMM takes a revoked region away at once
 * anyway: a reader inside a section then faults, on any platform; see
 * docs/backends.md.)
 */
#ifndef CAEC_REALM_URCU_BP_H
#define CAEC_REALM_URCU_BP_H

#define urcu_bp_read_lock() ((void)0)
#define urcu_bp_read_unlock() ((void)0)
#define urcu_bp_synchronize_rcu() ((void)0)
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define rcu_dereference(p) __atomic_load_n(&(p), __ATOMIC_ACQUIRE)

#endif
