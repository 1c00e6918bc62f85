#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The LKMM litmus tests of the tree being built, as a C twin and a Rust twin.

Reads tools/memory-model/litmus-tests/*.litmus and
Documentation/litmus-tests/**/*.litmus of the kernel tree (never copied
into our repository) and parses their C subset: the init block, the thread
bodies, and the `locations`, `filter` and `exists` clauses. Emits:

  c SRCTREE      rust/litmus/litmus_c.c: per test, a struct with the
                 test's shared variables, an initialiser, each thread body
                 compiled verbatim as a `noinline` function (the C twin), the
                 `exists`/`filter` predicate and the final-state key, and a
                 descriptor table for the harness (rust/litmus/harness.rs);
  rust SRCTREE HARNESS
                 rust/litmus/litmus_rs.rs: the Rust twin of every thread
                 body, translated through the mapping table of
                 Documentation/rust/memory-model.rst, and one KUnit case per
                 test and twin (C, Rust, and for 2-thread tests the mixed
                 pairs P0 Rust + P1 C and P0 C + P1 Rust);
  list SRCTREE   one line per test: name, threads, verdict, primitives.

A primitive outside the table is an error naming it, never a silent skip.

Two deliberate departures, both klitmus7's defaults: `synchronize_rcu()`
runs as `synchronize_rcu_expedited()` (a normal grace period per iteration
would take hours under TCG), and registers start at 0 (herd7's semantics;
C needs the initialiser, the bodies read some registers only on one branch).
"""

import glob
import os
import re
import sys

# What an x86-TSO machine can show (../Documentation/rust/memory-model.rst,
# "The litmus suite"): of the tests herd7 says "Sometimes" for, only these.
# The suite must observe them (else its threads are not racing), and must
# observe none of the others.
X86_ALLOWED = {"SB+poonceonces", "SB+rfionceonce-poonceonces", "R+poonceonces"}
# Fenced siblings of those: 0 observations, after enough iterations that
# the unfenced twin's rate would have given about 30.
FENCED_SIBLING = {
    "SB+fencembonceonces": "SB+poonceonces",
    "R+fencembonceonces": "R+poonceonces",
    "cmpxchg-fail-ordered-1": "SB+poonceonces",
}

MAX_THREADS = 4
MAX_REGS = 8
MAX_VARS = 8
MAX_KEY = 16

TYPES = {"int": "int", "int*": "ptr", "atomic_t": "atomic", "spinlock_t": "lock"}


class LitmusError(Exception):
    pass


def find_tests(srctree):
    files = sorted(glob.glob(os.path.join(srctree, "tools/memory-model/litmus-tests/*.litmus")))
    files += sorted(glob.glob(os.path.join(srctree, "Documentation/litmus-tests/**/*.litmus"),
                              recursive=True))
    if not files:
        raise LitmusError(f"no .litmus files under {srctree}/tools/memory-model/litmus-tests "
                          "or Documentation/litmus-tests")
    return files


def match_brace(s, i):
    """Index just past the `}` matching the `{` at s[i]."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise LitmusError("unbalanced braces")


