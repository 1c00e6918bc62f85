// SPDX-License-Identifier: GPL-2.0
// expect: Acquire: ReleaseOrRelaxed` is not satisfied
//! A store cannot have acquire ordering.
use kernel::sync::atomic::{Acquire, Atomic};
/// Does not compile.
pub fn f(a: &Atomic<u64>) {
    a.store(1, Acquire)
}
