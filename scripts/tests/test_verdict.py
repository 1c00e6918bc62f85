# SPDX-License-Identifier: GPL-2.0
"""Host tests of scripts/verdict.py: it must fail every kind of bad boot."""

import os
import subprocess
import sys
import tempfile
import unittest

VERDICT = os.path.join(os.path.dirname(__file__), "..", "verdict.py")

GOOD_KTAP = """[    0.1] KTAP version 1
[    0.1] 1..1
[    0.1]     KTAP version 1
[    0.1]     # Subtest: suite_a
[    0.1]     1..2
[    0.1]     ok 1 t_one
[    0.1]     ok 2 t_two
[    0.1] ok 1 suite_a
"""


SMP2 = "[    0.1] smp: Brought up 1 node, 2 CPUs\n"


def run(log, expect=None, junit=None, smp=SMP2, host=None):
    log = smp + log
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "boot.log")
        with open(path, "w") as f:
            f.write(log)
        args = [sys.executable, VERDICT, path]
        # host: {file name: its text, or None for a file that is not there}
        for name, text in (host or {}).items():
            if text is not None:
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            args += ["--host", os.path.join(d, name)]
        if expect:
            for name, lines in expect.items():
                with open(os.path.join(d, f"{name}.expect"), "w") as f:
                    f.write(lines)
            args += ["--expect", d]
        if junit:
            args += ["--junit", junit]
        p = subprocess.run(args, capture_output=True, text=True)
        return p.returncode, p.stdout


XFAIL_KTAP = """[    0.1] KTAP version 1
[    0.1] 1..1
[    0.1]     KTAP version 1
[    0.1]     # Subtest: rkal_kunit_selftest
[    0.1]     1..3
[    0.1]     # xfail_result_err: EXPECTATION FAILED at rkal_kunit_selftest.rs:40
[    0.1]     not ok 1 xfail_result_err
[    0.1]     not ok 2 xfail_assert_in_kthread
[    0.1]     ok 3 ok_result_passes
[    0.1] not ok 1 rkal_kunit_selftest
"""


