// SPDX-License-Identifier: GPL-2.0
/*
 * C helpers: out-of-line wrappers for static inline functions and macros,
 * which Rust cannot call directly. One file per C subsystem, all built as
 * this one object. Each `rust_helper_<name>` is made visible to Rust as
 * `bindings::<name>` (see rust/Makefile), and exported for modules by
 * rust/exports.c.
 */

#include "alloc.c"
#include "blk.c"
#include "device.c"
#include "err.c"
#include "fs.c"
#include "kunit.c"
#include "mm.c"
#include "mutex.c"
#include "bug.c"
#include "task.c"
#include "refcount.c"
#include "spinlock.c"
#include "wait.c"
#include "uaccess.c"
