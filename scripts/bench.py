#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make bench`: instruction counts of lock and reference-count fast paths,
Rust abstraction next to the C code, from the same build.

rust/bench/bench_c.c and rust/bench/bench_rs.rs hold one function per
operation (`rkal_bench_c_<op>` and `rkal_bench_rs_<op>`), compiled by
Kbuild with the kernel's flags. Each is disassembled; the count is the
function's instructions (alignment padding excluded) plus those of any C
helper (`rust_helper_*`) it calls, since a helper is code the C version
inlines. Calls into the kernel proper (`_raw_spin_lock`, `mutex_unlock`,
...) are listed, not counted: both sides make them.

Usage: bench.py OBJDUMP BENCH_C.o BENCH_RS.o HELPERS.o REPORT
"""

import re
import subprocess
import sys

FUNC = re.compile(r"^[0-9a-f]+ <(.+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\s+(\S.*)$")
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


def short(symbol):
    """The last path component of a demangled Rust symbol."""
    names = [n for n in re.findall(r"[A-Za-z_]\w*", symbol) if not n.isdigit()]
    return names[-1] if names else symbol


def main():
    objdump, c_obj, rs_obj, helpers_obj, report = sys.argv[1:6]
    c = functions(objdump, c_obj)
    rs = functions(objdump, rs_obj)
    helpers = functions(objdump, helpers_obj)
    rows = [f"{'operation':<12} {'C insns':>8} {'Rust insns':>11} {'ratio':>6}  calls (C | Rust)"]
    worst = 0.0
    for name in sorted(n for n in c if n.startswith("rkal_bench_c_")):
        op = name[len("rkal_bench_c_"):]
        r = rs.get("rkal_bench_rs_" + op)
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
    with open(report, "w") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))
    print(f"bench: worst Rust/C instruction ratio {worst:.2f} (report: {report})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
