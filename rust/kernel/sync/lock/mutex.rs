// SPDX-License-Identifier: GPL-2.0

//! [`Mutex`]: a sleeping lock, C's `struct mutex`.

use crate::ffi::c_char;

/// Data protected by a `struct mutex`. Holders may sleep; waiters sleep.
///
/// ```
/// use kernel::{new_mutex, sync::Mutex};
/// let m = KBox::pin_init(new_mutex!(5u32, "doc_mutex"), GFP_KERNEL)?;
/// {
///     let mut g = m.lock();
///     *g += 1;
///     // Held: a second attempt fails.
///     assert!(m.try_lock().is_none());
/// }
/// // Released when the guard went out of scope.
/// assert_eq!(*m.try_lock().ok_or(EBUSY)?, 6);
/// # Ok::<(), Error>(())
/// ```
pub type Mutex<T> = super::Lock<T, MutexBackend>;

/// Creates a [`Mutex`] initialiser with a lockdep class for this call site
/// and an optional name (default: `file:line`).
#[macro_export]
macro_rules! new_mutex {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::sync::Mutex::new($inner, $crate::optional_name!($($name)?), $crate::static_lock_class!())
    };
}

/// The [`Backend`](super::Backend) of [`Mutex`].
pub struct MutexBackend;

// SAFETY: `mutex_lock`/`mutex_trylock` give exclusive ownership until
// `mutex_unlock`, and `__mutex_init` (through a helper, as it is a macro
// on PREEMPT_RT) initialises with the name and key.
unsafe impl super::Backend for MutexBackend {
    type State = bindings::mutex;
    type GuardState = ();

    #[inline]
    unsafe fn init(ptr: *mut Self::State, name: *const c_char, key: *mut bindings::lock_class_key) {
        // SAFETY: forwarded caller guarantee (valid, pinned, `'static`
        // name and key).
        unsafe { bindings::mutex_init_with_key(ptr, name, key) }
    }

    #[inline]
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // `mutex_lock()` is a macro for `mutex_lock_nested(lock, 0)` when
        // lockdep tracks lock classes; call what it expands to.
        #[cfg(CONFIG_DEBUG_LOCK_ALLOC)]
        // SAFETY: `ptr` is an initialised mutex (caller guarantee).
        unsafe {
            bindings::mutex_lock_nested(ptr, 0)
        };
        #[cfg(not(CONFIG_DEBUG_LOCK_ALLOC))]
        // SAFETY: as above.
        unsafe {
            bindings::mutex_lock(ptr)
        };
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        // SAFETY: `ptr` is an initialised mutex (caller guarantee).
        if unsafe { bindings::mutex_trylock(ptr) } != 0 {
            Some(())
        } else {
            None
        }
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: the caller holds the mutex.
        unsafe { bindings::mutex_unlock(ptr) }
    }
}
