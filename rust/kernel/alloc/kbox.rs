// SPDX-License-Identifier: GPL-2.0

//! [`Box`]: a single heap value, owned, freed when dropped.

use super::{AllocError, Allocator, Flags, KVmalloc, Kmalloc, Vmalloc};
use core::{
    alloc::Layout,
    fmt,
    marker::PhantomData,
    mem::MaybeUninit,
    ops::{Deref, DerefMut},
    pin::Pin,
    ptr::NonNull,
};

/// An owned heap allocation holding one `T`, from allocator `A`.
///
/// ```
/// let b = KBox::new(42u32, GFP_KERNEL)?;
/// assert_eq!(*b, 42);
/// let v = VBox::new([0u8; 64], GFP_KERNEL)?;
/// assert_eq!(v.len(), 64);
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `ptr` points to a valid, initialised `T` in memory from `A` allocated
/// with `Layout::for_value(&*ptr)` (or is dangling and aligned when that
/// layout is zero-sized), and the `Box` owns it.
pub struct Box<T: ?Sized, A: Allocator> {
    ptr: NonNull<T>,
    _alloc: PhantomData<(A, T)>,
}

/// A [`Box`] in `kmalloc` memory.
pub type KBox<T> = Box<T, Kmalloc>;
/// A [`Box`] in `vmalloc` memory.
pub type VBox<T> = Box<T, Vmalloc>;
/// A [`Box`] in `kvmalloc` memory.
pub type KVBox<T> = Box<T, KVmalloc>;

// SAFETY: a `Box` owns its `T` like a `T` by value does.
unsafe impl<T: ?Sized + Send, A: Allocator> Send for Box<T, A> {}
// SAFETY: `&Box<T>` only gives `&T`.
unsafe impl<T: ?Sized + Sync, A: Allocator> Sync for Box<T, A> {}

impl<T, A: Allocator> Box<T, A> {
    /// Moves `x` to the heap.
    pub fn new(x: T, flags: Flags) -> Result<Self, AllocError> {
        Ok(Self::new_uninit(flags)?.write(x))
    }

    /// Allocates room for a `T` without initialising it.
    ///
    /// ```
    /// let b = KBox::<u64>::new_uninit(GFP_KERNEL)?;
    /// let b = b.write(7);
    /// assert_eq!(*b, 7);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn new_uninit(flags: Flags) -> Result<Box<MaybeUninit<T>, A>, AllocError> {
        let layout = Layout::new::<MaybeUninit<T>>();
        let p = A::alloc(layout, flags)?;
        // INVARIANT: fresh memory of `T`'s layout from `A`; a
        // `MaybeUninit` is valid uninitialised.
        Ok(Box {
            ptr: p.cast(),
            _alloc: PhantomData,
        })
    }

    /// Moves `x` to the heap and pins it there.
    pub fn pin(x: T, flags: Flags) -> Result<Pin<Self>, AllocError> {
        Ok(Self::new(x, flags)?.into())
    }

    /// Drops the value but keeps the allocation, for reuse.
    ///
    /// ```
    /// let b = KBox::new(KVec::<u8>::new(), GFP_KERNEL)?;
    /// let empty = KBox::drop_contents(b);
    /// let b = empty.write(KVec::new());
    /// assert!(b.is_empty());
    /// # Ok::<(), Error>(())
    /// ```
    pub fn drop_contents(this: Self) -> Box<MaybeUninit<T>, A> {
        let p = Self::into_raw(this);
        // SAFETY: `p` is valid and initialised (type invariant); the value
        // is dropped once and the memory then treated as uninitialised.
        unsafe { core::ptr::drop_in_place(p) };
        // SAFETY: same allocation and layout, now uninitialised.
        unsafe { Box::from_raw(p.cast()) }
    }

    /// Moves the value out and frees the allocation.
    pub fn into_inner(b: Self) -> T {
        let p = Self::into_raw(b);
        // SAFETY: `p` came from `into_raw`: it is valid, owned, and read
        // once before its memory is freed below without dropping it again.
        let v = unsafe { p.read() };
        // SAFETY: `p` is from `A` with `T`'s layout (type invariant of the
        // box it came from); the value was moved out above.
        unsafe { A::free(NonNull::new_unchecked(p).cast(), Layout::new::<T>()) };
        v
    }
}

impl<T: ?Sized, A: Allocator> Box<T, A> {
    /// Gives up ownership, returning the pointer. [`Box::from_raw`] takes
    /// it back.
    pub fn into_raw(b: Self) -> *mut T {
        let p = b.ptr.as_ptr();
        core::mem::forget(b);
        p
    }

    /// Takes back ownership of a pointer from [`Box::into_raw`].
    ///
    /// # Safety
    ///
    /// `raw` must come from `Box::<T, A>::into_raw` and not have been given
    /// back already.
    pub unsafe fn from_raw(raw: *mut T) -> Self {
        // SAFETY: `into_raw` never returns null.
        let ptr = unsafe { NonNull::new_unchecked(raw) };
        // INVARIANT: the caller guarantees this is an `into_raw` pointer,
        // which satisfied the invariant when it was given up.
        Self {
            ptr,
            _alloc: PhantomData,
        }
    }

