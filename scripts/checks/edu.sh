#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the static test program built from edu.c against drivers/edu/
# (QEMU's edu device, bound by rkal_edu).
exec /bin/edu_test
