// SPDX-License-Identifier: GPL-2.0

//! Platform drivers, in upstream's shape: a [`Driver`] may declare OF and
//! ACPI ID tables and `probe`s the matching [`Device`]s;
//! [`module_platform_driver!`](crate::module_platform_driver) makes the
//! module. A platform device without firmware description (all of them on
//! this project's x86 test kernel, which has neither `CONFIG_OF` nor
//! `CONFIG_ACPI`) matches a driver of its own name, and `probe` then gets
//! no ID information (`None`).
//!
//! [`DeviceRegistration`] creates a platform device from Rust, which
//! upstream's API does not offer (see there why we do).

use crate::device::{self, Bound, Core, DeviceContext};
use crate::driver;
use crate::error::{from_err_ptr, from_result, to_result, Error, Result};
use crate::ffi::c_int;
use crate::io::Resource;
use crate::irq::{self, IrqRequest};
use crate::prelude::*;
use crate::str::CStr;
use crate::sync::aref::AlwaysRefCounted;
use crate::types::Opaque;
use crate::{acpi, of, ThisModule};
use core::marker::PhantomData;
use core::ptr::NonNull;
use macros::kunit_tests;

/// A platform driver.
///
/// ```
/// use kernel::device::Core;
/// use kernel::{of, platform};
///
/// struct MyDriver;
///
/// kernel::of_device_table!(
///     OF_TABLE,
///     MODULE_OF_TABLE,
///     <MyDriver as platform::Driver>::IdInfo,
///     [(of::DeviceId::new(c_str!("vendor,my-device")), 7)]
/// );
///
/// impl platform::Driver for MyDriver {
///     type IdInfo = u32;
///     const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);
///
///     fn probe(
///         pdev: &platform::Device<Core>,
///         info: Option<&Self::IdInfo>,
///     ) -> impl PinInit<Self, Error> {
///         // `None` when the device matched by name, not by its OF node.
///         dev_info!(pdev, "probed, info {:?}\n", info);
///         Ok(MyDriver)
///     }
/// }
/// ```
pub trait Driver: Send {
    /// What the driver keeps for each entry of its ID tables.
    type IdInfo: 'static;

    /// The OF (device tree) devices the driver binds to.
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = None;

    /// The ACPI devices the driver binds to.
    const ACPI_ID_TABLE: Option<acpi::IdTable<Self::IdInfo>> = None;

    /// Binds to `dev`, matched by the ID table entry with `id_info`, or by
    /// name (`None`). The value lives until the driver is unbound.
    fn probe(dev: &Device<Core>, id_info: Option<&Self::IdInfo>) -> impl PinInit<Self, Error>;

    /// Called when the driver is unbound, before its value is dropped, with
    /// the device still usable (device-managed resources are released
    /// after).
    fn unbind(dev: &Device<Core>, this: Pin<&Self>) {
        let _ = (dev, this);
    }
}

/// The glue between [`Driver`] and the C platform bus.
pub struct Adapter<T: Driver>(PhantomData<T>);

// SAFETY: `register` fills in callbacks that stay valid while the driver
// is registered (they are in the registering module's text, which its
// owner, set here, keeps loaded); `unregister` unbinds every device first.
unsafe impl<T: Driver + 'static> driver::RegistrationOps for Adapter<T> {
    type RegType = bindings::platform_driver;

    unsafe fn register(
        pdrv: &Opaque<Self::RegType>,
        name: &'static CStr,
        module: &'static ThisModule,
    ) -> Result {
        let of_table = T::OF_ID_TABLE.map_or(core::ptr::null(), |t| t.as_ptr());
        let acpi_table = T::ACPI_ID_TABLE.map_or(core::ptr::null(), |t| t.as_ptr());
        // SAFETY: `pdrv` is valid and not yet registered (caller).
        unsafe {
            let p = pdrv.get();
            (*p).driver.name = name.as_char_ptr();
            (*p).driver.of_match_table = of_table;
            (*p).driver.acpi_match_table = acpi_table;
            (*p).probe = Some(Self::probe_callback);
            // Linux 6.12's `remove` and `remove_new` (both returning
            // `void`) share a union.
            (*p).__bindgen_anon_1.remove = Some(Self::remove_callback);
        }
        // SAFETY: `pdrv` is set up and pinned until `unregister`; the C
        // side sets the driver's owner to `module`, so the module stays
        // loaded while a device is bound.
        to_result(unsafe { bindings::__platform_driver_register(pdrv.get(), module.as_ptr()) })
    }

    unsafe fn unregister(pdrv: &Opaque<Self::RegType>) {
        // SAFETY: registered (caller).
        unsafe { bindings::platform_driver_unregister(pdrv.get()) }
    }
}

