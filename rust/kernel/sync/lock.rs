// SPDX-License-Identifier: GPL-2.0

//! The one lock core: [`Lock<T, B>`] and its [`Guard`].
//!
//! A lock owns the data it protects; the only way to the data is a
//! [`Guard`], and dropping the guard unlocks. What kind of lock it is (a
//! sleeping mutex, a spinning lock, one that disables interrupts) is the
//! [`Backend`]: [`Mutex`](super::Mutex), [`SpinLock`](super::SpinLock) and
//! [`SpinLockIrq`](super::SpinLockIrq) are `Lock` with thin backends over
//! the C primitives.
//!
//! Every lock is created with a name and a lockdep class key; the
//! `new_mutex!`-style macros make one static key per call site, so lockdep
//! tells each lock site apart.
//!
//! Increments from several kernel threads under a lock add up exactly, for
//! every backend:
//!
//! ```
//! use kernel::{kthread, new_mutex, new_spinlock, sync::{Arc, Mutex, SpinLock}};
//!
//! const THREADS: usize = 4;
//! const ROUNDS: u64 = 5_000;
//!
//! let m = Arc::pin_init(new_mutex!(0u64, "lock_doc_mutex"), GFP_KERNEL)?;
//! let s = Arc::pin_init(new_spinlock!(0u64, "lock_doc_spinlock"), GFP_KERNEL)?;
//! let mut threads = KVec::new();
//! for _ in 0..THREADS {
//!     let (m, s) = (m.clone(), s.clone());
//!     let t = kthread::spawn(c_str!("rkal-lock"), move || {
//!         for _ in 0..ROUNDS {
//!             *m.lock() += 1;
//!             *s.lock() += 1;
//!         }
//!     })?;
//!     threads.push(t, GFP_KERNEL)?;
//! }
//! for t in threads {
//!     t.join();
//! }
//! assert_eq!(*m.lock(), THREADS as u64 * ROUNDS);
//! assert_eq!(*s.lock(), THREADS as u64 * ROUNDS);
//! # Ok::<(), Error>(())
//! ```

use crate::{
    ffi::c_char,
    init::{pin_data, pin_init, PinInit},
    str::CStr,
    types::{NotThreadSafe, Opaque},
};
use core::{cell::UnsafeCell, marker::PhantomPinned};

pub mod mutex;
pub mod spinlock;

/// A C lock primitive.
///
/// # Safety
///
/// - `lock` (and a successful `try_lock`) must give exclusive access until
///   `unlock`; `unlock` must be called only by the holder.
/// - `init` must leave `State` ready for `lock`, with the given lockdep
///   name and class.
pub unsafe trait Backend {
    /// The C lock object (`struct mutex`, `spinlock_t`).
    type State;

    /// What the holder keeps between lock and unlock (the saved interrupt
    /// flags for an irq-saving lock; nothing otherwise).
    type GuardState;

    /// Initialises the lock.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid for writes and stay pinned; `name` and `key` must
    /// live for as long as the lock.
    unsafe fn init(ptr: *mut Self::State, name: *const c_char, key: *mut bindings::lock_class_key);

    /// Acquires the lock, waiting as the primitive does.
    ///
    /// # Safety
    ///
    /// `ptr` must be an initialised lock.
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState;

    /// Acquires the lock if it is free.
    ///
    /// # Safety
    ///
    /// `ptr` must be an initialised lock.
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState>;

    /// Releases the lock.
    ///
    /// # Safety
    ///
    /// The caller must hold the lock, acquired with `guard_state`.
    unsafe fn unlock(ptr: *mut Self::State, guard_state: &Self::GuardState);

    /// Reacquires a lock released by [`Guard::do_unlocked`].
    ///
    /// # Safety
    ///
    /// `ptr` must be an initialised lock the caller released.
    unsafe fn relock(ptr: *mut Self::State, guard_state: &mut Self::GuardState) {
        // SAFETY: forwarded caller guarantee.
        *guard_state = unsafe { Self::lock(ptr) };
    }
}

