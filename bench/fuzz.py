"""Fuzzing harness (issue 14): hostile and mutated inputs against the real command line.

Every run is ``python -m juesuan <command> …`` in a subprocess of its own process group, with a
wall timeout (the whole group is killed with SIGKILL), its address space capped (RLIMIT_AS
2 GiB), its output files capped (RLIMIT_FSIZE 1 GiB) and no core dumps. Each run ends in one
outcome:

* ``ok``        — the exit status is one the case allows, and nothing below happened;
* ``traceback`` — "Traceback (most recent call last)" on standard error, or an exit status outside
  the documented set 0/1/2/130 (a crash, a signal);
* ``hang``      — killed at the timeout;
* ``memory``    — MemoryError / cannot allocate, or a peak resident size above 1 GB;
* ``exit``      — a documented status, but not the one the case expects (a hostile input must
  give 2: "unusable input");
* ``message``   — exit status 2 without a Chinese message on standard error, or (for ``check``
  and ``parse``) one that does not name the file;
* ``control``   — a control character (ESC, BEL, NUL, C1 …) reached standard output or error;
* ``partial``   — a temporary file left behind, or the command failed and left a partial output
  file (or changed a file that ``-o`` named).

The inputs are all made here, from the bundled example (``examples/hanyang-bdc-2023``, built to
HTML/DOCX/PDF/XLSX/text and turned into a pre-filled workbook), and nothing is read from outside
the repository. Two kinds of cases:

* hostile cases: one named generator each (``@hostile``), a crafted input that once made a
  reader crash, hang or blow up (zip bombs, spans of 2e9 cells, YAML alias bombs, /dev/zero …);
* mutations: a seeded RNG mutates the valid inputs (lines of YAML/text/HTML, bytes and pages of
  the PDF, the XML inside the DOCX/XLSX zips) and the mutant is checked and parsed; any of
  exit 0/1/2 is fine, but never a traceback, a hang or a blow-up.

Run: ``python bench/fuzz.py [--groups yaml,xlsx,…,mut] [--mutations N] [--seed S] [--jobs J]
[--markdown]``; the counts go into ``bench/RESULTS.md`` under "## fuzzing (issue 14)".
``tests/test_fuzz_small.py`` runs every hostile case once and a few mutations.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent     # the checkout whose juesuan is run (--repo)
EXAMPLE = Path("examples") / "hanyang-bdc-2023"

TIMEOUT = 30                       # seconds of wall time per run
MEM_CAP = 2 * 1024 ** 3            # RLIMIT_AS of every run
FSIZE_CAP = 1024 ** 3              # RLIMIT_FSIZE of every run
RSS_LIMIT_KB = 1024 * 1024         # a peak resident size above 1 GB counts as a memory blow-up
COMMAND = [sys.executable, "-m", "juesuan"]   # what a case's arguments are given to
DOCUMENTED = (0, 1, 2, 130)        # exit statuses of the command line (130: interrupted by Ctrl-C)
TB = "Traceback (most recent call last)"
OUTCOMES = ("ok", "traceback", "hang", "memory", "exit", "message", "control", "partial")

HOSTILE_GROUPS = ("yaml", "xlsx", "docx", "html", "pdf", "txt", "cli")
MUTATION_GROUPS = ("mut-yaml", "mut-txt", "mut-html", "mut-pdf", "mut-docx", "mut-xlsx")


# ----------------------------------------------------------------------------------- cases

@dataclass
class Case:
    """One run of the command line: ``juesuan ARGS`` in the work directory."""
    name: str                                  # "xlsx/far_cell_XFD1048576"
    group: str
    args: list[str]
    expect: tuple[int, ...] = (2,)             # exit statuses that are right for this input
    note: str = ""
    outputs: list[str] = field(default_factory=list)   # paths the command may write: no partial file on failure
    before: Callable[[], None] | None = None   # set-up just before the run (e.g. make a directory unwritable)
    after: Callable[[], None] | None = None    # undone just after it
    interrupt_when: str | None = None          # send Ctrl-C (SIGINT to the group) once this output path appears
    source: str = ""                           # the generator that made it ("xlsx/error_values", "mut-pdf")
    mention: str | None = None                 # unless refused (exit 2), the output must name this (a cell)


@dataclass
class Result:
    case: Case
    outcome: str
    status: int | None                         # exit status; -N for signal N; None on a hang
    wall: float
    peak_rss_mb: float
    detail: str                                # what happened, one line
    stderr_head: str                           # first lines of standard error

    @property
    def command(self) -> str:
        return shown("juesuan " + " ".join(a if a and " " not in a else repr(a) for a in self.case.args))


@dataclass
class Inputs:
    """The valid inputs everything is made from, in ``work`` (the runs' working directory)."""
    work: Path
    yaml: Path          # the example's disclosure.yaml
    html: Path
    docx: Path
    pdf: Path
    txt: Path
    template: Path      # the entry workbook pre-filled from the example (juesuan template --from)

    def path(self, name: str) -> Path:
        p = self.work / "cases" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write(self, name: str, data: bytes | str) -> str:
        """Write a case's input file; returns its path relative to the work directory."""
        p = self.path(name)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return self.rel(p)

    def rel(self, p: Path) -> str:
        return str(p.relative_to(self.work))


def juesuan(args: list[str], cwd: Path) -> None:
    """A trusted run (making the valid inputs): must succeed."""
    subprocess.run([sys.executable, "-m", "juesuan", *args], cwd=cwd, env=_env(), check=True,
                   capture_output=True)


def prepare(work: Path) -> Inputs:
    """Build the example into ``work/base`` (every format) and a pre-filled workbook."""
    base = work / "base"
    if not (base / "disclosure.txt").exists():
        shutil.rmtree(base, ignore_errors=True)
        shutil.copytree(ROOT / EXAMPLE, base / "example")
        juesuan(["build", "base/example", "-o", "base/built", "-f", "html,docx,pdf,txt"], work)
        juesuan(["template", "-o", "base/template.xlsx", "--from", "base/example"], work)
        for f in (base / "built").iterdir():    # whatever build names them: one file per format
            f.rename(base / ("index.html" if f.suffix == ".html" else f"disclosure{f.suffix}"))
    return Inputs(work, base / "example" / "disclosure.yaml", base / "index.html", base / "disclosure.docx",
                  base / "disclosure.pdf", base / "disclosure.txt", base / "template.xlsx")


# ----------------------------------------------------------------------------------- file makers

def zip_rewrite(src: Path, dst: Path, replace: dict | None = None, drop: tuple = (), add: dict | None = None) -> None:
    """Copy a zip with members replaced (bytes, or a function of the old bytes), dropped or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            r = replace.get(info.filename)
            if r is not None:
                data = r(data) if callable(r) else r
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)


def zip_bomb(src: Path, dst: Path, member: str, head: bytes, filler: bytes, tail: bytes,
             size: int = 2 * 1024 ** 3) -> None:
    """Copy a zip with ``member`` replaced by head + ``size`` bytes of ``filler`` + tail, written
    as a raw deflate stream that repeats one compressed 8 MiB block (so it is made in about a
    second: the block is compressed once, only its CRC is computed ``size`` / 8 MiB times)."""
    chunk = filler * (8 * 1024 * 1024 // len(filler))
    n = max(1, size // len(chunk))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    usize = len(head) + n * len(chunk) + len(tail)
    zip_rewrite(src, dst, drop=(member,))
    body = first + block * (n - 1) + last
    _append_zip_member(dst, member, body, crc, usize)


def _append_zip_member(path: Path, name: str, deflated: bytes, crc: int, usize: int) -> None:
    """Append one already deflated member (ZIP64 sizes) to the zip at ``path``."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    data = path.read_bytes()
    # the local entries as they are, then the new entry, then the central directory with it added
    eocd = data.rindex(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", data[eocd + 16:eocd + 20])[0]
    entries, central = bytearray(data[:cd_offset]), bytearray(data[cd_offset:eocd])
    fname = name.encode()
    offset = len(entries)
    z64 = struct.pack("<HHQQ", 1, 16, usize, len(deflated))
    entries += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                           len(fname), len(z64)) + fname + z64 + deflated
    z64c = struct.pack("<HHQQQ", 1, 24, usize, len(deflated), offset)
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 8, 0, 0x21, crc, 0xFFFFFFFF,
                           0xFFFFFFFF, len(fname), len(z64c), 0, 0, 0, 0, 0xFFFFFFFF) + fname + z64c
    count = len(infos) + 1
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(entries), 0)
    path.write_bytes(bytes(entries + central) + eocd)


