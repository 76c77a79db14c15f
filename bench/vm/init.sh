#!/bin/sh
# PID 1 of the benchmark guest that bench/vm/run-in-guest.sh boots (busybox
# sh; the guest has no disk but its output disk and no network).
#
# Mounts the pseudo file systems, loads the vsock and virtio modules in the
# order the host computed (/lib/modules/modules.load), runs the benchmarks
# named in /etc/caec-guest.conf (written by the host for this boot) with
# every mode beside vsock in the same run, and writes everything they
# produced as one tar archive onto the raw output disk (/dev/vda), which the
# host unpacks.  Then powers off.  Any failure is recorded in
# /results/status (one "name exit-code" line per step) and the archive is
# written anyway, so the host can tell what failed.
export PATH=/bin:/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# No tmpfs over /tmp: the initramfs is already RAM, and the programs sit
# at their host paths, which may be under /tmp (a checkout there).
mkdir -p /tmp
ip link set lo up # tcp-loopback needs 127.0.0.1; there is no other network
R=/results
mkdir -p $R

log() { echo "[guest] $*"; }
status() { echo "$1 $2" >>$R/status; [ "$2" = 0 ] || log "$1 FAILED (exit $2)"; }

# shellcheck source=/dev/null
. /etc/caec-guest.conf

# Run a step, its stdout+stderr both to the console and to $R/<name>.log.
step() {
	name=$1
	shift
	log "$name: $*"
	rm -f /tmp/rc
	t0=$(cut -d' ' -f1 /proc/uptime)
	{ "$@"; echo $? >/tmp/rc; } 2>&1 | tee $R/$name.log
	status "$name" "$(cat /tmp/rc 2>/dev/null || echo 127)"
	log "$name: $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime) s"
}

load_modules() {
	while read -r m; do
		insmod /lib/modules/$m.ko || return 1
	done </lib/modules/modules.load
}
step modules load_modules

# The facts a reader of the results needs about this guest.
{
	echo "kernel: $(uname -r) ($(uname -v))"
	echo "cmdline: $(cat /proc/cmdline)"
	echo "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"
	echo "cpu flags (tsc, virtualization): $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E 'tsc|hypervisor|rdtscp' | tr '\n' ' ')"
	echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	echo "memory: $(grep MemTotal /proc/meminfo)"
	echo "modules loaded:"
	lsmod
	echo "running as: $(id)"
} >$R/guest-facts.txt 2>&1

# Wait for the output disk (virtio_blk probes asynchronously).
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

# shellcheck disable=SC2086 # the argument lists are split on purpose
if [ -n "$COMM" ]; then
	step comm "$COMM" --out $R/comm $COMM_ARGS
fi
if [ -n "$RING" ]; then
	step ring "$RING" --out $R/ring $RING_ARGS
fi
if [ -n "$SELFCHECK_ARGS" ]; then
	# The guest-to-host mode's code path, with the receiver in this guest
	# over the loopback transport (a check that it works, not a figure).
	"$COMM" --serve-vsock "$SELFCHECK_PORT" >$R/selfcheck-server.log 2>&1 &
	srv=$!
	step vsock-host-selfcheck "$COMM" --out $R/vsock-host-selfcheck $SELFCHECK_ARGS
	if [ -n "$NOFALLBACK_ARGS" ]; then
		# The host CID with no virtio-vsock device must not reach this
		# receiver through the loopback (vsock-host must be unavailable).
		step vsock-host-nofallback "$COMM" --out $R/vsock-host-nofallback $NOFALLBACK_ARGS
	fi
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
fi

log "writing results to the output disk"
if [ -b /dev/vda ]; then
	tar -cf /dev/vda -C $R . && sync && log "done"
else
	log "no output disk (/dev/vda): results lost"
fi
poweroff -f
