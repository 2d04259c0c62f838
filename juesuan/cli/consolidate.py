"""``juesuan consolidate``: several units' (or departments') data → one consolidated disclosure.

Reads every input (canonical YAML/JSON, workbooks, directories of either), consolidates them
(:func:`juesuan.pipeline.consolidate`; what is summed, eliminated and left out: docs/consolidate.md)
and writes the result as canonical data (YAML, or JSON for ``-o x.json``) atomically. What could
not be eliminated, and why, goes to standard error; the exit status is 0 when the result was
written (2: unusable input, such as different years or a unit given twice).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..output import same_file, write_text
from ._app import argument, command, console, option, print_diagnostics, report_input_error, usage_error

_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_LEVELS = ("部门", "地区")


@command("consolidate", help="汇总：把部门所属各单位（或地区各部门）的决算数据汇总为一份，抵销单位间的内部往来。",
         examples=("juesuan consolidate 本级.yaml 信息中心.yaml 档案馆.yaml -o 部门汇总.yaml",
                   "juesuan consolidate 各部门/*.yaml --level 地区 --name 武汉市汉阳区 -o 汉阳区.yaml"),
         notes="抵销：所属单位的上级补助收入与上级单位的对附属单位补助支出、所属单位的上缴上级支出与上级单位的"
               "附属单位上缴收入（双方都在汇总范围内时）。对方单位由数据中的上级单位（entity.parent）或按对方单位"
               "列明的往来（transfers）确定；无法确定的不抵销，并逐项说明原因。增减原因等说明文字不能相加，"
               "汇总数据中不填（文档显示【待填写】）；部门本级的职责、联系电话等取自本级数据。"
               "详见 docs/consolidate.md。")
@argument("inputs", nargs="+", type=Path, metavar="INPUT",
          help="各单位的数据：YAML/JSON、Excel 工作簿或含 disclosure.yaml 的目录（也可以是已汇总的数据）。")
@option("-o", "--out", type=Path, required=True, metavar="FILE",
        help="写出汇总数据的文件：.yaml/.yml（YAML）或 .json（JSON），写完才替换同名文件。")
@option("--name", default=None, metavar="NAME",
        help="汇总后的部门（或地区）全称；部门本级的数据以此名称为单位全称。不给出时取不属于其他输入的那个单位的名称。")
@option("--level", default="部门", metavar="LEVEL",
        help="部门（默认：汇总部门所属单位，含部门本级）或 地区（汇总地区各部门，须给出 --name）。")
@option("--jobs", "-j", type=int, default=0, metavar="N",
        help="用 N 个进程读取输入（默认：输入多于 200 份时用全部 CPU 核，否则 1）。")
def consolidate(inputs: list[Path], out: Path, name: str | None = None, level: str = "部门", jobs: int = 0) -> None:
    from ..pipeline import consolidate as run

    fmt = _SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        usage_error(f"-o {out}：汇总数据写为 .yaml 或 .json 文件（如 部门汇总.yaml）。")
    if level not in _LEVELS:
        usage_error(f"--level 应为 部门 或 地区：{level}")
    for p in inputs:
        if same_file(out, p):
            usage_error(f"-o {out} 就是输入 {p}，写出会覆盖它：请换一个文件名。")
    if jobs < 0:
        usage_error(f"--jobs 应为正整数：{jobs}")
    if jobs == 0:
        jobs = (os.cpu_count() or 1) if len(inputs) > 200 else 1
    try:
        result = run(inputs, name=name, level=level, jobs=jobs)
    except InputError as e:
        report_input_error(e)
        return
    print_diagnostics([d for d in result.diagnostics if d.severity != "info"])
    print_diagnostics(result.notes)
    header = f"{result.model.year}年度 {result.model.entity.name} 汇总数据（juesuan consolidate，金额单位：元）"
    text = result.text(fmt)
    if fmt == "yaml":
        text = f"# {header}\n{text}"
    write_text(out, text)
    kept = sum(1 for n in result.notes if n.message.startswith("未抵销"))
    console.print(f"已汇总 {result.inputs} 份数据（{result.units} 家单位），抵销内部往来 {result.eliminated:,.2f} 元"
                  + (f"，{kept} 处未抵销（见上）" if kept else "") + f"：已写出 {out}")
