// SPDX-License-Identifier: GPL-2.0

//! Driver registration, common to the buses (`pci`, `platform`, ...): a
//! [`Registration`] registers a bus's C driver structure for as long as it
//! lives, and [`module_driver!`](crate::module_driver) makes a module whose
//! only job is that. [`Adapter`] finds a device's entry in the firmware ID
//! tables (OF, ACPI) a bus driver may declare.

use crate::error::Result;
use crate::init::PinInit;
use crate::init::{pin_data, pinned_drop};
use crate::str::CStr;
use crate::try_pin_init;
use crate::types::Opaque;
use crate::ThisModule;

/// How a bus registers and unregisters its C driver structure.
///
/// # Safety
///
/// `register` must set the C structure up so that the bus calls back into
/// code that stays valid while it is registered, and `unregister` must
/// undo `register` so that no callback runs after it returns.
pub unsafe trait RegistrationOps {
    /// The bus's C driver structure (`bindings::pci_driver`, ...).
    type RegType: Default;

    /// Registers `reg`, named `name`, owned by `module`.
    ///
    /// # Safety
    ///
    /// `reg` must stay valid and pinned until [`Self::unregister`].
    unsafe fn register(
        reg: &Opaque<Self::RegType>,
        name: &'static CStr,
        module: &'static ThisModule,
    ) -> Result;

    /// Unregisters `reg`.
    ///
    /// # Safety
    ///
    /// `reg` must have been registered with [`Self::register`].
    unsafe fn unregister(reg: &Opaque<Self::RegType>);
}

/// A registered driver of bus `T`, unregistered on drop.
///
/// # Invariants
///
/// `reg` was registered by `T::register`.
#[pin_data(PinnedDrop)]
pub struct Registration<T: RegistrationOps> {
    #[pin]
    reg: Opaque<T::RegType>,
}

// SAFETY: the bus synchronises access to its driver structure; `&self`
// offers nothing.
unsafe impl<T: RegistrationOps> Sync for Registration<T> {}
// SAFETY: registration and unregistration may happen on any thread.
unsafe impl<T: RegistrationOps> Send for Registration<T> {}

impl<T: RegistrationOps> Registration<T> {
    /// Registers a driver named `name`, owned by `module`.
    pub fn new(
        name: &'static CStr,
        module: &'static ThisModule,
    ) -> impl PinInit<Self, crate::error::Error> {
        try_pin_init!(Self {
            reg <- Opaque::try_ffi_init(|ptr: *mut T::RegType| {
                // SAFETY: `ptr` is valid for writes; the structure starts
                // zeroed, as C drivers declare theirs.
                unsafe { ptr.write(T::RegType::default()) };
                // SAFETY: `ptr` points to the pinned field, valid until
                // `drop`, which unregisters it; `Opaque` has `RegType`'s
                // layout.
                unsafe { T::register(&*ptr.cast::<Opaque<T::RegType>>(), name, module) }
            }),
        })
    }
}

#[pinned_drop]
impl<T: RegistrationOps> PinnedDrop for Registration<T> {
    fn drop(self: core::pin::Pin<&mut Self>) {
        // SAFETY: registered (type invariant).
        unsafe { T::unregister(&self.reg) };
    }
}

/// A module whose only job is registering one driver: `$adapter` is the
/// bus's adapter type (`pci::Adapter`), the rest the `module!` keys.
#[macro_export]
macro_rules! module_driver {
    (<$gen_type:ident>, $driver_ops:ty, { type: $type:ty, $($f:tt)* }) => {
        type Ops<$gen_type> = $driver_ops;

        #[$crate::prelude::pin_data]
        struct DriverModule {
            #[pin]
            _driver: $crate::driver::Registration<Ops<$type>>,
        }

        impl $crate::InPlaceModule for DriverModule {
            fn init(
                module: &'static $crate::ThisModule,
            ) -> impl $crate::init::PinInit<Self, $crate::error::Error> {
                $crate::prelude::try_pin_init!(Self {
                    _driver <- $crate::driver::Registration::new(
                        <Self as $crate::ModuleMetadata>::NAME,
                        module,
                    ),
                })
            }
        }

        $crate::prelude::module! {
            type: DriverModule,
            $($f)*
        }
    };
}

/// What a bus adapter (`platform::Adapter`) offers for matching by
/// firmware: its driver's OF and ACPI ID tables, and the lookup of the
/// information of the entry a device matched.
pub trait Adapter {
    /// The driver's information for each ID table entry.
    type IdInfo: 'static;

    /// The driver's ACPI ID table, if any.
    fn acpi_id_table() -> Option<crate::acpi::IdTable<Self::IdInfo>>;

    /// The information of the entry of the ACPI table `dev` matches, if
    /// any (never, without `CONFIG_ACPI`).
    fn acpi_id_info(dev: &crate::device::Device) -> Option<&'static Self::IdInfo> {
        #[cfg(CONFIG_ACPI)]
        {
            use crate::device_id::RawDeviceIdIndex;
            let table = Self::acpi_id_table()?;
            // SAFETY: the table is static and ends in a zeroed entry; the
            // device is valid (type invariant).
            let raw = unsafe { bindings::acpi_match_device(table.as_ptr(), dev.as_raw()) };
            if raw.is_null() {
                return None;
            }
            // SAFETY: `raw` is an entry of `table`; `DeviceId` is a
            // transparent wrapper of `acpi_device_id`.
            let id = unsafe { &*raw.cast::<crate::acpi::DeviceId>() };
            Some(table.info(id.index()))
        }
        #[cfg(not(CONFIG_ACPI))]
        {
            let _ = dev;
            None
        }
    }

    /// The driver's OF ID table, if any.
    fn of_id_table() -> Option<crate::of::IdTable<Self::IdInfo>>;

    /// The information of the entry of the OF table `dev` matches, if any
    /// (never, without `CONFIG_OF`).
    fn of_id_info(dev: &crate::device::Device) -> Option<&'static Self::IdInfo> {
        #[cfg(CONFIG_OF)]
        {
            use crate::device_id::RawDeviceIdIndex;
            let table = Self::of_id_table()?;
            // SAFETY: the table is static and ends in a zeroed entry; the
            // device is valid (type invariant).
            let raw = unsafe { bindings::of_match_device(table.as_ptr(), dev.as_raw()) };
            if raw.is_null() {
                return None;
            }
            // SAFETY: `raw` is an entry of `table`; `DeviceId` is a
            // transparent wrapper of `of_device_id`.
            let id = unsafe { &*raw.cast::<crate::of::DeviceId>() };
            Some(table.info(id.index()))
        }
        #[cfg(not(CONFIG_OF))]
        {
            let _ = dev;
            None
        }
    }

    /// The information of the firmware table entry `dev` matches, ACPI
    /// first, then OF; `None` when it matched otherwise (by name, say).
    fn id_info(dev: &crate::device::Device) -> Option<&'static Self::IdInfo> {
        Self::acpi_id_info(dev).or_else(|| Self::of_id_info(dev))
    }
}
