// SPDX-License-Identifier: GPL-2.0

//! Copying data from and to userspace.
//!
//! A [`UserSlice`] is an address range in the calling process that a
//! system call (an ioctl, a read or write) was given. Its reader and writer
//! copy with `copy_from_user`/`copy_to_user`, which fault-check every
//! access: an unmapped or kernel address gives `EFAULT`, never a crash.
//! Each byte is read at most once, so a racing userspace thread cannot make
//! the kernel see two different values (no double fetch).

use crate::{
    alloc::{Flags, KVec},
    error::{code::EFAULT, Result},
    ffi::c_void,
    transmute::{AsBytes, FromBytes},
};
use core::mem::{size_of, MaybeUninit};

/// A userspace address.
pub type UserPtr = usize;

/// `length` bytes of userspace memory at `ptr`, not yet checked.
///
/// A kernel address is refused like any bad pointer:
///
/// ```
/// use kernel::uaccess::UserSlice;
/// let secret = 7u32;
/// let addr = &secret as *const u32 as usize;
/// assert_eq!(UserSlice::new(addr, 4).reader().read::<u32>().err(), Some(EFAULT));
/// let mut out = 0u32;
/// let addr = &mut out as *mut u32 as usize;
/// assert_eq!(UserSlice::new(addr, 4).writer().write(&1u32).err(), Some(EFAULT));
/// assert_eq!(out, 0);
/// // More than the slice holds is refused before any copy.
/// assert_eq!(UserSlice::new(0x1000, 2).reader().read::<u32>().err(), Some(EFAULT));
/// ```
pub struct UserSlice {
    ptr: UserPtr,
    length: usize,
}

impl UserSlice {
    /// The range `ptr..ptr + length` of the calling process.
    pub fn new(ptr: UserPtr, length: usize) -> Self {
        UserSlice { ptr, length }
    }

    /// A reader over the whole range.
    pub fn reader(self) -> UserSliceReader {
        UserSliceReader {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// A writer over the whole range.
    pub fn writer(self) -> UserSliceWriter {
        UserSliceWriter {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// A reader and a writer over the same range (for in/out arguments).
    pub fn reader_writer(self) -> (UserSliceReader, UserSliceWriter) {
        (
            UserSliceReader {
                ptr: self.ptr,
                length: self.length,
            },
            UserSliceWriter {
                ptr: self.ptr,
                length: self.length,
            },
        )
    }
}

/// Reads from a [`UserSlice`], front to back.
pub struct UserSliceReader {
    ptr: UserPtr,
    length: usize,
}

impl UserSliceReader {
    /// Bytes left.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether nothing is left.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Skips `n` bytes; `EFAULT` if fewer are left.
    pub fn skip(&mut self, n: usize) -> Result {
        self.length = self.length.checked_sub(n).ok_or(EFAULT)?;
        self.ptr = self.ptr.wrapping_add(n);
        Ok(())
    }

    /// Fills `out`; `EFAULT` if the range is too short or not readable.
    pub fn read_raw(&mut self, out: &mut [MaybeUninit<u8>]) -> Result {
        let len = out.len();
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: `out` is valid for `len` bytes of writes; the source is a
        // user address, which `copy_from_user` checks and may fault on.
        let left = unsafe {
            bindings::copy_from_user(
                out.as_mut_ptr().cast::<c_void>(),
                self.ptr as *const c_void,
                len,
            )
        };
        if left != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_add(len);
        self.length -= len;
        Ok(())
    }

    /// Fills `out`; `EFAULT` if the range is too short or not readable.
    pub fn read_slice(&mut self, out: &mut [u8]) -> Result {
        // SAFETY: `MaybeUninit<u8>` has `u8`'s layout, and `read_raw` only
        // writes initialised bytes (or fails, leaving `out` as it may have
        // partly written it, which is still initialised bytes).
        let out = unsafe { &mut *(core::ptr::from_mut(out) as *mut [MaybeUninit<u8>]) };
        self.read_raw(out)
    }

    /// Reads one `T`.
    pub fn read<T: FromBytes>(&mut self) -> Result<T> {
        let mut v = MaybeUninit::<T>::uninit();
        // SAFETY: the bytes of `v` are valid for writes as `MaybeUninit<u8>`.
        let bytes = unsafe {
            core::slice::from_raw_parts_mut(
                v.as_mut_ptr().cast::<MaybeUninit<u8>>(),
                size_of::<T>(),
            )
        };
        self.read_raw(bytes)?;
        // SAFETY: all bytes were written, and any bit pattern is a valid
        // `T` (`FromBytes`).
        Ok(unsafe { v.assume_init() })
    }

    /// Appends everything left to `buf`.
    pub fn read_all(mut self, buf: &mut KVec<u8>, flags: Flags) -> Result {
        let len = self.length;
        buf.reserve(len, flags)?;
        self.read_raw(&mut buf.spare_capacity_mut()[..len])?;
        // SAFETY: `read_raw` initialised the `len` bytes after the old
        // length, which `reserve` made room for.
        unsafe { buf.set_len(buf.len() + len) };
        Ok(())
    }
}

/// Writes to a [`UserSlice`], front to back.
pub struct UserSliceWriter {
    ptr: UserPtr,
    length: usize,
}

impl UserSliceWriter {
    /// Bytes left.
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether nothing is left.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Writes `data`; `EFAULT` if the range is too short or not writable.
    pub fn write_slice(&mut self, data: &[u8]) -> Result {
        let len = data.len();
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: `data` is valid for `len` bytes of reads; the destination
        // is a user address, which `copy_to_user` checks and may fault on.
        let left = unsafe {
            bindings::copy_to_user(self.ptr as *mut c_void, data.as_ptr().cast::<c_void>(), len)
        };
        if left != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_add(len);
        self.length -= len;
        Ok(())
    }

    /// Writes one `T`.
    pub fn write<T: AsBytes>(&mut self, value: &T) -> Result {
        // SAFETY: `T: AsBytes` has no padding, so all its bytes are
        // initialised and may be viewed as `u8`s.
        let bytes = unsafe {
            core::slice::from_raw_parts(core::ptr::from_ref(value).cast::<u8>(), size_of::<T>())
        };
        self.write_slice(bytes)
    }
}
