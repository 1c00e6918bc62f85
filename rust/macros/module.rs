// SPDX-License-Identifier: GPL-2.0

//! `module!`: parsing of the key/value block and the code it expands to.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{
    bracketed,
    parse::{Parse, ParseStream},
    punctuated::Punctuated,
    Ident, LitStr, Token, Type,
};

/// What a `module!` invocation declares.
pub(crate) struct ModuleInfo {
    pub(crate) ty: Type,
    pub(crate) name: LitStr,
    pub(crate) authors: Vec<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) license: LitStr,
    pub(crate) aliases: Vec<LitStr>,
    pub(crate) firmware: Vec<LitStr>,
}

fn string_list(input: ParseStream<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    bracketed!(content in input);
    Ok(Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?
        .into_iter()
        .collect())
}

impl Parse for ModuleInfo {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut ty = None;
        let mut name: Option<LitStr> = None;
        let mut authors = Vec::new();
        let mut description = None;
        let mut license = None;
        let mut aliases = Vec::new();
        let mut firmware = Vec::new();
        let mut seen: Vec<String> = Vec::new();

        while !input.is_empty() {
            let key: Ident = if input.peek(Token![type]) {
                let t: Token![type] = input.parse()?;
                Ident::new("type", t.span)
            } else {
                input.parse()?
            };
            let k = key.to_string();
            if seen.contains(&k) {
                return Err(syn::Error::new(key.span(), format!("duplicate key `{k}`")));
            }
            input.parse::<Token![:]>()?;
            match k.as_str() {
                "type" => ty = Some(input.parse()?),
                "name" => name = Some(input.parse()?),
                "author" => authors.push(input.parse()?),
                "authors" => authors.extend(string_list(input)?),
                "description" => description = Some(input.parse()?),
                "license" => license = Some(input.parse()?),
                "alias" => aliases.extend(string_list(input)?),
                "firmware" => firmware.extend(string_list(input)?),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown key `{k}`; expected one of: type, name, author, authors, \
                             description, license, alias, firmware"
                        ),
                    ))
                }
            }
            seen.push(k);
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }

        let missing =
            |what: &str| syn::Error::new(Span::call_site(), format!("missing key `{what}`"));
        let name = name.ok_or_else(|| missing("name"))?;
        let n = name.value();
        if n.is_empty()
            || !n
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(syn::Error::new(
                name.span(),
                "module name must be non-empty and made of ASCII letters, digits, `_` and `-`",
            ));
        }
        Ok(ModuleInfo {
            ty: ty.ok_or_else(|| missing("type"))?,
            name,
            authors,
            description,
            license: license.ok_or_else(|| missing("license"))?,
            aliases,
            firmware,
        })
    }
}

/// The `.modinfo` strings, each as `key=value`, in the order they are emitted.
pub(crate) fn modinfo_entries(info: &ModuleInfo) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    for a in &info.authors {
        v.push(("author", a.value()));
    }
    if let Some(d) = &info.description {
        v.push(("description", d.value()));
    }
    v.push(("license", info.license.value()));
    for a in &info.aliases {
        v.push(("alias", a.value()));
    }
    for f in &info.firmware {
        v.push(("firmware", f.value()));
    }
    v
}

/// One `.modinfo` string as the loader reads it. Loadable modules use
/// `key=value`; built-in ones are all in vmlinux and prefix `module.`.
pub(crate) fn modinfo_bytes(module: &str, key: &str, value: &str, builtin: bool) -> Vec<u8> {
    let mut s = if builtin {
        format!("{}.{key}={value}", module.replace('-', "_"))
    } else {
        format!("{key}={value}")
    };
    s.push('\0');
    s.into_bytes()
}

fn modinfo_static(index: usize, bytes: &[u8], cfg: TokenStream) -> TokenStream {
    let ident = format_ident!("__MODINFO_{}", index);
    let len = bytes.len();
    let lit = syn::LitByteStr::new(bytes, Span::call_site());
    quote! {
        #cfg
        #[link_section = ".modinfo"]
        #[used(compiler)]
        static #ident: [u8; #len] = *#lit;
    }
}