impl<T: Driver + 'static> driver::Adapter for Adapter<T> {
    type IdInfo = T::IdInfo;

    fn acpi_id_table() -> Option<acpi::IdTable<Self::IdInfo>> {
        T::ACPI_ID_TABLE
    }

    fn of_id_table() -> Option<of::IdTable<Self::IdInfo>> {
        T::OF_ID_TABLE
    }
}

impl<T: Driver + 'static> Adapter<T> {
    /// The C `probe`.
    ///
    /// # Safety
    ///
    /// Called by the platform bus, with a device that matched the driver.
    unsafe extern "C" fn probe_callback(pdev: *mut bindings::platform_device) -> c_int {
        // SAFETY: the bus calls probe with a valid device, locked, for the
        // callback's duration.
        let pdev = unsafe { &*pdev.cast::<Device<Core>>() };
        let dev: &device::Device<Core> = pdev.as_ref();
        let info = <Self as driver::Adapter>::id_info(dev.as_ref());
        from_result(|| {
            dev.set_drvdata(T::probe(pdev, info))
                // A failed probe's data is gone; the driver core releases
                // the device's resources next.
                .inspect_err(|_| {
                    crate::irq::free_lines(dev);
                })?;
            Ok(0)
        })
    }

    /// The C `remove`.
    ///
    /// # Safety
    ///
    /// Called by the platform bus, once, for a device `probe_callback`
    /// bound.
    unsafe extern "C" fn remove_callback(pdev: *mut bindings::platform_device) {
        // SAFETY: the bus calls remove with a valid, locked device to which
        // this driver is bound.
        let pdev = unsafe { &*pdev.cast::<Device<Core>>() };
        let dev: &device::Device<Core> = pdev.as_ref();
        // SAFETY: `probe_callback` stored a `T` there, and remove is called
        // once, after a successful probe.
        let data = unsafe { dev.drvdata_obtain::<T>() };
        T::unbind(pdev, data.as_ref());
        drop(data);
        // Before the driver core releases the device's other resources:
        // no handler may run while they are revoked.
        crate::irq::free_lines(dev);
    }
}

/// Declares a module whose job is registering platform driver `type`:
/// `module_platform_driver! { type: D, name: "...", authors: [...], description: "...", license: "GPL" }`.
/// The driver is named after the module, and binds (without firmware
/// tables) to the platform devices of that name.
#[macro_export]
macro_rules! module_platform_driver {
    ($($f:tt)*) => {
        $crate::module_driver!(<T>, $crate::platform::Adapter<T>, { $($f)* });
    };
}

/// A platform device (C's `struct platform_device`); `Ctx` says what is
/// known about its binding (see [`device::DeviceContext`]).
///
/// # Invariants
///
/// The device is valid while a reference to it exists.
#[repr(transparent)]
pub struct Device<Ctx: DeviceContext = device::Normal>(
    Opaque<bindings::platform_device>,
    PhantomData<Ctx>,
);

// SAFETY: `Device<Ctx>` is `repr(transparent)` over
// `Opaque<platform_device>`; the context is a `PhantomData`, so every
// context has the same layout.
crate::impl_device_context_deref!(unsafe { Device });

impl<Ctx: DeviceContext> Device<Ctx> {
    fn as_raw(&self) -> *mut bindings::platform_device {
        self.0.get()
    }

