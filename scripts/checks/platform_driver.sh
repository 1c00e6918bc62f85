#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# samples/rust/rust_driver_platform.rs registers a platform device and a
# platform driver of the same name, which binds to it. From userspace:
# the binding is in sysfs, unbind and bind through sysfs work (each runs
# the driver's unbind or probe once), and unloading the module removes
# both the binding and the device; the module is loaded again after, for
# the final unload of /init.

mod=rust_driver_platform
drv=/sys/bus/platform/drivers/$mod
dev=/sys/bus/platform/devices/$mod
fail() { echo "platform_driver: $*"; exit 1; }
probes() { dmesg | grep -c "$mod $mod: probed, matched by name"; }
unbinds() { dmesg | grep -c "$mod $mod: unbinding"; }

[ -d /sys/module/$mod ] || fail "$mod not loaded"
[ -d "$dev" ] || fail "no device $dev"
[ -e "$drv/$mod" ] || fail "$drv/$mod missing: the driver did not bind"
[ "$(cd "$dev/driver" 2>/dev/null && pwd -P)" = "$(cd "$drv" && pwd -P)" ] ||
	fail "$dev/driver is not $drv"
[ "$(cat "$dev/modalias")" = "platform:$mod" ] || fail "modalias is $(cat "$dev/modalias")"

p0=$(probes)
u0=$(unbinds)
echo "$mod" >"$drv/unbind" || fail "unbind through sysfs failed"
[ ! -e "$drv/$mod" ] || fail "still bound after unbind"
[ ! -e "$dev/driver" ] || fail "$dev/driver still there after unbind"
[ "$(unbinds)" -eq $((u0 + 1)) ] || fail "unbind did not run the driver's unbind once"

echo "$mod" >"$drv/bind" || fail "bind through sysfs failed"
[ -e "$drv/$mod" ] || fail "not bound after bind"
[ "$(probes)" -eq $((p0 + 1)) ] || fail "bind did not probe once"

# A bound device does not pin the module: unloading unbinds and removes
# the device.
rmmod $mod || fail "rmmod failed"
[ ! -d /sys/module/$mod ] || fail "module still present"
[ ! -e "$dev" ] || fail "device still present after rmmod"
[ ! -e "$drv" ] || fail "driver still registered after rmmod"
[ "$(unbinds)" -eq $((u0 + 2)) ] || fail "rmmod did not unbind once"

insmod /modules/$mod.ko || fail "reload failed"
[ -e "$drv/$mod" ] || fail "not bound after reload"
echo "platform_driver: bound, unbind/bind through sysfs, rmmod and reload ok"