class Test:
    def __init__(self, path):
        self.path = path
        with open(path) as f:
            text = f.read()
        first = text.splitlines()[0].split()
        if len(first) != 2 or first[0] != "C":
            raise LitmusError(f"{path}: not a C litmus test (first line {text.splitlines()[0]!r})")
        self.name = first[1]
        m = re.search(r"Result:\s*(\w+)", text)
        if not m:
            raise LitmusError(f"{path}: no 'Result:' comment")
        self.verdict = m.group(1)
        body = re.sub(r"\(\*(?=\s).*?\*\)", " ", text[text.index("\n"):], flags=re.S)
        body = re.sub(r"//[^\n]*", "", body)
        # Init block.
        i = body.index("{")
        end = match_brace(body, i)
        self.vars = {}  # name -> type ("int", "ptr", "atomic", "lock")
        self.init = {}  # name -> ("int", n) | ("addr", var)
        for stmt in body[i + 1:end - 1].split(";"):
            self.parse_init(stmt.strip())
        rest = body[end:]
        # Threads.
        self.threads = []
        pos = 0
        for m in re.finditer(r"P(\d+)\s*\(([^)]*)\)\s*\{", rest):
            if m.start() < pos:
                continue
            k = int(m.group(1))
            if k != len(self.threads):
                raise LitmusError(f"{self.name}: thread P{k} out of order")
            close = match_brace(rest, m.end() - 1)
            params = []
            for p in filter(None, (x.strip() for x in m.group(2).split(","))):
                pm = re.fullmatch(r"(int|atomic_t|spinlock_t)\s*(\*+)\s*(\w+)", p)
                if not pm:
                    raise LitmusError(f"{self.name}: parameter {p!r} not understood")
                base, stars, name = pm.groups()
                ty = {"int*": "int", "int**": "ptr", "atomic_t*": "atomic",
                      "spinlock_t*": "lock"}.get(base + stars)
                if ty is None:
                    raise LitmusError(f"{self.name}: parameter type {base + stars} not supported")
                if self.vars.get(name, ty) != ty and not (ty == "ptr" and self.vars[name] == "int"):
                    raise LitmusError(f"{self.name}: {name} has two types")
                self.vars[name] = ty
                params.append(name)
            self.threads.append((params, rest[m.end():close - 1]))
            pos = close
        if not self.threads or len(self.threads) > MAX_THREADS:
            raise LitmusError(f"{self.name}: {len(self.threads)} threads (1..{MAX_THREADS} supported)")
        tail = rest[pos:]
        self.locations = []
        m = re.search(r"locations\s*\[([^\]]*)\]", tail)
        if m:
            self.locations = [x.strip() for x in m.group(1).split(";") if x.strip()]
        self.filter = None
        m = re.search(r"filter\s*(\(.*?\))\s*(?=exists|~exists|forall|$)", tail, flags=re.S)
        if m:
            self.filter = " ".join(m.group(1).split())
        m = re.search(r"(~?exists|forall)\s*(\(.*\))", tail, flags=re.S)
        if not m:
            raise LitmusError(f"{self.name}: no exists clause")
        if m.group(1) != "exists":
            raise LitmusError(f"{self.name}: {m.group(1)} clauses are not supported")
        self.exists = " ".join(m.group(2).split())
        # Registers: every local declared at the top of a thread body.
        self.regs = []
        for k, (_, text) in enumerate(self.threads):
            regs = []
            for dm in re.finditer(r"^\s*int\s*(\*?)\s*(\w+)\s*(=[^;]*)?;", text, flags=re.M):
                regs.append((dm.group(2), "ptr" if dm.group(1) else "int"))
            if len(regs) > MAX_REGS:
                raise LitmusError(f"{self.name}: P{k} has more than {MAX_REGS} registers")
            self.regs.append(regs)
        if len(self.vars) > MAX_VARS:
            raise LitmusError(f"{self.name}: more than {MAX_VARS} shared variables")
        self.key = self.key_locations()

    def parse_init(self, stmt):
        if not stmt:
            return
        m = re.fullmatch(r"(?:(int|atomic_t|spinlock_t)\s*(\*?)\s*)?(\w+)\s*(?:=\s*(.+))?", stmt)
        if not m:
            raise LitmusError(f"{self.name}: init statement {stmt!r} not understood")
        base, star, name, value = m.groups()
        ty = TYPES.get((base or "int") + (star or ""), "int")
        if value is None:
            self.vars.setdefault(name, ty)
            return
        value = value.strip()
        if re.fullmatch(r"-?\d+", value):
            self.vars.setdefault(name, ty)
            self.init[name] = ("int", int(value))
        elif re.fullmatch(r"ATOMIC_INIT\((-?\d+)\)", value):
            self.vars[name] = "atomic"
            self.init[name] = ("int", int(re.search(r"-?\d+", value).group()))
        elif re.fullmatch(r"&?\w+", value):
            self.vars[name] = "ptr"
            target = value.lstrip("&")
            self.vars.setdefault(target, "int")
            self.init[name] = ("addr", target)
        else:
            raise LitmusError(f"{self.name}: init value {value!r} not understood")

    def atoms(self, clause):
        """The `loc=value` atoms of a clause, as (loc, value)."""
        return re.findall(r"([\w:]+)\s*=\s*([\w-]+)", clause or "")

    def key_locations(self):
        locs = []
        for loc in self.locations + [a for a, _ in self.atoms(self.filter)] + \
                [a for a, _ in self.atoms(self.exists)]:
            if loc not in locs:
                locs.append(loc)
        if len(locs) > MAX_KEY:
            raise LitmusError(f"{self.name}: more than {MAX_KEY} observed locations")
        for loc in locs:
            self.loc_value_c(loc)  # validates
        return locs

    def var_index(self, name):
        return list(self.vars).index(name)

    def loc_value_c(self, loc):
        """C expression (a long) for location `loc` of slot `m`, registers `out`."""
        m = re.fullmatch(r"(\d+):(\w+)", loc)
        if m:
            k, reg = int(m.group(1)), m.group(2)
            names = [r for r, _ in self.regs[k]] if k < len(self.regs) else []
            if reg not in names:
                raise LitmusError(f"{self.name}: {loc}: P{k} has no register {reg}")
            return f"out[{k * MAX_REGS + names.index(reg)}]"
        if loc not in self.vars:
            raise LitmusError(f"{self.name}: {loc}: no such variable")
        ty = self.vars[loc]
        if ty == "int":
            return f"(long)READ_ONCE(m->{loc})"
        if ty == "atomic":
            return f"(long)atomic_read(&m->{loc})"
        if ty == "ptr":
            return f"(long)READ_ONCE(m->{loc})"
        raise LitmusError(f"{self.name}: {loc}: a lock cannot be observed")

    def loc_is_ptr(self, loc):
        m = re.fullmatch(r"(\d+):(\w+)", loc)
        if m:
            return dict(self.regs[int(m.group(1))])[m.group(2)] == "ptr"
        return self.vars[loc] == "ptr"

    def value_c(self, loc, value):
        """C expression for `value` compared with `loc`."""
        if re.fullmatch(r"-?\d+", value):
            return value
        if value in self.vars:
            return f"(long)&m->{value}"
        raise LitmusError(f"{self.name}: value {value!r} not understood")

    def clause_c(self, clause):
        """A C boolean expression for an exists/filter clause."""
        out = clause.replace("/\\", "&&").replace("\\/", "||").replace("~", "!")

        def atom(mo):
            loc, value = mo.group(1), mo.group(2)
            return f"({self.loc_value_c(loc)} == {self.value_c(loc, value)})"
        return re.sub(r"([\w:]+)\s*=\s*([\w-]+)", atom, out)

    @property
    def ident(self):
        return re.sub(r"\W", "_", self.name)

    def primitives(self):
        found = set()
        for _, text in self.threads:
            found.update(re.findall(r"\b([a-zA-Z_]\w*)\s*\(", text))
        return sorted(found - {"if", "void"})


