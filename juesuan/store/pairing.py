"""A unit's 决算 and its 预算 of the same year, checked against each other in the store.

When the store holds the latest version of a unit's 部门决算 and of its 部门预算 for the same year,
:func:`pair` runs the cross-document check (:func:`juesuan.pipeline.check_pair`: the 决算's
年初预算 figures, 三公 budgets, projects and performance targets against the budget's) and keeps
its findings **on the 决算 version**, each naming its places in both files. They are that
version's findings like its own — counted in its errors and warnings, listed by ``db show`` and
the document page, matched between versions by their fingerprint — told apart by their ``seq``
(from :data:`CROSS_SEQ` on; the 决算's own findings are numbered from 0). A diagnostic of the 决算
version (code :data:`PAIR_CODE`) says which 预算 version it was checked with.

Either side's new version makes the pair check again: a new 决算 version is checked with the
latest 预算 (the earlier 决算 version keeps the cross findings it had); a new 预算 version
replaces the cross findings of the latest 决算 version, which now stand against that 预算 (the
pair is the 决算 with the budget as it is now). A pair already checked with these two versions
is not checked again (:func:`pending`: what a resumed batch pairs).

No migration: the findings table holds cross findings as it holds any, the marker lives in the
version's diagnostics. The documents are those at hand (the import just read one), else read
again from their source files (``locate``: the web's uploaded copies); a side whose file is
gone cannot be checked, and the pair is left as it was (:attr:`Paired.note` says why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .. import pipeline
from ..errors import InputError
from .engine import retrying
from .records import finding_rows
from .schema import disclosures, entities, findings, versions
from .store import Store

__all__ = ["CROSS_SEQ", "PAIR_CODE", "Pair", "Paired", "pairs", "pending", "pair", "pair_all", "check_files",
           "cross_of", "paired_budget", "unpair", "unit_key"]

CROSS_SEQ = 1_000_000      # a cross finding's seq on the 决算 version: CROSS_SEQ, CROSS_SEQ + 1 …
PAIR_CODE = "pair"         # the 决算 version's diagnostic naming the 预算 version it was checked with
KINDS = ("final", "budget")


@dataclass(frozen=True)
class Pair:
    """The latest 决算 version and the latest 预算 version of one entity and year (version rows as
    :meth:`Store.versions` gives them)."""
    final: dict[str, Any]
    budget: dict[str, Any]


@dataclass
class Paired:
    """What :func:`pair` did: checked (``findings`` stored on ``final_id``), or not (``note``)."""
    final_id: int
    budget_id: int
    findings: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)      # the 决算 version's counts afterwards
    note: str | None = None                                   # why it was not checked (Chinese)

    @property
    def checked(self) -> bool:
        return self.note is None


def unit_key(name: str) -> str:
    """A unit's name as pairing compares it: normalised as the cross check compares names (look-alike
    characters, no spaces or punctuation) and without "（本级）" (深圳市财政局（本级）'s 预算 is
    深圳市财政局's). Names that differ otherwise (a place-name prefix left out) are other entities
    of the store, not paired: a prefix is too weak a sign to join two entities' documents."""
    from ..across.facts import name_key
    return name_key(name).removesuffix("本级")


def pairs(store: Store, keys: Iterable[tuple[int, int]]) -> list[Pair]:
    """The pairs of the (entity id, year) ``keys`` that have both a 决算 and a 预算 (latest versions):
    the entity's own, or one of an entity whose name is the same unit's (:func:`unit_key`) — when
    only one entity has each kind (else the entity's own, or none). A few statements whatever the
    number of keys: whether both kinds are there at all, the keys' names, the disclosures of their
    years, the pairs' latest versions."""
    wanted = sorted(set(keys))
    if not wanted:
        return []
    years = {y for _, y in wanted}
    with store.engine.connect().execution_options(readonly=True) as conn:
        # a store (a batch) of one kind only in these years: nothing to pair, said by one statement
        kinds_there = conn.execute(sa.select(disclosures.c.kind).distinct()
                                   .where(disclosures.c.year.in_(years), disclosures.c.kind.in_(KINDS))).scalars().all()
        if len(kinds_there) < len(KINDS):
            return []
        names: dict[int, str] = {}
        for chunk in (wanted[k: k + 400] for k in range(0, len(wanted), 400)):
            names.update(conn.execute(sa.select(entities.c.id, entities.c.name)
                                      .where(entities.c.id.in_({e for e, _ in chunk}))).all())
        asked = {(unit_key(names[e]), y): e for e, y in wanted if e in names}
        # (unit, year) → kind → {entity id: disclosure id}
        found: dict[tuple[str, int], dict[str, dict[int, int]]] = {}
        q = (sa.select(disclosures.c.id, disclosures.c.entity_id, disclosures.c.year, disclosures.c.kind,
                       entities.c.name).join(entities, entities.c.id == disclosures.c.entity_id)
             .where(disclosures.c.year.in_(years), disclosures.c.kind.in_(KINDS)))
        for r in conn.execute(q):
            key = (unit_key(r.name), r.year)
            if key in asked:
                found.setdefault(key, {}).setdefault(r.kind, {})[r.entity_id] = r.id
        chosen: list[tuple[int, int]] = []           # (final disclosure, budget disclosure)
        for key, kinds in found.items():
            own = asked[key]
            sides = []
            for kind in KINDS:
                there = kinds.get(kind, {})
                sides.append(there[own] if own in there else next(iter(there.values())) if len(there) == 1 else None)
            if None not in sides:
                chosen.append((sides[0], sides[1]))
        if not chosen:
            return []
        latest = (sa.select(versions.c.disclosure_id, sa.func.max(versions.c.number).label("n"))
                  .group_by(versions.c.disclosure_id).subquery())
        ids = sorted({d for c in chosen for d in c})
        by_disclosure: dict[int, int] = {}
        for chunk in (ids[k: k + 400] for k in range(0, len(ids), 400)):
            by_disclosure.update(conn.execute(
                sa.select(versions.c.disclosure_id, versions.c.id)
                .join(latest, sa.and_(latest.c.disclosure_id == versions.c.disclosure_id,
                                      latest.c.n == versions.c.number))
                .where(versions.c.disclosure_id.in_(chunk))).all())
    rows = {v["id"]: v for v in store.versions(ids=list(by_disclosure.values()))}
    return sorted((Pair(rows[by_disclosure[f]], rows[by_disclosure[b]]) for f, b in chosen
                   if by_disclosure.get(f) in rows and by_disclosure.get(b) in rows),
                  key=lambda p: (p.final["entity"], p.final["year"]))


def paired_budget(final_version: dict[str, Any]) -> dict[str, Any] | None:
    """The pairing diagnostic of a 决算 version (``budget_version``, ``budget_file``, ``count``), or
    None: not checked with a 预算."""
    return next((d for d in final_version.get("diagnostics") or () if d.get("code") == PAIR_CODE), None)


def pending(store: Store, keys: Iterable[tuple[int, int]]) -> list[Pair]:
    """The pairs of ``keys`` whose latest 决算 was not checked with their latest 预算 yet."""
    out = []
    for p in pairs(store, keys):
        mark = paired_budget(p.final)
        if mark is None or mark.get("budget_version") != p.budget["id"]:
            out.append(p)
    return out


def _source(v: dict[str, Any]) -> Path | None:
    if v.get("path"):
        p = Path(v["path"])
        if p.exists():
            return p
    return None


def pair(store: Store, p: Pair, documents: dict[int, Any] | None = None,
         locate: Callable[[dict[str, Any]], Path | None] = _source,
         name: Callable[[dict[str, Any]], str] | None = None,
         checker: Callable[[Path, Path, str, str], list] | None = None) -> Paired:
    """Check the pair and keep its findings on the 决算 version (replacing the cross findings it had).
    ``documents``: the versions' documents at hand by version id (others are read again from
    ``locate(version)``); ``name(version)``: the file name the findings' places give (default: the
    path it was imported from); ``checker(final path, budget path, final name, budget name)``: read
    and check both elsewhere (the web: in its bounded worker process, :func:`check_files`), instead
    of here."""
    documents = documents or {}
    name = name or (lambda v: v.get("path") or v.get("file") or "")
    docs: dict[str, Any] = {}
    paths: dict[str, Path] = {}
    for side, v in (("final", p.final), ("budget", p.budget)):
        doc = documents.get(v["id"]) if checker is None else None
        if doc is None:
            src = locate(v)
            if src is None:
                return Paired(p.final["id"], p.budget["id"],
                              note=f"原文件已不在（{v.get('path') or v.get('file')}），未与另一份交叉核对")
            paths[side] = src
            if checker is None:
                try:
                    doc = _read(src, side)
                except InputError as e:
                    why = e.diagnostics[0].message if e.diagnostics else str(e)
                    return Paired(p.final["id"], p.budget["id"], note=f"无法重新读取 {src.name}：{why}")
        docs[side] = doc
    try:
        if checker is not None:
            found = checker(paths["final"], paths["budget"], name(p.final), name(p.budget))
        else:
            found = pipeline.check_pair(docs["final"], docs["budget"], name(p.final), name(p.budget))
    except InputError as e:
        why = e.diagnostics[0].message if e.diagnostics else str(e)
        return Paired(p.final["id"], p.budget["id"], note=f"交叉核对未能进行：{why}")
    except Exception as e:  # noqa: BLE001 - a fault of the cross check must not undo or stop the imports
        return Paired(p.final["id"], p.budget["id"],
                      note=f"交叉核对出错（{type(e).__name__}：{e}），其余照常；请用 juesuan check --budget 单独核对")
    rows = finding_rows(found, CROSS_SEQ)
    counts = _store_cross(store, p, rows, name(p.budget))
    if counts is None:
        return Paired(p.final["id"], p.budget["id"], note="核对期间有了更新的版本，由其导入时核对")
    return Paired(p.final["id"], p.budget["id"], rows, counts)


def _read(src: Path, side: str) -> Any:
    try:
        return pipeline.load(src, pipeline.kind_named(side)).document
    except (OSError, ValueError) as e:
        from ..errors import Diagnostic
        raise InputError([Diagnostic("error", str(e), file=str(src))]) from None


def check_files(args: tuple[str, str, str, str]) -> list:
    """(final path, budget path, final name, budget name) → the cross findings: both files read
    and checked (what :func:`pair`'s ``checker`` runs in a worker process)."""
    final, budget, final_name, budget_name = args
    return pipeline.check_pair(_read(Path(final), "final"), _read(Path(budget), "budget"), final_name, budget_name)


def pair_all(store: Store, keys: Iterable[tuple[int, int]], documents: dict[int, Any] | None = None,
             locate: Callable[[dict[str, Any]], Path | None] = _source,
             name: Callable[[dict[str, Any]], str] | None = None,
             checker: Callable[[Path, Path, str, str], list] | None = None) -> list[Paired]:
    """:func:`pair` each pending pair of ``keys`` (see :func:`pending`)."""
    return [pair(store, p, documents, locate, name, checker) for p in pending(store, keys)]


def cross_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cross findings among a version's findings."""
    return [f for f in rows if f["seq"] >= CROSS_SEQ]


def _store_cross(store: Store, p: Pair, rows: list[dict[str, Any]], budget_file: str) -> dict[str, int] | None:
    """Replace the 决算 version's cross findings with ``rows``, recount it, mark it checked with the
    预算 version — in one transaction, the 决算 version's row locked (PostgreSQL; SQLite: the write
    lock), so that two imports pairing at once keep one set. None: either side is no longer the
    latest version (the newer one pairs when it is stored)."""
    fid, bid = p.final["id"], p.budget["id"]

    def work() -> dict[str, int] | None:
        with store.engine.begin() as conn:
            lock = sa.select(versions.c.id, versions.c.diagnostics).where(versions.c.id == fid)
            if conn.dialect.name == "postgresql":
                lock = lock.with_for_update()
            row = conn.execute(lock).first()
            if row is None:
                return None
            for v in (p.final, p.budget):
                newest = conn.execute(sa.select(sa.func.max(versions.c.number))
                                      .where(versions.c.disclosure_id == v["disclosure_id"])).scalar()
                if newest != v["number"]:
                    return None
            conn.execute(sa.delete(findings).where(findings.c.version_id == fid, findings.c.seq >= CROSS_SEQ))
            if rows:
                conn.execute(sa.insert(findings), [{**r, "version_id": fid} for r in rows])
            counts = _recount(conn, fid)
            mark = {"severity": "info", "code": PAIR_CODE, "budget_version": bid, "budget_file": budget_file,
                    "count": len(rows),
                    "message": f"已与 {p.budget['year']} 年部门预算（#{bid} 第{p.budget['number']}版，"
                               f"{budget_file}）交叉核对：{_found(rows)}"}
            diagnostics = [d for d in (row.diagnostics or []) if d.get("code") != PAIR_CODE] + [mark]
            conn.execute(sa.update(versions).where(versions.c.id == fid).values(
                errors=counts["error"], warnings=counts["warning"], infos=counts["info"], status=_status(counts),
                diagnostics=diagnostics))
            return counts
    return retrying(work)


def unpair(conn: sa.Connection, version_id: int, disclosure_id: int) -> None:
    """In :meth:`Store.delete`'s transaction: a 预算 version being deleted takes the cross findings
    of the 决算 versions checked with it away with it (they are recounted; the next import of
    either side pairs the latest again)."""
    d = conn.execute(sa.select(disclosures.c.year, disclosures.c.kind, entities.c.name)
                     .join(entities, entities.c.id == disclosures.c.entity_id)
                     .where(disclosures.c.id == disclosure_id)).first()
    if d is None or d.kind != "budget":
        return
    unit = unit_key(d.name)
    q = (sa.select(versions.c.id, versions.c.diagnostics, entities.c.name)
         .join(disclosures, disclosures.c.id == versions.c.disclosure_id)
         .join(entities, entities.c.id == disclosures.c.entity_id)
         .where(disclosures.c.year == d.year, disclosures.c.kind == "final"))
    for fid, diagnostics, name in conn.execute(q).all():
        if unit_key(name) != unit or not any(
                x.get("code") == PAIR_CODE and x.get("budget_version") == version_id for x in diagnostics or ()):
            continue
        conn.execute(sa.delete(findings).where(findings.c.version_id == fid, findings.c.seq >= CROSS_SEQ))
        counts = _recount(conn, fid)
        conn.execute(sa.update(versions).where(versions.c.id == fid).values(
            errors=counts["error"], warnings=counts["warning"], infos=counts["info"], status=_status(counts),
            diagnostics=[x for x in diagnostics if x.get("code") != PAIR_CODE]))


def _recount(conn: sa.Connection, version_id: int) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for severity, n in conn.execute(sa.select(findings.c.severity, sa.func.count())
                                    .where(findings.c.version_id == version_id).group_by(findings.c.severity)):
        counts[severity] = n
    return counts


def _status(counts: dict[str, int]) -> str:
    return "error" if counts["error"] else "warning" if counts["warning"] else "ok"


def _found(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "没有发现不一致"
    n = {s: sum(1 for r in rows if r["severity"] == s) for s in ("error", "warning", "info")}
    return f"错误 {n['error']}，警告 {n['warning']}，提示 {n['info']}"