class VerdictTest(unittest.TestCase):
    def test_expected_failures_reported_as_failures_pass(self):
        rc, out = run(XFAIL_KTAP + "rkal: userspace up\nrkal: done\n")
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.strip().splitlines()[-1], "7 passed, 0 failed")

    def test_host_results_count_and_an_unfinished_phase_fails(self):
        boot = GOOD_KTAP + "rkal: done\n"
        early = "ok macros::a\n# skip extmod::b: no kernel\nok rustfmt: 3 files\n# done early\n"
        late = "ok atomics-check: 3 identical\n# done late\n"
        rc, out = run(boot, host={"e.txt": early, "l.txt": late})
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.strip().splitlines()[-1], "9 passed, 0 failed")
        # A phase killed half way: what it wrote passes, the file does not.
        rc, out = run(boot, host={"e.txt": early, "l.txt": late.replace("# done late\n", "")})
        self.assertEqual(rc, 1)
        self.assertIn("l.txt is incomplete", out)
        rc, out = run(boot, host={"e.txt": early, "l.txt": None})
        self.assertEqual(rc, 1)
        self.assertIn("cannot read", out)
        rc, out = run(boot, host={"e.txt": early.replace("ok rustfmt", "not ok rustfmt"), "l.txt": late})
        self.assertEqual(rc, 1)
        self.assertIn("rustfmt", out)

    def test_kmemleak_off_passes_only_when_the_command_line_asks(self):
        off = "[    0.000000] kmemleak: Kernel memory leak detector disabled\n"
        boot = GOOD_KTAP + "rkal: done\n"
        asked = "[    0.000000] Kernel command line: console=ttyS0 kmemleak=off no_debug_objects\n"
        rc, out = run(asked + off + boot)
        self.assertEqual(rc, 0, out)
        # Not asked for: kmemleak switched itself off, and stopped checking.
        rc, out = run("[    0.000000] Kernel command line: console=ttyS0 slub_debug\n" + off + boot)
        self.assertEqual(rc, 1)
        self.assertIn("detector disabled", out)
        # Other reports still count on a measurement boot.
        rc, out = run(asked + off + "[ 1.0] WARNING: CPU: 0 PID: 1 at x\n" + boot)
        self.assertEqual(rc, 1)

    def test_expected_failure_that_passes_fails(self):
        log = XFAIL_KTAP.replace("not ok 2 xfail_assert_in_kthread", "ok 2 xfail_assert_in_kthread")
        rc, out = run(log + "rkal: done\n")
        self.assertEqual(rc, 1)
        self.assertIn("xfail_assert_in_kthread: expected to fail", out)

    def test_real_failure_next_to_expected_ones_fails(self):
        log = XFAIL_KTAP.replace("ok 3 ok_result_passes", "not ok 3 ok_result_passes")
        rc, out = run(log + "rkal: done\n")
        self.assertEqual(rc, 1)
        self.assertIn("ok_result_passes", out)

    def test_expected_failure_that_oopses_fails(self):
        log = XFAIL_KTAP + "[ 2.0] Oops: general protection fault\n"
        rc, out = run(log + "rkal: done\n")
        self.assertEqual(rc, 1)

    def test_one_cpu_fails(self):
        rc, out = run(GOOD_KTAP + "rkal: done\n", smp="[    0.1] smp: Brought up 1 node, 1 CPU\n")
        self.assertEqual(rc, 1)
        self.assertIn("both CPUs came up", out)

    def test_clean_boot_passes_with_counts(self):
        rc, out = run(GOOD_KTAP + "rkal: userspace up\nrkal: done\n")
        self.assertEqual(rc, 0)
        self.assertEqual(out.strip().splitlines()[-1], "6 passed, 0 failed")

    def test_failed_case_fails(self):
        rc, out = run(GOOD_KTAP.replace("    ok 2 t_two", "    not ok 2 t_two") + "rkal: done\n")
        self.assertEqual(rc, 1)
        self.assertIn("t_two", out)

    def test_suite_cut_short_fails(self):
        rc, out = run(GOOD_KTAP.split("    ok 2")[0] + "rkal: done\n")
        self.assertEqual(rc, 1)
        self.assertIn("incomplete", out)

    def test_warning_in_log_fails(self):
        rc, out = run(GOOD_KTAP + "[ 1.0] WARNING: CPU: 0 PID: 1 at x\nrkal: done\n")
        self.assertEqual(rc, 1)
        self.assertIn("WARNING", out)

    def test_bug_and_stall_reports_fail(self):
        for report in ("kernel BUG at mm/slub.c:42!", "BUG: sleeping function called",
                       "rcu: INFO: rcu_sched self-detected stall on CPU"):
            rc, _ = run(GOOD_KTAP + f"[ 1.0] {report}\nrkal: done\n")
            self.assertEqual(rc, 1, report)

    def test_missing_end_of_init_fails(self):
        rc, out = run(GOOD_KTAP)
        self.assertEqual(rc, 1)
        self.assertIn("init ran to the end", out)

    def test_no_kunit_fails(self):
        rc, _ = run("rkal: done\n")
        self.assertEqual(rc, 1)

    def test_module_lines_must_come_in_order(self):
        log = GOOD_KTAP + (
            "rkal: module-load-begin m\n[ 1.0] m: b\n[ 1.1] m: a\n"
            "rkal: module-load ok m\nrkal: module-unload-begin m\n"
            "rkal: module-unload ok m\nrkal: done\n")
        rc, out = run(log, {"m": "m: a\nm: b\n"})
        self.assertEqual(rc, 1)
        self.assertIn("prints expected lines", out)
        rc, _ = run(log, {"m": "m: b\nm: a\n"})
        self.assertEqual(rc, 0)

    def test_module_that_fails_to_load_fails(self):
        log = GOOD_KTAP + "rkal: module-load-begin m\nrkal: module-load fail m rc=1\nrkal: done\n"
        rc, out = run(log)
        self.assertEqual(rc, 1)
        self.assertIn("m: loads", out)

    def test_userspace_checks_count_and_a_failed_one_fails_with_its_output(self):
        log = GOOD_KTAP + (
            "rkal: check-begin ours\nrkal: check ok ours\n"
            "rkal: check-begin hello.check.sh\nrkal: check ok hello.check.sh\n"
            "rkal: check-begin hello.check.c\nhello: /dev/hello missing\n"
            "rkal: check fail hello.check.c rc=1\nrkal: done\n")
        rc, out = run(log)
        self.assertEqual(rc, 1)
        self.assertIn("FAIL [userspace] hello.check.c: rc=1; hello: /dev/hello missing", out)
        self.assertEqual(out.strip().splitlines()[-1], "8 passed, 1 failed")

    def test_check_that_never_finishes_fails(self):
        rc, out = run(GOOD_KTAP + "rkal: check-begin hello.check.sh\n[ 2.0] Oops: 0000\n")
        self.assertEqual(rc, 1)
        self.assertIn("FAIL [userspace] hello.check.sh: did not finish", out)

    def test_module_suite_counts_like_built_in_ones(self):
        # A suite in a loaded module: KTAP without a top-level plan, after
        # the built-in suites.
        log = GOOD_KTAP + (
            "rkal: module-load-begin m\n"
            "[ 2.0]     KTAP version 1\n[ 2.0]     # Subtest: m_suite\n"
            "[ 2.0]     1..2\n[ 2.0]     ok 1 adds\n[ 2.0]     not ok 2 subtracts\n"
            "[ 2.0] not ok 2 m_suite\nrkal: module-load ok m\n"
            "rkal: module-unload-begin m\nrkal: module-unload ok m\nrkal: done\n")
        with tempfile.TemporaryDirectory() as d:
            rc, out = run(log, junit=os.path.join(d, "junit.xml"))
            with open(os.path.join(d, "junit.xml")) as f:
                xml = f.read()
        self.assertEqual(rc, 1)
        self.assertIn("FAIL [kunit.m_suite] subtracts", out)
        self.assertEqual(out.strip().splitlines()[-1], "9 passed, 1 failed")
        self.assertIn('<testsuite name="kunit.m_suite" tests="2" failures="1">', xml)


