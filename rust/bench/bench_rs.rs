// SPDX-License-Identifier: GPL-2.0

//! `make bench`: the call sites of bench_c.c written through the public
//! abstractions (`rs::NAME`, disassembled for the static counts by
//! scripts/bench.py), and the runner that times each snippet, C and Rust,
//! in the same boot.
//!
//! The runner calls every snippet `iterations` times per side from the same
//! loop (both are out-of-line calls, so only the snippet differs), twice per
//! side: C, Rust, C again, Rust again, in interleaved chunks of [`CHUNK`]
//! calls. The second run of each side calls a copy of the function, the
//! same instructions at other addresses (bench_c2.c's for C, `rs2::NAME`
//! for Rust), from a loop of its own: what a side's two runs differ by is
//! what the same code costs more or less where it sits under TCG, the
//! noise floor a Rust/C ratio is compared with. It does so in [`ROUNDS`]
//! rounds that rotate which goes first, and reports each run's median
//! chunk, scaled to `iterations` calls. After every round the objects the
//! two sides worked on must hold the same values (each side applied
//! `2 * iterations` times to the same start), so a Rust snippet that does
//! something else than its C twin fails the module's init.

#![allow(missing_docs)]

use core::ffi::{c_int, c_long, c_uint, c_void};
use core::hint::black_box;
use kernel::prelude::*;
use kernel::sync::atomic::{atomic_load, atomic_store, Acquire, Atomic, Full, Relaxed, Release};
use kernel::sync::{barrier, Arc, ArcBorrow, Mutex, Refcount, SpinLock, SpinLockIrq};
use kernel::sync::{new_mutex, new_spinlock, new_spinlock_irq};
use kernel::time::{Instant, Monotonic};
use kernel::types::Opaque;

module! {
    type: RkalBench,
    name: "rkal_bench",
    authors: ["rkal developers"],
    description: "Rust vs C call-site corpus, timed (make bench)",
    license: "GPL",
}

extern "C" {
    fn rkal_bench_sink();
    fn rkal_bench_iterations() -> c_uint;
    fn rkal_bench_c_setup() -> c_int;
    fn rkal_bench_c_teardown();
    fn rkal_bench_c_reset();
    fn rkal_bench_c_obj(which: c_uint) -> *mut c_void;
    fn rkal_bench_c_state(which: c_uint) -> i64;
}

// The snippets of bench_c.c (`c::NAME` is `rkal_bench_c_NAME`) and their
// copies in bench_c2.c, the same functions placed elsewhere (`c2::NAME` is
// `rkal_bench_c2_NAME`), declared from one list.
macro_rules! c_snippets {
    ($($name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)*) => {
        mod c {
            use super::*;
            extern "C" {
                $(
                    #[link_name = concat!("rkal_bench_c_", stringify!($name))]
                    pub(super) fn $name($($arg: $ty),*) $(-> $ret)?;
                )*
            }
        }
        mod c2 {
            use super::*;
            extern "C" {
                $(
                    #[link_name = concat!("rkal_bench_c2_", stringify!($name))]
                    pub(super) fn $name($($arg: $ty),*) $(-> $ret)?;
                )*
            }
        }
    };
}

c_snippets! {
    spinlock(lock: *mut c_void);
    spinlock_irqsave(lock: *mut c_void);
    mutex(lock: *mut c_void);
    refcount(r: *mut c_void);
    arc(o: *mut c_void);
    add_const(v: *mut c_void);
    inc(v: *mut c_void);
    dec_and_test_if(v: *mut c_void);
    fetch_sub_one(v: *mut c_void) -> c_int;
    try_cmpxchg_loop(v: *mut c_void);
    struct_offset(s: *mut c_void);
    relaxed_and_plain(p: *mut c_void) -> c_int;
    mp_publish(m: *mut c_void, v: c_int);
    mp_consume(m: *mut c_void) -> c_int;
    cmpxchg_claim(v: *mut c_void) -> bool;
    xchg_ptr(slot: *mut c_void) -> *mut c_void;
    smp_mb();
    inc_not_zero(v: *mut c_void) -> bool;
    add_return64(v: *mut c_void) -> i64;
    test_and_set(flag: *mut c_void) -> bool;
    long_dec_return(v: *mut c_void) -> c_long;
    kbox();
}

