#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the atomics table of Documentation/rust/memory-model.rst against
the API scripts/gen_atomics.py generates (its `rows` output).

The table is the list-table after the comment `.. rkal-atomics-table`; each
row is `method(args) | C functions | orderings`. A row missing from the doc,
or one the API does not have, fails the check.

Usage: check_memory_model_doc.py memory-model.rst generated-rows-file
"""

import re
import sys


def doc_rows(path):
    text = open(path).read()
    if ".. rkal-atomics-table" not in text:
        raise SystemExit("no '.. rkal-atomics-table' marker in the document")
    text = text.split(".. rkal-atomics-table", 1)[1]
    rows, cells = [], None
    for line in text.splitlines():
        if re.match(r"^\S", line) and cells is not None:
            break
        m = re.match(r"^\s+\* - (.*)$", line)
        if m:
            if cells:
                rows.append(cells)
            cells = [m.group(1)]
            continue
        m = re.match(r"^\s+- (.*)$", line)
        if m and cells is not None:
            cells.append(m.group(1))
    if cells:
        rows.append(cells)
    clean = lambda c: re.sub(r"\s+", " ", c.replace("``", "")).strip()
    # The first row is the header.
    return {" | ".join(clean(c) for c in r) for r in rows[1:]}


def main():
    doc = doc_rows(sys.argv[1])
    gen = {l.strip() for l in open(sys.argv[2]) if l.strip()}
    missing = sorted(gen - doc)
    extra = sorted(doc - gen)
    for m in missing:
        print(f"missing row: {m}")
    for e in extra:
        print(f"extra row: {e}")
    return 1 if missing or extra else 0


if __name__ == "__main__":
    sys.exit(main())
