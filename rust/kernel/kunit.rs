// SPDX-License-Identifier: GPL-2.0

//! KUnit support: assertions that report to the running KUnit test.
//!
//! The `kernel` crate's doctests are compiled into a KUnit suite (by the
//! base kernel's `scripts/rustdoc_test_gen`), in which `assert!` and
//! `assert_eq!` are redirected to [`kunit_assert!`] and [`kunit_assert_eq!`]:
//! a failure marks the test failed and ends it, instead of panicking the
//! kernel.

use crate::{ffi::c_void, str::CStr};
use core::fmt;

/// Prints a KTAP diagnostic line (`KERN_INFO`, no module prefix).
pub fn info(args: fmt::Arguments<'_>) {
    static FORMAT: [u8; 6] = [0x01, b'6', b'%', b'p', b'A', 0];
    // SAFETY: the format is `KERN_INFO "%pA"`, consuming one
    // `fmt::Arguments`, which outlives the call.
    unsafe {
        bindings::_printk(
            FORMAT.as_ptr().cast(),
            core::ptr::from_ref(&args).cast::<c_void>(),
        );
    }
}

/// Reports a failed assertion to the current KUnit test and ends it.
///
/// Outside a KUnit test (no current test), the failure is logged as an
/// error and execution continues.
#[doc(hidden)]
pub fn fail(file: &'static CStr, line: i32, message: fmt::Arguments<'_>) {
    // SAFETY: reads `current->kunit_test`; no preconditions.
    let test = unsafe { bindings::kunit_get_current_test() };
    if test.is_null() {
        crate::pr_err!(
            "assertion failed outside a KUnit test at {}:{}: {}\n",
            file,
            line,
            message
        );
        return;
    }
    let loc = bindings::kunit_loc {
        line,
        file: file.as_char_ptr(),
    };
    let assert = bindings::kunit_fail_assert::default();
    static MSG_FORMAT: [u8; 4] = [b'%', b'p', b'A', 0];
    // SAFETY: `test` is the running test; `loc` and `assert` outlive the
    // call, which formats the message synchronously; the format `%pA`
    // consumes the one `fmt::Arguments` passed.
    unsafe {
        bindings::__kunit_do_failed_assertion(
            test,
            &loc,
            bindings::kunit_assert_type_KUNIT_ASSERTION,
            &assert.assert,
            Some(bindings::kunit_fail_assert_format),
            MSG_FORMAT.as_ptr().cast(),
            core::ptr::from_ref(&message).cast::<c_void>(),
        );
    }
    // SAFETY: `test` is the running test; `__kunit_abort` ends its thread
    // and does not return.
    unsafe { bindings::__kunit_abort(test) }
}

/// Asserts a condition inside a KUnit test (see the module documentation).
#[doc(hidden)]
#[macro_export]
macro_rules! kunit_assert {
    ($name:literal, $file:literal, $line:expr, $cond:expr $(,)?) => {{
        if !$cond {
            $crate::kunit::fail(
                $crate::c_str!($file),
                $line,
                ::core::format_args!("{}: assertion failed: {}", $name, ::core::stringify!($cond)),
            );
        }
    }};
}

/// Asserts equality inside a KUnit test (see the module documentation).
#[doc(hidden)]
#[macro_export]
macro_rules! kunit_assert_eq {
    ($name:literal, $file:literal, $line:expr, $left:expr, $right:expr $(,)?) => {{
        match (&$left, &$right) {
            (left, right) => {
                if !(*left == *right) {
                    $crate::kunit::fail(
                        $crate::c_str!($file),
                        $line,
                        ::core::format_args!(
                            "{}: assertion failed: {} == {}\n        left: {:?}\n       right: {:?}",
                            $name,
                            ::core::stringify!($left),
                            ::core::stringify!($right),
                            left,
                            right
                        ),
                    );
                }
            }
        }
    }};
}
