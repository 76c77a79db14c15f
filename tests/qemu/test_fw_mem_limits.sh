#!/usr/bin/env bash
# fw_mem_limits: DRAM sizes the platform does not support are refused by
# the monitor with the reason on the console, before anything else runs:
# -m 4G (DRAM would end above the GPT's 4 GB PPS) and -m 32M (below the
# 64 MB minimum).  The host never starts, so firmware-demo.sh exits 1.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"

for case in '4G 0x100000000 4096 too large' '32M 0x2000000 32 too small'; do
	read -r mem size mb what <<<"$case"
	FIRMWARE_MEM=$mem fw_run boot 1
	expect "^\[el3\] device tree: DRAM 0x40000000\+$size \($mb MB\) is $what \(supported: 64 MB to 3072 MB\)" \
		"-m $mem not refused as $what"
	expect '^\[el3\] PANIC: unsupported DRAM size' "-m $mem: the monitor did not stop"
	grep -q '^\[rmm\]\|^\[host\]' "$log" && fail "-m $mem: the RMM or the host ran"
done
[ "$failures" -eq 0 ] || { echo "test_fw_mem_limits: $failures check(s) failed"; exit 1; }
echo "test_fw_mem_limits: PASS"
