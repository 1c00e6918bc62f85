// SPDX-License-Identifier: GPL-2.0

//! C strings and formatting into fixed buffers.
//!
//! [`CStr`] is a borrowed, NUL-terminated byte string, the form C APIs take
//! (`c_str!("name")` builds one at compile time). [`CString`] owns one,
//! allocated with `kmalloc`. [`RawFormatter`] and [`Formatter`] write
//! `core::fmt` output into a caller's buffer.

use crate::{
    alloc::KVec,
    error::{code::*, Error, Result},
    ffi::c_char,
};
use core::fmt::{self, Write};
use core::ops::Deref;

/// A byte string: bytes that are usually, but need not be, text. Displayed
/// with non-printable bytes escaped (`\n`, `\xNN`), so it can be logged
/// safely.
///
/// ```
/// use kernel::{b_str, str::BStr};
/// let s: &BStr = b_str!("a\tb");
/// assert_eq!(s.len(), 3);
/// assert_eq!(&s[..1], b"a");
/// let line = CString::try_from_fmt(fmt!("{}", BStr::from_bytes(b"ok\x01\n")))?;
/// assert_eq!(line.as_bytes(), b"ok\\x01\\n");
/// assert_eq!(BStr::from_bytes(b"x"), b_str!("x"));
/// # Ok::<(), Error>(())
/// ```
#[repr(transparent)]
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub struct BStr([u8]);

impl BStr {
    /// Views `bytes` as a byte string.
    pub const fn from_bytes(bytes: &[u8]) -> &Self {
        // SAFETY: `BStr` is `repr(transparent)` over `[u8]`.
        unsafe { &*(core::ptr::from_ref(bytes) as *const BStr) }
    }

    /// The number of bytes.
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Deref for BStr {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<BStr> for [u8] {
    fn as_ref(&self) -> &BStr {
        BStr::from_bytes(self)
    }
}

impl AsRef<BStr> for BStr {
    fn as_ref(&self) -> &BStr {
        self
    }
}

impl<I: core::slice::SliceIndex<[u8]>> core::ops::Index<I> for BStr {
    type Output = I::Output;

    fn index(&self, i: I) -> &I::Output {
        &self.0[i]
    }
}

impl PartialEq<[u8]> for BStr {
    fn eq(&self, other: &[u8]) -> bool {
        self.0 == *other
    }
}

/// Writes `bytes`, escaping what is not printable ASCII.
fn write_escaped(f: &mut fmt::Formatter<'_>, bytes: &[u8], quote: Option<u8>) -> fmt::Result {
    for &b in bytes {
        match b {
            b'\t' => f.write_str("\\t")?,
            b'\n' => f.write_str("\\n")?,
            b'\r' => f.write_str("\\r")?,
            b'\\' if quote.is_some() => f.write_str("\\\\")?,
            _ if Some(b) == quote => write!(f, "\\{}", b as char)?,
            0x20..=0x7e => f.write_char(b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    Ok(())
}

impl fmt::Display for BStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.0, None)
    }
}

impl fmt::Debug for BStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        write_escaped(f, &self.0, Some(b'"'))?;
        f.write_char('"')
    }
}

/// A [`BStr`] literal: `b_str!("bytes")`.
#[macro_export]
macro_rules! b_str {
    ($s:literal) => {{
        const S: &$crate::str::BStr = $crate::str::BStr::from_bytes($s.as_bytes());
        S
    }};
}

/// Why bytes could not be viewed as a [`CStr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CStrConvertError {
    /// No NUL byte at the end.
    NotNulTerminated,
    /// A NUL byte before the end.
    InteriorNul,
}

impl From<CStrConvertError> for Error {
    fn from(_: CStrConvertError) -> Error {
        EINVAL
    }
}

/// A borrowed C string: bytes ending in the only NUL.
///
/// # Invariants
///
/// The slice ends with a NUL byte and holds no other.
#[repr(transparent)]
pub struct CStr([u8]);

