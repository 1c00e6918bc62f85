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
//!
//! # Module lifetime
//!
//! A thread whose closure lives in a loadable module is counted against
//! that module from [`spawn`] until the closure has returned for good. The
//! module's exit (the code `module!` generates) first drops the module's
//! value, which is where a module stops and joins its threads, and then
//! waits until no thread of the module is left, so module code is never
//! freed under a running thread, even one whose [`JoinHandle`] was leaked
//! (`rmmod` then waits for it). The count is dropped by code in the kernel
//! image, after the thread left the module's code.
//!
//! # Assertions in threads spawned by tests
//!
//! A KUnit assertion that fails in a spawned thread (or a panic there, when
//! the thread was spawned from a KUnit test) ends that thread, and
//! [`JoinHandle::join`] then fails the test that joins it: the failure is a
//! clean `not ok`, never a pass.

use crate::{
    alloc::{flags::GFP_KERNEL, KBox},
    error::{code::EBUSY, from_err_ptr, Result},
    ffi::{c_int, c_void},
    str::CStr,
    sync::atomic::{Acquire, Atomic, Release},
    types::Opaque,
};
use core::ptr::NonNull;

/// What a thread and its handle share. Owned by the [`JoinHandle`]; the
/// thread only uses it until it completes `done`.
struct Shared {
    /// Completed when the closure has returned or was abandoned.
    done: Opaque<bindings::completion>,
    /// Set (before `done`) when the thread ended on a failed assertion.
    failed: Atomic<bool>,
    /// Whether the spawning thread ran a KUnit test (or was itself such a
    /// thread): a panic in this thread is then a test failure.
    in_test: bool,
    /// Runs and frees the closure at `payload` (code in the caller's crate).
    run: unsafe fn(*mut c_void),
    /// The closure, a leaked `KBox<F>`.
    payload: *mut c_void,
    /// The module holding the closure's code (counted in [`LIVE`]); null
    /// for the kernel image.
    owner: *mut bindings::module,
}

/// A running (or finished) kernel thread started by [`spawn`].
///
/// # Invariants
///
/// `task` is a kernel thread created by `kthread_create_on_node` running
/// [`trampoline`] on `shared`, on which we hold a task reference
/// (`get_task_struct`). `shared` came from `KBox::into_raw`, and is freed
/// here only after `done` completed.
pub struct JoinHandle {
    task: NonNull<bindings::task_struct>,
    shared: NonNull<Shared>,
    joined: bool,
}

// SAFETY: the handle only names the thread and the shared block; waiting for
// it and stopping it may happen from any thread.
unsafe impl Send for JoinHandle {}
// SAFETY: `&JoinHandle` gives access to nothing (every method takes the
// handle by value or `&mut`).
unsafe impl Sync for JoinHandle {}

/// Runs and frees the closure.
///
/// # Safety
///
/// `payload` must come from `KBox::<F>::into_raw` and not be used again.
unsafe fn run_closure<F: FnOnce()>(payload: *mut c_void) {
    // SAFETY: the caller passes the box `spawn` leaked, once.
    let f = KBox::into_inner(unsafe { KBox::from_raw(payload.cast::<F>()) });
    f();
}

/// Runs `f` in a new kernel thread named `name`.
///
/// Fails with `ENOMEM` when memory is short, `EBUSY` when too many modules
/// have threads running at once (32), or the error of `kthread_create`.
pub fn spawn<F>(name: &CStr, f: F) -> Result<JoinHandle>
where
    F: FnOnce() + Send + 'static,
{
    spawn_inner(name, None, f)
}

/// Runs `f` in a new kernel thread named `name`, bound to CPU `cpu` (C's
/// `kthread_bind()`): it runs there only, for its whole life.
///
/// Fails with `EINVAL` when `cpu` is not online, else as [`spawn`]. The
/// thread stays bound if the CPU goes offline later (it then runs nowhere
/// until the CPU comes back), as with C.
///
/// ```
/// use kernel::{c_str, cpu, kthread};
/// use kernel::sync::atomic::{Atomic, Relaxed};
/// use kernel::sync::Arc;
/// let ran_on = Arc::new(Atomic::new(u32::MAX), GFP_KERNEL)?;
/// let last = cpu::num_online_cpus() - 1;
/// let r = ran_on.clone();
/// let t = kthread::spawn_on_cpu(c_str!("bound"), last, move || {
///     r.store(cpu::current_cpu(), Relaxed)
/// })?;
/// t.join();
/// assert_eq!(ran_on.load(Relaxed), last);
/// assert_eq!(
///     kthread::spawn_on_cpu(c_str!("nowhere"), u32::MAX, || {}).err(),
///     Some(EINVAL)
/// );
/// # Ok::<(), Error>(())
/// ```
pub fn spawn_on_cpu<F>(name: &CStr, cpu: u32, f: F) -> Result<JoinHandle>
where
    F: FnOnce() + Send + 'static,
{
    if !crate::cpu::cpu_online(cpu) {
        return Err(crate::error::code::EINVAL);
    }
    spawn_inner(name, Some(cpu), f)
}

