// SPDX-License-Identifier: GPL-2.0

//! Work queues, in upstream's shape: a struct embeds a [`Work`] (declared
//! with [`impl_has_work!`](crate::impl_has_work)), implements
//! [`WorkItem`] to say what runs, and is enqueued through an `Arc` or a
//! `Pin<KBox>` on a [`Queue`] ([`system`] and its siblings). The item is
//! handed to the worker and given back to [`WorkItem::run`].
//!
//! ```
//! use kernel::sync::atomic::{Atomic, Relaxed};
//! use kernel::sync::Arc;
//! use kernel::workqueue::{self, new_work, Work, WorkItem};
//!
//! #[pin_data]
//! struct Job {
//!     value: u32,
//!     done: Atomic<u32>,
//!     #[pin]
//!     work: Work<Job>,
//! }
//!
//! kernel::impl_has_work! {
//!     impl HasWork<Self> for Job { self.work }
//! }
//!
//! impl WorkItem for Job {
//!     type Pointer = Arc<Job>;
//!     fn run(this: Arc<Job>) {
//!         this.done.store(this.value * 2, Relaxed);
//!     }
//! }
//!
//! let job = Arc::pin_init(
//!     pin_init!(Job { value: 21, done: Atomic::new(0), work <- new_work!("Job::work") }),
//!     GFP_KERNEL,
//! )?;
//! assert!(workqueue::system().enqueue(job.clone()).is_ok());
//! while job.done.load(Relaxed) == 0 {
//!     kernel::time::delay::fsleep(kernel::time::Delta::from_millis(1));
//! }
//! assert_eq!(job.done.load(Relaxed), 42);
//! # Ok::<(), Error>(())
//! ```
//!
//! Module lifetime: the worker calls a function in the kernel image, which
//! calls the item's `run` (in the module that defined it) and, once `run`
//! has returned, uncounts the item; a module's exit waits until none of its
//! items is queued or running, so no worker ever runs unloaded code (an
//! item that requeues itself forever keeps its module from unloading, as
//! in C). Enqueuing fails as if the item were already queued when more
//! than 64 modules have items pending at once.

use crate::alloc::{AllocError, Flags};
use crate::init::PinInit;
use crate::prelude::*;
use crate::str::CStr;
use crate::sync::{Arc, LockClassKey};
use crate::time::Jiffies;
use crate::types::Opaque;
use core::marker::PhantomData;

/// Makes a [`Work`] initialiser with a lockdep class of its own, named
/// `name` (or after the call site).
#[macro_export]
macro_rules! new_work {
    ($($name:literal)?) => {
        $crate::workqueue::Work::new($crate::optional_name!($($name)?), $crate::static_lock_class!())
    };
}
pub use new_work;

/// Makes a [`DelayedWork`] initialiser (lockdep classes of its own for the
/// work and its timer).
#[macro_export]
macro_rules! new_delayed_work {
    ($($name:literal)?) => {
        $crate::workqueue::DelayedWork::new(
            $crate::optional_name!($($name)?),
            $crate::static_lock_class!(),
            $crate::c_str!(::core::concat!(::core::file!(), ":", ::core::line!(), "-timer")),
            $crate::static_lock_class!(),
        )
    };
}
pub use new_delayed_work;

/// A work queue (C's `struct workqueue_struct`).
#[repr(transparent)]
pub struct Queue(Opaque<bindings::workqueue_struct>);

// SAFETY: the C work queue synchronises itself.
unsafe impl Send for Queue {}
// SAFETY: as above.
unsafe impl Sync for Queue {}

impl Queue {
    /// The queue at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be a valid work queue for `'a`.
    pub unsafe fn from_raw<'a>(ptr: *const bindings::workqueue_struct) -> &'a Queue {
        // SAFETY: `repr(transparent)`; valid for `'a` (caller).
        unsafe { &*ptr.cast::<Queue>() }
    }

    /// Queues `w` (C's `queue_work`): for an `Arc`, `Err(w)` back if it is
    /// queued already.
    pub fn enqueue<W, const ID: u64>(&self, w: W) -> W::EnqueueOutput
    where
        W: RawWorkItem<ID> + Send + 'static,
    {
        let queue = self.0.get();
        // SAFETY: `__enqueue` gives a work item that stays valid until it
        // runs; the queue is valid (`&self`).
        unsafe {
            w.__enqueue(move |work| {
                // A `Work` starts with its `Header`.
                let owner = (*work.cast::<Header>()).entry.owner;
                queue_counted(work, owner, |w| {
                    bindings::queue_work_on(
                        bindings::wq_misc_consts_WORK_CPU_UNBOUND as _,
                        queue,
                        w,
                    )
                })
            })
        }
    }

