// SPDX-License-Identifier: GPL-2.0

//! [`SpinLock`] and [`SpinLockIrq`]: C's `spinlock_t`.

use crate::ffi::{c_char, c_ulong};

/// Data protected by a `spinlock_t`. Holders must not sleep; waiters spin.
///
/// ```
/// use kernel::{new_spinlock, sync::SpinLock};
/// let s = KBox::pin_init(new_spinlock!(KVec::<u8>::new(), "doc_spinlock"), GFP_KERNEL)?;
/// s.lock().push(1, GFP_ATOMIC)?;
/// assert_eq!(s.lock().len(), 1);
/// let g = s.lock();
/// assert!(s.try_lock().is_none());
/// drop(g);
/// assert!(s.try_lock().is_some());
/// # Ok::<(), Error>(())
/// ```
pub type SpinLock<T> = super::Lock<T, SpinLockBackend>;

/// Data protected by a `spinlock_t` taken with `spin_lock_irqsave`: local
/// interrupts are off while it is held, so interrupt handlers can share it.
///
/// ```
/// use kernel::{new_spinlock_irq, sync::SpinLockIrq};
/// let s = KBox::pin_init(new_spinlock_irq!(0u64), GFP_KERNEL)?;
/// *s.lock() += 3;
/// assert_eq!(*s.lock(), 3);
/// # Ok::<(), Error>(())
/// ```
pub type SpinLockIrq<T> = super::Lock<T, SpinLockIrqBackend>;

/// Creates a [`SpinLock`] initialiser with a lockdep class for this call
/// site and an optional name (default: `file:line`).
#[macro_export]
macro_rules! new_spinlock {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::sync::SpinLock::new($inner, $crate::optional_name!($($name)?), $crate::static_lock_class!())
    };
}

/// Creates a [`SpinLockIrq`] initialiser with a lockdep class for this call
/// site and an optional name (default: `file:line`).
#[macro_export]
macro_rules! new_spinlock_irq {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::sync::SpinLockIrq::new($inner, $crate::optional_name!($($name)?), $crate::static_lock_class!())
    };
}

/// The [`Backend`](super::Backend) of [`SpinLock`].
pub struct SpinLockBackend;

// SAFETY: `spin_lock`/`spin_trylock` give exclusive ownership until
// `spin_unlock`; `__spin_lock_init` initialises with the name and key.
unsafe impl super::Backend for SpinLockBackend {
    type State = bindings::spinlock_t;
    type GuardState = ();

    #[inline]
    unsafe fn init(ptr: *mut Self::State, name: *const c_char, key: *mut bindings::lock_class_key) {
        // SAFETY: forwarded caller guarantee.
        unsafe { bindings::__spin_lock_init(ptr, name, key) }
    }

    #[inline]
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: `ptr` is an initialised spinlock (caller guarantee). The
        // helper is C's `spin_lock()`, inlined into this function.
        unsafe { bindings::spin_lock(ptr) };
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        // SAFETY: `ptr` is an initialised spinlock (caller guarantee).
        if unsafe { bindings::spin_trylock(ptr) } != 0 {
            Some(())
        } else {
            None
        }
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: the caller holds the lock. C's `spin_unlock()`, inlined.
        unsafe { bindings::spin_unlock(ptr) };
    }
}

/// The [`Backend`](super::Backend) of [`SpinLockIrq`]: the guard keeps the
/// saved interrupt flags.
pub struct SpinLockIrqBackend;

// SAFETY: as for `SpinLockBackend`, with `spin_lock_irqsave`, whose flags
// the guard hands back to `spin_unlock_irqrestore`.
unsafe impl super::Backend for SpinLockIrqBackend {
    type State = bindings::spinlock_t;
    type GuardState = c_ulong;

    unsafe fn init(ptr: *mut Self::State, name: *const c_char, key: *mut bindings::lock_class_key) {
        // SAFETY: forwarded caller guarantee.
        unsafe { bindings::__spin_lock_init(ptr, name, key) }
    }

    #[inline]
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: `ptr` is an initialised spinlock (caller guarantee).
        unsafe { bindings::spin_lock_irqsave(ptr) }
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        let mut flags: c_ulong = 0;
        // SAFETY: `ptr` is an initialised spinlock (caller guarantee);
        // `flags` is written on success.
        if unsafe { bindings::spin_trylock_irqsave(ptr, &mut flags) } != 0 {
            Some(flags)
        } else {
            None
        }
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, guard_state: &Self::GuardState) {
        // SAFETY: the caller holds the lock, taken with these flags.
        unsafe { bindings::spin_unlock_irqrestore(ptr, *guard_state) }
    }
}

impl<T: ?Sized> SpinLock<T> {
    /// Whether the lock is held by anyone now (C's `spin_is_locked()`): a
    /// snapshot, for assertions and the LKMM's lock tests, not for deciding
    /// whether to take it.
    #[inline]
    pub fn is_locked(&self) -> bool {
        // SAFETY: the lock's state is initialised (type invariant of `Lock`).
        unsafe { bindings::spin_is_locked(self.as_raw()) != 0 }
    }
}
