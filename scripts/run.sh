#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run` and `make test`: setup, build, (host tests and static checks for
# test), boot, verdict. Prints one progress line per stage; the last line of
# `make test` is "N passed, N failed".
#
# The host tests (scripts/host-test.sh) come in two phases. The early one
# needs only our sources: it runs in the background from the start, while
# the kernel tree is unpacked and configured (one CPU is idle then) and
# built. The late one needs the built kernel and runs before the boot, not
# beside it: next to it, even at the lowest CPU priority, it made the
# guest's litmus tests, whose threads must race, take twice as long.
#
# Usage: scripts/run.sh run|test

. "$(dirname "$0")/lib.sh"

MODE=${1:-test}

"$TOP/scripts/setup.sh"

early=
# A stage that fails ends the run, and the early host tests with it (in
# their own process group, cargo and rustc included).
trap '[ -z "$early" ] || kill -- "-$early" 2>/dev/null || true' EXIT
if [ "$MODE" = test ]; then
	stage host-test "early: cargo test (macros), unit tests, rustfmt, source rules (in the background)"
	setsid "$TOP/scripts/host-test.sh" early >"$BUILD/host-test-early.log" 2>&1 &
	early=$!
fi

"$TOP/scripts/build.sh"

host=()
if [ "$MODE" = test ]; then
	stage host-test "late: atomics-check, inlining, compat, compile-fail, docs"
	"$TOP/scripts/host-test.sh" late >"$BUILD/host-test-late.log" 2>&1 || true
	grep -h '^atomics' "$BUILD/atomics-check.log" || true
	wait "$early" || true
	early=
	host=(--host "$BUILD/host-results-early.txt" --host "$BUILD/host-results-late.txt")
fi

"$TOP/scripts/qemu.sh"

stage verdict "KTAP + module checks (JUnit: $BUILD/junit.xml)"
expect=$BUILD/initramfs/expect
if [ "$MODE" = run ]; then
	python3 "$TOP/scripts/verdict.py" "$BUILD/boot.log" --show --expect "$expect" \
		--junit "$BUILD/junit.xml"
else
	python3 "$TOP/scripts/verdict.py" "$BUILD/boot.log" --expect "$expect" \
		--junit "$BUILD/junit.xml" "${host[@]}"
fi
