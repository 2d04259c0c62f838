"""Inputs that expand to gigabytes, and raw parser messages, in the non-Excel readers (issue 14).

Every hostile input is built here, in ``tmp_path``: a zip bomb and a 2e9 ``gridSpan`` in a
.docx, 1000×1000 spans in HTML, a “billion laughs” YAML, control characters and GBK in YAML,
a device or a pipe where a file should be, a PDF whose form XObjects nest a million copies.
Each must end quickly with a located Chinese message and exit status 2, never a traceback, a
hang or a memory blow-up. What could blow up runs in a child process limited to 2 GiB of
address space and a timeout, so that a regression fails the test and not the test run.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from juesuan import InputError, load
from juesuan.cli import main

GIB = 1 << 30


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * GIB, 2 * GIB))


def _juesuan(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    """``python -m juesuan ARGS`` in a child limited to 2 GiB; (result, seconds taken)."""
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "juesuan", *args], capture_output=True, text=True,
                       timeout=timeout, preexec_fn=_limited)
    return r, time.monotonic() - t


def _refused(r: subprocess.CompletedProcess, seconds: float, *words: str, within: float = 10) -> str:
    assert r.returncode == 2, r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr
    assert seconds < within, f"took {seconds:.1f} s"
    for w in words:
        assert w in r.stderr, (w, r.stderr[-2000:])
    return r.stderr


# --------------------------------------------------------------------------- DOCX

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
       '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
       'document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _docx(path: Path, body: str, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                                        f"{body}</w:body></w:document>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def _cell(text: str = "", props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_docx_zip_bomb_is_refused_before_reading(tmp_path, capsys):
    p = _docx(tmp_path / "bomb.docx", "<w:p><w:r><w:t>部门决算</w:t></w:r></w:p>",
              {"word/media/filler.xml": b"\0" * (4 << 20)})   # 4 MB of zeros, 4 KB compressed
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "bomb.docx" in err and "Word 文件" in err and "word/media/filler.xml" in err and "压缩比异常" in err


@pytest.mark.parametrize("row", [
    '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p/></w:tc></w:tr>',
    '<w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr><w:tc><w:p/></w:tc></w:tr>',
], ids=["gridSpan", "gridBefore"])
def test_docx_span_of_two_billion_is_refused_not_allocated(tmp_path, row):
    body = ("<w:p><w:r><w:t>2023年度部门决算</w:t></w:r></w:p>"
            f"<w:tbl><w:tr>{_cell('项目')}</w:tr><w:tr>{_cell('收入')}</w:tr>{row}</w:tbl>")
    p = _docx(tmp_path / "span.docx", body)
    r, s = _juesuan("parse", str(p))
    err = _refused(r, s, "span.docx", "第1个表格第3行", "2000000000", "上限 1000")
    assert "Word/WPS" in err


def test_docx_table_laid_out_beyond_the_cell_bound_is_refused(tmp_path, capsys):
    grid = "<w:tblGrid>" + "<w:gridCol/>" * 1000 + "</w:tblGrid>"
    rows = f"<w:tr>{_cell('x')}</w:tr>" * 2001                     # 2001 rows × 1000 columns
    p = _docx(tmp_path / "wide.docx", f"<w:tbl>{grid}{rows}</w:tbl>")
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "wide.docx" in err and "第1个表格" in err and "2,000,000" in err


def test_docx_part_of_millions_of_tags_is_refused_before_parsing(tmp_path, capsys):
    """24 MB of ``<w:p/>`` (4 million elements, half a gigabyte as a tree) in a 0.3 MB file whose
    compression ratio stays under the zip bomb bound thanks to some random text."""
    filler = f"<w:p><w:r><w:t>{os.urandom(200_000).hex()}</w:t></w:r></w:p>"
    p = _docx(tmp_path / "dense.docx", "<w:p/>" * 4_100_000 + filler)
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "dense.docx" in err and "word/document.xml" in err and "2,000,000 个标记" in err


def test_docx_spans_that_are_no_number_are_read_as_word_does(tmp_path):
    from juesuan.parse.docx import read_docx

    span = '<w:gridSpan w:val="{}"/>'.format
    body = f"<w:tbl><w:tr>{_cell('a', span('abc'))}{_cell('b', span('-3'))}{_cell('c', span('2'))}</w:tr></w:tbl>"
    doc = read_docx(_docx(tmp_path / "odd.docx", body))
    assert [ln.cells for ln in doc.lines] == [["a", "b", "c", ""]]


def test_docx_deeply_nested_tables_are_read_in_linear_time(tmp_path):
    """Each nested table was read again by every table around it: 2^depth."""
    from juesuan.parse.docx import read_docx

    inner = "<w:p><w:r><w:t>最里层</w:t></w:r></w:p>"
    for _ in range(16):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    t = time.monotonic()
    doc = read_docx(_docx(tmp_path / "nested.docx", inner))
    assert time.monotonic() - t < 3
    assert doc.lines[0].cells == ["最里层"]   # once, not once per enclosing table


# --------------------------------------------------------------------------- HTML

def test_html_spans_of_a_million_cells_each_stay_small(tmp_path):
    cells = "".join(f'<tr><td rowspan="1000" colspan="1000">{i}</td></tr>' for i in range(30))
    p = tmp_path / "spans.html"
    p.write_text(f"<html><body><table>{cells}</table></body></html>", encoding="utf-8")
    r, s = _juesuan("parse", str(p))   # read in a moment; then it is no disclosure
    _refused(r, s, "spans.html", "不像一份部门决算", within=10)


def test_html_odd_spans_are_read_as_a_browser_does(tmp_path):
    from juesuan.parse.html import read_html

    p = tmp_path / "odd.html"
    p.write_text('<table><tr><td colspan="999999999">x</td><td colspan="-5">a</td><td colspan="abc" '
                 'rowspan="1e9">b</td><td colspan=" 2 ">c</td></tr><tr><td>y</td></tr></table>', encoding="utf-8")
    rows = [ln.cells for ln in read_html(p).lines]
    assert len(rows) == 2 and len(rows[0]) == 1004 == len(rows[1])
    assert rows[0][0] == "x" and rows[0][1000:] == ["a", "b", "c", ""] and set(rows[0][1:1000]) == {""}
    assert rows[1][0] == "y"


def test_html_table_laid_out_beyond_the_cell_bound_is_refused(tmp_path, capsys):
    p = tmp_path / "wide.html"
    p.write_text("<table>\n" + '<tr><td colspan="1000">x</td></tr>\n' * 2001 + "</table>", encoding="utf-8")
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "wide.html:2" in err and "第1个表格" in err and "2,001 行 × 1,000 列" in err and "rowspan/colspan" in err


def test_html_all_tables_together_are_bounded(tmp_path, capsys, monkeypatch):
    import juesuan.parse.html as reader

    monkeypatch.setattr(reader, "MAX_DOC_CELLS", 5000)
    p = tmp_path / "many.html"
    p.write_text("".join('<table><tr><td colspan="1000">x</td></tr></table>\n' for _ in range(6)), encoding="utf-8")
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "many.html:6" in err and "到第6个表格为止" in err


def test_html_page_larger_than_any_real_one_is_refused_unread(tmp_path, capsys):
    p = tmp_path / "huge.html"
    with open(p, "wb") as fh:
        fh.truncate((64 << 20) + 1)   # sparse: no disk written
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "huge.html" in err and "文件过大（超过 64 MB）" in err


def test_html_page_of_millions_of_tags_is_refused_before_parsing(tmp_path, capsys):
    p = tmp_path / "tags.html"
    p.write_text("<html><body>" + "<p>" * 2_000_000 + "</body></html>", encoding="utf-8")
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "tags.html" in err and "2,000,000 个标记" in err


@pytest.mark.parametrize("text", ['<!DOCTYPE html PUBLIC "x" \'y>', "<?xml version='1.0'?><!--"],
                         ids=["doctype", "comment"])
def test_html_lxml_messages_become_chinese(tmp_path, capsys, text):
    p = tmp_path / "bad.html"
    p.write_text(text, encoding="utf-8")
    assert main(["parse", str(p)]) == 2
    err = capsys.readouterr().err
    assert "bad.html" in err and "网页无法解析" in err and "另存为" in err
    assert "Document is empty" not in err and "AttValue" not in err


# --------------------------------------------------------------------------- YAML data

def _data_dir(tmp_path: Path, content: bytes) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "disclosure.yaml").write_bytes(content)
    return d


def test_yaml_billion_laughs_is_refused_before_expanding(tmp_path):
    lines = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]   # 9^10 values
    d = _data_dir(tmp_path, ("\n".join(lines) + "\n").encode())
    r, s = _juesuan("build", str(d), "-o", str(tmp_path / "out"), "--format", "html")
    err = _refused(r, s, "disclosure.yaml:", "别名", "200,000", within=8)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert "billion laughs" in err


@pytest.mark.parametrize("text, words", [
    ("a: &a [1, *a]\n", ("自身",)),
    ("a: " + "[" * 150 + "]" * 150 + "\n", ("嵌套超过 100 层",)),
    ("a: " + "[" * 2000 + "]" * 2000 + "\n", ("嵌套层数过多",)),
], ids=["recursive-alias", "deep", "deeper-than-libyaml"])
def test_yaml_self_reference_and_deep_nesting_are_refused(tmp_path, text, words):
    p = tmp_path / "d.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load(p)
    msg = str(e.value)
    assert all(w in msg for w in words) and e.value.diagnostics[0].line == 1


@pytest.mark.parametrize("char, name", [("\x00", "NUL（U+0000）"), ("\x1b", "ESC（U+001B）"),
                                        ("\x07", "控制字符（U+0007）")], ids=["NUL", "ESC", "BEL"])
def test_yaml_control_characters_give_the_line(tmp_path, capsys, char, name):
    d = _data_dir(tmp_path, f"year: 2023\nentity:\n  name: 某单位{char}\n".encode())
    assert main(["build", str(d), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "disclosure.yaml:3" in err and name in err and "第 3 行第 12 个字符" in err and "删除" in err
    assert "ReaderError" not in err and "unacceptable" not in err


def test_yaml_in_gbk_says_so(tmp_path, capsys):
    d = _data_dir(tmp_path, "year: 2023\nentity:\n  name: 武汉市某单位\n".encode("gbk"))
    assert main(["build", str(d), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "disclosure.yaml:3" in err and "文件是 GBK 编码，请另存为 UTF-8" in err


def test_yaml_in_neither_utf8_nor_gbk(tmp_path, capsys):
    d = _data_dir(tmp_path, b"year: 2023\nentity: \xff\xfe\xfd\n")
    assert main(["build", str(d), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "disclosure.yaml:2" in err and "不是 UTF-8 编码" in err and "GBK" not in err


def test_a_directory_named_disclosure_yaml_is_refused(tmp_path, capsys):
    (tmp_path / "data" / "disclosure.yaml").mkdir(parents=True)
    assert main(["build", str(tmp_path / "data"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "disclosure.yaml" in err and "是一个目录，不是文件" in err and "IsADirectoryError" not in err


@pytest.mark.parametrize("text, words", [
    ("year: 2023\nentity: a: b\n", "值中有冒号时请给整个值加引号"),
    ("year: 2023\nentity:\n\tname: x\n", "Tab"),
    ("year: 2023\nentity: [1, 2\n", "方括号"),
    ("year: 2023\nentity: 'x\n", "引号"),
    ("year: [\n", "此处缺少值"),
], ids=["colon", "tab", "bracket", "quote", "no-value"])
def test_yaml_syntax_errors_are_told_in_chinese(tmp_path, text, words):
    p = tmp_path / "d.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load(p)
    d = e.value.diagnostics[0]
    assert d.line is not None and "语法错误" in d.message and words in d.message
    assert not any(w in d.message for w in ("mapping values", "found character", "did not find", "end of stream"))


# --------------------------------------------------------------------------- devices and pipes

def test_devices_pipes_and_links_to_dev_zero_are_refused_not_read(tmp_path):
    names = []
    for suffix in (".txt", ".html", ".docx", ".pdf", ".yaml"):
        (tmp_path / f"zero{suffix}").symlink_to("/dev/zero")
        names.append(f"zero{suffix}")
    os.mkfifo(tmp_path / "pipe.txt")
    names.append("pipe.txt")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "disclosure.yaml").symlink_to("/dev/zero")
    script = ("import sys\nfrom juesuan.cli import main\n"
              "for a in sys.argv[1:]:\n"
              "    cmd, _, path = a.partition(':')\n"
              "    print(path, main([cmd, path]), file=sys.stderr, flush=True)\n")
    args = [f"check:{tmp_path / n}" for n in names] + [f"parse:{tmp_path / n}" for n in names[:4]]
    args.append(f"build:{tmp_path / 'data'}")
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60,
                       preexec_fn=_limited, cwd=tmp_path)
    assert time.monotonic() - t < 15 and "Traceback" not in r.stderr, r.stderr[-3000:]
    for a in args:
        path = a.partition(":")[2]
        assert f"{path} 2\n" in r.stderr, (a, r.stderr[-3000:])
    assert r.stderr.count("这不是普通文件（设备、管道或特殊文件）") == len(args)


# --------------------------------------------------------------------------- PDF

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _pdf(pages: list[bytes], forms: list[bytes] = (), encrypted: bool = False) -> bytes:
    """A PDF written by hand: each page draws its content; ``forms[k]`` is form XObject /X<k>
    (drawn by its content as ``/X<k-1> Do``), resources are inherited from the page tree.
    ``encrypted``: RC4 40-bit, empty user password (as many published PDFs: opens without asking,
    printing or copying restricted), every stream encrypted."""
    import hashlib

    file_id = b"juesuan-test-id!"
    o = _rc4(hashlib.md5(b"owner" + _PAD[:27]).digest()[:5], _PAD)
    file_key = hashlib.md5(_PAD + o + (-4).to_bytes(4, "little", signed=True) + file_id).digest()[:5]

    def seal(num: int, data: bytes) -> bytes:
        if not encrypted:
            return data
        return _rc4(hashlib.md5(file_key + num.to_bytes(3, "little") + b"\0\0").digest()[:10], data)

    objs: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
                              3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    first_form = 4
    xobjects = b" ".join(b"/X%d %d 0 R" % (k, first_form + k) for k in range(len(forms)))
    resources = b"<< /Font << /F1 3 0 R >> /XObject << " + xobjects + b" >> >>"
    for k, content in enumerate(forms):
        z = seal(first_form + k, zlib.compress(content))
        objs[first_form + k] = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources " + resources +
                                b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(z) + z + b"\nendstream")
    n = first_form + len(forms)
    kids = []
    for content in pages:
        content = seal(n, content)
        objs[n] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objs[n + 1] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents %d 0 R >>" % n
        kids.append(b"%d 0 R" % (n + 1))
        n += 2
    objs[2] = (b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d /Resources " % len(pages) + resources
               + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for i in sorted(objs):
        offsets[i] = len(out)
        out += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % n
    out += b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, n))
    crypt = b""
    if encrypted:
        crypt = (b" /Encrypt << /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >> /ID [<%s> <%s>]"
                 % (o.hex().encode(), _rc4(file_key, _PAD).hex().encode(), file_id.hex().encode(),
                    file_id.hex().encode()))
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (n, crypt, xref)
    return bytes(out)


_TEXT = b"BT /F1 12 Tf 72 700 Td (2023 juesuan) Tj ET"


def test_pdf_form_xobjects_nested_a_million_times_are_refused_before_loading(tmp_path):
    """/X0 draws text and two rules; /X1…/X6 each draw the level below ten times: page 2 draws
    /X6, a million copies of /X0 — pdfium aborts the process when it loads that page."""
    leaf = b"BT /F1 10 Tf 10 10 Td (12.00) Tj 100 0 Td (34.00) Tj ET 0 0 m 50 0 l S 0 0 m 0 20 l S"
    forms = [leaf] + [b" ".join(b"q 1 0 0 1 %d %d cm /X%d Do Q" % (i, i, k - 1) for i in range(10))
                      for k in range(1, 7)]
    p = tmp_path / "forms.pdf"
    p.write_bytes(_pdf([_TEXT, b"q /X6 Do Q"], forms))
    assert p.stat().st_size < 5000
    r, s = _juesuan("parse", str(p))
    err = _refused(r, s, "forms.pdf", "第 2 页", "Form XObject", "8 MB", within=8)
    assert "第 1 页" not in err


def test_pdf_encrypted_forms_nested_a_million_times_are_refused_not_aborted(tmp_path):
    """The same million copies in a file encrypted with an empty user password (pdfium opens it;
    the measure cannot decrypt it): its pages are loaded first in a child process bounded in memory,
    which pdfium's abort takes down instead of juesuan. An honest encrypted file reads as before."""
    leaf = b"BT /F1 10 Tf 10 10 Td (12.00) Tj 100 0 Td (34.00) Tj ET 0 0 m 50 0 l S 0 0 m 0 20 l S"
    forms = [leaf] + [b" ".join(b"q 1 0 0 1 %d %d cm /X%d Do Q" % (i, i, k - 1) for i in range(10))
                      for k in range(1, 7)]
    p = tmp_path / "sealed.pdf"
    p.write_bytes(_pdf([_TEXT, b"q /X6 Do Q"], forms, encrypted=True))
    r, s = _juesuan("parse", str(p))
    _refused(r, s, "sealed.pdf", "第 2 页", "内存", within=30)
    ok = tmp_path / "ok.pdf"
    ok.write_bytes(_pdf([_TEXT, b"q /X2 Do Q"], forms[:3], encrypted=True))
    r, s = _juesuan("parse", str(ok))     # read through: its text is no disclosure, and says so
    _refused(r, s, "ok.pdf", "不像一份部门决算公开", within=30)
    assert "内存" not in r.stderr


