// SPDX-License-Identifier: GPL-2.0

//! DMA: masks and coherent allocations, in upstream's (6.15 to 7.0) shape.
//!
//! A [`CoherentAllocation<T>`] is memory the CPU and the device both see
//! (C's `dma_alloc_coherent`): `count` elements of `T` at
//! [`CoherentAllocation::dma_handle`] for the device. The device may write
//! it at any time, so the CPU reads and writes it with volatile accesses
//! ([`dma_read!`](crate::dma_read), [`dma_write!`](crate::dma_write)) or,
//! when the driver knows the device is not using it (no transfer in
//! flight), through slices (`as_slice`, `write`, which are `unsafe`).
//!
//! How DMA memory orders against MMIO: a `writel` that starts a transfer
//! comes after the CPU's writes to the buffer, a `readl` that says it is
//! done comes before the CPU's reads of it (see the memory-model page).

use crate::device::{self, Bound, Core};
use crate::error::{code::*, to_result, Result};
use crate::sync::aref::ARef;
use crate::transmute::{AsBytes, FromBytes};

/// A bus address of DMA memory, as the device sees it.
pub type DmaAddress = bindings::dma_addr_t;

/// The addresses a device can reach: the low `n` bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DmaMask(u64);

impl DmaMask {
    /// The mask of the low `N` bits (`N <= 64`, checked at build time).
    pub const fn new<const N: u32>() -> Self {
        let Ok(m) = Self::try_new(N) else {
            panic!("DMA mask wider than 64 bits");
        };
        m
    }

    /// The mask of the low `n` bits; `EINVAL` for more than 64.
    pub const fn try_new(n: u32) -> Result<Self> {
        Ok(Self(match n {
            0 => 0,
            1..=63 => (1u64 << n) - 1,
            64 => u64::MAX,
            _ => return Err(EINVAL),
        }))
    }

    /// The mask.
    pub const fn value(&self) -> u64 {
        self.0
    }
}

/// A device that does DMA: its masks are set in `probe`.
pub trait Device: AsRef<device::Device<Core>> {
    /// Sets the streaming and coherent DMA masks (C's
    /// `dma_set_mask_and_coherent`); `EIO` if the platform cannot.
    ///
    /// # Safety
    ///
    /// Must not race with DMA allocations or mappings for the device
    /// (call it in `probe` before making any).
    unsafe fn dma_set_mask_and_coherent(&self, mask: DmaMask) -> Result {
        // SAFETY: a valid device; no concurrent DMA use (caller).
        to_result(unsafe {
            bindings::dma_set_mask_and_coherent(self.as_ref().as_raw(), mask.value())
        })
    }
}

/// Attributes of an allocation (C's `DMA_ATTR_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(transparent)]
pub struct Attrs(u32);

/// The `DMA_ATTR_*` values.
pub mod attrs {
    use super::Attrs;
    /// Let the device order its writes weakly.
    pub const DMA_ATTR_WEAK_ORDERING: Attrs = Attrs(bindings::DMA_ATTR_WEAK_ORDERING);
    /// Write-combined mapping.
    pub const DMA_ATTR_WRITE_COMBINE: Attrs = Attrs(bindings::DMA_ATTR_WRITE_COMBINE);
    /// No warning when the allocation fails.
    pub const DMA_ATTR_NO_WARN: Attrs = Attrs(bindings::DMA_ATTR_NO_WARN);
}

