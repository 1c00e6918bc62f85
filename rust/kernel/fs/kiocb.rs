// SPDX-License-Identifier: GPL-2.0

//! [`Kiocb`]: the I/O control block of a `read_iter`/`write_iter` call.

use crate::types::ForeignOwnable;
use core::{marker::PhantomData, ptr::NonNull};

/// A `struct kiocb` of a file whose `private_data` holds a `T` (from
/// [`ForeignOwnable::into_foreign`]).
///
/// # Invariants
///
/// `inner` is valid for `'a`, and the file's `private_data` is a `T`'s
/// foreign pointer, not taken back during `'a`.
pub struct Kiocb<'a, T> {
    inner: NonNull<bindings::kiocb>,
    _phantom: PhantomData<&'a T>,
}

impl<'a, T: ForeignOwnable> Kiocb<'a, T> {
    /// Wraps a C `struct kiocb`.
    ///
    /// # Safety
    ///
    /// `kiocb` must be valid for `'a`, used only through the returned value
    /// meanwhile, and its file's `private_data` must hold a `T`'s foreign
    /// pointer for `'a`.
    pub unsafe fn from_raw(kiocb: *mut bindings::kiocb) -> Self {
        // INVARIANT: the caller's guarantees.
        Self {
            // SAFETY: a valid pointer is not null.
            inner: unsafe { NonNull::new_unchecked(kiocb) },
            _phantom: PhantomData,
        }
    }

    /// The C `struct kiocb`.
    pub fn as_raw(&self) -> *mut bindings::kiocb {
        self.inner.as_ptr()
    }

    /// The driver's data of the file (what `open` returned).
    pub fn file(&self) -> <T as ForeignOwnable>::Borrowed<'a> {
        // SAFETY: the kiocb is valid and its file open for `'a` (type
        // invariant), so `ki_filp` is valid.
        let private = unsafe { (*(*self.as_raw()).ki_filp).private_data };
        // SAFETY: `private_data` holds a `T`, not taken back during `'a`
        // (type invariant).
        unsafe { T::borrow(private) }
    }

    /// The file position of this I/O.
    pub fn ki_pos(&self) -> i64 {
        // SAFETY: the kiocb is valid (type invariant).
        unsafe { (*self.as_raw()).ki_pos }
    }

    /// The file position of this I/O, to update.
    pub fn ki_pos_mut(&mut self) -> &mut i64 {
        // SAFETY: the kiocb is valid and only used through `self` (type
        // invariant), which `&mut self` borrows exclusively.
        unsafe { &mut (*self.as_raw()).ki_pos }
    }
}
