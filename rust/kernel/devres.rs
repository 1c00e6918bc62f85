// SPDX-License-Identifier: GPL-2.0

//! Device-managed resources: data tied to a driver's binding to a device.
//!
//! A [`Devres<T>`] holds a `T` (a register mapping, an IRQ, ...) in a
//! [`Revocable`] and registers it with the device's managed resources
//! (C's devres). When the driver is unbound, the device core releases the
//! resources and the `T` is dropped, even if the `Devres` itself is still
//! owned by something that outlives the binding (an open file, a work
//! item): from then on, [`Devres::try_access`] fails, so such code cannot
//! reach unmapped registers. Dropping the `Devres` first drops the `T`
//! and unregisters it.
//!
//! While the driver is bound, [`Devres::access`] with the bound device
//! reaches the data with no RCU section and no check but the device's
//! identity.

use crate::device::{Bound, Device};
use crate::error::{code::*, to_result, Error, Result};
use crate::ffi::c_void;
use crate::init::PinInit;
use crate::prelude::*;
use crate::revocable::{Revocable, RevocableGuard};
use crate::sync::aref::ARef;
use crate::sync::{rcu, Arc, Completion};

/// What a `Devres` shares with its devres node.
///
/// The data may be revoked by the node's release (at unbind) or by
/// `Devres::drop`, whichever comes first; the other must not return before
/// the data is dropped: `drop` so that what the data's drop undoes (a
/// requested interrupt line whose handler lives next to the `Devres`) is
/// undone before the memory around it is freed, and the release so that
/// the device core does not tear down what the data's drop still uses
/// (the interrupt vectors a `free_irq` runs on) while it runs.
#[pin_data]
struct Inner<T> {
    #[pin]
    data: Revocable<T>,
    /// Completed by the release when it is done with the data.
    #[pin]
    released: Completion,
    /// Completed by `drop` when it revoked the data first but could not
    /// remove the node (the device core is releasing it).
    #[pin]
    dropped: Completion,
}

/// A device-managed `T`; see the module documentation.
///
/// # Invariants
///
/// `inner` is also owned, through a reference `Arc::into_raw` leaked into
/// a devres node of `dev` whose release function is `release` (a copy of
/// [`Devres::release`]), until that node is released (which revokes the
/// data) or removed by `drop`.
pub struct Devres<T: Send> {
    dev: ARef<Device>,
    inner: Arc<Inner<T>>,
    /// The release function of the node, as `new` passed it: a generic
    /// function has a copy in each crate that uses it, and `drop` may be
    /// compiled in another crate than `new` was, while the device core
    /// finds a node by the function's address.
    release: Release,
}

/// A devres release function (C's `dr_release_t`).
type Release = unsafe extern "C" fn(*mut bindings::device, *mut c_void);

impl<T: Send> Devres<T> {
    /// Makes `data` device-managed: dropped at the latest when the driver is
    /// unbound from `dev`.
    pub fn new<E>(dev: &Device<Bound>, data: impl PinInit<T, E>) -> Result<Self>
    where
        Error: From<E>,
    {
        let inner = Arc::pin_init::<Error>(
            try_pin_init!(Inner {
                data <- Revocable::new(data),
                released <- Completion::new(),
                dropped <- Completion::new(),
            }? Error),
            GFP_KERNEL,
        )?;
        let release: Release = Self::release;
        // SAFETY: `release::<T>` matches `dr_release_t`; the size is that
        // of the pointer stored below. The name is for debugging output.
        let node = unsafe {
            bindings::__devres_alloc_node(
                Some(release),
                core::mem::size_of::<*const Inner<T>>(),
                bindings::GFP_KERNEL,
                bindings::NUMA_NO_NODE,
                c"rust-devres".as_ptr().cast(),
            )
        };
        if node.is_null() {
            return Err(ENOMEM);
        }
        let leaked = Arc::into_raw(inner.clone());
        // SAFETY: `node` is a fresh devres node with room for the pointer;
        // `dev` is bound, so its resources are released only at unbind,
        // after this node is added (the device lock or a bound context).
        unsafe {
            node.cast::<*const Inner<T>>().write(leaked);
            bindings::devres_add(dev.as_raw(), node);
        }
        // INVARIANT: the leaked reference is in the node just added.
        Ok(Self {
            dev: dev.as_ref().into(),
            inner,
            release,
        })
    }

