# SPDX-License-Identifier: GPL-2.0
"""Host tests of scripts/bench.py's judgement: a Rust/C ratio is within
noise only when no further from 1.00 than what a side's two runs (original
and copy, at other addresses) differ by, or 2%; a copy with other
instructions than its original invalidates the timings."""

import os
import sys
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, SCRIPTS)
import bench  # noqa: E402


def log_line(op, c, r, c2, r2, n=1000000):
    return (f"[    1.0] rkal_bench: op={op} iterations={n} c_ns={c} rust_ns={r} "
            f"c2_ns={c2} rust2_ns={r2}\n")


class Executed(unittest.TestCase):
    def run_log(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            f.write(text)
        try:
            return bench.executed(f.name)
        finally:
            os.unlink(f.name)

    def test_ratio_is_best_run_of_each_side(self):
        rows, summary, ok = self.run_log(log_line("inc", 30000000, 31000000, 30500000, 30000000))
        self.assertTrue(ok)
        # min(C) = 30.0, min(Rust) = 30.0: ratio 1.00.
        self.assertIn(" 1.00 ", rows[1])
        self.assertIn("1 within noise", summary)

    def test_outside_noise_when_copies_agree(self):
        # Rust 5% slower on both of its runs, the C runs 0.3% apart.
        rows, summary, ok = self.run_log(log_line("inc", 30000000, 31500000, 30100000, 31600000))
        self.assertTrue(ok)
        self.assertIn("outside noise", rows[1])
        self.assertIn("0 within noise", summary)
        self.assertIn("outside noise: inc", summary)

    def test_within_noise_when_placement_moves_as_much(self):
        # Rust 4% slower at best, its two runs 6% apart: placement alone moves it that much.
        rows, summary, ok = self.run_log(log_line("inc", 30000000, 33000000, 30100000, 31200000))
        self.assertTrue(ok)
        self.assertNotIn("outside noise", rows[1])
        self.assertIn("1 within noise", summary)

    def test_clock_that_did_not_advance_is_outside(self):
        rows, summary, ok = self.run_log(log_line("smp_mb", 0, 0, 0, 0))
        self.assertIn("clock did not advance", rows[1])
        self.assertIn("outside noise: smp_mb", summary)

    def test_no_timings_is_a_failure(self):
        _, summary, ok = self.run_log("[    1.0] nothing here\n")
        self.assertFalse(ok)
        self.assertIn("no timings", summary)


def func(*insns):
    return {"insns": list(insns), "calls": []}


class Copies(unittest.TestCase):
    def test_branch_targets_are_relative(self):
        self.assertEqual(bench.shape(["jne 0x5a <rkal_bench_c_inc+0x5a>"]),
                         bench.shape(["jne 0x5a <rkal_bench_c2_inc+0x5a>"]))
        self.assertNotEqual(bench.shape(["jne 0x5a <f+0x5a>"]), bench.shape(["jne 0x5b <f+0x5b>"]))

    def test_rust_snippets_by_demangled_name(self):
        funcs = {"bench_rs::rs::inc": func("ret"), "bench_rs[1a2b]::rs2::inc": func("ret"),
                 "bench_rs::run::<(), ()>": func("ret"), "bench_rs::rs::kbox": func("ret")}
        got = bench.rust_snippets(funcs)
        self.assertEqual(sorted(got["rs"]), ["inc", "kbox"])
        self.assertEqual(sorted(got["rs2"]), ["inc"])

    def test_identical_copies_pass(self):
        c = {"rkal_bench_c_inc": func("lock incl (%rdi)", "ret")}
        c2 = {"rkal_bench_c2_inc": func("lock incl (%rdi)", "ret")}
        rs = {"rs": {"inc": func("lock incl (%rdi)", "ret")},
              "rs2": {"inc": func("lock incl (%rdi)", "ret")}}
        self.assertEqual(bench.copies_differ(c, c2, rs), [])

    def test_a_differing_or_missing_copy_is_named(self):
        c = {"rkal_bench_c_inc": func("lock incl (%rdi)", "ret"),
             "rkal_bench_c_kbox": func("ret")}
        c2 = {"rkal_bench_c2_inc": func("lock addl $0x1, (%rdi)", "ret"),
              "rkal_bench_c2_kbox": func("ret")}
        rs = {"rs": {"inc": func("ret"), "kbox": func("ret")}, "rs2": {"inc": func("ret")}}
        self.assertEqual(bench.copies_differ(c, c2, rs), ["C inc", "Rust kbox"])


if __name__ == "__main__":
    unittest.main()
