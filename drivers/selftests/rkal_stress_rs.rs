// SPDX-License-Identifier: GPL-2.0

//! The sync primitives hammered by many kernel threads at once.
//!
//! Each KUnit case of the suite `rkal_stress` starts `threads` kernel
//! threads (module parameter, 2 to 16, default 4) that work on one shared
//! object for `msecs` milliseconds (default 300; `make stress` runs 5000),
//! then checks an invariant that a lost update, a lost wakeup or a
//! miscounted reference would break:
//!
//! | case | primitive | invariant |
//! |---|---|---|
//! | `mutex_*` | `Mutex` | the shared total is the sum of every thread's own count, and no two threads were ever inside at once |
//! | `spinlock_*` | `SpinLock` | the same |
//! | `spinlock_irq_*` | `SpinLockIrq` | the same |
//! | `condvar_*` | `CondVar` + `Mutex` | ping-pong pairs: no wait times out (5 s) with its condition already true |
//! | `arc_*` | `Arc` | clones handed between threads: after the threads end, one reference is left and the value is dropped once |
//! | `atomic_*` | `Atomic` | `fetch_add` and `cmpxchg` loops count every increment; values `xchg`ed in and out are conserved |
//!
//! The parameters are C's (`rkal_stress_params.c`), which the `module!`
//! macro cannot declare. The module's own init does nothing: the work is
//! in the suite, which KUnit runs as the module loads.

use core::ffi::c_uint;
use kernel::{
    kthread::{self, JoinHandle},
    new_condvar, new_mutex, new_spinlock, new_spinlock_irq,
    prelude::*,
    sync::{
        atomic::{Atomic, Full, Relaxed},
        Arc, CondVar, CondVarTimeoutResult, Mutex, SpinLock,
    },
    time::{msecs_to_jiffies, Instant, Monotonic},
};

module! {
    type: Stress,
    name: "rkal_stress",
    authors: ["rkal developers"],
    description: "Sync primitives hammered by many kernel threads",
    license: "GPL",
}

struct Stress;

impl kernel::Module for Stress {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Stress)
    }
}

extern "C" {
    fn rkal_stress_msecs() -> c_uint;
    fn rkal_stress_threads() -> c_uint;
}

/// How long each case runs, in milliseconds.
fn run_ms() -> i64 {
    // SAFETY: reads a module parameter, set before the suite runs.
    i64::from(unsafe { rkal_stress_msecs() })
}

/// How many threads each case starts (2 to 16).
fn thread_count() -> usize {
    // SAFETY: as in `run_ms`; the C side clamps the value.
    unsafe { rkal_stress_threads() as usize }
}

/// A wait longer than this, with the condition already true when it
/// ends, is a lost wakeup: the partner flips the condition at once.
const WAKEUP_TIMEOUT_MS: u32 = 5000;

/// Whether `start` is more than the run time ago.
fn expired(start: &Instant<Monotonic>) -> bool {
    start.elapsed().as_millis() >= run_ms()
}

/// Starts `n` threads, each running `f(i)` for its index `i`, and waits
/// for them all.
fn run_threads<F>(n: usize, f: F) -> Result
where
    F: Fn(usize) + Clone + Send + Sync + 'static,
{
    let mut handles: KVec<JoinHandle> = KVec::with_capacity(n, GFP_KERNEL)?;
    let mut result = Ok(());
    for i in 0..n {
        let f = f.clone();
        match kthread::spawn(c_str!("rkal-stress"), move || f(i)) {
            Ok(h) => handles.push(h, GFP_KERNEL)?,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    for h in handles.drain_all() {
        h.join();
    }
    result
}

/// What the lock cases share: the total under the lock, the number of
/// threads inside the critical section (must never exceed one), and the
/// sum of what each thread counted on its own.
struct Tally {
    inside: Atomic<u32>,
    overlaps: Atomic<u64>,
    counted: Atomic<u64>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            inside: Atomic::new(0),
            overlaps: Atomic::new(0),
            counted: Atomic::new(0),
        }
    }

    /// Called first thing inside the critical section.
    fn enter(&self) {
        if self.inside.fetch_add(1, Full) != 0 {
            self.overlaps.add(1, Relaxed);
        }
    }

    /// Called last thing inside the critical section.
    fn leave(&self) {
        self.inside.sub(1, Relaxed);
    }
}

