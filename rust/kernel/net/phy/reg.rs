// SPDX-License-Identifier: GPL-2.0

//! PHY registers: the 32 standard registers of Clause 22 ([`C22`]) and the
//! per-device register spaces of Clause 45 ([`C45`], addressed by an
//! [`Mmd`] and a 16-bit number), both read and written through
//! [`Device::read`] and [`Device::write`].
//!
//! C headers: [`include/uapi/linux/mii.h`](srctree/include/uapi/linux/mii.h),
//! [`include/uapi/linux/mdio.h`](srctree/include/uapi/linux/mdio.h).
//!
//! ```
//! use kernel::net::phy::reg::{Mmd, C22, C45};
//!
//! // A C22 register is its number on the bus; a C45 register is a
//! // device (MMD) and a number within it.
//! assert_ne!(C22::BMCR, C22::BMSR);
//! assert_eq!(C45::new(Mmd::PCS, 0x20), C45::new(Mmd::PCS, 0x20));
//! assert_ne!(C45::new(Mmd::PCS, 0x20), C45::new(Mmd::PMAPMD, 0x20));
//! ```

use super::Device;
use crate::build_assert;
use crate::error::{to_result, Result};
use crate::uapi;

mod private {
    /// Only this module's register kinds implement [`super::Register`].
    pub trait Sealed {}
}

/// A kind of PHY register address: how [`Device::read`],
/// [`Device::write`] and [`Device::genphy_read_status`] reach the PHY.
/// Implemented by [`C22`] and [`C45`] only.
pub trait Register: private::Sealed {
    /// Reads this register of `dev`.
    fn read(&self, dev: &mut Device) -> Result<u16>;

    /// Writes `val` to this register of `dev`.
    fn write(&self, dev: &mut Device, val: u16) -> Result;

    /// The generic link status read for PHYs of this kind
    /// (`genphy_read_status` or `genphy_c45_read_status`).
    fn read_status(dev: &mut Device) -> Result<u16>;
}

/// Turns a C return value (a negative errno, or a register value) into a
/// register value.
fn to_reg(ret: crate::ffi::c_int) -> Result<u16> {
    to_result(ret)?;
    // Non-negative: a 16-bit register value (or zero for a status read).
    Ok(ret as u16)
}

/// A Clause 22 register: one of the 32 registers every PHY has.
///
/// The standard ones are named after `mii.h`; 16 to 31 are the vendor's,
/// [`C22::vendor_specific`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct C22(u8);

impl C22 {
    /// Basic mode control (`MII_BMCR`).
    pub const BMCR: Self = C22(uapi::MII_BMCR as u8);
    /// Basic mode status (`MII_BMSR`).
    pub const BMSR: Self = C22(uapi::MII_BMSR as u8);
    /// PHY identifier, high half (`MII_PHYSID1`).
    pub const PHYSID1: Self = C22(uapi::MII_PHYSID1 as u8);
    /// PHY identifier, low half (`MII_PHYSID2`).
    pub const PHYSID2: Self = C22(uapi::MII_PHYSID2 as u8);
    /// Auto-negotiation advertisement (`MII_ADVERTISE`).
    pub const ADVERTISE: Self = C22(uapi::MII_ADVERTISE as u8);
    /// Link partner ability (`MII_LPA`).
    pub const LPA: Self = C22(uapi::MII_LPA as u8);
    /// Auto-negotiation expansion (`MII_EXPANSION`).
    pub const EXPANSION: Self = C22(uapi::MII_EXPANSION as u8);
    /// Next page transmit.
    pub const NEXT_PAGE_TRANSMIT: Self = C22(0x07);
    /// Link partner's received next page.
    pub const LP_RECEIVED_NEXT_PAGE: Self = C22(0x08);
    /// 1000BASE-T master/slave control (`MII_CTRL1000`).
    pub const MASTER_SLAVE_CONTROL: Self = C22(uapi::MII_CTRL1000 as u8);
    /// 1000BASE-T master/slave status (`MII_STAT1000`).
    pub const MASTER_SLAVE_STATUS: Self = C22(uapi::MII_STAT1000 as u8);
    /// Power sourcing equipment control.
    pub const PSE_CONTROL: Self = C22(0x0b);
    /// Power sourcing equipment status.
    pub const PSE_STATUS: Self = C22(0x0c);
    /// MMD access control, for Clause 45 registers through Clause 22
    /// (`MII_MMD_CTRL`).
    pub const MMD_CONTROL: Self = C22(uapi::MII_MMD_CTRL as u8);
    /// MMD access data (`MII_MMD_DATA`).
    pub const MMD_DATA: Self = C22(uapi::MII_MMD_DATA as u8);
    /// Extended status (`MII_ESTATUS`).
    pub const EXTENDED_STATUS: Self = C22(uapi::MII_ESTATUS as u8);

    /// Vendor register `N`, which must be 16 to 31 (checked at build
    /// time).
    ///
    /// ```
    /// use kernel::net::phy::reg::C22;
    /// assert_eq!(C22::vendor_specific::<0x1f>(), C22::vendor_specific::<31>());
    /// ```
    pub const fn vendor_specific<const N: u8>() -> Self {
        build_assert!(
            N >= 0x10 && N <= 0x1f,
            "a vendor-specific C22 register is 16 to 31"
        );
        C22(N)
    }
}