impl core::ops::BitOr for Attrs {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// Coherent DMA memory; see the module documentation.
///
/// # Invariants
///
/// `cpu_addr` is the CPU address and `dma_handle` the bus address of an
/// allocation of `count * size_of::<T>()` bytes by `dma_alloc_attrs` for
/// `dev` with `dma_attrs`, freed on drop; `count > 0`.
pub struct CoherentAllocation<T: AsBytes + FromBytes> {
    dev: ARef<device::Device>,
    dma_handle: DmaAddress,
    count: usize,
    cpu_addr: *mut T,
    dma_attrs: Attrs,
}

// SAFETY: the memory is owned by the allocation; `T` is plain data.
unsafe impl<T: AsBytes + FromBytes + Send> Send for CoherentAllocation<T> {}
// SAFETY: shared access only reads or writes through volatile accesses or
// `unsafe` methods whose callers exclude races.
unsafe impl<T: AsBytes + FromBytes + Sync> Sync for CoherentAllocation<T> {}

impl<T: AsBytes + FromBytes> CoherentAllocation<T> {
    /// Allocates `count` elements for `dev`, with attributes.
    pub fn alloc_attrs(
        dev: &device::Device<Bound>,
        count: usize,
        gfp_flags: crate::alloc::Flags,
        dma_attrs: Attrs,
    ) -> Result<Self> {
        crate::build_assert!(
            core::mem::size_of::<T>() > 0,
            "no DMA allocation of a zero-sized type"
        );
        if count == 0 {
            return Err(EINVAL);
        }
        let size = count
            .checked_mul(core::mem::size_of::<T>())
            .ok_or(EOVERFLOW)?;
        let mut dma_handle: DmaAddress = 0;
        // SAFETY: a bound device; `dma_handle` is valid for writes.
        let cpu_addr = unsafe {
            bindings::dma_alloc_attrs(
                dev.as_raw(),
                size,
                &mut dma_handle,
                gfp_flags.as_raw(),
                dma_attrs.0 as crate::ffi::c_ulong,
            )
        };
        if cpu_addr.is_null() {
            return Err(ENOMEM);
        }
        // INVARIANT: allocated above, `count > 0`.
        Ok(Self {
            dev: dev.as_ref().into(),
            dma_handle,
            count,
            cpu_addr: cpu_addr.cast(),
            dma_attrs,
        })
    }

    /// Allocates `count` elements for `dev`.
    pub fn alloc_coherent(
        dev: &device::Device<Bound>,
        count: usize,
        gfp_flags: crate::alloc::Flags,
    ) -> Result<Self> {
        Self::alloc_attrs(dev, count, gfp_flags, Attrs(0))
    }

    /// The number of elements.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The size in bytes.
    pub fn size(&self) -> usize {
        self.count * core::mem::size_of::<T>()
    }

    /// The bus address of the first element, for the device.
    pub fn dma_handle(&self) -> DmaAddress {
        self.dma_handle
    }

    /// The bus address of element `offset`; `EINVAL` out of range.
    pub fn dma_handle_with_offset(&self, offset: usize) -> Result<DmaAddress> {
        if offset >= self.count {
            return Err(EINVAL);
        }
        Ok(self.dma_handle + (offset * core::mem::size_of::<T>()) as DmaAddress)
    }

    /// The CPU address of the first element.
    pub fn start_ptr(&self) -> *const T {
        self.cpu_addr
    }

    /// The CPU address of the first element, for writing.
    pub fn start_ptr_mut(&mut self) -> *mut T {
        self.cpu_addr
    }

    fn check(&self, offset: usize, count: usize) -> Result {
        match offset.checked_add(count) {
            Some(end) if end <= self.count => Ok(()),
            _ => Err(EINVAL),
        }
    }

    /// Elements `offset..offset + count`; `EINVAL` out of range.
    ///
    /// # Safety
    ///
    /// Neither the device nor the CPU (through other accessors) may write
    /// them while the slice lives.
    pub unsafe fn as_slice(&self, offset: usize, count: usize) -> Result<&[T]> {
        self.check(offset, count)?;
        // SAFETY: in range of the allocation (checked, type invariant);
        // no writer (caller); `T: FromBytes`, any bytes are valid.
        Ok(unsafe { core::slice::from_raw_parts(self.cpu_addr.add(offset), count) })
    }

    /// Elements `offset..offset + count`, writable; `EINVAL` out of range.
    ///
    /// # Safety
    ///
    /// Nobody else (the device included) may access them while the slice
    /// lives.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn as_slice_mut(&self, offset: usize, count: usize) -> Result<&mut [T]> {
        self.check(offset, count)?;
        // SAFETY: in range; exclusive (caller); `T: FromBytes`.
        Ok(unsafe { core::slice::from_raw_parts_mut(self.cpu_addr.add(offset), count) })
    }

    /// Copies `src` to elements `offset..`; `EINVAL` out of range.
    ///
    /// # Safety
    ///
    /// Nobody else (the device included) may access those elements
    /// meanwhile.
    pub unsafe fn write(&self, src: &[T], offset: usize) -> Result {
        self.check(offset, src.len())?;
        // SAFETY: in range; exclusive (caller); `src` cannot overlap DMA
        // memory we hand out only through raw accessors.
        unsafe {
            core::ptr::copy_nonoverlapping(src.as_ptr(), self.cpu_addr.add(offset), src.len())
        };
        Ok(())
    }

