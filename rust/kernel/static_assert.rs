// SPDX-License-Identifier: GPL-2.0

//! Assertions on constants, checked by the compiler.

/// Fails compilation if the constant expression is false, like C's
/// `static_assert`. Usable at item level and inside functions.
///
/// ```
/// kernel::static_assert!(core::mem::size_of::<u32>() == 4);
/// kernel::static_assert!(usize::BITS >= 32, "usize is too small");
/// ```
///
/// A false condition, such as `static_assert!(1 + 1 == 3)`, stops the build
/// with "evaluation of constant value failed".
#[macro_export]
macro_rules! static_assert {
    ($cond:expr $(,)?) => {
        const _: () = ::core::assert!($cond);
    };
    ($cond:expr, $msg:literal) => {
        const _: () = ::core::assert!($cond, $msg);
    };
}