    /// Queues `w` to run after `delay` jiffies (C's `queue_delayed_work`).
    ///
    /// ```
    /// use kernel::sync::atomic::{Atomic, Relaxed};
    /// use kernel::time::{delay::fsleep, msecs_to_jiffies, Delta, Instant, Monotonic};
    /// use kernel::workqueue::{self, new_delayed_work, DelayedWork, WorkItem};
    ///
    /// static RAN_AT: Atomic<i64> = Atomic::new(0);
    ///
    /// #[pin_data]
    /// struct Later {
    ///     #[pin]
    ///     work: DelayedWork<Later>,
    /// }
    /// kernel::impl_has_delayed_work! {
    ///     impl HasDelayedWork<Self> for Later { self.work }
    /// }
    /// impl WorkItem for Later {
    ///     type Pointer = Pin<KBox<Later>>;
    ///     fn run(_this: Pin<KBox<Later>>) {
    ///         RAN_AT.store(Instant::<Monotonic>::now().as_nanos(), Relaxed);
    ///     }
    /// }
    ///
    /// let start = Instant::<Monotonic>::now();
    /// let item = KBox::pin_init(pin_init!(Later { work <- new_delayed_work!() }), GFP_KERNEL)?;
    /// workqueue::system().enqueue_delayed(item, msecs_to_jiffies(20));
    /// while RAN_AT.load(Relaxed) == 0 {
    ///     fsleep(Delta::from_millis(1));
    /// }
    /// assert!(RAN_AT.load(Relaxed) - start.as_nanos() >= Delta::from_millis(19).as_nanos());
    /// # Ok::<(), Error>(())
    /// ```
    pub fn enqueue_delayed<W, const ID: u64>(&self, w: W, delay: Jiffies) -> W::EnqueueOutput
    where
        W: RawDelayedWorkItem<ID> + Send + 'static,
    {
        let queue = self.0.get();
        // SAFETY: as for `enqueue`; the work is the `work` of a
        // `delayed_work` (`RawDelayedWorkItem`).
        unsafe {
            w.__enqueue(move |work| {
                let dwork = crate::container_of!(work, bindings::delayed_work, work).cast_mut();
                // A `DelayedWork` starts with its `DelayedHeader`.
                let owner = (*dwork.cast::<DelayedHeader>()).entry.owner;
                queue_counted(work, owner, |_| {
                    bindings::queue_delayed_work_on(
                        bindings::wq_misc_consts_WORK_CPU_UNBOUND as _,
                        queue,
                        dwork,
                        delay,
                    )
                })
            })
        }
    }

    /// Runs `func` on the queue, once (a work item of its own, allocated
    /// with `flags`).
    ///
    /// ```
    /// use kernel::sync::{atomic::{Atomic, Relaxed}, Arc};
    /// use kernel::time::{delay::fsleep, Delta};
    /// let hit = Arc::new(Atomic::new(0u32), GFP_KERNEL)?;
    /// let h = hit.clone();
    /// kernel::workqueue::system_unbound().try_spawn(GFP_KERNEL, move || h.store(1, Relaxed))?;
    /// while hit.load(Relaxed) == 0 {
    ///     fsleep(Delta::from_millis(1));
    /// }
    /// # Ok::<(), Error>(())
    /// ```
    pub fn try_spawn<T: 'static + Send + FnOnce()>(
        &self,
        flags: Flags,
        func: T,
    ) -> Result<(), AllocError> {
        let init = pin_init!(ClosureWork {
            work <- new_work!("Queue::try_spawn"),
            func: Some(func),
        });
        self.enqueue(KBox::pin_init(init, flags).map_err(|_| AllocError)?);
        Ok(())
    }
}

/// Counts the item at `work` for its module `owner`, then queues it with
/// `queue`; false (and uncounted) if it was not queued.
fn queue_counted(
    work: *mut bindings::work_struct,
    owner: *mut bindings::module,
    queue: impl FnOnce(*mut bindings::work_struct) -> bool,
) -> bool {
    if crate::kthread::live_add(owner).is_err() {
        crate::pr_warn!("too many modules with pending work: item not queued\n");
        return false;
    }
    if queue(work) {
        true
    } else {
        crate::kthread::live_remove(owner);
        false
    }
}

