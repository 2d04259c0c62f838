"""What damaged or garbage text does to the parser and the reports (issue 14, hardening).

Each test builds its hostile input here: lone UTF-16 surrogates and terminal control characters
in a PDF's, a text file's, an HTML page's and a Word file's text; a line of 100 000 cells; files
with no text at all (empty, blank, binary, markup only, no paragraphs, blank pages); a 目录
damaged so that the recognizer does not see it as one. Commands run through ``juesuan.cli.main``
with pytest's captured streams (which, like a terminal, refuse what UTF-8 cannot encode) or in a
subprocess.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from juesuan.cli import main
from juesuan.pipeline import parse

ROOT = Path(__file__).resolve().parent.parent
# what must never reach a report: C0 controls but tab and newline, DEL, C1 controls, surrogates
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
# a sentence of the reference example's 情况说明 that ``check`` quotes once its figure is changed
SENTENCE = ("1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）。"
            "年初预算为217.50万元，支出决算为247.04万元")


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer reads ``lines`` — any code points, lone surrogates and
    control characters too: each character is a byte of a simple font, its ToUnicode entry the
    character's UTF-16 unit (as a damaged PDF in the wild maps glyphs to garbage)."""
    codes = [c for c in range(0x21, 0xFF) if c not in (0x28, 0x29, 0x5C)]
    table: dict[str, int] = {}
    for ch in dict.fromkeys("".join(lines)):
        if ch != " ":
            table[ch] = codes[len(table)]
    shown = [bytes(0x20 if ch == " " else table[ch] for ch in line) for line in lines]
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            "1 begincodespacerange <00> <FF> endcodespacerange "
            f"{len(table)} beginbfchar " + " ".join(f"<{v:02X}> <{ord(k):04X}>" for k, v in table.items())
            + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    content = b"BT /F1 12 Tf 50 750 Td 14 TL " + b" ".join(b"(" + s + b") Tj T*" for s in shown) + b" ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(data))
        data += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(data)
    data += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    data += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    data += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, example_document):
    """The reference example as text, HTML and Word, rendered once."""
    from juesuan.renderers import render
    out = tmp_path_factory.mktemp("rendered")
    return {fmt: render(example_document, fmt, out) for fmt in ("txt", "html", "docx")}


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []


# -- 1. lone surrogates ------------------------------------------------------------------------

def test_lone_surrogates_in_a_pdfs_text_never_break_the_output(tmp_path, capsys):
    """A damaged PDF whose glyphs map to lone UTF-16 surrogates (and to ESC/BEL): every output
    format is written, each surrogate a U+FFFD, no control character in the data."""
    p = tmp_path / "损坏.pdf"
    p.write_bytes(_pdf(["2023年度某某局部门决算公开", "第一部分 部门概况", "一、主要职责",
                        "负责\ud800全区\x1b[31m数据\x07管理\udc00工作。"]))
    code, out, _ = _run(capsys, "parse", p, "--format", "json")
    assert code == 0
    data = json.loads(out)
    texts = _strings(data)
    assert any("\ufffd" in s for s in texts), "the surrogates are shown as U+FFFD"
    assert not any(SURROGATE.search(s) or CONTROL.search(s) for s in texts)
    assert "负责\ufffd全区数据管理\ufffd工作。" in out
    code, out, _ = _run(capsys, "parse", p, "--format", "yaml")
    assert code == 0 and "\ufffd" in out and not SURROGATE.search(out) and not CONTROL.search(out)
    code, out, _ = _run(capsys, "parse", p, "--format", "facts")
    assert code == 0 and out.startswith("table,code,label,column,value")
    for fmt in ("json", "text"):
        code, out, _ = _run(capsys, "check", p, "--format", fmt)
        assert code == 1 and "损坏.pdf" in out and not SURROGATE.search(out)