def _rle(data: bytes) -> bytes:
    return b"".join(bytes([len(data[i:i + 128]) - 1]) + data[i:i + 128] for i in range(0, len(data), 128)) + b"\x80"


@pytest.mark.parametrize("name, encode", [
    ("FlateDecode", zlib.compress), ("ASCIIHexDecode", lambda b: b.hex().encode() + b">"),
    ("ASCII85Decode", lambda b: __import__("base64").a85encode(b, adobe=True)), ("RunLengthDecode", _rle),
])
def test_pdf_nested_forms_are_measured_whatever_the_filter_and_in_object_streams(name, encode):
    """The page tree, the page and the forms' resources kept in an object stream (PDF 1.5), the
    forms' content in each filter: the measure still finds the million copies of page 1."""
    from juesuan.parse.pdfscan import page_costs

    top: dict[int, bytes] = {}
    packed = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
              3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    for k in range(7):
        content = b"BT /F1 10 Tf (12.00) Tj ET 0 0 m 50 0 l S" if k == 0 else b"q /X Do Q " * 10
        packed[100 + k] = b"<< /Font << /F1 3 0 R >> /XObject << /X %d 0 R >> >>" % (10 + k - 1) if k else b"<< >>"
        data = encode(content)
        top[10 + k] = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources %d 0 R /Filter /%s "
                       b"/Length %d >>\nstream\n" % (100 + k, name.encode(), len(data)) + data + b"\nendstream")
    top[5] = b"<< /Length 9 >>\nstream\nq /X Do Q\nendstream"
    packed[4] = b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources << /XObject << /X 16 0 R >> >> >>"
    head = body = b""
    for n in sorted(packed):
        head += b"%d %d " % (n, len(body))
        body += packed[n] + b"\n"
    stm = zlib.compress(head + body)
    top[9] = (b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
              % (len(packed), len(head), len(stm)) + stm + b"\nendstream")
    pdf = b"%PDF-1.5\n" + b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, top[n]) for n in sorted(top))
    pdf += b"trailer\n<< /Size 120 /Root 1 0 R >>\n%%EOF\n"
    assert page_costs(pdf, 1, 8 << 20) == [(8 << 20) + 1]
    assert page_costs(pdf, 2, 8 << 20) is None          # not the page count pdfium found: no judgement


