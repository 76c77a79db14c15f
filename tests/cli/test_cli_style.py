#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One command-line style for every caec program (tools/cli/cli.h).

The programs are read from the build itself (meson-info/intro-targets.json):
every executable target except tests (defined under tests/, fuzz/ or
firmware/, or named test_*/test-*).  A new program therefore cannot be
missed: it is checked as soon as it is built.  For each:

  PROG --help        exit 0, nothing on stderr; stdout starts with
                     "usage: PROG" and lists --help and --version
  PROG --version     exit 0, nothing on stderr; stdout is "PROG <version>"
                     (the project's version), optionally followed by more
  PROG --no-such-option-xyz
                     exit 2, nothing on stdout; stderr names the option
  PROG -Z            (an unknown short option) exit 2, stderr names "-Z"

and, for each command its usage lines name ("usage: PROG get ..."), the
same --help and unknown-option checks on "PROG COMMAND".

usage: test_cli_style.py BUILD_ROOT SOURCE_ROOT
"""
import json
import os
import re
import subprocess
import sys

TIMEOUT_S = 20
BOGUS = "--no-such-option-xyz"


def programs(build, source):
    with open(os.path.join(build, "meson-info", "intro-targets.json")) as f:
        targets = json.load(f)
    out = []
    for t in targets:
        if t["type"] != "executable":
            continue
        where = os.path.relpath(t["defined_in"], source)
        if where.split(os.sep)[0] in ("tests", "fuzz", "firmware"):
            continue
        if t["name"].startswith(("test_", "test-")):
            continue
        out.append((t["name"], t["filename"][0]))
    return sorted(out)


def commands(name, help_text):
    """The commands the usage lines name: PROG's first word, if lowercase."""
    found = []
    for line in help_text.splitlines():
        words = line.split()
        if words[:2] == ["usage:", name]:
            words = words[1:]
        elif not line.startswith(" ") or words[:1] != [name]:
            continue
        if len(words) > 1 and re.fullmatch(r"[a-z][a-z0-9-]*", words[1]) and \
                words[1] not in found:
            found.append(words[1])
    return found


def run(exe, *args):
    try:
        r = subprocess.run([exe, *args], capture_output=True, text=True,
                           timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
        return r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired:
        return None, "", f"(still running after {TIMEOUT_S} s)"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    build, source = sys.argv[1], sys.argv[2]
    with open(os.path.join(build, "meson-info", "intro-projectinfo.json")) as f:
        version = json.load(f)["version"]
    progs = programs(build, source)
    names = [n for n, _ in progs]
    print(f"programs in this build: {' '.join(names)}")
    failures = []

    def check(ok, name, what, detail=""):
        if not ok:
            failures.append(f"{name}: {what}" + (f"\n    {detail.strip()}" if detail else ""))

    # The two every build has: an empty list would prove nothing.
    for must in ("caec-simd", "caec-token"):
        check(must in names, must, "not found among the build's programs")
    for name, exe in progs:
        if not os.access(exe, os.X_OK):
            check(False, name, f"{exe} is not built")
            continue
        rc, out, err = run(exe, "--help")
        check(rc == 0, name, f"--help exits {rc}, not 0", err)
        check(err == "", name, "--help writes to stderr", err)
        check(out.startswith(f"usage: {name}"), name,
              f"--help does not start with 'usage: {name}'", out[:200])
        for opt in ("--help", "--version"):
            check(opt in out, name, f"--help does not list {opt}")
        rc, out, err = run(exe, "--version")
        check(rc == 0, name, f"--version exits {rc}, not 0", err)
        check(err == "", name, "--version writes to stderr", err)
        line = out.splitlines()[0] if out else ""
        check(line == f"{name} {version}" or line.startswith(f"{name} {version} "),
              name, f"--version says '{line}', not '{name} {version}'")
        for bogus, named in ((BOGUS, BOGUS), ("-Z", "-Z")):
            rc, out, err = run(exe, bogus)
            check(rc == 2, name, f"{bogus} exits {rc}, not 2", err)
            check(out == "", name, f"{bogus} writes to stdout", out[:200])
            check(f"'{named}'" in err, name, f"{bogus}: stderr does not name '{named}'", err)
        subs = commands(name, run(exe, "--help")[1])
        for sub in subs:
            rc, out, err = run(exe, sub, "--help")
            check(rc == 0 and out.startswith("usage: ") and err == "", f"{name} {sub}",
                  f"--help exits {rc} (stdout '{out[:60]}')", err)
            rc, out, err = run(exe, sub, BOGUS)
            check(rc == 2 and out == "" and f"'{BOGUS}'" in err, f"{name} {sub}",
                  f"{BOGUS} exits {rc}, not 2 naming it", err)
        print(f"  {name}: --help, --version, {BOGUS}, -Z checked" +
              (f"; commands {', '.join(subs)}: --help, {BOGUS}" if subs else ""))
    for f in failures:
        print("FAIL: " + f)
    print(f"{len(progs)} programs, {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
