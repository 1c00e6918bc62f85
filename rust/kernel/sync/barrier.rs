// SPDX-License-Identifier: GPL-2.0

//! Memory barriers, as the kernel's C code has them.
//!
//! Each function is the Rust spelling of the C macro of the same name and
//! compiles to the same instructions (inline assembly, no call). The
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

#[cfg(not(target_arch = "x86_64"))]
compile_error!("kernel::sync::barrier: only x86_64 is implemented so far");

/// Stops the compiler from moving memory accesses across this point, like
/// C's `barrier()`. Emits no instruction.
#[inline(always)]
pub fn barrier() {
    // SAFETY: an empty assembly block has no effect at run time; without
    // `nomem` the compiler must assume it reads and writes any memory, which
    // is exactly the ordering `barrier()` provides.
    unsafe { core::arch::asm!("", options(nostack, preserves_flags)) };
}

/// Full memory barrier between CPUs (`smp_mb()`): every access before it is
/// ordered before every access after it, as seen by all CPUs.
#[inline(always)]
pub fn smp_mb() {
    if cfg!(CONFIG_SMP) {
        // SAFETY: a locked add of zero to the word just below the stack
        // pointer changes no value (the red zone is disabled in the kernel,
        // and the word is only read and rewritten atomically); the `lock`
        // prefix makes it a full barrier. Flags are clobbered.
        unsafe { core::arch::asm!("lock; addl $0, -4(%rsp)", options(att_syntax, nostack)) };
    } else {
        barrier();
    }
}

/// Read barrier between CPUs (`smp_rmb()`). On x86 loads are not reordered
/// with other loads, so this is a compiler barrier.
#[inline(always)]
pub fn smp_rmb() {
    barrier();
}

/// Write barrier between CPUs (`smp_wmb()`). On x86 stores are not
/// reordered with other stores, so this is a compiler barrier.
#[inline(always)]
pub fn smp_wmb() {
    barrier();
}

/// Full barrier, also against devices (`mb()`).
#[inline(always)]
pub fn mb() {
    // SAFETY: `mfence` only orders memory accesses.
    unsafe { core::arch::asm!("mfence", options(nostack, preserves_flags)) };
}

/// Read barrier, also against devices (`rmb()`).
#[inline(always)]
pub fn rmb() {
    // SAFETY: `lfence` only orders loads (and instruction execution).
    unsafe { core::arch::asm!("lfence", options(nostack, preserves_flags)) };
}

/// Write barrier, also against devices (`wmb()`).
#[inline(always)]
pub fn wmb() {
    // SAFETY: `sfence` only orders stores.
    unsafe { core::arch::asm!("sfence", options(nostack, preserves_flags)) };
}

/// Full barrier for coherent DMA memory (`dma_mb()`).
#[inline(always)]
pub fn dma_mb() {
    mb();
}

/// Read barrier for coherent DMA memory (`dma_rmb()`).
#[inline(always)]
pub fn dma_rmb() {
    barrier();
}

/// Write barrier for coherent DMA memory (`dma_wmb()`).
#[inline(always)]
pub fn dma_wmb() {
    barrier();
}

/// Makes a following non-value-returning atomic operation fully ordered
/// (`smp_mb__before_atomic()`). x86 atomics are locked instructions, which
/// are full barriers already.
#[allow(non_snake_case)]
#[inline(always)]
pub fn smp_mb__before_atomic() {
    barrier();
}

/// Makes a preceding non-value-returning atomic operation fully ordered
/// (`smp_mb__after_atomic()`).
#[allow(non_snake_case)]
#[inline(always)]
pub fn smp_mb__after_atomic() {
    barrier();
}