# Reports of the kernel's checkers, as they reach the serial console. Each
# is the head of a real report (kernel documentation, syzbot and mailing
# list reports of those checkers); the verdict must fail a boot with any.
REPORTS = {
    "kasan": """[   21.120002] ==================================================================
[   21.120003] BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0xa8/0xbc [kasan_test]
[   21.120004] Write of size 1 at addr ffff8801f44ec37b by task insmod/2760
""",
    "ubsan": """[    3.120000] ================================================================================
[    3.120001] UBSAN: shift-out-of-bounds in lib/foo.c:110:33
[    3.120002] shift exponent 32 is too large for 32-bit type 'unsigned int'
""",
    "ubsan_array_index": """[    3.120001] UBSAN: array-index-out-of-bounds in drivers/foo/bar.c:42:7
[    3.120002] index 8 is out of range for type 'u32 [8]'
""",
    "kmemleak_listing": """kmemleak: unreferenced object 0xffff88804b7b5640 (size 32):
kmemleak:   comm "insmod", pid 212, jiffies 4294892345
kmemleak:   hex dump (first 32 bytes):
kmemleak:     00 d2 65 59 80 88 ff ff a0 dd 65 59 80 88 ff ff  ..eY......eY....
kmemleak:   backtrace (crc 6d4a1c2f):
kmemleak:     [<000000004d300c9a>] __kmalloc_noprof+0x13c/0x330
""",
    "kmemleak_scan": "[  600.100000] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n",
    "kmemleak_off": "[   40.000000] kmemleak: Kernel memory leak detector disabled\n",
    "odebug": """[   52.515268] ------------[ cut here ]------------
[   52.517264] ODEBUG: free active (active state 0) object: ffff888181c029a0 object type: timer_list hint: delayed_work_timer_fn+0x0/0x80
""",
    "list_del": """[  430.454897] list_del corruption. prev->next should be ffff98d3a8f316c0, but was 2e885cb266355469. (prev=ffff98d3a8f316c0)
""",
    "list_add": """[   71.483365] list_add corruption. next->prev should be prev (ffff88800f3ca250), but was ffff88802f5f9dd0. (next=ffff88800f3ca258).
""",
    "slub_redzone": """[  144.110011] =============================================================================
[  144.110011] BUG kmalloc-64 (Not tainted): Redzone overwritten
[  144.110011] -----------------------------------------------------------------------------
[  144.110011] INFO: 0xffff8800bbb544f0-0xffff8800bbb544f7. First byte 0x33 instead of 0xcc
""",
    "slub_padding": """[    9.000000] BUG kmalloc-128 (Tainted: G    B             ): Object padding overwritten
""",
    "slub_poison_other_cache": """[ 3832.970028] BUG page->ptl (Not tainted): Poison overwritten
""",
}

