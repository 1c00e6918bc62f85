#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the static test program built from api_shape.c against
# drivers/selftests/rkal_api_shape.rs.
exec /bin/api_shape_test