fn sink() {
    // SAFETY: `rkal_bench_sink` (bench_run.c) takes nothing and does nothing.
    unsafe { rkal_bench_sink() }
}

// The objects of the snippets that have no kernel type (bench.h).

#[repr(C)]
pub struct Stats {
    bytes: u64,
    packets: Atomic<i32>,
}

#[repr(C)]
pub struct Pair {
    shared: i32,
    private: i32,
}

#[repr(C)]
pub struct Msg {
    data: Atomic<i32>,
    ready: Atomic<i32>,
}

/// Defines the Rust snippets twice: `rs::NAME`, disassembled for the static
/// counts (scripts/bench.py) and timed, and `rs2::NAME`, the same code at
/// other addresses (merge-functions is off for this object, see the
/// Makefile), timed as the second Rust run as bench_c2.c's copy is for C.
/// Public, as `#[no_mangle]` would make them: exported from the crate, a
/// snippet is compiled for any caller, as C's are, not specialised for the
/// runner's arguments.
macro_rules! snippets {
    ($($item:item)*) => {
        pub mod rs {
            use super::*;
            $($item)*
        }
        pub mod rs2 {
            use super::*;
            $($item)*
        }
    };
}

snippets! {
    #[inline(never)]
    pub extern "C" fn spinlock(lock: &SpinLock<()>) {
        drop(lock.lock());
    }

    #[inline(never)]
    pub extern "C" fn spinlock_irqsave(lock: &SpinLockIrq<()>) {
        drop(lock.lock());
    }

    #[inline(never)]
    pub extern "C" fn mutex(lock: &Mutex<()>) {
        drop(lock.lock());
    }

    #[inline(never)]
    pub extern "C" fn refcount(r: &Refcount) {
        r.inc();
        if r.dec_and_test() {
            sink();
        }
    }

    #[inline(never)]
    pub extern "C" fn arc(a: ArcBorrow<'_, i32>) {
        // A borrowed `Arc` is a pointer to the object, as C's `struct obj *`.
        drop(Arc::from(a));
    }

    #[inline(never)]
    pub extern "C" fn add_const(v: &Atomic<i32>) {
        v.add(5, Relaxed);
    }

    #[inline(never)]
    pub extern "C" fn inc(v: &Atomic<i32>) {
        v.inc(Relaxed);
    }

    #[inline(never)]
    pub extern "C" fn dec_and_test_if(v: &Atomic<i32>) {
        if v.dec_and_test(Full) {
            sink();
        }
    }

    #[inline(never)]
    pub extern "C" fn fetch_sub_one(v: &Atomic<i32>) -> i32 {
        v.fetch_sub(1, Full)
    }

    #[inline(never)]
    pub extern "C" fn try_cmpxchg_loop(v: &Atomic<i32>) {
        let mut old = v.load(Relaxed);
        loop {
            if old == i32::MAX {
                return;
            }
            let new = old.wrapping_add(1);
            if v.try_cmpxchg(&mut old, new, Full) {
                return;
            }
        }
    }

    #[inline(never)]
    pub extern "C" fn struct_offset(s: &Stats) {
        s.packets.inc(Relaxed);
    }

    /// # Safety
    ///
    /// `p` must be valid; `shared` only written with marked accesses.
    #[inline(never)]
    pub unsafe extern "C" fn relaxed_and_plain(p: *mut Pair) -> i32 {
        // SAFETY: the caller's guarantee.
        unsafe { atomic_load(&raw const (*p).shared, Relaxed).wrapping_add((*p).private) }
    }

    #[inline(never)]
    pub extern "C" fn mp_publish(m: &Msg, v: i32) {
        m.data.store(v, Relaxed);
        m.ready.store(1, Release);
    }

    #[inline(never)]
    pub extern "C" fn mp_consume(m: &Msg) -> i32 {
        if m.ready.load(Acquire) != 0 {
            return m.data.load(Relaxed);
        }
        -1
    }

    #[inline(never)]
    pub extern "C" fn cmpxchg_claim(v: &Atomic<i32>) -> bool {
        v.cmpxchg(0, 1, Full).is_ok()
    }

    #[inline(never)]
    pub extern "C" fn xchg_ptr(slot: &Atomic<*mut u8>) -> *mut u8 {
        slot.xchg(core::ptr::null_mut(), Full)
    }

    #[inline(never)]
    pub extern "C" fn smp_mb() {
        barrier::smp_mb();
    }

    #[inline(never)]
    pub extern "C" fn inc_not_zero(v: &Atomic<i32>) -> bool {
        v.inc_not_zero(Full)
    }

    #[inline(never)]
    pub extern "C" fn add_return64(v: &Atomic<i64>) -> i64 {
        v.add_return(16, Full)
    }

    #[inline(never)]
    pub extern "C" fn test_and_set(flag: &Atomic<bool>) -> bool {
        flag.xchg(true, Full)
    }

    #[inline(never)]
    pub extern "C" fn long_dec_return(v: &Atomic<isize>) -> isize {
        v.dec_return(Release)
    }

    #[inline(never)]
    pub extern "C" fn kbox() {
        let Ok(b) = KBox::new(1u64, GFP_KERNEL) else {
            return;
        };
        let p = KBox::into_raw(b);
        // SAFETY: `p` is a live, exclusively owned `u64` from `into_raw`.
        unsafe { atomic_store(p, 2, Relaxed) };
        // SAFETY: `p` came from `into_raw` and is taken back once.
        drop(unsafe { KBox::from_raw(p) });
    }
}

