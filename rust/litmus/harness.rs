// SPDX-License-Identifier: GPL-2.0

//! The litmus harness, in the spirit of klitmus7: each run gives every
//! thread of the test its own kernel thread, bound to a CPU (rotated
//! between runs), and up to [`MAX_SLOTS`] iterations, each on fresh shared variables
//! (one slot of memory per iteration, initialised as the test says). When
//! there are no more threads than CPUs, the threads meet at a barrier before
//! every iteration (spinning on plain loads: under TCG a `pause` leaves the
//! vCPU loop); with more, they run oversubscribed, without it. After the
//! threads are joined, every slot's final state goes into a histogram and
//! the test's `exists` clause is evaluated on it.
//!
//! The assertions (on x86-64): an outcome herd7 says "Never", or that
//! x86-TSO forbids, must not be seen; the outcomes x86-TSO allows (SB,
//! SB+rfi, R) must be seen, else the threads are not racing; and their
//! fenced siblings must run long enough that the unfenced rate would have
//! given about 30 outcomes.

use core::ffi::{c_char, c_int, c_long, c_uint, c_void, CStr as CoreCStr};
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::Arc;
use kernel::time::{Instant, Monotonic};
use kernel::{c_str, cpu, kthread};

/// A thread of a test: (its iteration's memory, the addresses of the
/// shared variables in it, where to leave the registers).
pub(crate) type Thread = unsafe extern "C" fn(*mut c_void, *mut *mut c_void, *mut c_long);

const MAX_THREADS: usize = 4;
const MAX_REGS: usize = 8;
const MAX_VARS: usize = 8;
const MAX_KEY: usize = 16;
const LT_EXISTS: c_int = 1;
const LT_FILTER: c_int = 2;
const LT_MUST_SEE: c_int = 1;
const LT_PTR: c_long = 1 << 40;
/// Iterations per run at most (each has its own memory): the more, the
/// less thread creation and joining weigh per iteration.
const MAX_SLOTS: usize = 8192;
/// Iterations per run at least.
const MIN_SLOTS: usize = 500;
/// Observations the unfenced sibling's rate must predict for a fenced run.
const SIBLING_TARGET: u64 = 30;
/// How many times its budget a test whose allowed outcome must be seen
/// may run while it has not been seen yet: one schedule under TCG can keep
/// the threads apart for a whole budget without the harness being blind.
const MUST_SEE_EXTRA: u64 = 8;
/// Tests and twins whose rates are remembered for their fenced siblings.
const MAX_TESTS: usize = 64;

/// How long a fenced test runs, from its unfenced sibling's rate.
#[derive(Debug, PartialEq, Eq)]
enum SiblingBudget {
    /// This many iterations: enough that the sibling's rate would have
    /// shown [`SIBLING_TARGET`] outcomes, and at least the plain budget.
    Run(u64),
    /// The plain budget: the sibling raced too rarely to size the run
    /// (it would take this many iterations), and races are not required.
    Plain(u64),
    /// A failure: the sibling never showed its outcome, and races are
    /// required.
    NotObserved,
    /// A failure: the sibling raced so rarely that beating its rate would
    /// take this many iterations (more than 50 budgets), and races are
    /// required.
    TooRare(u64),
}

/// The run of a fenced test whose plain budget is `budget`, when its
/// unfenced sibling saw its outcome `seen` times in `ran` iterations;
/// `required`: `require_race` (without it, a slow, instrumented kernel
/// whose sibling rarely or never raced runs the plain budget).
fn sibling_budget(budget: u64, seen: u64, ran: u64, required: bool) -> SiblingBudget {
    if seen == 0 {
        return if required {
            SiblingBudget::NotObserved
        } else {
            SiblingBudget::Run(budget)
        };
    }
    let need = SIBLING_TARGET.saturating_mul(ran).div_ceil(seen);
    if need <= budget.saturating_mul(50) {
        SiblingBudget::Run(budget.max(need))
    } else if required {
        SiblingBudget::TooRare(need)
    } else {
        SiblingBudget::Plain(need)
    }
}

#[kernel::macros::kunit_tests(rkal_litmus_harness)]
mod harness_tests {
    use super::{sibling_budget, SiblingBudget, SIBLING_TARGET};

