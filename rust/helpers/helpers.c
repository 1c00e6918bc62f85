// SPDX-License-Identifier: GPL-2.0
/*
 * C helpers: out-of-line wrappers for static inline functions and macros,
 * which Rust cannot call directly. One file per C subsystem, all built as
 * this one object. Each `rust_helper_<name>` is made visible to Rust as
 * `bindings::<name>` (see rust/Makefile), and exported for modules by
 * rust/exports.c.
 *
 * Each helper is also compiled to LLVM bitcode (helpers.bc, and
 * helpers_module.bc with -DMODULE) and linked, internalized, into every Rust
 * object, where LLVM inlines it: C's own code at the Rust call site, its
 * constants folded (see rust/Makefile and scripts/kbuild/rust-inline.mk).
 * `__rust_helper` makes that possible: `__always_inline` overrides the
 * attribute mismatches (target CPU and features, null-pointer checks,
 * no-builtin lists) that would otherwise keep LLVM from inlining C into
 * Rust. With the kernel's GNU89 `inline`, the function is still emitted
 * out of line, for helpers.o. bindgen sees plain declarations.
 */

#ifdef __BINDGEN__
#define __rust_helper
#else
#define __rust_helper __always_inline
#endif

/* Generated from atomics.tbl (scripts/gen_atomics.py), in the object tree. */
#include "atomic_helpers_generated.h"
#include "alloc.c"
#include "barrier.c"
#include "blk.c"
#include "cpu.c"
#include "device.c"
#include "dma.c"
#include "err.c"
#include "fs.c"
#include "io.c"
#include "kunit.c"
#include "mm.c"
#include "mutex.c"
#include "pci.c"
#include "rcu.c"
#include "bug.c"
#include "task.c"
#include "refcount.c"
#include "spinlock.c"
#include "wait.c"
#include "workqueue.c"
#include "uaccess.c"
