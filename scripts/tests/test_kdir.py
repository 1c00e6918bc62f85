# SPDX-License-Identifier: GPL-2.0
"""Host tests of the KDIR checks in scripts/lib.sh: a KDIR that is missing,
not a kernel tree, another Linux version than 6.12 or configured in place
stops setup, build, run and test with one line naming the fix, before
anything is written, and the tree is left as it was. Fake trees stand in
for the real ones; no kernel is built."""

import os
import tempfile
import unittest

from frontdoor import assert_one_line_error, run, run_lib, snapshot

# Every entry point a KDIR reaches (`make setup`, `make build`, `make run`,
# `make test`).
ENTRY_POINTS = (("setup.sh",), ("build.sh",), ("run.sh", "run"), ("run.sh", "test"))
FIX = "point KDIR at a Linux 6.12.y source tree or omit it to use linux-source-6.12"


def fake_tree(root, version, patchlevel, sublevel=0):
    """The files of a kernel tree the checks look at. Its Makefile writes
    `touched` into the tree if anything runs make there."""
    os.makedirs(os.path.join(root, "scripts"))
    with open(os.path.join(root, "Makefile"), "w") as f:
        f.write(f"# SPDX-License-Identifier: GPL-2.0\nVERSION = {version}\n"
                f"PATCHLEVEL = {patchlevel}\nSUBLEVEL = {sublevel}\nEXTRAVERSION =\n\n"
                "all kernelversion %:\n\t@touch $(CURDIR)/touched; "
                "echo $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)\n")
    for name in ("Kconfig", "scripts/Makefile.build"):
        with open(os.path.join(root, name), "w") as f:
            f.write("# stock\n")
    return root


class KdirTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")

    def tearDown(self):
        self.tmp.cleanup()

    def assert_refused(self, kdir, *wants):
        """Each entry point stops with one line, writes neither the tree nor
        the build directory."""
        before = snapshot(kdir) if os.path.exists(kdir) else None
        for script, *args in ENTRY_POINTS:
            with self.subTest(script=script, args=args):
                rc, out, err = run(script, {"KDIR": kdir, "BUILD": self.build}, *args)
                assert_one_line_error(self, rc, out, err, f"error: KDIR={kdir} ", *wants)
                self.assertFalse(os.path.exists(self.build), "the build dir was written")
                if before is not None:
                    self.assertEqual(snapshot(kdir), before, "KDIR was written")

    def test_missing_kdir_is_one_line_error_naming_the_fix(self):
        self.assert_refused(os.path.join(self.tmp.name, "linux-6.12"), "does not exist", FIX)

    def test_kdir_of_linux_6_6_names_its_version_and_the_fix(self):
        kdir = fake_tree(os.path.join(self.tmp.name, "linux-6.6"), 6, 6, 30)
        self.assert_refused(kdir, "is Linux 6.6, need 6.12.y: ", FIX)

    def test_kdir_of_linux_6_1_and_7_0_are_refused(self):
        for v, p in ((6, 1), (7, 0)):
            kdir = fake_tree(os.path.join(self.tmp.name, f"linux-{v}.{p}"), v, p)
            self.assert_refused(kdir, f"is Linux {v}.{p}, need 6.12.y: ", FIX)

    def test_kdir_without_kernel_makefile_is_not_a_linux_tree(self):
        kdir = os.path.join(self.tmp.name, "project")
        os.makedirs(kdir)
        with open(os.path.join(kdir, "Makefile"), "w") as f:
            f.write("all:\n\ttouch touched\n")
        self.assert_refused(kdir, "is not a Linux source tree", FIX)

    def test_kdir_that_is_a_file_is_refused(self):
        kdir = os.path.join(self.tmp.name, "linux.tar.xz")
        with open(kdir, "w") as f:
            f.write("not a tree\n")
        self.assert_refused(kdir, "is not a directory", FIX)

    def test_kdir_of_6_12_without_its_scripts_is_incomplete(self):
        kdir = fake_tree(os.path.join(self.tmp.name, "linux-6.12"), 6, 12)
        os.remove(os.path.join(kdir, "scripts", "Makefile.build"))
        self.assert_refused(kdir, "is an incomplete Linux tree", FIX)

    def test_kdir_configured_in_place_names_mrproper(self):
        kdir = fake_tree(os.path.join(self.tmp.name, "linux-6.12"), 6, 12, 5)
        with open(os.path.join(kdir, ".config"), "w") as f:
            f.write("CONFIG_RUST=y\n")
        self.assert_refused(kdir, "configured in place", f"make -C {kdir} mrproper")

    def test_kdir_of_linux_6_12_passes_the_checks(self):
        # The control: the fake trees above are refused for what they lack,
        # not for being fake.
        kdir = fake_tree(os.path.join(self.tmp.name, "linux-6.12"), 6, 12, 117)
        before = snapshot(kdir)
        rc, out, err = run_lib('echo "kdir=$(kdir)"', {"KDIR": kdir, "BUILD": self.build})
        self.assertEqual((rc, err), (0, ""), out + err)
        self.assertEqual(out, f"kdir={kdir}\n")
        self.assertEqual(snapshot(kdir), before, "KDIR was written")


if __name__ == "__main__":
    unittest.main()
