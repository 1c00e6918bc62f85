// SPDX-License-Identifier: GPL-2.0

//! Kernel modules: the [`Module`] trait and what `module!` builds on.

use crate::{
    error::{Error, Result},
    ffi::c_int,
    init::{pin_init_from_closure, PinInit},
};
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
    /// `ptr` must be null for code in the kernel image, or else point to
    /// the `struct module` of the loadable module whose code uses the
    /// value (C takes a reference to it, as a file's or a disk's `owner`,
    /// to keep that code loaded while it may call into it).
    pub const unsafe fn from_ptr(ptr: *mut bindings::module) -> ThisModule {
        // INVARIANT: the caller guarantees it.
        ThisModule(ptr)
    }

    /// The raw pointer, for C APIs that take a `struct module *`.
    pub const fn as_ptr(&self) -> *mut bindings::module {
        self.0
    }
}

/// The loadable module whose memory holds `addr` (a function's address,
/// say), or null for the kernel image. The caller must keep the module
/// alive itself (for example by running its code) while it uses the result.
pub(crate) fn module_of_code(addr: usize) -> *mut bindings::module {
    #[cfg(CONFIG_MODULES)]
    {
        // SAFETY: `preempt_disable` has no preconditions.
        unsafe { bindings::preempt_disable() };
        // SAFETY: preemption is disabled, as `__module_address` requires.
        let m = unsafe { bindings::__module_address(addr as _) };
        // SAFETY: pairs with the `preempt_disable` above.
        unsafe { bindings::preempt_enable() };
        m
    }
    #[cfg(not(CONFIG_MODULES))]
    {
        let _ = addr;
        core::ptr::null_mut()
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

/// What `module!` knows about a module, for code generic over it
/// (`module_driver!` names the driver after the module).
pub trait ModuleMetadata {
    /// The module's name.
    const NAME: &'static crate::str::CStr;
}

/// A kernel module initialised in place: its value is pinned for its whole
/// life (it may hold locks, registrations, anything that must not move).
/// `module!` takes any `InPlaceModule`; every [`Module`] is one.
///
/// ```
/// use kernel::{new_mutex, sync::Mutex};
///
/// #[pin_data]
/// struct Counter {
///     #[pin]
///     hits: Mutex<u32>,
/// }
///
/// impl kernel::InPlaceModule for Counter {
///     fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
///         try_pin_init!(Counter { hits <- new_mutex!(0) })
///     }
/// }
///
/// // What `module!` does with it, here on the stack.
/// // SAFETY: a null module stands for code built into the kernel image.
/// static M: ThisModule = unsafe { ThisModule::from_ptr(core::ptr::null_mut()) };
/// let c = KBox::pin_init(<Counter as kernel::InPlaceModule>::init(&M), GFP_KERNEL)?;
/// *c.hits.lock() += 1;
/// assert_eq!(*c.hits.lock(), 1);
/// # Ok::<(), Error>(())
/// ```
pub trait InPlaceModule: Sync + Send {
    /// Initialises the module in place. An error fails the load with that
    /// errno.
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error>;
}

impl<T: Module> InPlaceModule for T {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let init = move |slot: *mut Self| {
            let m = <T as Module>::init(module)?;
            // SAFETY: `slot` is valid for writes (contract of
            // `pin_init_from_closure`'s closures).
            unsafe { slot.write(m) };
            Ok(())
        };
        // SAFETY: on success the closure initialised `*slot`; on failure it
        // wrote nothing.
        unsafe { pin_init_from_closure(init) }
    }
}

/// The storage `module!` keeps a module's value in, from init to exit. It
/// is a `static`, so the value never moves: it is initialised in place.
///
/// # Invariants
///
/// The value is initialised exactly between a successful
/// [`ModuleState::init`] and the following [`ModuleState::exit`].
#[doc(hidden)]
pub struct ModuleState<T>(UnsafeCell<MaybeUninit<T>>);

// SAFETY: the loader serialises init and exit, which are the only
// accesses, and `T: InPlaceModule` is `Send + Sync`.
unsafe impl<T: InPlaceModule> Sync for ModuleState<T> {}

impl<T: InPlaceModule> ModuleState<T> {
    /// Empty storage.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(UnsafeCell::new(MaybeUninit::uninit()))
    }

    /// Runs `T::init` into the storage; returns C's init result.
    ///
    /// # Safety
    ///
    /// Called once, before `exit`, with no concurrent access, on storage
    /// that never moves (a `static`).
    pub unsafe fn init(&'static self, module: &'static ThisModule) -> c_int {
        let slot = self.0.get().cast::<T>();
        // SAFETY: `slot` is valid for writes, not accessed concurrently
        // (caller guarantee), and pinned: the storage is a `static`.
        // INVARIANT: initialised on success; on failure `__pinned_init`
        // leaves nothing behind.
        match unsafe { T::init(module).__pinned_init(slot) } {
            Ok(()) => 0,
            Err(e) => {
                // A thread or work item the failed init started (and let
                // go of) may still run the module's code, which the loader
                // frees as soon as we return: wait for it, as `exit` does.
                crate::kthread::wait_for_module_threads(module.as_ptr());
                e.to_errno()
            }
        }
    }

    /// Drops the module in place, then waits for threads still running
    /// its code (see [`crate::kthread`]).
    ///
    /// # Safety
    ///
    /// Called once, after an `init` that returned 0, with no concurrent
    /// access, with the module's own [`ThisModule`].
    pub unsafe fn exit(&self, module: &'static ThisModule) {
        // SAFETY: initialised by the successful `init` (caller guarantee and
        // type invariant), dropped once, in place. INVARIANT: no longer
        // initialised.
        unsafe { core::ptr::drop_in_place(self.0.get().cast::<T>()) };
        crate::kthread::wait_for_module_threads(module.as_ptr());
    }
}
