#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make atomics-check`: disassembles the C reference atomics and the Rust
# ones (both generated from the tree's atomics.tbl and built by the kernel
# build) and compares them; see scripts/atomics_check.py. The table goes to
# build/atomics-check.txt.

. "$(dirname "$0")/lib.sh"

[ -f "$OBJ/rust/atomics_check_rs.o" ] || die "no build yet; run: make build"
total=$(python3 "$TOP/scripts/gen_atomics.py" count "$SRC/scripts/atomic/atomics.tbl")
python3 "$TOP/scripts/atomics_check.py" "$LLVM_BIN/llvm-objdump" \
	"$OBJ/rust/atomic_ref.o" "$OBJ/rust/atomics_check_rs.o" "$total" "$BUILD/atomics-check.txt"
