// SPDX-License-Identifier: GPL-2.0

//! Files: C's `struct file` ([`File`]) and `struct kiocb` ([`Kiocb`]), as
//! file operations receive them.

pub mod file;
mod kiocb;

pub use self::file::{File, LocalFile};
pub use self::kiocb::Kiocb;
