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

LLVM_LINK ?= $(LLVM_PREFIX)llvm-link$(LLVM_SUFFIX)
LLVM_OPT ?= $(LLVM_PREFIX)opt$(LLVM_SUFFIX)

# KASAN. C's objects are instrumented once, at the end of the optimiser,
# after inlining: a helper inlined into a C caller is checked with the
# caller's registers and the shadow base hoisted as for any C access. For
# Rust to get the same, nothing may be instrumented before the helpers are
# in: rustc emits the bitcode without its sanitizer (RUSTFLAGS_KASAN is
# dropped; the ABI check that -Zsanitizer is a target modifier for is
# waived, the final object is instrumented all the same), the Rust functions
# are marked `sanitize_address` as rustc would have marked them, and the
# final clang runs KASAN with C's own flags (CFLAGS_KASAN) over Rust and
# helpers together. An object built with KASAN_SANITIZE := n has no
# RUSTFLAGS_KASAN, so nothing is instrumented, as for C.
rust_inline_kasan = $(if $(filter -Zsanitizer=kernel-address,$(rust_flags)),y)
rust_inline_drop_flags = $(if $(rust_inline_kasan),$(RUSTFLAGS_KASAN))

# KASAN for Rust only (CONFIG_RKAL_KASAN_RUST_ONLY, make test's kernel): in
# a directory whose Makefile does not set KASAN_SANITIZE, an object is
# instrumented when it is built from Rust, and not when it is built from C
# (Kbuild expands the flags per target, when $< is the source). A Makefile's
# own KASAN_SANITIZE or KASAN_SANITIZE_<obj>.o still decides. The helpers
# are C, so they are built twice (rust/Makefile): plain for uninstrumented
# Rust objects, and instrumented (helpers*_kasan.bc) for the others, so
# that a Rust atomic or C accessor inlined into instrumented Rust is checked
# (kasan_check_*() before the access) as it is in instrumented C.
ifdef CONFIG_RKAL_KASAN_RUST_ONLY
ifeq ($(origin KASAN_SANITIZE),undefined)
KASAN_SANITIZE = $(if $(filter %.rs,$<),y,n)
endif
endif

# The helpers' own callees. A helper is `__always_inline`, which LLVM
# inlines whatever the two functions' attributes say; the C functions it
# calls in turn (`init_completion()`, `readl()`, `get_task_struct()`: plain
# `static inline`) are inlined only into a caller with compatible
# attributes, and a Rust function had two that are not: its CPU
# (rustc's "generic", clang's "x86-64" or the -march of the config) and
# clang's `no-builtin-wcslen` (-fno-builtin-wcslen, which rust/Makefile
# leaves out of the helpers' bitcode: they call no wcslen()). So Rust
# objects are built for C's CPU.
rust_inline_cpu = $(or $(patsubst -march=%,%,$(lastword $(filter -march=%,$(KBUILD_CFLAGS)))),x86-64)
# rustc records -Zsanitizer as part of a crate's ABI and refuses to link
# crates that differ: waived for every object under KASAN (rustc emits
# without its sanitizer, above), and for every Rust object under
# CONFIG_RKAL_KASAN_RUST_ONLY, where a Rust module left uninstrumented
# (KASAN_SANITIZE := n) uses the instrumented kernel crate. Generic KASAN
# changes no calling convention: it checks accesses inside a function
# against shadow memory, so instrumented and uninstrumented code call each
# other freely, as C files built with and without it do.
rust_inline_add_flags = $(if $(or $(rust_inline_kasan),$(CONFIG_RKAL_KASAN_RUST_ONLY)),-Cunsafe-allow-abi-mismatch=sanitizer) \
	$(if $(filter x86,$(SRCARCH)),-Ctarget-cpu=$(rust_inline_cpu))

# Function attributes that C's front end sets from a C flag and rustc has
# no flag for, set on the Rust functions (only) before linking:
#   - sanitize_address, under KASAN (above);
#   - "disable-tail-calls", when C is built with -fno-optimize-sibling-calls
#     (CONFIG_FRAME_POINTER: every caller stays in the stack trace). Without
#     it a Rust function ends in `jmp callee` where C has `call; ret`.
rust_inline_attrs = $(if $(rust_inline_kasan),-force-attribute=sanitize_address) \
	$(if $(filter -fno-optimize-sibling-calls,$(KBUILD_CFLAGS)),--disable-tail-calls)

# rust_inline_helpers: turns $(@:.o=.bc), as rustc emitted it, into $@.
#   $(1): the helpers' bitcode to link in.
# The Rust bitcode goes first: llvm-link --internalize keeps the first
# file's symbols and internalizes every later one. clang needs the code
# model and PIE setting again (they are not taken from the bitcode), and
# -O2, which runs the inliner and the clean-up after it.
rust_inline_helpers = \
	$(if $(strip $(rust_inline_attrs)), \
		$(LLVM_OPT) -passes=forceattrs $(rust_inline_attrs) \
			$(@:.o=.bc) -o $(@:.o=.a.bc) && mv -f $(@:.o=.a.bc) $(@:.o=.bc);) \
	$(LLVM_LINK) --internalize --suppress-warnings $(@:.o=.bc) $(1) -o $(@:.o=.m.bc); \
	$(CC) $(CLANG_FLAGS) $(KBUILD_CFLAGS) $(if $(rust_inline_kasan),$(CFLAGS_KASAN)) \
		-Wno-override-module -c $(@:.o=.m.bc) -o $@; \
	rm -f $(@:.o=.bc) $(@:.o=.m.bc)

# The stock rule (scripts/Makefile.build) with the bitcode step in between.
rust_helpers_bc = $(objtree)/rust/helpers/helpers$(if $(part-of-module),_module)$(if \
	$(CONFIG_RKAL_KASAN_RUST_ONLY),$(if $(rust_inline_kasan),_kasan)).bc

cmd_rustc_o_rs = \
	$(filter-out $(rust_inline_drop_flags),$(rust_common_cmd)) $(rust_inline_add_flags) \
		--emit=llvm-bc=$(@:.o=.bc) $<; \
	$(call rust_inline_helpers,$(rust_helpers_bc)) \
	$(cmd_objtool)
