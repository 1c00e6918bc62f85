// SPDX-License-Identifier: GPL-2.0

//! Synchronisation primitives.
//!
//! Rust code in the kernel follows the Linux kernel memory model (LKMM),
//! not C++11's: [`barrier`] has the kernel's barriers and [`atomic`] the
//! kernel's marked accesses, each compiling to what the C macro of the same
//! name compiles to.

pub mod atomic;
pub mod barrier;
