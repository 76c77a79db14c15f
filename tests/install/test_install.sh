#!/usr/bin/env bash
# What a user gets from `meson install` (docs/install.md), checked on the
# installed copy alone:
#   1. the tree: headers, libcaec.so (SONAME) and libcaec.a, caec.pc,
#      caec-simd, caec-token, caec-simd.service, the manual pages;
#   2. caec.pc with no other .pc visible (liburcu's and libcbor's hidden):
#      --cflags, --libs and --static --libs work;
#   3. the examples, copied out of the tree, build with pkg-config --
#      linked with libcaec.so and statically (Make; the first app with
#      Meson too) -- and run against the installed caec-simd;
#   4. man pages: every symbol libcaec.so exports (nm -D) has its
#      section-3 page and every page a symbol; libcaec(3), caec-simd(8)
#      with its documented sections and every option of its --help,
#      caec-token(1); groff renders every page without a warning;
#   5. caec-simd as its unit runs it: the unit's own ExecStart reports
#      READY=1 once its socket (mode 0666) exists, serves a realm,
#      STOPPING=1 and exit 0 on SIGTERM; exit 2 on a usage error, 1 on a
#      refused socket path; systemd-analyze (if installed) accepts it;
#   6. caec as a Meson subproject does not impose werror on its parent.
#
#   test_install.sh BUILD_DIR SOURCE_DIR
#
# The temporary prefix is a DESTDIR: `meson install --destdir D` puts the
# build's prefix P under D, and PKG_CONFIG_SYSROOT_DIR=D makes caec.pc's
# paths point there, as a packager's staging tree would be used.
set -euo pipefail
build="$1"
src="$2"
tmp=$(mktemp -d)
simd_pid=
cleanup() {
	[ -n "$simd_pid" ] && kill "$simd_pid" 2>/dev/null && wait "$simd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# --- 1. the installed tree ------------------------------------------------
dest="$tmp/dest"
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
opt() {
	meson introspect "$build" --buildoptions | /usr/bin/python3 -c \
		'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]==sys.argv[1]][0])' "$1"
}
prefix=$(opt prefix)
root="$dest$prefix"
libdir="$root/$(opt libdir)"
mandir="$root/$(opt mandir)"
for f in include/caec/caec.h include/caec/channel.h include/caec/version.h \
	include/caec/abi/csm.h bin/caec-simd bin/caec-token \
	lib/systemd/system/caec-simd.service; do
	[ -e "$root/$f" ] || fail "$f not installed"
done
stray=$(find "$root/include/caec" -name meson.build -o -name '*.in')
[ -z "$stray" ] || fail "build files installed: $stray"
so="$libdir/libcaec.so.0"
[ -f "$so" ] && [ -f "$libdir/libcaec.a" ] && [ -f "$libdir/pkgconfig/caec.pc" ] ||
	fail "libcaec.so.0, libcaec.a or caec.pc missing in $libdir"
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libcaec.so.0 ] || fail "SONAME '$soname'"
# libcaec.a offers what libcaec.so exports, and nothing more.
exports=$(nm -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort)
[ "$(printf '%s\n' "$exports" | wc -l)" -ge 20 ] || fail "libcaec.so exports too little"
static_globals=$(nm -g --defined-only "$libdir/libcaec.a" | awk 'NF == 3 { print $3 }' | sort)
[ "$exports" = "$static_globals" ] ||
	fail "libcaec.a's global symbols differ from libcaec.so's exports: $(diff <(echo "$exports") <(echo "$static_globals") | grep '^[<>]' | head -5 | tr '\n' ' ')"
ok "installed under $prefix: headers, libcaec.so.0 and libcaec.a (same $(echo "$exports" | wc -l) symbols), caec.pc, tools, unit"

# --- 2. caec.pc on its own ------------------------------------------------
# Only the installed .pc is visible: no liburcu-bp.pc, no libcbor.pc.
export PKG_CONFIG_LIBDIR="$libdir/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
unset PKG_CONFIG_PATH
if pkg-config --exists liburcu-bp || pkg-config --exists libcbor; then
	fail "the system's .pc files are still visible: this check would prove nothing"
