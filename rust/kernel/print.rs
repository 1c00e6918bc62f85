// SPDX-License-Identifier: GPL-2.0

//! Printing to the kernel log: `pr_info!` and friends.
//!
//! Messages go through C's `printk` with the `%pA` specifier, which calls
//! back into Rust ([`rust_fmt_argument`]) to format a [`fmt::Arguments`]
//! straight into printk's buffer. No allocation, no intermediate copy.
//!
//! Each message is prefixed with the module name (the `__LOG_PREFIX` the
//! `module!` macro defines), like C's `pr_fmt` convention.

use crate::{
    ffi::{c_char, c_void},
    str::RawFormatter,
};
use core::fmt;

/// printk's callback for `%pA`: formats the [`fmt::Arguments`] at `ptr`
/// into `buf..end`, returning where the output ends (possibly past `end`,
/// as `vsnprintf` expects for truncated output).
///
/// # Safety
///
/// `ptr` must point to a valid `fmt::Arguments`, and `buf..end` must be
/// writable or `buf` past `end`, as `vsnprintf` guarantees.
#[no_mangle]
pub unsafe extern "C" fn rust_fmt_argument(
    buf: *mut c_char,
    end: *mut c_char,
    ptr: *const c_void,
) -> *mut c_char {
    // SAFETY: the caller (vsnprintf) passes a buffer range it may write.
    let mut w = unsafe { RawFormatter::from_ptrs(buf.cast(), end.cast()) };
    // SAFETY: the caller guarantees `ptr` points to a `fmt::Arguments`; all
    // our `%pA` call sites pass one.
    let args = unsafe { &*ptr.cast::<fmt::Arguments<'_>>() };
    // A formatting error only truncates the message; printk goes on.
    let _ = fmt::write(&mut w, *args);
    w.pos().cast()
}

/// printk format strings, one per level: `KERN_SOH <level> "%s: %pA"`.
#[doc(hidden)]
pub mod format_strings {
    /// Length of every prefixed format string below.
    const LEN: usize = 10;

    /// A printk format string consuming a `%s` prefix and a `%pA`
    /// [`core::fmt::Arguments`].
    ///
    /// # Invariants
    ///
    /// The bytes are `KERN_SOH <level> "%s: %pA" NUL`: only this module
    /// makes values of this type.
    pub struct Prefixed([u8; LEN]);

    impl Prefixed {
        /// The format string, for `_printk`.
        pub(crate) fn as_ptr(&self) -> *const u8 {
            self.0.as_ptr()
        }
    }

    const fn make(level: u8) -> Prefixed {
        // INVARIANT: the layout the type documents.
        Prefixed([0x01, level, b'%', b's', b':', b' ', b'%', b'p', b'A', 0])
    }

    /// `KERN_EMERG`.
    pub static EMERG: Prefixed = make(b'0');
    /// `KERN_ALERT`.
    pub static ALERT: Prefixed = make(b'1');
    /// `KERN_CRIT`.
    pub static CRIT: Prefixed = make(b'2');
    /// `KERN_ERR`.
    pub static ERR: Prefixed = make(b'3');
    /// `KERN_WARNING`.
    pub static WARNING: Prefixed = make(b'4');
    /// `KERN_NOTICE`.
    pub static NOTICE: Prefixed = make(b'5');
    /// `KERN_INFO`.
    pub static INFO: Prefixed = make(b'6');
    /// `KERN_DEBUG`.
    pub static DEBUG: Prefixed = make(b'7');
    /// `KERN_CONT`: continues the previous line, without a prefix.
    pub static CONT: [u8; 6] = [0x01, b'c', b'%', b'p', b'A', 0];
}

/// Prints one message with a module prefix. Used by the `pr_*!` macros.
///
/// `prefix` is the module name; it is printed only if it is NUL-terminated
/// (as the `__LOG_PREFIX` of `module!` is), else `?` stands in for it.
#[doc(hidden)]
pub fn call_printk(format: &format_strings::Prefixed, prefix: &[u8], args: fmt::Arguments<'_>) {
    let prefix: &[u8] = if prefix.last() == Some(&0) {
        prefix
    } else {
        b"?\0"
    };
    // SAFETY: `format` is `KERN_SOH <level> "%s: %pA"` (type invariant of
    // `Prefixed`): `%s` consumes `prefix`, NUL-terminated as checked just
    // above, and `%pA` the arguments, which outlive the call.
    unsafe {
        bindings::_printk(
            format.as_ptr().cast(),
            prefix.as_ptr(),
            core::ptr::from_ref(&args).cast::<c_void>(),
        );
    }
}

/// Continues the previous message (`KERN_CONT`). Used by [`pr_cont!`].
#[doc(hidden)]
pub fn call_printk_cont(args: fmt::Arguments<'_>) {
    // SAFETY: the format is `KERN_CONT "%pA"`, consuming one
    // `fmt::Arguments`, which outlives the call.
    unsafe {
        bindings::_printk(
            format_strings::CONT.as_ptr().cast(),
            core::ptr::from_ref(&args).cast::<c_void>(),
        );
    }
}

/// Shared body of the `pr_*!` macros. `crate::__LOG_PREFIX` is meant to
/// resolve in the calling crate: each module defines its own.
///
/// The caller's arguments are evaluated by `format_args!` in the `match`
/// scrutinee, outside the `unsafe` block: an argument that needs `unsafe`
/// (say, a raw pointer dereference) must bring its own, as anywhere else.
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)]
macro_rules! print_macro {
    ($level:ident, $($arg:tt)+) => {
        // No `unsafe` here: the caller's arguments are expanded into safe
        // code only, so an argument needing `unsafe` must bring its own.
        $crate::print::call_printk(
            &$crate::print::format_strings::$level,
            crate::__LOG_PREFIX,
            ::core::format_args!($($arg)+),
        )
    };
}

