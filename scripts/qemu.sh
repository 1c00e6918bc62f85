#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The one QEMU runner, used by `make run` and `make test` (`make bench`
# counts instructions and needs no boot).
#
# Builds a busybox initramfs holding every module of the build (and of M=
# when given), boots it with -smp 2 under a hard timeout, loads each module,
# unloads them in reverse order, runs the userspace checks, and powers off.
# The serial log is written to build/boot.log; the verdict is scripts/verdict.py.
#
# Usage: scripts/qemu.sh

. "$(dirname "$0")/lib.sh"

EXTMOD=${M:-}
TIMEOUT=${QEMU_TIMEOUT:-300}
INITRAMFS=$BUILD/initramfs
LOG=$BUILD/boot.log

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found; run: apt-get install qemu-system-x86"
[ -x /bin/busybox ] || die "/bin/busybox not found; run: apt-get install busybox-static"
[ -f "$OBJ/arch/x86/boot/bzImage" ] || die "no kernel image; run: make build"

stage initramfs "busybox + modules"
rm -rf "$INITRAMFS"
mkdir -p "$INITRAMFS"/{bin,dev,proc,sys,modules,expect,checks}
cp /bin/busybox "$INITRAMFS/bin/busybox"
for a in sh mount insmod rmmod lsmod cat grep echo sleep reboot ls sed tr wc head dmesg dd test [; do
	ln -s busybox "$INITRAMFS/bin/$a"
done

# Modules in load order: the external directory's when M= is given (their
# names may clash with our samples'), else ours.
modlist=()
while IFS= read -r ko; do modlist+=("$ko"); done < <(
	if [ -n "$EXTMOD" ]; then
		find "$(cd "$EXTMOD" && pwd)" -name '*.ko' | sort
	else
		find "$OBJ/samples/rust" "$OBJ/drivers/rkal" -name '*.ko' 2>/dev/null | sort
		# Linux 6.12's own Rust driver, built unchanged against our crate.
		ls "$OBJ/drivers/block/rnull_mod.ko" 2>/dev/null
	fi)
for ko in "${modlist[@]}"; do
	cp "$ko" "$INITRAMFS/modules/"
	basename "$ko" .ko >>"$INITRAMFS/modules/order"
done
# Lines a module must print, in order, next to its source as <name>.expect.
if [ -n "$EXTMOD" ]; then
	expects=("$(cd "$EXTMOD" && pwd)"/*.expect)
else
	expects=("$TOP"/samples/rust/*.expect "$TOP"/drivers/*/*.expect "$TOP"/drivers/selftests/*.expect "$TOP"/scripts/checks/*.expect)
fi
for f in "${expects[@]}"; do
	[ -f "$f" ] && cp "$f" "$INITRAMFS/expect/"
done
# The userspace checks look at our samples, so they run when those load.
# C test programs are built static, for the busybox-only initramfs.
if [ -z "$EXTMOD" ]; then
	cp "$TOP"/scripts/checks/*.sh "$INITRAMFS/checks/" 2>/dev/null || true
	for c in "$TOP"/scripts/checks/*.c; do
		[ -f "$c" ] || continue
		gcc -static -O2 -Wall -Werror -o "$INITRAMFS/bin/$(basename "$c" .c)_test" "$c" ||
			die "could not build $c statically; run: apt-get install gcc libc6-dev"
	done
fi
cp "$TOP/scripts/init.sh" "$INITRAMFS/init"
chmod +x "$INITRAMFS/init" "$INITRAMFS"/checks/* 2>/dev/null || true
(cd "$INITRAMFS" && find . | cpio -o -H newc --quiet) >"$BUILD/initramfs.cpio"

stage boot "qemu-system-x86_64 -smp 2 (TCG, timeout ${TIMEOUT}s, log: build/boot.log)"
set +e
qemu() {
	timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 \
		-machine q35 -cpu max -smp 2 -m 1G -accel tcg \
		-display none -monitor none -serial stdio -no-reboot \
		-kernel "$OBJ/arch/x86/boot/bzImage" -initrd "$BUILD/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=8 rdinit=/init" </dev/null
}
qemu >"$LOG" 2>&1
rc=$?
set -e
[ "$rc" = 124 ] && echo "qemu: timed out after ${TIMEOUT}s" >>"$LOG"
exit 0
