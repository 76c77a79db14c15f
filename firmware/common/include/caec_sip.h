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

/*
 * REALM_HOST_CALL_PLATFORM_KEY: the RSI_HOST_CALL immediate with which a
 * realm asks its host for that key (the realm kernel's CAEC_IOC_PLATFORM_
 * KEY).  The host answers gprs[0] = 0 and gprs[1..15] = the DER, laid out
 * as x1..x15 above, or gprs[0] = 1 when it has no key.  What the host says
 * is untrusted: libcaec checks the key against the key id in a token of
 * the realm's own.
 */
#define REALM_HOST_CALL_PLATFORM_KEY	0xE418U

#endif /* CAEC_SIP_H */
