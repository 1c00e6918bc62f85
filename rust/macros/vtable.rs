// SPDX-License-Identifier: GPL-2.0

//! `#[vtable]`: which optional methods of an operations trait an
//! implementation provides.
//!
//! C operation tables (`struct file_operations`, ...) leave unimplemented
//! callbacks NULL. A Rust trait for them marks itself `#[vtable]`; every
//! method `foo` then gets a constant `HAS_FOO`, `false` in the trait and
//! `true` in each `#[vtable]` impl that defines `foo`, so the code building
//! the C table can leave out what the driver did not write.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{parse_quote, Ident, ImplItem, Item, TraitItem};

fn has_const(name: &Ident) -> Ident {
    Ident::new(
        &format!("HAS_{}", name.to_string().to_uppercase()),
        name.span(),
    )
}

/// Expands `#[vtable]` on a trait or an impl.
pub(crate) fn expand(item: Item) -> syn::Result<TokenStream> {
    match item {
        Item::Trait(mut t) => {
            let mut consts = Vec::new();
            let existing: Vec<String> = t
                .items
                .iter()
                .filter_map(|i| match i {
                    TraitItem::Const(c) => Some(c.ident.to_string()),
                    _ => None,
                })
                .collect();
            for i in &t.items {
                if let TraitItem::Fn(f) = i {
                    let c = has_const(&f.sig.ident);
                    if existing.contains(&c.to_string()) {
                        continue;
                    }
                    let doc = format!("Whether the implementation defines `{}`.", f.sig.ident);
                    consts.push(parse_quote! {
                        #[doc = #doc]
                        const #c: bool = false;
                    });
                }
            }
            t.items.extend(consts);
            t.items.push(parse_quote! {
                /// Marks traits and impls that went through `#[vtable]`.
                const USE_VTABLE_ATTR: ();
            });
            t.items.push(parse_quote! {
                /// The module whose code implements the trait (null for code
                /// in the kernel image): the `owner` a C operations table
                /// built from the implementation names, so that the module
                /// stays loaded while C may call into it. Set by `#[vtable]`
                /// on the impl, in the implementing crate; an impl without
                /// it needs `unsafe` (`ThisModule::from_ptr`) to set it.
                #[doc(hidden)]
                const VTABLE_OWNER: ::kernel::ThisModule;
            });
            Ok(t.into_token_stream())
        }
        Item::Impl(mut im) => {
            let existing: Vec<String> = im
                .items
                .iter()
                .filter_map(|i| match i {
                    ImplItem::Const(c) => Some(c.ident.to_string()),
                    _ => None,
                })
                .collect();
            let mut consts = Vec::new();
            for i in &im.items {
                if let ImplItem::Fn(f) = i {
                    let c = has_const(&f.sig.ident);
                    if existing.contains(&c.to_string()) {
                        continue;
                    }
                    consts.push(parse_quote!(const #c: bool = true;));
                }
            }
            im.items.extend(consts);
            im.items.push(parse_quote!(
                const USE_VTABLE_ATTR: () = ();
            ));
            // Expanded in the implementing crate, so `cfg(MODULE)` says
            // whether that crate is a loadable module, whose `struct module`
            // is `__this_module` (defined by modpost's `.mod.c`).
            im.items.push(parse_quote! {
                #[doc(hidden)]
                const VTABLE_OWNER: ::kernel::ThisModule = {
                    #[cfg(MODULE)]
                    let owner = {
                        extern "C" {
                            static __this_module:
                                ::kernel::types::Opaque<::kernel::bindings::module>;
                        }
                        (&raw const __this_module)
                            .cast::<::kernel::bindings::module>()
                            .cast_mut()
                    };
                    #[cfg(not(MODULE))]
                    let owner = ::core::ptr::null_mut();
                    // SAFETY: expanded in the crate of the impl: `owner` is
                    // that module's `struct module` (modpost defines
                    // `__this_module` for it), or null in the kernel image.
                    unsafe { ::kernel::ThisModule::from_ptr(owner) }
                };
            });
            Ok(im.into_token_stream())
        }
        other => Err(syn::Error::new_spanned(
            other,
            "#[vtable] applies to a trait or to an impl of one",
        )),
    }
}

/// Rejects arguments: `#[vtable]` takes none.
pub(crate) fn check_args(args: TokenStream) -> syn::Result<()> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(syn::Error::new(
            Span::call_site(),
            "#[vtable] takes no arguments",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn trait_gets_false_constants_and_marker() {
        let t: Item = syn::parse_str("trait Ops { fn open(); fn read(&self) -> u32; }").unwrap();
        let out = expand(t).unwrap().to_string();
        assert!(out.contains("const HAS_OPEN : bool = false"));
        assert!(out.contains("const HAS_READ : bool = false"));
        assert!(out.contains("const USE_VTABLE_ATTR : ()"));
    }

    #[test]
    fn impl_gets_true_constants_only_for_defined_methods() {
        let i: Item = syn::parse_str("impl Ops for Dev { fn open() {} }").unwrap();
        let out = expand(i).unwrap().to_string();
        assert!(out.contains("const HAS_OPEN : bool = true"));
        assert!(!out.contains("HAS_READ"));
        assert!(out.contains("const USE_VTABLE_ATTR : () = ()"));
        assert!(out.contains("const VTABLE_OWNER"));
        assert!(out.contains("__this_module"));
    }

    #[test]
    fn explicit_constants_are_kept() {
        let i: Item =
            syn::parse_str("impl Ops for Dev { const HAS_OPEN: bool = false; fn open() {} }")
                .unwrap();
        let out = expand(i).unwrap().to_string();
        assert_eq!(out.matches("HAS_OPEN").count(), 1);
    }

    #[test]
    fn rejects_other_items() {
        let s: Item = syn::parse_str("struct S;").unwrap();
        assert!(expand(s).is_err());
        assert!(check_args(quote!(x)).is_err());
    }
}
