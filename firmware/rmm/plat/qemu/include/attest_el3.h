/* The RMM's crypto heap and attestation state at the cold boot (attest_el3.c). */
#ifndef ATTEST_EL3_H
#define ATTEST_EL3_H

void plat_attest_boot(void);

#endif /* ATTEST_EL3_H */
