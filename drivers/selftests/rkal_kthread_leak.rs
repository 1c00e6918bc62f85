// SPDX-License-Identifier: GPL-2.0

//! A module that leaks the handle of a thread it spawned: the thread must
//! keep the module loaded until it ends (`scripts/checks/kthread_leak.sh`
//! tries `rmmod` meanwhile).

use kernel::{
    kthread,
    prelude::*,
    time::{delay::fsleep, Delta},
};

module! {
    type: KthreadLeak,
    name: "rkal_kthread_leak",
    authors: ["rkal developers"],
    description: "Leaks a running thread's JoinHandle",
    license: "GPL",
}

struct KthreadLeak;

impl kernel::Module for KthreadLeak {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let handle = kthread::spawn(c_str!("rkal-leak"), || {
            fsleep(Delta::from_secs(3));
            pr_info!("thread done\n");
        })?;
        // Never joined: the thread outlives any reference to it.
        core::mem::forget(handle);
        pr_info!("thread started\n");
        Ok(KthreadLeak)
    }
}
