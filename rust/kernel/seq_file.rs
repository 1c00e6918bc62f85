// SPDX-License-Identifier: GPL-2.0

//! [`SeqFile`]: C's `struct seq_file`, the buffer `show_fdinfo` and the
//! `/proc` show callbacks print into.

use crate::types::{NotThreadSafe, Opaque};
use core::fmt;

/// A `struct seq_file` being filled by a show callback.
///
/// # Invariants
///
/// The `seq_file` is valid, and only this thread writes to it, while a
/// `&SeqFile` exists.
#[repr(transparent)]
pub struct SeqFile {
    inner: Opaque<bindings::seq_file>,
    _not_send: NotThreadSafe,
}

impl SeqFile {
    /// Views a C `struct seq_file`.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid, and written only by the current thread, for
    /// `'a`.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::seq_file) -> &'a SeqFile {
        // SAFETY: `repr(transparent)`; the caller guarantees validity.
        // INVARIANT: the caller's guarantees.
        unsafe { &*ptr.cast::<SeqFile>() }
    }

    /// Appends formatted text (`seq_printf`); see [`seq_print!`].
    pub fn call_printf(&self, args: fmt::Arguments<'_>) {
        // SAFETY: the seq_file is valid and ours to write (type invariant);
        // `%pA` consumes the one `fmt::Arguments`, which outlives the call.
        unsafe {
            bindings::seq_printf(
                self.inner.get(),
                c"%pA".as_ptr().cast(),
                core::ptr::from_ref(&args).cast::<crate::ffi::c_void>(),
            )
        };
    }
}

/// Writes formatted text to a [`SeqFile`]: `seq_print!(m, "x={}\n", x)`.
#[macro_export]
macro_rules! seq_print {
    ($m:expr, $($arg:tt)+) => {
        $m.call_printf(::core::format_args!($($arg)+))
    };
}