def sheet_member(xlsx: Path, sheet: str) -> str:
    """The zip member of a worksheet, by its name."""
    with zipfile.ZipFile(xlsx) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def set_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    """Replace the cell ``ref`` of a worksheet's XML with ``cell`` (a whole ``<c …>`` element)."""
    pat = re.compile(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode())
    assert pat.search(xml), ref
    return pat.sub(lambda _: cell, xml, count=1)


def append_row(xml: bytes, row: bytes) -> bytes:
    return xml.replace(b"</sheetData>", row + b"</sheetData>", 1)


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF written by hand: ``objects`` numbered from 1 (1 is the catalogue), with its xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def pdf_stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


PDF_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PDF_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def pdf_page(resources: bytes, contents: int) -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
            % (resources, contents))


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 255])
    return bytes(out)


def encrypted_pdf(user: bytes = b"user", owner: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4 40-bit, revision 2):
    it opens only with the user password."""
    file_id = hashlib.md5(b"juesuan fuzz").digest()
    o = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    perms = -44
    key = hashlib.md5((user + _PAD)[:32] + o + struct.pack("<i", perms) + file_id).digest()[:5]
    u = _rc4(key, _PAD)
    content = _rc4(hashlib.md5(key + struct.pack("<I", 4)[:3] + b"\0\0").digest()[:10],
                   b"BT /F1 12 Tf 72 720 Td (2023 12.34 56.78) Tj ET")
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o.hex().encode(), u.hex().encode(), perms)
    objects = [PDF_CATALOG, PDF_PAGES, pdf_page(b"<< /Font << /F1 5 0 R >> >>", 4), pdf_stream(content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", encrypt]
    fid = file_id.hex().encode()
    return pdf_bytes(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (fid, fid))


W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
DOC_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W_NS}><w:body>'
DOC_TAIL = "<w:sectPr/></w:body></w:document>"


def w_para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def w_cell(text: str, props: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{w_para(text)}</w:tc>"


def docx_with_body(inp: Inputs, name: str, body: str) -> str:
    """The built DOCX with its document.xml replaced by ``body`` (between the w:body tags)."""
    p = inp.path(name)
    zip_rewrite(inp.docx, p, {"word/document.xml": (DOC_HEAD + body + DOC_TAIL).encode()})
    return inp.rel(p)


# ----------------------------------------------------------------------------------- hostile cases

HOSTILE: dict[str, Callable[[Inputs], list[Case]]] = {}


def hostile(group: str):
    """Register a generator of hostile cases in ``group`` (its function name names the case)."""
    def deco(fn):
        HOSTILE[f"{group}/{fn.__name__}"] = fn
        return fn
    return deco


def check_and_parse(name: str, group: str, path: str, expect=(2,), note: str = "") -> list[Case]:
    """A published file is read by ``check`` and by ``parse``: both runs."""
    parse_expect = tuple(s for s in expect if s != 1) or (2,)
    return [Case(f"{group}/{name}", group, ["check", path], expect, note),
            Case(f"{group}/{name}#parse", group, ["parse", path], parse_expect, note)]


# --- YAML

def _yaml_case(inp: Inputs, name: str, data: bytes | str, expect=(2,), note="") -> list[Case]:
    return [Case(f"yaml/{name}", "yaml", ["check", inp.write(f"yaml/{name}.yaml", data)], expect, note)]


@hostile("yaml")
def alias_bomb(inp: Inputs) -> list[Case]:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    y = inp.yaml.read_text(encoding="utf-8")
    return _yaml_case(inp, "alias_bomb", y + "\nbomb:\n" + "".join(f"  {x}\n" for x in lines),
                      note="10^9 leaves through aliases in an extra field")


@hostile("yaml")
def nul_and_esc(inp: Inputs) -> list[Case]:
    y = inp.yaml.read_text(encoding="utf-8")
    return (_yaml_case(inp, "nul", y.replace("entity:", "entity:\x00", 1), note="a NUL in the file")
            + _yaml_case(inp, "esc", y.replace("year:", "note: \"\x1b]0;owned\x07\x1b[31m\"\nyear:", 1),
                         note="ESC and BEL in a value"))


@hostile("yaml")
def gbk_encoded(inp: Inputs) -> list[Case]:
    y = inp.yaml.read_text(encoding="utf-8")
    return _yaml_case(inp, "gbk", y.encode("gbk"), expect=(0, 1, 2),
                      note="GBK is common on Chinese Windows: read it, or refuse it in Chinese")


@hostile("yaml")
def directory_named_disclosure_yaml(inp: Inputs) -> list[Case]:
    d = inp.path("yaml/dir_is_dir/disclosure.yaml")
    d.mkdir(exist_ok=True)
    return [Case("yaml/disclosure_yaml_is_a_directory", "yaml", ["check", inp.rel(d.parent)]),
            Case("yaml/disclosure_yaml_is_a_directory#direct", "yaml", ["check", inp.rel(d)])]


def dev_zero(inp: Inputs, ext: str, command: str) -> list[Case]:
    """A symlink named like an input of kind ``ext`` that points to /dev/zero (endless NULs)."""
    link = inp.path(f"{ext}/zero.{ext}")
    if not link.is_symlink():
        link.symlink_to("/dev/zero")
    return [Case(f"{ext}/symlink_to_dev_zero", ext, [command, inp.rel(link)], note=f"zero.{ext} → /dev/zero")]


def empty_and_garbage(inp: Inputs, ext: str, whitespace: str, seed: int) -> list[Case]:
    """An empty file, one of whitespace only, and 64 KB of random bytes, named like an input of
    kind ``ext``: each must say what is wrong (exit 2)."""
    return (check_and_parse("empty", ext, inp.write(f"{ext}/empty.{ext}", b""))
            + check_and_parse("whitespace", ext, inp.write(f"{ext}/whitespace.{ext}", whitespace))
            + check_and_parse("random_bytes", ext,
                              inp.write(f"{ext}/random.{ext}", random.Random(seed).randbytes(65536))))


@hostile("yaml")
def yaml_dev_zero(inp: Inputs) -> list[Case]:
    return dev_zero(inp, "yaml", "check")


@hostile("yaml")
def python_tag(inp: Inputs) -> list[Case]:
    y = inp.yaml.read_text(encoding="utf-8")
    return _yaml_case(inp, "python_tag", y.replace("year:", "x: !!python/object/apply:os.getcwd []\nyear:", 1),
                      note="a tag that would run code under yaml.load")


@hostile("yaml")
def yaml_deep_nesting(inp: Inputs) -> list[Case]:
    y = inp.yaml.read_text(encoding="utf-8")
    return _yaml_case(inp, "deep_flow_100000", y + "\nextra: " + "[" * 100_000 + "]" * 100_000 + "\n")


# --- XLSX

def _xlsx_case(inp: Inputs, name: str, member: str, fn: Callable[[bytes], bytes], expect=(2,), note="") -> list[Case]:
    p = inp.path(f"xlsx/{name}.xlsx")
    zip_rewrite(inp.template, p, {member: fn})
    return [Case(f"xlsx/{name}", "xlsx", ["check", inp.rel(p)], expect, note)]


def _far_cell_cases(inp: Inputs, name: str, sheet: str, cell: bytes, note: str) -> list[Case]:
    """``cell`` put into XFD1048576 of ``sheet``: refused, or read with the cell named (a stray value
    left out silently is data dropped), by ``check`` and by ``build``."""
    def far(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return append_row(xml, b'<row r="1048576">' + cell + b"</row>")
    cases = _xlsx_case(inp, name, sheet_member(inp.template, sheet), far, (0, 1, 2), note)
    out = inp.rel(inp.path(f"xlsx/{name}_out"))
    cases.append(Case(f"xlsx/{name}#build", "xlsx", ["build", cases[0].args[1], "-o", out, "-f", "html"], (0, 1, 2),
                      note, outputs=[out]))
    for c in cases:
        c.mention = "XFD1048576"
    return cases


@hostile("xlsx")
def far_cell_XFD1048576(inp: Inputs) -> list[Case]:  # noqa: N802 — the cell's name
    instructions = _xlsx_case(inp, "far_cell_on_instructions_sheet", sheet_member(inp.template, "填表说明"),
                              lambda x: append_row(x, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
                              (0, 1, 2), "a number in the last cell of the instructions sheet")
    return instructions + _far_cell_cases(inp, "far_cell_XFD1048576", "收入支出决算总表",
                                          b'<c r="XFD1048576"><v>1</v></c>', "a number in the last cell of a table")


@hostile("xlsx")
def uncached_formula_last_cell(inp: Inputs) -> list[Case]:
    return _far_cell_cases(inp, "uncached_formula_last_cell", "支出决算表", b'<c r="XFD1048576"><f>1+1</f></c>',
                           "a formula without a cached value in XFD1048576")


@hostile("xlsx")
def sharedstrings_zip_bomb(inp: Inputs) -> list[Case]:
    p = inp.path("xlsx/sharedstrings_zip_bomb.xlsx")
    with zipfile.ZipFile(inp.template) as z:
        sst = z.read("xl/sharedStrings.xml")
    i = sst.index(b"<t>") + 3
    zip_bomb(inp.template, p, "xl/sharedStrings.xml", sst[:i], b"A", sst[i:])
    return [Case("xlsx/sharedstrings_zip_bomb", "xlsx", ["check", inp.rel(p)], note="one shared string of 2 GiB")]


@hostile("xlsx")
def amount_1e26(inp: Inputs) -> list[Case]:
    t = sheet_member(inp.template, "支出决算表")
    return _xlsx_case(inp, "amount_1e26", t, lambda x: set_cell(x, "D6", b'<c r="D6" s="10"><v>1e26</v></c>'),
                      note="an amount far beyond any budget, where Decimal and float part")


@hostile("xlsx")
def error_values(inp: Inputs) -> list[Case]:
    t = sheet_member(inp.template, "支出决算表")
    cases = []
    for err in ("#DIV/0!", "#N/A", "#REF!", "#VALUE!"):
        tag = re.sub(r"\W", "", err)
        cell = b'<c r="C6" s="10" t="e"><f>1/0</f><v>%s</v></c>' % err.encode()
        cases += _xlsx_case(inp, f"error_value_{tag}", t, lambda x, cell=cell: set_cell(x, "C6", cell),
                            note=f"{err} in 支出决算表!C6")
    return cases


@hostile("xlsx")
def xlsx_named_xls(inp: Inputs) -> list[Case]:
    path = inp.write("xlsx/xlsx_named.xls", inp.template.read_bytes())
    return [Case("xlsx/xlsx_named_xls", "xlsx", ["check", path], (0, 1, 2),
                 note="an .xlsx renamed .xls: read it, or say so in Chinese")]


@hostile("xlsx")
def xlsx_dev_zero(inp: Inputs) -> list[Case]:
    return dev_zero(inp, "xlsx", "check")


@hostile("xlsx")
def xlsx_garbage(inp: Inputs) -> list[Case]:
    data = inp.template.read_bytes()
    noise = random.Random(3).randbytes(65536)
    return [Case("xlsx/empty", "xlsx", ["check", inp.write("xlsx/empty.xlsx", b"")]),
            Case("xlsx/random_bytes", "xlsx", ["check", inp.write("xlsx/random.xlsx", noise)]),
            Case("xlsx/truncated", "xlsx", ["check", inp.write("xlsx/truncated.xlsx", data[: len(data) // 2])])]


# --- DOCX

@hostile("docx")
def member_zip_bomb(inp: Inputs) -> list[Case]:
    p = inp.path("docx/member_zip_bomb.docx")
    zip_bomb(inp.docx, p, "word/document.xml", DOC_HEAD.encode(), b" ", DOC_TAIL.encode())
    return check_and_parse("member_zip_bomb", "docx", inp.rel(p), note="word/document.xml expands to 2 GiB")


@hostile("docx")
def gridspan_2e9(inp: Inputs) -> list[Case]:
    rows = "".join("<w:tr>" + w_cell("收入", '<w:gridSpan w:val="2000000000"/>') + w_cell("12.50") + "</w:tr>"
                   for _ in range(2))
    path = docx_with_body(inp, "docx/gridspan_2e9.docx", w_para("收入支出决算总表") + f"<w:tbl>{rows}</w:tbl>")
    return check_and_parse("gridspan_2e9", "docx", path)


@hostile("docx")
def gridbefore_2e9(inp: Inputs) -> list[Case]:
    tbl = '<w:tbl><w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr>' + w_cell("x") + "</w:tr></w:tbl>"
    return check_and_parse("gridbefore_2e9", "docx", docx_with_body(inp, "docx/gridbefore_2e9.docx", tbl))


@hostile("docx")
def docx_dev_zero(inp: Inputs) -> list[Case]:
    return dev_zero(inp, "docx", "parse")


@hostile("docx")
def docx_empty_and_garbage(inp: Inputs) -> list[Case]:
    data = inp.docx.read_bytes()
    return (empty_and_garbage(inp, "docx", " \n\t\n", 7)
            + check_and_parse("truncated", "docx", inp.write("docx/truncated.docx", data[: len(data) // 2])))


# --- HTML

@hostile("html")
def rowspan_colspan_1000(inp: Inputs) -> list[Case]:
    cell = '<td rowspan="1000" colspan="1000">收入</td>'
    html = ("<html><body><p>收入支出决算总表</p><table>" + "".join(f"<tr>{cell * 10}</tr>" for _ in range(30))
            + "</table></body></html>")
    return check_and_parse("rowspan_colspan_1000", "html", inp.write("html/spans.html", html),
                           note="300 cells, each rowspan = colspan = 1000")


@hostile("html")
def html_deep_nesting(inp: Inputs) -> list[Case]:
    html = "<html><body>" + "<div>" * 100_000 + "收入 1" + "</div>" * 100_000 + "</body></html>"
    return check_and_parse("deep_nesting_100k", "html", inp.write("html/deep.html", html), expect=(0, 1, 2))


@hostile("html")
def html_dev_zero(inp: Inputs) -> list[Case]:
    return dev_zero(inp, "html", "parse")


@hostile("html")
def html_empty_and_garbage(inp: Inputs) -> list[Case]:
    return empty_and_garbage(inp, "html", "  \n\n ", 8)


# --- PDF

@hostile("pdf")
def form_xobject_amplification(inp: Inputs) -> list[Case]:
    levels = 7    # 7 levels of forms, each drawing the next 10 times: 10^6 paths from 2 KB
    objects = [PDF_CATALOG, PDF_PAGES, pdf_page(b"<< /XObject << /X0 4 0 R >> >>", 4 + levels)]
    for k in range(levels):
        if k < levels - 1:
            body = b" ".join(b"q 1 0 0 1 0 %d cm /X%d Do Q" % (i, k + 1) for i in range(10))
            res = b"/Resources << /XObject << /X%d %d 0 R >> >>" % (k + 1, 5 + k)
        else:
            body, res = b"0 0 m 300 0 l S BT /F1 12 Tf (1) Tj ET", b""
        objects.append(pdf_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res))
    objects.append(pdf_stream(b"/X0 Do"))
    bomb = inp.write("pdf/xobject_bomb.pdf", pdf_bytes(objects))
    amplified = check_and_parse("form_xobject_amplification", "pdf", bomb, expect=(0, 1, 2),
                                note="2 KB file drawing 10^6 paths through nested forms (no text: a scan)")
    form = pdf_stream(b"0 0 m 300 0 l S /F1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                                 b"/Resources << /XObject << /F1 4 0 R >> >>")
    selfref = pdf_bytes([PDF_CATALOG, PDF_PAGES, pdf_page(b"<< /XObject << /F1 4 0 R >> >>", 5), form,
                         pdf_stream(b"/F1 Do")])
    return amplified + check_and_parse("form_xobject_self_reference", "pdf", inp.write("pdf/selfref.pdf", selfref),
                                       expect=(0, 1, 2), note="a form that draws itself")


@hostile("pdf")
def lone_surrogates_in_text(inp: Inputs) -> list[Case]:
    """The built PDF with one more page whose font maps its glyphs to U+D800, U+DFFF, ESC and
    the C1 control U+008B (a ToUnicode map, as broken or hostile fonts have)."""
    import pypdfium2 as pdfium

    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            b"1 begincodespacerange <00> <FF> endcodespacerange 4 beginbfchar <41> <D800> <42> <001B> "
            b"<43> <DFFF> <44> <008B> endbfchar endcmap CMapName currentdict /CIDInit /ProcSet findresource "
            b"/DefineResource pop end end")
    page = pdf_bytes([PDF_CATALOG, PDF_PAGES, pdf_page(b"<< /Font << /F1 4 0 R >> >>", 6),
                      b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>", pdf_stream(cmap),
                      pdf_stream(b"BT /F1 12 Tf 72 720 Td (AAA B]0;x C 2023 D A) Tj 0 -20 Td (ABC 12.5 D 3.4) Tj ET")])
    extra, built, out = pdfium.PdfDocument(page), pdfium.PdfDocument(str(inp.pdf)), pdfium.PdfDocument.new()
    out.import_pages(built)
    out.import_pages(extra)
    p = inp.path("pdf/lone_surrogates.pdf")
    out.save(str(p))
    for d in (out, built, extra):
        d.close()
    p = inp.rel(p)
    return [Case("pdf/lone_surrogates_in_text#json", "pdf", ["parse", p, "--format", "json"], (0, 2)),
            Case("pdf/lone_surrogates_in_text#yaml", "pdf", ["parse", p, "--format", "yaml"], (0, 2)),
            Case("pdf/lone_surrogates_in_text#facts", "pdf", ["parse", p, "--format", "facts"], (0, 2)),
            Case("pdf/lone_surrogates_in_text", "pdf", ["check", p], (0, 1, 2)),
            Case("pdf/lone_surrogates_in_text#check_json", "pdf", ["check", p, "--format", "json"], (0, 1, 2))]


@hostile("pdf")
def encrypted(inp: Inputs) -> list[Case]:
    return check_and_parse("encrypted_user_password", "pdf", inp.write("pdf/encrypted.pdf", encrypted_pdf()),
                           note="opens only with a password")


@hostile("pdf")
def truncated(inp: Inputs) -> list[Case]:
    data = inp.pdf.read_bytes()
    return check_and_parse("truncated_half", "pdf", inp.write("pdf/truncated.pdf", data[: len(data) // 2]),
                           expect=(0, 1, 2), note="the built PDF cut in half (pdfium may repair it)")


@hostile("pdf")
def pdf_dev_zero(inp: Inputs) -> list[Case]:
    return dev_zero(inp, "pdf", "parse")


@hostile("pdf")
def pdf_empty_and_garbage(inp: Inputs) -> list[Case]:
    return empty_and_garbage(inp, "pdf", " \n\n\t ", 6)


# --- text

@hostile("txt")
def lone_surrogates(inp: Inputs) -> list[Case]:
    """Lone surrogates, which no output encoding can print: an unpaired surrogate in a UTF-16
    text, invalid UTF-8 (an encoded surrogate, stray continuation bytes) in a UTF-8 text, and a
    file name that is not UTF-8 (Python hands it over with surrogateescape)."""
    text = inp.txt.read_text(encoding="utf-8")
    text = text.replace("一、部门主要职责", "一、部门\ud800主要职责", 2)
    utf16 = b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    p16 = inp.write("txt/lone_surrogate_utf16.txt", utf16)
    bad = "一、部门".encode() + b"\xed\xa0\x80\x80\xff" + "主要职责".encode()
    p8 = inp.write("txt/invalid_utf8.txt", inp.txt.read_bytes().replace("一、部门主要职责".encode(), bad, 2))
    named = inp.path("txt/x.txt").with_name("汉阳\udcff\udcfe决算.txt")
    named.write_bytes(inp.txt.read_bytes())
    pn = os.fsdecode(os.fsencode(inp.rel(named)))
    return [Case("txt/lone_surrogate_utf16#json", "txt", ["parse", p16, "--format", "json"], (0, 2)),
            Case("txt/lone_surrogate_utf16#check", "txt", ["check", p16, "--format", "json"], (0, 1, 2)),
            Case("txt/invalid_utf8#json", "txt", ["parse", p8, "--format", "json"], (0, 2)),
            Case("txt/invalid_utf8#check", "txt", ["check", p8], (0, 1, 2)),
            Case("txt/file_name_not_utf8#json", "txt", ["parse", pn, "--format", "json"], (0,)),
            Case("txt/file_name_not_utf8#check", "txt", ["check", pn], (0, 1)),
            Case("txt/missing_file_name_not_utf8", "txt", ["parse", pn.replace("决算", "缺失")], (2,))]


@hostile("html")
def html_control_characters(inp: Inputs) -> list[Case]:
    html = inp.html.read_text(encoding="utf-8")
    html = html.replace("一、部门主要职责", "一、部门主要职责\x1b]0;owned\x07\x1b[31m\x9b2J", 2)
    p = inp.write("html/control_chars.html", html)
    return [Case("html/control_chars", "html", ["check", p], (0, 1), "ESC/BEL/CSI in the page's text"),
            Case("html/control_chars#facts", "html", ["parse", p, "--format", "facts"], (0,)),
            Case("html/control_chars#yaml", "html", ["parse", p, "--format", "yaml"], (0,))]


@hostile("html")
def utf7_lone_surrogate(inp: Inputs) -> list[Case]:
    """A page that declares UTF-7, in which a lone surrogate is a valid character."""
    html = inp.html.read_text(encoding="utf-8").replace('<meta charset="utf-8">', '<meta charset="utf-7">', 1)
    html = html.replace("一、部门主要职责", "一、部门\ud800主要职责")
    p = inp.write("html/utf7.html", html.encode("utf-7"))
    return [Case("html/utf7_lone_surrogate#json", "html", ["parse", p, "--format", "json"], (0, 2)),
            Case("html/utf7_lone_surrogate#yaml", "html", ["parse", p, "--format", "yaml"], (0, 2)),
            Case("html/utf7_lone_surrogate", "html", ["check", p, "--format", "json"], (0, 1, 2))]


@hostile("txt")
def control_characters(inp: Inputs) -> list[Case]:
    text = inp.txt.read_text(encoding="utf-8")
    text = text.replace("一、部门主要职责", "一、部门主要职责\x1b]0;owned\x07\x1b[31m", 2)
    text = text.replace("二、机构设置情况", "二、机构设置\x9b31m情况\x00", 2)
    p = inp.write("txt/control_chars.txt", text)
    named = inp.path("txt/\x1b]0;owned\x07\x1b[31m决算.txt")
    named.write_bytes(inp.txt.read_bytes())
    missing = inp.rel(named.with_name("\x1b[2J缺失.txt"))
    return [Case("txt/control_chars#check", "txt", ["check", p], (0, 1), "ESC/BEL/CSI/NUL in the text"),
            Case("txt/control_chars#facts", "txt", ["parse", p, "--format", "facts"], (0,)),
            Case("txt/control_chars#yaml", "txt", ["parse", p, "--format", "yaml"], (0,)),
            Case("txt/control_chars_in_file_name", "txt", ["check", inp.rel(named)], (0, 1)),
            Case("txt/control_chars_in_missing_file_name", "txt", ["parse", missing], (2,))]


@hostile("txt")
def tab_line_100000(inp: Inputs) -> list[Case]:
    p = inp.write("txt/tabs_100k.txt", "收入支出决算总表\n" + "\t".join(["1.00"] * 100_000) + "\n")
    return [Case("txt/tab_line_100000#facts", "txt", ["parse", p, "--format", "facts"], (0, 2),
                 "one line of 100 000 tab-separated cells"),
            Case("txt/tab_line_100000", "txt", ["check", p], (0, 1, 2))]


@hostile("txt")
def toc_with_nul(inp: Inputs) -> list[Case]:
    lines = inp.txt.read_text(encoding="utf-8").split("\n")
    end = next(i for i, x in enumerate(lines) if i > 3 and x.startswith("第一部分"))   # the 目录 ends before the body
    lines[:end] = [x + "\x00\x00" if x.strip() else x for x in lines[:end]]
    p = inp.write("txt/toc_with_nul.txt", "\n".join(lines))
    return [Case("txt/toc_with_nul", "txt", ["check", p], (0, 1), "NULs in the 目录: the figures must still be read"),
            Case("txt/toc_with_nul#facts", "txt", ["parse", p, "--format", "facts"], (0,))]


@hostile("txt")
def txt_dev_zero(inp: Inputs) -> list[Case]:
    return dev_zero(inp, "txt", "parse")


@hostile("txt")
def txt_empty_and_garbage(inp: Inputs) -> list[Case]:
    return empty_and_garbage(inp, "txt", "\n \n\t\n", 9)


# --- the command line's output side

@hostile("cli")
def o_names_existing_file(inp: Inputs) -> list[Case]:
    f = inp.path("cli/existing_file")
    f.write_text("keep me\n")
    return [Case("cli/build_o_names_existing_file", "cli", ["build", inp.rel(inp.yaml.parent), "-o", inp.rel(f),
                                                            "-f", "html"], outputs=[inp.rel(f)])]


def _unwritable(d: Path) -> tuple[Callable[[], None], Callable[[], None]]:
    """Make ``d`` unwritable for the run and writable again after it (root ignores the mode
    bits, so for root the directory is made immutable with chattr)."""
    d.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0 and shutil.which("chattr"):
        return (lambda: subprocess.run(["chattr", "+i", str(d)], check=True),
                lambda: subprocess.run(["chattr", "-i", str(d)], check=True))
    return lambda: d.chmod(0o555), lambda: d.chmod(0o755)


@hostile("cli")
def unwritable_output_dir(inp: Inputs) -> list[Case]:
    locked = inp.path("cli/locked_build")
    out = inp.rel(locked / "out")
    build = Case("cli/build_into_unwritable_dir", "cli", ["build", inp.rel(inp.yaml.parent), "-o", out,
                                                          "-f", "html,docx,pdf,xlsx,txt"], outputs=[out])
    build.before, build.after = _unwritable(locked)
    locked = inp.path("cli/locked_template")
    out = inp.rel(locked / "t.xlsx")
    template = Case("cli/template_into_unwritable_dir", "cli", ["template", "-o", out], outputs=[out])
    template.before, template.after = _unwritable(locked)
    return [build, template]


@hostile("cli")
def template_o_csv(inp: Inputs) -> list[Case]:
    out = inp.rel(inp.path("cli/t.csv"))
    return [Case("cli/template_o_csv", "cli", ["template", "-o", out], outputs=[out], note="not an .xlsx name")]


@hostile("cli")
def interrupted_build(inp: Inputs) -> list[Case]:
    out = inp.rel(inp.path("cli/interrupted"))
    first = inp.rel(inp.path("cli/interrupted/index.html"))
    return [Case("cli/build_interrupted", "cli", ["build", inp.rel(inp.yaml.parent), "-o", out, "-f",
                                                  "html,docx,pdf,xlsx"], (130,),
                 "Ctrl-C as soon as the first output file appears", outputs=[out], interrupt_when=first)]


# ----------------------------------------------------------------------------------- mutations

GARBAGE = ["\x00", "\ufffd", "[[", "]]", "{", "}", ": :", "- -", "&a", "*a", "!!binary", "%", "@", "`", "'", '"', "#",
           "\t", "收入合计", "9" * 40, "-1", "NaN", "1e400", "\u202e", "\x1b[31m", "一、", "（万元）", "合计 1 2 3",
           "<td colspan=\"9999\">", "</table>", "&#xD800;", "\udc80"]


def mutate_lines(text: str, rng: random.Random) -> tuple[str, str]:
    """1–6 line edits: delete, duplicate, move, shuffle, cut, digits changed, garbage inserted."""
    lines, ops = text.split("\n"), []
    for _ in range(rng.randint(1, 6)):
        if not lines:
            break
        op = rng.choice(["delete", "duplicate", "move", "shuffle", "cut", "digit", "garbage", "bignum", "tabs"])
        i = rng.randrange(len(lines))
        s = lines[i]
        if op == "delete":
            del lines[i:i + rng.choice([1, 3, 20])]
        elif op == "duplicate":
            lines[i:i] = lines[i:i + rng.choice([1, 5, 30])]
        elif op == "move":
            block = lines[i:i + rng.choice([1, 10, 50])]
            del lines[i:i + len(block)]
            j = rng.randrange(len(lines) + 1)
            lines[j:j] = block
        elif op == "shuffle":
            block = lines[i:i + 40]
            rng.shuffle(block)
            lines[i:i + len(block)] = block
        elif op == "cut":
            lines = lines[: max(1, i)]
        elif op == "digit":
            pos = [k for k, ch in enumerate(s) if ch.isdigit()]
            if pos:
                k = rng.choice(pos)
                lines[i] = s[:k] + str(rng.randrange(10)) + s[k + 1:]
        elif op == "garbage":
            k = rng.randrange(len(s) + 1)
            lines[i] = s[:k] + rng.choice(GARBAGE) + s[k:]
        elif op == "bignum":
            lines[i] = re.sub(r"\d+(\.\d+)?", lambda _: rng.choice(["9" * 30, "0.000000001", "-5", "1e400", "١٢٣"]),
                              s, count=1)
        elif op == "tabs":
            lines[i] = s.replace(" ", "\t", 2)
        ops.append(op)
    return "\n".join(lines), "+".join(ops)


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Flip, cut or insert bytes."""
    b = bytearray(data)
    op = rng.choice(["flip", "flip", "cut", "insert", "truncate"])
    if op == "flip":
        for _ in range(rng.choice([1, 10, 100, 1000])):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif op == "cut":
        a = rng.randrange(len(b))
        del b[a:a + rng.choice([10, 1000, 50_000])]
    elif op == "insert":
        a = rng.randrange(len(b))
        b[a:a] = rng.randbytes(rng.choice([1, 100, 5000]))
    else:
        del b[rng.randrange(len(b)):]
    return bytes(b), f"bytes:{op}"


