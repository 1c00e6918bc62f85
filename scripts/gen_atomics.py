#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The one generator of the Rust atomics, from the kernel's atomics.tbl.

Every operation the table defines (with every ordering variant it defines)
becomes, for each C atomic type (atomic_t, atomic64_t, atomic_long_t):

  helpers a C helper `rust_helper_rkal_<variant>` calling the kernel's
          own API (`atomic_fetch_add_acquire(i, v)`, ...), `__rust_helper`,
          so that it is inlined into the Rust objects through LLVM (see
          scripts/kbuild/rust-inline.mk): Rust runs C's own code, constants
          folded, with no call;
  rust    the `kernel::sync::atomic` implementation: the repr traits, whose
          methods call those helpers, and the `Atomic<T>` methods that
          select the variant from the ordering type;
  c       C reference functions `rkal_c_<variant>` calling the same kernel
          API, compiled with the kernel's flags (nothing special), for
          `make atomics-check`;
  check   Rust functions `rkal_rs_<variant>` calling the public API, which
          scripts/atomics_check.py disassembles next to the C ones;
  rows    the `Rust | C | ordering` rows Documentation/rust/memory-model.rst
          must list (checked by `make test`);
  count   how many variants the table defines.

The narrow types (8- and 16-bit integers, bool) and pointers get what C
offers for any scalar: READ_ONCE/WRITE_ONCE, smp_load_acquire/
smp_store_release, and the xchg/cmpxchg/try_cmpxchg families.

