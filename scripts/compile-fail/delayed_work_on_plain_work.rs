// SPDX-License-Identifier: GPL-2.0
// expect: mismatched types
//! `enqueue_delayed` treats the work of a `HasDelayedWork` type as the
//! start of a C `delayed_work` and writes its timer: the field that
//! `impl_has_delayed_work!` names must be a `DelayedWork` of that item, and
//! a plain `Work` there is a type error (it was cast, and the timer written
//! past the end of the field).
use kernel::workqueue::Work;
/// Does not compile.
pub struct Item {
    work: Work<Item>,
}
kernel::impl_has_delayed_work! {
    impl HasDelayedWork<Self> for Item { self.work }
}
