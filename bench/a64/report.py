#!/usr/bin/env python3
"""Turn the console of one QEMU run of host-bench(.elf|_quick.elf) into the
AArch64 benchmark's outputs: CSV files, a gnuplot script and its PNG plots,
and a printed summary (method, tables, ratios, the targets).

    report.py CONSOLE OUTDIR [--no-plots]

The realms and the host print machine-readable lines (firmware/realm/bench,
firmware/host/scenarios/bench.c):
    @comm,<mode>,<size>,<reps>,<min>,<p25>,<median>,<p75>,<max>,<sender work>
    @rx,<mode>,<size>,<receiver work>,<failed checks>
    @mode,<mode>,<available>,<library>
    @rmm,<realm>,<call>,<pages>,<n>,<min>,<median>,<max>,<exits>,<host insns>,<host pages>
    @host,<what>,<n>,<min>,<median>,<max>
    @caec,<mode>,<size>,<reps>,<min>,<p25>,<median>,<p75>,<max>   (host-bench_caec)
Exit status 1 if the console lacks them or shows a failure.
"""
import argparse
import csv
import os
import re
import shutil
import subprocess
import sys

MODES = ["csm-copy", "csm-zerocopy", "shm-plain", "shm-zerocopy", "gcm-mbedtls", "gcm-openssl-ce",
         "caec-channel-copy", "caec-channel-zerocopy"]
TITLES = {
    "csm-copy": "CSM, copy (CAEC)",
    "csm-zerocopy": "CSM, zero-copy ring",
    "shm-plain": "host-visible memory, plaintext",
    "shm-zerocopy": "host-visible memory, zero-copy ring",
    "gcm-mbedtls": "AES-256-GCM, mbedTLS",
    "gcm-openssl-ce": "AES-256-GCM, OpenSSL (ARMv8 CE)",
    "caec-channel-copy": "libcaec channel in realm kernels, copy",
    "caec-channel-zerocopy": "libcaec channel in realm kernels, zero-copy",
}
# Calls whose cost is measured against the region size (pages).
SWEEP_CALLS = ["CSM_SHARE", "CSM_GRANT", "CSM_RESERVE", "CSM_ATTACH", "CSM_DETACH",
               "CSM_RESERVE(again)", "CSM_ATTACH(again)", "CSM_REVOKE", "CSM_SEAL",
               "CSM_UNSHARE"]

METHOD = """\
Method (bench/a64, docs/benchmarks.md "Inter-realm communication on AArch64"):
  QEMU {qemu} -M virt (FEAT_RME) -cpu max -smp 2 -icount shift=0 -seed 1, the caec
  firmware (EL3 monitor, RMM with CSM, test host), two realms of the
  realm/bench program (realm C runtime, picolibc).
  Unit: INSTRUCTIONS, not cycles.  Under -icount shift=0 QEMU's virtual clock
  advances by one per instruction retired by any vCPU, and the generic timer
  (CNTVCT_EL0, CNTFRQ 1 GHz) and PMCCNTR_EL0 both follow it.  The realms read
  CNTVCT_EL0 (the RMM stops the host's PMU while a realm runs and traps a
  realm's own PMU accesses).  A delta is the number of instructions the whole
  machine executed in between: one realm's, and, where a call exits, the
  RMM's, EL3's and the host's too.  It is exact and repeatable; it is not a
  time.  An instruction count has no caches, no memory latency, no pipeline:
  a load that misses, a TLBI, a DC or an AESE each count one.  No cycle model
  is applied.  Counter check: {check}.
  Messages (paper Fig. 5): stop-and-wait between realm0 (CPU 0, sender) and
  realm1 (CPU 1, receiver), both running at once with no REC exit; the
  median of the sender's round trip: fill the payload (memset + sequence
  stamps), copy or encrypt it into the shared buffer, publish the sequence
  number, spin until the receiver acks.  Waiting is a YIELD, on which QEMU's
  single-threaded round-robin vCPU loop switches to the other vCPU at once,
  so a round trip counts the sender's work, the receiver's work (detect,
  copy out or decrypt and verify, check, ack) and one spin step each: both
  sides' instructions for one message, with no waiting time in it.  The
  counter reads inside a round trip ({ovh} instructions each) are
  subtracted.  {reps} repetitions at every size after a tenth as warm-up.
  RMM costs: phase A, both realms on CPU 0 one at a time, CPU 1 halted; one CSM call
  between two counter reads in the calling realm; a call that needs the host
  (ERROR_BUSY + a CSM exit) includes the exits, the host's handling (its RMI
  calls into the RMM and EL3) and the re-entries, and the host counts its
  handler's share itself."""


