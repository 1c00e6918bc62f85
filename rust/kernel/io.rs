// SPDX-License-Identifier: GPL-2.0

//! Memory-mapped I/O: a mapped register window ([`Mmio`]) and the
//! accessors of the [`Io`] trait, in upstream's shape.
//!
//! `read32(offset)`/`write32(value, offset)` (and 8, 16, 64 bits) are C's
//! `readl`/`writel`: ordered against each other and against the CPU's
//! memory accesses the way the memory-model page describes (a `writel` is
//! ordered after earlier writes to memory, so a device started by it sees
//! the DMA buffer filled; a `readl` is ordered before later reads of
//! memory). `mmio.relaxed().read32(..)` is `readl_relaxed`: ordered with
//! other accesses to the same device only; use the `dma_*` barriers of
//! `kernel::sync::barrier` where memory must be ordered against it.
//!
//! Offsets are checked: the infallible accessors need a window of known
//! size ([`IoKnownSize`]) and an offset the compiler can prove in range
//! and aligned (else the build fails, with `build_assert!`); the `try_`
//! accessors check at run time and return `EINVAL`.

pub mod resource;

pub use resource::Resource;

/// A physical address (C's `phys_addr_t`).
pub type PhysAddr = bindings::phys_addr_t;

/// The size of a resource (C's `resource_size_t`).
pub type ResourceSize = bindings::resource_size_t;

use crate::build_assert;
use crate::error::{code::EINVAL, Result};
use crate::ffi::c_void;

/// The raw window: an address and the size mapped there.
///
/// # Invariants
///
/// `maxsize >= SIZE`.
pub struct MmioRaw<const SIZE: usize = 0> {
    addr: usize,
    maxsize: usize,
}

impl<const SIZE: usize> MmioRaw<SIZE> {
    /// A window at `addr` of `maxsize` bytes; `EINVAL` if that is less
    /// than `SIZE`.
    pub fn new(addr: usize, maxsize: usize) -> Result<Self> {
        if maxsize < SIZE {
            return Err(EINVAL);
        }
        // INVARIANT: checked above.
        Ok(Self { addr, maxsize })
    }

    /// The address of the window.
    pub fn addr(&self) -> usize {
        self.addr
    }

    /// The size of the window.
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }
}

/// A mapped MMIO window of at least `SIZE` bytes.
///
/// # Invariants
///
/// The raw window is mapped MMIO (from `ioremap`, `pci_iomap`, ...) for as
/// long as the `Mmio` lives.
#[repr(transparent)]
pub struct Mmio<const SIZE: usize = 0>(MmioRaw<SIZE>);

impl<const SIZE: usize> Mmio<SIZE> {
    /// The window `raw` describes.
    ///
    /// # Safety
    ///
    /// `raw` must describe mapped MMIO that stays mapped while the returned
    /// reference lives.
    pub unsafe fn from_raw(raw: &MmioRaw<SIZE>) -> &Self {
        // SAFETY: `repr(transparent)`; mapped (caller).
        unsafe { &*core::ptr::from_ref(raw).cast() }
    }

    /// The same window with relaxed accessors (`readl_relaxed`, ...).
    pub fn relaxed(&self) -> &RelaxedMmio<SIZE> {
        // SAFETY: `repr(transparent)`.
        unsafe { &*core::ptr::from_ref(self).cast() }
    }
}

/// An MMIO window whose accessors are the relaxed ones.
#[repr(transparent)]
pub struct RelaxedMmio<const SIZE: usize = 0>(Mmio<SIZE>);

/// Accesses of type `T` a window can do.
pub trait IoCapable<T> {
    /// Reads a `T` at `address`.
    ///
    /// # Safety
    ///
    /// `address` must be in the window and aligned for `T`.
    unsafe fn io_read(&self, address: usize) -> T;

    /// Writes `value` at `address`.
    ///
    /// # Safety
    ///
    /// As for [`IoCapable::io_read`].
    unsafe fn io_write(&self, value: T, address: usize);
}

