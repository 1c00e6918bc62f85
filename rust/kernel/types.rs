// SPDX-License-Identifier: GPL-2.0

//! Building blocks for wrapping C data.

use crate::init::{pin_init_from_closure, PinInit};
use core::{cell::UnsafeCell, marker::PhantomData, mem::MaybeUninit, pin::Pin, ptr::NonNull};

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

    /// An initialiser that lets C initialise the object in place:
    /// `init_func` gets a pointer to the (uninitialised, pinned) object.
    ///
    /// ```
    /// use kernel::types::Opaque;
    /// let init = Opaque::ffi_init(|p: *mut u32| {
    ///     // SAFETY: `ffi_init` passes a pointer valid for writes.
    ///     unsafe { p.write(9) }
    /// });
    /// let o = KBox::pin_init(init, GFP_KERNEL)?;
    /// // SAFETY: initialised to 9 above, not shared.
    /// assert_eq!(unsafe { *o.get() }, 9);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn ffi_init(init_func: impl FnOnce(*mut T)) -> impl PinInit<Self> {
        // SAFETY: the closure initialises the object as far as C requires
        // (an `Opaque` may hold an uninitialised value), never moves it, and
        // always succeeds.
        unsafe {
            pin_init_from_closure::<_, core::convert::Infallible>(move |slot: *mut Self| {
                init_func(Self::raw_get(slot));
                Ok(())
            })
        }
    }

    /// Like [`Opaque::ffi_init`], for a C initialiser that can fail.
    pub fn try_ffi_init<E>(
        init_func: impl FnOnce(*mut T) -> Result<(), E>,
    ) -> impl PinInit<Self, E> {
        // SAFETY: as for `ffi_init`; on error C left nothing to clean up
        // (the contract of the C function the closure calls).
        unsafe {
            pin_init_from_closure::<_, E>(move |slot: *mut Self| init_func(Self::raw_get(slot)))
        }
    }

    /// An initialiser of an `Opaque` holding what `slot` initialises (in
    /// place, so `T` may be pinned).
    pub fn pin_init<E>(slot: impl PinInit<T, E>) -> impl PinInit<Self, E> {
        // SAFETY: `slot` initialises the contained object in place, which
        // is all an `Opaque` needs; on error, `slot` cleaned up after itself.
        unsafe {
            pin_init_from_closure::<_, E>(move |ptr: *mut Self| {
                slot.__pinned_init(Self::raw_get(ptr))
            })
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

/// The guarded data may be changed before the cleanup sees it.
///
/// ```
/// use kernel::types::ScopeGuard;
/// let mut seen = 0;
/// {
///     let mut g = ScopeGuard::new_with_data(1, |v| seen = v);
///     *g += 41;
/// }
/// assert_eq!(seen, 42);
/// ```
impl<T, F: FnOnce(T)> core::ops::DerefMut for ScopeGuard<T, F> {
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.0 {
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

/// One of two values (upstream had this in 6.12; kept for code written
/// against it).
///
/// ```
/// use kernel::types::Either;
/// let e: Either<u8, &str> = Either::Left(1);
/// assert!(matches!(e, Either::Left(1)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Either<L, R> {
    /// A value of the first type.
    Left(L),
    /// A value of the second type.
    Right(R),
}

/// A zero-sized marker that makes a type neither `Send` nor `Sync`.
pub type NotThreadSafe = PhantomData<*mut ()>;

/// The value of [`NotThreadSafe`].
#[allow(non_upper_case_globals)]
pub const NotThreadSafe: NotThreadSafe = PhantomData;

/// Ownership that can be handed to C as a `void *` and taken back.
///
/// For C APIs that store a driver's pointer (`private_data`, `driver_data`):
/// [`ForeignOwnable::into_foreign`] gives up ownership, C keeps the
/// pointer, [`ForeignOwnable::borrow`] looks at it while C holds it, and
/// [`ForeignOwnable::from_foreign`] takes ownership back.
///
/// ```
/// use kernel::types::ForeignOwnable;
/// let p = KBox::new(5u32, GFP_KERNEL)?.into_foreign();
/// // SAFETY: `p` came from `into_foreign` and has not been taken back.
/// assert_eq!(*unsafe { <KBox<u32> as ForeignOwnable>::borrow(p) }, 5);
/// // SAFETY: as above; taken back once.
/// let b = unsafe { KBox::<u32>::from_foreign(p) };
/// assert_eq!(*b, 5);
/// # Ok::<(), Error>(())
/// ```
pub trait ForeignOwnable: Sized {
    /// What a borrow of the foreign pointer gives.
    type Borrowed<'a>;

    /// Gives up ownership; the pointer is never null.
    fn into_foreign(self) -> *const crate::ffi::c_void;

    /// Borrows the object behind a foreign pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`ForeignOwnable::into_foreign`] of this type,
    /// not yet passed to `from_foreign`, and stay so during `'a`.
    unsafe fn borrow<'a>(ptr: *const crate::ffi::c_void) -> Self::Borrowed<'a>;

    /// Takes ownership back.
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`ForeignOwnable::into_foreign`] of this type
    /// and not be taken back twice; no borrow of it may outlive this call.
    unsafe fn from_foreign(ptr: *const crate::ffi::c_void) -> Self;

    /// Like [`ForeignOwnable::from_foreign`], with `None` for null.
    ///
    /// # Safety
    ///
    /// `ptr` is null, or as for [`ForeignOwnable::from_foreign`].
    unsafe fn try_from_foreign(ptr: *const crate::ffi::c_void) -> Option<Self> {
        if ptr.is_null() {
            None
        } else {
            // SAFETY: non-null, so the caller guarantees `from_foreign`'s
            // conditions.
            Some(unsafe { Self::from_foreign(ptr) })
        }
    }
}

impl<T: 'static, A: crate::alloc::Allocator> ForeignOwnable for crate::alloc::Box<T, A> {
    type Borrowed<'a> = &'a T;

    fn into_foreign(self) -> *const crate::ffi::c_void {
        crate::alloc::Box::into_raw(self).cast_const().cast()
    }

    unsafe fn borrow<'a>(ptr: *const crate::ffi::c_void) -> &'a T {
        // SAFETY: the caller guarantees `ptr` is a live box's pointer for
        // `'a`, from which only shared borrows are made.
        unsafe { &*ptr.cast::<T>() }
    }

    unsafe fn from_foreign(ptr: *const crate::ffi::c_void) -> Self {
        // SAFETY: the caller guarantees `ptr` came from `into_raw` of this
        // box type (through `into_foreign`), taken back once.
        unsafe { crate::alloc::Box::from_raw(ptr.cast_mut().cast()) }
    }
}

impl<T: 'static, A: crate::alloc::Allocator> ForeignOwnable for Pin<crate::alloc::Box<T, A>> {
    type Borrowed<'a> = Pin<&'a T>;

    fn into_foreign(self) -> *const crate::ffi::c_void {
        // SAFETY: the box is only turned back into `Pin<Box>` by
        // `from_foreign`, and borrowed as `Pin<&T>`: the value never moves.
        crate::alloc::Box::into_raw(unsafe { Pin::into_inner_unchecked(self) })
            .cast_const()
            .cast()
    }

    unsafe fn borrow<'a>(ptr: *const crate::ffi::c_void) -> Pin<&'a T> {
        // SAFETY: live, pinned box contents for `'a` (caller guarantee).
        unsafe { Pin::new_unchecked(&*ptr.cast::<T>()) }
    }

    unsafe fn from_foreign(ptr: *const crate::ffi::c_void) -> Self {
        // SAFETY: from `into_foreign` of a pinned box, taken back once
        // (caller guarantee); it was pinned before.
        unsafe { Pin::new_unchecked(crate::alloc::Box::from_raw(ptr.cast_mut().cast())) }
    }
}

impl ForeignOwnable for () {
    type Borrowed<'a> = ();

    fn into_foreign(self) -> *const crate::ffi::c_void {
        NonNull::<crate::ffi::c_void>::dangling().as_ptr()
    }

    unsafe fn borrow<'a>(_: *const crate::ffi::c_void) -> Self::Borrowed<'a> {}

    unsafe fn from_foreign(_: *const crate::ffi::c_void) -> Self {}
}

pub use crate::sync::aref::{ARef, AlwaysRefCounted};
