// SPDX-License-Identifier: GPL-2.0

//! KUnit support: assertions that report to the running KUnit test, and
//! the plumbing of `#[kunit_tests]`.
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
/// In a thread started by [`crate::kthread::spawn`], the thread ends
/// instead, and the test that joins it fails. Outside a KUnit test and such
/// threads, the failure is logged as an error and execution continues.
#[doc(hidden)]
pub fn fail(file: &'static CStr, line: i32, message: fmt::Arguments<'_>) {
    // SAFETY: reads `current->kunit_test`; no preconditions.
    let test = unsafe { bindings::kunit_get_current_test() };
    if test.is_null() {
        crate::pr_err!("assertion failed at {}:{}: {}\n", file, line, message);
        // Ends the current thread if it is one of `kthread::spawn`'s.
        crate::kthread::abort_current();
        return;
    }
    // SAFETY: `test` is the running test of the current thread.
    unsafe { report_and_abort(test, file, line, message) }
}

/// Marks `test` failed with `message` and ends the test's thread.
///
/// # Safety
///
/// `test` must be the KUnit test the current thread runs.
unsafe fn report_and_abort(
    test: *mut bindings::kunit,
    file: &CStr,
    line: i32,
    message: fmt::Arguments<'_>,
) -> ! {
    let loc = bindings::kunit_loc {
        line,
        file: file.as_char_ptr(),
    };
    let assert = bindings::kunit_fail_assert::default();
    static MSG_FORMAT: [u8; 4] = [b'%', b'p', b'A', 0];
    // SAFETY: `test` is the running test (caller guarantee); `loc` and
    // `assert` outlive the call, which formats the message synchronously;
    // the format `%pA` consumes the one `fmt::Arguments` passed.
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
    // SAFETY: `test` is the current thread's test; `__kunit_abort` ends this
    // thread and does not return.
    unsafe { bindings::__kunit_abort(test) }
}

/// Called by the panic handler: a panic inside a KUnit test (for example a
/// failed `assert!` in a helper function the test calls) fails that test
/// cleanly instead of taking the kernel down. Returns when the panicking
/// thread is not running a test.
pub(crate) fn on_panic(info: &core::panic::PanicInfo<'_>) {
    // SAFETY: reads `current->kunit_test`; no preconditions.
    let test = unsafe { bindings::kunit_get_current_test() };
    if test.is_null() {
        // A thread spawned from a test ends; its joiner fails the test.
        if crate::kthread::ends_on_failure(true) {
            crate::pr_err!("{}\n", info);
            crate::kthread::abort_current();
        }
        return;
    }
    // The location is in the message; KUnit's wants a C string.
    let line = info.location().map_or(0, |l| l.line() as i32);
    // SAFETY: `test` is the running test of the current thread.
    unsafe {
        report_and_abort(
            test,
            crate::c_str!("(rust panic)"),
            line,
            format_args!("{}", info),
        )
    }
}

/// What a `#[test]` function of `#[kunit_tests]` may return: `()`, or a
/// `Result`, whose `Err` fails the test (it is not thrown away).
pub trait TestResult {
    /// `Ok(())` if the test passed, else what to report.
    fn check(self) -> core::result::Result<(), impl fmt::Debug>;
}

impl TestResult for () {
    fn check(self) -> core::result::Result<(), impl fmt::Debug> {
        Ok::<(), ()>(())
    }
}

impl<T, E: fmt::Debug> TestResult for core::result::Result<T, E> {
    fn check(self) -> core::result::Result<(), impl fmt::Debug> {
        self.map(|_| ())
    }
}

/// Whether a test's return value says it passed (upstream's name).
pub fn is_test_result_ok(t: impl TestResult) -> bool {
    t.check().is_ok()
}

/// Reports a test's `Err` return to KUnit. Used by `#[kunit_tests]`.
#[doc(hidden)]
pub fn check_test_result(file: &'static CStr, line: i32, name: &str, t: impl TestResult) {
    if let Err(e) = t.check() {
        fail(file, line, format_args!("{name} returned Err({e:?})"));
    }
}

/// The message of a failed assertion: what failed, and the caller's own
/// message when it gave one.
#[doc(hidden)]
pub struct Failure<'a> {
    /// The test's name.
    pub name: &'static str,
    /// The condition, as written.
    pub what: fmt::Arguments<'a>,
    /// The caller's message, if any.
    pub message: Option<fmt::Arguments<'a>>,
}

impl fmt::Display for Failure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: assertion failed: {}", self.name, self.what)?;
        match self.message {
            Some(m) => write!(f, ": {m}"),
            None => Ok(()),
        }
    }
}

