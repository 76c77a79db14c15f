/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host policy: the realm personalization value (RPV) each realm gets.  On
 * CCA the host chooses a realm's RPV when it creates the realm
 * (RMI_REALM_CREATE); the realm cannot change it.  Here the host is the
 * daemon's configuration: --rpv SELECTOR=HEX, first match wins, zeros if
 * none matches.  SELECTOR is "uid:N" (realms of that user), "exe:PATH"
 * (realms whose executable is that file, by identity at start-up) or
 * "any".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <caec_core/hex.h>

#include "simd.h"

int simd_rpv_parse(struct simd_opts *o, const char *arg)
{
	struct simd_rpv_rule r;
	memset(&r, 0, sizeof(r));
	const char *eq = strrchr(arg, '=');
	if (!eq)
		return -EINVAL;
	const char *hex = eq + 1;
	size_t hl = strlen(hex);
	if (hl == 0 || hl % 2 || hl > 128)
		return -EINVAL;
	for (size_t i = 0; i < hl / 2; i++) {
		int hi = ca_hex_digit(hex[2 * i]), lo = ca_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		r.rpv[i] = (uint8_t)(hi << 4 | lo);
	}
	size_t sl = (size_t)(eq - arg);
	if (sl == 3 && strncmp(arg, "any", 3) == 0) {
		r.kind = SIMD_RPV_ANY;
	} else if (sl > 4 && strncmp(arg, "uid:", 4) == 0) {
		char num[24];
		if (sl - 4 >= sizeof(num))
			return -EINVAL;
		memcpy(num, arg + 4, sl - 4);
		num[sl - 4] = '\0';
		char *end;
		unsigned long u = strtoul(num, &end, 10);
		if (*end || u > UINT32_MAX - 1)
			return -EINVAL;
		r.kind = SIMD_RPV_UID;
		r.uid = (uid_t)u;
	} else if (sl > 4 && strncmp(arg, "exe:", 4) == 0) {
		char *path = strndup(arg + 4, sl - 4);
		struct stat st;
		if (!path)
			return -ENOMEM;
		int rc = stat(path, &st);
		free(path);
		if (rc < 0)
			return -errno;
		r.kind = SIMD_RPV_EXE;
		r.dev = st.st_dev;
		r.ino = st.st_ino;
	} else {
		return -EINVAL;
	}
	struct simd_rpv_rule *n = realloc(o->rpv, (o->n_rpv + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	o->rpv = n;
	o->rpv[o->n_rpv++] = r;
	return 0;
}

void simd_rpv_for(const struct simd *d, uid_t uid, dev_t exe_dev,
		  ino_t exe_ino, uint8_t rpv[64])
{
	memset(rpv, 0, 64);
	for (size_t i = 0; i < d->o.n_rpv; i++) {
		const struct simd_rpv_rule *r = &d->o.rpv[i];
		if (r->kind == SIMD_RPV_ANY ||
		    (r->kind == SIMD_RPV_UID && r->uid == uid) ||
		    (r->kind == SIMD_RPV_EXE && r->dev == exe_dev && r->ino == exe_ino)) {
			memcpy(rpv, r->rpv, 64);
			return;
		}
	}
}
