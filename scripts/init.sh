#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test initramfs (see scripts/qemu.sh). Every line meant for the
# verdict starts with "rkal:", so scripts/verdict.py can tell them apart from
# kernel messages.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

echo "rkal: userspace up"

loaded=""
for name in $(cat /modules/order 2>/dev/null); do
	echo "rkal: module-load-begin $name"
	# shellcheck disable=SC2046 # the parameters are words
	if insmod "/modules/$name.ko" $(cat "/modules/$name.params" 2>/dev/null); then
		echo "rkal: module-load ok $name"
		loaded="$name $loaded"
	else
		echo "rkal: module-load fail $name rc=$?"
	fi
done

# Userspace checks, while the modules are loaded: ours are /checks/NAME.sh,
# reported as NAME; M='s are its NAME.check.sh scripts and NAME.check.c
# programs (built by scripts/qemu.sh), reported under their file names.
for c in /checks/*; do
	[ -f "$c" ] || continue
	case "$c" in
	*.check.*) name=$(basename "$c") ;;
	*) name=$(basename "$c" .sh) ;;
	esac
	echo "rkal: check-begin $name"
	case "$c" in
	*.sh) sh "$c" ;;
	*) "$c" ;;
	esac
	rc=$?
	if [ "$rc" = 0 ]; then
		echo "rkal: check ok $name"
	else
		echo "rkal: check fail $name rc=$rc"
	fi
done

# Unload in reverse load order, so each module's exit path runs too.
for name in $loaded; do
	echo "rkal: module-unload-begin $name"
	# A module may still be held for a moment by work it started (a
	# thread's module reference): retry for up to 10 s before failing.
	tries=0
	until rmmod "$name" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -ge 10 ]; then
			break
		fi
		sleep 1
	done
	if [ "$tries" -lt 10 ]; then
		echo "rkal: module-unload ok $name"
	else
		rmmod "$name"
		echo "rkal: module-unload fail $name rc=$?"
	fi
done

echo "rkal: done"
reboot -f
