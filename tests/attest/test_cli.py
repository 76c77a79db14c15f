#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""caec-token CLI tests (standard library only).

  test_cli.py offline HELPER CAEC_TOKEN
      dump and verify against policy files: every documented exit code,
      and the error named for each policy mismatch.
  test_cli.py sim CAEC_TOKEN
      start a private caec-simd ($CAEC_SIMD), fetch a token and the platform
      key through libcaec, verify it.  Exit 77 if the daemon cannot attest.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

failures = 0


def check(cond, what, extra=""):
    global failures
    print(("ok   " if cond else "FAIL ") + what + (f"  [{extra}]" if extra and not cond else ""))
    if not cond:
        failures += 1


def run(*args, env=None):
    return subprocess.run(list(args), capture_output=True, text=True, env=env)


def read_expected(path):
    exp = {}
    with open(path) as f:
        for line in f:
            k, v = (x.strip() for x in line.split("=", 1))
            if k != "relation":
                exp[k] = v
    return exp


def offline(helper, tool):
    with tempfile.TemporaryDirectory(prefix="caec-cli-") as d:
        subprocess.run([helper, "write", d], check=True)
        tok = os.path.join(d, "token.cbor")
        pem = os.path.join(d, "platform.pem")
        exp = read_expected(os.path.join(d, "expected.txt"))

        def policy(lines, name="p.txt"):
            p = os.path.join(d, name)
            with open(p, "w") as f:
                f.write("# test policy\n\n" + "\n".join(lines) + "\n")
            return p

        good = [f"challenge = {exp['challenge']}", f"rim = {exp['rim']}",
                f"rpv = {exp['rpv']}", f"realm_id = {exp['realm_id']}"]

        r = run(tool, "dump", tok)
        check(r.returncode == 0, "dump exits 0", r.stderr)
        check(exp["realm_id"] in r.stdout and exp["rim"] in r.stdout and
              "NOT verified" in r.stdout, "dump prints the claims")

        r = run(tool, "verify", tok, "--policy", policy(good), "--platform-key", pem)
        check(r.returncode == 0 and r.stdout.startswith("VERIFIED"),
              "verify with the right policy exits 0", r.stdout + r.stderr)

        cases = [
            ("challenge", "00" * 64, "CAEC_E_CHALLENGE"),
            ("rim", "ff" * 32, "CAEC_E_RIM"),
            ("rpv", "00" * 64, "CAEC_E_RPV"),
            ("realm_id", "1", "CAEC_E_REALM_ID"),
        ]
        for key, val, err in cases:
            lines = [l for l in good if not l.startswith(key + " ")]
            lines.append(f"{key} = {val}")
            r = run(tool, "verify", tok, "--policy", policy(lines), "--platform-key", pem)
            check(r.returncode == 1 and err in r.stdout,
                  f"wrong {key}: exit 1 with {err}", r.stdout + r.stderr)

        other = os.path.join(d, "other")
        os.mkdir(other)
        subprocess.run([helper, "write", other], check=True)
        r = run(tool, "verify", tok, "--policy", policy(good), "--platform-key",
                os.path.join(other, "platform.pem"))
        check(r.returncode == 1 and "CAEC_E_PLATFORM_KEY" in r.stdout,
              "another platform's key: exit 1 with CAEC_E_PLATFORM_KEY", r.stdout)

        # The platform key can also come from the policy file (DER hex).
        der = subprocess.run(["openssl", "pkey", "-pubin", "-in", pem, "-outform",
                              "DER"], capture_output=True)
        if der.returncode == 0:
            r = run(tool, "verify", tok, "--policy",
                    policy(good + [f"platform_key = {der.stdout.hex()}"]))
            check(r.returncode == 0, "platform_key = DER hex in the policy", r.stdout + r.stderr)

        # Grant checks from the policy file.
        r = run(tool, "verify", tok, "--policy", policy(good + [
            "grant_id = 50", "grant_peer_id = fedcba9876543210",
            "grant_hash = " + bytes(0xC0 ^ i for i in range(32)).hex()]),
            "--platform-key", pem)
        check(r.returncode == 0, "sealed grant 0x50 with its hash verifies", r.stdout + r.stderr)
        r = run(tool, "verify", tok, "--policy", policy(good + [
            "grant_id = 50", "grant_peer_id = fedcba9876543210",
            "grant_hash = " + "00" * 32]), "--platform-key", pem)
        check(r.returncode == 1 and "CAEC_E_HASH" in r.stdout, "wrong grant hash: CAEC_E_HASH")

        bad = os.path.join(d, "bad.cbor")
        raw = bytearray(open(tok, "rb").read())
        raw[len(raw) // 2] ^= 0xff
        open(bad, "wb").write(bytes(raw))
        r = run(tool, "verify", bad, "--policy", policy(good), "--platform-key", pem)
        check(r.returncode == 1 and "REJECTED" in r.stdout, "tampered token: exit 1")
        open(bad, "wb").write(bytes(raw[:100]))
        r = run(tool, "dump", bad)
        check(r.returncode == 1 and "CAEC_E_TOKEN" in r.stderr, "dump of a truncated token: exit 1")

        for lines, what in [
            (["bogus = 1"], "unknown key"),
            ([f"rim = {exp['rim']}"], "no challenge"),
            ([f"challenge = {exp['challenge']}"], "no rim"),
            (["challenge = 12", f"rim = {exp['rim']}"], "short challenge"),
            (["challenge"], "no '='"),
        ]:
            r = run(tool, "verify", tok, "--policy", policy(lines), "--platform-key", pem)
            check(r.returncode == 2, f"policy error ({what}): exit 2", r.stderr)
        r = run(tool, "verify", tok, "--policy", policy(["any_challenge = 1", "any_rim = 1"]),
                "--platform-key", pem)
        check(r.returncode == 0 and "NOT checked" in r.stdout,
              "any_challenge + any_rim verifies and says so", r.stdout + r.stderr)
        r = run(tool, "verify", tok, "--policy", policy(good))
        check(r.returncode == 2, "no platform key: exit 2")
        r = run(tool, "verify", os.path.join(d, "missing"), "--policy", policy(good),
                "--platform-key", pem)
        check(r.returncode == 3, "missing token file: exit 3")
        r = run(tool, "frobnicate")
        check(r.returncode == 2, "unknown command: exit 2")


def sim(tool):
    simd = os.environ.get("CAEC_SIMD")
    if not simd or not os.access(simd, os.X_OK):
        print("SKIP: $CAEC_SIMD not set")
        return 77
    with tempfile.TemporaryDirectory(prefix="caec-cli-sim-") as d:
        sock = os.path.join(d, "simd.sock")
        env = dict(os.environ, CAEC_SIM_SOCKET=sock)
        # The CLI runs as the daemon's user: admit it (docs/sim-platform.md).
        p = subprocess.Popen([simd, "-s", sock, "--allow-insecure-realms"], env=env)
        try:
            for _ in range(200):
                if os.path.exists(sock):
                    break
                time.sleep(0.02)
            tok, pem = os.path.join(d, "t.cbor"), os.path.join(d, "k.pem")
            r = run(tool, "get", "--random", "-o", tok, env=env)
            if r.returncode == 4 and "CAEC_E_NOTSUP" in r.stderr:
                print("SKIP: this caec-simd cannot issue tokens")
                return 77
            check(r.returncode == 0, "get --random exits 0", r.stderr)
            challenge = r.stderr.split("=", 1)[1].strip()
            r = run(tool, "platform-key", "-o", pem, env=env)
            check(r.returncode == 0 and open(pem).read().startswith("-----BEGIN PUBLIC KEY"),
                  "platform-key writes a PEM public key", r.stderr)
            r = run(tool, "dump", tok)
            check(r.returncode == 0, "dump of a daemon token", r.stderr)
            pol = os.path.join(d, "p.txt")
            with open(pol, "w") as f:
                f.write(f"challenge = {challenge}\nany_rim = 1\n")
            r = run(tool, "verify", tok, "--policy", pol, "--platform-key", pem)
            check(r.returncode == 0, "the daemon's token verifies", r.stdout + r.stderr)
            with open(pol, "w") as f:
                f.write(f"challenge = {'00' * 64}\nany_rim = 1\n")
            r = run(tool, "verify", tok, "--policy", pol, "--platform-key", pem)
            check(r.returncode == 1 and "CAEC_E_CHALLENGE" in r.stdout,
                  "... but not for another challenge")
            r = run(tool, "get", "--challenge", "ab" * 64, "-o", tok, env=env)
            check(r.returncode == 0, "get --challenge HEX", r.stderr)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=10)
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "offline":
        offline(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "sim":
        rc = sim(sys.argv[2])
        if rc == 77:
            return 77
    else:
        print(__doc__)
        return 2
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