def die(msg):
    print("report: " + msg, file=sys.stderr)
    sys.exit(1)


def human(n):
    n = int(n)
    for unit, shift in (("MiB", 20), ("KiB", 10)):
        if n >= (1 << shift) and n % (1 << shift) == 0:
            return "%d %s" % (n >> shift, unit)
    return "%d B" % n


def fmt(n):
    return "{:,}".format(int(n))


def parse(path):
    comm, rx, modes, rmm, host = {}, {}, {}, [], {}
    failed = []
    text = open(path, encoding="utf-8", errors="replace").read().replace("\r", "")
    for line in text.splitlines():
        f = line.split(",")
        if "@caec," in line:
            g = line[line.index("@caec,"):].split(",")
            if len(g) == 9:
                # no sender/receiver split in the libcaec runs: 0
                comm[(g[1], int(g[2]))] = [int(x) for x in g[3:]] + [0]
            continue
        if line.startswith("@comm,") and len(f) == 10:
            comm[(f[1], int(f[2]))] = [int(x) for x in f[3:]]
        elif line.startswith("@rx,") and len(f) == 5:
            rx[(f[1], int(f[2]))] = (int(f[3]), int(f[4]))
        elif line.startswith("@mode,") and len(f) >= 4:
            modes[f[1]] = (f[2] == "1", ",".join(f[3:]))
        elif line.startswith("@rmm,") and len(f) == 11:
            rmm.append({"realm": int(f[1]), "call": f[2], "pages": int(f[3]), "n": int(f[4]),
                        "min": int(f[5]), "median": int(f[6]), "max": int(f[7]),
                        "exits": int(f[8]), "host_insns": int(f[9]), "host_pages": int(f[10])})
        elif line.startswith("@host,") and len(f) == 6:
            host[f[1]] = [int(x) for x in f[2:]]
        elif "FAIL" in line or "PANIC" in line:
            failed.append(line)
    return text, comm, rx, modes, rmm, host, failed


def fit(points):
    """Least-squares line through (pages, instructions): slope, intercept, worst residual."""
    n = len(points)
    if n < 2:
        return None
    sx = sum(p for p, _ in points)
    sy = sum(v for _, v in points)
    sxx = sum(p * p for p, _ in points)
    sxy = sum(p * v for p, v in points)
    den = n * sxx - sx * sx
    if den == 0:
        return None
    slope = (n * sxy - sx * sy) / den
    icpt = (sy - slope * sx) / n
    worst = max(abs(v - (slope * p + icpt)) / max(v, 1) for p, v in points)
    return slope, icpt, worst


def typical(rmm, call):
    """The sweep rows of a call with its most common number of host exits: a
    region that crosses into a new 2 MB RTT makes one more exit (the host
    creates the RTT and walks the range), which is not a per-page cost."""
    rows = [r for r in rmm if r["call"] == call and r["pages"] > 0]
    if not rows:
        return []
    counts = {}
    for r in rows:
        counts[r["exits"]] = counts.get(r["exits"], 0) + 1
    common = max(sorted(counts), key=lambda e: counts[e])
    return [r for r in rows if r["exits"] == common]


