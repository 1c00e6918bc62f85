// SPDX-License-Identifier: GPL-2.0

//! A driver for QEMU's `edu` PCI device (`-device edu`, 1234:11e8; QEMU's
//! docs/specs/edu.rst has its registers).
//!
//! On probe it enables the device, maps BAR 0, checks the identification
//! register, takes one interrupt vector (MSI where available, else INTx)
//! with a threaded handler (the hard half acknowledges the device, the
//! thread counts the events and wakes the waiters) and registers
//! `/dev/edu`:
//!
//! - `EDU_IOC_ID` (`_IOR('E', 1, u32)`): the identification register;
//! - `EDU_IOC_LIVENESS` (`_IOWR('E', 2, u32)`): writes the value to the
//!   liveness register and returns what the device reads back (its
//!   complement);
//! - `EDU_IOC_FACTORIAL` (`_IOWR('E', 3, u32)`): n! (modulo 2^32), computed
//!   by the device, whose completion interrupt wakes the caller;
//! - `EDU_IOC_IRQS` (`_IOR('E', 4, u64)`): interrupts handled so far;
//! - `write(2)`/`read(2)` at offset `pos` move up to 4095 bytes (see
//!   `regs::DMA_BUF_SIZE`) to and from the device's buffer by DMA (through a coherent buffer of ours, under the
//!   device's 28-bit DMA mask), each transfer ended by its interrupt.
//!
//! Files hold the device's state by reference counting: after the driver is
//! unbound (sysfs `unbind`), their ioctls fail with `ENODEV` (the BAR mapping
//! is device-managed, so it is gone), and nothing they do can reach the
//! device again.

use kernel::{
    c_str,
    device::{Bound, Core, Device},
    devres::Devres,
    dma::{self, CoherentAllocation, DmaMask},
    fs::{File, Kiocb},
    io::Io,
    ioctl::{_IOC_SIZE, _IOR, _IOWR},
    iov::{IovIterDest, IovIterSource},
    irq::{self, IrqReturn, ThreadedIrqReturn},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_condvar, new_mutex, pci,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Arc, CondVar, CondVarTimeoutResult, Mutex,
    },
    time::msecs_to_jiffies,
    uaccess::{UserPtr, UserSlice},
};

kernel::module_pci_driver! {
    type: EduDriver,
    name: "rkal_edu",
    authors: ["rkal developers"],
    description: "Driver for QEMU's edu PCI device",
    license: "GPL",
}

/// Registers of BAR 0 (all 32 bits wide below 0x80).
mod regs {
    pub(crate) const ID: usize = 0x00;
    pub(crate) const LIVENESS: usize = 0x04;
    pub(crate) const FACTORIAL: usize = 0x08;
    pub(crate) const STATUS: usize = 0x20;
    pub(crate) const IRQ_STATUS: usize = 0x24;
    pub(crate) const IRQ_ACK: usize = 0x64;
    pub(crate) const DMA_SRC: usize = 0x80;
    pub(crate) const DMA_DST: usize = 0x88;
    pub(crate) const DMA_COUNT: usize = 0x90;
    pub(crate) const DMA_CMD: usize = 0x98;
    /// The part of BAR 0 the driver uses.
    pub(crate) const END: usize = 0x100;

    /// STATUS: a factorial is being computed.
    pub(crate) const STATUS_COMPUTING: u32 = 0x01;
    /// STATUS: raise an interrupt when the factorial is done.
    pub(crate) const STATUS_IRQ_FACT: u32 = 0x80;
    /// IRQ_STATUS: the factorial is done.
    pub(crate) const IRQ_FACT: u32 = 0x01;
    /// IRQ_STATUS: the DMA transfer is done.
    pub(crate) const IRQ_DMA: u32 = 0x100;

