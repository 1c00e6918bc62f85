// SPDX-License-Identifier: GPL-2.0

//! Interrupt handlers, in upstream's shape: a [`Handler`] is registered for
//! an interrupt line by a [`Registration`], a [`ThreadedHandler`] by a
//! [`ThreadedRegistration`]; a bus hands them out
//! (`pci::Device::request_irq`, `platform::Device::request_irq_by_index`,
//! ...). The line is freed when the registration is dropped, or when the
//! driver is unbound, whichever comes first, so a handler never runs for a
//! device its driver no longer owns.
//!
//! A threaded handler has two halves: [`ThreadedHandler::handle`] runs in
//! hard-interrupt context, like [`Handler::handle`], and returns
//! [`ThreadedIrqReturn::WakeThread`] to have
//! [`ThreadedHandler::handle_threaded`] run in the line's kernel thread,
//! where it may sleep (take a `Mutex`, allocate with `GFP_KERNEL`).

use crate::alloc::{Allocator, Box};
use crate::device::{Bound, Device};
use crate::devres::Devres;
use crate::error::{to_result, Error};
use crate::ffi::{c_int, c_uint, c_void};
use crate::prelude::*;
use crate::str::CStr;
use crate::sync::aref::ARef;
use crate::sync::Arc;
use core::marker::PhantomPinned;

/// What a handler did (C's `irqreturn_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum IrqReturn {
    /// The interrupt was not from this device.
    None = bindings::irqreturn_IRQ_NONE,
    /// The interrupt was handled.
    Handled = bindings::irqreturn_IRQ_HANDLED,
}

/// What the hard-interrupt half of a [`ThreadedHandler`] did (C's
/// `irqreturn_t`, with `IRQ_WAKE_THREAD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ThreadedIrqReturn {
    /// The interrupt was not from this device.
    None = bindings::irqreturn_IRQ_NONE,
    /// The interrupt was handled; the thread is not woken.
    Handled = bindings::irqreturn_IRQ_HANDLED,
    /// Wake the line's thread, which runs
    /// [`ThreadedHandler::handle_threaded`].
    WakeThread = bindings::irqreturn_IRQ_WAKE_THREAD,
}

/// Flags of a request (C's `IRQF_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags(crate::ffi::c_ulong);

impl Flags {
    /// No flags.
    pub const NONE: Flags = Flags(0);
    /// The line may be shared with other devices (`IRQF_SHARED`).
    pub const SHARED: Flags = Flags(bindings::IRQF_SHARED as _);
    /// Keep the line disabled after the hard handler until the thread ran
    /// (`IRQF_ONESHOT`).
    pub const ONESHOT: Flags = Flags(bindings::IRQF_ONESHOT as _);
    /// Do not enable the line on request (`IRQF_NO_AUTOEN`).
    pub const NO_AUTOEN: Flags = Flags(bindings::IRQF_NO_AUTOEN as _);

    fn into_inner(self) -> crate::ffi::c_ulong {
        self.0
    }
}

impl core::ops::BitOr for Flags {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// An interrupt handler. It runs in hard-interrupt context: it must not
/// sleep (no `Mutex`, no `GFP_KERNEL`); work that may sleep belongs in a
/// [`ThreadedHandler`].
pub trait Handler: Sync {
    /// Handles an interrupt of `dev` (bound while the handler runs).
    fn handle(&self, dev: &Device<Bound>) -> IrqReturn;
}

impl<T: ?Sized + Handler + Send> Handler for Arc<T> {
    fn handle(&self, dev: &Device<Bound>) -> IrqReturn {
        T::handle(self, dev)
    }
}

impl<T: ?Sized + Handler, A: Allocator> Handler for Box<T, A> {
    fn handle(&self, dev: &Device<Bound>) -> IrqReturn {
        T::handle(self, dev)
    }
}

/// A threaded interrupt handler: [`ThreadedHandler::handle`] runs in
/// hard-interrupt context (it must not sleep) and decides whether
/// [`ThreadedHandler::handle_threaded`] runs, in process context, in the
/// line's kernel thread.
///
/// A line whose device keeps interrupting until it is serviced (a level
/// interrupt) must either be quietened by `handle` (as the default does
/// not) or be requested with [`Flags::ONESHOT`], which keeps it masked
/// until the thread has run.
pub trait ThreadedHandler: Sync {
    /// The hard-interrupt half, for an interrupt of `dev` (bound while it
    /// runs). The default wakes the thread.
    fn handle(&self, dev: &Device<Bound>) -> ThreadedIrqReturn {
        let _ = dev;
        ThreadedIrqReturn::WakeThread
    }

