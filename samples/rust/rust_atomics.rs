// SPDX-License-Identifier: GPL-2.0

//! Atomics under the kernel memory model, from a driver author's side.
//!
//! - a statistics counter bumped from several threads (`Relaxed` is enough:
//!   only the final sum matters);
//! - publishing a value to another thread (`Release` store, `Acquire` load:
//!   the message-passing pattern);
//! - a one-shot "first caller wins" with `cmpxchg`;
//! - reference-count style `dec_and_test`, which is fully ordered.

use kernel::kthread;
use kernel::prelude::*;
use kernel::sync::atomic::{Acquire, Atomic, Full, Relaxed, Release};

module! {
    type: RustAtomics,
    name: "rust_atomics",
    authors: ["rkal developers"],
    description: "LKMM atomics from Rust",
    license: "GPL",
}

const THREADS: usize = 2;
const ROUNDS: u64 = 10_000;

static EVENTS: Atomic<u64> = Atomic::new(0);
static MESSAGE: Atomic<u32> = Atomic::new(0);
static READY: Atomic<bool> = Atomic::new(false);
static OWNER: Atomic<i32> = Atomic::new(0);

struct RustAtomics;

impl kernel::Module for RustAtomics {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Counting: relaxed increments from several threads.
        let mut workers = KVec::new();
        for _ in 0..THREADS {
            let w = kthread::spawn(c_str!("rust_atomics"), || {
                for _ in 0..ROUNDS {
                    EVENTS.inc(Relaxed);
                }
            })?;
            workers.push(w, GFP_KERNEL)?;
        }
        for w in workers {
            w.join();
        }
        pr_info!("events counted: {}\n", EVENTS.load(Relaxed));

        // Message passing: the release store of READY publishes MESSAGE.
        let producer = kthread::spawn(c_str!("rust_atomics_mp"), || {
            MESSAGE.store(42, Relaxed);
            READY.store(true, Release);
        })?;
        producer.join();
        if READY.load(Acquire) {
            pr_info!("message received: {}\n", MESSAGE.load(Relaxed));
        }

        // First caller wins.
        let first = OWNER.cmpxchg(0, 1, Full);
        let second = OWNER.cmpxchg(0, 2, Full);
        pr_info!("owner claims: first {:?}, second {:?}\n", first, second);

        // Last reference out turns the lights off.
        let refs = Atomic::new(2i32);
        let last_a = refs.dec_and_test(Full);
        let last_b = refs.dec_and_test(Full);
        pr_info!("dec_and_test: {} then {}\n", last_a, last_b);

        Ok(RustAtomics)
    }
}

impl Drop for RustAtomics {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}
