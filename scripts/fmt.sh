#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Formats every Rust file of ours with rustfmt (`make fmt`).

. "$(dirname "$0")/lib.sh"

cd "$TOP"
find rust samples drivers -name '*.rs' -not -path '*/target/*' -print0 |
	xargs -0 rustfmt --edition 2021