/// Prints an emergency-level message (`KERN_EMERG`): the system is unusable.
///
/// ```
/// pr_emerg!("{} is on fire\n", "the kernel");
/// ```
#[macro_export]
macro_rules! pr_emerg {
    ($($arg:tt)+) => { $crate::print_macro!(EMERG, $($arg)+) };
}

/// Prints an alert-level message (`KERN_ALERT`): act immediately.
///
/// ```
/// pr_alert!("alert {}\n", 1);
/// ```
#[macro_export]
macro_rules! pr_alert {
    ($($arg:tt)+) => { $crate::print_macro!(ALERT, $($arg)+) };
}

/// Prints a critical-level message (`KERN_CRIT`).
///
/// ```
/// pr_crit!("critical {}\n", 2);
/// ```
#[macro_export]
macro_rules! pr_crit {
    ($($arg:tt)+) => { $crate::print_macro!(CRIT, $($arg)+) };
}

/// Prints an error-level message (`KERN_ERR`).
///
/// ```
/// pr_err!("error {}\n", 3);
/// ```
#[macro_export]
macro_rules! pr_err {
    ($($arg:tt)+) => { $crate::print_macro!(ERR, $($arg)+) };
}

/// Prints a warning-level message (`KERN_WARNING`).
///
/// ```
/// pr_warn!("warning {}\n", 4);
/// ```
#[macro_export]
macro_rules! pr_warn {
    ($($arg:tt)+) => { $crate::print_macro!(WARNING, $($arg)+) };
}

/// Prints a notice-level message (`KERN_NOTICE`).
///
/// ```
/// pr_notice!("notice {}\n", 5);
/// ```
#[macro_export]
macro_rules! pr_notice {
    ($($arg:tt)+) => { $crate::print_macro!(NOTICE, $($arg)+) };
}

/// Prints an info-level message (`KERN_INFO`).
///
/// ```
/// pr_info!("info {}\n", 6);
/// ```
#[macro_export]
macro_rules! pr_info {
    ($($arg:tt)+) => { $crate::print_macro!(INFO, $($arg)+) };
}

/// Prints a debug-level message (`KERN_DEBUG`).
///
/// As upstream, the message is only printed in builds with debug
/// assertions (`CONFIG_RUST_DEBUG_ASSERTIONS`); the arguments are still
/// type-checked otherwise.
///
/// ```
/// pr_debug!("debug {}\n", 7);
/// ```
#[macro_export]
macro_rules! pr_debug {
    ($($arg:tt)+) => {
        if cfg!(debug_assertions) {
            $crate::print_macro!(DEBUG, $($arg)+)
        }
    };
}

/// Continues the previous message without a new prefix (`KERN_CONT`).
///
/// ```
/// pr_info!("a line that");
/// pr_cont!(" is {}\n", "continued");
/// ```
#[macro_export]
macro_rules! pr_cont {
    ($($arg:tt)+) => {
        $crate::print::call_printk_cont(::core::format_args!($($arg)+))
    };
}

/// Prints an expression and its value (with its source location) at
/// `KERN_ERR`, and returns the value: the kernel's counterpart of `std::dbg!`.
/// Meant for temporary debugging only.
///
/// ```
/// #[allow(clippy::disallowed_macros)]
/// let x = dbg!(2 + 2);
/// assert_eq!(x, 4);
/// ```
#[macro_export]
macro_rules! dbg {
    () => {
        $crate::pr_err!("[{}:{}:{}]\n", ::core::file!(), ::core::line!(), ::core::column!())
    };
    ($val:expr $(,)?) => {
        match $val {
            tmp => {
                $crate::pr_err!("[{}:{}:{}] {} = {:#?}\n",
                    ::core::file!(), ::core::line!(), ::core::column!(),
                    ::core::stringify!($val), &tmp);
                tmp
            }
        }
    };
    ($($val:expr),+ $(,)?) => {
        ($($crate::dbg!($val)),+,)
    };
}
