#!/usr/bin/env bash
# CAEC_NODISCARD is where it helps and nowhere else: dropping the result
# of caec_detach()/caec_unshare() with a (void) cast compiles cleanly
# under -Werror (GCC's warn_unused_result ignores the cast, so those two
# cleanup calls carry no attribute), while dropping the result of a call
# that must be checked (caec_share) is still diagnosed.
#   check_nodiscard.sh <source include dir> <build include dir>
set -euo pipefail
inc="$1"
gen="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/ok.c" <<'C'
#include <caec/caec.h>
void cleanup(struct caec_region *a, struct caec_region *p)
{
	(void)caec_detach(a);
	(void)caec_unshare(p);
	caec_detach(a);
}
C
cat > "$tmp/bad.c" <<'C'
#include <caec/caec.h>
void leak(struct caec_ctx *ctx, struct caec_region **r)
{
	caec_share(ctx, 4096, 0, r);
}
C
for comp in cc c++; do
	src="$tmp/ok.c"
	if [ "$comp" = c++ ]; then cp "$tmp/ok.c" "$tmp/ok.cpp"; src="$tmp/ok.cpp"; fi
	"$comp" -Wall -Wextra -Werror -I"$inc" -I"$gen" -c "$src" -o "$tmp/ok.o" ||
		{ echo "FAIL ($comp): dropping caec_detach/caec_unshare's result is diagnosed"; exit 1; }
done
if cc -Wall -Wextra -Werror -I"$inc" -I"$gen" -c "$tmp/bad.c" -o "$tmp/bad.o" 2>"$tmp/err"; then
	echo "FAIL: an unchecked caec_share() compiled without a warning (CAEC_NODISCARD lost)"
	exit 1
fi
grep -q 'unused-result\|warn_unused_result\|ignoring return value' "$tmp/err" ||
	{ echo "FAIL: caec_share() was refused for another reason:"; cat "$tmp/err"; exit 1; }
echo "ok: caec_detach/caec_unshare results may be dropped; caec_share's may not"