# Lines of a healthy debug boot that mention the checkers without being a
# report: none of them may fail it.
BENIGN = """[    0.000000] kmemleak: Kernel memory leak detector initialized (mem pool available: 15803)
[    0.500000] kasan: KernelAddressSanitizer initialized (generic)
[    0.600000] ODEBUG: selftest passed
[   30.000000] insmod: page allocation failure: order:0, mode:0xcc0(GFP_KERNEL), nodemask=(null)
rkal: stress ok kmemleak leaks=0
"""


class ReportTest(unittest.TestCase):
    def test_every_checker_report_fails_the_boot(self):
        for name, report in REPORTS.items():
            with self.subTest(report=name):
                rc, out = run(GOOD_KTAP + report + "rkal: done\n")
                self.assertEqual(rc, 1, out)
                self.assertIn("FAIL [boot] no WARNING/BUG/Oops/panic/lockdep/KASAN report", out)

    def test_healthy_debug_boot_lines_pass(self):
        rc, out = run(GOOD_KTAP + BENIGN + "rkal: done\n")
        self.assertEqual(rc, 0, out)

    def test_emulator_crash_fails_the_boot(self):
        # scripts/qemu.sh's line when QEMU died twice (it boots once more
        # after a first crash).
        rc, out = run(GOOD_KTAP + "qemu: qemu-system-x86_64 died of signal 11\n")
        self.assertEqual(rc, 1, out)
        self.assertIn("died of signal 11", out)

    def test_reports_mode_says_whether_the_log_holds_a_report(self):
        # scripts/qemu.sh asks it of a run QEMU crashed in: only one
        # without a report of the kernel's is booted again.
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "boot.log")
            for log, want in ((GOOD_KTAP + BENIGN, 0),
                              (GOOD_KTAP + REPORTS["kasan"], 1),
                              (GOOD_KTAP + "[ 1.0] WARNING: CPU: 1 PID: 7 at x\n", 1)):
                with open(path, "w") as f:
                    f.write(SMP2 + log)
                p = subprocess.run([sys.executable, VERDICT, "--reports", path],
                                   capture_output=True, text=True)
                self.assertEqual(p.returncode, want, p.stdout)


STRESS_LOG = """stress: mode short: 20 cycles per module, 100000 fuzzer ops
rkal: stress-begin mod_a
rkal: stress ok cycles:mod_a cycles=20 slab_before_kib=100 slab_after_kib=104 slab_delta_kib=4 pid=200
rkal: stress ok failnth:mod_a faults=57 enomem=50 other_errno=7 absorbed=0 thread_faults=3 scope=all pid=205
rkal: stress-end mod_a
rkal: stress-begin mod_b
rkal: stress ok cycles:mod_b cycles=20 slab_before_kib=100 slab_after_kib=100 slab_delta_kib=0 pid=216
rkal: stress ok failnth:mod_b faults=40 enomem=40 other_errno=0 absorbed=0 scope=all pid=217
rkal: stress-end mod_b
rkal: stress-begin devices
rkal: stress ok failnth-dev:/dev/x:open faults=3 enomem=3 other_errno=0 absorbed=0
rkal: stress-end devices
rkal: stress-begin fuzz
rkal: stress fuzz seed=42 ops=100 procs=4 (replay: SEED=42)
rkal: stress ok fuzz:/dev/x ops=100 efault=10 unknown_cmd=20 failures=0
rkal: stress ok fuzz ops=100 raced=5 reloads=2 reload_busy=1 seed=42
rkal: stress-end fuzz
rkal: stress ok kmemleak leaks=0
"""


def report(log):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "boot.log")
        txt = os.path.join(d, "stress.txt")
        with open(path, "w") as f:
            f.write(SMP2 + GOOD_KTAP + log + "rkal: done\n")
        p = subprocess.run([sys.executable, VERDICT, path, "--stress-report", txt],
                           capture_output=True, text=True)
        with open(txt) as f:
            return p.returncode, p.stdout, f.read()


