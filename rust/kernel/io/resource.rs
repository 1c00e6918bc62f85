// SPDX-License-Identifier: GPL-2.0

//! Resources of a device (C's `struct resource`): a range of memory, I/O
//! ports or interrupt lines, as a bus describes it
//! (`platform::Device::resource_by_index`).

use super::{PhysAddr, ResourceSize};
use crate::str::CStr;
use crate::types::Opaque;

/// A resource, borrowed from the device it describes.
///
/// Only the range, name and flags are read, each field on its own: C
/// relinks a resource's tree pointers (`parent`, `sibling`, `child`)
/// whenever a region is requested inside it, whoever borrows it, so no
/// reference to the whole `struct resource` is ever made.
///
/// # Invariants
///
/// The `struct resource` is valid, and its `start`, `end`, `name` and
/// `flags` do not change, while a reference to the `Resource` exists.
#[repr(transparent)]
pub struct Resource(Opaque<bindings::resource>);

impl Resource {
    /// Views the resource at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct resource` that stays valid for
    /// `'a`, with its `start`, `end`, `name` and `flags` unchanged.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::resource) -> &'a Self {
        // SAFETY: `repr(transparent)` over the C type (in an `Opaque`, so
        // C may change what it wants behind the reference); validity for
        // `'a` is the caller's guarantee. INVARIANT: as documented.
        unsafe { &*ptr.cast() }
    }

    /// The first address (or port, or line) of the range.
    pub fn start(&self) -> PhysAddr {
        // SAFETY: a read of one field that does not change while `self`
        // is borrowed (type invariant), through the raw pointer.
        unsafe { (*self.0.get()).start }
    }

    /// The size of the range (C's `resource_size`).
    pub fn size(&self) -> ResourceSize {
        // SAFETY: as in `start`.
        let end = unsafe { (*self.0.get()).end };
        end.wrapping_sub(self.start()).wrapping_add(1)
    }

    /// The resource's name, if it has one.
    pub fn name(&self) -> Option<&CStr> {
        // SAFETY: as in `start`.
        let name = unsafe { (*self.0.get()).name };
        if name.is_null() {
            return None;
        }
        // SAFETY: a non-null name is a NUL-terminated string that lives as
        // long as the resource (type invariant).
        Some(unsafe { CStr::from_char_ptr(name) })
    }

    /// The resource's flags (`IORESOURCE_*`).
    pub fn flags(&self) -> Flags {
        // SAFETY: as in `start`.
        Flags(unsafe { (*self.0.get()).flags })
    }
}

// SAFETY: a `Resource` only reads fields that C does not change while it
// is borrowed (type invariant).
unsafe impl Send for Resource {}
// SAFETY: as above.
unsafe impl Sync for Resource {}

/// The flags of a [`Resource`] (C's `IORESOURCE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags(crate::ffi::c_ulong);

impl Flags {
    /// A range of I/O ports.
    pub const IORESOURCE_IO: Flags = Flags(bindings::IORESOURCE_IO as _);
    /// A range of memory (registers, mostly).
    pub const IORESOURCE_MEM: Flags = Flags(bindings::IORESOURCE_MEM as _);
    /// An interrupt line.
    pub const IORESOURCE_IRQ: Flags = Flags(bindings::IORESOURCE_IRQ as _);

    /// Whether every flag of `flags` is set in `self`.
    pub fn contains(self, flags: Flags) -> bool {
        self.0 & flags.0 == flags.0
    }
}

impl core::ops::BitOr for Flags {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}
