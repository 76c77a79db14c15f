#!/usr/bin/env bash
# Attestation from the firmware (issue 17), host scenario "attest"
# (firmware/host/scenarios/attest.c, realm program firmware/realm/attest):
#  - EL3 makes the platform key (CPAK) and the RAK at boot and prints the
#    CPAK as PEM; the RMM fetches the RAK and a platform token bound to
#    it (RMM-EL3 interface); realms get tokens with RSI_ATTESTATION_TOKEN_*
#    and extend a REM;
#  - the realms check each other with libcaec's verifier before GRANT and
#    ATTACH: realm0 accepts realm1 (same image) and refuses realm2 (another
#    RIM); realm1 and realm2 accept realm0's token, which lists their
#    grants; realm1 attaches and reads; the RMM refuses realm2's ATTACH
#    (local attestation: the grant's policy names realm0's image);
#  - outside: realm0's token (printed between CAEC-TOKEN-BEGIN/END)
#    verifies with `caec-token verify` against the printed PEM key, the
#    RIM the host predicted, the challenge, realm ID and grant; another
#    RIM is refused; single-byte tampering is refused; the independent
#    Python check (cbor2 + cryptography) accepts it, finds the platform
#    token's measurements equal to the built monitor and RMM images, and
#    rejects every 7th byte flipped.
#   test_fw_attest.sh [caec-token] [check_token.py]
# Exit: 0 pass, 1 fail, 77 skip (no QEMU >= 10, no aarch64 cross gcc).
set -uo pipefail

# shellcheck source=fw_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/fw_lib.sh"
caec_token=${1:-$repo/build/release/tools/caec-token/caec-token}
check_py=${2:-$repo/tests/attest/check_token.py}
work=$(mktemp -d)
trap 'rm -rf "$work" "$log"' EXIT

fw_run attest

# EL3 and the RMM
expect '^\[el3\] platform attestation key \(CPAK, ECDSA P-384, this boot only\), PEM:$' \
	"EL3 printed no platform key"
expect '^\[el3\] CPAK and RAK made in [0-9]+ ms' "EL3 made no attestation keys"
expect '^\[el3\] platform token for the RMM: [0-9]+ bytes, signed in [0-9]+ ms' \
	"EL3 signed no platform token"
[ "$(grep -c '^\[el3\] platform token for the RMM' "$log")" -eq 1 ] ||
	fail "EL3 was asked for the platform token more than once"
# The realms' checks
for r in 0 1 2; do
	expect "^\[realm$r\] RSI_MEASUREMENT_EXTEND of REM 1: ok" "realm$r could not extend a REM"
	expect "^\[realm$r\] the platform key from the host is the one in this realm's own token \(key id\): ok" \
		"realm$r did not anchor the platform key"
	expect "^\[realm$r\] PASS \(0 failures\)" "realm$r failed"
done
expect "^\[realm0\] caec_token_verify\(realm1's token\): CAEC_OK" "realm0 refused realm1"
expect "^\[realm0\] caec_token_verify\(realm2's token\): CAEC_E_RIM" "realm0 did not refuse realm2's RIM"
expect "^\[realm0\] CSM_GRANT to realm1 -> status 0x0" "no grant to realm1"
expect "^\[realm1\] caec_token_verify\(realm0's token\): CAEC_OK" "realm1 refused realm0"
expect '^\[realm1\] CSM_ATTACH: ok' "realm1 could not attach"
expect '^\[realm1\] read from the region: "measured, attested, shared: hello from realm0"' \
	"realm1 did not read the region"
expect "^\[realm2\] caec_token_verify\(realm0's token\): CAEC_OK" "realm2 refused realm0"
expect '^\[realm2\] CSM_ATTACH -> status 0x10$' \
	"the RMM did not refuse realm2's ATTACH with RSI_ERROR_DENIED (local attestation)"
expect '^\[host\] teardown complete: [1-9][0-9]* granules delegated in total, 0 still delegated' \
	"granules left delegated"

# Outside verification of realm0's token for realm1.
sed -n '/^CAEC-TOKEN-BEGIN$/,/^CAEC-TOKEN-END$/p' "$log" | grep -E '^[0-9a-f]+$' | tr -d '\n' |
	xxd -r -p >"$work/token.cbor"