def mutate_pdf_pages(src: Path, dst: Path, rng: random.Random) -> str:
    """The PDF's pages shuffled, dropped, duplicated or reversed (pypdfium2 writes the result)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    idx = list(range(len(pdf)))
    op = rng.choice(["shuffle", "drop", "duplicate", "reverse"])
    if op == "shuffle":
        rng.shuffle(idx)
    elif op == "drop":
        for _ in range(rng.randint(1, max(1, len(idx) // 3))):
            idx.pop(rng.randrange(len(idx)))
    elif op == "duplicate":
        idx += rng.sample(idx, min(len(idx), 5))
        rng.shuffle(idx)
    else:
        idx.reverse()
    new = pdfium.PdfDocument.new()
    new.import_pages(pdf, idx)
    new.save(str(dst))
    new.close()
    pdf.close()
    return f"pages:{op}"


def mutate_docx_xml(xml: str, rng: random.Random) -> tuple[str, str]:
    """One edit of word/document.xml: digits, rows/paragraphs/tables dropped, spans, bad XML, a cut."""
    op = rng.choice(["digits", "drop_tr", "drop_p", "drop_tbl", "span", "vmerge", "badchar", "cut"])
    if op == "digits":
        xml = re.sub(r"(<w:t[^>]*>)([^<]*\d[^<]*)(</w:t>)", lambda m: m.group(1) + (
            re.sub(r"\d", lambda _: str(rng.randrange(10)), m.group(2)) if rng.random() < 0.05 else m.group(2))
            + m.group(3), xml)
    elif op in ("drop_tr", "drop_p", "drop_tbl"):
        tag = op[5:]
        for _ in range(1 if tag == "tbl" else rng.randint(1, 20)):
            spans = [m.span() for m in re.finditer(rf"<w:{tag}[ >](?:(?!<w:{tag}[ >]).)*?</w:{tag}>", xml, re.S)]
            if spans:
                a, e = rng.choice(spans)
                xml = xml[:a] + xml[e:]
    elif op == "span":
        xml = xml.replace("<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{rng.choice([0, 3, 50, 1001, 100000])}"/>',
                          rng.randint(1, 5))
    elif op == "vmerge":
        xml = xml.replace("<w:tcPr>", '<w:tcPr><w:vMerge w:val="restart"/>', rng.randint(1, 30))
    elif op == "badchar":
        i = rng.randrange(len(xml))
        xml = xml[:i] + rng.choice(["<", "&", "\x01", "]]>", "</w:p>"]) + xml[i:]
    else:
        xml = xml[: rng.randrange(len(xml))]
    return xml, op


def mutate_sheet_xml(xml: str, rng: random.Random) -> tuple[str, str]:
    """One edit of a worksheet's or the shared strings' XML."""
    op = rng.choice(["digits", "drop_row", "text_in_number", "error_value", "move_cells", "badxml", "cut"])
    if op == "digits":
        xml = re.sub(r"<v>([\d.]+)</v>", lambda m: "<v>" + (
            re.sub(r"\d", lambda _: str(rng.randrange(10)), m.group(1)) if rng.random() < 0.2 else m.group(1))
            + "</v>", xml)
    elif op == "drop_row":
        rows = list(re.finditer(r"<row [^>]*>.*?</row>", xml))
        for m in sorted(rng.sample(rows, min(len(rows), rng.randint(1, 5))), key=lambda m: -m.start()):
            xml = xml[:m.start()] + xml[m.end():]
    elif op == "text_in_number":
        xml = re.sub(r'<c r="([A-Z]+\d+)"( s="\d+")?><v>([\d.]+)</v></c>', lambda m: (
            f'<c r="{m.group(1)}"{m.group(2) or ""} t="inlineStr"><is><t>'
            f'{rng.choice(["一百", "1,000", "(5)", "—", "1 000", "１２", "1e400", "NaN"])}</t></is></c>'
            if rng.random() < 0.1 else m.group(0)), xml)
    elif op == "error_value":
        xml = re.sub(r'<c r="([A-Z]+\d+)"( s="\d+")?><v>([\d.]+)</v></c>', lambda m: (
            f'<c r="{m.group(1)}"{m.group(2) or ""} t="e"><v>{rng.choice(["#DIV/0!", "#N/A", "#REF!"])}</v></c>'
            if rng.random() < 0.1 else m.group(0)), xml)
    elif op == "move_cells":
        xml = re.sub(r'r="([A-Z]+)(\d+)"',
                     lambda m: f'r="{m.group(1)}{max(1, int(m.group(2)) + rng.choice([0, 0, 1, -1]))}"', xml)
    elif op == "badxml":
        i = rng.randrange(len(xml))
        xml = xml[:i] + rng.choice(["<", "&", "\x01"]) + xml[i:]
    else:
        xml = xml[: rng.randrange(len(xml))]
    return xml, op


def mutation_cases(inp: Inputs, group: str, n: int, seed: int) -> list[Case]:
    """``n`` mutants of the valid input of ``group``, each checked (and, for published files, parsed)."""
    rng = random.Random(f"{seed}/{group}")
    kind = group.removeprefix("mut-")
    cases: list[Case] = []
    for k in range(n):
        name = f"{group}/{k:03d}"
        if kind in ("yaml", "txt", "html"):
            src = {"yaml": inp.yaml, "txt": inp.txt, "html": inp.html}[kind]
            text, ops = mutate_lines(src.read_text(encoding="utf-8"), rng)
            if kind == "html" and rng.random() < 0.3:
                text = re.sub(r"</t[dr]>", "", text, count=rng.randint(1, 200))
                ops += "+unclosed"
            p = inp.write(f"{group}/m{k:03d}.{kind}", text.encode("utf-8", "surrogateescape"))
        elif kind == "pdf":
            dst = inp.path(f"{group}/m{k:03d}.pdf")
            if k % 3 == 0:
                ops = mutate_pdf_pages(inp.pdf, dst, rng)
            else:
                data, ops = mutate_bytes(inp.pdf.read_bytes(), rng)
                dst.write_bytes(data)
            p = inp.rel(dst)
        elif kind in ("docx", "xlsx"):
            src = inp.docx if kind == "docx" else inp.template
            dst = inp.path(f"{group}/m{k:03d}.{kind}")
            with zipfile.ZipFile(src) as z:
                names = z.namelist()
            if rng.random() < 0.1:    # a member dropped or cut
                member = rng.choice(names)
                if rng.random() < 0.5:
                    zip_rewrite(src, dst, drop=(member,))
                    ops = f"drop {member}"
                else:
                    zip_rewrite(src, dst, {member: lambda b: b[: rng.randrange(len(b) + 1)]})
                    ops = f"cut {member}"
            else:
                if kind == "docx":
                    member, fn = "word/document.xml", mutate_docx_xml
                else:
                    member = rng.choice([x for x in names if x.startswith("xl/worksheets/")] + ["xl/sharedStrings.xml"])
                    fn = mutate_sheet_xml
                edit = {}

                def mutate(b: bytes, fn=fn, edit=edit) -> bytes:
                    xml, edit["op"] = fn(b.decode("utf-8"), rng)
                    return xml.encode("utf-8", "surrogateescape")
                zip_rewrite(src, dst, {member: mutate})
                ops = f"{member.rsplit('/', 1)[-1]} {edit['op']}"
            p = inp.rel(dst)
        else:
            raise ValueError(group)
        cases.append(Case(name, group, ["check", p], (0, 1, 2), ops))
        if kind in ("txt", "html", "pdf", "docx"):
            fmt = rng.choice(["json", "yaml", "facts"])
            cases.append(Case(f"{name}#parse", group, ["parse", p, "--format", fmt], (0, 2), ops))
    return cases


# ----------------------------------------------------------------------------------- running

def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["NO_COLOR"] = "1"
    return env


def _limits() -> None:
    """In the child, before exec: the caps, and Ctrl-C as a terminal user sends it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_AS, (MEM_CAP, MEM_CAP))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_CAP, FSIZE_CAP))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# C0 controls other than tab, line feed and carriage return; DEL; C1 controls (UTF-8 encoded)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _snapshot(paths: list[Path]) -> dict[Path, tuple[int, int, bytes]]:
    """Every file under the output paths: (size, mtime, first bytes)."""
    snap = {}
    for p in paths:
        files = [p] if p.is_file() else (list(p.rglob("*")) if p.is_dir() else [])
        for f in files:
            if f.is_file():
                st = f.stat()
                snap[f] = (st.st_size, st.st_mtime_ns, f.read_bytes()[:64])
    return snap


