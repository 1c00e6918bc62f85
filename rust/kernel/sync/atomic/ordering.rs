// SPDX-License-Identifier: GPL-2.0

//! Memory orderings as types.
//!
//! | type | C suffix | guarantees |
//! |---|---|---|
//! | [`Relaxed`] | `_relaxed` | atomicity only |
//! | [`Acquire`] | `_acquire` | later accesses stay after it |
//! | [`Release`] | `_release` | earlier accesses stay before it |
//! | [`Full`] | (none) | fully ordered, as if `smp_mb()` on both sides |

/// The ordering a type stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OrderingType {
    /// `_relaxed`.
    Relaxed,
    /// `_acquire`.
    Acquire,
    /// `_release`.
    Release,
    /// Fully ordered.
    Full,
}

mod private {
    pub trait Sealed {}
}

/// An ordering: the bound of read-modify-write operations, which accept
/// all four. Sealed: only the four types below implement it.
pub trait Ordering: Copy + private::Sealed {
    /// Which ordering this is.
    const ORDERING: OrderingType;
}

/// Orderings a load accepts: [`Relaxed`] or [`Acquire`].
pub trait AcquireOrRelaxed: Ordering {}

/// Orderings a store accepts: [`Relaxed`] or [`Release`].
pub trait ReleaseOrRelaxed: Ordering {}

/// Any ordering. Read-modify-write operations are bounded by [`Ordering`]
/// itself, as upstream; this name is kept for code written against it.
pub trait Any: Ordering {}

impl<T: Ordering> Any for T {}

macro_rules! orderings {
    ($($(#[$doc:meta])* $name:ident: $($tr:ident),*;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, Default)]
            pub struct $name;
            impl private::Sealed for $name {}
            impl Ordering for $name {
                const ORDERING: OrderingType = OrderingType::$name;
            }
            $(impl $tr for $name {})*
        )*
    };
}

orderings! {
    /// No ordering beyond atomicity (C's `_relaxed` variants, `READ_ONCE`).
    Relaxed: AcquireOrRelaxed, ReleaseOrRelaxed;
    /// Acquire: later accesses are not reordered before this one.
    Acquire: AcquireOrRelaxed;
    /// Release: earlier accesses are not reordered after this one.
    Release: ReleaseOrRelaxed;
    /// Fully ordered (C's unsuffixed value-returning atomics).
    Full: ;
}
