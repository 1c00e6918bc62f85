// SPDX-License-Identifier: GPL-2.0

//! Time: jiffies ([`Jiffies`], [`msecs_to_jiffies`]), points in time on a
//! kernel clock ([`Instant`], [`ClockSource`]), durations ([`Delta`]) and
//! sleeping ([`delay::fsleep`]).

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

/// A kernel clock that [`Instant`] can read.
///
/// # Safety
///
/// [`ClockSource::ktime_get`] must read the clock named by
/// [`ClockSource::ID`] and return a value in `0..=KTIME_MAX` (`i64::MAX`).
pub unsafe trait ClockSource {
    /// The C `clockid_t` of the clock.
    const ID: bindings::clockid_t;

    /// Reads the clock, in nanoseconds.
    fn ktime_get() -> bindings::ktime_t;
}

/// The monotonic clock (C's `ktime_get`, `CLOCK_MONOTONIC`): never goes
/// back, does not count time spent suspended.
pub struct Monotonic;

// SAFETY: `ktime_get` reads `CLOCK_MONOTONIC`, which is in `0..=KTIME_MAX`.
unsafe impl ClockSource for Monotonic {
    const ID: bindings::clockid_t = bindings::CLOCK_MONOTONIC as bindings::clockid_t;

    #[inline]
    fn ktime_get() -> bindings::ktime_t {
        // SAFETY: callable from any context.
        unsafe { bindings::ktime_get() }
    }
}

/// A point in time on clock `C`.
///
/// ```
/// use kernel::time::{Delta, Instant, Monotonic};
/// let start = Instant::<Monotonic>::now();
/// let later = Instant::<Monotonic>::now();
/// assert!(later - start >= Delta::ZERO);
/// assert!(start.elapsed() >= later - start);
/// ```
///
/// # Invariants
///
/// `inner` is in `0..=KTIME_MAX`.
pub struct Instant<C: ClockSource> {
    inner: bindings::ktime_t,
    _clock: core::marker::PhantomData<C>,
}

impl<C: ClockSource> Clone for Instant<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: ClockSource> Copy for Instant<C> {}

impl<C: ClockSource> PartialEq for Instant<C> {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl<C: ClockSource> Eq for Instant<C> {}

impl<C: ClockSource> PartialOrd for Instant<C> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<C: ClockSource> Ord for Instant<C> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.inner.cmp(&other.inner)
    }
}

impl<C: ClockSource> Instant<C> {
    /// The clock's current time.
    #[inline]
    pub fn now() -> Self {
        // INVARIANT: `ClockSource`'s contract.
        Self {
            inner: C::ktime_get(),
            _clock: core::marker::PhantomData,
        }
    }

    /// The time passed since `self`.
    #[inline]
    pub fn elapsed(&self) -> Delta {
        Self::now() - *self
    }

    /// Nanoseconds since the clock's epoch.
    #[inline]
    pub fn as_nanos(&self) -> i64 {
        self.inner
    }
}

impl<C: ClockSource> core::ops::Sub for Instant<C> {
    type Output = Delta;

    /// `self - earlier`; negative when `earlier` is later. Cannot overflow:
    /// both are in `0..=KTIME_MAX`.
    #[inline]
    fn sub(self, earlier: Self) -> Delta {
        Delta {
            nanos: self.inner - earlier.inner,
        }
    }
}