def temporary(f: Path) -> bool:
    """A name a writer gives a file it will rename when done."""
    return f.name.startswith((".", "~")) or f.suffix in (".tmp", ".part", ".partial") or f.name.endswith("~")


def complete(f: Path) -> bool:
    """A whole output file: a zip that tests clean, a PDF with its end marker, an HTML with its end tag."""
    if temporary(f):
        return False
    try:
        if f.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(f) as z:
                return z.testzip() is None
        if f.suffix == ".pdf":
            return f.read_bytes().rstrip().endswith(b"%%EOF")
        if f.suffix == ".html":
            return f.read_bytes().rstrip().lower().endswith(b"</html>")
        return f.stat().st_size > 0
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return False


def _partial(case: Case, work: Path, before: dict, failed: bool) -> str:
    """What the command left in its outputs: temporary files; and, when it failed, new files that
    are not whole and files that existed but were changed or deleted."""
    after = _snapshot([work / o for o in case.outputs])
    bad = []
    for f, sig in after.items():
        if temporary(f):
            bad.append(f"{f.name} left behind")
        elif failed and f in before and before[f] != sig:
            bad.append(f"{f.name} changed")
        elif failed and f not in before and not complete(f):
            bad.append(f"{f.name} partial ({f.stat().st_size} bytes)")
    bad += [f"{f.name} deleted" for f in before if failed and f not in after]
    return ", ".join(bad)


