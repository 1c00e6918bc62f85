// SPDX-License-Identifier: GPL-2.0

//! I/O vectors (C's `struct iov_iter`): where `read_iter` writes its data
//! ([`IovIterDest`]) and where `write_iter` takes it from
//! ([`IovIterSource`]). The copies go through `copy_to_iter` /
//! `copy_from_iter`, which check user addresses: a bad address ends the
//! copy short, never a crash.

use crate::{
    alloc::{Allocator, Flags, Vec},
    error::{
        code::{EFAULT, EINVAL},
        Result,
    },
    types::Opaque,
};
use core::{marker::PhantomData, mem::MaybeUninit};

/// C's `ITER_SOURCE` (data flows out of the vector).
const ITER_SOURCE: bool = bindings::ITER_SOURCE != 0;
/// C's `ITER_DEST` (data flows into the vector).
const ITER_DEST: bool = bindings::ITER_DEST != 0;

/// An I/O vector to copy data from: the buffers of a `write()`.
///
/// # Invariants
///
/// The `iov_iter` is valid, has `data_source == ITER_SOURCE`, and may be
/// read from with C's functions for `'data`.
#[repr(transparent)]
pub struct IovIterSource<'data> {
    iov: Opaque<bindings::iov_iter>,
    _source: PhantomData<&'data [u8]>,
}

/// An I/O vector to copy data into: the buffers of a `read()`.
///
/// # Invariants
///
/// The `iov_iter` is valid, has `data_source == ITER_DEST`, and may be
/// written to with C's functions for `'data`.
#[repr(transparent)]
pub struct IovIterDest<'data> {
    iov: Opaque<bindings::iov_iter>,
    _dest: PhantomData<&'data mut [u8]>,
}

macro_rules! common_methods {
    ($t:ident, $dir:ident) => {
        impl<'data> $t<'data> {
            /// Wraps a C `struct iov_iter`.
            ///
            /// # Safety
            ///
            /// `ptr` must be valid and used only through the returned
            /// reference for `'iov`; it must be an iterator of this
            /// direction whose memory may be accessed for `'data`.
            #[track_caller]
            pub unsafe fn from_raw<'iov>(ptr: *mut bindings::iov_iter) -> &'iov mut $t<'data> {
                // SAFETY: the caller guarantees `ptr` is valid.
                let source = unsafe { (*ptr).data_source };
                // A wrong direction would let the copies below go the wrong
                // way: refuse it even though the caller promised.
                assert_eq!(source, $dir, "iov_iter of the wrong direction");
                // SAFETY: `repr(transparent)` over the C type; the
                // caller's guarantees are the invariants.
                unsafe { &mut *ptr.cast::<$t<'data>>() }
            }

            /// The C `struct iov_iter`.
            pub fn as_raw(&mut self) -> *mut bindings::iov_iter {
                self.iov.get()
            }

            /// Bytes left (an upper bound: a fault ends a copy early).
            pub fn len(&self) -> usize {
                // SAFETY: the iterator is valid (type invariant).
                unsafe { bindings::iov_iter_count(self.iov.get()) }
            }

            /// Whether no bytes are left.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Skips `bytes` bytes (at most what is left).
            pub fn advance(&mut self, bytes: usize) {
                // SAFETY: the iterator is valid (type invariant); C clamps.
                unsafe { bindings::iov_iter_advance(self.as_raw(), bytes) };
            }

            /// Goes back `bytes` bytes.
            ///
            /// # Safety
            ///
            /// The iterator must have advanced at least `bytes` bytes.
            pub unsafe fn revert(&mut self, bytes: usize) {
                // SAFETY: the iterator is valid; the caller guarantees it
                // does not go back before its start.
                unsafe { bindings::iov_iter_revert(self.as_raw(), bytes) };
            }
        }
    };
}

common_methods!(IovIterSource, ITER_SOURCE);
common_methods!(IovIterDest, ITER_DEST);

impl IovIterSource<'_> {
    /// Copies up to `out.len()` bytes into `out`; returns how many.
    pub fn copy_from_iter(&mut self, out: &mut [u8]) -> usize {
        // SAFETY: `u8` and `MaybeUninit<u8>` have the same layout, and only
        // initialised bytes are written into the slice.
        let out = unsafe { &mut *(core::ptr::from_mut(out) as *mut [MaybeUninit<u8>]) };
        self.copy_from_iter_raw(out).len()
    }

    /// Copies up to `out.len()` bytes into `out`; returns the part written.
    pub fn copy_from_iter_raw(&mut self, out: &mut [MaybeUninit<u8>]) -> &mut [u8] {
        // SAFETY: `out` is valid for `out.len()` bytes of writes; the
        // iterator is a valid source (type invariant).
        let n =
            unsafe { bindings::_copy_from_iter(out.as_mut_ptr().cast(), out.len(), self.as_raw()) };
        // SAFETY: C initialised the first `n <= out.len()` bytes.
        unsafe { core::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<u8>(), n) }
    }

    /// Appends everything left to `out`; returns how many bytes.
    pub fn copy_from_iter_vec<A: Allocator>(
        &mut self,
        out: &mut Vec<u8, A>,
        flags: Flags,
    ) -> Result<usize> {
        out.reserve(self.len(), flags)?;
        let n = self.copy_from_iter_raw(out.spare_capacity_mut()).len();
        // SAFETY: the first `n` spare bytes were just initialised.
        unsafe { out.set_len(out.len() + n) };
        Ok(n)
    }
}

impl IovIterDest<'_> {
    /// Copies `input` into the vector; returns how many bytes went (fewer
    /// when the vector is full or a user address faults).
    pub fn copy_to_iter(&mut self, input: &[u8]) -> usize {
        // SAFETY: `input` is valid for reads; the iterator is a valid
        // destination (type invariant).
        unsafe { bindings::_copy_to_iter(input.as_ptr().cast(), input.len(), self.as_raw()) }
    }

    /// C's `simple_read_from_buffer`: copies `contents[*ppos..]`, moves
    /// `*ppos` on by what was copied and returns that. `EINVAL` for a
    /// negative position; `Ok(0)` past the end; `EFAULT` when nothing could
    /// be copied into a non-empty vector (a bad user address).
    pub fn simple_read_from_buffer(&mut self, ppos: &mut i64, contents: &[u8]) -> Result<usize> {
        if *ppos < 0 {
            return Err(EINVAL);
        }
        let Ok(pos) = usize::try_from(*ppos) else {
            return Ok(0);
        };
        if pos >= contents.len() {
            return Ok(0);
        }
        let wanted = self.len();
        let n = self.copy_to_iter(&contents[pos..]);
        if n == 0 && wanted != 0 {
            return Err(EFAULT);
        }
        // `n <= contents.len() - pos`, so this fits in an `i64`.
        *ppos = (pos + n) as i64;
        Ok(n)
    }
}
