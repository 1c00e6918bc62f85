#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The one QEMU runner, used by `make run` and `make test` (`make bench`
# counts instructions and needs no boot).
#
# Builds a busybox initramfs holding every module of the build, or those of
# M= when given, with their checks, boots it with -smp 2 under a hard
# timeout, loads each module, runs the userspace checks, unloads the modules
# in reverse order, and powers off.
# The serial log is written to build/boot.log; the verdict is scripts/verdict.py.
#
# Usage: scripts/qemu.sh
#
# Environment (for make bench and make litmus, which boot one module):
#   RKAL_MODULES="a b"    only these modules (default: all of the build)
#   RKAL_PARAMS_<name>=.. insmod parameters of module <name>
#   RKAL_CHECKS=0         no userspace checks (a measurement boot: no
#                         slub_debug, kmemleak or debugobjects either)
#   RKAL_STRESS=full      the stress check at make stress's figures (default
#                         short, make test's; fuzz: the fuzzer alone, to
#                         replay a seed; scripts/checks/stress.sh)
#   SEED=<n>              the fuzzer's seed (default: a new one, printed)

. "$(dirname "$0")/lib.sh"

# A hang guard: make test's boot, with its short stress run, takes about
# 2 minutes on an idle 2-core host.
TIMEOUT=${QEMU_TIMEOUT:-600}
INITRAMFS=$BUILD/initramfs
LOG=$BUILD/boot.log

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found; run: apt-get install qemu-system-x86"
[ -x /bin/busybox ] || die "/bin/busybox not found; run: apt-get install busybox-static"
[ -f "$OBJ/vmlinux" ] || die "no kernel image ($OBJ/vmlinux); run: make build"

