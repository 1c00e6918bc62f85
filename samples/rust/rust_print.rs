// SPDX-License-Identifier: GPL-2.0

//! Prints at every kernel log level, with and without arguments.

use kernel::prelude::*;

module! {
    type: RustPrint,
    name: "rust_print",
    authors: ["rkal developers"],
    description: "Rust printing macros",
    license: "GPL",
}

struct RustPrint;

impl kernel::Module for RustPrint {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_emerg!("emergency, no args\n");
        pr_alert!("alert, no args\n");
        pr_crit!("critical, no args\n");
        pr_err!("error, no args\n");
        pr_warn!("warning, no args\n");
        pr_notice!("notice, no args\n");
        pr_info!("info, no args\n");
        pr_debug!("debug, not compiled in without DEBUG\n");
        pr_emerg!("{} at level {}\n", "emergency", 0);
        pr_alert!("{} at level {}\n", "alert", 1);
        pr_crit!("{} at level {}\n", "critical", 2);
        pr_err!("{} at level {}\n", "error", 3);
        pr_warn!("{} at level {}\n", "warning", 4);
        pr_notice!("{} at level {}\n", "notice", 5);
        pr_info!("{} at level {}\n", "info", 6);
        pr_info!("one line");
        pr_cont!(" in {}", 3);
        pr_cont!(" pieces\n");
        let name = CString::try_from_fmt(fmt!("{}-{:02x}", "dev", 10))?;
        pr_info!("formatted C string: {}\n", name);
        pr_info!("error names: {:?} {:?}\n", ENOMEM, EINVAL);
        Ok(RustPrint)
    }
}

impl Drop for RustPrint {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}