    /// The thread half, run after `handle` returned
    /// [`ThreadedIrqReturn::WakeThread`]; it may sleep.
    fn handle_threaded(&self, dev: &Device<Bound>) -> IrqReturn;
}

impl<T: ?Sized + ThreadedHandler + Send> ThreadedHandler for Arc<T> {
    fn handle(&self, dev: &Device<Bound>) -> ThreadedIrqReturn {
        T::handle(self, dev)
    }

    fn handle_threaded(&self, dev: &Device<Bound>) -> IrqReturn {
        T::handle_threaded(self, dev)
    }
}

impl<T: ?Sized + ThreadedHandler, A: Allocator> ThreadedHandler for Box<T, A> {
    fn handle(&self, dev: &Device<Bound>) -> ThreadedIrqReturn {
        T::handle(self, dev)
    }

    fn handle_threaded(&self, dev: &Device<Bound>) -> IrqReturn {
        T::handle_threaded(self, dev)
    }
}

/// A line and the device it belongs to, as a bus hands it out.
///
/// # Invariants
///
/// `irq` is a line of `dev`, valid while `dev` is bound.
pub struct IrqRequest<'a> {
    dev: &'a Device<Bound>,
    irq: u32,
}

impl<'a> IrqRequest<'a> {
    /// The request for line `irq` of `dev`.
    ///
    /// # Safety
    ///
    /// `irq` must be a line of `dev`, valid while `dev` is bound.
    pub(crate) unsafe fn new(dev: &'a Device<Bound>, irq: u32) -> Self {
        // INVARIANT: the caller's guarantee.
        Self { dev, irq }
    }

    /// The line number.
    pub fn irq(&self) -> u32 {
        self.irq
    }
}

/// The requested line; dropping it frees the line (`free_irq`).
///
/// # Invariants
///
/// `irq` was requested with `cookie`, which stays valid until it is freed.
struct RegistrationInner {
    irq: u32,
    cookie: *mut c_void,
}

// SAFETY: `free_irq` may be called from any (sleepable) thread.
unsafe impl Send for RegistrationInner {}
// SAFETY: `&RegistrationInner` only reads the line number.
unsafe impl Sync for RegistrationInner {}

impl Drop for RegistrationInner {
    fn drop(&mut self) {
        // SAFETY: requested with this cookie (type invariant); `free_irq`
        // waits for running handlers (both halves) to finish.
        unsafe { bindings::free_irq(self.irq, self.cookie) };
    }
}

/// Makes a requested line device-managed. Not generic and never inlined,
/// so that every line's devres node is made by the kernel crate's copy of
/// `Devres::<RegistrationInner>::new`, the one [`free_lines`] looks for.
#[inline(never)]
fn line_devres(dev: &Device<Bound>, inner: RegistrationInner) -> Result<Devres<RegistrationInner>> {
    Devres::new(dev, Ok::<_, Error>(inner))
}

/// Frees every line still requested through this module for `dev`,
/// newest first, each once its running handlers are done; returns how
/// many there were.
///
/// A bus calls it once its driver's data is gone (after `remove`, or after
/// a failed `probe`), before the driver core releases the device's other
/// resources. A line whose registration outlives the driver's data (held
/// in an `Arc` by something else) is then freed first, as C drivers free
/// theirs in `remove`: otherwise it would be freed in the reverse order of
/// making, after the resources made after it, while its handler, holding
/// the bound device, may still reach them with `Devres::access` (a
/// threaded handler is not an RCU reader that the revocation waits for).
pub(crate) fn free_lines(dev: &Device) -> usize {
    Devres::<RegistrationInner>::release_all(dev)
}

/// The C half of both registrations: a handler, the device, and the line
/// requested with the `Line` itself as cookie.
///
/// Fields drop in declaration order: `inner` first, which frees the line
/// (waiting for running handlers), so the handler and the device are never
/// dropped while a handler may still use them.
///
/// # Invariants
///
/// While `inner` is not revoked, the line is requested with `self` as
/// cookie and callbacks that read `handler` and `dev` through it.
#[pin_data]
struct Line<T: 'static> {
    inner: Devres<RegistrationInner>,
    dev: ARef<Device>,
    #[pin]
    handler: T,
    #[pin]
    _pin: PhantomPinned,
}

