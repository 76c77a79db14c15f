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
	spin gnuplot-nox python3 python3-cbor2 python3-cryptography
	help2man groff-base
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
)
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
qemu_ok || { echo "setup: QEMU >= 10 is required for the firmware (got: $(qemu-system-aarch64 --version 2>&1 | head -1))" >&2; exit 1; }
bash "$(dirname "${BASH_SOURCE[0]}")/../bench/vm/guest-files.sh"
log "ready: $(meson --version | sed 's/^/meson /'), $(qemu-system-aarch64 --version | head -1), $(qemu-system-x86_64 --version | head -1)"
