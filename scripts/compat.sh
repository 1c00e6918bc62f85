#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The compatibility contract: Rust code that ships inside Linux 6.12 must
# build unchanged against our crate. Each file below is taken from the
# kernel tree being built ($KDIR or the tarball), copied as is into a
# scratch directory and compiled as a module object with Kbuild's own
# rules. Prints one "ok"/"not ok" line per file.
#
# rnull.rs and the two PHY drivers are also built in the kernel build
# (CONFIG_BLK_DEV_RUST_NULL=m, CONFIG_AX88796B_RUST_PHY, CONFIG_AMCC_QT2025_PHY=m)
# and loaded at boot (scripts/checks/rnull.sh, scripts/checks/phy.sh).

. "$(dirname "$0")/lib.sh"

FILES="samples/rust/rust_minimal.rs samples/rust/rust_print.rs
mm/kasan/kasan_test_rust.rs drivers/gpu/drm/drm_panic_qr.rs drivers/block/rnull.rs
drivers/net/phy/ax88796b_rust.rs drivers/net/phy/qt2025.rs"

KTREE=$(kdir)
work=$BUILD/compat
# One file: its result line goes to $work/<name>/result.
compat_one() {
	local f=$1 name
	name=$(basename "$f" .rs)
	rm -rf "${work:?}/$name"
	mkdir -p "$work/$name"
	cp "$KTREE/$f" "$work/$name/"
	echo "obj-m := $name.o" >"$work/$name/Kbuild"
	if make -C "$OBJ" M="$work/$name" LLVM=1 "$name.o" >"$work/$name/log" 2>&1 &&
		! grep -q '^warning' "$work/$name/log"; then
		echo "ok compat: 6.12's $f builds unchanged"
	else
		echo "not ok compat: 6.12's $f does not build (see $work/$name/log)"
	fi >"$work/$name/result"
}
# Two at a time, reported in list order.
for f in $FILES; do
	[ "$(jobs -rp | wc -l)" -lt "${JOBS:-2}" ] || wait -n
	compat_one "$f" &
done
wait
for f in $FILES; do
	cat "$work/$(basename "$f" .rs)/result" 2>/dev/null ||
		echo "not ok compat: 6.12's $f gave no result"
done