def test_a_file_name_that_is_not_utf8_never_breaks_the_output(tmp_path, capsys, rendered):
    """A file named in GBK on a UTF-8 system (a zip from Windows): Python holds its name with
    surrogate escapes, which the reports show as U+FFFD instead of failing half-way."""
    name = os.fsdecode("决算".encode("gbk") + b".txt")
    assert SURROGATE.search(name)
    p = tmp_path / name
    try:
        p.write_bytes(rendered["txt"].read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    code, out, _ = _run(capsys, "parse", p, "--format", "json")
    assert code == 0 and json.loads(out)["source"]["file"].endswith("\ufffd.txt")
    for fmt in ("json", "text"):
        code, out, _ = _run(capsys, "check", p, "--format", fmt)
        assert code == 0 and "\ufffd.txt" in out and not SURROGATE.search(out)


def test_utf16_text_with_a_lone_surrogate_or_without_bom_is_read(tmp_path, rendered):
    """UTF-16 (a BOM and a lone surrogate; or no BOM at all) is read, never an English codec
    error: the surrogate a U+FFFD, the text without BOM the same document as in UTF-8."""
    text = rendered["txt"].read_text(encoding="utf-8")
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xff\xfe" + text[:2000].encode("utf-16-le") + b"\x00\xd8" + "。\n".encode("utf-16-le"))
    assert any("\ufffd" in line.text for line in parse(p).source.lines)
    p = tmp_path / "no-bom.txt"
    p.write_bytes(text.encode("utf-16-be"))
    assert parse(p).document.tables.facts() == parse(rendered["txt"]).document.tables.facts()


# -- 2. control characters ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_control_characters_never_reach_the_report(tmp_path, capsys, rendered, fmt):
    """A sentence of the 情况说明 holding ESC[31m … and BEL (a Word file cannot hold C0 controls:
    the C1 CSI and NEL instead), its figure changed so that ``check`` quotes it: the quote is
    there, read as if the controls were not, and no control character reaches the output."""
    assert SENTENCE in (rendered["txt"].read_text(encoding="utf-8"))
    changed = SENTENCE.replace("247.04", "248.04")
    if fmt == "docx":
        hostile = changed.replace("（类）", "\u009b31m（类）\u0085").replace("。", "\u009b0m\u0090。", 1)
        p = tmp_path / "damaged.docx"
        with zipfile.ZipFile(rendered["docx"]) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
            for n in src.namelist():
                data = src.read(n)
                if n == "word/document.xml":
                    xml = data.decode("utf-8")
                    assert SENTENCE in xml
                    data = xml.replace(SENTENCE, hostile, 1).encode("utf-8")
                dst.writestr(n, data)
    else:
        hostile = changed.replace("（类）", "\x1b[31m（类）\x07").replace("。", "\x1b[0m\x1b]0;标题\x07。", 1)
        p = tmp_path / f"damaged.{fmt}"
        text = rendered[fmt].read_text(encoding="utf-8")
        assert SENTENCE in text
        p.write_text(text.replace(SENTENCE, hostile, 1), encoding="utf-8")
    code, out, err = _run(capsys, "check", p)
    assert code == 1
    assert "支出决算为248.04万元" in out and "事业运行（项）支出决算”为 248.04 万元" in out
    assert not CONTROL.search(out) and not CONTROL.search(err)
    code, out, _ = _run(capsys, "parse", p, "--format", "yaml")
    assert code == 0 and not CONTROL.search(out)


# -- 3. a line of 100 000 cells ----------------------------------------------------------------

def test_a_line_of_100000_cells_parses_in_seconds(tmp_path):
    """Each cell of a row no layout can place is recorded as unread, with the line's text: the
    text is joined once per line, not once per cell (quadratic: minutes)."""
    p = tmp_path / "wide.txt"
    cells = "\t".join(f"{i % 1000}.{i % 100:02d}" for i in range(100_000))
    p.write_text("2023年度某某局部门决算公开\n2023年度收入支出决算总表\n项目\t行次\t金额\n"
                 f"一、一般公共预算财政拨款收入\t{cells}\n", encoding="utf-8")

    def limit():  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "juesuan", "parse", str(p), "--format", "facts"],
                       capture_output=True, text=True, timeout=300, preexec_fn=limit,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "无法读取 100000 处" in r.stderr or "无法读取 99999 处" in r.stderr
    assert cpu < 10, f"{cpu:.1f} s of CPU ({time.monotonic() - started:.1f} s) for one line of 100 000 cells"


# -- 4. files without text ---------------------------------------------------------------------

def _docx_without_paragraphs(p: Path) -> None:
    import docx
    d = docx.Document()
    for para in list(d.paragraphs):
        para._element.getparent().remove(para._element)
    d.save(str(p))


def _docx_of_blank_paragraphs(p: Path) -> None:
    import docx
    d = docx.Document()
    for t in ("", "   ", "\u3000"):
        d.add_paragraph(t)
    d.save(str(p))


