// SPDX-License-Identifier: GPL-2.0

//! [`Arc`]: a reference-counted pointer on the kernel's `refcount_t`.
//!
//! Like `std::sync::Arc`, but: allocation takes GFP flags and can fail, the
//! count saturates instead of aborting on overflow ([`Refcount`]), there are
//! no weak references, and the contents are always pinned (an `Arc` never
//! moves its value), so `Arc::pin_init` returns an `Arc`.

use super::Refcount;
use crate::{
    alloc::{AllocError, Flags, KBox},
    error::Result,
    init::{InPlaceInit, Init, PinInit},
    types::ForeignOwnable,
};
use core::{
    fmt,
    marker::{PhantomData, Unsize},
    mem::{ManuallyDrop, MaybeUninit},
    ops::{Deref, DerefMut},
    pin::Pin,
    ptr::NonNull,
};

/// The allocation an [`Arc`] points to.
#[repr(C)]
struct ArcInner<T: ?Sized> {
    refcount: Refcount,
    data: T,
}

/// A shared, reference-counted pointer to a `T` in `kmalloc` memory.
///
/// ```
/// use kernel::sync::Arc;
/// let a = Arc::new(5u32, GFP_KERNEL)?;
/// let b = a.clone();
/// assert!(Arc::ptr_eq(&a, &b));
/// assert_eq!(*b, 5);
/// # Ok::<(), Error>(())
/// ```
///
/// The value is dropped exactly once, when the last reference goes:
///
/// ```
/// use kernel::sync::{atomic::{Atomic, Relaxed}, Arc};
/// static DROPS: Atomic<u32> = Atomic::new(0);
/// struct Probe;
/// impl Drop for Probe {
///     fn drop(&mut self) {
///         DROPS.inc(Relaxed);
///     }
/// }
/// let a = Arc::new(Probe, GFP_KERNEL)?;
/// let b = a.clone();
/// let c = b.clone();
/// drop(a);
/// drop(b);
/// assert_eq!(DROPS.load(Relaxed), 0);
/// drop(c);
/// assert_eq!(DROPS.load(Relaxed), 1);
/// # Ok::<(), Error>(())
/// ```
///
/// Trait objects work as with `std`'s `Arc`:
///
/// ```
/// use kernel::sync::Arc;
/// trait Shape {
///     fn area(&self) -> u32;
/// }
/// struct Square(u32);
/// impl Shape for Square {
///     fn area(&self) -> u32 {
///         self.0 * self.0
///     }
/// }
/// let s: Arc<dyn Shape> = Arc::new(Square(3), GFP_KERNEL)?;
/// assert_eq!(s.area(), 9);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `ptr` points to a live `ArcInner<T>` allocated as a `KBox`, whose count
/// includes one reference for this `Arc`.
pub struct Arc<T: ?Sized> {
    ptr: NonNull<ArcInner<T>>,
    _p: PhantomData<ArcInner<T>>,
}

impl<T: ?Sized + Unsize<U>, U: ?Sized> core::ops::CoerceUnsized<Arc<U>> for Arc<T> {}
impl<T: ?Sized + Unsize<U>, U: ?Sized> core::ops::DispatchFromDyn<Arc<U>> for Arc<T> {}

// SAFETY: an `Arc<T>` gives `&T` to every thread holding a clone and drops
// `T` on whichever thread drops the last one, so `T: Sync + Send` suffices.
unsafe impl<T: ?Sized + Sync + Send> Send for Arc<T> {}
// SAFETY: as above, `&Arc<T>` only gives `&T` and clones.
unsafe impl<T: ?Sized + Sync + Send> Sync for Arc<T> {}

impl<T> Arc<T> {
    /// Moves `contents` into a new `Arc`.
    pub fn new(contents: T, flags: Flags) -> Result<Self, AllocError> {
        let inner = KBox::new(
            ArcInner {
                refcount: Refcount::new(1),
                data: contents,
            },
            flags,
        )?;
        // SAFETY: a fresh `KBox<ArcInner>` with a count of one, which this
        // `Arc` takes.
        Ok(unsafe { Self::from_inner(NonNull::from(KBox::leak(inner))) })
    }

