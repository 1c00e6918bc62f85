// SPDX-License-Identifier: GPL-2.0

//! Memory allocation: GFP flags, allocator backends, [`Box`] and [`Vec`].
//!
//! Every allocation takes explicit [`Flags`] (the caller knows whether it
//! may sleep) and can fail: the result is `Err(AllocError)`, which `?`
//! turns into `ENOMEM`. Nothing here panics on allocation failure.
//!
//! | backend | C function | use |
//! |---|---|---|
//! | [`Kmalloc`] | `krealloc` | physically contiguous, small objects |
//! | [`Vmalloc`] | `vrealloc` | virtually contiguous, large buffers |
//! | [`KVmalloc`] | `kvrealloc` | `kmalloc`, falling back to `vmalloc` |

pub mod allocator;
pub mod kbox;
pub mod kvec;
pub mod layout;

pub use allocator::{KVmalloc, Kmalloc, Vmalloc};
pub use kbox::{Box, KBox, KVBox, VBox};
pub use kvec::{DrainAll, IntoIter, KVVec, KVec, VVec, Vec};

use core::{alloc::Layout, ptr::NonNull};

/// An allocation failed.
///
/// An impossible request fails cleanly, as `ENOMEM` through `?`, without a
/// warning in the kernel log:
///
/// ```
/// assert_eq!(KVec::<u8>::with_capacity(1 << 40, GFP_KERNEL).err(), Some(AllocError));
/// assert!(KVVec::<u8>::with_capacity(1 << 40, GFP_KERNEL).is_err());
/// assert!(VVec::<u8>::with_capacity(1 << 40, GFP_KERNEL | __GFP_NOWARN).is_err());
/// let e = KBox::<[u8; 1 << 30]>::new_uninit(GFP_KERNEL).map(|_| ()).map_err(Error::from);
/// assert_eq!(e, Err(ENOMEM));
/// ```
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct AllocError;

/// GFP flags: how an allocation may behave (sleep, reclaim, zero, ...).
///
/// Combine them with `|`; remove one with `&!`.
///
/// ```
/// use kernel::alloc::flags::*;
/// let f = GFP_KERNEL | __GFP_ZERO;
/// assert!(f.contains(__GFP_ZERO));
/// assert!(!(f & !__GFP_ZERO).contains(__GFP_ZERO));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Flags(u32);

impl Flags {
    /// The raw `gfp_t` value.
    pub const fn as_raw(self) -> u32 {
        self.0
    }

    /// Whether every flag of `other` is set in `self`.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Flags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl core::ops::BitAnd for Flags {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl core::ops::Not for Flags {
    type Output = Self;
    fn not(self) -> Self {
        Self(!self.0)
    }
}

impl core::fmt::Debug for Flags {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Flags({:#x})", self.0)
    }
}

/// The GFP flags, with their C names.
pub mod flags {
    pub use super::Flags;

    /// Normal allocation for kernel-internal use; may sleep.
    pub const GFP_KERNEL: Flags = Flags(bindings::GFP_KERNEL);
    /// Like [`GFP_KERNEL`], charged to the current memory cgroup.
    pub const GFP_KERNEL_ACCOUNT: Flags = Flags(bindings::GFP_KERNEL_ACCOUNT);
    /// Must not sleep; may use emergency reserves (interrupt context).
    pub const GFP_ATOMIC: Flags = Flags(bindings::GFP_ATOMIC);
    /// Must not sleep, and does not dip into reserves.
    pub const GFP_NOWAIT: Flags = Flags(bindings::GFP_NOWAIT);
    /// May sleep, but must not start I/O.
    pub const GFP_NOIO: Flags = Flags(bindings::GFP_NOIO);
    /// May sleep, but must not call into filesystems.
    pub const GFP_NOFS: Flags = Flags(bindings::GFP_NOFS);
    /// Zero the memory.
    pub const __GFP_ZERO: Flags = Flags(bindings::__GFP_ZERO);
    /// May use high memory (not for kernel-mapped objects).
    pub const __GFP_HIGHMEM: Flags = Flags(bindings::__GFP_HIGHMEM);
    /// Do not warn on failure (for allocations that are expected to fail).
    pub const __GFP_NOWARN: Flags = Flags(bindings::__GFP_NOWARN);
}

/// A memory allocator backend.
///
/// # Safety
///
/// Memory returned by `realloc` must stay valid until it is passed to
/// `realloc` (or `free`) of the same allocator, be at least as large as the
/// requested layout's size, and be aligned to its alignment.
pub unsafe trait Allocator {
    /// Allocates memory for `layout`.
    #[inline]
    fn alloc(layout: Layout, flags: Flags) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: `None` means a fresh allocation; there is no old memory
        // whose layout must match.
        unsafe { Self::realloc(None, layout, Layout::new::<()>(), flags) }
    }

    /// Allocates, grows or shrinks memory. On success the first
    /// `min(layout.size(), old_layout.size())` bytes are preserved; on
    /// failure the old allocation is untouched.
    ///
    /// # Safety
    ///
    /// `ptr` must be `None`, or memory from this allocator not yet freed,
    /// allocated with `old_layout`.
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
    ) -> Result<NonNull<[u8]>, AllocError>;

    /// Frees memory.
    ///
    /// # Safety
    ///
    /// `ptr` must be memory from this allocator not yet freed, allocated
    /// with `layout`; it must not be used afterwards.
    #[inline]
    unsafe fn free(ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: forwarded caller guarantee; a zero-sized request frees.
        let _ = unsafe { Self::realloc(Some(ptr), Layout::new::<()>(), layout, Flags(0)) };
    }
}

/// A well-aligned, non-null pointer for zero-sized allocations.
#[inline]
pub(crate) fn dangling_for(layout: Layout) -> NonNull<u8> {
    // An address equal to the alignment is non-null and aligned; it is
    // never dereferenced for zero bytes.
    NonNull::new(layout.align() as *mut u8).unwrap_or(NonNull::dangling())
}
