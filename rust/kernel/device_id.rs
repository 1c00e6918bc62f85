// SPDX-License-Identifier: GPL-2.0

//! Device ID tables, as bus drivers declare them: an array of the bus's C
//! ID structure (`pci_device_id`, ...) ending in a zeroed entry, and, next
//! to it, the driver's own information for each entry (`IdInfo`), found
//! through the index the table stores in the C entry's `driver_data`.

use core::mem::MaybeUninit;

/// A bus's device ID, a transparent wrapper of its C structure.
///
/// # Safety
///
/// `Self` must have the layout of `RawType` (`repr(transparent)`), and a
/// zeroed `RawType` must be the table terminator C expects.
pub unsafe trait RawDeviceId {
    /// The C structure (`bindings::pci_device_id`, ...).
    type RawType: Copy;
}

/// A [`RawDeviceId`] whose C structure has a `driver_data` field the table
/// uses for the index of the entry's `IdInfo`.
///
/// # Safety
///
/// `DRIVER_DATA_OFFSET` must be the offset of a field of `RawType` as
/// large as a `kernel_ulong_t` (one, or a pointer, as `of_device_id`'s
/// `data`), which the bus passes back unchanged with the matched entry.
pub unsafe trait RawDeviceIdIndex: RawDeviceId {
    /// The offset of `driver_data` in `RawType`.
    const DRIVER_DATA_OFFSET: usize;

    /// The index stored in this entry's `driver_data`.
    fn index(&self) -> usize;
}

/// The C table (`N` entries and the terminator).
#[repr(C)]
pub struct RawIdArray<T: RawDeviceId, const N: usize> {
    ids: [T::RawType; N],
    sentinel: MaybeUninit<T::RawType>,
}

/// A device ID table: the C array (with each entry's index in its
/// `driver_data`) and each entry's `IdInfo`.
#[repr(C)]
pub struct IdArray<T: RawDeviceId, U, const N: usize> {
    raw_ids: RawIdArray<T, N>,
    id_infos: [U; N],
}

impl<T: RawDeviceIdIndex, U, const N: usize> IdArray<T, U, N> {
    /// The table of `ids`, each with its information.
    // Const raw-pointer writes are stable since 1.83; the toolchain is
    // pinned (scripts/toolchain.conf) past it.
    #[allow(clippy::incompatible_msrv)]
    pub const fn new(ids: [(T, U); N]) -> Self {
        let ids = core::mem::ManuallyDrop::new(ids);
        // `ManuallyDrop` is `repr(transparent)`: the array, never dropped.
        let base = (&raw const ids).cast::<(T, U)>();
        let mut raw: [MaybeUninit<T::RawType>; N] = [const { MaybeUninit::uninit() }; N];
        let mut infos: [MaybeUninit<U>; N] = [const { MaybeUninit::uninit() }; N];
        let mut i = 0;
        while i < N {
            // SAFETY: `i < N`: an element of `ids`, alive (never dropped).
            let item = unsafe { &*base.add(i) };
            // SAFETY: `T` has `RawType`'s layout (`RawDeviceId`), and the
            // `T` in `ids` is never dropped: reading its bits moves it.
            let mut r: T::RawType = unsafe { core::ptr::read(core::ptr::from_ref(&item.0).cast()) };
            // SAFETY: each `U` is moved out once, and `ids` is never dropped.
            let info = unsafe { core::ptr::read(&item.1) };
            // SAFETY: `DRIVER_DATA_OFFSET` is the offset of a field of
            // `kernel_ulong_t`'s size in `RawType` (`RawDeviceIdIndex`).
            unsafe {
                (&raw mut r)
                    .cast::<u8>()
                    .add(T::DRIVER_DATA_OFFSET)
                    .cast::<crate::ffi::c_ulong>()
                    .write(i as crate::ffi::c_ulong)
            };
            raw[i] = MaybeUninit::new(r);
            infos[i] = MaybeUninit::new(info);
            i += 1;
        }
        Self {
            raw_ids: RawIdArray {
                // SAFETY: every entry was written above; `MaybeUninit<X>`
                // has `X`'s layout.
                ids: unsafe { core::ptr::read((&raw const raw).cast()) },
                sentinel: MaybeUninit::zeroed(),
            },
            // SAFETY: every entry was written above; `infos` is not used
            // again (`MaybeUninit` does not drop).
            id_infos: unsafe { core::ptr::read((&raw const infos).cast()) },
        }
    }
}

