// SPDX-License-Identifier: GPL-2.0

//! The smallest useful Rust module: it keeps a vector from init to exit.

use kernel::prelude::*;

module! {
    type: RustMinimal,
    name: "rust_minimal",
    authors: ["rkal developers"],
    description: "Minimal Rust module",
    license: "GPL",
}

struct RustMinimal {
    primes: KVec<u32>,
}

impl kernel::Module for RustMinimal {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init (built in: {})\n", !cfg!(MODULE));
        let mut primes = KVec::new();
        for p in [2, 3, 5, 7] {
            primes.push(p, GFP_KERNEL)?;
        }
        Ok(RustMinimal { primes })
    }
}

impl Drop for RustMinimal {
    fn drop(&mut self) {
        pr_info!("primes kept since init: {:?}\n", self.primes);
        pr_info!("exit\n");
    }
}
