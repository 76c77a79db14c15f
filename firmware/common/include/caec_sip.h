/*
 * caec's SiP calls to the EL3 monitor from the Normal world (SMCCC SiP
 * service range, SMC64).
 *
 * CAEC_SIP_PLATFORM_KEY () -> x0 = 0 and x1..x15 = the platform's public
 *   key (CPAK) as its 120-byte DER SubjectPublicKeyInfo, x1 first, each
 *   register little-endian; x0 = SMC_UNKNOWN (-1) if the platform has no
 *   attestation keys.  The key is public (the monitor also prints it at
 *   boot): a host hands it to realms, which trust it only when its SHA-256
 *   is the key id of the platform token their own RMM gave them.
 */
#ifndef CAEC_SIP_H
#define CAEC_SIP_H

#define CAEC_SIP_PLATFORM_KEY		0xC2000100UL
#define CAEC_SIP_PLATFORM_KEY_WORDS	15U	/* 120 bytes of DER */

#endif /* CAEC_SIP_H */
