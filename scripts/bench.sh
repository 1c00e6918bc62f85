#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: a corpus of call sites (atomics in every form C code uses
# them, barriers, locks, Refcount, Arc, KBox), each written in C and through
# our Rust abstractions (rust/bench/), compared two ways (scripts/bench.py):
#   - static: instruction counts of the two functions, from the same build;
#   - executed: ns per call in the booted guest, both sides in the same boot,
#     BENCH_ITERATIONS (default 10^6) calls per side and round, with the
#     noise floor each measurement has under TCG (a side's function against
#     a copy of it at other addresses).
# The report is build/bench.txt.

. "$(dirname "$0")/lib.sh"

ITERATIONS=${BENCH_ITERATIONS:-1000000}

"$TOP/scripts/setup.sh"
"$TOP/scripts/build.sh"

# Boots with rkal_bench alone; the run must be clean.
RKAL_MODULES=rkal_bench RKAL_CHECKS=0 RKAL_PARAMS_rkal_bench="iterations=$ITERATIONS" \
	QEMU_TIMEOUT=${QEMU_TIMEOUT:-900} "$TOP/scripts/qemu.sh"
stage verdict "the bench boot: module loaded, Rust and C left the same state, no splat"
python3 "$TOP/scripts/verdict.py" "$BUILD/boot.log" --expect "$BUILD/initramfs/expect" >"$BUILD/bench-verdict.txt" ||
	{ cat "$BUILD/bench-verdict.txt"; die "the bench boot failed (above; log: $BUILD/boot.log)"; }
cp "$BUILD/boot.log" "$BUILD/bench-boot.log"

stage bench "Rust vs C: instruction counts and ns per call (report: build/bench.txt)"
python3 "$TOP/scripts/bench.py" "$LLVM_BIN/llvm-objdump" "$OBJ/rust/bench/bench_c.o" \
	"$OBJ/rust/bench/bench_rs.o" "$OBJ/rust/helpers/helpers.o" "$BUILD/bench.txt" \
	--log "$BUILD/bench-boot.log"
