// SPDX-License-Identifier: GPL-2.0

//! Host-side anchor of the `pinned-init` dependency (see Cargo.toml); the
//! kernel uses `kernel::init`, never this crate.

pub use pinned_init;