    /// Leaks the box, returning a reference that lives forever.
    pub fn leak<'a>(b: Self) -> &'a mut T {
        // SAFETY: the pointee is valid and now owned by nobody, so a unique
        // reference of any lifetime is sound.
        unsafe { &mut *Self::into_raw(b) }
    }

    /// Pins the box's contents; they will not move again.
    pub fn into_pin(b: Self) -> Pin<Self> {
        b.into()
    }
}

impl<T, A: Allocator> Box<MaybeUninit<T>, A> {
    /// Initialises the value.
    pub fn write(self, x: T) -> Box<T, A> {
        let p = Self::into_raw(self);
        // SAFETY: `p` is valid for writes (type invariant).
        unsafe { (*p).write(x) };
        // SAFETY: `MaybeUninit<T>` has `T`'s layout and the value is now
        // initialised, so the pointer is a valid `Box<T>` one.
        unsafe { Box::from_raw(p.cast()) }
    }

    /// Asserts the value is initialised.
    ///
    /// # Safety
    ///
    /// The value must have been initialised.
    pub unsafe fn assume_init(self) -> Box<T, A> {
        let p = Self::into_raw(self);
        // SAFETY: same layout, and initialised (caller guarantee).
        unsafe { Box::from_raw(p.cast()) }
    }
}

/// Initialises an uninitialised box in place.
///
/// ```
/// use kernel::init::InPlaceWrite;
/// let b = KBox::<u64>::new_uninit(GFP_KERNEL)?;
/// // A `Result` is an initialiser of its `Ok` value.
/// let b = b.write_init(Ok::<u64, Error>(7))?;
/// assert_eq!(*b, 7);
/// let u = KBox::<u64>::new_uninit(GFP_KERNEL)?;
/// assert_eq!(u.write_init(Err::<u64, Error>(EINVAL)).err(), Some(EINVAL));
/// # Ok::<(), Error>(())
/// ```
impl<T, A: Allocator> pinned_init::InPlaceWrite<T> for Box<MaybeUninit<T>, A> {
    type Initialized = Box<T, A>;

    fn write_init<E>(self, init: impl pinned_init::Init<T, E>) -> Result<Box<T, A>, E> {
        let p = Self::into_raw(self);
        // SAFETY: `p` is valid for writes and stays put; on failure `init`
        // leaves the slot uninitialised, and the box is rebuilt either way.
        match unsafe { init.__init(p.cast::<T>()) } {
            // SAFETY: initialised just above; same layout.
            Ok(()) => Ok(unsafe { Box::from_raw(p.cast()) }),
            Err(e) => {
                // SAFETY: `p` came from `into_raw` above; still uninitialised.
                drop(unsafe { Box::<MaybeUninit<T>, A>::from_raw(p) });
                Err(e)
            }
        }
    }

    fn write_pin_init<E>(self, init: impl pinned_init::PinInit<T, E>) -> Result<Pin<Box<T, A>>, E> {
        let p = Self::into_raw(self);
        // SAFETY: `p` is valid for writes, and the value is pinned from here
        // on (the box becomes a `Pin<Box>`, or is freed uninitialised).
        match unsafe { init.__pinned_init(p.cast::<T>()) } {
            // SAFETY: initialised just above; same layout.
            Ok(()) => Ok(Box::into_pin(unsafe { Box::from_raw(p.cast()) })),
            Err(e) => {
                // SAFETY: `p` came from `into_raw` above; still uninitialised.
                drop(unsafe { Box::<MaybeUninit<T>, A>::from_raw(p) });
                Err(e)
            }
        }
    }
}

impl<T: ?Sized, A: Allocator> From<Box<T, A>> for Pin<Box<T, A>> {
    fn from(b: Box<T, A>) -> Self {
        // SAFETY: the value lives on the heap and the box never moves it;
        // only `Pin`'s API reaches it from now on.
        unsafe { Pin::new_unchecked(b) }
    }
}

impl<T: ?Sized, A: Allocator> Deref for Box<T, A> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: valid and owned (type invariant).
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: ?Sized, A: Allocator> DerefMut for Box<T, A> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: valid and uniquely owned (type invariant).
        unsafe { self.ptr.as_mut() }
    }
}

impl<T: ?Sized, A: Allocator> Drop for Box<T, A> {
    fn drop(&mut self) {
        // SAFETY: the value is valid (type invariant).
        let layout = Layout::for_value::<T>(unsafe { self.ptr.as_ref() });
        // SAFETY: valid and owned; dropped once, here.
        unsafe { core::ptr::drop_in_place(self.ptr.as_ptr()) };
        // SAFETY: allocated by `A` with `layout` (type invariant).
        unsafe { A::free(self.ptr.cast(), layout) };
    }
}

impl<T: ?Sized + fmt::Debug, A: Allocator> fmt::Debug for Box<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display, A: Allocator> fmt::Display for Box<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