    /// DMA_CMD: start (reads back set while the transfer runs).
    pub(crate) const DMA_START: u64 = 0x01;
    /// DMA_CMD: from the device to RAM (else RAM to the device).
    pub(crate) const DMA_TO_RAM: u64 = 0x02;
    /// DMA_CMD: raise `IRQ_DMA` when done.
    pub(crate) const DMA_IRQ: u64 = 0x04;
    /// The device's buffer, in its own address space.
    pub(crate) const DMA_BUF: u64 = 0x40000;
    /// Its size (4 KiB) less its last byte: QEMU up to 7.2 (Debian 12's)
    /// rejects a transfer that reaches that byte (an off-by-one in
    /// `edu_check_range`, fixed in 8.0) as a hardware error, which stops
    /// the whole machine.
    pub(crate) const DMA_BUF_SIZE: usize = 4095;
}

const EDU_IOC_ID: u32 = _IOR::<u32>('E' as u32, 1);
const EDU_IOC_LIVENESS: u32 = _IOWR::<u32>('E' as u32, 2);
const EDU_IOC_FACTORIAL: u32 = _IOWR::<u32>('E' as u32, 3);
const EDU_IOC_IRQS: u32 = _IOR::<u64>('E' as u32, 4);

/// How long an operation may take (a factorial is computed in a thread of
/// QEMU's, a DMA transfer runs from a 100 ms timer).
const TIMEOUT_MS: u32 = 2000;

/// Interrupt events, counted by the handler's thread, waited for by
/// ioctls.
struct Events {
    factorials: u64,
    dmas: u64,
}

/// Which event an operation waits for.
#[derive(Clone, Copy)]
enum Event {
    Factorial,
    Dma,
}

impl Events {
    fn count(&self, e: Event) -> u64 {
        match e {
            Event::Factorial => self.factorials,
            Event::Dma => self.dmas,
        }
    }
}

/// The device's state, shared by the driver, its interrupt handler and the
/// open files.
#[pin_data]
struct Shared {
    #[pin]
    bar: Devres<pci::Bar<{ regs::END }>>,
    /// One operation on the device at a time.
    #[pin]
    op: Mutex<()>,
    #[pin]
    events: Mutex<Events>,
    #[pin]
    event: CondVar,
    irqs: Atomic<u64>,
    /// Interrupt status bits acknowledged by the hard half of the handler,
    /// not yet counted by its thread.
    pending: Atomic<u32>,
    /// The bounce buffer of DMA transfers; used under `op` only.
    dma: CoherentAllocation<u8>,
}

impl Shared {
    /// Runs `f` on the registers, or `ENODEV` once the driver is unbound.
    /// `f` runs in an RCU read-side section: it must not sleep.
    fn with_bar<R>(&self, f: impl FnOnce(&pci::Bar<{ regs::END }>) -> R) -> Result<R> {
        self.bar.try_access_with(f).ok_or(ENODEV)
    }

    /// Waits until the event count of `e` differs from `seen` (with
    /// `seen` = `None`, at once) and `busy` reads false from the registers,
    /// the device raising `e` when it stops being busy; `ETIMEDOUT` if no
    /// event comes within `TIMEOUT_MS` while they do not hold.
    fn wait(
        &self,
        e: Event,
        seen: Option<u64>,
        busy: impl Fn(&pci::Bar<{ regs::END }>) -> bool,
    ) -> Result {
        let mut events = self.events.lock();
        loop {
            // The registers are read under `events`, and the handler's
            // thread counts an event under it, after the device has
            // stopped being busy: an end that this read misses changes
            // the count after `now`, which wakes the wait below.
            let now = events.count(e);
            if seen != Some(now) && !self.with_bar(&busy)? {
                return Ok(());
            }
            while events.count(e) == now {
                match self
                    .event
                    .wait_interruptible_timeout(&mut events, msecs_to_jiffies(TIMEOUT_MS))
                {
                    CondVarTimeoutResult::Timeout => return Err(ETIMEDOUT),
                    CondVarTimeoutResult::Signal { .. } => return Err(ERESTARTSYS),
                    CondVarTimeoutResult::Woken { .. } => {}
                }
            }
        }
    }

