# SPDX-License-Identifier: GPL-2.0
"""Host tests of the M= checks: a wrong external module directory stops
`make run`/`make test`/`make build` with one line naming the fix, before
anything is written (scripts/lib.sh; no kernel needed), and a module that
does not compile stops scripts/extmod.sh with the compiler's errors and one
line, leaving the directory as it was (needs the kernel built in build/obj;
skipped, saying so, without one)."""

import os
import tempfile
import unittest

from frontdoor import TOP, assert_one_line_error, run, snapshot

OBJ = os.path.join(TOP, "build", "obj")
SRC = os.path.join(TOP, "build", "src")
BUILT = all(os.path.exists(os.path.join(OBJ, f))
            for f in ("vmlinux", "Module.symvers", "include/config/auto.conf",
                      "rust/libkernel.rmeta")) and os.path.isdir(SRC)
NEEDS_KERNEL = unittest.skipUnless(BUILT, f"needs a built kernel in {OBJ} (run: make build)")

HELLO_RS = """// SPDX-License-Identifier: GPL-2.0
//! A module that loads.
use kernel::prelude::*;

module! {
    type: Hello,
    name: "hello",
    author: "rkal",
    description: "hello",
    license: "GPL",
}

struct Hello;

impl kernel::Module for Hello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("hello\\n");
        Ok(Hello)
    }
}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class ExtmodTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")

    def tearDown(self):
        self.tmp.cleanup()

    def assert_refused(self, m, want, *entry_points):
        before = snapshot(m) if os.path.exists(m) else None
        for script, *args in entry_points:
            with self.subTest(script=script, args=args):
                rc, out, err = run(script, {"M": m, "BUILD": self.build}, *args)
                assert_one_line_error(self, rc, out, err, f"error: M={m} {want}; ")
                self.assertFalse(os.path.exists(self.build), "the build dir was written")
                if before is not None:
                    self.assertEqual(snapshot(m), before, "the M= dir was written")
        return err

    def test_missing_dir_is_one_line_error(self):
        m = os.path.join(self.tmp.name, "nonexistent")
        self.assert_refused(m, "does not exist", ("run.sh", "run"), ("run.sh", "test"),
                            ("build.sh",), ("setup.sh",), ("extmod.sh",))

    def test_dir_without_kbuild_is_one_line_error_naming_the_fix(self):
        m = os.path.join(self.tmp.name, "greeter")
        write(os.path.join(m, "greeter.rs"), "// a module\n")
        err = self.assert_refused(m, "has no Kbuild or Makefile", ("run.sh", "run"),
                                  ("build.sh",), ("extmod.sh",))
        self.assertIn(f"echo 'obj-m := greeter.o' >{m}/Kbuild", err)

    # scripts/extmod.sh against a stand-in for the kernel: its Makefile's
    # `modules` runs `recipe` (with $(M) the farm) instead of Kbuild.
    def fake_kernel(self, recipe):
        os.makedirs(os.path.join(self.build, "obj", "include", "config"))
        for f in ("obj/Module.symvers", "obj/include/config/auto.conf"):
            write(os.path.join(self.build, f), "")
        write(os.path.join(self.build, "src", "Makefile"), f"modules:\n\t{recipe}\n")

    def test_farm_links_the_sources_only_and_follows_the_dir(self):
        m = os.path.join(self.tmp.name, "hello")
        for f in ("hello.rs", "Kbuild", "sub/helper.rs", "sub/Kbuild", "hello.expect"):
            write(os.path.join(m, f), "source\n")
        # Left by an earlier in-place build.
        for f in ("stale.ko", "hello.o", ".hello.o.cmd", "hello.mod", "hello.mod.c",
                  "modules.order", "Module.symvers", "sub/helper.o", "sub/.helper.o.d"):
            write(os.path.join(m, f), "stale\n")
        self.fake_kernel("@test -L $(M)/hello.rs")
        farm = os.path.join(self.build, "extmod")

        def links():
            return sorted(os.path.relpath(os.path.join(d, f), farm)
                          for d, _, fs in os.walk(farm) for f in fs
                          if os.path.islink(os.path.join(d, f)))

        before = snapshot(m)
        rc, out, err = run("extmod.sh", {"M": m, "BUILD": self.build})
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(snapshot(m), before, "the M= dir was written")
        self.assertEqual(links(), ["Kbuild", "hello.expect", "hello.rs", "sub/Kbuild",
                                   "sub/helper.rs"])
        # A file removed from the directory leaves the farm too.
        os.remove(os.path.join(m, "sub", "helper.rs"))
        rc, out, err = run("extmod.sh", {"M": m, "BUILD": self.build})
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(links(), ["Kbuild", "hello.expect", "hello.rs", "sub/Kbuild"])

    def test_compile_error_is_shown_with_the_users_paths_then_one_line(self):
        m = os.path.join(self.tmp.name, "hello")
        write(os.path.join(m, "hello.rs"), "source\n")
        write(os.path.join(m, "Kbuild"), "obj-m := hello.o\n")
        self.fake_kernel("@printf 'error[E0425]: cannot find value `Helo` in this scope\\n"
                         "  --> %s/hello.rs:18:12\\n\\n' $(M); exit 2")
        before = snapshot(m)
        rc, out, err = run("extmod.sh", {"M": m, "BUILD": self.build})
        self.assertEqual(snapshot(m), before, "the M= dir was written")
        self.assertNotEqual(rc, 0, out + err)
        lines = err.splitlines()
        self.assertIn(f"  --> {m}/hello.rs:18:12", lines)
        self.assertEqual([l for l in lines if l.startswith("error: M=")], lines[-1:], err)
        self.assertTrue(lines[-1].startswith(
            f"error: M={m} does not build: fix the first errors above (full log: "), err)

    def test_no_built_kernel_is_one_line_error(self):
        m = os.path.join(self.tmp.name, "hello")
        write(os.path.join(m, "Kbuild"), "obj-m := hello.o\n")
        before = snapshot(m)
        rc, out, err = run("extmod.sh", {"M": m, "BUILD": self.build})
        assert_one_line_error(self, rc, out, err, f"no built kernel in {self.build}/obj",
                              "run: make build")
        self.assertEqual(snapshot(m), before, "the M= dir was written")

    # A module that does not compile, built against the kernel of build/obj
    # (scripts/build.sh runs scripts/extmod.sh once that kernel is built;
    # this test does not rebuild it). BUILD is a temporary directory whose
    # src and obj are the real ones, so the farm and logs go there.
    def extmod(self, m):
        os.makedirs(self.build)
        os.symlink(SRC, os.path.join(self.build, "src"))
        os.symlink(OBJ, os.path.join(self.build, "obj"))
        before = snapshot(m)
        rc, out, err = run("extmod.sh", {"M": m, "BUILD": self.build}, timeout=300)
        self.assertEqual(snapshot(m), before, "the M= dir was written")
        return rc, out, err

    def assert_compile_error(self, m, where):
        rc, out, err = self.extmod(m)
        self.assertNotEqual(rc, 0, out + err)
        lines = err.splitlines()
        # The compiler's first error, naming the user's file (not the
        # farm's link to it), then one line of ours naming the log.
        self.assertIn(where, err)
        self.assertNotIn(os.path.join(self.build, "extmod") + "/", "\n".join(lines[:-1]))
        self.assertEqual([l for l in lines if l.startswith("error: M=")], lines[-1:], err)
        self.assertTrue(lines[-1].startswith(
            f"error: M={m} does not build: fix the first errors above (full log: "), err)

    @NEEDS_KERNEL
    def test_rust_module_with_compile_error_writes_nothing_in_its_dir(self):
        m = os.path.join(self.tmp.name, "hello")
        write(os.path.join(m, "hello.rs"), HELLO_RS.replace("Ok(Hello)", "Ok(Helo)"))
        write(os.path.join(m, "Kbuild"), "obj-m := hello.o\n")
        self.assert_compile_error(m, f"{m}/hello.rs:18:")

    @NEEDS_KERNEL
    def test_c_module_with_compile_error_writes_nothing_in_its_dir(self):
        m = os.path.join(self.tmp.name, "hello_c")
        write(os.path.join(m, "hello_c.c"), "// SPDX-License-Identifier: GPL-2.0\n"
              "#include <linux/module.h>\nstatic int __init hello_init(void)\n"
              "{\n\treturn undeclared_value;\n}\nmodule_init(hello_init);\n"
              "MODULE_LICENSE(\"GPL\");\n")
        write(os.path.join(m, "Makefile"), "obj-m := hello_c.o\n")
        self.assert_compile_error(m, f"{m}/hello_c.c:5:")

    @NEEDS_KERNEL
    def test_module_that_builds_leaves_its_dir_as_it_was(self):
        # The control: the farm builds a good module, in a subdirectory too,
        # and the .ko files land in build/extmod.
        m = os.path.join(self.tmp.name, "hello")
        write(os.path.join(m, "hello.rs"), HELLO_RS)
        write(os.path.join(m, "sub", "hello_sub.rs"),
              HELLO_RS.replace("Hello", "HelloSub").replace('"hello"', '"hello_sub"'))
        write(os.path.join(m, "sub", "Kbuild"), "obj-m := hello_sub.o\n")
        write(os.path.join(m, "Kbuild"), "obj-m := hello.o sub/\n")
        # Left by an earlier in-place build: not to be booted, nor taken
        # for up to date.
        write(os.path.join(m, "stale.ko"), "not a module\n")
        write(os.path.join(m, "sub", "hello_sub.o"), "not an object\n")
        rc, out, err = self.extmod(m)
        self.assertEqual(rc, 0, out + err)
        farm = os.path.join(self.build, "extmod")
        for ko in ("hello.ko", "sub/hello_sub.ko"):
            self.assertTrue(os.path.isfile(os.path.join(farm, ko)), ko)
            self.assertFalse(os.path.islink(os.path.join(farm, ko)), ko)
        self.assertFalse(os.path.lexists(os.path.join(farm, "stale.ko")))


if __name__ == "__main__":
    unittest.main()
