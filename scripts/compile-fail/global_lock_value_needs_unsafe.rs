// SPDX-License-Identifier: GPL-2.0
// expect: error[E0133]: dereference of raw pointer is unsafe
//! `global_lock!`'s `unsafe(uninit)` promises the `init` call only: the
//! value expression is not inside the macro's `unsafe` block.
kernel::global_lock! {
    // SAFETY: never used.
    unsafe(uninit) static G: Mutex<u8> = *(8 as *const u8);
}
