"""``juesuan check``: audit a disclosure (canonical data or a published file) with the rule catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ..output import same_file, write_text
from ._app import (
    Exit,
    argument,
    command,
    console,
    err_console,
    option,
    print_diagnostics,
    report_input_error,
    usage_error,
    write,
)


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [x.strip().upper() for x in v.split(",") if x.strip()]
    return out


@command("check", help="审核部门决算：表内、表间、情况说明、绩效、完整性与文字差错"
                        "（部门预算：表内勾稽，YS1xx；--budget：决算与同年度预算核对，YJ1xx）。",
         notes="退出码：0 无错误，1 有错误，2 输入或用法无效（--budget 的预算与决算不是同一单位同一年度，"
               "或 -o 的文件无法写入）。",
         examples=("juesuan check examples/hanyang-bdc-2023",
                   "juesuan check report.pdf --format json --select JS1,JS3 --ignore JS308",
                   "juesuan check 决算.pdf --budget 预算.pdf"))
@argument("sources", type=Path, nargs="+", metavar="source",
          help="部门数据（YAML/JSON 文件、Excel 工作簿或目录）或已发布的文件（.pdf/.docx/.html/.txt）；"
               "一份已发布的文档分成几个文件的（如北京市部门预算的文字和报表），按顺序全部给出。")
@option("--format", "-f", dest="fmt", default="text", metavar="FORMAT",
        help="输出格式：text（默认，中文分组）或 json（见 docs/check-json.md）。")
@option("-o", "--out", type=Path, default=None, metavar="FILE",
        help="把报告写入 FILE（UTF-8，写完才替换同名文件），而不是标准输出。")
@option("--select", action="append", metavar="CODES", help="只运行这些代码前缀的规则，逗号分隔，如 JS1,JS3。")
@option("--ignore", action="append", metavar="CODES", help="不运行这些代码前缀的规则，如 JS601。")
@option("--variant", default=None,
        help="由部门数据生成表格时的表式：national（默认）、central、shanghai、beijing、sichuan、"
             "shaanxi、pre2021、university 等，见 README；已公开的文件按其表名、表号和表序自动判断。")
@option("--budget", action="append", type=Path, default=None, metavar="预算文件",
        help="同一单位同一年度已公开的部门预算：把决算的年初预算、“三公”经费预算数、项目和绩效目标与它核对"
             "（YJ1xx，见 docs/rules-across.md）；分成两个文件公开的（北京市的文字和报表）给两次 --budget。")
@option("--min-severity", default="info", metavar="SEVERITY",
        help="只显示不低于此严重程度的发现：info（默认）、warning、error。")
def check(sources: list[Path], fmt: str = "text", select: list[str] | None = None, ignore: list[str] | None = None,
          variant: str | None = None, min_severity: str = "info", out: Path | None = None,
          budget: list[Path] | None = None) -> None:
    from ..errors import Severity
    from ..pipeline import audit, kind_named, kinds
    from ..rules.report import text_lines, to_json

    if min_severity not in set(Severity):
        usage_error(f"未知的严重程度：{min_severity}（可选：info、warning、error）")
    if fmt not in ("text", "json"):
        usage_error(f"未知的输出格式：{fmt}（可选：text、json）")
    sel, ign = _split(select), _split(ignore)
    known = [r.code for k in kinds() for r in k.rules()] + [r.code for r in _across_rules()]
    bad = [p for p in sel + ign if not any(c.startswith(p) for c in known)]
    if bad:
        usage_error(f"没有以 {'、'.join(bad)} 开头的规则（用 juesuan rules 查看）")
    for source in sources:
        if not source.exists():
            usage_error(f"{source}: 文件或目录不存在")
    if len(set(sources)) != len(sources):
        usage_error("同一个文件给了两次：一份文档的几个部分各给一次。")
    for source in budget or []:
        if not source.exists():
            usage_error(f"--budget {source}: 文件不存在")
    if budget and (len(set(budget)) != len(budget) or set(budget) & set(sources)):
        usage_error("--budget 的文件重复，或与要审核的决算是同一个文件：预算的每个文件各给一次。")
    if out is not None and any(same_file(out, source) for source in [*sources, *(budget or [])]):
        usage_error(f"-o {out} 就是要审核的文件，写出会覆盖它：请换一个文件名。")
    variants = kind_named().variants()
    if variant is not None and variant not in variants:
        usage_error(f"未知的表式：{variant}（可选：{'、'.join(variants)}）")
    try:
        result = audit(sources[0] if len(sources) == 1 else sources, sel, ign, variant=variant)
    except InputError as e:
        report_input_error(e)
        return
    cross, budget_name, budget_titles = _across(result, sources, budget, sel, ign) if budget else ([], "", {})
    # what loading the data says bounds what was checked: a year without its own 科目 catalogue
    # (L100), cells of a workbook left out (a stray far cell, a row outside the columns), the parts of the
    # data left blank (what was not checked), what the kind's rules cover (kind-scope)
    shown = ("L100", "blank", "kind-scope")
    print_diagnostics([d for d in result.loaded.diagnostics if d.code in shown or d.severity != "info"])
    findings = [f for f in [*result.findings, *cross] if Severity(f.severity).rank <= Severity(min_severity).rank]
    name = " + ".join(str(source) for source in sources)
    parsed = result.loaded.parse
    if fmt == "json":
        reading = None if parsed is None else {
            tid: {"found": v.get("found", False), **v.get("certainty", {})}
            for tid, v in parsed.coverage.tables.items()}
        text = to_json(findings, name, result.rules + [r.code for r in _across_rules(sel, ign)] * bool(budget),
                       reading)
        if budget:
            text = _with_budget(text, budget_name)
        if out is None:
            write(sys.stdout, text + "\n")
    else:
        notes = parsed.coverage.reading_notes() if parsed is not None else None
        tables = result.document.tables
        titles = {t.id: t.title for t in tables} if tables is not None else None
        if budget:
            titles = {**(titles or {}), **budget_titles}
            name = f"{name}（与预算 {budget_name} 核对）"
        lines = text_lines(findings, name, notes, titles)
        text = "\n".join(line for line, _ in lines)
        if out is None:
            for line, style in lines:
                console.print(line, style=style)
    if out is not None:
        write_text(out, text + "\n")
        err_console.print(f"已写出 {out}")
    raise Exit(1 if result.has_errors or any(f.severity == "error" for f in cross) else 0)


def _across_rules(select: list[str] | None = None, ignore: list[str] | None = None):
    from ..across.rules import rules
    from ..rules.engine import select_rules
    return select_rules(rules(), select, ignore)


def _across(result, sources: list[Path], budget: list[Path], select: list[str], ignore: list[str]):
    """The YJ findings of the audited 决算 and the budget at ``budget`` (one document, read from one or
    several files); (findings, the budget's name, its tables' titles). Refuses (exit status 2) a
    main source that is not a 决算, files that are not a 部门预算, and a pair of another unit or year."""
    from ..across.rules import refused
    from ..errors import Diagnostic
    from ..pipeline import PUBLISHED, check_pair, kind_named, load

    name = " + ".join(str(b) for b in budget)
    if result.loaded.kind.name != "final":
        usage_error(f"--budget 用于审核部门决算：{' + '.join(map(str, sources))} 读作"
                    f"{result.loaded.kind.title}，不是部门决算。")
    published = all(b.suffix.lower() in PUBLISHED and not b.is_dir() for b in budget)
    try:
        loaded = load(budget[0] if len(budget) == 1 else budget, None if published else kind_named("budget"))
    except InputError as e:
        report_input_error(e)
        raise
    if loaded.kind.name != "budget":
        report_input_error(InputError([Diagnostic(
            "error", f"--budget 的文件读作{loaded.kind.title}，不是部门预算公开：请给出同一单位同一年度的部门预算。",
            file=name)]))
    final_name = " + ".join(str(source) for source in sources)
    codes = {r.code for r in _across_rules(select, ignore)}
    found = check_pair(result.document, loaded.document, final_name, name)
    no = refused(found)
    if no is not None:
        report_input_error(InputError([Diagnostic("error", no.message, file=name, code=no.rule)]))
    tables = loaded.document.tables
    titles = {t.id: t.title for t in tables} if tables is not None else {}
    return [f for f in found if f.rule in codes or f.rule not in _codes()], name, titles


def _codes() -> set[str]:
    return {r.code for r in _across_rules()}


def _with_budget(text: str, budget: str) -> str:
    """The JSON report naming the budget it was checked against (``budget``)."""
    import json
    doc = json.loads(text)
    doc = {**{k: v for k, v in doc.items() if k != "findings"}, "budget": budget, "findings": doc["findings"]}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)
