// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: dereference of raw pointer is unsafe
//! `pr_info!` expands its arguments outside any `unsafe` block: an argument
//! that dereferences a raw pointer must bring its own `unsafe`.
use kernel::prelude::*;
const __LOG_PREFIX: &[u8] = b"cf\0";
/// Does not compile.
pub fn f() {
    pr_info!("{}\n", *(8 as *const u8));
}
