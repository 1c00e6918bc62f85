# SPDX-License-Identifier: GPL-2.0
"""Host tests of the toolchain checks of scripts/lib.sh, run by
scripts/setup.sh (which would install what it can) and scripts/build.sh
(which installs nothing): a compiler missing from PATH, a rustc other than
the pinned one, a clang whose LLVM is not rustc's or a bindgen other than
the pinned one stops them with one line naming the fix.

Stub compilers stand in for every real one, on a PATH that holds the host's
other tools: the tests do not depend on the toolchain installed, and stop
before anything would be installed or built."""

import os
import tempfile
import unittest

from frontdoor import assert_one_line_error, host_path, pinned, run, run_lib, stub

RUST_VERSION, BINDGEN_VERSION = pinned()
LLVM = 22


class ToolchainTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")
        self.stubs = os.path.join(self.tmp.name, "stubs")
        self.llvm_bin = os.path.join(self.tmp.name, f"llvm-{LLVM}", "bin")
        os.makedirs(self.llvm_bin)
        self.path = host_path(os.path.join(self.tmp.name, "host"))

    def tearDown(self):
        self.tmp.cleanup()

    def rustc(self, version=RUST_VERSION, llvm=LLVM):
        stub(self.stubs, "rustc", f"rustc {version} (0123456789 2026-01-01)\nbinary: rustc\n"
             f"release: {version}\nLLVM version: {llvm}.1.2")

    def clang(self, major=LLVM):
        stub(self.llvm_bin, "clang", f"Debian clang version {major}.1.2 (++20260101)\n"
             "Target: x86_64-pc-linux-gnu")

    def bindgen(self, version=BINDGEN_VERSION):
        stub(self.stubs, "bindgen", f"bindgen {version}")

    def env(self, **extra):
        # An empty cargo home keeps ~/.cargo/bin off the PATH lib.sh makes.
        env = {"PATH": f"{self.stubs}:{self.path}", "CARGO_HOME": os.path.join(self.tmp.name, "cargo"),
               "BUILD": self.build, "LLVM_BIN": self.llvm_bin}
        env.update(extra)
        return env

    def assert_refused(self, scripts, env, *wants):
        for script in scripts:
            with self.subTest(script=script):
                rc, out, err = run(script, env)
                assert_one_line_error(self, rc, out, err, *wants)

    def test_stub_toolchain_passes_the_checks(self):
        # The control: each test below breaks one thing of this toolchain.
        self.rustc()
        self.clang()
        self.bindgen()
        rc, out, err = run_lib("check_toolchain && echo LLVM $LLVM_MAJOR", self.env())
        self.assertEqual((rc, err, out), (0, "", f"LLVM {LLVM}\n"))

    def test_rustc_missing_from_path_names_rustup(self):
        self.clang()
        self.bindgen()
        self.assert_refused(("setup.sh", "build.sh"), self.env(), "error: rustc not found; ",
                            f"rustup toolchain install {RUST_VERSION}")

    def test_other_rustc_than_pinned_is_refused(self):
        self.rustc(version="1.80.0", llvm=18)
        self.clang(18)
        self.bindgen()
        self.assert_refused(("setup.sh", "build.sh"), self.env(),
                            f"rustc 1.80.0 found, this tree is pinned to {RUST_VERSION}",
                            f"rustup default {RUST_VERSION}")

    def test_rustc_without_llvm_version_is_refused(self):
        stub(self.stubs, "rustc", f"rustc {RUST_VERSION} (0123456789 2026-01-01)")
        self.clang()
        self.bindgen()
        self.assert_refused(("setup.sh", "build.sh"), self.env(),
                            "could not read LLVM's version", f"rustup toolchain install {RUST_VERSION}")

    def test_clang_missing_from_llvm_bin_is_refused(self):
        self.rustc()
        self.bindgen()
        self.assert_refused(("setup.sh", "build.sh"), self.env(),
                            f"clang not found in {self.llvm_bin} (rustc's LLVM is {LLVM}); ",
                            f"point LLVM_BIN at LLVM {LLVM}'s bin directory or unset it")

    def test_clang_of_rustcs_llvm_not_installed_names_make_setup(self):
        # No LLVM_BIN: scripts/build.sh looks where Debian installs clang-99.
        # (scripts/setup.sh would install it, so it is not run here.)
        self.rustc(llvm=99)
        self.bindgen()
        self.assert_refused(("build.sh",), self.env(LLVM_BIN=None),
                            "clang not found in /usr/lib/llvm-99/bin (rustc's LLVM is 99); ",
                            "run: make setup (installs clang-99)")

    def test_clang_of_another_llvm_is_refused(self):
        self.rustc()
        self.clang(19)
        self.bindgen()
        self.assert_refused(("setup.sh", "build.sh"), self.env(),
                            f"clang 19 in {self.llvm_bin} does not match rustc's LLVM {LLVM}; ",
                            f"point LLVM_BIN at LLVM {LLVM}'s bin directory or unset it")

    def test_bindgen_missing_from_path_is_refused(self):
        # scripts/setup.sh would install it: scripts/build.sh must not go on
        # without it.
        self.rustc()
        self.clang()
        self.assert_refused(("build.sh",), self.env(), "error: bindgen not found; run: make setup",
                            f"cargo install --locked --version {BINDGEN_VERSION} bindgen-cli")

    def test_other_bindgen_than_pinned_is_refused(self):
        self.rustc()
        self.clang()
        self.bindgen("0.69.4")
        self.assert_refused(("build.sh",), self.env(),
                            f"bindgen 0.69.4 found, this tree is pinned to {BINDGEN_VERSION}; ",
                            "run: make setup")


if __name__ == "__main__":
    unittest.main()
