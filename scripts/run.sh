#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run` and `make test`: setup, build, (host tests and static checks for
# test), boot, verdict. Prints one progress line per stage; the last line of
# `make test` is "N passed, N failed".
#
# Usage: scripts/run.sh run|test

. "$(dirname "$0")/lib.sh"

MODE=${1:-test}

"$TOP/scripts/setup.sh"
"$TOP/scripts/build.sh"

host=()
if [ "$MODE" = test ]; then
	stage host-test "cargo test (macros), rustfmt, source rules, atomics-check, docs"
	"$TOP/scripts/host-test.sh" >"$BUILD/host-test.log" 2>&1 || true
	grep -h '^atomics' "$BUILD/atomics-check.log" || true
	host=(--host "$BUILD/host-results.txt")
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
