#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the external module directory given as M= against the kernel of
# build/obj (run by scripts/build.sh once that kernel is built), with the
# warning policy of our own tree: any rustc or clippy warning fails it.
#
# Kbuild writes a module's objects next to its sources. So that the M=
# directory is never written, the build happens in $EXTMOD_OBJ
# (build/extmod), a farm of symlinks to the directory's files; the .ko
# files scripts/qemu.sh boots are there.
#
# Usage: scripts/extmod.sh M=<dir>   (CLIPPY=0: plain rustc)

. "$(dirname "$0")/lib.sh"

[ -n "$EXTMOD" ] || die "no M= given; run: scripts/extmod.sh M=/path/to/module"
[ -f "$OBJ/Module.symvers" ] && [ -f "$OBJ/include/config/auto.conf" ] ||
	die "no built kernel in $OBJ to build M=$M against; run: make build"

CLIPPY=${CLIPPY:-1}
[ "$CLIPPY" = 0 ] && CLIPPY=

# Lays out $EXTMOD_OBJ: a symlink to each file of $EXTMOD, in the same
# subdirectories, for Kbuild to build in. Objects Kbuild left in $EXTMOD
# (an earlier in-place build) are not linked, so they are not mistaken for
# up to date; links to files since removed are dropped.
extmod_farm() {
	if [ "$(cat "$EXTMOD_OBJ/.rkal-src" 2>/dev/null)" != "$EXTMOD" ]; then
		rm -rf "$EXTMOD_OBJ"
		mkdir -p "$EXTMOD_OBJ"
		echo "$EXTMOD" >"$EXTMOD_OBJ/.rkal-src"
	fi
	find "$EXTMOD_OBJ" -xtype l -delete
	(cd "$EXTMOD" && find . -name .git -prune -o \( -type f -o -type l \) \
		! -name '*.o' ! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' ! -name '*.cmd' \
		! -name '*.a' ! -name '*.order' ! -name Module.symvers ! -name '.*.d' -print) |
		while IFS= read -r f; do
			mkdir -p "$EXTMOD_OBJ/$(dirname "$f")"
			ln -sfn "$EXTMOD/${f#./}" "$EXTMOD_OBJ/${f#./}"
		done
}

log=$BUILD/extmod.log
# Diagnostics name the user's files, not the farm's links to them.
user_diags() {
	first_diags "$@" 2>&1 | while IFS= read -r line; do
		printf '%s\n' "${line//"$EXTMOD_OBJ"/$EXTMOD}"
	done >&2
}
stage build "M=$EXTMOD${CLIPPY:+ CLIPPY=1} in ${EXTMOD_OBJ#$TOP/} (log: $log)"
extmod_farm
if ! kmake M="$EXTMOD_OBJ" ${CLIPPY:+CLIPPY=1} modules >"$log" 2>&1; then
	user_diags "$log" "$ERRORS"
	die "M=$EXTMOD does not build: fix the first errors above (full log: $log)"
fi
if grep -Eq "$RUST_DIAG" "$log"; then
	user_diags "$log" "$RUST_DIAG"
	# Kbuild would not recompile the unchanged source next time, and
	# the warning would pass unseen: drop the objects it wrote.
	kmake M="$EXTMOD_OBJ" clean >/dev/null 2>&1 || true
	die "M=$EXTMOD printed Rust warnings, which fail the build: fix them (above; full log: $log)"
fi
