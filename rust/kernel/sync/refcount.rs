// SPDX-License-Identifier: GPL-2.0

//! [`Refcount`]: C's `refcount_t`.

use super::atomic::{Atomic, Relaxed};
use crate::types::Opaque;

/// A reference count with C's `refcount_t` semantics: it saturates instead
/// of wrapping (an overflow or an increment from zero leaves it pinned at a
/// saturation value, with a warning, so the object leaks rather than being
/// freed while in use), and a decrement to zero is ordered like a release
/// followed by an acquire.
///
/// Every operation is C's own inline `refcount_t` function (through
/// `rust/helpers/refcount.c`, inlined into the caller at link time, see
/// `Documentation/rust/memory-model.rst`): the same instructions, the same
/// saturation checks, and misuse reported by C's `refcount_warn_saturate`.
///
/// ```
/// use kernel::sync::Refcount;
/// let r = Refcount::new(1);
/// r.inc();
/// assert_eq!(r.read(), 2);
/// assert!(!r.dec_and_test());
/// assert!(r.dec_and_test());
/// assert!(!r.inc_not_zero());
/// r.set(3);
/// assert_eq!(r.read(), 3);
/// ```
#[repr(transparent)]
pub struct Refcount(Opaque<bindings::refcount_t>);

// SAFETY: every access goes through C's atomic refcount operations.
unsafe impl Sync for Refcount {}
// SAFETY: a count is plain data.
unsafe impl Send for Refcount {}

impl Refcount {
    /// A count starting at `value` (`REFCOUNT_INIT`).
    pub const fn new(value: i32) -> Self {
        Self(Opaque::new(bindings::refcount_t {
            refs: bindings::atomic_t { counter: value },
        }))
    }

    /// The raw `refcount_t`, for C.
    #[inline]
    pub fn as_ptr(&self) -> *mut bindings::refcount_t {
        self.0.get()
    }

    /// The count as an atomic (upstream's name; bypassing the saturation
    /// checks is discouraged).
    ///
    /// ```
    /// use kernel::sync::{atomic::Relaxed, Refcount};
    /// let r = Refcount::new(2);
    /// assert_eq!(r.as_atomic().load(Relaxed), 2);
    /// ```
    #[inline(always)]
    pub fn as_atomic(&self) -> &Atomic<i32> {
        self.refs()
    }

    /// Decrements, with release ordering, when the caller knows the count
    /// stays above zero (`refcount_dec`); reaching zero is reported as a
    /// misuse (C warns), and the count saturates.
    ///
    /// ```
    /// use kernel::sync::Refcount;
    /// let r = Refcount::new(2);
    /// r.dec();
    /// assert_eq!(r.read(), 1);
    /// ```
    #[inline]
    pub fn dec(&self) {
        // SAFETY: `as_ptr` is a valid `refcount_t` for as long as `self`.
        unsafe { bindings::refcount_dec(self.as_ptr()) }
    }

    /// The count as an atomic: `refcount_t` is an `atomic_t` (`refs`).
    #[inline(always)]
    fn refs(&self) -> &Atomic<i32> {
        // SAFETY: `refs.counter` is an aligned `int` inside our `refcount_t`,
        // valid for `self`'s lifetime, and every access to it (here and in
        // C) is atomic.
        unsafe { Atomic::from_ptr(core::ptr::addr_of_mut!((*self.as_ptr()).refs.counter)) }
    }

    /// Sets the count (`refcount_set`).
    #[inline]
    pub fn set(&self, value: i32) {
        self.refs().store(value, Relaxed);
    }

    /// The current count (`refcount_read`).
    #[inline]
    pub fn read(&self) -> u32 {
        self.refs().load(Relaxed) as u32
    }

    /// Increments, saturating (`refcount_inc`).
    #[inline]
    pub fn inc(&self) {
        // SAFETY: `as_ptr` is a valid `refcount_t` for as long as `self`.
        unsafe { bindings::refcount_inc(self.as_ptr()) }
    }

    /// Increments unless the count is zero; `false` if it was
    /// (`refcount_inc_not_zero`).
    #[inline]
    pub fn inc_not_zero(&self) -> bool {
        // SAFETY: `as_ptr` is a valid `refcount_t` for as long as `self`.
        unsafe { bindings::refcount_inc_not_zero(self.as_ptr()) }
    }

    /// Decrements; `true` when the count reached zero, in which case the
    /// caller owns the object's teardown (`refcount_dec_and_test`).
    #[must_use = "when this returns true the caller must free the object"]
    #[inline]
    pub fn dec_and_test(&self) -> bool {
        // SAFETY: `as_ptr` is a valid `refcount_t` for as long as `self`.
        unsafe { bindings::refcount_dec_and_test(self.as_ptr()) }
    }
}
