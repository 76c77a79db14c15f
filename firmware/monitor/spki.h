/*
 * A P-384 public key as SubjectPublicKeyInfo (RFC 5480): DER and PEM, for
 * the platform key the monitor prints and names (kid) at boot.  Portable:
 * monitor/tests/test_spki.c checks it against mbedTLS's own writers.
 */
#ifndef MONITOR_SPKI_H
#define MONITOR_SPKI_H

#include <stddef.h>
#include <stdint.h>

#define SPKI_P384_POINT_SIZE	97U	/* 0x04 || x || y */
#define SPKI_P384_DER_SIZE	120U
#define SPKI_P384_PEM_MAX	256U

/* DER of an uncompressed point: SPKI_P384_DER_SIZE bytes into der. */
void spki_p384_der(const uint8_t point[SPKI_P384_POINT_SIZE],
		   uint8_t der[SPKI_P384_DER_SIZE]);
/* PEM ("-----BEGIN PUBLIC KEY-----", 64-column base64): its length, NUL
 * written after it; 0 if cap is too small. */
size_t spki_p384_pem(const uint8_t point[SPKI_P384_POINT_SIZE], char *out, size_t cap);

#endif /* MONITOR_SPKI_H */
