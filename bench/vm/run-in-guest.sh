#!/usr/bin/env bash
# caec: run the communication benchmarks inside a KVM guest, where AF_VSOCK
# has a transport, so that vsock is measured in the same run as CSM.
#
# Boots Debian's kernel (bench/vm/guest-files.sh, run by scripts/setup.sh)
# with an initramfs made here from busybox-static, the benchmark programs,
# caec-simd and their shared libraries (as ldd resolves them on this host),
# and the vsock/virtio modules; no network, serial console only.  In the
# guest, bench/vm/init.sh loads vsock + vsock_loopback (and the virtio vsock
# transport), runs caec-bench-comm (every mode: csm-copy, csm-zerocopy,
# shm-plain, both AES-GCM modes, unix, tcp, vsock) and caec-bench-ring (with
# its vsock baseline), and writes the results onto a raw virtio disk that
# this script unpacks into --out and plots with gnuplot.
#
# What "vsock" measures here: the AF_VSOCK socket layer over the
# vsock_loopback transport inside one guest -- a lower bound on the cost of
# virtio-vsock, which adds virtqueues and the host's vhost-vsock to it.
# When this host has /dev/vhost-vsock, the guest also gets a vhost-vsock-pci
# device and caec-bench-comm's "vsock-host" mode measures guest -> host
# virtio-vsock against a receiver this script starts on the host
# (caec-bench-comm --serve-vsock).
#
# --accel kvm (the default) is what measurements need.  --accel tcg boots
# the same guest emulated: every mode runs, so it checks the whole path
# (the smoke test uses it), but its timings are not hardware timings and
# must not be reported.  On a host whose KVM cannot run the guest (this
# project's machine: kvm_pvm) the script says so and fails.
#
# usage: bench/vm/run-in-guest.sh [options] [-- extra caec-bench-comm arguments]
#   --build DIR      meson build directory (default build/release)
#   --out DIR        results (default bench/out/guest): comm/, ring/,
#                    console.log, guest-facts.txt, run.txt, status, *.log
#   --accel kvm|tcg  KVM (default) or QEMU's emulator (functional runs only)
#   --quick          the smoke variant: caec-bench-comm --quick at 64 B and
#                    4 KiB with 20 repetitions and --no-limits,
#                    caec-bench-ring --quick with
#                    11 rounds and 5 streaming runs, and the vsock-host mode
#                    against a receiver inside the guest (its code path)
#   --check          fail unless every step succeeded and every mode, vsock
#                    included, was measured (bench/vm/check-results.sh)
#   --ring-args "A"  arguments for caec-bench-ring in the guest
#   --no-ring        do not run caec-bench-ring
#   --mem MIB        guest memory (default 2048)
#   --timeout S      stop the guest after S seconds (default 300 with
#                    --quick, else 7200)
#   --cache DIR      guest kernel/busybox (default $CAEC_VM_CACHE, else build/vm)
#   --vsock-cid N    guest CID for vhost-vsock-pci (default 3 + this PID)
# Arguments after -- go to caec-bench-comm in the guest, split on spaces
# (e.g. -- --rounds 9).
# Exit: 0 done, 1 failed, 77 skipped: --accel kvm and /dev/kvm does not exist.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$src/build/release"
out="$src/bench/out/guest"
cache="${CAEC_VM_CACHE:-$src/build/vm}"
accel=kvm quick=0 check=0 ring=1 mem=2048 timeout_s="" cid=$((3 + $$))
ring_args=""
comm_extra=()

die() { printf 'run-in-guest: %s\n' "$*" >&2; exit 1; }
log() { printf '[run-in-guest] %s\n' "$*"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--build) build="$2"; shift 2 ;;
	--out) out="$2"; shift 2 ;;
	--quick) quick=1; shift ;;
	--accel) accel="$2"; shift 2 ;;
	--check) check=1; shift ;;
	--ring-args) ring_args="$2"; shift 2 ;;
	--no-ring) ring=0; shift ;;
	--mem) mem="$2"; shift 2 ;;
	--timeout) timeout_s="$2"; shift 2 ;;
	--cache) cache="$2"; shift 2 ;;
	--vsock-cid) cid="$2"; shift 2 ;;
	--) shift; comm_extra=("$@"); break ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (--help)" ;;
	esac
