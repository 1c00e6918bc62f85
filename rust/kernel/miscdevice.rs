// SPDX-License-Identifier: GPL-2.0

//! Miscellaneous character devices (C's `struct miscdevice`).
//!
//! A driver implements [`MiscDevice`] and keeps a
//! [`MiscDeviceRegistration`] alive for as long as `/dev/<name>` should
//! exist. Each `open()` gets its own `Self::Ptr`, handed back to every
//! other operation on that file and to `release()`.
//!
//! The operations a misc device may implement (each is optional but
//! `open`; those left out are NULL in the C `file_operations`):
//!
//! | method | system call | C `file_operations` |
//! |---|---|---|
//! | [`MiscDevice::open`] | `open` | `open` |
//! | [`MiscDevice::release`] | last `close` | `release` |
//! | [`MiscDevice::read_iter`] | `read`, `readv` | `read_iter` |
//! | [`MiscDevice::write_iter`] | `write`, `writev` | `write_iter` |
//! | [`MiscDevice::ioctl`] | `ioctl` | `unlocked_ioctl` |
//! | [`MiscDevice::compat_ioctl`] | 32-bit `ioctl` | `compat_ioctl` |
//! | [`MiscDevice::mmap`] | `mmap` | `mmap` |
//! | [`MiscDevice::show_fdinfo`] | `/proc/<pid>/fdinfo/<fd>` | `show_fdinfo` |
//!
//! State per open file lives in `Self::Ptr`; state shared by all opens
//! belongs to the device (reach it through the registration that `open`
//! receives, or through statics, see `Documentation/rust/misc-device.rst`).
//!
//! # Module lifetime
//!
//! The `file_operations` name the implementing module as their `owner`
//! (`#[vtable]` records it), so an open file keeps the module loaded:
//! `rmmod` fails with `EBUSY` until the file is closed.

