#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stress run (Documentation/rust/testing.rst, "make stress"), last of
# the checks, with every module loaded. /stress-mode (written by
# scripts/qemu.sh) says how hard: "short" in make test, "full" in make
# stress. For each module of /modules/order:
#   - CYCLES loads and unloads, Slab: of /proc/meminfo compared,
#   - its load (init, and a driver's probe) with the 1st, 2nd, ...
#     allocation failed until a load injects nothing (short: those called
#     from module code, and the loader's own for rust_minimal only);
# then fault injection into the device nodes' open/read/write/ioctl, the
# fuzzer (FUZZ_OPS operations, seed printed), and a kmemleak scan that must
# find nothing allocated since the stress began. Each step prints
# "rkal: stress ok|fail ..." lines (scripts/verdict.py, build/stress.txt);
# "rkal: stress-begin NAME" / "rkal: stress-end NAME" frame each module's
# steps so that a splat is put down to the module that caused it.

mode=$(cat /stress-mode 2>/dev/null || echo short)
case $mode in
full)
	CYCLES=1000
	# rkal_kthread_leak's unload waits 3 s for its thread, by design.
	SLOW_CYCLES=20
	FUZZ_OPS=1000000
	# Every allocation of every load, the loader's included.
	SCOPE=
	;;
fuzz)
	# The fuzzer alone, e.g. to replay a seed: no cycles, no faults.
	CYCLES=0
	FUZZ_OPS=100000
	;;
*)
	CYCLES=20
	SLOW_CYCLES=1
	FUZZ_OPS=100000
	# Allocations called from module code (init, probe).
	SCOPE=module
	;;
esac
echo "stress: mode $mode: $CYCLES cycles per module, $FUZZ_OPS fuzzer ops"

D=/sys/kernel/debug
mount -t debugfs debugfs $D 2>/dev/null
[ -w $D/kmemleak ] || { echo "stress: no $D/kmemleak (CONFIG_DEBUG_KMEMLEAK?)"; exit 1; }
[ -d $D/failslab ] || { echo "stress: no $D/failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS?)"; exit 1; }

# /proc/self/fail-nth fails any allocation of the task: GFP_KERNEL ones
# (which may sleep) and order-0 pages included; no stack dump per fault.
for f in failslab fail_page_alloc; do
	echo N >$D/$f/ignore-gfp-wait
	echo 0 >$D/$f/verbose
done
echo N >$D/fail_page_alloc/ignore-gfp-highmem
echo 0 >$D/fail_page_alloc/min-order

# Warnings and worse reach the console (and the verdict); the modules'
# info lines, thousands per second now, stay in the ring buffer.
echo 5 >/proc/sys/kernel/printk
# KUnit suites (rkal_litmus, rkal_stress, ...) ran when /init loaded their
# modules; here a load runs none of them.
echo rkal_stress_no_suite >/sys/module/kunit/parameters/filter_glob

# Leaks from before the stress are not its own: mark them seen.
echo scan >$D/kmemleak
echo clear >$D/kmemleak

# A few parameters for loads made here: the benchmark and the litmus
# suite run briefly.
echo "iterations=10" >/modules/rkal_bench.stress-params
echo "iterations=1 rcu_iterations=1" >/modules/rkal_litmus.stress-params
echo "msecs=10" >/modules/rkal_stress.stress-params

status=0
[ "$CYCLES" = 0 ] && mods= || mods=$(cat /modules/order)
for name in $mods; do
	echo "rkal: stress-begin $name"
	n=$CYCLES
	[ "$name" = rkal_kthread_leak ] && n=$SLOW_CYCLES
	/bin/stress_test cycle "$name" "$n" || status=1
	/bin/stress_test failnth "$name" $SCOPE || status=1
	# The loader's own allocations are the same code for every module:
	# the short run fails each of them once, loading the smallest module.
	if [ -n "$SCOPE" ] && [ "$name" = rust_minimal ]; then
		/bin/stress_test failnth "$name" || status=1
	fi
	echo "rkal: stress-end $name"
done

if [ "$CYCLES" != 0 ]; then
	echo "rkal: stress-begin devices"
	/bin/stress_test failnth-dev || status=1
	echo "rkal: stress-end devices"
fi

echo "rkal: stress-begin fuzz"
SEED=$(cat /stress-seed 2>/dev/null) /bin/stress_test fuzz "$FUZZ_OPS" 4 || status=1
echo "rkal: stress-end fuzz"

# kmemleak reports an object once it is 5 s old and unreferenced.
sleep 6
if ! echo scan >$D/kmemleak || ! echo scan >$D/kmemleak; then
	echo "rkal: stress fail kmemleak leaks=unknown (kmemleak switched itself off)"
	status=1
	leaks=-
else
	leaks=$(grep -c '^unreferenced object' $D/kmemleak)
fi
if [ "$leaks" = - ]; then
	:
elif [ "$leaks" = 0 ]; then
	echo "rkal: stress ok kmemleak leaks=0"
else
	echo "rkal: stress fail kmemleak leaks=$leaks"
	# The reports, for the verdict and for stress.txt (by pid).
	sed 's/^/kmemleak: /' $D/kmemleak | head -400
	status=1
fi
echo 8 >/proc/sys/kernel/printk
exit $status