    #[test]
    fn sibling_rate_sizes_the_run() {
        // 1 in 1000: 30 outcomes need 30000 iterations.
        assert_eq!(
            sibling_budget(5000, 5, 5000, true),
            SiblingBudget::Run(30000)
        );
        assert_eq!(
            sibling_budget(5000, 5, 5000, false),
            SiblingBudget::Run(30000)
        );
        // A frequent race: the plain budget is the floor.
        assert_eq!(
            sibling_budget(5000, 2500, 5000, true),
            SiblingBudget::Run(5000)
        );
    }

    #[test]
    fn never_observed_fails_only_when_races_are_required() {
        assert_eq!(
            sibling_budget(5000, 0, 5000, true),
            SiblingBudget::NotObserved
        );
        assert_eq!(
            sibling_budget(5000, 0, 5000, false),
            SiblingBudget::Run(5000)
        );
    }

    #[test]
    fn too_rare_fails_only_when_races_are_required() {
        // make stress's KASAN kernel: 1 outcome in 5000 would need 150000
        // iterations, 30 budgets of 5000; 1 in 10^4 with a budget of 1000
        // would need 300000, over 50 budgets.
        assert_eq!(
            sibling_budget(5000, 1, 5000, true),
            SiblingBudget::Run(150000)
        );
        let need = SIBLING_TARGET * 10000;
        assert_eq!(
            sibling_budget(1000, 1, 10000, true),
            SiblingBudget::TooRare(need)
        );
        assert_eq!(
            sibling_budget(1000, 1, 10000, false),
            SiblingBudget::Plain(need)
        );
    }
}

/// `struct lt_desc` of litmus.h.
#[repr(C)]
pub(crate) struct LtDesc {
    name: *const c_char,
    verdict: *const c_char,
    exists: *const c_char,
    expect: c_int,
    sibling: c_int,
    slow: c_int,
    nthreads: c_uint,
    size: usize,
    nvars: c_uint,
    offs: *const usize,
    vars: *const *const c_char,
    nkey: c_uint,
    keys: *const *const c_char,
    init: unsafe extern "C" fn(*mut c_void),
    cond: unsafe extern "C" fn(*mut c_void, *const c_long) -> c_int,
    key: unsafe extern "C" fn(*mut c_void, *const c_long, *mut c_long),
    threads: [Option<Thread>; MAX_THREADS],
}

extern "C" {
    static lt_tests: [LtDesc; 0];
    static lt_ntests: c_uint;
    fn lt_iterations(slow: c_int) -> c_uint;
    fn lt_require_race() -> bool;
}

/// Which language runs which thread.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Twin {
    /// Every thread in C.
    C,
    /// Every thread in Rust.
    Rust,
    /// P0 in Rust, P1 in C.
    RustC,
    /// P0 in C, P1 in Rust.
    CRust,
}

impl Twin {
    fn name(self) -> &'static str {
        match self {
            Twin::C => "c",
            Twin::Rust => "rust",
            Twin::RustC => "rust+c",
            Twin::CRust => "c+rust",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn rust_thread(self, k: usize) -> bool {
        match self {
            Twin::C => false,
            Twin::Rust => true,
            Twin::RustC => k == 0,
            Twin::CRust => k != 0,
        }
    }
}

/// Outcomes seen and iterations run, per test and twin, for the fenced
/// siblings' budget.
static SEEN: [[Atomic<i64>; 2]; MAX_TESTS * 4] =
    [const { [Atomic::new(0), Atomic::new(0)] }; MAX_TESTS * 4];

fn cstr(p: *const c_char) -> &'static str {
    // SAFETY: the generated descriptors hold pointers to static, NUL-ended
    // ASCII strings.
    unsafe { CoreCStr::from_ptr(p) }.to_str().unwrap_or("?")
}

fn desc(i: usize) -> Result<&'static LtDesc> {
    // SAFETY: `lt_ntests` is a constant of the generated C.
    if i >= unsafe { lt_ntests } as usize {
        return Err(EINVAL);
    }
    // SAFETY: `lt_tests` has `lt_ntests` entries, static and never written.
    Ok(unsafe { &*(&raw const lt_tests).cast::<LtDesc>().add(i) })
}

