// SPDX-License-Identifier: GPL-2.0

//! The items most kernel Rust code needs, for a glob import.
//!
//! ```
//! use kernel::prelude::*;
//!
//! let mut v = KVec::new();
//! v.push(1u8, GFP_KERNEL)?;
//! assert_eq!(v.len(), 1);
//! # Ok::<(), Error>(())
//! ```
//!
//! `#[vtable]` marks an operations trait whose optional methods an
//! implementation may leave out; `HAS_<METHOD>` says which it defined:
//!
//! ```
//! #[vtable]
//! trait Operations {
//!     fn open() -> Result;
//!     fn flush() -> Result {
//!         Err(EINVAL)
//!     }
//! }
//!
//! struct Dev;
//!
//! #[vtable]
//! impl Operations for Dev {
//!     fn open() -> Result {
//!         Ok(())
//!     }
//! }
//!
//! assert!(<Dev as Operations>::HAS_OPEN);
//! assert!(!<Dev as Operations>::HAS_FLUSH);
//! ```

#[doc(no_inline)]
pub use core::pin::Pin;

#[doc(no_inline)]
pub use macros::module;

pub use crate::alloc::{flags::*, AllocError, Box, KBox, KVBox, KVVec, KVec, VBox, VVec, Vec};
pub use crate::build_assert;
pub use crate::error::{code::*, Error, Result};
pub use crate::init::{init, pin_init, stack_pin_init, stack_try_pin_init};
pub use crate::init::{pin_data, pinned_drop, InPlaceInit, InPlaceWrite, Init, PinInit, Zeroable};
pub use crate::static_assert;
pub use crate::str::{CStr, CString};
pub use crate::uaccess::UserPtr;
pub use crate::{c_str, current, fmt};
pub use crate::{
    dbg, pr_alert, pr_cont, pr_crit, pr_debug, pr_emerg, pr_err, pr_info, pr_notice, pr_warn,
};
pub use crate::{dev_alert, dev_crit, dev_dbg, dev_emerg, dev_err, dev_info, dev_notice, dev_warn};
pub use crate::{try_init, try_pin_init};
pub use crate::{InPlaceModule, Module, ThisModule};
pub use macros::{kunit_tests, vtable};
