// SPDX-License-Identifier: GPL-2.0

//! Read-copy update (RCU), the parts the LKMM litmus tests use: read-side
//! critical sections ([`read_lock`], [`Guard`]), grace periods
//! ([`synchronize_rcu`]), and publishing and reading an RCU-protected
//! pointer ([`assign_pointer`], [`dereference`]).
//!
//! ```
//! use kernel::sync::rcu;
//! let mut x = 1i32;
//! let mut p: *mut i32 = core::ptr::null_mut();
//! // SAFETY: `p` is valid; `x` outlives every reader (there are none).
//! unsafe { rcu::assign_pointer(&raw mut p, &raw mut x) };
//! let guard = rcu::read_lock();
//! // SAFETY: `p` is valid, and only written by `assign_pointer`.
//! let q = unsafe { rcu::dereference(&raw const p, &guard) };
//! assert_eq!(q, &raw mut x);
//! drop(guard);
//! rcu::synchronize_rcu();
//! rcu::synchronize_rcu_expedited();
//! ```

use crate::sync::atomic::{atomic_load, atomic_store, Relaxed, Release};
use crate::types::NotThreadSafe;

/// An RCU read-side critical section (between C's `rcu_read_lock()` and
/// `rcu_read_unlock()`), ended when the guard is dropped.
///
/// Not `Send`: the section belongs to the thread that started it.
#[must_use = "the read-side critical section ends when the guard is dropped"]
pub struct Guard(NotThreadSafe);

impl Guard {
    /// Starts a read-side critical section.
    #[inline]
    pub fn new() -> Self {
        // SAFETY: `rcu_read_lock` may be called from any context; `Drop`
        // pairs it with `rcu_read_unlock` on this thread.
        unsafe { bindings::rcu_read_lock() };
        Self(crate::types::NotThreadSafe)
    }

    /// Ends the critical section (the same as dropping the guard).
    #[inline]
    pub fn unlock(self) {}
}

impl Default for Guard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Guard {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `new` called `rcu_read_lock` on this thread (`Guard` is
        // not `Send`), and this is its one unlock.
        unsafe { bindings::rcu_read_unlock() };
    }
}

/// Starts a read-side critical section (C's `rcu_read_lock()`).
#[inline]
pub fn read_lock() -> Guard {
    Guard::new()
}

/// Waits for every read-side critical section that started before the call
/// to end (C's `synchronize_rcu()`). Sleeps.
#[inline]
pub fn synchronize_rcu() {
    // SAFETY: no memory-safety preconditions. Calling it from atomic
    // context or inside a read-side section is a bug that lockdep and
    // DEBUG_ATOMIC_SLEEP report, not undefined behaviour.
    unsafe { bindings::synchronize_rcu() };
}

/// [`synchronize_rcu`], sped up by interrupting the other CPUs (C's
/// `synchronize_rcu_expedited()`): for the rare caller that cannot wait
/// a normal grace period. Sleeps.
#[inline]
pub fn synchronize_rcu_expedited() {
    // SAFETY: as for `synchronize_rcu`.
    unsafe { bindings::synchronize_rcu_expedited() };
}

/// Reads an RCU-protected pointer (C's `rcu_dereference(*p)`): a marked
/// load whose address dependency orders accesses through the result.
///
/// # Safety
///
/// `p` must be valid for reads and aligned, and written concurrently only
/// by marked stores (such as [`assign_pointer`]).
#[inline]
pub unsafe fn dereference<T>(p: *const *mut T, _guard: &Guard) -> *mut T {
    // SAFETY: the caller's guarantee; `rcu_dereference` is `READ_ONCE` on
    // every architecture Linux 6.12 supports (Alpha's barrier is in it).
    unsafe { atomic_load(p, Relaxed) }
}

/// Publishes `v` through `*p` (C's `rcu_assign_pointer(*p, v)`): a release
/// store, so whoever reads `v` from `*p` sees what was written to `*v` before.
///
/// # Safety
///
/// `p` must be valid for writes and aligned, and accessed concurrently only
/// by marked accesses.
#[inline]
pub unsafe fn assign_pointer<T>(p: *mut *mut T, v: *mut T) {
    // SAFETY: the caller's guarantee.
    unsafe { atomic_store(p, v, Release) }
}
