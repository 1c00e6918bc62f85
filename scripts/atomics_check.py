#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make atomics-check`: proves the Rust atomics are the C ones.

Disassembles rust/atomic_ref.o (C functions `rkal_c_<variant>` calling the
kernel's atomic API, compiled with the kernel's flags) and
rust/atomics_check_rs.o (Rust functions `rkal_rs_<variant>` calling the
public `Atomic<T>` API), both generated from atomics.tbl, and compares each
pair's instruction sequence. Branch targets are compared as offsets within
the function; alignment padding after the last instruction is ignored.

Writes the table to build/atomics-check.txt and ends with
  atomics.tbl coverage: X/Y
  atomics-check: N identical, M differ, K helper calls
Exits 1 unless M = 0, K = 0 and coverage is complete.
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


def normalised(insns):
    """The sequence with exits and bool results in one canonical form.

    Inline assembly cannot return, so where C returns from the middle of a
    function the Rust function jumps to its final `ret`; and Rust re-masks a
    `bool` result (`andb $0x1, %al` before its `ret`) that C returns as is.
    Both are rewritten to C's form; branch targets become instruction
    indices so that the rewrites do not shift them.
    """
    if not insns:
        return []
    insns = list(insns)
    # The bool re-mask right before the final `ret`: jumps to it go to `ret`.
    if len(insns) > 1 and insns[-1][1].startswith("ret") and insns[-2][1] == "andb $0x1, %al":
        masked, ret_off = insns[-2][0], insns[-1][0]
        del insns[-2]
        insns = [(off, i.replace(f"<@{masked}>", f"<@{ret_off}>")) for off, i in insns]
    index = {off: n for n, (off, _) in enumerate(insns)}
    last = len(insns) - 1
    out = []
    for n, (off, i) in enumerate(insns):
        m = re.match(r"^jmp <@(\d+)>$", i)
        if m and index.get(int(m.group(1))) == last and insns[last][1].startswith("ret"):
            i = "retq"
        i = re.sub(r"<@(\d+)>", lambda t: f"<#{index.get(int(t.group(1)), '?')}>", i)
        out.append(i)
    # A final `ret` that nothing reaches any more (every path jumped to it).
    if len(out) > 1 and out[-1].startswith("ret") and out[-2].startswith(("ret", "jmp")):
        if not any(f"<#{last}>" in i for i in out):
            out.pop()
    return out


def normalised_c(insns):
    out = [re.sub(r"<@(\d+)>", lambda t: f"<#{ {off: n for n, (off, _) in enumerate(insns)}.get(int(t.group(1)), '?')}>", i)
           for _, i in insns]
    return out


def main():
    objdump, c_obj, rs_obj, total, report = sys.argv[1:6]
    c = disassemble(objdump, c_obj, "rkal_c_")
    rs = disassemble(objdump, rs_obj, "rkal_rs_")
    rows = []
    same = equivalent = differ = calls = 0
    covered = 0
    for rname in sorted(rs):
        variant = rname[len("rkal_rs_"):]
        r_insns = rs[rname]
        c_insns = c.get("rkal_c_" + variant)
        ncalls = sum(1 for _, i in r_insns if i.startswith("call"))
        calls += ncalls
        if variant.startswith(("atomic_", "atomic64_", "atomic_long_")):
            covered += 1
        if c_insns is not None and exact(c_insns) == exact(r_insns):
            same += 1
            rows.append(f"identical   {variant:45} {len(r_insns):3} insns")
        elif c_insns is not None and normalised_c(c_insns) == normalised(r_insns):
            equivalent += 1
            rows.append(f"equivalent  {variant:45} {len(r_insns):3} insns (C: {len(c_insns)})")
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
    print(f"atomics-check: {same + equivalent} identical ({equivalent} after exit/bool "
          f"normalisation), {differ} differ, {calls} helper calls")
    return 0 if differ == 0 and calls == 0 and covered == int(total) else 1


if __name__ == "__main__":
    sys.exit(main())
