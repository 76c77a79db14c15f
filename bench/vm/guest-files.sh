#!/usr/bin/env bash
# caec: fetch the KVM guest's kernel, its vsock/virtio modules and busybox
# from Debian, for bench/vm/run-in-guest.sh (the vsock baseline).
#
# Nothing is installed on the host: `apt-get download` fetches Debian's
# kernel image (the versioned package linux-image-amd64 depends on) and
# busybox-static (installing it would remove the host's `busybox`), and only
# the files the guest needs are extracted into the cache directory:
#
#   vmlinuz             the kernel
#   modules/*.ko        vsock, vsock_loopback, the virtio vsock transport,
#                       virtio_pci, virtio_blk and what they depend on
#   modules.load        those modules in load order (dependencies first)
#   busybox             busybox-static: the guest's shell and tools
#   VERSIONS            the packages and versions this was made from
#
# Idempotent: when VERSIONS exists nothing is fetched (delete the directory
# to take a newer kernel).  Called by scripts/setup.sh.
#   bench/vm/guest-files.sh [CACHE_DIR]   (default $CAEC_VM_CACHE, else build/vm)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${1:-${CAEC_VM_CACHE:-$here/build/vm}}"

log() { printf '[guest-files] %s\n' "$*"; }
die() { printf 'guest-files: %s\n' "$*" >&2; exit 1; }

if [ -f "$cache/VERSIONS" ]; then
	log "guest kernel and busybox present in $cache ($(tr '\n' ' ' <"$cache/VERSIONS"))"
	exit 0
fi

# The modules the guest loads; their dependencies are added from each
# module's own .modinfo "depends=" field.
WANT=(vsock vsock_loopback vmw_vsock_virtio_transport virtio_pci virtio_blk)
# Where they live in the kernel package (extracted selectively: the full
# module tree is ~400 MB).
MOD_DIRS=(kernel/net/vmw_vsock kernel/drivers/virtio kernel/drivers/block)

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
for t in apt-get apt-cache dpkg-deb tar; do
	command -v "$t" >/dev/null || die "'$t' not found (a Debian host is required)"
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The versioned image package behind the linux-image-amd64 metapackage.
image_pkg() {
	apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends: *\(linux-image-[^ ,]*\).*/\1/p' | head -1
}
fetch() {
	(cd "$tmp" && apt-get -q -o APT::Sandbox::User=root download "$@")
}
img="$(image_pkg)"
if [ -z "$img" ] || ! fetch "$img" busybox-static >/dev/null 2>"$tmp/err"; then
	# stale or missing package lists: refresh once and retry
	log "apt-get update (package lists are stale or missing)"
	$SUDO apt-get update -q >/dev/null
	img="$(image_pkg)"
	[ -n "$img" ] || die "apt-cache knows no linux-image-amd64 (is this Debian amd64?)"
	fetch "$img" busybox-static >/dev/null 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; die "apt-get download $img busybox-static failed"; }
fi
kdeb="$(ls "$tmp"/linux-image-*.deb)"
bdeb="$(ls "$tmp"/busybox-static_*.deb)"
kver="$(dpkg-deb -f "$kdeb" Version)"
bver="$(dpkg-deb -f "$bdeb" Version)"
log "fetched $img $kver, busybox-static $bver"

# Extract only the kernel, the module directories above and busybox.
x="$tmp/x"
mkdir -p "$x"
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$x" --wildcards \
	'./boot/vmlinuz-*' $(printf "./lib/modules/*/%s/* " "${MOD_DIRS[@]}")
dpkg-deb --fsys-tarfile "$bdeb" | tar -x -C "$x" ./bin/busybox
uname_r="$(ls "$x/lib/modules")"
[ "$(printf '%s\n' "$uname_r" | wc -l)" = 1 ] || die "expected one module tree, got: $uname_r"

# name -> file for every extracted module ('-' and '_' are the same)
declare -A file_of
while IFS= read -r f; do
	n="$(basename "$f" .ko)"
	file_of["${n//-/_}"]="$f"
done < <(find "$x/lib/modules" -name '*.ko')

depends_of() { tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' ' '; }

# Depth-first: every module after the modules it depends on.
declare -A seen
order=()
visit() {
	local m="${1//-/_}" d
	[ -n "${seen[$m]:-}" ] && return 0
	seen[$m]=1
	[ -n "${file_of[$m]:-}" ] || die "module $m is not in ${MOD_DIRS[*]} of $img (a different kernel layout?)"
	for d in $(depends_of "${file_of[$m]}"); do
		visit "$d"
	done
	order+=("$m")
}
for m in "${WANT[@]}"; do
	visit "$m"
done

new="$cache.new.$$"
rm -rf "$new"
mkdir -p "$new/modules"
cp "$x"/boot/vmlinuz-* "$new/vmlinuz"
cp "$x/bin/busybox" "$new/busybox"
for m in "${order[@]}"; do
	cp "${file_of[$m]}" "$new/modules/$m.ko"
done
printf '%s\n' "${order[@]}" >"$new/modules.load"
printf 'kernel %s %s (uname -r %s)\nbusybox-static %s\n' \
	"$img" "$kver" "$uname_r" "$bver" >"$new/VERSIONS"
mkdir -p "$(dirname "$cache")"
rm -rf "$cache"
mv "$new" "$cache"
log "ready in $cache: kernel $uname_r, modules: ${order[*]}"
