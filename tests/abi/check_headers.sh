#!/usr/bin/env bash
# Every public header compiles on its own, as C11 with -Wall -Wextra
# -Werror -pedantic, and as C++ (so C++ applications can include it).
#   check_headers.sh <source include dir> [<build include dir>]
# The build include dir holds the generated headers (caec/version.h); both
# dirs are searched, as caec_inc and the installed tree provide them.
set -euo pipefail
inc="$1"
gen="${2:-}"
dirs=("$inc")
[ -z "$gen" ] || dirs+=("$gen")
iflags=()
for d in "${dirs[@]}"; do iflags+=("-I$d"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for h in $(for d in "${dirs[@]}"; do (cd "$d" && find caec -name '*.h'); done | sort -u); do
	printf '#include <%s>\nint caec_header_check_%d;\n' "$h" "$n" > "$tmp/t.c"
	cc -std=c11 -Wall -Wextra -Werror -pedantic "${iflags[@]}" -c "$tmp/t.c" -o "$tmp/t.o" ||
		{ echo "FAIL (C11): $h"; exit 1; }
	cp "$tmp/t.c" "$tmp/t.cpp"
	c++ -std=c++17 -Wall -Wextra -Werror "${iflags[@]}" -c "$tmp/t.cpp" -o "$tmp/t.o" ||
		{ echo "FAIL (C++): $h"; exit 1; }
	n=$((n + 1))
done
[ "$n" -ge 4 ] || { echo "only $n headers found under ${dirs[*]}"; exit 1; }
if [ -n "$gen" ]; then
	[ -f "$gen/caec/version.h" ] || { echo "generated caec/version.h missing under $gen"; exit 1; }
fi
echo "ok: $n public headers compile alone as C11 and C++17"
