// SPDX-License-Identifier: GPL-2.0

//! Types that can be read from, or written as, raw bytes.
//!
//! ```
//! use kernel::transmute::{AsBytes, FromBytes};
//! let x = 0x0102_0304u32;
//! assert_eq!(x.as_bytes(), &0x0102_0304u32.to_ne_bytes());
//! assert_eq!(u32::from_bytes_copy(x.as_bytes()), Some(x));
//! assert_eq!(u32::from_bytes_copy(&[1, 2, 3]), None); // wrong size
//! assert_eq!(true.as_bytes(), &[1]);
//! let words = [1u16, 2];
//! assert_eq!(words[..].as_bytes().len(), 4);
//! ```

use core::mem::{align_of, size_of, size_of_val};

/// Types for which any bit pattern is a valid value, so they can be read
/// from bytes (for example, from userspace).
///
/// # Safety
///
/// Every bit pattern of `size_of_val(self)` bytes must be a valid `Self`,
/// and `Self` must have no interior mutability.
pub unsafe trait FromBytes {
    /// Views `bytes` as a `Self`, if they are exactly `Self`'s size and
    /// suitably aligned.
    fn from_bytes(bytes: &[u8]) -> Option<&Self>
    where
        Self: Sized,
    {
        let p = bytes.as_ptr();
        if bytes.len() != size_of::<Self>() || p.align_offset(align_of::<Self>()) != 0 {
            return None;
        }
        // SAFETY: the bytes are `Self`'s size and alignment, initialised,
        // and any bit pattern is a valid `Self` (trait contract); the shared
        // borrow keeps them unchanged for the reference's lifetime.
        Some(unsafe { &*p.cast::<Self>() })
    }

    /// Views `bytes` as a mutable `Self`, as [`FromBytes::from_bytes`].
    /// `Self: AsBytes`, so that whatever is written stays valid bytes.
    fn from_bytes_mut(bytes: &mut [u8]) -> Option<&mut Self>
    where
        Self: Sized + AsBytes,
    {
        let p = bytes.as_mut_ptr();
        if bytes.len() != size_of::<Self>() || p.align_offset(align_of::<Self>()) != 0 {
            return None;
        }
        // SAFETY: as in `from_bytes`, with the exclusive borrow; writes of
        // `Self` values leave no uninitialised bytes (`AsBytes`).
        Some(unsafe { &mut *p.cast::<Self>() })
    }

    /// Copies a `Self` out of `bytes`, which must be exactly its size (any
    /// alignment).
    fn from_bytes_copy(bytes: &[u8]) -> Option<Self>
    where
        Self: Sized,
    {
        if bytes.len() != size_of::<Self>() {
            return None;
        }
        // SAFETY: `size_of::<Self>()` initialised bytes are read, unaligned;
        // any bit pattern is a valid `Self` (trait contract).
        Some(unsafe { bytes.as_ptr().cast::<Self>().read_unaligned() })
    }
}

/// Types whose bytes are all initialised (no padding), so they can be
/// written out as bytes (for example, to userspace).
///
/// # Safety
///
/// `Self` must have no padding bytes and no interior mutability.
pub unsafe trait AsBytes {
    /// The value's bytes.
    fn as_bytes(&self) -> &[u8] {
        let len = size_of_val(self);
        // SAFETY: all `len` bytes of `self` are initialised (no padding, by
        // the trait contract) and not mutated while shared.
        unsafe { core::slice::from_raw_parts(core::ptr::from_ref(self).cast::<u8>(), len) }
    }

    /// The value's bytes, writable: `Self: FromBytes`, so any bytes
    /// written make a valid `Self`.
    fn as_bytes_mut(&mut self) -> &mut [u8]
    where
        Self: FromBytes,
    {
        let len = size_of_val(self);
        // SAFETY: as in `as_bytes`, with the exclusive borrow; any bytes
        // written leave a valid `Self` (`FromBytes`).
        unsafe { core::slice::from_raw_parts_mut(core::ptr::from_mut(self).cast::<u8>(), len) }
    }
}

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

// SAFETY: a `bool` is one fully initialised byte. It is not `FromBytes`:
// only 0 and 1 are valid.
unsafe impl AsBytes for bool {}

// SAFETY: an array of such values is such a value, element after element.
unsafe impl<T: FromBytes, const N: usize> FromBytes for [T; N] {}
// SAFETY: arrays have no padding between elements.
unsafe impl<T: AsBytes, const N: usize> AsBytes for [T; N] {}

// SAFETY: as for arrays.
unsafe impl<T: FromBytes> FromBytes for [T] {}
// SAFETY: slices have no padding between elements.
unsafe impl<T: AsBytes> AsBytes for [T] {}
