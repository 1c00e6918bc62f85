// SPDX-License-Identifier: GPL-2.0

//! Kernel error codes and the conversions between Rust and C conventions.
//!
//! C functions report failure as a negative `errno` (`-EINVAL`), or as an
//! `ERR_PTR()`-encoded pointer. Rust code uses [`Result`] with [`Error`];
//! this module converts both ways.

use crate::{alloc::AllocError, bindings, ffi::c_int, str::CStr};
use core::{fmt, num::NonZeroI32};

/// The kernel's error codes, as [`Error`] constants.
pub mod code {
    macro_rules! errnos {
        ($($name:ident: $doc:literal,)*) => {
            $(
                #[doc = $doc]
                pub const $name: super::Error =
                    match super::Error::try_from_errno(-(crate::bindings::$name as i32)) {
                        Some(e) => e,
                        None => panic!("errno constant out of range"),
                    };
            )*
        };
    }

    errnos! {
        EPERM: "Operation not permitted.",
        ENOENT: "No such file or directory.",
        ESRCH: "No such process.",
        EINTR: "Interrupted system call.",
        EIO: "I/O error.",
        ENXIO: "No such device or address.",
        E2BIG: "Argument list too long.",
        ENOEXEC: "Exec format error.",
        EBADF: "Bad file number.",
        ECHILD: "No child processes.",
        EAGAIN: "Try again.",
        ENOMEM: "Out of memory.",
        EACCES: "Permission denied.",
        EFAULT: "Bad address.",
        ENOTBLK: "Block device required.",
        EBUSY: "Device or resource busy.",
        EEXIST: "File exists.",
        EXDEV: "Cross-device link.",
        ENODEV: "No such device.",
        ENOTDIR: "Not a directory.",
        EISDIR: "Is a directory.",
        EINVAL: "Invalid argument.",
        ENFILE: "File table overflow.",
        EMFILE: "Too many open files.",
        ENOTTY: "Not a typewriter (inappropriate ioctl).",
        ETXTBSY: "Text file busy.",
        EFBIG: "File too large.",
        ENOSPC: "No space left on device.",
        ESPIPE: "Illegal seek.",
        EROFS: "Read-only file system.",
        EMLINK: "Too many links.",
        EPIPE: "Broken pipe.",
        EDOM: "Math argument out of domain of func.",
        ERANGE: "Math result not representable.",
        EOVERFLOW: "Value too large for defined data type.",
        ETIMEDOUT: "Connection timed out.",
        ENOSYS: "Invalid system call number.",
        ENODATA: "No data available.",
        EOPNOTSUPP: "Operation not supported.",
        ECANCELED: "Operation canceled.",
        ERESTARTSYS: "Restart the system call.",
        ERESTARTNOINTR: "System call was interrupted by a signal and will be restarted.",
        ERESTARTNOHAND: "Restart if no handler.",
        ENOIOCTLCMD: "No ioctl command.",
        ERESTART_RESTARTBLOCK: "Restart by calling sys_restart_syscall.",
        EPROBE_DEFER: "Driver requests probe retry.",
        EOPENSTALE: "Open found a stale dentry.",
        ENOPARAM: "Parameter not supported.",
        EBADHANDLE: "Illegal NFS file handle.",
        ENOTSYNC: "Update synchronization mismatch.",
        EBADCOOKIE: "Cookie is stale.",
        ENOTSUPP: "Operation is not supported.",
        ETOOSMALL: "Buffer or request is too small.",
        ESERVERFAULT: "An untranslatable error occurred.",
        EBADTYPE: "Type not supported by server.",
        EJUKEBOX: "Request initiated, but will not complete before timeout.",
        EIOCBQUEUED: "iocb queued, will get completion event.",
        ERECALLCONFLICT: "Conflict with recalled state.",
        ENOGRACE: "NFS file lock reclaim refused.",
    }
}

/// A kernel error: a C `errno` in `1..=MAX_ERRNO`, held negated.
///
/// # Invariants
///
/// The value is in `-MAX_ERRNO..=-1`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(NonZeroI32);

impl Error {
    /// Makes an [`Error`] from a negative C errno such as `-EINVAL`.
    ///
    /// A value that is not a valid errno is a bug in the caller; it becomes
    /// `EINVAL` rather than being passed on.
    ///
    /// ```
    /// use kernel::error::Error;
    /// assert_eq!(Error::from_errno(-22), EINVAL);
    /// assert_eq!(Error::from_errno(5), EINVAL);
    /// assert_eq!(Error::from_errno(-12).to_errno(), -12);
    /// ```
    pub fn from_errno(errno: c_int) -> Error {
        match Self::try_from_errno(errno) {
            Some(e) => e,
            None => {
                crate::pr_warn!(
                    "attempted to create an Error from invalid errno {}\n",
                    errno
                );
                code::EINVAL
            }
        }
    }

