#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Configures and builds the kernel with our rust/ tree, out of tree with
# LLVM=1, then any external module directory given as M=.
#
# Usage: scripts/build.sh [M=<dir>]

. "$(dirname "$0")/lib.sh"

EXTMOD=${M:-}
FRAGMENT=$TOP/scripts/config/base.config

"$TOP/scripts/tree.sh"

mkdir -p "$OBJ"
# Reconfigure when the fragment or our Kconfig files change, or on first use.
stamp=$OBJ/.rkal-config
want=$(cat "$FRAGMENT" "$TOP/Kconfig" "$TOP/drivers/Kconfig" "$TOP/samples/rust/Kconfig" | sha1sum | cut -d' ' -f1)
if [ ! -f "$OBJ/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	stage configure "allnoconfig + scripts/config/base.config"
	grep -v '^#' "$FRAGMENT" | grep . >"$OBJ/.rkal-fragment"
	kmake -s KCONFIG_ALLCONFIG="$OBJ/.rkal-fragment" allnoconfig >"$BUILD/configure.log" 2>&1 ||
		die "kernel configuration failed (see $BUILD/configure.log)"
	# Every requested option must have survived Kconfig's dependency checks.
	while read -r line; do
		if ! grep -qx "$line" "$OBJ/.config"; then
			if [ "$line" = CONFIG_RUST=y ]; then
				kmake -s rustavailable >&2 || true
				die "CONFIG_RUST could not be enabled: the Rust toolchain is not usable (see above); run: make setup"
			fi
			die "config option $line did not survive Kconfig; check its dependencies in scripts/config/base.config"
		fi
	done <"$OBJ/.rkal-fragment"
	echo "$want" >"$stamp"
else
	stage configure "up to date"
fi

# Rust is compiled through clippy-driver (same code, plus lints): a lint
# warning fails the build like any other warning. CLIPPY=0 turns it off.
CLIPPY=${CLIPPY:-1}
[ "$CLIPPY" = 0 ] && CLIPPY=
stage build "make LLVM=1${CLIPPY:+ CLIPPY=1} -j$JOBS (log: build/build.log)"
if ! kmake ${CLIPPY:+CLIPPY=1} all >"$BUILD/build.log" 2>&1; then
	{ grep -E 'error|Error|warning: unused' "$BUILD/build.log" | head -40 >&2; } || true
	die "kernel build failed (see $BUILD/build.log)"
fi
# Rust warnings are defects here: surface them even though the build passed.
if grep -E '^(warning|error)(\[|:)' "$BUILD/build.log" >/dev/null; then
	{ grep -E -A8 '^warning(\[|:)' "$BUILD/build.log" | head -60 >&2; } || true
	die "the build printed Rust warnings (see $BUILD/build.log)"
fi

if [ -n "$EXTMOD" ]; then
	ext=$(cd "$EXTMOD" 2>/dev/null && pwd) || die "M=$EXTMOD does not exist"
	stage build "external modules in $ext"
	make -C "$OBJ" M="$ext" LLVM=1 -j"$JOBS" modules >"$BUILD/extmod.log" 2>&1 ||
		{ tail -30 "$BUILD/extmod.log" >&2; die "external module build failed (see $BUILD/extmod.log)"; }
fi
