"""Hostile and damaged Excel workbooks (issue 14): a located Chinese message that says what to do —
never an abort, a traceback, a memory blow-up or a raw library message.

Each test makes its file here: the example's input workbook, reduced to its data sheets, then one
member of the zip patched (a far cell, an error value, a zip bomb…), or a file that only pretends
to be a workbook.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE

from juesuan.cli import main

T1, T2, T3 = "收入支出决算总表", "收入决算表", "支出决算表"
RAW = ("Traceback", "Cfb", "Zip", "zip file", "styleSheet", "invalid literal", "KeyError", "Error", "EOCD",
       "InvalidOperation")


@pytest.fixture(scope="module")
def base(tmp_path_factory, example_model) -> Path:
    """The example's workbook with 单位概况 and the nine tables only (small: fast to patch)."""
    from juesuan.final.workbook import write_template
    d = tmp_path_factory.mktemp("wb")
    write_template(d / "full.xlsx", example_model, lookups=False)
    wb = openpyxl.load_workbook(d / "full.xlsx")
    for name in wb.sheetnames:
        if name != "单位概况" and not name.endswith("表"):
            wb.remove(wb[name])
    wb.save(d / "base.xlsx")
    return d / "base.xlsx"


def _member(path: Path, sheet: str) -> str:
    """The zip member of a sheet (openpyxl saves sheet i as xl/worksheets/sheet{i}.xml)."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def _patch(src: Path, dst: Path, edits: dict[str, object], drop: tuple[str, ...] = ()) -> Path:
    """``src`` copied to ``dst`` with members replaced (bytes, or a function of the old bytes)."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            if info.filename in drop:
                continue
            data = zi.read(info.filename)
            e = edits.get(info.filename)
            zo.writestr(info.filename, e(data) if callable(e) else (e if e is not None else data))
        for name, e in edits.items():
            if name not in zi.namelist():
                zo.writestr(name, e)
    return dst


def _set_cell(ref: str, xml: str):
    """Replace cell ``ref`` of a sheet's XML by ``xml`` (added to the end of sheetData if absent)."""
    def edit(data: bytes) -> bytes:
        pat = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
        if pat.search(data):
            return pat.sub(xml.encode(), data, count=1)
        row = int(re.sub(r"[A-Z]", "", ref))
        return data.replace(b"</sheetData>", f'<row r="{row}">{xml}</row></sheetData>'.encode())
    return edit


def _cli(capsys, *args: str) -> tuple[int, str]:
    rc = main(list(args))
    cap = capsys.readouterr()
    return rc, cap.out + cap.err


def _no_raw(text: str) -> None:
    for word in RAW:
        assert word not in text, (word, text)


def _limited_run(*args: str, timeout: float = 60, limit: int = 2 << 30) -> subprocess.CompletedProcess:
    """``python -m juesuan …`` within 2 GiB of address space (a dense sheet range would not fit)."""
    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return subprocess.run([sys.executable, "-m", "juesuan", *args], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=bound)


# --- 1. a far cell --------------------------------------------------------------------------------
T5 = "一般公共预算财政拨款支出决算表"


def test_far_cells_are_left_out_with_a_warning_and_the_rest_read(base, tmp_path):
    """XFD1048576 made calamine allocate 1048576 × 16384 cells and abort (SIGABRT, no message); an
    uncached formula there padded the grid to the whole sheet (MemoryError); ALL99999 is within the
    row and column bounds but alone spans 10^8 cells."""
    bad = _patch(base, tmp_path / "far.xlsx", {
        _member(base, T2): _set_cell("XFD1048576", '<c r="XFD1048576"><v>1</v></c>'),
        _member(base, T3): _set_cell("XFD1048576", '<c r="XFD1048576"><f>1+1</f></c>'),
        _member(base, T5): _set_cell("ALL99999", '<c r="ALL99999"><v>7</v></c>')})
    t = time.perf_counter()
    r = _limited_run("build", str(bad), "-o", str(tmp_path / "out"), "--format", "html")
    assert r.returncode == 0, r.stderr
    assert time.perf_counter() - t < 30
    lines = [x for x in r.stderr.splitlines() if "未读取" in x]
    for ref in (f"{T2}!XFD1048576", f"{T3}!XFD1048576", f"{T5}!ALL99999"):
        assert any(x.startswith(str(bad)) and ref in x for x in lines), (ref, r.stderr)
    assert any("=1+1" in x for x in lines)
    _no_raw(r.stderr)
    assert (tmp_path / "out" / "index.html").is_file()


def test_a_sheet_filled_over_a_huge_range_is_refused(base, tmp_path):
    # cells spread over the whole range (a diagonal of 40): not a few strays, the sheet is refused
    from juesuan.workbook.cells import a1
    spread = "".join(f'<row r="{i * 2400}"><c r="{a1(i * 2400 - 1, i * 24)}"><v>1</v></c></row>'
                     for i in range(1, 41)).encode()
    bad = _patch(base, tmp_path / "h.xlsx",
                 {_member(base, T2): lambda d: d.replace(b"</sheetData>", spread + b"</sheetData>")})
    r = _limited_run("build", str(bad), "-o", str(tmp_path / "o2"), "--format", "html")
    assert r.returncode == 2, r.stderr
    assert "h.xlsx" in r.stderr and f"{T2}!{a1(40 * 2400 - 1, 40 * 24)}" in r.stderr and "过大" in r.stderr
    _no_raw(r.stderr)


