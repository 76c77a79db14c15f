#!/usr/bin/env bash
# README's "The API at a glance" is a program that compiles and links
# against libcaec as C11 with -Wall -Wextra -Werror -pedantic: every call
# in it exists, and every result that must be checked is
# (CAEC_NODISCARD turns an unchecked one into an error here).
#   check_readme.sh <README.md> <source include dir> <build include dir> <libcaec.so>
set -euo pipefail
readme="$1"; inc="$2"; gen="$3"; lib="$4"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^## The API at a glance/ { s = 1; next }
     s == 1 && /^```c$/ { s = 2; next }
     s == 2 && /^```$/ { exit }
     s == 2 { print }' "$readme" > "$tmp/glance.c"
[ "$(wc -l < "$tmp/glance.c")" -ge 20 ] ||
	{ echo "FAIL: no C snippet under '## The API at a glance' in $readme"; exit 1; }
cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$inc" -I"$gen" "$tmp/glance.c" \
	-o "$tmp/glance" "$lib" ||
	{ echo "FAIL: README's snippet does not compile cleanly (above)"; exit 1; }
echo "ok: README's snippet ($(wc -l < "$tmp/glance.c") lines) compiles and links warning-free"
