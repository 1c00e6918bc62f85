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
type AllocFn = unsafe extern "C" fn(usize, u32) -> *mut ffi::c_void;
type FreeFn = unsafe extern "C" fn(*const ffi::c_void);

/// One C allocator: its realloc/free pair and what it can serve.
struct CAllocator {
    realloc: ReallocFn,
    /// A fresh allocation, where C has a faster path than `realloc` (for
    /// `kmalloc` with a size known at compile time, a direct slab cache).
    alloc: Option<AllocFn>,
    free: FreeFn,
    /// Largest alignment it guarantees.
    max_align: usize,
    /// Largest size it can serve without C warning about the request.
    max_size: usize,
}

const KMALLOC: CAllocator = CAllocator {
    realloc: bindings::krealloc,
    alloc: Some(bindings::kmalloc),
    free: bindings::kfree,
    // The size is padded to a multiple of the alignment, which slab objects
    // of such a size are aligned to.
    max_align: usize::MAX,
    max_size: bindings::KMALLOC_MAX_SIZE,
};

/// `vrealloc` out of line, in the kernel image: Linux 6.12 does not export
/// `vrealloc_noprof` to modules, so code inlined into a module calls this
/// (a symbol of the kernel crate) instead of the C helper.
///
/// # Safety
///
/// As for C's `vrealloc`: `p` is null or a live `vmalloc` allocation, not
/// used after a successful call moved it.
#[inline(never)]
unsafe extern "C" fn vrealloc_out_of_line(
    p: *const ffi::c_void,
    size: usize,
    flags: u32,
) -> *mut ffi::c_void {
    // SAFETY: the caller's guarantees are `vrealloc`'s (`ReallocFn`).
    unsafe { bindings::vrealloc(p, size, flags) }
}

const VMALLOC: CAllocator = CAllocator {
    realloc: vrealloc_out_of_line,
    alloc: None,
    free: bindings::vfree,
    max_align: bindings::PAGE_SIZE,
    max_size: usize::MAX,
};

const KVMALLOC: CAllocator = CAllocator {
    realloc: bindings::kvrealloc,
    alloc: Some(bindings::kvmalloc),
    free: bindings::kvfree,
    max_align: bindings::PAGE_SIZE,
    // `kvmalloc` refuses (and warns about) sizes beyond `INT_MAX`.
    max_size: i32::MAX as usize,
};

impl CAllocator {
    /// Shared body of the three backends: requests the C allocator cannot
    /// serve fail before reaching C; zero-sized layouts never reach C (they
    /// get a dangling pointer); a zero-sized request frees.
    ///
    /// # Safety
    ///
    /// As for [`Allocator::realloc`], with memory from this C allocator.
    #[inline]
    unsafe fn realloc(
        &self,
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
    ) -> Result<NonNull<[u8]>, AllocError> {
        // The size C is asked for is the padded one, so that is the one
        // that must fit.
        let size = layout.pad_to_align().size();
        if layout.align() > self.max_align || size > self.max_size {
            return Err(AllocError);
        }
        let old = match ptr {
            Some(p) if old_layout.size() != 0 => p.as_ptr().cast::<ffi::c_void>(),
            _ => core::ptr::null_mut(),
        };
        if size == 0 {
            if !old.is_null() {
                // SAFETY: `old` came from this allocator and is not yet
                // freed (caller guarantee); the caller does not use it again.
                unsafe { (self.free)(old) };
            }
            return Ok(NonNull::slice_from_raw_parts(dangling_for(layout), 0));
        }
        let raw = match self.alloc {
            // SAFETY: `size` is non-zero.
            Some(alloc) if old.is_null() => unsafe { alloc(size, flags.as_raw()) },
            // SAFETY: `old` is null or a live allocation of this allocator
            // (caller guarantee); `size` is non-zero.
            _ => unsafe { (self.realloc)(old, size, flags.as_raw()) },
        };
        let p = NonNull::new(raw.cast::<u8>()).ok_or(AllocError)?;
        Ok(NonNull::slice_from_raw_parts(p, size))
    }
}

macro_rules! c_allocator {
    ($($rust:ident => $c:ident,)*) => {
        $(
            // SAFETY: the C allocator returns memory valid until freed, of
            // at least the padded size, aligned up to its `max_align`;
            // larger alignments and sizes are refused.
            unsafe impl Allocator for $rust {
                #[inline]
                unsafe fn realloc(
                    ptr: Option<NonNull<u8>>,
                    layout: Layout,
                    old_layout: Layout,
                    flags: Flags,
                ) -> Result<NonNull<[u8]>, AllocError> {
                    // SAFETY: forwarded caller guarantee.
                    unsafe { $c.realloc(ptr, layout, old_layout, flags) }
                }
            }
        )*
    };
}

c_allocator! {
    Kmalloc => KMALLOC,
    Vmalloc => VMALLOC,
    KVmalloc => KVMALLOC,
}