# ----------------------------------------------------------------------------
# C twin

C_HEADER = """// SPDX-License-Identifier: GPL-2.0
/*
 * Generated by scripts/gen_litmus.py from the litmus tests of the kernel
 * tree being built: do not edit. Each thread body is the test's own C,
 * verbatim (registers initialised to 0, as herd7 has them).
 */

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>

#include "litmus.h"

/* klitmus7's default: an expedited grace period (see gen_litmus.py). */
#define synchronize_rcu synchronize_rcu_expedited

"""


def c_type(ty):
    return {"int": "int", "ptr": "int *", "atomic": "atomic_t", "lock": "spinlock_t"}[ty]


def emit_c(tests):
    out = [C_HEADER]
    for t in tests:
        i = t.ident
        out.append(f"/* {t.name} ({os.path.basename(t.path)}): {t.verdict} */\n")
        out.append(f"struct lt_{i} {{\n")
        for v, ty in t.vars.items():
            out.append(f"\t{c_type(ty)} {v};\n")
        out.append("};\n\n")
        out.append(f"static void lt_{i}_init(void *mem)\n{{\n\tstruct lt_{i} *m = mem;\n\n")
        for v, ty in t.vars.items():
            if ty == "lock":
                out.append(f"\tspin_lock_init(&m->{v});\n")
            elif v in t.init:
                kind, val = t.init[v]
                if kind == "addr":
                    out.append(f"\tm->{v} = &m->{val};\n")
                elif ty == "atomic":
                    out.append(f"\tatomic_set(&m->{v}, {val});\n")
                else:
                    out.append(f"\tm->{v} = {val};\n")
        out.append("}\n\n")
        for k, (params, body) in enumerate(t.threads):
            out.append(f"static noinline void lt_{i}_P{k}(void *mem, void **vars, long *out)\n{{\n")
            out.append(f"\tstruct lt_{i} *m = mem;\n")
            for p in params:
                out.append(f"\t{c_type(t.vars[p])} *{p} = &m->{p};\n")
            # Registers start at 0.
            body = re.sub(r"^(\s*int\s*\*?\s*\w+)\s*;", r"\1 = 0;", body, flags=re.M)
            stores = "".join(f"\tout[{j}] = (long){r};\n" for j, (r, _) in enumerate(t.regs[k]))
            out.append(f"\t(void)m;\n\t(void)vars;\n\t{{{body}\n{stores}\t}}\n}}\n\n")
        out.append(f"static int lt_{i}_cond(void *mem, const long *out)\n{{\n")
        out.append(f"\tstruct lt_{i} *m = mem;\n\tint r = 0;\n\n\t(void)m;\n\t(void)out;\n")
        out.append(f"\tif ({t.clause_c(t.exists)})\n\t\tr |= LT_EXISTS;\n")
        out.append(f"\tif ({t.clause_c(t.filter) if t.filter else '1'})\n\t\tr |= LT_FILTER;\n")
        out.append("\treturn r;\n}\n\n")
        out.append(f"static void lt_{i}_key(void *mem, const long *out, long *key)\n{{\n")
        out.append(f"\tstruct lt_{i} *m = mem;\n\n\t(void)m;\n\t(void)out;\n")
        for j, loc in enumerate(t.key):
            val = t.loc_value_c(loc)
            if t.loc_is_ptr(loc):
                # A pointer is named by the variable it points to.
                val = f"lt_ptr_name({val}, mem, sizeof(struct lt_{i}), lt_{i}_offs, {len(t.vars)})"
            out.append(f"\tkey[{j}] = {val};\n")
        out.append("}\n\n")
        offs = ", ".join(f"offsetof(struct lt_{i}, {v})" for v in t.vars)
        out.append(f"static const char *const lt_{i}_keys[] = {{ {', '.join(c_str(k) for k in t.key)} }};\n")
        out.append(f"static const char *const lt_{i}_vars[] = {{ {', '.join(c_str(v) for v in t.vars)} }};\n\n")
        # The offsets are needed by lt_{i}_key above: declared before it.
        decl = f"static const size_t lt_{i}_offs[] = {{ {offs} }};\n\n"
        idx = out.index(f"static void lt_{i}_key(void *mem, const long *out, long *key)\n{{\n")
        out.insert(idx, decl)
    out.append("const struct lt_desc lt_tests[] = {\n")
    for t in tests:
        i = t.ident
        expect, sibling = expectation(t, tests)
        threads = ", ".join(f"lt_{i}_P{k}" for k in range(len(t.threads)))
        out.append(f"\t{{\n\t\t.name = {c_str(t.name)},\n\t\t.verdict = {c_str(t.verdict)},\n"
                   f"\t\t.exists = {c_str(t.exists)},\n"
                   f"\t\t.expect = {expect},\n\t\t.sibling = {sibling},\n"
                   f"\t\t.slow = {int('synchronize_rcu' in t.primitives())},\n"
                   f"\t\t.nthreads = {len(t.threads)},\n\t\t.size = sizeof(struct lt_{i}),\n"
                   f"\t\t.nvars = {len(t.vars)},\n\t\t.offs = lt_{i}_offs,\n"
                   f"\t\t.vars = lt_{i}_vars,\n"
                   f"\t\t.nkey = {len(t.key)},\n\t\t.keys = lt_{i}_keys,\n"
                   f"\t\t.init = lt_{i}_init,\n\t\t.cond = lt_{i}_cond,\n\t\t.key = lt_{i}_key,\n"
                   f"\t\t.threads = {{ {threads} }},\n\t}},\n")
    out.append("};\n\n")
    out.append(f"const unsigned int lt_ntests = {len(tests)};\n")
    return "".join(out)


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------------------
# Rust twin: a translator for the C subset the tests use.

TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_]\w*)|(==|!=|<=|>=|&&|\|\||[-+*&!=<>(){},;]))")


def tokenize(text, test):
    toks, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise LitmusError(f"{test}: cannot read {text[pos:pos + 20]!r}")
        toks.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return toks


class Translator:
    """C thread body -> Rust statements. Values are ("int" | "ptr" | "bool", code)."""

    ORDER = {"": "Full", "_relaxed": "Relaxed", "_acquire": "Acquire", "_release": "Release"}
    BARRIERS = {"smp_mb", "smp_rmb", "smp_wmb", "smp_mb__before_atomic", "smp_mb__after_atomic",
                "smp_mb__after_spinlock"}

    def __init__(self, test, k):
        self.test = test
        self.name = test.name
        params, body = test.threads[k]
        self.params = params
        self.types = {p: test.vars[p] for p in params}  # variable -> type of *variable
        self.regs = dict(test.regs[k])
        self.toks = tokenize(body, test.name)
        self.i = 0
        self.guards = 0

    def err(self, msg):
        raise LitmusError(f"{self.name}: {msg}")

    def peek(self, n=0):
        return self.toks[self.i + n] if self.i + n < len(self.toks) else None

    def take(self, want=None):
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            self.err(f"expected {want!r}, found {tok!r}")
        self.i += 1
        return tok

    # Statements.
    def body(self):
        out = []
        while self.peek() is not None and self.peek() != "}":
            out += self.stmt()
        return out

    def stmt(self):
        tok = self.peek()
        if tok == "{":
            self.take("{")
            inner = self.body()
            self.take("}")
            return ["{"] + ["    " + s for s in inner] + ["}"]
        if tok == "if":
            self.take("if")
            self.take("(")
            cond = self.cond(self.expr())
            self.take(")")
            then = self.stmt()
            # A block's lines come indented already; a single statement's not.
            body = then[1:-1] if then and then[0] == "{" else ["    " + s for s in then]
            out = [f"if {cond} {{"] + body + ["}"]
            if self.peek() == "else":
                self.err("else branches are not supported")
            return out
        if tok == "int":
            self.take("int")
            ptr = False
            if self.peek() == "*":
                self.take("*")
                ptr = True
            name = self.take()
            if self.peek() == "=":
                self.take("=")
                ty, code = self.expr()
                self.take(";")
                return [f"{name} = {self.coerce(code, ty, 'ptr' if ptr else 'int')};"]
            self.take(";")
            return []
        if tok == "(" and self.peek(1) == "void" and self.peek(2) == ")":
            self.i += 3
            _, code = self.expr()
            self.take(";")
            return [f"let _ = {code};"]
        if tok in self.regs and self.peek(1) == "=":
            self.i += 2
            ty, code = self.expr()
            self.take(";")
            return [f"{tok} = {self.coerce(code, ty, self.regs[tok])};"]
        if tok == "*" and self.peek(1) in self.types and self.peek(2) == "=":
            # A plain store through a parameter.
            var = self.peek(1)
            self.i += 3
            ty, code = self.expr()
            self.take(";")
            return [f"*{var} = {self.coerce(code, ty, self.types[var])};"]
        ty, code = self.call_stmt()
        self.take(";")
        return code

    def call_stmt(self):
        """A statement-level call: those producing no value or guards."""
        name = self.take()
        self.take("(")
        if name == "spin_lock":
            lock = self.lock_arg()
            self.take(")")
            return None, [f"let guard_{lock} = SpinLock::<()>::from_raw({lock}).lock();"]
        if name == "spin_unlock":
            lock = self.lock_arg()
            self.take(")")
            return None, [f"drop(guard_{lock});"]
        if name == "rcu_read_lock":
            self.take(")")
            return None, ["let rcu_guard = rcu::read_lock();"]
        if name == "rcu_read_unlock":
            self.take(")")
            return None, ["drop(rcu_guard);"]
        self.i -= 2
        ty, code = self.expr()
        return None, [f"{code};" if ty is None else f"let _ = {code};"]

    def lock_arg(self):
        lock = self.take()
        if self.types.get(lock) != "lock":
            self.err(f"{lock} is not a spinlock_t parameter")
        return lock

    # Expressions.
    def expr(self):
        left = self.unary()
        op = self.peek()
        if op in ("==", "!=", "<", ">", "<=", ">="):
            self.take()
            right = self.unary()
            lt, lc = left
            rt, rc = right
            return "bool", f"({lc} {op} {self.coerce(rc, rt, lt)})"
        return left

    def cond(self, value):
        ty, code = value
        if ty == "bool":
            return code
        if ty == "ptr":
            return f"!{code}.is_null()"
        return f"{code} != 0"

    def coerce(self, code, ty, want):
        if ty == want or want is None:
            return code
        if ty == "bool" and want == "int":
            return f"c_int::from({code})"
        if ty == "int" and want == "ptr" and code == "0":
            return "core::ptr::null_mut()"
        self.err(f"cannot use a {ty} ({code}) as a {want}")

    def unary(self):
        tok = self.peek()
        if tok == "!":
            self.take()
            return "bool", f"!({self.cond(self.unary())})"
        if tok == "(":
            self.take()
            v = self.expr()
            self.take(")")
            return v
        if tok == "*":
            # A plain load through a parameter or a pointer register.
            self.take()
            var = self.take()
            if var in self.types:
                return self.types[var], f"*{var}"
            if self.regs.get(var) == "ptr":
                return "int", f"*{var}"
            self.err(f"cannot dereference {var}")
        if tok is not None and tok.isdigit():
            self.take()
            return "int", tok
        if tok is not None and tok.startswith("-") and tok[1:].isdigit():
            self.take()
            return "int", tok
        if tok in self.regs and self.peek(1) != "(":
            self.take()
            return self.regs[tok], tok
        if tok in self.types and self.peek(1) != "(":
            # A variable names its address (C's `int *x` parameter).
            self.take()
            return "ptr", tok
        return self.call()

    def args(self):
        self.take("(")
        args = []
        while self.peek() != ")":
            args.append(self.arg())
            if self.peek() == ",":
                self.take(",")
        self.take(")")
        return args

    def arg(self):
        """An argument: `*p` (the location p) is kept apart from values."""
        if self.peek() == "*" and (self.peek(1) in self.types or self.regs.get(self.peek(1)) == "ptr"):
            self.take("*")
            return ("loc", self.take())
        return self.expr()

    def loc(self, a, fn):
        """The location a marked access works on: `*x` or `x` for `fn(x)`."""
        if a[0] == "loc":
            name = a[1]
        elif a[0] == "ptr":
            name = a[1]
        else:
            self.err(f"{fn}: argument {a[1]} is not a location")
        if name in self.types:
            return name, self.types[name]
        if self.regs.get(name) == "ptr":
            return name, "int"
        self.err(f"{fn}: {name} is not a location")

    def val(self, a, want):
        if a[0] == "loc":
            self.err(f"unexpected *{a[1]}")
        return self.coerce(a[1], a[0], want)

    def call(self):
        name = self.take()
        args = self.args()
        n = len(args)

        def need(count):
            if n != count:
                self.err(f"{name} takes {count} arguments, found {n}")

        if name in self.BARRIERS:
            need(0)
            return None, f"barrier::{name}()"
        if name in ("READ_ONCE", "smp_load_acquire", "rcu_dereference"):
            need(1)
            if name != "smp_load_acquire" and args[0][0] != "loc":
                self.err(f"{name} takes *location")
            p, ty = self.loc(args[0], name)
            if name == "rcu_dereference":
                return "ptr", f"rcu::dereference({p}, &rcu_guard)"
            order = "Relaxed" if name == "READ_ONCE" else "Acquire"
            return ("ptr" if ty == "ptr" else "int"), f"atomic_load({p}, {order})"
        if name in ("WRITE_ONCE", "smp_store_release", "rcu_assign_pointer"):
            need(2)
            if name != "smp_store_release" and args[0][0] != "loc":
                self.err(f"{name} takes *location")
            p, ty = self.loc(args[0], name)
            v = self.val(args[1], "ptr" if ty == "ptr" else "int")
            if name == "rcu_assign_pointer":
                return None, f"rcu::assign_pointer({p}, {v})"
            order = "Relaxed" if name == "WRITE_ONCE" else "Release"
            return None, f"atomic_store({p}, {v}, {order})"
        m = re.fullmatch(r"(cmpxchg|xchg)(|_relaxed|_acquire|_release)", name)
        if m:
            p, ty = self.loc(args[0], name)
            if ty not in ("int", "atomic"):
                self.err(f"{name} on a {ty} is not supported")
            order = self.ORDER[m.group(2)]
            if m.group(1) == "cmpxchg":
                need(3)
                o, nw = self.val(args[1], "int"), self.val(args[2], "int")
                return "int", f"old(Atomic::from_ptr({p}).cmpxchg({o}, {nw}, {order}))"
            need(2)
            return "int", f"Atomic::from_ptr({p}).xchg({self.val(args[1], 'int')}, {order})"
        if name == "spin_is_locked":
            need(1)
            lock = args[0][1]
            if self.types.get(lock) != "lock":
                self.err(f"spin_is_locked: {lock} is not a spinlock_t parameter")
            return "bool", f"SpinLock::<()>::from_raw({lock}).is_locked()"
        if name == "synchronize_rcu":
            need(0)
            return None, "rcu::synchronize_rcu_expedited()"
        m = re.fullmatch(r"atomic_(\w+?)(|_relaxed|_acquire|_release)", name)
        if m and n >= 1:
            p, ty = self.loc(args[0], name)
            if ty != "atomic":
                self.err(f"{name}: {p} is not an atomic_t")
            op, order = m.group(1), self.ORDER[m.group(2)]
            a = f"Atomic::from_ptr({p})"
            simple = {  # op: (args, Rust, result type, has ordering)
                "read": (1, "load", "int", False), "set": (2, "store", None, False),
                "inc": (1, "inc", None, False), "dec": (1, "dec", None, False),
                "add": (2, "add", None, False), "sub": (2, "sub", None, False),
                "inc_return": (1, "inc_return", "int", True),
                "dec_return": (1, "dec_return", "int", True),
                "add_return": (2, "add_return", "int", True),
                "sub_return": (2, "sub_return", "int", True),
                "fetch_add": (2, "fetch_add", "int", True),
                "fetch_sub": (2, "fetch_sub", "int", True),
                "xchg": (2, "xchg", "int", True),
                "dec_and_test": (1, "dec_and_test", "bool", False),
                "inc_not_zero": (1, "inc_not_zero", "bool", False),
            }
            if op == "add_unless":
                need(3)
                return "bool", (f"{a}.add_unless({self.val(args[1], 'int')}, "
                                f"{self.val(args[2], 'int')}, Full)")
            if op == "cmpxchg":
                need(3)
                return "int", (f"old({a}.cmpxchg({self.val(args[1], 'int')}, "
                               f"{self.val(args[2], 'int')}, {order}))")
            if op in simple:
                count, rust, ty_out, ordered = simple[op]
                need(count)
                if m.group(2) and not ordered:
                    self.err(f"{name}: no such ordering variant")
                vals = [self.val(x, "int") for x in args[1:]]
                if op == "read":
                    order_arg = ["Relaxed"]
                elif op == "set":
                    order_arg = ["Relaxed"]
                elif ordered:
                    order_arg = [order]
                elif op in ("dec_and_test", "inc_not_zero"):
                    order_arg = ["Full"]
                else:
                    order_arg = ["Relaxed"]
                return ty_out, f"{a}.{rust}({', '.join(vals + order_arg)})"
        self.err(f"primitive {name}() is not in the mapping table "
                 "(Documentation/rust/memory-model.rst)")

    def translate(self):
        stmts = self.body()
        if self.peek() is not None:
            self.err(f"unexpected {self.peek()!r}")
        return stmts


