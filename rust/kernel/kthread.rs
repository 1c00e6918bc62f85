// SPDX-License-Identifier: GPL-2.0

//! Kernel threads.
//!
//! [`spawn`] runs a closure in a new kernel thread; the returned
//! [`JoinHandle`] waits for it to finish ([`JoinHandle::join`], or on drop).
//!
//! ```
//! use kernel::kthread;
//! use kernel::sync::atomic::{Acquire, Atomic, Relaxed};
//!
//! static HITS: Atomic<i32> = Atomic::new(0);
//! let t = kthread::spawn(c_str!("rkal-doc"), || {
//!     HITS.inc(Relaxed);
//! })?;
//! t.join();
//! assert_eq!(HITS.load(Acquire), 1);
//! # Ok::<(), Error>(())
//! ```

use crate::{
    alloc::{flags::GFP_KERNEL, KBox},
    error::{from_err_ptr, Result},
    ffi::{c_int, c_void},
    str::CStr,
    types::Opaque,
};
use core::ptr::NonNull;

/// What the new thread receives: the closure, and where to say it is done.
struct Start<F> {
    f: F,
    done: *mut bindings::completion,
}

/// A running (or finished) kernel thread started by [`spawn`].
///
/// # Invariants
///
/// `task` is a kernel thread created by `kthread_create_on_node` on which
/// we hold a reference (`get_task_struct`); its thread function runs the
/// closure and then completes `done`, which lives as long as the handle.
pub struct JoinHandle {
    task: NonNull<bindings::task_struct>,
    done: KBox<Opaque<bindings::completion>>,
    joined: bool,
}

// SAFETY: the handle only names the thread; waiting for it and stopping it
// may happen from any thread.
unsafe impl Send for JoinHandle {}

/// Runs `f` in a new kernel thread named `name`.
///
/// Fails with `ENOMEM` when memory is short, or the error of
/// `kthread_create`.
pub fn spawn<F>(name: &CStr, f: F) -> Result<JoinHandle>
where
    F: FnOnce() + Send + 'static,
{
    let done = KBox::new(Opaque::<bindings::completion>::uninit(), GFP_KERNEL)?;
    // SAFETY: `done` points to writable, suitably aligned memory for a
    // `struct completion`, which `init_completion` initialises.
    unsafe { bindings::init_completion(done.get()) };
    let start = KBox::into_raw(KBox::new(
        Start {
            f,
            done: done.get(),
        },
        GFP_KERNEL,
    )?);
    // SAFETY: `thread_fn::<F>` matches the expected signature and takes
    // ownership of `start`; the name is passed through a "%s" format.
    let task = unsafe {
        bindings::kthread_create_on_node(
            Some(thread_fn::<F>),
            start.cast::<c_void>(),
            bindings::NUMA_NO_NODE,
            c"%s".as_ptr().cast(),
            name.as_char_ptr(),
        )
    };
    let task = match from_err_ptr(task) {
        Ok(t) => t,
        Err(e) => {
            // SAFETY: creation failed, so the thread function never runs and
            // `start` is still ours (from `KBox::into_raw` above).
            drop(unsafe { KBox::from_raw(start) });
            return Err(e);
        }
    };
    // SAFETY: `task` is a valid, newly created task; we take a reference so
    // it stays valid until `kthread_stop_put` in `join`.
    unsafe { bindings::get_task_struct(task) };
    // SAFETY: `task` is valid; the created thread waits to be woken.
    unsafe { bindings::wake_up_process(task) };
    // INVARIANT: created by `kthread_create_on_node`, referenced above, and
    // its thread function completes `done` after running the closure.
    Ok(JoinHandle {
        // SAFETY: `from_err_ptr` succeeded, so `task` is a valid pointer.
        task: unsafe { NonNull::new_unchecked(task) },
        done,
        joined: false,
    })
}

/// The thread function: runs the closure, then signals completion.
///
/// # Safety
///
/// `data` must be a `KBox<Start<F>>` from `KBox::into_raw`, passed once.
unsafe extern "C" fn thread_fn<F: FnOnce()>(data: *mut c_void) -> c_int {
    // SAFETY: the caller (spawn, via kthread) passes the box it leaked.
    let start = KBox::into_inner(unsafe { KBox::from_raw(data.cast::<Start<F>>()) });
    (start.f)();
    // SAFETY: `done` is initialised and outlives the thread: the handle
    // owning it waits for this completion before freeing it.
    unsafe { bindings::complete(start.done) };
    0
}

impl JoinHandle {
    /// Waits until the thread's closure has returned.
    pub fn join(mut self) {
        self.wait();
    }

    fn wait(&mut self) {
        if self.joined {
            return;
        }
        // SAFETY: `done` was initialised in `spawn` and is completed by the
        // thread once the closure returned.
        unsafe { bindings::wait_for_completion(self.done.get()) };
        // SAFETY: we hold a reference on `task` (type invariant); the
        // thread function has run, so stopping only reaps the thread, and
        // `kthread_stop_put` drops our reference.
        unsafe { bindings::kthread_stop_put(self.task.as_ptr()) };
        self.joined = true;
    }
}

impl Drop for JoinHandle {
    fn drop(&mut self) {
        self.wait();
    }
}

/// Gives other tasks a chance to run, as C's `cond_resched()`: for long
/// loops in process context. It may sleep, so it must not be called with
/// a spinlock held or interrupts off (`DEBUG_ATOMIC_SLEEP` reports that).
pub fn cond_resched() {
    // SAFETY: `cond_resched` has no memory-safety preconditions; calling it
    // where sleeping is not allowed is a bug the kernel reports, not UB.
    unsafe { bindings::cond_resched() };
}
