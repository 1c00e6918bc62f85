// SPDX-License-Identifier: GPL-2.0
// expect: Release: AcquireOrRelaxed` is not satisfied
//! A load cannot have release ordering.
use kernel::sync::atomic::{Atomic, Release};
/// Does not compile.
pub fn f(a: &Atomic<i32>) -> i32 {
    a.load(Release)
}
