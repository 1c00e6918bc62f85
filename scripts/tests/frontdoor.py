# SPDX-License-Identifier: GPL-2.0
"""What the host tests of the scripts' input checks share: running a script
with a time limit, snapshotting a user's tree, stub compilers and a PATH
without the real ones.

Every error at the front door (a wrong KDIR, M= or compiler) must be one
`error:` line on stderr naming the fix, a non-zero exit, and no change in
the user's trees."""

import atexit
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile

SCRIPTS = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TOP = os.path.dirname(SCRIPTS)

# What scripts/setup.sh would install with: a test whose check is broken
# must not reach the network or the system's packages.
INSTALLERS = {"apt-get", "apt", "dpkg", "dpkg-query", "sudo", "cargo", "rustup"}
# The names a stub toolchain replaces: none of the real ones is reachable.
TOOLCHAIN = INSTALLERS | {"rustc", "rustdoc", "rustfmt", "clippy-driver", "bindgen", "clang",
                          "ld.lld", "llvm-ar", "llvm-nm", "llvm-objdump"}

_safe_path = None


def safe_path():
    """The host's PATH (with cargo's bin directory) less the installers,
    made once per process."""
    global _safe_path
    if _safe_path is None:
        tmp = tempfile.mkdtemp(prefix="frontdoor-path-")
        atexit.register(shutil.rmtree, tmp, True)
        _safe_path = host_path(os.path.join(tmp, "bin"), without=INSTALLERS)
        os.makedirs(os.path.join(tmp, "cargo", "bin"))
    return _safe_path


def pinned():
    """(RUST_VERSION, BINDGEN_VERSION) of scripts/toolchain.conf."""
    with open(os.path.join(SCRIPTS, "toolchain.conf")) as f:
        conf = dict(re.findall(r"^([A-Z_]+)=(\S+)$", f.read(), re.M))
    return conf["RUST_VERSION"], conf["BINDGEN_VERSION"]


# Seconds a front-door script may take. It fails in well under one; the
# limit is generous because make test runs these tests beside the kernel
# build, which keeps both CPUs busy (scripts/run.sh).
TIMEOUT = 120


def run(script, env, *args, timeout=TIMEOUT):
    """Runs scripts/<script> with os.environ updated by env (a None value
    unsets); returns (rc, stdout, stderr).

    If the check under test were broken the script would go on to set up
    and build the kernel: the time limit stops that, with every process it
    started."""
    return _run([os.path.join(SCRIPTS, script), *args], env, timeout)


def run_lib(code, env, timeout=TIMEOUT):
    """Runs bash `code` after sourcing scripts/lib.sh, as run() does."""
    return _run(["bash", "-c", f'. "{SCRIPTS}/lib.sh"; {code}'], env, timeout)


def _run(argv, env, timeout):
    full = dict(os.environ)
    # The caller's own settings must not change what a test sees.
    for k in ("KDIR", "M", "LLVM_BIN", "LLVM_MAJOR", "RUSTC", "LIBCLANG_PATH", "EXTRA_CONFIG",
              "CLIPPY"):
        full.pop(k, None)
    # Past a broken check, scripts/tree.sh stops at once instead of
    # unpacking the kernel.
    full["TARBALL"] = os.path.join(os.path.dirname(safe_path()), "no-linux-source.tar.xz")
    # Unless the test chooses, no installer is on PATH, and lib.sh's
    # ${CARGO_HOME}/bin adds nothing.
    if "PATH" not in env:
        full["PATH"] = safe_path()
        full["CARGO_HOME"] = os.path.join(os.path.dirname(safe_path()), "cargo")
    for k, v in env.items():
        if v is None:
            full.pop(k, None)
        else:
            full[k] = v
    p = subprocess.Popen(argv, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        raise AssertionError(f"{argv[0]} with {env} did not stop at its input checks "
                             f"within {timeout}s:\n{out}{err}")
    return p.returncode, out, err


def snapshot(root):
    """Every path under root (root included) with its type, size and
    modification time: any file written, added or removed changes it."""
    snap = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [".", *dirnames, *filenames]:
            path = os.path.normpath(os.path.join(dirpath, name))
            st = os.lstat(path)
            snap[os.path.relpath(path, root)] = (stat.S_IFMT(st.st_mode), st.st_size,
                                                 st.st_mtime_ns)
    return snap


def stub(dirname, name, text, rc=0):
    """An executable `dirname/name` printing `text` whatever its arguments."""
    os.makedirs(dirname, exist_ok=True)
    path = os.path.join(dirname, name)
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\ncat <<'EOF'\n{text}\nEOF\nexit {rc}\n")
    os.chmod(path, 0o755)
    return path


def host_path(dirname, without=TOOLCHAIN):
    """A directory of links to every program on PATH (and in cargo's bin
    directory), except those named in `without`: a PATH on which the real
    compilers are missing but the shell's tools are not."""
    os.makedirs(dirname, exist_ok=True)
    cargo_bin = os.path.join(os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo")), "bin")
    seen = set(without)
    for d in [*os.environ.get("PATH", "").split(os.pathsep), cargo_bin]:
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for name in names:
            path = os.path.join(d, name)
            if name in seen or not os.access(path, os.X_OK) or os.path.isdir(path):
                continue
            seen.add(name)
            os.symlink(path, os.path.join(dirname, name))
    return dirname


def assert_one_line_error(test, rc, out, err, *wants):
    """rc is non-zero and stderr is one `error:` line holding each of wants."""
    test.assertNotEqual(rc, 0, out + err)
    lines = err.splitlines()
    test.assertEqual(len(lines), 1, f"want one line on stderr, got:\n{err}")
    test.assertTrue(lines[0].startswith("error: "), err)
    for want in wants:
        test.assertIn(want, lines[0])
