#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the static test program built from misc_device.c against
# samples/rust/rust_misc_device.rs.
exec /bin/misc_device_test
