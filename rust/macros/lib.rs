// SPDX-License-Identifier: GPL-2.0

//! Procedural macros of the `kernel` crate.
//!
//! Drivers reach them through `kernel::prelude` (for example
//! `kernel::prelude::module`); this crate is never named directly.

mod module;

use proc_macro::TokenStream;

/// Declares a kernel module.
///
/// The `type` names a type implementing `kernel::Module`; its `init` runs
/// when the module is loaded (or at boot, when built in) and dropping the
/// value is the module's exit.
///
/// Keys: `type` and `name` (required), `author` or `authors`,
/// `description`, `license` (required), `alias`, `firmware`.
///
/// # Examples
///
/// ```ignore
/// use kernel::prelude::*;
///
/// module! {
///     type: MyModule,
///     name: "my_module",
///     authors: ["Jane Doe"],
///     description: "An example",
///     license: "GPL",
/// }
///
/// struct MyModule;
///
/// impl kernel::Module for MyModule {
///     fn init(_module: &'static ThisModule) -> Result<Self> {
///         pr_info!("hello\n");
///         Ok(MyModule)
///     }
/// }
/// ```
#[proc_macro]
pub fn module(input: TokenStream) -> TokenStream {
    match syn::parse::<module::ModuleInfo>(input) {
        Ok(info) => module::expand(&info, &modfile()).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// The object file being built, as Kbuild tells rustc through `RUST_MODFILE`.
/// Built-in modules record it in their modinfo; outside Kbuild (host tests)
/// it is absent.
fn modfile() -> String {
    std::env::var("RUST_MODFILE").unwrap_or_default()
}