/// One run's memory: `slots` iterations of shared variables, their
/// addresses, and the threads' registers.
///
/// # Invariants
///
/// `mem`, `vars` and `out` point into `_mem`, `_vars` and `_out`, which are
/// not touched through the vectors while a `Shared` exists. Threads write
/// disjoint parts of `out` (their own registers) and reach `mem` only
/// through the test's code.
struct Shared {
    _mem: VVec<u64>,
    _vars: VVec<*mut c_void>,
    _out: VVec<c_long>,
    slots: usize,
    mem: *mut u8,
    vars: *mut *mut c_void,
    out: *mut c_long,
    stride: usize,
    bar: Atomic<i32>,
}

// SAFETY: the raw pointers are into buffers the `Shared` owns; the threads
// that use them concurrently follow the invariants (the test's own accesses
// are what is being tested).
unsafe impl Send for Shared {}
// SAFETY: as for `Send`.
unsafe impl Sync for Shared {}

impl Shared {
    fn new(d: &LtDesc, slots: usize) -> Result<Self> {
        let stride = d.size.next_multiple_of(64);
        let mut mem = VVec::new();
        mem.extend_with(slots * stride / 8, 0u64, GFP_KERNEL)?;
        let mut vars = VVec::new();
        vars.extend_with(slots * MAX_VARS, core::ptr::null_mut(), GFP_KERNEL)?;
        let mut out = VVec::new();
        out.extend_with(slots * MAX_THREADS * MAX_REGS, 0, GFP_KERNEL)?;
        Ok(Self {
            slots,
            mem: mem.as_mut_ptr().cast(),
            vars: vars.as_mut_ptr(),
            out: out.as_mut_ptr(),
            _mem: mem,
            _vars: vars,
            _out: out,
            stride,
            bar: Atomic::new(0),
        })
    }

    fn slot(&self, s: usize) -> *mut c_void {
        // SAFETY: `s < slots`, inside `_mem`.
        unsafe { self.mem.add(s * self.stride) }.cast()
    }

    fn vars(&self, s: usize) -> *mut *mut c_void {
        // SAFETY: `s < slots`, inside `_vars`.
        unsafe { self.vars.add(s * MAX_VARS) }
    }

    fn out(&self, s: usize) -> *mut c_long {
        // SAFETY: `s < slots`, inside `_out`.
        unsafe { self.out.add(s * MAX_THREADS * MAX_REGS) }
    }

    /// Fresh memory for every slot, as the test initialises it.
    fn reset(&self, d: &LtDesc) {
        // SAFETY: no thread runs; the buffers are ours (type invariant).
        unsafe {
            core::ptr::write_bytes(self.mem, 0, self.slots * self.stride);
            core::ptr::write_bytes(self.out, 0, self.slots * MAX_THREADS * MAX_REGS);
        }
        for s in 0..self.slots {
            // SAFETY: `slot(s)` is `d.size` zeroed bytes, aligned to 64.
            unsafe { (d.init)(self.slot(s)) };
            for v in 0..d.nvars as usize {
                // SAFETY: `offs` has `nvars` entries, each inside the slot;
                // `vars(s)` has `MAX_VARS >= nvars` entries.
                unsafe { *self.vars(s).add(v) = self.slot(s).byte_add(*d.offs.add(v)) };
            }
        }
        self.bar.store(0, Relaxed);
    }
}

/// The body of thread `k`: `sh.slots` iterations of `f`.
fn thread_body(sh: &Shared, f: Thread, k: usize, nthreads: i32, sync: bool) {
    for s in 0..sh.slots {
        if sync {
            // All threads start iteration `s` together.
            sh.bar.add(1, Relaxed);
            let target = (s as i32 + 1) * nthreads;
            while sh.bar.load(Relaxed) < target {}
        } else if s % 32 == 0 {
            kthread::cond_resched();
        }
        // SAFETY: the slot's memory and variables are initialised; thread
        // `k` writes registers `k * MAX_REGS..` of the slot only.
        unsafe { f(sh.slot(s), sh.vars(s), sh.out(s).add(k * MAX_REGS)) };
    }
}

/// A histogram of final states.
struct Histogram {
    states: KVec<([c_long; MAX_KEY], u64, bool)>,
}

