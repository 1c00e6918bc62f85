// SPDX-License-Identifier: GPL-2.0

//! ioctl numbers, as C's `_IO`, `_IOR`, `_IOW` and `_IOWR` build them:
//! direction, size, type and number packed in 32 bits.
//!
//! ```
//! use kernel::ioctl::{_IO, _IOR, _IOC_NR, _IOC_SIZE, _IOC_TYPE};
//! const HELLO: u32 = _IO('|' as u32, 0x80);
//! const GET: u32 = _IOR::<i32>('|' as u32, 0x81);
//! assert_eq!(_IOC_NR(GET), 0x81);
//! assert_eq!(_IOC_TYPE(GET), '|' as u32);
//! assert_eq!(_IOC_SIZE(GET), 4);
//! assert_ne!(HELLO, GET);
//! ```

#![allow(non_snake_case)]

const NRBITS: u32 = 8;
const TYPEBITS: u32 = 8;
const SIZEBITS: u32 = 14;
const DIRBITS: u32 = 2;
const NRSHIFT: u32 = 0;
const TYPESHIFT: u32 = NRSHIFT + NRBITS;
const SIZESHIFT: u32 = TYPESHIFT + TYPEBITS;
const DIRSHIFT: u32 = SIZESHIFT + SIZEBITS;

/// No data transfer.
pub const _IOC_NONE: u32 = 0;
/// Userspace writes, the kernel reads.
pub const _IOC_WRITE: u32 = 1;
/// The kernel writes, userspace reads.
pub const _IOC_READ: u32 = 2;

/// Packs an ioctl number (C's `_IOC`). A field too wide for its bits is
/// refused (a build error in a `const`, a panic at run time) instead of
/// spilling into the next field.
///
/// ```
/// use kernel::ioctl::{_IOC, _IOC_DIR, _IOC_READ};
/// assert_eq!(_IOC_DIR(_IOC(_IOC_READ, 1, 2, 4)), _IOC_READ);
/// ```
pub const fn _IOC(dir: u32, ty: u32, nr: u32, size: usize) -> u32 {
    assert!(dir < (1 << DIRBITS), "ioctl direction too large");
    assert!(ty < (1 << TYPEBITS), "ioctl type too large");
    assert!(nr < (1 << NRBITS), "ioctl number too large");
    assert!(size < (1 << SIZEBITS), "ioctl argument too large");
    (dir << DIRSHIFT) | (ty << TYPESHIFT) | (nr << NRSHIFT) | ((size as u32) << SIZESHIFT)
}

/// An ioctl without argument data.
pub const fn _IO(ty: u32, nr: u32) -> u32 {
    _IOC(_IOC_NONE, ty, nr, 0)
}

/// An ioctl through which the kernel writes a `T` to userspace.
pub const fn _IOR<T>(ty: u32, nr: u32) -> u32 {
    _IOC(_IOC_READ, ty, nr, core::mem::size_of::<T>())
}

/// An ioctl through which userspace passes a `T` to the kernel.
pub const fn _IOW<T>(ty: u32, nr: u32) -> u32 {
    _IOC(_IOC_WRITE, ty, nr, core::mem::size_of::<T>())
}

/// An ioctl passing a `T` both ways.
pub const fn _IOWR<T>(ty: u32, nr: u32) -> u32 {
    _IOC(_IOC_READ | _IOC_WRITE, ty, nr, core::mem::size_of::<T>())
}

/// The direction bits of an ioctl number.
pub const fn _IOC_DIR(nr: u32) -> u32 {
    (nr >> DIRSHIFT) & ((1 << 2) - 1)
}

/// The type bits of an ioctl number.
pub const fn _IOC_TYPE(nr: u32) -> u32 {
    (nr >> TYPESHIFT) & ((1 << TYPEBITS) - 1)
}

/// The number bits of an ioctl number.
pub const fn _IOC_NR(nr: u32) -> u32 {
    (nr >> NRSHIFT) & ((1 << NRBITS) - 1)
}

/// The argument size of an ioctl number.
pub const fn _IOC_SIZE(nr: u32) -> usize {
    ((nr >> SIZESHIFT) & ((1 << SIZEBITS) - 1)) as usize
}
