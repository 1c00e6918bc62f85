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
# built. The late one needs the built kernel. It runs beside the boot, at
# SCHED_IDLE priority, once the guest has loaded its modules: from then on
# the guest's tests are mostly one process at a time and leave a CPU idle.
# Not earlier: next to the guest's litmus tests, whose threads must race,
# even the lowest priority made them take twice as long, and rkal_bench
# times its calls.
#
# Usage: scripts/run.sh run|test

. "$(dirname "$0")/lib.sh"

MODE=${1:-test}

"$TOP/scripts/setup.sh"

early=
# A stage that fails ends the run, and the early host tests with it (in
# their own process group, cargo and rustc included).
boot=
trap '[ -z "$early" ] || kill -- "-$early" 2>/dev/null || true
	[ -z "$boot" ] || kill -- "-$boot" 2>/dev/null || true' EXIT
if [ "$MODE" = test ]; then
	stage host-test "early: cargo test (macros), unit tests, rustfmt, source rules (in the background)"
	setsid "$TOP/scripts/host-test.sh" early >"$BUILD/host-test-early.log" 2>&1 &
	early=$!
fi

"$TOP/scripts/build.sh"

host=()
if [ "$MODE" = test ]; then
	# The boot, in its own process group (QEMU with it, should this script
	# be stopped). A boot log from an earlier run must not be mistaken for
	# this one's.
	rm -f "$BUILD/boot.log"
	setsid "$TOP/scripts/qemu.sh" &
	boot=$!
	# The guest prints "rkal: check-begin" once every module is loaded,
	# before its first userspace check.
	while kill -0 "$boot" 2>/dev/null &&
		! grep -qE '^rkal: (check-begin|module-unload-begin|done)' "$BUILD/boot.log" 2>/dev/null; do
		sleep 1
	done
	if ! kill -0 "$boot" 2>/dev/null; then
		# Over already: qemu.sh stopped early (its error is above) or the
		# guest never got to its checks (the verdict says so).
		rc=0
		wait "$boot" || rc=$?
		boot=
		[ "$rc" = 0 ] || exit "$rc"
	fi
	stage host-test "late: atomics-check, inlining, compat, compile-fail, docs (beside the boot, SCHED_IDLE)"
	chrt --idle 0 "$TOP/scripts/host-test.sh" late >"$BUILD/host-test-late.log" 2>&1 || true
	grep -h '^atomics' "$BUILD/atomics-check.log" || true
	wait "$early" || true
	early=
	if [ -n "$boot" ]; then
		wait "$boot"
		boot=
	fi
	host=(--host "$BUILD/host-results-early.txt" --host "$BUILD/host-results-late.txt")
else
	"$TOP/scripts/qemu.sh"
fi

stage verdict "KTAP + module checks (JUnit: $BUILD/junit.xml)"
expect=$BUILD/initramfs/expect
if [ "$MODE" = run ]; then
	python3 "$TOP/scripts/verdict.py" "$BUILD/boot.log" --show --expect "$expect" \
		--junit "$BUILD/junit.xml"
else
	python3 "$TOP/scripts/verdict.py" "$BUILD/boot.log" --expect "$expect" \
		--junit "$BUILD/junit.xml" "${host[@]}"
fi
