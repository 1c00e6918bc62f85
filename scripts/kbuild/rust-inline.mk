# SPDX-License-Identifier: GPL-2.0
#
# Cross-language inlining: every Rust object is compiled to LLVM bitcode,
# linked with the C helpers' bitcode (rust/helpers/helpers*.bc), whose
# definitions are internalized (local to the object), and compiled to the
# object by clang with the kernel's C flags. LLVM then inlines the helpers
# (each `__rust_helper`, i.e. `__always_inline`) into the Rust code: C's own
# instructions at the call site, constants folded, registers free, and
# whatever the C flags instrument or patch (alternatives, `.smp_locks`,
# sanitizers) comes along. The Rust and C bitcode must come from one LLVM:
# scripts/setup.sh makes clang rustc's LLVM.
#
# Included by the scripts/Makefile.build that scripts/tree.sh lays over the
# stock one (so modules, samples, doctests and M= modules all get it) and by
# rust/Makefile (for the kernel crate).

LLVM_LINK ?= llvm-link

# rust_inline_helpers: turns $(@:.o=.bc), as rustc emitted it, into $@.
#   $(1): the helpers' bitcode to link in.
# The Rust bitcode goes first: llvm-link --internalize keeps the first
# file's symbols and internalizes every later one. clang needs the code
# model and PIE setting again (they are not taken from the bitcode), and
# -O2, which runs the inliner and the clean-up after it.
rust_inline_helpers = \
	$(LLVM_LINK) --internalize --suppress-warnings $(@:.o=.bc) $(1) -o $(@:.o=.m.bc); \
	$(CC) $(CLANG_FLAGS) $(KBUILD_CFLAGS) -Wno-override-module -c $(@:.o=.m.bc) -o $@; \
	rm -f $(@:.o=.bc) $(@:.o=.m.bc)

# The stock rule (scripts/Makefile.build) with the bitcode step in between.
rust_helpers_bc = $(objtree)/rust/helpers/helpers$(if $(part-of-module),_module).bc

cmd_rustc_o_rs = \
	$(rust_common_cmd) --emit=llvm-bc=$(@:.o=.bc) $<; \
	$(call rust_inline_helpers,$(rust_helpers_bc)) \
	$(cmd_objtool)
