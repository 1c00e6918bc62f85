// SPDX-License-Identifier: GPL-2.0

//! Miscellaneous character devices (C's `struct miscdevice`).
//!
//! A driver implements [`MiscDevice`] and keeps a
//! [`MiscDeviceRegistration`] alive for as long as `/dev/<name>` should
//! exist. Each `open()` gets its own `Self::Ptr`, handed back to every
//! `ioctl()` on that file and to `release()`.
//!
//! The file operations do not pin the module (`owner` is null, as in the
//! first upstream version of this API): a module must not be unloaded while
//! one of its files is open.

use crate::{
    error::{code::ENOTTY, to_result, Error, Result},
    ffi::{c_int, c_long, c_uint, c_ulong},
    init::{pin_data, pinned_drop, PinInit},
    str::CStr,
    try_pin_init,
    types::{ForeignOwnable, Opaque},
};
use core::{marker::PhantomData, pin::Pin};

/// What to register.
#[derive(Clone, Copy)]
pub struct MiscDeviceOptions {
    /// The device's name, also its `/dev` node.
    pub name: &'static CStr,
}

impl MiscDeviceOptions {
    /// The C `struct miscdevice` for driver `T`.
    pub const fn into_raw<T: MiscDevice>(self) -> bindings::miscdevice {
        // SAFETY: an all-zero `miscdevice` is valid (empty list links, no
        // parent, no groups).
        let mut m: bindings::miscdevice = unsafe { core::mem::zeroed() };
        m.minor = bindings::MISC_DYNAMIC_MINOR as _;
        m.name = self.name.as_char_ptr();
        m.fops = VTable::<T>::build();
        m
    }
}

/// A registered misc device; deregistered when dropped.
///
/// # Invariants
///
/// `inner` is registered with `misc_register` for the registration's life.
#[pin_data(PinnedDrop)]
pub struct MiscDeviceRegistration<T> {
    #[pin]
    inner: Opaque<bindings::miscdevice>,
    _t: PhantomData<T>,
}

// SAFETY: the registration can be dropped from any thread; the misc core
// synchronises itself.
unsafe impl<T> Send for MiscDeviceRegistration<T> {}
// SAFETY: shared references only give the raw pointer.
unsafe impl<T> Sync for MiscDeviceRegistration<T> {}

impl<T: MiscDevice> MiscDeviceRegistration<T> {
    /// Registers the device.
    pub fn register(opts: MiscDeviceOptions) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            inner <- Opaque::try_ffi_init(move |slot: *mut bindings::miscdevice| {
                // SAFETY: `slot` is valid for writes and pinned.
                unsafe { slot.write(opts.into_raw::<T>()) };
                // SAFETY: `slot` is an initialised, pinned `miscdevice`
                // whose name and file operations are `'static`.
                // INVARIANT: registered on success.
                to_result(unsafe { bindings::misc_register(slot) })
            }),
            _t: PhantomData,
        })
    }

    /// The C `struct miscdevice`.
    pub fn as_raw(&self) -> *mut bindings::miscdevice {
        self.inner.get()
    }
}

#[pinned_drop]
impl<T> PinnedDrop for MiscDeviceRegistration<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: registered (type invariant), deregistered once.
        unsafe { bindings::misc_deregister(self.inner.get()) };
    }
}

/// A misc device driver.
#[macros::vtable]
pub trait MiscDevice: Sized {
    /// What each open file holds.
    type Ptr: ForeignOwnable + Send + Sync;

    /// Called on `open()`; the value lives until the file is released.
    fn open() -> Result<Self::Ptr>;

    /// Called when the last reference to the file goes.
    fn release(device: Self::Ptr) {
        drop(device);
    }

    /// Called on `ioctl()`; `arg` is usually a user pointer (see
    /// [`crate::uaccess::UserSlice`]). Unknown commands should fail with
    /// `ENOTTY`.
    fn ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        Err(ENOTTY)
    }
}

/// The `struct file_operations` of driver `T`.
struct VTable<T: MiscDevice>(PhantomData<T>);

impl<T: MiscDevice> VTable<T> {
    /// `open`: runs `T::open` and keeps its value in `private_data`.
    ///
    /// # Safety
    ///
    /// Called by the VFS with a valid, opening `file`.
    unsafe extern "C" fn open(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        let ptr = match T::open() {
            Ok(ptr) => ptr,
            Err(e) => return e.to_errno(),
        };
        // SAFETY: `file` is valid and ours to set up (caller guarantee).
        unsafe { (*file).private_data = ptr.into_foreign().cast_mut() };
        0
    }

    /// `release`: takes `private_data` back and runs `T::release`.
    ///
    /// # Safety
    ///
    /// Called by the VFS once per successful `open`, after every other call
    /// on the file.
    unsafe extern "C" fn release(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: `private_data` came from `into_foreign` in `open` and is
        // taken back once, here; no other call on the file is running.
        let ptr = unsafe { T::Ptr::from_foreign((*file).private_data) };
        T::release(ptr);
        0
    }

    /// `unlocked_ioctl` and `compat_ioctl`.
    ///
    /// # Safety
    ///
    /// Called by the VFS on an open file.
    unsafe extern "C" fn ioctl(file: *mut bindings::file, cmd: c_uint, arg: c_ulong) -> c_long {
        // SAFETY: `private_data` came from `into_foreign` in `open`, and the
        // file is open for the duration of the call, so `release` has not
        // taken it back.
        let device = unsafe { T::Ptr::borrow((*file).private_data) };
        match T::ioctl(device, cmd, arg) {
            Ok(ret) => ret as c_long,
            Err(e) => e.to_errno() as c_long,
        }
    }

    const VTABLE: bindings::file_operations = bindings::file_operations {
        open: Some(Self::open),
        release: Some(Self::release),
        unlocked_ioctl: if T::HAS_IOCTL {
            Some(Self::ioctl)
        } else {
            None
        },
        // On 64-bit kernels the argument is passed through unchanged.
        compat_ioctl: if T::HAS_IOCTL {
            Some(Self::ioctl)
        } else {
            None
        },
        // SAFETY: every other operation is optional.
        ..unsafe { core::mem::zeroed() }
    };

    const fn build() -> &'static bindings::file_operations {
        &Self::VTABLE
    }
}
