#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Independent cross-check of caec attestation tokens.

Parses a token made by core/token with a second implementation (Debian's
python3-cbor2 + python3-cryptography), checks its layout against the Arm CCA
token format, verifies both ES384 signatures and the platform/RAK binding,
and compares every realm claim with what the issuer was given.  Then the
other way round: builds a CCA token here and has libcaec verify it.

Usage: check_token.py HELPER   (tests/attest/token_xcheck_helper)
       check_token.py firmware TOKEN PEM EXPECTED
         a token the firmware made (tests/qemu/test_fw_attest.sh): the same
         checks against the expected claims (key = value lines, relation =
         region grant peer perm role sealed hash, sw_<type> = measurement),
         then every 7th byte flipped must make it fail.
Exit: 0 pass, 1 fail, 77 skip (python modules missing).
Run with /usr/bin/python3 (Debian's), not a pyenv python3.
"""
import hashlib
import os
import subprocess
import sys
import tempfile

try:
    import cbor2
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import (
        decode_dss_signature, encode_dss_signature)
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e}")
    sys.exit(77)

TAG_CCA, TAG_SIGN1 = 399, 18
PLAT, REALM = 44234, 44241
ES384 = -35
REALM_ID, RELATIONS = -70000, -70001

failures = 0


def check(cond, what):
    global failures
    if cond:
        print(f"ok   {what}")
    else:
        print(f"FAIL {what}")
        failures += 1


def tbs(prot, payload):
    return cbor2.dumps(["Signature1", prot, b"", payload])


def es384_verify(pub, sig, data):
    if len(sig) != 96:
        return False
    r = int.from_bytes(sig[:48], "big")
    s = int.from_bytes(sig[48:], "big")
    try:
        pub.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA384()))
        return True
    except InvalidSignature:
        return False


def es384_sign(priv, data):
    r, s = decode_dss_signature(priv.sign(data, ec.ECDSA(hashes.SHA384())))
    return r.to_bytes(48, "big") + s.to_bytes(48, "big")


def cose_key_to_pub(raw):
    k = cbor2.loads(raw)
    if k.get(1) != 2 or k.get(-1) != 2:
        raise ValueError("not an EC2 P-384 COSE_Key")
    nums = ec.EllipticCurvePublicNumbers(
        int.from_bytes(k[-2], "big"), int.from_bytes(k[-3], "big"),
        ec.SECP384R1())
    return nums.public_key()


def pub_to_cose_key(pub):
    n = pub.public_numbers()
    return cbor2.dumps({1: 2, -1: 2, -2: n.x.to_bytes(48, "big"),
                        -3: n.y.to_bytes(48, "big")})


def open_sign1(raw, what):
    t = cbor2.loads(raw)
    check(isinstance(t, cbor2.CBORTag) and t.tag == TAG_SIGN1,
          f"{what}: COSE_Sign1_Tagged (tag 18)")
    prot, unprot, payload, sig = t.value
    check(cbor2.loads(prot).get(1) == ES384, f"{what}: protected alg ES384")
    check(unprot == {}, f"{what}: empty unprotected header")
    check(len(sig) == 96, f"{what}: 96-byte r||s signature")
    return prot, payload, sig


def read_expected(path):
    exp, rels = {}, []
    with open(path) as f:
        for line in f:
            k, v = (x.strip() for x in line.split("=", 1))
            if k == "relation":
                rels.append(v.split())
            else:
                exp[k] = v
    return exp, rels


def check_ours(helper, d):
    subprocess.run([helper, "write", d], check=True)
    raw = open(os.path.join(d, "token.cbor"), "rb").read()
    pem = open(os.path.join(d, "platform.pem"), "rb").read()
    exp, rels = read_expected(os.path.join(d, "expected.txt"))
    check_token(raw, pem, exp, rels)


def check_token(raw, pem, exp, rels):
    top = cbor2.loads(raw)
    check(isinstance(top, cbor2.CBORTag) and top.tag == TAG_CCA,
          "collection is CBOR tag 399")
    check(sorted(top.value.keys()) == [PLAT, REALM],
          "collection keys 44234 (platform) and 44241 (realm)")
    check(cbor2.dumps(top) == raw,
          "cbor2 re-encodes the token byte for byte (preferred encoding)")

    pprot, ppay, psig = open_sign1(top.value[PLAT], "platform")
    rprot, rpay, rsig = open_sign1(top.value[REALM], "realm")
    plat = cbor2.loads(ppay)
    realm = cbor2.loads(rpay)

    cpak = serialization.load_pem_public_key(pem)
    check(isinstance(cpak, ec.EllipticCurvePublicKey) and
          cpak.curve.name == "secp384r1", "platform key is P-384")
    check(es384_verify(cpak, psig, tbs(pprot, ppay)),
          "platform signature verifies under the published platform key")
    rak = cose_key_to_pub(realm[44237])
    check(es384_verify(rak, rsig, tbs(rprot, rpay)),
          "realm signature verifies under the RAK claim")
    bad = bytearray(rpay)
    bad[len(bad) // 2] ^= 1
    check(not es384_verify(rak, rsig, tbs(rprot, bytes(bad))),
          "a flipped payload bit does not verify (the check is real)")
    check(realm[44240] == "sha-256" and
          plat[10] == hashlib.sha256(realm[44237]).digest(),
          "binding: platform challenge == SHA-256(RAK COSE_Key)")
    spki = cpak.public_bytes(serialization.Encoding.DER,
                             serialization.PublicFormat.SubjectPublicKeyInfo)
    kid = hashlib.sha256(spki).digest()
    check(cbor2.loads(pprot).get(4) == kid,
          "platform kid == SHA-256(SPKI DER)")
    check(plat[256] == b"\x01" + kid, "instance ID = 0x01 || kid")

    check(plat[265] == "tag:arm.com,2023:cca_platform#1.0.0", "platform profile")
    for k in (10, 256, 265, 2395, 2396, 2399, 2400, 2401, 2402):
        check(k in plat, f"platform claim {k} present")
    check(isinstance(plat[2399], list) and 2 in plat[2399][0] and
          5 in plat[2399][0], "sw component has measurement and signer ID")

    check(realm[265] == "tag:arm.com,2023:realm#1.0.0", "realm profile")
    check(realm[10].hex() == exp["challenge"], "realm challenge")
    check(realm[44235].hex() == exp["rpv"], "realm RPV")
    check(realm[44238].hex() == exp["rim"], "realm RIM")
    check(realm[44236] == "sha-256", "realm hash algorithm")
    check([r.hex() for r in realm[44239]] ==
          [exp[f"rem{i}"] for i in range(4)], "realm REMs")
    check(realm[REALM_ID] == int(exp["realm_id"], 16), "realm ID (-70000)")
    got = []
    for r in realm[RELATIONS]:
        got.append([f"{r[1]:x}", f"{r[2]:x}", f"{r[3]:x}", f"{r[4]:x}",
                    f"{r[5]:x}", "1" if r[6] else "0",
                    r[7].hex() if r[6] else "-"])
        check(set(r.keys()) == (set(range(1, 8)) if r[6] else set(range(1, 7))),
              "relation keys 1..6 (+7 iff sealed)")
    check(got == rels, "CSM relations (-70001)")
    check(set(realm.keys()) == {10, 265, 44235, 44236, 44237, 44238, 44239,
                                44240, REALM_ID, RELATIONS},
          "realm claim set")
    for k, v in exp.items():
        if k.startswith("sw_"):
            got_sw = [c[2].hex() for c in plat[2399] if c.get(1) == k[3:]]
            check(got_sw == [v], f"platform sw component {k[3:]} measured as the build's image")


def verifies(raw, pem, challenge):
    """Quietly: strict parse, both signatures, binding, kid, challenge."""
    try:
        top = cbor2.loads(raw)
        if (not isinstance(top, cbor2.CBORTag) or top.tag != TAG_CCA or
                cbor2.dumps(top) != raw or sorted(top.value.keys()) != [PLAT, REALM]):
            return False
        parts = []
        for key in (PLAT, REALM):
            t = cbor2.loads(top.value[key])
            if not isinstance(t, cbor2.CBORTag) or t.tag != TAG_SIGN1:
                return False
            prot, unprot, payload, sig = t.value
            if cbor2.dumps(t) != top.value[key] or unprot != {}:
                return False
            parts.append((prot, payload, sig))
        (pprot, ppay, psig), (rprot, rpay, rsig) = parts
        plat, realm = cbor2.loads(ppay), cbor2.loads(rpay)
        cpak = serialization.load_pem_public_key(pem)
        spki = cpak.public_bytes(serialization.Encoding.DER,
                                 serialization.PublicFormat.SubjectPublicKeyInfo)
        return (cbor2.loads(pprot).get(1) == ES384 and
                cbor2.loads(rprot).get(1) == ES384 and
                cbor2.loads(pprot).get(4) == hashlib.sha256(spki).digest() and
                es384_verify(cpak, psig, tbs(pprot, ppay)) and
                es384_verify(cose_key_to_pub(realm[44237]), rsig, tbs(rprot, rpay)) and
                plat[10] == hashlib.sha256(realm[44237]).digest() and
                realm[10] == challenge)
    except Exception:  # any malformation is a rejection
        return False


def check_firmware(tok_path, pem_path, exp_path):
    raw = open(tok_path, "rb").read()
    pem = open(pem_path, "rb").read()
    exp, rels = read_expected(exp_path)
    check_token(raw, pem, exp, rels)
    challenge = bytes.fromhex(exp["challenge"])
    check(verifies(raw, pem, challenge), "the genuine token verifies")
    flipped = [i for i in range(0, len(raw), 7)
               if verifies(raw[:i] + bytes([raw[i] ^ 0x01]) + raw[i + 1:], pem, challenge)]
    check(not flipped, f"every 7th byte flipped ({len(range(0, len(raw), 7))} tokens): "
          f"all rejected{'' if not flipped else ', accepted at ' + str(flipped[:5])}")


def make_token(challenge, rim, realm_id):
    """A CCA token built with cbor2 + cryptography, not with our code."""
    cpak = ec.generate_private_key(ec.SECP384R1())
    rakp = ec.generate_private_key(ec.SECP384R1())
    rak = pub_to_cose_key(rakp.public_key())
    realm_claims = {
        265: "tag:arm.com,2023:realm#1.0.0", 10: challenge,
        44235: bytes(64), 44238: rim, 44239: [bytes(32)] * 4,
        44236: "sha-256", 44237: rak, 44240: "sha-256",
        REALM_ID: realm_id, RELATIONS: [
            {1: 5, 2: 9, 3: 77, 4: 1, 5: 1, 6: True, 7: bytes(range(32))}],
    }
    plat_claims = {
        265: "tag:arm.com,2023:cca_platform#1.0.0",
        10: hashlib.sha256(rak).digest(), 2396: bytes(32),
        256: b"\x01" + bytes(32), 2401: b"", 2395: 0x3000,
        2399: [{2: bytes(32), 5: bytes(32)}], 2402: "sha-256",
    }

    def sign1(priv, claims):
        prot = cbor2.dumps({1: ES384})
        payload = cbor2.dumps(claims)
        return cbor2.dumps(cbor2.CBORTag(TAG_SIGN1, [
            prot, {}, payload, es384_sign(priv, tbs(prot, payload))]))

    tok = cbor2.dumps(cbor2.CBORTag(TAG_CCA, {
        PLAT: sign1(cpak, plat_claims), REALM: sign1(rakp, realm_claims)}))
    pem = cpak.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo)
    return tok, pem


def check_theirs(helper, d):
    challenge = bytes(range(64))
    rim = hashlib.sha256(b"python realm").digest()
    tok, pem = make_token(challenge, rim, 0x0123456789abcdef)
    tp, pp = os.path.join(d, "py.cbor"), os.path.join(d, "py.pem")
    open(tp, "wb").write(tok)
    open(pp, "wb").write(pem)
    run = lambda ch: subprocess.run(
        [helper, "verify", tp, pp, ch.hex(), rim.hex(), "123456789abcdef"],
        capture_output=True, text=True)
    r = run(challenge)
    check(r.returncode == 0 and r.stdout.strip() == "CAEC_OK",
          f"libcaec verifies a token built by cbor2+cryptography ({r.stdout.strip()})")
    r = run(bytes(64))
    check(r.returncode == 1 and r.stdout.strip() == "CAEC_E_CHALLENGE",
          f"... and rejects it for another challenge ({r.stdout.strip()})")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "firmware":
        check_firmware(sys.argv[2], sys.argv[3], sys.argv[4])
        print(f"{failures} failure(s)")
        return 1 if failures else 0
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory(prefix="caec-xcheck-") as d:
        check_ours(sys.argv[1], d)
        check_theirs(sys.argv[1], d)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
