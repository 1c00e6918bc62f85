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


def run(log, expect=None, junit=None, smp=SMP2):
    log = smp + log
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "boot.log")
        with open(path, "w") as f:
            f.write(log)
        args = [sys.executable, VERDICT, path]
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


if __name__ == "__main__":
    unittest.main()
