// SPDX-License-Identifier: GPL-2.0

//! The `kernel` crate: safe Rust abstractions over the Linux kernel's C API.
//!
//! Every Rust module in the kernel is compiled against this crate (Kbuild
//! passes `--extern kernel`). It wraps the raw `bindings` so that drivers
//! can be written without `unsafe`; where C's rules cannot be expressed in
//! types, the wrappers document what they rely on.
//!
//! Start with [`prelude`], which brings the everyday items into scope.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![feature(arbitrary_self_types)]
#![feature(core_intrinsics)]
#![feature(coerce_unsized)]
#![feature(dispatch_from_dyn)]
#![feature(unsize)]
#![allow(internal_features)]
#![feature(used_with_arg)]

// The proc macros expand to `::kernel::...` paths; make them resolve in
// this crate too (for its own `#[kunit_tests]`).
extern crate self as kernel;

pub mod acpi;
pub mod alloc;
#[cfg(CONFIG_BLOCK)]
pub mod block;
pub mod build_assert;
pub mod cpu;
pub mod device;
pub mod device_id;
pub mod devres;
pub mod dma;
pub mod driver;
pub mod error;
pub mod fs;
pub mod init;
pub mod io;
pub mod ioctl;
pub mod iov;
pub mod irq;
pub mod kthread;
pub mod kunit;
pub mod miscdevice;
pub mod mm;
pub mod module;
pub mod of;
#[cfg(CONFIG_PCI)]
pub mod pci;
pub mod platform;
pub mod prelude;
pub mod print;
pub mod revocable;
pub mod seq_file;
pub mod sizes;
pub mod static_assert;
pub mod str;
pub mod sync;
pub mod task;
pub mod time;
pub mod transmute;
pub mod types;
pub mod uaccess;
pub mod workqueue;

pub use ::macros::kunit_tests;
#[doc(hidden)]
pub use bindings;
pub use ffi;

/// The kernel's procedural macros, and pin-init's attribute macros, under
/// one path (`kernel::macros::{module, vtable, pin_data, ...}`).
pub mod macros {
    pub use ::macros::*;
    pub use pinned_init::{pin_data, pinned_drop, Zeroable};
}
pub use module::{InPlaceModule, Module, ModuleMetadata, ThisModule};

#[doc(hidden)]
pub use build_error::build_error;

/// Page size of the running kernel.
pub const PAGE_SIZE: usize = bindings::PAGE_SIZE;

/// Format arguments for [`str::CString::try_from_fmt`] and similar
/// functions: `core::format_args!` under the kernel's name.
///
/// ```
/// let s = CString::try_from_fmt(fmt!("{}", 42))?;
/// assert_eq!(s.as_bytes(), b"42");
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! fmt {
    ($($arg:tt)*) => {
        ::core::format_args!($($arg)*)
    };
}

/// Log prefix of messages the crate itself prints.
const __LOG_PREFIX: &[u8] = b"rust_kernel\0";

/// Rust panics in the kernel are bugs: report the location and message,
/// then `BUG()`.
#[cfg(not(any(test, testlib)))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    // Inside a KUnit test, the test fails and its thread ends (no return).
    kunit::on_panic(info);
    pr_emerg!("{}\n", info);
    // SAFETY: `BUG()` has no preconditions; it never returns.
    unsafe { bindings::BUG() };
}

/// The address of the `$type` whose field `$field` is at `$ptr` (C's
/// `container_of`), as a raw pointer. Computing it is safe; dereferencing
/// it is sound only if `$ptr` really points into such a `$type`.
///
/// ```
/// struct Pair { a: u32, b: u64 }
/// let p = Pair { a: 1, b: 2 };
/// let outer: *const Pair = kernel::container_of!(&raw const p.b, Pair, b);
/// // SAFETY: `&p.b` is the `b` of `p`.
/// assert_eq!(unsafe { (*outer).a }, 1);
/// ```
#[macro_export]
macro_rules! container_of {
    ($ptr:expr, $type:ty, $($f:tt)*) => {{
        let field_ptr: *const _ = $ptr;
        field_ptr
            .cast::<u8>()
            .wrapping_sub(::core::mem::offset_of!($type, $($f)*))
            .cast::<$type>()
    }};
}
