#!/usr/bin/env bash
# The realm kernel (firmware/realm/kernel) under QEMU with FEAT_RME, -smp 2:
# two EL0 applications in one realm, each in its own address space, making
# system calls (Linux arm64 numbers) and /dev/caec ioctl calls
# (include/caec/abi/driver.h).  Asserted on the console:
#  - a truncated application image is refused; each segment is mapped
#    with its own EL0 permissions;
#  - bad arguments get clean errors: EFAULT for kernel or NULL pointers,
#    EBADF, ENOENT, ENOTTY, ENOSYS, EINVAL, E2BIG for a non-zero unknown
#    tail, ENOENT for IDs the file does not hold, ...;
#  - well-formed CSM calls reach the RMM's CSM (the host answers its
#    CSM_META and CSM_POPULATE exits): the realm ID, a 64 KB region shared,
#    mapped at EL0, written and read, a 4 MB region at a 2 MB-aligned IPA
#    shared and unshared, an empty grant list; ATTEST gets a CCA token
#    (tag 399) holding its challenge from the RMM's RSI attestation calls;
#    PLATFORM_KEY gets the host's copy of the platform key (P-384 DER);
#    getrandom(2) gives RNDR's bytes and refuses bad flags and pointers;
#    every IPA range is released again;
#  - libcaec's portable ring (core/ring, built with picolibc) carries 1000
#    checked messages at EL0;
#  - blocking calls (nanosleep, event waits) let the other application
#    run, and the idle kernel's WFI is trapped by the host, which injects
#    the virtual timer;
#  - an access to a range the RMM answers with an SEA (RIPAS EMPTY, mapped
#    by the test hook as if attached) becomes SIGBUS + a REVOKED event,
#    and the application continues; a doorbell wait on such a range ends
#    with ECANCELED;
#  - an EL0 read of kernel memory without a handler kills app_b with a
#    report (class, ESR, FAR, ELR); the kernel and app_a carry on;
#  - the realm ends cleanly and teardown leaves nothing delegated.
set -uo pipefail

# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
fw_run realm_kernel

ok() {	# ok <app> <check text>: that check line must end in "ok"
	local re
	re=$(printf '%s' "$2" | sed 's/[][\.*^$()+?{}|/]/\\&/g')
	expect "^\[$1\] check: $re ok$" "$1: $2"
}

expect '^\[kernel\] caec realm kernel at EL1' "kernel did not boot"
expect '^\[kernel\] csm: driver ABI 1\.2 on /dev/caec; IPA window 0x1000000000-0x2000000000' \
	"driver did not start"
expect '^\[kernel\] truncated: image refused: program headers outside the file' \
	"a truncated image was not refused"
for a in app_a app_b; do
	expect "^\[kernel\] loading $a \(pid [12]\): 3 segments, entry 0x80000000" "$a not loaded"
	ok "$a" "open /dev/caec -> OK (expected OK)"
	ok "$a" "ioctl VERSION -> OK (expected OK)"
done
expect '^\[kernel\]   segment 0x80000000-0x[0-9a-f]+ EL0 RX$' "text not mapped EL0 RX"
expect '^\[kernel\]   segment 0x[0-9a-f]+-0x[0-9a-f]+ EL0 RO XN$' "rodata not mapped EL0 RO"
expect '^\[kernel\]   segment 0x[0-9a-f]+-0x[0-9a-f]+ EL0 RW XN$' "data not mapped EL0 RW"
pids=$(grep -Eo '^\[app_[ab]\] hello from EL0: pid [0-9]+' "$log" | awk '{print $NF}' | sort -u | wc -l)
[ "$pids" -eq 2 ] || fail "the two applications do not have two different pids"