def test_pdf_forms_nested_deeper_than_python_recurses_are_refused():
    """600 forms, each drawing the next twice: measured (not a RecursionError that lets pdfium
    expand 2^40 copies)."""
    from juesuan.parse.pdfscan import page_costs

    forms = [b"BT /F1 10 Tf (1) Tj ET"] + [b"/X%d Do /X%d Do" % (k - 1, k - 1) for k in range(1, 600)]
    pdf = _pdf([b"/X599 Do"], forms)
    assert page_costs(pdf, 1, 8 << 20) == [(8 << 20) + 1]
    assert page_costs(_pdf([b"/X3 Do"], forms[:4]), 1, 8 << 20)[0] < 1000   # three levels: counted, small


def test_pdf_a_page_of_too_many_characters_is_refused(tmp_path, capsys):
    lines = b"".join(b"BT /F1 1 Tf 10 %d Td (%s) Tj ET\n" % (y, b"0123456789" * 30) for y in range(800))
    p = tmp_path / "chars.pdf"
    p.write_bytes(_pdf([_TEXT, lines]))                  # 240 000 characters on page 2
    t = time.monotonic()
    assert main(["parse", str(p)]) == 2
    assert time.monotonic() - t < 5
    err = capsys.readouterr().err
    assert "chars.pdf" in err and re.search(r"第 2 页有 24\d,\d{3} 个字符", err) and "上限 200,000" in err