    /// Like [`Error::from_errno`], but `None` for a value that is not a
    /// negative errno.
    ///
    /// ```
    /// use kernel::error::Error;
    /// assert_eq!(Error::try_from_errno(-1), Some(EPERM));
    /// assert_eq!(Error::try_from_errno(0), None);
    /// assert_eq!(Error::try_from_errno(-4096), None);
    /// ```
    pub const fn try_from_errno(errno: c_int) -> Option<Error> {
        if errno >= 0 || errno < -(bindings::MAX_ERRNO as c_int) {
            return None;
        }
        match NonZeroI32::new(errno) {
            // INVARIANT: checked just above to be in `-MAX_ERRNO..=-1`.
            Some(v) => Some(Error(v)),
            None => None,
        }
    }

    /// The negative errno, as C expects it.
    pub const fn to_errno(self) -> c_int {
        self.0.get()
    }

    /// The error as an `ERR_PTR()`, for C functions that return pointers.
    pub fn to_ptr<T>(self) -> *mut T {
        // SAFETY: `ERR_PTR` only encodes the value; any errno in range
        // (type invariant) is valid input.
        unsafe { bindings::ERR_PTR(self.to_errno() as _).cast() }
    }

    /// The symbolic name (`"EINVAL"`), when the kernel knows it.
    pub fn name(&self) -> Option<&'static CStr> {
        // SAFETY: `errname` takes any integer and returns null or a pointer
        // to a static, NUL-terminated string.
        let p = unsafe { bindings::errname(-self.to_errno()) };
        if p.is_null() {
            None
        } else {
            // SAFETY: non-null results of `errname` point to static,
            // NUL-terminated strings.
            Some(unsafe { CStr::from_char_ptr(p) })
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => match n.to_str() {
                Ok(s) => f.write_str(s),
                Err(_) => write!(f, "Error({})", self.to_errno()),
            },
            None => write!(f, "Error({})", self.to_errno()),
        }
    }
}

impl From<AllocError> for Error {
    fn from(_: AllocError) -> Error {
        code::ENOMEM
    }
}

impl From<core::num::TryFromIntError> for Error {
    fn from(_: core::num::TryFromIntError) -> Error {
        code::EINVAL
    }
}

impl From<core::str::Utf8Error> for Error {
    fn from(_: core::str::Utf8Error) -> Error {
        code::EINVAL
    }
}

impl From<core::fmt::Error> for Error {
    fn from(_: core::fmt::Error) -> Error {
        code::EINVAL
    }
}

impl From<core::alloc::LayoutError> for Error {
    fn from(_: core::alloc::LayoutError) -> Error {
        code::ENOMEM
    }
}

impl From<core::convert::Infallible> for Error {
    fn from(e: core::convert::Infallible) -> Error {
        match e {}
    }
}

/// The kernel's result type: `Ok(T)` or an [`Error`]. `Result` alone is
/// `Result<(), Error>`.
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

/// The message of the build error a `#[vtable]` trait's default method
/// body raises: C calls an operation only if the implementation defines
/// it, so a default body must never be reached (or even linked).
pub const VTABLE_DEFAULT_ERROR: &str =
    "this default method of a #[vtable] trait must not be called; implement the method";

/// Turns a C return code (negative errno on failure, zero or positive on
/// success) into a [`Result`].
///
/// ```
/// use kernel::error::to_result;
/// assert_eq!(to_result(0), Ok(()));
/// assert_eq!(to_result(3), Ok(()));
/// assert_eq!(to_result(-2), Err(ENOENT));
/// ```
pub fn to_result(err: c_int) -> Result {
    if err < 0 {
        Err(Error::from_errno(err))
    } else {
        Ok(())
    }
}

/// Turns a pointer returned by C (possibly an `ERR_PTR()`) into a
/// [`Result`].
///
/// ```
/// use kernel::error::from_err_ptr;
/// let e: *mut u8 = ENOMEM.to_ptr();
/// assert_eq!(from_err_ptr(e), Err(ENOMEM));
/// let mut x = 0u8;
/// assert!(from_err_ptr(&mut x as *mut u8).is_ok());
/// ```
pub fn from_err_ptr<T>(ptr: *mut T) -> Result<*mut T> {
    let p = ptr.cast::<ffi::c_void>().cast_const();
    // SAFETY: `IS_ERR` only inspects the pointer's value.
    if unsafe { bindings::IS_ERR(p) } {
        // SAFETY: `p` is an error pointer, so `PTR_ERR` yields its errno.
        let e = unsafe { bindings::PTR_ERR(p) };
        return Err(Error::from_errno(e as c_int));
    }
    Ok(ptr)
}

/// Runs `f` and turns its result into the value a C callback returns: the
/// success value, or the negative errno.
///
/// ```
/// use kernel::error::from_result;
/// assert_eq!(from_result(|| Ok(7)), 7);
/// assert_eq!(from_result::<i32, _>(|| Err(EBUSY)), -16);
/// ```
pub fn from_result<T, F>(f: F) -> T
where
    T: From<i16>,
    F: FnOnce() -> Result<T>,
{
    match f() {
        Ok(v) => v,
        // Errnos are at most `MAX_ERRNO` (4095), so they fit an `i16`.
        Err(e) => T::from(e.to_errno() as i16),
    }
}
