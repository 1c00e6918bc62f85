// SPDX-License-Identifier: GPL-2.0

//! Memory barriers, as the kernel's C code has them.
//!
//! Each function is the Rust spelling of the C macro of the same name and
//! *is* that macro: a `__rust_helper` wrapping it, inlined into the Rust
//! code by LLVM (see `scripts/kbuild/rust-inline.mk`), so it compiles to the
//! same instructions on every architecture, with no call. The
//! `smp_*` barriers order accesses between CPUs and are compiler barriers
//! only on uniprocessor builds; the plain ones (`mb`, `rmb`, `wmb`) also
//! order against devices; the `dma_*` ones order accesses to coherent DMA
//! memory.
//!
//! | Rust | C | x86-64 |
//! |---|---|---|
//! | [`barrier`] | `barrier()` | compiler barrier |
//! | [`smp_mb`] | `smp_mb()` | `lock addl $0,-4(%rsp)` |
//! | [`smp_rmb`] | `smp_rmb()` | compiler barrier |
//! | [`smp_wmb`] | `smp_wmb()` | compiler barrier |
//! | [`mb`] | `mb()` | `mfence` |
//! | [`rmb`] | `rmb()` | `lfence` |
//! | [`wmb`] | `wmb()` | `sfence` |
//! | [`dma_mb`] | `dma_mb()` | `mfence` |
//! | [`dma_rmb`] | `dma_rmb()` | compiler barrier |
//! | [`dma_wmb`] | `dma_wmb()` | compiler barrier |
//! | [`smp_mb__before_atomic`] | `smp_mb__before_atomic()` | compiler barrier |
//! | [`smp_mb__after_atomic`] | `smp_mb__after_atomic()` | compiler barrier |
//!
//! ```
//! use kernel::sync::barrier::{smp_rmb, smp_wmb};
//! let mut data = 0;
//! let mut flag = false;
//! data = 42;
//! smp_wmb(); // `data` is visible before `flag` to a CPU that pairs with smp_rmb().
//! flag = true;
//! if flag {
//!     smp_rmb();
//!     assert_eq!(data, 42);
//! }
//! ```

/// Stops the compiler from moving memory accesses across this point, like
/// C's `barrier()`. Emits no instruction.
#[inline(always)]
pub fn barrier() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::barrier() };
}

/// Full memory barrier between CPUs (`smp_mb()`): every access before it is
/// ordered before every access after it, as seen by all CPUs.
#[inline(always)]
pub fn smp_mb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::smp_mb() };
}

/// Read barrier between CPUs (`smp_rmb()`). On x86 loads are not reordered
/// with other loads, so this is a compiler barrier.
#[inline(always)]
pub fn smp_rmb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::smp_rmb() };
}

/// Write barrier between CPUs (`smp_wmb()`). On x86 stores are not
/// reordered with other stores, so this is a compiler barrier.
#[inline(always)]
pub fn smp_wmb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::smp_wmb() };
}

/// Full barrier, also against devices (`mb()`).
#[inline(always)]
pub fn mb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::mb() };
}

/// Read barrier, also against devices (`rmb()`).
#[inline(always)]
pub fn rmb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::rmb() };
}

/// Write barrier, also against devices (`wmb()`).
#[inline(always)]
pub fn wmb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::wmb() };
}

/// Full barrier for coherent DMA memory (`dma_mb()`).
#[inline(always)]
pub fn dma_mb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::dma_mb() };
}

/// Read barrier for coherent DMA memory (`dma_rmb()`).
#[inline(always)]
pub fn dma_rmb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::dma_rmb() };
}

/// Write barrier for coherent DMA memory (`dma_wmb()`).
#[inline(always)]
pub fn dma_wmb() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::dma_wmb() };
}

/// Makes a following non-value-returning atomic operation fully ordered
/// (`smp_mb__before_atomic()`). x86 atomics are locked instructions, which
/// are full barriers already.
#[allow(non_snake_case)]
#[inline(always)]
pub fn smp_mb__before_atomic() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::smp_mb__before_atomic() };
}

/// Makes a preceding non-value-returning atomic operation fully ordered
/// (`smp_mb__after_atomic()`).
#[allow(non_snake_case)]
#[inline(always)]
pub fn smp_mb__after_atomic() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::smp_mb__after_atomic() };
}

/// Makes a preceding lock acquisition fully ordered against what follows
/// (`smp_mb__after_spinlock()`). x86 takes locks with locked instructions,
/// which are full barriers already.
#[allow(non_snake_case)]
#[inline(always)]
pub fn smp_mb__after_spinlock() {
    // SAFETY: the C barrier has no preconditions; inlined (it is a
    // `__rust_helper`), it is the architecture's own instruction or compiler
    // barrier, and the compiler must treat it as touching any memory.
    unsafe { bindings::smp_mb__after_spinlock() };
}
