/* SPDX-License-Identifier: Apache-2.0 */
/* The sim harness's extras for sim-only cases (ct_sim.c). */
#ifndef CAEC_TESTS_CT_SIM_H
#define CAEC_TESTS_CT_SIM_H

/* SIGKILL this case's caec-simd; start a new one (the case's teardown
 * requires a daemon that shuts down cleanly). */
void ct_sim_kill_platform(void);
void ct_sim_restart_platform(void);

#endif
