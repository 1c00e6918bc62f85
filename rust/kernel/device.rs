// SPDX-License-Identifier: GPL-2.0

//! Devices of the driver model (C's `struct device`), and the `dev_*!`
//! logging macros.
//!
//! A [`Device`] is reference counted: `ARef<Device>` holds a reference
//! (`get_device`/`put_device`), so a driver may keep the device it was
//! given past the call that gave it.

use crate::{
    sync::aref::{ARef, AlwaysRefCounted},
    types::Opaque,
};
use core::{fmt, marker::PhantomData, ptr::NonNull};

/// The state a [`Device`] reference is known to be in, a type parameter of
/// [`Device`] and of the bus devices (`pci::Device`):
///
/// - [`Normal`]: no guarantee beyond the reference;
/// - [`Bound`]: a driver is bound to the device for as long as the
///   reference lives (what `Devres::access`, DMA allocation and IRQ
///   requests need);
/// - [`Core`]: the reference was given to a bus callback (`probe`,
///   `unbind`), which runs with the device lock held; implies [`Bound`].
///
/// A more specific context dereferences to a less specific one
/// (`Core` → `Bound` → `Normal`).
pub trait DeviceContext: private::Sealed {}

mod private {
    pub trait Sealed {}
}

/// A device reference with no guarantee about the driver binding.
pub struct Normal;
/// A device reference given to a bus callback, with the device lock held.
pub struct Core;
/// A device reference that a driver is bound to while it lives.
pub struct Bound;

impl private::Sealed for Normal {}
impl private::Sealed for Core {}
impl private::Sealed for Bound {}
impl DeviceContext for Normal {}
impl DeviceContext for Core {}
impl DeviceContext for Bound {}

/// Implements `Deref` from `$dev<Core>` to `$dev<Bound>` and from
/// `$dev<Bound>` to `$dev` (`Normal`), for a `repr(transparent)` device
/// type whose context parameter is only a marker.
///
/// # Safety
///
/// `$dev<Ctx>` must have the same layout for every context.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_device_context_deref {
    (unsafe { $dev:ident }) => {
        impl ::core::ops::Deref for $dev<$crate::device::Core> {
            type Target = $dev<$crate::device::Bound>;

            fn deref(&self) -> &Self::Target {
                // SAFETY: the same layout for every context (the caller
                // of the macro), and `Core` implies `Bound`.
                unsafe { &*::core::ptr::from_ref(self).cast() }
            }
        }

        impl ::core::ops::Deref for $dev<$crate::device::Bound> {
            type Target = $dev;

            fn deref(&self) -> &Self::Target {
                // SAFETY: the same layout for every context; `Normal`
                // promises nothing.
                unsafe { &*::core::ptr::from_ref(self).cast() }
            }
        }
    };
}

/// A C `struct device`.
///
/// # Invariants
///
/// The device is valid, with a positive reference count, for as long as a
/// `&Device` exists; `ARef<Device>` owns one reference.
#[repr(transparent)]
pub struct Device<Ctx: DeviceContext = Normal>(Opaque<bindings::device>, PhantomData<Ctx>);

// SAFETY: the device core synchronises access to `struct device` itself;
// the reference count is atomic.
unsafe impl Send for Device {}
// SAFETY: as above.
unsafe impl Sync for Device {}
// SAFETY: as above; a `Bound` or `Core` reference is only a borrow.
unsafe impl Sync for Device<Bound> {}
// SAFETY: as above.
unsafe impl Sync for Device<Core> {}

// SAFETY: `Device<Ctx>` is `repr(transparent)` over `Opaque<device>`; the
// context is a `PhantomData`, so every context has the same layout.
crate::impl_device_context_deref!(unsafe { Device });

impl<Ctx: DeviceContext> AsRef<Device> for Device<Ctx> {
    fn as_ref(&self) -> &Device {
        // SAFETY: the same layout for every context; `Normal` promises
        // nothing.
        unsafe { &*core::ptr::from_ref(self).cast() }
    }
}

impl Device<Bound> {
    /// The driver data a bus abstraction stored with
    /// [`Device::set_drvdata_raw`] (C's `dev_get_drvdata`).
    pub(crate) fn drvdata_raw(&self) -> *mut crate::ffi::c_void {
        // SAFETY: the device is valid (type invariant).
        unsafe { bindings::dev_get_drvdata(self.as_raw()) }
    }
}