/// A lockdep class: one per place that creates locks (see
/// `static_lock_class!`).
#[repr(transparent)]
pub struct LockClassKey(Opaque<bindings::lock_class_key>);

// SAFETY: lockdep synchronises its use of class keys itself.
unsafe impl Sync for LockClassKey {}

impl LockClassKey {
    /// A key for a `static`; lockdep requires keys in static storage.
    ///
    /// # Safety
    ///
    /// The value must be placed in a `static`.
    #[doc(hidden)]
    pub const unsafe fn new_static() -> Self {
        // SAFETY: an all-zero `lock_class_key` is its static initial state.
        Self(Opaque::new(unsafe { core::mem::zeroed() }))
    }

    /// The key, for C.
    pub fn as_ptr(&self) -> *mut bindings::lock_class_key {
        self.0.get()
    }
}

/// A static lockdep class key for this call site.
#[macro_export]
macro_rules! static_lock_class {
    () => {{
        static CLASS: $crate::sync::LockClassKey =
            // SAFETY: placed in a `static`, as `new_static` requires.
            unsafe { $crate::sync::LockClassKey::new_static() };
        &CLASS
    }};
}

/// The given name, or `"file:line"` of the call site.
#[doc(hidden)]
#[macro_export]
macro_rules! optional_name {
    () => {
        $crate::c_str!(::core::concat!(::core::file!(), ":", ::core::line!()))
    };
    ($name:literal) => {
        $crate::c_str!($name)
    };
}

/// Data `T` protected by a lock of kind `B`.
///
/// # Invariants
///
/// `state` was initialised by `B::init` (or by C, for [`Lock::from_raw`]),
/// and `data` is only accessed while the lock is held (through a [`Guard`])
/// or through `&mut self`.
///
/// `repr(C)` with `state` first: a `Lock<(), B>` is a `B::State` and
/// nothing else, which [`Lock::from_raw`] relies on.
#[pin_data]
#[repr(C)]
pub struct Lock<T: ?Sized, B: Backend> {
    #[pin]
    state: Opaque<B::State>,
    // The C lock must not move: C code (lockdep, waiters) points into it.
    #[pin]
    _pin: PhantomPinned,
    data: UnsafeCell<T>,
}

// SAFETY: the lock can be moved between threads with its data when the
// data may be.
unsafe impl<T: ?Sized + Send, B: Backend> Send for Lock<T, B> {}

// SAFETY: shared access only reaches the data through the lock, which
// serialises it, so `T: Send` is all that is needed (as for `std`'s Mutex).
unsafe impl<T: ?Sized + Send, B: Backend> Sync for Lock<T, B> {}

impl<T, B: Backend> Lock<T, B> {
    /// An initialiser for a lock holding `t`, with a lockdep name and
    /// class. Use the `new_mutex!`/`new_spinlock!` macros, which supply
    /// both.
    pub fn new(t: T, name: &'static CStr, key: &'static LockClassKey) -> impl PinInit<Self> {
        pin_init!(Self {
            data: UnsafeCell::new(t),
            _pin: PhantomPinned,
            // SAFETY: `slot` is valid and pinned; `name` and `key` are
            // `'static`.
            state <- Opaque::ffi_init(|slot| unsafe {
                B::init(slot, name.as_char_ptr(), key.as_ptr())
            }),
        })
    }
}

impl<B: Backend> Lock<(), B> {
    /// The lock C code owns at `ptr` (a `spinlock_t *`, `struct mutex *`,
    /// ...), to take from Rust, guarding nothing but what C says it guards.
    ///
    /// ```
    /// use kernel::sync::{new_spinlock, SpinLock};
    /// let lock = KBox::pin_init(new_spinlock!(()), GFP_KERNEL)?;
    /// // SAFETY: `lock`'s state is an initialised `spinlock_t` that outlives
    /// // `same`.
    /// let same = unsafe { SpinLock::<()>::from_raw(lock.as_raw()) };
    /// let guard = same.lock();
    /// assert!(lock.is_locked());
    /// drop(guard);
    /// assert!(!lock.is_locked());
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Safety
    ///
    /// `ptr` must point to a lock of `B`'s kind initialised by C (or
    /// [`Lock::new`]), valid and not moved for `'a`.
    pub unsafe fn from_raw<'a>(ptr: *mut B::State) -> &'a Self {
        // SAFETY: `Lock<(), B>` is `repr(C)` with `Opaque<B::State>` (which
        // is `repr(transparent)`) first and zero-sized fields after it, so
        // it has `B::State`'s layout; the caller guarantees the rest.
        // INVARIANT: the state is initialised (caller's guarantee).
        unsafe { &*ptr.cast::<Self>() }
    }
}