def rust_pointee(ty):
    """What a Rust twin's pointer to a shared variable of type `ty` points to."""
    return {"int": "c_int", "ptr": "*mut c_int", "atomic": "c_int",
            "lock": "kernel::bindings::spinlock_t"}[ty]


RUST_HEADER = """// SPDX-License-Identifier: GPL-2.0

//! Generated by scripts/gen_litmus.py from the litmus tests of the kernel
//! tree being built: do not edit. The Rust twin of every thread body,
//! translated through the mapping table of Documentation/rust/memory-model.rst,
//! and one KUnit case per test and twin; the harness is harness.rs.

#![allow(unused_mut, unused_variables, unused_assignments, unused_unsafe, unused_parens)]
#![allow(non_snake_case, clippy::all, clippy::pedantic, clippy::undocumented_unsafe_blocks)]

use core::ffi::{c_int, c_long, c_void};
use kernel::prelude::*;
use kernel::sync::atomic::{atomic_load, atomic_store, Acquire, Atomic, Full, Relaxed, Release};
use kernel::sync::{barrier, rcu, SpinLock};

#[path = "%(harness)s"]
mod harness;

use harness::{Thread, Twin};

module! {
    type: harness::Litmus,
    name: "rkal_litmus",
    authors: ["rkal developers"],
    description: "The LKMM litmus tests of the tree, in C, in Rust and mixed",
    license: "GPL",
}

/// The value a `cmpxchg` returns: the old value, whether or not it swapped.
fn old(r: Result<c_int, c_int>) -> c_int {
    match r {
        Ok(v) | Err(v) => v,
    }
}

"""