NO_TEXT = {
    "empty.txt": (lambda p: p.write_bytes(b""), "文件是空的"),
    "blank.txt": (lambda p: p.write_bytes(" \n\t\r\n\u3000\n".encode()), "文件只有空白"),
    "random.txt": (lambda p: p.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4000))),
                   "读不出文字：不像文本文件（可能是二进制文件或编码错误）"),
    "nul.txt": (lambda p: p.write_bytes(b"\x00" * 3000), "读不出文字：不像文本文件（可能是二进制文件或编码错误）"),
    "controls.txt": (lambda p: p.write_bytes(bytes(range(1, 32)) * 50 + "2023年度部门决算".encode()),
                     "读不出文字：不像文本文件（可能是二进制文件或编码错误）"),
    "markup.html": (lambda p: p.write_text("<html><head><title>2023年度部门决算</title>"
                                           "<script>var a = '决算表';</script><style>p {}</style></head>"
                                           "<body><img src='x.png'><table><tr><td> </td></tr></table></body></html>",
                                           encoding="utf-8"),
                    "HTML 中没有正文文字"),
    "nothing.docx": (_docx_without_paragraphs, "Word 文件中没有文字"),
    "blank.docx": (_docx_of_blank_paragraphs, "Word 文件中没有文字"),
    "blank.pdf": (lambda p: p.write_bytes(_pdf([])), "PDF 中没有任何文字"),
    "controls.pdf": (lambda p: p.write_bytes(_pdf(["\x01\x02\x03\x04\x05", "\x06\x07\x0e\x0f\x10\x11"])),
                     "读不出文字：PDF 的文字层中只有控制字符"),
}


@pytest.mark.parametrize("name", list(NO_TEXT))
def test_a_file_without_text_says_what_is_wrong(tmp_path, capsys, name):
    """Not "扫描件" (only a PDF of page images is one), not nine "缺少…表" errors: what is wrong
    with the file, naming it, exit status 2 — for ``check`` and ``parse`` alike."""
    make, said = NO_TEXT[name]
    p = tmp_path / name
    make(p)
    for argv in (["check", p], ["parse", p, "--format", "json"]):
        code, out, err = _run(capsys, *argv)
        assert code == 2, (argv, err)
        assert said in err and name in err and re.search(r"[\u4e00-\u9fff]", err)
        assert "扫描件" not in err + out and "JS501" not in err + out and not out
        assert not CONTROL.search(err)


def test_a_little_damage_in_a_text_file_is_read_not_refused(tmp_path, rendered):
    """A few control characters in an otherwise good file (extracted text) are dropped, not a
    reason to refuse the file."""
    text = rendered["txt"].read_text(encoding="utf-8")
    p = tmp_path / "some-controls.txt"
    p.write_text(text.replace("部门主要职责", "部门\x00主要\x1b职责\x08", 1).replace("决算", "决\x07算", 5),
                 encoding="utf-8")
    assert parse(p).document.tables.facts() == parse(rendered["txt"]).document.tables.facts()


# -- 5. a damaged 目录 ---------------------------------------------------------------------------

@pytest.mark.parametrize("stray", ["\x00", "\ufffd", "\x00\ufffd"], ids=["nul", "replacement", "both"])
def test_a_damaged_table_of_contents_does_not_stand_for_the_tables(tmp_path, rendered, stray):
    """The reference example as text, each line of its 目录 starting with NULs or U+FFFD (the
    recognizer then does not see a 目录, and each table title in it opens a table with nothing
    under it): the tables are read where their figures are, the same facts as without."""
    text = rendered["txt"].read_text(encoding="utf-8")
    lines = text.split("\n")
    start = lines.index("目  录")
    end = next(i for i in range(start + 2, len(lines)) if lines[i] == lines[start + 1])  # the body's first part
    assert end - start > 20
    for i in range(start, end):
        if lines[i]:
            lines[i] = stray + lines[i][:2] + stray * 2 + lines[i][2:] if stray == "\x00" else stray + lines[i]
    p = tmp_path / "damaged-contents.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    damaged, clean = parse(p), parse(rendered["txt"])
    assert damaged.coverage.tables_found == 9
    assert damaged.document.tables.facts() == clean.document.tables.facts()
    assert damaged.coverage.values_read == clean.coverage.values_read > 100
