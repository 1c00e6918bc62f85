#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: builds, then compares the Rust and C fast paths of SpinLock,
# Mutex, Arc and Refcount by instruction count (scripts/bench.py). Counts,
# not timings: they are repeatable on any machine.

. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup.sh"
"$TOP/scripts/build.sh"
stage bench "instruction counts, Rust vs C (report: build/bench.txt)"
python3 "$TOP/scripts/bench.py" "$LLVM_BIN/llvm-objdump" "$OBJ/rust/bench/bench_c.o" \
	"$OBJ/rust/bench/bench_rs.o" "$OBJ/rust/helpers/helpers.o" "$BUILD/bench.txt"