def emit_rust(tests, harness):
    out = [RUST_HEADER % {"harness": harness}]
    for ti, t in enumerate(tests):
        out.append(f"// {t.name}: {t.verdict}\n")
        for k, (params, _) in enumerate(t.threads):
            stmts = Translator(t, k).translate()
            out.append(f"unsafe extern \"C\" fn lt_{t.ident}_P{k}_rs(mem: *mut c_void, "
                       f"vars: *mut *mut c_void, out: *mut c_long) {{\n")
            out.append("    // SAFETY: `vars` holds the addresses of this iteration's shared\n"
                       "    // variables (harness.rs), valid and initialised, accessed by the\n"
                       "    // test's threads only (marked accesses, locks, or thread-private).\n")
            out.append("    unsafe {\n")
            for p in params:
                out.append(f"        let {p} = (*vars.add({t.var_index(p)})).cast::<"
                           f"{rust_pointee(t.vars[p])}>();\n")
            for r, ty in t.regs[k]:
                init = "core::ptr::null_mut::<c_int>()" if ty == "ptr" else "0 as c_int"
                out.append(f"        let mut {r} = {init};\n")
            for s in stmts:
                out.append(f"        {s}\n")
            for j, (r, ty) in enumerate(t.regs[k]):
                val = f"{r} as usize as c_long" if ty == "ptr" else f"c_long::from({r})"
                out.append(f"        *out.add({j}) = {val};\n")
            out.append("    }\n}\n\n")
    out.append("/// The Rust twin of each test's threads, in `lt_tests` order.\n")
    out.append(f"pub(crate) static RUST_THREADS: [&[Thread]; {len(tests)}] = [\n")
    for t in tests:
        fns = ", ".join(f"lt_{t.ident}_P{k}_rs" for k in range(len(t.threads)))
        out.append(f"    &[{fns}],\n")
    out.append("];\n\n")
    # KUnit cases: the liveness probes first, so that their fenced siblings
    # know the rate to beat.
    order = sorted(range(len(tests)), key=lambda i: (tests[i].name not in X86_ALLOWED, i))
    out.append("#[kernel::macros::kunit_tests(rkal_litmus)]\nmod tests {\n    use super::*;\n\n")
    for i in order:
        t = tests[i]
        twins = ["C", "Rust"] + (["RustC", "CRust"] if len(t.threads) == 2 else [])
        for tw in twins:
            out.append(f"    #[test]\n    fn {t.ident}_{tw.lower()}() -> Result {{\n"
                       f"        harness::run({i}, Twin::{tw})\n    }}\n\n")
    out.append("}\n")
    return "".join(out)