class StressTest(unittest.TestCase):
    def test_clean_stress_run_passes_and_is_tabled(self):
        rc, out, txt = report(STRESS_LOG)
        self.assertEqual(rc, 0, out)
        self.assertIn("[stress]", out.replace("passed", "[stress]"))
        lines = txt.splitlines()
        self.assertEqual(lines[-1], "7 passed, 0 failed")
        row = next(line for line in lines if line.startswith("mod_a "))
        self.assertEqual(row.split()[1:], ["20", "4", "57", "50", "7", "0", "3", "0", "0", "ok"])
        self.assertIn("seed 42", txt)

    def test_skipped_fault_sweep_is_neither_pass_nor_fail(self):
        log = STRESS_LOG.replace(
            "rkal: stress-begin devices",
            "rkal: stress-begin mod_c\n"
            "rkal: stress ok cycles:mod_c cycles=20 slab_before_kib=100 slab_after_kib=100 slab_delta_kib=0 pid=218\n"
            "rkal: stress skip failnth:mod_c (a kernel limitation)\n"
            "rkal: stress-end mod_c\n"
            "rkal: stress-begin devices")
        rc, out, txt = report(log)
        self.assertEqual(rc, 0, out)
        lines = txt.splitlines()
        self.assertEqual(lines[-1], "8 passed, 0 failed")
        row = next(line for line in lines if line.startswith("mod_c "))
        self.assertEqual(row.split()[1:4], ["20", "0", "skipped"])
        self.assertEqual(row.split()[-1], "ok")

    def test_failed_stress_step_fails(self):
        log = STRESS_LOG.replace("rkal: stress ok failnth:mod_b", "rkal: stress fail failnth:mod_b")
        rc, out, txt = report(log)
        self.assertEqual(rc, 1)
        self.assertIn("FAIL [stress] failnth:mod_b", out)
        self.assertEqual(txt.splitlines()[-1], "6 passed, 1 failed")

    def test_splat_is_put_down_to_its_module(self):
        log = STRESS_LOG.replace(
            "rkal: stress-end mod_b",
            "[ 9.0] ODEBUG: free active (active state 0) object: ffff8 object type: work_struct hint: f+0x0/0x10\n"
            "rkal: stress-end mod_b")
        rc, out, txt = report(log)
        self.assertEqual(rc, 1)
        row = next(line for line in txt.splitlines() if line.startswith("mod_b "))
        self.assertEqual(row.split()[-2:], ["1", "FAIL"])
        self.assertIn("[mod_b] ODEBUG: free active", txt)

    def test_fuzzer_splat_is_put_down_to_the_module_in_its_trace(self):
        splat = ("[ 9.0] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
                 "[ 9.0] Modules linked in: mod_a mod_b\n"
                 "[ 9.0] Call Trace:\n"
                 "[ 9.0]  <TASK>\n"
                 "[ 9.0]  vfs_read+0x10/0x20\n"
                 "[ 9.0]  read_op+0x1c/0x40 [mod_b]\n")
        log = STRESS_LOG.replace("rkal: stress-end fuzz", splat + "rkal: stress-end fuzz")
        rc, out, txt = report(log)
        self.assertEqual(rc, 1)
        row = next(line for line in txt.splitlines() if line.startswith("mod_b "))
        self.assertEqual(row.split()[-2:], ["1", "FAIL"])
        self.assertIn("[mod_b] (during fuzz) BUG: kernel NULL pointer", txt)
        self.assertIn("splats outside the module phases: 0", txt)
        # Without a frame of ours, it stays the fuzzer's.
        rc, out, txt = report(log.replace(" [mod_b]", ""))
        self.assertIn("splats outside the module phases: 1", txt)
        self.assertIn("[fuzz] BUG: kernel NULL pointer", txt)

    def test_leak_is_put_down_to_the_module_whose_load_allocated_it(self):
        log = STRESS_LOG.replace("rkal: stress ok kmemleak leaks=0",
                                 "rkal: stress fail kmemleak leaks=1\n" + REPORTS["kmemleak_listing"])
        rc, out, txt = report(log.replace('pid 212,', 'pid 205,'))
        self.assertEqual(rc, 1)
        row = next(line for line in txt.splitlines() if line.startswith("mod_a "))
        self.assertEqual(row.split()[-3:], ["1", "0", "FAIL"])
        self.assertIn("kmemleak: 1 leaks (0 not put down to a module)", txt)

    def test_missing_fuzzer_fails(self):
        log = STRESS_LOG.replace("rkal: stress ok fuzz ops=100", "rkal: stress-nothing")
        rc, out, txt = report(log)
        self.assertIn("fuzzer: did not report", txt)
        self.assertNotEqual(txt.splitlines()[-1].split()[2], "0")


if __name__ == "__main__":
    unittest.main()
