"""``juesuan compare``: the disclosures the store holds, side by side across departments and years.

Without ``--entity``: one row per disclosure (its latest version) with the quantities of
:data:`juesuan.store.compare.QUANTITIES` — totals and their change against the year before,
basic/project and 人员经费 shares, 三公 by item, 年初预算 completion, 政府采购 and its 中小企业
share, finding counts — as terminal tables (one per view), or ``-o`` an XLSX (a sheet per view,
native charts, conditional formats) or a CSV. With ``--entity``: every figure of that entity
that changed beyond ``--threshold`` between consecutive years, and whether the later year's
情况说明 states a reason for it. See docs/compare.md.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from ._app import command, console, option, usage_error
from .db import db_option, one_entity, open_store, print_table

_FORMATS = ("xlsx", "csv")


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    out = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if "-" in part[1:]:
            a, b = part.split("-", 1)
            if a.strip().isdigit() and b.strip().isdigit() and int(a) <= int(b):
                out.extend(range(int(a), int(b) + 1))
                continue
        if not part.isdigit():
            usage_error(f"年度写法不对：{text}（应为 2023,2024 或 2021-2024）")
        out.append(int(part))
    return out


def _threshold(text: str) -> Decimal:
    t = text.strip().rstrip("%％").strip()
    try:
        v = Decimal(t)
    except InvalidOperation:
        v = Decimal(-1)
    if not v.is_finite() or v < 0:
        usage_error(f"变动幅度写法不对：{text}（应为百分数，如 10% 或 10）")
    return v


def _format(out: Path | None) -> str | None:
    if out is None:
        return None
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        usage_error(f"不支持的输出格式：{out.suffix or '（无扩展名）'}（可选：.xlsx、.csv）")
    return fmt


@command("compare", help="比较数据库中的决算公开：各单位、各年度的总额及增减、支出结构、人员经费占比、“三公”经费、"
                         "年初预算完成率、政府采购及中小企业占比、审核结果；--entity 列出一个单位逐年变动较大的数字"
                         "及情况说明是否说明了原因。",
         notes="每份决算公开取最新版本；文件中没有给出的数字留空（不作 0）。"
               "金额为万元（两位小数），占比、增减率为百分数。"
               "政府采购、年初预算取自情况说明（导入时保存）。退出码：0 正常，2 参数或数据库有误。",
         examples=("juesuan compare --region 汉阳区 --years 2023,2024",
                   "juesuan compare --years 2023,2024 -o 比较.xlsx",
                   "juesuan compare --entity 武汉市汉阳区大数据中心 --threshold 10%"))
@db_option
@option("--region", default=None, help="地区名称中含有此文字（如 汉阳区、武汉市）。")
@option("--years", default=None, help="年度，逗号分隔或区间（如 2023,2024 或 2021-2024）；默认全部。")
@option("--kind", default="final", help="类型：final（决算，默认）。")
@option("--entity", default=None, help="只看这个单位（全称、名称的一部分或 ID）：列出逐年变动超过 --threshold 的数字。")
@option("--threshold", default="10%", help="--entity 时的变动幅度（默认 10%）：增减率的绝对值超过它的数字列出。")
@option("-o", "--out", type=Path, default=None, metavar="FILE",
        help="另写出 .xlsx（每个视图一张工作表，含图表与条件格式）或 .csv（UTF-8 带 BOM）。")
def compare(db: str | None = None, region: str | None = None, years: str | None = None, kind: str = "final",
            entity: str | None = None, threshold: str = "10%", out: Path | None = None) -> None:
    from ..store.compare import VIEWS, shown, view_table, write_compare
    from ..store.store import KIND_LABELS
    if kind not in KIND_LABELS:
        usage_error(f"未知的类型：{kind}（可选：{'、'.join(KIND_LABELS)}）")
    wanted = _years(years)
    fmt = _format(out)
    limit = _threshold(threshold)
    store = open_store(db)
    try:
        if entity is not None:
            _year_over_year(store, entity, limit, kind, out, fmt, wanted)
            return
        from ..store.compare import compare_rows
        rows = compare_rows(store, region=region, years=wanted, kind=kind)
    finally:
        store.close()
    if not rows:
        console.print(f"没有符合条件的决算公开（数据库：{store.where}）。")
        return
    for view in VIEWS:
        cols, data = view_table(rows, view)
        console.print(f"【{view}】" + ("（金额单位：万元）" if any(c.kind == "amount" for c in cols) else ""),
                      style="bold")
        print_table(*_compact(cols, data, shown))
    console.print(f"共 {len(rows)} 份决算公开（每份取最新版本）。金额单位：万元；空白：文件中没有给出。"
                  f"数据库：{store.where}")
    if out is not None:
        write_compare(out, rows, fmt)
        console.print(f"已写出 {out}")


def _compact(cols, data, shown) -> tuple[list[str], list[list[str]]]:
    """A view for the terminal: amounts without their unit in the header, a change and its rate in
    one column (+12.34（+5.67%）), no version id."""
    titles, picks = [], []
    for j, c in enumerate(cols):
        if c.title == "版本ID" or c.kind == "change_pct":
            continue
        if c.kind == "change":
            titles.append("较上年")
        else:
            titles.append(c.title.replace("（万元）", ""))
        picks.append(j)
    out = []
    for r in data:
        line = []
        for j in picks:
            c = cols[j]
            text = shown(r[j], c.kind)
            if c.kind == "change" and r[j + 1] is not None:
                text += f"（{shown(r[j + 1], 'change_pct')}%）"
            line.append(text)
        out.append(line)
    return titles, out


def _year_over_year(store, entity: str, limit: Decimal, kind: str, out: Path | None, fmt: str | None,
                    wanted: list[int] | None) -> None:
    from ..store.compare import STATED, shown, write_yoy, year_over_year, yoy_table
    e = one_entity(store, entity)
    changes = year_over_year(store, e["id"], limit, kind)
    if wanted:
        changes = [c for c in changes if c.year in wanted]
    years = sorted({v["year"] for v in store.history(e["id"]) if v["kind"] == kind})
    console.print(f"{e['name']}：数据库中有 {'、'.join(map(str, years)) or '（无）'} 年度", style="bold")
    if not changes:
        pairs = [y for y in years if y - 1 in years]
        console.print("没有相邻两个年度可比较。" if not pairs else f"相邻年度间没有变动超过 {limit}% 的数字。")
    else:
        cols, data = yoy_table(changes)
        print_table([c.title for c in cols if c.title != "原文"],
               [[shown(v, c.kind) for v, c in zip(r, cols) if c.title != "原文"] for r in data])
        tally = {k: sum(1 for c in changes if c.stated == k) for k in STATED}
        console.print(f"变动超过 {limit}% 的数字 {len(changes)} 个：" +
                      "，".join(f"{STATED[k]} {n}" for k, n in tally.items()) + "。金额单位：万元。")
    if out is not None:
        write_yoy(out, changes, fmt)
        console.print(f"已写出 {out}")
