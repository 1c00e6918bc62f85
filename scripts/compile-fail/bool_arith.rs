// SPDX-License-Identifier: GPL-2.0
// expect: the method `fetch_add` exists for reference `&Atomic<bool>`, but its trait bounds were not satisfied
//! C has no arithmetic on bytes or booleans, so neither has Rust.
use kernel::sync::atomic::{Atomic, Full};
/// Does not compile.
pub fn f(a: &Atomic<bool>) -> bool {
    a.fetch_add(true, Full)
}