    /// Gives up this reference, returning a pointer to the contents.
    pub fn into_raw(self) -> *const T {
        let me = ManuallyDrop::new(self);
        // SAFETY: `ptr` is valid (type invariant); only the field address is
        // taken.
        unsafe { core::ptr::addr_of!((*me.ptr.as_ptr()).data) }
    }

    /// Takes back a reference given up by [`Arc::into_raw`].
    ///
    /// # Safety
    ///
    /// `ptr` must come from `Arc::<T>::into_raw` and not be taken back twice.
    pub unsafe fn from_raw(ptr: *const T) -> Self {
        let offset = core::mem::offset_of!(ArcInner<T>, data);
        // SAFETY: `ptr` points to the `data` field of an `ArcInner<T>`
        // (caller guarantee), so stepping back `offset` bytes stays inside
        // that allocation.
        let inner = unsafe { ptr.cast::<u8>().sub(offset) }.cast::<ArcInner<T>>();
        // SAFETY: non-null, and the caller transfers the reference.
        unsafe { Self::from_inner(NonNull::new_unchecked(inner.cast_mut())) }
    }
}

impl<T: ?Sized> Arc<T> {
    /// # Safety
    ///
    /// `ptr` must be a live `KBox`-allocated `ArcInner<T>` whose count holds
    /// a reference the caller transfers.
    #[inline]
    unsafe fn from_inner(ptr: NonNull<ArcInner<T>>) -> Self {
        // INVARIANT: as guaranteed by the caller.
        Self {
            ptr,
            _p: PhantomData,
        }
    }

    /// Frees the allocation, out of line: the rare end of an `Arc`'s life
    /// stays out of every `drop`'s fast path.
    ///
    /// # Safety
    ///
    /// `ptr` must be an `ArcInner` whose count reached zero.
    #[cold]
    #[inline(never)]
    unsafe fn drop_slow(ptr: NonNull<ArcInner<T>>) {
        // SAFETY: nobody else can reach the allocation any more (the count
        // is zero, caller guarantee), and it came from a `KBox` (type
        // invariant).
        drop(unsafe { KBox::from_raw(ptr.as_ptr()) });
    }

    /// Whether two `Arc`s point to the same allocation.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        core::ptr::addr_eq(a.ptr.as_ptr(), b.ptr.as_ptr())
    }

    /// A pointer to the contents, without giving up the reference (an
    /// associated function, as `Arc::as_ptr(&a)`).
    ///
    /// ```
    /// use kernel::sync::Arc;
    /// let a = Arc::new(5u32, GFP_KERNEL)?;
    /// assert_eq!(Arc::as_ptr(&a), &*a as *const u32);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn as_ptr(this: &Self) -> *const T {
        // SAFETY: `ptr` is valid (type invariant); only the field address is
        // taken.
        unsafe { core::ptr::addr_of!((*this.ptr.as_ptr()).data) }
    }

    /// Drops this reference; if it was the last, returns the contents as a
    /// [`UniqueArc`] instead of dropping them.
    ///
    /// ```
    /// use kernel::sync::Arc;
    /// let a = Arc::new(5u32, GFP_KERNEL)?;
    /// let b = a.clone();
    /// assert!(Arc::into_unique_or_drop(a).is_none());
    /// let u = Arc::into_unique_or_drop(b).ok_or(EINVAL)?;
    /// assert_eq!(*u, 5);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn into_unique_or_drop(this: Self) -> Option<Pin<UniqueArc<T>>> {
        let this = ManuallyDrop::new(this);
        if !this.inner().refcount.dec_and_test() {
            // Another reference remains; ours is gone.
            return None;
        }
        // Ours was the last: nobody else can reach the count, which we set
        // back to one for the `UniqueArc`.
        this.inner().refcount.set(1);
        // SAFETY: the allocation is live and its count is the one reference
        // handed to the new `Arc`. INVARIANT: the count is one, so the
        // `UniqueArc` is unique.
        let inner = unsafe { Arc::from_inner(this.ptr) };
        // SAFETY: an `Arc` never moves its contents.
        Some(unsafe { Pin::new_unchecked(UniqueArc { inner }) })
    }

    /// Borrows the `Arc` without touching the count.
    pub fn as_arc_borrow(&self) -> ArcBorrow<'_, T> {
        // SAFETY: the borrow cannot outlive `self`, which holds a reference.
        unsafe { ArcBorrow::new(self.ptr) }
    }

    #[inline]
    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: live while we hold a reference (type invariant).
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: ?Sized> Clone for Arc<T> {
    #[inline]
    fn clone(&self) -> Self {
        self.inner().refcount.inc();
        // SAFETY: the reference taken just above goes to the new `Arc`.
        unsafe { Self::from_inner(self.ptr) }
    }
}

