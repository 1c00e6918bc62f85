// SPDX-License-Identifier: GPL-2.0

//! Ethernet PHY drivers (the PHY library, `phylib`).
//!
//! C header: [`include/linux/phy.h`](srctree/include/linux/phy.h).
//!
//! A PHY driver implements [`Driver`] for a type per PHY model it handles:
//! the model's [`DeviceId`] and the operations it overrides, each called
//! with the [`Device`] it acts on. [`module_phy_driver!`] makes a module
//! that registers the drivers for its lifetime and exports their IDs for
//! module autoloading. The PHY library calls a driver only for the
//! operations it implements, and uses its generic code (`genphy_*`) for the
//! others.
//!
//! ```
//! use kernel::net::phy::{self, reg::C22, DeviceId, Driver};
//! use kernel::prelude::*;
//!
//! struct MyPhy;
//!
//! #[vtable]
//! impl Driver for MyPhy {
//!     const NAME: &'static CStr = c_str!("Example PHY");
//!     const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_model_mask(0x0012_3450);
//!
//!     // The chip needs its control register cleared before a reset.
//!     fn soft_reset(dev: &mut phy::Device) -> Result {
//!         dev.write(C22::BMCR, 0)?;
//!         dev.genphy_soft_reset()
//!     }
//! }
//!
//! // `module_phy_driver!` turns this into a module (see the macro).
//! assert_eq!(MyPhy::PHY_DEVICE_ID.mask_as_int(), 0xffff_fff0);
//! assert!(<MyPhy as Driver>::HAS_SOFT_RESET && !<MyPhy as Driver>::HAS_PROBE);
//! ```

use crate::device_id::RawDeviceId;
use crate::error::{from_result, to_result, Result, VTABLE_DEFAULT_ERROR};
use crate::prelude::*;
use crate::types::Opaque;
use core::marker::PhantomData;
use macros::kunit_tests;

pub mod reg;

/// The state of the PHY library's state machine for a device (C's
/// `enum phy_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceState {
    /// Neither the device nor its driver is ready.
    Down,
    /// Ready to be started.
    Ready,
    /// Up, but neither polled nor interrupting.
    Halted,
    /// Up, in an error state.
    Error,
    /// Up, and the attached MAC is ready.
    Up,
    /// Running, with a link.
    Running,
    /// Up, without a link (nothing plugged in).
    NoLink,
    /// Running a cable test.
    CableTest,
}

/// The duplex mode of a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplexMode {
    /// Full duplex.
    Full,
    /// Half duplex.
    Half,
    /// Not known.
    Unknown,
}

/// A PHY device, as a [`Driver`]'s operations are given it (C's
/// `struct phy_device`).
///
/// Only the PHY library creates these references, for the length of a
/// call into the driver.
///
/// # Invariants
///
/// The `phy_device` is valid, with its MDIO bus and its `struct device`
/// set up, and the holder of a `&mut Device` may read and write its fields
/// without further synchronisation: the PHY library calls most operations
/// with the device's lock (`phydev->lock`) held, and `probe`, `suspend` and
/// `resume` where nothing else uses the device.
#[repr(transparent)]
pub struct Device(Opaque<bindings::phy_device>);

impl Device {
    /// Views the PHY device at `ptr` for `'a`.
    ///
    /// # Safety
    ///
    /// For `'a`, `ptr` must point to a valid `phy_device` that the caller
    /// may access as the type invariant describes, and no other reference
    /// to it may be created.
    unsafe fn from_raw<'a>(ptr: *mut bindings::phy_device) -> &'a mut Self {
        // SAFETY: `repr(transparent)` over the C type; validity and
        // exclusivity for `'a` are the caller's guarantee.
        // INVARIANT: as the caller guarantees.
        unsafe { &mut *ptr.cast() }
    }

    /// The C `struct phy_device`.
    fn as_raw(&self) -> *mut bindings::phy_device {
        self.0.get()
    }

    /// The PHY's 32-bit identifier, as read from the device (C22 registers
    /// 2 and 3).
    pub fn phy_id(&self) -> u32 {
        // SAFETY: the device is valid and its fields may be read (type
        // invariant).
        unsafe { (*self.as_raw()).phy_id }
    }

    /// The state of the PHY library's state machine.
    pub fn state(&self) -> DeviceState {
        // SAFETY: as in `phy_id`.
        let state = unsafe { (*self.as_raw()).state };
        match state {
            bindings::phy_state_PHY_DOWN => DeviceState::Down,
            bindings::phy_state_PHY_READY => DeviceState::Ready,
            bindings::phy_state_PHY_HALTED => DeviceState::Halted,
            bindings::phy_state_PHY_UP => DeviceState::Up,
            bindings::phy_state_PHY_RUNNING => DeviceState::Running,
            bindings::phy_state_PHY_NOLINK => DeviceState::NoLink,
            bindings::phy_state_PHY_CABLETEST => DeviceState::CableTest,
            // `PHY_ERROR`, and any state a later kernel adds.
            _ => DeviceState::Error,
        }
    }