    /// Memory resource `index` of the device, if it has one.
    pub fn resource_by_index(&self, index: u32) -> Option<&Resource> {
        // SAFETY: valid device (type invariant).
        let r = unsafe {
            bindings::platform_get_resource(self.as_raw(), bindings::IORESOURCE_MEM, index)
        };
        // SAFETY: a device's resources live as long as it does, their range,
        // name and flags unchanged (C relinks only their tree pointers).
        NonNull::new(r).map(|r| unsafe { Resource::from_raw(r.as_ptr()) })
    }

    /// The memory resource of the device named `name`, if it has one.
    pub fn resource_by_name(&self, name: &CStr) -> Option<&Resource> {
        // SAFETY: valid device (type invariant); `name` is NUL-terminated.
        let r = unsafe {
            bindings::platform_get_resource_byname(
                self.as_raw(),
                bindings::IORESOURCE_MEM,
                name.as_char_ptr(),
            )
        };
        // SAFETY: a device's resources live as long as it does, their range,
        // name and flags unchanged (C relinks only their tree pointers).
        NonNull::new(r).map(|r| unsafe { Resource::from_raw(r.as_ptr()) })
    }
}

impl<Ctx: DeviceContext> AsRef<device::Device<Ctx>> for Device<Ctx> {
    fn as_ref(&self) -> &device::Device<Ctx> {
        // SAFETY: `pdev->dev` is a valid device while `pdev` is (type
        // invariant), in the same context.
        unsafe { &*(&raw mut (*self.as_raw()).dev).cast() }
    }
}

impl<Ctx: DeviceContext> device::AsDevice for Device<Ctx> {
    fn __as_device(&self) -> &device::Device {
        let dev: &device::Device<Ctx> = self.as_ref();
        dev.as_ref()
    }
}

impl<'a, Ctx: DeviceContext> TryFrom<&'a device::Device<Ctx>> for &'a Device<Ctx> {
    type Error = Error;

    /// The platform device `dev` is embedded in; `EINVAL` if it is not a
    /// platform device.
    fn try_from(dev: &'a device::Device<Ctx>) -> Result<Self> {
        let raw = dev.as_raw();
        // SAFETY: valid device (type invariant); its bus does not change
        // while it exists.
        let bus = unsafe { (*raw).bus };
        if !core::ptr::eq(bus, &raw const bindings::platform_bus_type) {
            return Err(EINVAL);
        }
        let pdev = crate::container_of!(raw, bindings::platform_device, dev);
        // SAFETY: a device on the platform bus is the `dev` of a
        // `platform_device`, valid as long as `dev` is; `Device` is
        // transparent over it, in the same context.
        Ok(unsafe { &*pdev.cast::<Device<Ctx>>() })
    }
}

