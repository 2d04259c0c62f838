"""The audit engine: select rules by code and run them on a ``Document``.

``check(doc, select, ignore) -> list[Finding]`` with ruff-like ``select``/``ignore`` by code
prefix. The engine knows rules only through the registry (:mod:`juesuan.rules.registry`)
and the one list of families (:mod:`juesuan.final.rules.families`); what a rule reads and
reports is in :mod:`juesuan.rules.context`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..document import Document
from ._memo import Memo, clear_all
from ..errors import Severity
from .context import Context, Finding
from .registry import REGISTRY, Rule

__all__ = ["check", "select_rules", "all_rules", "clear_caches"]


def all_rules() -> list[Rule]:
    """Every rule of the catalogue, by code (importing the families registers them)."""
    from ..final.rules import families  # noqa: F401  - the one list of families
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def clear_caches() -> None:
    """Forget everything memoized across documents (names of table rows, headers, plans).

    Never needed for correctness — every memo is keyed by what it depends on — but it lets a
    benchmark measure the cost of a document that shares no table rows with another.
    """
    clear_all()


_RULES_MEMO = Memo("selected rules", 256)


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Rule]:
    """Rules whose code starts with a prefix of ``select`` (all when empty) and none of ``ignore``."""
    sel = tuple(s.strip().upper() for s in (select or []) if s.strip())
    ign = tuple(s.strip().upper() for s in (ignore or []) if s.strip())
    key = (sel, ign, len(REGISTRY))
    got = _RULES_MEMO.get(key)
    if got is not None:
        return list(got)
    out = []
    for r in all_rules():
        if sel and not any(r.code.startswith(s) for s in sel):
            continue
        if any(r.code.startswith(s) for s in ign):
            continue
        out.append(r)
    _RULES_MEMO.put(key, out)
    return list(out)


def _run_rule(r: Rule, ctx: Context) -> list[Finding]:
    """The rule's findings with its code (and its severity where the finding names none)."""
    out = []
    try:
        for f in r.func(ctx) or ():
            out.append(replace(f, rule=r.code, severity=f.severity or r.severity))
    except Exception as e:  # noqa: BLE001 - a rule bug must not hide the other rules
        out.append(Finding("JS000", "info", f"规则 {r.code} 未能完成检查（{type(e).__name__}: {e}）"))
    return out


def check(doc: Document, select: Iterable[str] | None = None,
          ignore: Iterable[str] | None = None) -> list[Finding]:
    """Run the selected rules on ``doc``; findings sorted by severity, then rule code.

    A rule that crashes on an unexpected document becomes one ``info`` finding
    (JS000) instead of a traceback: checking never stops halfway.
    """
    ctx = Context(doc)
    findings: list[Finding] = []
    for r in select_rules(select, ignore):
        findings.extend(_run_rule(r, ctx))
    ctx.close()
    order = _rule_order()
    findings.sort(key=lambda f: (_RANK.get(f.severity, 9), order.get(f.rule, 0)))
    return findings


_RANK = {s.value: s.rank for s in Severity}
_ORDER = Memo("order of the rules", 16)


def _rule_order() -> dict[str, int]:
    got = _ORDER.get(len(REGISTRY))
    if got is None:
        got = _ORDER.put(len(REGISTRY), {c: i for i, c in enumerate(sorted(REGISTRY))})
    return got