    /// Whether the link is up (the `link` bit the last status read left).
    pub fn is_link_up(&self) -> bool {
        // SAFETY: the device is valid and its fields may be read (type
        // invariant); the accessor reads the bitfield through the pointer.
        unsafe { bindings::phy_device::link_raw(self.as_raw()) != 0 }
    }

    /// Whether auto-negotiation is enabled.
    pub fn is_autoneg_enabled(&self) -> bool {
        // SAFETY: as in `is_link_up`.
        unsafe { bindings::phy_device::autoneg_raw(self.as_raw()) == bindings::AUTONEG_ENABLE }
    }

    /// Whether auto-negotiation has completed.
    pub fn is_autoneg_completed(&self) -> bool {
        // SAFETY: as in `is_link_up`.
        unsafe { bindings::phy_device::autoneg_complete_raw(self.as_raw()) != 0 }
    }

    /// Sets the link speed, in Mb/s (`uapi::SPEED_100`, ...).
    pub fn set_speed(&mut self, speed: u32) {
        // SAFETY: the device is valid and `&mut self` may write its
        // fields (type invariant). `SPEED_UNKNOWN` is -1 in C: the cast
        // keeps its bits.
        unsafe { (*self.as_raw()).speed = speed as i32 };
    }

    /// Sets the duplex mode.
    pub fn set_duplex(&mut self, mode: DuplexMode) {
        let v = match mode {
            DuplexMode::Full => bindings::DUPLEX_FULL,
            DuplexMode::Half => bindings::DUPLEX_HALF,
            DuplexMode::Unknown => bindings::DUPLEX_UNKNOWN,
        };
        // SAFETY: as in `set_speed`.
        unsafe { (*self.as_raw()).duplex = v as i32 };
    }

    /// Reads register `reg` ([`reg::C22`] or [`reg::C45`]).
    ///
    /// Takes `&mut self`: a read may have side effects on the device (some
    /// status bits clear when read) and updates the bus statistics.
    pub fn read<R: reg::Register>(&mut self, reg: R) -> Result<u16> {
        reg.read(self)
    }

    /// Writes `val` to register `reg` ([`reg::C22`] or [`reg::C45`]).
    pub fn write<R: reg::Register>(&mut self, reg: R, val: u16) -> Result {
        reg.write(self, val)
    }

    /// Reads C22 register `regnum` of page `page`, for PHYs with paged
    /// registers (`phy_read_paged`).
    pub fn read_paged(&mut self, page: u16, regnum: u16) -> Result<u16> {
        // SAFETY: the device is valid (type invariant); the C function
        // takes the bus lock itself.
        let ret = unsafe { bindings::phy_read_paged(self.as_raw(), page.into(), regnum.into()) };
        to_result(ret)?;
        Ok(ret as u16)
    }

    /// Sets speed and duplex from what both ends advertised
    /// (`phy_resolve_aneg_linkmode`).
    pub fn resolve_aneg_linkmode(&mut self) {
        // SAFETY: the device is valid and `&mut self` may write its fields
        // (type invariant).
        unsafe { bindings::phy_resolve_aneg_linkmode(self.as_raw()) };
    }

    /// Resets the PHY through `BMCR_RESET` and waits for the reset to end
    /// (`genphy_soft_reset`).
    pub fn genphy_soft_reset(&mut self) -> Result {
        // SAFETY: the device is valid and `&mut self` may change its
        // state (type invariant).
        to_result(unsafe { bindings::genphy_soft_reset(self.as_raw()) })
    }

    /// Resets and initialises the PHY (`phy_init_hw`).
    pub fn init_hw(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`.
        to_result(unsafe { bindings::phy_init_hw(self.as_raw()) })
    }

    /// Starts auto-negotiation, the PHY's lock being held (`_phy_start_aneg`).
    pub fn start_aneg(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`; the operations given a
        // `&mut Device` run with the lock `_phy_start_aneg` expects held.
        to_result(unsafe { bindings::_phy_start_aneg(self.as_raw()) })
    }

    /// Powers the PHY up, clearing `BMCR_PDOWN` (`genphy_resume`).
    pub fn genphy_resume(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`.
        to_result(unsafe { bindings::genphy_resume(self.as_raw()) })
    }

    /// Powers the PHY down, setting `BMCR_PDOWN` (`genphy_suspend`).
    pub fn genphy_suspend(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`.
        to_result(unsafe { bindings::genphy_suspend(self.as_raw()) })
    }

