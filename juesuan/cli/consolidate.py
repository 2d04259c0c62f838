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
@argument("inputs", nargs="*", type=Path, metavar="INPUT",
          help="各单位的数据：YAML/JSON、Excel 工作簿或含 disclosure.yaml 的目录（也可以是已汇总的数据）；"
               "给出 --db 时可省略，汇总数据库中保存的各单位。")
@option("-o", "--out", type=Path, required=True, metavar="FILE",
        help="写出汇总数据的文件：.yaml/.yml（YAML）或 .json（JSON），写完才替换同名文件。")
@option("--name", default=None, metavar="NAME",
        help="汇总后的部门（或地区）全称；部门本级的数据以此名称为单位全称。不给出时取不属于其他输入的那个单位的名称。")
@option("--level", default="部门", metavar="LEVEL",
        help="部门（默认：汇总部门所属单位，含部门本级）或 地区（汇总地区各部门，须给出 --name）。")
@option("--jobs", "-j", type=int, default=0, metavar="N",
        help="用 N 个进程读取输入（默认：输入多于 200 份时用全部 CPU 核，否则 1）。")
@option("--db", default=None, metavar="DB",
        help="汇总数据库（juesuan db、batch 导入的）中保存的决算：每份取最新版本，按 --region、--year 筛选。")
@option("--region", default=None, help="（--db）地区名称中含有此文字。")
@option("--entity", default=None, help="（--db）单位名称中含有此文字（如某部门所属单位的共同字样）。")
@option("--year", type=int, default=None, help="（--db）年度（必须给出）。")
def consolidate(inputs: list[Path], out: Path, name: str | None = None, level: str = "部门", jobs: int = 0,
                db: str | None = None, region: str | None = None, entity: str | None = None,
                year: int | None = None) -> None:
    if db is not None or region or entity or year is not None:
        if inputs or db is None or year is None:
            usage_error("从数据库汇总：给出 --db 和 --year（可加 --region、--entity），不再给出输入文件。")
        with _from_store(db, region, entity, year) as stored:
            _consolidate(stored, out, name, level, jobs)
        return
    if not inputs:
        usage_error("请给出要汇总的数据（文件或目录），或用 --db 汇总数据库中保存的决算。")
    _consolidate(inputs, out, name, level, jobs)


def _from_store(db: str, region: str | None, entity: str | None, year: int):
    """The latest version of each 决算 the store holds for the filters, as canonical data files in
    a temporary folder (one per unit, named after it) — consolidated as files given by hand are."""
    import contextlib
    import json
    import tempfile

    from .db import open_store

    @contextlib.contextmanager
    def files():
        store = open_store(db)
        try:
            chosen = [v for v in store.versions(region=region, entity=entity, year=year) if v["kind"] == "final"]
            held = [(v, store.data(v["id"])) for v in chosen]
        finally:
            store.close()
        missing = [v for v, d in held if d is None]
        for v in missing:
            console.print(f"#{v['id']} {v['entity']}：数据库中没有它的数据（文件读不出规范数据），未汇总",
                          style="yellow")
        if not [d for _, d in held if d is not None]:
            usage_error(f"数据库 {store.where} 中没有符合条件的 {year} 年度决算数据可汇总。")
        with tempfile.TemporaryDirectory(prefix="juesuan-consolidate-") as tmp:
            paths = []
            for v, d in held:
                if d is None:
                    continue
                p = Path(tmp) / f"{v['entity']}（#{v['id']}）.json"
                p.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
                paths.append(p)
            yield paths

    return files()


def _consolidate(inputs: list[Path], out: Path, name: str | None, level: str, jobs: int) -> None:
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
