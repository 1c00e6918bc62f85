// SPDX-License-Identifier: GPL-2.0

//! Sharing state between kernel threads: `Arc<Mutex<..>>` plus a `CondVar`.
//!
//! A producer thread fills a queue protected by a mutex and signals a
//! condition variable; the module's init thread consumes until it has seen
//! every item, or until the producer reports that it failed (an allocation
//! of its push), which init then returns. A spinlock keeps statistics. Each
//! lock is named, so it shows up as its own lockdep class in /proc/lockdep.

use kernel::kthread;
use kernel::prelude::*;
use kernel::sync::{Arc, CondVar, Mutex, SpinLock};
use kernel::{new_condvar, new_mutex, new_spinlock};

module! {
    type: RustSync,
    name: "rust_sync",
    authors: ["rkal developers"],
    description: "Arc, Mutex, SpinLock and CondVar between kernel threads",
    license: "GPL",
}

const ITEMS: u32 = 100;

/// What the mutex protects: the items, and how the producer stopped early.
struct Queue {
    items: KVec<u32>,
    failed: Option<Error>,
}

#[pin_data]
struct Shared {
    #[pin]
    queue: Mutex<Queue>,
    #[pin]
    ready: CondVar,
    #[pin]
    stats: SpinLock<u32>,
}

struct RustSync;

impl kernel::Module for RustSync {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let shared = Arc::pin_init(
            pin_init!(Shared {
                queue <- new_mutex!(
                    Queue {
                        items: KVec::new(),
                        failed: None,
                    },
                    "rust_sync:queue"
                ),
                ready <- new_condvar!("rust_sync:ready"),
                stats <- new_spinlock!(0, "rust_sync:stats"),
            }),
            GFP_KERNEL,
        )?;

        let producer_side = shared.clone();
        let producer = kthread::spawn(c_str!("rust_sync"), move || {
            for i in 1..=ITEMS {
                let mut queue = producer_side.queue.lock();
                if let Err(e) = queue.items.push(i, GFP_KERNEL) {
                    // The consumer waits for items that will not come:
                    // tell it why.
                    queue.failed = Some(e.into());
                    drop(queue);
                    producer_side.ready.notify_one();
                    break;
                }
                drop(queue);
                *producer_side.stats.lock() += 1;
                producer_side.ready.notify_one();
            }
        })?;

        let mut received = 0;
        let mut sum = 0;
        let mut queue = shared.queue.lock();
        let failed = loop {
            while let Some(v) = queue.items.pop() {
                received += 1;
                sum += v;
            }
            if received == ITEMS || queue.failed.is_some() {
                break queue.failed;
            }
            shared.ready.wait(&mut queue);
        };
        drop(queue);
        producer.join();
        if let Some(e) = failed {
            pr_info!("producer failed after {} items\n", received);
            return Err(e);
        }

        pr_info!("received {} items, sum {}\n", received, sum);
        pr_info!("producer pushed {} items\n", *shared.stats.lock());
        Ok(RustSync)
    }
}

impl Drop for RustSync {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}
