#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile-fail checks: each scripts/compile-fail/<name>.rs must NOT build as
# a module against our kernel crate, with the error its `// expect:` line
# names. They show that misuse (a load with release ordering, arithmetic on
# an `Atomic<bool>`, ...) is a compile error. rustdoc's `compile_fail` cannot
# be used for this: the base kernel's doctest builder turns every doctest
# into a KUnit case.
#
# Prints one "ok NAME" / "not ok NAME: why" line per file.

. "$(dirname "$0")/lib.sh"

work=$BUILD/compile-fail
# One case: its result line goes to $work/<name>/result.
case_run() {
	local src=$1 name want
	name=$(basename "$src" .rs)
	want=$(sed -n 's|^// expect: ||p' "$src")
	rm -rf "${work:?}/$name"
	mkdir -p "$work/$name"
	cp "$src" "$work/$name/cf_$name.rs"
	echo "obj-m := cf_$name.o" >"$work/$name/Kbuild"
	if make -C "$OBJ" M="$work/$name" LLVM=1 "cf_$name.o" >"$work/$name/log" 2>&1; then
		echo "not ok compile-fail: $name compiled, but must not"
	elif grep -qF -- "$want" "$work/$name/log"; then
		echo "ok compile-fail: $name is rejected ($want)"
	else
		echo "not ok compile-fail: $name failed without '$want' (see $work/$name/log)"
	fi >"$work/$name/result"
}
# Two at a time (most of a case is make reading the kernel's Makefiles),
# reported in file order.
srcs=("$TOP"/scripts/compile-fail/*.rs)
for src in "${srcs[@]}"; do
	[ "$(jobs -rp | wc -l)" -lt "${JOBS:-2}" ] || wait -n
	case_run "$src" &
done
wait
for src in "${srcs[@]}"; do
	cat "$work/$(basename "$src" .rs)/result" 2>/dev/null ||
		echo "not ok compile-fail: $(basename "$src" .rs) gave no result"
done