    /// Waits until the device is idle (`busy` reads false).
    fn wait_idle(&self, e: Event, busy: impl Fn(&pci::Bar<{ regs::END }>) -> bool) -> Result {
        self.wait(e, None, busy)
    }

    /// Starts an operation with `start` (on the registers, under `op`),
    /// then waits for its interrupt and until the device is done with it
    /// (`busy` reads false).
    ///
    /// An earlier operation that timed out may still be running: the
    /// device ignores a start meanwhile, and the event that ends the old
    /// one would be taken for the end of the new one, whose result would
    /// then be the old one's. So the device must be idle first; and an
    /// event only ends the wait once the registers say the device is
    /// done, since it may be a late one of the old operation's.
    fn run(
        &self,
        e: Event,
        busy: impl Fn(&pci::Bar<{ regs::END }>) -> bool,
        start: impl FnOnce(&pci::Bar<{ regs::END }>),
    ) -> Result {
        self.wait_idle(e, &busy)?;
        let seen = self.events.lock().count(e);
        self.with_bar(start)?;
        self.wait(e, Some(seen), &busy)
    }

    fn factorial(&self, n: u32) -> Result<u32> {
        let _op = self.op.lock();
        self.run(
            Event::Factorial,
            |bar| bar.read32(regs::STATUS) & regs::STATUS_COMPUTING != 0,
            |bar| {
                bar.write32(regs::STATUS_IRQ_FACT, regs::STATUS);
                bar.write32(n, regs::FACTORIAL);
            },
        )?;
        self.with_bar(|bar| bar.read32(regs::FACTORIAL))
    }

    /// One DMA transfer of `len` bytes between our buffer and the device's
    /// at `pos` (`to_ram`: from the device). Called under `op`.
    fn dma(&self, pos: usize, len: usize, to_ram: bool) -> Result {
        let dev_addr = regs::DMA_BUF + pos as u64;
        let ram = self.dma.dma_handle();
        let (src, dst) = if to_ram {
            (dev_addr, ram)
        } else {
            (ram, dev_addr)
        };
        self.run(Event::Dma, Self::dma_busy, |bar| {
            bar.write64(src, regs::DMA_SRC);
            bar.write64(dst, regs::DMA_DST);
            bar.write64(len as u64, regs::DMA_COUNT);
            // `writeq` orders the buffer's contents before the start.
            let dir = if to_ram { regs::DMA_TO_RAM } else { 0 };
            bar.write64(regs::DMA_START | regs::DMA_IRQ | dir, regs::DMA_CMD);
        })
    }

    /// Whether a DMA transfer runs, reading or writing our buffer.
    fn dma_busy(bar: &pci::Bar<{ regs::END }>) -> bool {
        bar.read64(regs::DMA_CMD) & regs::DMA_START != 0
    }

    /// The part of the device's buffer a transfer at `pos` of `len` bytes
    /// may touch: `None` at or past its end, or for no bytes at all (the
    /// device takes a transfer of 0 bytes for one that wraps around, a
    /// hardware error that stops QEMU).
    fn span(pos: i64, len: usize) -> Option<(usize, usize)> {
        let pos = usize::try_from(pos).ok()?;
        if pos >= regs::DMA_BUF_SIZE || len == 0 {
            return None;
        }
        Some((pos, len.min(regs::DMA_BUF_SIZE - pos)))
    }
}

/// The interrupt handler: the hard half quietens the device, the thread
/// does the rest (it may sleep: `events` is a `Mutex`).
struct EduIrq {
    shared: Arc<Shared>,
}

