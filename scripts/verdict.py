#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns a boot log (and host test results) into a verdict.

Reads the serial log written by scripts/qemu.sh and decides, check by check:
  - every KTAP test case KUnit reported (leaf results; a suite whose plan
    promised more results than it printed counts as failed); a case named
    xfail_* is a deliberate failure and passes only if reported `not ok`,
  - for each module: it loaded, it unloaded, and the lines in its
    <name>.expect file appeared in order after it was loaded,
  - each userspace check: scripts/checks/ with our samples, or the M=
    directory's *.check.sh / *.check.c with its modules,
  - the boot reached the end of /init, with two CPUs up,
  - each "rkal: stress ok|fail NAME ..." line of the stress check
    (scripts/checks/stress.sh),
  - the log holds no report of a kernel checker: WARNING/BUG/Oops/panic,
    lockdep, KASAN, UBSAN, kmemleak, DEBUG_OBJECTS, DEBUG_LIST, SLUB.
With --stress-report, the stress lines also become a per-module table
(build/stress.txt) ending with "N passed, N failed".
Host test results (lines "ok NAME" / "not ok NAME") are merged in.

Prints failures, writes JUnit XML, and ends with the line
"N passed, N failed". Exits 1 on any failure.
"""

import argparse
import os
import re
import sys
from xml.sax.saxutils import escape, quoteattr

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
RESULT = re.compile(r"^(?P<indent>\s*)(?P<status>not ok|ok) (?P<num>\d+)(?: -)? (?P<name>[^#]*?)\s*(?:#\s*(?P<directive>SKIP|TODO)\b.*)?$")
PLAN = re.compile(r"^(?P<indent>\s*)1\.\.(?P<count>\d+)\s*$")
# KUnit cases named xfail_* fail on purpose (drivers/selftests/): they pass
# the verdict only when KUnit reports them as failed.
XFAIL = "xfail_"
SUBTEST = re.compile(r"^\s*# Subtest: (?P<name>\S+)")
BAD = re.compile(
    r"WARNING:|\bBUG:|kernel BUG at|Oops|Kernel panic|KASAN|UBSAN|general protection fault|"
    r"detected stalls? on CPU|self-detected stall|"
    r"possible (circular|recursive) locking|inconsistent lock state|"
    r"DEBUG_LOCKS_WARN_ON|lockdep is turned off|INFO: task .* blocked|"
    # kmemleak: a leak (as /sys/kernel/debug/kmemleak lists it), the count
    # its scan prints, or kmemleak switching itself off (no more checking).
    r"unreferenced object 0x|new suspected memory leaks|"
    r"Kernel memory leak detector disabled|"
    # DEBUG_OBJECTS and DEBUG_LIST.
    r"ODEBUG: (?!selftest passed)|list_(add|del) corruption|"
    # SLUB debugging: "BUG <cache> (Not tainted): <what>", and what it found.
    r"^BUG \S+ \((Not tainted|Tainted)|(Redzone|Poison|[Pp]adding) overwritten|"
    r"qemu: timed out|qemu: qemu-system-x86_64 died of signal"
)
KMEMLEAK_OFF = re.compile(r"kmemleak: Kernel memory leak detector disabled")
# A call trace's frame in a module: " func+0x1c/0x40 [rkal_edu]".
TRACE_MODULE = re.compile(r"\+0x[0-9a-f]+/0x[0-9a-f]+ \[(\w+)\]")
STRESS = re.compile(r"^rkal: stress (?P<status>ok|fail|skip) (?P<name>\S+)(?: (?P<detail>.*))?$")


class Checks:
    def __init__(self):
        self.items = []  # (group, name, ok, detail)

    def add(self, group, name, ok, detail=""):
        self.items.append((group, name, ok, detail))

    def passed(self):
        return sum(1 for i in self.items if i[2])

    def failed(self):
        return [i for i in self.items if not i[2]]


def strip(line):
    return TIMESTAMP.sub("", line.rstrip("\r\n"))


def parse_ktap(lines, checks):
    """Leaf results of every KUnit suite in the log; returns how many
    top-level suites reported.

    KTAP nests by indentation: a result line with results indented below it
    is a suite (only its leaves are counted, and a plan it did not fulfil
    fails it); one without is a test case.
    """
    suites = 0
    plans = {}       # indent -> results the last plan at that level promised
    seen = {}        # indent -> results printed since that plan
    suite_at = {}    # indent -> name of the suite whose cases sit there
    pending = {}     # indent -> name from "# Subtest:", until its plan
    xfailed = set()  # groups in which an expected failure failed
    for line in lines:
        m = SUBTEST.match(line)
        if m:
            pending[len(line) - len(line.lstrip())] = m.group("name")
            continue
        m = PLAN.match(line)
        if m:
            indent = len(m.group("indent"))
            plans[indent] = int(m.group("count"))
            seen[indent] = 0
            if indent in pending:
                suite_at[indent] = pending.pop(indent)
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent = len(m.group("indent"))
        ok = m.group("status") == "ok"
        name = m.group("name").strip()
        seen[indent] = seen.get(indent, 0) + 1
        child = indent + 4
        if seen.get(child, 0) > 0:
            # A suite's own result: its cases were counted as they came.
            if plans.get(child, 0) > seen[child]:
                checks.add(f"kunit.{name}", f"{name} (plan)", False,
                           f"planned {plans[child]} results, got {seen[child]}")
            elif not ok and f"kunit.{name}" not in xfailed and \
                    not any(not i[2] for i in checks.items if i[0] == f"kunit.{name}"):
                checks.add(f"kunit.{name}", name, False, "suite reported failure")
            seen[child] = 0
            plans.pop(child, None)
            if indent == 0:
                suites += 1
            continue
        if m.group("directive") == "SKIP":
            continue
        group = f"kunit.{suite_at.get(indent, 'kunit')}" if indent else "kunit"
        if name.startswith(XFAIL):
            # A deliberate failure: it must be reported as one.
            if not ok:
                xfailed.add(group)
            checks.add(group, name, not ok,
                       "" if not ok else "expected to fail, but KUnit reported success")
        else:
            checks.add(group, name, ok, "" if ok else "KUnit reported failure")
        if indent == 0:
            suites += 1
    # A suite cut short (crash, hang) never prints its own result line.
    for indent, plan in plans.items():
        if indent > 0 and seen.get(indent, 0) < plan:
            name = suite_at.get(indent, "kunit")
            checks.add(f"kunit.{name}", f"{name} (incomplete)", False,
                       f"planned {plan} results, got {seen.get(indent, 0)}")
    return suites


def parse_modules(lines, expect_dir, checks):
    order = []
    loaded = {}
    for i, line in enumerate(lines):
        m = re.match(r"^rkal: module-load-begin (\S+)", line)
        if m:
            order.append(m.group(1))
            loaded[m.group(1)] = i
    for name in order:
        start = loaded[name]
        load_ok = any(l == f"rkal: module-load ok {name}" for l in lines[start:])
        checks.add("modules", f"{name}: loads", load_ok)
        unload_ok = any(l == f"rkal: module-unload ok {name}" for l in lines[start:])
        checks.add("modules", f"{name}: unloads", unload_ok)
        path = os.path.join(expect_dir, f"{name}.expect") if expect_dir else ""
        if path and os.path.exists(path):
            with open(path) as f:
                wanted = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
            pos = start
            missing = None
            for w in wanted:
                for j in range(pos, len(lines)):
                    if lines[j] == w:
                        pos = j + 1
                        break
                else:
                    missing = w
                    break
            checks.add("modules", f"{name}: prints expected lines", missing is None,
                       f"missing (in order): {missing!r}" if missing else "")
    return order


def parse_checks(lines, checks):
    """One result per userspace check; a failed one shows the last lines it
    printed (kernel messages may be interleaved), and one that never
    finished (crash, hang) fails."""
    begun = {}  # name -> index of its check-begin line
    for i, line in enumerate(lines):
        m = re.match(r"^rkal: check-begin (\S+)", line)
        if m:
            begun[m.group(1)] = i
            continue
        m = re.match(r"^rkal: check (ok|fail) (\S+)(?: (.*))?", line)
        if not m:
            continue
        name = m.group(2)
        ok = m.group(1) == "ok"
        detail = ""
        start = begun.pop(name, None)
        if not ok:
            said = [l for l in lines[start + 1:i] if l.strip()] if start is not None else []
            detail = "; ".join(filter(None, [m.group(3)] + said[-3:]))
        checks.add("userspace", name, ok, detail)
    for name in begun:
        checks.add("userspace", name, False, "did not finish")


def parse_stress(lines, checks):
    """One result per "rkal: stress ok|fail NAME ..." line ("skip" lines,
    steps left out on purpose, count neither way)."""
    for line in lines:
        m = STRESS.match(line)
        if m and m.group("status") != "skip":
            ok = m.group("status") == "ok"
            checks.add("stress", m.group("name"), ok, "" if ok else (m.group("detail") or ""))


def fields(detail):
    return dict(kv.split("=", 1) for kv in (detail or "").split() if "=" in kv)


def stress_report(lines, path):
    """build/stress.txt: per module, its cycles, injected faults, leaks and
    splats; per device node, the fuzzer's operations and the faults
    injected into its operations; then "N passed, N failed"."""
    phase = None
    splats = {}      # phase -> report lines inside it
    results = {}     # "kind:name" -> (ok, fields)
    order = []       # modules, in the order they ran
    leak_pids = []   # pid of each leaked object (kmemleak's "comm ..., pid N")
    leaks_total = None
    fuzz = None
    mode = "?"
    # A splat in a phase that drives several modules (the device nodes'
    # fault injection, the fuzzer) goes to the first module of ours its
    # call trace names ("func+0x1/0x2 [module]"), when there is one.
    pending = None   # (phase, line) of such a splat, its trace not yet read
    trace_left = 0

    def settle(owner):
        nonlocal pending
        ph, text = pending
        splats.setdefault(owner or ph, []).append(f"(during {ph}) {text}" if owner else text)
        pending = None

    for line in lines:
        if pending:
            m = TRACE_MODULE.search(line)
            if m and m.group(1) in order:
                settle(m.group(1))
            else:
                trace_left -= 1
                if trace_left == 0 or line.startswith(("rkal: ", "---[ end trace")):
                    settle(None)
        m = re.match(r"^rkal: stress-(begin|end) (\S+)", line)
        if m:
            phase = m.group(2) if m.group(1) == "begin" else None
            if m.group(1) == "begin" and phase not in ("devices", "fuzz"):
                order.append(phase)
            continue
        m = re.match(r"^stress: mode (\S+):", line)
        if m:
            mode = m.group(1)
        if BAD.search(line):
            if pending:
                settle(None)
            if phase in ("devices", "fuzz"):
                pending, trace_left = (phase, line), 60
            else:
                splats.setdefault(phase or "outside", []).append(line)
        m = re.match(r"^kmemleak:\s+comm .*, pid (\d+),", line)
        if m:
            leak_pids.append(int(m.group(1)))
        m = STRESS.match(line)
        if not m:
            continue
        ok, name, f = m.group("status") != "fail", m.group("name"), fields(m.group("detail"))
        if m.group("status") == "skip":
            f = {"faults": "skipped"}
        if name == "kmemleak":
            n = f.get("leaks", "")
            leaks_total = int(n) if n.isdigit() else -1
        elif name == "fuzz":
            fuzz = (ok, f)
        results[name] = (ok, f)

    if pending:
        settle(None)

    def pid_owner(pid):
        # The loads of a module's cycles and fault injection are made by
        # one process each, whose pid the result line gives.
        for mod in order:
            for kind in ("cycles", "failnth"):
                r = results.get(f"{kind}:{mod}")
                if r and r[1].get("pid") == str(pid):
                    return mod
        return None

    leaks = {}
    for pid in leak_pids:
        owner = pid_owner(pid) or "unattributed"
        leaks[owner] = leaks.get(owner, 0) + 1

    rows = []  # (ok, text)
    out = [f"# make stress figures (mode {mode}): scripts/checks/stress.sh, "
           "Documentation/rust/testing.rst", ""]
    hdr = f"{'module':<22} {'cycles':>7} {'slab_delta_kib':>14} {'faults':>7} " \
          f"{'enomem':>7} {'other':>6} {'absorbed':>8} {'threads':>7} {'leaks':>6} " \
          f"{'splats':>6}  result"
    out.append(hdr)
    for mod in order:
        c_ok, c = results.get(f"cycles:{mod}", (False, {}))
        f_ok, f = results.get(f"failnth:{mod}", (False, {}))
        n_leaks, n_splats = leaks.get(mod, 0), len(splats.get(mod, []))
        ok = c_ok and f_ok and not n_leaks and not n_splats
        rows.append(ok)
        out.append(f"{mod:<22} {c.get('cycles', '-'):>7} {c.get('slab_delta_kib', '-'):>14} "
                   f"{f.get('faults', '-'):>7} {f.get('enomem', '-'):>7} "
                   f"{f.get('other_errno', '-'):>6} {f.get('absorbed', '-'):>8} "
                   f"{f.get('thread_faults', '-'):>7} "
                   f"{n_leaks:>6} {n_splats:>6}  {'ok' if ok else 'FAIL'}")
    out.append("")
    out.append(f"{'device node / operation':<38} {'ops':>8} {'efault':>7} {'unknown':>7} "
               f"{'faults':>7} {'failures':>8}  result")
    for name, (ok, f) in results.items():
        if name.startswith("fuzz:"):
            rows.append(ok)
            out.append(f"{name[5:] + ' (fuzzer)':<38} {f.get('ops', '-'):>8} "
                       f"{f.get('efault', '-'):>7} {f.get('unknown_cmd', '-'):>7} {'-':>7} "
                       f"{f.get('failures', '-'):>8}  {'ok' if ok else 'FAIL'}")
        elif name.startswith("failnth-dev:"):
            rows.append(ok)
            label = name[len("failnth-dev:"):].replace(":", " ")
            out.append(f"{label + ' (faults)':<38} {'-':>8} {'-':>7} {'-':>7} "
                       f"{f.get('faults', '-'):>7} {'-':>8}  {'ok' if ok else 'FAIL'}")
    for name, (ok, f) in results.items():
        if not name.startswith(("cycles:", "failnth:", "fuzz", "failnth-dev:", "kmemleak")):
            rows.append(ok)
            out.append(f"{name}: {' '.join(f'{k}={v}' for k, v in f.items())}"
                       f"  {'ok' if ok else 'FAIL'}")
    out.append("")
    if fuzz:
        f = fuzz[1]
        rows.append(fuzz[0])
        out.append(f"fuzzer: {f.get('ops', '?')} ops from 4 processes, {f.get('raced', '?')} "
                   f"racing a close, {f.get('reloads', '?')} reloads of rust_misc_device "
                   f"({f.get('reload_busy', '?')} refused while open), seed {f.get('seed', '?')}"
                   f" (replay: make stress SEED={f.get('seed', '?')})"
                   f"  {'ok' if fuzz[0] else 'FAIL'}")
    else:
        rows.append(False)
        out.append("fuzzer: did not report")
    other = {k: v for k, v in splats.items() if k not in order}
    rows.append(not other)
    out.append(f"splats outside the module phases: {sum(len(v) for v in other.values())}"
               f"  {'ok' if not other else 'FAIL'}")
    for k, v in other.items():
        for line in v[:5]:
            out.append(f"  [{k}] {line}")
    for mod in order:
        for line in splats.get(mod, [])[:5]:
            out.append(f"  [{mod}] {line}")
    rows.append(leaks_total == 0)
    shown = {None: "no scan", -1: "unknown (kmemleak off)"}.get(leaks_total, leaks_total)
    out.append(f"kmemleak: {shown} leaks"
               f" ({leaks.get('unattributed', 0)} not put down to a module)"
               f"  {'ok' if leaks_total == 0 else 'FAIL'}")
    passed = sum(1 for r in rows if r)
    out.append(f"{passed} passed, {len(rows) - passed} failed")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return len(rows) - passed


def junit(checks, path):
    groups = {}
    for g, n, ok, d in checks.items:
        groups.setdefault(g, []).append((n, ok, d))
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for g, cases in groups.items():
        fails = sum(1 for c in cases if not c[1])
        out.append(f"  <testsuite name={quoteattr(g)} tests=\"{len(cases)}\" failures=\"{fails}\">")
        for n, ok, d in cases:
            out.append(f"    <testcase classname={quoteattr(g)} name={quoteattr(n)}>")
            if not ok:
                out.append(f"      <failure message={quoteattr(d or 'failed')}>{escape(d)}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def show(lines):
    """What `make run` prints: KUnit totals and everything between init and the end."""
    inside = False
    for line in lines:
        if line.startswith("# Totals:") or re.match(r"^(not )?ok \d+ ", line):
            print(f"  kunit: {line}")
            continue
        if line == "rkal: userspace up":
            inside = True
            continue
        if line == "rkal: done":
            break
        if inside and not line.startswith("rkal: module-load-begin") \
                and not line.startswith("rkal: module-unload-begin"):
            print(f"  {line}")


def reports(lines):
    """The lines of the log that are a report of the kernel's (or of the
    run's: a timeout)."""
    bad = [l for l in lines if BAD.search(l)]
    # A measurement boot (make bench, make litmus) turns kmemleak off on
    # its command line; only then is "detector disabled" not a report.
    cmdline = next((l for l in lines if l.startswith("Kernel command line:")), "")
    if "kmemleak=off" in cmdline.split():
        bad = [l for l in bad if not KMEMLEAK_OFF.fullmatch(l)]
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--reports", action="store_true",
                    help="only print the log's reports; exit 1 if there is one")
    ap.add_argument("--expect", help="directory of <module>.expect files")
    ap.add_argument("--host", action="append", default=[], help="host results file")
    ap.add_argument("--junit", help="JUnit XML output path")
    ap.add_argument("--show", action="store_true", help="print the module log (make run)")
    ap.add_argument("--min-suites", type=int, default=1)
    ap.add_argument("--stress-report", help="write the stress figures here (make stress)")
    args = ap.parse_args()

    checks = Checks()
    for h in args.host:
        # A phase of scripts/host-test.sh ends its file with "# done PHASE":
        # a file without it is from a phase that died before its last check.
        try:
            with open(h) as f:
                host_lines = f.read().splitlines()
        except OSError as e:
            checks.add("host", f"results: cannot read {h}: {e.strerror}", False)
            continue
        for line in host_lines:
            m = re.match(r"^(not ok|ok) (.+)$", line.strip())
            if m:
                checks.add("host", m.group(2), m.group(1) == "ok")
        if not any(re.match(r"^# done \S+$", line) for line in host_lines):
            checks.add("host", f"results: {h} is incomplete (its phase did not finish)", False)

    try:
        with open(args.log, errors="replace") as f:
            lines = [strip(l) for l in f]
    except OSError as e:
        print(f"verdict: cannot read boot log: {e}")
        lines = []

    if args.reports:
        bad = reports(lines)
        print("\n".join(bad[:5]) if bad else "no report")
        sys.exit(1 if bad else 0)

    if args.show:
        show(lines)

    suites = parse_ktap(lines, checks)
    checks.add("boot", "KUnit suites ran", suites >= args.min_suites,
               f"{suites} suites, expected at least {args.min_suites}")
    parse_modules(lines, args.expect, checks)
    parse_checks(lines, checks)
    parse_stress(lines, checks)
    checks.add("boot", "init ran to the end", "rkal: done" in lines)
    # -smp 2 must give two CPUs running in parallel: a firmware table that
    # lists one (as QEMU's MP table does for one socket of two cores) would
    # make every concurrency test single-CPU without failing it.
    cpus = [re.search(r"smp: Brought up \d+ nodes?, (\d+) CPUs?", l) for l in lines]
    cpus = [int(m.group(1)) for m in cpus if m]
    checks.add("boot", "both CPUs came up", bool(cpus) and cpus[-1] >= 2,
               f"brought up {cpus[-1] if cpus else 'no'} CPU(s), expected 2")
    bad = reports(lines)
    checks.add("boot", "no WARNING/BUG/Oops/panic/lockdep/KASAN report", not bad,
               "; ".join(bad[:5]))
    if args.stress_report:
        stress_report(lines, args.stress_report)

    if args.junit:
        junit(checks, args.junit)

    for g, n, ok, d in checks.failed():
        print(f"FAIL [{g}] {n}" + (f": {d}" if d else ""))
    failed = len(checks.failed())
    print(f"{checks.passed()} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