# app_b: system calls with bad arguments, blocking calls.
for c in "write of kernel memory (0x40000000) -> EFAULT (expected EFAULT)" \
	 "write of NULL -> EFAULT (expected EFAULT)" \
	 "write to fd 9 (not open) -> EBADF (expected EBADF)" \
	 "open /dev/null -> ENOENT (expected ENOENT)" \
	 "open with a kernel pointer as path -> EFAULT (expected EFAULT)" \
	 "ioctl on the console -> ENOTTY (expected ENOTTY)" \
	 "system call 9999 -> ENOSYS (expected ENOSYS)" \
	 "nanosleep with tv_nsec = 2e9 -> EINVAL (expected EINVAL)" \
	 "WAIT on a region this file does not hold -> ENOENT (expected ENOENT)" \
	 "mmap of an offset this file does not hold -> EINVAL (expected EINVAL)" \
	 "rt_sigaction(SIGKILL) -> EINVAL (expected EINVAL)" \
	 "rt_sigaction with a handler but no restorer -> EINVAL (expected EINVAL)" \
	 "ring round trip" \
	 "nanosleep 10 ms -> OK (expected OK)" "slept at least 10 ms" \
	 "EVENT with a 5 ms timeout -> ETIMEDOUT (expected ETIMEDOUT)" \
	 "waited at least 5 ms for the event"; do
	ok app_b "$c"
done
expect '^\[app_b\] libcaec ring \(core/ring\) at EL0: 1000 sent, 1000 received, 0 bad$' \
	"libcaec's ring did not run at EL0"
expect '^\[app_b\] PASS \(0 failures\); now reading kernel memory' "app_b's own checks failed"
expect '^\[kernel\] app_b \(pid 2\) killed by SIGSEGV: permission fault, level 3; Data Abort \(lower EL\), ESR_EL1=0x9200000f FAR_EL1=0x40000000 ELR_EL1=0x8[0-9a-f]+$' \
	"app_b's EL0 fault not reported with ESR/FAR/ELR"
grep -q '^\[app_b\] FAIL: read kernel memory' "$log" && fail "app_b read kernel memory from EL0"