// SAFETY: `get_device` and `platform_device_put` keep the device alive.
unsafe impl AlwaysRefCounted for Device {
    fn inc_ref(&self) {
        let dev: &device::Device = self.as_ref();
        // SAFETY: valid (type invariant).
        unsafe { bindings::get_device(dev.as_raw()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up a reference.
        unsafe { bindings::platform_device_put(obj.cast().as_ptr()) }
    }
}

// SAFETY: the driver core synchronises access to `struct platform_device`.
unsafe impl Send for Device {}
// SAFETY: as above.
unsafe impl Sync for Device {}

impl crate::dma::Device for Device<Core> {}

/// Turns a negative errno from a `platform_get_irq*` function into an
/// error, a line number into a request for `dev`.
fn irq_request(dev: &Device<Bound>, irq: c_int) -> Result<IrqRequest<'_>> {
    if irq < 0 {
        return Err(Error::from_errno(irq));
    }
    // SAFETY: the platform core returned `irq` as a line of `dev`, which
    // is its for as long as the device exists.
    Ok(unsafe { IrqRequest::new(dev.as_ref(), irq as u32) })
}

/// Defines a `request_*irq_by_index` method: `$get` finds the line,
/// `$reg` registers `$handler` for it.
macro_rules! define_irq_accessor_by_index {
    ($(#[$meta:meta])* $name:ident, $get:ident, $reg:ident, $handler:ident) => {
        $(#[$meta])*
        pub fn $name<'a, T: irq::$handler + 'static>(
            &'a self,
            flags: irq::Flags,
            index: u32,
            name: &'static CStr,
            handler: impl PinInit<T, Error> + 'a,
        ) -> impl PinInit<irq::$reg<T>, Error> + 'a {
            irq::$reg::from_request(self.$get(index), flags, name, handler)
        }
    };
}

/// Defines a `request_*irq_by_name` method: `$get` finds the line,
/// `$reg` registers `$handler` for it.
macro_rules! define_irq_accessor_by_name {
    ($(#[$meta:meta])* $name:ident, $get:ident, $reg:ident, $handler:ident) => {
        $(#[$meta])*
        pub fn $name<'a, T: irq::$handler + 'static>(
            &'a self,
            flags: irq::Flags,
            irq_name: &CStr,
            name: &'static CStr,
            handler: impl PinInit<T, Error> + 'a,
        ) -> impl PinInit<irq::$reg<T>, Error> + 'a {
            irq::$reg::from_request(self.$get(irq_name), flags, name, handler)
        }
    };
}

impl Device<Bound> {
    /// Interrupt line `index` of the device (C's `platform_get_irq`,
    /// which logs an error when there is none: `ENXIO`).
    pub fn irq_by_index(&self, index: u32) -> Result<IrqRequest<'_>> {
        // SAFETY: valid device (type invariant).
        irq_request(self, unsafe {
            bindings::platform_get_irq(self.as_raw(), index)
        })
    }

    /// [`Device::irq_by_index`], without the error message.
    pub fn optional_irq_by_index(&self, index: u32) -> Result<IrqRequest<'_>> {
        // SAFETY: valid device (type invariant).
        irq_request(self, unsafe {
            bindings::platform_get_irq_optional(self.as_raw(), index)
        })
    }

    /// The interrupt line of the device named `name` (C's
    /// `platform_get_irq_byname`, which logs an error when there is none).
    pub fn irq_by_name(&self, name: &CStr) -> Result<IrqRequest<'_>> {
        // SAFETY: valid device (type invariant); `name` is NUL-terminated.
        irq_request(self, unsafe {
            bindings::platform_get_irq_byname(self.as_raw(), name.as_char_ptr())
        })
    }

    /// [`Device::irq_by_name`], without the error message.
    pub fn optional_irq_by_name(&self, name: &CStr) -> Result<IrqRequest<'_>> {
        // SAFETY: valid device (type invariant); `name` is NUL-terminated.
        irq_request(self, unsafe {
            bindings::platform_get_irq_byname_optional(self.as_raw(), name.as_char_ptr())
        })
    }

    define_irq_accessor_by_index!(
        /// Registers `handler` for interrupt line `index`; fails as
        /// [`Device::irq_by_index`] does.
        request_irq_by_index,
        irq_by_index,
        Registration,
        Handler
    );
    define_irq_accessor_by_name!(
        /// Registers `handler` for the line named `irq_name`; fails as
        /// [`Device::irq_by_name`] does.
        request_irq_by_name,
        irq_by_name,
        Registration,
        Handler
    );
    define_irq_accessor_by_index!(
        /// [`Device::request_irq_by_index`], without an error message when
        /// there is no such line.
        request_optional_irq_by_index,
        optional_irq_by_index,
        Registration,
        Handler
    );
    define_irq_accessor_by_name!(
        /// [`Device::request_irq_by_name`], without an error message when
        /// there is no such line.
        request_optional_irq_by_name,
        optional_irq_by_name,
        Registration,
        Handler
    );
    define_irq_accessor_by_index!(
        /// Registers threaded `handler` for interrupt line `index`; fails
        /// as [`Device::irq_by_index`] does.
        request_threaded_irq_by_index,
        irq_by_index,
        ThreadedRegistration,
        ThreadedHandler
    );
    define_irq_accessor_by_name!(
        /// Registers threaded `handler` for the line named `irq_name`;
        /// fails as [`Device::irq_by_name`] does.
        request_threaded_irq_by_name,
        irq_by_name,
        ThreadedRegistration,
        ThreadedHandler
    );
    define_irq_accessor_by_index!(
        /// [`Device::request_threaded_irq_by_index`], without an error
        /// message when there is no such line.
        request_optional_threaded_irq_by_index,
        optional_irq_by_index,
        ThreadedRegistration,
        ThreadedHandler
    );
    define_irq_accessor_by_name!(
        /// [`Device::request_threaded_irq_by_name`], without an error
        /// message when there is no such line.
        request_optional_threaded_irq_by_name,
        optional_irq_by_name,
        ThreadedRegistration,
        ThreadedHandler
    );
}

