// SPDX-License-Identifier: GPL-2.0

//! [`Refcount`]: C's `refcount_t`.

use crate::types::Opaque;

/// A reference count with C's `refcount_t` semantics: it saturates instead
/// of wrapping (an overflow or an increment from zero leaves it pinned at a
/// saturation value, with a warning, so the object leaks rather than being
/// freed while in use), and a decrement to zero is ordered like a release
/// followed by an acquire.
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
    pub fn as_ptr(&self) -> *mut bindings::refcount_t {
        self.0.get()
    }

    /// Sets the count (`refcount_set`).
    pub fn set(&self, value: i32) {
        // SAFETY: `as_ptr` is a valid `refcount_t` for the life of `self`.
        unsafe { bindings::refcount_set(self.as_ptr(), value) }
    }

    /// The current count (`refcount_read`).
    pub fn read(&self) -> u32 {
        // SAFETY: as above.
        unsafe { bindings::refcount_read(self.as_ptr()) }
    }

    /// Increments, saturating (`refcount_inc`).
    pub fn inc(&self) {
        // SAFETY: as above.
        unsafe { bindings::refcount_inc(self.as_ptr()) }
    }

    /// Increments unless the count is zero; `false` if it was
    /// (`refcount_inc_not_zero`).
    pub fn inc_not_zero(&self) -> bool {
        // SAFETY: as above.
        unsafe { bindings::refcount_inc_not_zero(self.as_ptr()) }
    }

    /// Decrements; `true` when the count reached zero, in which case the
    /// caller owns the object's teardown (`refcount_dec_and_test`).
    #[must_use = "when this returns true the caller must free the object"]
    pub fn dec_and_test(&self) -> bool {
        // SAFETY: as above.
        unsafe { bindings::refcount_dec_and_test(self.as_ptr()) }
    }
}