/// Rounds per snippet (each side makes `2 * iterations` calls per round).
const ROUNDS: u32 = 5;
/// Calls per timed chunk.
const CHUNK: u32 = 10000;

/// The objects the snippets work on, by the numbers of bench.h.
#[derive(Clone, Copy)]
#[repr(u32)]
enum Obj {
    Lock = 0,
    LockIrq = 1,
    Mutex = 2,
    Ref = 3,
    Arc = 4,
    V = 5,
    Stats = 6,
    Pair = 7,
    Msg = 8,
    Slot = 9,
    V64 = 10,
    Flag = 11,
    VLong = 12,
}

/// bench_run.c's heap objects (its locks), allocated while this lives.
///
/// # Invariants
///
/// `rkal_bench_c_setup` succeeded, and `rkal_bench_c_teardown` has not been
/// called since.
struct CObjs(());

impl CObjs {
    /// Allocates the C objects; only one `CObjs` may exist at a time (the
    /// module's init makes the only one, in its [`Objs`]).
    fn new() -> Result<Self> {
        // SAFETY: called once, from the module's init, with no C object
        // allocated (no other `CObjs` exists).
        kernel::error::to_result(unsafe { rkal_bench_c_setup() })?;
        // INVARIANT: the setup succeeded.
        Ok(Self(()))
    }
}

impl Drop for CObjs {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the setup succeeded. The runner
        // uses the C objects only while it borrows the `Objs` this is in.
        unsafe { rkal_bench_c_teardown() };
    }
}

/// The Rust twins of bench_run.c's static objects, static too: in the
/// module's `.bss`, as those are. Where an object sits changes what an
/// access to it costs under TCG: with these on the init's stack,
/// `struct_offset` came out 3 per cent faster in Rust, with the same
/// snippet and loop instructions on both sides.
struct Atoms {
    refc: Refcount,
    v: Atomic<i32>,
    stats: Stats,
    pair: Opaque<Pair>,
    msg: Msg,
    slot: Atomic<*mut u8>,
    v64: Atomic<i64>,
    flag: Atomic<bool>,
    vlong: Atomic<isize>,
}

