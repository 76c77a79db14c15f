#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""LLM weight-sharing benchmark (paper Table 4; docs/llm.md).

For 1..8 realms and the GPT-2 / GPT-2 Medium shapes, run every realm as a
process in one of two modes and measure memory.  A realm runs one of two
engines (--engine): caec's own GPT-2 engine (`caec-gpt2 serve`), or
llama.cpp itself (`caec-llama-serve`: node-llama-cpp's prebuilt libllama,
which mmaps the model -- a private copy, or the sealed region through
caec_region_export_fd()).  The modes:

  private  every realm reads the model into its own private anonymous
           memory (the paper's baseline).  Not an mmap of the file: that
           would share page-cache pages between processes and fake the
           baseline.
  shared   realm 0 (the provider) reads the model into a CSM region once,
           seals it, verifies each consumer's attestation token and grants
           it the region read-only; the consumers attach (with the sealed
           hash) and run inference straight from the shared mapping.  The
           provider serves inference too, so N realms = 1 provider + N-1
           consumers.

Each realm runs P prompts (default the 10 fixed prompts), each forced to
T prompt tokens (default 100) followed by G generated tokens, greedily.
After all realms finished, with every realm still alive and holding its
inference state, total memory = sum over realm processes of Pss (and Rss)
from /proc/<pid>/smaps_rollup.  Pss charges each shared page 1/n to each
of the n processes mapping it, so the sealed region (a memfd of caec-simd)
is counted exactly once across the realms.  The caec-simd daemon is not a
realm and is reported separately (it does not map the region's pages in
normal operation; its Pss is printed beside the totals).

Inference time (private vs shared) is measured with one realm at a time,
alternating modes, so that realms do not compete for the CPUs.
"""
import argparse
import csv
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

PAPER = {  # Table 4 of the paper: realms -> (private MB, shared MB)
    "gpt2": {2: (960, 800), 3: (1440, 1110)},
    "gpt2-medium": {2: (2000, 1580), 3: (3000, 2150)},
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Realm:
    def __init__(self, engine, mode, model, env):
        args = engine.args(mode)
        if model:
            args += ["-m", model]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, env=env,
                                  text=True, bufsize=1)
        self.mode = mode
        self.ready = self.expect("ready")

    def send(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def expect(self, word):
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.mode} realm exited (rc={self.p.wait()})")
        parts = line.split()
        if not parts or parts[0] != word:
            raise RuntimeError(f"{self.mode} realm: expected {word}, got: {line.strip()}")
        return parts

    def call(self, line, word):
        self.send(line)
        return self.expect(word)

    def quit(self):
        try:
            self.call("quit", "bye")
        finally:
            self.p.stdin.close()
            rc = self.p.wait(timeout=60)
            if rc != 0:
                raise RuntimeError(f"{self.mode} realm exited with {rc}")


def smaps(pid):
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


class Engine:
    """How to start a realm of one engine."""
    def __init__(self, name, exe, extra):
        self.name, self.exe, self.extra = name, exe, extra

    def args(self, mode):
        if self.name == "caec":
            return [self.exe, "serve", "--mode", mode]
        return [self.exe, "--mode", mode] + self.extra


def start_realms(a, mode, model, n, env):
    """Start n realms of engine a.engine; returns the list (realm 0 first)."""
    eng = a.engine
    if mode == "private":
        return [Realm(eng, "private", model, env) for _ in range(n)]
    prov = Realm(eng, "provider", model, env)
    realms = [prov]
    hash_hex = prov.ready[3]
    for _ in range(n - 1):
        c = Realm(eng, "consumer", None, env)
        cid = c.ready[2]
        ch = prov.call(f"challenge {cid}", "challenge")[2]
        tok = c.call(f"attest {ch}", "token")[1]
        sid = prov.call(f"grant {cid} {tok}", "granted")[2]
        c.call(f"attach {sid} {hash_hex}", "attached")
        realms.append(c)
    return realms


def run_all(realms, p, t, g):
    for r in realms:
        r.send(f"run {p} {t} {g}")
    res = [r.expect("done") for r in realms]
    return [float(x[1]) for x in res], [x[2] for x in res], [float(x[3]) for x in res]


def measure(a, shape, model, mode, n, env, simd_pid):
    realms = start_realms(a, mode, model, n, env)
    try:
        secs, sums, _ = run_all(realms, a.mem_prompts, a.prompt_tokens, a.gen_tokens)
        mem = [smaps(r.p.pid) for r in realms]
        dmem = smaps(simd_pid) if simd_pid else {}
    finally:
        for r in realms:
            r.quit()
    if len(set(sums)) != 1:
        raise RuntimeError(f"{a.engine.name} {shape} {mode} n={n}: realms disagree: {sums}")
    return {
        "engine": a.engine.name, "shape": shape, "mode": mode, "realms": n,
        "pss_kb": sum(m.get("Pss", 0) for m in mem),
        "rss_kb": sum(m.get("Rss", 0) for m in mem),
        "pss_shmem_kb": sum(m.get("Pss_Shmem", 0) for m in mem),
        "daemon_pss_kb": dmem.get("Pss", 0),
        "secs_mean": statistics.mean(secs),
        "checksum": sums[0],
    }


def timing(a, model, env):
    """Median wall and CPU seconds for P prompts with one realm, private vs
    shared, runs alternating between the modes."""
    t = {"private": [], "shared": []}
    c = {"private": [], "shared": []}
    sums = set()
    # one discarded warm-up run (page cache, CPU frequency)
    for r in start_realms(a, "private", model, 1, env):
        run_all([r], 1, a.prompt_tokens, a.gen_tokens)
        r.quit()
    for rep in range(a.time_reps):
        for mode in (("private", "shared") if rep % 2 == 0 else ("shared", "private")):
            realms = start_realms(a, mode, model, 1, env)
            try:
                secs, s, cpu = run_all(realms, a.prompts, a.prompt_tokens, a.gen_tokens)
            finally:
                for r in realms:
                    r.quit()
            t[mode].append(secs[0])
            c[mode].append(cpu[0])
            sums.add(s[0])
    if len(sums) != 1:
        raise RuntimeError(f"shared and private outputs differ: {sums}")
    return {"private": statistics.median(t["private"]), "shared": statistics.median(t["shared"]),
            "private_cpu": statistics.median(c["private"]), "shared_cpu": statistics.median(c["shared"]),
            "runs": t, "cpu_runs": c}


def plot(outdir, rows, shapes, engines):
    gp = shutil.which("gnuplot")
    if not gp:
        log("gnuplot not found: no PNG")
        return
    plots = []
    k = 0
    for shape in shapes:
        for eng in engines:
            dat = os.path.join(outdir, f"mem-{shape}-{eng}.dat")
            with open(dat, "w") as f:
                by = {}
                for r in rows:
                    if r["shape"] == shape and r["engine"] == eng:
                        by.setdefault(r["realms"], {})[r["mode"]] = r["pss_kb"] / 1024
                for n in sorted(by):
                    f.write(f"{n} {by[n].get('private', 0):.1f} {by[n].get('shared', 0):.1f}\n")
            plots.append(f"'{dat}' using 1:2 with linespoints lw 2 pt 7 lc {k+1} "
                         f"title '{shape} {eng} private'")
            plots.append(f"'{dat}' using 1:3 with linespoints lw 2 pt 5 lc {k+1} dt 2 "
                         f"title '{shape} {eng} shared (CSM)'")
            k += 1
    png = os.path.join(outdir, "llm-memory.png")
    script = f"""set terminal pngcairo size 900,560 noenhanced
set output '{png}'
set title 'Total memory of all realm processes (sum of PSS)'
set xlabel 'realms'
set ylabel 'MiB'
set key top left
set grid
plot {', '.join(plots)}
"""
    subprocess.run([gp], input=script, text=True, check=True)
    log(f"wrote {png}")


def npm_lib_or_exit(src, lib):
    """node-llama-cpp's prebuilt libllama directory, or exit: 77 (skip) with
    the reason setup recorded if the npm set could not be installed."""
    if any(f.startswith("libllama.") for f in (os.listdir(lib) if os.path.isdir(lib) else [])):
        return lib
    try:
        with open(os.path.join(src, "tools/npm/llama/install-status")) as f:
            status = f.readline().strip()
    except OSError:
        status = ""
    if status.startswith("failed:"):
        print(f"SKIP: npm package set 'llama' could not be installed: {status[8:]}")
        sys.exit(77)
    sys.exit(f"no libllama in {lib}: run scripts/setup.sh, or pass --llama-lib")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.environ.get("CAEC_BUILD_ROOT", "."),
                    help="build directory (finds caec-gpt2, caec-llama-serve, caec-gguf-gen, caec-simd)")
    ap.add_argument("--out", default=None, help="output directory (default <source>/bench/out/llm)")
    ap.add_argument("--models", default=None, help="where generated models go (default <build>/llm-models)")
    ap.add_argument("--engine", default="caec",
                    help="caec, llama.cpp, or both comma-separated (default caec)")
    ap.add_argument("--llama-lib", default=None,
                    help="node-llama-cpp's prebuilt libllama directory (default: the one "
                         "scripts/setup.sh installs in tools/npm/llama)")
    ap.add_argument("--shapes", default="gpt2,gpt2-medium")
    ap.add_argument("--realms", default="1-8", help="e.g. 1-8 or 1,2,3")
    ap.add_argument("--prompts", type=int, default=10, help="prompts per realm in the timing runs")
    ap.add_argument("--mem-prompts", type=int, default=10, help="prompts per realm in the memory runs")
    ap.add_argument("--prompt-tokens", type=int, default=100)
    ap.add_argument("--gen-tokens", type=int, default=100)
    ap.add_argument("--time-reps", type=int, default=2,
                    help="timing runs per mode (median); 0 skips the timing")
    ap.add_argument("--timing-only", action="store_true", help="skip the memory runs")
    ap.add_argument("--no-plots", action="store_true",
                    help="do not draw llm-memory.png with gnuplot")
    ap.add_argument("--quick", action="store_true",
                    help="CI smoke: tiny model, 1-2 realms, few tokens (< 30 s)")
    a = ap.parse_args()

    src = os.environ.get("CAEC_SOURCE_ROOT",
                         os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    gen = os.path.join(a.build, "examples/llm/caec-gguf-gen")
    simd = os.environ.get("CAEC_SIMD", os.path.join(a.build, "backends/sim/simd/caec-simd"))
    engines = []
    for name in a.engine.split(","):
        if name == "caec":
            engines.append(Engine("caec", os.path.join(a.build, "examples/llm/caec-gpt2"), []))
        elif name == "llama.cpp":
            lib = npm_lib_or_exit(src, a.llama_lib or os.path.join(
                src, "tools/npm/llama/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"))
            engines.append(Engine("llama.cpp", os.path.join(a.build, "examples/llm/caec-llama-serve"),
                                  ["--llama-lib", lib]))
        else:
            sys.exit(f"unknown engine {name!r} (caec, llama.cpp)")
    for exe in [e.exe for e in engines] + [gen, simd]:
        if not os.access(exe, os.X_OK):
            sys.exit(f"missing {exe}: build first, or pass --build")
    if a.quick:
        a.shapes, a.realms = "tiny", "1,2"
        a.prompts = a.mem_prompts = 2
        a.prompt_tokens, a.gen_tokens, a.time_reps = 16, 8, 1
    shapes = a.shapes.split(",")
    if "-" in a.realms:
        lo, hi = a.realms.split("-")
        counts = list(range(int(lo), int(hi) + 1))
    else:
        counts = [int(x) for x in a.realms.split(",")]
    outdir = a.out or (tempfile.mkdtemp(prefix="caec-llm-bench-") if a.quick
                       else os.path.join(src, "bench/out/llm"))
    os.makedirs(outdir, exist_ok=True)
    models = a.models or (outdir if a.quick else os.path.join(a.build, "llm-models"))
    os.makedirs(models, exist_ok=True)

    print(__doc__.split("\n\n", 1)[1])
    memtxt = ("memory runs: skipped" if a.timing_only else
              f"realms={counts} memory runs: {a.mem_prompts} prompts x ({a.prompt_tokens} "
              f"prompt + {a.gen_tokens} generated tokens) per realm")
    print(f"parameters: engines={[e.name for e in engines]} shapes={shapes} {memtxt}; "
          f"timing: {a.prompts} prompts, {a.time_reps} runs per mode, median\n", flush=True)

    tmp = tempfile.mkdtemp(prefix="caec-llm-simd-")
    sock = os.path.join(tmp, "simd.sock")
    env = dict(os.environ, CAEC_SIM_SOCKET=sock)
    # The realms run as the daemon's user: a development platform
    # (--allow-insecure-realms; docs/sim-platform.md).
    simd_p = subprocess.Popen([simd, "--socket", sock, "--allow-insecure-realms"], env=env)
    for _ in range(200):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    rows, times = [], {}
    try:
        for shape in shapes:
            model = os.path.join(models, f"{shape}-q8_0.gguf")
            if not os.path.exists(model):
                log(f"generating {model}")
                subprocess.run([gen, "--shape", shape, "-o", model], check=True)
            size_mb = os.path.getsize(model) / 2**20
            log(f"{shape}: {size_mb:.1f} MiB")
            for eng in engines:
                a.engine = eng
                for n in ([] if a.timing_only else counts):
                    for mode in ("private", "shared"):
                        t0 = time.time()
                        r = measure(a, shape, model, mode, n, env, simd_p.pid)
                        r["model_mib"] = round(size_mb, 1)
                        rows.append(r)
                        log(f"  {eng.name:9s} {shape:12s} {mode:8s} n={n}: PSS "
                            f"{r['pss_kb']/1024:8.1f} MiB RSS {r['rss_kb']/1024:8.1f} MiB  "
                            f"({time.time()-t0:.0f}s)")
                if a.time_reps <= 0:
                    continue
                tm = timing(a, model, env)
                times[(eng.name, shape)] = tm
                log(f"  {eng.name} {shape} timing: wall private {tm['private']:.3f}s shared "
                    f"{tm['shared']:.3f}s; cpu private {tm['private_cpu']:.3f}s shared "
                    f"{tm['shared_cpu']:.3f}s")
    finally:
        simd_p.send_signal(signal.SIGTERM)
        simd_p.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    csvp = os.path.join(outdir, "llm-memory.csv")
    if rows:
        with open(csvp, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
    with open(os.path.join(outdir, "llm-time.csv"), "w") as f:
        f.write("engine,shape,private_wall_s,shared_wall_s,wall_diff_pct,private_cpu_s,shared_cpu_s,"
                "cpu_diff_pct,runs_private_wall,runs_shared_wall\n")
        for (ename, shape), tm in times.items():
            tp, ts, cp, cs = tm["private"], tm["shared"], tm["private_cpu"], tm["shared_cpu"]
            f.write(f"{ename},{shape},{tp:.4f},{ts:.4f},{100*(ts-tp)/tp:+.2f},{cp:.4f},{cs:.4f},"
                    f"{100*(cs-cp)/cp:+.2f},"
                    f"{' '.join(f'{x:.3f}' for x in tm['runs']['private'])},"
                    f"{' '.join(f'{x:.3f}' for x in tm['runs']['shared'])}\n")

    ok = True
    names = [e.name for e in engines]
    head = "| model | realms |"
    rule = "|---|---|"
    for en in names:
        head += f" {en} private PSS MiB | {en} shared PSS MiB | {en} saving |"
        rule += "---|---|---|"
    lines = [head + " paper private / shared MB (saving) |", rule + "---|"]
    for shape in shapes:
        by = {}
        for r in rows:
            if r["shape"] == shape:
                by.setdefault(r["realms"], {}).setdefault(r["engine"], {})[r["mode"]] = r
        prev = {}
        for n in sorted(by):
            cells = f"| {shape} | {n} |"
            for en in names:
                p, s = by[n][en]["private"], by[n][en]["shared"]
                if p["checksum"] != s["checksum"]:
                    raise SystemExit(f"{en} {shape} n={n}: shared output {s['checksum']} "
                                     f"!= private {p['checksum']}")
                sav = 100.0 * (1 - s["pss_kb"] / p["pss_kb"])
                cells += f" {p['pss_kb']/1024:.1f} | {s['pss_kb']/1024:.1f} | {sav:.1f}% |"
                if en in prev and n > 1 and sav < prev[en]:
                    ok = False
                    log(f"NOTE: {en}: saving does not grow from {n-1} to {n} realms "
                        f"({prev[en]:.1f}% -> {sav:.1f}%)")
                prev[en] = sav
                if shape == "gpt2-medium" and n == 3 and sav < 28.3:
                    ok = False
                    log(f"TARGET MISSED: {en}, gpt2-medium, 3 realms: {sav:.1f}% < 28.3%")
            pap = PAPER.get(shape, {}).get(n)
            cells += f" {pap[0]} / {pap[1]} ({100*(1-pap[1]/pap[0]):.1f}%) |" if pap else " |"
            lines.append(cells)
    lines.append("")
    lines.append("| engine | model | wall time private (s) | shared (s) | difference | CPU time private (s) | shared (s) | difference |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for (ename, shape), tm in times.items():
        tp, ts, cp, cs = tm["private"], tm["shared"], tm["private_cpu"], tm["shared_cpu"]
        d, dc = 100 * (ts - tp) / tp, 100 * (cs - cp) / cp
        lines.append(f"| {ename} | {shape} | {tp:.3f} | {ts:.3f} | {d:+.2f}% | {cp:.3f} | {cs:.3f} | {dc:+.2f}% |")
        if not a.quick and abs(d) > 2.0:
            log(f"NOTE: {ename} inference wall time differs by {d:+.2f}% (target within 2%)")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(outdir, "llm-time-table.md" if a.timing_only else "llm-table.md"), "w") as f:
        f.write(table + "\n")
    if rows and not a.no_plots:
        plot(outdir, rows, shapes, names)
    log(f"wrote {csvp} and {outdir}/llm-time.csv, llm-table.md")
    if a.quick and not a.out:  # smoke run: leave nothing behind
        shutil.rmtree(outdir, ignore_errors=True)
    # The quick mode is a smoke test: it must run end to end and shared
    # output must equal private output (checked above); memory targets are
    # only meaningful for the real shapes.
    return 0 if (ok or a.quick) else 1


if __name__ == "__main__":
    sys.exit(main())
