// SPDX-License-Identifier: GPL-2.0

//! Rust side of `make bench`: the same fast paths as bench_c.c, through the
//! public abstractions. Never called; only disassembled.

#![allow(missing_docs)]

use kernel::sync::{Arc, Mutex, Refcount, SpinLock};

#[no_mangle]
pub extern "C" fn rkal_bench_rs_spinlock(lock: &SpinLock<()>) {
    drop(lock.lock());
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_mutex(lock: &Mutex<()>) {
    drop(lock.lock());
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_refcount(r: &Refcount) {
    r.inc();
    // The C side frees on zero; a `Refcount` alone owns nothing to free.
    let _ = r.dec_and_test();
}

#[no_mangle]
pub extern "C" fn rkal_bench_rs_arc(a: &Arc<i32>) {
    drop(a.clone());
}