def _interrupt_when(path: Path, done: threading.Event, pgid: int) -> None:
    """Ctrl-C as a terminal sends it (SIGINT to the whole group) as soon as ``path`` appears:
    the first output file, so that the others are being written."""
    while not done.wait(0.005):
        if path.exists():
            try:
                os.killpg(pgid, signal.SIGINT)
            except ProcessLookupError:
                pass
            return


def run_case(case: Case, work: Path, timeout: float = TIMEOUT) -> Result:
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", case.name)
    out_path, err_path = logs / f"{stem}.out", logs / f"{stem}.err"
    for o in case.outputs:   # a fresh start: outputs that are directories the command makes are removed
        p = work / o
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
    before = _snapshot([work / o for o in case.outputs])
    if case.before:
        case.before()
    t0 = time.monotonic()
    try:
        with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
            proc = subprocess.Popen([*COMMAND, *case.args], cwd=work, env=_env(),
                                    stdin=subprocess.DEVNULL, stdout=fo, stderr=fe, preexec_fn=_limits,
                                    start_new_session=True)
            timed_out = threading.Event()

            def kill(sig=signal.SIGKILL, mark=True):
                if mark:
                    timed_out.set()
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    pass
            timer = threading.Timer(timeout, kill)
            timer.start()
            done = threading.Event()
            if case.interrupt_when:
                threading.Thread(target=_interrupt_when, args=(work / case.interrupt_when, done, proc.pid),
                                 daemon=True).start()
            _, wstatus, usage = os.wait4(proc.pid, 0)
            proc.returncode = 0      # reaped here: keep Popen from waiting again
            done.set()
            timer.cancel()
            kill(mark=False)         # whatever the command left running in its group
    finally:
        if case.after:
            case.after()
    wall = time.monotonic() - t0
    status = os.waitstatus_to_exitcode(wstatus)
    peak_kb = usage.ru_maxrss
    with open(out_path, "rb") as f:
        out = f.read(4_000_000)
    with open(err_path, "rb") as f:
        err_b = f.read(4_000_000)
    err = err_b.decode("utf-8", "replace")

    detail, outcome = "", "ok"
    memory = re.search(r"MemoryError|Cannot allocate memory|std::bad_alloc|out of memory", err)
    if timed_out.is_set():
        outcome, detail, status = "hang", f"killed after {timeout:.0f} s", None
    elif memory or peak_kb > RSS_LIMIT_KB:
        outcome, detail = "memory", (memory.group(0) if memory else f"peak RSS {peak_kb / 1024:.0f} MB")
    elif TB in err or status not in DOCUMENTED:
        outcome = "traceback"
        last = [x for x in err.strip().splitlines() if x and not x.startswith(" ")]
        detail = (last[-1][:200] if TB in err and last else
                  f"exit {status}" + (f" ({signal.Signals(-status).name})" if status < 0 else ""))
    elif status not in case.expect:
        outcome, detail = "exit", f"exit {status}, expected {'/'.join(map(str, case.expect))}"
    elif status == 2 and not _CJK.search(err):
        outcome, detail = "message", "exit 2 without a Chinese message"
    elif status == 2 and case.args[0] in ("check", "parse") and shown(case.args[1]) == case.args[1] \
            and case.args[1] not in err:
        outcome, detail = "message", "exit 2, but the message does not name the file"
    elif case.mention and status != 2 and case.mention not in out.decode("utf-8", "replace") + err:
        outcome, detail = "message", f"exit {status} and {case.mention} not named: data left out silently?"
    elif (m := _CONTROL.search(out) or _CONTROL.search(err_b)):
        stream = "stdout" if _CONTROL.search(out) else "stderr"
        outcome, detail = "control", f"{m.group(0)!r} on {stream}"
    elif case.outputs and (left := _partial(case, work, before, failed=status != 0)):
        outcome, detail = "partial", left
    head = shown("\n".join(err.strip().splitlines()[-6:] if TB in err else err.strip().splitlines()[:4]))
    return Result(case, outcome, status, round(wall, 2), round(peak_kb / 1024, 1), shown(detail), head)