fi
for q in "--cflags" "--libs" "--static --libs" "--static --cflags"; do
	# shellcheck disable=SC2086
	pkg-config $q caec >/dev/null 2>"$tmp/pc.err" ||
		fail "pkg-config $q caec without liburcu's .pc: $(cat "$tmp/pc.err")"
done
# What libcaec.a calls, in an order a static link resolves.
static_libs=" $(pkg-config --static --libs caec) "
grep -Eq -- ' -lcaec (.* )?-lurcu-bp (.* )?-lurcu-common (.* )?-lmbedcrypto ' <<<"$static_libs" ||
	fail "pkg-config --static --libs caec lacks libcaec.a's dependencies:$static_libs"
ok "pkg-config --cflags/--libs/--static caec with no other .pc file visible"

# --- 3. examples outside the tree -----------------------------------------
cp -r "$src/examples" "$tmp/examples"
ex="$tmp/examples"
build_ex() { # DIR [make args]
	local d="$1"
	shift
	make -s -C "$ex/$d" clean >/dev/null
	make -s -C "$ex/$d" CAEC_SRC="$src" CFLAGS="-O1 -Werror" "$@" >"$tmp/make.log" 2>&1 ||
		{ cat "$tmp/make.log"; fail "make $* in examples/$d"; }
}
# (Whole outputs in variables: grep -q on a pipe would kill the writer
# with SIGPIPE, and pipefail would take that for a failure.)
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
dynamic_ok() {
	local n
	n=$(needed "$1")
	grep -qx libcaec.so.0 <<<"$n" || fail "$1 does not use libcaec.so.0"
}
static_ok() {
	local n t
	n=$(needed "$1")
	t=$(nm "$1")
	! grep -q libcaec <<<"$n" || fail "$1 still needs libcaec.so"
	grep -q ' T caec_open$' <<<"$t" || fail "$1 has no caec_open of its own"
}

mkdir "$tmp/run"
chmod 0700 "$tmp/run"
sock="$tmp/run/simd.sock"
# The test runs as root: realms as root are admitted in development mode.
"$root/bin/caec-simd" --socket "$sock" --allow-insecure-realms 2>"$tmp/simd.log" &
simd_pid=$!
for _ in $(seq 200); do [ -S "$sock" ] && break; sleep 0.05; done
[ -S "$sock" ] || { cat "$tmp/simd.log"; fail "the installed caec-simd did not start"; }
run() { # PROGRAM: as a realm of the installed daemon, with the installed library
	CAEC_SIM_SOCKET="$sock" LD_LIBRARY_PATH="$libdir" timeout 120 "$@" >"$tmp/run.log" 2>&1 ||
		{ cat "$tmp/run.log"; fail "running $*"; }
}

build_ex first-app
dynamic_ok "$ex/first-app/hello-caec"
run "$ex/first-app/hello-caec"
grep -q "replied: 1000 received, 0 wrong" "$tmp/run.log" || fail "hello-caec: $(cat "$tmp/run.log")"
cp "$ex/first-app/hello-caec" "$tmp/hello-shared"
build_ex first-app STATIC=1
static_ok "$ex/first-app/hello-caec"
CAEC_SIM_SOCKET="$sock" timeout 120 "$ex/first-app/hello-caec" >"$tmp/run.log" 2>&1 ||
	{ cat "$tmp/run.log"; fail "static hello-caec"; }
# With Meson: dependency('caec'), and -Dprefer_static=true for libcaec.a
# (the C library stays shared there).
for mode in shared static; do
	args=()
	[ "$mode" = static ] && args=(-Dprefer_static=true)
	meson setup "$tmp/m-$mode" "$ex/first-app" "${args[@]}" >"$tmp/meson.log" 2>&1 &&
		meson compile -C "$tmp/m-$mode" >>"$tmp/meson.log" 2>&1 ||
		{ cat "$tmp/meson.log"; fail "meson build of examples/first-app ($mode)"; }
	if [ "$mode" = static ]; then static_ok "$tmp/m-$mode/hello-caec"; else dynamic_ok "$tmp/m-$mode/hello-caec"; fi
	run "$tmp/m-$mode/hello-caec"
