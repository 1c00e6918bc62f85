// SPDX-License-Identifier: GPL-2.0

//! KUnit failures that must be reported as failures.
//!
//! Every case named `xfail_*` fails on purpose, each in a way that once
//! passed silently or took the kernel down: a test returning `Err`, an
//! assertion in a helper function, an assertion or a panic in a thread the
//! test spawned. The verdict (scripts/verdict.py) requires each to be
//! reported `not ok`, cleanly (no oops, no BUG); any other case must pass.

use kernel::prelude::*;

module! {
    type: KunitSelftest,
    name: "rkal_kunit_selftest",
    authors: ["rkal developers"],
    description: "Deliberately failing KUnit cases",
    license: "GPL",
}

struct KunitSelftest;

impl kernel::Module for KunitSelftest {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KunitSelftest)
    }
}

#[kunit_tests(rkal_kunit_selftest)]
mod tests {
    use kernel::kthread;
    use kernel::prelude::*;

    /// Asserts outside a `#[test]` function: a plain `assert!`, which
    /// panics.
    fn helper_expects_one(x: u32) {
        assert!(x == 1, "helper got {x}");
    }

    #[test]
    fn xfail_result_err() -> Result {
        Err(EINVAL)
    }

    #[test]
    fn xfail_assert_in_helper() {
        helper_expects_one(2);
    }

    #[test]
    fn xfail_assert_in_kthread() -> Result {
        let t = kthread::spawn(c_str!("rkal-xfail"), || {
            assert_eq!(1 + 1, 3);
        })?;
        t.join();
        Ok(())
    }

    #[test]
    fn xfail_panic_in_kthread() -> Result {
        let t = kthread::spawn(c_str!("rkal-xfail"), || {
            helper_expects_one(0);
        })?;
        t.join();
        Ok(())
    }

    #[test]
    fn ok_result_passes() -> Result {
        let t = kthread::spawn(c_str!("rkal-ok"), || {
            assert_eq!(1 + 1, 2);
        })?;
        t.join();
        Ok(())
    }

    // Compiled out: it must not appear in the suite (it would fail).
    #[test]
    #[cfg(any())]
    fn must_not_be_compiled() {
        assert!(false);
    }

    #[test]
    #[cfg(CONFIG_KUNIT)]
    fn cfg_enabled_test_runs() {
        assert_eq!(2 * 2, 4);
    }
}
