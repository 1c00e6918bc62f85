// SPDX-License-Identifier: GPL-2.0

//! Memory management: virtual memory areas ([`virt`]).

pub mod virt;
