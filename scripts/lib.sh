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

# Kbuild writes a module's objects next to its sources. So that the M=
# directory is never written, scripts/extmod.sh builds it from a farm of
# symlinks to its files here, where the objects and .ko files go.
EXTMOD_OBJ=$BUILD/extmod

# "6.12" from the VERSION and PATCHLEVEL lines of tree $1's Makefile, or
# nothing when it has none. Read, not run: a make in the tree could write.
kernel_version() {
	awk -F= '{ gsub(/[ \t]/, "", $1); gsub(/[ \t]/, "", $2) }
		$1 == "VERSION" && v == "" { v = $2 }
		$1 == "PATCHLEVEL" && p == "" { p = $2 }
		END { if (v ~ /^[0-9]+$/ && p ~ /^[0-9]+$/) print v "." p }' "$1/Makefile" 2>/dev/null || true
}

# KDIR, checked like M= before anything is written. A tree that is not
# 6.12, not a kernel tree at all, or configured in place (an out-of-tree
# build needs a clean source tree) stops every script with one line.
if [ -n "${KDIR:-}" ]; then
	fix="point KDIR at a Linux 6.12.y source tree or omit it to use linux-source-6.12"
	[ -e "$KDIR" ] || die "KDIR=$KDIR does not exist; $fix"
	[ -d "$KDIR" ] || die "KDIR=$KDIR is not a directory; $fix"
	kv=$(kernel_version "$KDIR")
	case "$kv" in
		6.12) ;;
		*.*) die "KDIR=$KDIR is Linux $kv, need 6.12.y: $fix" ;;
		*) die "KDIR=$KDIR is not a Linux source tree (no VERSION/PATCHLEVEL in its Makefile); $fix" ;;
	esac
	[ -f "$KDIR/scripts/Makefile.build" ] && [ -f "$KDIR/Kconfig" ] ||
		die "KDIR=$KDIR is an incomplete Linux tree (no scripts/Makefile.build or Kconfig); $fix"
	[ ! -e "$KDIR/.config" ] ||
		die "KDIR=$KDIR is configured in place (has a .config); run 'make -C $KDIR mrproper', the build happens out of tree"
	unset fix kv
fi

mkdir -p "$BUILD"

. "$TOP/scripts/toolchain.conf"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# LLVM's major version as rustc reports it ("LLVM version: 22.1.2"); clang,
# lld, the LLVM tools and bindgen's libclang are that LLVM's.
# A missing rustc leaves it empty: check_rustc says so.
LLVM_MAJOR=${LLVM_MAJOR:-$( (${RUSTC:-rustc} -vV 2>/dev/null || true) | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')}
# LLVM_BIN given by the user, as opposed to derived from rustc's LLVM.
LLVM_BIN_GIVEN=${LLVM_BIN:+1}
LLVM_BIN=${LLVM_BIN:-/usr/lib/llvm-${LLVM_MAJOR:-none}/bin}
export PATH="$LLVM_BIN:$PATH"
# bindgen must load this libclang, not whichever is newest on the machine.
export LIBCLANG_PATH=${LIBCLANG_PATH:-$(dirname "$LLVM_BIN")/lib}

JOBS=${JOBS:-$(nproc)}

# rustc is there, is the pinned version, and says which LLVM it is built on.
check_rustc() {
	local rustc=${RUSTC:-rustc} v
	command -v "$rustc" >/dev/null ||
		die "$rustc not found; install rustup (https://rustup.rs) and run: rustup toolchain install $RUST_VERSION --component rust-src clippy rustfmt"
	v=$( ("$rustc" -V 2>/dev/null || true) | head -1 | cut -d' ' -f2)
	[ "$v" = "$RUST_VERSION" ] ||
		die "rustc ${v:-(unknown version)} found, this tree is pinned to $RUST_VERSION (scripts/toolchain.conf); run: rustup default $RUST_VERSION"
	[ -n "$LLVM_MAJOR" ] || die "could not read LLVM's version from '$rustc -vV'; reinstall the toolchain: rustup toolchain install $RUST_VERSION"
}

# clang in $LLVM_BIN is there and of rustc's LLVM. $1: how to get it.
check_clang() {
	local fix=$1 major
	if [ -n "$LLVM_BIN_GIVEN" ]; then
		fix="point LLVM_BIN at LLVM $LLVM_MAJOR's bin directory or unset it"
	fi
	[ -x "$LLVM_BIN/clang" ] || die "clang not found in $LLVM_BIN (rustc's LLVM is $LLVM_MAJOR); $fix"
	major=$( ("$LLVM_BIN/clang" --version 2>/dev/null || true) | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
	[ "$major" = "$LLVM_MAJOR" ] ||
		die "clang ${major:-(unknown version)} in $LLVM_BIN does not match rustc's LLVM $LLVM_MAJOR; $fix"
}

# The toolchain scripts/setup.sh installs, checked without installing
# anything: scripts/build.sh stops here with one line, not in the middle of
# the kernel's configuration.
check_toolchain() {
	local v
	check_rustc
	check_clang "run: make setup (installs clang-$LLVM_MAJOR)"
	command -v bindgen >/dev/null ||
		die "bindgen not found; run: make setup (or: cargo install --locked --version $BINDGEN_VERSION bindgen-cli)"
	v=$( (bindgen --version 2>/dev/null || true) | sed -n 's/^bindgen \([^ ]*\).*/\1/p')
	[ "$v" = "$BINDGEN_VERSION" ] ||
		die "bindgen ${v:-(unknown version)} found, this tree is pinned to $BINDGEN_VERSION; run: make setup (or: cargo install --locked --version $BINDGEN_VERSION bindgen-cli)"
}

# Compiler diagnostics: rustc and clippy start a line with "error:" or
# "warning:" (maybe with a code, "error[E0425]:"), C compilers after
# "file:line:col: ". Make and modpost add "*** ... Error" and "ERROR:".
ERRORS='(^|: )(fatal error|error)(\[[^]]*\])?: |^ERROR: |\*\*\* '
RUST_DIAG='^(error|warning)(\[[^]]*\])?: '

# Prints the first diagnostics of log $1 matching pattern $2 as the compiler
# printed them: each with the lines that follow it (where, the source
# excerpt, notes) up to a blank line or make's own output. The log's last
# lines when none match.
first_diags() {
	if grep -Eq "$2" "$1"; then
		{ PAT=$2 awk '
			BEGIN { pat = ENVIRON["PAT"] }
			$0 ~ pat { on = 1 }
			on && $0 !~ pat && ($0 == "" || /^make(\[[0-9]+\])?: / || /^  [A-Z]+ /) { on = 0; print "" }
			on { print }
		' "$1" | head -40 >&2; } || true
	else
		tail -20 "$1" >&2
	fi
}

# The kernel tree in use: KDIR if given, else the unpacked tarball.
kdir() {
	if [ -n "${KDIR:-}" ]; then
		(cd "$KDIR" && pwd)
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