fn spawn_inner<F>(name: &CStr, cpu: Option<u32>, f: F) -> Result<JoinHandle>
where
    F: FnOnce() + Send + 'static,
{
    let payload = KBox::new(f, GFP_KERNEL)?;
    let run: unsafe fn(*mut c_void) = run_closure::<F>;
    let shared = KBox::new(
        Shared {
            done: Opaque::uninit(),
            failed: Atomic::new(false),
            in_test: in_kunit_context(),
            run,
            payload: core::ptr::null_mut(),
            owner: core::ptr::null_mut(),
        },
        GFP_KERNEL,
    )?;
    // SAFETY: `done` is writable, aligned memory for a `struct completion`,
    // which `init_completion` initialises.
    unsafe { bindings::init_completion(shared.done.get()) };
    // `run_closure::<F>` is instantiated in the crate that names `F`, so its
    // address says which module's code the thread will run.
    let owner = crate::module::module_of_code(run as usize);
    live_add(owner)?;
    let shared = KBox::into_raw(shared);
    // SAFETY: `shared` is valid and not yet shared with any thread.
    unsafe {
        (*shared).payload = KBox::into_raw(payload).cast();
        (*shared).owner = owner;
    }
    // SAFETY: `trampoline` matches the expected signature and runs the
    // closure once; the name is passed through a "%s" format.
    let task = unsafe {
        bindings::kthread_create_on_node(
            Some(trampoline),
            shared.cast::<c_void>(),
            bindings::NUMA_NO_NODE,
            c"%s".as_ptr().cast(),
            name.as_char_ptr(),
        )
    };
    let task = match from_err_ptr(task) {
        Ok(t) => t,
        Err(e) => {
            // SAFETY: creation failed, so the thread never runs: `shared` and
            // its payload are still ours alone.
            unsafe {
                let shared = KBox::from_raw(shared);
                drop(KBox::from_raw(shared.payload.cast::<F>()));
            }
            live_remove(owner);
            return Err(e);
        }
    };
    // SAFETY: `task` is a valid, newly created task; we take a reference so
    // it stays valid until `kthread_stop_put` in `join`.
    unsafe { bindings::get_task_struct(task) };
    if let Some(cpu) = cpu {
        // SAFETY: `task` is valid and has not run yet (it waits to be
        // woken); `cpu` was online a moment ago, and binding to a CPU that
        // has gone offline since is allowed (the thread waits for it).
        unsafe { bindings::kthread_bind(task, cpu) };
    }
    // SAFETY: `task` is valid; the created thread waits to be woken.
    unsafe { bindings::wake_up_process(task) };
    // INVARIANT: created by `kthread_create_on_node` on `trampoline` and
    // `shared` (from `KBox::into_raw`), task referenced above.
    Ok(JoinHandle {
        // SAFETY: `from_err_ptr` succeeded, so `task` is a valid pointer.
        task: unsafe { NonNull::new_unchecked(task) },
        // SAFETY: `KBox::into_raw` never returns null.
        shared: unsafe { NonNull::new_unchecked(shared) },
        joined: false,
    })
}

/// Whether the current thread runs a KUnit test, or was spawned (directly
/// or not) from one.
fn in_kunit_context() -> bool {
    // SAFETY: reads `current->kunit_test`; no preconditions.
    if !unsafe { bindings::kunit_get_current_test() }.is_null() {
        return true;
    }
    // SAFETY: `current_shared` returns the block of a live thread of ours,
    // valid until that thread completes `done`, which it has not (it is
    // running this code).
    current_shared().is_some_and(|s| unsafe { s.as_ref() }.in_test)
}

/// The shared block of the current thread, if it was started by [`spawn`].
fn current_shared() -> Option<NonNull<Shared>> {
    // SAFETY: `get_current` has no preconditions.
    let task = unsafe { bindings::get_current() };
    // SAFETY: `task` is the current task, alive while it runs this code;
    // `kthread_func` returns null for tasks that are not kernel threads.
    let func = unsafe { bindings::kthread_func(task) };
    // Compared as addresses: the kernel image has one `trampoline`.
    if !core::ptr::eq(func.cast_const().cast::<()>(), trampoline as *const ()) {
        return None;
    }
    // SAFETY: the current task is a kernel thread (it runs `trampoline`), so
    // `kthread_data` returns the argument `spawn` gave it: its `Shared`.
    NonNull::new(unsafe { bindings::kthread_data(task) }.cast::<Shared>())
}