def test_xls_with_a_far_cell_is_refused_within_memory(tmp_path):
    """calamine lays an .xls sheet out as one dense block (65 536 × 256 cells: about a gigabyte):
    the BIFF scan sees the far cell first and the sheet is refused, naming it."""
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    ws = wb.add_sheet("说明")
    ws.write(0, 0, "x")
    ws.write(65535, 255, 1)     # the last cell of an .xls sheet
    wb.save(str(tmp_path / "far.xls"))
    r = _limited_run("check", str(tmp_path / "far.xls"), limit=1 << 30)
    assert r.returncode == 2, r.stderr
    assert "far.xls" in r.stderr and "说明!IV65536" in r.stderr and "另存" in r.stderr, r.stderr
    _no_raw(r.stderr)


def _as_xls(xlsx: Path, out: Path, errors: dict[tuple[str, int, int], str] | None = None) -> Path:
    """The workbook's values as a legacy .xls (xlwt), with Excel error values put in given cells."""
    xlwt = pytest.importorskip("xlwt")
    src = openpyxl.load_workbook(xlsx, data_only=True)
    wb = xlwt.Workbook(encoding="utf-8")
    for ws in src.worksheets:
        sh = wb.add_sheet(ws.title)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and (ws.title, c.row - 1, c.column - 1) not in (errors or {}):
                    sh.write(c.row - 1, c.column - 1,
                             float(c.value) if isinstance(c.value, Decimal) else c.value)
        for (name, r, c), e in (errors or {}).items():
            if name == ws.title:
                sh.row(r).set_cell_error(c, {"#DIV/0!": 0x07, "#REF!": 0x17, "#N/A": 0x2A}[e])
    wb.save(str(out))
    return out


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A"])
def test_excel_error_value_in_an_xls_is_a_located_error(base, tmp_path, capsys, error):
    """calamine reads an .xls error cell as blank; the BIFF scan finds it."""
    bad = _as_xls(base, tmp_path / "e.xls", {(T1, 5, 2): error})
    rc, text = _cli(capsys, "build", str(bad), "-o", str(tmp_path / "o"), "--format", "html")
    assert rc == 2, text
    assert f"{T1}!C6" in text and f"单元格是 Excel 错误值 {error}" in text and "e.xls" in text, text
    _no_raw(text)
    good = _as_xls(base, tmp_path / "ok.xls")
    rc, text = _cli(capsys, "build", str(good), "-o", str(tmp_path / "o"), "--format", "html")
    assert rc == 0, text


# --- 2. a zip bomb ------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["build", "check", "template"])
def test_zip_bomb_is_refused_before_reading(base, tmp_path, capsys, command):
    bomb = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + \
        b" " * 8_000_000 + b"</sst>"
    bad = _patch(base, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": bomb})
    args = {"build": ("build", str(bad), "-o", str(tmp_path / "o"), "--format", "html"),
            "check": ("check", str(bad)),
            "template": ("template", "-o", str(tmp_path / "t.xlsx"), "--from", str(bad))}[command]
    rc, text = _cli(capsys, *args)
    assert rc == 2, text
    assert "bomb.xlsx" in text and "xl/sharedStrings.xml" in text and "压缩比异常" in text
    _no_raw(text)
    assert not (tmp_path / "t.xlsx").exists()


# --- 3. an amount out of range ----------------------------------------------------------------------
def test_amount_of_1e26_is_a_located_error(base, tmp_path, capsys):
    """Decimal.quantize raised InvalidOperation (a traceback)."""
    bad = _patch(base, tmp_path / "big.xlsx", {_member(base, T2): _set_cell("D6", '<c r="D6"><v>1E+26</v></c>')})
    rc, text = _cli(capsys, "build", str(bad), "-o", str(tmp_path / "o"), "--format", "html")
    assert rc == 2, text
    assert f"{T2}!D6" in text and "1E+26 超出范围" in text and "big.xlsx" in text
    _no_raw(text)


def test_amount_out_of_range_in_a_supplementary_sheet(base, tmp_path, capsys):
    from juesuan.final.readers import load
    from juesuan.final.workbook import write_template
    full = tmp_path / "full.xlsx"
    write_template(full, load(EXAMPLE)[0], lookups=False)
    wb = openpyxl.load_workbook(full)
    ws = wb["三公明细"]
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, (int, float)))
    cell.value = 1e30
    wb.save(full)
    rc, text = _cli(capsys, "check", str(full))
    assert rc == 2 and f"三公明细!{cell.coordinate}" in text and "超出范围" in text, text
    _no_raw(text)


