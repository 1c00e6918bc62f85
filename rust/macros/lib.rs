// SPDX-License-Identifier: GPL-2.0

//! Procedural macros of the `kernel` crate.
//!
//! Drivers reach them through `kernel::prelude` (for example
//! `kernel::prelude::module`); this crate is never named directly.

mod kunit;
mod module;
mod vtable;

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

/// Records which methods of a `#[vtable]` trait an implementation defines:
/// every method `foo` gets a constant `HAS_FOO` (`false` in the trait,
/// `true` in an impl that defines it), so code building a C operations
/// table can leave the missing callbacks NULL.
///
/// # Examples
///
/// ```ignore
/// use kernel::prelude::*;
///
/// #[vtable]
/// pub trait Operations {
///     fn open() -> Result;
///     fn flush() -> Result {
///         Err(EINVAL)
///     }
/// }
///
/// struct Dev;
///
/// #[vtable]
/// impl Operations for Dev {
///     fn open() -> Result {
///         Ok(())
///     }
/// }
///
/// assert!(<Dev as Operations>::HAS_OPEN);
/// assert!(!<Dev as Operations>::HAS_FLUSH);
/// ```
#[proc_macro_attribute]
pub fn vtable(args: TokenStream, input: TokenStream) -> TokenStream {
    let run = || -> syn::Result<proc_macro2::TokenStream> {
        vtable::check_args(args.into())?;
        vtable::expand(syn::parse(input)?)
    };
    match run() {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Turns a module of `#[test]` functions into a KUnit suite named by the
/// argument, run at boot (built in) or when the module loads. Inside the
/// tests, `assert!` and `assert_eq!` report to KUnit.
///
/// ```ignore
/// #[kunit_tests(rust_example)]
/// mod tests {
///     #[test]
///     fn addition_works() {
///         assert_eq!(1 + 1, 2);
///     }
/// }
/// ```
#[proc_macro_attribute]
pub fn kunit_tests(args: TokenStream, input: TokenStream) -> TokenStream {
    let run = || -> syn::Result<proc_macro2::TokenStream> {
        kunit::expand(syn::parse(args)?, syn::parse(input)?)
    };
    match run() {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}
