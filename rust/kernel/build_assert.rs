// SPDX-License-Identifier: GPL-2.0

//! Assertions checked when the kernel is built, not when it runs.

/// Fails the build with `msg` when reached.
///
/// In a const context the failure is a compile error. Elsewhere the call
/// must be optimised away; if it is not, linking fails. Use it in branches
/// the compiler can prove dead.
///
/// ```
/// # use kernel::build_error;
/// const fn half(x: u32) -> u32 {
///     if x % 2 != 0 {
///         build_error!("odd");
///     }
///     x / 2
/// }
/// const H: u32 = half(8);
/// assert_eq!(H, 4);
/// ```
#[macro_export]
macro_rules! build_error {
    () => {{
        $crate::build_error("")
    }};
    ($msg:expr) => {{
        $crate::build_error($msg)
    }};
}

/// Asserts a condition the compiler can evaluate when building.
///
/// Unlike [`static_assert!`](crate::static_assert), the condition may
/// involve generic parameters and function arguments, as long as after
/// inlining and constant propagation it is known. If it is false, or not
/// known, the build fails (at compile or link time).
///
/// ```
/// fn first<const N: usize>(a: [u8; N]) -> u8 {
///     kernel::build_assert!(N > 0, "empty array");
///     a[0]
/// }
/// assert_eq!(first([7, 8]), 7);
/// ```
#[macro_export]
macro_rules! build_assert {
    ($cond:expr $(,)?) => {{
        if !$cond {
            $crate::build_error(concat!("assertion failed: ", stringify!($cond)));
        }
    }};
    ($cond:expr, $msg:expr) => {{
        if !$cond {
            $crate::build_error($msg);
        }
    }};
}
