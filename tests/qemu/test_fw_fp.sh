#!/usr/bin/env bash
# fw_fp: a realm fills V0-V31/FPCR with a pattern per round and makes 1200
# host calls; the host loads its own pattern before every REC_ENTER (with
# 1 ms preemption as well) and checks it after.  Both sides must keep every
# value, and no realm value may appear in the host's registers.
set -uo pipefail
# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run fp

expect '^\[realm0\] FP/SIMD: 1200 rounds with a host call each, 0 register\(s\) lost$' \
	"the realm lost FP/SIMD values across switches"
expect '^\[host\] FP/SIMD across [0-9]{4,} REC entries \(1200 realm host calls\): 0 host register values lost, 0 realm values visible to the host' \
	"the host lost FP/SIMD values or saw the realm's"
fw_finish test_fw_fp
