#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs in the test initramfs while the sample modules are loaded: each lock
# site of ours must be its own lockdep class in /proc/lockdep (one line per
# name), which shows the `new_*!` macros give every site its own key.

[ -r /proc/lockdep ] || { echo "lockdep_classes: /proc/lockdep missing"; exit 1; }
status=0
for name in rust_sync:queue rust_sync:ready rust_sync:stats lock_doc_mutex lock_doc_spinlock; do
	# Class lines start with the key's address; " -> [...]" lines are
	# dependencies.
	n=$(grep -c "^[0-9a-f]* .*: $name\$" /proc/lockdep)
	if [ "$n" != 1 ]; then
		echo "lockdep_classes: '$name' has $n classes, expected 1"
		status=1
	fi
done
exit $status
