#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench`: instruction counts of lock and reference-count fast paths,
Rust abstraction next to the C code, from the same build.

rust/bench/bench_c.c and rust/bench/bench_rs.rs hold one function per
operation (`rkal_bench_c_<op>` and `rs::<op>`), compiled by Kbuild with the
kernel's flags. Each is disassembled; the count is the function's
instructions (alignment padding excluded) plus those of any C helper
(`rust_helper_*`) it calls, since a helper is code the C version inlines.
Calls into the kernel proper (`_raw_spin_lock`, `mutex_unlock`, ...) are
listed, not counted: both sides make them. Each side's copy (bench_c2.c's
`rkal_bench_c2_<op>`, next to BENCH_C.o, and `rs2::<op>`) must have the same
instructions as the original: the timings use them as placement controls.

With --log, also the executed cost: the boot log of a run of the module
rkal_bench (rust/bench/bench_rs.rs), which times each snippet in C and in
Rust, twice per side, in the same boot; a side's second run is of its
copy, at other addresses, so that what code placement alone changes under
TCG shows. Per snippet: ns per call of each side (the faster of its two
runs), the Rust/C ratio, and the noise floor, the larger relative
difference between a side's two runs. A ratio is "within noise" when it
is no further from 1.00 than that floor (or 2%).