def test_pdf_page_objects_and_all_characters_are_bounded(tmp_path, capsys, monkeypatch):
    import juesuan.parse.pdf as reader

    leaf = b"BT /F1 10 Tf 10 10 Td (12.00) Tj 100 0 Td (34.00) Tj ET 0 0 m 50 0 l S 0 0 m 0 20 l S"
    forms = [leaf] + [b" ".join(b"q /X%d Do Q" % (k - 1) for _ in range(10)) for k in range(1, 3)]
    p = tmp_path / "objects.pdf"
    p.write_bytes(_pdf([_TEXT, b"q /X2 Do Q"], forms))   # page 2: 100 forms of three objects
    monkeypatch.setattr(reader, "MAX_PDF_PAGE_OBJECTS", 300)
    assert main(["parse", str(p)]) == 2
    assert "第 2 页有超过 300 个页面对象" in capsys.readouterr().err
    monkeypatch.setattr(reader, "MAX_PDF_CHARS", 20)
    p.write_bytes(_pdf([_TEXT, _TEXT, _TEXT]))
    assert main(["parse", str(p)]) == 2
    assert "到第 2 页为止已有" in capsys.readouterr().err


def test_pdf_bounds_leave_real_documents_alone():
    """The measure before loading follows the real samples and finds their pages small."""
    import pypdfium2 as pdfium
    from conftest import SAMPLES

    from juesuan.parse.pdfscan import page_costs

    for path in sorted(SAMPLES.rglob("*.pdf")):
        data = path.read_bytes()
        pdf = pdfium.PdfDocument(data)
        costs = page_costs(data, len(pdf), 8 << 20)
        pdf.close()
        assert costs is not None and len(costs) > 1 and 1000 < max(costs) < 400_000, path.name