done
[ -n "$timeout_s" ] || timeout_s=$([ $quick = 1 ] && echo 300 || echo 7200)
case "$accel" in kvm|tcg) ;; *) die "--accel must be kvm or tcg" ;; esac
for v in "$mem" "$timeout_s" "$cid"; do
	[[ "$v" =~ ^[0-9]+$ ]] || die "--mem, --timeout and --vsock-cid take whole numbers (got '$v')"
done
[ "$cid" -ge 3 ] || die "--vsock-cid: guest CIDs start at 3"

# The only reason to skip: no KVM at all.  Everything else that is missing
# is a failure with its reason.
if [ "$accel" = kvm ] && [ ! -e /dev/kvm ]; then
	echo "SKIP: /dev/kvm does not exist (no KVM on this machine): the vsock guest cannot boot"
	exit 77
fi
[ "$accel" != kvm ] || { [ -r /dev/kvm ] && [ -w /dev/kvm ]; } ||
	die "/dev/kvm exists but $(id -un) cannot open it (run as root or join its group)"
qemu="$(command -v qemu-system-x86_64)" ||
	die "qemu-system-x86_64 not found: run scripts/setup.sh"
for f in vmlinuz busybox modules.load VERSIONS; do
	[ -e "$cache/$f" ] || die "$cache/$f missing: run scripts/setup.sh (it runs bench/vm/guest-files.sh)"
done
comm="$build/bench/comm/caec-bench-comm"
simd="$build/backends/sim/simd/caec-simd"
ringb="$build/bench/ring/caec-bench-ring"
progs=("$comm" "$simd")
[ $ring = 1 ] && progs+=("$ringb")
for p in "${progs[@]}"; do
	[ -x "$p" ] || die "$p not built (meson compile -C $build)"
