#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make atomics-check`: proves the Rust atomics are the C ones.

Disassembles rust/atomic_ref.o (C functions `rkal_c_<variant>` calling the
kernel's atomic API, compiled with the kernel's flags) and
rust/atomics_check_rs.o (Rust functions `rkal_rs_<variant>` calling the
public `Atomic<T>` API), both generated from atomics.tbl, and compares each
pair's instruction sequence, exactly (a call the C side does not make is a
difference too). Branch targets are compared as offsets within the
function; alignment padding after the last instruction is ignored.

Writes the table to build/atomics-check.txt and ends with
  atomics.tbl coverage: X/Y
  atomics-check: N identical, M differ
Exits 1 unless M = 0 and coverage is complete.
"""

import re
import subprocess
import sys

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN = re.compile(r"^\s*([0-9a-f]+):\s*(.*)$")
TARGET = re.compile(r"(0x)?[0-9a-f]+ <([^>+]+)(\+0x([0-9a-f]+))?>")


def disassemble(objdump, path, prefix):
    """{function: [(offset, instruction)]}, branch targets as "<@offset>"."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", path],
                         capture_output=True, text=True, check=True).stdout
    funcs = {}
    name = None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            name = m.group(2) if m.group(2).startswith(prefix) else None
            if name:
                funcs[name] = []
                base = int(m.group(1), 16)
            continue
        if name is None:
            continue
        m = INSN.match(line)
        if m:
            insn = re.sub(r"\s+", " ", m.group(2).split("#")[0].strip())
            insn = TARGET.sub(lambda t: f"<@{int(t.group(4) or '0', 16)}>", insn)
            funcs[name].append((int(m.group(1), 16) - base, insn))
    for insns in funcs.values():
        while insns and insns[-1][1].startswith(("nop", "int3")):
            insns.pop()
    return funcs


def exact(insns):
    return [i for _, i in insns]


def main():
    objdump, c_obj, rs_obj, total, report = sys.argv[1:6]
    c = disassemble(objdump, c_obj, "rkal_c_")
    rs = disassemble(objdump, rs_obj, "rkal_rs_")
    rows = []
    same = differ = 0
    covered = 0
    for rname in sorted(rs):
        variant = rname[len("rkal_rs_"):]
        r_insns = rs[rname]
        c_insns = c.get("rkal_c_" + variant)
        if variant.startswith(("atomic_", "atomic64_", "atomic_long_")):
            covered += 1
        if c_insns is not None and exact(c_insns) == exact(r_insns):
            same += 1
            rows.append(f"identical   {variant:45} {len(r_insns):3} insns")
        else:
            differ += 1
            rows.append(f"DIFFER      {variant:45} rust: {' ; '.join(exact(r_insns))}")
            rows.append(f"{'':12}{'':45} c:    {' ; '.join(exact(c_insns or []) or ['(missing)'])}")
    missing_rs = sorted(set(n[len("rkal_c_"):] for n in c) - set(n[len("rkal_rs_"):] for n in rs))
    for m in missing_rs:
        differ += 1
        rows.append(f"DIFFER      {m:45} no Rust function")
    with open(report, "w") as f:
        f.write("\n".join(rows) + "\n")
    for r in rows:
        if r.startswith("DIFFER") or r.startswith(" " * 12):
            print(r)
    print(f"atomics.tbl coverage: {covered}/{total}")
    print(f"atomics-check: {same} identical, {differ} differ")
    return 0 if differ == 0 and covered == int(total) else 1


if __name__ == "__main__":
    sys.exit(main())
