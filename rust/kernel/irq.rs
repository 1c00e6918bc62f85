// SPDX-License-Identifier: GPL-2.0

//! Interrupt handlers, in upstream's shape: a [`Handler`] is registered for
//! an interrupt line by a [`Registration`], which a bus hands out
//! (`pci::Device::request_irq`). The line is freed when the registration
//! is dropped, or when the driver is unbound, whichever comes first, so a
//! handler never runs for a device its driver no longer owns.

use crate::device::{Bound, Device};
use crate::devres::Devres;
use crate::error::{to_result, Error};
use crate::ffi::{c_int, c_uint, c_void};
use crate::prelude::*;
use crate::str::CStr;
use crate::sync::aref::ARef;
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
/// sleep (no `Mutex`, no `GFP_KERNEL`).
pub trait Handler: Sync {
    /// Handles an interrupt of `dev` (bound while the handler runs).
    fn handle(&self, dev: &Device<Bound>) -> IrqReturn;
}

/// A line and the device it belongs to, as a bus hands it out.
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

impl Drop for RegistrationInner {
    fn drop(&mut self) {
        // SAFETY: requested with this cookie (type invariant); `free_irq`
        // waits for running handlers to finish.
        unsafe { bindings::free_irq(self.irq, self.cookie) };
    }
}

/// A handler registered for a line; see the module documentation.
///
/// # Invariants
///
/// While `inner` is not revoked, the line is requested with `self` as
/// cookie and [`Registration::handle_irq`] as handler.
#[pin_data]
pub struct Registration<T: Handler + 'static> {
    #[pin]
    handler: T,
    dev: ARef<Device>,
    inner: Devres<RegistrationInner>,
    #[pin]
    _pin: PhantomPinned,
}

impl<T: Handler + 'static> Registration<T> {
    /// Registers `handler` for `request`'s line.
    pub fn new<'a>(
        request: IrqRequest<'a>,
        flags: Flags,
        name: &'static CStr,
        handler: impl PinInit<T, Error> + 'a,
    ) -> impl PinInit<Self, Error> + 'a {
        let IrqRequest { dev, irq } = request;
        try_pin_init!(&this in Self {
            handler <- handler,
            // Initialised before the line is requested: the handler may run
            // at once, and reads it.
            dev: dev.as_ref().into(),
            inner: {
                let cookie = this.as_ptr().cast::<c_void>();
                // SAFETY: the handler is initialised and pinned (fields
                // are initialised in order); `cookie` is this registration,
                // valid until `inner` is dropped or revoked, both of which
                // free the line first; `name` is static.
                to_result(unsafe {
                    bindings::request_threaded_irq(
                        irq,
                        Some(Self::handle_irq),
                        None,
                        flags.into_inner(),
                        name.as_char_ptr(),
                        cookie,
                    )
                })?;
                // INVARIANT: requested with `cookie` above; freed at unbind
                // or with the registration, and on the error path here
                // (dropping the `RegistrationInner` frees it).
                Devres::new(dev, Ok::<_, Error>(RegistrationInner { irq, cookie }))?
            },
            _pin: PhantomPinned,
        }? Error)
    }

    /// The handler.
    pub fn handler(&self) -> &T {
        &self.handler
    }

    /// The C handler.
    ///
    /// # Safety
    ///
    /// Called by the IRQ core for a line requested by [`Registration::new`],
    /// with its cookie.
    unsafe extern "C" fn handle_irq(_irq: c_int, cookie: *mut c_void) -> c_uint {
        let this = cookie.cast::<Self>();
        // SAFETY: `cookie` is the registration, alive while the line is
        // requested (type invariant), which it is while its handler runs.
        // `handler` and `dev` were initialised before the line was
        // requested; `inner` may still be in the making, so no reference
        // to the whole registration is made.
        let (handler, dev) = unsafe { (&(*this).handler, &(*this).dev) };
        // SAFETY: the line is freed at unbind at the latest, and
        // `free_irq` waits for running handlers, so the driver is bound to
        // the device while this runs.
        let dev = unsafe { Device::<Bound>::from_raw(dev.as_raw()) };
        handler.handle(dev) as c_uint
    }
}