impl irq::ThreadedHandler for EduIrq {
    fn handle(&self, dev: &Device<Bound>) -> ThreadedIrqReturn {
        let Ok(bar) = self.shared.bar.access(dev) else {
            return ThreadedIrqReturn::None;
        };
        let status = bar.read32(regs::IRQ_STATUS);
        if status == 0 {
            return ThreadedIrqReturn::None;
        }
        // Acknowledged here, so the (level-triggered, with INTx) line is
        // quiet again before the thread runs.
        bar.write32(status, regs::IRQ_ACK);
        self.shared.irqs.add(1, Relaxed);
        // Relaxed is enough: the IRQ core orders this before the thread's
        // `xchg` (it sets the thread's run flag with a fully ordered
        // `test_and_set_bit`, which the thread clears with a fully ordered
        // `test_and_clear_bit` before calling `handle_threaded`).
        self.shared.pending.or(status, Relaxed);
        ThreadedIrqReturn::WakeThread
    }

    fn handle_threaded(&self, _dev: &Device<Bound>) -> IrqReturn {
        // Bits of several interrupts may have gathered since the last run,
        // or an earlier run may have taken them all: either way the
        // interrupts were ours, and `Handled` (an IRQ_NONE here would count
        // towards the core's "nobody cared" detector).
        let status = self.shared.pending.xchg(0, Relaxed);
        if status & (regs::IRQ_FACT | regs::IRQ_DMA) != 0 {
            let mut events = self.shared.events.lock();
            if status & regs::IRQ_FACT != 0 {
                events.factorials += 1;
            }
            if status & regs::IRQ_DMA != 0 {
                events.dmas += 1;
            }
            drop(events);
            self.shared.event.notify_all();
        }
        IrqReturn::Handled
    }
}

/// The driver's data while bound.
#[pin_data]
struct EduDriver {
    shared: Arc<Shared>,
    #[pin]
    irq: irq::ThreadedRegistration<EduIrq>,
    #[pin]
    misc: MiscDeviceRegistration<EduFile>,
}

kernel::pci_device_table!(
    PCI_TABLE,
    MODULE_PCI_TABLE,
    <EduDriver as pci::Driver>::IdInfo,
    [(
        pci::DeviceId::from_id(pci::Vendor::from_raw(0x1234), 0x11e8),
        ()
    )]
);

impl pci::Driver for EduDriver {
    type IdInfo = ();
    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe(pdev: &pci::Device<Core>, _info: &Self::IdInfo) -> impl PinInit<Self, Error> {
        let shared = (|| {
            pdev.enable_device_mem()?;
            pdev.set_master();
            // SAFETY: in probe, before any DMA allocation for the device.
            unsafe { dma::Device::dma_set_mask_and_coherent(pdev, DmaMask::new::<28>())? };
            let dev: &Device<Core> = pdev.as_ref();
            let buf = CoherentAllocation::alloc_coherent(dev, regs::DMA_BUF_SIZE, GFP_KERNEL)?;
            let shared = Arc::pin_init(
                try_pin_init!(Shared {
                    bar <- pdev.iomap_region_sized::<{ regs::END }>(0, c_str!("rkal_edu")),
                    op <- new_mutex!(()),
                    events <- new_mutex!(Events { factorials: 0, dmas: 0 }),
                    event <- new_condvar!(),
                    irqs: Atomic::new(0),
                    pending: Atomic::new(0),
                    dma: buf,
                }? Error),
                GFP_KERNEL,
            )?;
            let id = shared.bar.access(dev)?.read32(regs::ID);
            if id & 0xff != 0xed {
                dev_err!(pdev, "not an edu device (identification {:#x})\n", id);
                return Err(ENODEV);
            }
            dev_info!(pdev, "edu {}.{} found\n", id >> 24, (id >> 16) & 0xff);
            Ok(shared)
        })();
        let irq_vectors = pdev.alloc_irq_vectors(1, 1, pci::IrqTypes::all());
        let pdev: &pci::Device<Bound> = pdev;
        // SAFETY: returns at once with the first error; otherwise each
        // field is initialised in order by its own initialiser.
        unsafe {
            kernel::init::pin_init_from_closure(move |slot: *mut Self| {
                let shared = shared?;
                let vectors = irq_vectors?;
                let init = try_pin_init!(Self {
                    shared: shared.clone(),
                    irq <- pdev.request_threaded_irq(
                        *vectors.start(),
                        irq::Flags::SHARED,
                        c_str!("rkal_edu"),
                        Ok::<_, Error>(EduIrq { shared }),
                    ),
                    misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                        name: c_str!("edu"),
                    }),
                }? Error);
                init.__pinned_init(slot)
            })
        }
    }

    fn unbind(pdev: &pci::Device<Core>, _this: Pin<&Self>) {
        dev_info!(pdev, "unbound\n");
    }
}

