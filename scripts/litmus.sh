#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make litmus`: the LKMM litmus suite at full budget. Boots with the module
# rkal_litmus alone (LITMUS_ITERATIONS per test and twin, default 10^6; the
# two RCU tests LITMUS_RCU_ITERATIONS, also 10^6 by default: an expedited
# grace period per iteration, ~150 us under TCG, so ~160 s a case where
# KUnit allows 300 s, and ~22 of the run's ~33 minutes), and writes
# build/litmus/{summary,histograms}.txt (scripts/litmus_report.py).

. "$(dirname "$0")/lib.sh"

ITERATIONS=${LITMUS_ITERATIONS:-1000000}
RCU_ITERATIONS=${LITMUS_RCU_ITERATIONS:-1000000}

"$TOP/scripts/setup.sh"
"$TOP/scripts/build.sh"
RKAL_MODULES=rkal_litmus RKAL_CHECKS=0 RKAL_PARAMS_rkal_litmus="iterations=$ITERATIONS rcu_iterations=$RCU_ITERATIONS" \
	QEMU_TIMEOUT=${QEMU_TIMEOUT:-5400} "$TOP/scripts/qemu.sh"
cp "$BUILD/boot.log" "$BUILD/litmus-boot.log"
stage verdict "the litmus boot: every case passed, no splat"
verdict=0
python3 "$TOP/scripts/verdict.py" "$BUILD/litmus-boot.log" --expect "$BUILD/initramfs/expect" \
	>"$BUILD/litmus-verdict.txt" || verdict=1
stage litmus "report: build/litmus/summary.txt, build/litmus/histograms.txt"
python3 "$TOP/scripts/litmus_report.py" "$BUILD/litmus-boot.log" "$BUILD/litmus" || verdict=1
tail -1 "$BUILD/litmus-verdict.txt"
exit $verdict
