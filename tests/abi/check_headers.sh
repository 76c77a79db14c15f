#!/usr/bin/env bash
# Every public header compiles on its own, as C11 with -Wall -Wextra
# -Werror -pedantic, and as C++ (so C++ applications can include it).
set -euo pipefail
inc="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for h in $(cd "$inc" && find caec -name '*.h' | sort); do
	printf '#include <%s>\nint caec_header_check_%d;\n' "$h" "$n" > "$tmp/t.c"
	cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$inc" -c "$tmp/t.c" -o "$tmp/t.o" ||
		{ echo "FAIL (C11): $h"; exit 1; }
	cp "$tmp/t.c" "$tmp/t.cpp"
	c++ -std=c++17 -Wall -Wextra -Werror -I"$inc" -c "$tmp/t.cpp" -o "$tmp/t.o" ||
		{ echo "FAIL (C++): $h"; exit 1; }
	n=$((n + 1))
done
[ "$n" -ge 4 ] || { echo "only $n headers found under $inc"; exit 1; }
echo "ok: $n public headers compile alone as C11 and C++17"
