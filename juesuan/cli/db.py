"""``juesuan db``: the store of imported disclosures (import, list, show, history, export, delete).

Each command opens the store named by ``--db`` (a file path or an URL; default: ``$JUESUAN_DB``,
else ``juesuan.db`` in the user's data directory), upgrading its schema if needed, and calls
:class:`juesuan.store.Store`. A bad file in an import is listed with its reason and the others
go on; the exit status is 1 when any failed. See docs/store.md.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError, Severity
from ._app import Exit, argument, command, console, err_console, group, option, usage_error

group("db", "数据库：导入多份决算公开、预算公开并保存各个版本，列出、查看、比较、导出、删除。")

_DB_HELP = ("数据库：文件路径或地址（如 postgresql://用户:密码@主机/库名）；默认取环境变量 JUESUAN_DB，"
            "否则为用户数据目录中的 juesuan.db。")
_STATUS = {"error": "error", "warning": "warning", "ok": "ok", "有错误": "error", "有警告": "warning", "通过": "ok"}
_KIND = {"final": "final", "budget": "budget", "决算": "final", "预算": "budget"}
_KIND_HELP = "类型：final（决算）或 budget（预算）。"


def db_option(func):
    return option("--db", default=None, metavar="DB", help=_DB_HELP)(func)


def open_store(db: str | None):
    from ..store import Store, StoreError
    try:
        return Store.open(db)
    except StoreError as e:
        err_console.print(str(e), style="red")
        raise Exit(2) from None


def _status(status: str | None) -> str | None:
    if status is None:
        return None
    got = _STATUS.get(status)
    if got is None:
        usage_error(f"未知的状态：{status}（可选：error/有错误、warning/有警告、ok/通过）")
    return got


def _kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    got = _KIND.get(kind)
    if got is None:
        usage_error(f"未知的类型：{kind}（可选：final/决算、budget/预算）")
    return got


def one_entity(store, entity: str) -> dict[str, Any]:
    """The one entity whose name holds ``entity`` (or whose ID it is); none or several is a usage
    error naming them."""
    found = store.entities(entity)
    if not found:
        usage_error(f"数据库中没有名称含“{entity}”的单位（用 juesuan db list 查看）")
    if len(found) > 1:
        names = "、".join(f"{e['name']}（ID {e['id']}）" for e in found[:10])
        usage_error(f"有 {len(found)} 个单位的名称含“{entity}”：{names}；请写全称或 ID")
    return found[0]


def print_table(columns: list[str], rows: list[list[Any]]) -> None:
    """A table on standard output (rich), as wide as the terminal, or 200 columns when redirected."""
    from rich.box import SIMPLE_HEAD
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    tty = getattr(sys.stdout, "isatty", lambda: False)()
    buf = io.StringIO()
    out = Console(file=buf, width=None if tty else 200, force_terminal=False, no_color=True,
                  highlight=False, emoji=False)
    if tty:
        out.size = Console().size
    t = Table(box=SIMPLE_HEAD, pad_edge=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*(Text("" if v is None else str(v)) for v in r))
    out.print(t)
    console.print("\n".join(line.rstrip() for line in buf.getvalue().strip("\n").splitlines()))


def _money(v) -> str:
    """An amount as shown: two decimals at least (1184.7 → 1184.70), every decimal it has beyond."""
    if v is None:
        return ""
    from ..figures import fmt
    return fmt(v) if v.as_tuple().exponent >= -2 else format(v, "f")


def _name(v: dict[str, Any]) -> str:
    from ..store.store import KIND_LABELS
    return f"{v['entity']} {v['year']}年 {KIND_LABELS.get(v['kind'], v['kind'])}"


def _counts(c: dict[str, int]) -> str:
    return f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"


def _reason(e: InputError) -> str:
    errors = [d for d in e.diagnostics if d.severity == "error"] or e.diagnostics
    lines = []
    for d in errors[:3]:
        where = str(d.place._replace(file=None))
        lines.append((f"{where}: " if where else "") + d.message)
    more = f"（另有 {len(errors) - 3} 处）" if len(errors) > 3 else ""
    return "；".join(lines) + more


# ---------------------------------------------------------------------------------- import

@command("db import", help="导入决算公开、预算公开（文件或目录）：解析、审核并存入数据库，"
                           "同一单位同一年度的修改稿存为新版本。",
         notes="是决算还是预算由文件本身判断（部门数据为决算）。同一单位同一年度的决算和预算都在库中时，"
               "自动交叉核对（决算的年初预算数、“三公”预算、项目与绩效目标），发现记在决算的版本上；"
               "任一方导入新版本时重新核对。"
               "已导入过的同一文件（SHA-256 相同）不再重复导入；某个文件无法使用时列出原因，其余照常导入。"
               "退出码：0 全部成功，1 有文件导入失败，2 数据库无法打开。",
         examples=("juesuan db import examples/hanyang-bdc-2023 决算/*.pdf",
                   "juesuan db import 收到的决算/ --db postgresql://reviewer:密码@db.example/juesuan"))
@argument("paths", nargs="+", type=Path, metavar="PATH",
          help="文件（.pdf/.docx/.html/.txt、YAML/JSON、Excel 工作簿）、部门数据目录，或包含它们的目录（逐级查找）。")
@db_option
@option("--region", default=None, help="所属地区（如 武汉市汉阳区），代替数据中或单位名称中的地区。")
@option("--year", type=int, default=None, help="年度，代替文件中的年度（文件中找不到年度时使用）。")
def db_import(paths: list[Path], db: str | None = None, region: str | None = None, year: int | None = None) -> None:
    from ..store import StoreError, walk
    store = open_store(db)
    sources = walk(paths)
    if not sources:
        store.close()
        console.print(f"在 {'、'.join(map(str, paths))} 中没有找到可导入的文件"
                      "（.pdf/.docx/.html/.txt、YAML/JSON、Excel 工作簿或部门数据目录）。", style="red")
        raise Exit(1)
    tally = {"new": 0, "version": 0, "unchanged": 0, "failed": 0}
    try:
        for path in sources:
            try:
                got = store.import_path(path, region=region, year=year)
            except InputError as e:
                tally["failed"] += 1
                console.print(f"失败   {path}：{_reason(e)}", style="red")
                continue
            except StoreError as e:
                err_console.print(str(e), style="red")
                raise Exit(2) from None
            except Exception as e:  # noqa: BLE001 - a reader's own failure on one file must not stop the others
                tally["failed"] += 1
                console.print(f"失败   {path}：处理时出错（{type(e).__name__}：{e}），其余文件照常导入；"
                              "请用 juesuan check 单独检查这个文件", style="red")
                continue
            tally[got.outcome] += 1
            what = f"#{got.version_id} {_name(vars(got))} 第{got.number}版"
            if got.outcome == "unchanged":
                console.print(f"未改动 {path}：同一文件已导入（{what}），未重复导入")
                continue
            line = f"{'已导入' if got.outcome == 'new' else '新版本'} {path} → {what}（{_counts(got.counts)}）"
            if got.diff is not None:
                d = got.diff
                line += (f"；与上一版相比 {len(d.changed) + len(d.added) + len(d.removed)} 个数字不同，"
                         f"修正 {len(d.fixed)} 处问题，新出现 {len(d.new_findings)} 处")
            console.print(line, style="yellow" if got.status == "error" else None)
            _print_paired(got.paired)
    finally:
        store.close()
    console.print(f"共 {len(sources)} 份：新导入 {tally['new']}，新版本 {tally['version']}，"
                  f"未改动跳过 {tally['unchanged']}，失败 {tally['failed']}。数据库：{store.where}")
    if tally["failed"]:
        raise Exit(1)


def _print_paired(paired) -> None:
    """What pairing a 决算 with its 预算 did (``Imported.paired``)."""
    for p in paired:
        if p.checked:
            n = {s: sum(1 for f in p.findings if f["severity"] == s) for s in ("error", "warning", "info")}
            console.print(f"       交叉核对 决算 #{p.final_id} ↔ 预算 #{p.budget_id}：" +
                          (f"错误 {n['error']}，警告 {n['warning']}，提示 {n['info']}（记在决算 #{p.final_id} 上）"
                           if p.findings else "没有发现不一致"),
                          style="yellow" if n["error"] else None)
        else:
            console.print(f"       未能交叉核对 决算 #{p.final_id} ↔ 预算 #{p.budget_id}：{p.note}", style="yellow")


# ---------------------------------------------------------------------------------- list

@command("db list", help="列出数据库中的决算公开、预算公开（每份取最新版本），可按地区、年度、类型、状态筛选。",
         examples=("juesuan db list --region 汉阳区 --year 2023 --status 有错误", "juesuan db list --kind 预算"))
@db_option
@option("--region", default=None, help="地区名称中含有此文字（如 汉阳区、武汉市）。")
@option("--entity", default=None, help="单位名称中含有此文字。")
@option("--year", type=int, default=None, help="年度。")
@option("--kind", default=None, help=_KIND_HELP)
@option("--status", default=None, help="状态：error（有错误）、warning（有警告）、ok（通过）。")
@option("--all", dest="all_versions", action="store_true", help="列出所有版本，而不只是最新版本。")
def db_list(db: str | None = None, region: str | None = None, entity: str | None = None, year: int | None = None,
            kind: str | None = None, status: str | None = None, all_versions: bool = False) -> None:
    from ..store.store import KIND_LABELS, STATUS_LABELS
    status, kind = _status(status), _kind(kind)
    store = open_store(db)
    try:
        rows = store.versions(region=region, year=year, status=status, entity=entity, all_versions=all_versions,
                              kind=kind)
    finally:
        store.close()
    if not rows:
        console.print(f"没有符合条件的记录（数据库：{store.where}）。")
        return
    print_table(["ID", "地区", "单位", "年度", "类型", "版本", "状态", "错误", "警告", "提示", "数据", "导入时间"],
           [[v["id"], v["region"] or "", v["entity"], v["year"], KIND_LABELS.get(v["kind"], v["kind"]),
             v["number"], STATUS_LABELS[v["status"]], v["errors"], v["warnings"], v["infos"], v["fact_count"],
             _time(v["imported_at"])] for v in rows])
    console.print(f"共 {len(rows)} 条。数据库：{store.where}")


def _time(t) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t is not None else ""


# ---------------------------------------------------------------------------------- show

@command("db show", help="查看一个版本：来源文件、审核结果和全部审核发现；--diff 与上一版（或指定版本）比较。",
         examples=("juesuan db show 3", "juesuan db show 3 --diff", "juesuan db show 3 --diff 1",
                   "juesuan db show 3 --facts"))
@argument("version_id", type=int, metavar="ID", help="版本的 ID（db list、db history 中的 ID 列）。")
@db_option
@option("--diff", nargs="?", const=0, type=int, default=None, metavar="ID",
        help="与上一版比较（或与给出 ID 的版本比较）：改变的数字、修正的问题、新出现的问题。")
@option("--facts", action="store_true", help="另列出全部表格数字（表、编码、名称、列、数值、读取方式）。")
def db_show(version_id: int, db: str | None = None, diff: int | None = None, facts: bool = False) -> None:
    from ..place import place_text
    from ..store.store import STATUS_LABELS
    store = open_store(db)
    try:
        v = store.version(version_id)
        if v is None:
            usage_error(f"数据库中没有 ID 为 {version_id} 的版本（用 juesuan db list 查看）")
        if diff is not None:
            _show_diff(store, v, diff or None)
            return
        total = len(store.history(v["entity_id"]))
        console.print(f"#{v['id']} {_name(v)} 第{v['number']}版", style="bold")
        console.print(f"标题：{v['title']}")
        console.print(f"地区：{v['region'] or '（未知）'}　级次：{v['level'] or '（未知）'}　"
                      f"单位性质：{v['unit_type'] or '（未知）'}　该单位共 {total} 个版本")
        console.print(f"文件：{v['path']}（{v['size']:,} 字节，SHA-256 {v['sha256']}），"
                      f"导入于 {_time(v['imported_at'])}")
        origin = "解析已发布的文件" if v["origin"] == "parsed" else "由部门数据生成"
        console.print(f"来源：{origin}　表式：{v['variant'] or '（无）'}　表格数字 {v['fact_count']} 个")
        console.print(f"状态：{STATUS_LABELS[v['status']]}"
                      f"（错误 {v['errors']}，警告 {v['warnings']}，提示 {v['infos']}）")
        for d in v["diagnostics"]:
            if d.get("severity") != "info":
                console.print(f"读取说明：{d.get('message')}", style="yellow")
        from ..store.pairing import CROSS_SEQ, paired_budget, pairs
        mark = paired_budget(v)
        if v["kind"] == "budget":
            for p in pairs(store, [(v["entity_id"], v["year"])]):
                got = paired_budget(p.final)
                if got is not None and got.get("budget_version") == v["id"]:
                    console.print(f"与决算交叉核对：决算 #{p.final['id']}（第{p.final['number']}版），"
                                  f"发现 {got.get('count', 0)} 处不一致，记在决算上（juesuan db show {p.final['id']}）")
        found = store.findings(version_id)
        own = [f for f in found if f["seq"] < CROSS_SEQ]
        if own:
            console.print("审核发现：")
        for f in own:
            _print_finding(f, place_text)
        if mark is not None:
            console.print(f"与预算交叉核对（预算 #{mark['budget_version']}，{mark.get('budget_file') or ''}）：" +
                          ("" if mark.get("count") else "没有发现不一致"))
        for f in found[len(own):]:
            _print_finding(f, place_text)
        if facts:
            print_table(["表", "编码", "名称", "列", "数值", "单位", "读取方式", "页", "行"],
                   [[f["table_id"], f["code"], f["label"], f["column"], _money(f["value"]),
                     f["unit"], _HOW.get(f["how"].split(":")[0], f["how"]), f["page"], f["line"]]
                    for f in store.facts(version_id)])
    finally:
        store.close()


# how a figure was read (Reading.how, stored as its code), in words
_HOW = {"typed": "数据录入", "ruled-cell": "表格线内单元格", "positional": "按位置",
        "chosen-by-identity": "按恒等式选定", "scored": "按次序推定", "repaired": "补回错位数字",
        "blank": "未印数字（空白）", "ocr": "扫描件识别", "unread": "未能读取"}


def _print_finding(f: dict[str, Any], place_text, mark: str = "") -> None:
    style = {"error": "red", "warning": "yellow"}.get(f["severity"])
    console.print(f"  {mark}{Severity(f['severity']).label} {f['rule']} {f['message']}", style=style)
    for where in list(dict.fromkeys(place_text(p) for p in f["places"]))[:3]:
        console.print(f"      位置：{where}")


def _show_diff(store, v: dict[str, Any], other: int | None) -> None:
    from ..place import place_text
    if other is None:
        other = store.previous(v["id"])
        if other is None:
            console.print(f"#{v['id']} 是{_name(v)}的第1版，没有可比较的上一版。")
            return
    o = store.version(other)
    if o is None:
        usage_error(f"数据库中没有 ID 为 {other} 的版本（用 juesuan db history 查看）")
    if (o["entity_id"], o["year"], o["kind"]) != (v["entity_id"], v["year"], v["kind"]):
        console.print(f"注意：#{o['id']} 是{_name(o)}，不是同一份决算公开的版本。", style="yellow")
    old, new = (o, v) if o["number"] <= v["number"] else (v, o)
    d = store.diff(old["id"], new["id"])
    console.print(f"{_name(new)}：第{old['number']}版（#{old['id']}）→ 第{new['number']}版（#{new['id']}）",
                  style="bold")
    console.print(f"数字改变 {len(d.changed)} 处，新增 {len(d.added)} 处，删去 {len(d.removed)} 处；"
                  f"已修正的问题 {len(d.fixed)} 处，新出现 {len(d.new_findings)} 处，仍存在 {len(d.kept)} 处。")
    if d.changed or d.added or d.removed:
        print_table(["", "表", "编码", "名称", "列", f"第{old['number']}版", f"第{new['number']}版"],
               [[mark, c.table_id, c.code, c.label, c.column, _money(c.old), _money(c.new)]
                for mark, group_ in (("改", d.changed), ("增", d.added), ("删", d.removed)) for c in group_])
    if d.fixed:
        console.print("已修正的问题：")
        for f in d.fixed:
            _print_finding(f, place_text, "[已修正] ")
    if d.new_findings:
        console.print("新出现的问题：")
        for f in d.new_findings:
            _print_finding(f, place_text, "[新] ")


# ---------------------------------------------------------------------------------- history

@command("db history", help="一个单位的全部版本（决算与预算）：每版的文件、审核结果，"
                            "以及与上一版相比改变的数字和修正的问题。",
         examples=("juesuan db history 武汉市汉阳区大数据中心", "juesuan db history 大数据中心 --kind 预算"))
@argument("entity", metavar="ENTITY", help="单位名称（全称或其中一部分）或 ID。")
@db_option
@option("--kind", default=None, help=_KIND_HELP)
def db_history(entity: str, db: str | None = None, kind: str | None = None) -> None:
    from ..store.store import STATUS_LABELS
    kind = _kind(kind)
    store = open_store(db)
    try:
        e = one_entity(store, entity)
        rows = [v for v in store.history(e["id"]) if kind is None or v["kind"] == kind]
        region = rows[0]["region"] if rows else None
        console.print(f"{e['name']}" + (f"（{region}）" if region else ""), style="bold")
        table = []
        previous: dict[tuple, dict[str, Any]] = {}
        for v in rows:
            key = (v["year"], v["kind"])
            change = ""
            if key in previous:
                d = store.diff(previous[key]["id"], v["id"])
                change = (f"{len(d.changed) + len(d.added) + len(d.removed)} 个数字不同，修正 {len(d.fixed)}，"
                          f"新出现 {len(d.new_findings)}")
            previous[key] = v
            table.append([v["id"], v["year"], _name(v).split()[-1], v["number"], _time(v["imported_at"]), v["file"],
                          v["sha256"][:12], STATUS_LABELS[v["status"]], v["errors"], v["warnings"], v["infos"],
                          v["fact_count"], change])
    finally:
        store.close()
    if not table:
        console.print("（没有版本）")
        return
    print_table(["ID", "年度", "类型", "版本", "导入时间", "文件", "SHA-256", "状态", "错误", "警告", "提示", "数据",
            "较上一版"], table)


# ---------------------------------------------------------------------------------- export

@command("db export", help="导出数据（表格数字）、审核发现或汇总：CSV（UTF-8 带 BOM）、XLSX（三张工作表）或 Parquet。",
         notes="数值保持精确：CSV 与 Parquet 写出原样的小数，XLSX 中无法精确表示为数字的写为文本。",
         examples=("juesuan db export -o 汉阳区2023.xlsx --region 汉阳区 --year 2023",
                   "juesuan db export -o findings.csv --what findings --status 有错误",
                   "juesuan db export -o facts.parquet --all"))
@option("-o", "--out", type=Path, required=True, metavar="FILE",
        help="输出文件：.csv、.xlsx 或 .parquet（写完才替换同名文件）。")
@db_option
@option("--what", default="facts",
        help="导出内容：facts（表格数字，默认）、findings（审核发现）、summary（每版一行的汇总）；XLSX 总是包含三者。")
@option("--format", dest="fmt", default=None, help="csv、xlsx 或 parquet（默认取输出文件的扩展名）。")
@option("--id", dest="ids", type=int, action="append", metavar="ID", help="只导出这个版本（可重复）。")
@option("--region", default=None, help="地区名称中含有此文字。")
@option("--entity", default=None, help="单位名称中含有此文字。")
@option("--year", type=int, default=None, help="年度。")
@option("--kind", default=None, help=_KIND_HELP)
@option("--status", default=None, help="状态：error（有错误）、warning（有警告）、ok（通过）。")
@option("--all", dest="all_versions", action="store_true", help="导出所有版本，而不只是每份的最新版本。")
def db_export(out: Path, db: str | None = None, what: str = "facts", fmt: str | None = None,
              ids: list[int] | None = None, region: str | None = None, entity: str | None = None,
              year: int | None = None, kind: str | None = None, status: str | None = None,
              all_versions: bool = False) -> None:
    from ..store.export import FORMATS, WHAT, export
    status, kind = _status(status), _kind(kind)
    fmt = (fmt or out.suffix.lower().lstrip(".")).lower()
    if fmt not in FORMATS:
        usage_error(f"不支持的导出格式：{fmt or '（无扩展名）'}（可选：{'、'.join(FORMATS)}；可用 --format 指定）")
    if what not in WHAT:
        usage_error(f"未知的导出内容：{what}（可选：{'、'.join(WHAT)}）")
    store = open_store(db)
    try:
        chosen = store.versions(ids=ids, region=region, entity=entity, year=year, status=status,
                                all_versions=all_versions, kind=kind)
        n = export(store, out, chosen, what, fmt)
    finally:
        store.close()
    label = {"facts": "个表格数字", "findings": "条审核发现", "summary": "行汇总"}[what]
    console.print(f"已写出 {out}（{len(chosen)} 个版本，{n} {label}）")


# ---------------------------------------------------------------------------------- delete

@command("db delete", help="删除一个版本（连同它的表格数字和审核发现）；删除前需确认，--yes 跳过确认。",
         notes="退出码：0 已删除，1 未确认（未删除），2 没有这个版本或数据库无法打开。",
         examples=("juesuan db delete 3", "juesuan db delete 3 --yes"))
@argument("version_id", type=int, metavar="ID", help="版本的 ID（db list、db history 中的 ID 列）。")
@db_option
@option("--yes", "-y", action="store_true", help="不询问，直接删除。")
def db_delete(version_id: int, db: str | None = None, yes: bool = False) -> None:
    store = open_store(db)
    try:
        v = store.version(version_id)
        if v is None:
            usage_error(f"数据库中没有 ID 为 {version_id} 的版本（用 juesuan db list 查看）")
        what = (f"#{v['id']} {_name(v)} 第{v['number']}版（文件 {v['file']}，表格数字 {v['fact_count']} 个，"
                f"审核发现 {v['errors'] + v['warnings'] + v['infos']} 处）")
        if not yes:
            console.print(f"将删除 {what}。确定吗？[y/N] ", end="")
            try:
                answer = input().strip().lower()
            except EOFError:
                answer = ""
            if answer not in ("y", "yes", "是", "确定"):
                console.print("未删除（没有确认；加 --yes 可不经询问直接删除）。")
                raise Exit(1)
        store.delete(version_id)
    finally:
        store.close()
    console.print(f"已删除 {what}。")