# app_a: the driver's argument rules and calls.
for c in "VERSION with size 8 (< V1) -> EINVAL (expected EINVAL)" \
	 "VERSION with size 40, zero tail -> OK (expected OK)" \
	 "VERSION with size 40, non-zero tail -> E2BIG (expected E2BIG)" \
	 "VERSION with unknown flags -> EINVAL (expected EINVAL)" \
	 "VERSION with a NULL argument -> EFAULT (expected EFAULT)" \
	 "VERSION with a kernel address as argument -> EFAULT (expected EFAULT)" \
	 "unknown ioctl number -> ENOTTY (expected ENOTTY)" \
	 "SHARE of 0 bytes -> EINVAL (expected EINVAL)" \
	 "SHARE of 4097 bytes -> EINVAL (expected EINVAL)" \
	 "SHARE of 2 GB -> ENOMEM (expected ENOMEM)" \
	 "GRANT with permission 2 -> EINVAL (expected EINVAL)" \
	 "GRANT with a 32-byte SHA-512 RIM -> EINVAL (expected EINVAL)" \
	 "GRANT of a region this file did not share -> ENOENT (expected ENOENT)" \
	 "REVOKE on an unknown region -> ENOENT (expected ENOENT)" \
	 "UNSHARE of an unknown region -> ENOENT (expected ENOENT)" \
	 "SEAL of an unknown region -> ENOENT (expected ENOENT)" \
	 "GRANT_LIST into a NULL array -> EFAULT (expected EFAULT)" \
	 "ATTACH of grant 0 -> EINVAL (expected EINVAL)" \
	 "ATTACH with a 7-byte hash -> EINVAL (expected EINVAL)" \
	 "DETACH of an unknown grant -> ENOENT (expected ENOENT)" \
	 "NOTIFY on an unknown grant -> ENOENT (expected ENOENT)" \
	 "WAIT on an unknown region -> ENOENT (expected ENOENT)" \
	 "mmap of an unknown offset -> EINVAL (expected EINVAL)" \
	 "mmap of the console -> ENODEV (expected ENODEV)" \
	 "private mmap -> EINVAL (expected EINVAL)" \
	 "REALM_ID -> OK (expected OK)" "the realm ID is not 0" \
	 "SHARE of 64 KB -> OK (expected OK)" "mmap of the shared region -> OK (expected OK)" \
	 "the shared region starts zeroed" "the shared region holds what was written" \
	 "SHARE of 4 MB -> OK (expected OK)" "UNSHARE of the 4 MB region -> OK (expected OK)" \
	 "UNSHARE of it again -> ENOENT (expected ENOENT)" \
	 "GRANT_LIST -> OK (expected OK)" "no grant made to this realm" \
	 "ATTACH of grant 0x1234 (never made) -> EACCES (expected EACCES)" \
	 "ATTEST -> OK (expected OK)" "the token is a CCA token (CBOR tag 399)" \
	 "the token carries the challenge" \
	 "PLATFORM_KEY into 16 bytes -> ENOSPC (expected ENOSPC)" \
	 "ENOSPC says the size needed (120)" "PLATFORM_KEY -> OK (expected OK)" \
	 "the host's platform key is a P-384 SubjectPublicKeyInfo (DER, 120 bytes)" \
	 "PLATFORM_KEY into kernel memory -> EFAULT (expected EFAULT)" \
	 "getrandom of 64 bytes -> OK (expected OK)" \
	 "getrandom again (GRND_NONBLOCK) -> OK (expected OK)" \
	 "two draws differ, neither all zero" \
	 "getrandom with unknown flags -> EINVAL (expected EINVAL)" \
	 "getrandom into kernel memory -> EFAULT (expected EFAULT)" \
	 "EVENT with a 30 ms timeout -> ETIMEDOUT (expected ETIMEDOUT)" "waited at least 30 ms" \
	 "mmap of it a second time -> EBUSY (expected EBUSY)" \
	 "WAIT at an unaligned offset -> EINVAL (expected EINVAL)" \
	 "WAIT past the region -> EINVAL (expected EINVAL)" \
	 "SIGBUS with BUS_ADRERR at the address read" \
	 "REVOKED event with the region and the address" \
	 "EVENT again (one event per revocation) -> ETIMEDOUT (expected ETIMEDOUT)" \
	 "WAIT on the revoked region -> ECANCELED (expected ECANCELED)" \
	 "a write after the revocation: SIGBUS again" \
	 "munmap of it -> OK (expected OK)" "munmap again -> EINVAL (expected EINVAL)" \
	 "WAIT on its word (the kernel's read takes the SEA) -> ECANCELED (expected ECANCELED)" \
	 "REVOKED event for the second region" \
	 "close -> OK (expected OK)" "close again -> EBADF (expected EBADF)"; do
	ok app_a "$c"
done
# The RSI calls really reached the RMM's CSM, and the IPA ranges came back.
expect '^\[kernel\] csm: RSI CSM_VERSION\(0x10000, 0x0, 0x0, 0x0\) -> SUCCESS' "no RSI CSM_VERSION"
expect '^\[kernel\] csm: driver ABI 1\.2 on /dev/caec; .*; RMM CSM present' "the driver saw no RMM CSM"
expect '^\[kernel\] csm: RSI CSM_REALM_ID\(0x0, 0x0, 0x0, 0x0\) -> SUCCESS' "no RSI CSM_REALM_ID"
expect '^\[kernel\] csm: IPA 0x1000000000-0x1000010000 allocated \(64 KB\)' "no IPA range for SHARE"
expect '^\[kernel\] csm: RSI CSM_SHARE\(0x1000000000, 0x10000, 0x0, 0x0\) -> SUCCESS' "no RSI CSM_SHARE"
expect '^\[kernel\] csm: IPA 0x1000[02468ace]00000-0x1000[02468ace]00000 allocated \(4096 KB\)' \
	"no 2 MB-aligned IPA range"
