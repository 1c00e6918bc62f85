# SPDX-License-Identifier: GPL-2.0
"""Host tests of the M= checks in scripts/lib.sh: a wrong external module
directory stops `make run`/`make test`/`make build` with one line naming the
fix, before anything is written. No kernel build is needed."""

import os
import signal
import subprocess
import tempfile
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def run(script, m, build, *args):
    """Runs scripts/<script> with M=m and BUILD=build; returns (rc, stderr).

    If the M= check were broken the script would go on to set up and build
    the kernel: the timeout stops that, with every process it started."""
    env = dict(os.environ, M=m, BUILD=build)
    p = subprocess.Popen([os.path.join(SCRIPTS, script), *args], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise AssertionError(f"{script} M={m} did not stop at the M= check")
    return p.returncode, out + err


class ExtmodTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")

    def tearDown(self):
        self.tmp.cleanup()

    def assert_one_line_error(self, script, m, want, *args):
        rc, out = run(script, m, self.build, *args)
        self.assertNotEqual(rc, 0, out)
        self.assertEqual(len(out.splitlines()), 1, out)
        self.assertTrue(out.startswith(f"error: M={m} {want}; "), out)
        self.assertFalse(os.path.exists(self.build), "the build dir was written")

    def test_missing_dir_is_one_line_error(self):
        m = os.path.join(self.tmp.name, "nonexistent")
        for script, args in (("run.sh", ("run",)), ("run.sh", ("test",)), ("build.sh", ())):
            self.assert_one_line_error(script, m, "does not exist", *args)

    def test_dir_without_kbuild_is_one_line_error_naming_the_fix(self):
        m = os.path.join(self.tmp.name, "greeter")
        os.mkdir(m)
        with open(os.path.join(m, "greeter.rs"), "w") as f:
            f.write("// a module\n")
        for script, args in (("run.sh", ("run",)), ("build.sh", ())):
            self.assert_one_line_error(script, m, "has no Kbuild or Makefile", *args)
        rc, out = run("run.sh", m, self.build, "run")
        self.assertIn(f"echo 'obj-m := greeter.o' >{m}/Kbuild", out)
        self.assertEqual(os.listdir(m), ["greeter.rs"], "the M= dir was written")


if __name__ == "__main__":
    unittest.main()
