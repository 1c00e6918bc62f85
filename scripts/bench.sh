#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: builds, then compares a corpus of call sites (atomics in
# every form C code uses them, barriers, locks, Refcount, Arc, KBox), each
# written in C and through our Rust abstractions, by instruction count
# (scripts/bench.py; rust/bench/). Counts, not timings: they are repeatable
# on any machine.

. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup.sh"
"$TOP/scripts/build.sh"
stage bench "instruction counts, Rust vs C (report: build/bench.txt)"
python3 "$TOP/scripts/bench.py" "$LLVM_BIN/llvm-objdump" "$OBJ/rust/bench/bench_c.o" \
	"$OBJ/rust/bench/bench_rs.o" "$OBJ/rust/helpers/helpers.o" "$BUILD/bench.txt"