def run_all(cases: list[Case], work: Path, jobs: int = 2, timeout: float = TIMEOUT,
            progress: Callable[[Result], None] | None = None) -> list[Result]:
    """Run every case, ``jobs`` at a time; the results in the cases' order."""
    def one(c: Case) -> Result:
        r = run_case(c, work, timeout)
        if progress:
            progress(r)
        return r
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        return list(pool.map(one, cases))


def make_cases(inp: Inputs, groups: list[str], mutations: int, seed: int) -> list[Case]:
    cases: list[Case] = []
    for name, gen in HOSTILE.items():
        if name.split("/")[0] in groups:
            cases += [c for c in gen(inp) if c.group in groups]
            for c in cases:
                c.source = c.source or name
    for g in MUTATION_GROUPS:
        if g in groups and mutations > 0:
            cases += mutation_cases(inp, g, mutations, seed)
            for c in cases:
                c.source = c.source or g
    return cases


def expand_groups(spec: str) -> list[str]:
    out: list[str] = []
    for g in (x.strip() for x in spec.split(",") if x.strip()):
        if g == "all":
            out += [*HOSTILE_GROUPS, *MUTATION_GROUPS]
        elif g == "hostile":
            out += HOSTILE_GROUPS
        elif g == "mut":
            out += MUTATION_GROUPS
        elif g in HOSTILE_GROUPS or g in MUTATION_GROUPS:
            out.append(g)
        else:
            known = ("all", "hostile", "mut", *HOSTILE_GROUPS, *MUTATION_GROUPS)
            raise SystemExit(f"unknown group {g!r}: {', '.join(known)}")
    return list(dict.fromkeys(out))