/// Asserts a condition inside a KUnit test (see the module documentation).
#[doc(hidden)]
#[macro_export]
macro_rules! kunit_assert {
    ($name:literal, $file:expr, $line:expr, $cond:expr $(, $($arg:tt)+)?) => {{
        if !$cond {
            $crate::kunit::fail(
                $crate::c_str!($file),
                $line,
                ::core::format_args!("{}", $crate::kunit::Failure {
                    name: $name,
                    what: ::core::format_args!("{}", ::core::stringify!($cond)),
                    message: $crate::kunit_assert!(@message $($($arg)+)?),
                }),
            );
        }
    }};
    (@message) => { ::core::option::Option::None };
    (@message $($arg:tt)+) => { ::core::option::Option::Some(::core::format_args!($($arg)+)) };
}

/// Asserts equality inside a KUnit test (see the module documentation).
#[doc(hidden)]
#[macro_export]
macro_rules! kunit_assert_eq {
    ($name:literal, $file:expr, $line:expr, $left:expr, $right:expr $(, $($arg:tt)*)?) => {{
        match (&$left, &$right) {
            (left, right) => {
                if !(*left == *right) {
                    $crate::kunit::fail(
                        $crate::c_str!($file),
                        $line,
                        ::core::format_args!("{}", $crate::kunit::Failure {
                            name: $name,
                            what: ::core::format_args!(
                                "{} == {}\n        left: {:?}\n       right: {:?}",
                                ::core::stringify!($left),
                                ::core::stringify!($right),
                                left,
                                right
                            ),
                            message: $crate::kunit_assert!(@message $($($arg)*)?),
                        }),
                    );
                }
            }
        }
    }};
}

/// A KUnit test case for `#[kunit_tests]`: `name` runs `run_case`.
#[doc(hidden)]
pub const fn kunit_case(
    name: &'static CStr,
    run_case: unsafe extern "C" fn(*mut bindings::kunit),
) -> bindings::kunit_case {
    // SAFETY: an all-zero `kunit_case` is valid (null pointers, no
    // attributes), and KUnit fills the private fields itself.
    let mut case: bindings::kunit_case = unsafe { core::mem::zeroed() };
    case.run_case = Some(run_case);
    case.name = name.as_char_ptr();
    case
}

/// The all-zero case that ends a KUnit case array.
#[doc(hidden)]
pub const fn kunit_case_null() -> bindings::kunit_case {
    // SAFETY: the terminator is an all-zero `kunit_case`.
    unsafe { core::mem::zeroed() }
}

/// A KUnit suite named `name` running `cases`, for `#[kunit_tests]`.
///
/// # Safety
///
/// `cases` must point to an array of cases ending with
/// [`kunit_case_null`], that lives for as long as the suite is
/// registered and is only used by KUnit.
#[doc(hidden)]
pub const unsafe fn kunit_suite(
    name: &'static str,
    cases: *mut bindings::kunit_case,
) -> bindings::kunit_suite {
    // SAFETY: an all-zero `kunit_suite` is valid (no init/exit hooks).
    let mut suite: bindings::kunit_suite = unsafe { core::mem::zeroed() };
    let bytes = name.as_bytes();
    // Leave room for the NUL that the zeroed array already holds.
    // Evaluated at compile time (the suite is a `static`), so a name that is
    // too long stops the build.
    assert!(bytes.len() < 256, "KUnit suite name too long");
    let mut i = 0;
    while i < bytes.len() && i < suite.name.len() - 1 {
        suite.name[i] = bytes[i];
        i += 1;
    }
    suite.test_cases = cases;
    suite
}

/// Registers a KUnit suite: puts a pointer to it in the
/// `.kunit_test_suites` section, where KUnit finds the suites of vmlinux
/// and of each module. Used by `#[kunit_tests]`.
#[doc(hidden)]
#[macro_export]
macro_rules! kunit_unsafe_test_suite {
    ($name:ident, $cases:ident) => {
        const _: () = {
            static mut SUITE: $crate::bindings::kunit_suite =
                // SAFETY: `$cases` is a `static mut` array ending with the
                // null case, used by KUnit only.
                unsafe {
                    $crate::kunit::kunit_suite(
                        ::core::stringify!($name),
                        ::core::ptr::addr_of_mut!($cases).cast(),
                    )
                };

            #[used(compiler)]
            #[link_section = ".kunit_test_suites"]
            static mut SUITE_ENTRY: *const $crate::bindings::kunit_suite =
                ::core::ptr::addr_of!(SUITE);
        };
    };
}
