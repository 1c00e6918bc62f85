// SPDX-License-Identifier: GPL-2.0
// expect: cannot be shared between threads safely
//! `Atomic::from_ptr` requires `T: Sync`, as upstream does.
use kernel::sync::atomic::Atomic;
/// Does not compile.
pub fn f(p: *mut *mut u8) -> &'static Atomic<*mut u8> {
    // SAFETY: the bound must fail before this matters.
    unsafe { Atomic::from_ptr(p) }
}
