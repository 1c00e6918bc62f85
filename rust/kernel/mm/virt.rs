// SPDX-License-Identifier: GPL-2.0

//! Virtual memory areas (C's `struct vm_area_struct`), as `mmap` file
//! operations receive them.

use crate::{
    error::{code::EINVAL, Result},
    types::{NotThreadSafe, Opaque},
};

pub use bindings::vm_flags_t;

/// The `VM_*` flags of an area.
pub mod flags {
    use super::vm_flags_t;

    /// No flags.
    pub const NONE: vm_flags_t = 0;
    /// Mapped readable.
    pub const READ: vm_flags_t = bindings::VM_READ as vm_flags_t;
    /// Mapped writable.
    pub const WRITE: vm_flags_t = bindings::VM_WRITE as vm_flags_t;
    /// Mapped executable.
    pub const EXEC: vm_flags_t = bindings::VM_EXEC as vm_flags_t;
    /// Shared mapping.
    pub const SHARED: vm_flags_t = bindings::VM_SHARED as vm_flags_t;
    /// May be made readable with `mprotect`.
    pub const MAYREAD: vm_flags_t = bindings::VM_MAYREAD as vm_flags_t;
    /// May be made writable with `mprotect`.
    pub const MAYWRITE: vm_flags_t = bindings::VM_MAYWRITE as vm_flags_t;
    /// May be made executable with `mprotect`.
    pub const MAYEXEC: vm_flags_t = bindings::VM_MAYEXEC as vm_flags_t;
    /// Not copied on `fork`.
    pub const DONTCOPY: vm_flags_t = bindings::VM_DONTCOPY as vm_flags_t;
}

/// A virtual memory area.
///
/// # Invariants
///
/// The area is valid while a `&VmaRef` exists, and its `mmap` lock is held
/// (at least for reading).
#[repr(transparent)]
pub struct VmaRef {
    vma: Opaque<bindings::vm_area_struct>,
    _not_send: NotThreadSafe,
}

impl VmaRef {
    /// Views a C `struct vm_area_struct`.
    ///
    /// # Safety
    ///
    /// `vma` must be valid, with its `mmap` lock held, for `'a`.
    pub unsafe fn from_raw<'a>(vma: *const bindings::vm_area_struct) -> &'a Self {
        // SAFETY: `repr(transparent)`; the caller guarantees validity.
        unsafe { &*vma.cast() }
    }

    /// The C `struct vm_area_struct`.
    pub fn as_ptr(&self) -> *mut bindings::vm_area_struct {
        self.vma.get()
    }

    /// The area's `VM_*` flags.
    pub fn flags(&self) -> vm_flags_t {
        // SAFETY: the area is valid and its lock held (type invariant), so
        // its flags do not change under us.
        unsafe { (*self.as_ptr()).__bindgen_anon_2.vm_flags }
    }

    /// The first address of the area.
    pub fn start(&self) -> usize {
        // SAFETY: as for `flags`.
        unsafe { (*self.as_ptr()).__bindgen_anon_1.__bindgen_anon_1.vm_start }
    }

    /// The address just past the area.
    pub fn end(&self) -> usize {
        // SAFETY: as for `flags`.
        unsafe { (*self.as_ptr()).__bindgen_anon_1.__bindgen_anon_1.vm_end }
    }
}

/// An area being set up by an `mmap` file operation, before it is
/// inserted: its flags may still change.
///
/// # Invariants
///
/// As for [`VmaRef`], and the area is not yet visible to other threads.
#[repr(transparent)]
pub struct VmaNew {
    vma: VmaRef,
}

impl core::ops::Deref for VmaNew {
    type Target = VmaRef;

    fn deref(&self) -> &VmaRef {
        &self.vma
    }
}

impl VmaNew {
    /// Views the area an `mmap` callback receives.
    ///
    /// # Safety
    ///
    /// `vma` must be the area of a running `f_ops->mmap` call, valid for
    /// `'a`.
    pub unsafe fn from_raw<'a>(vma: *mut bindings::vm_area_struct) -> &'a Self {
        // SAFETY: `repr(transparent)`; the caller guarantees validity.
        unsafe { &*vma.cast() }
    }

    fn clear_flags(&self, flags: vm_flags_t) {
        // SAFETY: the area is being set up, so its flags may be changed
        // (type invariant).
        unsafe { bindings::vm_flags_clear(self.as_ptr(), flags) };
    }

    fn set_flags(&self, flags: vm_flags_t) {
        // SAFETY: as for `clear_flags`.
        unsafe { bindings::vm_flags_set(self.as_ptr(), flags) };
    }

    /// Whether the area is mapped readable.
    pub fn readable(&self) -> bool {
        self.flags() & flags::READ != 0
    }

    /// Whether the area is mapped writable.
    pub fn writable(&self) -> bool {
        self.flags() & flags::WRITE != 0
    }

    /// Whether the area is mapped executable.
    pub fn executable(&self) -> bool {
        self.flags() & flags::EXEC != 0
    }

    /// Keeps the area out of a forked child.
    pub fn set_dontcopy(&self) {
        self.set_flags(flags::DONTCOPY);
    }

    /// Forbids making the area readable later; `EINVAL` if it is readable.
    pub fn try_clear_mayread(&self) -> Result {
        if self.readable() {
            return Err(EINVAL);
        }
        self.clear_flags(flags::MAYREAD);
        Ok(())
    }

    /// Forbids making the area writable later; `EINVAL` if it is writable.
    pub fn try_clear_maywrite(&self) -> Result {
        if self.writable() {
            return Err(EINVAL);
        }
        self.clear_flags(flags::MAYWRITE);
        Ok(())
    }

    /// Forbids making the area executable later; `EINVAL` if it is
    /// executable.
    pub fn try_clear_mayexec(&self) -> Result {
        if self.executable() {
            return Err(EINVAL);
        }
        self.clear_flags(flags::MAYEXEC);
        Ok(())
    }
}
