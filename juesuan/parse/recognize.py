"""The recognizer: any ``SourceDoc`` (text, PDF, DOCX, HTML) → a :class:`~juesuan.parse.result.Parse`.

Owns the document structure, whatever the kind (its vocabulary comes in a
:class:`~juesuan.parse.spec.ParseSpec`), in named stages that :meth:`Recognizer.run` calls in
order and whose results the ``Parse`` keeps:

1. ``title_entity_year``: title, entity and year;
2. ``find_parts``: the parts (第一部分 … 第六部分, in any order, the 目录 skipped);
3. ``table_regions``: the tables' regions, each opened by a title of the kind's layouts (its
   printed number kept, a title printed again on the next page or after 续表 going on with the
   same table, the title of a table no layout knows ending the one before);
4. ``choose_variant`` and ``read_tables``: the layout the tables are in, decided by what the
   document prints (:func:`variant_scores`: titles, printed table numbers, order, year, where the
   tables stand), then each region read by :mod:`juesuan.parse.tabular` in that layout (a table
   it does not have, in the layout its title belongs to), tied readings decided across tables;
5. ``read_parts``: numbered sections (一、 / （一）) with their paragraphs (lines broken by PDF
   extraction joined back, each keeping the place of its first line), charts, 名词解释
   entries, and what the kind reads of a part itself (the 决算's 重点工作 table);
6. ``read_forms``: the forms the kind attaches (the 决算's 绩效自评表), and the regions of the
   tables its layouts declare ``kind="form"`` (the 预算's 绩效目标表, one per printed title);
7. ``coverage``: what was read and what could not be.

Every decision goes to a :class:`~juesuan.parse.trace.Trace` (shown by ``juesuan parse --debug``).
"""

from __future__ import annotations

import re
from collections import Counter

from ..catalog import catalog
from ..document import Chart, Document, GlossaryEntry, Paragraph, Part, Section
from ..errors import Diagnostic, InputError
from ..tables.table import TableSet
from ..zh import cn_to_int, infer_level
from .cells import clean_text, flat, has_cjk, line_text, reset_text_cache, strip_bullet
from .result import Coverage, Parse
from .source import SourceDoc, SourceLine
from .spec import ParseSpec
from .tabular import (
    Region,
    Titles,
    contents_entry,
    is_table_number,
    match_title,
    number_value,
    read_table,
    resolve_across,
    table_number,
)
from .trace import Trace

__all__ = ["recognize", "Recognizer", "ITEM_RE"]

_PART_RE = re.compile(r"^第([一二三四五六七八九十]+)部分[:：、]?(.*)$")
_H1_RE = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．](.{2,60})$")
_H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[)）](.{2,60})$")
# "1.xxx" / "2、xxx" (not "1.5万元"; "1.0A系统" is item 1 about the "0A系统")
ITEM_RE = re.compile(r"^(\d{1,2})[.、．](?!\d+(?:\.\d+)?(?:[%％万元个倍项]|\s|$))\s*\S")
# a 名词解释 entry: "（一）项目支出：指…"
_GLOSSARY_ENTRY = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）、][^：:。，]{2,30}[：:]\s*"
                             r"(?:指|是指|反映|主要|包括)")
_FIG_RE = re.compile(r"^图\s*(\d{1,2})\s*[:：]?\s*(.+)$")
_END_PUNCT = tuple("。！？!?；;：:")
_LEADER = re.compile(r"^[\s.．。·…_\-—]*$")   # a cell of a contents line's dot leaders only


def _cells(line: SourceLine) -> int:
    """The cells of a line that hold something: not blank, not dot leaders (a contents line read
    from an image keeps some of its leaders as cells of their own)."""
    return sum(1 for c in line.cells if not _LEADER.match(c))


_PAGE_NO = re.compile(r"^(?:[-—–－]+\d{1,3}[-—–－]+|第\d{1,3}页(?:[,，/]?共\d{1,3}页)?|\d{1,3}/\d{1,3})$")
# a 目录 entry's page reference (dot leaders and/or a page number), and a table's figures
_TOC_PAGE = re.compile(r"(?:[.．。·•…⋯‥_\-—－]{2,}|(?<=\D))(?:第)?\d{1,3}页?$|[.．。·•…⋯‥_]{3,}$")
_FIGURES = re.compile(r"\d\.\d{2}(?!\d)")
_PHONE_RE = re.compile(r"(?:咨询电话|联系电话|监督电话|电话)[:：]?\s*((?:\d{3,4}[-－—]?)?\d{7,8}(?:[-－]\d+)?)")


