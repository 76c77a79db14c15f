/*
 * SubjectPublicKeyInfo of a P-384 key, written without a DER encoder: for
 * one curve and the uncompressed form every byte before the point is
 * fixed (RFC 5480 section 2):
 *
 *   SEQUENCE (0x76) {
 *     SEQUENCE (0x10) { OID id-ecPublicKey 1.2.840.10045.2.1,
 *                       OID secp384r1 1.3.132.0.34 }
 *     BIT STRING (0x62, 0 unused bits) { 0x04 || x || y }
 *   }
 */
#include <spki.h>
#include <string.h>

static const uint8_t der_prefix[] = {
	0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00,
};

_Static_assert(sizeof(der_prefix) + SPKI_P384_POINT_SIZE == SPKI_P384_DER_SIZE,
	       "SPKI size");

void spki_p384_der(const uint8_t point[SPKI_P384_POINT_SIZE],
		   uint8_t der[SPKI_P384_DER_SIZE])
{
	memcpy(der, der_prefix, sizeof(der_prefix));
	memcpy(der + sizeof(der_prefix), point, SPKI_P384_POINT_SIZE);
}

static size_t put(char *out, size_t at, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (at + n < cap) {
		memcpy(out + at, s, n);
	}
	return at + n;
}

size_t spki_p384_pem(const uint8_t point[SPKI_P384_POINT_SIZE], char *out, size_t cap)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t der[SPKI_P384_DER_SIZE];
	size_t i, at, col = 0U;

	spki_p384_der(point, der);
	at = put(out, 0U, cap, "-----BEGIN PUBLIC KEY-----\n");
	/* 120 bytes: 40 whole groups of 3, no padding. */
	for (i = 0U; i < sizeof(der); i += 3U) {
		uint32_t v = ((uint32_t)der[i] << 16) | ((uint32_t)der[i + 1U] << 8) | der[i + 2U];
		char q[5] = { b64[(v >> 18) & 63U], b64[(v >> 12) & 63U], b64[(v >> 6) & 63U],
			      b64[v & 63U], '\0' };

		at = put(out, at, cap, q);
		col += 4U;
		if (col == 64U || i + 3U == sizeof(der)) {
			at = put(out, at, cap, "\n");
			col = 0U;
		}
	}
	at = put(out, at, cap, "-----END PUBLIC KEY-----\n");
	if (at >= cap) {
		return 0U;
	}
	out[at] = '\0';
	return at;
}
