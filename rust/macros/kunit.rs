// SPDX-License-Identifier: GPL-2.0

//! `#[kunit_tests(suite)]`: a module of `#[test]` functions as a KUnit suite.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{parse_quote, Attribute, Ident, Item, ItemFn, ItemMod};

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

    // Each test with the `#[cfg]`s it carries: a test compiled out leaves
    // no wrapper and no case behind.
    let mut tests: Vec<(Ident, Vec<Attribute>)> = Vec::new();
    for item in items.iter_mut() {
        if let Item::Fn(f) = item {
            let before = f.attrs.len();
            f.attrs.retain(|a| !a.path().is_ident("test"));
            if f.attrs.len() != before {
                redirect_asserts(f, &suite);
                let cfgs = f
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("cfg"))
                    .cloned()
                    .collect();
                tests.push((f.sig.ident.clone(), cfgs));
            }
        }
    }
    if tests.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "#[kunit_tests] module has no #[test] function",
        ));
    }

    let count = tests.len() + 1;
    let cases = format_ident!("__KUNIT_CASES_{}", suite.to_string().to_uppercase());
    let mut fills = Vec::new();

    for (t, cfgs) in &tests {
        let w = format_ident!("kunit_rust_wrapper_{}", t);
        let name = t.to_string();
        let full = format!("{suite}::{t}");
        items.push(parse_quote! {
            /// KUnit entry point of the test of the same name. A returned
            /// `Err` fails the test.
            #(#cfgs)*
            unsafe extern "C" fn #w(_test: *mut ::kernel::bindings::kunit) {
                ::kernel::kunit::check_test_result(
                    ::kernel::c_str!(::core::file!()),
                    ::core::line!() as i32,
                    #full,
                    #t(),
                );
            }
        });
        fills.push(quote! {
            #(#cfgs)*
            let _ = {
                cases[i] = ::kernel::kunit::kunit_case(::kernel::c_str!(#name), #w);
                i += 1;
            };
        });
    }
    items.push(parse_quote! {
        static mut #cases: [::kernel::bindings::kunit_case; #count] = {
            const NULL: ::kernel::bindings::kunit_case = ::kernel::kunit::kunit_case_null();
            // Unused entries stay null: KUnit stops at the first one.
            let mut cases = [NULL; #count];
            let mut i = 0usize;
            #(#fills)*
            let _ = i;
            cases
        };
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
            ($cond:expr, $($arg:tt)+) => {
                ::kernel::kunit_assert!(#name, file!(), line!() as i32, $cond, $($arg)+)
            };
        }
        #[allow(unused_macros)]
        macro_rules! assert_eq {
            ($left:expr, $right:expr $(,)?) => {
                ::kernel::kunit_assert_eq!(#name, file!(), line!() as i32, $left, $right)
            };
            ($left:expr, $right:expr, $($arg:tt)+) => {
                ::kernel::kunit_assert_eq!(#name, file!(), line!() as i32, $left, $right, $($arg)+)
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
        assert!(out.contains("check_test_result"));
        assert!(out.contains("kunit_unsafe_test_suite"));
    }

    #[test]
    fn redirects_asserts_to_kunit() {
        let out = run("s", "mod t { #[test] fn a() { assert!(true); } }").unwrap();
        assert!(out.contains("kunit_assert"));
        assert!(out.contains("\"s::a\""));
    }

    #[test]
    fn cfg_of_a_test_guards_its_wrapper_and_case() {
        let out = run(
            "s",
            "mod t { #[test] #[cfg(any())] fn gone() {} #[test] fn kept() {} }",
        )
        .unwrap();
        // The wrapper and the case fill of `gone` carry its `#[cfg]`.
        let wrapper = out.find("fn kunit_rust_wrapper_gone").unwrap();
        assert!(out[..wrapper].rfind("cfg (any ())").is_some());
        assert_eq!(out.matches("cfg (any ())").count(), 3);
    }

    #[test]
    fn rejects_modules_without_tests_or_body() {
        assert!(run("s", "mod t { fn a() {} }").is_err());
        assert!(run("s", "mod t;").is_err());
    }
}