impl<T: RawDeviceId, const N: usize> IdArray<T, (), N> {
    /// The table of `ids`, for buses whose C ID structure has no
    /// `driver_data` (MDIO's `mdio_device_id`): no per-entry information.
    ///
    /// ```
    /// use kernel::device_id::IdArray;
    /// use kernel::net::phy::DeviceId;
    ///
    /// const TABLE: IdArray<DeviceId, (), 2> = IdArray::new_without_index([
    ///     DeviceId::new_with_exact_mask(0x0043_a400),
    ///     DeviceId::new_with_model_mask(0x003b_1841),
    /// ]);
    /// // Two entries and the zeroed terminator.
    /// assert_eq!(TABLE.raw_ids().size(), 3 * 8);
    /// ```
    pub const fn new_without_index(ids: [T; N]) -> Self {
        let ids = core::mem::ManuallyDrop::new(ids);
        Self {
            raw_ids: RawIdArray {
                // SAFETY: `T` has `RawType`'s layout (`RawDeviceId`), so
                // `[T; N]` has `[RawType; N]`'s; `ids` is never dropped:
                // reading its bits moves it.
                ids: unsafe { core::ptr::read((&raw const ids).cast()) },
                sentinel: MaybeUninit::zeroed(),
            },
            id_infos: [(); N],
        }
    }
}

impl<T: RawDeviceId, U, const N: usize> IdArray<T, U, N> {
    /// The C table, for `MODULE_DEVICE_TABLE`.
    pub const fn raw_ids(&self) -> &RawIdArray<T, N> {
        &self.raw_ids
    }
}

/// A table as a bus abstraction sees it, whatever its length.
pub trait IdTable<T: RawDeviceId, U> {
    /// The C array, ending in a zeroed entry.
    fn as_ptr(&self) -> *const T::RawType;

    /// The C entry `index`.
    fn id(&self, index: usize) -> &T::RawType;

    /// The information of entry `index`.
    fn info(&self, index: usize) -> &U;
}

impl<T: RawDeviceId, U, const N: usize> IdTable<T, U> for IdArray<T, U, N> {
    fn as_ptr(&self) -> *const T::RawType {
        // `RawIdArray` is `repr(C)`: the entries, then the terminator.
        (&raw const self.raw_ids).cast()
    }

    fn id(&self, index: usize) -> &T::RawType {
        &self.raw_ids.ids[index]
    }

    fn info(&self, index: usize) -> &U {
        &self.id_infos[index]
    }
}

/// Exports a table for module autoloading (C's `MODULE_DEVICE_TABLE`):
/// `module_device_table!("pci", MOD_TABLE_NAME, TABLE)`.
#[macro_export]
macro_rules! module_device_table {
    ($table_type: literal, $module_table_name:ident, $table_name:ident) => {
        #[rustfmt::skip]
        #[export_name =
            concat!("__mod_", $table_type, "__", stringify!($table_name), "_device_table")
        ]
        #[cfg(MODULE)]
        static $module_table_name: [::core::mem::MaybeUninit<u8>; $table_name.raw_ids().size()] = {
            let raw = ::core::ptr::from_ref($table_name.raw_ids());
            // SAFETY: `raw` points to the table, a live `static` of exactly
            // this many bytes (the array length is its size), so reading
            // them as `MaybeUninit<u8>` (padding included) is in bounds and
            // valid; modpost reads these bytes.
            unsafe { ::core::ptr::read(raw.cast()) }
        };
    };
}

impl<T: RawDeviceId, const N: usize> RawIdArray<T, N> {
    /// The size of the C table in bytes.
    #[doc(hidden)]
    pub const fn size(&self) -> usize {
        core::mem::size_of::<Self>()
    }
}