    /// Reads the link status, speed and duplex with the generic code of
    /// register kind `R`: `genphy_read_status` for [`reg::C22`],
    /// `genphy_c45_read_status` for [`reg::C45`].
    pub fn genphy_read_status<R: reg::Register>(&mut self) -> Result<u16> {
        R::read_status(self)
    }

    /// Reads the link status into [`Device::is_link_up`]
    /// (`genphy_update_link`).
    pub fn genphy_update_link(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`.
        to_result(unsafe { bindings::genphy_update_link(self.as_raw()) })
    }

    /// Reads the link partner's abilities (`genphy_read_lpa`).
    pub fn genphy_read_lpa(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`.
        to_result(unsafe { bindings::genphy_read_lpa(self.as_raw()) })
    }

    /// Reads the PHY's abilities into its supported link modes
    /// (`genphy_read_abilities`).
    pub fn genphy_read_abilities(&mut self) -> Result {
        // SAFETY: as in `genphy_soft_reset`.
        to_result(unsafe { bindings::genphy_read_abilities(self.as_raw()) })
    }
}

impl AsRef<crate::device::Device> for Device {
    fn as_ref(&self) -> &crate::device::Device {
        // SAFETY: the `struct device` of the PHY's MDIO device is valid as
        // long as the PHY is (type invariant), and `&self` borrows that.
        unsafe { crate::device::Device::from_raw(&raw mut (*self.as_raw()).mdio.dev) }
    }
}

/// Flags of a [`Driver`] ([`Driver::FLAGS`], C's `PHY_*` driver flags).
pub mod flags {
    /// The PHY is inside the MAC's chip.
    pub const IS_INTERNAL: u32 = bindings::PHY_IS_INTERNAL;
    /// The PHY must be reset after its reference clock is enabled.
    pub const RST_AFTER_CLK_EN: u32 = bindings::PHY_RST_AFTER_CLK_EN;
    /// Cable test results are polled for.
    pub const POLL_CABLE_TEST: u32 = bindings::PHY_POLL_CABLE_TEST;
    /// Call `suspend` even when the device is not attached.
    pub const ALWAYS_CALL_SUSPEND: u32 = bindings::PHY_ALWAYS_CALL_SUSPEND;
}

/// The C callbacks of driver `T`, which the PHY library calls with the
/// `phy_device` they act on.
struct Adapter<T: Driver> {
    _p: PhantomData<T>,
}