impl CStr {
    /// Views `bytes`, which must end in their only NUL, as a [`CStr`].
    ///
    /// ```
    /// use kernel::str::{CStr, CStrConvertError};
    /// assert_eq!(CStr::from_bytes_with_nul(b"abc\0").map(|s| s.len()), Ok(3));
    /// assert_eq!(CStr::from_bytes_with_nul(b"abc").err(), Some(CStrConvertError::NotNulTerminated));
    /// assert_eq!(CStr::from_bytes_with_nul(b"a\0c\0").err(), Some(CStrConvertError::InteriorNul));
    /// ```
    pub const fn from_bytes_with_nul(bytes: &[u8]) -> Result<&Self, CStrConvertError> {
        if bytes.is_empty() || bytes[bytes.len() - 1] != 0 {
            return Err(CStrConvertError::NotNulTerminated);
        }
        let mut i = 0;
        while i + 1 < bytes.len() {
            if bytes[i] == 0 {
                return Err(CStrConvertError::InteriorNul);
            }
            i += 1;
        }
        // SAFETY: checked just above: one NUL, at the end.
        Ok(unsafe { Self::from_bytes_with_nul_unchecked(bytes) })
    }

    /// Views `bytes` as a [`CStr`] without checking.
    ///
    /// # Safety
    ///
    /// `bytes` must end with a NUL byte and contain no other.
    pub const unsafe fn from_bytes_with_nul_unchecked(bytes: &[u8]) -> &Self {
        // SAFETY: `CStr` is a `repr(transparent)` wrapper of `[u8]`, so the
        // pointer cast keeps layout and metadata. INVARIANT: the caller
        // guarantees the single trailing NUL.
        unsafe { &*(core::ptr::from_ref(bytes) as *const CStr) }
    }

    /// Views a NUL-terminated string owned by C as a [`CStr`].
    ///
    /// # Safety
    ///
    /// `ptr` must point to a NUL-terminated string that stays valid and
    /// unmodified for `'a`.
    pub unsafe fn from_char_ptr<'a>(ptr: *const c_char) -> &'a Self {
        // SAFETY: the caller guarantees a NUL-terminated string.
        let len = unsafe { bindings::strlen(ptr) } + 1;
        // SAFETY: the `len` bytes up to and including the NUL are readable
        // for `'a` (caller guarantee).
        let bytes = unsafe { core::slice::from_raw_parts(ptr.cast::<u8>(), len) };
        // SAFETY: `strlen` found the first NUL at `len - 1`.
        unsafe { Self::from_bytes_with_nul_unchecked(bytes) }
    }

    /// A pointer C can take as `const char *`.
    pub const fn as_char_ptr(&self) -> *const c_char {
        self.0.as_ptr()
    }

    /// The bytes, without the NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0[..self.len()]
    }

    /// The bytes, with the NUL.
    pub const fn as_bytes_with_nul(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes, without the NUL.
    pub const fn len(&self) -> usize {
        self.0.len() - 1
    }

    /// Whether the string is empty (only the NUL).
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The string as `&str`, if it is UTF-8.
    ///
    /// ```
    /// assert_eq!(kernel::c_str!("hi").to_str(), Ok("hi"));
    /// ```
    pub fn to_str(&self) -> core::result::Result<&str, core::str::Utf8Error> {
        core::str::from_utf8(self.as_bytes())
    }

    /// An owned copy.
    pub fn to_cstring(&self) -> Result<CString> {
        Ok(CString::try_from(self)?)
    }
}

/// A C string literal (`c"..."`, a `core::ffi::CStr`) converts to the
/// kernel's [`CStr`] without copying.
///
/// ```
/// use kernel::str::CStr;
/// let s: &CStr = c"misc".into();
/// assert_eq!(s.as_bytes_with_nul(), b"misc\0");
/// let t: &CStr = c"misc".as_ref();
/// assert_eq!(s, t);
/// ```
impl<'a> From<&'a core::ffi::CStr> for &'a CStr {
    fn from(s: &'a core::ffi::CStr) -> Self {
        // SAFETY: a `core::ffi::CStr` ends in its only NUL byte.
        unsafe { CStr::from_bytes_with_nul_unchecked(s.to_bytes_with_nul()) }
    }
}

