// SPDX-License-Identifier: GPL-2.0

//! Kernel modules: the [`Module`] trait and what `module!` builds on.

use crate::{error::Result, ffi::c_int};
use core::{cell::UnsafeCell, mem::MaybeUninit};

/// A module, as C knows it: `THIS_MODULE`.
///
/// # Invariants
///
/// `0` is null (built-in code) or points to the `struct module` of the
/// module the code belongs to, valid while that code can run.
pub struct ThisModule(*mut bindings::module);

// SAFETY: the pointer is only handed to C, which synchronises access to
// `struct module` itself.
unsafe impl Sync for ThisModule {}

impl ThisModule {
    /// Wraps a `struct module` pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must be null or point to a `struct module` that outlives the
    /// returned value's use.
    pub const unsafe fn from_ptr(ptr: *mut bindings::module) -> ThisModule {
        // INVARIANT: the caller guarantees validity.
        ThisModule(ptr)
    }

    /// The raw pointer, for C APIs that take a `struct module *`.
    pub fn as_ptr(&self) -> *mut bindings::module {
        self.0
    }
}

/// A kernel module's entry points.
///
/// `init` runs when the module is loaded (or at boot if built in); the
/// value it returns lives until the module is unloaded, when it is dropped:
/// put cleanup in `Drop`.
pub trait Module: Sized + Sync + Send {
    /// Initialises the module. An error fails the load with that errno.
    fn init(module: &'static ThisModule) -> Result<Self>;
}

/// The storage `module!` keeps a module's value in, from init to exit.
///
/// # Invariants
///
/// The value is initialised exactly between a successful
/// [`ModuleState::init`] and the following [`ModuleState::exit`].
#[doc(hidden)]
pub struct ModuleState<T>(UnsafeCell<MaybeUninit<T>>);

// SAFETY: the loader serialises init and exit, which are the only
// accesses, and `T: Module` is `Send + Sync`.
unsafe impl<T: Module> Sync for ModuleState<T> {}

impl<T: Module> ModuleState<T> {
    /// Empty storage.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(UnsafeCell::new(MaybeUninit::uninit()))
    }

    /// Runs `T::init` and stores the module; returns C's init result.
    ///
    /// # Safety
    ///
    /// Called once, before `exit`, with no concurrent access.
    pub unsafe fn init(&self, module: &'static ThisModule) -> c_int {
        match T::init(module) {
            Ok(m) => {
                // SAFETY: no other access happens concurrently (caller
                // guarantee). INVARIANT: now initialised.
                unsafe { (*self.0.get()).write(m) };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// Drops the module.
    ///
    /// # Safety
    ///
    /// Called once, after an `init` that returned 0, with no concurrent
    /// access.
    pub unsafe fn exit(&self) {
        // SAFETY: initialised by the successful `init` (caller guarantee and
        // type invariant), dropped once. INVARIANT: no longer initialised.
        unsafe { (*self.0.get()).assume_init_drop() };
    }
}
