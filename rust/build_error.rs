// SPDX-License-Identifier: GPL-2.0

//! Compile-time assertion support for [`build_assert!`].
//!
//! [`build_error`] is a `const fn` that panics. Called in a const context,
//! that panic is a compile error. Called at run time, the call must be
//! optimised away; if it survives, the final link fails, because this crate
//! is not linked into the kernel (unless `CONFIG_RUST_BUILD_ASSERT_ALLOW`,
//! in which case reaching it panics the kernel).
//!
//! [`build_assert!`]: ../kernel/macro.build_assert.html

#![no_std]

/// Reports a failed build-time assertion (see the crate documentation).
#[inline(never)]
#[cold]
#[export_name = "rust_build_error"]
#[track_caller]
pub const fn build_error(msg: &'static str) -> ! {
    panic!("{}", msg);
}
