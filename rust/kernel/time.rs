// SPDX-License-Identifier: GPL-2.0

//! Time: jiffies ([`Jiffies`], [`msecs_to_jiffies`]), durations
//! ([`Delta`]) and sleeping ([`delay::fsleep`]).

pub mod delay;

/// Nanoseconds per microsecond.
pub const NSEC_PER_USEC: i64 = bindings::NSEC_PER_USEC as i64;
/// Nanoseconds per millisecond.
pub const NSEC_PER_MSEC: i64 = bindings::NSEC_PER_MSEC as i64;
/// Nanoseconds per second.
pub const NSEC_PER_SEC: i64 = bindings::NSEC_PER_SEC as i64;

/// A time in jiffies (ticks of `HZ` per second).
pub type Jiffies = crate::ffi::c_ulong;

/// A time in milliseconds.
pub type Msecs = crate::ffi::c_uint;

/// Converts milliseconds to jiffies, rounding up (C's `msecs_to_jiffies`).
///
/// ```
/// use kernel::time::msecs_to_jiffies;
/// assert!(msecs_to_jiffies(1) >= 1);
/// assert!(msecs_to_jiffies(2000) > msecs_to_jiffies(1000));
/// assert_eq!(msecs_to_jiffies(0), 0);
/// ```
#[inline]
pub fn msecs_to_jiffies(msecs: Msecs) -> Jiffies {
    // SAFETY: a pure conversion, no preconditions.
    unsafe { bindings::__msecs_to_jiffies(msecs) }
}

/// A span of time, in nanoseconds (may be negative).
///
/// ```
/// use kernel::time::Delta;
/// let d = Delta::from_millis(1500);
/// assert_eq!(d.as_millis(), 1500);
/// assert_eq!(d.as_micros_ceil(), 1_500_000);
/// assert_eq!(Delta::from_micros(1).as_nanos(), 1000);
/// assert!(Delta::from_secs(i64::MAX).as_nanos() == i64::MAX); // saturates
/// assert!(Delta::ZERO.is_zero() && Delta::from_millis(-1).is_negative());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Delta {
    nanos: i64,
}

impl Delta {
    /// No time at all.
    pub const ZERO: Self = Self { nanos: 0 };

    /// `micros` microseconds, saturating.
    pub const fn from_micros(micros: i64) -> Self {
        Self {
            nanos: micros.saturating_mul(NSEC_PER_USEC),
        }
    }

    /// `millis` milliseconds, saturating.
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            nanos: millis.saturating_mul(NSEC_PER_MSEC),
        }
    }

    /// `secs` seconds, saturating.
    pub const fn from_secs(secs: i64) -> Self {
        Self {
            nanos: secs.saturating_mul(NSEC_PER_SEC),
        }
    }

    /// Whether the span is zero.
    pub const fn is_zero(self) -> bool {
        self.nanos == 0
    }

    /// Whether the span is negative.
    pub const fn is_negative(self) -> bool {
        self.nanos < 0
    }

    /// The span in nanoseconds.
    pub const fn as_nanos(self) -> i64 {
        self.nanos
    }

    /// The span in microseconds, rounded up.
    pub const fn as_micros_ceil(self) -> i64 {
        self.nanos.saturating_add(NSEC_PER_USEC - 1) / NSEC_PER_USEC
    }

    /// The span in milliseconds, rounded down.
    pub const fn as_millis(self) -> i64 {
        self.nanos / NSEC_PER_MSEC
    }
}