# --- 4. Excel error values --------------------------------------------------------------------------
@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?"])
def test_excel_error_value_in_a_figure_is_a_located_error(base, tmp_path, capsys, error):
    xml = f'<c r="C6" t="e"><f>1/0</f><v>{error}</v></c>'
    bad = _patch(base, tmp_path / "e.xlsx", {_member(base, T1): _set_cell("C6", xml)})
    rc, text = _cli(capsys, "build", str(bad), "-o", str(tmp_path / "o"), "--format", "html")
    assert rc == 2, text
    assert f"{T1}!C6" in text and f"单元格是 Excel 错误值 {error}，请在 Excel 中改正公式后另存" in text
    assert "e.xlsx" in text
    _no_raw(text)


def test_excel_error_value_in_a_code_cell(base, tmp_path, capsys):
    bad = _patch(base, tmp_path / "e.xlsx",
                 {_member(base, T3): _set_cell("A6", '<c r="A6" t="e"><f>X1</f><v>#REF!</v></c>')})
    rc, text = _cli(capsys, "check", str(bad))
    assert rc == 2 and f"{T3}!A6" in text and "Excel 错误值 #REF!" in text, text


# --- 5. balances that do not add up -----------------------------------------------------------------
def test_balance_error_names_file_and_the_blank_cell(base, tmp_path, capsys):
    """年初结转和结余 filled, 年末 left blank: the message named neither file nor cell."""
    wb = openpyxl.load_workbook(base)
    ws = wb[T1]
    row = next(c.row for c in ws["A"] if c.value == "年初结转和结余")
    ws.cell(row, 3).value = 1000
    wb.save(tmp_path / "bal.xlsx")
    rc, text = _cli(capsys, "check", str(tmp_path / "bal.xlsx"))
    assert rc == 2, text
    line = next(x for x in text.splitlines() if "年末结转和结余应为" in x)
    assert line.startswith(str(tmp_path / "bal.xlsx")) and f"{T1}!F{row}" in line, line


# --- 6. files that are not what their name says, or are damaged --------------------------------------
def _ole(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + extra + b"\0" * 1024


def _cases(base: Path, tmp: Path) -> list[tuple[str, Path, str]]:
    docx = tmp / "w.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    far = {_member(base, T2): _set_cell("XFD1048576", '<c r="XFD1048576"><v>1</v></c>')}
    return [
        ("xlsx named .xls", _patch(base, tmp / "a.xls", {}),
         "这是 .xlsx 文件，扩展名写成了 .xls：请把扩展名改为 .xlsx"),
        ("old .xls named .xlsx", _write(tmp / "b.xlsx", _ole()), "这是旧版 .xls 文件"),
        ("encrypted", _write(tmp / "c.xlsx", _ole("EncryptedPackage".encode("utf-16-le"))), "文件已加密"),
        ("damaged OLE", _write(tmp / "d.xls", _ole()), "文件已损坏"),
        ("web page named .xls", _write(tmp / "e.xls", "<html><table><tr><td>收入决算表".encode()), "网页（HTML）"),
        ("PDF named .xlsx", _write(tmp / "f.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "PDF"),
        ("empty", _write(tmp / "g.xlsx", b""), "文件是空的"),
        ("truncated zip", _write(tmp / "h.xlsx", base.read_bytes()[:5000]), "文件已损坏"),
        ("no workbook.xml", _patch(base, tmp / "i.xlsx", {}, drop=("xl/workbook.xml",)), "缺少 xl/workbook.xml"),
        ("no sheet member", _patch(base, tmp / "j.xlsx", {}, drop=(_member(base, T2),)), f"工作表“{T2}”"),
        ("no shared strings", _patch(base, tmp / "k.xlsx", {_member(base, T2): _set_cell(
            "A40", '<c r="A40" t="s"><v>5</v></c>')}), "共享字符串"),
        ("a .docx renamed", docx, "这是 Word 文档"),
        ("damaged styles", _patch(base, tmp / "m.xlsx", {"xl/styles.xml": b"<styleSheet><x"}), "文件已损坏"),
        ("damaged styles, far cell", _patch(base, tmp / "n.xlsx", {**far, "xl/styles.xml": b"<styleSheet><x"}),
         "已损坏"),
        ("bad row number, far cell",
         _patch(base, tmp / "o.xlsx", {_member(base, T2): lambda d: far[_member(base, T2)](d).replace(
             b'<row r="6"', b'<row r="6x"', 1)}), "已损坏"),
        ("damaged sheet XML", _patch(base, tmp / "p.xlsx", {_member(base, T2): lambda d: d[:3000]}),
         f"工作表“{T2}”已损坏"),
    ]


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


def test_unusable_files_say_what_to_do(base, tmp_path, capsys):
    for what, path, expected in _cases(base, tmp_path):
        rc, text = _cli(capsys, "build", str(path), "-o", str(tmp_path / "out"), "--format", "html")
        assert rc == 2, (what, text)
        assert expected in text, (what, text)
        assert path.name in text, (what, text)
        _no_raw(text)
    assert not (tmp_path / "out" / "index.html").exists()


def test_check_says_the_same(base, tmp_path, capsys):
    bad = _patch(base, tmp_path / "a.xls", {})
    rc, text = _cli(capsys, "check", str(bad))
    assert rc == 2 and "扩展名写成了 .xls" in text and "a.xls" in text, text
