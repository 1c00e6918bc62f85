// SPDX-License-Identifier: GPL-2.0
// expect: expected `Relaxed`, found `Full`
//! C's void atomics (`atomic_add()`) are unordered: only `Relaxed` fits.
use kernel::sync::atomic::{Atomic, Full};
/// Does not compile.
pub fn f(a: &Atomic<i64>) {
    a.add(1, Full)
}