done
bb="$cache/busybox"
kver="$(sed -n 's/.*uname -r \([^)]*\)).*/\1/p' "$cache/VERSIONS")"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/caec-guest.XXXXXX")"
peer_pid=""
cleanup() {
	[ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# ---- the guest's root file system --------------------------------------
root="$work/root"
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,results,lib/modules}
cp "$bb" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$src/bench/vm/init.sh" "$root/init"
chmod 755 "$root/init"
while read -r m; do
	cp "$cache/modules/$m.ko" "$root/lib/modules/"
done <"$cache/modules.load"
cp "$cache/modules.load" "$root/lib/modules/"
# Programs and libraries keep their host paths: the build tree's RUNPATHs
# ($ORIGIN/..) and caec-bench-comm's built-in caec-simd path stay valid.
copy_host_file() {
	mkdir -p "$root$(dirname "$1")"
	cp -L "$1" "$root$1"
}
for p in "${progs[@]}"; do
	copy_host_file "$(realpath "$p")"
	ldd "$p" | awk '/=> \// { print $3 } /^\t\// { print $1 }' |
		while read -r lib; do
			copy_host_file "$lib"
		done
done

# What the guest runs: every mode by default, vsock among them.
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
comm_args=()
ring_cmd="$(realpath "$ringb")"
if [ $quick = 1 ]; then
	# a smoke run: every mode and both phases, few messages, no machine
	# limits (spinning ping-pongs: minutes on a loaded host under TCG)
	comm_args+=(--quick --sizes 64,4K --reps 20 --no-limits)
	[ -n "$ring_args" ] || ring_args="--quick --rounds 11 --stream-runs 5"
fi
comm_args+=("${comm_extra[@]}")
[ $ring = 1 ] || ring_cmd=""
selfcheck_port=$((20000 + $$ % 20000))
selfcheck_args="" nofallback_args=""
if [ $quick = 1 ]; then
	selfcheck_args="--modes vsock-host --vsock-peer 1:$selfcheck_port --quick --sizes 64,4K --reps 20 --no-limits"
fi

# Guest -> host virtio-vsock, only where the host offers vhost-vsock.
vhost_args=()
vhost_note="not measured: this host has no /dev/vhost-vsock (the vhost_vsock module is not loaded or not available)"
if [ -c /dev/vhost-vsock ]; then
	if [ ! -w /dev/vhost-vsock ]; then
		vhost_note="not measured: /dev/vhost-vsock exists but $(id -un) cannot open it"
	else
		port=$((30000 + $$ % 20000))
		: >"$out/vsock-host-server.log" # no stale "listening" line
		"$comm" --serve-vsock "$port" >>"$out/vsock-host-server.log" 2>&1 &
		peer_pid=$!
		for _ in $(seq 50); do
			grep -q listening "$out/vsock-host-server.log" && break
			kill -0 "$peer_pid" 2>/dev/null || break
			sleep 0.1
		done
		grep -q listening "$out/vsock-host-server.log" ||
			die "the vsock-host receiver did not start: $(cat "$out/vsock-host-server.log")"
		vhost_args=(-device "vhost-vsock-pci,guest-cid=$cid")
		comm_args+=(--vsock-peer "2:$port")
		vhost_note="measured: guest CID $cid -> host (CID 2) port $port through vhost-vsock-pci; receiver on the host: caec-bench-comm --serve-vsock $port"
	fi
fi
if [ $quick = 1 ] && [ -z "$peer_pid" ]; then
	# no virtio-vsock device: CID 2 must not fall back to the loopback
	nofallback_args="--modes vsock-host --vsock-peer 2:$selfcheck_port --quick --sizes 64 --reps 20 --no-limits"
fi

{
	echo "COMM=$(sq "$(realpath "$comm")")"
	echo "COMM_ARGS=$(sq "${comm_args[*]}")"
	echo "RING=$(sq "$ring_cmd")"
	echo "RING_ARGS=$(sq "$ring_args")"
	echo "SELFCHECK_ARGS=$(sq "$selfcheck_args")"
	echo "SELFCHECK_PORT=$selfcheck_port"
	echo "NOFALLBACK_ARGS=$(sq "$nofallback_args")"
} >"$root/etc/caec-guest.conf"

initrd="$work/initrd.cpio"
(cd "$root" && find . | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) >"$initrd" ||
	die "building the initramfs failed"
disk="$work/results.img"
truncate -s 256M "$disk"

if [ "$accel" = kvm ]; then
	accel_args=(-accel kvm -cpu host)
	accel_note="kvm"
else
	accel_args=(-accel tcg,thread=multi -cpu max)
	accel_note="tcg: an emulated CPU -- a functional run, its timings are not hardware measurements"
fi
cmd=("$qemu" "${accel_args[@]}" -smp 2 -m "$mem"
	-machine q35 -nodefaults -no-user-config -display none -no-reboot
	-serial stdio -monitor none -nic none
	-kernel "$cache/vmlinuz" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 quiet loglevel=4"
	-drive "file=$disk,format=raw,if=virtio"
	"${vhost_args[@]}")

# Only what this script writes into --out is replaced.
for f in comm ring vsock-host-selfcheck vsock-host-nofallback status run.txt console.log \
	guest-facts.txt modules.log comm.log ring.log vsock-host-selfcheck.log \
	vsock-host-nofallback.log \
	selfcheck-server.log; do
	rm -rf "${out:?}/$f"
done
console="$out/console.log"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s)
log "booting $(basename "$qemu") ($accel) with kernel $kver, ${mem} MiB, 2 vCPUs; initramfs $(du -h "$initrd" | cut -f1)"
"${cmd[@]}" </dev/null >"$console" 2>&1 &
qpid=$!
tail -n +1 -f --pid="$qpid" "$console" &
tpid=$!
# Watch the guest: it must reach init within boot_s, finish within
# timeout_s, and a KVM that cannot run it is named, not waited for.
boot_s=$([ "$accel" = kvm ] && echo 120 || echo 300)
kvm_note() {
	[ "$accel" = kvm ] || return 0
	if [ -d /sys/module/kvm_pvm ]; then
		printf '. This host'"'"'s KVM is kvm_pvm (PVM: shadow paging with the guest kernel deprivileged), whose instruction emulator does not run an unmodified Linux kernel: it crawls through early boot and stops with "emulation failure" at int3, xsave or cmpxchg16b executed with interrupts off'
	fi
	printf '. --accel tcg runs the guest emulated: a functional run whose timings are not hardware measurements'
}
why=""
while kill -0 "$qpid" 2>/dev/null; do
	now=$(($(date +%s) - t0))
	if grep -q "KVM internal error" "$console"; then
		why="KVM could not run the guest: qemu reports \"$(grep -m1 'KVM internal error' "$console")\" ($(grep -m1 -o 'emulation failure' "$console" || echo 'see the console'))$(kvm_note)"
	elif [ $now -ge "$boot_s" ] && ! grep -q '^\[guest\]' "$console"; then
		why="the guest did not reach its init within ${boot_s} s$(kvm_note)"
	elif [ $now -ge "$timeout_s" ]; then
		why="the guest did not finish within ${timeout_s} s (--timeout)"
	fi
	if [ -n "$why" ]; then
		kill "$qpid" 2>/dev/null
		break
	fi
	sleep 1