# ----------------------------------------------------------------------------------- report

def shown(s: str) -> str:
    """``s`` safe to print: control characters and lone surrogates as escapes (a report about
    terminal injection must not do it itself)."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", lambda m: ascii(m.group(0))[1:-1], s)


def counts(results: list[Result]) -> dict[str, Counter]:
    table: dict[str, Counter] = {}
    for r in results:
        for key in (r.case.group, "total"):
            c = table.setdefault(key, Counter())
            c["runs"] += 1
            c[r.outcome] += 1
            c["rss>1GB"] += r.peak_rss_mb > RSS_LIMIT_KB / 1024
            c["max_wall"] = max(c["max_wall"], r.wall)
            c["max_rss"] = max(c["max_rss"], r.peak_rss_mb)
    table["total"] = table.pop("total", Counter())
    return table


def report(results: list[Result], markdown: bool = False) -> str:
    table = counts(results)
    cols = ["runs", "ok", "traceback", "hang", "memory", "rss>1GB", "exit", "message", "control", "partial"]
    heads = ["group", "runs", "ok", "traceback", "hang", "memory", "memory > 1 GB", "exit status not as documented",
             "no Chinese message", "control char", "partial output", "max wall s", "max RSS MB"]
    rows = [[g, *(str(c[k]) for k in cols), f"{c['max_wall']:.1f}", f"{c['max_rss']:.0f}"] for g, c in table.items()]
    failures = [r for r in results if r.outcome != "ok"]
    lines = []
    if markdown:
        lines += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        if failures:
            lines += ["", "| case | command | outcome | exit | wall s | RSS MB | what happened / stderr |",
                      "|---|---|---|---|---|---|---|"]
            for r in failures:
                first = (r.detail + " — " + (r.stderr_head.splitlines() or [""])[-1 if TB in r.stderr_head else 0])
                first = first.replace("|", "\\|").replace("\n", " ")[:200]
                lines.append(f"| {r.case.name} | `{r.command}` | {r.outcome} | {r.status} | {r.wall} | "
                             f"{r.peak_rss_mb:.0f} | {first} |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
        lines.append("  ".join(h.ljust(w) for h, w in zip(heads, widths)))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
        if failures:
            lines += ["", f"{len(failures)} failures:"]
            for r in failures:
                lines.append(f"- {r.case.name}: {r.outcome} ({r.detail}) in {r.wall:.1f} s, {r.peak_rss_mb:.0f} MB")
                lines.append(f"    {r.command}")
                lines += [f"    | {x}" for x in r.stderr_head.splitlines()[:4]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--groups", default="all", help="comma-separated: all, hostile, mut, or groups "
                    f"({', '.join(HOSTILE_GROUPS + MUTATION_GROUPS)})")
    ap.add_argument("--mutations", type=int, default=40, help="mutants per mutation group (default 40)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=TIMEOUT)
    ap.add_argument("--only", help="a regular expression on case names")
    ap.add_argument("--work", type=Path, help="work directory (kept; default: a temporary one, removed)")
    ap.add_argument("--repo", type=Path, help="run the juesuan of this checkout (default: the one holding this file)")
    ap.add_argument("--json", type=Path, help="write every result as JSON lines here")
    ap.add_argument("--markdown", action="store_true", help="the tables as Markdown, for bench/RESULTS.md")
    a = ap.parse_args(argv)
    if a.repo:
        global ROOT
        ROOT = a.repo.resolve()
    groups = expand_groups(a.groups)
    work = a.work or Path(tempfile.mkdtemp(prefix="juesuan-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.monotonic()
        inp = prepare(work)
        cases = make_cases(inp, groups, a.mutations, a.seed)
        if a.only:
            cases = [c for c in cases if re.search(a.only, c.name)]
        print(f"{len(cases)} runs ({time.monotonic() - t0:.0f} s to make the inputs), {a.jobs} at a time",
              file=sys.stderr, flush=True)

        def progress(r: Result) -> None:
            if r.outcome != "ok":
                print(f"  {r.case.name}: {r.outcome} ({r.detail})", file=sys.stderr, flush=True)
        results = run_all(cases, work, a.jobs, a.timeout, progress)
        print(f"done in {time.monotonic() - t0:.0f} s", file=sys.stderr)
        if a.json:
            with open(a.json, "w", encoding="utf-8") as fh:
                for r in results:
                    fh.write(json.dumps({"case": r.case.name, "group": r.case.group, "command": r.command,
                                         "outcome": r.outcome, "status": r.status, "wall": r.wall,
                                         "peak_rss_mb": r.peak_rss_mb, "detail": r.detail,
                                         "stderr_head": r.stderr_head}, ensure_ascii=False) + "\n")
        print(report(results, a.markdown))
        return 1 if any(r.outcome != "ok" for r in results) else 0
    finally:
        if a.work is None:
            _rmtree(work)


def _rmtree(p: Path) -> None:
    def onerror(func, path, exc):
        try:
            os.chmod(path, stat.S_IRWXU)
            func(path)
        except OSError:
            pass
    shutil.rmtree(p, onexc=onerror) if sys.version_info >= (3, 12) else shutil.rmtree(p, onerror=onerror)


if __name__ == "__main__":
    sys.exit(main())
