// SPDX-License-Identifier: GPL-2.0

//! PCI drivers, in upstream's shape: a [`Driver`] declares an ID table
//! ([`pci_device_table!`](crate::pci_device_table)) and `probe`s the
//! matching [`Device`]s; [`module_pci_driver!`](crate::module_pci_driver)
//! makes the module. In `probe` a driver enables the device, maps BARs
//! ([`Device::iomap_region_sized`], device-managed: unmapped at unbind even
//! if the mapping is still referenced) and requests interrupts
//! ([`Device::alloc_irq_vectors`], [`Device::request_irq`]).

use crate::device::{self, Bound, Core, DeviceContext};
use crate::device_id::{RawDeviceId, RawDeviceIdIndex};
use crate::devres::{self, Devres};
use crate::error::{from_result, to_result, Error, Result};
use crate::ffi::{c_int, c_void};
use crate::io::{Mmio, MmioRaw};
use crate::irq::{self, IrqRequest};
use crate::prelude::*;
use crate::str::CStr;
use crate::sync::aref::{ARef, AlwaysRefCounted};
use crate::types::Opaque;
use crate::ThisModule;
use core::marker::PhantomData;
use core::ops::{Deref, RangeInclusive};
use core::ptr::NonNull;

/// A PCI vendor ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vendor(u16);

impl Vendor {
    /// Red Hat (QEMU's PCI test devices).
    pub const REDHAT: Vendor = Vendor(bindings::PCI_VENDOR_ID_REDHAT as u16);
    /// Intel.
    pub const INTEL: Vendor = Vendor(bindings::PCI_VENDOR_ID_INTEL as u16);
    /// AMD.
    pub const AMD: Vendor = Vendor(bindings::PCI_VENDOR_ID_AMD as u16);

    /// The vendor with ID `id`, for vendors Linux's `pci_ids.h` does not
    /// name (QEMU's 0x1234, for one). An addition to upstream's API, which
    /// has no public constructor.
    pub const fn from_raw(id: u16) -> Self {
        Self(id)
    }

    /// The ID.
    pub const fn as_raw(self) -> u16 {
        self.0
    }
}

/// An entry of a PCI ID table (C's `struct pci_device_id`).
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::pci_device_id);

impl DeviceId {
    const PCI_ANY_ID: u32 = !0;

    /// Matches `vendor`'s device `device`, any subsystem.
    pub const fn from_id(vendor: Vendor, device: u32) -> Self {
        Self(bindings::pci_device_id {
            vendor: vendor.as_raw() as u32,
            device,
            subvendor: Self::PCI_ANY_ID,
            subdevice: Self::PCI_ANY_ID,
            class: 0,
            class_mask: 0,
            driver_data: 0,
            override_only: 0,
        })
    }

    /// Matches any device of class `class` (24 bits) under `class_mask`.
    pub const fn from_class(class: u32, class_mask: u32) -> Self {
        Self(bindings::pci_device_id {
            vendor: Self::PCI_ANY_ID,
            device: Self::PCI_ANY_ID,
            subvendor: Self::PCI_ANY_ID,
            subdevice: Self::PCI_ANY_ID,
            class,
            class_mask,
            driver_data: 0,
            override_only: 0,
        })
    }
}

// SAFETY: `repr(transparent)` over `pci_device_id`; a zeroed one ends a
// table.
unsafe impl RawDeviceId for DeviceId {
    type RawType = bindings::pci_device_id;
}

// SAFETY: `driver_data` is a `kernel_ulong_t`, passed back with the match.
unsafe impl RawDeviceIdIndex for DeviceId {
    const DRIVER_DATA_OFFSET: usize = core::mem::offset_of!(bindings::pci_device_id, driver_data);

    fn index(&self) -> usize {
        self.0.driver_data
    }
}

/// A driver's ID table.
pub type IdTable<T> = &'static dyn crate::device_id::IdTable<DeviceId, T>;

/// Declares a PCI ID table `$table` (and exports it as `$module_table`
/// for module autoloading):
/// `pci_device_table!(TABLE, MODULE_TABLE, <D as pci::Driver>::IdInfo, [(id, info), ...]);`
#[macro_export]
macro_rules! pci_device_table {
    ($table_name:ident, $module_table_name:ident, $id_info_type: ty, $table_data: expr) => {
        const $table_name: $crate::device_id::IdArray<
            $crate::pci::DeviceId,
            $id_info_type,
            { $table_data.len() },
        > = $crate::device_id::IdArray::new($table_data);

        $crate::module_device_table!("pci", $module_table_name, $table_name);
    };
}

/// A PCI driver.
pub trait Driver: Send {
    /// What the driver keeps for each entry of its ID table.
    type IdInfo: 'static;

