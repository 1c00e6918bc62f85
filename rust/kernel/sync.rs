// SPDX-License-Identifier: GPL-2.0

//! Synchronisation primitives.
//!
//! Rust code in the kernel follows the Linux kernel memory model (LKMM),
//! not C++11's: [`barrier`] has the kernel's barriers and [`atomic`] the
//! kernel's marked accesses, each compiling to what the C macro of the same
//! name compiles to.
//!
//! Locks: one core, [`Lock<T, B>`](lock::Lock), with thin backends —
//! [`Mutex`], [`SpinLock`], [`SpinLockIrq`] — and [`CondVar`] and
//! [`LockedBy`] on top. Shared ownership: [`Arc`], [`UniqueArc`],
//! [`ArcBorrow`] on [`Refcount`]. Events: [`Completion`].

mod arc;
pub mod aref;
pub mod atomic;
pub mod barrier;
mod completion;
mod condvar;
pub mod lock;
mod locked_by;
pub mod rcu;
mod refcount;

pub use crate::{new_condvar, new_mutex, new_spinlock, new_spinlock_irq};
pub use arc::{Arc, ArcBorrow, UniqueArc};
pub use completion::Completion;
pub use condvar::{CondVar, CondVarTimeoutResult};
pub use lock::mutex::Mutex;
pub use lock::spinlock::{SpinLock, SpinLockIrq};
pub use lock::{GlobalLock, Guard, LockClassKey};
pub use locked_by::LockedBy;
pub use refcount::Refcount;
