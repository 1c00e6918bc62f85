// SPDX-License-Identifier: GPL-2.0

//! Completions: a one-shot event that threads wait for (C's `struct
//! completion`, `include/linux/completion.h`).

use crate::{bindings, prelude::*, types::Opaque};

/// An event that any number of threads wait for, signalled once for all of
/// them with [`Completion::complete_all`].
///
/// Use it where one thread must not go on before another has finished
/// something; unlike a flag polled in a loop, a waiter sleeps, and the
/// completion orders what the signalling thread did before
/// `complete_all` before what the waiter does after its wait returns.
///
/// ```
/// use kernel::sync::atomic::{Atomic, Relaxed};
/// use kernel::sync::{Arc, Completion};
/// use kernel::{c_str, kthread};
///
/// #[pin_data]
/// struct Shared {
///     value: Atomic<u32>,
///     #[pin]
///     ready: Completion,
/// }
///
/// let shared = Arc::pin_init(
///     pin_init!(Shared { value: Atomic::new(0), ready <- Completion::new() }),
///     GFP_KERNEL,
/// )?;
/// let s = shared.clone();
/// let t = kthread::spawn(c_str!("completer"), move || {
///     s.value.store(42, Relaxed);
///     s.ready.complete_all();
/// })?;
/// shared.ready.wait_for_completion();
/// // Ordered by the completion: the store is seen.
/// assert_eq!(shared.value.load(Relaxed), 42);
/// // Once completed, it stays so: waiting again returns at once.
/// shared.ready.wait_for_completion();
/// t.join();
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `inner` is a `struct completion` initialised by `init_completion`, and
/// pinned.
#[pin_data]
pub struct Completion {
    #[pin]
    inner: Opaque<bindings::completion>,
}

// SAFETY: a completion is not tied to the thread that made it: any thread
// may signal it, wait for it, or drop it once nobody waits.
unsafe impl Send for Completion {}
// SAFETY: `complete_all` and `wait_for_completion` may run on several
// threads at once: the completion's own lock serialises them.
unsafe impl Sync for Completion {}

impl Completion {
    /// An initialiser of a completion that has not happened yet.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            inner <- Opaque::ffi_init(|slot: *mut bindings::completion| {
                // SAFETY: `slot` is valid for writes and pinned from here
                // on; `init_completion` initialises it in place.
                unsafe { bindings::init_completion(slot) }
            }),
        })
    }

    fn as_raw(&self) -> *mut bindings::completion {
        self.inner.get()
    }

    /// Signals the completion: every waiter, present and future, goes on.
    pub fn complete_all(&self) {
        // SAFETY: `inner` is an initialised completion (type invariant).
        unsafe { bindings::complete_all(self.as_raw()) };
    }

    /// Sleeps, uninterruptibly, until the completion is signalled (at once
    /// if it has been).
    pub fn wait_for_completion(&self) {
        // SAFETY: `inner` is an initialised completion (type invariant).
        unsafe { bindings::wait_for_completion(self.as_raw()) };
    }
}
