// SPDX-License-Identifier: GPL-2.0

//! [`Operations`]: what a blk-mq driver implements, and the C table built
//! from it.

use super::request::{Request, RequestData};
use crate::{
    error::Result,
    ffi::{c_int, c_uint, c_void},
    types::ARef,
};
use core::marker::PhantomData;

/// A blk-mq driver's request handling.
///
/// `queue_rq` receives each request, already started; the driver ends it
/// (now or later) with [`Request::end_ok`]. An `Err` from `queue_rq` fails
/// the request as C drivers do: `ENOMEM` and `EBUSY` make the block layer
/// retry it later, anything else ends it with an I/O error (see
/// [`Request`] for requests the driver still holds references to). `commit_rqs` is called when the
/// block layer has queued a batch whose last request was not flagged
/// `is_last`.
#[macros::vtable]
pub trait Operations: Sized {
    /// Queues a request for the hardware.
    fn queue_rq(rq: ARef<Request<Self>>, is_last: bool) -> Result;

    /// Kicks the hardware for requests queued without `is_last`.
    fn commit_rqs();
}

/// The `struct blk_mq_ops` of a driver type `T`.
pub(crate) struct OperationsVTable<T: Operations>(PhantomData<T>);

impl<T: Operations> OperationsVTable<T> {
    /// `blk_mq_ops.queue_rq`.
    ///
    /// # Safety
    ///
    /// Called by blk-mq with a valid `bd` whose request was initialised by
    /// `init_request_callback` and is not in flight.
    unsafe extern "C" fn queue_rq_callback(
        _hctx: *mut bindings::blk_mq_hw_ctx,
        bd: *const bindings::blk_mq_queue_data,
    ) -> bindings::blk_status_t {
        // SAFETY: `bd` is valid for this call (caller guarantee).
        let (rq, last) = unsafe { ((*bd).rq, (*bd).last) };
        // SAFETY: the request's private data was initialised by
        // `init_request_callback`, and the request is not in flight, so the
        // driver holds no reference to it: the block layer hands one over;
        // `queue_rq_done` is called below.
        let aref = unsafe { Request::<T>::hand_over(rq) };
        // SAFETY: `rq` is a valid request being dispatched.
        unsafe { bindings::blk_mq_start_request(rq) };
        let result = T::queue_rq(aref, last);
        // SAFETY: handed over above for this call, settled once.
        unsafe { Request::<T>::queue_rq_done(rq, result) }
    }

    /// `blk_mq_ops.commit_rqs`.
    ///
    /// # Safety
    ///
    /// Called by blk-mq.
    unsafe extern "C" fn commit_rqs_callback(_hctx: *mut bindings::blk_mq_hw_ctx) {
        T::commit_rqs()
    }

    /// `blk_mq_ops.complete`: requests are ended directly by the driver.
    ///
    /// # Safety
    ///
    /// Called by blk-mq.
    unsafe extern "C" fn complete_callback(_rq: *mut bindings::request) {}

    /// `blk_mq_ops.init_hctx`: no per-queue state.
    ///
    /// # Safety
    ///
    /// Called by blk-mq.
    unsafe extern "C" fn init_hctx_callback(
        _hctx: *mut bindings::blk_mq_hw_ctx,
        _data: *mut c_void,
        _index: c_uint,
    ) -> c_int {
        0
    }

    /// `blk_mq_ops.exit_hctx`.
    ///
    /// # Safety
    ///
    /// Called by blk-mq.
    unsafe extern "C" fn exit_hctx_callback(_hctx: *mut bindings::blk_mq_hw_ctx, _index: c_uint) {}

    /// `blk_mq_ops.init_request`: sets up our per-request data.
    ///
    /// # Safety
    ///
    /// Called by blk-mq with a request whose private area is
    /// `tag_set.cmd_size` bytes, which `TagSet::new` set to fit
    /// `RequestData`.
    unsafe extern "C" fn init_request_callback(
        _set: *mut bindings::blk_mq_tag_set,
        rq: *mut bindings::request,
        _hctx_idx: c_uint,
        _numa_node: c_uint,
    ) -> c_int {
        // SAFETY: the private area is ours, sized for `RequestData`, and
        // not yet initialised (caller guarantee).
        unsafe { RequestData::init(rq) };
        0
    }

    /// `blk_mq_ops.exit_request`: tears down our per-request data.
    ///
    /// # Safety
    ///
    /// Called by blk-mq once per `init_request_callback`, with no request
    /// in flight.
    unsafe extern "C" fn exit_request_callback(
        _set: *mut bindings::blk_mq_tag_set,
        rq: *mut bindings::request,
        _hctx_idx: c_uint,
    ) {
        // SAFETY: initialised by `init_request_callback`, dropped once.
        unsafe { RequestData::drop_in_place(rq) };
    }

    const VTABLE: bindings::blk_mq_ops = bindings::blk_mq_ops {
        queue_rq: Some(Self::queue_rq_callback),
        commit_rqs: Some(Self::commit_rqs_callback),
        complete: Some(Self::complete_callback),
        init_hctx: Some(Self::init_hctx_callback),
        exit_hctx: Some(Self::exit_hctx_callback),
        init_request: Some(Self::init_request_callback),
        exit_request: Some(Self::exit_request_callback),
        // SAFETY: every other callback is optional; null leaves it out.
        ..unsafe { core::mem::zeroed() }
    };

    /// The table for `T`, in static storage (constant promotion).
    pub(crate) const fn build() -> &'static bindings::blk_mq_ops {
        &Self::VTABLE
    }
}