/// Where a work item enters its module: what the trampolines need.
#[derive(Clone, Copy)]
struct Entry {
    /// The item's `WorkItemPointer::run`, in the module that defined it.
    run: unsafe extern "C" fn(*mut bindings::work_struct),
    /// That module (null for the kernel image).
    owner: *mut bindings::module,
}

impl Entry {
    /// The entry of items of type `T`.
    fn of<T: ?Sized + WorkItem<ID>, const ID: u64>() -> Self {
        let run = <T::Pointer as WorkItemPointer<ID>>::run
            as unsafe extern "C" fn(*mut bindings::work_struct);
        Self {
            run,
            owner: crate::module::module_of_code(run as usize),
        }
    }

    /// Runs the item at `work`, then uncounts it: called by the
    /// trampolines, which are in the kernel image.
    ///
    /// # Safety
    ///
    /// `entry` must be the entry of the item whose work is `work`, queued
    /// (and counted) by `queue_counted`.
    unsafe fn enter(work: *mut bindings::work_struct, entry: *const Entry) {
        // SAFETY: valid (caller); copied before `run`, which may free the
        // item, and the entry with it.
        let Entry { run, owner } = unsafe { *entry };
        // SAFETY: `run` is the item's own entry point, given its work.
        unsafe { run(work) };
        crate::kthread::live_remove(owner);
    }
}

/// A `work_struct` and its [`Entry`].
#[repr(C)]
struct Header {
    work: bindings::work_struct,
    entry: Entry,
}

/// The function every work item of ours runs: in the kernel image, so that
/// it may uncount the item after the module's `run` returned.
///
/// # Safety
///
/// Called by a worker with the `work_struct` of a [`Work`].
unsafe extern "C" fn trampoline(work: *mut bindings::work_struct) {
    // SAFETY: `work` starts a `Header` (caller), queued by `enqueue`.
    unsafe { Entry::enter(work, &raw const (*work.cast::<Header>()).entry) }
}

/// A work item's link to the queue, embedded in the item (see
/// [`impl_has_work!`](crate::impl_has_work)); `ID` tells several apart.
///
/// # Invariants
///
/// `header.work` was initialised with [`trampoline`] as its function and
/// `header.entry` is `Entry::of::<T, ID>()`.
#[pin_data]
#[repr(C)]
pub struct Work<T: ?Sized, const ID: u64 = 0> {
    #[pin]
    header: Opaque<Header>,
    _inner: PhantomData<T>,
}

// SAFETY: the C work machinery synchronises itself.
unsafe impl<T: ?Sized, const ID: u64> Send for Work<T, ID> {}
// SAFETY: `&Work` offers nothing but enqueueing, which C synchronises.
unsafe impl<T: ?Sized, const ID: u64> Sync for Work<T, ID> {}

impl<T: ?Sized, const ID: u64> Work<T, ID> {
    /// An initialiser of the work of an item of type `T` (use
    /// [`new_work!`]).
    pub fn new(name: &'static CStr, key: &'static LockClassKey) -> impl PinInit<Self>
    where
        T: WorkItem<ID>,
    {
        let entry = Entry::of::<T, ID>();
        pin_init!(Self {
            header <- Opaque::ffi_init(move |slot: *mut Header| {
                // SAFETY: `slot` is valid for writes; the helper initialises
                // the `work_struct` (pinned, never moved) with the
                // trampoline; `name` and `key` are static.
                unsafe {
                    bindings::init_work_with_key(
                        &raw mut (*slot).work,
                        Some(trampoline),
                        false,
                        name.as_char_ptr(),
                        key.as_ptr(),
                    );
                    (&raw mut (*slot).entry).write(entry);
                }
            }),
            _inner: PhantomData,
        })
    }

    /// The `work_struct` of the work at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid.
    pub unsafe fn raw_get(ptr: *const Self) -> *mut bindings::work_struct {
        // SAFETY: `header` is the first field of a `repr(C)` struct, and the
        // `work_struct` the first of `Header`.
        Opaque::raw_get(unsafe { &raw const (*ptr).header }).cast()
    }
}

/// A struct that embeds a [`Work<T, ID>`]; implement it with
/// [`impl_has_work!`](crate::impl_has_work).
///
/// # Safety
///
/// The two functions must convert between a pointer to `Self` and one to
/// its embedded `Work<T, ID>`, exactly.
pub unsafe trait HasWork<T, const ID: u64 = 0> {
    /// The work embedded in the `Self` at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid.
    unsafe fn raw_get_work(ptr: *mut Self) -> *mut Work<T, ID>;