impl AsRef<CStr> for core::ffi::CStr {
    fn as_ref(&self) -> &CStr {
        self.into()
    }
}

impl AsRef<CStr> for CStr {
    fn as_ref(&self) -> &CStr {
        self
    }
}

/// A suffix of a C string is a C string.
///
/// ```
/// let s = c_str!("kernel");
/// assert_eq!(s[3..].as_bytes(), b"nel");
/// assert_eq!(s[..].as_bytes(), b"kernel");
/// ```
impl core::ops::Index<core::ops::RangeFrom<usize>> for CStr {
    type Output = CStr;

    fn index(&self, r: core::ops::RangeFrom<usize>) -> &CStr {
        // Past the end is a bug, as for slices; the NUL itself may start
        // the (empty) suffix.
        let bytes = &self.0[r.start..];
        // SAFETY: a suffix of bytes ending in the only NUL ends in it too.
        unsafe { CStr::from_bytes_with_nul_unchecked(bytes) }
    }
}

impl core::ops::Index<core::ops::RangeFull> for CStr {
    type Output = CStr;

    fn index(&self, _: core::ops::RangeFull) -> &CStr {
        self
    }
}

impl PartialEq for CStr {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for CStr {}

impl AsRef<[u8]> for CStr {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Prints the string, escaping bytes that are not printable ASCII as
/// `\xNN`.
///
/// ```
/// # use kernel::str::CString;
/// let s = CString::try_from_fmt(fmt!("{}", kernel::c_str!("a\tb")))?;
/// assert_eq!(s.as_bytes(), b"a\\x09b");
/// # Ok::<(), Error>(())
/// ```
impl fmt::Display for CStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.as_bytes() {
            if (0x20..0x7f).contains(&b) {
                f.write_char(b as char)?;
            } else {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for CStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for &b in self.as_bytes() {
            match b {
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                0x20..=0x7e => f.write_char(b as char)?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        f.write_char('"')
    }
}

/// A [`CStr`] literal, checked at compile time.
///
/// ```
/// use kernel::str::CStr;
/// const NAME: &CStr = kernel::c_str!("rust");
/// assert_eq!(NAME.as_bytes_with_nul(), b"rust\0");
/// ```
#[macro_export]
macro_rules! c_str {
    ($s:expr) => {{
        const S: &$crate::str::CStr =
            match $crate::str::CStr::from_bytes_with_nul(::core::concat!($s, "\0").as_bytes()) {
                Ok(v) => v,
                Err(_) => ::core::panic!("c_str!() literal must not contain a NUL"),
            };
        S
    }};
}

/// An owned C string in `kmalloc` memory.
///
/// # Invariants
///
/// `buf` ends with a NUL byte and holds no other.
pub struct CString {
    buf: KVec<u8>,
}

impl CString {
    /// Formats into a new string.
    ///
    /// ```
    /// use kernel::str::CString;
    /// let s = CString::try_from_fmt(fmt!("{}-{}", "dev", 3))?;
    /// assert_eq!(s.to_str(), Ok("dev-3"));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn try_from_fmt(args: fmt::Arguments<'_>) -> Result<Self> {
        // Measure, allocate, then write: no reallocation while formatting.
        let mut counter = RawFormatter::counter();
        fmt::write(&mut counter, args)?;
        let size = counter.bytes_written() + 1;
        let mut buf = KVec::with_capacity(size, crate::alloc::flags::GFP_KERNEL)?;
        let mut w = Formatter::for_spare(&mut buf);
        fmt::write(&mut w, args)?;
        let written = w.bytes_written();
        // SAFETY: the formatter initialised `written` bytes of the spare
        // capacity, and `written < size <= capacity` since the same
        // arguments measured `size - 1` bytes.
        unsafe { buf.set_len(written) };
        if buf.contains(&0) {
            return Err(EINVAL);
        }
        buf.push(0, crate::alloc::flags::GFP_KERNEL)?;
        // INVARIANT: no NUL was written by the formatter (checked) and one
        // was appended.
        Ok(Self { buf })
    }
}

impl Deref for CString {
    type Target = CStr;

