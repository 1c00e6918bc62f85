#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make matrix`: the cross-language inlining checks on other configurations
# than the one `make test` boots. For each of scripts/config/hardened.config
# and kasan.config (or the one named by MATRIX=), builds the kernel in
# build/matrix-<name>/ (from the tree `make build` unpacked) and runs:
#   - make atomics-check (Rust atomics = the kernel's C atomics, 255/255),
#   - the rust_helper_ reference check (every helper inlined),
#   - make bench (Rust/C instruction counts of the call-site corpus).
# A cold build per configuration: minutes each, so not part of make test.
# Figures go to build/matrix-<name>/{atomics-check.txt,bench.txt}.

. "$(dirname "$0")/lib.sh"

configs=${MATRIX:-hardened kasan}
"$TOP/scripts/setup.sh"
"$TOP/scripts/tree.sh" >/dev/null
ktree=${KDIR:-$DEFAULT_KDIR}
failed=0
for c in $configs; do
	stage matrix "$c: build (build/matrix-$c/build.log)"
	if ! BUILD=$TOP/build/matrix-$c KDIR=$ktree EXTRA_CONFIG=$c "$TOP/scripts/build.sh" >/dev/null; then
		echo "matrix $c: build failed (see build/matrix-$c/build.log)"
		failed=1
		continue
	fi
	obj=$TOP/build/matrix-$c/obj
	if ! out=$(BUILD=$TOP/build/matrix-$c KDIR=$ktree "$TOP/scripts/atomics-check.sh" 2>&1); then
		failed=1
	fi
	echo "$out" | tail -2 | sed "s/^/matrix $c: /"
	refs=0
	for o in "$obj/rust/kernel.o" "$obj/rust/doctests_kernel_generated.o" $(find "$obj" -name '*.ko'); do
		n=$("$LLVM_BIN/llvm-nm" -u "$o" | grep -c ' rust_helper_' || true)
		refs=$((refs + n))
	done
	echo "matrix $c: rust_helper_ references: $refs"
	[ "$refs" = 0 ] || failed=1
	# The static counts (reported, not gated: KASAN's are above 1.00, see
	# memory-model.rst) and the timed copies' identity (gated).
	out=$(python3 "$TOP/scripts/bench.py" "$LLVM_BIN/llvm-objdump" "$obj/rust/bench/bench_c.o" \
		"$obj/rust/bench/bench_rs.o" "$obj/rust/helpers/helpers.o" "$TOP/build/matrix-$c/bench.txt") ||
		failed=1
	echo "$out" | grep '^bench: \(static\|the timed\)' | sed "s/^/matrix $c: /"
done
echo "matrix: $configs: $([ $failed = 0 ] && echo ok || echo FAILED)"
exit $failed
