"""The dashboard of a region and year, a department's history, the compare tables (docs/web.md 总览).

* ``GET /dashboard?region=&year=&status=&q=`` — every department known in the region with its
  state in the year (未提交 / 有错误 / 有警告 / 通过 / 已公开), counts and key figures of its
  latest version, two charts (inline SVG made here), filters and a live search
  (``GET /dashboard/rows``: the table's body, for htmx);
* ``GET /entities/{id}`` — a department's versions across years and its year-over-year changes;
* ``GET /compare?region=&years=&view=`` — the compare tables (``store/compare.py``) as HTML, and
  ``GET /compare/download?format=xlsx|csv`` the same as a file;
* ``POST /disclosures/{id}/status`` — a reviewer or administrator marks a disclosure 已公开, or
  takes the mark away (audited as ``status``).

The queries are in :mod:`juesuan.store.dashboard`; a department user's restriction is applied
there, in SQL, and checked again here for the pages of one entity or disclosure.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape

from ..store import dashboard as board
from ..store.accounts import User
from ..store.compare import STATED, VIEWS, compare_rows, shown, view_table, write_compare, year_over_year, yoy_table
from ..store.store import KIND_LABELS
from .auth import audit, can_see, csrf, current_user
from .templating import page

router = APIRouter()

TOP = 12                      # departments in the expenditure chart
PAGE = 200                    # the dashboard's rows sent at once (the next as the table is scrolled)


def _department(user: User) -> str | None:
    """The department a user is restricted to (None: sees every department)."""
    return user.department if user.role == "department" else None


def _sees(user: User, name: str | None, parent: str | None = None, parent_kind: str | None = None) -> bool:
    """May ``user`` see an entity ``name`` (whose parent entity is ``parent``)? Its own
    department, or a unit under it (a parent that is not a region)."""
    return can_see(user, name) or (parent_kind not in (None, "region") and can_see(user, parent))


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise HTTPException(400, f"年度应为四位数字（如 2023），收到：{text[:20]}")
    return int(text)


def _state(text: str | None) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    if text in board.STATES:
        return text
    for k, v in board.STATE_TEXT.items():
        if v == text:
            return k
    raise HTTPException(400, f"未知的状态：{text[:20]}（可选：{'、'.join(board.STATE_TEXT.values())}）")


def wan_text(v: Decimal | None) -> str:
    """An amount in 万元 as the tables show it; blank when not given."""
    return "" if v is None else f"{v:,.2f}"


# ------------------------------------------------------------------------------------ charts

_BAR_COLOURS = {"missing": "#8c959f", "error": "#b42318", "warning": "#bf8700", "ok": "#1a7f37",
                "published": "#0b5cad"}


def bars(items: list[tuple[str, Decimal | int, str, str]], title: str, unit: str, css: str) -> Markup:
    """A horizontal bar chart as inline SVG: ``items`` are (label, value, colour, tooltip).
    Widths are whole pixels computed from the values (exact decimals, no float)."""
    label_w, bar_w, value_w, row_h, top = 170, 300, 110, 24, 30
    width, height = label_w + bar_w + value_w, top + row_h * max(1, len(items)) + 8
    most = max((Decimal(v) for _, v, _, _ in items), default=Decimal(0))
    out = [f'<svg class="chart {css}" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="0" y="18" class="chart-title">{escape(title)}</text>']
    if not items:
        out.append(f'<text x="0" y="{top + 16}" class="chart-empty">（无数据）</text>')
    for i, (label, value, colour, tip) in enumerate(items):
        y = top + i * row_h
        w = max(0, int(Decimal(value) * bar_w / most)) if most > 0 else 0     # a negative value: no bar
        text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
        short = label if len(label) <= 12 else label[:11] + "…"
        out.append(f'<g class="bar"><title>{escape(tip)}</title>'
                   f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="chart-label">{escape(short)}</text>'
                   + (f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1)}" height="{row_h - 8}" fill="{colour}"/>'
                      if value > 0 else "")
                   + f'<text x="{label_w + w + 6}" y="{y + 16}" class="chart-value">{escape(text)}</text></g>')
    out.append(f'<text x="{width}" y="18" text-anchor="end" class="chart-unit">{escape(unit)}</text></svg>')
    return Markup("".join(out))


def _short(name: str, region: str | None) -> str:
    return name[len(region):] if region and name.startswith(region) and len(name) > len(region) else name


def _charts(o: board.Overview) -> list[Markup]:
    status = bars([(board.STATE_TEXT[s], o.counts[s], _BAR_COLOURS[s], f"{board.STATE_TEXT[s]}：{o.counts[s]} 个单位")
                   for s in board.STATES], "各状态单位数（个）", "", "chart-status")
    spent = sorted((d for d in o.departments if d.figures.get("expenditure") is not None),
                   key=lambda d: (-d.figures["expenditure"], d.name))[:TOP]
    spending = bars([(_short(d.name, d.region), d.figures["expenditure"], "#0b5cad",
                      f"{d.name}：支出合计 {wan_text(d.figures['expenditure'])} 万元") for d in spent],
                    f"支出合计前 {TOP} 的单位" if len(spent) == TOP else "各单位支出合计", "万元", "chart-expenditure")
    return [status, spending]


# ------------------------------------------------------------------------------------ dashboard

def _query(region: str | None, year: str | None, status: str | None, q: str | None) -> dict[str, str]:
    return {k: v for k, v in (("region", region), ("year", year), ("status", status), ("q", q)) if v}


def _context(user: User, rows: list[board.Department], offset: int, query: dict[str, str] | None,
             state: str | None = None, q: str | None = None, everything: bool = False) -> dict:
    """What the table's rows need: the page of ``rows`` from ``offset`` (all of them when
    ``everything``), and where the next page is (``query``: the filters, None: no next page)."""
    end = len(rows) if everything else offset + PAGE
    more = query is not None and end < len(rows)
    return {"rows": rows[offset:end], "total": len(rows), "shown_to": min(end, len(rows)), "state": state,
            "q": q or "", "states": board.STATES, "state_text": board.STATE_TEXT,
            "figures": board.key_quantities(), "wan": wan_text, "can_publish": user.role in ("admin", "reviewer"),
            "more_url": "/dashboard/rows?" + urlencode({**query, "offset": end}) if more else None,
            "all_url": "/dashboard?" + urlencode({**query, "all": 1}) if more else None}


@router.get("/dashboard", include_in_schema=False)
def dashboard(request: Request, region: str | None = None, year: str | None = None, status: str | None = None,
              q: str | None = None, all: bool = False, user: User = Depends(current_user)):
    """The dashboard; the table's first :data:`PAGE` rows (the rest come as the table is scrolled,
    ``all=1``: every row at once)."""
    store = request.app.state.store
    state = _state(status)
    region, q = (region or "").strip() or None, (q or "").strip() or None
    o = board.overview(store, region, _year(year), state, q, _department(user))
    query = _query(region, str(o.year) if o.year else None, status, q)
    return page(request, "dashboard.html", o=o, charts=_charts(o),
                **_context(user, o.departments, 0, query, state, q, everything=all))


@router.get("/dashboard/rows", include_in_schema=False)
def dashboard_rows(request: Request, region: str | None = None, year: str | None = None,
                   status: str | None = None, q: str | None = None, offset: int = 0,
                   user: User = Depends(current_user)):
    """The table's body (the live search replaces it; the address bar is kept in step), or, from
    ``offset`` on, the next page of its rows (asked for as the table is scrolled)."""
    store = request.app.state.store
    state = _state(status)
    region, q = (region or "").strip() or None, (q or "").strip() or None
    rows = board.departments(store, region, _year(year), state, q, _department(user), figures=False)
    offset = max(0, offset)
    board.fill_figures(store, rows[offset: offset + PAGE])
    query = _query(region, year, status, q)
    response = page(request, "dashboard_rows.html", only_rows=offset > 0,
                    **_context(user, rows, offset, query, state, q))
    if offset == 0:
        response.headers["HX-Replace-Url"] = "/dashboard" + ("?" + urlencode(query) if query else "")
    return response


@router.post("/disclosures/{disclosure_id}/status", include_in_schema=False)
def disclosure_status(request: Request, disclosure_id: int, status: str = Form(""), next: str = Form(""),
                      fragment: str = Form(""), user: User = Depends(csrf)):
    """Mark the disclosure 已公开 (``status=published``) or take the mark away (``status=``)."""
    if user.role not in ("admin", "reviewer"):
        raise HTTPException(403, "只有审核人员和管理员可以标记“已公开”")
    if status not in ("published", ""):
        raise HTTPException(400, "状态只能是 published（已公开）或空（撤销）")
    store = request.app.state.store
    d = board.disclosure_of(store, disclosure_id)
    if d is None:
        raise HTTPException(404, "没有这份公开")
    changed = board.set_published(store, disclosure_id, user.name, status == "published")
    if changed:
        audit(request, "status", f"disclosure {disclosure_id}",
              {"entity": d["entity"], "year": d["year"], "status": status or "unpublished"})
    target = next if next.startswith("/") and not next.startswith("//") else f"/entities/{d['entity_id']}"
    if fragment == "row":
        rows = board.departments(store, None, d["year"], entity_ids=[d["entity_id"]], kind=d["kind"])
        return page(request, "dashboard_rows.html", only_rows=True, **_context(user, rows, 0, None))
    return RedirectResponse(target, status_code=303)


# ------------------------------------------------------------------------------------ one department

@router.get("/entities/{entity_id}", include_in_schema=False)
def entity(request: Request, entity_id: int, threshold: str = "10", user: User = Depends(current_user)):
    store = request.app.state.store
    info = board.entity_of(store, entity_id)
    if info is None or not _sees(user, info["name"], info["parent"], info["parent_kind"]):
        raise HTTPException(404, "没有这个单位")
    try:
        limit = Decimal(threshold.strip().rstrip("%"))
        if limit < 0:
            raise ValueError
    except (ArithmeticError, ValueError):
        raise HTTPException(400, f"变动幅度应为不小于 0 的百分数（如 10），收到：{threshold[:20]}") from None
    history = board.entity_versions(store, entity_id)
    years: dict[tuple[int, str], list[dict]] = {}
    for v in history:
        years.setdefault((v["year"], v["kind"]), []).append(v)
    cols, yoy = yoy_table(year_over_year(store, entity_id, limit))
    return page(request, "history.html", e=info, years=sorted(years.items(), reverse=True), history=history,
                figures=board.key_quantities(), wan=wan_text, state_text=board.STATE_TEXT, yoy_cols=cols,
                yoy=yoy, shown=shown, threshold=limit, stated=STATED,
                kinds=KIND_LABELS, can_publish=user.role in ("admin", "reviewer"))


# ------------------------------------------------------------------------------------ compare

def _years(text: str | None, store, user: User) -> list[int]:
    parts = [p for p in (text or "").replace("，", ",").replace(" ", ",").split(",") if p.strip()]
    years = [_year(p) for p in parts]
    if not years:
        latest = board.latest_year(store, department=_department(user))
        years = [latest] if latest is not None else []
    return sorted(set(years))


def _compare(request: Request, region: str | None, years: list[int], user: User):
    """The compare rows a user may see (a department user's: its own, narrowed in the query)."""
    mine = _department(user)
    rows = compare_rows(request.app.state.store, region=region, years=years or None, entity=mine)
    return [r for r in rows if mine is None or can_see(user, r.entity)]


@router.get("/compare", include_in_schema=False)
def compare(request: Request, region: str | None = None, years: str | None = None, view: str | None = None,
            user: User = Depends(current_user)):
    store = request.app.state.store
    region = (region or "").strip() or None
    chosen = _years(years, store, user)
    view = view if view in VIEWS else VIEWS[0]
    rows = _compare(request, region, chosen, user)
    cols, data = view_table(rows, view)
    query = {k: v for k, v in (("region", region), ("years", ",".join(map(str, chosen)))) if v}
    downloads = [(fmt, what, "/compare/download?" + urlencode({**query, "format": fmt}))
                 for fmt, what in (("xlsx", "XLSX（每个视图一张表，含图表）"), ("csv", "CSV（全部视图的列）"))]
    tabs = [(v, "/compare?" + urlencode({**query, "view": v})) for v in VIEWS]
    return page(request, "compare.html", cols=cols, data=data, tabs=tabs, view=view, region=region or "",
                years=chosen, regions=board.regions(store, _department(user)), shown=shown, downloads=downloads)


@router.get("/compare/download", include_in_schema=False)
def compare_download(request: Request, format: str = "xlsx", region: str | None = None, years: str | None = None,
                     user: User = Depends(current_user)):
    if format not in ("xlsx", "csv"):
        raise HTTPException(400, "格式只能是 xlsx 或 csv")
    store = request.app.state.store
    region = (region or "").strip() or None
    chosen = _years(years, store, user)
    rows = _compare(request, region, chosen, user)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"compare.{format}"
        write_compare(path, rows, format)
        body = path.read_bytes()
    name = f"对比{'-' + region if region else ''}-{'-'.join(map(str, chosen))}.{format}"
    media = "text/csv; charset=utf-8" if format == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=compare.{format}; filename*=UTF-8''{quote(name)}"})