/// A C interrupt callback (`irq_handler_t`).
type Callback = unsafe extern "C" fn(c_int, *mut c_void) -> c_uint;

impl<T: 'static> Line<T> {
    /// Initialises `handler`, then requests `request`'s line with
    /// `primary` (hard-interrupt half) and `thread` (thread half, if any);
    /// fails with `request`'s error, initialising nothing, if it is one.
    ///
    /// # Safety
    ///
    /// `primary` and `thread` must be callbacks that only use their cookie
    /// through [`Line::<T>::from_cookie`].
    unsafe fn new<'a>(
        request: Result<IrqRequest<'a>>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
        primary: Callback,
        thread: Option<Callback>,
    ) -> impl PinInit<Self, Error> + 'a {
        // SAFETY: with an error nothing is initialised and the error is
        // returned; otherwise the fields' initialiser runs in `slot`, and
        // its result is returned.
        unsafe {
            crate::init::pin_init_from_closure(move |slot: *mut Self| {
                Self::init(request?, flags, name, handler, primary, thread).__pinned_init(slot)
            })
        }
    }

    /// [`Line::new`] for a request known to be good.
    ///
    /// # Safety
    ///
    /// As for [`Line::new`].
    unsafe fn init<'a>(
        request: IrqRequest<'a>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
        primary: Callback,
        thread: Option<Callback>,
    ) -> impl PinInit<Self, Error> + 'a {
        let IrqRequest { dev, irq } = request;
        try_pin_init!(&this in Self {
            // Both initialised before the line is requested: a handler may
            // run at once, and reads them.
            handler <- handler,
            dev: dev.as_ref().into(),
            inner: {
                let cookie = this.as_ptr().cast::<c_void>();
                // SAFETY: `handler` and `dev` are initialised and pinned
                // (fields are initialised in the order written); `cookie`
                // is this `Line`, valid until `inner` is dropped or
                // revoked, both of which free the line first; the
                // callbacks only use the cookie through `from_cookie` (the
                // caller's guarantee); `name` is static.
                to_result(unsafe {
                    bindings::request_threaded_irq(
                        irq,
                        Some(primary),
                        thread,
                        flags.into_inner(),
                        name.as_char_ptr(),
                        cookie,
                    )
                })?;
                // INVARIANT: requested with `cookie` above; freed at unbind
                // or with the registration, and on the error path here
                // (dropping the `RegistrationInner` frees it).
                line_devres(dev, RegistrationInner { irq, cookie })?
            },
            _pin: PhantomPinned,
        }? Error)
    }

    /// The handler and the bound device of the line whose cookie is
    /// `cookie`.
    ///
    /// # Safety
    ///
    /// `cookie` must be the cookie of a line requested by [`Line::new`],
    /// and the caller must be one of its callbacks, running for it.
    unsafe fn from_cookie<'a>(cookie: *mut c_void) -> (&'a T, &'a Device<Bound>) {
        let this = cookie.cast::<Self>();
        // SAFETY: `cookie` is the `Line`, alive while the line is requested
        // (type invariant), which it is while its callbacks run. `handler`
        // and `dev` were initialised before the line was requested;
        // `inner` may still be in the making, so no reference to the whole
        // `Line` is made.
        let (handler, dev) = unsafe { (&(*this).handler, &(*this).dev) };
        // SAFETY: the line is freed at unbind at the latest, before the
        // device's other resources are released ([`free_lines`], called by
        // the bus), and `free_irq` waits for running callbacks, so the
        // driver is bound to the device while this one runs.
        (handler, unsafe { Device::<Bound>::from_raw(dev.as_raw()) })
    }

    /// Waits for running handlers of the line, unless it was freed at
    /// unbind (`ENODEV`).
    fn try_synchronize(&self) -> Result {
        // Copied out: `synchronize_irq` sleeps, which the access guard (an
        // RCU read-side section) does not allow. Should the line be freed
        // meanwhile, waiting on its number is harmless.
        let irq = self
            .inner
            .try_access_with(|inner| inner.irq)
            .ok_or(ENODEV)?;
        // SAFETY: any line number may be waited on.
        unsafe { bindings::synchronize_irq(irq) };
        Ok(())
    }

    /// Waits for running handlers of the line; `EINVAL` if `dev` is not its
    /// device.
    fn synchronize(&self, dev: &Device<Bound>) -> Result {
        let inner = self.inner.access(dev)?;
        // SAFETY: the line is requested (the driver is bound to `dev`).
        unsafe { bindings::synchronize_irq(inner.irq) };
        Ok(())
    }
}

