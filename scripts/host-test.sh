#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks, in two phases.
#
#   early: what needs only our sources and the pinned crates
#     - `cargo test` of the macros crate (module! parsing and expansion),
#     - the unit tests of the verdict, of the scripts' input checks
#       (KDIR, compilers) and of make bench's judgement (scripts/tests/),
#     - rustfmt --check over every Rust file of ours,
#     - source rules: no `core::sync::atomic` in our crates (the kernel's
#       memory model is LKMM, see Documentation/rust/memory-model.rst).
#   late: what needs the kernel tree and the kernel built in build/obj
#     - the unit tests of M= builds and of the litmus generator,
#     - make atomics-check (Rust atomics are C's instructions),
#     - no Rust object calls a C helper out of line,
#     - Linux 6.12's in-tree Rust code built against our crate (compat.sh),
#     - compile-fail cases (scripts/compile-fail/),
#     - the memory-model page's table against the generated API.
#
# `make host-test` runs both, in order. `make test` (scripts/run.sh) runs
# the early phase in the background while the kernel tree is unpacked and
# built, and the late one after the build.
# A phase writes one "ok NAME" / "not ok NAME" line per check to
# build/host-results-PHASE.txt, which scripts/verdict.py merges into the
# verdict, and fails if any is "not ok".
#
# Usage: scripts/host-test.sh [early|late|all]

. "$(dirname "$0")/lib.sh"

PHASE=${1:-all}
case $PHASE in
early | late) ;;
all)
	rc=0
	"$0" early || rc=1
	"$0" late || rc=1
	exit $rc
	;;
*) die "scripts/host-test.sh $PHASE: use early, late or all" ;;
esac

OUT=$BUILD/host-results-$PHASE.txt
: >"$OUT"