// SAFETY: only the module's init thread uses `ATOMS` (the runner), as the
// C objects; `pair` is only reached through raw pointers by it.
unsafe impl Sync for Atoms {}

static ATOMS: Atoms = Atoms {
    refc: Refcount::new(1),
    v: Atomic::new(0),
    stats: Stats {
        bytes: 0,
        packets: Atomic::new(0),
    },
    pair: Opaque::new(Pair {
        shared: 0,
        private: 0,
    }),
    msg: Msg {
        data: Atomic::new(0),
        ready: Atomic::new(0),
    },
    slot: Atomic::new(core::ptr::null_mut()),
    v64: Atomic::new(0),
    flag: Atomic::new(false),
    vlong: Atomic::new(0),
};

/// The Rust twins of bench_run.c's objects: its heap ones (the locks) and
/// `Arc` here, its static ones in [`ATOMS`] (`a`).
struct Objs {
    _c: CObjs,
    lock: Pin<KBox<SpinLock<()>>>,
    lock_irq: Pin<KBox<SpinLockIrq<()>>>,
    mutex: Pin<KBox<Mutex<()>>>,
    arc: Arc<i32>,
    a: &'static Atoms,
}

impl Objs {
    fn new() -> Result<Self> {
        Ok(Self {
            _c: CObjs::new()?,
            lock: KBox::pin_init(new_spinlock!(()), GFP_KERNEL)?,
            lock_irq: KBox::pin_init(new_spinlock_irq!(()), GFP_KERNEL)?,
            mutex: KBox::pin_init(new_mutex!(()), GFP_KERNEL)?,
            arc: Arc::new(0, GFP_KERNEL)?,
            a: &ATOMS,
        })
    }

    /// The start values of `rkal_bench_c_reset`.
    fn reset(&mut self) {
        let a = self.a;
        a.refc.set(1);
        a.v.store(1, Relaxed);
        a.stats.packets.store(0, Relaxed);
        // SAFETY: only this (init) thread uses `ATOMS`, and no reference
        // to the pair is live.
        unsafe {
            a.pair.get().write(Pair {
                shared: 3,
                private: 4,
            })
        };
        a.msg.data.store(7, Relaxed);
        a.msg.ready.store(1, Relaxed);
        a.slot.store(core::ptr::null_mut(), Relaxed);
        a.v64.store(0, Relaxed);
        a.flag.store(false, Relaxed);
        a.vlong.store(0, Relaxed);
    }

    /// What `rkal_bench_c_state` reports for the C twin; `None` where the
    /// Rust API does not expose it (an `Arc`'s count).
    fn state(&self, which: Obj) -> Option<i64> {
        let a = self.a;
        Some(match which {
            Obj::Lock => i64::from(self.lock.try_lock().is_none()),
            Obj::LockIrq => i64::from(self.lock_irq.try_lock().is_none()),
            Obj::Mutex => i64::from(self.mutex.try_lock().is_none()),
            Obj::Ref => i64::from(a.refc.read()),
            Obj::Arc => return None,
            Obj::V => i64::from(a.v.load(Relaxed)),
            Obj::Stats => i64::from(a.stats.packets.load(Relaxed)),
            Obj::Pair => {
                // SAFETY: as in `reset`; the snippets only read the pair.
                let p = unsafe { a.pair.get().read() };
                i64::from(p.shared + p.private)
            }
            Obj::Msg => i64::from(a.msg.data.load(Relaxed)),
            Obj::Slot => a.slot.load(Relaxed) as usize as i64,
            Obj::V64 => a.v64.load(Relaxed),
            Obj::Flag => i64::from(a.flag.load(Relaxed)),
            Obj::VLong => a.vlong.load(Relaxed) as i64,
        })
    }
}