Nothing here knows an instruction set: the compilers do the work.
"""

import sys

# (C suffix, Rust ordering type)
ALL_ORDERS = [("", "Full"), ("_acquire", "Acquire"), ("_release", "Release"), ("_relaxed", "Relaxed")]

# C atomic type families: (family, C atomic type, C base type, Rust repr)
FAMILIES = [
    ("atomic", "atomic_t", "int", "i32"),
    ("atomic64", "atomic64_t", "s64", "i64"),
    ("atomic_long", "atomic_long_t", "long", "isize"),
]

# Plain scalar types with the generic ops: (name, C type, Rust repr)
SCALARS = [
    ("i8", "s8", "i8"),
    ("i16", "s16", "i16"),
    ("ptr", "void *", "*mut ffi::c_void"),
]

# Ops every repr has (`AtomicRepr`); the rest need `AtomicArithRepr`.
BASIC_OPS = {"read", "set", "xchg", "cmpxchg", "try_cmpxchg"}


class Variant:
    """One function of the table: an op in one form and one ordering."""

    def __init__(self, op, kind, form, suffix, order, args):
        self.op = op          # table name: add
        self.kind = kind      # meta letter: R
        self.form = form      # C name without prefix/suffix: add_return
        self.suffix = suffix  # _acquire
        self.order = order    # Acquire
        self.args = args      # [(type, name)] after the atomic pointer

    @property
    def cname(self):
        return self.form + self.suffix

    @property
    def returns(self):
        return {"v": None, "s": None, "B": "bool", "b": "bool"}.get(self.kind, "base")

    @property
    def rust_name(self):
        return {"read": "load", "set": "store"}.get(self.form, self.form)


def parse_table(path):
    """The table as a list of (op, meta, [(type, name)]), in table order."""
    ops = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            name, meta, args = fields[0], fields[1], fields[2:]
            parsed = []
            for a in args:
                t, _, n = a.partition(":")
                parsed.append((t, n or {"v": "v", "cv": "v", "i": "i", "p": "p"}[t]))
            ops.append((name, meta, parsed))
    return ops


def variants(table):
    out = []
    for op, meta, args in table:
        # The atomic pointer goes first in our wrappers; the rest keep
        # the table's order.
        rest = [a for a in args if a[0] not in ("v", "cv")]
        for m in meta:
            if m == "v":
                out.append(Variant(op, m, op, "", "Relaxed", rest))
            elif m == "R":
                out += [Variant(op, m, f"{op}_return", s, o, rest) for s, o in ALL_ORDERS]
            elif m == "F":
                out += [Variant(op, m, f"fetch_{op}", s, o, rest) for s, o in ALL_ORDERS]
            elif m == "f":
                out.append(Variant(op, m, f"fetch_{op}", "", "Full", rest))
            elif m in "IB":
                out += [Variant(op, m, op, s, o, rest) for s, o in ALL_ORDERS]
            elif m in "ib":
                out.append(Variant(op, m, op, "", "Full", rest))
            elif m == "l":
                out += [Variant(op, m, op, "", "Relaxed", rest),
                        Variant(op, m, op, "_acquire", "Acquire", rest)]
            elif m == "s":
                out += [Variant(op, m, op, "", "Relaxed", rest),
                        Variant(op, m, op, "_release", "Release", rest)]
            else:
                raise SystemExit(f"gen_atomics: unknown meta '{m}' for {op}")
    return out


def scalar_variants(table):
    """The generic-macro subset for plain scalars."""
    return [v for v in variants(table) if v.op in BASIC_OPS]


# ---------------------------------------------------------------------------
# C reference functions

def c_arg_type(t, base, atype):
    return {"v": f"{atype} *", "cv": f"const {atype} *", "i": base, "p": f"{base} *"}[t]


def c_ref(table, helpers=False):
    """The C functions calling the kernel's API: reference functions for
    the check, or (`helpers`) the `__rust_helper`s Rust calls."""
    prefix = "rust_helper_rkal_" if helpers else "rkal_c_"
    # The reference functions are `notrace`: Rust functions get no ftrace
    # call site in 6.12, and the check compares the atomics, not that.
    attr = "__rust_helper " if helpers else "notrace "
    out = ["// SPDX-License-Identifier: GPL-2.0",
           "/* Generated by scripts/gen_atomics.py from atomics.tbl. Do not edit. */",
           "", "#include <linux/atomic.h>", ""]
    vs = variants(table)
    for fam, atype, base, _ in FAMILIES:
        for v in vs:
            params = [f"{atype} *v"] + [f"{c_arg_type(t, base, atype)} {n}" for t, n in v.args]
            ret = {None: "void", "bool": "bool", "base": base}[v.returns]
            # The kernel's argument order: the table's.
            _, _, targs = next(x for x in table if x[0] == v.op)
            call = ", ".join(n for _, n in targs)
            body = f"{fam}_{v.cname}({call})"
            out.append(f"{attr}{ret} {prefix}{fam}_{v.cname}({', '.join(params)})")
            out.append("{")
            out.append(f"\t{'return ' if ret != 'void' else ''}{body};")
            out.append("}")
            out.append("")
    for name, ctype, _ in SCALARS:
        for v in scalar_variants(table):
            ptr = f"{ctype} *v"
            if v.form == "read":
                ret, params = ctype, [ptr]
                body = "READ_ONCE(*v)" if v.suffix == "" else "smp_load_acquire(v)"
            elif v.form == "set":
                ret, params = "void", [ptr, f"{ctype} i"]
                body = "WRITE_ONCE(*v, i)" if v.suffix == "" else "smp_store_release(v, i)"
            elif v.form == "xchg":
                ret, params = ctype, [ptr, f"{ctype} new"]
                body = f"xchg{v.suffix}(v, new)"
            elif v.form == "cmpxchg":
                ret, params = ctype, [ptr, f"{ctype} old", f"{ctype} new"]
                body = f"cmpxchg{v.suffix}(v, old, new)"
            else:
                ret, params = "bool", [ptr, f"{ctype} *old", f"{ctype} new"]
                body = f"try_cmpxchg{v.suffix}(v, old, new)"
            out.append(f"{attr}{ret} {prefix}{name}_{v.cname}({', '.join(params)})")
            out.append("{")
            out.append(f"\t{'return ' if ret != 'void' else ''}{body};")
            out.append("}")
            out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Rust implementation

def repr_fn_sig(v):
    params = ["v: *mut Self"]
    for t, n in v.args:
        params.append(f"{n}: *mut Self" if t == "p" else f"{n}: Self")
    ret = {None: "", "bool": " -> bool", "base": " -> Self"}[v.returns]
    return f"unsafe fn {v.cname}({', '.join(params)}){ret}"


# The C type of an atomic family's counter, as bindgen names it.
C_ATOMIC = {"atomic": "atomic_t", "atomic64": "atomic64_t", "atomic_long": "atomic_long_t"}


def repr_impl(vs, prefix, repr_ty, trait):
    """`trait` for `repr_ty`: each method calls the C helper of its name."""
    out = [f"// SAFETY: each function calls the C helper `rust_helper_rkal_{prefix}_*` of",
           f"// the same name, which is the kernel's own function on the matching C",
           f"// type (`{repr_ty}` has that type's layout).",
           f"unsafe impl {trait} for {repr_ty} {{"]
    for v in vs:
        fn = f"bindings::rkal_{prefix}_{v.cname}"
        # The value types are the C ones (`int`, `s64`, `long`, `s8`, `s16`,
        # `void *`); only the counter's pointer changes type.
        cast = f".cast::<bindings::{C_ATOMIC[prefix]}>()" if prefix in C_ATOMIC else ""
        args = [f"v{cast}"] + [n for _, n in v.args]
        out.append("    #[inline(always)]")
        out.append(f"    {repr_fn_sig(v)} {{")
        out.append(f"        // SAFETY: the caller guarantees `v` (and any pointer argument) is")
        out.append(f"        // valid for the access, as the C function requires.")
        out.append(f"        unsafe {{ {fn}({', '.join(args)}) }}")
        out.append("    }")
        out.append("")
    out.append("}")
    return out


def repr_trait(name, vs, doc, supertrait=None):
    sup = f": {supertrait}" if supertrait else ": Sized + Copy + PartialEq"
    out = [f"/// {doc}", "///", "/// # Safety", "///",
           "/// Each function must have the semantics of the C function of the",
           "/// same name on the matching C type.",
           f"pub unsafe trait {name}{sup} {{"]
    for v in vs:
        out.append(f"    /// C's `*_{v.cname}`.")
        out.append("    ///")
        out.append("    /// # Safety")
        out.append("    ///")
        out.append("    /// `v` (and every pointer argument) must be valid and aligned for the")
        out.append("    /// access, and all concurrent accesses to it must be marked ones.")
        out.append(f"    {repr_fn_sig(v)};")
    out.append("}")
    return out


def method(v_group, trait):
    """One public `Atomic<T>` method for all ordering variants of a form."""
    v0 = v_group[0]
    orders = [v.order for v in v_group]
    if len(orders) == 4:
        generic, oparam = "<O: ordering::Ordering>", "_: O"
    elif orders == ["Relaxed", "Acquire"]:
        generic, oparam = "<O: ordering::AcquireOrRelaxed>", "_: O"
    elif orders == ["Relaxed", "Release"]:
        generic, oparam = "<O: ordering::ReleaseOrRelaxed>", "_: O"
    else:
        generic, oparam = "", f"_: ordering::{orders[0]}"
    params = ["&self"]
    call_args = ["self.as_repr_ptr()"]
    for t, n in v0.args:
        if t == "p":
            params.append(f"{n}: &mut T")
            call_args.append(f"core::ptr::from_mut({n}).cast::<T::Repr>()")
        else:
            params.append(f"{n}: T")
            call_args.append(f"into_repr({n})")
    params.append(oparam)
    if v0.form == "cmpxchg":
        ret = " -> Result<T, T>"
    else:
        ret = {None: "", "bool": " -> bool", "base": " -> T"}[v0.returns]
    name = v0.rust_name
    out = []
    ctab = ", ".join(f"`{v.cname}`" for v in v_group)
    out.append(f"    /// C's `atomic*_` {ctab}, chosen by the ordering.")
    out.append("    #[inline(always)]")
    out.append(f"    pub fn {name}{generic}({', '.join(params)}){ret} {{")
    call = lambda v: f"<T::Repr as {trait}>::{v.cname}({', '.join(call_args)})"
    if v0.form == "cmpxchg":
        out.append(f"        let old_repr = into_repr(old);")
        call_args[1] = "old_repr"
    bind = "" if v0.returns is None or (v0.returns == "bool" and v0.form != "cmpxchg") else "let r = "
    out.append(f"        // SAFETY: `self.as_repr_ptr()` is valid and aligned for the life of")
    out.append(f"        // `&self` and only accessed atomically; pointer arguments come")
    out.append(f"        // from references of the repr's layout (`AtomicType`).")
    if len(v_group) == 1:
        out.append(f"        {bind}unsafe {{ {call(v0)} }}{';' if bind or v0.returns is None else ''}")
    else:
        out.append(f"        {bind}unsafe {{")
        out.append("            match O::ORDERING {")
        for i, v in enumerate(v_group):
            # The bound admits only these orderings; the last arm takes the
            # one left.
            pat = "_" if i == len(v_group) - 1 else f"ordering::OrderingType::{v.order}"
            out.append(f"                {pat} => {call(v)},")
        out.append("            }")
        out.append("        }" + (";" if bind or v0.returns is None else ""))
    if v0.form == "cmpxchg":
        out.append("        if r == old_repr {")
        out.append("            Ok(from_repr(r))")
        out.append("        } else {")
        out.append("            Err(from_repr(r))")
        out.append("        }")
    elif v0.returns == "base":
        out.append("        from_repr(r)")
    out.append("    }")
    out.append("")
    return out


def grouped(vs):
    groups, seen = [], {}
    for v in vs:
        if v.form not in seen:
            seen[v.form] = []
            groups.append(seen[v.form])
        seen[v.form].append(v)
    return groups


def rust_impl(table):
    vs = variants(table)
    basic = [v for v in vs if v.op in BASIC_OPS]
    arith = [v for v in vs if v.op not in BASIC_OPS]
    sv = scalar_variants(table)
    out = ["// SPDX-License-Identifier: GPL-2.0",
           "// Generated by scripts/gen_atomics.py from atomics.tbl. Do not edit.", ""]
    out += repr_trait("AtomicRepr", basic,
                      "Representations with the operations C has for every atomic scalar.")
    out.append("")
    out += repr_trait("AtomicArithRepr", arith,
                      "Representations with the arithmetic of `atomic_t`, `atomic64_t` and `atomic_long_t`.",
                      supertrait="AtomicRepr")
    out.append("")
    for fam, _, _, repr_ty in FAMILIES:
        out += repr_impl(basic, fam, repr_ty, "AtomicRepr")
        out.append("")
        out += repr_impl(arith, fam, repr_ty, "AtomicArithRepr")
        out.append("")
    for name, _, repr_ty in SCALARS:
        out += repr_impl(sv, name, repr_ty, "AtomicRepr")
        out.append("")
    out.append("impl<T: AtomicValue> Atomic<T> {")
    for g in grouped(basic):
        out += method(g, "AtomicRepr")
    out.append("}")
    out.append("")
    out.append("impl<T: AtomicType + AtomicArith> Atomic<T>")
    out.append("where")
    out.append("    T::Repr: AtomicArithRepr,")
    out.append("{")
    for g in grouped(arith):
        out += method(g, "AtomicArithRepr")
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Check wrappers and documentation rows

RUST_OF = {"atomic": "i32", "atomic64": "i64", "atomic_long": "isize"}


def rust_check(table):
    out = ["// SPDX-License-Identifier: GPL-2.0",
           "//! Generated by scripts/gen_atomics.py: one function per atomics.tbl",
           "//! variant, calling the public `Atomic<T>` API, for `make atomics-check`.",
           "",
           "#![allow(missing_docs, clippy::missing_safety_doc)]",
           "",
           "use kernel::{ffi, sync::atomic::*};",
           ""]
    def wrapper(prefix, t, v):
        params = [f"v: &Atomic<{t}>"]
        args = []
        for at, n in v.args:
            params.append(f"{n}: &mut {t}" if at == "p" else f"{n}: {t}")
            args.append(n)
        args.append(v.order)
        ret = {None: "", "bool": " -> bool", "base": f" -> {t}"}[v.returns]
        expr = f"v.{v.rust_name}({', '.join(args)})"
        if v.form == "cmpxchg":
            expr = f"match {expr} {{ Ok(x) | Err(x) => x }}"
        return ["#[no_mangle]",
                f"pub extern \"C\" fn rkal_rs_{prefix}_{v.cname}({', '.join(params)}){ret} {{",
                f"    {expr}", "}", ""]

    for fam, _, _, _ in FAMILIES:
        for v in variants(table):
            out += wrapper(fam, RUST_OF[fam], v)
    for name, _, _ in SCALARS:
        t = {"i8": "i8", "i16": "i16", "ptr": "*mut ffi::c_void"}[name]
        for v in scalar_variants(table):
            out += wrapper(name, t, v)
    return "\n".join(out)


def doc_rows(table):
    """One row per Rust method: `method(args, ordering)`, the C functions
    (for `atomic_`; `atomic64_` and `atomic_long_` alike), the orderings."""
    rows = []
    for g in grouped(variants(table)):
        v0 = g[0]
        args = ", ".join([n for _, n in v0.args] + ["O" if len(g) > 1 else g[0].order])
        cfuncs = ", ".join(f"atomic_{v.cname}" for v in g)
        orders = ", ".join(v.order for v in g)
        rows.append(f"{v0.rust_name}({args}) | {cfuncs} | {orders}")
    return "\n".join(rows)


def main():
    if len(sys.argv) < 3:
        raise SystemExit("usage: gen_atomics.py helpers|c|rust|check|rows|count atomics.tbl")
    mode, tbl = sys.argv[1], sys.argv[2]
    table = parse_table(tbl)
    if mode == "c":
        print(c_ref(table))
    elif mode == "helpers":
        print(c_ref(table, helpers=True))
    elif mode == "rust":
        sys.stdout.write(rust_impl(table))
    elif mode == "check":
        print(rust_check(table))
    elif mode == "rows":
        print(doc_rows(table))
    elif mode == "count":
        print(len(variants(table)) * len(FAMILIES))
    else:
        raise SystemExit(f"gen_atomics: unknown mode {mode}")


if __name__ == "__main__":
    main()