sed -n '/^-----BEGIN PUBLIC KEY-----$/,/^-----END PUBLIC KEY-----$/p' "$log" >"$work/platform.pem"
val() { sed -n "s/$1/\1/p" "$log" | head -1; }
challenge=$(val '^\[realm0\] printed token: challenge \([0-9a-f]\{128\}\)$')
rim=$(val '^\[host\] realm0 expected RIM=\([0-9a-f]\{64\}\)$')
rim2=$(val '^\[host\] realm2 expected RIM=\([0-9a-f]\{64\}\)$')
rem1=$(val '^\[realm0\] REM1 \([0-9a-f]\{64\}\)$')
id0=$(val '^\[realm0\] region 0x[0-9a-f]\{16\} shared, realm ID 0x\([0-9a-f]\{16\}\)$')
region=$(val '^\[realm0\] region 0x\([0-9a-f]\{16\}\) shared, realm ID 0x[0-9a-f]\{16\}$')
grants=$(val '^\[realm0\] grants: \(.*\)$')
read -r g1 id1 g2 id2 < <(echo "$grants" |
	sed -n 's/^0x\([0-9a-f]*\) to realm1 0x\([0-9a-f]*\), 0x\([0-9a-f]*\) to realm2 0x\([0-9a-f]*\)$/\1 \2 \3 \4/p')
if [ ! -s "$work/token.cbor" ] || [ -z "$challenge" ] || [ -z "$rim" ] || [ -z "${id2:-}" ]; then
	fail "the token, challenge, RIM or grants were not on the console"
	fw_finish test_fw_attest
fi
size=$(stat -c %s "$work/token.cbor")
echo "token: $size bytes, realm0 $id0, region $region, grants $g1 -> $id1, $g2 -> $id2"
[ "$(grep -c '^-----BEGIN PUBLIC KEY-----$' "$work/platform.pem")" -eq 1 ] ||
	fail "no single PEM key on the console"

if [ ! -x "$caec_token" ]; then
	fail "caec-token not found at $caec_token (build the release flavour)"
else
	policy() {	# policy <rim>
		printf 'challenge = %s\nrim = %s\nrealm_id = %s\ngrant_id = %s\ngrant_peer_id = %s\n' \
			"$challenge" "$1" "$id0" "$g1" "$id1"
	}
	policy "$rim" >"$work/policy.txt"
	out=$("$caec_token" verify "$work/token.cbor" --policy "$work/policy.txt" \
		--platform-key "$work/platform.pem" 2>&1)
	echo "caec-token verify: $out"
	[[ $out == "VERIFIED $work/token.cbor: realm $id0, 2 CSM relation(s)" ]] ||
		fail "caec-token does not verify the firmware's token"
	policy "$rim2" >"$work/policy2.txt"
	out=$("$caec_token" verify "$work/token.cbor" --policy "$work/policy2.txt" \
		--platform-key "$work/platform.pem" 2>&1)
	rc=$?
	echo "caec-token verify, realm2's RIM: $out"
	[ "$rc" -eq 1 ] && [[ $out == *CAEC_E_RIM* ]] || fail "another RIM accepted (exit $rc)"
	# Single-byte tampering: the first and last byte, and bytes in the
	# platform token, the realm claims and the realm signature.
	for pos in 0 40 300 700 $((size - 60)) $((size - 1)); do
		cp "$work/token.cbor" "$work/t.cbor"
		b=$(xxd -p -s "$pos" -l 1 "$work/t.cbor")
		printf '%02x' $((0x$b ^ 0x01)) | xxd -r -p | dd of="$work/t.cbor" bs=1 seek="$pos" \
			conv=notrunc status=none
		out=$("$caec_token" verify "$work/t.cbor" --policy "$work/policy.txt" \
			--platform-key "$work/platform.pem" 2>&1)
		rc=$?
		echo "byte $pos flipped: exit $rc, $out"
		[ "$rc" -eq 1 ] || fail "caec-token accepted the token with byte $pos flipped"
	done
fi

# The independent check (Debian's python3-cbor2 + python3-cryptography).
if /usr/bin/python3 -c 'import cbor2, cryptography' 2>/dev/null; then
	objcopy=aarch64-linux-gnu-objcopy
	"$objcopy" -O binary "$builddir/monitor.elf" "$work/monitor.bin"
	"$objcopy" -O binary "$builddir/rmm.elf" "$work/rmm.bin"
	{
		echo "challenge = $challenge"
		echo "rpv = $(printf '0%.0s' $(seq 128))"
		echo "rim = $rim"
		echo "rem0 = $rem1"
		for i in 1 2 3; do echo "rem$i = $(printf '0%.0s' $(seq 64))"; done
		echo "realm_id = $id0"
		# region grant peer perm (1 RO) role (1 provider) sealed hash, as %x
		for g in "$g1 $id1" "$g2 $id2"; do
			set -- $g
			printf 'relation = %x %x %x 1 1 0 -\n' "0x$region" "0x$1" "0x$2"
		done
		echo "sw_caec-monitor = $(sha256sum "$work/monitor.bin" | cut -c1-64)"
		echo "sw_caec-rmm = $(sha256sum "$work/rmm.bin" | cut -c1-64)"
	} >"$work/expected.txt"
	/usr/bin/python3 "$check_py" firmware "$work/token.cbor" "$work/platform.pem" \
		"$work/expected.txt" || fail "the independent Python check rejects the firmware's token"
else
	echo "(python3-cbor2/cryptography missing: independent check skipped)"
fi

fw_finish test_fw_attest
