// SPDX-License-Identifier: GPL-2.0

//! [`CondVar`]: wait for a condition under a lock, on a C wait queue.

use super::lock::{Backend, Guard, LockClassKey};
use crate::{
    ffi::{c_int, c_long},
    init::{pin_data, pin_init, PinInit},
    str::CStr,
    time::Jiffies,
    types::Opaque,
};
use core::marker::PhantomPinned;

/// Creates a [`CondVar`] initialiser with a lockdep class for this call
/// site and an optional name (default: `file:line`).
#[macro_export]
macro_rules! new_condvar {
    ($($name:literal)?) => {
        $crate::sync::CondVar::new($crate::optional_name!($($name)?), $crate::static_lock_class!())
    };
}

/// A condition variable: threads sleep in [`CondVar::wait`] (releasing the
/// lock they hold) until another thread calls [`CondVar::notify_one`] or
/// [`CondVar::notify_all`]. As everywhere, wakeups can be spurious: wait in
/// a loop that checks the condition.
///
/// ```
/// use kernel::{kthread, new_condvar, new_mutex, sync::{Arc, CondVar, Mutex}};
///
/// #[pin_data]
/// struct Mailbox {
///     #[pin]
///     slot: Mutex<Option<u32>>,
///     #[pin]
///     ready: CondVar,
/// }
///
/// let mb = Arc::pin_init(
///     pin_init!(Mailbox { slot <- new_mutex!(None), ready <- new_condvar!() }),
///     GFP_KERNEL,
/// )?;
/// let sender = mb.clone();
/// let t = kthread::spawn(c_str!("rkal-condvar"), move || {
///     *sender.slot.lock() = Some(7);
///     sender.ready.notify_one();
/// })?;
/// let mut g = mb.slot.lock();
/// while g.is_none() {
///     mb.ready.wait(&mut g);
/// }
/// assert_eq!(*g, Some(7));
/// drop(g);
/// t.join();
///
/// // Nobody notifies: a timed wait times out.
/// let mut g = mb.slot.lock();
/// assert!(matches!(
///     mb.ready.wait_interruptible_timeout(&mut g, 2),
///     kernel::sync::CondVarTimeoutResult::Timeout
/// ));
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `wait_queue_head` was initialised by `__init_waitqueue_head`.
#[pin_data]
pub struct CondVar {
    #[pin]
    wait_queue_head: Opaque<bindings::wait_queue_head>,
    // C's wait queue is a list whose entries point back at the head.
    #[pin]
    _pin: PhantomPinned,
}

// SAFETY: the wait queue is protected by its own C spinlock.
unsafe impl Send for CondVar {}
// SAFETY: as above, shared use is what the C wait queue is for.
unsafe impl Sync for CondVar {}

/// How a timed wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CondVarTimeoutResult {
    /// The time ran out.
    Timeout,
    /// Woken (or a spurious wakeup), with this many jiffies left.
    Woken {
        /// Jiffies left of the timeout.
        jiffies: Jiffies,
    },
    /// A signal is pending, with this many jiffies left (possibly 0: a
    /// pending signal is reported even when the time also ran out).
    Signal {
        /// Jiffies left of the timeout.
        jiffies: Jiffies,
    },
}

impl CondVar {
    /// An initialiser for a condition variable; use `new_condvar!`, which
    /// supplies the lockdep name and class.
    pub fn new(name: &'static CStr, key: &'static LockClassKey) -> impl PinInit<Self> {
        pin_init!(Self {
            _pin: PhantomPinned,
            // SAFETY: `slot` is valid and pinned; `name` and `key` are
            // `'static`.
            wait_queue_head <- Opaque::ffi_init(|slot| unsafe {
                bindings::__init_waitqueue_head(slot, name.as_char_ptr(), key.as_ptr())
            }),
        })
    }

    /// Sleeps until notified (or woken spuriously), with the lock released
    /// meanwhile. Uninterruptible.
    pub fn wait<T: ?Sized, B: Backend>(&self, guard: &mut Guard<'_, T, B>) {
        self.wait_internal(
            bindings::TASK_UNINTERRUPTIBLE as c_int,
            guard,
            bindings::MAX_SCHEDULE_TIMEOUT,
        );
    }

