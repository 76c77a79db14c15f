#!/usr/bin/env bash
# libcaec exports only caec_* symbols (plus the version node itself), and
# every exported function is versioned CAEC_0.1 or later.
set -euo pipefail
lib="$1"
syms=$(nm -D --defined-only "$lib" | awk '{print $3}')
bad=$(printf '%s\n' "$syms" | grep -v '^caec_' | grep -v '^CAEC_[0-9.]*$' || true)
if [ -n "$bad" ]; then
	echo "non-caec symbols exported by $lib:"; printf '  %s\n' $bad
	exit 1
fi
n=$(printf '%s\n' "$syms" | grep -c '^caec_')
[ "$n" -ge 20 ] || { echo "only $n caec_ symbols exported: the version script or visibility is wrong"; exit 1; }
unversioned=$(objdump -T "$lib" | awk '/ caec_/ && $0 !~ /CAEC_[0-9]/' || true)
[ -z "$unversioned" ] || { echo "unversioned exports:"; echo "$unversioned"; exit 1; }
soname=$(objdump -p "$lib" | awk '/SONAME/{print $2}')
[ "$soname" = "libcaec.so.0" ] || { echo "unexpected SONAME '$soname'"; exit 1; }
echo "ok: $n caec_ symbols, all versioned, SONAME $soname"
