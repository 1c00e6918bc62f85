# SPDX-License-Identifier: GPL-2.0
"""Host tests of scripts/gen_litmus.py: it reads every litmus test of the
tree (47 in 6.12), translates each thread to Rust through the mapping
table, and stops with an error naming a primitive it has no mapping for,
rather than skipping the test."""

import os
import sys
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, SCRIPTS)
import gen_litmus  # noqa: E402

TREE = os.environ.get("RKAL_KTREE", os.path.join(SCRIPTS, "..", "build", "src"))

SB = """C SB+test

(*
 * Result: Sometimes
 *)

{}

P0(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*x, 1);
	r0 = READ_ONCE(*y);
}

P1(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*y, 1);
	%s
	r0 = READ_ONCE(*x);
}

exists (0:r0=0 /\\ 1:r0=0)
"""


def parse(text):
    with tempfile.NamedTemporaryFile("w", suffix=".litmus", delete=False) as f:
        f.write(text)
    try:
        return gen_litmus.Test(f.name)
    finally:
        os.unlink(f.name)


class GenLitmus(unittest.TestCase):
    def test_translates_marked_accesses_and_barriers(self):
        t = parse(SB % "smp_mb();")
        rust = "\n".join(gen_litmus.Translator(t, 1).translate())
        self.assertIn("atomic_store(y, 1, Relaxed)", rust)
        self.assertIn("barrier::smp_mb()", rust)
        self.assertIn("r0 = atomic_load(x, Relaxed)", rust)
        self.assertEqual(t.key, ["0:r0", "1:r0"])
        self.assertIn("&&", t.clause_c(t.exists))

    def test_unknown_primitive_is_an_error_naming_it(self):
        t = parse(SB % "smp_frobnicate();")
        with self.assertRaisesRegex(gen_litmus.LitmusError, r"smp_frobnicate\(\) is not in the mapping table"):
            gen_litmus.Translator(t, 1).translate()

    def test_missing_register_in_exists_is_an_error(self):
        with self.assertRaisesRegex(gen_litmus.LitmusError, "no register r7"):
            parse((SB % "").replace("1:r0=0)", "1:r7=0)"))

    @unittest.skipUnless(os.path.isdir(os.path.join(TREE, "tools/memory-model/litmus-tests")),
                         "no kernel tree")
    def test_every_test_of_the_tree_generates(self):
        tests = [gen_litmus.Test(f) for f in gen_litmus.find_tests(TREE)]
        self.assertGreaterEqual(len(tests), 47)
        c = gen_litmus.emit_c(tests)
        rust = gen_litmus.emit_rust(tests, "/harness.rs")
        for t in tests:
            self.assertIn(f'.name = "{t.name}"', c)
            self.assertIn(f"fn lt_{t.ident}_P0_rs(", rust)
        must_see = [t.name for t in tests if gen_litmus.expectation(t, tests)[0] == "LT_MUST_SEE"]
        self.assertEqual(sorted(must_see), sorted(gen_litmus.X86_ALLOWED))


if __name__ == "__main__":
    unittest.main()