    /// Like [`CondVar::wait`], but a signal also wakes the thread; returns
    /// `true` when a signal is pending.
    #[must_use = "a pending signal usually means returning -ERESTARTSYS"]
    pub fn wait_interruptible<T: ?Sized, B: Backend>(&self, guard: &mut Guard<'_, T, B>) -> bool {
        self.wait_internal(
            bindings::TASK_INTERRUPTIBLE as c_int,
            guard,
            bindings::MAX_SCHEDULE_TIMEOUT,
        );
        // SAFETY: reads the current task's pending signals; no
        // preconditions.
        unsafe { bindings::signal_pending() != 0 }
    }

    /// Like [`CondVar::wait_interruptible`], giving up after `jiffies`
    /// (a timeout too large for C's `long` waits forever, as C's
    /// `MAX_SCHEDULE_TIMEOUT`). A pending signal is reported first, then a
    /// timeout, then a wakeup.
    #[must_use = "a timed wait may end without the condition being met"]
    pub fn wait_interruptible_timeout<T: ?Sized, B: Backend>(
        &self,
        guard: &mut Guard<'_, T, B>,
        jiffies: Jiffies,
    ) -> CondVarTimeoutResult {
        let timeout = c_long::try_from(jiffies).unwrap_or(bindings::MAX_SCHEDULE_TIMEOUT);
        let left = self.wait_internal(bindings::TASK_INTERRUPTIBLE as c_int, guard, timeout);
        // `schedule_timeout` never returns a negative time left.
        let left = Jiffies::try_from(left).unwrap_or(0);
        // SAFETY: as in `wait_interruptible`.
        let signal = unsafe { bindings::signal_pending() != 0 };
        match (left, signal) {
            (jiffies, true) => CondVarTimeoutResult::Signal { jiffies },
            (0, false) => CondVarTimeoutResult::Timeout,
            (jiffies, false) => CondVarTimeoutResult::Woken { jiffies },
        }
    }

    fn wait_internal<T: ?Sized, B: Backend>(
        &self,
        state: c_int,
        guard: &mut Guard<'_, T, B>,
        timeout: c_long,
    ) -> c_long {
        let entry = Opaque::<bindings::wait_queue_entry>::uninit();
        // SAFETY: `entry` is valid for writes; it is not moved until
        // `finish_wait` below takes it off the queue.
        unsafe { bindings::init_wait(entry.get()) };
        // SAFETY: the wait queue is initialised (type invariant) and `entry`
        // was initialised just above.
        unsafe {
            bindings::prepare_to_wait_exclusive(self.wait_queue_head.get(), entry.get(), state)
        };
        // SAFETY: the task state was set by `prepare_to_wait_exclusive`;
        // `schedule_timeout` sleeps with the lock released.
        let left = guard.do_unlocked(|| unsafe { bindings::schedule_timeout(timeout) });
        // SAFETY: same wait queue and entry as `prepare_to_wait_exclusive`.
        unsafe { bindings::finish_wait(self.wait_queue_head.get(), entry.get()) };
        left
    }

    fn notify(&self, count: c_int) {
        // SAFETY: the wait queue is initialised (type invariant); a null key
        // wakes any waiter.
        unsafe {
            bindings::__wake_up(
                self.wait_queue_head.get(),
                bindings::TASK_NORMAL,
                count,
                core::ptr::null_mut(),
            )
        };
    }

    /// Wakes one waiter, if any, hinting the scheduler to run it on this
    /// CPU (C's `wake_up_sync`): for a caller about to sleep itself.
    pub fn notify_sync(&self) {
        // SAFETY: the wait queue is initialised (type invariant).
        unsafe { bindings::__wake_up_sync(self.wait_queue_head.get(), bindings::TASK_NORMAL) };
    }

    /// Wakes one waiter, if any.
    pub fn notify_one(&self) {
        self.notify(1);
    }

    /// Wakes every waiter.
    pub fn notify_all(&self) {
        self.notify(0);
    }
}
