// SPDX-License-Identifier: GPL-2.0

//! Open Firmware (device tree) matching: a driver's table of `compatible`
//! strings ([`of_device_table!`](crate::of_device_table)), given to a bus
//! as its `OF_ID_TABLE` (`platform::Driver::OF_ID_TABLE`).
//!
//! Kernels without `CONFIG_OF` (x86 here) never match by it; a platform
//! driver then binds by name and gets no ID information.

use crate::device_id::{RawDeviceId, RawDeviceIdIndex};
use crate::str::CStr;

/// A driver's OF ID table.
pub type IdTable<T> = &'static dyn crate::device_id::IdTable<DeviceId, T>;

/// An entry of an OF ID table (C's `struct of_device_id`), matching one
/// `compatible` string.
///
/// ```
/// use kernel::device_id::IdTable;
/// use kernel::of;
///
/// kernel::of_device_table!(
///     OF_TABLE,
///     MODULE_OF_TABLE,
///     u32,
///     [
///         (of::DeviceId::new(c_str!("vendor,first")), 1),
///         (of::DeviceId::new(c_str!("vendor,second")), 2),
///     ]
/// );
///
/// let second = of::DeviceId::new(c_str!("vendor,second"));
/// assert_eq!(second.compatible(), c_str!("vendor,second"));
/// // Each entry's `data` holds its index into the information.
/// assert_eq!(OF_TABLE.id(1).data as usize, 1);
/// assert_eq!(*OF_TABLE.info(1), 2);
/// ```
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct DeviceId(bindings::of_device_id);

impl DeviceId {
    /// Matches devices whose `compatible` property lists `compatible`
    /// (at most 127 bytes; a longer one fails the build).
    pub const fn new(compatible: &'static CStr) -> Self {
        let src = compatible.as_bytes_with_nul();
        // SAFETY: a zeroed `of_device_id` is valid: byte arrays and a null
        // pointer.
        let mut id: bindings::of_device_id = unsafe { core::mem::zeroed() };
        let mut i = 0;
        while i < src.len() {
            id.compatible[i] = src[i] as _;
            i += 1;
        }
        Self(id)
    }

    /// The `compatible` string matched.
    pub fn compatible(&self) -> &CStr {
        // SAFETY: `new` copied a NUL-terminated string into the array, or
        // the array is all zeroes; either way it holds a NUL.
        unsafe { CStr::from_char_ptr(self.0.compatible.as_ptr()) }
    }
}

// SAFETY: `repr(transparent)` over `of_device_id`; a zeroed one ends a
// table.
unsafe impl RawDeviceId for DeviceId {
    type RawType = bindings::of_device_id;
}

// SAFETY: `data` is a pointer, as large as `kernel_ulong_t`, passed back
// with the match.
unsafe impl RawDeviceIdIndex for DeviceId {
    const DRIVER_DATA_OFFSET: usize = core::mem::offset_of!(bindings::of_device_id, data);

    fn index(&self) -> usize {
        self.0.data as usize
    }
}

/// Declares an OF ID table `$table` (and exports it as `$module_table` for
/// module autoloading):
/// `of_device_table!(TABLE, MODULE_TABLE, <D as platform::Driver>::IdInfo, [(of::DeviceId::new(c"vendor,dev"), info), ...]);`
#[macro_export]
macro_rules! of_device_table {
    ($table_name:ident, $module_table_name:ident, $id_info_type: ty, $table_data: expr) => {
        const $table_name: $crate::device_id::IdArray<
            $crate::of::DeviceId,
            $id_info_type,
            { $table_data.len() },
        > = $crate::device_id::IdArray::new($table_data);

        $crate::module_device_table!("of", $module_table_name, $table_name);
    };
}
