// SPDX-License-Identifier: GPL-2.0

//! [`ARef`]: owned references to objects C reference-counts itself
//! ([`AlwaysRefCounted`]). Also reachable as `kernel::types::ARef`.

use core::{marker::PhantomData, ops::Deref, ptr::NonNull};

/// Objects whose lifetime C manages with a reference count of its own
/// (`get_device`/`put_device`, ...), so that Rust may only hold them
/// through [`ARef`].
///
/// # Safety
///
/// `inc_ref` must keep the object alive until the matching `dec_ref`, and
/// the object must stay valid while any increment is outstanding.
pub unsafe trait AlwaysRefCounted {
    /// Takes a reference.
    fn inc_ref(&self);

    /// Drops a reference.
    ///
    /// # Safety
    ///
    /// The caller must own a reference taken by `inc_ref` (or one `ARef`
    /// stands for), and give it up here.
    unsafe fn dec_ref(obj: NonNull<Self>);
}

/// An owned reference to an [`AlwaysRefCounted`] object.
///
/// # Invariants
///
/// The `ARef` owns one reference count on `*ptr`, which is therefore valid.
pub struct ARef<T: AlwaysRefCounted> {
    ptr: NonNull<T>,
    _p: PhantomData<T>,
}

// SAFETY: an `ARef<T>` is a shared reference that can be dropped anywhere;
// it is `Send` when `&T` may cross threads and `T` may be dropped on any.
unsafe impl<T: AlwaysRefCounted + Sync + Send> Send for ARef<T> {}
// SAFETY: `&ARef<T>` only gives `&T`.
unsafe impl<T: AlwaysRefCounted + Sync + Send> Sync for ARef<T> {}

impl<T: AlwaysRefCounted> ARef<T> {
    /// Takes ownership of a reference count the caller holds.
    ///
    /// # Safety
    ///
    /// The caller owns one reference on `*ptr` and gives it to the `ARef`.
    pub unsafe fn from_raw(ptr: NonNull<T>) -> Self {
        // INVARIANT: the caller transfers one reference.
        Self {
            ptr,
            _p: PhantomData,
        }
    }

    /// Gives up the reference without dropping it.
    pub fn into_raw(me: Self) -> NonNull<T> {
        core::mem::ManuallyDrop::new(me).ptr
    }
}

impl<T: AlwaysRefCounted> Clone for ARef<T> {
    fn clone(&self) -> Self {
        self.inc_ref();
        // SAFETY: the reference taken just above is transferred.
        unsafe { Self::from_raw(self.ptr) }
    }
}

impl<T: AlwaysRefCounted> Deref for ARef<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: valid while we hold our reference (type invariant).
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: AlwaysRefCounted> From<&T> for ARef<T> {
    fn from(b: &T) -> Self {
        b.inc_ref();
        // SAFETY: the reference taken just above is transferred.
        unsafe { Self::from_raw(NonNull::from(b)) }
    }
}

impl<T: AlwaysRefCounted> Drop for ARef<T> {
    fn drop(&mut self) {
        // SAFETY: we own one reference (type invariant) and give it up.
        unsafe { T::dec_ref(self.ptr) };
    }
}
