#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""caec-simd with attestation keys loaded from files.

  test_simd_keys.py CAEC_SIMD CAEC_TOKEN

Generates a platform key (CPAK) and a realm attestation key (RAK), both
ECDSA P-384, with python3-cryptography; starts caec-simd with
--platform-key/--rak; checks that the platform key it publishes is the
CPAK's public key, that a token's RAK claim is the RAK's public key and that
the token verifies against the CPAK; and that a daemon given a bad key file
refuses to start with a clear message.  Exit 77 if cryptography is missing.
"""
import os
import subprocess
import sys
import tempfile
import time

try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError:
    print("python3-cryptography missing: skip")
    sys.exit(77)

simd, tool = sys.argv[1], sys.argv[2]
failures = 0


def check(cond, what, extra=""):
    global failures
    print(("ok   " if cond else "FAIL ") + what + (f"  [{extra}]" if extra and not cond else ""))
    failures += 0 if cond else 1


def write_key(path, key):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def start(args, sock):
    # The test runs as the daemon's user: admit it (docs/sim-platform.md).
    p = subprocess.Popen([simd, "--socket", sock, "--allow-insecure-realms"] + args,
                         stderr=subprocess.PIPE, text=True)
    for _ in range(400):
        if os.path.exists(sock) or p.poll() is not None:
            break
        time.sleep(0.025)
    return p


with tempfile.TemporaryDirectory(prefix="caec-keys-") as d:
    cpak, rak = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP384R1())
    cpak_pem, rak_pem = os.path.join(d, "cpak.pem"), os.path.join(d, "rak.pem")
    write_key(cpak_pem, cpak)
    write_key(rak_pem, rak)
    sock = os.path.join(d, "s.sock")
    p = start(["--platform-key", cpak_pem, "--rak", rak_pem], sock)
    try:
        env = dict(os.environ, CAEC_SIM_SOCKET=sock)
        pub = os.path.join(d, "pub.pem")
        r = subprocess.run([tool, "platform-key", "-o", pub], env=env,
                           capture_output=True, text=True)
        check(r.returncode == 0, "platform-key fetched", r.stderr)
        want = cpak.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
        got = open(pub, "rb").read() if r.returncode == 0 else b""
        check(serialization.load_pem_public_key(got).public_numbers() ==
              cpak.public_key().public_numbers() if got else False,
              "published platform key is the CPAK loaded from the file")
        tok = os.path.join(d, "t.cbor")
        r = subprocess.run([tool, "get", "--random", "-o", tok], env=env,
                           capture_output=True, text=True)
        check(r.returncode == 0, "token fetched", r.stderr)
        r = subprocess.run([tool, "dump", tok], capture_output=True, text=True)
        rak_point = rak.public_key().public_bytes(serialization.Encoding.X962,
                                                  serialization.PublicFormat.UncompressedPoint).hex()
        check(rak_point in r.stdout.replace(" ", "").replace("\n", ""),
              "token's RAK claim is the RAK loaded from the file", r.stdout[:400])
        pol = os.path.join(d, "p.txt")
        with open(pol, "w") as f:
            f.write("any_challenge = 1\nany_rim = 1\n")
        r = subprocess.run([tool, "verify", tok, "--policy", pol, "--platform-key", pub],
                           capture_output=True, text=True)
        check(r.returncode == 0, "token verifies against the CPAK", r.stdout + r.stderr)
        other = os.path.join(d, "other.pem")
        with open(other, "wb") as f:
            f.write(ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        r = subprocess.run([tool, "verify", tok, "--policy", pol, "--platform-key", other],
                           capture_output=True, text=True)
        check(r.returncode == 1, "token rejected against another platform key", r.stdout + r.stderr)
    finally:
        p.terminate()
        p.wait(timeout=10)

    # A key file that is not a P-384 private key: refuse to start, say why.
    bad = os.path.join(d, "bad.pem")
    with open(bad, "w") as f:
        f.write("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    sock2 = os.path.join(d, "s2.sock")
    p = start(["--platform-key", bad], sock2)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    err = p.stderr.read()
    check(rc not in (None, 0), "daemon refuses a bad key file", f"rc={rc}")
    check("attestation keys" in err, "and says so on stderr", err)
    check(f"--platform-key {bad}: not an EC P-384 private key" in err,
          "naming the file and what is wrong with it", err)
    check(not os.path.exists(sock2), "without creating its socket")

    # A key file it cannot read: named, with the reason.
    missing = os.path.join(d, "missing.pem")
    sock3 = os.path.join(d, "s3.sock")
    p = start(["--rak", missing], sock3)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = None
    err = p.stderr.read()
    check(rc not in (None, 0), "daemon refuses a missing key file", f"rc={rc}")
    check(f"--rak {missing}: cannot read it: No such file or directory" in err,
          "naming the file it could not read", err)
    check(not os.path.exists(sock3), "without creating its socket")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