class Recognizer:
    """One recognition of ``src`` as a document of the kind ``spec`` describes (see the module)."""

    def __init__(self, src: SourceDoc, spec: ParseSpec):
        self.src = src
        self.spec = spec
        self.titles = Titles.of(spec.variants, spec.default_variant)
        self.trace = Trace()
        self.skip: set[int] = set()
        self.headless: set[int] = set()      # parts begun at a line that is not their heading
        self.title_tails: set[int] = set()   # second lines of wrapped table titles, empty repeats' lines
        self.var = spec.variants[spec.default_variant]   # the layout of the tables (choose_variant)
        self.variant_note = ""                # how the document differs from that layout
        self.table_forms: list[tuple[str, str, list]] = []   # regions of tables the kind reads as forms
        # page numbers ("— 5 —", "第 5 页") are not content
        self.lines = []
        for line in src.lines:
            if len([c for c in line.cells if c.strip()]) <= 1 and _PAGE_NO.match(flat(line_text(line))):
                self.trace.note("structure", "页码，跳过", line)
                continue
            self.lines.append(line)

    # -- structure ---------------------------------------------------------------------
    def title_entity_year(self) -> tuple[str, str, int | None]:
        title, entity, year = "", "", None
        word = self.spec.title_pattern or re.escape(self.spec.title_word)
        tail = r"(?:信息)?(?:公开)?$"
        for line in self.lines[:40]:
            f = flat(line_text(line))
            if not f:
                continue
            m = re.search(r"((?:19|20)\d{2})年度([^度].*?)" + word + tail, f) or \
                re.search(r"^(.+?)((?:19|20)\d{2})年度?" + word + tail, f) or \
                (re.search(r"^((?:19|20)\d{2})年([^度].*?)" + word + tail, f) if self.spec.title_pattern else None)
            if m:
                title = f
                if m.group(1).isdigit():
                    year, entity = int(m.group(1)), m.group(2)
                else:
                    entity, year = m.group(1), int(m.group(2))
                self.trace.note("structure", "标题", line)
                break
        if not title:
            cover = ""
            for line in self.lines[:12]:
                f = flat(line_text(line))
                if f in ("目录", "目次") or _PART_RE.match(f):
                    break
                cover += f
                m = re.search(r"^(.+?)((?:19|20)\d{2})年度?" + word + tail, cover) or \
                    re.search(r"((?:19|20)\d{2})年度([^度].*?)" + word + tail, cover) or \
                    (re.search(r"^((?:19|20)\d{2})年([^度].*?)" + word + tail, cover) if self.spec.title_pattern
                     else None)
                if m:
                    title = cover
                    if m.group(1).isdigit():
                        year, entity = int(m.group(1)), m.group(2)
                    else:
                        entity, year = m.group(1), int(m.group(2))
                    self.trace.note("structure", "标题（封面多行）", line)
                    break
        if year is None:
            years = Counter(int(y) for line in self.lines[:400]
                            for y in re.findall(r"((?:19|20)\d{2})年度", flat(line_text(line))))
            year = years.most_common(1)[0][0] if years else None
        if not entity:
            depts = Counter()
            for line in self.lines:
                m = re.search(r"(?:部门|编制单位)[:：]([^\s:：]{4,40}?)(?:金额单位|单位[:：]|$)", flat(line_text(line)))
                if m and has_cjk(m.group(1)):
                    depts[m.group(1)] += 1
            if depts:
                entity = depts.most_common(1)[0][0]
        return title or (f"{year}年度{entity}{self.spec.title_word}公开" if entity and year else ""), entity, year

    def find_parts(self) -> list[tuple[int, str, str, str]]:
        """[(line index, key, number, title)] of the body, after skipping the 目录."""
        heads = []
        toc_at = None
        for i, line in enumerate(self.lines):
            f = flat(line_text(line))
            if f in ("目录", "目次") and toc_at is None:
                toc_at = i
            m = _PART_RE.match(f)
            if m and _cells(line) <= 2:
                title = m.group(2)
                nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
                # a wrapped part title: "…决算情况" + "说明"; or "第三部分" on a line of its own, its
                # title on the next (a PDF that breaks the heading)
                if nxt is not None and 0 < len(flat(line_text(nxt))) <= (60 if not title else 4) \
                        and len(nxt.cells) <= 1 and not _PART_RE.match(flat(line_text(nxt))) \
                        and self.spec.part_key(title + flat(line_text(nxt))) != self.spec.part_key(title):
                    title += flat(line_text(nxt))
                    self.skip.add(i + 1)
                elif not title and nxt is not None and len(nxt.cells) <= 1 and \
                        0 < len(flat(line_text(nxt))) <= 60 and not _PART_RE.match(flat(line_text(nxt))) \
                        and "。" not in line_text(nxt):
                    # "第一部分" alone, its title on the line below (as a PDF sets a part's title page)
                    title = flat(line_text(nxt))
                    self.skip.add(i + 1)
                heads.append((i, m.group(1), title))
        if not heads:
            heads = self.numbered_parts()
        if not heads and self.spec.part_title_re:
            heads = self.unnumbered_parts()
        if toc_at is not None:
            seen: set[str] = set()
            body_start = None
            for i, num, title in heads:
                if i < toc_at:
                    continue
                ident = num or self.spec.part_key(title)
                if ident in seen:
                    body_start = i
                    break
                seen.add(ident)
            if body_start is not None:
                self.skip.update(range(toc_at, body_start))
                self.trace.note("structure", f"目录：第 {toc_at + 1}–{body_start} 行，跳过", self.lines[toc_at])
                heads = [h for h in heads if h[0] >= body_start]
            elif heads and heads[0][0] > toc_at:
                heads = self._heads_in_body(toc_at, heads)
        elif heads:
            # a contents list without the word 目录: the part numbers come round a second time
            first_num = heads[0][1]
            again = next((i for i, num, _ in heads[1:] if num == first_num), None)
            if again is not None:
                self.skip.update(range(heads[0][0], again))
                self.trace.note("structure", f"目录（无“目录”字样）：第 {heads[0][0] + 1}–{again} 行，跳过",
                                self.lines[heads[0][0]])
                heads = [h for h in heads if h[0] >= again]
            else:
                heads = self._heads_in_body(None, heads)
        if heads and not any(self.spec.part_key(t) == "tables" for _, _, t in heads):
            # the tables part titled without "第X部分": "…2024年度部门决算表"
            for i, line in enumerate(self.lines):
                if i in self.skip or i < heads[0][0] or len(line.cells) > 2:
                    continue
                f = flat(line_text(line))
                if re.fullmatch(r".{0,40}(?:19|20)\d{2}年度?" + re.escape(self.spec.title_word) + r"(?:报)?表", f):
                    heads.append((i, "", f))
                    heads.sort()
                    break
        parts = []
        for i, num, title in heads:
            parts.append((i, self.spec.part_key(title), num, title))
            self.trace.note("structure", f"第{num}部分（{self.spec.part_key(title)}）", self.lines[i])
        return parts

    def _heads_in_body(self, toc_at: int | None, heads: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
        """Part headings found only in the 目录 (the body prints none the text layer keeps: 北京市's
        "第一部分 2026年度部门预算情况说明" extracts as "2026"): the entries are not the parts. Each
        part begins in the body where its first entry is printed as a heading (a part whose first
        entry the body does not print is not in this file); the 目录's lines are skipped."""
        start = toc_at if toc_at is not None else heads[0][0] - 1
        end, seen = self._toc_end(start)
        if any(h[0] >= end for h in heads):
            return heads
        if toc_at is None and (end >= len(self.lines) or len(seen) < 2
                               or self._entry(end) not in seen):
            return heads     # without the word 目录, a contents list is known by an entry printed again
        body = {}
        for j in range(end, len(self.lines)):
            if len([c for c in self.lines[j].cells if c.strip()]) == 1:
                body.setdefault(flat(line_text(self.lines[j])), j)
        out: list[tuple[int, str, str]] = []
        for k, (i, num, title) in enumerate(heads):
            nxt = heads[k + 1][0] if k + 1 < len(heads) else end
            entry = next((e for e in (self._entry(j) for j in range(i + 1, nxt)) if e), None)
            at = body.get(entry) if entry else None
            if at is not None and (not out or at > out[-1][0]):
                out.append((at, num, title))
                self.headless.add(at)
                self.trace.note("structure", f"第{num}部分：正文没有可读的部分标题，从目录中它的第一项"
                                f"“{entry}”在正文出现处开始", self.lines[at])
            else:
                self.trace.note("structure", f"第{num}部分：只见于目录，正文中没有", self.lines[i])
        if not out:
            return heads
        start = max(start, 0)
        self.skip.update(range(start, end))
        self.trace.note("structure", f"目录{'（无“目录”字样）' if toc_at is None else ''}：第 {start + 1}–{end} 行，"
                        "跳过", self.lines[start])
        return out

    def _entry(self, j: int) -> str:
        """A 目录 line's entry without its dot leaders and page number."""
        f = flat(line_text(self.lines[j]))
        m = _TOC_PAGE.search(f)
        f = f[: m.start()] if m and m.start() else f
        return "" if not f or _PAGE_NO.match(f) or f.isdigit() else f

    def numbered_parts(self) -> list[tuple[int, str, str]]:
        """Parts headed 一、 二、 … where no 第X部分 is printed (the 教育部直属高校 template: 一、学校概况
        二、…部门决算报表 三、决算报表说明 四、名词解释), the 目录's entries among them: taken only when,
        from the number 一 printed last, they run 一, 二, 三 … and head three or more different parts
        (the 一、 … 十三、 sections of a 情况说明 are all one part's)."""
        cands = []
        for i, line in enumerate(self.lines):
            if len([c for c in line.cells if c.strip()]) != 1:
                continue
            f = flat(line_text(line))
            m = _H1_RE.match(f)
            if m and "。" not in f and not f.endswith(_END_PUNCT) and self.spec.part_key(m.group(2)) != "other":
                cands.append((i, m.group(1), m.group(2)))
        firsts = [k for k, (_, num, _) in enumerate(cands) if num == "一"]
        body = cands[firsts[-1]:] if firsts else []
        keys = [self.spec.part_key(t) for _, _, t in body]
        if len(body) >= 3 and [cn_to_int(n) for _, n, _ in body] == list(range(1, len(body) + 1)) \
                and len(set(keys)) == len(keys):
            return cands[firsts[0]:]
        return []

    def unnumbered_parts(self) -> list[tuple[int, str, str]]:
        """Part titles printed without "第X部分" ("…概况", "…部门决算情况说明", "名词解释"): short
        lines alone, not numbered as sections, that the kind's part-title pattern matches."""
        heads = []
        pattern = re.compile(self.spec.part_title_re)
        for i, line in enumerate(self.lines):
            if len([c for c in line.cells if c.strip()]) > 1:
                continue
            f = flat(line_text(line))
            nxt = flat(line_text(self.lines[i + 1])) if i + 1 < len(self.lines) else ""
            wrapped = not pattern.search(f) and 0 < len(nxt) <= 6 and not pattern.search(nxt)
            if wrapped:
                f += nxt          # a title wrapped: "…部门决" + "算情况说明"
            if len(f) > 40 or _H1_RE.match(f) or _H2_RE.match(f) or ITEM_RE.match(f) or "。" in f \
                    or not pattern.search(f) or match_title(f, self.titles):
                continue
            if wrapped:
                self.skip.add(i + 1)
            heads.append((i, "", f))
            self.trace.note("structure", "部分标题（未编号）", line)
        return heads

    # -- sections and paragraphs ---------------------------------------------------------
    def paragraphs(self, idxs: list[int]) -> list[tuple[Paragraph, SourceLine]]:
        """Join broken lines into paragraphs; items (1. …) start a new paragraph."""
        out: list[tuple[Paragraph, SourceLine]] = []
        buf: list[str] = []
        first: SourceLine | None = None
        last: SourceLine | None = None
        kind = "text"

        def flush():
            nonlocal buf, first, kind
            if buf and first is not None:
                text = clean_text(_join_lines(buf))
                src = {**first.place().to_dict()}
                if last is not None and last.line is not None and last is not first:
                    src["end_line"] = last.line
                if text:
                    out.append((Paragraph(text, kind=kind, source=src), first))
            buf, first, kind = [], None, "text"

        # PDF lines know where they start: when first lines are indented, indentation (not
        # the punctuation at a line's end) says where a paragraph begins
        xs = [self.lines[i].bbox[0] for i in idxs if self.lines[i].bbox is not None]
        indent_at = min(xs) + 8 if xs and max(xs) - min(xs) > 8 and len(xs) == len(idxs) else None
        for i in idxs:
            line = self.lines[i]
            t = strip_bullet(line_text(line))
            if not t or not t.strip("\u00a0 "):
                continue
            is_item = bool(ITEM_RE.match(t))
            if indent_at is not None:
                ends = line.bbox is not None and line.bbox[0] > indent_at
            else:
                ends = buf and buf[-1].rstrip().endswith(_END_PUNCT)
            if not buf or is_item or ends:
                flush()
                first = line
                kind = "item" if is_item else "text"
            buf.append(t)
            last = line
        flush()
        return out

    def sections(self, idxs: list[int], part_key: str) -> tuple[list[Section], list[Paragraph], list[Chart]]:
        sections: list[Section] = []
        loose: list[int] = []
        cur1: Section | None = None
        cur2: Section | None = None
        pending: list[int] = []
        charts_loose: list[Chart] = []

        def target() -> Section | None:
            return cur2 or cur1

        def flush():
            nonlocal pending
            if not pending:
                return
            paras = [p for p, _ in self.paragraphs(pending)]
            t = target()
            if t is None:
                loose.extend(pending)
            else:
                t.paragraphs.extend(paras)
            pending = []

        chart: Chart | None = None   # the chart whose drawn text (labels, figures) follows its caption
        for i in idxs:
            line = self.lines[i]
            t = strip_bullet(line_text(line))
            f = flat(t)
            if not f:
                continue
            m1 = _H1_RE.match(f)
            m2 = _H2_RE.match(f)
            fig = _FIG_RE.match(f)
            if chart is not None and not (m1 or m2 or fig or ITEM_RE.match(t)) and "。" not in f \
                    and len(f) <= 40:
                _chart_text(chart, line)
                self.trace.note("chart", f"{chart.id} 的图中文字", line)
                continue
            chart = None
            if len([c for c in line.cells if c.strip()]) > 1:
                continue  # table rows are read elsewhere
            if fig:
                flush()
                n = int(fig.group(1))
                ch = Chart(id=f"fig{n}", title=f"图{n}：{clean_text(fig.group(2))}", kind="bar",
                           labels=[], values=[])
                (target().charts if target() else charts_loose).append(ch)
                chart = ch
                continue
            if m1 and not f.endswith(_END_PUNCT[:3]) and "。" not in f and cn_to_int(m1.group(1)):
                flush()
                num = cn_to_int(m1.group(1))
                cur1 = Section(m1.group(1), clean_text(m1.group(2)),
                               key=self._section_key(part_key, num, None, m1.group(2)),
                               source={**line.place().to_dict()})
                cur2 = None
                sections.append(cur1)
                continue
            if m2 and not f.endswith("。") and "。" not in f[:-1] and cn_to_int(m2.group(1)):
                flush()
                num2 = cn_to_int(m2.group(1))
                cur2 = Section(f"（{m2.group(1)}）", clean_text(m2.group(2)),
                               key=f"{cur1.key if cur1 is not None else part_key}.{num2}",
                               source={**line.place().to_dict()})
                # a part numbered （一）（二） without 一、 headings: its sections are the part's own
                (cur1.subsections if cur1 is not None else sections).append(cur2)
                continue
            pending.append(i)
        flush()
        loose_paras = [p for p, _ in self.paragraphs(loose)] if loose else []
        return sections, loose_paras, charts_loose

    @staticmethod
    def _section_key(part_key: str, num: int | None, _sub, title: str) -> str:
        if part_key == "profile":
            t = flat(title)
            if "职责" in t or "职能" in t:
                return "profile.duties"
            if "机构" in t or "构成" in t:
                return "profile.structure"
            return f"profile.{num}"
        return f"{part_key}.{num}"

    # -- glossary --------------------------------------------------------------------------
    def glossary(self, idxs: list[int]) -> tuple[list[Paragraph], list[GlossaryEntry]]:
        lines = [i for i in idxs if len([c for c in self.lines[i].cells if c.strip()]) <= 1]
        # entries start with （一） or 1.; the rest continues the previous entry
        starts = []
        for i in lines:
            t = strip_bullet(line_text(self.lines[i]))
            if re.match(r"^[（(][一二三四五六七八九十]{1,3}[)）]|^[一二三四五六七八九十]{1,3}、", flat(t)) \
                    or ITEM_RE.match(t) or _PHONE_RE.search(flat(t)):
                starts.append(i)
        paras: list[Paragraph] = []
        entries: list[GlossaryEntry] = []
        chunks: list[list[int]] = []
        for i in lines:
            if i in starts or not chunks:
                chunks.append([i])
            else:
                chunks[-1].append(i)
        for chunk in chunks:
            first = self.lines[chunk[0]]
            text = clean_text(" ".join(strip_bullet(line_text(self.lines[i])) for i in chunk
                                       if strip_bullet(line_text(self.lines[i]))))
            if not text:
                continue
            if _PHONE_RE.search(text) and not re.match(r"^[（(]", text):
                paras.append(Paragraph(text, source={**first.place().to_dict()}))
                continue
            paras.append(Paragraph(text, kind="item" if ITEM_RE.match(text) else "text",
                                   source={**first.place().to_dict()}))
            m = re.match(r"^([（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．])"
                         r"\s*(.*)$", text)
            if not m:
                continue
            number = m.group(1).replace("(", "（").replace(")", "）")
            body = m.group(2)
            mm = re.match(r"^([^:：]*)[:：](.*)$", body)
            term, expl = (mm.group(1), mm.group(2)) if mm else (body, "")
            entries.append(GlossaryEntry(number, term.strip().rstrip("。"), expl.strip()))
        return paras, entries

    # -- tables ----------------------------------------------------------------------------
    def contents(self) -> set[int]:
        """The lines of the 目录: from a 目录/目次 heading through the short entry lines after it, up
        to where the body begins — an entry printed a second time (the body's first heading), a
        line of running text or of a table's figures; and any run of entries that end in dot leaders
        or a page number ("一、收入支出决算总表……5"), with or without the word 目录."""
        toc: set[int] = set()
        lines = self.lines
        at = next((i for i, line in enumerate(lines[:400]) if flat(line_text(line)) in ("目录", "目次")), None)
        if at is not None:
            end, seen = self._toc_end(at)
            if seen:
                toc.update(range(at, end))
                if not toc <= self.skip:     # (the parts' 目录, skipped and noted already)
                    self.trace.note("structure", f"目录：第 {at + 1}–{end} 行（其中的表名不作表格）", lines[at])
        entries = [i for i, line in enumerate(lines) if len([c for c in line.cells if c.strip()]) <= 2
                   and contents_entry(line_text(line), self.titles)]
        for a, b in zip(entries, entries[1:]):
            if b - a <= 6:
                toc.update(range(a, b + 1))
        return toc

    def _toc_end(self, at: int) -> tuple[int, set[str]]:
        """Where the 目录 headed at line ``at`` ends, and its entries (see :meth:`contents`)."""
        lines = self.lines
        seen: set[str] = set()
        end = at + 1
        while end < len(lines) and end - at <= 200:
            line = lines[end]
            f = flat(line_text(line))
            m = _TOC_PAGE.search(f)
            entry = f[: m.start()] if m and m.start() else f
            if entry and (entry in seen or "。" in f or len(entry) > 60 or _FIGURES.search(f)
                          or len([c for c in line.cells if c.strip()]) > 2):
                break
            if entry and not _PAGE_NO.match(entry) and not entry.isdigit():
                seen.add(entry)
            end += 1
        return end, seen

    def table_regions(self, stop_at: set[int]) -> list[Region]:
        regions: list[Region] = []
        cur: Region | None = None
        wrapped: set[int] = set()
        number, number_at = "", -9   # a table number printed on a line of its own, for the title next to it
        toc = self.contents()
        # the tables whose titles the body prints: a 目录 entry is skipped only when its table
        # is printed after it (a title of the contents zone that is not, is the table's own)
        printed = {hit[0] for i, line in enumerate(self.lines) if toc and i not in toc
                   and len([c for c in line.cells if c.strip()]) <= 2
                   and (hit := match_title(line_text(line), self.titles))}
        for i, line in enumerate(self.lines):
            if i in self.skip or i in wrapped:
                continue
            if i in stop_at:
                cur = None
                continue
            if i in toc:
                hit = match_title(line_text(line), self.titles) or contents_entry(line_text(line), self.titles)
                if hit is None or hit[0] in printed:
                    if hit is not None:
                        self.trace.note("table", "目录中的表名，不作表格", line)
                    cur = None
                    continue
            few = len([c for c in line.cells if c.strip()]) <= 2
            if few and is_table_number(line_text(line)):
                number, number_at = table_number(line_text(line)), i
                if cur is not None and cur.number == number:
                    number = ""                         # printed again on the table's next page
                elif cur is not None and not cur.number and not any(_has_figures(x) for x in cur.lines):
                    cur.number, number = number, ""    # under its title: 收入支出决算总表 / 公开01表
                self.trace.note("table", f"表号 {table_number(line_text(line))}", line)
                continue
            if few:
                hit = match_title(line_text(line), self.titles)
                tail = ""
                if hit is None and i + 1 < len(self.lines):
                    # a title wrapped over two lines: "……基本支出决算明" + "细表", "……项目（小学）项目" +
                    # "绩效目标表" (a form's title names its project: the kind's word need not be in it)
                    nxt = self.lines[i + 1]
                    tail = flat(line_text(nxt))
                    if (self.spec.table_word in line_text(line) or tail.endswith("表")) and \
                            0 < len(tail) <= 8 and len(nxt.cells) <= 1 and match_title(tail, self.titles) is None:
                        hit = match_title(line_text(line) + tail, self.titles)
                        if hit:
                            wrapped.add(i + 1)
                            self.title_tails.add(id(nxt))
                if hit is None:
                    tail = ""
                if hit:
                    tid, vname, alias = hit
                    if cur is not None and cur.tid == tid and (
                            self.spec.variants[vname].layouts[tid].kind != "form"
                            or flat(line_text(cur.title_line)) == flat(line_text(line))):
                        # (a form's title opens a form each time it names another one: one per project)
                        self.trace.note("table", f"{tid} 续表（跨页重复标题）", line)
                        number = ""
                        continue
                    cur = Region(tid, vname, line, alias=alias, wrapped=tail,
                                 number=table_number(line_text(line)) or (number if i - number_at <= 2 else ""))
                    number = ""
                    regions.append(cur)
                    self.trace.note("table", f"{tid} 标题（{alias}）" + (f"，表号 {cur.number}" if cur.number else ""),
                                    line, variant=vname)
                    continue
                f = flat(line_text(line))
                if f.endswith((self.spec.table_word + "表", "情况表", "明细表")) and len(f) <= 60 \
                        and not re.search(r"[。，；：:]", f):
                    # the title of a table no layout knows: not read, and the end of the table before it
                    self.trace.note("table", "像表格标题，但不是已知表式中的表，未读取", line)
                    if cur is not None:
                        self.trace.note("table", f"{cur.tid} 到此结束", line)
                    cur = None
                    continue
                if cur is not None and self.spec.form_title_ends and f.endswith(self.spec.form_title_ends):
                    cur = None
                    continue
                if cur is not None and self._prose_heading(f) and not (
                        self.spec.variants[cur.variant].layouts[cur.tid].kind == "form"
                        and any(_has_figures(x) for x in cur.lines)):   # (a form's own headings, under its figures)
                    # a heading of another part ends the table, numbered as a part or not
                    self.trace.note("table", f"{cur.tid} 到此结束（其后是其他部分的标题）", line)
                    cur = None
            if cur is not None:
                cur.lines.append(line)
        return regions

    def filled_first(self, regions: list[Region]) -> list[Region]:
        """A table whose title is printed more than once is read where its figures are: regions
        before the first that has any (a 目录 the recognizer did not see as one — damaged, its
        lines starting with a stray character — where each entry opened a region with nothing
        under it) are dropped, their lines kept out of the parts; when none has figures (a table
        printed empty), the one with the most lines is read. Of regions with figures the first
        stays first; read_tables notes the ones after it."""
        by_tid: dict[str, list[Region]] = {}
        for r in regions:
            by_tid.setdefault(r.tid, []).append(r)
        dropped: set[int] = set()
        for tid, rs in by_tid.items():
            if len(rs) < 2:
                continue
            keep = next((r for r in rs if any(_has_figures(x) for x in r.lines)), None) \
                or max(rs, key=lambda r: sum(1 for x in r.lines if line_text(x).strip()))   # the first on a tie
            for r in rs[:rs.index(keep)]:
                dropped.add(id(r))
                self.title_tails.update(id(x) for x in (r.title_line, *r.lines))
                self.trace.note("table", f"{tid} 标题下没有数字，不作表格（按后面第 {keep.title_line.line} 行"
                                "同名的表读取）", r.title_line)
        return [r for r in regions if id(r) not in dropped] if dropped else regions

    def _prose_heading(self, f: str) -> bool:
        """A short line without figures that heads a part or a section of prose (…情况说明, 部门主要
        职责, 名词解释, 附件): no table row reads so."""
        if not f or len(f) > 40 or re.search(r"\d", f) or f.endswith("表"):
            return False
        return self.spec.part_key(_H1_RE.sub(r"\2", f)) not in ("other", "tables")

    # -- tables ------------------------------------------------------------------------------
    def choose_variant(self, regions: list[Region], year: int | None = None, tables_last: bool | None = None):
        """The layout the tables are in, decided by what the document prints (:func:`variant_scores`):
        the titles found and which layouts print them, the tables' printed numbers, their order,
        the tables a layout has that were not found, the year. A document in a layout none of
        them is gets the closest, and the trace and the coverage say so."""
        spec, tr = self.spec, self.trace
        found = tuple(dict.fromkeys(r.tid for r in regions))
        if not found:
            var = spec.variants[spec.default_variant]
            tr.note("table", f"表式：{var.name}（未找到表格，按默认表式）")
            return var
        scores = variant_scores(regions, spec.variants, self.titles, year, tables_last)
        name = max(scores, key=lambda n: (scores[n], n == spec.default_variant))
        var = spec.variants[name]
        unknown = [t for t in found if t not in var.layouts]
        missing = [t for t in var.required if t not in found]
        self.variant_note = "；".join(x for x in (
            f"文件另有本表式没有的表 {'、'.join(unknown)}，按其标题所属表式读取" if unknown else "",
            f"缺 {'、'.join(missing)}" if missing else "") if x)
        ranked = "，".join(f"{n} {scores[n]:g}" for n in sorted(scores, key=lambda n: -scores[n])[:3])
        tr.note("table", f"表式：{var.name}（{var.label or var.name}；表序 {'、'.join(found)}；得分 {ranked}）"
                + (f"：与已知表式不完全相符（{self.variant_note}）" if self.variant_note else ""))
        return var

    def read_tables(self, regions: list[Region], var, year: int | None, entity: str) -> dict:
        tr = self.trace
        cat = catalog(year or 2023)
        tables: dict = {}
        lays: dict = {}
        self.table_forms = []
        for r in regions:
            if r.tid in tables:
                tr.note("table", f"{r.tid} 第二次出现，已忽略（保留第一次）", r.title_line)
                for line in r.lines:
                    if re.search(r"\d+\.\d", line_text(line)):
                        tr.unread(line, f"{r.tid} 重复出现的表中的数字未读入", table=r.tid)
                continue
            lay = var.layouts.get(r.tid)
            if lay is None:
                # a table the layout taken has not (a national table in a university's document, a
                # table of another region's layout): read by the layout whose title it bears
                lay = self.spec.variants[r.variant].layouts[r.tid]
                tr.note("table", f"{r.tid} 不在{var.name}表式中，按{r.variant}表式读取", r.title_line)
            if lay.kind == "form":
                # a table the kind reads as a form of its own (the 预算's 绩效目标表): its region to the
                # kind's form reader, every time its title is printed (one per project)
                self.table_forms.append((r.tid, flat(line_text(r.title_line)) + r.wrapped, [r.title_line, *r.lines]))
                continue
            tables[r.tid] = read_table(r, lay, cat, year, entity, tr, self.spec.row_identities)
            lays[r.tid] = (r, lay)
        for tid, t in list(tables.items()):
            if t.layout.kind == "function" and (tid, "合计") in tr.alternatives:
                # its 合计 row left tied: read again, deciding by the same facts in the other tables
                r, lay = lays[tid]
                tr.note("table", f"{tid} 合计行有几种读法：按其他表的同一数字重读", r.title_line)
                del tr.alternatives[(tid, "合计")]
                tr.unreadable[:] = [ev for ev in tr.unreadable if ev.get("table") != tid]
                tr.duplicates[:] = [ev for ev in tr.duplicates if ev.get("table") != tid]
                tables[tid] = read_table(r, lay, cat, year, entity, tr, self.spec.row_identities,
                                         known=tables, facts=self.spec.same_facts)
        resolve_across(tables, tr, self.spec.same_facts)
        if self.src.ocr_pages:
            from .ocr import mark_readings
            mark_readings(tables, self.src.ocr_pages, self.spec.confirming)
        for tid, t in tables.items():
            t.unread = [ev for ev in tr.unreadable if ev.get("table") == tid]
        return tables

    # -- parts -------------------------------------------------------------------------------
    def read_parts(self, doc: Document, parts_at, regions: list[Region], region_lines: set[int]) -> list:
        """The parts' sections, paragraphs and glossary; the lines of the attachments part, and of
        any part the kind reads itself. Returns the forms found in the attachments part."""
        tr = self.trace
        headless = set(self.headless)   # parts that begin without a heading line
        if not parts_at:
            # no part headings: the numbered sections are read from the whole text, and a run of
            # 名词解释 entries ("（一）…：指…") is the glossary
            parts_at = [(-1, "narrative", "", "")]
            tr.note("structure", "没有“第X部分”标题：全文按情况说明的章节读取")
            g = self._glossary_run(region_lines)
            if g is not None:
                parts_at.append((g, "glossary", "", "名词解释"))
                headless.add(g)
                tr.note("structure", "名词解释（没有标题，按词条认出）", self.lines[g])
        bounds = [i for i, *_ in parts_at] + [len(self.lines)]
        forms = []
        for n, (i, key, num, ptitle) in enumerate(parts_at):
            idxs = [j for j in range(i if i in headless else i + 1, bounds[n + 1])
                    if j not in self.skip and id(self.lines[j]) not in region_lines]
            part = Part(key=key, number=num, title=clean_text(ptitle),
                        source={**self.lines[i].place().to_dict()} if i >= 0 else {})
            if key != "attachments":
                idxs = self._take_forms(idxs, forms, part.title or key)
            if key == "glossary":
                part.paragraphs, doc.glossary = self.glossary(idxs)
            elif key == "attachments":
                if self.spec.find_forms is not None:
                    part_lines = [self.lines[j] for j in idxs]
                    forms.extend((k, t, part_lines[s:e]) for k, t, s, e in self.spec.find_forms(part_lines))
            elif key in ("profile", "narrative", "key_work", "other"):
                part.sections, part.paragraphs, _ = self.sections(idxs, key)
                reader = self.spec.read_part.get(key)
                if reader is not None:
                    reader(self, idxs, part.sections, doc)
            doc.parts.append(part)
        if doc.tables is not None and not any(p.key == "tables" for p in doc.parts):
            at = {id(line): i for i, line in enumerate(self.lines)}
            first = min(regions, key=lambda r: at.get(id(r.title_line), 0))
            pos = next((k for k, p in enumerate(doc.parts) if p.source.get("line", 0) and first.title_line.line
                        and p.source.get("page", 0) * 10000 + p.source["line"] >
                        (first.title_line.page or 0) * 10000 + first.title_line.line), len(doc.parts))
            doc.parts.insert(pos, Part(key="tables", number="", title=self.spec.tables_part_title,
                                       source={**first.title_line.place().to_dict()}))
            tr.note("structure", "没有“第X部分 决算表”标题：决算表部分按第一张表的位置补出", first.title_line)
        return forms

    def _take_forms(self, idxs: list[int], forms: list, where: str) -> list[int]:
        """Forms printed outside the attachments part (after 名词解释 without a part heading of their
        own, inside 情况说明, after the tables): added to ``forms`` and their lines taken out of
        the part's. Only titles with a form's lines under them count here (kind neither "unknown"
        nor "stray")."""
        if self.spec.find_forms is None or not idxs:
            return idxs
        part_lines = [self.lines[j] for j in idxs]
        found = [x for x in self.spec.find_forms(part_lines) if x[0] not in ("unknown", "stray")]
        if not found:
            return idxs
        taken: set[int] = set()
        for k, t, s, e in found:
            forms.append((k, t, part_lines[s:e]))
            taken.update(range(s, e))
            self.trace.note("form", f"{t}：印在“{where}”中，不在附件部分", part_lines[s])
        return [j for n, j in enumerate(idxs) if n not in taken]

    def _glossary_run(self, region_lines: set[int]) -> int | None:
        """The first line of three or more 名词解释 entries in a row ("（一）项目支出：指…")."""
        run: list[int] = []
        for i, line in enumerate(self.lines):
            if i in self.skip or id(line) in region_lines:
                continue
            if _GLOSSARY_ENTRY.match(flat(line_text(line))):
                run.append(i)
                if len(run) >= 3:
                    return run[0]
            elif _H1_RE.match(flat(line_text(line))) or _H2_RE.match(flat(line_text(line))):
                run = []
        return None

    def read_details(self, doc: Document) -> None:
        """Phone, unit type and placeholders left in the text."""
        for line in self.lines:
            m = _PHONE_RE.search(flat(line_text(line)))
            if m:
                doc.phone = m.group(1)
                break
        text_all = "".join(flat(line_text(line)) for line in self.lines if len(line.cells) <= 1)
        m = re.search(r"(?:我单位|本单位|本部门)(?:是|为|属于)[^。]{0,12}?"
                      r"(参照公务员法管理的事业单位|参公事业单位|行政单位|事业单位)", text_all)
        if m:
            doc.unit_type = "参公事业单位" if "参" in m.group(1) else m.group(1)
        doc.placeholders = sorted(set(re.findall(r"【待填写[:：][^】]*】", text_all)))

    # -- main --------------------------------------------------------------------------------
    def run(self) -> Parse:
        title, entity, year = self.title_entity_year()
        parts_at = self.find_parts()
        regions = self.filled_first(self.table_regions({i for i, *_ in parts_at}))
        region_lines = {id(line) for r in regions for line in r.lines} | {id(r.title_line) for r in regions} \
            | self.title_tails
        self.identify(title, regions, parts_at)
        narrative_at = next((i for i, key, *_ in parts_at if key == "narrative"), None)
        first_table = next((i for i, line in enumerate(self.lines) if regions and line is regions[0].title_line), None)
        after = None if narrative_at is None or first_table is None else first_table > narrative_at
        var = self.var = self.choose_variant(regions, year, after)
        tables = self.read_tables(regions, var, year, entity)
        order = (*var.order, *(t for t in tables if t not in var.order))
        tset = TableSet(tables=tables, order=order, variant=var.name, entity=entity, year=year) \
            if tables else None
        doc = Document(title=title, entity=entity, year=year, tables=tset)
        doc.level = infer_level(entity)
        forms = [*self.table_forms, *self.read_parts(doc, parts_at, regions, region_lines)]
        if forms and self.spec.read_forms is not None:
            self.spec.read_forms(self, forms, doc)
        self.read_details(doc)
        doc.source = {"file": self.src.path, "format": self.src.format, "pages": self.src.pages,
                      "notes": list(self.src.notes)}
        if self.src.ocr_pages:
            doc.source["ocr_pages"] = list(self.src.ocr_pages)
        return Parse(source=self.src, kind=self.spec.kind, document=doc, coverage=self.coverage(doc),
                     trace=self.trace, variant=var.name, regions=regions, tables=tables)

    def identify(self, title: str, regions: list[Region], parts: list) -> None:
        """Whether the file is a document of the kind at all. Its marks: a title saying so, a table
        title of the kind, its words (部门决算, 决算表); a fragment (a part, some sections, a
        form) passes when it uses the kind's word (决算) at least as often as a look-alike's. A
        file without them — an empty file, a notice, a 部门预算 — is refused with a message saying
        what it looks like (``InputError``, exit status 2), instead of being checked as a disclosure
        that lacks everything."""
        spec = self.spec
        if title or regions:
            return
        text = "".join(flat(line_text(line)) for line in self.lines)
        if spec.title_word in text or spec.table_word + "表" in text:
            return
        name = spec.name or spec.title_word
        own = text.count(spec.table_word)
        alike = max(((text.count(word), word, what) for word, what in spec.look_alikes if word in text),
                    key=lambda a: a[0], default=None)   # the most frequent; a tie: the first declared
        if alike is not None and alike[0] > own:
            n, word, what = alike
            why = f"没有{spec.table_word}表，也没有“{spec.title_word}”字样，倒像一份{what}（“{word}”出现 {n} 次）"
        elif own or parts or any(e in text for e in spec.form_title_ends):
            return   # a piece of one: read what there is
        else:
            why = f"没有找到{spec.table_word}表的标题，也没有“{spec.title_word}”“{spec.table_word}表”字样"
        raise InputError([Diagnostic(
            "error", f"不像一份{name}：{why}。请确认文件是否选对。", file=self.src.path, code="not-disclosure")])

    def coverage(self, doc: Document) -> Coverage:
        tables = {}
        rows = cells = values = 0
        ts = doc.tables
        var = self.var
        order = (*var.order, *(t for t in (ts.tables if ts else ()) if t not in var.order))
        as_forms = Counter(tid for tid, *_ in self.table_forms)
        for tid in order:
            t = ts.tables.get(tid) if ts else None
            if t is None and as_forms[tid]:
                tables[tid] = {"found": True, "form": True, "count": as_forms[tid]}
                continue
            if t is None:
                tables[tid] = {"found": False, **({"optional": True} if tid in var.optional else {})}
                continue
            n_rows = sum(1 for r in t.rows if r.label)
            n_cells = sum(len(r.cells) for r in t.rows if r.label)
            n_vals = sum(1 for r in t.rows if r.label for v in r.cells.values() if v)
            tables[tid] = {"found": True, "title": t.source.get("title", ""),
                           **{k: t.source[k] for k in ("page", "line") if k in t.source},
                           "rows": n_rows, "cells": n_cells, "values": n_vals, "unit": t.unit,
                           "empty": t.empty, "certainty": t.certainty()}
            if t.empty:
                tables[tid]["empty_sentence"] = bool(t.source.get("empty_sentence"))
            rows += n_rows
            cells += n_cells
            values += n_vals
        narrative = doc.part("narrative")
        return Coverage(
            format=self.src.format, lines=len(self.lines), pages=self.src.pages, tables=tables,
            rows_read=rows, cells_read=cells, values_read=values, parts=[p.key for p in doc.parts],
            sections=[s.key for s in doc.sections()],
            narrative_sections=len(narrative.sections) if narrative else 0,
            forms=dict(Counter(f.form_name for f in doc.forms)), glossary_entries=len(doc.glossary),
            glossary_terms=sum(1 for g in doc.glossary if not g.number[:1].isdigit()), phone=doc.phone,
            duplicates=list(self.trace.duplicates), unreadable=list(self.trace.unreadable),
            ocr_pages=list(self.src.ocr_pages),
            variant=var.name, variant_label=var.label, variant_note=self.variant_note,
            variant_default=var.name == self.spec.default_variant, kind=self.spec.kind, kind_title=self.spec.name)


def _has_figures(line: SourceLine) -> bool:
    return re.search(r"\d\.\d", line_text(line)) is not None


def variant_scores(regions: list[Region], variants, titles: Titles, year: int | None,
                   tables_last: bool | None = None) -> dict[str, float]:
    """How well each layout fits the tables found (the higher the better), by what is printed:

    * a table the layout does not have: −10 (it is another layout's);
    * a title the layout prints: +1, and +2 more when few layouts print it (a region's own title);
      a table the layout prints under another title: −2;
    * a printed number (公开03表, 表七): +2 when it is the table's place in the layout (its tables a
      document may leave out counted only when found), −1 when not;
      +1 when the layout numbers its tables in that style (公开01表 …);
    * the order: +1 for each table following the one before in the layout's order, −1 for each not;
    * −0.5 for each table the layout requires that was not found; −3 when the year is outside the
      years the layout was in use;
    * +1 when the tables stand where the layout prints them: before the narrative, or after it (附表).
    """
    firsts: dict[str, Region] = {}
    for r in regions:
        firsts.setdefault(r.tid, r)
    scores: dict[str, float] = {}
    for name, v in variants.items():
        s = 0.0
        style = re.sub(r"\{.*?\}.*", "", v.numbering)
        # the places numbers give: in the layout's order, without the tables it may leave out that
        # the document does not have
        places = [t for t in v.order if t in firsts or t not in v.optional]
        for tid, r in firsts.items():
            if tid not in v.layouts:
                s -= 10
                continue
            owners = titles.owners.get((r.alias, tid), frozenset())
            if name in owners:
                s += 1 + (2 if len(owners) * 2 <= len(variants) else 0)
            else:
                s -= 2     # the layout prints this table under another title
            if r.number:
                n = number_value(r.number)
                if n is not None and tid in places:
                    s += 2 if places.index(tid) + 1 == n else -1
                if style and r.number.startswith(style):
                    s += 1
        idx = [v.order.index(t) for t in firsts if t in v.order]
        s += sum(1 if b > a else -1 for a, b in zip(idx, idx[1:]))
        s -= 0.5 * sum(1 for t in v.required if t not in firsts)
        if not v.in_use(year):
            s -= 3
        if tables_last is not None and v.tables_last == tables_last:
            s += 1
        scores[name] = s
    return scores


_CHART_ITEM = re.compile(r"^(.+?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)万?元?(?:[（(]\s*([\d.]+)%\s*[)）])?$")


def _chart_text(chart: Chart, line: SourceLine) -> None:
    """Text drawn inside a chart: "单位：万元", bar figures, "2022年度 2023年度" axis labels,
    "基本支出353.78万元（27.33%）" pie labels."""
    from decimal import Decimal, InvalidOperation

    cells = [flat(c) for c in line.cells if c.strip()]
    for c in cells:
        if c.startswith(("单位", "金额单位")):
            chart.unit = "元" if c.endswith("元") and not c.endswith("万元") else "万元"
            continue
        if re.fullmatch(r"(?:19|20)\d{2}年度?", c):
            chart.labels.append(c)
            continue
        try:
            if re.fullmatch(r"[\d,]+(?:\.\d+)?", c):
                chart.values.append(Decimal(c.replace(",", "")))
                continue
            m = _CHART_ITEM.match(c)
            if m and not m.group(1)[-1:].isdigit():
                chart.labels.append(m.group(1))
                chart.values.append(Decimal(m.group(2).replace(",", "")))
                if m.group(3):
                    chart.kind = "pie"
        except InvalidOperation:
            continue


def _join_lines(lines: list[str]) -> str:
    """The lines of a paragraph as one text: a number broken by the line's end ("452.4" /
    "9万元", "1," / "294.48") is joined back whole; other breaks become a space (which
    :func:`clean_text` drops next to Chinese characters)."""
    out = lines[0] if lines else ""
    for nxt in lines[1:]:
        a, b = out.rstrip(), nxt.lstrip()
        in_number = bool(a and b) and (
            (a[-1].isdigit() and (b[0].isdigit() or b[0] in ".,")) or
            (a[-1] in ".," and len(a) > 1 and a[-2].isdigit() and b[0].isdigit()))
        out = a + ("" if in_number else " ") + b
    return out


def scanned_document(src: SourceDoc, spec: ParseSpec, reason: str) -> Parse:
    """A parse of a file without a text layer: no figures, a coverage saying why."""
    doc = Document(title="", entity="", year=None)
    doc.source = {"file": src.path, "format": src.format, "pages": src.pages, "notes": list(src.notes)}
    cov = Coverage(format=src.format, pages=src.pages, scanned=True,
                   tables={tid: {"found": False} for tid in spec.order},
                   unreadable=[{"text": "", "reason": reason}])
    return Parse(source=src, kind=spec.kind, document=doc, coverage=cov, trace=Trace())


def no_text(src: SourceDoc) -> str:
    """What is wrong with a file in which no text was found, by its format: a blank PDF is not a
    scan (a scan has page images; the PDF reader reads or refuses those), HTML whose text is all
    markup, script or images, a Word file without paragraphs, text that was all control characters."""
    blank = not src.lines or any(n.startswith("empty") for n in src.notes)
    if src.format == "pdf":
        if blank:
            return (f"PDF 中没有任何文字：共 {src.pages or 0} 页，既没有文字层，也没有扫描的页面图像（可能是空白页）。"
                    "请确认文件是否选对。")
        return ("读不出文字：PDF 的文字层中只有控制字符或无法识别的字符，文件可能已损坏。"
                "请用 PDF 阅读器打开后另存一份再试，或提供 Word、HTML 或文本文件。")
    if src.format == "html":
        return "HTML 中没有正文文字（只有标签、脚本、样式或图片）：请确认文件是否选对，或提供 PDF、Word 文件。"
    if src.format == "docx":
        if blank:
            return "Word 文件中没有文字：既没有段落，也没有表格。请确认文件是否选对。"
        return "Word 文件中没有文字：只有空白段落（或只有控制字符），请确认文件是否选对。"
    return "文件只有空白，没有文字：请确认文件是否选对。"


def recognize(src: SourceDoc, spec: ParseSpec) -> Parse:
    """Recognise the structure, tables and forms of ``src`` as a document of the kind ``spec``."""
    scanned = next((n for n in src.notes if n.lower().startswith("scanned:")), None)
    if scanned is not None:
        return scanned_document(src, spec, "扫描件：没有文字层，无法解析（需要 OCR）")
    if not any(line.text.strip() for line in src.lines):
        raise InputError([Diagnostic("error", no_text(src), file=src.path)])
    reset_text_cache()
    try:
        parse = Recognizer(src, spec).run()
    finally:
        reset_text_cache()
    for n in src.notes:
        if n.lower().startswith("scanned pages"):
            # some pages are images: what is on them was not read
            parse.coverage.unreadable.append({"text": n.split(":", 1)[-1].strip(),
                                              "reason": "扫描页：没有文字层，未读取"})
            parse.coverage.scanned_pages = n
    return parse