    fn deref(&self) -> &CStr {
        // SAFETY: type invariant: a single trailing NUL.
        unsafe { CStr::from_bytes_with_nul_unchecked(&self.buf) }
    }
}

impl TryFrom<&CStr> for CString {
    type Error = crate::alloc::AllocError;

    fn try_from(s: &CStr) -> core::result::Result<Self, Self::Error> {
        let mut buf = KVec::new();
        buf.extend_from_slice(s.as_bytes_with_nul(), crate::alloc::flags::GFP_KERNEL)?;
        // INVARIANT: copied from a `CStr`, which has a single trailing NUL.
        Ok(Self { buf })
    }
}

impl fmt::Display for CString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl fmt::Debug for CString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Writes formatted output into a raw buffer, truncating what does not fit
/// but counting it, as `vsnprintf` does.
///
/// # Invariants
///
/// Every byte in `beg..end` is writable for the formatter's lifetime (when
/// `end > beg`); `pos` only grows.
pub struct RawFormatter {
    beg: usize,
    pos: usize,
    end: usize,
}

impl RawFormatter {
    /// A formatter that writes nothing and only counts.
    pub fn counter() -> Self {
        // INVARIANT: an empty range has no bytes to be writable.
        Self {
            beg: 0,
            pos: 0,
            end: 0,
        }
    }

    /// A formatter over the bytes from `pos` up to `end`.
    ///
    /// # Safety
    ///
    /// If `pos < end`, the bytes `pos..end` must be writable for the
    /// formatter's lifetime.
    pub unsafe fn from_ptrs(pos: *mut u8, end: *mut u8) -> Self {
        // INVARIANT: the caller guarantees `pos..end` is writable.
        Self {
            beg: pos as usize,
            pos: pos as usize,
            end: end as usize,
        }
    }

    /// A formatter over `len` bytes at `buf`.
    ///
    /// # Safety
    ///
    /// `buf..buf + len` must be writable for the formatter's lifetime.
    pub unsafe fn from_buffer(buf: *mut u8, len: usize) -> Self {
        // SAFETY: the caller guarantees the range is writable.
        unsafe { Self::from_ptrs(buf, buf.wrapping_add(len)) }
    }

    /// Where the next byte would go (may be past the end).
    pub fn pos(&self) -> *mut u8 {
        self.pos as *mut u8
    }

    /// How many bytes were formatted, including those that did not fit.
    pub fn bytes_written(&self) -> usize {
        self.pos - self.beg
    }
}

impl fmt::Write for RawFormatter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.end.saturating_sub(self.pos);
        let n = s.len().min(room);
        if n > 0 {
            // SAFETY: `pos..pos + n` lies in `beg..end`, writable by the
            // type invariant; the source is a distinct `&str`.
            unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), self.pos as *mut u8, n) };
        }
        self.pos = self.pos.wrapping_add(s.len());
        Ok(())
    }
}

/// Writes formatted output into a buffer, failing (instead of truncating)
/// when it does not fit.
pub struct Formatter(RawFormatter);

impl Formatter {
    /// A formatter over `len` bytes at `buf`.
    ///
    /// # Safety
    ///
    /// `buf..buf + len` must be writable for the formatter's lifetime.
    pub unsafe fn from_buffer(buf: *mut u8, len: usize) -> Self {
        // SAFETY: forwarded caller guarantee.
        Self(unsafe { RawFormatter::from_buffer(buf, len) })
    }

    /// A formatter over the spare capacity of `v`.
    fn for_spare(v: &mut KVec<u8>) -> Self {
        let spare = v.spare_capacity_mut();
        // SAFETY: the spare capacity is owned by `v`, writable, and `v` is
        // borrowed mutably by the caller for as long as it uses the
        // formatter (it does not touch `v` until done).
        unsafe { Self::from_buffer(spare.as_mut_ptr().cast(), spare.len()) }
    }

    /// How many bytes were written.
    pub fn bytes_written(&self) -> usize {
        self.0.bytes_written()
    }
}

impl fmt::Write for Formatter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.len() > self.0.end.saturating_sub(self.0.pos) {
            return Err(fmt::Error);
        }
        self.0.write_str(s)
    }
}
