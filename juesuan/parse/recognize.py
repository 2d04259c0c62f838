"""The recognizer: any ``SourceDoc`` (text, PDF, DOCX, HTML) → a :class:`~juesuan.parse.result.Parse`.

Owns the document structure, whatever the kind (its vocabulary comes in a
:class:`~juesuan.parse.spec.ParseSpec`), in named stages that :meth:`Recognizer.run` calls in
order and whose results the ``Parse`` keeps:

1. ``title_entity_year``: title, entity and year;
2. ``find_parts``: the parts (第一部分 … 第六部分, in any order, the 目录 skipped);
3. ``table_regions``: the tables' regions, each opened by a title of the kind's layouts;
4. ``read_tables``: each region read by :mod:`juesuan.parse.tabular` in the variant the titles
   and their order show, tied readings decided across tables;
5. ``read_parts``: numbered sections (一、 / （一）) with their paragraphs (lines broken by PDF
   extraction joined back, each keeping the place of its first line), charts, 名词解释
   entries, and what the kind reads of a part itself (the 决算's 重点工作 table);
6. ``read_forms``: the forms the kind attaches (the 决算's 绩效自评表);
7. ``coverage``: what was read and what could not be.

Every decision goes to a :class:`~juesuan.parse.trace.Trace` (shown by ``juesuan parse --debug``).
"""

from __future__ import annotations

import re
from collections import Counter

from ..catalog import catalog
from ..document import Chart, Document, GlossaryEntry, Paragraph, Part, Section
from ..tables.table import TableSet
from ..zh import cn_to_int, infer_level
from .cells import clean_text, flat, has_cjk, line_text, reset_text_cache, strip_bullet
from .result import Coverage, Parse
from .source import SourceDoc, SourceLine
from .spec import ParseSpec
from .tabular import Region, Titles, match_title, read_table, resolve_across
from .trace import Trace

__all__ = ["recognize", "Recognizer", "ITEM_RE"]

_PART_RE = re.compile(r"^第([一二三四五六七八九十]+)部分[:：、]?(.*)$")
_H1_RE = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．](.{2,60})$")
_H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[)）](.{2,60})$")
# "1.xxx" / "2、xxx" (not "1.5万元"; "1.0A系统" is item 1 about the "0A系统")
ITEM_RE = re.compile(r"^(\d{1,2})[.、．](?!\d+(?:\.\d+)?(?:[%％万元个倍项]|\s|$))\s*\S")
_FIG_RE = re.compile(r"^图\s*(\d{1,2})\s*[:：]?\s*(.+)$")
_END_PUNCT = tuple("。！？!?；;：:")
_LEADER = re.compile(r"^[\s.．。·…_\-—]*$")   # a cell of a contents line's dot leaders only


def _cells(line: SourceLine) -> int:
    """The cells of a line that hold something: not blank, not dot leaders (a contents line read
    from an image keeps some of its leaders as cells of their own)."""
    return sum(1 for c in line.cells if not _LEADER.match(c))


_PAGE_NO = re.compile(r"^(?:[-—–－]+\d{1,3}[-—–－]+|第\d{1,3}页(?:[,，/]?共\d{1,3}页)?|\d{1,3}/\d{1,3})$")
_PHONE_RE = re.compile(r"(?:咨询电话|联系电话|监督电话|电话)[:：]?\s*((?:\d{3,4}[-－—]?)?\d{7,8}(?:[-－]\d+)?)")