impl Device<Core> {
    /// Stores the bound driver's data (C's `dev_set_drvdata`); for bus
    /// abstractions, in `probe`.
    pub(crate) fn set_drvdata_raw(&self, data: *mut crate::ffi::c_void) {
        // SAFETY: the device is valid, and its lock is held (`Core`).
        unsafe { bindings::dev_set_drvdata(self.as_raw(), data) }
    }

    /// Pins the data `init` makes in a new allocation and stores it as the
    /// device's driver data; for bus abstractions, in `probe`, where the
    /// data is the bound driver's value. The bus's `remove` takes it back
    /// with [`Device::drvdata_obtain`].
    pub(crate) fn set_drvdata<T: 'static>(
        &self,
        init: impl crate::init::PinInit<T, crate::error::Error>,
    ) -> crate::error::Result {
        use crate::{init::InPlaceInit, types::ForeignOwnable};
        let data = crate::alloc::KBox::pin_init(init, crate::alloc::flags::GFP_KERNEL)?;
        self.set_drvdata_raw(data.into_foreign().cast_mut());
        Ok(())
    }

    /// Takes back the driver data [`Device::set_drvdata`] stored, leaving
    /// none; for bus abstractions, in `remove`.
    ///
    /// # Safety
    ///
    /// The driver data must have been stored by `set_drvdata::<T>` and not
    /// taken back since.
    pub(crate) unsafe fn drvdata_obtain<T: 'static>(
        &self,
    ) -> core::pin::Pin<crate::alloc::KBox<T>> {
        use crate::types::ForeignOwnable;
        let ptr = self.drvdata_raw();
        self.set_drvdata_raw(core::ptr::null_mut());
        // SAFETY: `ptr` came from `into_foreign` of a `Pin<KBox<T>>` in
        // `set_drvdata`, and is taken back once (the caller's guarantee;
        // the pointer is cleared above).
        unsafe { core::pin::Pin::<crate::alloc::KBox<T>>::from_foreign(ptr) }
    }
}

/// What the `dev_*!` macros print through: a device or a bus device.
#[doc(hidden)]
pub trait AsDevice {
    /// The device.
    fn __as_device(&self) -> &Device;
}

impl<Ctx: DeviceContext> AsDevice for Device<Ctx> {
    fn __as_device(&self) -> &Device {
        self.as_ref()
    }
}

impl Device {
    /// Takes a new reference to the device at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid device with a positive reference count.
    pub unsafe fn get_device(ptr: *mut bindings::device) -> ARef<Self> {
        // SAFETY: the caller guarantees validity; `from_raw` borrows it
        // and `ARef::from` takes a reference of its own.
        ARef::from(unsafe { Self::from_raw(ptr) })
    }
}

impl<Ctx: DeviceContext> Device<Ctx> {
    /// Views the device at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid device whose reference count stays
    /// positive for `'a`.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::device) -> &'a Self {
        // SAFETY: `repr(transparent)` over the C type; validity for `'a` is
        // the caller's guarantee. INVARIANT: as documented.
        unsafe { &*ptr.cast() }
    }

    /// The C `struct device`.
    pub fn as_raw(&self) -> *mut bindings::device {
        self.0.get()
    }

    /// The device's name (`dev_name`).
    pub fn name(&self) -> &crate::str::CStr {
        // SAFETY: the device is valid (type invariant); `dev_name` returns
        // a NUL-terminated string living as long as the device's name,
        // which does not change while drivers use it.
        unsafe { crate::str::CStr::from_char_ptr(bindings::dev_name(self.as_raw())) }
    }

    /// Prints `args` at `level` with the device's driver and name prefix.
    fn printk(&self, level: &[u8; 3], args: fmt::Arguments<'_>) {
        // SAFETY: the device is valid (type invariant); `level` is a
        // `KERN_*` string, and the format `%pA` consumes the one
        // `fmt::Arguments`, which outlives the call.
        unsafe {
            bindings::_dev_printk(
                level.as_ptr().cast(),
                self.as_raw(),
                c"%pA".as_ptr().cast(),
                core::ptr::from_ref(&args).cast::<crate::ffi::c_void>(),
            )
        };
    }

    /// `dev_emerg`.
    pub fn pr_emerg(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x010\0", args)
    }
    /// `dev_alert`.
    pub fn pr_alert(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x011\0", args)
    }
    /// `dev_crit`.
    pub fn pr_crit(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x012\0", args)
    }
    /// `dev_err`.
    pub fn pr_err(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x013\0", args)
    }
    /// `dev_warn`.
    pub fn pr_warn(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x014\0", args)
    }
    /// `dev_notice`.
    pub fn pr_notice(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x015\0", args)
    }
    /// `dev_info`.
    pub fn pr_info(&self, args: fmt::Arguments<'_>) {
        self.printk(b"\x016\0", args)
    }
    /// `dev_dbg`: printed only with debug assertions, as `pr_debug!`.
    pub fn pr_dbg(&self, args: fmt::Arguments<'_>) {
        if cfg!(debug_assertions) {
            self.printk(b"\x017\0", args)
        }
    }
}

