#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Lays out the source tree the kernel is built from.
#
# $SRC is a farm of symlinks over the stock tree ($KDIR, or the Debian tarball
# unpacked into the build folder), so the stock tree is never modified. In the
# farm:
#   rust/          -> our rust/
#   samples/rust/  -> our samples/rust/
#   drivers/rkal/  -> our drivers/, hooked into drivers/Kconfig and drivers/Makefile
#   rkal.Kconfig   -> our top-level Kconfig, sourced from the tree's Kconfig
#   rkal-scripts/  -> our scripts/ (generators run by rust/Makefile)
# Everything else points into the stock tree.

. "$(dirname "$0")/lib.sh"

KTREE=$(kdir)

if [ -z "${KDIR:-}" ] && [ ! -f "$KTREE/Makefile" ]; then
	stage extract "unpacking $(basename "$TARBALL")"
	[ -f "$TARBALL" ] || die "$TARBALL not found; run: apt-get install linux-source-6.12 (or set KDIR=/path/to/linux-6.12.y)"
	rm -rf "$KTREE.tmp"
	mkdir -p "$KTREE.tmp"
	tar -xf "$TARBALL" -C "$KTREE.tmp" --strip-components=1
	mv "$KTREE.tmp" "$KTREE"
else
	stage extract "using $KTREE"
fi

[ -f "$KTREE/Makefile" ] && [ -f "$KTREE/scripts/Makefile.build" ] ||
	die "KDIR=$KTREE is not a kernel source tree; point KDIR at a Linux 6.12.y tree"
version=$(make -s -C "$KTREE" kernelversion 2>/dev/null || true)
case "$version" in
	6.12|6.12.*) ;;
	*) die "KDIR=$KTREE is Linux '${version:-unknown}', not 6.12.y; point KDIR at a Linux 6.12.y tree" ;;
esac
[ -f "$KTREE/.config" ] && die "KDIR=$KTREE has a .config; run 'make mrproper' there, the build happens out of tree"

# Rebuild the farm only when the stock tree changes; the symlinks into our
# repo make edits visible without re-linking.
if [ "$(cat "$SRC/.kdir" 2>/dev/null)" != "$KTREE" ]; then
	rm -rf "$SRC"
	mkdir -p "$SRC"
	for e in "$KTREE"/* "$KTREE"/.[!.]*; do
		[ -e "$e" ] || continue
		ln -s "$e" "$SRC/$(basename "$e")"
	done
	# Directories in which we replace or add entries become real directories.
	for d in samples drivers; do
		rm "$SRC/$d"
		mkdir "$SRC/$d"
		for e in "$KTREE/$d"/*; do
			ln -s "$e" "$SRC/$d/$(basename "$e")"
		done
	done
	rm "$SRC/rust" "$SRC/samples/rust" "$SRC/Kconfig" "$SRC/drivers/Kconfig" "$SRC/drivers/Makefile"
	{ cat "$KTREE/Kconfig"; echo 'source "rkal.Kconfig"'; } >"$SRC/Kconfig"
	sed 's|^endmenu|source "drivers/rkal/Kconfig"\n\nendmenu|' "$KTREE/drivers/Kconfig" >"$SRC/drivers/Kconfig"
	{ cat "$KTREE/drivers/Makefile"; echo 'obj-$(CONFIG_RUST) += rkal/'; } >"$SRC/drivers/Makefile"
	echo "$KTREE" >"$SRC/.kdir"
fi

# Our entries, (re)made every time so that a moved checkout stays linked.
ln -sfn "$TOP/rust" "$SRC/rust"
ln -sfn "$TOP/samples/rust" "$SRC/samples/rust"
ln -sfn "$TOP/drivers" "$SRC/drivers/rkal"
ln -sfn "$TOP/Kconfig" "$SRC/rkal.Kconfig"
ln -sfn "$TOP/scripts" "$SRC/rkal-scripts"