    /// The devices the driver binds to.
    const ID_TABLE: IdTable<Self::IdInfo>;

    /// Binds to `dev`, matched by the entry with `id_info`. The value lives
    /// until the driver is unbound.
    fn probe(dev: &Device<Core>, id_info: &Self::IdInfo) -> impl PinInit<Self, Error>;

    /// Called when the driver is unbound, before its value is dropped, with
    /// the device still usable (device-managed resources are released
    /// after).
    fn unbind(dev: &Device<Core>, this: Pin<&Self>) {
        let _ = (dev, this);
    }
}

/// The glue between [`Driver`] and the C PCI core.
pub struct Adapter<T: Driver>(PhantomData<T>);

// SAFETY: `register` fills in callbacks that stay valid while the driver
// is registered (they are in this module's text, which the registration's
// owner keeps loaded); `unregister` unbinds every device first.
unsafe impl<T: Driver + 'static> crate::driver::RegistrationOps for Adapter<T> {
    type RegType = bindings::pci_driver;

    unsafe fn register(
        pdrv: &Opaque<Self::RegType>,
        name: &'static CStr,
        module: &'static ThisModule,
    ) -> Result {
        // SAFETY: `pdrv` is valid and not yet registered (caller).
        unsafe {
            let p = pdrv.get();
            (*p).name = name.as_char_ptr();
            (*p).probe = Some(Self::probe_callback);
            (*p).remove = Some(Self::remove_callback);
            (*p).id_table = T::ID_TABLE.as_ptr();
        }
        // SAFETY: `pdrv` is set up and pinned until `unregister`.
        to_result(unsafe {
            bindings::__pci_register_driver(pdrv.get(), module.as_ptr(), name.as_char_ptr())
        })
    }

    unsafe fn unregister(pdrv: &Opaque<Self::RegType>) {
        // SAFETY: registered (caller).
        unsafe { bindings::pci_unregister_driver(pdrv.get()) }
    }
}

impl<T: Driver + 'static> Adapter<T> {
    /// The C `probe`.
    ///
    /// # Safety
    ///
    /// Called by the PCI core, with a device matching an entry of the table.
    unsafe extern "C" fn probe_callback(
        pdev: *mut bindings::pci_dev,
        id: *const bindings::pci_device_id,
    ) -> c_int {
        // SAFETY: the PCI core calls probe with a valid device, locked,
        // for the callback's duration.
        let pdev = unsafe { &*pdev.cast::<Device<Core>>() };
        // SAFETY: `id` is an entry of `T::ID_TABLE` (`DeviceId` is
        // transparent), whose `driver_data` is its index.
        let info = T::ID_TABLE.info(unsafe { &*id.cast::<DeviceId>() }.index());
        from_result(|| {
            pdev.as_ref()
                .set_drvdata(T::probe(pdev, info))
                // A failed probe's data is gone; the driver core releases
                // the device's resources next.
                .inspect_err(|_| {
                    crate::irq::free_lines(pdev.as_ref());
                })?;
            Ok(0)
        })
    }

    /// The C `remove`.
    ///
    /// # Safety
    ///
    /// Called by the PCI core, once, for a device `probe_callback` bound.
    unsafe extern "C" fn remove_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: the PCI core calls remove with a valid, locked device to
        // which this driver is bound.
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

/// Declares a module whose job is registering PCI driver `type`:
/// `module_pci_driver! { type: D, name: "...", authors: [...], description: "...", license: "GPL" }`.
#[macro_export]
macro_rules! module_pci_driver {
    ($($f:tt)*) => {
        $crate::module_driver!(<T>, $crate::pci::Adapter<T>, { $($f)* });
    };
}

/// A PCI device (C's `struct pci_dev`); `Ctx` says what is known about its
/// binding (see [`device::DeviceContext`]).
///
/// # Invariants
///
/// The device is valid while a reference to it exists.
#[repr(transparent)]
pub struct Device<Ctx: DeviceContext = device::Normal>(Opaque<bindings::pci_dev>, PhantomData<Ctx>);

// SAFETY: `Device<Ctx>` is `repr(transparent)` over `Opaque<pci_dev>`; the
// context is a `PhantomData`, so every context has the same layout.
crate::impl_device_context_deref!(unsafe { Device });

impl<Ctx: DeviceContext> Device<Ctx> {
    fn as_raw(&self) -> *mut bindings::pci_dev {
        self.0.get()
    }

    /// The vendor ID.
    pub fn vendor_id(&self) -> Vendor {
        // SAFETY: valid (type invariant); a field set at enumeration.
        Vendor(unsafe { (*self.as_raw()).vendor })
    }

