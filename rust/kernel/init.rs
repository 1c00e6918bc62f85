// SPDX-License-Identifier: GPL-2.0

//! Pinned, in-place initialisation, from the crates.io `pinned-init` crate.
//!
//! Kernel objects such as locks and wait queues must be initialised where
//! they will live, and must not move afterwards (C keeps pointers into
//! them). An initialiser (`impl PinInit<T, E>`) describes how to build a
//! `T` in place; a smart pointer runs it in memory it has just allocated
//! ([`InPlaceInit`]), or `stack_pin_init!` runs it on the stack.
//!
//! ```
//! use kernel::{new_mutex, sync::Mutex};
//!
//! #[pin_data]
//! struct Counter {
//!     #[pin]
//!     value: Mutex<u64>,
//!     name: &'static str,
//! }
//!
//! let c = KBox::pin_init(
//!     pin_init!(Counter { value <- new_mutex!(0), name: "hits" }),
//!     GFP_KERNEL,
//! )?;
//! *c.value.lock() += 1;
//! assert_eq!(*c.value.lock(), 1);
//! assert_eq!(c.name, "hits");
//! # Ok::<(), Error>(())
//! ```
//!
//! [`try_pin_init!`] and [`try_init!`] default their error type to the
//! kernel's [`Error`](crate::error::Error).

use crate::{
    alloc::{AllocError, Allocator, Box, Flags},
    error::{Error, Result},
};
use core::pin::Pin;

#[doc(hidden)]
pub use pinned_init as __pinned_init;

pub use pinned_init::{
    init_array_from_fn, init_from_closure, pin_data, pin_init_array_from_fn, pin_init_from_closure,
    pinned_drop, uninit, zeroed, InPlaceWrite, Init, PinInit, PinnedDrop, Zeroable,
};

pub use pinned_init::{init, pin_init, stack_pin_init, stack_try_pin_init};

/// Fallible pinned initialisation of a struct; the error type defaults to
/// the kernel's `Error`. See `pinned_init::try_pin_init!`.
///
/// ```
/// use kernel::init::PinInit;
///
/// #[pin_data]
/// struct Buf {
///     data: KVec<u8>,
/// }
///
/// fn new_buf() -> impl PinInit<Buf, Error> {
///     try_pin_init!(Buf { data: KVec::from_elem(0u8, 16, GFP_KERNEL)? })
/// }
/// let b = KBox::pin_init(new_buf(), GFP_KERNEL)?;
/// assert_eq!(b.data.len(), 16);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! try_pin_init {
    ($(&$this:ident in)? $t:ident $(::<$($generics:ty),* $(,)?>)? {
        $($fields:tt)*
    }) => {
        $crate::init::__pinned_init::try_pin_init!($(&$this in)? $t $(::<$($generics),*>)? {
            $($fields)*
        }? $crate::error::Error)
    };
    ($(&$this:ident in)? $t:ident $(::<$($generics:ty),* $(,)?>)? {
        $($fields:tt)*
    }? $err:ty) => {
        $crate::init::__pinned_init::try_pin_init!($(&$this in)? $t $(::<$($generics),*>)? {
            $($fields)*
        }? $err)
    };
}

/// Fallible in-place initialisation of a struct; the error type defaults to
/// the kernel's `Error`. See `pinned_init::try_init!`.
#[macro_export]
macro_rules! try_init {
    ($(&$this:ident in)? $t:ident $(::<$($generics:ty),* $(,)?>)? {
        $($fields:tt)*
    }) => {
        $crate::init::__pinned_init::try_init!($(&$this in)? $t $(::<$($generics),*>)? {
            $($fields)*
        }? $crate::error::Error)
    };
    ($(&$this:ident in)? $t:ident $(::<$($generics:ty),* $(,)?>)? {
        $($fields:tt)*
    }? $err:ty) => {
        $crate::init::__pinned_init::try_init!($(&$this in)? $t $(::<$($generics),*>)? {
            $($fields)*
        }? $err)
    };
}

/// Smart pointers that can run an initialiser in memory they allocate.
pub trait InPlaceInit<T>: Sized {
    /// What a pinned initialisation returns: `Pin<Self>`, or `Self` for
    /// pointers whose contents are always pinned (`Arc`).
    type PinnedSelf;

    /// Allocates with `flags` and pin-initialises with `init`.
    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Self::PinnedSelf, E>
    where
        E: From<AllocError>;

    /// Like [`InPlaceInit::try_pin_init`], with the kernel's `Error`.
    fn pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Self::PinnedSelf>
    where
        Error: From<E>,
    {
        // SAFETY: the closure only forwards to `init`, under the same
        // contract (its caller provides the slot), and maps the error.
        let init = unsafe {
            pin_init_from_closure(move |slot| {
                let r = init.__pinned_init(slot);
                r.map_err(Error::from)
            })
        };
        Self::try_pin_init(init, flags)
    }

    /// Allocates with `flags` and initialises with `init`.
    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>;

    /// Like [`InPlaceInit::try_init`], with the kernel's `Error`.
    fn init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self>
    where
        Error: From<E>,
    {
        // SAFETY: the closure only forwards to `init`, under the same
        // contract (its caller provides the slot), and maps the error.
        let init = unsafe {
            init_from_closure(move |slot| {
                let r = init.__init(slot);
                r.map_err(Error::from)
            })
        };
        Self::try_init(init, flags)
    }
}

impl<T, A: Allocator> InPlaceInit<T> for Box<T, A> {
    type PinnedSelf = Pin<Self>;

    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        let mut b = Box::<_, A>::new_uninit(flags)?;
        let slot = b.as_mut_ptr();
        // SAFETY: `slot` is valid, uninitialised memory for a `T` that will
        // not move (it is on the heap and becomes `Pin<Box<T>>` below). On
        // error, `b` is dropped as `Box<MaybeUninit<T>>`, freeing only.
        unsafe { init.__pinned_init(slot)? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(unsafe { b.assume_init() }.into())
    }

    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        let mut b = Box::<_, A>::new_uninit(flags)?;
        let slot = b.as_mut_ptr();
        // SAFETY: `slot` is valid, uninitialised memory for a `T`; on error
        // the uninitialised box is only freed.
        unsafe { init.__init(slot)? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(unsafe { b.assume_init() })
    }
}
