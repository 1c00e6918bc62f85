// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: dereference of raw pointer is unsafe
//! `dbg!` evaluates its argument outside any `unsafe` block.
use kernel::prelude::*;
const __LOG_PREFIX: &[u8] = b"cf\0";
/// Does not compile.
#[allow(clippy::disallowed_macros)]
pub fn f() -> u8 {
    dbg!(*(8 as *const u8))
}