// SAFETY: `get_device` and `put_device` keep the device alive while a
// count is held.
unsafe impl AlwaysRefCounted for Device {
    fn inc_ref(&self) {
        // SAFETY: the device is valid with a positive count (invariant).
        unsafe { bindings::get_device(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up one reference.
        unsafe { bindings::put_device(obj.cast().as_ptr()) }
    }
}

/// Shared body of the `dev_*!` macros: `$dev` is anything that method-
/// resolves to a [`Device`] or a bus device (`&Device`, `ARef<Device>`,
/// `&pci::Device<Core>`, ...).
#[doc(hidden)]
#[macro_export]
macro_rules! dev_printk {
    ($method:ident, $dev:expr, $($f:tt)*) => {{
        use $crate::device::AsDevice as _;
        (&$dev).__as_device().$method(::core::format_args!($($f)*))
    }};
}

/// Prints an emergency-level message for a device (`dev_emerg`).
///
/// ```
/// use kernel::fs::File;
/// use kernel::miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration};
///
/// struct Dev;
///
/// #[vtable]
/// impl MiscDevice for Dev {
///     type Ptr = ();
///     fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result {
///         Ok(())
///     }
/// }
///
/// let opts = MiscDeviceOptions { name: c_str!("rkal-doc-dev") };
/// let reg = KBox::pin_init(MiscDeviceRegistration::<Dev>::register(opts), GFP_KERNEL)?;
/// assert_eq!(reg.device().name().as_bytes(), b"rkal-doc-dev");
/// dev_emerg!(reg.device(), "ready, {} queues\n", 4);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! dev_emerg {
    ($($f:tt)*) => { $crate::dev_printk!(pr_emerg, $($f)*) };
}

/// Prints an alert-level message for a device (`dev_alert`).
#[macro_export]
macro_rules! dev_alert {
    ($($f:tt)*) => { $crate::dev_printk!(pr_alert, $($f)*) };
}

/// Prints a critical-level message for a device (`dev_crit`).
#[macro_export]
macro_rules! dev_crit {
    ($($f:tt)*) => { $crate::dev_printk!(pr_crit, $($f)*) };
}

/// Prints an error-level message for a device (`dev_err`).
#[macro_export]
macro_rules! dev_err {
    ($($f:tt)*) => { $crate::dev_printk!(pr_err, $($f)*) };
}

/// Prints a warning-level message for a device (`dev_warn`).
#[macro_export]
macro_rules! dev_warn {
    ($($f:tt)*) => { $crate::dev_printk!(pr_warn, $($f)*) };
}

/// Prints a notice-level message for a device (`dev_notice`).
#[macro_export]
macro_rules! dev_notice {
    ($($f:tt)*) => { $crate::dev_printk!(pr_notice, $($f)*) };
}

/// Prints an info-level message for a device (`dev_info`).
///
/// ```
/// use kernel::fs::File;
/// use kernel::miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration};
///
/// struct Dev;
///
/// #[vtable]
/// impl MiscDevice for Dev {
///     type Ptr = ();
///     fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result {
///         Ok(())
///     }
/// }
///
/// let opts = MiscDeviceOptions { name: c_str!("rkal-doc-dev") };
/// let reg = KBox::pin_init(MiscDeviceRegistration::<Dev>::register(opts), GFP_KERNEL)?;
/// assert_eq!(reg.device().name().as_bytes(), b"rkal-doc-dev");
/// dev_info!(reg.device(), "ready, {} queues\n", 4);
/// # Ok::<(), Error>(())
/// ```
#[macro_export]
macro_rules! dev_info {
    ($($f:tt)*) => { $crate::dev_printk!(pr_info, $($f)*) };
}

/// Prints a debug-level message for a device (`dev_dbg`), in builds with
/// debug assertions.
#[macro_export]
macro_rules! dev_dbg {
    ($($f:tt)*) => { $crate::dev_printk!(pr_dbg, $($f)*) };
}