impl<T: ?Sized, B: Backend> Lock<T, B> {
    /// The C lock (`spinlock_t *`, `struct mutex *`, ...), for C APIs.
    #[inline]
    pub fn as_raw(&self) -> *mut B::State {
        self.state.get()
    }

    /// Acquires the lock; the guard releases it when dropped.
    #[inline]
    pub fn lock(&self) -> Guard<'_, T, B> {
        // SAFETY: `state` is initialised (type invariant).
        let state = unsafe { B::lock(self.state.get()) };
        // SAFETY: the lock was just acquired.
        unsafe { Guard::new(self, state) }
    }

    /// Acquires the lock if it is free; `None` if it is held.
    #[inline]
    pub fn try_lock(&self) -> Option<Guard<'_, T, B>> {
        // SAFETY: `state` is initialised (type invariant).
        let state = unsafe { B::try_lock(self.state.get())? };
        // SAFETY: the lock was just acquired.
        Some(unsafe { Guard::new(self, state) })
    }

    /// Where the data lives; [`super::LockedBy`] identifies owners by it.
    pub(crate) fn data_ptr(&self) -> *const T {
        self.data.get()
    }

    /// The data, through an exclusive reference: no lock needed.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }
}

/// Proof that a lock is held, giving access to its data; unlocks on drop.
///
/// # Invariants
///
/// The guard's thread holds `lock`, acquired with `state`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct Guard<'a, T: ?Sized, B: Backend> {
    pub(crate) lock: &'a Lock<T, B>,
    pub(crate) state: B::GuardState,
    _not_send: NotThreadSafe,
}

// SAFETY: `&Guard` only gives `&T`, which is shareable when `T: Sync`.
unsafe impl<T: Sync + ?Sized, B: Backend> Sync for Guard<'_, T, B> {}

impl<'a, T: ?Sized, B: Backend> Guard<'a, T, B> {
    /// # Safety
    ///
    /// The caller must hold `lock`, acquired with `state`.
    #[inline]
    unsafe fn new(lock: &'a Lock<T, B>, state: B::GuardState) -> Self {
        // INVARIANT: the caller holds the lock.
        Self {
            lock,
            state,
            _not_send: NotThreadSafe,
        }
    }

    /// The lock this guard holds.
    pub fn lock_ref(&self) -> &'a Lock<T, B> {
        self.lock
    }

    /// Runs `cb` with the lock released, and reacquires it (used to sleep
    /// while waiting on a condition).
    #[inline]
    pub(crate) fn do_unlocked<U>(&mut self, cb: impl FnOnce() -> U) -> U {
        // SAFETY: the guard holds the lock (type invariant).
        unsafe { B::unlock(self.lock.state.get(), &self.state) };
        let ret = cb();
        // SAFETY: the lock is initialised and was released just above.
        // INVARIANT: held again after this.
        unsafe { B::relock(self.lock.state.get(), &mut self.state) };
        ret
    }
}

impl<T: ?Sized, B: Backend> core::ops::Deref for Guard<'_, T, B> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the lock is held (type invariant), so no one else accesses
        // the data.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized, B: Backend> core::ops::DerefMut for Guard<'_, T, B> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the lock is held (type invariant) and the guard is
        // borrowed mutably, so this is the only access.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized, B: Backend> Drop for Guard<'_, T, B> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard holds the lock (type invariant) and releases it
        // once, here.
        unsafe { B::unlock(self.lock.state.get(), &self.state) };
    }
}

