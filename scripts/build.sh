#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Configures and builds the kernel with our rust/ tree, out of tree with
# LLVM=1, then any external module directory given as M=.
#
# Usage: scripts/build.sh [M=<dir>]

. "$(dirname "$0")/lib.sh"

FRAGMENT=$TOP/scripts/config/base.config
# `make matrix` adds a fragment of scripts/config/ (hardened, kasan).
EXTRA=${EXTRA_CONFIG:+$TOP/scripts/config/$EXTRA_CONFIG.config}
[ -z "$EXTRA" ] || [ -f "$EXTRA" ] || die "EXTRA_CONFIG=$EXTRA_CONFIG: no scripts/config/$EXTRA_CONFIG.config; use hardened or kasan"
# A missing or mismatched compiler stops here, with the fix, rather than in
# the middle of Kconfig (scripts/setup.sh installs them).
check_toolchain

"$TOP/scripts/tree.sh"

mkdir -p "$OBJ"
# Reconfigure when the fragment or our Kconfig files change, or on first use.
stamp=$OBJ/.rkal-config
# The compilers are part of the configuration (CONFIG_CC_VERSION_TEXT, ...).
want=$( { cat "$FRAGMENT" $EXTRA "$TOP/Kconfig" "$TOP/drivers/Kconfig" "$TOP/samples/rust/Kconfig"
	"$LLVM_BIN/clang" --version; ${RUSTC:-rustc} -V; } | sha1sum | cut -d' ' -f1)
if [ ! -f "$OBJ/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	stage configure "allnoconfig + scripts/config/base.config${EXTRA:+ + ${EXTRA#$TOP/}}"
	# A later fragment's line for an option replaces the earlier one
	# (CONFIG_X=n turns off what base.config turns on).
	cat "$FRAGMENT" $EXTRA | grep -v '^#' | grep . |
		awk -F= '!($1 in v) { k[n++] = $1 } { v[$1] = $0 } END { for (i = 0; i < n; i++) print v[k[i]] }' \
		>"$OBJ/.rkal-fragment"
	kmake -s KCONFIG_ALLCONFIG="$OBJ/.rkal-fragment" allnoconfig >"$BUILD/configure.log" 2>&1 ||
		die "kernel configuration failed (see $BUILD/configure.log)"
	# Every requested option must have survived Kconfig's dependency checks.
	while read -r line; do
		if [ "${line%=n}" != "$line" ]; then
			# Off: Kconfig writes "# CONFIG_X is not set", or nothing.
			grep -q "^${line%=n}=" "$OBJ/.config" || continue
		elif grep -qx "$line" "$OBJ/.config"; then
			continue
		fi
		if [ "$line" = CONFIG_RUST=y ]; then
			kmake -s rustavailable >&2 || true
			die "CONFIG_RUST could not be enabled: the Rust toolchain is not usable (see above); run: make setup"
		fi
		die "config option $line did not survive Kconfig; check its dependencies in scripts/config/"
	done <"$OBJ/.rkal-fragment"
	echo "$want" >"$stamp"
else
	stage configure "up to date"
fi

# Rust is compiled through clippy-driver (same code, plus lints): a lint
# warning fails the build like any other warning. CLIPPY=0 turns it off.
# External modules get the same policy.
CLIPPY=${CLIPPY:-1}
[ "$CLIPPY" = 0 ] && CLIPPY=
stage build "make LLVM=1${CLIPPY:+ CLIPPY=1} -j$JOBS (log: $BUILD/build.log)"
# vmlinux, not bzImage: QEMU boots it through its PVH entry (CONFIG_PVH).
if ! kmake ${CLIPPY:+CLIPPY=1} vmlinux modules >"$BUILD/build.log" 2>&1; then
	first_diags "$BUILD/build.log" "$ERRORS"
	die "kernel build failed (first errors above; full log: $BUILD/build.log)"
fi
if grep -Eq "$RUST_DIAG" "$BUILD/build.log"; then
	first_diags "$BUILD/build.log" "$RUST_DIAG"
	die "the build printed Rust warnings (above; full log: $BUILD/build.log)"
fi

# The external modules, against the kernel just built.
[ -z "$EXTMOD" ] || CLIPPY=${CLIPPY:-0} "$TOP/scripts/extmod.sh"
