#!/usr/bin/env bash
# Run caec-demo against a private caec-simd, the way the simulated platform
# is meant to be run (docs/sim-platform.md), and print the demo's output:
#   scripts/sim-demo-run.sh CAEC_SIMD CAEC_DEMO CAEC_TOKEN
# Exit status: the demo's.
#
# As root, the daemon runs as root and the realms as an unprivileged user of
# their own ($CAEC_DEMO_UID, default 61234), so the daemon can isolate
# their memory from every other user; the socket's directory is 0711 and
# the socket 0666 so that user can connect.  Otherwise (or if that user
# cannot run the build's binaries, or the build belongs to another user or
# is group/world-writable: the daemon refuses realms whose code another
# user can change) daemon and realms share this user: a development
# platform (--allow-insecure-realms), and the demo says so.
# The platform key is pinned on first use: caec-token fetches it, and the
# demo's realms make the platform prove it holds that key when they open.
set -uo pipefail
simd="$1"; demo="$2"; token="$3"
dir=$(mktemp -d /tmp/caec-demo-XXXXXX)
sock="$dir/simd.sock"
as=()
simd_args=()
if [ "$(id -u)" -eq 0 ]; then
	uid="${CAEC_DEMO_UID:-61234}"
	if setpriv --reuid="$uid" --regid="$uid" --clear-groups -- test -x "$demo" 2>/dev/null &&
		[ "$(stat -L -c %u "$demo")" -eq 0 ] && [ -z "$(find -L "$demo" -perm /022)" ]; then
		chmod 0711 "$dir"
		simd_args=(--socket-mode 0666)
		as=(setpriv --reuid="$uid" --regid="$uid" --clear-groups --)
		echo "(caec-simd runs as root; the realms run as uid $uid)"
	fi
fi
if [ "${#as[@]}" -eq 0 ]; then
	simd_args=(--allow-insecure-realms)
	echo "(caec-simd and the realms run as uid $(id -u): development mode, realms not isolated from their own user)"
fi
"$simd" --socket "$sock" "${simd_args[@]}" 2>"$dir/simd.log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
export CAEC_SIM_SOCKET="$sock"
if "${as[@]}" "$token" platform-key > "$dir/platform.pem" 2>"$dir/token.log"; then
	export CAEC_PLATFORM_KEY="$dir/platform.pem"
else
	echo "(platform key not pinned: caec-token platform-key failed: $(cat "$dir/token.log"))"
fi
rc=0
timeout 60 "${as[@]}" "$demo" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "--- caec-simd log ---"
	cat "$dir/simd.log"
fi
exit "$rc"
