# SPDX-License-Identifier: GPL-2.0
"""Host tests of the toolchain checks in scripts/setup.sh: a rustc other
than the pinned one, or a clang whose LLVM is not rustc's, stops the setup
with one line naming the fix. Fake compilers stand in for the wrong ones;
the setup stops before it would install or build anything."""

import os
import stat
import subprocess
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def fake(dirname, name, text):
    """A script called `name` in `dirname` that prints `text`."""
    path = os.path.join(dirname, name)
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\ncat <<'EOF'\n{text}\nEOF\n")
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
    return path


def setup(env):
    p = subprocess.run([os.path.join(SCRIPTS, "setup.sh")], env=dict(os.environ, **env),
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


class ToolchainTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")

    def tearDown(self):
        self.tmp.cleanup()

    def test_other_rustc_than_pinned_is_refused(self):
        rustc = fake(self.tmp.name, "rustc",
                     "rustc 1.80.0 (051478957 2024-07-21)\nLLVM version: 18.1.7")
        rc, out = setup({"RUSTC": rustc, "BUILD": self.build})
        self.assertNotEqual(rc, 0)
        errors = [l for l in out.splitlines() if l.startswith("error:")]
        self.assertEqual(len(errors), 1, out)
        self.assertIn("pinned to", errors[0])
        self.assertIn("rustup default", errors[0])

    def test_clang_of_another_llvm_is_refused(self):
        bin_dir = os.path.join(self.tmp.name, "llvm", "bin")
        os.makedirs(bin_dir)
        fake(bin_dir, "clang", "Debian clang version 19.1.7 (3+b1)")
        rc, out = setup({"LLVM_BIN": bin_dir, "BUILD": self.build})
        self.assertNotEqual(rc, 0)
        errors = [l for l in out.splitlines() if l.startswith("error:")]
        self.assertEqual(len(errors), 1, out)
        self.assertIn("does not match rustc's LLVM", errors[0])
        self.assertIn("apt-get install clang-", errors[0])


if __name__ == "__main__":
    unittest.main()