impl private::Sealed for C22 {}

impl Register for C22 {
    fn read(&self, dev: &mut Device) -> Result<u16> {
        let phydev = dev.as_raw();
        // SAFETY: `phydev` is valid and its MDIO bus and address are set
        // while the driver runs (`Device`'s invariant); `mdiobus_read`
        // takes the bus lock itself. This is C's `phy_read`.
        to_reg(unsafe {
            bindings::mdiobus_read((*phydev).mdio.bus, (*phydev).mdio.addr, self.0.into())
        })
    }

    fn write(&self, dev: &mut Device, val: u16) -> Result {
        let phydev = dev.as_raw();
        // SAFETY: as in `read`; this is C's `phy_write`.
        to_result(unsafe {
            bindings::mdiobus_write((*phydev).mdio.bus, (*phydev).mdio.addr, self.0.into(), val)
        })
    }

    fn read_status(dev: &mut Device) -> Result<u16> {
        // SAFETY: `phydev` is valid and the caller holds the PHY's lock or
        // has exclusive access (`Device`'s invariant).
        to_reg(unsafe { bindings::genphy_read_status(dev.as_raw()) })
    }
}

/// A Clause 45 MDIO Manageable Device: one register space of a PHY
/// (`MDIO_MMD_*`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Mmd(u8);

impl Mmd {
    /// Physical medium attachment / dependent.
    pub const PMAPMD: Self = Mmd(uapi::MDIO_MMD_PMAPMD as u8);
    /// WAN interface sublayer.
    pub const WIS: Self = Mmd(uapi::MDIO_MMD_WIS as u8);
    /// Physical coding sublayer.
    pub const PCS: Self = Mmd(uapi::MDIO_MMD_PCS as u8);
    /// PHY extender sublayer.
    pub const PHYXS: Self = Mmd(uapi::MDIO_MMD_PHYXS as u8);
    /// DTE extender sublayer.
    pub const DTEXS: Self = Mmd(uapi::MDIO_MMD_DTEXS as u8);
    /// Transmission convergence.
    pub const TC: Self = Mmd(uapi::MDIO_MMD_TC as u8);
    /// Auto-negotiation.
    pub const AN: Self = Mmd(uapi::MDIO_MMD_AN as u8);
    /// Separated PMA (1).
    pub const SEPARATED_PMA1: Self = Mmd(8);
    /// Separated PMA (2).
    pub const SEPARATED_PMA2: Self = Mmd(9);
    /// Separated PMA (3).
    pub const SEPARATED_PMA3: Self = Mmd(10);
    /// Separated PMA (4).
    pub const SEPARATED_PMA4: Self = Mmd(11);
    /// OFDM PMA/PMD.
    pub const OFDM_PMAPMD: Self = Mmd(12);
    /// Power unit.
    pub const POWER_UNIT: Self = Mmd(13);
    /// Clause 22 extension.
    pub const C22_EXT: Self = Mmd(uapi::MDIO_MMD_C22EXT as u8);
    /// Vendor specific 1.
    pub const VEND1: Self = Mmd(uapi::MDIO_MMD_VEND1 as u8);
    /// Vendor specific 2.
    pub const VEND2: Self = Mmd(uapi::MDIO_MMD_VEND2 as u8);
}

/// A Clause 45 register: register `regnum` of device `devad`.
///
/// On a PHY that only speaks Clause 22 on the bus, the PHY library reaches
/// it indirectly (through [`C22::MMD_CONTROL`] and [`C22::MMD_DATA`]), or
/// through the driver's own [`Driver::read_mmd`](super::Driver::read_mmd)
/// and [`Driver::write_mmd`](super::Driver::write_mmd).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct C45 {
    devad: Mmd,
    regnum: u16,
}

impl C45 {
    /// Register `regnum` of `devad`.
    pub fn new(devad: Mmd, regnum: u16) -> Self {
        Self { devad, regnum }
    }
}

impl private::Sealed for C45 {}

impl Register for C45 {
    fn read(&self, dev: &mut Device) -> Result<u16> {
        // SAFETY: `phydev` is valid (`Device`'s invariant); `phy_read_mmd`
        // takes the bus lock itself.
        to_reg(unsafe {
            bindings::phy_read_mmd(dev.as_raw(), self.devad.0.into(), self.regnum.into())
        })
    }

    fn write(&self, dev: &mut Device, val: u16) -> Result {
        // SAFETY: as in `read`.
        to_result(unsafe {
            bindings::phy_write_mmd(dev.as_raw(), self.devad.0.into(), self.regnum.into(), val)
        })
    }

    fn read_status(dev: &mut Device) -> Result<u16> {
        // SAFETY: `phydev` is valid and the caller holds the PHY's lock or
        // has exclusive access (`Device`'s invariant).
        to_reg(unsafe { bindings::genphy_c45_read_status(dev.as_raw()) })
    }
}
