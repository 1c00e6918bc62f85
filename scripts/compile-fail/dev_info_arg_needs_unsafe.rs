// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: dereference of raw pointer is unsafe
//! `dev_info!` expands its arguments outside any `unsafe` block.
use kernel::{device::Device, prelude::*};
/// Does not compile.
pub fn f(dev: &Device) {
    dev_info!(dev, "{}\n", *(8 as *const u8));
}
