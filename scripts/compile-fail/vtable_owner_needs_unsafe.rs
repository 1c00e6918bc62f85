// SPDX-License-Identifier: GPL-2.0
// expect: call to unsafe function
//! A C operations table takes its `owner` (the module C keeps loaded while
//! it may call the code) from `VTABLE_OWNER`, which `#[vtable]` sets on an
//! impl. An impl written without `#[vtable]` sets it itself, and a wrong
//! owner (null in a loadable module) lets rmmod free code that an open file
//! still runs: setting it takes `unsafe` (it was a plain pointer constant).
use kernel::prelude::*;
use kernel::ThisModule;
/// A vtable trait.
#[vtable]
pub trait Ops {
    /// An operation.
    fn op() {}
}
/// Does not compile.
pub struct Forged;
impl Ops for Forged {
    const USE_VTABLE_ATTR: () = ();
    const VTABLE_OWNER: ThisModule = ThisModule::from_ptr(core::ptr::null_mut());
}
