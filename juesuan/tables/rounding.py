"""Controlled rounding (舍位平衡): one rounding of the yuan facts for every table.

Every displayed figure is a signed sum of *leaves* (the model's yuan amounts).
We round each leaf once, to a multiple of the display unit (100 yuan = 0.01 万元),
and display every figure as the sum of its rounded leaves. So every additive
identity between displayed figures holds exactly, and one quantity prints one
figure wherever it appears.

The choice is not free: each displayed figure must stay within one unit of its own
yuan value (it is the floor or the ceiling of the true value; an exact value stays
exact). This is the controlled rounding problem (Cox 1987). Rows × columns with
hierarchical subtotals on one axis is totally unimodular and always solvable; the
nine tables together are not quite, so we solve it by a small, deterministic local
search (WalkSAT style) that starts from round-half-up and flips leaves between
floor and ceiling:

* hard constraints: every displayed figure within one unit; ``ties`` (two figures of
  one fact computed from different leaves, e.g. T6's total and T5's 基本支出) equal;
* soft preferences: each figure equal to its round-half-up value (weighted, totals
  most), and ``soft_ties`` equal (figures of equal yuan value in different tables).

If the search cannot satisfy every hard constraint (never seen on real data) the
best assignment found is used and ``RoundingResult.violations`` says where.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

__all__ = ["Expr", "controlled_round", "RoundingResult", "UNIT_YUAN"]

UNIT_YUAN = Decimal(100)  # 0.01 万元

Expr = Mapping[Hashable, int]  # leaf key -> coefficient (+1 / -1)


@dataclass
class RoundingResult:
    leaves: dict[Hashable, Decimal]          # rounded yuan value of every leaf
    violations: list[tuple[Expr, Decimal, Decimal]] = field(default_factory=list)
    flips: int = 0

    def value(self, expr: Expr) -> Decimal:
        return sum((self.leaves[k] * c for k, c in expr.items()), Decimal(0))


def _floor_units(v: Decimal, unit: Decimal) -> tuple[int, Decimal]:
    u = v / unit
    f = u.to_integral_value(rounding=ROUND_FLOOR)
    return int(f), u - f


def controlled_round(
    leaves: Mapping[Hashable, Decimal],
    quantities: Sequence[tuple[Expr, int]],
    ties: Sequence[tuple[Expr, Expr]] = (),
    soft_ties: Sequence[tuple[Expr, Expr]] = (),
    unit: Decimal = UNIT_YUAN,
    max_flips: int | None = None,
    seed: int = 20231231,
) -> RoundingResult:
    """Round ``leaves`` (yuan) to multiples of ``unit``.

    ``quantities`` are (expression, weight) pairs: the displayed figures. ``max_flips``
    bounds the search for a feasible rounding (default: 1 000 + 5 per fractional leaf; real,
    consistent data needs a few dozen flips — only contradictory data, which the readers
    refuse, exhausts it, and then gets the best rounding found with its violations).
    """
    floor: dict[Hashable, int] = {}
    frac: dict[Hashable, Decimal] = {}
    for k, v in leaves.items():
        floor[k], frac[k] = _floor_units(v, unit)
    var_keys = [k for k in leaves if frac[k] != 0]
    index = {k: i for i, k in enumerate(var_keys)}
    x = [1 if frac[k] >= Decimal("0.5") else 0 for k in var_keys]
    if max_flips is None:
        max_flips = 1000 + 5 * len(var_keys)

    # Each constraint: (var indices, coefs, lo, hi, kind, weight, target)
    cons_vars: list[list[int]] = []
    cons_coef: list[list[int]] = []
    lo: list[int] = []
    hi: list[int] = []
    hard: list[bool] = []
    target: list[int] = []
    weight: list[int] = []

    def add(expr_terms: dict[Hashable, int], lo_off: int, hi_off: int, is_hard: bool,
            tgt: int, w: int) -> None:
        vs, cs = [], []
        for k, c in expr_terms.items():
            if c and k in index:
                vs.append(index[k])
                cs.append(c)
        if not vs:
            return
        cons_vars.append(vs)
        cons_coef.append(cs)
        lo.append(lo_off)
        hi.append(hi_off)
        hard.append(is_hard)
        target.append(tgt)
        weight.append(w)

    # Identical displayed figures (same fractional leaves) are one constraint whose
    # weight adds up: a figure printed in many places matters more.
    merged: dict[frozenset, list] = {}
    for expr, w in quantities:
        terms = {k: c for k, c in expr.items() if c}
        key = frozenset((k, c) for k, c in terms.items() if k in index)
        if not key:
            continue
        if key in merged:
            merged[key][1] += w
            continue
        true_units = sum((leaves[k] * c for k, c in terms.items()), Decimal(0)) / unit
        fl = true_units.to_integral_value(rounding=ROUND_FLOOR)
        base = sum(floor[k] * c for k, c in terms.items())
        near = int(true_units.to_integral_value(rounding=ROUND_HALF_UP))
        f = int(fl)
        c_ = f if fl == true_units else f + 1
        merged[key] = [terms, w, f - base, c_ - base, near - base]
    for terms, w, lo_off, hi_off, tgt in merged.values():
        add(terms, lo_off, hi_off, True, tgt, w)

    def diff_terms(a: Expr, b: Expr) -> tuple[dict, int]:
        t: dict[Hashable, int] = {}
        for k, c in a.items():
            t[k] = t.get(k, 0) + c
        for k, c in b.items():
            t[k] = t.get(k, 0) - c
        base = sum(floor[k] * c for k, c in t.items())
        return t, base

    for a, b in ties:
        t, base = diff_terms(a, b)
        add(t, -base, -base, True, -base, 1)
    for a, b in soft_ties:
        t, base = diff_terms(a, b)
        add(t, -base - 10**9, -base + 10**9, False, -base, 3)

    n_cons = len(cons_vars)
    var_cons: list[list[int]] = [[] for _ in var_keys]
    for ci, vs in enumerate(cons_vars):
        for pos, vi in enumerate(vs):
            var_cons[vi].append((ci, cons_coef[ci][pos]))  # type: ignore[arg-type]
    sums = [sum(c * x[v] for v, c in zip(cons_vars[ci], cons_coef[ci])) for ci in range(n_cons)]

    def hard_viol(ci: int, s: int) -> int:
        if not hard[ci]:
            return 0
        return lo[ci] - s if s < lo[ci] else (s - hi[ci] if s > hi[ci] else 0)

    def soft_pen(ci: int, s: int) -> int:
        return 1000 * weight[ci] * abs(s - target[ci])

    # Tie-break among equally good roundings: the least total rounding error of the
    # leaves (largest-remainder rule), in thousandths of a unit.
    err_up = [int(1000 * (1 - frac[k])) for k in var_keys]    # error when rounded up
    err_down = [int(1000 * frac[k]) for k in var_keys]        # error when rounded down

    def leaf_delta(vi: int) -> int:
        return err_down[vi] - err_up[vi] if x[vi] else err_up[vi] - err_down[vi]

    def delta(vi: int) -> tuple[int, int]:
        d = 1 - 2 * x[vi]
        dh, ds = 0, leaf_delta(vi)
        for ci, c in var_cons[vi]:
            s, s2 = sums[ci], sums[ci] + c * d
            dh += hard_viol(ci, s2) - hard_viol(ci, s)
            ds += soft_pen(ci, s2) - soft_pen(ci, s)
        return dh, ds

    def flip(vi: int) -> None:
        d = 1 - 2 * x[vi]
        x[vi] += d
        for ci, c in var_cons[vi]:
            sums[ci] += c * d

    rng = random.Random(seed)
    flips = 0
    violated = {ci for ci in range(n_cons) if hard_viol(ci, sums[ci])}
    while violated and flips < max_flips:
        ci = rng.choice(sorted(violated))
        cand = cons_vars[ci]
        if rng.random() < 0.15:
            vi = rng.choice(cand)
        else:
            vi = min(cand, key=lambda v: (delta(v), rng.random()))
        flip(vi)
        flips += 1
        for cj, _ in var_cons[vi]:
            if hard_viol(cj, sums[cj]):
                violated.add(cj)
            else:
                violated.discard(cj)

    # Improve the soft preferences without breaking hard constraints: single flips,
    # then compound moves (flip one leaf, repair the hard constraint it breaks with a
    # second flip inside that constraint — e.g. an income and an expenditure leaf
    # that must stay equal move together).
    def soft_of(cs: set[int]) -> int:
        return sum(soft_pen(c, sums[c]) for c in cs)

    def hard_of(cs: set[int]) -> int:
        return sum(hard_viol(c, sums[c]) for c in cs)

    if not violated:
        for _ in range(100):
            best: tuple[int, tuple[int, ...]] | None = None
            for vi in range(len(var_keys)):
                dh, ds = delta(vi)
                if dh <= 0 and ds < 0 and (best is None or ds < best[0]):
                    best = (ds, (vi,))
                    continue
                if dh <= 0:
                    continue
                ci_set = {c for c, _ in var_cons[vi]}
                d_leaf_i = leaf_delta(vi)
                flip(vi)
                broken = [c for c in ci_set if hard_viol(c, sums[c])]
                if len(broken) == 1:
                    for vj in cons_vars[broken[0]]:
                        if vj == vi:
                            continue
                        cs = ci_set | {c for c, _ in var_cons[vj]}
                        flip(vi)
                        before_s = soft_of(cs)
                        flip(vi)
                        d_leaf = d_leaf_i + leaf_delta(vj)
                        flip(vj)
                        if hard_of(cs) == 0:
                            d_s = soft_of(cs) - before_s + d_leaf
                            if d_s < 0 and (best is None or d_s < best[0]):
                                best = (d_s, (vi, vj))
                        flip(vj)
                flip(vi)
            if best is None:
                break
            for v in best[1]:
                flip(v)
                flips += 1

    out: dict[Hashable, Decimal] = {}
    for k in leaves:
        units = floor[k] + (x[index[k]] if k in index else 0)
        out[k] = Decimal(units) * unit
    result = RoundingResult(out, flips=flips)
    for ci in range(n_cons):
        if hard_viol(ci, sums[ci]):
            result.violations.append(({var_keys[v]: c for v, c in zip(cons_vars[ci], cons_coef[ci])},
                                      Decimal(lo[ci]), Decimal(hi[ci])))
    return result
