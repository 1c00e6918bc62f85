// SPDX-License-Identifier: GPL-2.0

//! [`ArrayLayout`]: the memory layout of an array whose size is known to
//! fit, checked once when it is made.

use core::{alloc::Layout, marker::PhantomData};

/// The length did not give a valid layout (its byte size overflows or is
/// past `isize::MAX`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutError;

impl From<LayoutError> for crate::error::Error {
    fn from(_: LayoutError) -> Self {
        crate::error::code::ENOMEM
    }
}

/// The layout of `[T; len]`, with `len * size_of::<T>() <= isize::MAX`.
///
/// ```
/// use kernel::alloc::layout::ArrayLayout;
/// let l = ArrayLayout::<u64>::new(4)?;
/// assert_eq!(l.len(), 4);
/// assert_eq!(l.size(), 32);
/// assert!(ArrayLayout::<u64>::new(usize::MAX / 4).is_err());
/// assert!(ArrayLayout::<u8>::empty().is_empty());
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `len * size_of::<T>() <= isize::MAX`.
pub struct ArrayLayout<T> {
    len: usize,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for ArrayLayout<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ArrayLayout<T> {}

const ISIZE_MAX: usize = isize::MAX as usize;

impl<T> ArrayLayout<T> {
    /// The layout of an empty array.
    pub const fn empty() -> Self {
        // INVARIANT: 0 bytes.
        Self {
            len: 0,
            _type: PhantomData,
        }
    }

    /// The layout of `[T; len]`, if its size fits.
    pub const fn new(len: usize) -> Result<Self, LayoutError> {
        match len.checked_mul(core::mem::size_of::<T>()) {
            // INVARIANT: checked just here.
            Some(size) if size <= ISIZE_MAX => Ok(Self {
                len,
                _type: PhantomData,
            }),
            _ => Err(LayoutError),
        }
    }

    /// The layout of `[T; len]`, unchecked.
    ///
    /// # Safety
    ///
    /// `len * size_of::<T>()` must not overflow or exceed `isize::MAX`.
    pub const unsafe fn new_unchecked(len: usize) -> Self {
        // INVARIANT: the caller's guarantee.
        Self {
            len,
            _type: PhantomData,
        }
    }

    /// The number of elements.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the array is empty.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size in bytes.
    pub const fn size(&self) -> usize {
        self.len * core::mem::size_of::<T>()
    }
}

impl<T> From<ArrayLayout<T>> for Layout {
    fn from(l: ArrayLayout<T>) -> Layout {
        // The size fits (type invariant) and the alignment is `T`'s.
        Layout::from_size_align(l.size(), core::mem::align_of::<T>()).unwrap_or_else(|_| {
            // Unreachable: a `T`'s alignment is a power of two and the size
            // does not exceed `isize::MAX`.
            Layout::new::<()>()
        })
    }
}