impl<T: Driver> Adapter<T> {
    /// Calls `f` with the [`Device`] at `phydev`; returns zero or a
    /// negative errno.
    ///
    /// # Safety
    ///
    /// `phydev` must be the device the PHY library passed to one of the
    /// callbacks below, which runs as `Device`'s invariant describes.
    unsafe fn call(
        phydev: *mut bindings::phy_device,
        f: impl FnOnce(&mut Device) -> Result,
    ) -> crate::ffi::c_int {
        from_result(|| {
            // SAFETY: the caller's guarantee; the reference ends with the
            // callback.
            f(unsafe { Device::from_raw(phydev) })?;
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn soft_reset(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: called with the PHY's lock held.
        unsafe { Self::call(phydev, T::soft_reset) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn probe(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: `phy_probe` calls it with the PHY's lock held, before
        // the device is attached to anything.
        unsafe { Self::call(phydev, T::probe) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn get_features(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: called from `phy_probe` with the PHY's lock held.
        unsafe { Self::call(phydev, T::get_features) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn suspend(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: the PHY library suspends a device where nothing else
        // uses it (the state machine is stopped first).
        unsafe { Self::call(phydev, T::suspend) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn resume(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: as for `suspend`: the state machine is not running yet.
        unsafe { Self::call(phydev, T::resume) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn config_aneg(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: called with the PHY's lock held.
        unsafe { Self::call(phydev, T::config_aneg) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn read_status(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: called with the PHY's lock held.
        unsafe { Self::call(phydev, |dev| T::read_status(dev).map(|_| ())) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn match_phy_device(phydev: *mut bindings::phy_device) -> crate::ffi::c_int {
        // SAFETY: `phydev` is the PHY library's device, valid for the call.
        // Known gap (the `&mut` here does not always hold the `Device`
        // invariant): the bus matches a device before a driver is bound to
        // it, but Linux 6.12's `__driver_attach` also matches the devices
        // already bound, without their lock, when another PHY driver
        // registers, so the state machine may be using it meanwhile. The
        // signature (`&mut Device`) is upstream's; a `match_phy_device`
        // should only read the identifiers set when the device was made.
        let dev = unsafe { Device::from_raw(phydev) };
        // Linux 6.12's callback does not say which driver is matched; the
        // operation gets the table its driver type describes.
        let drv = const { create_phy_driver::<T>() };
        T::match_phy_device(dev, &drv).into()
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn read_mmd(
        phydev: *mut bindings::phy_device,
        devnum: crate::ffi::c_int,
        regnum: u16,
    ) -> crate::ffi::c_int {
        from_result(|| {
            // SAFETY: called with the bus lock held, from the PHY
            // library's own register access, as for `soft_reset`.
            let dev = unsafe { Device::from_raw(phydev) };
            // MMD numbers are 5 bits wide.
            let val = T::read_mmd(dev, devnum as u8, regnum)?;
            Ok(val.into())
        })
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn write_mmd(
        phydev: *mut bindings::phy_device,
        devnum: crate::ffi::c_int,
        regnum: u16,
        val: u16,
    ) -> crate::ffi::c_int {
        // SAFETY: as for `read_mmd`.
        unsafe { Self::call(phydev, |dev| T::write_mmd(dev, devnum as u8, regnum, val)) }
    }

    /// # Safety
    ///
    /// Called by the PHY library only, with its device.
    unsafe extern "C" fn link_change_notify(phydev: *mut bindings::phy_device) {
        // SAFETY: the state machine calls it with the PHY's lock held.
        let dev = unsafe { Device::from_raw(phydev) };
        T::link_change_notify(dev);
    }
}

/// The C description of one [`Driver`] (C's `struct phy_driver`), made by
/// [`create_phy_driver`]; an array of them is what [`Registration`]
/// registers.
#[repr(transparent)]
pub struct DriverVTable(Opaque<bindings::phy_driver>);

// SAFETY: the PHY library synchronises its own use of a registered
// `phy_driver`; `&DriverVTable` offers nothing to Rust.
unsafe impl Sync for DriverVTable {}

/// The C description of driver `T`: its name, ID, flags and the callbacks
/// of the operations it implements.
pub const fn create_phy_driver<T: Driver>() -> DriverVTable {
    /// The callback if `T` implements the operation, else `None`, so that
    /// C falls back to its generic code.
    macro_rules! op {
        ($has:ident, $f:ident) => {
            if T::$has {
                Some(Adapter::<T>::$f as _)
            } else {
                None
            }
        };
    }
    DriverVTable(Opaque::new(bindings::phy_driver {
        name: T::NAME.as_char_ptr().cast_mut(),
        flags: T::FLAGS,
        phy_id: T::PHY_DEVICE_ID.0.phy_id,
        phy_id_mask: T::PHY_DEVICE_ID.0.phy_id_mask,
        soft_reset: op!(HAS_SOFT_RESET, soft_reset),
        probe: op!(HAS_PROBE, probe),
        get_features: op!(HAS_GET_FEATURES, get_features),
        match_phy_device: op!(HAS_MATCH_PHY_DEVICE, match_phy_device),
        suspend: op!(HAS_SUSPEND, suspend),
        resume: op!(HAS_RESUME, resume),
        config_aneg: op!(HAS_CONFIG_ANEG, config_aneg),
        read_status: op!(HAS_READ_STATUS, read_status),
        read_mmd: op!(HAS_READ_MMD, read_mmd),
        write_mmd: op!(HAS_WRITE_MMD, write_mmd),
        link_change_notify: op!(HAS_LINK_CHANGE_NOTIFY, link_change_notify),
        // SAFETY: `phy_driver` is C data (integers, pointers, optional
        // function pointers, a `device_driver`) for which all zeroes is
        // the "unset" value C drivers leave there.
        ..unsafe { core::mem::MaybeUninit::<bindings::phy_driver>::zeroed().assume_init() }
    }))
}

/// A PHY driver: one PHY model (or a family of them) and the operations
/// that differ from the PHY library's generic ones.
///
/// Every operation is optional; the PHY library calls only those an
/// implementation defines (`#[vtable]` records which: `HAS_PROBE`, ...).
/// Each gets the [`Device`] it acts on.
#[vtable]
pub trait Driver {
    /// Driver flags ([`flags`]).
    const FLAGS: u32 = 0;

    /// The driver's name, which is also its name in sysfs
    /// (`/sys/bus/mdio_bus/drivers/<NAME>`).
    const NAME: &'static CStr;

    /// The IDs the driver handles; without one, it relies on
    /// [`Driver::match_phy_device`].
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_custom_mask(0, 0);

    /// Resets the PHY.
    fn soft_reset(_dev: &mut Device) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Sets up a device the driver was matched with.
    fn probe(_dev: &mut Device) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reads the PHY's abilities into its supported link modes.
    fn get_features(_dev: &mut Device) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Whether the driver handles `dev`, for drivers an ID cannot describe.
    ///
    /// `drv` describes this driver (on Linux 6.12, whose PHY library does
    /// not pass it, a copy of what [`create_phy_driver`] makes for it).
    fn match_phy_device(_dev: &mut Device, _drv: &DriverVTable) -> bool {
        false
    }

    /// Configures what to advertise, and restarts auto-negotiation when
    /// enabled.
    fn config_aneg(_dev: &mut Device) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reads the link state, speed and duplex into the device.
    fn read_status(_dev: &mut Device) -> Result<u16> {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Puts the PHY into a low-power state.
    fn suspend(_dev: &mut Device) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Brings the PHY back from [`Driver::suspend`].
    fn resume(_dev: &mut Device) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reads C45 register `regnum` of MMD `devnum`, for PHYs that reach
    /// them their own way.
    fn read_mmd(_dev: &mut Device, _devnum: u8, _regnum: u16) -> Result<u16> {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes `val` to C45 register `regnum` of MMD `devnum`.
    fn write_mmd(_dev: &mut Device, _devnum: u8, _regnum: u16, _val: u16) -> Result {
        crate::build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Called by the state machine when the link changes.
    fn link_change_notify(_dev: &mut Device) {}
}

/// Registered PHY drivers, unregistered when dropped.
///
/// [`module_phy_driver!`] makes one in the module's `init`.
///
/// # Invariants
///
/// `drivers` were registered with `phy_drivers_register` and are not
/// unregistered yet.
pub struct Registration {
    drivers: Pin<&'static mut [DriverVTable]>,
}

// SAFETY: unregistering may happen on any thread; the registration gives
// no access to the drivers.
unsafe impl Send for Registration {}

// SAFETY: `&Registration` offers nothing.
unsafe impl Sync for Registration {}

impl Registration {
    /// Registers `drivers`, owned by `module`: the module cannot be
    /// unloaded while a device is bound to one of them.
    pub fn register(
        module: &'static crate::ThisModule,
        drivers: Pin<&'static mut [DriverVTable]>,
    ) -> Result<Self> {
        if drivers.is_empty() {
            return Err(EINVAL);
        }
        let n: crate::ffi::c_int = drivers.len().try_into()?;
        // SAFETY: `drivers` is an array of `n` `phy_driver`s
        // (`repr(transparent)`), made by `create_phy_driver`, pinned and
        // borrowed for `'static`: it stays valid until `drop`
        // unregisters it. On failure C unregisters what it registered.
        to_result(unsafe {
            bindings::phy_drivers_register(drivers[0].0.get(), n, module.as_ptr())
        })?;
        // INVARIANT: registered just above.
        Ok(Self { drivers })
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // The length was checked to fit a `c_int` in `register`.
        let n = self.drivers.len() as crate::ffi::c_int;
        // SAFETY: the drivers are registered (type invariant) and are not
        // used again.
        unsafe { bindings::phy_drivers_unregister(self.drivers[0].0.get(), n) };
    }
}

/// An ID a [`Driver`] handles: a PHY identifier and which of its bits to
/// compare (C's `struct mdio_device_id`).
///
/// ```
/// use kernel::net::phy::DeviceId;
///
/// // The low 4 bits of an ID are the chip's revision.
/// assert_eq!(DeviceId::new_with_model_mask(0x003b_1841).mask_as_int(), 0xffff_fff0);
/// assert_eq!(DeviceId::new_with_exact_mask(0x003b_1861).mask_as_int(), !0);
/// assert_eq!(DeviceId::new_with_vendor_mask(0x003b_1841).mask_as_int(), 0xffff_fc00);
/// assert_eq!(DeviceId::new_with_custom_mask(1, 0xff).mask_as_int(), 0xff);
/// ```
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::mdio_device_id);

// SAFETY: `repr(transparent)` over `mdio_device_id`, and a zeroed one ends
// an MDIO ID table.
unsafe impl RawDeviceId for DeviceId {
    type RawType = bindings::mdio_device_id;
}

impl DeviceId {
    /// All 32 bits.
    const MASK_EXACT: u32 = !0;
    /// All but the revision (the low 4 bits).
    const MASK_MODEL: u32 = !0 << 4;
    /// The vendor's OUI bits only.
    const MASK_VENDOR: u32 = !0 << 10;

    const fn new(id: u32, mask: u32) -> Self {
        Self(bindings::mdio_device_id {
            phy_id: id,
            phy_id_mask: mask,
        })
    }

    /// Matches `id` exactly.
    pub const fn new_with_exact_mask(id: u32) -> Self {
        Self::new(id, Self::MASK_EXACT)
    }

    /// Matches `id`'s model, any revision.
    pub const fn new_with_model_mask(id: u32) -> Self {
        Self::new(id, Self::MASK_MODEL)
    }

    /// Matches `id`'s vendor, any model.
    pub const fn new_with_vendor_mask(id: u32) -> Self {
        Self::new(id, Self::MASK_VENDOR)
    }

    /// Matches the bits of `id` that are set in `mask`.
    pub const fn new_with_custom_mask(id: u32, mask: u32) -> Self {
        Self::new(id, mask)
    }

    /// The ID of driver `T` ([`Driver::PHY_DEVICE_ID`]).
    pub const fn new_with_driver<T: Driver>() -> Self {
        T::PHY_DEVICE_ID
    }

    /// The mask, as a number.
    pub const fn mask_as_int(&self) -> u32 {
        self.0.phy_id_mask
    }

    /// The C structure, for the module's device table.
    #[doc(hidden)]
    pub const fn mdio_device_id(&self) -> bindings::mdio_device_id {
        self.0
    }
}

/// Makes a module that registers PHY drivers while it is loaded, and
/// exports their IDs so that the module is loaded for a matching PHY.
///
/// `drivers:` are the [`Driver`] types, `device_table:` the
/// [`DeviceId`]s; the other keys are those of
/// [`module!`](crate::prelude::module).
///
/// ```ignore
/// kernel::module_phy_driver! {
///     drivers: [PhyA, PhyB],
///     device_table: [
///         DeviceId::new_with_driver::<PhyA>(),
///         DeviceId::new_with_driver::<PhyB>(),
///     ],
///     name: "my_phys",
///     authors: ["Jane Doe"],
///     description: "PHY drivers for A and B",
///     license: "GPL",
/// }
/// ```
#[macro_export]
macro_rules! module_phy_driver {
    (@replace_expr $_t:tt $sub:expr) => {$sub};

    (@count_devices $($x:expr),*) => {
        0usize $(+ $crate::module_phy_driver!(@replace_expr $x 1usize))*
    };

    (@device_table [$($dev:expr),+]) => {
        const _: () = {
            const N: usize = $crate::module_phy_driver!(@count_devices $($dev),+);
            const TABLE: $crate::device_id::IdArray<$crate::net::phy::DeviceId, (), N> =
                $crate::device_id::IdArray::new_without_index([$($dev),+]);
            $crate::module_device_table!("mdio", __MOD_MDIO_DEVICE_TABLE, TABLE);
        };
    };

    (drivers: [$($driver:ident),+ $(,)?], device_table: [$($dev:expr),+ $(,)?], $($f:tt)*) => {
        struct Module {
            _reg: $crate::net::phy::Registration,
        }

        $crate::prelude::module! {
            type: Module,
            $($f)*
        }

        const _: () = {
            const N: usize = $crate::module_phy_driver!(@count_devices $($driver),+);
            static mut DRIVERS: [$crate::net::phy::DriverVTable; N] =
                [$($crate::net::phy::create_phy_driver::<$driver>()),+];

            impl $crate::Module for Module {
                fn init(
                    module: &'static $crate::ThisModule,
                ) -> $crate::error::Result<Self> {
                    let drivers = &raw mut DRIVERS;
                    // SAFETY: `init` runs once per load of the module, and
                    // nothing else names `DRIVERS`: this is the only
                    // reference to it, which the registration keeps (it
                    // never moves the array).
                    let drivers = unsafe { ::core::pin::Pin::static_mut(&mut *drivers) };
                    let reg = $crate::net::phy::Registration::register(module, drivers)?;
                    Ok(Module { _reg: reg })
                }
            }
        };

        $crate::module_phy_driver!(@device_table [$($dev),+]);
    }
}

#[kunit_tests(rust_kernel_net_phy)]
mod tests {
    //! A Rust PHY driver bound to an emulated PHY: an MDIO bus whose
    //! `read`/`write` callbacks serve one Clause 22 PHY at address 0
    //! (with Clause 45 registers behind the indirect `MMD_CONTROL`/
    //! `MMD_DATA` access), registered while the driver is, so that the
    //! PHY library finds the PHY, matches it to the driver by ID and
    //! probes it. The driver's `probe` exercises the abstractions and
    //! records what it saw.

    use super::reg::{Mmd, C22, C45};
    use super::{create_phy_driver, Device, DeviceId, Driver, DriverVTable, Registration};
    use crate::ffi::c_int;
    use crate::prelude::*;
    use crate::sync::atomic::{Atomic, Relaxed};
    use crate::uapi;

    const ID: u32 = 0x0012_3456;
    /// What the emulated PHY's C45 registers read as.
    const fn c45_value(devad: u32, regnum: u32) -> u32 {
        (devad << 11) ^ regnum ^ 0x5a5a
    }

    /// The emulated PHY's C22 registers.
    static REGS: [Atomic<u32>; 32] = [const { Atomic::new(0) }; 32];
    /// Indirect C45 access: the selected MMD and register.
    static MMD_DEVAD: Atomic<u32> = Atomic::new(0);
    static MMD_REG: Atomic<u32> = Atomic::new(0);
    /// The last C45 write, as `devad << 16 | regnum`, and its value.
    static C45_WRITE_AT: Atomic<u32> = Atomic::new(0);
    static C45_WRITE_VAL: Atomic<u32> = Atomic::new(0);

    /// What `probe` saw.
    static PROBES: Atomic<u32> = Atomic::new(0);
    static SEEN_ID: Atomic<u32> = Atomic::new(0);
    static SEEN_BMSR: Atomic<u32> = Atomic::new(0);
    static SEEN_C45: Atomic<u32> = Atomic::new(0);
    static SEEN_LINK: Atomic<u32> = Atomic::new(0);
    static SEEN_C45_WRITE: Atomic<u32> = Atomic::new(0);

    /// `MII_MMD_CTRL`'s function bits: 0 selects a register, the others
    /// access its data.
    const MMD_FUNC: u32 = 0xc000;

    /// The bus's `read`: the PHY at address 0, nothing elsewhere.
    ///
    /// # Safety
    ///
    /// None beyond C's: it only reads its integer arguments.
    unsafe extern "C" fn bus_read(
        _bus: *mut bindings::mii_bus,
        addr: c_int,
        regnum: c_int,
    ) -> c_int {
        if addr != 0 || !(0..32).contains(&regnum) {
            return 0xffff;
        }
        let regnum = regnum as u32;
        if regnum == uapi::MII_MMD_DATA {
            if REGS[uapi::MII_MMD_CTRL as usize].load(Relaxed) & MMD_FUNC != 0 {
                return c45_value(MMD_DEVAD.load(Relaxed), MMD_REG.load(Relaxed)) as c_int;
            }
            return MMD_REG.load(Relaxed) as c_int;
        }
        REGS[regnum as usize].load(Relaxed) as c_int
    }

    /// The bus's `write`: the PHY at address 0, nothing elsewhere.
    ///
    /// # Safety
    ///
    /// None beyond C's: it only reads its integer arguments.
    unsafe extern "C" fn bus_write(
        _bus: *mut bindings::mii_bus,
        addr: c_int,
        regnum: c_int,
        val: u16,
    ) -> c_int {
        if addr != 0 || !(0..32).contains(&regnum) {
            return 0;
        }
        let (regnum, val) = (regnum as u32, u32::from(val));
        if regnum == uapi::MII_MMD_CTRL && val & MMD_FUNC == 0 {
            MMD_DEVAD.store(val & 0x1f, Relaxed);
        } else if regnum == uapi::MII_MMD_DATA {
            if REGS[uapi::MII_MMD_CTRL as usize].load(Relaxed) & MMD_FUNC == 0 {
                MMD_REG.store(val, Relaxed);
            } else {
                C45_WRITE_AT.store(
                    MMD_DEVAD.load(Relaxed) << 16 | MMD_REG.load(Relaxed),
                    Relaxed,
                );
                C45_WRITE_VAL.store(val, Relaxed);
            }
            return 0;
        }
        REGS[regnum as usize].store(val, Relaxed);
        0
    }

    struct TestPhy;

    #[vtable]
    impl Driver for TestPhy {
        const NAME: &'static CStr = c_str!("rkal test PHY");
        const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_exact_mask(ID);

        fn probe(dev: &mut Device) -> Result {
            PROBES.store(PROBES.load(Relaxed) + 1, Relaxed);
            SEEN_ID.store(dev.phy_id(), Relaxed);
            SEEN_BMSR.store(dev.read(C22::BMSR)?.into(), Relaxed);
            dev.write(C22::vendor_specific::<0x10>(), 0xbeef)?;
            SEEN_C45.store(dev.read(C45::new(Mmd::VEND1, 0x123))?.into(), Relaxed);
            dev.write(C45::new(Mmd::PCS, 0x8000), 0x4321)?;
            // What reached the bus, before the PHY library's own accesses
            // that follow `probe`.
            SEEN_C45_WRITE.store(
                C45_WRITE_AT.load(Relaxed) ^ C45_WRITE_VAL.load(Relaxed) << 8,
                Relaxed,
            );
            // Link up, but auto-negotiation not complete: the PHY library
            // reports the link down.
            dev.genphy_update_link()?;
            let before = u32::from(dev.is_link_up());
            // The PHY completes auto-negotiation.
            let bmsr = &REGS[uapi::MII_BMSR as usize];
            bmsr.store(bmsr.load(Relaxed) | uapi::BMSR_ANEGCOMPLETE, Relaxed);
            dev.genphy_update_link()?;
            let after = u32::from(dev.is_link_up()) << 1
                | u32::from(dev.is_autoneg_completed()) << 2
                | u32::from(dev.is_autoneg_enabled()) << 3;
            SEEN_LINK.store(before | after, Relaxed);
            Ok(())
        }
    }

    static mut DRIVERS: [DriverVTable; 1] = [create_phy_driver::<TestPhy>()];

    /// Registers an emulated MDIO bus, runs `f`, and removes the bus.
    fn with_bus(f: impl FnOnce()) -> Result {
        // SAFETY: no requirements; a null result is handled.
        let bus = unsafe { bindings::mdiobus_alloc_size(0) };
        if bus.is_null() {
            return Err(ENOMEM);
        }
        let id = b"rkal-phy-test\0";
        // SAFETY: `bus` was just allocated and is ours; `id` fits the
        // `MII_BUS_ID_SIZE` array; the name has static storage.
        unsafe {
            (*bus).name = c"rkal test MDIO bus".as_ptr().cast();
            core::ptr::copy_nonoverlapping(id.as_ptr(), (*bus).id.as_mut_ptr().cast(), id.len());
            (*bus).read = Some(bus_read);
            (*bus).write = Some(bus_write);
            // Only address 0 holds a PHY.
            (*bus).phy_mask = !1;
        }
        // SAFETY: `bus` is set up above; a null owner stands for built-in
        // code.
        let ret = unsafe { bindings::__mdiobus_register(bus, core::ptr::null_mut()) };
        if ret == 0 {
            f();
            // SAFETY: registered above; removes the PHY device with it.
            unsafe { bindings::mdiobus_unregister(bus) };
        }
        // SAFETY: `bus` is unregistered (or never was) and not used again.
        unsafe { bindings::mdiobus_free(bus) };
        crate::error::to_result(ret)
    }

    #[test]
    fn driver_probes_the_emulated_phy_and_reaches_its_registers() {
        let bmsr = uapi::BMSR_LSTATUS | uapi::BMSR_ANEGCAPABLE | uapi::BMSR_100FULL;
        REGS[uapi::MII_BMSR as usize].store(bmsr, Relaxed);
        REGS[uapi::MII_PHYSID1 as usize].store(ID >> 16, Relaxed);
        REGS[uapi::MII_PHYSID2 as usize].store(ID & 0xffff, Relaxed);
        PROBES.store(0, Relaxed);

        let drivers = &raw mut DRIVERS;
        // SAFETY: the test is the only user of `DRIVERS`, and unregisters
        // it (drops `reg`) before it ends.
        let drivers = unsafe { Pin::static_mut(&mut *drivers) };
        static THIS: crate::ThisModule =
            // SAFETY: a null module stands for built-in code, which this
            // test is: nothing takes a reference on it or unloads it.
            unsafe { crate::ThisModule::from_ptr(core::ptr::null_mut()) };
        let reg = Registration::register(&THIS, drivers);
        assert!(reg.is_ok());
        assert_eq!(with_bus(|| {}), Ok(()));
        drop(reg);

        assert_eq!(PROBES.load(Relaxed), 1);
        assert_eq!(SEEN_ID.load(Relaxed), ID);
        assert_eq!(SEEN_BMSR.load(Relaxed), bmsr);
        assert_eq!(REGS[0x10].load(Relaxed), 0xbeef);
        assert_eq!(
            SEEN_C45.load(Relaxed),
            c45_value(uapi::MDIO_MMD_VEND1, 0x123)
        );
        let c45_write = (uapi::MDIO_MMD_PCS << 16 | 0x8000) ^ 0x4321 << 8;
        assert_eq!(SEEN_C45_WRITE.load(Relaxed), c45_write);
        // Down before auto-negotiation completed; then up, completed, and
        // enabled (as a new PHY device starts).
        assert_eq!(SEEN_LINK.load(Relaxed), 0b1110);
    }

    #[test]
    fn registering_no_driver_is_einval() {
        static mut NONE: [DriverVTable; 0] = [];
        let drivers = &raw mut NONE;
        // SAFETY: only this test names `NONE`.
        let drivers = unsafe { Pin::static_mut(&mut *drivers) };
        static THIS: crate::ThisModule =
            // SAFETY: a null module stands for built-in code, which this
            // test is: nothing takes a reference on it or unloads it.
            unsafe { crate::ThisModule::from_ptr(core::ptr::null_mut()) };
        assert!(matches!(Registration::register(&THIS, drivers), Err(e) if e == EINVAL));
    }
}
