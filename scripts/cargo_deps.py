#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Builds the host-side crates of rust/Cargo.toml and lays them out for Kbuild.

Runs `cargo build` (offline, locked: scripts/setup.sh fetched the pinned
crates) with the kernel's rustc, then, in OUT:
  lib<name>.so          every proc-macro crate built (ours, `macros`, and
                        the ones `pinned-init` needs), copied only when
                        changed so that no-op builds rebuild nothing;
  pinned-init-src       a link to the fetched `pinned-init` source, which
                        rust/Makefile compiles for the kernel target.

Usage: cargo_deps.py WORKSPACE_MANIFEST TARGET_DIR OUT
"""

import filecmp
import json
import os
import shutil
import subprocess
import sys


def main():
    manifest, target_dir, out = sys.argv[1:4]
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir, RUSTFLAGS="")
    build = subprocess.run(
        ["cargo", "build", "--quiet", "--release", "--locked", "--offline",
         "--manifest-path", manifest, "--workspace", "--message-format=json-render-diagnostics"],
        env=env, stdout=subprocess.PIPE, text=True)
    if build.returncode != 0:
        return build.returncode
    for line in build.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") != "compiler-artifact" or "proc-macro" not in msg["target"]["kind"]:
            continue
        name = msg["target"]["name"].replace("-", "_")
        src = msg["filenames"][0]
        dst = os.path.join(out, f"lib{name}.so")
        if not os.path.exists(dst) or not filecmp.cmp(src, dst, shallow=False):
            shutil.copyfile(src, dst + ".tmp")
            os.replace(dst + ".tmp", dst)

    meta = subprocess.run(
        ["cargo", "metadata", "--format-version=1", "--locked", "--offline",
         "--manifest-path", manifest],
        env=env, stdout=subprocess.PIPE, text=True, check=True)
    for pkg in json.loads(meta.stdout)["packages"]:
        if pkg["name"] == "pinned-init":
            link = os.path.join(out, "pinned-init-src")
            want = os.path.dirname(pkg["manifest_path"])
            if os.path.realpath(link) != want:
                if os.path.lexists(link):
                    os.remove(link)
                os.symlink(want, link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