Usage: bench.py OBJDUMP BENCH_C.o BENCH_RS.o HELPERS.o REPORT [--log BOOT_LOG]
"""

import os
import re
import subprocess
import sys

FUNC = re.compile(r"^[0-9a-f]+ <(.+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\s+(\S.*)$")
TIMED = re.compile(r"rkal_bench: op=(\w+) iterations=(\d+) c_ns=(\d+) rust_ns=(\d+) "
                   r"c2_ns=(\d+) rust2_ns=(\d+)")
RELOC = re.compile(r"R_X86_64_(?:PLT32|PC32)\s+(.+?)(?:[+-]0x[0-9a-f]+)?$")


def functions(objdump, path):
    out = subprocess.run([objdump, "-d", "-r", "-C", "--no-show-raw-insn", path],
                         capture_output=True, text=True, check=True).stdout
    funcs, name = {}, None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            name = m.group(1)
            funcs[name] = {"insns": [], "calls": []}
            continue
        if name is None:
            continue
        m = RELOC.search(line)
        if m:
            funcs[name]["calls"].append(m.group(1))
            continue
        m = INSN.match(line)
        if m:
            funcs[name]["insns"].append(m.group(1))
    for f in funcs.values():
        while f["insns"] and f["insns"][-1].startswith(("nop", "int3")):
            f["insns"].pop()
    return funcs


ADDR = re.compile(r"\b(?:0x)?[0-9a-f]+ <[^>+]*(\+0x[0-9a-f]+)?>")
RUST_SNIPPET = re.compile(r"^(?:\w+::)*(rs2?)::(\w+)$")


def shape(insns):
    """Instructions with branch targets made relative to their function."""
    return [ADDR.sub(lambda m: f"<{m.group(1) or ''}>", i) for i in insns]


def rust_snippets(funcs):
    """{"rs": {op: func}, "rs2": {op: func}} from the demangled names."""
    out = {"rs": {}, "rs2": {}}
    for name, f in funcs.items():
        m = RUST_SNIPPET.match(re.sub(r"\[[0-9a-f]+\]", "", name))
        if m:
            out[m.group(1)][m.group(2)] = f
    return out


def copies_differ(c, c2, rs):
    """The snippets whose copy (C's or Rust's) has other instructions."""
    bad = []
    for name in sorted(n for n in c if n.startswith("rkal_bench_c_")):
        op = name[len("rkal_bench_c_"):]
        if c2 is not None:
            other = c2.get("rkal_bench_c2_" + op)
            if other is None or shape(other["insns"]) != shape(c[name]["insns"]):
                bad.append(f"C {op}")
        r, r2 = rs["rs"].get(op), rs["rs2"].get(op)
        if r is None or r2 is None or shape(r["insns"]) != shape(r2["insns"]):
            bad.append(f"Rust {op}")
    return bad


def short(symbol):
    """The last path component of a demangled Rust symbol."""
    names = [n for n in re.findall(r"[A-Za-z_]\w*", symbol) if not n.isdigit()]
    return names[-1] if names else symbol


def executed(log):
    """Rows and a summary line for the timings in boot log `log`."""
    rows = [f"{'operation':<18} {'calls':>8} {'C ns':>7} {'Rust ns':>8} {'ratio':>6} {'noise':>6}"]
    outside, worst, n_ops, min_iters = [], 1.0, 0, None
    with open(log, errors="replace") as f:
        for line in f:
            m = TIMED.search(line)
            if not m:
                continue
            op = m.group(1)
            n, c, r, c2, r2 = (int(x) for x in m.groups()[1:])
            n_ops += 1
            min_iters = n if min_iters is None else min(min_iters, n)
            bc, br = min(c, c2), min(r, r2)
            if bc <= 0 or br <= 0:
                rows.append(f"{op:<18} {n:>8} clock did not advance")
                outside.append(op)
                continue
            ratio = br / bc
            noise = max(abs(c - c2) / bc, abs(r - r2) / br)
            tag = ""
            if abs(ratio - 1) > max(noise, 0.02):
                outside.append(op)
                tag = "  outside noise"
            if abs(ratio - 1) > abs(worst - 1):
                worst = ratio
            rows.append(f"{op:<18} {n:>8} {bc / n:>7.2f} {br / n:>8.2f} {ratio:>6.2f} "
                        f"{noise * 100:>5.1f}%{tag}")
    if n_ops == 0:
        return rows, "bench: no timings in the boot log (did rkal_bench load?)", False
    summary = (f"bench: executed, {n_ops} snippets x {min_iters} calls per side: "
               f"{n_ops - len(outside)} within noise, furthest ratio {worst:.2f}"
               + (f" (outside noise: {', '.join(outside)})" if outside else ""))
    return rows, summary, True


def main():
    args = sys.argv[1:]
    log = None
    if "--log" in args:
        i = args.index("--log")
        log = args[i + 1]
        del args[i:i + 2]
    objdump, c_obj, rs_obj, helpers_obj, report = args[:5]
    c = functions(objdump, c_obj)
    c2_obj = os.path.join(os.path.dirname(c_obj), "bench_c2.o")
    c2 = functions(objdump, c2_obj) if os.path.exists(c2_obj) else None
    rs = rust_snippets(functions(objdump, rs_obj))
    helpers = functions(objdump, helpers_obj)
    rows = [f"{'operation':<12} {'C insns':>8} {'Rust insns':>11} {'ratio':>6}  calls (C | Rust)"]
    worst = 0.0
    for name in sorted(n for n in c if n.startswith("rkal_bench_c_")):
        op = name[len("rkal_bench_c_"):]
        r = rs["rs"].get(op)
        if r is None:
            rows.append(f"{op:<12} missing Rust function")
            worst = float("inf")
            continue
        n_c = len(c[name]["insns"])
        n_r = len(r["insns"])
        for callee in r["calls"]:
            if callee.startswith("rust_helper_") and callee in helpers:
                n_r += len(helpers[callee]["insns"])
        ratio = n_r / n_c
        worst = max(worst, ratio)
        calls_c = ", ".join(sorted(set(c[name]["calls"]))) or "-"
        calls_r = ", ".join(sorted(set(short(x) for x in r["calls"]))) or "-"
        rows.append(f"{op:<12} {n_c:>8} {n_r:>11} {ratio:>6.2f}  {calls_c} | {calls_r}")
    static_summary = f"bench: static, worst Rust/C instruction ratio {worst:.2f}"
    differ = copies_differ(c, c2, rs)
    copies = (f"bench: the timed copies ({'C and ' if c2 is not None else ''}Rust) have "
              + (f"other instructions: {', '.join(differ)}" if differ else "the same instructions"))
    lines = ["Static: instructions per call site (same build)", *rows, copies, static_summary]
    ok = not differ
    if log:
        erows, esummary, timed = executed(log)
        ok = ok and timed
        lines += ["", "Executed: ns per call in the booted guest (TCG), same boot", *erows, esummary]
    with open(report, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"bench: report in {report}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
