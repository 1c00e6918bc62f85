#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The stress run (Documentation/rust/testing.rst, "make stress"), last of
# the checks, with every module loaded. /stress-mode (written by
# scripts/qemu.sh) says how hard: "short" in make test, "full" in make
# stress. For each module of /modules/order:
#   - CYCLES loads and unloads (full: Slab: of /proc/meminfo compared),
#   - its load (init, and a driver's probe) with the 1st, 2nd, ...
#     allocation failed until a load injects nothing (full: every
#     allocation of the load; short: those made by module code or by the
#     kernel functions it calls, within DEPTH frames), then with the
#     first N allocations of its threads failed (a kthread its init
#     spawns), N = 1, 2, ... until some of the N are left;
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
	FUZZ_OPS=1000000
	# Every allocation of every load, the loader's included.
	SCOPE=
	DEPTH=
	;;
fuzz)
	# The fuzzer alone, e.g. to replay a seed: no cycles, no faults.
	CYCLES=0
	FUZZ_OPS=100000
	;;
*)
	# What fits make test's time budget (Documentation/rust/testing.rst
	# has the costs): 5 cycles (no Slab: figure, which needs ten warm-up
	# cycles first), 10^5 fuzzer operations.
	CYCLES=5
	FUZZ_OPS=100000
	# Allocations made by module code itself, or by what it calls within
	# DEPTH frames of the allocator: every failure path of our own code
	# and of the kernel calls it makes, not of every allocation deep in
	# the block layer or the driver core (make stress fails those too).
	SCOPE=module
	DEPTH=8
	;;
esac
echo "stress: mode $mode: $CYCLES cycles per module, $FUZZ_OPS fuzzer ops"

mkdir -p /tmp
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

# Leaks from before the stress are not its own: the scan at the end counts
# only objects allocated after this point (kmemleak gives each one's
# jiffies), whether they were leaked before it or not.
HZ=$(cat /stress-hz 2>/dev/null || echo 250)
START=$(cut -d. -f1 /proc/uptime)

# A few parameters for loads made here: the benchmark and the litmus
# suite run briefly.
echo "iterations=10" >/modules/rkal_bench.stress-params
echo "iterations=1 rcu_iterations=1" >/modules/rkal_litmus.stress-params
echo "msecs=10" >/modules/rkal_stress.stress-params

# The guest's seconds since boot, to the hundredth, for "NAME took" lines.
now() { cut -d' ' -f1 /proc/uptime; }
took() { awk -v a="$2" -v b="$(now)" -v n="$1" 'BEGIN { printf "stress: %s took %.1f s\n", n, b - a }'; }

status=0
[ "$CYCLES" = 0 ] && mods= || mods=$(cat /modules/order)
for name in $mods; do
	# Its init forgets a running thread's JoinHandle on purpose (the
	# thread, its task and closure are leaked, as mem::forget says), to
	# check that unloading waits for it: checks/kthread_leak.sh.
	[ "$name" = rkal_kthread_leak ] && continue
	echo "rkal: stress-begin $name"
	t=$(now)
	/bin/stress_test cycle "$name" "$CYCLES" || status=1
	took "cycles:$name" "$t"
	t=$(now)
	case $name in
	rnull_mod)
		# Linux 6.12's own: when a module's init fails after add_disk()
		# of a disk with a capacity, the loader frees the module while
		# the partition scan's deferred fput() (run on the way back to
		# userspace) still has the disk's fops, in the module, to call
		# and put: an oops in bdev_release(). C's null_blk is exposed
		# the same way. rnull (Linux's code, unchanged) creates its
		# disk first thing; rkal_blk_selftest's disk, empty until its
		# check sizes it, is swept instead.
		echo "rkal: stress skip failnth:$name (Linux 6.12: init failure after add_disk)"
		;;
	rkal_bench)
		# Swept by make stress only: its init is the benchmark, every
		# KBox of its loops a fault point (584 at iterations=10).
		[ -n "$DEPTH" ] || /bin/stress_test failnth "$name" $SCOPE || status=1
		;;
	*)
		/bin/stress_test failnth "$name" $SCOPE $DEPTH || status=1
		;;
	esac
	took "failnth:$name" "$t"
	echo "rkal: stress-end $name"
done

if [ "$CYCLES" != 0 ]; then
	echo "rkal: stress-begin devices"
	t=$(now)
	/bin/stress_test failnth-dev || status=1
	took failnth-dev "$t"
	echo "rkal: stress-end devices"
fi

echo "rkal: stress-begin fuzz"
t=$(now)
SEED=$(cat /stress-seed 2>/dev/null) /bin/stress_test fuzz "$FUZZ_OPS" 4 || status=1
took fuzz "$t"
echo "rkal: stress-end fuzz"

# kmemleak reports an object that two scans in a row found unreferenced
# and unchanged (the first records its checksum), and that was 5 s old at
# the second. The first scan runs at once; the second once 6 s have passed
# since the fuzzer's last operation. (Under KASAN a scan takes seconds: it
# reads the shadow memory too.)
t=$(now)
if echo scan >$D/kmemleak; then
	while awk -v a="$t" -v b="$(now)" 'BEGIN { exit !(b - a < 6) }'; do
		sleep 1
	done
fi
if ! echo scan >$D/kmemleak; then
	echo "rkal: stress fail kmemleak leaks=unknown (kmemleak switched itself off)"
	status=1
	leaks=-
else
	# The reports of objects allocated since START, as the kernel would
	# print them (the verdict counts each), and how many.
	sed -n '/^unreferenced object/,$p' $D/kmemleak | awk -v hz="$HZ" -v start="$START" '
		function flush() { if (keep) { printf "%s", rec; n++ } rec = ""; keep = 0 }
		/^unreferenced object/ { flush() }
		{ rec = rec "kmemleak: " $0 "\n" }
		/^  comm / { keep = ($NF - (4294967296 - 300 * hz)) / hz >= start }
		END { flush(); print "kmemleak-count " n + 0 }' >/tmp/leaks
	leaks=$(sed -n 's/^kmemleak-count //p' /tmp/leaks)
fi
if [ "$leaks" = - ]; then
	:
elif [ "$leaks" = 0 ]; then
	echo "rkal: stress ok kmemleak leaks=0"
else
	echo "rkal: stress fail kmemleak leaks=$leaks"
	# The reports, for the verdict and for stress.txt (by pid).
	grep -v '^kmemleak-count ' /tmp/leaks | head -400
	status=1
fi
took kmemleak "$t"
echo 8 >/proc/sys/kernel/printk
exit $status
