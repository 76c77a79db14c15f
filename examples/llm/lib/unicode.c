/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 decoding and GPT-2's code point classes: see unicode.h. */
#include "unicode.h"

#include <stdbool.h>

size_t uni_utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	const uint8_t b = s[0];
	uint32_t c, min;
	size_t n;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		n = 2, c = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3, c = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4, c = b & 0x07, min = 0x10000;
	} else {
		*cp = UNI_INVALID; /* continuation byte, 0xc0/0xc1, 0xf5.. */
		return 1;
	}
	if (n > len) {
		*cp = UNI_INVALID;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = UNI_INVALID;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = UNI_INVALID;
		return 1;
	}
	*cp = c;
	return n;
}

static bool in_ranges(const struct uni_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

enum uni_class uni_classify(uint32_t cp)
{
	/* \s of the reference encoder's regular expression (JavaScript):
	 * WhiteSpace (TAB, VT, FF, ZWNBSP and every Zs) plus LineTerminator
	 * (LF, CR, U+2028, U+2029).  U+0085 and U+001C..U+001F are not in it
	 * (Python's str.isspace() would say otherwise). */
	if ((cp >= 0x09 && cp <= 0x0d) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0xfeff)
		return UNI_SPACE;
	if (cp < 0x80) { /* fast path, same answer as the tables */
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return UNI_LETTER;
		if (cp >= '0' && cp <= '9')
			return UNI_NUMBER;
		return cp == ' ' ? UNI_SPACE : UNI_OTHER;
	}
	if (cp == UNI_INVALID)
		return UNI_OTHER;
	if (in_ranges(uni_letter_ranges, uni_letter_count, cp))
		return UNI_LETTER;
	if (in_ranges(uni_number_ranges, uni_number_count, cp))
		return UNI_NUMBER;
	if (in_ranges(uni_space_ranges, uni_space_count, cp))
		return UNI_SPACE;
	return UNI_OTHER;
}
