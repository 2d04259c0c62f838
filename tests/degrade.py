"""Documents whose truth is known, degraded the way real extractions degrade them.

A built disclosure rendered as text (``juesuan.renderers.text``: tab-separated cells) is what a
careful extraction gives. Real ones lose more, and each function here does one such thing to the
text, so that a test can parse the result and compare it with the truth:

* :func:`untab` — cell boundaries lost (a PDF or web page copied as text): tabs become spaces,
  so blank cells vanish and figures stand in a line with nothing saying which column they are;
* :func:`join_codes` — 类 | 款 | 项 printed as one code (``2010350``);
* :func:`wrap_names` — a long 科目名称 broken around the line of its code and figures
  ("机关事业单位基本养老保" / "2080505 518.69 518.69" / "险缴费支出");
* :func:`wrap_headings` — part headings broken over two lines ("…部门决" / "算情况说明");
* :func:`wrap_form_titles` — 绩效自评表 titles broken over two lines, alternately before
  "绩效自评表" and in the middle ("2023年度……大数" / "据……项目绩效自评表");
* :func:`number_forms` — 附件 numbering before the 绩效自评表 titles, alternately on a line of its
  own ("附件2-3") and in front of the title ("附件2-4：2023年度……");
* :func:`wrap_form_cells` — long 三级指标 names in the 绩效自评表 broken around their row (the
  first part above it, the rest below, the cell left blank), as PDFs with wrapped cells extract;
* :func:`paginate` — tables running over several pages: every few rows a page number, the title
  again with （续） or a 续表 line, the 部门/金额单位 line and the header rows repeated;
* :func:`number_titles` — table titles numbered as documents number them (公开01表, 表一, 附表1, or
  the number on a line of its own under the title);
* :func:`spaced_parts`, :func:`unnumbered_parts`, :func:`drop_parts` — part headings in another
  style, without their numbers, or none at all;
* :func:`wrap_lines` — prose broken into lines of a page's width, inside numbers and words;
* :func:`crlf` — the line ends Windows users produce (the encodings they produce, GB18030/GBK
  and UTF-8 with a BOM, are a matter of the bytes written: see ``ENCODINGS``).

``DEGRADATIONS`` names them; :func:`degrade` applies several in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["untab", "join_codes", "wrap_names", "wrap_headings", "wrap_form_titles", "number_forms",
           "wrap_form_cells", "paginate", "number_titles", "DEGRADATIONS",
           "degrade", "ENCODINGS"]

# how Chinese users' tools write text files: Notepad/WPS "ANSI" (GBK, read as its superset
# GB18030), UTF-8 with a BOM (Windows Notepad), plain UTF-8
ENCODINGS = ("gbk", "utf-8-sig", "utf-8")

_CODE_ROW = re.compile(r"^(\d{3})\t(\d{2})?\t(\d{2})?\t", re.M)


def join_codes(text: str) -> str:
    """201<TAB>03<TAB>50<TAB>事业运行 → 2010350<TAB>事业运行 (a code column per row, not three)."""
    return _CODE_ROW.sub(lambda m: (m.group(1) + (m.group(2) or "") + (m.group(3) or "")) + "\t", text)


def untab(text: str) -> str:
    """Every tab a space: the cells of a line run together (blank cells vanish)."""
    return re.sub(r"[ \t]*\t[ \t]*", " ", text).replace(" \n", "\n")


_NAMED_ROW = re.compile(r"^(\d{3,7}(?:\t\d{2})*\t*)([\u4e00-\u9fff（）、]{9,})(\t.*)$", re.M)


def wrap_names(text: str) -> str:
    """A row whose 科目名称 is long gets its name split: the first part on a line above the code
    and figures, the rest on a line below (how PDFs with wrapped name cells extract)."""
    def split(m: re.Match) -> str:
        code, name, rest = m.groups()
        k = len(name) // 2 + 1
        return f"{name[:k]}\n{code}{rest}\n{name[k:]}"  # the name cell stays, empty
    return _NAMED_ROW.sub(split, text)


_PART_HEAD = re.compile(r"^(第[一二三四五六]部分 .{6,})$", re.M)


def wrap_headings(text: str) -> str:
    """第X部分 headings broken over two lines, two characters before their end."""
    return _PART_HEAD.sub(lambda m: m.group(1)[:-3] + "\n" + m.group(1)[-3:], text)


_FORM_TITLE = re.compile(r"^([^\t\n]{6,}绩效自评表)$", re.M)


def wrap_form_titles(text: str) -> str:
    """Every 绩效自评表 title over two lines: the even ones before 绩效自评表, the odd ones in the middle."""
    count = iter(range(1_000_000))

    def split(m: re.Match) -> str:
        t = m.group(1)
        k = len(t) - 5 if next(count) % 2 == 0 else len(t) // 2
        return f"{t[:k]}\n{t[k:]}"
    return _FORM_TITLE.sub(split, text)


def number_forms(text: str) -> str:
    """附件 numbering for the 绩效自评表 titles: "附件2-n" on the line before, or "附件2-n：" in front."""
    count = iter(range(1, 1_000_000))

    def number(m: re.Match) -> str:
        n = next(count)
        return f"附件2-{n}\n{m.group(1)}" if n % 2 else f"附件2-{n}：{m.group(1)}"
    return _FORM_TITLE.sub(number, text)


def wrap_form_cells(text: str, longest: int = 9) -> str:
    """三级指标 names longer than ``longest`` in the 绩效自评表 (tab-separated rows under a header
    with 三级指标) broken around their row: the first half on a line above, the rest below."""
    out: list[str] = []
    col = None
    for line in text.split("\n"):
        cells = line.split("\t")
        if "三级指标" in cells:
            col = cells.index("三级指标")
            out.append(line)
            continue
        if col is None or len(cells) <= col or cells[0].startswith(("总分", "偏差", "改进")) or not line.strip():
            col = None if (not line.strip() or cells[0].startswith(("总分", "偏差", "改进"))) else col
            out.append(line)
            continue
        name = cells[col]
        if len(name) > longest:
            k = len(name) // 2
            cells[col] = ""
            out += [name[:k], "\t".join(cells), name[k:]]
        else:
            out.append(line)
    return "\n".join(out)


_FIGURE = re.compile(r"\d\.\d\d")


_NUMBER_LINE = re.compile(r"^(?:公开\d+表|附?表[0-9一二三四五六七八九十]+)$")


def _is_title(lines: list[str], i: int) -> bool:
    """A table's title in a rendered text: the line before its 部门/金额单位 line (or before the
    line of its number above that)."""
    j = i + 2 if i + 1 < len(lines) and _NUMBER_LINE.match(lines[i + 1]) else i + 1
    return j < len(lines) and lines[j].startswith("部门：") and lines[i].rstrip().endswith(("表", "（续）"))


def paginate(text: str, every: int = 12) -> str:
    """Each table broken into pages of ``every`` rows; each page after the first starts with the
    page number, the title again (with （续）, or after a 续表 line), the 部门 line and the header."""
    lines = text.split("\n")
    out: list[str] = []
    i, page = 0, 1
    while i < len(lines):
        if not _is_title(lines, i):
            out.append(lines[i])
            i += 1
            continue
        title = lines[i]
        j = i + 1
        meta = []
        while not lines[j].startswith("部门："):
            meta.append(lines[j])
            j += 1
        meta.append(lines[j])
        j += 1
        header = []
        while j < len(lines) and lines[j] and not _FIGURE.search(lines[j]):
            header.append(lines[j])
            j += 1
        body = []
        while j < len(lines) and lines[j]:
            body.append(lines[j])
            j += 1
        out += [title, *meta, *header]
        for k in range(0, len(body), every):
            if k:
                page += 1
                again = [f"{title}（续）"] if page % 2 else ["续表", title]
                out += ["", f"— {page} —", "", *again, *meta, *header]
            out += body[k:k + every]
        i = j
    return "\n".join(out)


def number_titles(text: str, style: str = "公开{n:02d}表 ") -> str:
    """Table titles numbered in their order: ``style`` before the title ("公开{n:02d}表 ",
    "表{cn}、", "附表{n}："), or, when it starts with a line break, on a line of its own under it."""
    from juesuan.zh import cn_number
    lines = text.split("\n")
    out: list[str] = []
    numbers: dict[str, str] = {}     # a title printed again (a page on) keeps its number
    for i, line in enumerate(lines):
        if _is_title(lines, i):
            title = line.removesuffix("（续）")
            if title not in numbers:
                n = len(numbers) + 1
                numbers[title] = style.format(n=n, cn=cn_number(n))
            number = numbers[title]
            out += [line, number.strip()] if number.startswith("\n") else [number + line]
        else:
            out.append(line)
    return "\n".join(out)


_PART_LINE = re.compile(r"^第([一二三四五六])部分 (.*)$", re.M)


def spaced_parts(text: str) -> str:
    """Part headings in another style: "第 三 部 分：…" (spaced, a colon after)."""
    return _PART_LINE.sub(lambda m: f"第 {m.group(1)} 部 分：{m.group(2)}", text)


def unnumbered_parts(text: str) -> str:
    """Part titles printed without "第X部分": "…概况", "…部门决算情况说明", "名词解释", "附件"."""
    return _PART_LINE.sub(lambda m: m.group(2), text)


def drop_parts(text: str) -> str:
    """No part headings at all (and no 目录): the sections, tables and forms follow each other
    under their own titles, as in documents that print only the 情况说明's 一、二、… headings."""
    body = text[text.index("\n第一部分", text.index("第六部分")):] if "第六部分" in text else text
    head = text[:text.index("\n")]
    return head + "\n" + _PART_LINE.sub("", body)


