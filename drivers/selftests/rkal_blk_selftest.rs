// SPDX-License-Identifier: GPL-2.0

//! A blk-mq disk, `/dev/rkalblk0`, whose driver mishandles requests on
//! purpose, block by block (4 KiB blocks):
//!
//! | block | `queue_rq` | expected `read()` |
//! |---|---|---|
//! | 0 | ends it inline | succeeds |
//! | 1 | keeps a clone, returns `Err(EIO)`; the clone is ended later | `EIO` |
//! | 2 | keeps a clone, returns `Err(EIO)`; the clone is dropped later | `EIO` |
//! | 3 | `Err(ENOMEM)` the first time, then ends it | succeeds (retried) |
//! | 4 | `end_ok` while a clone lives (refused), then again | succeeds |
//! | 5 | drops it without ending it, returns `Ok` | `EIO` |
//! | 6 | hands it to a thread that ends it | succeeds |
//!
//! Each request must complete exactly once: no double completion, no hang,
//! no splat. `scripts/checks/blk_selftest.c` reads the blocks from
//! userspace, over and over.

use kernel::{
    block::mq::{
        self,
        gen_disk::{GenDisk, GenDiskBuilder},
        Operations, Request, TagSet,
    },
    kthread::{self, JoinHandle},
    new_condvar, new_spinlock_irq,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Arc, CondVar, SpinLockIrq,
    },
    types::ARef,
};

module! {
    type: BlkSelftest,
    name: "rkal_blk_selftest",
    authors: ["rkal developers"],
    description: "blk-mq driver that mishandles requests on purpose",
    license: "GPL",
}

/// What the worker thread does with a request it is handed.
enum Action {
    End,
    Drop,
}

/// Requests handed from `queue_rq` (atomic context, no allocation) to the
/// worker thread.
struct Mailbox {
    slots: [Option<(ARef<Request<Dev>>, Action)>; 16],
    stop: bool,
}

#[pin_data]
struct Shared {
    #[pin]
    mailbox: SpinLockIrq<Mailbox>,
    #[pin]
    posted: CondVar,
}

/// Set once at init, read by `queue_rq`.
static SHARED: Atomic<*const Shared> = Atomic::new(core::ptr::null());
/// How many times block 3 was refused with `ENOMEM` (once per read).
static RETRIES: Atomic<u32> = Atomic::new(0);

struct BlkSelftest {
    disk: Option<GenDisk<Dev>>,
    worker: Option<JoinHandle>,
    shared: Arc<Shared>,
}

impl kernel::Module for BlkSelftest {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let shared = Arc::pin_init(
            pin_init!(Shared {
                mailbox <- new_spinlock_irq!(Mailbox { slots: Default::default(), stop: false }),
                posted <- new_condvar!(),
            }),
            GFP_KERNEL,
        )?;
        SHARED.store(Arc::as_ptr(&shared), Relaxed);
        let s = shared.clone();
        let worker = kthread::spawn(c_str!("rkal-blk-worker"), move || worker(&s))?;
        // From here on, dropping `this` stops the worker (`Drop`): on the
        // error paths below as on unload. A bare `JoinHandle` dropped on
        // an error path would wait for a worker nobody tells to stop.
        let mut this = Self {
            disk: None,
            worker: Some(worker),
            shared,
        };
        let tagset = Arc::pin_init(TagSet::new(1, 16, 1), GFP_KERNEL)?;
        let disk = GenDiskBuilder::new()
            .capacity_sectors(64)
            .logical_block_size(4096)?
            .physical_block_size(4096)?
            .build(format_args!("rkalblk0"), tagset)?;
        this.disk = Some(disk);
        pr_info!("disk ready\n");
        Ok(this)
    }
}

impl Drop for BlkSelftest {
    fn drop(&mut self) {
        // The disk goes first: no more requests after this.
        drop(self.disk.take());
        self.shared.mailbox.lock().stop = true;
        self.shared.posted.notify_all();
        drop(self.worker.take());
        pr_info!("retries seen: {}\n", RETRIES.load(Relaxed));
    }
}

/// Ends or drops the requests `queue_rq` posts, until told to stop.
fn worker(shared: &Shared) {
    loop {
        let mut taken: KVec<(ARef<Request<Dev>>, Action)> = KVec::new();
        let mut mb = shared.mailbox.lock();
        while mb.slots.iter().all(Option::is_none) && !mb.stop {
            shared.posted.wait(&mut mb);
        }
        let stop = mb.stop;
        for slot in mb.slots.iter_mut() {
            if let Some(item) = slot.take() {
                // Room for 16 entries was reserved below; this cannot fail.
                if let Err(e) = taken.push_within_capacity(item) {
                    let (rq, _) = e.0;
                    // Out of room: end it rather than lose it.
                    let _ = Request::end_ok(rq);
                }
            }
        }
        drop(mb);
        for (rq, action) in taken.drain_all() {
            match action {
                Action::End => {
                    if Request::end_ok(rq).is_err() {
                        pr_err!("worker: end_ok refused\n");
                    }
                }
                Action::Drop => drop(rq),
            }
        }
        if stop {
            return;
        }
        let _ = taken.reserve(16, GFP_KERNEL);
    }
}

/// Hands `rq` to the worker thread; from atomic context.
fn post(rq: ARef<Request<Dev>>, action: Action) -> Result {
    let ptr = SHARED.load(Relaxed);
    // SAFETY: set at init before the disk existed, and the `Arc` it points
    // into lives in the module until after the disk is gone.
    let shared = unsafe { &*ptr };
    let mut mb = shared.mailbox.lock();
    let Some(slot) = mb.slots.iter_mut().find(|s| s.is_none()) else {
        drop(mb);
        // No room: end it here.
        return Request::end_ok(rq).map_err(|_| EIO);
    };
    *slot = Some((rq, action));
    drop(mb);
    shared.posted.notify_one();
    Ok(())
}

struct Dev;

#[vtable]
impl Operations for Dev {
    fn queue_rq(rq: ARef<mq::Request<Self>>, _is_last: bool) -> Result {
        match rq.sector() / 8 {
            1 => {
                post(rq.clone(), Action::End)?;
                Err(EIO)
            }
            2 => {
                post(rq.clone(), Action::Drop)?;
                Err(EIO)
            }
            3 => {
                // Every other dispatch of block 3 is refused for memory.
                if RETRIES.fetch_add(1, Relaxed) % 2 == 0 {
                    return Err(ENOMEM);
                }
                Request::end_ok(rq).map_err(|_| EIO)
            }
            4 => {
                let clone = rq.clone();
                let rq = match Request::end_ok(rq) {
                    Ok(()) => {
                        pr_err!("end_ok succeeded with a clone alive\n");
                        return Err(EIO);
                    }
                    Err(rq) => rq,
                };
                drop(clone);
                Request::end_ok(rq).map_err(|_| EIO)
            }
            5 => {
                drop(rq);
                Ok(())
            }
            6 => post(rq, Action::End),
            _ => Request::end_ok(rq).map_err(|_| EIO),
        }
    }

    fn commit_rqs() {}
}
