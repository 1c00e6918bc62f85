// SPDX-License-Identifier: GPL-2.0
// expect: call to unsafe function `table_entry` is unsafe
//! `module_phy_driver!`'s `unsafe` block (pinning its static driver
//! table) holds none of the caller's tokens: a device table entry that
//! needs `unsafe` does not compile without it.
use kernel::net::phy::{DeviceId, Driver};
use kernel::prelude::*;

/// # Safety
///
/// None needed; `unsafe` only to show where the macro expands it.
const unsafe fn table_entry() -> DeviceId {
    DeviceId::new_with_exact_mask(0x0012_3450)
}

struct P;

#[vtable]
impl Driver for P {
    const NAME: &'static CStr = c_str!("cf phy");
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_exact_mask(0x0012_3450);
}

kernel::module_phy_driver! {
    drivers: [P],
    device_table: [table_entry()],
    name: "cf_phy",
    authors: ["rkal developers"],
    description: "compile-fail case",
    license: "GPL",
}
