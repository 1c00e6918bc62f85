// SPDX-License-Identifier: GPL-2.0

//! [`Request`]: a blk-mq request while the driver handles it.

use super::Operations;
use crate::{
    error::{code::*, Error},
    sync::atomic::{Acquire, Atomic, Full, Relaxed, Release},
    types::{ARef, AlwaysRefCounted, Opaque},
};
use core::{marker::PhantomData, ptr::NonNull};

/// Bits of [`RequestData::state`] below this are the number of live
/// `ARef<Request>`s.
const REFS: u64 = (1 << 32) - 1;
/// Set while the driver's `queue_rq` runs: the callback, not a dropped
/// reference, decides what happens when the count reaches zero.
const IN_QUEUE_RQ: u64 = 1 << 32;
/// Set once the request was ended (or handed back to be ended).
const ENDED: u64 = 1 << 33;
/// Set when `queue_rq` failed while the driver kept references: whoever
/// ends the request then ends it with `BLK_STS_IOERR`.
const FAILED: u64 = 1 << 34;

/// What we keep in each request's driver-private area (`cmd_size` bytes
/// after `struct request`).
///
/// # Invariants
///
/// `state` is 0 while the block layer owns the request. From dispatch
/// (`queue_rq`) until the request is ended, its low bits count the live
/// `ARef<Request>`, `IN_QUEUE_RQ` says the driver's `queue_rq` is running,
/// and `ENDED` says the request was completed (or is about to be, by the
/// party that set it): it is ended exactly once.
pub(crate) struct RequestData {
    state: Atomic<u64>,
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
                state: Atomic::new(0),
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

/// The block status C drivers return for `err` from `queue_rq`: out of
/// memory or busy asks the block layer to retry later
/// (`BLK_STS_RESOURCE`), anything else fails the request with an I/O error.
pub(crate) fn to_blk_status(err: Error) -> bindings::blk_status_t {
    if err == ENOMEM || err == EBUSY {
        bindings::BLK_STS_RESOURCE
    } else {
        bindings::BLK_STS_IOERR
    }
}

/// A block request handed to a driver of type `T`.
///
/// Held as `ARef<Request<T>>`: clones count in the request's private data,
/// and [`Request::end_ok`] gives the request back to the block layer once
/// the driver holds only one reference. The request is completed exactly
/// once, whatever the driver does:
///
/// - `queue_rq` returns `Ok` and some reference later calls `end_ok`: the
///   request succeeds;
/// - `queue_rq` returns `Err` and kept no reference: the block layer ends
///   the request with the error (or retries it, for `ENOMEM`/`EBUSY`);
/// - `queue_rq` returns `Err` but kept references: the request fails with
///   an I/O error when the last of them is ended or dropped;
/// - the last reference is dropped without `end_ok`: the request fails with
///   an I/O error (it never hangs).
///
/// # Invariants
///
/// The `struct request` was set up by a tag set of `T` (its private data is
/// an initialised [`RequestData`]).
#[repr(transparent)]
pub struct Request<T: Operations>(Opaque<bindings::request>, PhantomData<T>);

// SAFETY: a request may be ended, and its references dropped, from any
// thread; the state is atomic.
unsafe impl<T: Operations> Send for Request<T> {}
// SAFETY: shared references only reach the atomic state, the request's
// address and fields C does not change while the driver owns it.
unsafe impl<T: Operations> Sync for Request<T> {}

impl<T: Operations> Request<T> {
    /// Takes over a request the block layer dispatches.
    ///
    /// # Safety
    ///
    /// `rq` must be a request of a tag set of `T` that the block layer is
    /// handing to the driver (`queue_rq`), so no `ARef` to it exists, and
    /// [`Request::queue_rq_done`] must be called when `queue_rq` returns.
    pub(crate) unsafe fn hand_over(rq: *mut bindings::request) -> ARef<Self> {
        // SAFETY: the request (and so its private data) is valid, and of a
        // tag set of `T` (caller guarantee).
        let this = unsafe { &*rq.cast::<Self>() };
        // INVARIANT: the driver now holds exactly the `ARef` made below,
        // inside `queue_rq`.
        this.data().state.store(IN_QUEUE_RQ | 1, Relaxed);
        // SAFETY: the one reference counted above goes to the `ARef`.
        unsafe { ARef::from_raw(NonNull::from(this)) }
    }

