// SPDX-License-Identifier: GPL-2.0

//! CPUs: how many are online, whether one is, and which one runs us.
//!
//! ```
//! use kernel::cpu;
//! let n = cpu::num_online_cpus();
//! assert!(n >= 1);
//! assert!(cpu::cpu_online(0));
//! assert!(!cpu::cpu_online(u32::MAX));
//! assert!(cpu::cpu_online(cpu::current_cpu()));
//! ```

/// The number of CPUs online now (C's `num_online_cpus()`). CPUs may come
/// and go under CPU hotplug, so this is a snapshot.
#[inline]
pub fn num_online_cpus() -> u32 {
    // SAFETY: reads the online mask's weight; no preconditions.
    unsafe { bindings::num_online_cpus() }
}

/// Whether CPU `cpu` exists and is online now (C's `cpu_online()`, with the
/// range check C leaves to the caller).
#[inline]
pub fn cpu_online(cpu: u32) -> bool {
    // SAFETY: the helper checks `cpu < nr_cpu_ids` before reading the mask.
    unsafe { bindings::cpu_online(cpu) }
}

/// The CPU the caller runs on now (C's `raw_smp_processor_id()`): unless
/// the thread is bound to it or preemption is off, it may have moved by the
/// time the value is used.
#[inline]
pub fn current_cpu() -> u32 {
    // SAFETY: reads a per-CPU variable; no preconditions.
    unsafe { bindings::raw_smp_processor_id() }
}