done
ok "examples/first-app: Make and Meson, shared and static, each ran 1000 messages"

build_ex regions
dynamic_ok "$ex/regions/caec-demo"
run "$ex/regions/caec-demo"
grep -q "demo complete" "$tmp/run.log" || fail "caec-demo: $(tail -5 "$tmp/run.log")"
build_ex regions STATIC=1
static_ok "$ex/regions/caec-demo"
run "$ex/regions/caec-demo"
grep -q "demo complete" "$tmp/run.log" || fail "static caec-demo: $(tail -5 "$tmp/run.log")"
ok "examples/regions: caec-demo shared and static, both complete"

build_ex llm
dynamic_ok "$ex/llm/caec-gpt2"
dynamic_ok "$ex/llm/caec-llama-serve"
build_ex pipeline
dynamic_ok "$ex/pipeline/caec-gpt2-split"
ok "examples/llm and examples/pipeline build against the installed caec"

# --- 4. manual pages ------------------------------------------------------
lint() { # PAGE: no groff warning
	local w
	w=$(groff -man -ww -z -Tutf8 "$1" 2>&1) || fail "groff failed on $1"
	[ -z "$w" ] || fail "groff warns on $1: $w"
}
missing=()
for s in $exports; do
	p="$mandir/man3/$s.3"
	if [ ! -f "$p" ]; then
		missing+=("$s")
		continue
	fi
	grep -qx "$s \\\\- .*" "$p" || fail "$p: its NAME line does not name $s"
	lint "$p"
