#!/usr/bin/env bash
# `meson install` puts the headers, the library, caec-simd and caec.pc in
# place, and a pkg-config consumer builds and runs against the installed
# copy alone.
set -euo pipefail
build="$1"
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild >/dev/null
prefix=$(meson introspect "$build" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$dest$prefix"
pc=$(find "$root" -name caec.pc | head -1)
[ -n "$pc" ] || { echo "caec.pc not installed"; exit 1; }
[ -f "$root/include/caec/caec.h" ] || { echo "headers not installed"; exit 1; }
[ -f "$root/include/caec/version.h" ] || { echo "generated caec/version.h not installed"; exit 1; }
[ -f "$root/include/caec/abi/csm.h" ] || { echo "caec/abi/csm.h not installed"; exit 1; }
stray=$(find "$root/include/caec" -name meson.build -o -name '*.in')
[ -z "$stray" ] || { echo "build files installed: $stray"; exit 1; }
[ -x "$root/bin/caec-simd" ] || { echo "caec-simd not installed"; exit 1; }
lib=$(find "$root" -name 'libcaec.so.0*' -type f | head -1)
[ -n "$lib" ] || { echo "libcaec.so.0 not installed"; exit 1; }
cat > "$dest/consumer.c" <<'C'
#include <caec/caec.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	/* Links and runs: version (the installed header's, generated from
	 * meson.build, equals the library's), error text, a clean refusal to
	 * open an unreachable platform. */
	struct caec_ctx *ctx = NULL;
	struct caec_config cfg = { .size = sizeof(cfg), .sim_socket = "/nonexistent/x.sock" };
	int rc = caec_open(&ctx, &cfg);
	printf("%s %s\n", caec_version(), caec_errname(rc));
	char nums[32];
	snprintf(nums, sizeof(nums), "%d.%d.%d", CAEC_VERSION_MAJOR,
		 CAEC_VERSION_MINOR, CAEC_VERSION_PATCH);
	return strcmp(caec_version(), CAEC_VERSION_STRING) != 0 ||
	       strcmp(nums, CAEC_VERSION_STRING) != 0 || rc != CAEC_E_NOPLATFORM;
}
C
export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags caec)
libs=$(pkg-config --libs caec)
cc -std=c11 -Wall -Werror $cflags "$dest/consumer.c" -o "$dest/consumer" $libs
LD_LIBRARY_PATH="$(dirname "$lib")" "$dest/consumer"
echo "ok: installed tree at $prefix builds a pkg-config consumer"
