// SPDX-License-Identifier: GPL-2.0

//! The multi-queue block layer (blk-mq).
//!
//! A driver implements [`Operations`] (which requests to serve and how),
//! allocates a [`TagSet`] for it, and builds a disk with
//! [`gen_disk::GenDiskBuilder`]. Each request reaches the driver as an
//! `ARef<Request<T>>`; ending it (`Request::end_ok`) gives it back to the
//! block layer.
//!
//! Linux 6.12's `drivers/block/rnull.rs` is written against this API; the
//! test configuration builds and loads it.

pub mod gen_disk;
mod operations;
mod request;
mod tag_set;

pub use operations::Operations;
pub use request::Request;
pub use tag_set::TagSet;