/// Whether `size_of::<U>()` bytes at `offset` fit in `size` bytes, aligned.
#[inline(always)]
pub const fn offset_valid<U>(offset: usize, size: usize) -> bool {
    let n = core::mem::size_of::<U>();
    match offset.checked_add(n) {
        Some(end) => end <= size && offset % n == 0,
        None => false,
    }
}

macro_rules! accessors {
    ($($t:ty: $read:ident, $try_read:ident, $write:ident, $try_write:ident;)*) => {$(
        /// Reads at `offset`, checked at run time (`EINVAL`).
        #[inline]
        fn $try_read(&self, offset: usize) -> Result<$t>
        where
            Self: IoCapable<$t>,
        {
            let a = self.io_addr::<$t>(offset)?;
            // SAFETY: `io_addr` checked range and alignment.
            Ok(unsafe { self.io_read(a) })
        }

        /// Writes `value` at `offset`, checked at run time (`EINVAL`).
        #[inline]
        fn $try_write(&self, value: $t, offset: usize) -> Result
        where
            Self: IoCapable<$t>,
        {
            let a = self.io_addr::<$t>(offset)?;
            // SAFETY: `io_addr` checked range and alignment.
            unsafe { self.io_write(value, a) };
            Ok(())
        }

        /// Reads at `offset`, checked at build time.
        #[inline(always)]
        fn $read(&self, offset: usize) -> $t
        where
            Self: IoKnownSize + IoCapable<$t>,
        {
            let a = self.io_addr_assert::<$t>(offset);
            // SAFETY: `io_addr_assert` proved range and alignment.
            unsafe { self.io_read(a) }
        }

        /// Writes `value` at `offset`, checked at build time.
        #[inline(always)]
        fn $write(&self, value: $t, offset: usize)
        where
            Self: IoKnownSize + IoCapable<$t>,
        {
            let a = self.io_addr_assert::<$t>(offset);
            // SAFETY: `io_addr_assert` proved range and alignment.
            unsafe { self.io_write(value, a) }
        }
    )*};
}

/// A window of I/O with the accessors; see the module documentation.
pub trait Io {
    /// The window's address.
    fn addr(&self) -> usize;

    /// The window's size.
    fn maxsize(&self) -> usize;

    /// The address of a `U` at `offset`, if in the window and aligned.
    #[inline]
    fn io_addr<U>(&self, offset: usize) -> Result<usize> {
        if !offset_valid::<U>(offset, self.maxsize()) {
            return Err(EINVAL);
        }
        Ok(self.addr() + offset)
    }

    accessors! {
        u8: read8, try_read8, write8, try_write8;
        u16: read16, try_read16, write16, try_write16;
        u32: read32, try_read32, write32, try_write32;
        u64: read64, try_read64, write64, try_write64;
    }
}

/// A window whose size is known at build time to be at least `MIN_SIZE`.
pub trait IoKnownSize: Io {
    /// The size the window has at least.
    const MIN_SIZE: usize;

    /// The address of a `U` at `offset`; the build fails unless the
    /// compiler proves it in range and aligned.
    #[inline(always)]
    fn io_addr_assert<U>(&self, offset: usize) -> usize {
        build_assert!(offset_valid::<U>(offset, Self::MIN_SIZE));
        self.addr() + offset
    }
}

impl<const SIZE: usize> Io for Mmio<SIZE> {
    fn addr(&self) -> usize {
        self.0.addr()
    }

    fn maxsize(&self) -> usize {
        self.0.maxsize()
    }
}

impl<const SIZE: usize> IoKnownSize for Mmio<SIZE> {
    const MIN_SIZE: usize = SIZE;
}

impl<const SIZE: usize> Io for RelaxedMmio<SIZE> {
    fn addr(&self) -> usize {
        self.0.addr()
    }

    fn maxsize(&self) -> usize {
        self.0.maxsize()
    }
}

impl<const SIZE: usize> IoKnownSize for RelaxedMmio<SIZE> {
    const MIN_SIZE: usize = SIZE;
}

