#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the prerequisites and installs what is missing. Idempotent: when
# everything is present it only checks. Any prerequisite that cannot be had
# ends the run with one line saying what is missing and how to fix it.

. "$(dirname "$0")/lib.sh"

stage setup "checking prerequisites"

check_rustc
LLVM_PACKAGES="clang-$LLVM_MAJOR lld-$LLVM_MAJOR llvm-$LLVM_MAJOR libclang-$LLVM_MAJOR-dev"
# A clang the user chose is checked before anything is installed.
[ -z "$LLVM_BIN_GIVEN" ] || check_clang "run: apt-get install $LLVM_PACKAGES"
PACKAGES="$LLVM_PACKAGES qemu-system-x86 busybox-static
flex bison bc libelf-dev libssl-dev cpio python3 gcc libc6-dev linux-source-6.12"

missing=()
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A user tree does not need the tarball.
if [ -n "${KDIR:-}" ]; then
	missing=("${missing[@]/linux-source-6.12/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		die "missing Debian packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}"
	fi
	stage setup "installing ${missing[*]}"
	# Refresh the package lists only when they are absent or a first try fails.
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$BUILD/apt.log" 2>&1; then
		apt-get update -q >>"$BUILD/apt.log" 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$BUILD/apt.log" 2>&1 ||
			die "apt-get could not install ${missing[*]} (see $BUILD/apt.log); run: apt-get update && apt-get install ${missing[*]}"
	fi
fi

command -v cargo >/dev/null || die "cargo not found; install rustup or Debian's cargo-web"

# The `core` library is compiled from source, so rust-src must be present.
sysroot=$(rustc --print sysroot)
if [ -z "${RUST_LIB_SRC:-}" ] && [ ! -d "$sysroot/lib/rustlib/src/rust/library/core" ]; then
	stage setup "adding rust-src"
	rustup component add rust-src >"$BUILD/rustup.log" 2>&1 ||
		die "rust-src is missing and rustup could not add it; run: rustup component add rust-src (or apt-get install rustc-web rust-web-src and set RUSTC=rustc-web RUST_LIB_SRC=/usr/src/rustc-*/library)"
fi

if ! command -v clippy-driver >/dev/null; then
	stage setup "adding clippy"
	rustup component add clippy >"$BUILD/rustup.log" 2>&1 ||
		die "clippy-driver is missing and rustup could not add it; run: rustup component add clippy (or build with CLIPPY=0)"
fi

if ! bindgen --version 2>/dev/null | grep -qx "bindgen $BINDGEN_VERSION"; then
	stage setup "installing bindgen-cli $BINDGEN_VERSION"
	cargo install --locked --version "$BINDGEN_VERSION" bindgen-cli >"$BUILD/bindgen.log" 2>&1 ||
		die "could not install bindgen (see $BUILD/bindgen.log); run: cargo install --locked --version $BINDGEN_VERSION bindgen-cli"
fi

# Host crates for the `macros` proc-macro crate, pinned by Cargo.lock.
stage setup "fetching pinned crates"
cargo fetch --locked --manifest-path "$TOP/rust/Cargo.toml" >"$BUILD/cargo-fetch.log" 2>&1 ||
	die "cargo could not fetch the pinned crates (see $BUILD/cargo-fetch.log); check access to crates.io"

# The whole kernel is built with the clang of rustc's LLVM.
check_clang "run: apt-get install $LLVM_PACKAGES"
[ -e "$LIBCLANG_PATH/libclang.so" ] || ls "$LIBCLANG_PATH"/libclang.so.* >/dev/null 2>&1 ||
	die "libclang not found in $LIBCLANG_PATH; run: apt-get install libclang-$LLVM_MAJOR-dev"