/// A [`Handler`] registered for a line; see the module documentation.
///
/// ```
/// use kernel::device::{Bound, Device};
/// use kernel::irq::{self, IrqReturn};
/// use kernel::sync::atomic::{Atomic, Relaxed};
///
/// /// Counts the interrupts of its device.
/// struct Counter(Atomic<u64>);
///
/// impl irq::Handler for Counter {
///     fn handle(&self, _dev: &Device<Bound>) -> IrqReturn {
///         self.0.add(1, Relaxed);
///         IrqReturn::Handled
///     }
/// }
///
/// // In `probe`, as a pinned field of the driver's data (`pdev` is a
/// // `pci::Device<Core>`, `vector` an allocated `pci::IrqVector`):
/// //     irq <- pdev.request_irq(vector, irq::Flags::SHARED, c"mydev",
/// //                             Ok::<_, Error>(Counter(Atomic::new(0)))),
/// ```
#[pin_data]
pub struct Registration<T: Handler + 'static> {
    #[pin]
    line: Line<T>,
}

impl<T: Handler + 'static> Registration<T> {
    /// Registers `handler` for `request`'s line.
    pub fn new<'a>(
        request: IrqRequest<'a>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<Self, Error> + 'a {
        Self::from_request(Ok(request), flags, name, handler)
    }

    /// [`Registration::new`] for a bus's request that may have failed
    /// (its error is returned, `handler` not initialised).
    pub(crate) fn from_request<'a>(
        request: Result<IrqRequest<'a>>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<Self, Error> + 'a {
        try_pin_init!(Self {
            // SAFETY: `handle_irq` uses the cookie through `from_cookie`.
            line <- unsafe { Line::new(request, flags, name, handler, Self::handle_irq, None) },
        }? Error)
    }

    /// The handler.
    pub fn handler(&self) -> &T {
        &self.line.handler
    }

    /// Waits for a running handler to finish; `ENODEV` once the driver was
    /// unbound (the line is freed then).
    pub fn try_synchronize(&self) -> Result {
        self.line.try_synchronize()
    }

    /// Waits for a running handler to finish; `EINVAL` if `dev` is not the
    /// line's device.
    pub fn synchronize(&self, dev: &Device<Bound>) -> Result {
        self.line.synchronize(dev)
    }

    /// The C handler.
    ///
    /// # Safety
    ///
    /// Called by the IRQ core for a line requested by [`Registration::new`],
    /// with its cookie.
    unsafe extern "C" fn handle_irq(_irq: c_int, cookie: *mut c_void) -> c_uint {
        // SAFETY: the cookie of a line `new` requested with this callback.
        let (handler, dev) = unsafe { Line::<T>::from_cookie(cookie) };
        handler.handle(dev) as c_uint
    }
}

/// A [`ThreadedHandler`] registered for a line (C's
/// `request_threaded_irq`); freed as a [`Registration`] is, after both
/// halves finished.
///
/// ```
/// use kernel::device::{Bound, Device};
/// use kernel::irq::{self, IrqReturn, ThreadedIrqReturn};
/// use kernel::sync::atomic::{Atomic, Relaxed};
///
/// /// Notes its device's status in the hard half, acts on it in the
/// /// thread, where it could sleep.
/// struct Deferred {
///     pending: Atomic<u32>,
///     handled: Atomic<u64>,
/// }
///
/// impl irq::ThreadedHandler for Deferred {
///     fn handle(&self, _dev: &Device<Bound>) -> ThreadedIrqReturn {
///         // Read and acknowledge the device's status here.
///         self.pending.or(1, Relaxed);
///         ThreadedIrqReturn::WakeThread
///     }
///
///     fn handle_threaded(&self, _dev: &Device<Bound>) -> IrqReturn {
///         if self.pending.xchg(0, Relaxed) != 0 {
///             self.handled.add(1, Relaxed);
///         }
///         IrqReturn::Handled
///     }
/// }
///
/// // In `probe` (`pdev` a `platform::Device<Core>`):
/// //     irq <- pdev.request_threaded_irq_by_index(irq::Flags::NONE, 0, c"mydev", handler),
/// ```
#[pin_data]
pub struct ThreadedRegistration<T: ThreadedHandler + 'static> {
    #[pin]
    line: Line<T>,
}

