"""``juesuan build``: department data → the disclosure in HTML, DOCX, PDF, XLSX."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
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
)


def _available(fmt: str) -> bool:
    from ..renderers import RENDERERS
    return importlib.util.find_spec(f"juesuan.renderers.{RENDERERS[fmt][1]}") is not None


# suffixes of documents juesuan does not write: ``-o x.doc`` is refused rather than made a directory
_NOT_WRITTEN = (".doc", ".xls", ".wps", ".et", ".ofd", ".rtf", ".odt", ".ods", ".csv", ".json", ".yaml", ".yml",
                ".md", ".zip")


@command("build", help="由部门数据生成部门决算公开（或部门预算公开）文档（HTML、Word、PDF、Excel）。",
         examples=("juesuan build examples/hanyang-bdc-2023 -o out/ --format html,pdf",
                   "juesuan build examples/hanyang-bdc-2023 -o 汉阳决算.pdf",
                   "juesuan build 决算数据.xlsx -o out/ --strict",
                   "juesuan build examples/hanyang-bdc-budget-2023 -o out/"),
         notes="部门预算公开的数据首行写 kind: budget（见 juesuan schema --kind budget），其余为部门决算的数据。\n"
               "文件名默认取文档标题（如 2023年度武汉市汉阳区大数据中心部门决算公开.pdf），HTML 为 index.html；"
               "--name 另定。每个文件写完才替换同名旧文件，不会留下写了一半的文件。\n"
               "数据中未填写的部分（如“三公”经费、政府采购、年初预算）在文中留为【待填写：…】，逐处列为警告；"
               "--strict 时仍有待填写处即以退出码 1 结束。\n"
               "退出码：0 成功，1 有格式未能生成（或 --strict 时仍有待填写处），2 输入、用法无效或文件无法写入，"
               "130 被 Ctrl-C 中断。")
@argument("source", type=Path,
          help="部门数据：YAML/JSON 文件、包含 disclosure.yaml（或 budget.yaml）的目录，"
               "或 Excel 工作簿（决算或预算的录入表）。")
@option("-o", "--out", default="out", metavar="OUT",
        help="输出目录（默认 out）；或一个文件名，以 .pdf、.docx、.xlsx、.html、.txt 结尾时只写出这一种格式。")
@option("--format", "-f", dest="formats", default=None, metavar="FORMATS",
        help="输出格式，逗号分隔：html,docx,pdf,xlsx,txt（默认 html,docx,pdf,xlsx）。")
@option("--name", metavar="NAME",
        help="输出文件名（不含扩展名），用于每种格式；默认取文档标题，HTML 为 index.html。")
@option("--facts", type=Path, metavar="CSV", help="另写出全部表格单元格的 CSV（table,code,label,column,value）。")
@option("--variant", default=None,
        help="表式：national（全国通用，默认）、central（中央部门）、shanghai、beijing、sichuan、shaanxi、"
             "pre2021（2020年及以前）、university（教育部直属高校）等，见 README；由已公开文件读回的数据"
             "（parse --format data）默认按其原表式。")
@option("--previous", type=Path, default=None, metavar="LAST_YEAR",
        help="上一年度的部门决算（已公开的 .pdf/.docx/.html/.txt，或上年的数据 YAML/JSON、工作簿）：本年数据中没有的"
             "上年数（收支总计、收入、支出、财政拨款、“三公”经费、机关运行经费）和部门职责、机构设置取自上年；"
             "本年已填写的不替换。")
@option("--strict", action="store_true",
        help="文中仍有【待填写】（数据中未填写的部分）时以退出码 1 结束（仍写出文件，并列出待填写处的数量和位置），"
             "供发布流程使用。")
@option("--font-dir", type=Path, metavar="DIR",
        help="正式字体所在目录（仿宋_GB2312、方正小标宋简体、黑体、楷体_GB2312，如 simfang.ttf、FZXBSJW.TTF），"
             "PDF 优先使用；默认在系统字体目录中查找，找不到的改用内置思源字体。")
def build(source: Path, out: str = "out", formats: str | None = None, name: str | None = None,
          facts: Path | None = None, variant: str | None = None, previous: Path | None = None,
          strict: bool = False, font_dir: Path | None = None) -> None:
    from .. import pipeline
    from ..output import ensure_dir, unsafe_name_reason, write_bytes
    from ..renderers import FORMATS, RENDERERS, RenderInterrupted, file_name

    t0 = time.perf_counter()
    wanted = [f.strip().lower() for f in (formats or "html,docx,pdf,xlsx").split(",") if f.strip()]
    unknown = [f for f in wanted if f not in RENDERERS]
    if unknown:
        usage_error(f"未知的输出格式：{'、'.join(unknown)}（可选：{','.join(FORMATS)}）")
    out_path, single = Path(out), _single_format(out)
    if single is not None:
        if name is not None:
            usage_error(f"-o {out} 已给出文件名，不能再用 --name。")
        if formats is not None and wanted != [single]:
            usage_error(f"-o {out} 是 {single} 文件，与 --format {formats} 不符：写出单个文件时格式由扩展名决定；"
                        "要写出多种格式，请用 -o 目录。")
        wanted = [single]
    if name is not None and (why := unsafe_name_reason(name)):
        usage_error(f"--name {name}：{why}。")
    if font_dir is not None and not font_dir.is_dir():
        usage_error(f"--font-dir {font_dir}：目录不存在。请给出存放字体文件（如 simfang.ttf）的目录。")
    variants = pipeline.data_kind_of(source).variants()
    if variant is not None and variant not in variants:
        usage_error(f"未知的表式：{variant}（可选：{'、'.join(variants)}）")
    out_dir = out_path.parent if single else out_path
    if out_dir.exists() and not out_dir.is_dir():   # before the build: e.g. -o naming an existing file
        ensure_dir(out_dir)
    if single:
        _refuse_overwriting(source, out_path)
    try:
        built = pipeline.build(source, variant, previous=previous)
    except InputError as e:
        report_input_error(e)
        return
    print_diagnostics(built.diagnostics)
    doc, tables = built.document, built.tables
    jobs = []
    for fmt in wanted:
        if _available(fmt):
            jobs.append(fmt)
        else:
            console.print(f"暂不支持输出 {fmt}，已跳过。", style="yellow")
    paths = {single: out_path} if single else None
    for fmt in jobs if not single else ():
        _refuse_overwriting(source, out_dir / file_name(doc, fmt, name))
    if facts is not None:
        _refuse_overwriting(source, facts)
    ensure_dir(out_dir)
    summary: list[tuple[str, str | None]] = []
    try:
        with _fonts_for_pdf(font_dir, "pdf" in jobs):
            results = pipeline.render(doc, jobs, out_dir, name=name, paths=paths,
                                      while_waiting=lambda: summary.append(_check_summary(doc, built.kind)))
    except RenderInterrupted as e:
        _report_interrupt(e)
    failed, unwritable = [], []
    for fmt, path, error in results:
        if error is None:
            console.print(f"已生成 {path}")
        elif path is not None:  # disk full, no permission, the file open in WPS/Word/Acrobat
            err_console.print(error, style="red")
            unwritable.append(fmt)
        else:  # e.g. the PDF engine is missing: other formats are still built
            err_console.print(f"未能生成 {fmt}：{error}", style="red")
            failed.append(fmt)
    if facts is not None:
        ensure_dir(facts.parent)
        write_bytes(facts, tables.facts_csv().encode("utf-8-sig"))  # the BOM: Excel reads it as UTF-8, not GBK
        console.print(f"已写出 {facts}（{len(tables.facts())} 个单元格）")
    line, style = summary[0]
    console.print(line, style=style)
    console.print(f"用时 {time.perf_counter() - t0:.2f} 秒")
    if unwritable:
        raise Exit(2)
    if failed:
        raise Exit(1)
    if strict and doc.placeholders:
        _report_placeholders(doc)
        raise Exit(1)


def _report_placeholders(doc) -> None:
    """--strict: how many 【待填写】 remain and where (part and section, or the table)."""
    places = doc.placeholder_places()
    err_console.print(f"--strict：文中仍有 {len(places)} 处待填写（数据中未填写的部分），未达到发布要求：", style="red")
    for where, text in places:
        err_console.print(f"  {where}：{text}", style="red")


@contextmanager
def _fonts_for_pdf(font_dir: Path | None, pdf: bool) -> Iterator[None]:
    """While rendering: ``--font-dir`` handed to the PDF renderer (in ``$JUESUAN_FONT_DIR``, which
    the render workers inherit), and one line on stderr when the PDF must use the bundled fonts."""
    import os

    from ..fonts import FONT_DIR_ENV, fallback_notice, official_fonts
    if not pdf:
        yield
        return
    notice = fallback_notice(official_fonts(font_dir))
    if notice:
        err_console.print(notice, style="yellow")
    old = os.environ.get(FONT_DIR_ENV)
    if font_dir is not None:
        os.environ[FONT_DIR_ENV] = str(font_dir.resolve())
    try:
        yield
    finally:
        if font_dir is not None:
            if old is None:
                os.environ.pop(FONT_DIR_ENV, None)
            else:
                os.environ[FONT_DIR_ENV] = old


def _single_format(out: str) -> str | None:
    """The format of ``-o FILE`` (by its suffix), or None for a directory: an existing directory,
    a path ending in a separator, or a name without a known suffix. A document suffix juesuan
    does not write (.doc, .xls…) is a usage error, not a directory of that name."""
    import os

    from ..renderers import SUFFIXES

    p = Path(out)
    if out.endswith(("/", os.sep)) or p.is_dir():
        return None
    suffix = p.suffix.lower()
    if suffix in _NOT_WRITTEN:
        usage_error(f"-o {out}：不能写出 {suffix} 文件（可写出 {' '.join(SUFFIXES)}）；"
                    "要写出到目录，请去掉扩展名或在末尾加 /。")
    return SUFFIXES.get(suffix)


def _refuse_overwriting(source: Path, target: Path) -> None:
    """Never write an output over the input it is built from."""
    from ..output import same_file
    if same_file(source, target):
        usage_error(f"输出文件 {target} 就是输入文件 {source}，写出会覆盖输入：请换一个输出文件名或目录。")


def _report_interrupt(e) -> None:
    """Ctrl-C while rendering: what was written and what was not; exit status 130."""
    err_console.print("已中断（Ctrl-C）：未写完的文件已删除。", style="bold red")
    for _, path in e.written:
        err_console.print(f"已写出 {path}")
    for _, path in e.not_written:
        kept = "（保留上次生成的同名文件，未更新）" if path.exists() else ""
        err_console.print(f"未写出 {path}{kept}", style="yellow")
    raise Exit(130)


def _check_summary(doc, kind=None) -> tuple[str, str | None]:
    """One line of ``juesuan check`` results for what was just built (details: juesuan check SOURCE)."""
    try:
        from ..pipeline import check
        from ..rules.report import summary_line
        findings = check(doc, kind=kind)
    except Exception as e:  # noqa: BLE001 - the audit must never break a build
        return f"审核未能完成：{type(e).__name__}: {e}", "yellow"
    errors = any(f.severity == "error" for f in findings)
    warnings = any(f.severity == "warning" for f in findings)
    style = "red" if errors else ("yellow" if warnings else None)
    return summary_line(findings) + ("（详见 juesuan check）" if errors or warnings else ""), style
