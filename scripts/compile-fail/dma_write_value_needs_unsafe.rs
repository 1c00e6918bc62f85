// SPDX-License-Identifier: GPL-2.0
// expect: dereference of raw pointer is unsafe
//! `dma_write!` evaluates the value outside its own `unsafe`: a value that
//! needs `unsafe` does not compile without the caller's.
use kernel::dma::CoherentAllocation;
/// Does not compile.
pub fn f(buf: &CoherentAllocation<u32>, p: *const u32) -> kernel::error::Result {
    kernel::dma_write!(buf[0] = *p)
}
