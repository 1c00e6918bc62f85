// SPDX-License-Identifier: GPL-2.0

//! [`Request`]: a blk-mq request while the driver handles it.

use super::Operations;
use crate::{
    sync::atomic::{Atomic, Full, Relaxed},
    types::{ARef, AlwaysRefCounted, Opaque},
};
use core::{marker::PhantomData, ptr::NonNull};

/// What we keep in each request's driver-private area (`cmd_size` bytes
/// after `struct request`): how many `ARef`s the driver holds.
///
/// # Invariants
///
/// `refs` is 0 while the block layer owns the request (idle, or ended),
/// and the number of live `ARef<Request>` while the driver has it.
pub(crate) struct RequestData {
    refs: Atomic<u64>,
}

impl RequestData {
    /// Initialises the private area of `rq`.
    ///
    /// # Safety
    ///
    /// `rq`'s private area must be valid for a `RequestData` and not
    /// initialised.
    pub(crate) unsafe fn init(rq: *mut bindings::request) {
        // SAFETY: the private area follows the request (caller guarantee).
        let pdu = unsafe { bindings::blk_mq_rq_to_pdu(rq) }.cast::<RequestData>();
        // SAFETY: valid for writes, uninitialised (caller guarantee).
        // INVARIANT: the block layer owns a new request.
        unsafe {
            pdu.write(RequestData {
                refs: Atomic::new(0),
            })
        };
    }

    /// Drops the private area of `rq`.
    ///
    /// # Safety
    ///
    /// It must have been initialised by [`RequestData::init`] and not be
    /// used again.
    pub(crate) unsafe fn drop_in_place(rq: *mut bindings::request) {
        // SAFETY: the private area follows the request.
        let pdu = unsafe { bindings::blk_mq_rq_to_pdu(rq) }.cast::<RequestData>();
        // SAFETY: initialised, dropped once (caller guarantee).
        unsafe { core::ptr::drop_in_place(pdu) };
    }
}

/// A block request handed to a driver of type `T`.
///
/// Held as `ARef<Request<T>>`: clones count in the request's private data,
/// and [`Request::end_ok`] gives the request back to the block layer once
/// the driver holds only one reference.
///
/// # Invariants
///
/// The `struct request` was set up by a tag set of `T` (its private data is
/// an initialised [`RequestData`]).
#[repr(transparent)]
pub struct Request<T: Operations>(Opaque<bindings::request>, PhantomData<T>);

// SAFETY: a request may be ended, and its references dropped, from any
// thread; the reference count is atomic.
unsafe impl<T: Operations> Send for Request<T> {}
// SAFETY: shared references only reach the atomic reference count and the
// request's address.
unsafe impl<T: Operations> Sync for Request<T> {}

impl<T: Operations> Request<T> {
    /// Takes over a request the block layer dispatches.
    ///
    /// # Safety
    ///
    /// `rq` must be a request of a tag set of `T` that the block layer is
    /// handing to the driver (`queue_rq`), so no `ARef` to it exists.
    pub(crate) unsafe fn hand_over(rq: *mut bindings::request) -> ARef<Self> {
        // SAFETY: the request (and so its private data) is valid, and of a
        // tag set of `T` (caller guarantee).
        let this = unsafe { &*rq.cast::<Self>() };
        // INVARIANT: the driver now holds exactly the `ARef` made below.
        this.data().refs.store(1, Relaxed);
        // SAFETY: the one reference counted above goes to the `ARef`.
        unsafe { ARef::from_raw(NonNull::from(this)) }
    }

    /// The `struct request`, for C.
    pub fn as_ptr(&self) -> *mut bindings::request {
        self.0.get()
    }

    fn data(&self) -> &RequestData {
        // SAFETY: the private area follows the request and holds an
        // initialised `RequestData` (type invariant), alive as long as the
        // request.
        unsafe { &*bindings::blk_mq_rq_to_pdu(self.as_ptr()).cast::<RequestData>() }
    }

    /// Ends the request successfully, giving it back to the block layer.
    ///
    /// Fails, returning the reference, while other `ARef`s to the request
    /// exist.
    pub fn end_ok(this: ARef<Self>) -> Result<(), ARef<Self>> {
        if this.data().refs.cmpxchg(1, 0, Full).is_err() {
            return Err(this);
        }
        let rq = ARef::into_raw(this);
        // SAFETY: the driver held the only reference, which the count now
        // says is gone (type invariant of `RequestData`); the request is
        // started and ended once, here.
        unsafe { bindings::blk_mq_end_request(rq.as_ref().as_ptr(), bindings::BLK_STS_OK as _) };
        Ok(())
    }
}

// SAFETY: the count lives in the request's private data; the block layer
// does not reuse the request until `end_ok` takes the count to zero.
unsafe impl<T: Operations> AlwaysRefCounted for Request<T> {
    fn inc_ref(&self) {
        self.data().refs.inc(Relaxed);
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up a reference, so the request is alive.
        let this = unsafe { obj.as_ref() };
        // A driver that drops its last reference without ending the
        // request leaves it to the block layer's timeout.
        this.data().refs.dec(Relaxed);
    }
}
