// SPDX-License-Identifier: GPL-2.0

//! Networking.
//!
//! So far only [`phy`]: drivers for Ethernet PHYs, the chips between a MAC
//! and the wire (enabled by `CONFIG_RUST_PHYLIB_ABSTRACTIONS`).

#[cfg(CONFIG_RUST_PHYLIB_ABSTRACTIONS)]
pub mod phy;