/// The code `module!` expands to. `modfile` is the object being built, which
/// built-in modules record.
pub(crate) fn expand(info: &ModuleInfo, modfile: &str) -> TokenStream {
    let ty = &info.ty;
    let name = info.name.value();
    let c_name = name.replace('-', "_");
    let mut prefix = name.clone().into_bytes();
    prefix.push(0);
    let log_prefix = syn::LitByteStr::new(&prefix, Span::call_site());

    let mut statics = TokenStream::new();
    let mut i = 0;
    for (key, value) in modinfo_entries(info) {
        statics.extend(modinfo_static(
            i,
            &modinfo_bytes(&name, key, &value, false),
            quote!(#[cfg(MODULE)]),
        ));
        i += 1;
        statics.extend(modinfo_static(
            i,
            &modinfo_bytes(&name, key, &value, true),
            quote!(#[cfg(not(MODULE))]),
        ));
        i += 1;
    }
    if !modfile.is_empty() {
        statics.extend(modinfo_static(
            i,
            &modinfo_bytes(&name, "file", modfile, true),
            quote!(#[cfg(not(MODULE))]),
        ));
    }

    let init_fn = format_ident!("__{}_init", c_name);
    let exit_fn = format_ident!("__{}_exit", c_name);
    let initcall = format_ident!("__{}_initcall", c_name);
    let initcall_asm = format!(
        ".section \".initcall6.init\", \"a\"\n{initcall}:\n    .long {init_fn} - .\n.previous"
    );

    quote! {
        // `#[pin_data]` and friends expand to paths through `pinned_init`,
        // which Kbuild does not pass as `--extern`; an `extern crate` at the
        // crate root (found through `-L`) puts it in the extern prelude.
        #[allow(unused_extern_crates)]
        extern crate pinned_init;

        /// The module's log prefix, used by the `pr_*!` macros.
        const __LOG_PREFIX: &[u8] = #log_prefix;

        /// The module's type, under a name macros expanded in the module
        /// can refer to (`module_firmware!`, as upstream's).
        #[allow(dead_code)]
        type LocalModule = #ty;

        impl ::kernel::ModuleMetadata for #ty {
            const NAME: &'static ::kernel::str::CStr = ::kernel::c_str!(#name);
        }

        /// This module, as the kernel knows it (null when built in).
        #[cfg(MODULE)]
        static THIS_MODULE: ::kernel::ThisModule = {
            extern "C" {
                static __this_module: ::kernel::types::Opaque<::kernel::bindings::module>;
            }
            // SAFETY: `__this_module` is the `struct module` the module
            // loader creates for this object; it lives as long as the code
            // that can observe `THIS_MODULE`.
            unsafe { ::kernel::ThisModule::from_ptr(__this_module.get()) }
        };

        /// This module, as the kernel knows it (null when built in).
        #[cfg(not(MODULE))]
        static THIS_MODULE: ::kernel::ThisModule =
            // SAFETY: a null pointer stands for "built into vmlinux".
            unsafe { ::kernel::ThisModule::from_ptr(::core::ptr::null_mut()) };

        #[doc(hidden)]
        mod __module_glue {
            use super::*;

            /// The module's state between init and exit.
            static __MODULE_STATE: ::kernel::module::ModuleState<#ty> =
                ::kernel::module::ModuleState::new();

            fn __init() -> ::kernel::ffi::c_int {
                // SAFETY: called once, from the module's init entry point,
                // before any call to `__exit`.
                unsafe { __MODULE_STATE.init(&super::THIS_MODULE) }
            }

            fn __exit() {
                // SAFETY: called once, from the module's exit entry point,
                // after `__init` succeeded (the loader does not call exit
                // after a failed init).
                unsafe { __MODULE_STATE.exit(&super::THIS_MODULE) }
            }

            /// Entry point the module loader calls.
            #[cfg(MODULE)]
            #[no_mangle]
            #[link_section = ".init.text"]
            pub extern "C" fn init_module() -> ::kernel::ffi::c_int {
                __init()
            }

            /// Keeps `init_module` referenced, as C's `module_init()` does.
            #[cfg(MODULE)]
            #[used(compiler)]
            #[link_section = ".init.data"]
            static __UNIQUE_ID___addressable_init_module: extern "C" fn() -> ::kernel::ffi::c_int =
                init_module;

            /// Exit point the module loader calls on unload.
            #[cfg(MODULE)]
            #[no_mangle]
            #[link_section = ".exit.text"]
            pub extern "C" fn cleanup_module() {
                __exit()
            }

            /// Keeps `cleanup_module` referenced, as C's `module_exit()` does.
            #[cfg(MODULE)]
            #[used(compiler)]
            #[link_section = ".exit.data"]
            static __UNIQUE_ID___addressable_cleanup_module: extern "C" fn() = cleanup_module;

            /// Built-in entry point, run from the initcall below.
            #[cfg(not(MODULE))]
            #[no_mangle]
            #[link_section = ".init.text"]
            pub extern "C" fn #init_fn() -> ::kernel::ffi::c_int {
                __init()
            }

            /// Built-in exit point; only reachable if the kernel tears
            /// built-in code down, which it does not today.
            #[cfg(not(MODULE))]
            #[no_mangle]
            pub extern "C" fn #exit_fn() {
                __exit()
            }

            // With PREL32 relocations an initcall entry is a 32-bit offset
            // to the function, which only assembly can express.
            #[cfg(all(not(MODULE), CONFIG_HAVE_ARCH_PREL32_RELOCATIONS))]
            ::core::arch::global_asm!(#initcall_asm);

            #[cfg(all(not(MODULE), not(CONFIG_HAVE_ARCH_PREL32_RELOCATIONS)))]
            #[link_section = ".initcall6.init"]
            #[used(compiler)]
            static #initcall: extern "C" fn() -> ::kernel::ffi::c_int = #init_fn;

            #statics
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> syn::Result<ModuleInfo> {
        syn::parse_str(src)
    }

    #[test]
    fn parses_all_keys_in_any_order() {
        let m = parse(
            r#"license: "GPL", type: Foo, name: "foo", author: "A", description: "D",
               alias: ["x", "y"], firmware: ["fw.bin"],"#,
        )
        .unwrap();
        assert_eq!(m.name.value(), "foo");
        assert_eq!(m.authors.len(), 1);
        assert_eq!(
            m.aliases.iter().map(|a| a.value()).collect::<Vec<_>>(),
            ["x", "y"]
        );
        assert_eq!(m.firmware[0].value(), "fw.bin");
    }

    #[test]
    fn authors_list_and_author_both_accumulate() {
        let m = parse(r#"type: Foo, name: "foo", authors: ["A", "B"], license: "GPL""#).unwrap();
        assert_eq!(
            m.authors.iter().map(|a| a.value()).collect::<Vec<_>>(),
            ["A", "B"]
        );
    }

    #[test]
    fn rejects_missing_license() {
        let err = parse(r#"type: Foo, name: "foo""#).err().unwrap();
        assert!(err.to_string().contains("missing key `license`"));
    }

    #[test]
    fn rejects_unknown_key() {
        let err = parse(r#"type: Foo, name: "foo", licence: "GPL""#)
            .err()
            .unwrap();
        assert!(err.to_string().contains("unknown key `licence`"));
    }

    #[test]
    fn rejects_duplicate_key() {
        let err = parse(r#"type: Foo, name: "foo", name: "bar", license: "GPL""#)
            .err()
            .unwrap();
        assert!(err.to_string().contains("duplicate key `name`"));
    }

    #[test]
    fn rejects_bad_module_name() {
        assert!(parse(r#"type: Foo, name: "foo bar", license: "GPL""#).is_err());
        assert!(parse(r#"type: Foo, name: "", license: "GPL""#).is_err());
    }

    #[test]
    fn modinfo_is_nul_terminated_and_prefixed_when_built_in() {
        assert_eq!(
            modinfo_bytes("foo-bar", "license", "GPL", false),
            b"license=GPL\0"
        );
        assert_eq!(
            modinfo_bytes("foo-bar", "license", "GPL", true),
            b"foo_bar.license=GPL\0"
        );
    }

    #[test]
    fn modinfo_lists_every_author_and_alias() {
        let m = parse(
            r#"type: Foo, name: "foo", authors: ["A", "B"], description: "D", license: "GPL",
               alias: ["x"]"#,
        )
        .unwrap();
        let keys: Vec<_> = modinfo_entries(&m).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            ["author", "author", "description", "license", "alias"]
        );
    }

    #[test]
    fn expansion_defines_entry_points_and_log_prefix() {
        let m = parse(r#"type: Foo, name: "foo", license: "GPL""#).unwrap();
        let out = expand(&m, "drivers/foo.o").to_string();
        assert!(out.contains("init_module"));
        assert!(out.contains("cleanup_module"));
        assert!(out.contains("__foo_init"));
        assert!(out.contains("__LOG_PREFIX"));
        assert!(out.contains(".initcall6.init"));
    }
}
