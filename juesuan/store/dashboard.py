"""What the web's dashboard asks the store: a region's departments in a year, their state and key figures.

* :func:`overview` — every department (entity) known in a region, with the state of its
  disclosure of the year (:data:`STATES`: 未提交 / 有错误 / 有警告 / 通过 / 已公开), the error
  and warning counts and the key figures of its latest version, and the count of each state.
  A department is *known* when the store has an entity of it (a document of any year or kind)
  or a department user account names it; 未提交 is one without a version of that year.
* :func:`key_figures` — the :data:`KEY_FIGURES` of versions, evaluated from the declarations
  of :mod:`.compare` (``QUANTITIES``): the same figure the compare tables show, blank (None)
  when the document does not give it, never 0.
* :func:`entity_versions` — one entity's versions across years with state and key figures.
* :func:`set_published` — mark a disclosure 已公开 (``disclosure_status``) or undo it.

Each is one or a few SQL statements whatever the store's size: the latest version of each
disclosure by a window query, the figures of all listed versions in one statement over the
same filters (no query per row, no loading of every fact). A department user's restriction is
applied in SQL (``department``: its entity, or an entity whose parent is it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from .compare import CENT, QUANTITIES, F, N, Quantity, wan
from .engine import retrying
from .schema import disclosure_status, disclosures, entities, key_facts, users, versions
from .store import STATUS_LABELS, Store

__all__ = ["STATES", "STATE_TEXT", "KEY_FIGURES", "Department", "Overview", "overview", "departments",
           "key_figures", "fill_figures", "key_quantities", "entity_versions", "entity_of", "regions", "years",
           "set_published", "disclosure_of", "latest_year"]

# a department's state in a year, in the order the dashboard shows and counts them
STATES = ("missing", "error", "warning", "ok", "published")
STATE_TEXT = {"missing": "未提交", **STATUS_LABELS, "published": "已公开"}
# the key figures of a department (keys of compare.QUANTITIES): 收入合计, 支出合计,
# 一般公共预算财政拨款支出, 三公经费决算合计
KEY_FIGURES = ("income", "expenditure", "general_final", "3p_final_total")

_PARENT = entities.alias("parent")


@dataclass
class Department:
    """One row of the dashboard: a department and its disclosure of the year (if any)."""
    entity_id: int | None          # None: named only by a department user account
    name: str
    region: str | None
    state: str                     # STATES
    disclosure_id: int | None = None
    version_id: int | None = None  # its latest version of the year
    number: int | None = None
    errors: int | None = None
    warnings: int | None = None
    imported_at: datetime | None = None
    published_by: str | None = None
    published_at: datetime | None = None
    budget_id: int | None = None   # the latest version of its 预算 of the year (a 决算 dashboard), if any
    figures: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def state_text(self) -> str:
        return STATE_TEXT[self.state]


@dataclass
class Overview:
    region: str | None
    year: int | None
    departments: list[Department]
    counts: dict[str, int]         # every state → how many departments (before the state and search filters)
    regions: list[str]             # the regions there are departments of (for the filter)
    years: list[int]               # the years there are disclosures of, newest first


@dataclass
class _Cells:
    """What a quantity's expression reads (as compare's own source): a version's cells in 万元 as
    displayed, its narrative figures, its finding counts."""
    facts: dict[tuple[str, str, str], Decimal]
    narrative: dict[str, Decimal]
    counts: dict[str, int]


def key_quantities() -> list[Quantity]:
    return [next(q for q in QUANTITIES if q.key == k) for k in KEY_FIGURES]


def _needs_narrative(expr: Any) -> bool:
    if isinstance(expr, N):
        return True
    return any(_needs_narrative(getattr(expr, a)) for a in ("num", "den") if hasattr(expr, a)) or \
        any(_needs_narrative(t) for t in getattr(expr, "terms", ()))


def _cells(expr: Any) -> list[tuple[str, str, str]]:
    """The table cells (table, row key, column) an expression reads, alternatives included."""
    if isinstance(expr, F):
        return [(expr.table, expr.row, expr.column), *expr.alt]
    return [c for a in ("num", "den") if hasattr(expr, a) for c in _cells(getattr(expr, a))] + \
        [c for t in getattr(expr, "terms", ()) for c in _cells(t)]


# A version never changes once written, so its key figures are kept here once computed, by the
# store, the version's id and when it was imported (an id a deleted version had, given again to a
# new one, comes with another time): the dashboard's next request reads only its rows.
_CACHE: OrderedDict[tuple[str, int, Any], dict[str, Decimal | None]] = OrderedDict()
_CACHE_SIZE = 100_000
_LOCK = threading.Lock()


def key_figures(store: Store, ids: list[int], stamps: dict[int, Any] | None = None
                ) -> dict[int, dict[str, Decimal | None]]:
    """The :data:`KEY_FIGURES` of the versions ``ids``: one statement (per 500 versions) that
    fetches only the cells those figures read from ``key_facts`` (the key rows' cells, one to a row),
    each found through its index.
    With ``stamps`` (a version's ``imported_at``), figures computed before are taken from the cache."""
    where = str(store.engine.url)
    out: dict[int, dict[str, Decimal | None]] = {}
    if stamps is not None:
        with _LOCK:
            for vid in ids:
                got = _CACHE.get((where, vid, stamps.get(vid)))
                if got is not None:
                    out[vid] = got
        ids = [vid for vid in ids if vid not in out]
    if not ids:
        return out
    quantities = key_quantities()
    cells = sorted({c for q in quantities for c in _cells(q.expr)})
    cols = (key_facts.c.version_id, key_facts.c.seq, key_facts.c.table_id, key_facts.c.row_key, key_facts.c.column,
            key_facts.c.value, key_facts.c.unit)
    found: dict[int, dict[tuple[str, str, str], Decimal]] = {i: {} for i in ids}
    with store.engine.connect().execution_options(readonly=True) as conn:
        for chunk in (ids[k: k + 500] for k in range(0, len(ids), 500)):
            q = sa.union_all(*(sa.select(*cols).where(key_facts.c.version_id.in_(chunk), key_facts.c.table_id == t,
                                                      key_facts.c.row_key == r, key_facts.c.column == c)
                               for t, r, c in cells))
            for r in sorted(conn.execute(q), key=lambda r: (r.version_id, r.seq)):
                val = wan(r.value, r.unit)
                if val is not None:
                    found[r.version_id].setdefault((r.table_id, r.row_key, r.column), val)
    narrative: dict[int, dict[str, Decimal]] = {}
    if any(_needs_narrative(q.expr) for q in quantities):
        for vid, rows in store.narrative(ids).items():
            narrative[vid] = {}
            for n in rows:
                if n["name"] != "change":
                    narrative[vid].setdefault(n["name"], n["value"].quantize(CENT, ROUND_HALF_UP))
    for vid, got in found.items():
        src = _Cells(got, narrative.get(vid, {}), {"errors": 0, "warnings": 0, "unchecked": 0})
        out[vid] = {q.key: q.expr(src) for q in quantities}
    if stamps is not None:
        with _LOCK:
            for vid in found:
                _CACHE[(where, vid, stamps.get(vid))] = out[vid]
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return out


def _latest(year: int | None, kind: str) -> sa.Subquery:
    """The versions of the year's disclosures of ``kind``, numbered from the latest (rn = 1)."""
    q = (sa.select(versions.c.id, versions.c.disclosure_id, versions.c.number, versions.c.status,
                   versions.c.errors, versions.c.warnings, versions.c.imported_at, disclosures.c.entity_id,
                   sa.func.row_number().over(partition_by=versions.c.disclosure_id,
                                             order_by=versions.c.number.desc()).label("rn"))
         .join(disclosures, disclosures.c.id == versions.c.disclosure_id)
         .where(disclosures.c.kind == kind))
    if year is not None:
        q = q.where(disclosures.c.year == year)
    return q.subquery("latest")


def _visible(department: str | None):
    """The SQL condition of what a department user sees: its entity, or an entity under it."""
    if department is None:
        return sa.true()
    return sa.or_(entities.c.name == department,
                  sa.and_(_PARENT.c.name == department, _PARENT.c.kind != "region"))


def _region_name():
    return sa.case((_PARENT.c.kind == "region", _PARENT.c.name), else_=None)


def _budget_of(year: int | None, kind: str):
    """The latest version of the entity's 预算 of ``year`` (a column of the 决算 dashboard: is its
    budget there?), as a correlated subquery of the rows' one statement; NULL for other kinds."""
    if kind != "final" or year is None:
        return sa.null()
    b = disclosures.alias("budget")
    return (sa.select(versions.c.id).join(b, b.c.id == versions.c.disclosure_id)
            .where(b.c.entity_id == entities.c.id, b.c.year == year, b.c.kind == "budget")
            .order_by(versions.c.number.desc()).limit(1).scalar_subquery())


def _base(region: str | None, year: int | None, kind: str, department: str | None):
    latest = _latest(year, kind)
    state = sa.case((latest.c.id.is_(None), "missing"),
                    (disclosure_status.c.status == "published", "published"), else_=latest.c.status)
    q = (sa.select(entities.c.id.label("entity_id"), entities.c.name, _region_name().label("region"),
                   latest.c.disclosure_id, latest.c.id.label("version_id"), latest.c.number, latest.c.errors,
                   latest.c.warnings, latest.c.imported_at, disclosure_status.c.user_name.label("published_by"),
                   disclosure_status.c.at.label("published_at"), state.label("state"),
                   _budget_of(year, kind).label("budget_id"))
         .select_from(entities)
         .outerjoin(_PARENT, _PARENT.c.id == entities.c.parent_id)
         .outerjoin(latest, sa.and_(latest.c.entity_id == entities.c.id, latest.c.rn == 1))
         .outerjoin(disclosure_status, disclosure_status.c.disclosure_id == latest.c.disclosure_id)
         .where(entities.c.kind != "region", _visible(department)))
    if region:
        q = q.where(sa.func.coalesce(_region_name(), "").contains(region, autoescape=True))
    return q, state, latest


def _account_departments(conn, region: str | None, department: str | None) -> list[str]:
    """Departments a department user account names that the store has no entity of."""
    q = (sa.select(users.c.department).distinct()
         .where(users.c.role == "department", users.c.active == 1, users.c.department.is_not(None),
                ~sa.exists().where(entities.c.name == users.c.department, entities.c.kind != "region")))
    if region:
        q = q.where(users.c.department.contains(region, autoescape=True))
    if department is not None:
        q = q.where(users.c.department == department)
    return sorted(r[0] for r in conn.execute(q))


def departments(store: Store, region: str | None, year: int | None, state: str | None = None,
                q: str | None = None, department: str | None = None, kind: str = "final",
                figures: bool = True, entity_ids: list[int] | None = None) -> list[Department]:
    """The dashboard's rows: every department known in ``region`` (part of its region's name)
    with its state in ``year``, filtered by ``state`` (one of :data:`STATES`) and ``q`` (part of
    its name); a department user's (``department``) only. Ordered by region and name. ``year``
    None: the latest year the store holds."""
    if year is None:
        year = latest_year(store, kind, department)
    base, state_col, _ = _base(region, year, kind, department)
    if state:
        base = base.where(state_col == state)
    if q:
        base = base.where(entities.c.name.contains(q, autoescape=True))
    if entity_ids is not None:
        base = base.where(entities.c.id.in_(entity_ids))
    with store.engine.connect().execution_options(readonly=True) as conn:
        rows = [Department(**r) for r in conn.execute(
            base.order_by(sa.func.coalesce(_region_name(), ""), entities.c.name)).mappings()]
        if state in (None, "missing") and entity_ids is None:
            named = [n for n in _account_departments(conn, region, department) if not q or q in n]
            rows += [Department(None, n, None, "missing") for n in named]
    if figures:
        fill_figures(store, rows)
    return rows


def fill_figures(store: Store, rows: list[Department]) -> None:
    """Set the key figures of the rows that have a version (one statement, or none when known)."""
    listed = {d.version_id: d.imported_at for d in rows if d.version_id is not None}
    got = key_figures(store, list(listed), listed)
    for d in rows:
        if d.version_id is not None:
            d.figures = got.get(d.version_id) or dict.fromkeys(KEY_FIGURES)


def latest_year(store: Store, kind: str = "final", department: str | None = None) -> int | None:
    q = (sa.select(sa.func.max(disclosures.c.year)).select_from(disclosures)
         .join(entities, entities.c.id == disclosures.c.entity_id)
         .outerjoin(_PARENT, _PARENT.c.id == entities.c.parent_id)
         .where(disclosures.c.kind == kind, _visible(department)))
    with store.engine.connect().execution_options(readonly=True) as conn:
        return conn.execute(q).scalar()


def overview(store: Store, region: str | None = None, year: int | None = None, state: str | None = None,
             q: str | None = None, department: str | None = None, kind: str = "final") -> Overview:
    """The dashboard of ``region`` and ``year`` (None: the latest year the store holds)."""
    if year is None:
        year = latest_year(store, kind, department)
    rows = departments(store, region, year, state, q, department, kind)
    counts = dict.fromkeys(STATES, 0)
    if state is None and not q:          # every department is listed: count them
        for d in rows:
            counts[d.state] += 1
    else:
        sub = _base(region, year, kind, department)[0].subquery()
        with store.engine.connect().execution_options(readonly=True) as conn:
            for s, n in conn.execute(sa.select(sub.c.state, sa.func.count()).group_by(sub.c.state)):
                counts[s] = n
            counts["missing"] += len(_account_departments(conn, region, department))
    return Overview(region, year, rows, counts, regions(store, department), years(store, kind, department))


def regions(store: Store, department: str | None = None) -> list[str]:
    """The regions there are departments of (a department user: of its own)."""
    col = _region_name()
    q = (sa.select(col).distinct().select_from(entities).join(_PARENT, _PARENT.c.id == entities.c.parent_id)
         .where(entities.c.kind != "region", _PARENT.c.kind == "region", _visible(department)).order_by(col))
    with store.engine.connect().execution_options(readonly=True) as conn:
        return [r[0] for r in conn.execute(q)]


def years(store: Store, kind: str = "final", department: str | None = None) -> list[int]:
    """The years there are disclosures of ``kind`` of, newest first (a department user: of its own)."""
    q = (sa.select(disclosures.c.year).distinct().select_from(disclosures)
         .join(entities, entities.c.id == disclosures.c.entity_id)
         .outerjoin(_PARENT, _PARENT.c.id == entities.c.parent_id)
         .where(disclosures.c.kind == kind, _visible(department)).order_by(disclosures.c.year.desc()))
    with store.engine.connect().execution_options(readonly=True) as conn:
        return [r[0] for r in conn.execute(q)]


def entity_versions(store: Store, entity_id: int) -> list[dict[str, Any]]:
    """Every version of the entity (oldest first within each disclosure, as ``Store.history``)
    with ``latest`` (the latest of its disclosure), ``state`` (as the dashboard's: the
    disclosure's published status applies to its latest version) and ``figures``."""
    history = store.history(entity_id)
    if not history:
        return []
    with store.engine.connect().execution_options(readonly=True) as conn:
        published = {r.disclosure_id: r for r in conn.execute(
            sa.select(disclosure_status).where(disclosure_status.c.disclosure_id.in_(
                {v["disclosure_id"] for v in history})))}
    figures = key_figures(store, [v["id"] for v in history], {v["id"]: v["imported_at"] for v in history})
    last = {}
    for v in history:
        last[v["disclosure_id"]] = v["id"]
    out = []
    for v in history:
        v = dict(v)
        v["latest"] = last[v["disclosure_id"]] == v["id"]
        p = published.get(v["disclosure_id"])
        v["published_by"], v["published_at"] = (p.user_name, p.at) if p else (None, None)
        v["state"] = "published" if p and v["latest"] else v["status"]
        v["figures"] = figures.get(v["id"], {k: None for k in KEY_FIGURES})
        out.append(v)
    return out


def entity_of(store: Store, entity_id: int) -> dict[str, Any] | None:
    """An entity (not a region): id, name, kind, its parent's name and kind, and its region's
    name (the parent, when that is a region), or None."""
    q = (sa.select(entities.c.id, entities.c.name, entities.c.kind, entities.c.level, entities.c.unit_type,
                   _PARENT.c.name.label("parent"), _PARENT.c.kind.label("parent_kind"),
                   _region_name().label("region"))
         .outerjoin(_PARENT, _PARENT.c.id == entities.c.parent_id)
         .where(entities.c.id == entity_id, entities.c.kind != "region"))
    with store.engine.connect().execution_options(readonly=True) as conn:
        row = conn.execute(q).mappings().first()
    return dict(row) if row else None


def disclosure_of(store: Store, disclosure_id: int) -> dict[str, Any] | None:
    """A disclosure's entity (id, name, its parent's name and kind), year and kind, or None."""
    q = (sa.select(disclosures.c.id, disclosures.c.year, disclosures.c.kind, entities.c.id.label("entity_id"),
                   entities.c.name.label("entity"), _PARENT.c.name.label("parent"),
                   _PARENT.c.kind.label("parent_kind"))
         .join(entities, entities.c.id == disclosures.c.entity_id)
         .outerjoin(_PARENT, _PARENT.c.id == entities.c.parent_id)
         .where(disclosures.c.id == disclosure_id))
    with store.engine.connect().execution_options(readonly=True) as conn:
        row = conn.execute(q).mappings().first()
    return dict(row) if row else None


def set_published(store: Store, disclosure_id: int, user_name: str, published: bool) -> bool:
    """Mark the disclosure 已公开 by ``user_name`` (``published``) or take the mark away.
    True when that changed anything."""
    def work() -> bool:
        with store.engine.begin() as conn:
            had = conn.execute(sa.select(disclosure_status.c.status)
                               .where(disclosure_status.c.disclosure_id == disclosure_id)).scalar()
            if published == (had == "published"):
                return False
            conn.execute(sa.delete(disclosure_status).where(disclosure_status.c.disclosure_id == disclosure_id))
            if published:
                conn.execute(disclosure_status.insert().values(disclosure_id=disclosure_id, status="published",
                                                               user_name=user_name, at=datetime.now(UTC)))
            return True
    return retrying(work)