done
[ "${#missing[@]}" -eq 0 ] || fail "exported without a man page: ${missing[*]}"
for p in "$mandir"/man3/*.3; do
	s=$(basename "$p" .3)
	[ "$s" = libcaec ] && continue
	grep -qx "$s" <<<"$exports" || fail "man page $s(3) for a symbol libcaec.so does not export"
done
[ -f "$mandir/man3/libcaec.3" ] || fail "libcaec(3) missing"
lint "$mandir/man3/libcaec.3"
grep -q '^\.SH ERRORS' "$mandir/man3/libcaec.3" || fail "libcaec(3) has no ERRORS"
simd8="$mandir/man8/caec-simd.8"
token1="$mandir/man1/caec-token.1"
[ -f "$simd8" ] && [ -f "$token1" ] || fail "caec-simd(8) or caec-token(1) missing"
lint "$simd8"
lint "$token1"
for sec in "EXIT STATUS" LOGGING SERVICE FILES; do
	grep -q "^\\.SH \"\\?$sec\"\\?\$" "$simd8" || fail "caec-simd(8) has no $sec section"
done
grep -q '^\.SH "\?EXIT STATUS"\?$' "$token1" || fail "caec-token(1) has no EXIT STATUS section"
text=$(groff -man -Tascii -P-cbou "$simd8" 2>/dev/null)
for o in $("$root/bin/caec-simd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	grep -qF -- "$o" <<<"$text" || fail "caec-simd(8) does not document $o (from --help)"
done
ok "man pages: $(echo "$exports" | wc -l) functions in section 3 and libcaec(3), caec-simd(8), caec-token(1); groff warns on none"

# --- 5. caec-simd as its unit runs it -------------------------------------
unit="$root/lib/systemd/system/caec-simd.service"
grep -q '^Type=notify$' "$unit" || fail "the unit is not Type=notify"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
# Its command line, with the installed binary, /run/caec made here as
# systemd would (0711), and development mode for CAEC_SIMD_ARGS (this
# test's realms run as root).
rundir="$tmp/run-caec"
mkdir -m 0711 "$rundir"
cmd=${exec_start//\/run\/caec/$rundir}
cmd=${cmd/\$CAEC_SIMD_ARGS/--allow-insecure-realms}
read -r -a argv <<<"$cmd"
argv[0]="$dest${argv[0]}"
[ -x "${argv[0]}" ] || fail "ExecStart names ${argv[0]#"$dest"}, which is not the installed caec-simd"
usock=$(grep -o -- "$rundir/[^ ]*" <<<"$cmd" | head -1)
CAEC_SIM_SOCKET="$usock" LD_LIBRARY_PATH="$libdir" HELLO="$tmp/hello-shared" \
	/usr/bin/python3 - "$usock" "${argv[@]}" <<'PY' || fail "caec-simd under the unit's command line"
import os, signal, socket, stat, subprocess, sys
sock, argv = sys.argv[1], sys.argv[2:]
n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
npath = os.path.join(os.path.dirname(sock), "..", "notify.sock")
n.bind(npath)
n.settimeout(30)
d = subprocess.Popen(argv, env=dict(os.environ, NOTIFY_SOCKET=npath),
                     stderr=subprocess.PIPE)
try:
    msg = n.recv(4096).decode()
    assert msg == "READY=1", "first notification %r, not READY=1" % msg
    st = os.stat(sock)
    assert stat.S_ISSOCK(st.st_mode), "READY=1 before the socket exists"
    assert stat.S_IMODE(st.st_mode) == 0o666, "socket mode %o" % stat.S_IMODE(st.st_mode)
    r = subprocess.run([os.environ["HELLO"]], capture_output=True, timeout=120)
    assert r.returncode == 0, "hello-caec on the unit's socket: %r" % r.stderr
    d.send_signal(signal.SIGTERM)
    msg = n.recv(4096).decode()
    assert msg == "STOPPING=1", "after SIGTERM %r, not STOPPING=1" % msg
    rc = d.wait(timeout=30)
    assert rc == 0, "exit status %d after SIGTERM, not 0" % rc
    assert not os.path.exists(sock), "socket left behind"
except BaseException as e:
    d.kill()
    sys.stderr.write("%s\n%s" % (e, d.communicate()[1].decode()))
    sys.exit(1)
PY
rc=0
"$root/bin/caec-simd" --no-such-option 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "caec-simd --no-such-option: exit $rc, not 2"
mkdir -m 0777 "$tmp/open"
rc=0
"$root/bin/caec-simd" --socket "$tmp/open/s.sock" 2>"$tmp/refuse.log" || rc=$?
[ "$rc" -eq 1 ] || fail "caec-simd on a socket in a world-writable directory: exit $rc, not 1"
grep -q "caec-simd: " "$tmp/refuse.log" || fail "caec-simd refused without saying why"
if command -v systemd-analyze >/dev/null; then
	sed "s#^ExecStart=$prefix#ExecStart=$root#" "$unit" >"$tmp/caec-simd.service"
	w=$(systemd-analyze verify --man=no "$tmp/caec-simd.service" 2>&1) ||
		fail "systemd-analyze verify: $w"
	[ -z "$w" ] || fail "systemd-analyze verify warns: $w"
	verified="; systemd-analyze verify accepts the unit"
else
	verified="; systemd-analyze not installed: the unit's syntax was not verified"
fi
ok "caec-simd by its unit: READY=1 with the 0666 socket in place, served a realm, STOPPING=1 and exit 0 on SIGTERM; exit 2 on a usage error, 1 on a refused path$verified"

# --- 6. as a subproject ---------------------------------------------------
parent="$tmp/parent"
mkdir -p "$parent/subprojects"
ln -s "$src" "$parent/subprojects/caec"
cat >"$parent/meson.build" <<'EOF'
project('parent', 'c')
caec_dep = subproject('caec', default_options: ['tests=disabled',
  'examples=false', 'bench=false', 'firmware=disabled']).get_variable('caec_dep')
EOF
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
meson setup "$parent/build" "$parent" >"$tmp/sub.log" 2>&1 || { cat "$tmp/sub.log"; fail "caec as a subproject"; }
werror=$(meson introspect "$parent/build" --buildoptions | /usr/bin/python3 -c \
	'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="caec:werror"][0])')
[ "$werror" = False ] || fail "caec as a subproject has werror=$werror: it imposes -Werror on its users"
ok "as a subproject caec leaves werror to its parent"
