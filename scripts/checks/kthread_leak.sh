#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# drivers/selftests/rkal_kthread_leak.rs leaks the JoinHandle of a thread
# that runs for 1 s after the module loads, and a work item queued to run
# 0.5 s after. Unloading the module must wait for both (their code is in the
# module): rmmod returns only after each printed its last line, and
# nothing crashes. Loaded with fail_init=1, its init fails after starting
# both: the failed insmod must also return only after both ran, since the
# loader frees the module's code as soon as init returns.

mod=rkal_kthread_leak
[ -d /sys/module/$mod ] || { echo "kthread_leak: $mod not loaded"; exit 1; }
rmmod $mod || { echo "kthread_leak: rmmod of the boot instance failed"; exit 1; }
before=$(dmesg | grep -c "$mod: thread done")
wbefore=$(dmesg | grep -c "$mod: work done")

if insmod /modules/$mod.ko fail_init=1; then
	echo "kthread_leak: insmod fail_init=1 succeeded"; exit 1
fi
[ ! -d /sys/module/$mod ] || { echo "kthread_leak: module present after a failed init"; exit 1; }
mid=$(dmesg | grep -c "$mod: thread done")
wmid=$(dmesg | grep -c "$mod: work done")
[ "$mid" -gt "$before" ] ||
	{ echo "kthread_leak: a failed init returned before the module's thread ended"; exit 1; }
[ "$wmid" -gt "$wbefore" ] ||
	{ echo "kthread_leak: a failed init returned before the module's work item ran"; exit 1; }
before=$mid
wbefore=$wmid

insmod /modules/$mod.ko || { echo "kthread_leak: reload failed"; exit 1; }
rmmod $mod || { echo "kthread_leak: rmmod failed"; exit 1; }
after=$(dmesg | grep -c "$mod: thread done")
wafter=$(dmesg | grep -c "$mod: work done")
[ ! -d /sys/module/$mod ] || { echo "kthread_leak: module still present"; exit 1; }
[ "$after" -gt "$before" ] ||
	{ echo "kthread_leak: rmmod returned before the module's thread ended"; exit 1; }
[ "$wafter" -gt "$wbefore" ] ||
	{ echo "kthread_leak: rmmod returned before the module's work item ran"; exit 1; }

# Loaded again, so the final unload of /init has something to unload.
insmod /modules/$mod.ko || { echo "kthread_leak: final reload failed"; exit 1; }
echo "kthread_leak: a failed init and rmmod waited for the leaked thread and work item"