expect '^\[kernel\] csm: RSI CSM_SHARE\(0x1000[02468ace]00000, 0x400000, 0x0, 0x0\) -> SUCCESS' \
	"no RSI CSM_SHARE of 4 MB"
alloc=$(grep -c '^\[kernel\] csm: IPA 0x[0-9a-f]*-0x[0-9a-f]* allocated' "$log")
freed=$(grep -c '^\[kernel\] csm: IPA 0x[0-9a-f]*-0x[0-9a-f]* released' "$log")
[ "$alloc" -ge 4 ] && [ "$alloc" -eq "$freed" ] || fail "IPA ranges allocated $alloc, released $freed"
# Both regions unshared: the 4 MB one by UNSHARE, the 64 KB one by close().
unshared=$(grep -c '^\[kernel\] csm: RSI CSM_UNSHARE(0x[0-9a-f]*, 0x0, 0x0, 0x0) -> SUCCESS' "$log")
[ "$unshared" -eq 2 ] || fail "$unshared regions unshared with the RMM (expected 2)"
expect '^\[kernel\] csm: RSI CSM_GRANT_LIST\(0x0, 0x0, 0x0, 0x0\) -> ERROR_INPUT' \
	"no RSI CSM_GRANT_LIST (ERROR_INPUT past the end)"
expect '^\[kernel\] csm: RSI ATTEST_TOKEN_INIT -> SUCCESS' "no RSI ATTEST_TOKEN_INIT"
grep -q '^\[kernel\] csm: RSI CSM_\(GRANT\|REVOKE\|SEAL\|DETACH\|NOTIFY\)(' "$log" &&
	fail "a call with bad arguments reached the RMM"
# The host answered the CSM exits: metadata, RTTs and granules for the window.
expect '^\[host\] realm0: [0-9]+ REC exits; CSM exits: [1-9][0-9]* POPULATE, 0 RELEASE, [1-9][0-9]* META, 0 DOORBELL rung' \
	"the host saw no CSM_POPULATE / CSM_META exit"
# Fault -> revocation event.
expect '^\[kernel\] csm: TEST HOOK: IPA 0x[0-9a-f]+-0x[0-9a-f]+ has RIPAS EMPTY \(IPA_STATE_GET\)' \
	"test hook range not RIPAS EMPTY"
expect '^\[kernel\] csm: synchronous external abort \(the application.s access\) at VA 0x[0-9a-f]+100 \(IPA 0x[0-9a-f]+\) in region 0x7e57000000000001: revoked' \
	"the RMM's SEA did not become a revocation"
expect '^\[kernel\] app_a \(pid 1\): SIGBUS at 0x[0-9a-f]+100 \(access to a revoked CSM region\)' \
	"no SIGBUS for the revoked region"
expect '^\[kernel\] csm: synchronous external abort \(the kernel.s read of the doorbell word\)' \
	"the kernel's doorbell read did not detect the revocation"
expect '^\[app_a\] PASS \(0 failures\)' "app_a's own checks failed"
expect '^\[kernel\] app_a \(pid 1\) exited with status 0' "app_a did not exit cleanly"
expect '^\[kernel\] every application has ended; idle WFIs [1-9][0-9]*, virtual timer interrupts [1-9]' \
	"the kernel never idled on its virtual timer"
expect '^\[host\] realm0: [0-9]+ REC exits, [0-9]+ preempted by the host timer, [1-9][0-9]* WFx exits \(trapped\), [1-9][0-9]* virtual timer injections, 0 WFIs without a timer' \
	"no trapped WFI / timer injection seen by the host"
expect '^\[host\] realm0 REC0 reports exit status 0$' "kernel did not exit with status 0"
grep -E '^\[(app_[ab]|kernel)\] FAIL' "$log" && fail "a FAIL line from the realm"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated' \
	"granules left delegated after teardown"
fw_finish test_fw_realm_kernel