impl<T: ThreadedHandler + 'static> ThreadedRegistration<T> {
    /// Registers `handler` for `request`'s line.
    pub fn new<'a>(
        request: IrqRequest<'a>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<Self, Error> + 'a {
        Self::from_request(Ok(request), flags, name, handler)
    }

    /// [`ThreadedRegistration::new`] for a bus's request that may have
    /// failed (its error is returned, `handler` not initialised).
    pub(crate) fn from_request<'a>(
        request: Result<IrqRequest<'a>>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<Self, Error> + 'a {
        try_pin_init!(Self {
            // SAFETY: both callbacks use the cookie through `from_cookie`.
            line <- unsafe {
                Line::new(
                    request,
                    flags,
                    name,
                    handler,
                    Self::handle_irq,
                    Some(Self::thread_fn),
                )
            },
        }? Error)
    }

    /// The handler.
    pub fn handler(&self) -> &T {
        &self.line.handler
    }

    /// Waits for running handlers (both halves) to finish; `ENODEV` once
    /// the driver was unbound (the line is freed then).
    pub fn try_synchronize(&self) -> Result {
        self.line.try_synchronize()
    }

    /// Waits for running handlers (both halves) to finish; `EINVAL` if
    /// `dev` is not the line's device.
    pub fn synchronize(&self, dev: &Device<Bound>) -> Result {
        self.line.synchronize(dev)
    }

    /// The C hard-interrupt handler; its `IRQ_WAKE_THREAD` wakes the
    /// line's thread.
    ///
    /// # Safety
    ///
    /// Called by the IRQ core for a line requested by
    /// [`ThreadedRegistration::new`], with its cookie.
    unsafe extern "C" fn handle_irq(_irq: c_int, cookie: *mut c_void) -> c_uint {
        // SAFETY: the cookie of a line `new` requested with this callback.
        let (handler, dev) = unsafe { Line::<T>::from_cookie(cookie) };
        handler.handle(dev) as c_uint
    }

    /// The C thread function.
    ///
    /// # Safety
    ///
    /// As for [`ThreadedRegistration::handle_irq`].
    unsafe extern "C" fn thread_fn(_irq: c_int, cookie: *mut c_void) -> c_uint {
        // SAFETY: the cookie of a line `new` requested with this callback.
        let (handler, dev) = unsafe { Line::<T>::from_cookie(cookie) };
        handler.handle_threaded(dev) as c_uint
    }
}

#[macros::kunit_tests(rust_kernel_irq)]
mod tests {
    //! A line kept past its driver's data is freed by the bus, through
    //! [`free_lines`], before the device's other resources are revoked: its
    //! threaded handler may be using one of them (`Devres::access`).

    use super::{free_lines, Flags, IrqRequest, IrqReturn, ThreadedHandler, ThreadedRegistration};
    use crate::device::{Bound, Device};
    use crate::devres::Devres;
    use crate::prelude::*;
    use crate::sync::atomic::{Atomic, Relaxed};
    use crate::sync::{aref::ARef, new_mutex, Arc, Mutex};
    use crate::time::{delay::fsleep, Delta};

    /// Device-managed data whose drop raises a flag.
    struct Watched(Arc<Atomic<bool>>);

    impl Drop for Watched {
        fn drop(&mut self) {
            self.0.store(true, Relaxed);
        }
    }

    /// The handler: its thread half holds the data of `res`, a `Devres`
    /// made after the line, for 200 ms.
    #[pin_data]
    struct Holder {
        #[pin]
        res: Mutex<Option<Arc<Devres<Watched>>>>,
        dropped: Arc<Atomic<bool>>,
        inside: Atomic<bool>,
        /// 0: the data stayed whole; 1: it was dropped under the handler;
        /// 2: `access` refused it.
        seen: Atomic<u8>,
    }

    impl ThreadedHandler for Holder {
        fn handle_threaded(&self, dev: &Device<Bound>) -> IrqReturn {
            let Some(res) = self.res.lock().clone() else {
                return IrqReturn::Handled;
            };
            let Ok(_data) = res.access(dev) else {
                self.seen.store(2, Relaxed);
                self.inside.store(true, Relaxed);
                return IrqReturn::Handled;
            };
            self.inside.store(true, Relaxed);
            fsleep(Delta::from_millis(200));
            self.seen
                .store(u8::from(self.dropped.load(Relaxed)), Relaxed);
            IrqReturn::Handled
        }
    }

