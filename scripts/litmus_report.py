#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The litmus suite's report, from a boot log of rkal_litmus (make litmus).

Writes DIR/histograms.txt (every test and twin's klitmus7-style output, as
the kernel printed it) and DIR/summary.txt: one row per test with herd7's
verdict and, per twin, the outcomes seen / iterations run, and ns per
iteration. Exits 1 if no twin ran; whether the cases passed is the
verdict's to say (scripts/verdict.py, run by make litmus).

Usage: litmus_report.py BOOT_LOG DIR
"""

import os
import re
import sys

PREFIX = re.compile(r"^\[\s*\d+\.\d+\]\s*rkal_litmus:\s?")
OBS = re.compile(r"^Observation (\S+) (Never|Sometimes|Always) (\d+) (\d+)")
TIME = re.compile(r"^Time (\S+) [\d.]+ s, (\d+) iterations, (\d+) ns/iteration \[(\S+)\]")
TWIN = re.compile(r"^Twin (\S+) (\S+)")
TWINS = ["c", "rust", "rust+c", "c+rust"]


def main():
    log, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rows, hist, obs = {}, [], {}
    with open(log, errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        if not PREFIX.match(line):
            continue
        text = PREFIX.sub("", line)
        hist.append(text)
        m = OBS.match(text)
        if m:
            obs[m.group(1)] = (m.group(2), int(m.group(3)), int(m.group(3)) + int(m.group(4)))
        m = TIME.match(text)
        if m:
            name, iters, ns, twin = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            # The Observation line just before is this twin's.
            pos = obs.get(name, ("?", 0, 0))[1]
            rows.setdefault(name, {})[twin] = (pos, iters, ns)
    with open(os.path.join(out, "histograms.txt"), "w") as f:
        f.write("\n".join(hist) + "\n")
    head = f"{'test':<56} " + " ".join(f"{t:>22}" for t in TWINS)
    table = [head, "(per twin: outcomes seen / iterations, ns per iteration)"]
    for name, tw in rows.items():
        cells = []
        for t in TWINS:
            if t in tw:
                pos, iters, ns = tw[t]
                cells.append(f"{pos}/{iters} {ns}ns".rjust(22))
            else:
                cells.append(f"{'-':>22}")
        table.append(f"{name:<56} " + " ".join(cells))
    runs = sum(len(t) for t in rows.values())
    table.append(f"{len(rows)} tests, {runs} twins run")
    with open(os.path.join(out, "summary.txt"), "w") as f:
        f.write("\n".join(table) + "\n")
    print("\n".join(table))
    return 0 if rows else 1


if __name__ == "__main__":
    sys.exit(main())
