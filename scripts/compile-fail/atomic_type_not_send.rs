// SPDX-License-Identifier: GPL-2.0
// expect: `Cell<u32>` cannot be shared between threads safely
//! `AtomicType` requires `Send`: a shared `Atomic<&Cell<u32>>` would hand a
//! `&Cell` to another thread, which could then race on the `Cell`.
use core::cell::Cell;
use kernel::sync::atomic::AtomicType;
/// A cell reference pretending to be atomic.
#[derive(Clone, Copy)]
pub struct CellRef(pub &'static Cell<u32>);
// SAFETY: deliberately wrong; the compiler must refuse it.
unsafe impl AtomicType for CellRef {
    type Repr = isize;
}
