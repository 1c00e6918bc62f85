// SPDX-License-Identifier: GPL-2.0

//! Rust side of `make bench`: the call sites of bench_c.c, written through
//! the public abstractions. Never called; only disassembled.

#![allow(missing_docs)]

use kernel::prelude::*;
use kernel::sync::atomic::{atomic_load, atomic_store, Acquire, Atomic, Full, Relaxed, Release};
use kernel::sync::{barrier, Arc, Mutex, Refcount, SpinLock, SpinLockIrq};

extern "C" {
    fn rkal_bench_sink();
}

fn sink() {
    // SAFETY: never run; the symbol only has to be called as C calls it.
    unsafe { rkal_bench_sink() }
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_spinlock(lock: &SpinLock<()>) {
    drop(lock.lock());
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_spinlock_irqsave(lock: &SpinLockIrq<()>) {
    drop(lock.lock());
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_mutex(lock: &Mutex<()>) {
    drop(lock.lock());
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_refcount(r: &Refcount) {
    r.inc();
    if r.dec_and_test() {
        sink();
    }
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_arc(a: &Arc<i32>) {
    drop(a.clone());
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_add_const(v: &Atomic<i32>) {
    v.add(5, Relaxed);
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_inc(v: &Atomic<i32>) {
    v.inc(Relaxed);
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_dec_and_test_if(v: &Atomic<i32>) {
    if v.dec_and_test(Full) {
        sink();
    }
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_fetch_sub_one(v: &Atomic<i32>) -> i32 {
    v.fetch_sub(1, Full)
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_try_cmpxchg_loop(v: &Atomic<i32>) {
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

#[repr(C)]
pub struct Stats {
    bytes: u64,
    packets: Atomic<i32>,
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_struct_offset(s: &Stats) {
    s.packets.inc(Relaxed);
}

#[repr(C)]
pub struct Pair {
    shared: i32,
    private: i32,
}

/// # Safety
///
/// `p` must be valid; `shared` only written with marked accesses.
#[no_mangle]
pub unsafe extern "C" fn rkal_bench_rs_relaxed_and_plain(p: *mut Pair) -> i32 {
    // SAFETY: the caller's guarantee.
    unsafe { atomic_load(&raw const (*p).shared, Relaxed).wrapping_add((*p).private) }
}

#[repr(C)]
pub struct Msg {
    data: Atomic<i32>,
    ready: Atomic<i32>,
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_mp_publish(m: &Msg, v: i32) {
    m.data.store(v, Relaxed);
    m.ready.store(1, Release);
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_mp_consume(m: &Msg) -> i32 {
    if m.ready.load(Acquire) != 0 {
        return m.data.load(Relaxed);
    }
    -1
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_cmpxchg_claim(v: &Atomic<i32>) -> bool {
    v.cmpxchg(0, 1, Full).is_ok()
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_xchg_ptr(slot: &Atomic<*mut u8>) -> *mut u8 {
    slot.xchg(core::ptr::null_mut(), Full)
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_smp_mb() {
    barrier::smp_mb();
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_inc_not_zero(v: &Atomic<i32>) -> bool {
    v.inc_not_zero(Full)
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_add_return64(v: &Atomic<i64>) -> i64 {
    v.add_return(16, Full)
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_test_and_set(flag: &Atomic<bool>) -> bool {
    flag.xchg(true, Full)
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_long_dec_return(v: &Atomic<isize>) -> isize {
    v.dec_return(Release)
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_kbox() {
    let Ok(b) = KBox::new(1u64, GFP_KERNEL) else {
        return;
    };
    let p = KBox::into_raw(b);
    // SAFETY: `p` is a live, exclusively owned `u64` from `into_raw`.
    unsafe { atomic_store(p, 2, Relaxed) };
    // SAFETY: `p` came from `into_raw` and is taken back once.
    drop(unsafe { KBox::from_raw(p) });
}