def expectation(t, tests):
    """What the harness asserts on x86-64: the LT_* constant and the index
    of the unfenced sibling (-1 for none)."""
    names = [x.name for x in tests]
    sibling = names.index(FENCED_SIBLING[t.name]) if t.name in FENCED_SIBLING else -1
    if t.name in X86_ALLOWED:
        if t.verdict != "Sometimes":
            raise LitmusError(f"{t.name}: listed as x86-observable but herd7 says {t.verdict}")
        return "LT_MUST_SEE", sibling
    if t.verdict not in ("Never", "Sometimes", "DEADLOCK"):
        raise LitmusError(f"{t.name}: verdict {t.verdict} not understood")
    return "LT_NEVER", sibling


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("c", "rust", "list"):
        sys.exit("usage: gen_litmus.py c|rust|list SRCTREE [HARNESS.rs]")
    mode, srctree = sys.argv[1], sys.argv[2]
    try:
        tests = [Test(f) for f in find_tests(srctree)]
        if mode == "c":
            sys.stdout.write(emit_c(tests))
        elif mode == "rust":
            if len(sys.argv) != 4:
                sys.exit("usage: gen_litmus.py rust SRCTREE HARNESS.rs")
            sys.stdout.write(emit_rust(tests, sys.argv[3]))
        else:
            for t in tests:
                print(f"{t.name}\t{len(t.threads)}\t{t.verdict}\t{','.join(t.primitives())}")
    except LitmusError as e:
        sys.exit(f"gen_litmus.py: {e}")


if __name__ == "__main__":
    main()