    /// The `Self` that embeds the work at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to the work of a `Self`.
    unsafe fn work_container_of(ptr: *mut Work<T, ID>) -> *mut Self;
}

/// Implements [`HasWork`]: `impl_has_work! { impl HasWork<Self> for T { self.work } }`
/// (`impl HasWork<Self, 1> for T { self.work2 }` for a second one).
#[macro_export]
macro_rules! impl_has_work {
    ($(impl$({$($generics:tt)*})?
       HasWork<$work_type:ty $(, $id:tt)?>
       for $self:ty
       { self.$field:ident }
    )*) => {$(
        // SAFETY: the two functions convert between the struct and its
        // `$field`, by field projection and its inverse.
        unsafe impl$(<$($generics)+>)? $crate::workqueue::HasWork<$work_type $(, $id)?> for $self {
            #[inline]
            unsafe fn raw_get_work(ptr: *mut Self) -> *mut $crate::workqueue::Work<$work_type $(, $id)?> {
                // SAFETY: `ptr` is valid (caller).
                unsafe { ::core::ptr::addr_of_mut!((*ptr).$field) }
            }

            #[inline]
            unsafe fn work_container_of(
                ptr: *mut $crate::workqueue::Work<$work_type $(, $id)?>,
            ) -> *mut Self {
                $crate::container_of!(ptr, Self, $field).cast_mut()
            }
        }
    )*};
}
pub use impl_has_work;

/// A type whose values can be queued: what the worker runs.
pub trait WorkItem<const ID: u64 = 0> {
    /// How the item is held while queued (`Arc<Self>`, `Pin<KBox<Self>>`).
    type Pointer: WorkItemPointer<ID>;

    /// Runs the item, given back.
    fn run(this: Self::Pointer);
}

/// A pointer type that can carry a work item through the queue.
///
/// # Safety
///
/// `run` must take back the pointer `__enqueue` gave away (once) and call
/// the item's [`WorkItem::run`] with it.
pub unsafe trait WorkItemPointer<const ID: u64>: RawWorkItem<ID> {
    /// The worker's entry point for the item.
    ///
    /// # Safety
    ///
    /// Called by the worker (through the trampoline) with the work
    /// `__enqueue` queued.
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct);
}

/// A value that can be put on a queue.
///
/// # Safety
///
/// If the closure `__enqueue` calls returns true, the work item it passed
/// must stay valid until the worker runs it; if false, `__enqueue` keeps
/// ownership.
pub unsafe trait RawWorkItem<const ID: u64> {
    /// What enqueuing returns.
    type EnqueueOutput;

    /// Queues the item with `queue_work_on`, which returns whether it was
    /// queued.
    ///
    /// # Safety
    ///
    /// `queue_work_on` must queue the work it is given, or return false.
    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool;
}

// SAFETY: the `Arc` is leaked into the queue on success and taken back by
// `run` (below), once: a queued work is not queued again until it ran.
unsafe impl<T, const ID: u64> RawWorkItem<ID> for Arc<T>
where
    T: WorkItem<ID, Pointer = Self> + HasWork<T, ID>,
{
    type EnqueueOutput = Result<(), Self>;

    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool,
    {
        let ptr = Arc::into_raw(self).cast_mut();
        // SAFETY: `ptr` is a valid `T`; its work is initialised.
        let work = unsafe { Work::raw_get(T::raw_get_work(ptr)) };
        if queue_work_on(work) {
            Ok(())
        } else {
            // SAFETY: not queued: the reference is still ours.
            Err(unsafe { Arc::from_raw(ptr) })
        }
    }
}

// SAFETY: the worker gets back the `Arc` `__enqueue` leaked.
unsafe impl<T, const ID: u64> WorkItemPointer<ID> for Arc<T>
where
    T: WorkItem<ID, Pointer = Self> + HasWork<T, ID>,
{
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct) {
        // SAFETY: `ptr` is the work of a `T` (`Work` is `repr(C)` with the
        // `work_struct` first), leaked by `__enqueue` as an `Arc`.
        let item = unsafe { Arc::from_raw(T::work_container_of(ptr.cast())) };
        T::run(item)
    }
}

