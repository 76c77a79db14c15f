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
fuzz)    opts=(-Dbuildtype=debug -Dfuzz=true -Db_lundef=false -Dbench=false -Dexamples=false -Dtests=disabled -Dfirmware=disabled) ;;
*) echo "build.sh: unknown flavour '$flavour' (release|asan|tsan|fuzz)" >&2; exit 2 ;;
esac

if [ ! -f "$dir/build.ninja" ]; then
	if [ "$flavour" = fuzz ]; then
		CC=clang meson setup "$dir" "$here" "${opts[@]}" >/dev/null
	else
		meson setup "$dir" "$here" "${opts[@]}" >/dev/null
	fi
fi
echo "[build] $flavour -> $dir"
meson compile -C "$dir" -j "$jobs" >/dev/null || meson compile -C "$dir" -j 1