# The unit tests of scripts/tests/test_NAME.py for each NAME of "$1",
# reported as NAME::test_...; a skipped test (one that needs the kernel of
# build/obj when there is none) is a "# skip" comment, counted neither way.
unit_tests() {
	local log=$BUILD/unittest-$PHASE.log u
	(cd "$TOP/scripts/tests" && python3 -m unittest -v $(printf 'test_%s.py ' $1)) >"$log" 2>&1 ||
		echo "not ok scripts/tests: unittest failed (see $log)" >>"$OUT"
	sed -n 's/^\(test_[a-z0-9_]*\) (test_\([a-z_]*\)\..* \.\.\. ok$/ok \2::\1/p
		s/^\(test_[a-z0-9_]*\) (test_\([a-z_]*\)\..* \.\.\. \(FAIL\|ERROR\)$/not ok \2::\1/p
		s/^\(test_[a-z0-9_]*\) (test_\([a-z_]*\)\..* \.\.\. skipped \(.*\)$/# skip \2::\1: \3/p' "$log" >>"$OUT"
	for u in $1; do
		grep -q "^\(not \)\?ok $u::" "$OUT" || echo "not ok $u: its unit tests did not run" >>"$OUT"
	done
}

early() {
	# Each cargo test becomes one result line (libtest's JSON output).
	RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$BUILD/host-target cargo test --locked --offline \
		--manifest-path "$TOP/rust/Cargo.toml" -p macros --lib -- -Z unstable-options \
		--format=json 2>"$BUILD/cargo-test.log" |
		python3 -c '
import json, sys
for line in sys.stdin:
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("type") == "test" and e.get("event") in ("ok", "failed"):
        print(("ok " if e["event"] == "ok" else "not ok ") + "macros::" + e["name"])
' >>"$OUT" || true
	grep -q "macros::" "$OUT" || echo "not ok macros: cargo test did not run (see build/cargo-test.log)" >>"$OUT"

	# The verdict itself must catch every kind of failure, and bad input at
	# the front door (a wrong KDIR or compiler) must stop the scripts with
	# one line naming the fix, writing nothing in the user's trees; make
	# bench must judge a ratio against its placement controls.
	unit_tests "verdict kdir toolchain bench"

	# rustfmt, with the kernel's own configuration.
	local files bad hits
	mapfile -t files < <(cd "$TOP" && find rust samples drivers -name '*.rs' -not -path '*/target/*')
	bad=$(cd "$TOP" && rustfmt --check --edition 2021 -l "${files[@]}" 2>/dev/null | sort -u || true)
	if [ -z "$bad" ]; then
		echo "ok rustfmt: ${#files[@]} files formatted" >>"$OUT"
	else
		echo "not ok rustfmt: unformatted: $(echo $bad)" >>"$OUT"
	fi

	# LKMM, not C++11: core's atomics must not appear in our crates.
	hits=$(cd "$TOP" && grep -rn --include='*.rs' 'core::sync::atomic' rust samples drivers || true)
	if [ -z "$hits" ]; then
		echo "ok source: no core::sync::atomic in rust/, samples/, drivers/" >>"$OUT"
	else
		echo "not ok source: core::sync::atomic used: $(echo "$hits" | head -3 | tr '\n' ' ')" >>"$OUT"
	fi
}

# The objects a check under CONFIG_RKAL_KASAN_RUST_ONLY expects with and
# without KASAN's checks: "ok"/"not ok" lines.
kasan_scope() {
	local o cmd rel syms rust=() plain=() bad=() n
	# A Rust object is one Kbuild compiled through bitcode (rust-inline.mk).
	while read -r cmd; do
		o=${cmd%.cmd}
		o=$(dirname "$o")/$(basename "$o" | sed 's/^\.//')
		rel=${o#$OBJ/}
		case $rel in
		rust/bench/* | rust/litmus/* | rust/atomics_check_rs.o) plain+=("$o") ;;
		*) rust+=("$o") ;;
		esac
	done < <(grep -l -e '--emit=llvm-bc' -r "$OBJ" --include='.*.o.cmd' 2>/dev/null)
	# C: the helpers as built for C callers, core kernel code.
	plain+=("$OBJ/rust/helpers/helpers.o" "$OBJ/kernel/fork.o" "$OBJ/fs/open.o")
	# (llvm-nm's output is read whole: grep -q would close the pipe early.)
	for o in "${rust[@]}"; do
		syms=$("$LLVM_BIN/llvm-nm" -u "$o" 2>/dev/null)
		grep -q ' __asan_report_' <<<"$syms" || bad+=("$(basename "$o") (not instrumented)")
	done
	for o in "${plain[@]}"; do
		[ -f "$o" ] || { bad+=("$(basename "$o") (missing)"); continue; }
		syms=$("$LLVM_BIN/llvm-nm" -u "$o" 2>/dev/null)
		grep -q ' __asan_' <<<"$syms" && bad+=("$(basename "$o") (instrumented)")
	done
	n=$(( ${#rust[@]} + ${#plain[@]} ))
	if [ ${#rust[@]} -lt 10 ]; then
		echo "not ok kasan: only ${#rust[@]} Rust objects found in $OBJ"
	elif [ ${#bad[@]} -eq 0 ]; then
		echo "ok kasan: ${#rust[@]} Rust objects instrumented, $(( n - ${#rust[@]} )) compared or C objects not"
	else
		echo "not ok kasan: $(echo "${bad[@]}" | head -c 300)"
	fi
}

late() {
	# A broken M= module stops extmod.sh with one line and writes nothing
	# in its directory (needs the kernel of build/obj); every litmus test
	# of the tree generates (needs the tree).
	unit_tests "extmod gen_litmus"

	# Rust atomics are the C ones: coverage of atomics.tbl and instruction
	# identity (scripts/atomics-check.sh).
	if "$TOP/scripts/atomics-check.sh" >"$BUILD/atomics-check.log" 2>&1; then
		echo "ok atomics-check: $(tail -1 "$BUILD/atomics-check.log")" >>"$OUT"
	else
		echo "not ok atomics-check: $(tail -1 "$BUILD/atomics-check.log") (see build/atomics-check.txt)" >>"$OUT"
	fi
	local cov objs kos refs tiny copies
	cov=$(sed -n 's/^atomics.tbl coverage: \([0-9]*\/[0-9]*\)$/\1/p' "$BUILD/atomics-check.log")
	if [ -n "$cov" ] && [ "${cov%/*}" = "${cov#*/}" ]; then
		echo "ok atomics.tbl coverage: $cov" >>"$OUT"
	else
		echo "not ok atomics.tbl coverage: ${cov:-not reported}" >>"$OUT"
	fi

	# Cross-language inlining: no Rust object calls a C helper out of line
	# (scripts/kbuild/rust-inline.mk inlines them all).
	objs=("$OBJ/rust/kernel.o" "$OBJ/rust/doctests_kernel_generated.o")
	mapfile -t kos < <(find "$OBJ" -name '*.ko' 2>/dev/null)
	objs+=("${kos[@]}")
	refs=$(for o in "${objs[@]}"; do
		"$LLVM_BIN/llvm-nm" -u "$o" 2>/dev/null | sed -n "s|.* \(rust_helper_[A-Za-z0-9_]*\)\$|$(basename "$o"): \1|p"
	done)
	if [ -z "$refs" ]; then
		echo "ok inlining: no Rust object references a rust_helper_ symbol (${#objs[@]} objects)" >>"$OUT"
	else
		echo "not ok inlining: rust_helper_ references left: $(echo $refs | head -c 300)" >>"$OUT"
	fi
	# ... nor an out-of-line copy of a one-line C function that a helper
	# calls (LLVM refuses to inline it when the Rust function's attributes
	# differ from C's: rust-inline.mk builds Rust for C's CPU). C always
	# inlines these.
	tiny='INIT_LIST_HEAD|init_completion|signal_pending|readl|writel|readq|writeq|resource_size|dev_name|dev_set_drvdata|iov_iter_count|get_file'
	copies=$(for o in "${objs[@]}"; do
		"$LLVM_BIN/llvm-nm" --defined-only "$o" 2>/dev/null | sed -En "s/.* [tT] ($tiny)\$/$(basename "$o"): \1/p"
	done)
	if [ -z "$copies" ]; then
		echo "ok inlining: C's one-line inline functions inlined into Rust (no out-of-line copy)" >>"$OUT"
	else
		echo "not ok inlining: out-of-line copies of C inline functions: $(echo $copies | head -c 300)" >>"$OUT"
	fi

	# KASAN for Rust only (make test's kernel, CONFIG_RKAL_KASAN_RUST_ONLY):
	# every Rust object is instrumented (calls KASAN's report functions),
	# except those compared with C, which are left alone like their C
	# twins; C outside our tree is not.
	if grep -q '^CONFIG_RKAL_KASAN_RUST_ONLY=y' "$OBJ/.config" 2>/dev/null; then
		kasan_scope >>"$OUT"
	fi

	# Linux 6.12's own Rust code builds unchanged (scripts/compat.sh).
	"$TOP/scripts/compat.sh" >>"$OUT" 2>&1

	# Misuse that must not compile (scripts/compile-fail/).
	"$TOP/scripts/compile-fail.sh" >>"$OUT" 2>&1

	# Documentation/rust/memory-model.rst lists every Rust atomic method
	# with its C functions and orderings: no row missing, none extra.
	if python3 "$TOP/scripts/check_memory_model_doc.py" "$TOP/Documentation/rust/memory-model.rst" \
		<(python3 "$TOP/scripts/gen_atomics.py" rows "$SRC/scripts/atomic/atomics.tbl") >"$BUILD/doc-check.log" 2>&1; then
		echo "ok docs: memory-model.rst table matches the generated API" >>"$OUT"
	else
		echo "not ok docs: memory-model.rst table: $(head -3 "$BUILD/doc-check.log" | tr '\n' ' ')" >>"$OUT"
	fi
}

$PHASE
echo "# done $PHASE" >>"$OUT"
cat "$OUT"
! grep -q '^not ok' "$OUT"
