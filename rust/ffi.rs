// SPDX-License-Identifier: GPL-2.0

//! C types as the kernel defines them.
//!
//! The kernel's C ABI is not the host's: `char` is always unsigned (it is
//! built with `-funsigned-char`), and `long` matches the pointer width on
//! every architecture Linux supports. `bindings` are generated against these
//! names (`--ctypes-prefix ffi`).

#![no_std]
#![allow(non_camel_case_types)]

macro_rules! c_types {
    ($($(#[$attr:meta])* $name:ident = $ty:ty;)*) => {
        $($(#[$attr])* pub type $name = $ty;)*
    };
}

c_types! {
    /// C `char`: unsigned in the kernel.
    c_char = u8;
    /// C `signed char`.
    c_schar = i8;
    /// C `unsigned char`.
    c_uchar = u8;
    /// C `short`.
    c_short = i16;
    /// C `unsigned short`.
    c_ushort = u16;
    /// C `int`.
    c_int = i32;
    /// C `unsigned int`.
    c_uint = u32;
    /// C `long`: pointer-sized.
    c_long = isize;
    /// C `unsigned long`: pointer-sized.
    c_ulong = usize;
    /// C `long long`.
    c_longlong = i64;
    /// C `unsigned long long`.
    c_ulonglong = u64;
}

pub use core::ffi::c_void;