// SAFETY: the box is leaked into the queue and taken back by `run`; a
// unique box cannot be queued twice.
unsafe impl<T, const ID: u64> RawWorkItem<ID> for Pin<KBox<T>>
where
    T: WorkItem<ID, Pointer = Self> + HasWork<T, ID>,
{
    type EnqueueOutput = ();

    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool,
    {
        // SAFETY: the box is not moved out of; it is rebuilt below or by
        // `run`.
        let ptr = KBox::into_raw(unsafe { Pin::into_inner_unchecked(self) });
        // SAFETY: `ptr` is a valid `T`; its work is initialised.
        let work = unsafe { Work::raw_get(T::raw_get_work(ptr)) };
        if !queue_work_on(work) {
            // Only when the module table is full (a unique box cannot be
            // queued already): the item is dropped, as it cannot run.
            // SAFETY: not queued: the box is still ours.
            drop(unsafe { KBox::from_raw(ptr) });
        }
    }
}

// SAFETY: the worker gets back the box `__enqueue` leaked.
unsafe impl<T, const ID: u64> WorkItemPointer<ID> for Pin<KBox<T>>
where
    T: WorkItem<ID, Pointer = Self> + HasWork<T, ID>,
{
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct) {
        // SAFETY: as for `Arc`; the box was pinned and leaked by
        // `__enqueue`.
        let item = unsafe { Pin::new_unchecked(KBox::from_raw(T::work_container_of(ptr.cast()))) };
        T::run(item)
    }
}

/// A work item queued with a delay, embedding a [`DelayedWork`].
///
/// # Safety
///
/// The work of `Self` (through [`HasWork`]) must be the `work` of a
/// `delayed_work`, as it is in a [`DelayedWork`].
pub unsafe trait RawDelayedWorkItem<const ID: u64>: RawWorkItem<ID> {}

/// A [`Work`] with a timer (C's `struct delayed_work`): embed it, declare
/// it with [`impl_has_delayed_work!`](crate::impl_has_delayed_work), queue
/// with [`Queue::enqueue_delayed`].
///
/// # Invariants
///
/// `dwork` was initialised by `init_delayed_work_with_key` with the
/// trampoline, and `entry` is `Entry::of::<T, ID>()`, as in [`Work`].
#[pin_data]
#[repr(C)]
pub struct DelayedWork<T: ?Sized, const ID: u64 = 0> {
    #[pin]
    dwork: Opaque<DelayedHeader>,
    _inner: PhantomData<T>,
}

/// A `delayed_work` and its [`Entry`].
#[repr(C)]
struct DelayedHeader {
    dwork: bindings::delayed_work,
    entry: Entry,
}

// SAFETY: as for `Work`.
unsafe impl<T: ?Sized, const ID: u64> Send for DelayedWork<T, ID> {}
// SAFETY: as for `Work`.
unsafe impl<T: ?Sized, const ID: u64> Sync for DelayedWork<T, ID> {}

impl<T: ?Sized, const ID: u64> DelayedWork<T, ID> {
    /// An initialiser (use [`new_delayed_work!`]).
    pub fn new(
        name: &'static CStr,
        key: &'static LockClassKey,
        timer_name: &'static CStr,
        timer_key: &'static LockClassKey,
    ) -> impl PinInit<Self>
    where
        T: WorkItem<ID>,
    {
        let entry = Entry::of::<T, ID>();
        pin_init!(Self {
            dwork <- Opaque::ffi_init(move |slot: *mut DelayedHeader| {
                // SAFETY: as in `Work::new`, for the delayed work and its
                // timer.
                unsafe {
                    bindings::init_delayed_work_with_key(
                        &raw mut (*slot).dwork,
                        Some(delayed_trampoline),
                        name.as_char_ptr(),
                        key.as_ptr(),
                        timer_name.as_char_ptr(),
                        timer_key.as_ptr(),
                    );
                    (&raw mut (*slot).entry).write(entry);
                }
            }),
            _inner: PhantomData,
        })
    }
}

/// [`trampoline`] for delayed work, whose `work_struct` is the start of a
/// `delayed_work` rather than of a [`Header`].
///
/// # Safety
///
/// Called by a worker with the work of a [`DelayedWork`].
unsafe extern "C" fn delayed_trampoline(work: *mut bindings::work_struct) {
    let header = crate::container_of!(work, bindings::delayed_work, work).cast::<DelayedHeader>();
    // SAFETY: the work is in a `DelayedHeader` (caller), queued by
    // `enqueue_delayed`.
    unsafe { Entry::enter(work, &raw const (*header).entry) }
}

