// SPDX-License-Identifier: GPL-2.0

//! `#[kunit_tests(suite)]`: a module of `#[test]` functions as a KUnit suite.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{parse_quote, Ident, Item, ItemFn, ItemMod};

/// Expands `#[kunit_tests(suite)]` on `module`.
pub(crate) fn expand(suite: Ident, mut module: ItemMod) -> syn::Result<TokenStream> {
    if suite.to_string().len() >= 256 {
        return Err(syn::Error::new(
            suite.span(),
            "KUnit suite names are at most 255 bytes",
        ));
    }
    let Some((_, items)) = module.content.as_mut() else {
        return Err(syn::Error::new_spanned(
            &module,
            "#[kunit_tests] needs an inline module: `mod tests { ... }`",
        ));
    };

    let mut tests: Vec<Ident> = Vec::new();
    for item in items.iter_mut() {
        if let Item::Fn(f) = item {
            let before = f.attrs.len();
            f.attrs.retain(|a| !a.path().is_ident("test"));
            if f.attrs.len() != before {
                redirect_asserts(f, &suite);
                tests.push(f.sig.ident.clone());
            }
        }
    }
    if tests.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "#[kunit_tests] module has no #[test] function",
        ));
    }

    let wrappers: Vec<Ident> = tests
        .iter()
        .map(|t| format_ident!("kunit_rust_wrapper_{}", t))
        .collect();
    let names: Vec<String> = tests.iter().map(|t| t.to_string()).collect();
    let count = tests.len() + 1;
    let cases = format_ident!("__KUNIT_CASES_{}", suite.to_string().to_uppercase());

    for (w, t) in wrappers.iter().zip(&tests) {
        items.push(parse_quote! {
            /// KUnit entry point of the test of the same name.
            unsafe extern "C" fn #w(_test: *mut ::kernel::bindings::kunit) {
                #t();
            }
        });
    }
    items.push(parse_quote! {
        static mut #cases: [::kernel::bindings::kunit_case; #count] = [
            #(::kernel::kunit::kunit_case(::kernel::c_str!(#names), #wrappers),)*
            ::kernel::kunit::kunit_case_null(),
        ];
    });
    items.push(parse_quote! {
        ::kernel::kunit_unsafe_test_suite!(#suite, #cases);
    });
    module.attrs.push(parse_quote!(#[cfg(CONFIG_KUNIT)]));
    Ok(quote!(#module))
}

/// Makes `assert!` and `assert_eq!` in a test report to KUnit instead of
/// panicking the kernel.
fn redirect_asserts(f: &mut ItemFn, suite: &Ident) {
    let name = format!("{}::{}", suite, f.sig.ident);
    let body = &f.block;
    f.block = parse_quote!({
        #[allow(unused_macros)]
        macro_rules! assert {
            ($cond:expr $(,)?) => {
                ::kernel::kunit_assert!(#name, file!(), line!() as i32, $cond)
            };
        }
        #[allow(unused_macros)]
        macro_rules! assert_eq {
            ($left:expr, $right:expr $(,)?) => {
                ::kernel::kunit_assert_eq!(#name, file!(), line!() as i32, $left, $right)
            };
        }
        #body
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(attr: &str, src: &str) -> syn::Result<String> {
        expand(syn::parse_str(attr)?, syn::parse_str(src)?).map(|t| t.to_string())
    }

    #[test]
    fn registers_each_test_and_a_terminator() {
        let out = run(
            "my_suite",
            "mod tests { #[test] fn a() {} #[test] fn b() {} fn helper() {} }",
        )
        .unwrap();
        assert!(out.contains("kunit_rust_wrapper_a"));
        assert!(out.contains("kunit_rust_wrapper_b"));
        assert!(!out.contains("kunit_rust_wrapper_helper"));
        assert!(out.contains("kunit_case_null"));
        assert!(out.contains("; 3usize]") || out.contains("; 3]"));
        assert!(out.contains("kunit_unsafe_test_suite"));
    }

    #[test]
    fn redirects_asserts_to_kunit() {
        let out = run("s", "mod t { #[test] fn a() { assert!(true); } }").unwrap();
        assert!(out.contains("kunit_assert"));
        assert!(out.contains("\"s::a\""));
    }

    #[test]
    fn rejects_modules_without_tests_or_body() {
        assert!(run("s", "mod t { fn a() {} }").is_err());
        assert!(run("s", "mod t;").is_err());
    }
}