    /// A software interrupt line, from QEMU's hardware as from none: a
    /// descriptor of the dummy chip, triggered by `fire`.
    struct SoftIrq(u32);

    impl SoftIrq {
        fn new() -> Result<Self> {
            // SAFETY: allocates one descriptor at any free number, owned by
            // built-in code (null module).
            let irq = unsafe {
                bindings::__irq_alloc_descs(
                    -1,
                    0,
                    1,
                    bindings::NUMA_NO_NODE,
                    core::ptr::null_mut(),
                    core::ptr::null(),
                )
            };
            let irq = u32::try_from(crate::error::to_result(irq).map(|()| irq)?)?;
            // SAFETY: `irq` is the descriptor just allocated; the chip and
            // flow handler are the kernel's own, static.
            unsafe {
                bindings::irq_set_chip_and_handler_name(
                    irq,
                    &raw mut bindings::dummy_irq_chip,
                    Some(bindings::handle_simple_irq),
                    core::ptr::null(),
                );
                bindings::irq_modify_status(irq, bindings::IRQ_NOREQUEST as _, 0);
            }
            Ok(Self(irq))
        }

        fn fire(&self) {
            // SAFETY: a valid descriptor; callable from any context.
            unsafe { bindings::generic_handle_irq_safe(self.0) };
        }
    }

    impl Drop for SoftIrq {
        fn drop(&mut self) {
            // SAFETY: allocated by `new`, and no line of it is requested
            // any more (the tests free theirs first).
            unsafe { bindings::irq_free_descs(self.0, 1) };
        }
    }

    #[test]
    fn a_line_kept_past_its_driver_is_freed_before_the_resources() -> Result {
        let irq = SoftIrq::new()?;
        // SAFETY: the name is a NUL-terminated string with static storage;
        // a null owner stands for built-in code.
        let raw = unsafe {
            bindings::__root_device_register(
                c"rkal-irq-test".as_ptr().cast(),
                core::ptr::null_mut(),
            )
        };
        let raw = crate::error::from_err_ptr(raw)?;
        // SAFETY: `raw` is registered; the reference keeps it valid after
        // it is unregistered.
        let dev: ARef<Device> = unsafe { Device::get_device(raw) };
        // SAFETY: a device without a driver has its managed resources
        // released only when it is unregistered, as a driver's unbind
        // would; `bound` stands for the device while the test's line and
        // resources exist, which the test frees before, or by, that.
        let bound = unsafe { Device::<Bound>::from_raw(raw) };
        let dropped = Arc::new(Atomic::new(false), GFP_KERNEL)?;
        let flag = dropped.clone();
        let holder = Arc::pin_init(
            pin_init!(Holder {
                res <- new_mutex!(None),
                dropped: flag,
                inside: Atomic::new(false),
                seen: Atomic::new(0),
            }),
            GFP_KERNEL,
        )?;
        // The line first, then a resource: at unbind, they would be
        // released in the reverse order.
        let reg = KBox::pin_init(
            ThreadedRegistration::new(
                // SAFETY: `irq` is valid until `SoftIrq` is dropped, after
                // the line is freed.
                unsafe { IrqRequest::new(bound, irq.0) },
                Flags::NONE,
                crate::c_str!("rkal-irq-test"),
                Ok::<_, Error>(holder.clone()),
            ),
            GFP_KERNEL,
        )?;
        let res = Arc::new(
            Devres::new(bound, Ok::<_, Error>(Watched(dropped.clone())))?,
            GFP_KERNEL,
        )?;
        *holder.res.lock() = Some(res);
        irq.fire();
        let mut waited = 0;
        while !holder.inside.load(Relaxed) && waited < 5000 {
            fsleep(Delta::from_millis(1));
            waited += 1;
        }
        assert!(holder.inside.load(Relaxed));
        // The driver's data is gone, `reg` outlives it: what a bus's
        // remove does next, then the driver core's release of the rest.
        assert_eq!(free_lines(&dev), 1);
        assert_eq!(reg.try_synchronize(), Err(ENODEV));
        // SAFETY: registered above, unregistered once.
        unsafe { bindings::root_device_unregister(raw) };
        assert_eq!(holder.seen.load(Relaxed), 0);
        assert!(dropped.load(Relaxed));
        *holder.res.lock() = None;
        drop(reg);
        drop(irq);
        Ok(())
    }
}
