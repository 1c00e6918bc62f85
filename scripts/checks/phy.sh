#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the test initramfs with Linux 6.12's Rust PHY drivers loaded
# (ax88796b_rust and qt2025, built unchanged against our kernel::net::phy):
# no PHY is attached, but each driver is registered with the PHY library
# under its name, owned by its module, and the modules carry the MDIO
# aliases (and qt2025 its firmware name) that module autoloading needs.
# Then one module is unloaded and loaded again: its driver goes and comes
# back.

drivers=/sys/bus/mdio_bus/drivers
fail() { echo "phy: $*"; exit 1; }

# "<module>:<driver name>" for every driver of the two modules.
for entry in "ax88796b_rust:Asix Electronics AX88772A" "ax88796b_rust:Asix Electronics AX88772C" \
	"ax88796b_rust:Asix Electronics AX88796B" "qt2025:QT2025 10Gpbs SFP+"; do
	mod=${entry%%:*}
	name=${entry#*:}
	[ -d "$drivers/$name" ] || fail "$drivers/$name missing"
	# The driver core links a driver to its owner module.
	owner=$(cd "$drivers/$name/module" 2>/dev/null && pwd -P) || fail "'$name' has no owner module"
	[ "$owner" = "/sys/module/$mod" ] || fail "'$name' is owned by $owner, not $mod"
done

# What modpost took from the device tables and the firmware list.
modinfo_has() {
	tr '\000' '\n' <"/modules/$1.ko" | grep -qFx "$2" || fail "$1.ko lacks $2"
}
modinfo_has ax88796b_rust 'alias=mdio:00000000001110110001100001100001'
modinfo_has ax88796b_rust 'alias=mdio:00000000001110110001100010000001'
modinfo_has ax88796b_rust 'alias=mdio:0000000000111011000110000100????'
modinfo_has qt2025 'alias=mdio:00000000010000111010010000000000'
modinfo_has qt2025 'firmware=qt2025-2.0.3.3.fw'

# Unloading unregisters the driver; loading registers it again.
rmmod qt2025 || fail "rmmod qt2025 failed"
[ -e "$drivers/QT2025 10Gpbs SFP+" ] && fail "qt2025's driver still registered after rmmod"
insmod /modules/qt2025.ko || fail "insmod qt2025 failed"
[ -d "$drivers/QT2025 10Gpbs SFP+" ] || fail "qt2025's driver missing after reload"

echo "phy: 4 drivers registered with their owners, aliases present, qt2025 reloads"