/// Nanoseconds taken by `n` calls of `f`.
///
/// A function of its own for each side, not inlined into [`run`]: there,
/// with every slot's loop and its locals live at once, the Rust side's
/// argument was reloaded from the stack on every call while C's stayed in
/// a register, which made Rust 2 to 4 per cent slower under TCG with the
/// same snippet instructions.
#[inline(never)]
fn time(n: u32, mut f: impl FnMut()) -> i64 {
    let start = Instant::<Monotonic>::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_nanos()
}

/// The runner: the objects the snippets work on, and the calls per side
/// and round.
struct Runner {
    objs: Objs,
    n: u32,
}

impl Runner {
    /// Times snippet `name`, C (`c`, and `c2`, its copy in bench_c2.c, on the
    /// C object `which`) against Rust (`rs`, and `rs2`, its copy, on the Rust
    /// objects), and checks that both leave their objects alike.
    fn run<R, S>(
        &mut self,
        name: &str,
        which: Option<Obj>,
        c: impl Fn(*mut c_void) -> R,
        c2: impl Fn(*mut c_void) -> R,
        rs: impl Fn(&Objs) -> S,
        rs2: impl Fn(&Objs) -> S,
    ) -> Result {
        let (o, n) = (&mut self.objs, self.n);
        // SAFETY: any number is accepted; unknown ones give null, which the
        // snippets that take no object ignore.
        let cp = unsafe { rkal_bench_c_obj(which.map_or(u32::MAX, |w| w as u32)) };
        // Each round times C, Rust, C's copy, Rust's copy (slots 0..4; a side's
        // two slots differ by placement: the noise floor) in chunks of `CHUNK`
        // calls, interleaved, each slot going first in turn. A slot's figure
        // is the median chunk, scaled to `n` calls: long loops under TCG catch
        // the host's scheduling, and the median of short interleaved chunks
        // shrugs it off.
        let chunk = n.min(CHUNK);
        let chunks = n.div_ceil(chunk);
        let mut times: [KVec<i64>; 4] = [KVec::new(), KVec::new(), KVec::new(), KVec::new()];
        for t in times.iter_mut() {
            t.reserve((ROUNDS * chunks) as usize, GFP_KERNEL)?;
        }
        for round in 0..ROUNDS {
            // SAFETY: the C objects are only used by this (init) thread.
            unsafe { rkal_bench_c_reset() };
            o.reset();
            let o: &Objs = o;
            for _ in 0..chunks {
                for k in 0..4 {
                    let slot = (k + round as usize) % 4;
                    let t = match slot {
                        0 => time(chunk, || drop(black_box(c(cp)))),
                        1 => time(chunk, || drop(black_box(rs(o)))),
                        2 => time(chunk, || drop(black_box(c2(cp)))),
                        _ => time(chunk, || drop(black_box(rs2(o)))),
                    };
                    times[slot].push(t, GFP_KERNEL)?;
                }
                // The lock snippets take seconds in all: let RCU and the rest
                // of the (non-preemptible) kernel run in between.
                kernel::kthread::cond_resched();
            }
            if let Some(w) = which {
                // SAFETY: as for `rkal_bench_c_obj`.
                let want = unsafe { rkal_bench_c_state(w as u32) };
                if let Some(got) = o.state(w) {
                    if got != want {
                        pr_err!("{name}: Rust left {got}, C left {want}\n");
                        return Err(EINVAL);
                    }
                }
            }
        }
        let mut best = [0i64; 4];
        for (b, t) in best.iter_mut().zip(times.iter_mut()) {
            t.sort_unstable();
            *b = t[t.len() / 2] * i64::from(n) / i64::from(chunk);
        }
        let [c_ns, rust_ns, c2_ns, rust2_ns] = best;
        pr_info!(
        "op={name} iterations={n} c_ns={c_ns} rust_ns={rust_ns} c2_ns={c2_ns} rust2_ns={rust2_ns}\n"
    );
        Ok(())
    }
}