    /// Settles the request once the driver's `queue_rq` returned `result`;
    /// returns the status for the block layer.
    ///
    /// # Safety
    ///
    /// `rq` must have been handed over by [`Request::hand_over`] for the
    /// `queue_rq` call that just returned, once.
    pub(crate) unsafe fn queue_rq_done(
        rq: *mut bindings::request,
        result: Result<(), Error>,
    ) -> bindings::blk_status_t {
        // SAFETY: as in `hand_over`; the request is ours until settled.
        let this = unsafe { &*rq.cast::<Self>() };
        let state = &this.data().state;
        // A failure that references outlive must be known before they can
        // see `IN_QUEUE_RQ` clear.
        if result.is_err() {
            state.or(FAILED, Relaxed);
        }
        // `Full`: pairs with the `Release` of references dropped inside
        // `queue_rq`, and publishes `FAILED` to later droppers.
        let old = state.fetch_andnot(IN_QUEUE_RQ, Full);
        if old & ENDED != 0 {
            // `end_ok` ran inside `queue_rq` and left the ending to us.
            let status = if old & FAILED != 0 {
                bindings::BLK_STS_IOERR
            } else {
                bindings::BLK_STS_OK as bindings::blk_status_t
            };
            // SAFETY: the request was started and is ended once, here; no
            // reference to it is left (`end_ok` took the last).
            unsafe { bindings::blk_mq_end_request(rq, status) };
            return bindings::BLK_STS_OK as bindings::blk_status_t;
        }
        if old & REFS == 0 {
            // No reference left: the block layer may take the request back.
            state.store(0, Relaxed);
            return match result {
                Err(e) => to_blk_status(e),
                // Every reference was dropped without ending the request.
                Ok(()) => bindings::BLK_STS_IOERR,
            };
        }
        // References remain: they end the request (with an I/O error if
        // `queue_rq` failed). The request must not be touched from here.
        bindings::BLK_STS_OK as bindings::blk_status_t
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

    /// The first sector (512 bytes) the request covers.
    pub fn sector(&self) -> u64 {
        // SAFETY: the request is valid while the driver holds it.
        unsafe { bindings::blk_rq_pos(self.as_ptr()) }
    }

    /// The number of bytes the request covers.
    pub fn bytes(&self) -> u32 {
        // SAFETY: the request is valid while the driver holds it.
        unsafe { bindings::blk_rq_bytes(self.as_ptr()) }
    }

    /// Ends the request (successfully, unless `queue_rq` failed while
    /// references to it were kept), giving it back to the block layer.
    ///
    /// Fails, returning the reference, while other `ARef`s to the request
    /// exist.
    pub fn end_ok(this: ARef<Self>) -> Result<(), ARef<Self>> {
        let state = &this.data().state;
        let mut old = state.load(Relaxed);
        loop {
            if old & REFS != 1 || old & ENDED != 0 {
                return Err(this);
            }
            // The count goes from our one reference to zero.
            let new = (old & !REFS) | ENDED;
            match state.cmpxchg(old, new, Full) {
                Ok(_) => break,
                Err(cur) => old = cur,
            }
        }
        let rq = ARef::into_raw(this);
        if old & IN_QUEUE_RQ != 0 {
            // Inside `queue_rq`: `queue_rq_done` ends it, after which the
            // block layer may reuse the request at once.
            return Ok(());
        }
        let status = if old & FAILED != 0 {
            bindings::BLK_STS_IOERR
        } else {
            bindings::BLK_STS_OK as bindings::blk_status_t
        };
        // SAFETY: the driver held the only reference, which the state now
        // says is gone and ended (type invariant of `RequestData`); the
        // request is started and ended once, here.
        unsafe { bindings::blk_mq_end_request(rq.as_ptr().cast(), status) };
        Ok(())
    }
}

// SAFETY: the count lives in the request's private data; the block layer
// does not reuse the request until it is ended, which happens only once
// the count is zero (`end_ok`, the last drop, or `queue_rq_done`).
unsafe impl<T: Operations> AlwaysRefCounted for Request<T> {
    fn inc_ref(&self) {
        // A live reference exists (`&self` came from one), so the request
        // is driver-owned and not ended.
        self.data().state.inc(Relaxed);
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller gives up a reference, so the request is alive.
        let this = unsafe { obj.as_ref() };
        // `Release`: our accesses to the request happen before whoever
        // ends it (std's `Arc` pattern).
        let old = this.data().state.fetch_sub(1, Release);
        if old & REFS != 1 || old & (IN_QUEUE_RQ | ENDED) != 0 {
            return;
        }
        // The last reference went outside `queue_rq` without `end_ok`:
        // end the request with an I/O error rather than let it hang.
        // `Acquire`: every other reference's accesses happen before this.
        this.data().state.fetch_or(ENDED, Acquire);
        // SAFETY: no reference is left and the request is not ended; it is
        // ended once, here.
        unsafe { bindings::blk_mq_end_request(this.as_ptr(), bindings::BLK_STS_IOERR) };
    }
}