impl Histogram {
    fn add(&mut self, key: [c_long; MAX_KEY], exists: bool) -> Result {
        for st in self.states.iter_mut() {
            if st.0 == key {
                st.1 += 1;
                return Ok(());
            }
        }
        self.states.push((key, 1, exists), GFP_KERNEL)?;
        Ok(())
    }
}

/// Runs test `i` as `twin`; the KUnit case for it.
pub(crate) fn run(i: usize, twin: Twin) -> Result {
    let d = desc(i)?;
    let name = cstr(d.name);
    let nthreads = d.nthreads as usize;
    if nthreads == 0 || nthreads > MAX_THREADS {
        return Err(EINVAL);
    }
    let mut fns = [None; MAX_THREADS];
    for (k, f) in fns.iter_mut().enumerate().take(nthreads) {
        *f = if twin.rust_thread(k) {
            Some(super::RUST_THREADS[i][k])
        } else {
            d.threads[k]
        };
    }
    // SAFETY: reads a module parameter, set before init.
    let mut budget = u64::from(unsafe { lt_iterations(d.slow) });
    if d.sibling >= 0 {
        let sib = &SEEN[d.sibling as usize * 4 + twin.index()];
        let (seen, ran) = (sib[0].load(Relaxed) as u64, sib[1].load(Relaxed) as u64);
        // SAFETY: `lt_require_race` (litmus_run.c) only reads a module
        // parameter.
        let required = unsafe { lt_require_race() };
        budget = match sibling_budget(budget, seen, ran, required) {
            SiblingBudget::Run(n) => n,
            SiblingBudget::Plain(need) => {
                pr_info!(
                    "{name} [{}]: would need {need} iterations to beat the unfenced rate; plain budget (require_race=0)\n",
                    twin.name()
                );
                budget
            }
            SiblingBudget::NotObserved => {
                pr_err!(
                    "{name} [{}]: its unfenced sibling was not observed\n",
                    twin.name()
                );
                return Err(EINVAL);
            }
            SiblingBudget::TooRare(need) => {
                pr_err!(
                    "{name} [{}]: would need {need} iterations to beat the unfenced rate\n",
                    twin.name()
                );
                return Err(EINVAL);
            }
        };
    }
    let slots = (budget as usize).clamp(MIN_SLOTS, MAX_SLOTS);
    let runs = budget.div_ceil(slots as u64);
    let ncpus = cpu::num_online_cpus().max(1) as usize;
    let sync = nthreads <= ncpus;
    let sh = Arc::new(Shared::new(d, slots)?, GFP_KERNEL)?;
    let mut hist = Histogram {
        states: KVec::new(),
    };
    let (mut pos, mut neg) = (0u64, 0u64);
    let start = Instant::<Monotonic>::now();
    let max_runs = if d.expect == LT_MUST_SEE {
        runs * MUST_SEE_EXTRA
    } else {
        runs
    };
    let mut run = 0usize;
    while (run as u64) < runs || (pos == 0 && (run as u64) < max_runs) {
        sh.reset(d);
        let mut handles = KVec::with_capacity(nthreads, GFP_KERNEL)?;
        for (k, f) in fns.iter().enumerate().take(nthreads) {
            let f = f.ok_or(EINVAL)?;
            let sh2 = sh.clone();
            let n = nthreads as i32;
            let cpu = ((k + run) % ncpus) as u32;
            handles.push(
                kthread::spawn_on_cpu(c_str!("litmus"), cpu, move || {
                    thread_body(&sh2, f, k, n, sync)
                })?,
                GFP_KERNEL,
            )?;
        }
        for h in handles {
            h.join();
        }
        for s in 0..slots {
            let mut key = [0 as c_long; MAX_KEY];
            // SAFETY: the threads are joined; the slot and its registers
            // are initialised; `key` has `MAX_KEY >= nkey` entries.
            let c = unsafe {
                let c = (d.cond)(sh.slot(s), sh.out(s));
                (d.key)(sh.slot(s), sh.out(s), key.as_mut_ptr());
                c
            };
            if c & LT_FILTER == 0 {
                continue;
            }
            let exists = c & LT_EXISTS != 0;
            if exists {
                pos += 1;
            } else {
                neg += 1;
            }
            hist.add(key, exists)?;
        }
        kthread::cond_resched();
        run += 1;
    }
    let elapsed = start.elapsed().as_nanos();
    let iters = run as u64 * slots as u64;
    let seen = &SEEN[i * 4 + twin.index()];
    seen[0].store(pos as i64, Relaxed);
    seen[1].store(iters as i64, Relaxed);
    report(d, twin, &hist, pos, neg, iters, elapsed)?;
    let verdict = cstr(d.verdict);
    if d.expect == LT_MUST_SEE {
        // SAFETY: `lt_require_race` (litmus_run.c) only reads a module
        // parameter.
        let required = unsafe { lt_require_race() };
        if pos == 0 && required {
            pr_err!("{name} [{}]: threads not racing: x86-TSO allows the outcome, never seen in {iters} iterations\n", twin.name());
            return Err(EINVAL);
        }
        if pos == 0 {
            pr_info!(
                "{name} [{}]: allowed outcome not seen in {iters} iterations (require_race=0)\n",
                twin.name()
            );
        }
    } else if pos != 0 {
        pr_err!("{name} [{}]: forbidden outcome seen {pos} times (herd7: {verdict}; x86-TSO forbids it)\n", twin.name());
        return Err(EINVAL);
    }
    Ok(())
}