    /// The address of element `index`, for `dma_read!`/`dma_write!`.
    #[doc(hidden)]
    pub fn item_from_index(&self, index: usize) -> Result<*mut T> {
        self.check(index, 1)?;
        // SAFETY: in range.
        Ok(unsafe { self.cpu_addr.add(index) })
    }

    /// Reads a field with a volatile read.
    ///
    /// # Safety
    ///
    /// `field` must point into this allocation, aligned.
    #[doc(hidden)]
    pub unsafe fn field_read<F: FromBytes>(&self, field: *const F) -> F {
        // SAFETY: the caller's guarantee; volatile, as the device may write.
        unsafe { field.read_volatile() }
    }

    /// Writes a field with a volatile write.
    ///
    /// # Safety
    ///
    /// `field` must point into this allocation, aligned.
    #[doc(hidden)]
    pub unsafe fn field_write<F: AsBytes>(&self, field: *mut F, value: F) {
        // SAFETY: the caller's guarantee; volatile, as the device may read.
        unsafe { field.write_volatile(value) }
    }
}

impl<T: AsBytes + FromBytes> Drop for CoherentAllocation<T> {
    fn drop(&mut self) {
        // SAFETY: allocated with these parameters (type invariant); the
        // driver has stopped the device from using it (no transfer is in
        // flight once the owner drops it).
        unsafe {
            bindings::dma_free_attrs(
                self.dev.as_raw(),
                self.size(),
                self.cpu_addr.cast(),
                self.dma_handle,
                self.dma_attrs.0 as crate::ffi::c_ulong,
            )
        }
    }
}

/// Reads `alloc[index].field` (or `alloc[index]`) with a volatile read:
/// `dma_read!(alloc[i].field)` gives a `Result` (`EINVAL` out of range).
/// Only field names may follow the index (no expressions are evaluated
/// inside the macro's `unsafe`).
///
/// ```
/// # use kernel::{dma_read, dma_write};
/// fn first(a: &kernel::dma::CoherentAllocation<u32>) -> Result<u32> {
///     dma_read!(a[0])
/// }
/// fn set_first(a: &kernel::dma::CoherentAllocation<u32>, v: u32) -> Result {
///     dma_write!(a[0] = v)
/// }
/// ```
#[macro_export]
macro_rules! dma_read {
    ($dma:ident [ $idx:expr ] $(. $field:tt)*) => {{
        (|| -> $crate::error::Result<_> {
            // The caller's tokens are evaluated here, outside the `unsafe`.
            let dma = &$dma;
            let item = $crate::dma::CoherentAllocation::item_from_index(dma, $idx)?;
            // SAFETY: `item` is an element of the allocation; the field
            // projection (field names only) stays inside it.
            unsafe {
                let ptr_field = ::core::ptr::addr_of!((*item) $(. $field)*);
                ::core::result::Result::Ok($crate::dma::CoherentAllocation::field_read(dma, ptr_field))
            }
        })()
    }};
}

/// Writes `alloc[index].field = value` (or `alloc[index] = value`) with a
/// volatile write; gives a `Result` (`EINVAL` out of range).
#[macro_export]
macro_rules! dma_write {
    ($dma:ident [ $idx:expr ] $($field:tt)*) => {{
        $crate::dma_write!(@parse [$dma] [$idx] [] $($field)*)
    }};
    (@parse [$dma:ident] [$idx:expr] [$($field:tt)*] = $val:expr) => {{
        (|| -> $crate::error::Result {
            // The caller's tokens are evaluated here, outside the `unsafe`.
            let dma = &$dma;
            let item = $crate::dma::CoherentAllocation::item_from_index(dma, $idx)?;
            let value = $val;
            // SAFETY: `item` is an element of the allocation; the field
            // projection (field names only) stays inside it.
            unsafe {
                let ptr_field = ::core::ptr::addr_of_mut!((*item) $($field)*);
                $crate::dma::CoherentAllocation::field_write(dma, ptr_field, value)
            }
            ::core::result::Result::Ok(())
        })()
    }};
    (@parse [$dma:ident] [$idx:expr] [$($field:tt)*] . $f:tt $($rest:tt)*) => {
        $crate::dma_write!(@parse [$dma] [$idx] [$($field)* . $f] $($rest)*)
    };
}
