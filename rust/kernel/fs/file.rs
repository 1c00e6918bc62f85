// SPDX-License-Identifier: GPL-2.0

//! [`File`]: an open file (C's `struct file`).

use crate::{
    error::{code::EBADF, Error},
    sync::aref::{ARef, AlwaysRefCounted},
    types::Opaque,
};
use core::ptr::NonNull;

/// A file position (C's `loff_t`).
pub type Offset = bindings::loff_t;

/// The flags a file was opened with (`O_*`), as [`LocalFile::flags`]
/// returns them.
pub mod flags {
    /// File is opened in append mode.
    pub const O_APPEND: u32 = bindings::O_APPEND;
    /// Signal-driven I/O is enabled.
    pub const O_ASYNC: u32 = bindings::FASYNC;
    /// Close-on-exec.
    pub const O_CLOEXEC: u32 = bindings::O_CLOEXEC;
    /// File was created if it did not exist.
    pub const O_CREAT: u32 = bindings::O_CREAT;
    /// Direct I/O, bypassing the page cache.
    pub const O_DIRECT: u32 = bindings::O_DIRECT;
    /// The file must be a directory.
    pub const O_DIRECTORY: u32 = bindings::O_DIRECTORY;
    /// Writes are synchronised for data.
    pub const O_DSYNC: u32 = bindings::O_DSYNC;
    /// Creation fails if the file exists.
    pub const O_EXCL: u32 = bindings::O_EXCL;
    /// Large-file offsets are allowed.
    pub const O_LARGEFILE: u32 = bindings::O_LARGEFILE;
    /// The access time is not updated.
    pub const O_NOATIME: u32 = bindings::O_NOATIME;
    /// A terminal does not become the controlling one.
    pub const O_NOCTTY: u32 = bindings::O_NOCTTY;
    /// A final symbolic link is not followed.
    pub const O_NOFOLLOW: u32 = bindings::O_NOFOLLOW;
    /// Non-blocking I/O.
    pub const O_NONBLOCK: u32 = bindings::O_NONBLOCK;
    /// Same as `O_NONBLOCK`.
    pub const O_NDELAY: u32 = bindings::O_NDELAY;
    /// An `O_PATH` file descriptor.
    pub const O_PATH: u32 = bindings::O_PATH;
    /// Writes are synchronised for data and metadata.
    pub const O_SYNC: u32 = bindings::O_SYNC;
    /// An unnamed temporary file.
    pub const O_TMPFILE: u32 = bindings::O_TMPFILE;
    /// The file was truncated on open.
    pub const O_TRUNC: u32 = bindings::O_TRUNC;
    /// Mask of the access mode.
    pub const O_ACCMODE: u32 = bindings::O_ACCMODE;
    /// Read only.
    pub const O_RDONLY: u32 = bindings::O_RDONLY;
    /// Write only.
    pub const O_WRONLY: u32 = bindings::O_WRONLY;
    /// Read and write.
    pub const O_RDWR: u32 = bindings::O_RDWR;
}

/// An open file whose position lock (`f_pos_lock`) is not held by an
/// `fdget_pos` of the current thread, so it may be shared between threads:
/// what file operations receive.
///
/// # Invariants
///
/// The `struct file` is valid, with a positive reference count, for as long
/// as the `&File` exists (or, for `ARef<File>`, it is one of those
/// references).
#[repr(transparent)]
pub struct File {
    inner: Opaque<bindings::file>,
}

// SAFETY: the file's fields that `File` reads are set at open time or read
// with `READ_ONCE`; its reference count is atomic.
unsafe impl Send for File {}
// SAFETY: as above.
unsafe impl Sync for File {}

impl File {
    /// Views a C `struct file` as a [`File`].
    ///
    /// # Safety
    ///
    /// `ptr` must point to a file that stays valid, with a positive
    /// reference count, for `'a`, and whose `f_pos_lock` no `fdget_pos` of
    /// another thread relies on.
    pub unsafe fn from_raw_file<'a>(ptr: *const bindings::file) -> &'a File {
        // SAFETY: `File` is `repr(transparent)` over the C type; validity
        // for `'a` is the caller's guarantee. INVARIANT: as documented.
        unsafe { &*ptr.cast() }
    }
}

impl core::ops::Deref for File {
    type Target = LocalFile;

    fn deref(&self) -> &LocalFile {
        // SAFETY: same layout, and `LocalFile` asks less of the file.
        unsafe { LocalFile::from_raw_file(self.inner.get()) }
    }
}

// SAFETY: `get_file` and `fput` keep the file alive while a count is held.
unsafe impl AlwaysRefCounted for File {
    fn inc_ref(&self) {
        // SAFETY: the file is valid with a positive count (type invariant).
        unsafe { bindings::get_file(self.as_ptr()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up one reference.
        unsafe { bindings::fput(obj.cast().as_ptr()) }
    }
}

/// An open file that may have its position lock held by the current
/// thread, so it must stay on this thread (`!Send`, `!Sync`).
///
/// # Invariants
///
/// As for [`File`].
#[repr(transparent)]
pub struct LocalFile {
    inner: Opaque<bindings::file>,
    _not_send: crate::types::NotThreadSafe,
}

/// `fget` found no file for the descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadFdError;

impl From<BadFdError> for Error {
    fn from(_: BadFdError) -> Error {
        EBADF
    }
}

impl LocalFile {
    /// Takes a reference to the file open as `fd` in the current process.
    pub fn fget(fd: u32) -> Result<ARef<LocalFile>, BadFdError> {
        // SAFETY: `fget` takes any descriptor number and returns a new
        // reference or null.
        let ptr = NonNull::new(unsafe { bindings::fget(fd) }).ok_or(BadFdError)?;
        // SAFETY: `fget` gave us one reference, which the `ARef` takes over.
        Ok(unsafe { ARef::from_raw(ptr.cast()) })
    }

    /// Views a C `struct file` as a [`LocalFile`].
    ///
    /// # Safety
    ///
    /// `ptr` must point to a file that stays valid, with a positive
    /// reference count, for `'a`.
    pub unsafe fn from_raw_file<'a>(ptr: *const bindings::file) -> &'a LocalFile {
        // SAFETY: same layout; validity is the caller's guarantee.
        unsafe { &*ptr.cast() }
    }

    /// The C `struct file`.
    pub fn as_ptr(&self) -> *mut bindings::file {
        self.inner.get()
    }

    /// The flags the file was opened with (see [`flags`]); `fcntl` may
    /// change some of them at any time, so they are read once.
    pub fn flags(&self) -> u32 {
        // SAFETY: the file is valid (type invariant); `f_flags` may change
        // concurrently (`fcntl(F_SETFL)`), so it is read with `READ_ONCE`.
        unsafe {
            crate::sync::atomic::atomic_load(
                core::ptr::addr_of!((*self.as_ptr()).f_flags),
                crate::sync::atomic::Relaxed,
            )
        }
    }
}

// SAFETY: as for `File`.
unsafe impl AlwaysRefCounted for LocalFile {
    fn inc_ref(&self) {
        // SAFETY: the file is valid with a positive count (type invariant).
        unsafe { bindings::get_file(self.as_ptr()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up one reference.
        unsafe { bindings::fput(obj.cast().as_ptr()) }
    }
}