/// A lock in a `static`, created by [`global_lock!`](crate::global_lock).
///
/// A `static` cannot run C's lock initialiser, so the lock starts
/// uninitialised and [`GlobalLock::init`] must run (once, typically in the
/// module's `init`) before any use.
///
/// # Invariants
///
/// `inner.data` is initialised; `inner.state` is initialised once `init`
/// has run, which every user of the lock must ensure (the `unsafe(uninit)`
/// of `global_lock!`).
pub struct GlobalLock<T, B: Backend> {
    inner: Lock<T, B>,
    name: &'static CStr,
    key: &'static LockClassKey,
}

impl<T, B: Backend> GlobalLock<T, B> {
    /// A lock holding `value`, whose C state is not initialised yet.
    ///
    /// # Safety
    ///
    /// The value must be placed in a `static`, and [`GlobalLock::init`]
    /// must run before it is locked.
    #[doc(hidden)]
    pub const unsafe fn new_uninit(
        value: T,
        name: &'static CStr,
        key: &'static LockClassKey,
    ) -> Self {
        // INVARIANT: the data is initialised; the state is left for `init`.
        Self {
            inner: Lock {
                state: Opaque::uninit(),
                _pin: PhantomPinned,
                data: UnsafeCell::new(value),
            },
            name,
            key,
        }
    }

    /// Initialises the C lock.
    ///
    /// # Safety
    ///
    /// Must be called exactly once, before the lock is used, with no
    /// concurrent use.
    pub unsafe fn init(&'static self) {
        // SAFETY: the lock lives in a `static`, so it is pinned; `name` and
        // `key` are `'static`; the caller guarantees a single, unshared call.
        unsafe {
            B::init(
                self.inner.state.get(),
                self.name.as_char_ptr(),
                self.key.as_ptr(),
            )
        };
    }
}

impl<T, B: Backend> core::ops::Deref for GlobalLock<T, B> {
    type Target = Lock<T, B>;

    fn deref(&self) -> &Lock<T, B> {
        &self.inner
    }
}

/// Declares a lock in a `static`. Its C state is initialised at run time,
/// so the declaration says `unsafe(uninit)`: the caller must run
/// [`GlobalLock::init`] once before first use.
///
/// ```
/// use kernel::{global_lock, kthread};
///
/// global_lock! {
///     // SAFETY: initialised right below, before any use.
///     unsafe(uninit) static HITS: Mutex<u64> = 0;
/// }
///
/// // SAFETY: first and only initialisation, before any use.
/// unsafe { HITS.init() };
/// let t = kthread::spawn(c_str!("rkal-global"), || *HITS.lock() += 1)?;
/// *HITS.lock() += 1;
/// t.join();
/// assert_eq!(*HITS.lock(), 2);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! global_lock {
    {
        $(#[$meta:meta])* $pub:vis unsafe(uninit) static $name:ident: $kind:ident<$valuety:ty> = $value:expr;
    } => {
        $(#[$meta])*
        $pub static $name: $crate::sync::lock::GlobalLock<$valuety, $crate::__global_lock_backend!($kind)> = {
            // The caller's expression is evaluated here, outside the
            // `unsafe` block below: `unsafe(uninit)` promises the `init`
            // call, not that the value expression may use `unsafe`.
            let value: $valuety = $value;
            // SAFETY: placed in a `static`; the declaration's
            // `unsafe(uninit)` is the caller's promise to call `init` first.
            unsafe {
                $crate::sync::lock::GlobalLock::new_uninit(
                    value,
                    $crate::c_str!(::core::stringify!($name)),
                    $crate::static_lock_class!(),
                )
            }
        };
    };
}

/// The backend of a lock kind named in [`global_lock!`](crate::global_lock).
#[doc(hidden)]
#[macro_export]
macro_rules! __global_lock_backend {
    (Mutex) => {
        $crate::sync::lock::mutex::MutexBackend
    };
    (SpinLock) => {
        $crate::sync::lock::spinlock::SpinLockBackend
    };
    (SpinLockIrq) => {
        $crate::sync::lock::spinlock::SpinLockIrqBackend
    };
}
