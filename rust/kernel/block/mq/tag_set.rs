// SPDX-License-Identifier: GPL-2.0

//! [`TagSet`]: C's `struct blk_mq_tag_set`.

use super::{operations::OperationsVTable, request::RequestData, Operations};
use crate::{
    error::{to_result, Error},
    init::{pin_data, pinned_drop, PinInit},
    try_pin_init,
    types::Opaque,
};
use core::{marker::PhantomData, pin::Pin};

/// The request queues and tags of a blk-mq driver `T`, shared by its disks.
///
/// # Invariants
///
/// `inner` was set up by `blk_mq_alloc_tag_set` with `T`'s operations.
#[pin_data(PinnedDrop)]
pub struct TagSet<T: Operations> {
    #[pin]
    inner: Opaque<bindings::blk_mq_tag_set>,
    _p: PhantomData<T>,
}

// SAFETY: blk-mq synchronises its use of a tag set itself.
unsafe impl<T: Operations> Send for TagSet<T> {}
// SAFETY: as above.
unsafe impl<T: Operations> Sync for TagSet<T> {}

impl<T: Operations> TagSet<T> {
    /// A tag set with `nr_hw_queues` hardware queues of `num_tags` tags
    /// each, and `num_maps` queue maps.
    pub fn new(nr_hw_queues: u32, num_tags: u32, num_maps: u32) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            inner <- Opaque::try_ffi_init(move |slot: *mut bindings::blk_mq_tag_set| {
                // SAFETY: an all-zero tag set is the expected starting point.
                let mut set: bindings::blk_mq_tag_set = unsafe { core::mem::zeroed() };
                set.ops = OperationsVTable::<T>::build();
                set.nr_hw_queues = nr_hw_queues;
                set.queue_depth = num_tags;
                set.cmd_size = core::mem::size_of::<RequestData>() as u32;
                set.numa_node = bindings::NUMA_NO_NODE;
                set.nr_maps = num_maps;
                // As C drivers do: let the block layer merge adjacent bios.
                set.flags = bindings::BLK_MQ_F_SHOULD_MERGE;
                // SAFETY: `slot` is valid for writes and pinned.
                unsafe { slot.write(set) };
                // SAFETY: `slot` is an initialised, pinned tag set; on
                // failure C has freed what it allocated.
                // INVARIANT: set up by `blk_mq_alloc_tag_set` on success.
                to_result(unsafe { bindings::blk_mq_alloc_tag_set(slot) })
            }),
            _p: PhantomData,
        })
    }

    /// The `struct blk_mq_tag_set`, for C.
    pub(crate) fn raw_tag_set(&self) -> *mut bindings::blk_mq_tag_set {
        self.inner.get()
    }
}

#[pinned_drop]
impl<T: Operations> PinnedDrop for TagSet<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: allocated by `blk_mq_alloc_tag_set` (type invariant); no
        // disk uses it any more (disks hold an `Arc` of the tag set).
        unsafe { bindings::blk_mq_free_tag_set(self.inner.get()) };
    }
}
