// SPDX-License-Identifier: GPL-2.0

//! [`GenDisk`]: a block device (C's `struct gendisk`) served by a blk-mq
//! driver, and [`GenDiskBuilder`] to set one up.

use super::{Operations, TagSet};
use crate::{
    error::{code::EINVAL, from_err_ptr, to_result, Result},
    static_lock_class,
    str::Formatter,
    sync::Arc,
};
use core::fmt::{self, Write};

/// Parameters of a new disk.
///
/// ```ignore
/// let disk = GenDiskBuilder::new()
///     .capacity_sectors(1 << 20)
///     .logical_block_size(4096)?
///     .physical_block_size(4096)?
///     .rotational(false)
///     .build(format_args!("mydisk{}", 0), tagset)?;
/// ```
pub struct GenDiskBuilder {
    rotational: bool,
    logical_block_size: u32,
    physical_block_size: u32,
    capacity_sectors: u64,
}

impl Default for GenDiskBuilder {
    fn default() -> Self {
        Self {
            rotational: false,
            logical_block_size: bindings::PAGE_SIZE as u32,
            physical_block_size: bindings::PAGE_SIZE as u32,
            capacity_sectors: 0,
        }
    }
}

/// A block size the block layer accepts: a power of two from 512 bytes to
/// a page (C's `blk_validate_block_size`).
fn validate_block_size(size: u32) -> Result {
    if !(512..=bindings::PAGE_SIZE as u32).contains(&size) || !size.is_power_of_two() {
        return Err(EINVAL);
    }
    Ok(())
}

impl GenDiskBuilder {
    /// Defaults: page-sized blocks, not rotational, no capacity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the disk is a rotating one.
    pub fn rotational(mut self, rotational: bool) -> Self {
        self.rotational = rotational;
        self
    }

    /// The smallest unit the device can address; `EINVAL` unless a power of
    /// two from 512 bytes to a page.
    pub fn logical_block_size(mut self, block_size: u32) -> Result<Self> {
        validate_block_size(block_size)?;
        self.logical_block_size = block_size;
        Ok(self)
    }

    /// The smallest unit the device writes without read-modify-write;
    /// `EINVAL` unless a power of two from 512 bytes to a page.
    pub fn physical_block_size(mut self, block_size: u32) -> Result<Self> {
        validate_block_size(block_size)?;
        self.physical_block_size = block_size;
        Ok(self)
    }

    /// Capacity in 512-byte sectors.
    pub fn capacity_sectors(mut self, capacity: u64) -> Self {
        self.capacity_sectors = capacity;
        self
    }

    /// Allocates the disk on `tagset`, names it, and adds it to the system.
    pub fn build<T: Operations>(
        self,
        name: fmt::Arguments<'_>,
        tagset: Arc<TagSet<T>>,
    ) -> Result<GenDisk<T>> {
        // SAFETY: an all-zero `queue_limits` means "defaults" to blk-mq.
        let mut lim: bindings::queue_limits = unsafe { core::mem::zeroed() };
        lim.logical_block_size = self.logical_block_size;
        lim.physical_block_size = self.physical_block_size;
        if self.rotational {
            lim.features = bindings::BLK_FEAT_ROTATIONAL;
        }

        // SAFETY: the tag set is allocated and outlives the disk (the
        // `GenDisk` keeps the `Arc`); `lim` is read during the call; the
        // lockdep key is static.
        let gendisk = from_err_ptr(unsafe {
            bindings::__blk_mq_alloc_disk(
                tagset.raw_tag_set(),
                &mut lim,
                core::ptr::null_mut(),
                static_lock_class!().as_ptr(),
            )
        })?;
        // From here on, dropping `disk` puts the allocated disk.
        let mut disk = GenDisk {
            tagset,
            gendisk,
            added: false,
        };

        // SAFETY: `gendisk` is a valid, not yet added disk we own; the
        // table is a promoted constant, so `'static`.
        unsafe { (*gendisk).fops = BdevOps::<T>::build() };
        {
            // SAFETY: `disk_name` is a writable array in the disk we own.
            let buf = unsafe { &mut (*gendisk).disk_name };
            // Keep the last byte for the NUL.
            // SAFETY: `buf` is valid for `len - 1` bytes of writes.
            let mut w = unsafe { Formatter::from_buffer(buf.as_mut_ptr().cast(), buf.len() - 1) };
            w.write_fmt(name).map_err(|_| EINVAL)?;
            let n = w.bytes_written();
            buf[n] = 0;
        }
        // SAFETY: valid disk we own.
        unsafe { bindings::set_capacity(gendisk, self.capacity_sectors) };
        // SAFETY: a fully set-up disk, added once.
        to_result(unsafe {
            bindings::device_add_disk(core::ptr::null_mut(), gendisk, core::ptr::null_mut())
        })?;
        disk.added = true;
        Ok(disk)
    }
}

/// Block device operations of `T`'s disks: none beyond blk-mq's, and the
/// module holding `T`'s code as `owner`, so an open disk keeps it loaded.
struct BdevOps<T: Operations>(core::marker::PhantomData<T>);

impl<T: Operations> BdevOps<T> {
    const TABLE: bindings::block_device_operations = bindings::block_device_operations {
        owner: T::VTABLE_OWNER.as_ptr(),
        // SAFETY: all callbacks are optional.
        ..unsafe { core::mem::zeroed() }
    };

    const fn build() -> &'static bindings::block_device_operations {
        &Self::TABLE
    }
}

/// A disk served by driver `T`; removed from the system when dropped.
///
/// # Invariants
///
/// `gendisk` was allocated by `__blk_mq_alloc_disk` on `tagset`, we own
/// it, and it was added (`device_add_disk`) iff `added`.
pub struct GenDisk<T: Operations> {
    tagset: Arc<TagSet<T>>,
    gendisk: *mut bindings::gendisk,
    added: bool,
}

// SAFETY: the disk is owned, and the block layer synchronises use of it.
unsafe impl<T: Operations + Send> Send for GenDisk<T> {}
// SAFETY: `&GenDisk` only reaches the tag set, an `Arc` of a `Sync` type.
unsafe impl<T: Operations> Sync for GenDisk<T> {}

impl<T: Operations> GenDisk<T> {
    /// The tag set serving the disk.
    pub fn tag_set(&self) -> &Arc<TagSet<T>> {
        &self.tagset
    }
}

impl<T: Operations> Drop for GenDisk<T> {
    fn drop(&mut self) {
        if self.added {
            // SAFETY: added and owned (type invariant); deleted once.
            unsafe { bindings::del_gendisk(self.gendisk) };
        }
        // SAFETY: allocated and owned (type invariant); put once.
        unsafe { bindings::put_disk(self.gendisk) };
    }
}
