// SPDX-License-Identifier: GPL-2.0
// expect: cannot be shared between threads safely
//! An interrupt handler runs on any CPU while process context uses it too:
//! `irq::Handler` requires `Sync`, so a `Cell` in a handler is refused.
use core::cell::Cell;
use kernel::device::{Bound, Device};
use kernel::irq::{Handler, IrqReturn};
struct H(Cell<u32>);
impl Handler for H {
    fn handle(&self, _dev: &Device<Bound>) -> IrqReturn {
        self.0.set(self.0.get() + 1);
        IrqReturn::Handled
    }
}
