"""The audit engine: select rules by code and run them on a ``Document``.

``check(doc, rules, select, ignore) -> list[Finding]`` with ruff-like ``select``/``ignore`` by
code prefix. The engine knows rules only as registered ``Rule`` values (:mod:`juesuan.rules.registry`)
handed to it — a kind's catalogue, by the pipeline; what a rule reads and reports is in
:mod:`juesuan.rules.context`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..document import Document
from ..errors import Severity
from ._memo import Memo, clear_all
from .certainty import certain
from .context import Context, Finding
from .registry import Rule

__all__ = ["check", "select_rules", "clear_caches"]


def clear_caches() -> None:
    """Forget everything memoized across documents (names of table rows, headers, plans).

    Never needed for correctness — every memo is keyed by what it depends on — but it lets a
    benchmark measure the cost of a document that shares no table rows with another.
    """
    clear_all()


_RULES_MEMO = Memo("selected rules", 256)   # (id(rules), select, ignore) → (rules, selection)


def select_rules(rules: Sequence[Rule], select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None) -> list[Rule]:
    """The rules whose code starts with a prefix of ``select`` (all when empty) and none of ``ignore``."""
    sel = tuple(s.strip().upper() for s in (select or []) if s.strip())
    ign = tuple(s.strip().upper() for s in (ignore or []) if s.strip())
    key = (id(rules), sel, ign)
    got = _RULES_MEMO.get(key)
    if got is not None and got[0] is rules:
        return list(got[1])
    out = [r for r in rules
           if (not sel or any(r.code.startswith(s) for s in sel)) and not any(r.code.startswith(s) for s in ign)]
    _RULES_MEMO.put(key, (rules, out))
    return list(out)


def _run_rule(r: Rule, ctx: Context) -> list[Finding]:
    """The rule's findings with its code (and its severity where the finding names none)."""
    out = []
    try:
        for f in r.func(ctx) or ():
            out.append(Finding(r.code, f.severity or r.severity, f.message, f.places, f.figures, f.tag, f.assumes))
    except Exception as e:  # noqa: BLE001 - a rule bug must not hide the other rules
        out.append(Finding("JS000", "info", f"规则 {r.code} 未能完成检查（{type(e).__name__}: {e}）"))
    return out


def check(doc: Document, rules: Sequence[Rule], select: Iterable[str] | None = None,
          ignore: Iterable[str] | None = None) -> list[Finding]:
    """Run the selected ``rules`` on ``doc``; findings sorted by severity, then rule code.

    A rule that crashes on an unexpected document becomes one ``info`` finding
    (JS000) instead of a traceback: checking never stops halfway. An error that rests on a
    figure not read with certainty becomes "无法核对" (:mod:`juesuan.rules.certainty`).
    """
    ctx = Context(doc)
    findings: list[Finding] = []
    for r in select_rules(rules, select, ignore):
        findings.extend(_run_rule(r, ctx))
    ctx.close()
    findings = certain(findings, doc)
    order = {r.code: i for i, r in enumerate(sorted(rules, key=lambda r: r.code))}
    findings.sort(key=lambda f: (_RANK.get(f.severity, 9), order.get(f.rule, 0)))
    return findings


_RANK = {s.value: s.rank for s in Severity}
