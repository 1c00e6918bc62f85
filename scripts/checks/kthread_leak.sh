#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# drivers/selftests/rkal_kthread_leak.rs leaks the JoinHandle of a thread
# that runs for 3 s after the module loads. Unloading the module must wait
# for that thread (its code is in the module): rmmod returns only after the
# thread printed its last line, and nothing crashes.

mod=rkal_kthread_leak
[ -d /sys/module/$mod ] || { echo "kthread_leak: $mod not loaded"; exit 1; }
rmmod $mod || { echo "kthread_leak: rmmod of the boot instance failed"; exit 1; }
before=$(dmesg | grep -c "$mod: thread done")

insmod /modules/$mod.ko || { echo "kthread_leak: reload failed"; exit 1; }
rmmod $mod || { echo "kthread_leak: rmmod failed"; exit 1; }
after=$(dmesg | grep -c "$mod: thread done")
[ ! -d /sys/module/$mod ] || { echo "kthread_leak: module still present"; exit 1; }
[ "$after" -gt "$before" ] ||
	{ echo "kthread_leak: rmmod returned before the module's thread ended"; exit 1; }

# Loaded again, so the final unload of /init has something to unload.
insmod /modules/$mod.ko || { echo "kthread_leak: final reload failed"; exit 1; }
echo "kthread_leak: rmmod waited for the leaked thread"
