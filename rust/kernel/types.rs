// SPDX-License-Identifier: GPL-2.0

//! Building blocks for wrapping C data.

use core::{cell::UnsafeCell, marker::PhantomData, mem::MaybeUninit};

/// Storage for a C object that Rust must not make assumptions about.
///
/// C may change the object at any time (it is `UnsafeCell`), it may be
/// uninitialised (it is `MaybeUninit`), and it may be pinned in place by C
/// pointers into it. Rust only ever handles it through raw pointers
/// ([`Opaque::get`]), so no Rust reference asserts anything about its
/// contents.
///
/// ```
/// use kernel::types::Opaque;
/// let o = Opaque::new(5u32);
/// // SAFETY: `o` was initialised with a `u32` and nothing else accesses it.
/// assert_eq!(unsafe { *o.get() }, 5);
/// ```
#[repr(transparent)]
pub struct Opaque<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    _pin: core::marker::PhantomPinned,
}

impl<T> Opaque<T> {
    /// An `Opaque` holding `value`.
    pub const fn new(value: T) -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::new(value)),
            _pin: core::marker::PhantomPinned,
        }
    }

    /// An uninitialised `Opaque`, for C to initialise in place.
    pub const fn uninit() -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::uninit()),
            _pin: core::marker::PhantomPinned,
        }
    }

    /// A raw pointer to the contained object.
    pub const fn get(&self) -> *mut T {
        UnsafeCell::get(&self.value).cast::<T>()
    }

    /// Like [`Opaque::get`], from a raw pointer to the `Opaque`.
    pub const fn raw_get(this: *const Self) -> *mut T {
        UnsafeCell::raw_get(this.cast::<UnsafeCell<MaybeUninit<T>>>()).cast::<T>()
    }
}

/// Runs a closure when dropped, unless dismissed: cleanup that must happen
/// on every early return.
///
/// ```
/// use kernel::types::ScopeGuard;
/// let mut ran = false;
/// {
///     let _g = ScopeGuard::new(|| ran = true);
/// }
/// assert!(ran);
///
/// let mut ran = false;
/// let g = ScopeGuard::new(|| ran = true);
/// g.dismiss();
/// assert!(!ran);
/// ```
pub struct ScopeGuard<T, F: FnOnce(T)>(Option<(T, F)>);

impl<T, F: FnOnce(T)> ScopeGuard<T, F> {
    /// A guard that calls `cleanup(data)` when dropped.
    pub fn new_with_data(data: T, cleanup: F) -> Self {
        Self(Some((data, cleanup)))
    }

    /// Cancels the cleanup and returns the data.
    pub fn dismiss(mut self) -> T {
        match self.0.take() {
            Some((data, _)) => data,
            // The option is only emptied here and in `drop`, each of which
            // consumes the guard.
            None => unreachable!(),
        }
    }
}

impl ScopeGuard<(), fn(())> {
    /// A guard that calls `cleanup()` when dropped.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(cleanup: impl FnOnce()) -> ScopeGuard<(), impl FnOnce(())> {
        ScopeGuard::new_with_data((), move |()| cleanup())
    }
}

impl<T, F: FnOnce(T)> core::ops::Deref for ScopeGuard<T, F> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Some((data, _)) => data,
            None => unreachable!(),
        }
    }
}

impl<T, F: FnOnce(T)> Drop for ScopeGuard<T, F> {
    fn drop(&mut self) {
        if let Some((data, cleanup)) = self.0.take() {
            cleanup(data);
        }
    }
}

/// A zero-sized marker that makes a type neither `Send` nor `Sync`.
pub type NotThreadSafe = PhantomData<*mut ()>;

/// The value of [`NotThreadSafe`].
#[allow(non_upper_case_globals)]
pub const NotThreadSafe: NotThreadSafe = PhantomData;