macro_rules! capable {
    ($ty:ident, $($t:ty: $read:ident, $write:ident;)*) => {$(
        impl<const SIZE: usize> IoCapable<$t> for $ty<SIZE> {
            #[inline(always)]
            unsafe fn io_read(&self, address: usize) -> $t {
                // SAFETY: `address` is in the mapped window and aligned
                // (caller), the window is mapped (type invariant).
                unsafe { bindings::$read(address as *const c_void) }
            }

            #[inline(always)]
            unsafe fn io_write(&self, value: $t, address: usize) {
                // SAFETY: as for `io_read`.
                unsafe { bindings::$write(value, address as *mut c_void) }
            }
        }
    )*};
}

capable!(Mmio, u8: readb, writeb; u16: readw, writew; u32: readl, writel;);
capable!(RelaxedMmio, u8: readb_relaxed, writeb_relaxed; u16: readw_relaxed, writew_relaxed;
    u32: readl_relaxed, writel_relaxed;);
#[cfg(CONFIG_64BIT)]
capable!(Mmio, u64: readq, writeq;);
#[cfg(CONFIG_64BIT)]
capable!(RelaxedMmio, u64: readq_relaxed, writeq_relaxed;);

#[macros::kunit_tests(rust_kernel_io)]
mod tests {
    use super::*;
    use crate::alloc::{flags::GFP_KERNEL, KBox};

    #[test]
    fn offset_valid_checks_range_alignment_and_overflow() {
        assert!(offset_valid::<u32>(0, 16));
        assert!(offset_valid::<u32>(12, 16));
        assert!(offset_valid::<u8>(15, 16));
        // Straddles the end, is past it, or is misaligned.
        assert!(!offset_valid::<u32>(14, 16));
        assert!(!offset_valid::<u8>(16, 16));
        assert!(!offset_valid::<u32>(2, 16));
        assert!(!offset_valid::<u64>(4, 16));
        // `offset + size` overflows.
        assert!(!offset_valid::<u64>(usize::MAX - 3, 16));
    }

    #[test]
    fn raw_window_smaller_than_its_type_is_einval() {
        assert!(matches!(MmioRaw::<16>::new(0x1000, 8), Err(e) if e == EINVAL));
        assert!(MmioRaw::<16>::new(0x1000, 16).is_ok());
    }

    /// The accessors on a window of 16 bytes that is ordinary memory with
    /// 16 guard bytes after it (on x86, `readl`/`writel` and the relaxed
    /// ones are plain `mov`s, valid on any mapped kernel memory).
    #[cfg(CONFIG_X86)]
    #[test]
    fn accessors_stay_in_the_window() -> Result {
        let p = KBox::into_raw(KBox::new([0u8; 32], GFP_KERNEL)?);
        let raw = MmioRaw::<16>::new(p as usize, 16)?;
        // SAFETY: the 32 bytes at `p` stay allocated until `from_raw` below,
        // after the last use of `io`, and no reference to them exists
        // meanwhile; on x86 the MMIO accessors are plain accesses, which
        // such memory allows (the type's MMIO invariant is about what the
        // accessors may touch, and these stay in the 16 bytes, as checked).
        let io = unsafe { Mmio::from_raw(&raw) };
        io.write32(0x1234_5678, 4);
        assert_eq!(io.read32(4), 0x1234_5678);
        assert_eq!(io.try_read32(4)?, 0x1234_5678);
        io.try_write64(0x0102_0304_0506_0708, 8)?;
        assert_eq!(io.relaxed().try_read64(8)?, 0x0102_0304_0506_0708);
        io.relaxed().write8(0xab, 15);
        assert_eq!(io.try_read8(15)?, 0xab);
        // Out of the window, or misaligned: refused, nothing accessed.
        assert!(io.try_write32(!0, 14) == Err(EINVAL));
        assert!(io.try_write32(!0, 16) == Err(EINVAL));
        assert!(io.try_write64(!0, 12) == Err(EINVAL));
        assert!(io.relaxed().try_write16(!0, 3) == Err(EINVAL));
        assert!(io.try_read16(16) == Err(EINVAL));
        // SAFETY: `p` came from `into_raw` above and `io` is not used again.
        let buf = unsafe { KBox::from_raw(p) };
        assert!(buf[16..].iter().all(|&b| b == 0));
        assert_eq!(buf[3], 0);
        Ok(())
    }
}