/// Prints the result in klitmus7's format, with the twin and ns/iteration.
fn report(
    d: &LtDesc,
    twin: Twin,
    hist: &Histogram,
    pos: u64,
    neg: u64,
    iters: u64,
    ns: i64,
) -> Result {
    let name = cstr(d.name);
    pr_info!("Test {name} Allowed\n");
    pr_info!("Twin {name} {}\n", twin.name());
    pr_info!("Histogram ({} states)\n", hist.states.len());
    for (key, count, exists) in hist.states.iter() {
        let mut line = KVec::<u8>::new();
        for j in 0..d.nkey as usize {
            // SAFETY: `keys` has `nkey` entries.
            let loc = cstr(unsafe { *d.keys.add(j) });
            let v = key[j];
            let val: &[u8];
            let mut num = [0u8; 24];
            if (LT_PTR..LT_PTR + d.nvars as c_long).contains(&v) {
                // SAFETY: `vars` has `nvars` entries.
                val = cstr(unsafe { *d.vars.add((v - LT_PTR) as usize) }).as_bytes();
            } else {
                val = fmt_num(v, &mut num);
            }
            line.extend_from_slice(loc.as_bytes(), GFP_KERNEL)?;
            line.push(b'=', GFP_KERNEL)?;
            line.extend_from_slice(val, GFP_KERNEL)?;
            line.extend_from_slice(b"; ", GFP_KERNEL)?;
        }
        let text = core::str::from_utf8(&line).unwrap_or("?");
        pr_info!("{count:<8}{}>{text}\n", if *exists { '*' } else { ':' });
    }
    let validated = if pos > 0 {
        "validated"
    } else {
        "NOT validated"
    };
    pr_info!("Positive: {pos}, Negative: {neg}\n");
    pr_info!("Condition exists {} is {validated}\n", cstr(d.exists));
    let obs = if pos == 0 {
        "Never"
    } else if neg == 0 {
        "Always"
    } else {
        "Sometimes"
    };
    pr_info!("Observation {name} {obs} {pos} {neg}\n");
    let per = if iters > 0 { ns as u64 / iters } else { 0 };
    pr_info!(
        "Time {name} {}.{:03} s, {iters} iterations, {per} ns/iteration [{}]\n",
        ns / 1_000_000_000,
        (ns / 1_000_000) % 1000,
        twin.name()
    );
    Ok(())
}

fn fmt_num(v: c_long, buf: &mut [u8; 24]) -> &[u8] {
    let neg = v < 0;
    let mut u = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// The module: its KUnit suite does the work.
pub(crate) struct Litmus;

impl kernel::Module for Litmus {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // The KUnit cases ran before init (a module's suites run as it
        // loads); a single CPU would have made the probes fail, but say why.
        if cpu::num_online_cpus() < 2 {
            pr_err!("needs two CPUs running in parallel (qemu -smp 2, MTTCG)\n");
            return Err(ENODEV);
        }
        Ok(Litmus)
    }
}
