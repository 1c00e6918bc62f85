// SPDX-License-Identifier: GPL-2.0
// expect: expected `&Device<Bound>`, found `&Device`
//! `Devres::access` skips the revocation check, so it needs proof that the
//! driver is bound (`&Device<Bound>`); a plain device reference is refused.
use kernel::device::Device;
use kernel::devres::Devres;
/// Does not compile.
pub fn f(r: &Devres<u32>, dev: &Device) -> u32 {
    *r.access(dev).unwrap_or(&0)
}
