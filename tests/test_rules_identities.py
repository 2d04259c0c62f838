"""The fast path of the identity rules against the reference evaluator.

``identities.run`` reads declaration lists in one pass and expands only what disagrees
(:mod:`juesuan.rules._fastpath`); ``identities.run_plain`` builds and evaluates every identity.
On the example and on copies of it with perturbed tables (cells moved, blanked, dropped,
negative; rows dropped; tables marked empty; another layout) both must give the same findings
in the same order, for every declaration list of the 决算.
"""

from __future__ import annotations

import copy
import dataclasses
import random
from decimal import Decimal

import pytest

from juesuan.final import identities as I
from juesuan.rules.context import Context
from juesuan.rules.identities import run, run_plain

LISTS = [(name, getattr(I, name)) for name in
         ("HIERARCHY", "TOTALS", "BLOCKS", "ROW_TOTALS", "T1_IDENTITIES", "T4_IDENTITIES", "T9_IDENTITIES",
          "T1_T2", "T1_T3", "T4_INCOME", "T4_T5", "T4_T7_T8", "T5_T6")]


def _perturbed(base, n: int, seed: int):
    rng = random.Random(seed)
    layouts = {id(t.layout): t.layout for t in base.tables}
    out = []
    for _ in range(n):
        ts = copy.deepcopy(base.tables, memo=dict(layouts))
        for _ in range(rng.randint(1, 6)):
            t = rng.choice(list(ts))
            if not t.rows:
                continue
            i = rng.randrange(len(t.rows))
            row = t.rows[i]
            col = rng.choice(list(row.cells) or [None])
            kind = rng.choice(["move", "move", "blank", "negative", "drop_row", "empty", "drop_cell"])
            if kind == "move" and col:
                row.cells[col] = (row.cells[col] or Decimal(0)) + Decimal(rng.choice([1, 2, 5, 100, -3])) / 100
            elif kind == "blank" and col:
                row.cells[col] = None
            elif kind == "negative" and col:
                row.cells[col] = -(row.cells[col] or Decimal("1.00"))
            elif kind == "drop_row":
                del t.rows[i]
            elif kind == "empty":
                t.empty = not t.empty
            elif kind == "drop_cell" and col:
                del row.cells[col]
        out.append(dataclasses.replace(base, tables=ts))
    return out


@pytest.fixture(scope="module")
def documents(example_model):
    from juesuan.final.build import build_tables
    from juesuan.final.narrative import build_document
    docs = []
    for variant in ("national", "shanghai"):
        base = build_document(example_model, build_tables(example_model, variant))
        docs += [base, *_perturbed(base, 80, seed=len(variant))]
    return docs


def _found(findings):
    return [f.to_dict() for f in findings]


def test_fast_path_and_reference_agree(documents):
    reported = 0
    for doc in documents:
        fast_ctx, plain_ctx = Context(doc), Context(doc)
        for name, decls in LISTS:
            together = I.READ_TOGETHER if any(decls is x for x in I.READ_TOGETHER) else ()
            fast = _found(run(fast_ctx, decls, together))
            plain = _found(run_plain(plain_ctx, decls))
            assert fast == plain, (name, doc.entity)
            reported += len(fast)
    assert reported > 200, "the perturbed documents must give findings to compare"


def test_the_fast_path_filters(documents, monkeypatch):
    """The filter is what makes the fast path fast: on the clean example it expands nothing of
    the cell declarations (a fast path that expanded everything would still agree above)."""
    from juesuan.rules import identities
    expanded = []
    real = dict(identities._EXPAND)
    monkeypatch.setattr(identities, "_EXPAND", {k: (lambda fn: lambda ctx, d: expanded.append(d) or fn(ctx, d))(f)
                                                for k, f in real.items()})
    ctx = Context(documents[0])
    for _name, decls in LISTS:
        list(run(ctx, decls, I.READ_TOGETHER if any(decls is x for x in I.READ_TOGETHER) else ()))
    cells = [d for d in expanded if type(d).__name__ in ("FixedSum", "SameFact", "AtLeast")]
    assert cells == []
