// SPDX-License-Identifier: GPL-2.0

//! Tasks (C's `struct task_struct`) and [`current!`].

use crate::types::{NotThreadSafe, Opaque};

/// A process or thread id.
pub type Pid = bindings::pid_t;

/// A task.
///
/// # Invariants
///
/// The task is valid while a `&Task` exists.
#[repr(transparent)]
pub struct Task(Opaque<bindings::task_struct>);

impl Task {
    /// The C `struct task_struct`.
    pub fn as_ptr(&self) -> *mut bindings::task_struct {
        self.0.get()
    }

    /// The task's id (`task->pid`; a thread id).
    pub fn pid(&self) -> Pid {
        // SAFETY: the task is valid (type invariant) and its pid never
        // changes.
        unsafe { (*self.as_ptr()).pid }
    }

    /// The id of the task's thread group (a process id).
    pub fn tgid(&self) -> Pid {
        // SAFETY: as for `pid`.
        unsafe { (*self.as_ptr()).tgid }
    }
}

/// The task running this code; only usable on this thread.
///
/// # Invariants
///
/// `task` is the current task, which outlives any code running on it.
pub struct CurrentTask {
    task: *mut bindings::task_struct,
    _not_send: NotThreadSafe,
}

impl CurrentTask {
    /// The current task (use [`current!`]).
    #[doc(hidden)]
    pub fn get() -> Self {
        // INVARIANT: `get_current` returns the running task.
        Self {
            // SAFETY: `get_current` has no preconditions.
            task: unsafe { bindings::get_current() },
            _not_send: NotThreadSafe,
        }
    }

    /// Whether a signal is pending for the current task.
    pub fn signal_pending(&self) -> bool {
        // SAFETY: reads the current task's pending signals; no
        // preconditions.
        unsafe { bindings::signal_pending() != 0 }
    }
}

impl core::ops::Deref for CurrentTask {
    type Target = Task;

    fn deref(&self) -> &Task {
        // SAFETY: the current task is valid while this code runs on it
        // (type invariant), and a `CurrentTask` cannot leave this thread.
        unsafe { &*self.task.cast::<Task>() }
    }
}

/// The task running this code, as a [`CurrentTask`] (which derefs to a
/// [`Task`]).
///
/// ```
/// let me = current!();
/// assert!(me.pid() > 0);
/// assert_eq!(me.tgid(), current!().tgid());
/// assert!(!me.signal_pending());
/// ```
#[macro_export]
macro_rules! current {
    () => {
        $crate::task::CurrentTask::get()
    };
}
