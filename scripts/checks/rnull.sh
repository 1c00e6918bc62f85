#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the test initramfs with rnull_mod (Linux 6.12's Rust null block
# driver, built against our kernel::block::mq) loaded: the disk exists with
# the geometry rnull asks for, and reads complete.

dev=/dev/rnullb0
sys=/sys/block/rnullb0
[ -b "$dev" ] || { echo "rnull: $dev missing"; exit 1; }
size=$(cat "$sys/size")
[ "$size" = 8388608 ] || { echo "rnull: size $size sectors, expected 8388608"; exit 1; }
lbs=$(cat "$sys/queue/logical_block_size")
[ "$lbs" = 4096 ] || { echo "rnull: logical block size $lbs, expected 4096"; exit 1; }
rot=$(cat "$sys/queue/rotational")
[ "$rot" = 0 ] || { echo "rnull: rotational $rot, expected 0"; exit 1; }
dd if="$dev" of=/dev/null bs=4096 count=256 2>/dev/null || { echo "rnull: read failed"; exit 1; }
dd if="$dev" of=/dev/null bs=4096 count=16 skip=100000 2>/dev/null || { echo "rnull: read at offset failed"; exit 1; }
# An open disk keeps the driver's module loaded (the disk's owner).
exec 3<"$dev"
if rmmod rnull_mod 2>/dev/null; then
	echo "rnull: rmmod succeeded with $dev open"
	exit 1
fi
exec 3<&-
[ -d /sys/module/rnull_mod ] || { echo "rnull: module gone"; exit 1; }
echo "rnull: $dev reads ok, open disk pins the module"
