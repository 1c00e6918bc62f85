# SPDX-License-Identifier: GPL-2.0
#
# Shared definitions for the scripts under scripts/. Sourced, never run.
#
# Every path the project uses is derived here, so the scripts agree on where
# the kernel tree, the object tree and the boot artefacts live.

set -euo pipefail

# Variables given to our top-level make (M=, KDIR=, ...) must not leak into
# the kernel's make through the environment.
unset MAKEFLAGS MAKELEVEL MFLAGS

# One progress line per stage.
stage() {
	printf '==> %-10s %s\n' "$1" "$2"
}

# A one-line error naming the fix, then exit non-zero.
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
# Source tree the kernel is configured from: a symlink farm over $KDIR in
# which our rust/, samples/rust/ and drivers/ take the place of the stock ones.
SRC=$BUILD/src
# Object tree (`O=`).
OBJ=$BUILD/obj
# Where the Debian tarball is unpacked when no KDIR is given.
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
DEFAULT_KDIR=$BUILD/linux-source-6.12

# rustup and cargo find their homes through HOME, which a bare CI
# environment may lack.
if [ -z "${HOME:-}" ]; then
	HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
	export HOME
fi

# The external module directory (Kbuild's M=), as an absolute path, or empty.
# Checked here, before anything is written, so a wrong M= stops every script
# with one line.
EXTMOD=
if [ -n "${M:-}" ]; then
	EXTMOD=$(cd "$M" 2>/dev/null && pwd) ||
		die "M=$M does not exist; point M at the directory holding your module's sources and its Kbuild"
	if [ ! -f "$EXTMOD/Kbuild" ] && [ ! -f "$EXTMOD/Makefile" ]; then
		src=$(cd "$EXTMOD" && ls -- *.rs *.c 2>/dev/null | grep -v '\.check\.c$' | head -1 || true)
		src=${src:-hello.rs}
		die "M=$M has no Kbuild or Makefile; add one naming your module, e.g.: echo 'obj-m := ${src%.*}.o' >$EXTMOD/Kbuild"
	fi
fi

mkdir -p "$BUILD"

. "$TOP/scripts/toolchain.conf"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# LLVM's major version as rustc reports it ("LLVM version: 22.1.2"); clang,
# lld, the LLVM tools and bindgen's libclang are that LLVM's.
LLVM_MAJOR=${LLVM_MAJOR:-$(${RUSTC:-rustc} -vV 2>/dev/null | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')}
LLVM_BIN=${LLVM_BIN:-/usr/lib/llvm-${LLVM_MAJOR:-none}/bin}
export PATH="$LLVM_BIN:$PATH"
# bindgen must load this libclang, not whichever is newest on the machine.
export LIBCLANG_PATH=${LIBCLANG_PATH:-$(dirname "$LLVM_BIN")/lib}

JOBS=${JOBS:-$(nproc)}

# The kernel tree in use: KDIR if given, else the unpacked tarball.
kdir() {
	if [ -n "${KDIR:-}" ]; then
		(cd "$KDIR" 2>/dev/null && pwd) || die "KDIR=$KDIR does not exist; point KDIR at a Linux 6.12.y source tree"
	else
		echo "$DEFAULT_KDIR"
	fi
}

# Arguments every kernel `make` invocation gets. A RUSTC/HOSTRUSTC from the
# environment (e.g. Debian's rustc-web) must reach the kernel's make on its
# command line, where the kernel's own assignment cannot override it.
kmake() {
	make -C "$SRC" O="$OBJ" LLVM=1 -j"$JOBS" ${RUSTC:+RUSTC="$RUSTC" HOSTRUSTC="$RUSTC"} "$@"
}