    /// Releases, newest first, every node of `dev` made by `new` compiled
    /// in this crate (the kernel crate) for this `T`, as the unbind would
    /// have: the data is revoked and dropped (after a grace period), and a
    /// `Devres` dropped meanwhile waits for that as usual. Returns how many
    /// there were. For a `T` whose `Devres`es are made by non-generic code
    /// of this crate only, that is all of them.
    pub(crate) fn release_all(dev: &Device) -> usize {
        let mut n = 0;
        // SAFETY: the nodes with this release function are ours (made by
        // `new`), and `devres_release` takes a node off the device's list
        // before it calls the release function on it, once.
        while unsafe {
            bindings::devres_release(
                dev.as_raw(),
                Some(Self::release),
                None,
                core::ptr::null_mut(),
            )
        } == 0
        {
            n += 1;
        }
        n
    }

    /// The device the data is tied to.
    pub fn device(&self) -> &Device {
        &self.dev
    }

    /// The data, for code that holds the bound device: `EINVAL` when `dev`
    /// is not this `Devres`'s device, `ENODEV` when this `Devres` belongs
    /// to an earlier binding of it (kept past that binding's unbind, which
    /// revoked it).
    pub fn access<'a>(&'a self, dev: &'a Device<Bound>) -> Result<&'a T> {
        if dev.as_raw() != self.dev.as_raw() {
            return Err(EINVAL);
        }
        // `dev` being bound says nothing of a `Devres` of an earlier
        // binding: its unbind revoked it, before the device could be bound
        // again (the device lock is held from one to the other).
        if !self.inner.data.is_available() {
            return Err(ENODEV);
        }
        // SAFETY: not revoked above, so of the current binding, which
        // lasts while `dev` lives, and `drop` cannot run while `self` is
        // borrowed. The device core revokes it at that binding's unbind,
        // once the driver core's callbacks, which hold `dev`, are over and
        // the bus has freed the device's interrupt lines, whose handlers
        // hold it too (`irq::free_lines`, which waits for them).
        Ok(unsafe { self.inner.data.access() })
    }

    /// The data, unless the driver was unbound; the guard holds an RCU
    /// read-side critical section (do not sleep while holding it).
    pub fn try_access(&self) -> Option<RevocableGuard<'_, T>> {
        self.inner.data.try_access()
    }

    /// `f(&data)`, unless the driver was unbound.
    pub fn try_access_with<R, F: FnOnce(&T) -> R>(&self, f: F) -> Option<R> {
        self.inner.data.try_access_with(f)
    }

    /// The data for as long as `guard` lives, unless the driver was unbound.
    pub fn try_access_with_guard<'a>(&'a self, guard: &'a rcu::Guard) -> Option<&'a T> {
        self.inner.data.try_access_with_guard(guard)
    }

    /// The devres release function: revokes the data (dropping it after a
    /// grace period), or waits until `drop`, which revoked it first, has
    /// dropped it; then drops the node's reference.
    ///
    /// # Safety
    ///
    /// Called by the device core with a node made by `new`.
    unsafe extern "C" fn release(_dev: *mut bindings::device, res: *mut c_void) {
        // SAFETY: the node holds the pointer `new` leaked (type invariant),
        // and the device core releases a node once.
        let inner = unsafe { Arc::from_raw(res.cast::<*const Inner<T>>().read()) };
        if !inner.data.revoke() {
            // `drop` revoked it and is dropping it; having failed to remove
            // this node (it is being released), it completes `dropped`.
            inner.dropped.wait_for_completion();
        }
        inner.released.complete_all();
    }

    /// Matches the node holding `data` (the `Inner` pointer).
    ///
    /// # Safety
    ///
    /// Called by the device core with a node whose release function is
    /// [`Devres::release`].
    unsafe extern "C" fn matches(
        _dev: *mut bindings::device,
        res: *mut c_void,
        data: *mut c_void,
    ) -> i32 {
        // SAFETY: `res` is a node of ours (the device core only matches
        // nodes with our release function).
        i32::from(unsafe { res.cast::<*const Inner<T>>().read() } == data.cast_const().cast())
    }
}

