// SPDX-License-Identifier: GPL-2.0
/*
 * Exports every symbol defined by the Rust support crates and the C helpers,
 * so that loadable Rust modules can link against them. The lists are
 * generated from the objects by `nm` (see rust/Makefile).
 *
 * The symbols are declared here with a dummy type: only their addresses are
 * taken, by EXPORT_SYMBOL_GPL.
 */

#include <linux/export.h>

#define RKAL_EXPORT(sym) extern int sym; EXPORT_SYMBOL_GPL(sym)

#include "exports_core_generated.h"
#include "exports_helpers_generated.h"
#include "exports_bindings_generated.h"
#include "exports_pinned_init_generated.h"
#include "exports_kernel_generated.h"

#ifdef CONFIG_RUST_BUILD_ASSERT_ALLOW
RKAL_EXPORT(rust_build_error);
#endif
