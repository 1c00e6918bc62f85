// SPDX-License-Identifier: GPL-2.0
// expect: ioctl number too large
//! An ioctl number wider than its 8 bits would spill into the type field.
use kernel::ioctl::_IO;
/// Does not compile.
pub const BAD: u32 = _IO('|' as u32, 0x1ff);
