// SPDX-License-Identifier: GPL-2.0
// expect: dereference of raw pointer is unsafe
//! `dma_read!` evaluates its index outside its own `unsafe`: an index that
//! needs `unsafe` does not compile without the caller's.
use kernel::dma::CoherentAllocation;
/// Does not compile.
pub fn f(buf: &CoherentAllocation<u32>, p: *const usize) -> kernel::error::Result<u32> {
    kernel::dma_read!(buf[*p])
}