impl<T: Send> Drop for Devres<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: nobody holds a reference into the data
        // through this `Devres`, and the node's holder only revokes.
        if !unsafe { self.inner.data.revoke_nosync() } {
            // The device core's release revoked it, and may still be
            // dropping it: wait until it is done (it drops its own
            // reference).
            self.inner.released.wait_for_completion();
            return;
        }
        // SAFETY: the release and match functions are ours; the match data
        // identifies our node.
        let node = unsafe {
            bindings::devres_remove(
                self.dev.as_raw(),
                Some(self.release),
                Some(Self::matches),
                Arc::as_ptr(&self.inner).cast_mut().cast(),
            )
        };
        if node.is_null() {
            // The device core is releasing the node right now: its release
            // found the data revoked, and waits for this before it drops
            // the node's reference and lets the device core go on.
            self.inner.dropped.complete_all();
            return;
        }
        // SAFETY: the node is ours again (removed from the device), and
        // holds the reference `new` leaked.
        unsafe {
            drop(Arc::from_raw(node.cast::<*const Inner<T>>().read()));
            bindings::devres_free(node);
        }
    }
}

// SAFETY: the data is dropped on whichever thread revokes it.
unsafe impl<T: Send> Send for Devres<T> {}
// SAFETY: `&Devres` gives `&T` to any thread.
unsafe impl<T: Send + Sync> Sync for Devres<T> {}

/// Runs `action(data)` when the driver is unbound from `dev` (C's
/// `devm_add_action_or_reset`): at once if that cannot be arranged.
pub(crate) fn add_action(
    dev: &Device<Bound>,
    action: unsafe extern "C" fn(*mut c_void),
    data: *mut c_void,
) -> Result {
    // SAFETY: `dev` is bound; the action and its data are the caller's,
    // valid until the action runs.
    let ret = unsafe {
        bindings::__devm_add_action(
            dev.as_raw(),
            Some(action),
            data,
            c"rust-action".as_ptr().cast(),
        )
    };
    if ret != 0 {
        // SAFETY: as `devm_add_action_or_reset` does, the action runs now.
        unsafe { action(data) };
    }
    to_result(ret)
}

#[macros::kunit_tests(rust_kernel_devres)]
mod tests {
    //! The data's drop must be over when either of its two droppers
    //! returns, the other one having started it (`Inner`'s comment).

    use super::Devres;
    use crate::device::{Bound, Device};
    use crate::prelude::*;
    use crate::sync::atomic::{Atomic, Relaxed};
    use crate::sync::{aref::ARef, Arc};
    use crate::time::{delay::fsleep, Delta};
    use crate::{c_str, kthread};

    /// Progress of a `Slow`'s drop.
    struct Steps {
        started: Atomic<bool>,
        done: Atomic<bool>,
    }

    /// Data whose drop takes 200 ms, as `free_irq` waiting for a handler
    /// may.
    struct Slow(Arc<Steps>);

    impl Drop for Slow {
        fn drop(&mut self) {
            self.0.started.store(true, Relaxed);
            fsleep(Delta::from_millis(200));
            self.0.done.store(true, Relaxed);
        }
    }

    fn wait_started(steps: &Steps) {
        while !steps.started.load(Relaxed) {
            fsleep(Delta::from_millis(1));
        }
    }

