#!/usr/bin/env bash
# caec: what the bench/vm smoke test asserts about a finished guest run
# (run-in-guest.sh --check calls it).  Functional, not performance:
#  - every step in the guest exited 0 (modules, caec-bench-comm,
#    caec-bench-ring, and with --selfcheck the vsock-host self-check);
#  - caec-bench-comm measured every mode in the same run, vsock included
#    (available, no failure, a round trip > 0 at every size);
#  - caec-bench-ring measured its vsock baseline at every size;
#  - with --selfcheck: the vsock-host mode ran end to end against a
#    receiver in the guest (over vsock_loopback, CID 1);
#  - with --nofallback (no virtio-vsock device): vsock-host aimed at the
#    host CID found no receiver, although one listened on that port in the
#    guest -- the host CID does not fall back to the loopback, so a
#    vsock-host figure is never a loopback figure;
#  - with --vsock-host (the host has vhost-vsock): caec-bench-comm also
#    measured vsock-host, guest to host;
#  - where gnuplot is installed, the plots were drawn on the host.
#   bench/vm/check-results.sh OUT_DIR [--selfcheck] [--nofallback] [--vsock-host]
set -euo pipefail
out="$1"
shift
selfcheck=0 vhost=0 nofallback=0
for a in "$@"; do
	case "$a" in
	--selfcheck) selfcheck=1 ;;
	--vsock-host) vhost=1 ;;
	--nofallback) nofallback=1 ;;
	*) echo "check-results: unknown option '$a'" >&2; exit 2 ;;
	esac
done
bad=()
need() { # description, then a command that must succeed
	local what="$1"
	shift
	"$@" >/dev/null 2>&1 || bad+=("$what")
}

steps=(modules comm ring)
[ $selfcheck = 1 ] && steps+=(vsock-host-selfcheck)
[ $nofallback = 1 ] && steps+=(vsock-host-nofallback)
for s in "${steps[@]}"; do
	need "guest step '$s' exited 0 (see $out/$s.log)" grep -qx "$s 0" "$out/status"
done

modes=(csm-copy csm-zerocopy shm-plain shm-aesgcm-mbedtls shm-aesgcm-openssl
	unix-socket tcp-loopback vsock)
[ $vhost = 1 ] && modes+=(vsock-host)
m="$out/comm/comm_modes.csv"
r="$out/comm/comm_results.csv"
sizes=$(awk -F, 'NR > 1 { print $2 }' "$r" 2>/dev/null | sort -un)
[ -n "$sizes" ] || bad+=("caec-bench-comm wrote no results ($r)")
for mode in "${modes[@]}"; do
	# mode,available,"status",...: available and "ok"
	need "caec-bench-comm measured $mode ($(awk -F, -v m="$mode" '$1 == m { print $3 }' "$m" 2>/dev/null))" \
		awk -F, -v m="$mode" 'BEGIN { e = 1 } $1 == m && $2 == 1 && $3 == "\"ok\"" { e = 0 } END { exit e }' "$m"
	for size in $sizes; do
		need "caec-bench-comm: a $mode round trip at $size B" \
			awk -F, -v m="$mode" -v s="$size" 'BEGIN { e = 1 } $1 == m && $2 == s && $4 > 0 { e = 0 } END { exit e }' "$r"
	done
done

need "caec-bench-ring used its vsock baseline (see $out/ring.log)" \
	grep -q '^vsock baseline: AF_VSOCK' "$out/ring.log"
# pingpong.csv column 30 = vsock_median_ns, stream.csv column 9 = vsock_gbps
need "caec-bench-ring: a vsock round trip at every size" \
	awk -F, 'NR > 1 && !($30 > 0) { e = 1 } END { exit e || NR < 2 }' "$out/ring/pingpong.csv"
need "caec-bench-ring: vsock streaming at every size" \
	awk -F, 'NR > 1 && !($9 > 0) { e = 1 } END { exit e || NR < 2 }' "$out/ring/stream.csv"

if [ $selfcheck = 1 ]; then
	sm="$out/vsock-host-selfcheck/comm_modes.csv"
	need "the vsock-host mode ran against its receiver in the guest ($(awk -F, '$1 == "vsock-host" { print $3 }' "$sm" 2>/dev/null))" \
		awk -F, 'BEGIN { e = 1 } $1 == "vsock-host" && $2 == 1 && $3 == "\"ok\"" { e = 0 } END { exit e }' "$sm"
	need "vsock-host: a round trip at every size" \
		awk -F, 'NR > 1 && $1 == "vsock-host" && $4 > 0 { n++ } END { exit n < 2 }' \
		"$out/vsock-host-selfcheck/comm_results.csv"
fi

if [ $nofallback = 1 ]; then
	nm="$out/vsock-host-nofallback/comm_modes.csv"
	need "vsock-host to the host CID without a virtio-vsock device was unavailable ($(awk -F, '$1 == "vsock-host" { print $2, $3 }' "$nm" 2>/dev/null))" \
		awk -F, 'BEGIN { e = 1 } $1 == "vsock-host" && $2 == 0 && $3 ~ /unavailable/ { e = 0 } END { exit e }' "$nm"
fi

if command -v gnuplot >/dev/null; then
	need "plots drawn: comm/comm_latency.png" test -s "$out/comm/comm_latency.png"
	need "plots drawn: ring/pingpong.png" test -s "$out/ring/pingpong.png"
fi

if [ ${#bad[@]} -gt 0 ]; then
	echo "check-results: FAILED:"
	printf '  - %s\n' "${bad[@]}"
	exit 1
fi
echo "check-results: every mode measured in the guest, vsock included" \
	"($(echo $sizes | tr ' ' ','); ring baseline$([ $selfcheck = 1 ] && echo ", vsock-host self-check"))"
