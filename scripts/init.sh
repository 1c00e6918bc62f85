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
	if insmod "/modules/$name.ko"; then
		echo "rkal: module-load ok $name"
		loaded="$name $loaded"
	else
		echo "rkal: module-load fail $name rc=$?"
	fi
done

for c in /checks/*.sh; do
	[ -f "$c" ] || continue
	echo "rkal: check-begin $(basename "$c" .sh)"
	if sh "$c"; then
		echo "rkal: check ok $(basename "$c" .sh)"
	else
		echo "rkal: check fail $(basename "$c" .sh)"
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
