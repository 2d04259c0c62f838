"""``juesuan template``: write the input workbook (blank, or pre-filled from existing data) of a kind."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..output import same_file
from ._app import command, console, option, print_diagnostics, report_input_error, usage_error


@command("template", help="生成数据录入工作簿（Excel）：部门决算的九张决算表，或（--kind budget）部门预算的收入、支出、"
                          "经济分类、“三公”、项目及绩效目标等表；单位概况等补充表、下拉框和填表说明。",
         examples=("juesuan template -o 决算数据.xlsx --year 2023",
                   "juesuan template -o 决算数据.xlsx --from examples/hanyang-bdc-2023",
                   "juesuan template -o 2024决算数据.xlsx --from 2023年度决算公开.pdf",
                   "juesuan template --kind budget -o 预算数据.xlsx --year 2024",
                   "juesuan template -o 预算数据.xlsx --from examples/hanyang-bdc-budget-2023"))
@option("-o", "--out", type=Path, default=None,
        help="输出的工作簿（.xlsx，默认 决算数据.xlsx；部门预算为 预算数据.xlsx）。")
@option("--from", dest="source", type=Path, metavar="SOURCE",
        help="用已有数据预先填好：YAML/JSON、目录、另一个工作簿，或已公开的部门决算或部门预算（.pdf/.docx/.html/"
             ".txt，金额取自文中万元数，文中没有的内容留空）；模板的类型随数据。")
@option("--kind", default=None, metavar="KIND",
        help="模板的类型：final（部门决算，默认）或 budget（部门预算）；--from 时取数据的类型。")
@option("--year", type=int, default=2023, help="年度（空白模板用，默认 2023；--from 时取数据中的年度）。")
@option("--unit", default="元", help="金额单位：元（默认）或 万元。")
def template(out: Path | None = None, source: Path | None = None, kind: str | None = None, year: int = 2023,
             unit: str = "元") -> None:
    from ..pipeline import PUBLISHED, TEMPLATE_NAMES, data_kind_of, kind_named, kinds
    from ..pipeline import template as write_template

    if kind is not None and kind not in {k.name for k in kinds()}:
        usage_error(f"未知的类型：{kind}（可选：{'、'.join(k.name for k in kinds())}）")
    if unit not in ("元", "万元"):
        usage_error(f"金额单位应为 元 或 万元：{unit}")
    if out is None and (source is None or source.suffix.lower() not in PUBLISHED):   # published: its kind, once read
        out = Path(TEMPLATE_NAMES[kind or (data_kind_of(source).name if source is not None else "final")])
    if out is not None and out.suffix.lower() != ".xlsx":
        usage_error(f"-o {out}：模板是 Excel 文件，请用 .xlsx 作为扩展名（如 决算数据.xlsx）。")
    if source is not None and out is not None and same_file(out, source):
        usage_error(f"-o {out} 就是 --from 的文件，写出会覆盖已填好的数据：请换一个文件名。")
    try:
        path, diags = write_template(out, source, year=year, unit=unit,
                                     kind=kind_named(kind) if kind is not None else None)
    except InputError as e:
        report_input_error(e)
        return
    print_diagnostics(diags)
    what = f"已按 {source} 预先填写" if source else f"{year} 年度空白模板"
    console.print(f"已生成 {path}（{what}，金额单位：{unit}）")
