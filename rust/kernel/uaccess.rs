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
    alloc::{Allocator, Flags, Vec},
    error::{code::EFAULT, code::EINVAL, Error, Result},
    ffi::{c_char, c_void},
    str::CStr,
    transmute::{AsBytes, FromBytes},
};
use core::mem::{size_of, MaybeUninit};

/// A userspace address. Never dereferenced by Rust: only `copy_from_user`
/// and friends, which check it, use it. No `Debug`, so that addresses do not
/// leak into the log by accident.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct UserPtr(*mut c_void);

impl UserPtr {
    /// The userspace address `addr`.
    pub fn from_addr(addr: usize) -> Self {
        Self(addr as *mut c_void)
    }

    /// The userspace address `ptr` (a `__user` pointer of C).
    pub fn from_ptr(ptr: *mut c_void) -> Self {
        Self(ptr)
    }

    /// The address as an integer.
    pub fn addr(self) -> usize {
        self.0 as usize
    }

    /// The address as a `const` pointer, for C.
    pub fn as_const_ptr(self) -> *const c_void {
        self.0
    }

    /// The address as a `mut` pointer, for C.
    pub fn as_mut_ptr(self) -> *mut c_void {
        self.0
    }

    /// `add` bytes further, wrapping around (the result is checked when it
    /// is used, like any user address).
    ///
    /// ```
    /// use kernel::uaccess::UserPtr;
    /// let p = UserPtr::from_addr(0x1000);
    /// assert_eq!(p.wrapping_byte_add(0x10).addr(), 0x1010);
    /// assert_eq!(UserPtr::from_addr(usize::MAX).wrapping_byte_add(1).addr(), 0);
    /// ```
    pub fn wrapping_byte_add(self, add: usize) -> UserPtr {
        Self(self.0.wrapping_byte_add(add))
    }
}

/// Linux 6.12's `UserPtr` was a `usize`: an address converts, so code
/// written for either shape builds.
impl From<usize> for UserPtr {
    fn from(addr: usize) -> Self {
        Self::from_addr(addr)
    }
}

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
    ///
    /// `ptr` is a [`UserPtr`] (upstream's shape) or, as in Linux 6.12, a
    /// `usize` address.
    pub fn new(ptr: impl Into<UserPtr>, length: usize) -> Self {
        UserSlice {
            ptr: ptr.into(),
            length,
        }
    }

    /// Reads the whole slice, appending it to `buf`.
    pub fn read_all<A: Allocator>(self, buf: &mut Vec<u8, A>, flags: Flags) -> Result {
        self.reader().read_all(buf, flags)
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
        self.ptr = self.ptr.wrapping_byte_add(n);
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
                self.ptr.as_const_ptr(),
                len,
            )
        };
        if left != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_byte_add(len);
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
    pub fn read_all<A: Allocator>(mut self, buf: &mut Vec<u8, A>, flags: Flags) -> Result {
        let len = self.length;
        buf.reserve(len, flags)?;
        self.read_raw(&mut buf.spare_capacity_mut()[..len])?;
        // SAFETY: `read_raw` initialised the `len` bytes after the old
        // length, which `reserve` made room for.
        unsafe { buf.set_len(buf.len() + len) };
        Ok(())
    }

    /// A second reader over the same bytes (they may be read again, and
    /// may have changed in between: userspace can write them any time).
    pub fn clone_reader(&self) -> UserSliceReader {
        UserSliceReader {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// Reads a NUL-terminated string into `buf` (`strncpy_from_user`) and
    /// returns it. At most `buf.len()` bytes are read; a string that fills
    /// `buf` is cut short by a NUL in its last byte. `EINVAL` for an empty
    /// `buf`, `EFAULT` for a bad address or a string longer than the slice
    /// (when the slice is shorter than `buf`).
    ///
    /// ```
    /// use kernel::uaccess::UserSlice;
    /// let mut buf = [0u8; 8];
    /// // Kernel addresses are refused.
    /// let r = UserSlice::new(buf.as_ptr() as usize, 8).reader();
    /// assert_eq!(r.strcpy_into_buf(&mut [0u8; 4]).err(), Some(EFAULT));
    /// assert_eq!(UserSlice::new(0x1000, 8).reader().strcpy_into_buf(&mut []).err(), Some(EINVAL));
    /// # let _ = &mut buf;
    /// ```
    #[doc(alias = "strncpy_from_user")]
    pub fn strcpy_into_buf(self, buf: &mut [u8]) -> Result<&CStr> {
        if buf.is_empty() {
            return Err(EINVAL);
        }
        let max = buf.len().min(self.length);
        // `strncpy_from_user` takes a `long` count.
        let count = isize::try_from(max).map_err(|_| EINVAL)?;
        // SAFETY: `buf` is valid for `max <= buf.len()` bytes of writes; the
        // source is a user address, which `strncpy_from_user` checks.
        let ret = unsafe {
            bindings::strncpy_from_user(
                buf.as_mut_ptr().cast::<c_char>(),
                self.ptr.as_const_ptr().cast::<c_char>(),
                count as _,
            )
        };
        if ret < 0 {
            return Err(Error::from_errno(ret as i32));
        }
        // `ret` bytes were copied, without a NUL when `ret == max`.
        let len = ret as usize;
        let end = if len < max {
            // The NUL was copied too.
            len
        } else if max < buf.len() {
            // The slice ended before the string did.
            return Err(EFAULT);
        } else {
            // `buf` is full: cut the string short.
            buf.len() - 1
        };
        buf[end] = 0;
        CStr::from_bytes_with_nul(&buf[..=end]).map_err(|_| EINVAL)
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
            bindings::copy_to_user(self.ptr.as_mut_ptr(), data.as_ptr().cast::<c_void>(), len)
        };
        if left != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_byte_add(len);
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