impl<T: ?Sized> Drop for Arc<T> {
    #[inline]
    fn drop(&mut self) {
        if self.inner().refcount.dec_and_test() {
            // SAFETY: the count reached zero: this was the last reference.
            unsafe { Self::drop_slow(self.ptr) };
        }
    }
}

impl<T: ?Sized> Deref for Arc<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.inner().data
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for Arc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Arc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: 'static> ForeignOwnable for Arc<T> {
    type Borrowed<'a> = ArcBorrow<'a, T>;

    fn into_foreign(self) -> *const crate::ffi::c_void {
        self.into_raw().cast()
    }

    unsafe fn borrow<'a>(ptr: *const crate::ffi::c_void) -> ArcBorrow<'a, T> {
        // SAFETY: `ptr` came from `into_raw` and its reference is alive for
        // `'a` (caller guarantee); rebuilding the `Arc` without dropping it
        // recovers the inner pointer only.
        let a = ManuallyDrop::new(unsafe { Arc::<T>::from_raw(ptr.cast()) });
        // SAFETY: the reference C holds keeps the allocation alive for `'a`.
        unsafe { ArcBorrow::new(a.ptr) }
    }

    unsafe fn from_foreign(ptr: *const crate::ffi::c_void) -> Self {
        // SAFETY: from `into_foreign`, taken back once (caller guarantee).
        unsafe { Arc::from_raw(ptr.cast()) }
    }
}

impl<T> InPlaceInit<T> for Arc<T> {
    type PinnedSelf = Self;

    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::try_pin_init(init, flags).map(|u| {
            // SAFETY: the contents stay pinned: an `Arc` never moves them.
            unsafe { Pin::into_inner_unchecked(u) }.inner
        })
    }

    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::try_init(init, flags).map(Arc::from)
    }
}

/// A borrow of an [`Arc`] that does not touch the count, for callbacks that
/// receive a pointer C holds a reference for.
///
/// # Invariants
///
/// `inner` is a live `ArcInner<T>` whose count stays above zero for `'a`.
///
/// A pointer to the `ArcInner<T>` and nothing else (`repr(transparent)`), as
/// the `struct foo *` a C callee gets.
#[repr(transparent)]
pub struct ArcBorrow<'a, T: ?Sized + 'a> {
    inner: NonNull<ArcInner<T>>,
    _p: PhantomData<&'a ()>,
}

impl<T: ?Sized> Clone for ArcBorrow<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for ArcBorrow<'_, T> {}

impl<T: ?Sized> ArcBorrow<'_, T> {
    /// Borrows the `Arc` whose contents `ptr` points to.
    ///
    /// ```
    /// use kernel::sync::{Arc, ArcBorrow};
    /// let a = Arc::new(3u8, GFP_KERNEL)?;
    /// let p = Arc::into_raw(a);
    /// // SAFETY: `p` came from `into_raw` and the reference it stands for
    /// // is only taken back after the borrow's last use.
    /// let b = unsafe { ArcBorrow::from_raw(p) };
    /// assert_eq!(*b, 3);
    /// // SAFETY: `p` came from `into_raw`, taken back once.
    /// drop(unsafe { Arc::from_raw(p) });
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`Arc::into_raw`] or [`Arc::as_ptr`] of an
    /// `Arc<T>`, whose count must stay above zero for the borrow's lifetime,
    /// and no [`UniqueArc`] to the value may exist meanwhile.
    pub unsafe fn from_raw(ptr: *const T) -> Self
    where
        T: Sized,
    {
        let offset = core::mem::offset_of!(ArcInner<T>, data);
        // SAFETY: `ptr` points to the `data` field of a live `ArcInner<T>`
        // (caller guarantee), so stepping back `offset` bytes stays inside
        // that allocation.
        let inner = unsafe { ptr.cast::<u8>().sub(offset) }.cast::<ArcInner<T>>();
        // SAFETY: non-null and alive with a count above zero for the
        // borrow's lifetime (caller guarantee).
        unsafe { Self::new(NonNull::new_unchecked(inner.cast_mut())) }
    }

    /// # Safety
    ///
    /// `inner` must stay alive, with a count above zero, for the borrow's
    /// lifetime.
    unsafe fn new(inner: NonNull<ArcInner<T>>) -> Self {
        // INVARIANT: as guaranteed by the caller.
        Self {
            inner,
            _p: PhantomData,
        }
    }
}