    /// The device ID.
    pub fn device_id(&self) -> u16 {
        // SAFETY: as for `vendor_id`.
        unsafe { (*self.as_raw()).device }
    }

    /// The revision ID.
    pub fn revision_id(&self) -> u8 {
        // SAFETY: as for `vendor_id`.
        unsafe { (*self.as_raw()).revision }
    }

    /// The length of BAR `bar` (0 if it is not implemented); `EINVAL` for
    /// a BAR number out of range.
    pub fn resource_len(&self, bar: u32) -> Result<bindings::resource_size_t> {
        if bar >= bindings::PCI_STD_NUM_BARS {
            return Err(EINVAL);
        }
        // SAFETY: valid device, BAR in range.
        Ok(unsafe { bindings::pci_resource_len(self.as_raw(), bar as c_int) })
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

// SAFETY: `pci_dev_get`/`pci_dev_put` keep the device alive.
unsafe impl AlwaysRefCounted for Device {
    fn inc_ref(&self) {
        // SAFETY: valid (type invariant).
        unsafe { bindings::pci_dev_get(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up a reference.
        unsafe { bindings::pci_dev_put(obj.cast().as_ptr()) }
    }
}

// SAFETY: the PCI core synchronises access to `struct pci_dev`.
unsafe impl Send for Device {}
// SAFETY: as above.
unsafe impl Sync for Device {}

/// The devres action of [`Device::enable_device_mem`].
///
/// # Safety
///
/// `pdev` must be a device enabled by `pci_enable_device_mem`.
unsafe extern "C" fn disable_device(pdev: *mut c_void) {
    // SAFETY: registered by `enable_device_mem` with the device, still
    // valid during devres release.
    unsafe { bindings::pci_disable_device(pdev.cast()) }
}

impl Device<Core> {
    /// Enables the device's memory space (C's `pci_enable_device_mem`);
    /// disabled again when the driver is unbound.
    pub fn enable_device_mem(&self) -> Result {
        // SAFETY: valid, locked device.
        to_result(unsafe { bindings::pci_enable_device_mem(self.as_raw()) })?;
        devres::add_action(self.as_ref(), disable_device, self.as_raw().cast())
    }

    /// Lets the device master the bus (DMA).
    pub fn set_master(&self) {
        // SAFETY: valid, locked device.
        unsafe { bindings::pci_set_master(self.as_raw()) }
    }
}

impl crate::dma::Device for Device<Core> {}

/// A mapped BAR of at least `SIZE` bytes: region requested, window
/// mapped; released on drop.
///
/// # Invariants
///
/// `io` is the mapping of BAR `num` of `pdev` by `pci_iomap`, whose region
/// this holds.
pub struct Bar<const SIZE: usize = 0> {
    pdev: ARef<Device>,
    io: MmioRaw<SIZE>,
    num: c_int,
}

impl<const SIZE: usize> Bar<SIZE> {
    fn new(pdev: &Device<Bound>, num: u32, name: &'static CStr) -> Result<Self> {
        let len = pdev.resource_len(num)?;
        if len == 0 {
            return Err(ENOMEM);
        }
        let num = num as c_int;
        // SAFETY: valid device, BAR in range; `name` is static.
        if unsafe { bindings::pci_request_region(pdev.as_raw(), num, name.as_char_ptr()) } != 0 {
            return Err(EBUSY);
        }
        // SAFETY: the region is ours.
        let addr = unsafe { bindings::pci_iomap(pdev.as_raw(), num, 0) };
        let release = || {
            // SAFETY: requested above.
            unsafe { bindings::pci_release_region(pdev.as_raw(), num) }
        };
        if addr.is_null() {
            release();
            return Err(ENOMEM);
        }
        let io = match MmioRaw::new(addr as usize, len as usize) {
            Ok(io) => io,
            Err(e) => {
                // SAFETY: mapped above.
                unsafe { bindings::pci_iounmap(pdev.as_raw(), addr) };
                release();
                return Err(e);
            }
        };
        let normal: &Device = pdev;
        // INVARIANT: mapped and requested above.
        Ok(Self {
            pdev: normal.into(),
            io,
            num,
        })
    }
}

impl<const SIZE: usize> Drop for Bar<SIZE> {
    fn drop(&mut self) {
        // SAFETY: mapped and requested (type invariant).
        unsafe {
            bindings::pci_iounmap(self.pdev.as_raw(), self.io.addr() as *mut c_void);
            bindings::pci_release_region(self.pdev.as_raw(), self.num);
        }
    }
}

impl<const SIZE: usize> Deref for Bar<SIZE> {
    type Target = Mmio<SIZE>;

    fn deref(&self) -> &Mmio<SIZE> {
        // SAFETY: mapped while `self` lives (type invariant).
        unsafe { Mmio::from_raw(&self.io) }
    }
}

/// Interrupt types to allocate vectors of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IrqType {
    /// Legacy INTx.
    Intx,
    /// MSI.
    Msi,
    /// MSI-X.
    MsiX,
}

/// A set of [`IrqType`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IrqTypes(u32);

impl IrqTypes {
    /// Every type.
    pub const fn all() -> Self {
        Self(bindings::PCI_IRQ_ALL_TYPES)
    }

    /// This set and `t`.
    pub const fn with(self, t: IrqType) -> Self {
        Self(
            self.0
                | match t {
                    IrqType::Intx => bindings::PCI_IRQ_INTX,
                    IrqType::Msi => bindings::PCI_IRQ_MSI,
                    IrqType::MsiX => bindings::PCI_IRQ_MSIX,
                },
        )
    }
}

/// An allocated interrupt vector of a bound device.
#[derive(Clone, Copy)]
pub struct IrqVector<'a> {
    dev: &'a Device<Bound>,
    index: u32,
}

impl IrqVector<'_> {
    /// The vector's index.
    pub fn index(&self) -> u32 {
        self.index
    }
}

impl<'a> TryFrom<IrqVector<'a>> for IrqRequest<'a> {
    type Error = Error;