use crate::{
    device::Device,
    error::{to_result, Error, Result, VTABLE_DEFAULT_ERROR},
    ffi::{c_int, c_long, c_uint, c_ulong},
    fs::{File, Kiocb},
    init::{pin_data, pinned_drop, PinInit},
    iov::{IovIterDest, IovIterSource},
    mm::virt::VmaNew,
    seq_file::SeqFile,
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
#[repr(transparent)]
#[pin_data(PinnedDrop)]
pub struct MiscDeviceRegistration<T> {
    #[pin]
    inner: Opaque<bindings::miscdevice>,
    _t: PhantomData<T>,
}

// SAFETY: the registration can be dropped from any thread; the misc core
// synchronises itself.
unsafe impl<T> Send for MiscDeviceRegistration<T> {}
// SAFETY: shared references only reach the device and the raw pointer.
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

    /// The device behind `/dev/<name>`, for `dev_info!` and friends.
    pub fn device(&self) -> &Device {
        // SAFETY: `misc_register` succeeded (type invariant), so
        // `this_device` is a valid device, referenced until
        // `misc_deregister`, which only runs when `self` is dropped.
        unsafe { Device::from_raw((*self.as_raw()).this_device) }
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
    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr>;

    /// Called when the last reference to the file goes.
    fn release(device: Self::Ptr, _file: &File) {
        drop(device);
    }

    /// Called on `mmap()`.
    fn mmap(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _vma: &VmaNew,
    ) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Called on `read()`: copies into `_iov`, moving the position of
    /// `_kiocb` on; returns the bytes read.
    fn read_iter(_kiocb: Kiocb<'_, Self::Ptr>, _iov: &mut IovIterDest<'_>) -> Result<usize> {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Called on `write()`: copies from `_iov`; returns the bytes taken.
    fn write_iter(_kiocb: Kiocb<'_, Self::Ptr>, _iov: &mut IovIterSource<'_>) -> Result<usize> {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Called on `ioctl()`; `arg` is usually a user pointer (see
    /// [`crate::uaccess::UserSlice`]). Unknown commands should fail with
    /// `ENOTTY`.
    fn ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Called on `ioctl()` from a 32-bit process on a 64-bit kernel. Left
    /// out, [`MiscDevice::ioctl`] serves them (through `compat_ptr_ioctl`).
    fn compat_ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Prints extra lines into `/proc/<pid>/fdinfo/<fd>`.
    fn show_fdinfo(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _m: &SeqFile,
        _file: &File,
    ) {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// An ioctl operation of [`MiscDevice`] (`ioctl` or `compat_ioctl`).
type IoctlOp<T> = for<'a> fn(
    <<T as MiscDevice>::Ptr as ForeignOwnable>::Borrowed<'a>,
    &'a File,
    u32,
    usize,
) -> Result<isize>;

/// The `struct file_operations` of driver `T`.
struct VTable<T: MiscDevice>(PhantomData<T>);

impl<T: MiscDevice> VTable<T> {
    /// `open`: runs `T::open` and keeps its value in `private_data`.
    ///
    /// # Safety
    ///
    /// Called by the VFS through `misc_open`, with a valid, opening `file`
    /// whose `private_data` is the registered `struct miscdevice`.
    unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: `inode` and `file` are valid (caller guarantee).
        let ret = unsafe { bindings::generic_file_open(inode, file) };
        if ret != 0 {
            return ret;
        }
        // SAFETY: `misc_open` set `private_data` to the `miscdevice`, which
        // is the `inner` of a `MiscDeviceRegistration<T>` (this table is
        // only ever installed by `register::<T>`), and holds `misc_mtx`
        // for the call, so the registration cannot go away meanwhile.
        let misc = unsafe { &*(*file).private_data.cast::<MiscDeviceRegistration<T>>() };
        // SAFETY: `file` is valid for the call, and its position lock is
        // not held.
        let ptr = match T::open(unsafe { File::from_raw_file(file) }, misc) {
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
        // SAFETY: `file` is valid for the call.
        T::release(ptr, unsafe { File::from_raw_file(file) });
        0
    }

    /// The driver's data of an open `file`.
    ///
    /// # Safety
    ///
    /// `file` must be a file opened by [`Self::open`], not yet released,
    /// for `'a`.
    unsafe fn data<'a>(file: *mut bindings::file) -> <T::Ptr as ForeignOwnable>::Borrowed<'a> {
        // SAFETY: `private_data` came from `into_foreign` in `open`, and the
        // file stays open for `'a` (caller guarantee), so `release` has not
        // taken it back.
        unsafe { T::Ptr::borrow((*file).private_data) }
    }

    /// `unlocked_ioctl` and (through `op`) `compat_ioctl`: runs `op` on the
    /// file's data.
    ///
    /// # Safety
    ///
    /// Called by the VFS on an open file.
    unsafe fn ioctl_with(
        file: *mut bindings::file,
        cmd: c_uint,
        arg: c_ulong,
        op: IoctlOp<T>,
    ) -> c_long {
        // SAFETY: the file is open for the call (caller guarantee).
        let (device, f) = unsafe { (Self::data(file), File::from_raw_file(file)) };
        match op(device, f, cmd, arg) {
            Ok(ret) => ret as c_long,
            Err(e) => e.to_errno() as c_long,
        }
    }

    /// `unlocked_ioctl`.
    ///
    /// # Safety
    ///
    /// Called by the VFS on an open file.
    unsafe extern "C" fn ioctl(file: *mut bindings::file, cmd: c_uint, arg: c_ulong) -> c_long {
        // SAFETY: the caller's guarantee.
        unsafe { Self::ioctl_with(file, cmd, arg, T::ioctl) }
    }

    /// `compat_ioctl`.
    ///
    /// # Safety
    ///
    /// Called by the VFS on an open file.
    unsafe extern "C" fn compat_ioctl(
        file: *mut bindings::file,
        cmd: c_uint,
        arg: c_ulong,
    ) -> c_long {
        // SAFETY: the caller's guarantee.
        unsafe { Self::ioctl_with(file, cmd, arg, T::compat_ioctl) }
    }

    /// `read_iter`.
    ///
    /// # Safety
    ///
    /// Called by the VFS with a valid `kiocb` of an open file of ours and a
    /// valid destination `iter`.
    unsafe extern "C" fn read_iter(
        kiocb: *mut bindings::kiocb,
        iter: *mut bindings::iov_iter,
    ) -> isize {
        // SAFETY: the kiocb is valid for the call and its file is ours, so
        // `private_data` holds a `T::Ptr` (caller guarantee).
        let kiocb = unsafe { Kiocb::from_raw(kiocb) };
        // SAFETY: a `read_iter` iterator is a valid destination for the call.
        let iov = unsafe { IovIterDest::from_raw(iter) };
        match T::read_iter(kiocb, iov) {
            Ok(n) => n as isize,
            Err(e) => e.to_errno() as isize,
        }
    }

    /// `write_iter`.
    ///
    /// # Safety
    ///
    /// Called by the VFS with a valid `kiocb` of an open file of ours and a
    /// valid source `iter`.
    unsafe extern "C" fn write_iter(
        kiocb: *mut bindings::kiocb,
        iter: *mut bindings::iov_iter,
    ) -> isize {
        // SAFETY: as for `read_iter`.
        let kiocb = unsafe { Kiocb::from_raw(kiocb) };
        // SAFETY: a `write_iter` iterator is a valid source for the call.
        let iov = unsafe { IovIterSource::from_raw(iter) };
        match T::write_iter(kiocb, iov) {
            Ok(n) => n as isize,
            Err(e) => e.to_errno() as isize,
        }
    }

    /// `mmap`.
    ///
    /// # Safety
    ///
    /// Called by the VFS on an open file with the area being set up.
    unsafe extern "C" fn mmap(
        file: *mut bindings::file,
        vma: *mut bindings::vm_area_struct,
    ) -> c_int {
        // SAFETY: the file is open for the call (caller guarantee).
        let (device, f) = unsafe { (Self::data(file), File::from_raw_file(file)) };
        // SAFETY: `vma` is the area of this `mmap` call.
        let area = unsafe { VmaNew::from_raw(vma) };
        match T::mmap(device, f, area) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// `show_fdinfo`.
    ///
    /// # Safety
    ///
    /// Called by procfs on an open file with the `seq_file` being filled.
    unsafe extern "C" fn show_fdinfo(m: *mut bindings::seq_file, file: *mut bindings::file) {
        // SAFETY: the file is open for the call (caller guarantee).
        let (device, f) = unsafe { (Self::data(file), File::from_raw_file(file)) };
        // SAFETY: `m` is valid and ours to write for the call.
        T::show_fdinfo(device, unsafe { SeqFile::from_raw(m) }, f);
    }

    const VTABLE: bindings::file_operations = bindings::file_operations {
        // An open file pins the module holding `T`'s code.
        owner: T::VTABLE_OWNER.as_ptr(),
        open: Some(Self::open),
        release: Some(Self::release),
        read_iter: if T::HAS_READ_ITER {
            Some(Self::read_iter)
        } else {
            None
        },
        write_iter: if T::HAS_WRITE_ITER {
            Some(Self::write_iter)
        } else {
            None
        },
        unlocked_ioctl: if T::HAS_IOCTL {
            Some(Self::ioctl)
        } else {
            None
        },
        compat_ioctl: if T::HAS_COMPAT_IOCTL {
            Some(Self::compat_ioctl)
        } else if T::HAS_IOCTL {
            Self::COMPAT_PTR_IOCTL
        } else {
            None
        },
        mmap: if T::HAS_MMAP { Some(Self::mmap) } else { None },
        show_fdinfo: if T::HAS_SHOW_FDINFO {
            Some(Self::show_fdinfo)
        } else {
            None
        },
        // SAFETY: every other operation is optional.
        ..unsafe { core::mem::zeroed() }
    };

    /// What serves 32-bit ioctls when only `ioctl` is implemented.
    #[cfg(CONFIG_COMPAT)]
    const COMPAT_PTR_IOCTL: Option<
        unsafe extern "C" fn(*mut bindings::file, c_uint, c_ulong) -> c_long,
    > = Some(bindings::compat_ptr_ioctl);
    /// Without `CONFIG_COMPAT` there are no 32-bit callers.
    #[cfg(not(CONFIG_COMPAT))]
    const COMPAT_PTR_IOCTL: Option<
        unsafe extern "C" fn(*mut bindings::file, c_uint, c_ulong) -> c_long,
    > = None;

    const fn build() -> &'static bindings::file_operations {
        &Self::VTABLE
    }
}
