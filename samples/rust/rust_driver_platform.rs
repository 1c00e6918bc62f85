// SPDX-License-Identifier: GPL-2.0

//! A platform driver, and a platform device for it to bind to.
//!
//! Upstream's `rust_driver_platform` binds to a device the firmware
//! describes (a device-tree node, an ACPI table). The x86 QEMU machine
//! this project boots has neither, so this module also registers the
//! device, with `platform::DeviceRegistration` (an addition to upstream's
//! API): a device named like the driver, which binds to it by name; its
//! `probe` then gets no ID information. The OF table is there as upstream
//! writes it, for machines with a device tree.
//!
//! Loading the module binds the driver (`/sys/bus/platform/drivers/
//! rust_driver_platform/rust_driver_platform`); sysfs `unbind` and `bind`
//! work on it; unloading it unbinds, then removes the device.
//! `scripts/checks/platform_driver.sh` checks all of that from userspace.

use kernel::{c_str, device::Core, driver, of, platform, prelude::*, str::CStr, sync::aref::ARef};

/// The driver's name, and the name of the device it binds to.
const NAME: &CStr = c_str!("rust_driver_platform");

module! {
    type: SampleModule,
    name: "rust_driver_platform",
    authors: ["rkal developers"],
    description: "Platform driver sample, with its own platform device",
    license: "GPL",
}

/// What the driver keeps per entry of its OF table.
struct Info(u32);

kernel::of_device_table!(
    OF_TABLE,
    MODULE_OF_TABLE,
    <SampleDriver as platform::Driver>::IdInfo,
    [(of::DeviceId::new(c_str!("test,rust-device")), Info(42))]
);

/// The driver's data for a bound device.
struct SampleDriver {
    pdev: ARef<platform::Device>,
}

impl platform::Driver for SampleDriver {
    type IdInfo = Info;
    const OF_ID_TABLE: Option<of::IdTable<Self::IdInfo>> = Some(&OF_TABLE);

    fn probe(pdev: &platform::Device<Core>, info: Option<&Info>) -> impl PinInit<Self, Error> {
        match info {
            Some(info) => dev_info!(pdev, "probed, matched by OF, info {}\n", info.0),
            None => dev_info!(pdev, "probed, matched by name\n"),
        }
        let normal: &platform::Device = pdev;
        Ok(SampleDriver {
            pdev: normal.into(),
        })
    }

    fn unbind(pdev: &platform::Device<Core>, _this: Pin<&Self>) {
        dev_info!(pdev, "unbinding\n");
    }
}

impl Drop for SampleDriver {
    fn drop(&mut self) {
        dev_info!(self.pdev, "driver data dropped\n");
    }
}

/// The module: the driver, and the device it binds to.
#[pin_data]
struct SampleModule {
    // Dropped first (fields drop in declaration order): the device goes,
    // which unbinds the driver, then the driver is unregistered.
    _device: platform::DeviceRegistration,
    #[pin]
    _driver: driver::Registration<platform::Adapter<SampleDriver>>,
}

impl kernel::InPlaceModule for SampleModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("registering the driver and its device\n");
        try_pin_init!(Self {
            // The driver first: registering the device then binds it.
            _driver <- driver::Registration::new(NAME, module),
            _device: platform::DeviceRegistration::new(NAME, None)?,
        })
    }
}