/// The thread function of every thread [`spawn`] starts. Part of the kernel
/// image, so it may drop the module reference and keep running.
///
/// # Safety
///
/// `data` must be a `Shared` set up by [`spawn`], passed to one thread.
unsafe extern "C" fn trampoline(data: *mut c_void) -> c_int {
    let shared = data.cast::<Shared>();
    // SAFETY: `run` and `payload` were set by `spawn` before the thread was
    // woken, and the closure is run once, here.
    unsafe { ((*shared).run)((*shared).payload) };
    // SAFETY: `shared` is this thread's block and the closure has returned.
    unsafe { finish(shared) }
}

/// Ends the current thread of ours: completes `done` and drops the module
/// reference, from code in the kernel image.
///
/// # Safety
///
/// `shared` must be the current thread's block, and the thread must not run
/// the closure's code any more.
unsafe fn finish(shared: *mut Shared) -> ! {
    // SAFETY: `shared` is valid until `done` completes (caller guarantee).
    let owner = unsafe { (*shared).owner };
    // SAFETY: as above; after this, the handle may free `shared`, so it is
    // not touched again.
    unsafe { bindings::complete((*shared).done.get()) };
    // This function is in the kernel image: the thread runs no module code
    // any more, so the module's exit may go on once this is counted.
    live_remove(owner);
    // SAFETY: the current task is a kernel thread; this ends it.
    unsafe { bindings::kthread_exit(0) }
}

/// Whether a failed assertion (or, with `panicking`, a panic) in the
/// current thread should end it through [`abort_current`]: it is a thread
/// started by [`spawn`] (for a panic: from a KUnit test).
pub(crate) fn ends_on_failure(panicking: bool) -> bool {
    // SAFETY: `current_shared` returns the running thread's block, valid
    // until that thread completes `done`, which it has not.
    current_shared().is_some_and(|s| !panicking || unsafe { s.as_ref() }.in_test)
}

/// Ends the current thread, started by [`spawn`], after a failed assertion;
/// the failure is reported to the test when the handle is joined. The
/// closure's frames are abandoned (what they own is leaked), as C's KUnit
/// assertions abandon a test's frames. Returns if the current thread is not
/// one of ours.
pub(crate) fn abort_current() {
    let Some(shared) = current_shared() else {
        return;
    };
    let shared = shared.as_ptr();
    // SAFETY: our thread's block, valid until `done` completes.
    unsafe { (*shared).failed.store(true, Release) };
    // SAFETY: this is the current thread's block; the closure's code is
    // abandoned here and never resumed.
    unsafe { finish(shared) }
}

impl JoinHandle {
    /// Waits until the thread's closure has returned.
    ///
    /// If the thread ended on a failed KUnit assertion, the current KUnit
    /// test fails here (see the module documentation).
    pub fn join(mut self) {
        self.wait();
    }

    fn wait(&mut self) {
        if self.joined {
            return;
        }
        let shared = self.shared.as_ptr();
        // SAFETY: `done` was initialised in `spawn` and is completed by the
        // thread once the closure returned or was abandoned.
        unsafe { bindings::wait_for_completion((*shared).done.get()) };
        // SAFETY: we hold a reference on `task` (type invariant); the
        // thread has finished its work, so stopping only reaps it, and
        // `kthread_stop_put` drops our reference.
        unsafe { bindings::kthread_stop_put(self.task.as_ptr()) };
        self.joined = true;
        // SAFETY: `done` completed, so the thread no longer uses `shared`,
        // which came from `KBox::into_raw` (type invariant).
        let shared = unsafe { KBox::from_raw(shared) };
        let failed = shared.failed.load(Acquire);
        drop(shared);
        if failed {
            crate::kunit::fail(
                crate::c_str!("kthread"),
                0,
                format_args!("a thread spawned by this test failed an assertion"),
            );
        }
    }
}

impl Drop for JoinHandle {
    fn drop(&mut self) {
        self.wait();
    }
}

/// Live threads per module: a small table, since few modules have threads
/// running at once. Slots with a null module are free.
struct Live {
    slots: [(usize, usize); 64],
}

crate::global_lock! {
    // SAFETY: `live()` runs `init` once (`init_once`), before any use.
    unsafe(uninit) static LIVE: SpinLockIrq<Live> = Live { slots: [(0, 0); 64] };
}

/// 0: `LIVE` not initialised; 1: being initialised; 2: ready.
static LIVE_STATE: Atomic<u8> = Atomic::new(0);