stage initramfs "busybox, modules and checks${EXTMOD:+ of M=$EXTMOD}"
rm -rf "$INITRAMFS"
mkdir -p "$INITRAMFS"/{bin,dev,proc,sys,modules,expect,checks}
# A firmware image for the KUnit test of kernel::firmware, which loads it
# and compares its bytes (rust/kernel/firmware.rs).
mkdir -p "$INITRAMFS/lib/firmware/rkal"
printf 'rkal firmware test image\n' >"$INITRAMFS/lib/firmware/rkal/test.fw"
cp /bin/busybox "$INITRAMFS/bin/busybox"
for a in sh mount insmod rmmod lsmod cat grep echo sleep reboot ls sed tr wc head dmesg dd test [; do
	ln -s busybox "$INITRAMFS/bin/$a"
done

# Modules in load order: the external directory's when M= is given (their
# names may clash with our samples'), else ours.
modlist=()
while IFS= read -r ko; do modlist+=("$ko"); done < <(
	if [ -n "$EXTMOD" ]; then
		find "$EXTMOD_OBJ" -name '*.ko' | sort
	else
		find "$OBJ/samples/rust" "$OBJ/drivers/rkal" "$OBJ/rust/bench" "$OBJ/rust/litmus" -name '*.ko' 2>/dev/null | sort
		# Linux 6.12's own Rust drivers, built unchanged against our crate.
		ls "$OBJ/drivers/block/rnull_mod.ko" "$OBJ/drivers/net/phy/ax88796b_rust.ko" \
			"$OBJ/drivers/net/phy/qt2025.ko" 2>/dev/null
	fi)
for ko in "${modlist[@]}"; do
	name=$(basename "$ko" .ko)
	if [ -n "${RKAL_MODULES:-}" ] && ! [[ " $RKAL_MODULES " == *" $name "* ]]; then
		continue
	fi
	cp "$ko" "$INITRAMFS/modules/"
	echo "$name" >>"$INITRAMFS/modules/order"
	params=RKAL_PARAMS_$name
	[ -z "${!params:-}" ] || echo "${!params}" >"$INITRAMFS/modules/$name.params"
done
# Lines a module must print, in order, next to its source as <name>.expect.
if [ -n "$EXTMOD" ]; then
	expects=("$EXTMOD"/*.expect)
else
	expects=("$TOP"/samples/rust/*.expect "$TOP"/drivers/*/*.expect "$TOP"/scripts/checks/*.expect)
fi
for f in "${expects[@]}"; do
	if [ -n "${RKAL_MODULES:-}" ] && ! [[ " $RKAL_MODULES " == *" $(basename "$f" .expect) "* ]]; then
		continue
	fi
	[ -f "$f" ] && cp "$f" "$INITRAMFS/expect/"
done

# A C check is built static, for the busybox-only initramfs, into $2.
build_check() {
	command -v gcc >/dev/null || die "gcc not found; run: apt-get install gcc libc6-dev"
	gcc -static -O2 -Wall -Werror -o "$2" "$1" ||
		die "$1 does not build with gcc -static -O2 -Wall -Werror (errors above; if libc.a is missing: apt-get install libc6-dev)"
}

# Userspace checks, run by /init while the modules are loaded. Ours
# (scripts/checks/<name>.sh, C programs they run built as /bin/<name>_test)
# look at our samples, so they run only when those load. With M=, that
# directory's <name>.check.sh and <name>.check.c are its checks instead,
# reported under their file names; the C ones are compiled here, never in
# the user's directory.
if [ "${RKAL_CHECKS:-1}" = 0 ]; then
	:
elif [ -n "$EXTMOD" ]; then
	for c in "$EXTMOD"/*.check.sh; do
		[ -f "$c" ] && cp "$c" "$INITRAMFS/checks/"
	done
	for c in "$EXTMOD"/*.check.c; do
		[ -f "$c" ] && build_check "$c" "$INITRAMFS/checks/$(basename "$c")"
	done
else
	cp "$TOP"/scripts/checks/*.sh "$INITRAMFS/checks/" 2>/dev/null || true
	for c in "$TOP"/scripts/checks/*.c; do
		[ -f "$c" ] && build_check "$c" "$INITRAMFS/bin/$(basename "$c" .c)_test"
	done
fi
# How hard scripts/checks/stress.sh pushes.
case ${RKAL_STRESS:-short} in
short | full | fuzz) echo "${RKAL_STRESS:-short}" >"$INITRAMFS/stress-mode" ;;
*) die "RKAL_STRESS=$RKAL_STRESS: use short, full or fuzz" ;;
esac
# The kernel's HZ, to turn kmemleak's jiffies into seconds.
sed -n 's/^CONFIG_HZ=//p' "$OBJ/.config" >"$INITRAMFS/stress-hz"
# SEED=<n> replays an earlier fuzzer run.
[ -z "${SEED:-}" ] || echo "$SEED" >"$INITRAMFS/stress-seed"
cp "$TOP/scripts/init.sh" "$INITRAMFS/init"
chmod +x "$INITRAMFS/init" "$INITRAMFS"/checks/* 2>/dev/null || true
(cd "$INITRAMFS" && find . | cpio -o -H newc --quiet) >"$BUILD/initramfs.cpio"

# The kernel has no ACPI (no HPET or PM timer to calibrate the TSC
# against, which under TCG is the host's): give it the host's TSC rate,
# measured, so that the clock has nanoseconds, not jiffies.
gcc -O2 -o "$BUILD/tsc_khz" "$TOP/scripts/tsc_khz.c" ||
	die "scripts/tsc_khz.c does not build; run: apt-get install gcc libc6-dev"
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=8 rdinit=/init"
cmdline="$cmdline tsc_early_khz=$("$BUILD/tsc_khz") tsc=reliable"
# SLUB's own checks (sanity, red zones, poisoning, owner tracking) on every
# cache, except for measurement boots (make bench, make litmus), whose
# figures they would distort. Those also turn off kmemleak's and
# debugobjects' tracking of every allocation and free, which made make
# bench's KBox snippet ten times slower (and its boot time out).
if [ "${RKAL_CHECKS:-1}" = 0 ]; then
	cmdline="$cmdline kmemleak=off no_debug_objects"
else
	cmdline="$cmdline slub_debug"
fi
# Expedited RCU grace periods (an IPI to each CPU instead of waiting for
# quiescent states): module unload and load wait for several grace
# periods each, which under TCG take tens of milliseconds. The stress
# run's load/unload cycles and fault sweeps run 3 to 4 times faster;
# what is checked does not change.
cmdline="$cmdline rcupdate.rcu_expedited=1"

# No network card (-nic none): q35 adds an e1000e by default, which
# nothing here uses. Two sockets of one CPU each: the BIOS's MP table (our kernel has no ACPI)
# lists one CPU per socket, so a plain -smp 2 (one socket, two cores since
# QEMU 7) would boot one CPU.
stage boot "qemu-system-x86_64 -smp 2 (2 sockets, MTTCG, timeout ${TIMEOUT}s, log: $LOG)"
set +e
qemu() {
	timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 \
		-machine q35 -cpu max -smp 2,sockets=2,cores=1,threads=1 -m 1G -accel tcg,thread=multi \
		-device edu -device pci-testdev -nic none \
		-display none -monitor none -serial stdio -no-reboot \
		-kernel "$OBJ/vmlinux" -initrd "$BUILD/initramfs.cpio" \
		-append "$cmdline" </dev/null
}
qemu >"$LOG" 2>&1
rc=$?
# QEMU 7.2's TCG itself crashes now and then (a NULL dereference, seen
# about once in a hundred boots, also before any module of ours is
# loaded). That is the emulator's failure, not the guest's: boot once
# more, keeping the crashed run's log. Not when that log already holds a
# report of the kernel's own, which the verdict must see.
if [ "$rc" -gt 128 ] && [ "$rc" != 137 ] && python3 "$TOP/scripts/verdict.py" --reports "$LOG" >/dev/null; then
	mv "$LOG" "$BUILD/boot-qemu-crash.log"
	echo "qemu: qemu-system-x86_64 died of signal $((rc - 128)) (an emulator crash, the guest reported nothing);" \
		"booting again (the crashed run's log: $BUILD/boot-qemu-crash.log)" >&2
	qemu >"$LOG" 2>&1
	rc=$?
fi
set -e
# timeout(1) exits 124, or 137 when QEMU needed the KILL that -k sends.
case $rc in
124 | 137) echo "qemu: timed out after ${TIMEOUT}s" >>"$LOG" ;;
0) ;;
*) [ "$rc" -le 128 ] || echo "qemu: qemu-system-x86_64 died of signal $((rc - 128))" >>"$LOG" ;;
esac
exit 0