    /// A root device (no driver; its managed resources are released when
    /// it is unregistered), and a `Devres<Slow>` on it.
    fn setup() -> Result<(ARef<Device>, Devres<Slow>, Arc<Steps>)> {
        // SAFETY: the name is a NUL-terminated string with static storage;
        // a null owner stands for built-in code.
        let raw = unsafe {
            bindings::__root_device_register(
                c"rkal-devres-test".as_ptr().cast(),
                core::ptr::null_mut(),
            )
        };
        let raw = crate::error::from_err_ptr(raw)?;
        // SAFETY: `raw` is registered; the reference taken here keeps it
        // valid after it is unregistered.
        let dev = unsafe { Device::get_device(raw) };
        // SAFETY: `Bound` promises that the device's managed resources are
        // not released while the reference lives; a device without a
        // driver has them released only when it is unregistered, which
        // the tests do after this borrow has ended.
        let bound = unsafe { Device::<Bound>::from_raw(raw) };
        let steps = Arc::new(
            Steps {
                started: Atomic::new(false),
                done: Atomic::new(false),
            },
            GFP_KERNEL,
        )?;
        let devres = Devres::new(bound, Ok::<_, Error>(Slow(steps.clone())))?;
        Ok((dev, devres, steps))
    }

    #[test]
    fn access_refuses_a_devres_of_an_earlier_binding() -> Result {
        let (dev, slow, steps) = setup()?;
        let raw = dev.as_raw();
        let gfp = GFP_KERNEL.as_raw();
        // SAFETY: `dev` is registered; the group's id is the returned
        // pointer, used only with this device.
        let group = unsafe { bindings::devres_open_group(raw, core::ptr::null_mut(), gfp) };
        if group.is_null() {
            unregister(&dev);
            return Err(ENOMEM);
        }
        // SAFETY: as in `setup`: the device's resources are released only
        // by the group release below, after which `bound` is used only
        // to ask `access`, which must refuse it.
        let bound = unsafe { Device::<Bound>::from_raw(raw) };
        let earlier = Devres::new(bound, Ok::<_, Error>(7u32))?;
        assert_eq!(earlier.access(bound).copied(), Ok(7));
        // SAFETY: the group was opened above on this device. Releasing it
        // releases `earlier`'s node, as an unbind would have.
        unsafe {
            bindings::devres_close_group(raw, group);
            bindings::devres_release_group(raw, group);
        }
        // A `Devres` revoked with its binding, while `bound` stands for
        // the device still (or again) bound: refused, not a dangling `&T`.
        assert_eq!(earlier.access(bound).err(), Some(ENODEV));
        assert_eq!(slow.access(bound).map(|_| ()), Ok(()));
        drop(earlier);
        drop(slow);
        assert!(steps.done.load(Relaxed));
        unregister(&dev);
        Ok(())
    }

    /// Unregisters the device made by `setup` (releasing its resources).
    fn unregister(dev: &Device) {
        // SAFETY: registered by `setup` with `root_device_register`, and
        // unregistered once.
        unsafe { bindings::root_device_unregister(dev.as_raw()) };
    }

    #[test]
    fn drop_waits_for_the_release_in_progress() -> Result {
        let (dev, devres, steps) = setup()?;
        let d = dev.clone();
        let unbind = kthread::spawn(c_str!("devres-release"), move || unregister(&d))?;
        wait_started(&steps);
        // The release is dropping the data: dropping the `Devres` must
        // wait for it.
        drop(devres);
        let done = steps.done.load(Relaxed);
        unbind.join();
        assert!(done);
        Ok(())
    }

    #[test]
    fn release_waits_for_the_drop_in_progress() -> Result {
        let (dev, devres, steps) = setup()?;
        let dropper = kthread::spawn(c_str!("devres-drop"), move || drop(devres))?;
        wait_started(&steps);
        // `drop` is dropping the data: releasing the device's resources
        // must wait for it.
        unregister(&dev);
        let done = steps.done.load(Relaxed);
        dropper.join();
        assert!(done);
        Ok(())
    }
}
