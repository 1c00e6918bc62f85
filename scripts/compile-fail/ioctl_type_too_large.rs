// SPDX-License-Identifier: GPL-2.0
// expect: ioctl type too large
//! An ioctl type wider than its 8 bits would spill into the size field.
use kernel::ioctl::_IO;
/// Does not compile.
pub const BAD: u32 = _IO(0x100, 1);