/// A lock case: `threads` threads increment a `u64` under the lock `$lock`
/// initialises until the time is up, each counting its own increments, and
/// calling `$pause` inside the critical section every 16th time (a
/// reschedule for a mutex, a spin for spinlocks).
macro_rules! hammer_lock {
    ($lock:expr, $pause:path) => {{
        let shared = Arc::pin_init($lock, GFP_KERNEL)?;
        let tally = Arc::new(Tally::new(), GFP_KERNEL)?;
        let (s, t) = (shared.clone(), tally.clone());
        run_threads(thread_count(), move |_| {
            let start = Instant::<Monotonic>::now();
            let mut mine = 0u64;
            while !expired(&start) {
                for _ in 0..64 {
                    let mut g = s.lock();
                    t.enter();
                    // A read, a pause, a write: two threads inside at once
                    // would lose an update.
                    let v = *g;
                    if mine % 16 == 0 {
                        $pause();
                    }
                    *g = v + 1;
                    t.leave();
                    drop(g);
                    mine += 1;
                }
                kthread::cond_resched();
            }
            t.counted.add(mine, Relaxed);
        })?;
        let total = *shared.lock();
        pr_info!(
            "{}: {} increments by {} threads\n",
            stringify!($lock),
            total,
            thread_count()
        );
        assert!(total > 0);
        assert_eq!(total, tally.counted.load(Relaxed));
        assert_eq!(tally.overlaps.load(Relaxed), 0);
    }};
}

/// One ping-pong pair: `turn` is 0 when the pinger is to move, 1 for the
/// ponger, 2 once the pinger has stopped.
#[pin_data]
struct Pair {
    #[pin]
    turn: Mutex<u32>,
    #[pin]
    moved: CondVar,
}

/// Waits, under `pair.turn`, until `turn` is not `not`; returns the turn
/// seen, counting a timed-out wait whose condition held as a lost wakeup.
fn wait_turn(pair: &Pair, not: u32, lost: &Atomic<u64>, timeouts: &Atomic<u64>) -> u32 {
    let mut g = pair.turn.lock();
    while *g == not {
        match pair
            .moved
            .wait_interruptible_timeout(&mut g, msecs_to_jiffies(WAKEUP_TIMEOUT_MS))
        {
            CondVarTimeoutResult::Timeout => {
                timeouts.add(1, Relaxed);
                if *g != not {
                    // The partner moved, and its notify did not wake us.
                    lost.add(1, Relaxed);
                } else {
                    // The partner never moved: stop rather than hang.
                    return 2;
                }
            }
            CondVarTimeoutResult::Signal { .. } => return 2,
            CondVarTimeoutResult::Woken { .. } => {}
        }
    }
    *g
}

/// Sets the turn of `pair` and wakes the partner.
fn set_turn(pair: &Pair, turn: u32) {
    *pair.turn.lock() = turn;
    pair.moved.notify_one();
}

/// Something whose drops are counted.
struct Tracked {
    drops: Arc<Atomic<u32>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.drops.add(1, Relaxed);
    }
}

#[kunit_tests(rkal_stress)]
mod tests {
    use super::*;

    #[test]
    fn mutex_loses_no_increment() -> Result {
        hammer_lock!(new_mutex!(0u64), kthread::cond_resched);
        Ok(())
    }

    #[test]
    fn spinlock_loses_no_increment() -> Result {
        hammer_lock!(new_spinlock!(0u64), core::hint::spin_loop);
        Ok(())
    }

    #[test]
    fn spinlock_irq_loses_no_increment() -> Result {
        hammer_lock!(new_spinlock_irq!(0u64), core::hint::spin_loop);
        Ok(())
    }

    #[test]
    fn condvar_loses_no_wakeup() -> Result {
        let pairs = thread_count() / 2;
        let mut all: KVec<Arc<Pair>> = KVec::with_capacity(pairs, GFP_KERNEL)?;
        for _ in 0..pairs {
            all.push(
                Arc::pin_init(
                    pin_init!(Pair { turn <- new_mutex!(0u32), moved <- new_condvar!() }),
                    GFP_KERNEL,
                )?,
                GFP_KERNEL,
            )?;
        }
        let all = Arc::new(all, GFP_KERNEL)?;
        let lost = Arc::new(Atomic::new(0u64), GFP_KERNEL)?;
        let timeouts = Arc::new(Atomic::new(0u64), GFP_KERNEL)?;
        let rounds = Arc::new(Atomic::new(0u64), GFP_KERNEL)?;
        let (a, l, t, r) = (all.clone(), lost.clone(), timeouts.clone(), rounds.clone());
        run_threads(pairs * 2, move |i| {
            let pair = &a[i / 2];
            if i % 2 == 0 {
                // Pinger: moves on 0, hands over with 1, ends with 2.
                let start = Instant::<Monotonic>::now();
                while !expired(&start) {
                    if wait_turn(pair, 1, &l, &t) == 2 {
                        return;
                    }
                    set_turn(pair, 1);
                    r.add(1, Relaxed);
                }
                // Wait for the last pong, then stop the ponger.
                wait_turn(pair, 1, &l, &t);
                set_turn(pair, 2);
            } else {
                // Ponger: moves on 1, hands back with 0.
                while wait_turn(pair, 0, &l, &t) == 1 {
                    set_turn(pair, 0);
                }
            }
        })?;
        pr_info!(
            "condvar: {} round trips in {} pairs\n",
            rounds.load(Relaxed),
            pairs
        );
        assert!(rounds.load(Relaxed) > 0);
        assert_eq!(lost.load(Relaxed), 0);
        assert_eq!(timeouts.load(Relaxed), 0);
        Ok(())
    }