impl<T: ?Sized> From<ArcBorrow<'_, T>> for Arc<T> {
    fn from(b: ArcBorrow<'_, T>) -> Self {
        // SAFETY: alive with a count above zero (type invariant of the
        // borrow), so taking a new reference is sound.
        let inner = unsafe { b.inner.as_ref() };
        inner.refcount.inc();
        // SAFETY: the reference taken just above goes to the `Arc`.
        unsafe { Arc::from_inner(b.inner) }
    }
}

impl<T: ?Sized> Deref for ArcBorrow<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: alive for the borrow's lifetime (type invariant).
        unsafe { &self.inner.as_ref().data }
    }
}

/// An [`Arc`] known to be the only reference, so its contents can be
/// mutated; it converts into an `Arc` for free.
///
/// ```
/// use kernel::sync::{Arc, UniqueArc};
/// let mut u = UniqueArc::new(KVec::<u32>::new(), GFP_KERNEL)?;
/// u.push(1, GFP_KERNEL)?;
/// let a: Arc<KVec<u32>> = u.into();
/// assert_eq!(a.len(), 1);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `inner` is the only reference to its allocation: the count is one.
pub struct UniqueArc<T: ?Sized> {
    inner: Arc<T>,
}

impl<T> UniqueArc<T> {
    /// Moves `value` into a new `UniqueArc`.
    pub fn new(value: T, flags: Flags) -> Result<Self, AllocError> {
        // INVARIANT: the new `Arc` has a count of one: it is unique.
        Ok(Self {
            inner: Arc::new(value, flags)?,
        })
    }

    /// Allocates room for a `T` without initialising it.
    pub fn new_uninit(flags: Flags) -> Result<UniqueArc<MaybeUninit<T>>, AllocError> {
        UniqueArc::new(MaybeUninit::uninit(), flags)
    }
}

impl<T> UniqueArc<MaybeUninit<T>> {
    /// Initialises the contents.
    pub fn write(mut self, value: T) -> UniqueArc<T> {
        self.deref_mut().write(value);
        // SAFETY: initialised just above.
        unsafe { self.assume_init() }
    }

    /// Initialises the contents with `init`.
    ///
    /// ```
    /// use kernel::sync::UniqueArc;
    /// let u = UniqueArc::<u32>::new_uninit(GFP_KERNEL)?.init_with(Ok::<u32, Error>(4))?;
    /// assert_eq!(*u, 4);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn init_with<E>(mut self, init: impl Init<T, E>) -> core::result::Result<UniqueArc<T>, E> {
        let slot = self.as_mut_ptr();
        // SAFETY: `slot` is valid, uninitialised memory; on error `self` is
        // dropped as `MaybeUninit`, which only frees.
        unsafe { init.__init(slot)? };
        // SAFETY: initialised by `init`.
        Ok(unsafe { self.assume_init() })
    }

    /// Pin-initialises the contents with `init`.
    pub fn pin_init_with<E>(
        mut self,
        init: impl PinInit<T, E>,
    ) -> core::result::Result<Pin<UniqueArc<T>>, E> {
        let slot = self.as_mut_ptr();
        // SAFETY: `slot` is valid, uninitialised memory that never moves (an
        // `Arc` does not move its contents); on error `self` only frees.
        unsafe { init.__pinned_init(slot)? };
        // SAFETY: initialised by `init`.
        Ok(unsafe { self.assume_init() }.into())
    }

    /// Asserts the contents are initialised.
    ///
    /// # Safety
    ///
    /// They must be.
    pub unsafe fn assume_init(self) -> UniqueArc<T> {
        let inner = ManuallyDrop::new(self).inner.ptr;
        // SAFETY: `MaybeUninit<T>` has `T`'s layout, so `ArcInner` does too;
        // the contents are initialised (caller guarantee) and the reference
        // moves to the new `Arc`.
        let inner = unsafe { Arc::from_inner(inner.cast()) };
        // INVARIANT: the same, unique reference.
        UniqueArc { inner }
    }
}