struct RkalBench;

impl kernel::Module for RkalBench {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // SAFETY: reads a module parameter, set before init runs.
        let n = unsafe { rkal_bench_iterations() };
        if n == 0 {
            return Err(EINVAL);
        }
        let mut r = Runner {
            objs: Objs::new()?,
            n,
        };
        pr_info!("{n} calls per snippet, side and round; {ROUNDS} rounds\n");
        r.run(
            "spinlock",
            Some(Obj::Lock),
            // SAFETY: `p` is the C object of bench_run.c, a `spinlock_t`.
            |p| unsafe { c::spinlock(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::spinlock(p) },
            |o| rs::spinlock(&o.lock),
            |o| rs2::spinlock(&o.lock),
        )?;
        r.run(
            "spinlock_irqsave",
            Some(Obj::LockIrq),
            // SAFETY: `p` is the C object of bench_run.c, a `spinlock_t`.
            |p| unsafe { c::spinlock_irqsave(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::spinlock_irqsave(p) },
            |o| rs::spinlock_irqsave(&o.lock_irq),
            |o| rs2::spinlock_irqsave(&o.lock_irq),
        )?;
        r.run(
            "mutex",
            Some(Obj::Mutex),
            // SAFETY: `p` is the C object of bench_run.c, a `struct mutex`.
            |p| unsafe { c::mutex(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::mutex(p) },
            |o| rs::mutex(&o.mutex),
            |o| rs2::mutex(&o.mutex),
        )?;
        r.run(
            "refcount",
            Some(Obj::Ref),
            // SAFETY: `p` is the C object of bench_run.c, a `refcount_t`.
            |p| unsafe { c::refcount(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::refcount(p) },
            |o| rs::refcount(&o.a.refc),
            |o| rs2::refcount(&o.a.refc),
        )?;
        r.run(
            "arc",
            Some(Obj::Arc),
            // SAFETY: `p` is the C object of bench_run.c, a `struct rkal_bench_obj`.
            |p| unsafe { c::arc(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::arc(p) },
            |o| rs::arc(o.arc.as_arc_borrow()),
            |o| rs2::arc(o.arc.as_arc_borrow()),
        )?;
        r.run(
            "add_const",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::add_const(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::add_const(p) },
            |o| rs::add_const(&o.a.v),
            |o| rs2::add_const(&o.a.v),
        )?;
        r.run(
            "inc",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::inc(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::inc(p) },
            |o| rs::inc(&o.a.v),
            |o| rs2::inc(&o.a.v),
        )?;
        r.run(
            "dec_and_test_if",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::dec_and_test_if(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::dec_and_test_if(p) },
            |o| rs::dec_and_test_if(&o.a.v),
            |o| rs2::dec_and_test_if(&o.a.v),
        )?;
        r.run(
            "fetch_sub_one",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::fetch_sub_one(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::fetch_sub_one(p) },
            |o| rs::fetch_sub_one(&o.a.v),
            |o| rs2::fetch_sub_one(&o.a.v),
        )?;
        r.run(
            "try_cmpxchg_loop",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::try_cmpxchg_loop(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::try_cmpxchg_loop(p) },
            |o| rs::try_cmpxchg_loop(&o.a.v),
            |o| rs2::try_cmpxchg_loop(&o.a.v),
        )?;
        r.run(
            "struct_offset",
            Some(Obj::Stats),
            // SAFETY: `p` is the C object of bench_run.c, a `struct rkal_bench_stats`.
            |p| unsafe { c::struct_offset(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::struct_offset(p) },
            |o| rs::struct_offset(&o.a.stats),
            |o| rs2::struct_offset(&o.a.stats),
        )?;
        r.run(
            "relaxed_and_plain",
            Some(Obj::Pair),
            // SAFETY: `p` is the C object of bench_run.c, a `struct rkal_bench_pair`.
            |p| unsafe { c::relaxed_and_plain(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::relaxed_and_plain(p) },
            // SAFETY: `o.a.pair` is valid, and nothing writes it meanwhile.
            |o| unsafe { rs::relaxed_and_plain(o.a.pair.get()) },
            // SAFETY: as above.
            |o| unsafe { rs2::relaxed_and_plain(o.a.pair.get()) },
        )?;
        r.run(
            "mp_publish",
            Some(Obj::Msg),
            // SAFETY: `p` is the C object of bench_run.c, a `struct rkal_bench_msg`.
            |p| unsafe { c::mp_publish(p, 42) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::mp_publish(p, 42) },
            |o| rs::mp_publish(&o.a.msg, 42),
            |o| rs2::mp_publish(&o.a.msg, 42),
        )?;
        r.run(
            "mp_consume",
            Some(Obj::Msg),
            // SAFETY: `p` is the C object of bench_run.c, a `struct rkal_bench_msg`.
            |p| unsafe { c::mp_consume(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::mp_consume(p) },
            |o| rs::mp_consume(&o.a.msg),
            |o| rs2::mp_consume(&o.a.msg),
        )?;
        r.run(
            "cmpxchg_claim",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::cmpxchg_claim(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::cmpxchg_claim(p) },
            |o| rs::cmpxchg_claim(&o.a.v),
            |o| rs2::cmpxchg_claim(&o.a.v),
        )?;
        r.run(
            "xchg_ptr",
            Some(Obj::Slot),
            // SAFETY: `p` is the C object of bench_run.c, a `void *`.
            |p| unsafe { c::xchg_ptr(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::xchg_ptr(p) },
            |o| rs::xchg_ptr(&o.a.slot),
            |o| rs2::xchg_ptr(&o.a.slot),
        )?;
        r.run(
            "smp_mb",
            None,
            // SAFETY: no arguments, no preconditions.
            |_| unsafe { c::smp_mb() },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |_| unsafe { c2::smp_mb() },
            |_| rs::smp_mb(),
            |_| rs2::smp_mb(),
        )?;
        r.run(
            "inc_not_zero",
            Some(Obj::V),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_t`.
            |p| unsafe { c::inc_not_zero(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::inc_not_zero(p) },
            |o| rs::inc_not_zero(&o.a.v),
            |o| rs2::inc_not_zero(&o.a.v),
        )?;
        r.run(
            "add_return64",
            Some(Obj::V64),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic64_t`.
            |p| unsafe { c::add_return64(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::add_return64(p) },
            |o| rs::add_return64(&o.a.v64),
            |o| rs2::add_return64(&o.a.v64),
        )?;
        r.run(
            "test_and_set",
            Some(Obj::Flag),
            // SAFETY: `p` is the C object of bench_run.c, a `bool`.
            |p| unsafe { c::test_and_set(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::test_and_set(p) },
            |o| rs::test_and_set(&o.a.flag),
            |o| rs2::test_and_set(&o.a.flag),
        )?;
        r.run(
            "long_dec_return",
            Some(Obj::VLong),
            // SAFETY: `p` is the C object of bench_run.c, a `atomic_long_t`.
            |p| unsafe { c::long_dec_return(p) },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |p| unsafe { c2::long_dec_return(p) },
            |o| rs::long_dec_return(&o.a.vlong),
            |o| rs2::long_dec_return(&o.a.vlong),
        )?;
        r.run(
            "kbox",
            None,
            // SAFETY: no arguments, no preconditions.
            |_| unsafe { c::kbox() },
            // SAFETY: as above: bench_c2.c's copy of the same function.
            |_| unsafe { c2::kbox() },
            |_| rs::kbox(),
            |_| rs2::kbox(),
        )?;
        pr_info!("done\n");
        Ok(RkalBench)
    }
}