done
rc=0
wait "$qpid" || rc=$?
wait "$tpid" 2>/dev/null || true
t1=$(date +%s)
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
[ -z "$why" ] || die "$why (console: $console)"
[ "$rc" = 0 ] || die "qemu exited with status $rc (console: $console)"

tar -xf "$disk" -C "$out" 2>"$work/tar.err" ||
	{ cat "$work/tar.err" >&2; die "no results on the output disk (console: $out/console.log)"; }

{
	echo "run-in-guest: $(date -u '+%Y-%m-%d %H:%M UTC'), $((t1 - t0)) s"
	echo "host: $(uname -sr), $(nproc) CPUs, $(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)"
	echo "host load average (1/5/15 min): $load_start at start, $load_end at end"
	echo "guest: $(tr '\n' ' ' <"$cache/VERSIONS")"
	echo "accelerator: $accel_note"
	echo "qemu: $("$qemu" --version | head -1)"
	echo "qemu command: ${cmd[*]}"
	echo "guest steps: $(tr '\n' ';' <"$out/status" 2>/dev/null)"
	echo "caec-bench-comm arguments in the guest: ${comm_args[*]}"
	echo "caec-bench-ring arguments in the guest: ${ring_args}"
	echo "vsock: AF_VSOCK socket layer over the vsock_loopback transport inside the guest:"
	echo "       a lower bound on virtio-vsock cost (no virtqueue, no host)"
	echo "vsock-host (guest -> host virtio-vsock): $vhost_note"
} >"$out/run.txt"
cat "$out/run.txt"

# Plots: gnuplot runs here, not in the guest.
plot() { # directory, gnuplot script
	[ -f "$1/$2" ] || return 0
	command -v gnuplot >/dev/null || { log "gnuplot not installed: no PNG in $1"; return 0; }
	(cd "$1" && gnuplot "$2") || die "gnuplot $1/$2 failed"
}
plot "$out/comm" comm_plots.gp
plot "$out/ring" ring.gp
log "results in $out"

if [ $check = 1 ]; then
	check_args=()
	[ -n "$selfcheck_args" ] && check_args+=(--selfcheck)
	[ -n "$nofallback_args" ] && check_args+=(--nofallback)
	[ -n "$peer_pid" ] && check_args+=(--vsock-host)
	bash "$src/bench/vm/check-results.sh" "$out" "${check_args[@]}"
fi