    #[test]
    fn arc_count_returns_to_one() -> Result {
        const SLOTS: usize = 8;
        let drops = Arc::new(Atomic::new(0u32), GFP_KERNEL)?;
        let value = Arc::new(
            Tracked {
                drops: drops.clone(),
            },
            GFP_KERNEL,
        )?;
        // Clones parked between threads: each thread swaps its own clone
        // with a slot's, and drops what it took.
        let slots: Arc<SpinLock<[Option<Arc<Tracked>>; SLOTS]>> =
            Arc::pin_init(new_spinlock!(Default::default()), GFP_KERNEL)?;
        let handoffs = Arc::new(Atomic::new(0u64), GFP_KERNEL)?;
        let (v, s, h) = (value.clone(), slots.clone(), handoffs.clone());
        run_threads(thread_count(), move |i| {
            let start = Instant::<Monotonic>::now();
            let mut n = 0u64;
            let mut k = i;
            while !expired(&start) {
                for _ in 0..64 {
                    let mine = v.clone();
                    let taken = {
                        let mut g = s.lock();
                        g[k % SLOTS].replace(mine)
                    };
                    // Dropped outside the lock: the last reference may
                    // free the value (it must not, here).
                    drop(taken);
                    k = k.wrapping_mul(31).wrapping_add(7);
                    n += 1;
                }
                kthread::cond_resched();
            }
            h.add(n, Relaxed);
        })?;
        for slot in slots.lock().iter_mut() {
            drop(slot.take());
        }
        pr_info!("arc: {} handoffs\n", handoffs.load(Relaxed));
        assert!(handoffs.load(Relaxed) > 0);
        assert_eq!(drops.load(Relaxed), 0);
        // Every clone is gone: ours is the only reference.
        let unique = Arc::into_unique_or_drop(value);
        assert!(unique.is_some());
        drop(unique);
        assert_eq!(drops.load(Relaxed), 1);
        Ok(())
    }

    #[test]
    fn atomic_loses_no_operation() -> Result {
        struct Counters {
            added: Atomic<u64>,
            cmpxchged: Atomic<u64>,
            swapped: Atomic<u64>,
            local_adds: Atomic<u64>,
            local_cmpxchgs: Atomic<u64>,
            put_in: Atomic<u64>,
            taken_out: Atomic<u64>,
        }
        let c = Arc::new(
            Counters {
                added: Atomic::new(0),
                cmpxchged: Atomic::new(0),
                swapped: Atomic::new(0),
                local_adds: Atomic::new(0),
                local_cmpxchgs: Atomic::new(0),
                put_in: Atomic::new(0),
                taken_out: Atomic::new(0),
            },
            GFP_KERNEL,
        )?;
        let cc = c.clone();
        run_threads(thread_count(), move |i| {
            let start = Instant::<Monotonic>::now();
            let (mut adds, mut cmpxchgs, mut put, mut taken) = (0u64, 0u64, 0u64, 0u64);
            let mut token = (i as u64 + 1) << 32;
            while !expired(&start) {
                for _ in 0..256 {
                    cc.added.fetch_add(1, Relaxed);
                    adds += 1;
                    let mut old = cc.cmpxchged.load(Relaxed);
                    loop {
                        match cc.cmpxchged.cmpxchg(old, old + 1, Full) {
                            Ok(_) => break,
                            Err(now) => old = now,
                        }
                    }
                    cmpxchgs += 1;
                    token += 1;
                    put = put.wrapping_add(token);
                    taken = taken.wrapping_add(cc.swapped.xchg(token, Full));
                }
                kthread::cond_resched();
            }
            cc.local_adds.add(adds, Relaxed);
            cc.local_cmpxchgs.add(cmpxchgs, Relaxed);
            cc.put_in.add(put, Relaxed);
            cc.taken_out.add(taken, Relaxed);
        })?;
        let adds = c.added.load(Relaxed);
        pr_info!("atomic: {} fetch_adds\n", adds);
        assert!(adds > 0);
        assert_eq!(adds, c.local_adds.load(Relaxed));
        assert_eq!(c.cmpxchged.load(Relaxed), c.local_cmpxchgs.load(Relaxed));
        // What went in is what came out plus what is still there.
        assert_eq!(
            c.put_in.load(Relaxed),
            c.taken_out
                .load(Relaxed)
                .wrapping_add(c.swapped.load(Relaxed))
        );
        Ok(())
    }
}
