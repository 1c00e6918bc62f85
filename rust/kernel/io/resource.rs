// SPDX-License-Identifier: GPL-2.0

//! Resources of a device (C's `struct resource`): a range of memory, I/O
//! ports or interrupt lines, as a bus describes it
//! (`platform::Device::resource_by_index`).

use super::{PhysAddr, ResourceSize};
use crate::str::CStr;
use crate::types::Opaque;

/// A resource, borrowed from the device it describes.
///
/// # Invariants
///
/// The `struct resource` is valid, and does not change, while a reference
/// to it exists.
#[repr(transparent)]
pub struct Resource(Opaque<bindings::resource>);

impl Resource {
    /// Views the resource at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct resource` that stays valid and
    /// unchanged for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::resource) -> &'a Self {
        // SAFETY: `repr(transparent)` over the C type; validity for `'a` is
        // the caller's guarantee. INVARIANT: as documented.
        unsafe { &*ptr.cast() }
    }

    fn raw(&self) -> &bindings::resource {
        // SAFETY: valid and unchanged while `self` is borrowed (type
        // invariant).
        unsafe { &*self.0.get() }
    }

    /// The first address (or port, or line) of the range.
    pub fn start(&self) -> PhysAddr {
        self.raw().start
    }

    /// The size of the range (C's `resource_size`).
    pub fn size(&self) -> ResourceSize {
        let r = self.raw();
        r.end.wrapping_sub(r.start).wrapping_add(1)
    }

    /// The resource's name, if it has one.
    pub fn name(&self) -> Option<&CStr> {
        let name = self.raw().name;
        if name.is_null() {
            return None;
        }
        // SAFETY: a non-null name is a NUL-terminated string that lives as
        // long as the resource (type invariant).
        Some(unsafe { CStr::from_char_ptr(name) })
    }

    /// The resource's flags (`IORESOURCE_*`).
    pub fn flags(&self) -> Flags {
        Flags(self.raw().flags)
    }
}

// SAFETY: a `Resource` is only read, and C does not change it while it is
// borrowed (type invariant).
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
