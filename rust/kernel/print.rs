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
    /// Length of every format string below.
    const LEN: usize = 10;

    const fn make(level: u8) -> [u8; LEN] {
        [0x01, level, b'%', b's', b':', b' ', b'%', b'p', b'A', 0]
    }

    /// `KERN_EMERG`.
    pub static EMERG: [u8; LEN] = make(b'0');
    /// `KERN_ALERT`.
    pub static ALERT: [u8; LEN] = make(b'1');
    /// `KERN_CRIT`.
    pub static CRIT: [u8; LEN] = make(b'2');
    /// `KERN_ERR`.
    pub static ERR: [u8; LEN] = make(b'3');
    /// `KERN_WARNING`.
    pub static WARNING: [u8; LEN] = make(b'4');
    /// `KERN_NOTICE`.
    pub static NOTICE: [u8; LEN] = make(b'5');
    /// `KERN_INFO`.
    pub static INFO: [u8; LEN] = make(b'6');
    /// `KERN_DEBUG`.
    pub static DEBUG: [u8; LEN] = make(b'7');
    /// `KERN_CONT`: continues the previous line, without a prefix.
    pub static CONT: [u8; 6] = [0x01, b'c', b'%', b'p', b'A', 0];
}

/// Prints one message with a module prefix. Used by the `pr_*!` macros.
///
/// # Safety
///
/// `format` must be one of the [`format_strings`] (other than `CONT`), and
/// `prefix` must be NUL-terminated.
#[doc(hidden)]
pub unsafe fn call_printk(format: &[u8; 10], prefix: &[u8], args: fmt::Arguments<'_>) {
    // SAFETY: `format` is `KERN_SOH <level> "%s: %pA"` (caller guarantee):
    // `%s` consumes the NUL-terminated `prefix` and `%pA` the arguments,
    // which outlive the call.
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
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)]
macro_rules! print_macro {
    ($level:ident, $($arg:tt)+) => {
        // SAFETY: the format string is a level string of
        // `print::format_strings`, and `__LOG_PREFIX` is the NUL-terminated
        // module name defined by `module!` (or by the crate).
        unsafe {
            $crate::print::call_printk(
                &$crate::print::format_strings::$level,
                crate::__LOG_PREFIX,
                ::core::format_args!($($arg)+),
            )
        }
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
/// As in C without dynamic debug, the message is only compiled in when
/// `DEBUG` is defined for the crate (`--cfg DEBUG`); the arguments are
/// still type-checked otherwise.
///
/// ```
/// pr_debug!("debug {}\n", 7);
/// ```
#[macro_export]
macro_rules! pr_debug {
    ($($arg:tt)+) => {
        if cfg!(DEBUG) {
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
