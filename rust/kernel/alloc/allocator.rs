// SPDX-License-Identifier: GPL-2.0

//! The allocator backends: `kmalloc`, `vmalloc` and `kvmalloc`.

use super::{dangling_for, AllocError, Allocator, Flags};
use core::{alloc::Layout, ptr::NonNull};

/// `kmalloc`: physically contiguous memory from the slab allocator.
///
/// Alignment: the size is padded to a multiple of the alignment; slab
/// objects of such a size are aligned to it. Requests above
/// `KMALLOC_MAX_SIZE` fail without reaching C.
pub struct Kmalloc;

/// `vmalloc`: virtually contiguous memory, for large buffers. Alignment
/// beyond a page is not supported.
pub struct Vmalloc;

/// `kvmalloc`: tries `kmalloc`, falls back to `vmalloc` for large sizes.
/// Requests above `INT_MAX` bytes fail without reaching C.
pub struct KVmalloc;

type ReallocFn = unsafe extern "C" fn(*const ffi::c_void, usize, u32) -> *mut ffi::c_void;
type FreeFn = unsafe extern "C" fn(*const ffi::c_void);

/// Shared body of the three backends: zero-sized layouts never reach C
/// (they get a dangling pointer), a zero-sized request frees.
///
/// # Safety
///
/// As for [`Allocator::realloc`]; `c_realloc` and `c_free` must be a
/// matching C pair.
unsafe fn realloc_with(
    c_realloc: ReallocFn,
    c_free: FreeFn,
    ptr: Option<NonNull<u8>>,
    layout: Layout,
    old_layout: Layout,
    flags: Flags,
) -> Result<NonNull<[u8]>, AllocError> {
    let size = layout.pad_to_align().size();
    let old = match ptr {
        Some(p) if old_layout.size() != 0 => p.as_ptr().cast::<ffi::c_void>(),
        _ => core::ptr::null_mut(),
    };
    if size == 0 {
        if !old.is_null() {
            // SAFETY: `old` came from this allocator and is not yet freed
            // (caller guarantee); the caller does not use it again.
            unsafe { c_free(old) };
        }
        return Ok(NonNull::slice_from_raw_parts(dangling_for(layout), 0));
    }
    // SAFETY: `old` is null or a live allocation of this allocator (caller
    // guarantee); `size` is non-zero.
    let raw = unsafe { c_realloc(old, size, flags.as_raw()) };
    let p = NonNull::new(raw.cast::<u8>()).ok_or(AllocError)?;
    Ok(NonNull::slice_from_raw_parts(p, size))
}

// SAFETY: `krealloc` returns memory valid until freed, of at least `size`
// bytes, aligned as described on `Kmalloc` because the size is padded to a
// multiple of the (power-of-two) alignment.
unsafe impl Allocator for Kmalloc {
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // Larger requests cannot succeed, and C would warn about them.
        if layout.size() > bindings::KMALLOC_MAX_SIZE {
            return Err(AllocError);
        }
        // SAFETY: forwarded caller guarantee; `krealloc`/`kfree` pair.
        unsafe {
            realloc_with(
                bindings::krealloc,
                bindings::kfree,
                ptr,
                layout,
                old_layout,
                flags,
            )
        }
    }
}

// SAFETY: `vrealloc` returns page-aligned memory valid until freed, of at
// least `size` bytes; larger alignments are refused.
unsafe impl Allocator for Vmalloc {
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if layout.align() > bindings::PAGE_SIZE {
            return Err(AllocError);
        }
        // SAFETY: forwarded caller guarantee; `vrealloc`/`vfree` pair.
        unsafe {
            realloc_with(
                bindings::vrealloc,
                bindings::vfree,
                ptr,
                layout,
                old_layout,
                flags,
            )
        }
    }
}

// SAFETY: `kvrealloc` returns either `kmalloc` memory (aligned as for
// `Kmalloc`) or page-aligned `vmalloc` memory; larger alignments are
// refused.
unsafe impl Allocator for KVmalloc {
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if layout.align() > bindings::PAGE_SIZE {
            return Err(AllocError);
        }
        // `kvmalloc` refuses (and warns about) sizes beyond `INT_MAX`.
        if layout.size() > i32::MAX as usize {
            return Err(AllocError);
        }
        // SAFETY: forwarded caller guarantee; `kvrealloc`/`kvfree` pair.
        unsafe {
            realloc_with(
                bindings::kvrealloc,
                bindings::kvfree,
                ptr,
                layout,
                old_layout,
                flags,
            )
        }
    }
}