class Recognizer:
    """One recognition of ``src`` as a document of the kind ``spec`` describes (see the module)."""

    def __init__(self, src: SourceDoc, spec: ParseSpec):
        self.src = src
        self.spec = spec
        self.titles = Titles.of(spec.variants, spec.default_variant)
        self.trace = Trace()
        self.skip: set[int] = set()
        self.title_tails: set[int] = set()   # second lines of wrapped table titles
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
        word = re.escape(self.spec.title_word)
        for line in self.lines[:40]:
            f = flat(line_text(line))
            if not f:
                continue
            m = re.search(r"((?:19|20)\d{2})年度([^度].*?)" + word + r"(?:公开)?$", f) or \
                re.search(r"^(.+?)((?:19|20)\d{2})年度?" + word + r"(?:公开)?$", f)
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
                m = re.search(r"^(.+?)((?:19|20)\d{2})年度?" + word + r"(?:公开)?$", cover) or \
                    re.search(r"((?:19|20)\d{2})年度([^度].*?)" + word + r"(?:公开)?$", cover)
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
                # a wrapped part title: "…决算情况" + "说明"
                if nxt is not None and 0 < len(flat(line_text(nxt))) <= 4 and len(nxt.cells) <= 1 \
                        and self.spec.part_key(title + flat(line_text(nxt))) != self.spec.part_key(title):
                    title += flat(line_text(nxt))
                    self.skip.add(i + 1)
                heads.append((i, m.group(1), title))
        if toc_at is not None:
            seen: set[str] = set()
            body_start = None
            for i, num, _ in heads:
                if i < toc_at:
                    continue
                if num in seen:
                    body_start = i
                    break
                seen.add(num)
            if body_start is not None:
                self.skip.update(range(toc_at, body_start))
                self.trace.note("structure", f"目录：第 {toc_at + 1}–{body_start} 行，跳过", self.lines[toc_at])
                heads = [h for h in heads if h[0] >= body_start]
        elif heads:
            # a contents list without the word 目录: the part numbers come round a second time
            first_num = heads[0][1]
            again = next((i for i, num, _ in heads[1:] if num == first_num), None)
            if again is not None:
                self.skip.update(range(heads[0][0], again))
                self.trace.note("structure", f"目录（无“目录”字样）：第 {heads[0][0] + 1}–{again} 行，跳过",
                                self.lines[heads[0][0]])
                heads = [h for h in heads if h[0] >= again]
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
                text = clean_text(" ".join(buf))
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
            if m2 and cur1 is not None and not f.endswith("。") and "。" not in f[:-1] and cn_to_int(m2.group(1)):
                flush()
                num2 = cn_to_int(m2.group(1))
                cur2 = Section(f"（{m2.group(1)}）", clean_text(m2.group(2)),
                               key=f"{cur1.key}.{num2}", source={**line.place().to_dict()})
                cur1.subsections.append(cur2)
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
    def table_regions(self, stop_at: set[int]) -> list[Region]:
        regions: list[Region] = []
        cur: Region | None = None
        wrapped: set[int] = set()
        for i, line in enumerate(self.lines):
            if i in self.skip or i in wrapped:
                continue
            if i in stop_at:
                cur = None
                continue
            if len([c for c in line.cells if c.strip()]) <= 2:
                hit = match_title(line_text(line), self.titles)
                if hit is None and self.spec.table_word in line_text(line) and i + 1 < len(self.lines):
                    # a title wrapped over two lines: "……基本支出决算明" + "细表"
                    nxt = self.lines[i + 1]
                    tail = flat(line_text(nxt))
                    if 0 < len(tail) <= 8 and len(nxt.cells) <= 1 and match_title(tail, self.titles) is None:
                        hit = match_title(line_text(line) + tail, self.titles)
                        if hit:
                            wrapped.add(i + 1)
                            self.title_tails.add(id(nxt))
                if hit:
                    tid, vname, alias = hit
                    if cur is not None and cur.tid == tid:
                        self.trace.note("table", f"{tid} 续表（跨页重复标题）", line)
                        continue
                    cur = Region(tid, vname, line)
                    regions.append(cur)
                    self.trace.note("table", f"{tid} 标题（{alias}）", line, variant=vname)
                    continue
                f = flat(line_text(line))
                if f.endswith(self.spec.table_word + "表") and i not in self.skip:
                    self.trace.note("table", "像表格标题，但不是九张表之一，未采用", line)
                if cur is not None and self.spec.form_title_ends and f.endswith(self.spec.form_title_ends):
                    cur = None
                    continue
            if cur is not None:
                cur.lines.append(line)
        return regions

    # -- tables ------------------------------------------------------------------------------
    def choose_variant(self, regions: list[Region]):
        """The regional layout the tables are in: one whose own titles were found (a non-default
        variant's title), else one whose table order the document follows, else the default."""
        spec, tr = self.spec, self.trace
        names = Counter(r.variant for r in regions if r.variant != spec.default_variant)
        found_order = tuple(dict.fromkeys(r.tid for r in regions))
        if names:
            var = spec.variants[names.most_common(1)[0][0]]
        else:
            var = next((v for n, v in spec.variants.items() if n != spec.default_variant
                        and len(found_order) == len(v.order) and found_order == v.order),
                       spec.variants[spec.default_variant])
        tr.note("table", f"表式：{var.name}（表序 {'、'.join(found_order)}）")
        return var

    def read_tables(self, regions: list[Region], var, year: int | None, entity: str) -> dict:
        tr = self.trace
        cat = catalog(year or 2023)
        tables: dict = {}
        for r in regions:
            if r.tid in tables:
                tr.note("table", f"{r.tid} 第二次出现，已忽略（保留第一次）", r.title_line)
                for line in r.lines:
                    if re.search(r"\d+\.\d", line_text(line)):
                        tr.unread(line, f"{r.tid} 重复出现的表中的数字未读入", table=r.tid)
                continue
            tables[r.tid] = read_table(r, var.layouts[r.tid], cat, year, entity, tr, self.spec.row_identities)
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
        if not parts_at:
            # no "第X部分" headings: the numbered sections are read from the whole text
            parts_at = [(-1, "narrative", "", "")]
            tr.note("structure", "没有“第X部分”标题：全文按情况说明的章节读取")
        bounds = [i for i, *_ in parts_at] + [len(self.lines)]
        forms = []
        for n, (i, key, num, ptitle) in enumerate(parts_at):
            idxs = [j for j in range(i + 1, bounds[n + 1])
                    if j not in self.skip and id(self.lines[j]) not in region_lines]
            part = Part(key=key, number=num, title=clean_text(ptitle),
                        source={**self.lines[i].place().to_dict()} if i >= 0 else {})
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
            first = min(regions, key=lambda r: self.lines.index(r.title_line) if r.title_line in self.lines else 0)
            pos = next((k for k, p in enumerate(doc.parts) if p.source.get("line", 0) and first.title_line.line
                        and p.source.get("page", 0) * 10000 + p.source["line"] >
                        (first.title_line.page or 0) * 10000 + first.title_line.line), len(doc.parts))
            doc.parts.insert(pos, Part(key="tables", number="", title=self.spec.tables_part_title,
                                       source={**first.title_line.place().to_dict()}))
            tr.note("structure", "没有“第X部分 决算表”标题：决算表部分按第一张表的位置补出", first.title_line)
        if not any(p.key == "attachments" for p in doc.parts) and self.spec.find_forms is not None:
            forms.extend((k, t, self.lines[s:e]) for k, t, s, e in self.spec.find_forms(self.lines))
        return forms

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
        regions = self.table_regions({i for i, *_ in parts_at})
        region_lines = {id(line) for r in regions for line in r.lines} | {id(r.title_line) for r in regions} \
            | self.title_tails
        var = self.choose_variant(regions)
        tables = self.read_tables(regions, var, year, entity)
        tset = TableSet(tables=tables, order=var.order, variant=var.name, entity=entity, year=year) \
            if tables else None
        doc = Document(title=title, entity=entity, year=year, tables=tset)
        doc.level = infer_level(entity)
        forms = self.read_parts(doc, parts_at, regions, region_lines)
        if forms and self.spec.read_forms is not None:
            self.spec.read_forms(self, forms, doc)
        self.read_details(doc)
        doc.source = {"file": self.src.path, "format": self.src.format, "pages": self.src.pages,
                      "notes": list(self.src.notes)}
        if self.src.ocr_pages:
            doc.source["ocr_pages"] = list(self.src.ocr_pages)
        return Parse(source=self.src, kind=self.spec.kind, document=doc, coverage=self.coverage(doc),
                     trace=self.trace, variant=var.name, regions=regions, tables=tables)

    def coverage(self, doc: Document) -> Coverage:
        tables = {}
        rows = cells = values = 0
        ts = doc.tables
        for tid in self.spec.order:
            t = ts.tables.get(tid) if ts else None
            if t is None:
                tables[tid] = {"found": False}
                continue
            n_rows = sum(1 for r in t.rows if r.label)
            n_cells = sum(len(r.cells) for r in t.rows if r.label)
            n_vals = sum(1 for r in t.rows if r.label for v in r.cells.values() if v)
            tables[tid] = {"found": True, "title": t.source.get("title", ""),
                           **{k: t.source[k] for k in ("page", "line") if k in t.source},
                           "rows": n_rows, "cells": n_cells, "values": n_vals, "unit": t.unit,
                           "empty": t.empty}
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
            ocr_pages=list(self.src.ocr_pages))


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


def scanned_document(src: SourceDoc, spec: ParseSpec, reason: str) -> Parse:
    """A parse of a file without a text layer: no figures, a coverage saying why."""
    doc = Document(title="", entity="", year=None)
    doc.source = {"file": src.path, "format": src.format, "pages": src.pages, "notes": list(src.notes)}
    cov = Coverage(format=src.format, pages=src.pages, scanned=True,
                   tables={tid: {"found": False} for tid in spec.order},
                   unreadable=[{"text": "", "reason": reason}])
    return Parse(source=src, kind=spec.kind, document=doc, coverage=cov, trace=Trace())


def recognize(src: SourceDoc, spec: ParseSpec) -> Parse:
    """Recognise the structure, tables and forms of ``src`` as a document of the kind ``spec``."""
    scanned = next((n for n in src.notes if n.lower().startswith("scanned:")), None)
    if scanned is not None or not any(line.text.strip() for line in src.lines):
        empty = any(n.startswith("empty") for n in src.notes) or src.format != "pdf"
        return scanned_document(src, spec, "扫描件：没有文字层，无法解析（需要 OCR）" if scanned or not empty
                                else "文件中没有文字")
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
