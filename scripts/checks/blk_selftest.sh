#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the static test program built from blk_selftest.c against
# drivers/selftests/rkal_blk_selftest.rs.
exec /bin/blk_selftest_test
