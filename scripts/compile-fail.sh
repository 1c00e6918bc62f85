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
# All cases are objects of one external module, built by one `make -k -j1`:
# most of a case's cost was Kbuild reading the kernel's Makefiles, once per
# case. Run one at a time, each case's diagnostics follow its "RUSTC [M]"
# line in the log, up to the next case's.
#
# Prints one "ok NAME" / "not ok NAME: why" line per file.

. "$(dirname "$0")/lib.sh"

work=$BUILD/compile-fail
rm -rf "${work:?}"
mkdir -p "$work"
srcs=("$TOP"/scripts/compile-fail/*.rs)
objs=()
for src in "${srcs[@]}"; do
	name=$(basename "$src" .rs)
	cp "$src" "$work/cf_$name.rs"
	objs+=("cf_$name.o")
done
echo "obj-m := ${objs[*]}" >"$work/Kbuild"
# Fails (every case should): the verdict is per case, below.
make -k -j1 -C "$OBJ" M="$work" LLVM=1 "${objs[@]}" >"$work/log" 2>&1 || true

for src in "${srcs[@]}"; do
	name=$(basename "$src" .rs)
	want=$(sed -n 's|^// expect: ||p' "$src")
	# This case's part of the log.
	awk -v o="/cf_$name.o" '
		/^  [A-Z]+ +\[M\] / { mine = (substr($NF, length($NF) - length(o) + 1) == o) }
		mine' "$work/log" >"$work/$name.log"
	if [ -e "$work/cf_$name.o" ]; then
		echo "not ok compile-fail: $name compiled, but must not"
	elif [ ! -s "$work/$name.log" ]; then
		echo "not ok compile-fail: $name gave no result (see $work/log)"
	elif [ -z "$want" ]; then
		echo "not ok compile-fail: $name has no '// expect:' line"
	elif grep -qF -- "$want" "$work/$name.log"; then
		echo "ok compile-fail: $name is rejected ($want)"
	else
		echo "not ok compile-fail: $name failed without '$want' (see $work/$name.log)"
	fi
done