/// Runs `init` the first time any caller gets here, and returns once it
/// has run, whoever ran it. `state` is 0 before, 1 during and 2 after.
///
/// Callable in any context, interrupt handlers included (a work item
/// queued from one counts itself in the live-thread table): `init` runs
/// with interrupts off on its CPU, so that no handler there can wait for
/// a state 1 that this CPU would never get back to finish. A caller on
/// another CPU waits at most for `init` itself.
fn init_once(state: &Atomic<u8>, init: impl FnOnce()) {
    if state.load(Acquire) == 2 {
        return;
    }
    // SAFETY: restored below on this CPU (interrupts off, no migration),
    // with nothing in between that sleeps.
    let flags = unsafe { bindings::local_irq_save() };
    if state.cmpxchg(0, 1, Acquire).is_ok() {
        init();
        state.store(2, Release);
    }
    // SAFETY: `flags` is what `local_irq_save` returned on this CPU.
    unsafe { bindings::local_irq_restore(flags) };
    while state.load(Acquire) != 2 {
        core::hint::spin_loop();
    }
}

/// The live-thread table, initialised on first use.
fn live(
) -> &'static crate::sync::lock::GlobalLock<Live, crate::sync::lock::spinlock::SpinLockIrqBackend> {
    init_once(&LIVE_STATE, || {
        // SAFETY: `init_once` runs this once, and nobody uses the lock
        // before `LIVE_STATE` is 2, which it is only after this returns.
        unsafe { LIVE.init() }
    });
    &LIVE
}

/// Counts a new thread (or queued work item, `workqueue`) of `owner`
/// (nothing for the kernel image); `EBUSY` if too many modules (64) have
/// some at once. Any context: the table's lock disables interrupts.
pub(crate) fn live_add(owner: *mut bindings::module) -> Result {
    if owner.is_null() {
        return Ok(());
    }
    let key = owner as usize;
    let mut live = live().lock();
    if let Some(slot) = live.slots.iter_mut().find(|s| s.0 == key) {
        slot.1 += 1;
        return Ok(());
    }
    let slot = live.slots.iter_mut().find(|s| s.0 == 0).ok_or(EBUSY)?;
    *slot = (key, 1);
    Ok(())
}

/// Uncounts a thread or work item of `owner` that left the module's code
/// for good.
pub(crate) fn live_remove(owner: *mut bindings::module) {
    if owner.is_null() {
        return;
    }
    let key = owner as usize;
    let mut live = live().lock();
    if let Some(slot) = live.slots.iter_mut().find(|s| s.0 == key) {
        slot.1 -= 1;
        if slot.1 == 0 {
            *slot = (0, 0);
        }
    }
}

/// How many threads whose code is in `owner` still run.
fn live_count(owner: *mut bindings::module) -> usize {
    let key = owner as usize;
    live()
        .lock()
        .slots
        .iter()
        .find(|s| s.0 == key)
        .map_or(0, |s| s.1)
}

/// Waits until no thread spawned with code of module `owner` runs: called
/// by the exit `module!` generates, after the module's value was dropped.
/// A thread that never ends blocks the unload (it would otherwise run in
/// freed code).
#[doc(hidden)]
pub fn wait_for_module_threads(owner: *mut bindings::module) {
    let mut waited = 0u32;
    while !owner.is_null() && live_count(owner) != 0 {
        if waited == 100 {
            crate::pr_notice!("module exit waits for its threads and work items\n");
        }
        waited = waited.saturating_add(1);
        crate::time::delay::fsleep(crate::time::Delta::from_millis(10));
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

#[macros::kunit_tests(rust_kernel_kthread)]
mod tests {
    use super::init_once;
    use crate::sync::atomic::{Atomic, Relaxed};

    /// The lazy initialisation of the live-thread table runs once, with
    /// interrupts off: an interrupt handler on the same CPU that queued
    /// work while it ran would otherwise spin for good.
    #[test]
    fn init_once_runs_once_with_interrupts_off() {
        let state = Atomic::<u8>::new(0);
        let runs = Atomic::<u32>::new(0);
        let irqs_off = Atomic::<bool>::new(false);
        for _ in 0..3 {
            init_once(&state, || {
                runs.fetch_add(1, Relaxed);
                // SAFETY: reads this CPU's interrupt flag.
                irqs_off.store(unsafe { crate::bindings::irqs_disabled() }, Relaxed);
            });
        }
        assert_eq!(runs.load(Relaxed), 1);
        assert!(irqs_off.load(Relaxed));
        assert_eq!(state.load(Relaxed), 2);
        // Interrupts are back on afterwards (KUnit runs tests in a task).
        // SAFETY: as above.
        assert!(!unsafe { crate::bindings::irqs_disabled() });
    }
}