/// A platform device registered from Rust (C's
/// `platform_device_register_full`), unregistered on drop.
///
/// Upstream's Rust API has no way to create platform devices: there they
/// come from the device tree or ACPI, and a Rust module that needs a
/// device of its own uses the faux bus (Linux 6.15 and later). Linux 6.12
/// has no faux bus, and this project's x86 test machine has neither device
/// tree nor ACPI, so without this type no platform driver written in Rust
/// could ever bind here. It is what C modules do with
/// `platform_device_register_simple`.
///
/// ```
/// use kernel::platform;
///
/// let reg = platform::DeviceRegistration::new(c_str!("rkal-doc-pdev"), Some(3))?;
/// // With an ID, the device is named `<name>.<id>`.
/// assert_eq!(reg.device().as_ref().name(), c_str!("rkal-doc-pdev.3"));
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `pdev` was registered by `platform_device_register_full`, and the
/// registration's reference is held until `drop` unregisters it.
pub struct DeviceRegistration {
    pdev: NonNull<bindings::platform_device>,
}

impl DeviceRegistration {
    /// Registers a platform device named `name`, with instance number `id`
    /// if given (the device is then named `<name>.<id>`). A driver of name
    /// `name` binds to it.
    pub fn new(name: &CStr, id: Option<u32>) -> Result<Self> {
        let id = match id {
            Some(id) => c_int::try_from(id).map_err(|_| EINVAL)?,
            None => bindings::PLATFORM_DEVID_NONE,
        };
        let info = bindings::platform_device_info {
            name: name.as_char_ptr(),
            id,
            ..Default::default()
        };
        // SAFETY: `info` is valid for the call; the C side copies the name,
        // and the rest of `info` is zero (no parent, resources or data).
        let pdev = from_err_ptr(unsafe { bindings::platform_device_register_full(&info) })?;
        let pdev = NonNull::new(pdev).ok_or(ENOMEM)?;
        // INVARIANT: registered above; its reference is ours.
        Ok(Self { pdev })
    }

    /// The device.
    pub fn device(&self) -> &Device {
        // SAFETY: registered, and referenced, until `drop` (type
        // invariant).
        unsafe { &*self.pdev.as_ptr().cast::<Device>() }
    }
}

impl Drop for DeviceRegistration {
    fn drop(&mut self) {
        // SAFETY: registered by `new` (type invariant); this unbinds the
        // driver, if any, and drops the registration's reference.
        unsafe { bindings::platform_device_unregister(self.pdev.as_ptr()) }
    }
}

// SAFETY: the device may be unregistered from any (sleepable) thread.
unsafe impl Send for DeviceRegistration {}
// SAFETY: `&DeviceRegistration` only gives `&Device`, which is `Sync`.
unsafe impl Sync for DeviceRegistration {}

#[kunit_tests(rust_kernel_platform)]
mod tests {
    use super::*;
    use crate::sync::atomic::{Atomic, Relaxed};

    // SAFETY: built-in code has no module (null), as C's `THIS_MODULE`.
    static THIS: ThisModule = unsafe { ThisModule::from_ptr(core::ptr::null_mut()) };