impl<T> pinned_init::InPlaceWrite<T> for UniqueArc<MaybeUninit<T>> {
    type Initialized = UniqueArc<T>;

    fn write_init<E>(self, init: impl Init<T, E>) -> core::result::Result<UniqueArc<T>, E> {
        self.init_with(init)
    }

    fn write_pin_init<E>(
        self,
        init: impl PinInit<T, E>,
    ) -> core::result::Result<Pin<UniqueArc<T>>, E> {
        self.pin_init_with(init)
    }
}

impl<T> UniqueArc<T> {
    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        let mut u = UniqueArc::<T>::new_uninit(flags)?;
        let slot = u.as_mut_ptr();
        // SAFETY: `slot` is valid, uninitialised memory that will not move
        // (an `Arc` never moves its contents); on error `u` is dropped as
        // `MaybeUninit`, freeing only.
        unsafe { init.__pinned_init(slot)? };
        // SAFETY: initialised by `init`.
        Ok(unsafe { u.assume_init() }.into())
    }

    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        let mut u = UniqueArc::<T>::new_uninit(flags)?;
        let slot = u.as_mut_ptr();
        // SAFETY: `slot` is valid, uninitialised memory; on error `u` only
        // frees.
        unsafe { init.__init(slot)? };
        // SAFETY: initialised by `init`.
        Ok(unsafe { u.assume_init() })
    }
}

impl<T> InPlaceInit<T> for UniqueArc<T> {
    type PinnedSelf = Pin<Self>;

    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::try_pin_init(init, flags)
    }

    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::try_init(init, flags)
    }
}

impl<T: ?Sized> From<UniqueArc<T>> for Arc<T> {
    fn from(u: UniqueArc<T>) -> Self {
        u.inner
    }
}

/// A pinned `UniqueArc` becomes an `Arc`: the contents stay put either way.
///
/// ```
/// use kernel::{new_mutex, sync::{Arc, Mutex, UniqueArc}};
/// let u = UniqueArc::pin_init(new_mutex!(1u32), GFP_KERNEL)?;
/// let a: Arc<Mutex<u32>> = u.into();
/// assert_eq!(*a.lock(), 1);
/// # Ok::<(), Error>(())
/// ```
impl<T: ?Sized> From<Pin<UniqueArc<T>>> for Arc<T> {
    fn from(u: Pin<UniqueArc<T>>) -> Self {
        // SAFETY: an `Arc` keeps its contents pinned as well: it never moves
        // them and gives no `&mut` to them.
        unsafe { Pin::into_inner_unchecked(u) }.inner
    }
}

impl<T: ?Sized> AsRef<T> for Arc<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: ?Sized> core::borrow::Borrow<T> for Arc<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: ?Sized> From<UniqueArc<T>> for Pin<UniqueArc<T>> {
    fn from(u: UniqueArc<T>) -> Self {
        // SAFETY: an `Arc` never moves its contents.
        unsafe { Pin::new_unchecked(u) }
    }
}

impl<T: ?Sized> Deref for UniqueArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> DerefMut for UniqueArc<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: a `UniqueArc` is the only reference to the allocation, so
        // a unique borrow of the contents is sound.
        unsafe { &mut (*self.inner.ptr.as_ptr()).data }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for UniqueArc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for UniqueArc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
