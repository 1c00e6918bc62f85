#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make stress`: the stress check at full figures on the debug kernel.
#
# Builds base.config + scripts/config/debug.config (KASAN, UBSAN) in
# build/stress/ (from the tree `make build` unpacked), boots it through
# scripts/qemu.sh with RKAL_STRESS=full: 1000 load/unload cycles per module,
# every fault-injection point of every module's load and of the device
# nodes' operations, 10^6 fuzzer operations, a kmemleak scan; the KUnit
# concurrency hammer (rkal_stress) runs 5 s per case with 8 threads.
# Writes build/stress.txt (per module: cycles, faults, leaks, splats) and
# exits non-zero unless its last line is "N passed, 0 failed" and the
# whole boot's verdict passes.
#
# SEED=<n> replays the fuzzer's operations of an earlier run (its seed is
# printed at the start of the run and in build/stress.txt).

. "$(dirname "$0")/lib.sh"

"$TOP/scripts/setup.sh"
"$TOP/scripts/tree.sh" >/dev/null
ktree=${KDIR:-$DEFAULT_KDIR}
SBUILD=$TOP/build/stress
REPORT=$TOP/build/stress.txt

stage stress "build: base.config + debug.config (log: build/stress/build.log)"
BUILD=$SBUILD KDIR=$ktree EXTRA_CONFIG=debug "$TOP/scripts/build.sh" >/dev/null

BUILD=$SBUILD KDIR=$ktree RKAL_STRESS=full QEMU_TIMEOUT=${QEMU_TIMEOUT:-7200} \
	RKAL_PARAMS_rkal_stress="msecs=5000 threads=8" RKAL_PARAMS_rkal_litmus="require_race=0" \
	"$TOP/scripts/qemu.sh"

stage verdict "boot + stress figures ($REPORT)"
rc=0
python3 "$TOP/scripts/verdict.py" "$SBUILD/boot.log" --expect "$SBUILD/initramfs/expect" \
	--junit "$SBUILD/junit.xml" --stress-report "$REPORT" >"$SBUILD/verdict.txt" || rc=1
grep '^FAIL' "$SBUILD/verdict.txt" | head -20 || true
echo "boot: $(tail -1 "$SBUILD/verdict.txt")"
cat "$REPORT"
tail -1 "$REPORT" | grep -q ' 0 failed$' || rc=1
exit $rc
