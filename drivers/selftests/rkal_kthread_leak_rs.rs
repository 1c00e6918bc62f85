// SPDX-License-Identifier: GPL-2.0

//! A module that leaks the handle of a thread it spawned, and a work item
//! queued with a delay: both run module code after the module forgot
//! them, so unloading must wait for both (`scripts/checks/kthread_leak.sh`
//! runs `rmmod` meanwhile). With `fail_init=1` (a parameter of
//! `rkal_kthread_leak_params.c`) init then fails: the loader frees the
//! module's code as soon as init returns, so the failing init must wait
//! for both as well.

use kernel::{
    kthread,
    prelude::*,
    sync::Arc,
    time::{delay::fsleep, msecs_to_jiffies, Delta},
    workqueue::{self, new_delayed_work, DelayedWork, WorkItem},
};

#[pin_data]
struct LateWork {
    #[pin]
    work: DelayedWork<LateWork>,
}

kernel::impl_has_delayed_work! {
    impl HasDelayedWork<Self> for LateWork { self.work }
}

impl WorkItem for LateWork {
    type Pointer = Arc<LateWork>;

    fn run(_this: Arc<LateWork>) {
        pr_info!("work done\n");
    }
}

module! {
    type: KthreadLeak,
    name: "rkal_kthread_leak",
    authors: ["rkal developers"],
    description: "Leaks a running thread's JoinHandle and a queued work item",
    license: "GPL",
}

struct KthreadLeak;

extern "C" {
    fn rkal_kthread_leak_fail_init() -> bool;
}

impl kernel::Module for KthreadLeak {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let handle = kthread::spawn(c_str!("rkal-leak"), || {
            fsleep(Delta::from_millis(1000));
            pr_info!("thread done\n");
        })?;
        // Never joined: the thread outlives any reference to it.
        core::mem::forget(handle);
        pr_info!("thread started\n");
        let work = Arc::pin_init(
            pin_init!(LateWork { work <- new_delayed_work!("LateWork") }),
            GFP_KERNEL,
        )?;
        // Queued for 0.5 s from now; the module keeps no reference to it.
        if workqueue::system()
            .enqueue_delayed(work, msecs_to_jiffies(500))
            .is_err()
        {
            return Err(EBUSY);
        }
        pr_info!("work queued\n");
        // SAFETY: `rkal_kthread_leak_fail_init` (rkal_kthread_leak_params.c,
        // part of this module) only reads a module parameter.
        if unsafe { rkal_kthread_leak_fail_init() } {
            pr_info!("failing init\n");
            return Err(ENODEV);
        }
        Ok(KthreadLeak)
    }
}
