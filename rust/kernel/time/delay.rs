// SPDX-License-Identifier: GPL-2.0

//! Sleeping for a while.

use super::Delta;

/// Sleeps for at least `delta` (C's `fsleep`, which picks a busy wait, an
/// hrtimer sleep or `msleep` by length). Process context only: it sleeps.
/// Negative spans sleep not at all; spans past `u32::MAX` microseconds are
/// cut to that.
///
/// ```
/// use kernel::time::{delay::fsleep, Delta};
/// fsleep(Delta::from_micros(50));
/// fsleep(Delta::from_millis(-1));
/// ```
pub fn fsleep(delta: Delta) {
    let micros = delta.as_micros_ceil().clamp(0, i64::from(u32::MAX));
    // SAFETY: sleeping has no memory-safety preconditions; calling it in
    // atomic context is a bug the kernel reports (`DEBUG_ATOMIC_SLEEP`).
    unsafe { bindings::fsleep(micros as crate::ffi::c_ulong) }
}