    fn try_from(v: IrqVector<'a>) -> Result<Self> {
        // SAFETY: valid device; `index` was allocated.
        let irq = unsafe { bindings::pci_irq_vector(v.dev.as_raw(), v.index) };
        if irq < 0 {
            return Err(Error::from_errno(irq));
        }
        // SAFETY: the vector's line belongs to the device while the driver
        // is bound (vectors are freed at unbind).
        Ok(unsafe { IrqRequest::new(v.dev.as_ref(), irq as u32) })
    }
}

/// The devres action of [`Device::alloc_irq_vectors`].
///
/// # Safety
///
/// `pdev` must be a device with vectors from `pci_alloc_irq_vectors`.
unsafe extern "C" fn free_irq_vectors(pdev: *mut c_void) {
    // SAFETY: registered by `alloc_irq_vectors` with the device.
    unsafe { bindings::pci_free_irq_vectors(pdev.cast()) }
}

impl Device<Bound> {
    /// Maps BAR `bar`, of at least `SIZE` bytes, as a device-managed
    /// resource: unmapped when the driver is unbound, or when dropped.
    pub fn iomap_region_sized<'a, const SIZE: usize>(
        &'a self,
        bar: u32,
        name: &'static CStr,
    ) -> impl PinInit<Devres<Bar<SIZE>>, Error> + 'a {
        Devres::new(self.as_ref(), Bar::<SIZE>::new(self, bar, name))
    }

    /// [`Device::iomap_region_sized`] with no size known at build time
    /// (only the `try_` accessors then).
    pub fn iomap_region<'a>(
        &'a self,
        bar: u32,
        name: &'static CStr,
    ) -> impl PinInit<Devres<Bar>, Error> + 'a {
        self.iomap_region_sized::<0>(bar, name)
    }

    /// Allocates between `min_vecs` and `max_vecs` interrupt vectors of the
    /// given types, freed when the driver is unbound.
    pub fn alloc_irq_vectors(
        &self,
        min_vecs: u32,
        max_vecs: u32,
        irq_types: IrqTypes,
    ) -> Result<RangeInclusive<IrqVector<'_>>> {
        // SAFETY: valid device.
        let n = unsafe {
            bindings::pci_alloc_irq_vectors(self.as_raw(), min_vecs, max_vecs, irq_types.0)
        };
        if n < 0 {
            return Err(Error::from_errno(n));
        }
        if n == 0 {
            return Err(EINVAL);
        }
        devres::add_action(self.as_ref(), free_irq_vectors, self.as_raw().cast())?;
        Ok(IrqVector {
            dev: self,
            index: 0,
        }..=IrqVector {
            dev: self,
            index: n as u32 - 1,
        })
    }

    /// Registers `handler` for interrupt vector `vector`.
    pub fn request_irq<'a, T: irq::Handler + 'static>(
        &'a self,
        vector: IrqVector<'a>,
        flags: irq::Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<irq::Registration<T>, Error> + 'a {
        irq::Registration::from_request(IrqRequest::try_from(vector), flags, name, handler)
    }

    /// Registers threaded `handler` for interrupt vector `vector`.
    pub fn request_threaded_irq<'a, T: irq::ThreadedHandler + 'static>(
        &'a self,
        vector: IrqVector<'a>,
        flags: irq::Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<irq::ThreadedRegistration<T>, Error> + 'a {
        irq::ThreadedRegistration::from_request(IrqRequest::try_from(vector), flags, name, handler)
    }
}
