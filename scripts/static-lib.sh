#!/bin/sh
# Build the installed libcaec.a with the shared library's namespace:
#   static-lib.sh OUT.a LIBCAEC.so LD OBJCOPY AR NM WHOLE.a... -- PART.a...
# Every member of each WHOLE.a is taken (libcaec's own objects, and
# core/error, which defines caec_strerror() without libcaec calling it);
# each PART.a (the other core components) gives the members they need.  All of it is linked into one relocatable object in which the
# only global symbols are those LIBCAEC.so exports (libcaec.map and the
# CAEC_EXPORT visibility decide them): a program linked statically sees
# no ring_send, token_decode or caec_priv_* of ours that could clash with
# its own names, and no function the shared library does not offer.
set -eu
out="$1" so="$2" ld="$3" objcopy="$4" ar="$5" nm="$6"
shift 6
whole=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
	whole="$whole $1"
	shift
done
[ "$#" -gt 0 ] && shift
dir="$out.d"
rm -rf "$dir"
mkdir "$dir"
trap 'rm -rf "$dir"' EXIT
"$nm" -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' \
	> "$dir/exports"
[ -s "$dir/exports" ] || { echo "static-lib.sh: $so exports nothing" >&2; exit 1; }
# shellcheck disable=SC2086 # build paths, no spaces (meson's own)
"$ld" -r -o "$dir/caec.o" --whole-archive $whole --no-whole-archive "$@"
"$objcopy" --keep-global-symbols="$dir/exports" "$dir/caec.o"
rm -f "$out"
"$ar" rcD "$out" "$dir/caec.o"
