// SPDX-License-Identifier: GPL-2.0

//! A driver for QEMU's `edu` PCI device (`-device edu`, 1234:11e8; QEMU's
//! docs/specs/edu.rst has its registers).
//!
//! On probe it enables the device, maps BAR 0, checks the identification
//! register, takes one interrupt vector (MSI where available, else INTx)
//! and registers `/dev/edu`:
//!
//! - `EDU_IOC_ID` (`_IOR('E', 1, u32)`): the identification register;
//! - `EDU_IOC_LIVENESS` (`_IOWR('E', 2, u32)`): writes the value to the
//!   liveness register and returns what the device reads back (its
//!   complement);
//! - `EDU_IOC_FACTORIAL` (`_IOWR('E', 3, u32)`): n! (modulo 2^32), computed
//!   by the device, whose completion interrupt wakes the caller;
//! - `EDU_IOC_IRQS` (`_IOR('E', 4, u64)`): interrupts handled so far.
//!
//! Files hold the device's state by reference counting: after the driver is
//! unbound (sysfs `unbind`), their ioctls fail with `ENODEV` (the BAR mapping
//! is device-managed, so it is gone), and nothing they do can reach the
//! device again.

use kernel::{
    c_str,
    device::{Bound, Core, Device},
    devres::Devres,
    fs::File,
    io::Io,
    ioctl::{_IOC_SIZE, _IOR, _IOWR},
    irq::{self, IrqReturn},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_condvar, new_mutex, new_spinlock_irq, pci,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Arc, CondVar, CondVarTimeoutResult, Mutex, SpinLockIrq,
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
    /// The part of BAR 0 the driver uses.
    pub(crate) const END: usize = 0x100;

    /// STATUS: a factorial is being computed.
    pub(crate) const STATUS_COMPUTING: u32 = 0x01;
    /// STATUS: raise an interrupt when the factorial is done.
    pub(crate) const STATUS_IRQ_FACT: u32 = 0x80;
    /// IRQ_STATUS: the factorial is done.
    pub(crate) const IRQ_FACT: u32 = 0x01;
}

const EDU_IOC_ID: u32 = _IOR::<u32>('E' as u32, 1);
const EDU_IOC_LIVENESS: u32 = _IOWR::<u32>('E' as u32, 2);
const EDU_IOC_FACTORIAL: u32 = _IOWR::<u32>('E' as u32, 3);
const EDU_IOC_IRQS: u32 = _IOR::<u64>('E' as u32, 4);

/// How long a factorial may take (the device computes it in a thread).
const FACTORIAL_TIMEOUT_MS: u32 = 2000;

/// Interrupt events, counted by the handler, waited for by ioctls.
struct Events {
    factorials: u64,
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
    events: SpinLockIrq<Events>,
    #[pin]
    event: CondVar,
    irqs: Atomic<u64>,
}

impl Shared {
    /// Runs `f` on the registers, or `ENODEV` once the driver is unbound.
    /// `f` runs in an RCU read-side section: it must not sleep.
    fn with_bar<R>(&self, f: impl FnOnce(&pci::Bar<{ regs::END }>) -> R) -> Result<R> {
        self.bar.try_access_with(f).ok_or(ENODEV)
    }

    fn factorial(&self, n: u32) -> Result<u32> {
        let _op = self.op.lock();
        let seen = self.events.lock().factorials;
        self.with_bar(|bar| {
            bar.write32(regs::STATUS_IRQ_FACT, regs::STATUS);
            bar.write32(n, regs::FACTORIAL);
        })?;
        let mut events = self.events.lock();
        while events.factorials == seen {
            match self
                .event
                .wait_interruptible_timeout(&mut events, msecs_to_jiffies(FACTORIAL_TIMEOUT_MS))
            {
                CondVarTimeoutResult::Timeout => return Err(ETIMEDOUT),
                CondVarTimeoutResult::Signal { .. } => return Err(ERESTARTSYS),
                CondVarTimeoutResult::Woken { .. } => {}
            }
        }
        drop(events);
        self.with_bar(|bar| {
            if bar.read32(regs::STATUS) & regs::STATUS_COMPUTING != 0 {
                return Err(EIO);
            }
            Ok(bar.read32(regs::FACTORIAL))
        })?
    }
}

/// The interrupt handler.
struct EduIrq {
    shared: Arc<Shared>,
}

impl irq::Handler for EduIrq {
    fn handle(&self, dev: &Device<Bound>) -> IrqReturn {
        let Ok(bar) = self.shared.bar.access(dev) else {
            return IrqReturn::None;
        };
        let status = bar.read32(regs::IRQ_STATUS);
        if status == 0 {
            return IrqReturn::None;
        }
        bar.write32(status, regs::IRQ_ACK);
        self.shared.irqs.add(1, Relaxed);
        if status & regs::IRQ_FACT != 0 {
            self.shared.events.lock().factorials += 1;
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
    irq: irq::Registration<EduIrq>,
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
            let shared = Arc::pin_init(
                try_pin_init!(Shared {
                    bar <- pdev.iomap_region_sized::<{ regs::END }>(0, c_str!("rkal_edu")),
                    op <- new_mutex!(()),
                    events <- new_spinlock_irq!(Events { factorials: 0 }),
                    event <- new_condvar!(),
                    irqs: Atomic::new(0),
                }? Error),
                GFP_KERNEL,
            )?;
            let dev: &Device<Core> = pdev.as_ref();
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
                    irq <- pdev.request_irq(
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
}
