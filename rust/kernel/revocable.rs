// SPDX-License-Identifier: GPL-2.0

//! Data that can be taken away while others may still be looking for it.
//!
//! A [`Revocable<T>`] holds a `T` until [`Revocable::revoke`] drops it.
//! Readers reach it through [`Revocable::try_access`], which fails once it
//! is revoked; a successful access holds an RCU read-side critical section,
//! and `revoke` waits for a grace period before dropping the data, so no
//! reader can see it dropped. Driver resources (register mappings, ...)
//! live in one, through `Devres`, so that code still running after the
//! device is unbound cannot reach them.
//!
//! ```
//! use kernel::revocable::Revocable;
//! let r = KBox::pin_init(Revocable::new(7u32), GFP_KERNEL)?;
//! assert_eq!(r.try_access().map(|v| *v), Some(7));
//! assert_eq!(r.try_access_with(|v| v + 1), Some(8));
//! assert!(r.revoke());
//! assert!(r.try_access().is_none());
//! assert!(!r.revoke()); // only the first revoke drops
//! # Ok::<(), Error>(())
//! ```

use crate::init::PinInit;
use crate::init::{pin_data, pinned_drop};
use crate::sync::atomic::{Atomic, Full, Relaxed};
use crate::sync::rcu;
use crate::try_pin_init;
use crate::types::Opaque;
use core::marker::PhantomData;
use core::ops::Deref;
use core::ptr::drop_in_place;

/// Data that can be revoked; see the module documentation.
///
/// # Invariants
///
/// `data` is initialised while `is_available` is true, and until the
/// grace period that follows it becoming false.
#[pin_data(PinnedDrop)]
pub struct Revocable<T> {
    is_available: Atomic<bool>,
    #[pin]
    data: Opaque<T>,
}

// SAFETY: the data may be dropped on another thread (`revoke`).
unsafe impl<T: Send> Send for Revocable<T> {}
// SAFETY: `&Revocable` gives `&T` to any thread and lets any thread drop
// it.
unsafe impl<T: Send + Sync> Sync for Revocable<T> {}

impl<T> Revocable<T> {
    /// An initialiser of a revocable holding what `data` initialises.
    pub fn new<E>(data: impl PinInit<T, E>) -> impl PinInit<Self, E> {
        // INVARIANT: the data is initialised before it is marked available.
        try_pin_init!(Self {
            data <- Opaque::pin_init(data),
            is_available: Atomic::new(true),
        }? E)
    }

    /// Whether the data has not been revoked (yet: a revoke may begin at
    /// any time after this returns).
    pub(crate) fn is_available(&self) -> bool {
        self.is_available.load(Relaxed)
    }

    /// The data, if not revoked; the guard holds an RCU read-side critical
    /// section, so it must not be held across sleeping.
    pub fn try_access(&self) -> Option<RevocableGuard<'_, T>> {
        let guard = rcu::read_lock();
        if self.is_available.load(Relaxed) {
            // INVARIANT: available now, so initialised until the grace
            // period after a revoke, which the guard holds off.
            Some(RevocableGuard {
                data: self.data.get(),
                _guard: guard,
                _p: PhantomData,
            })
        } else {
            None
        }
    }

    /// The data, if not revoked, for as long as `guard` lives.
    pub fn try_access_with_guard<'a>(&'a self, _guard: &'a rcu::Guard) -> Option<&'a T> {
        if self.is_available.load(Relaxed) {
            // SAFETY: available, so initialised until a grace period after
            // a revoke, which `_guard` holds off.
            Some(unsafe { &*self.data.get() })
        } else {
            None
        }
    }

    /// `f(&data)`, if not revoked (inside an RCU read-side section).
    pub fn try_access_with<R, F: FnOnce(&T) -> R>(&self, f: F) -> Option<R> {
        self.try_access().map(|g| f(&g))
    }

    /// The data, without checking.
    ///
    /// # Safety
    ///
    /// The data must not be revoked while the returned reference lives.
    pub unsafe fn access(&self) -> &T {
        // SAFETY: not revoked for the reference's life (caller).
        unsafe { &*self.data.get() }
    }

    /// Revokes and drops the data, after every reader that may have seen it
    /// is gone (an RCU grace period; sleeps). True if this call revoked it.
    pub fn revoke(&self) -> bool {
        // SAFETY: after `synchronize_rcu`, as the function requires.
        unsafe { self.revoke_internal(true) }
    }

    /// Revokes and drops the data without waiting for readers.
    ///
    /// # Safety
    ///
    /// No reader may be accessing the data (for example, none could ever
    /// be, or they are known to be gone).
    pub unsafe fn revoke_nosync(&self) -> bool {
        // SAFETY: the caller's guarantee.
        unsafe { self.revoke_internal(false) }
    }

    /// # Safety
    ///
    /// With `sync` false, no reader may be accessing the data.
    unsafe fn revoke_internal(&self, sync: bool) -> bool {
        if !self.is_available.xchg(false, Full) {
            return false;
        }
        if sync {
            rcu::synchronize_rcu();
        }
        // SAFETY: this call flipped `is_available`, so the data is
        // initialised and no other revoke drops it; readers are gone (a
        // grace period, or the caller's guarantee).
        unsafe { drop_in_place(self.data.get()) };
        true
    }
}

#[pinned_drop]
impl<T> PinnedDrop for Revocable<T> {
    fn drop(self: core::pin::Pin<&mut Self>) {
        // SAFETY: `&mut self`: no reader can exist.
        unsafe { self.revoke_nosync() };
    }
}

/// Access to revocable data, inside an RCU read-side critical section.
///
/// # Invariants
///
/// `data` is valid while the guard lives.
pub struct RevocableGuard<'a, T> {
    data: *const T,
    _guard: rcu::Guard,
    _p: PhantomData<&'a ()>,
}

impl<T> Deref for RevocableGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: valid while the guard lives (type invariant).
        unsafe { &*self.data }
    }
}
