/* SPDX-License-Identifier: Apache-2.0 */
#include "sockpath.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/un.h>
#include <unistd.h>

int sim_socket_path(const char *explicit_path, char *buf, size_t cap)
{
	const char *p = explicit_path;
	int n;

	if (!p || !*p)
		p = getenv("CAEC_SIM_SOCKET");
	if (p && *p) {
		n = snprintf(buf, cap, "%s", p);
	} else {
		const char *xdg = getenv("XDG_RUNTIME_DIR");
		if (xdg && *xdg)
			n = snprintf(buf, cap, "%s/caec-simd.sock", xdg);
		else
			n = snprintf(buf, cap, "/tmp/caec-simd-%u.sock", (unsigned)getuid());
	}
	if (n < 0 || (size_t)n >= cap ||
	    (size_t)n >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return -ENAMETOOLONG;
	return 0;
}