def write_csv(path, header, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 done; 1 no complete benchmark output or a failure in "
               "it; 2 usage error.")
    ap.add_argument("console", metavar="CONSOLE", help="the QEMU console of the run")
    ap.add_argument("out", metavar="OUTDIR", help="where the CSV, plots and summary go")
    ap.add_argument("--no-plots", action="store_true",
                    help="do not run gnuplot (a64_plots.gp is written all the same)")
    a = ap.parse_args()
    console, out, plots = a.console, a.out, not a.no_plots
    os.makedirs(out, exist_ok=True)
    text, comm, rx, modes, rmm, host, failed = parse(console)
    if failed:
        die("the run reported failures:\n  " + "\n  ".join(failed[:10]))
    results = re.findall(r"^\[host\] RESULT: (\S+)", text, re.M)
    if not comm or not rmm or not results or any(r != "PASS" for r in results):
        die("no complete benchmark output in %s (no @comm/@rmm lines, or a run without PASS)"
            % console)

    m = re.search(r"libcaec (\S+) on the '(\w+)' platform", text)
    if m:
        modes["caec-channel-copy"] = (True, "libcaec %s, %s backend, in a realm kernel "
                                      "(caec_channel_send / caec_channel_recv)" % m.groups())
        modes["caec-channel-zerocopy"] = (True, "libcaec %s, %s backend, in a realm kernel "
                                          "(caec_channel_reserve/commit, peek/release)"
                                          % m.groups())
    sizes = sorted({s for (_, s) in comm})
    ran = [m for m in MODES if any((m, s) in comm for s in sizes)]
    m = re.search(r"empty measurement (\d+) ticks", text)
    ovh = m.group(1) if m else "?"
    qemu = "?"
    m = re.search(r"^QEMU emulator version (\S+)", text, re.M)
    if m:
        qemu = m.group(1)
    chk = "?"
    m = re.search(r"2-instruction loop x 1000000: (\d+) ticks, x 2000000: (\d+) ticks", text)
    if m and "counter-check-pmccntr" in host:
        chk = ("in a realm, 2,000,000 more loop instructions read %s more CNTVCT ticks; at the "
               "host, a 2,000,000-instruction loop read +%s CNTPCT and +%s PMCCNTR"
               % (fmt(int(m.group(2)) - int(m.group(1))),
                  fmt(host["counter-check-cntpct"][1]), fmt(host["counter-check-pmccntr"][1])))
    reps = comm.get(("csm-copy", 64), [0])[0]

    # ---- CSV: messages --------------------------------------------------
    rows = []
    for mode in ran:
        for s in sizes:
            if (mode, s) not in comm:
                continue
            c = comm[(mode, s)]
            r = rx.get((mode, s), (0, 0))
            base_copy = comm.get(("csm-copy", s), [0] * 7)[3]
            base_zc = comm.get(("csm-zerocopy", s), [0] * 7)[3]
            plain = comm.get(("shm-plain", s), [0] * 7)[3]
            rows.append([mode, s, c[0], c[1], c[2], c[3], c[4], c[5], c[6] or "",
                         r[0] or "", r[1] if (mode, s) in rx else "",
                         "%.3f" % (c[3] / base_copy) if base_copy else "",
                         "%.3f" % (c[3] / base_zc) if base_zc else "",
                         "%.3f" % (c[3] / plain) if plain else ""])
    write_csv(os.path.join(out, "a64_comm.csv"),
              ["mode", "size_bytes", "reps", "rtt_insns_min", "rtt_insns_p25", "rtt_insns_median",
               "rtt_insns_p75", "rtt_insns_max", "sender_work_insns_median",
               "receiver_work_insns_median", "receiver_failed_checks", "ratio_vs_csm_copy",
               "ratio_vs_csm_zerocopy", "ratio_vs_shm_plain"], rows)
    write_csv(os.path.join(out, "a64_modes.csv"), ["mode", "available", "library"],
              [[k, int(v[0]), v[1]] for k, v in modes.items()])
    write_csv(os.path.join(out, "a64_rmm.csv"),
              ["realm", "call", "pages", "n", "insns_min", "insns_median", "insns_max",
               "host_exits", "host_handler_insns", "host_pages_populated"],
              [[r["realm"], r["call"], r["pages"], r["n"], r["min"], r["median"], r["max"],
                r["exits"], r["host_insns"], r["host_pages"]] for r in rmm])
    write_csv(os.path.join(out, "a64_host.csv"), ["what", "n", "min", "median", "max"],
              [[k] + v for k, v in host.items()])

    # ---- RMM: linear fits against region size ---------------------------
    fits = []
    for call in SWEEP_CALLS:
        use = [(r["pages"], r["median"]) for r in typical(rmm, call)]
        f = fit(use)
        if f:
            fits.append([call, len(use), "%.1f" % f[0], "%.0f" % f[1], "%.4f" % f[2],
                         min(p for p, _ in use), max(p for p, _ in use)])
    hp = [(r["host_pages"], r["host_insns"]) for r in typical(rmm, "CSM_SHARE")]
    f = fit(hp)
    if f:
        fits.append(["host: CSM_POPULATE handling", len(hp), "%.1f" % f[0], "%.0f" % f[1],
                     "%.4f" % f[2], min(p for p, _ in hp), max(p for p, _ in hp)])
    rp = [(r["pages"], r["median"] - r["host_insns"]) for r in typical(rmm, "CSM_SHARE")]
    f = fit(rp)
    if f:
        fits.append(["CSM_SHARE without the host's handler", len(rp), "%.1f" % f[0],
                     "%.0f" % f[1], "%.4f" % f[2], min(p for p, _ in rp), max(p for p, _ in rp)])
    write_csv(os.path.join(out, "a64_rmm_fit.csv"),
              ["call", "points", "insns_per_page", "insns_constant", "worst_relative_residual",
               "pages_min", "pages_max"], fits)

    # ---- summary --------------------------------------------------------
    lines = [METHOD.format(qemu=qemu, check=chk, ovh=ovh, reps=reps), ""]
    lines.append("Libraries:")
    for k in ran + [k for k in modes if k not in ran]:
        if k in modes:
            lines.append("  %-21s %s%s" % (k, "" if modes[k][0] else "NOT RUN: ", modes[k][1]))
    lines.append("")
    lines.append("Sender's round trip, median instructions per message (both realms' work):")
    wid = {k: max(12, len(k) + 2) for k in ran}
    lines.append("  %-9s" % "size" + "".join("%*s" % (wid[k], k) for k in ran))
    for s in sizes:
        lines.append("  %-9s" % human(s) + "".join(
            "%*s" % (wid[k], fmt(comm[(k, s)][3]) if (k, s) in comm else "-") for k in ran))
    lines.append("")
    lines.append("Ratios of the medians (mode / CSM), 64 B .. 32 KiB and at 32 KiB:")
    paper = [s for s in sizes if s <= 32768]
    for k in ("gcm-mbedtls", "gcm-openssl-ce", "shm-plain", "shm-zerocopy", "caec-channel-copy",
              "caec-channel-zerocopy"):
        if k not in ran:
            continue
        for base in ("csm-copy", "csm-zerocopy"):
            rs = [comm[(k, s)][3] / comm[(base, s)][3] for s in paper
                  if (k, s) in comm and (base, s) in comm]
            if rs:
                at32 = comm[(k, 32768)][3] / comm[(base, 32768)][3] \
                    if (k, 32768) in comm and (base, 32768) in comm else float("nan")
                lines.append("  %-21s / %-12s %8.1fx .. %8.1fx   (32 KiB: %.1fx)"
                             % (k, base, min(rs), max(rs), at32))
    lines.append("")
    lines.append("Targets (benchmark figures, not test assertions):")
    if ("gcm-mbedtls", 32768) in comm:
        for base in ("csm-copy", "csm-zerocopy", "caec-channel-copy", "caec-channel-zerocopy"):
            if (base, 32768) not in comm:
                continue
            r = comm[("gcm-mbedtls", 32768)][3] / comm[(base, 32768)][3]
            lines.append("  1. at 32 KiB, %s takes %.1fx fewer instructions than AES-256-GCM "
                         "(mbedTLS): %s (target >= 209x)" % (base, r, "MET" if r >= 209 else
                                                             "NOT MET"))
    for base, plain in (("csm-copy", "shm-plain"), ("csm-zerocopy", "shm-plain"),
                        ("csm-zerocopy", "shm-zerocopy"), ("caec-channel-copy", "shm-plain"),
                        ("caec-channel-zerocopy", "shm-plain")):
        over = [(s, comm[(base, s)][3], comm[(plain, s)][3]) for s in sizes
                if (base, s) in comm and (plain, s) in comm
                and comm[(base, s)][3] > comm[(plain, s)][3]]
        if not over:
            lines.append("  2. %s takes no more instructions than %s at any size: MET"
                         % (base, plain))
        else:
            lines.append("  2. %s takes no more instructions than %s at any size: NOT MET "
                         "at %s" % (base, plain, ", ".join("%s (%s vs %s)" % (human(s), fmt(a), fmt(b))
                                                          for s, a, b in over)))
    lines.append("")
    lines.append("RMM costs (instructions in the calling realm's interval, medians):")
    for r in rmm:
        if r["pages"] == 0:
            lines.append("  %-26s %10s   (n=%d, min %s, max %s)" % (
                r["call"], fmt(r["median"]), r["n"], fmt(r["min"]), fmt(r["max"])))
    for k in ("GRANULE_DELEGATE", "GRANULE_UNDELEGATE"):
        if k in host:
            lines.append("  %-26s %10s   (host's view, n=%d, through EL3's GPT update)"
                         % (k, fmt(host[k][2]), host[k][0]))
    lines.append("Against region size (least squares over the sweep, rows with the call's usual "
                 "number of host exits):")
    lines.append("  %-38s %12s %12s %9s %s" % ("call", "per page", "constant", "worst dev",
                                               "pages"))
    for f in fits:
        lines.append("  %-38s %12s %12s %8.2f%% %s..%s" % (f[0], fmt(float(f[2])), fmt(float(f[3])),
                                                           100 * float(f[4]), f[5], f[6]))
    lines.append("")
    lines.append("Per size (instructions; exits = ERROR_BUSY answers, host = the host's handler):")
    lines.append("  %-20s" % "call" + "".join("%12s" % p for p in
                                              sorted({r["pages"] for r in rmm if r["pages"] > 0})))
    for call in SWEEP_CALLS:
        row = {r["pages"]: r for r in rmm if r["call"] == call and r["pages"] > 0}
        if row:
            lines.append("  %-20s" % call + "".join(
                "%12s" % (fmt(row[p]["median"]) + ("*" if row[p]["exits"] else ""))
                for p in sorted({r["pages"] for r in rmm if r["pages"] > 0}) if p in row))
    lines.append("  (* = the call exited to the host; a64_rmm.csv has the exits and the host's share)")
    summary = "\n".join(lines) + "\n"
    with open(os.path.join(out, "a64_summary.txt"), "w") as fh:
        fh.write(summary)
    sys.stdout.write(summary)

    # ---- plots ----------------------------------------------------------
    for k in ran:
        with open(os.path.join(out, "a64_%s.dat" % k), "w") as fh:
            fh.write("# size_bytes rtt_insns_median rtt_p25 rtt_p75\n")
            for s in sizes:
                if (k, s) in comm:
                    c = comm[(k, s)]
                    fh.write("%d %d %d %d\n" % (s, c[3], c[2], c[4]))
    with open(os.path.join(out, "a64_rmm_sweep.dat"), "w") as fh:
        fh.write("# pages " + " ".join(SWEEP_CALLS) + "\n")
        for p in sorted({r["pages"] for r in rmm if r["pages"] > 0}):
            vals = []
            for call in SWEEP_CALLS:
                v = [r["median"] for r in rmm if r["call"] == call and r["pages"] == p]
                vals.append(str(v[0]) if v else "NaN")
            fh.write("%d %s\n" % (p, " ".join(vals)))
    xt = ", ".join('"%s" %d' % (human(s), s) for s in sizes)
    style = {  # colour, point type, dash type
        "csm-copy": ("#1f3a93", 5, 1), "csm-zerocopy": ("#1b9e3e", 7, 1),
        "shm-plain": ("#777777", 9, 2), "shm-zerocopy": ("#9acd32", 4, 2),
        "gcm-mbedtls": ("#c0392b", 11, 1),
        "caec-channel-copy": ("#6a3d9a", 6, 3), "caec-channel-zerocopy": ("#b15928", 8, 3),
        "gcm-openssl-ce": ("#e67e22", 13, 1)}
    rmm_style = ["#8e44ad", "#16a085", "#2980b9", "#d35400", "#c0392b", "#2c3e50", "#7f8c8d"]
    rmm_calls = [c for c in SWEEP_CALLS if c in ("CSM_SHARE", "CSM_GRANT", "CSM_ATTACH",
                                                  "CSM_DETACH", "CSM_REVOKE", "CSM_UNSHARE",
                                                  "CSM_SEAL")]
    pages = sorted({r["pages"] for r in rmm if r["pages"] > 0})
    gp = ["set terminal pngcairo size 960,640 font 'sans,11'",
          "set output 'a64_insns.png'",
          "set title 'Inter-realm messages, sender round trip, stop-and-wait "
          "(two Arm CCA realms, QEMU -icount shift=0)'",
          "set xlabel 'message size'",
          "set ylabel 'instructions per message (median; both realms)'",
          "set logscale xy", "set grid", "set key top left",
          "set format y '10^{%L}'",
          "set xrange [%d:%d]" % (sizes[0] * 0.8, sizes[-1] * 1.25),
          "set xtics (%s) rotate by -35" % xt,
          "plot " + ", \\\n     ".join(
              "'a64_%s.dat' using 1:2 with linespoints lc rgb '%s' pt %d dt %d lw 2 "
              "title '%s'" % (k, style[k][0], style[k][1], style[k][2],
                              TITLES[k] + {"shm-plain": " (same count as csm-copy)",
                                           "shm-zerocopy": " (same count as csm-zerocopy)"
                                           }.get(k, ""))
              for k in ran),
          "",
          "set output 'a64_rmm.png'",
          "set title 'RMM: instructions of one CSM call, as the calling realm counts them'",
          "set xlabel 'region size'", "set ylabel 'instructions'",
          "set xrange [%f:%f]" % (pages[0] * 0.8, pages[-1] * 1.25),
          "set xtics (%s) rotate by -35" % ", ".join('"%s" %d' % (human(p * 4096), p)
                                                    for p in pages),
          "plot " + ", \\\n     ".join(
              "'a64_rmm_sweep.dat' using 1:%d with linespoints lc rgb '%s' lw 2 title '%s' "
              "noenhanced" % (SWEEP_CALLS.index(c) + 2, rmm_style[i % len(rmm_style)],
                              c + (" (host populates)" if c == "CSM_SHARE" else ""))
              for i, c in enumerate(rmm_calls)),
          ""]
    with open(os.path.join(out, "a64_plots.gp"), "w") as fh:
        fh.write("\n".join(gp))
    if plots:
        if shutil.which("gnuplot") is None:
            print("report: gnuplot not found: plots not drawn (a64_plots.gp written)")
        else:
            subprocess.run(["gnuplot", "a64_plots.gp"], cwd=out, check=True)
    print("report: wrote %s" % out)


if __name__ == "__main__":
    main()
