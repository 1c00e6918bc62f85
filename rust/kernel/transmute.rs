// SPDX-License-Identifier: GPL-2.0

//! Types that can be read from, or written as, raw bytes.

/// Types for which any bit pattern is a valid value, so they can be read
/// from bytes (for example, from userspace).
///
/// # Safety
///
/// Every bit pattern of `size_of::<Self>()` bytes must be a valid `Self`.
pub unsafe trait FromBytes {}

/// Types whose bytes are all initialised (no padding), so they can be
/// written out as bytes (for example, to userspace).
///
/// # Safety
///
/// `Self` must have no padding bytes and no interior mutability.
pub unsafe trait AsBytes {}

macro_rules! plain_data {
    ($($t:ty),*) => {
        $(
            // SAFETY: integers accept every bit pattern and have no padding.
            unsafe impl FromBytes for $t {}
            // SAFETY: as above.
            unsafe impl AsBytes for $t {}
        )*
    };
}

plain_data!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

// SAFETY: an array of such values is such a value, element after element.
unsafe impl<T: FromBytes, const N: usize> FromBytes for [T; N] {}
// SAFETY: arrays have no padding between elements.
unsafe impl<T: AsBytes, const N: usize> AsBytes for [T; N] {}