def wrap_lines(text: str, width: int = 37) -> str:
    """Every line of prose (a sentence: it has Chinese punctuation) longer than ``width`` broken
    every ``width`` characters, wherever that falls — inside a number ("1,29" / "4.48万元") or a
    word — as a PDF's text lines are."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or len(line) <= width or not any(c in line for c in "。，；："):  # prose only
            out.append(line)
        else:
            out.extend(line[i:i + width] for i in range(0, len(line), width))
    return "\n".join(out)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


DEGRADATIONS: dict[str, Callable[[str], str]] = {
    "join_codes": join_codes,
    "untab": untab,
    "wrap_names": wrap_names,
    "wrap_headings": wrap_headings,
    "wrap_form_titles": wrap_form_titles,
    "number_forms": number_forms,
    "wrap_form_cells": wrap_form_cells,
    "crlf": crlf,
    "paginate": paginate,
    "number_gongkai": lambda text: number_titles(text, "公开{n:02d}表 "),
    "number_biao": lambda text: number_titles(text, "表{cn}、"),
    "number_fubiao": lambda text: number_titles(text, "附表{n}："),
    "number_below": lambda text: number_titles(text, "\n公开{n:02d}表"),
    "wrap_lines": wrap_lines,
    "spaced_parts": spaced_parts,
    "unnumbered_parts": unnumbered_parts,
    "drop_parts": drop_parts,
}


def degrade(text: str, *names: str) -> str:
    for name in names:
        text = DEGRADATIONS[name](text)
    return text