/// An open `/dev/edu`.
struct EduFile {
    shared: Arc<Shared>,
}

#[vtable]
impl MiscDevice for EduFile {
    type Ptr = KBox<Self>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        let driver = kernel::container_of!(misc, EduDriver, misc);
        // SAFETY: every `MiscDeviceRegistration<EduFile>` is the `misc` of
        // an `EduDriver` (this file is the only place that makes one), and
        // the misc core calls `open` under the lock `misc_deregister` takes,
        // so the driver's data outlives this call.
        let shared = unsafe { &(*driver).shared }.clone();
        Ok(KBox::new(EduFile { shared }, GFP_KERNEL)?)
    }

    fn ioctl(me: &EduFile, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let slice = UserSlice::new(UserPtr::from_addr(arg), _IOC_SIZE(cmd));
        let shared = &me.shared;
        match cmd {
            EDU_IOC_ID => {
                let id = shared.with_bar(|bar| bar.read32(regs::ID))?;
                slice.writer().write(&id)?;
            }
            EDU_IOC_LIVENESS => {
                let (mut reader, mut writer) = slice.reader_writer();
                let v: u32 = reader.read()?;
                let back = {
                    let _op = shared.op.lock();
                    shared.with_bar(|bar| {
                        bar.write32(v, regs::LIVENESS);
                        bar.read32(regs::LIVENESS)
                    })?
                };
                writer.write(&back)?;
            }
            EDU_IOC_FACTORIAL => {
                let (mut reader, mut writer) = slice.reader_writer();
                let n: u32 = reader.read()?;
                let r = shared.factorial(n)?;
                writer.write(&r)?;
            }
            EDU_IOC_IRQS => {
                slice.writer().write(&shared.irqs.load(Relaxed))?;
            }
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let shared = kiocb.file().shared.clone();
        let Some((pos, len)) = Shared::span(kiocb.ki_pos(), iov.len()) else {
            return if iov.is_empty() { Ok(0) } else { Err(ENOSPC) };
        };
        let _op = shared.op.lock();
        // A transfer that timed out may still be using the buffer.
        shared.wait_idle(Event::Dma, Shared::dma_busy)?;
        // SAFETY: no transfer runs: the device says so, and one starts
        // only under `op`, which we hold; so nothing else touches the
        // buffer.
        let buf = unsafe { shared.dma.as_slice_mut(0, len)? };
        let n = iov.copy_from_iter(buf);
        if n == 0 && len != 0 {
            return Err(EFAULT);
        }
        shared.dma(pos, n, false)?;
        *kiocb.ki_pos_mut() += n as i64;
        Ok(n)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let shared = kiocb.file().shared.clone();
        let Some((pos, len)) = Shared::span(kiocb.ki_pos(), iov.len()) else {
            return Ok(0);
        };
        let _op = shared.op.lock();
        shared.dma(pos, len, true)?;
        // SAFETY: the transfer is complete (`dma` waited until the device
        // cleared START) and no other starts while we hold `op`, so
        // nothing writes the buffer.
        let buf = unsafe { shared.dma.as_slice(0, len)? };
        let n = iov.copy_to_iter(buf);
        if n == 0 && len != 0 {
            return Err(EFAULT);
        }
        *kiocb.ki_pos_mut() += n as i64;
        Ok(n)
    }
}