/// Implements [`HasWork`] (to the embedded `delayed_work`'s work) and
/// [`RawDelayedWorkItem`] support for a struct embedding a [`DelayedWork`]:
/// `impl_has_delayed_work! { impl HasDelayedWork<Self> for T { self.dwork } }`.
#[macro_export]
macro_rules! impl_has_delayed_work {
    ($(impl$({$($generics:tt)*})?
       HasDelayedWork<$work_type:ty $(, $id:tt)?>
       for $self:ty
       { self.$field:ident }
    )*) => {$(
        // SAFETY: the work of a `DelayedWork` is at its start (`repr(C)`,
        // `delayed_work` first, its `work` first); the conversions are
        // field projections and their inverse.
        unsafe impl$(<$($generics)+>)? $crate::workqueue::HasWork<$work_type $(, $id)?> for $self {
            #[inline]
            unsafe fn raw_get_work(ptr: *mut Self) -> *mut $crate::workqueue::Work<$work_type $(, $id)?> {
                // The annotation makes the field's type part of the
                // contract the `unsafe impl` above relies on: anything
                // but this `DelayedWork` (a plain `Work`, another item's
                // `DelayedWork`) is a type error, not a cast.
                let dwork: *mut $crate::workqueue::DelayedWork<$work_type $(, $id)?> =
                    // SAFETY: `ptr` is valid (caller).
                    unsafe { ::core::ptr::addr_of_mut!((*ptr).$field) };
                dwork.cast()
            }

            #[inline]
            unsafe fn work_container_of(
                ptr: *mut $crate::workqueue::Work<$work_type $(, $id)?>,
            ) -> *mut Self {
                $crate::container_of!(ptr.cast::<$crate::workqueue::DelayedWork<$work_type $(, $id)?>>(), Self, $field)
                    .cast_mut()
            }
        }

        // SAFETY: the work is that of the embedded `DelayedWork`.
        unsafe impl$(<$($generics)+>)? $crate::workqueue::HasDelayedWork<$work_type $(, $id)?> for $self {}
    )*};
}
pub use impl_has_delayed_work;

/// A struct whose [`HasWork`] work is that of an embedded [`DelayedWork`]
/// (implemented by [`impl_has_delayed_work!`](crate::impl_has_delayed_work)).
///
/// # Safety
///
/// `HasWork::raw_get_work` must give the start of an embedded
/// `DelayedWork<T, ID>`.
pub unsafe trait HasDelayedWork<T, const ID: u64 = 0>: HasWork<T, ID> {}

// SAFETY: `HasDelayedWork` says the work is that of a `delayed_work`.
unsafe impl<T, const ID: u64> RawDelayedWorkItem<ID> for Arc<T> where
    T: WorkItem<ID, Pointer = Self> + HasDelayedWork<T, ID>
{
}

// SAFETY: as above.
unsafe impl<T, const ID: u64> RawDelayedWorkItem<ID> for Pin<KBox<T>> where
    T: WorkItem<ID, Pointer = Self> + HasDelayedWork<T, ID>
{
}

/// The item of [`Queue::try_spawn`].
#[pin_data]
struct ClosureWork<T> {
    #[pin]
    work: Work<ClosureWork<T>>,
    func: Option<T>,
}

crate::impl_has_work! {
    impl{T} HasWork<Self> for ClosureWork<T> { self.work }
}

impl<T: FnOnce()> WorkItem for ClosureWork<T> {
    type Pointer = Pin<KBox<Self>>;

    fn run(mut this: Pin<KBox<Self>>) {
        // SAFETY: `func` is not structurally pinned.
        if let Some(func) = unsafe { this.as_mut().get_unchecked_mut() }.func.take() {
            func();
        }
    }
}

macro_rules! system_queues {
    ($($(#[$m:meta])* $name:ident = $c:ident;)*) => {$(
        $(#[$m])*
        pub fn $name() -> &'static Queue {
            // SAFETY: the system queues exist from early boot on and are
            // never destroyed.
            unsafe { Queue::from_raw(bindings::$c) }
        }
    )*};
}

system_queues! {
    /// The system queue for short items (C's `system_wq`).
    system = system_wq;
    /// High priority (`system_highpri_wq`).
    system_highpri = system_highpri_wq;
    /// For items that run long (`system_long_wq`).
    system_long = system_long_wq;
    /// Not bound to a CPU (`system_unbound_wq`).
    system_unbound = system_unbound_wq;
    /// Frozen during suspend (`system_freezable_wq`).
    system_freezable = system_freezable_wq;
    /// Power efficient (`system_power_efficient_wq`).
    system_power_efficient = system_power_efficient_wq;
    /// Both (`system_freezable_power_efficient_wq`).
    system_freezable_power_efficient = system_freezable_power_efficient_wq;
}
