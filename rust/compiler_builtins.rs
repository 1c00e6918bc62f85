// SPDX-License-Identifier: GPL-2.0

//! Stand-ins for the compiler's runtime library.
//!
//! rustc expects a `compiler_builtins` crate providing the routines LLVM
//! may call for operations the target cannot do inline. The kernel has no
//! such library for Rust; the few routines `core` references (128-bit
//! integer and soft-float arithmetic, renamed to `__rust<name>` in core.o by
//! rust/Makefile) are defined here to panic. Kernel code must not depend on
//! them: a reachable call is a bug that this makes loud instead of silent.
//! The symbols are made weak, so a real implementation would take over.

#![allow(missing_docs, internal_features)]
#![feature(compiler_builtins)]
#![compiler_builtins]
#![no_builtins]
#![no_std]

macro_rules! unreachable_intrinsics {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc(hidden)]
            #[no_mangle]
            pub extern "C" fn $name() {
                panic!(concat!(stringify!($name), " is not available in the kernel"));
            }
        )*
    };
}

unreachable_intrinsics! {
    __rust__addsf3, __rust__eqsf2, __rust__extendsfdf2, __rust__gesf2,
    __rust__lesf2, __rust__ltsf2, __rust__mulsf3, __rust__nesf2,
    __rust__truncdfsf2, __rust__unordsf2, __rust__adddf3, __rust__eqdf2,
    __rust__ledf2, __rust__ltdf2, __rust__muldf3, __rust__unorddf2,
    __rust__muloti4, __rust__multi3, __rust__udivmodti4, __rust__udivti3,
    __rust__umodti3,
}

#[cfg(target_arch = "arm")]
unreachable_intrinsics! {
    __aeabi_fadd, __aeabi_fmul, __aeabi_fcmpeq, __aeabi_fcmple, __aeabi_fcmplt,
    __aeabi_fcmpun, __aeabi_dadd, __aeabi_dmul, __aeabi_dcmple, __aeabi_dcmplt,
    __aeabi_dcmpun, __aeabi_uldivmod,
}

#[cfg(any(target_arch = "aarch64", target_arch = "riscv64"))]
unreachable_intrinsics! {
    __rust__ashrti3, __rust__ashlti3, __rust__lshrti3,
}
