// SPDX-License-Identifier: GPL-2.0

//! ACPI matching: a driver's table of ACPI hardware IDs
//! ([`acpi_device_table!`](crate::acpi_device_table)), given to a bus as
//! its `ACPI_ID_TABLE` (`platform::Driver::ACPI_ID_TABLE`).
//!
//! Kernels without `CONFIG_ACPI` (this project's test kernel) never match
//! by it.

use crate::device_id::{RawDeviceId, RawDeviceIdIndex};
use crate::str::CStr;

/// A driver's ACPI ID table.
pub type IdTable<T> = &'static dyn crate::device_id::IdTable<DeviceId, T>;

/// An entry of an ACPI ID table (C's `struct acpi_device_id`), matching
/// one hardware ID (`_HID` or `_CID`).
///
/// ```
/// use kernel::acpi;
/// use kernel::device_id::IdTable;
///
/// kernel::acpi_device_table!(
///     ACPI_TABLE,
///     MODULE_ACPI_TABLE,
///     (),
///     [(acpi::DeviceId::new(c_str!("LNUXBEEF")), ())]
/// );
///
/// assert_eq!(acpi::DeviceId::new(c_str!("LNUXBEEF")).hid(), c_str!("LNUXBEEF"));
/// assert_eq!(ACPI_TABLE.id(0).driver_data, 0);
/// assert_eq!(ACPI_TABLE.id(0).id[..9], *b"LNUXBEEF\0");
/// ```
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::acpi_device_id);

impl DeviceId {
    /// Matches devices with hardware ID `id` (at most 15 bytes; a longer
    /// one fails the build).
    pub const fn new(id: &'static CStr) -> Self {
        let src = id.as_bytes_with_nul();
        // SAFETY: a zeroed `acpi_device_id` is valid: integers and bytes.
        let mut raw: bindings::acpi_device_id = unsafe { core::mem::zeroed() };
        let mut i = 0;
        while i < src.len() {
            raw.id[i] = src[i];
            i += 1;
        }
        Self(raw)
    }

    /// The hardware ID matched.
    pub fn hid(&self) -> &CStr {
        // SAFETY: `new` copied a NUL-terminated string into the array, or
        // the array is all zeroes; either way it holds a NUL.
        unsafe { CStr::from_char_ptr(self.0.id.as_ptr().cast()) }
    }
}

// SAFETY: `repr(transparent)` over `acpi_device_id`; a zeroed one ends a
// table.
unsafe impl RawDeviceId for DeviceId {
    type RawType = bindings::acpi_device_id;
}

// SAFETY: `driver_data` is a `kernel_ulong_t`, passed back with the match.
unsafe impl RawDeviceIdIndex for DeviceId {
    const DRIVER_DATA_OFFSET: usize = core::mem::offset_of!(bindings::acpi_device_id, driver_data);

    fn index(&self) -> usize {
        self.0.driver_data
    }
}

/// Declares an ACPI ID table `$table` (and exports it as `$module_table`
/// for module autoloading):
/// `acpi_device_table!(TABLE, MODULE_TABLE, <D as platform::Driver>::IdInfo, [(acpi::DeviceId::new(c"LNUXBEEF"), info), ...]);`
#[macro_export]
macro_rules! acpi_device_table {
    ($table_name:ident, $module_table_name:ident, $id_info_type: ty, $table_data: expr) => {
        const $table_name: $crate::device_id::IdArray<
            $crate::acpi::DeviceId,
            $id_info_type,
            { $table_data.len() },
        > = $crate::device_id::IdArray::new($table_data);

        $crate::module_device_table!("acpi", $module_table_name, $table_name);
    };
}
