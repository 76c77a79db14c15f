#!/usr/bin/env bash
# Configure (once) and build one flavour of caec.
#   scripts/build.sh [release|asan|tsan|fuzz]   (default: release)
# Build directories live under build/ in the repository (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flavour="${1:-release}"
dir="$here/build/$flavour"
jobs="${CAEC_JOBS:-2}"

case "$flavour" in
release) opts=(-Dbuildtype=debugoptimized) ;;
asan)    opts=(-Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dbench=false) ;;
tsan)    opts=(-Dbuildtype=debug -Db_sanitize=thread -Db_lundef=false -Dbench=false -Dexamples=false -Dfirmware=disabled) ;;
fuzz)    opts=(-Dbuildtype=debug -Dfuzz=true -Db_lundef=false -Dbench=false -Dtests=disabled -Dfirmware=disabled) ;;
*) echo "build.sh: unknown flavour '$flavour' (release|asan|tsan|fuzz)" >&2; exit 2 ;;
esac

# Our own builds are strict (-Werror); meson.build leaves werror off so
# that projects embedding caec as a subproject keep their own setting.
opts+=(-Dwerror=true)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ ! -f "$dir/build.ninja" ]; then
	cc_env=()
	[ "$flavour" = fuzz ] && cc_env=(CC=clang)
	if ! env "${cc_env[@]}" meson setup "$dir" "$here" "${opts[@]}" >"$log" 2>&1; then
		cat "$log" >&2
		rm -rf "$dir"   # a half-configured directory would be reused next time
		echo "build.sh: configuring $flavour failed" >&2
		exit 1
	fi
fi
echo "[build] $flavour -> $dir"
if ! meson compile -C "$dir" -j "$jobs" >"$log" 2>&1; then
	cat "$log" >&2
	echo "build.sh: building $flavour failed" >&2
	exit 1
fi