    static PROBED: Atomic<u32> = Atomic::new(0);
    static PROBED_WITHOUT_INFO: Atomic<u32> = Atomic::new(0);
    static IRQ_ERRNO: Atomic<i32> = Atomic::new(0);
    static UNBOUND: Atomic<u32> = Atomic::new(0);
    static DROPPED: Atomic<u32> = Atomic::new(0);

    struct TestDriver {
        name: KVec<u8>,
    }

    crate::of_device_table!(
        OF_TABLE,
        MODULE_OF_TABLE,
        u32,
        [(of::DeviceId::new(c_str!("rkal,platform-test")), 5)]
    );

    impl Driver for TestDriver {
        type IdInfo = u32;
        const OF_ID_TABLE: Option<of::IdTable<u32>> = Some(&OF_TABLE);

        fn probe(pdev: &Device<Core>, info: Option<&u32>) -> impl PinInit<Self, Error> {
            PROBED.inc(Relaxed);
            if info.is_none() {
                PROBED_WITHOUT_INFO.inc(Relaxed);
            }
            // The devices of this test have no interrupt line.
            if let Err(e) = pdev.optional_irq_by_index(0) {
                IRQ_ERRNO.store(e.to_errno(), Relaxed);
            }
            let dev: &device::Device<Core> = pdev.as_ref();
            let mut name = KVec::new();
            name.extend_from_slice(dev.name().as_bytes(), GFP_KERNEL)?;
            Ok(TestDriver { name })
        }

        fn unbind(pdev: &Device<Core>, this: Pin<&Self>) {
            let dev: &device::Device<Core> = pdev.as_ref();
            if dev.name().as_bytes() == &this.name[..] {
                UNBOUND.inc(Relaxed);
            }
        }
    }

    impl Drop for TestDriver {
        fn drop(&mut self) {
            DROPPED.inc(Relaxed);
        }
    }

    /// Whether a driver is bound to `reg`'s device.
    fn bound(reg: &DeviceRegistration) -> bool {
        let dev: &device::Device = reg.device().as_ref();
        // SAFETY: the device is valid; its `driver` is only read.
        !unsafe { (*dev.as_raw()).driver }.is_null()
    }

    #[test]
    fn binds_by_name_without_id_info_and_unbinds() -> Result {
        let name = c_str!("rkal_platform_test");
        let early = DeviceRegistration::new(name, None)?;
        let other = DeviceRegistration::new(c_str!("rkal_platform_other"), None)?;
        let drv = KBox::pin_init(
            driver::Registration::<Adapter<TestDriver>>::new(name, &THIS),
            GFP_KERNEL,
        )?;
        // The device registered before the driver is bound by it.
        assert_eq!(PROBED.load(Relaxed), 1);
        assert!(bound(&early));
        assert!(!bound(&other));
        // One registered after it, with an ID, too.
        let late = DeviceRegistration::new(name, Some(7))?;
        assert_eq!(PROBED.load(Relaxed), 2);
        assert!(bound(&late));
        assert_eq!(
            late.device().as_ref().name(),
            c_str!("rkal_platform_test.7")
        );
        // Matched by name: no OF node here, so no ID information.
        assert_eq!(PROBED_WITHOUT_INFO.load(Relaxed), 2);
        assert_eq!(IRQ_ERRNO.load(Relaxed), ENXIO.to_errno());
        let as_platform: Result<&Device> = late.device().as_ref().try_into();
        assert!(as_platform.is_ok());

        // Unregistering a device unbinds it; unregistering the driver the
        // rest.
        drop(late);
        assert_eq!((UNBOUND.load(Relaxed), DROPPED.load(Relaxed)), (1, 1));
        drop(drv);
        assert_eq!((UNBOUND.load(Relaxed), DROPPED.load(Relaxed)), (2, 2));
        assert!(!bound(&early));
        drop(other);
        drop(early);
        Ok(())
    }
}
