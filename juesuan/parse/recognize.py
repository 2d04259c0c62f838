"""The recognizer: any ``SourceDoc`` (text, PDF, DOCX, HTML) → a ``Document``.

Owns the document structure: title, entity, year; the six parts (第一部分 … 第六部分, in
any order, the 目录 skipped); numbered sections (一、 / （一）) with their paragraphs
(lines broken by PDF extraction joined back into paragraphs, each keeping the place of
its first line); the nine tables (regions opened by a title from the layouts, read by
:mod:`juesuan.parse.tabular`); 重点工作 table; 名词解释 entries; the 附件 self-evaluation
tables (:mod:`juesuan.parse.attachments`); the phone number; and the coverage report.

Every decision goes to a :class:`~juesuan.parse.trace.Trace`; ``recognize`` puts the
coverage in ``doc.coverage`` and the trace in ``doc.source["trace"]`` (shown by
``juesuan parse --debug``).
"""

from __future__ import annotations

import re
from collections import Counter

from ..catalog import catalog
from ..document import Chart, Document, GlossaryEntry, KeyWorkRow, Paragraph, Part, Section
from ..final.identities import FUND_TABLE_FACTS, ROW_IDENTITIES
from ..final.layouts import VARIANTS
from ..tables.table import TableSet
from ..zh import cn_to_int, infer_level
from .attachments import find_performance_tables, partitions, read_overall, read_project
from .cells import clean_text, flat, has_cjk, line_text, reset_text_cache, strip_bullet
from .source import SourceDoc, SourceLine
from .tabular import Region, match_title, read_table, resolve_across
from .trace import Trace

__all__ = ["recognize"]

_PART_RE = re.compile(r"^第([一二三四五六七八九十]+)部分[:：、]?(.*)$")
_H1_RE = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．](.{2,60})$")
_H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[)）](.{2,60})$")
# "1.xxx" / "2、xxx" (not "1.5万元"; "1.0A系统" is item 1 about the "0A系统")
_ITEM_RE = re.compile(r"^(\d{1,2})[.、．](?!\d+(?:\.\d+)?(?:[%％万元个倍项]|\s|$))\s*\S")
_FIG_RE = re.compile(r"^图\s*(\d{1,2})\s*[:：]?\s*(.+)$")
_END_PUNCT = tuple("。！？!?；;：:")
_PAGE_NO = re.compile(r"^(?:[-—–－]+\d{1,3}[-—–－]+|第\d{1,3}页(?:[,，/]?共\d{1,3}页)?|\d{1,3}/\d{1,3})$")
_PHONE_RE = re.compile(r"(?:咨询电话|联系电话|监督电话|电话)[:：]?\s*((?:\d{3,4}[-－—]?)?\d{7,8}(?:[-－]\d+)?)")


def _part_key(title: str) -> str:
    t = flat(title)
    if "概况" in t or "职责" in t or "职能" in t:
        return "profile"
    if "情况说明" in t or t.endswith("说明"):
        return "narrative"
    if "决算表" in t or "报表" in t:
        return "tables"
    if "重点工作" in t:
        return "key_work"
    if "名词解释" in t:
        return "glossary"
    if "附件" in t or "绩效" in t:
        return "attachments"
    return "other"


class _Recognizer:
    def __init__(self, src: SourceDoc):
        self.src = src
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
        for line in self.lines[:40]:
            f = flat(line_text(line))
            if not f:
                continue
            m = re.search(r"((?:19|20)\d{2})年度([^度].*?)部门决算(?:公开)?$", f) or \
                re.search(r"^(.+?)((?:19|20)\d{2})年度?部门决算(?:公开)?$", f)
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
                m = re.search(r"^(.+?)((?:19|20)\d{2})年度?部门决算(?:公开)?$", cover) or \
                    re.search(r"((?:19|20)\d{2})年度([^度].*?)部门决算(?:公开)?$", cover)
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
        return title or (f"{year}年度{entity}部门决算公开" if entity and year else ""), entity, year

    def find_parts(self) -> list[tuple[int, str, str, str]]:
        """[(line index, key, number, title)] of the body, after skipping the 目录."""
        heads = []
        toc_at = None
        for i, line in enumerate(self.lines):
            f = flat(line_text(line))
            if f in ("目录", "目次") and toc_at is None:
                toc_at = i
            m = _PART_RE.match(f)
            if m and len(line.cells) <= 2:
                title = m.group(2)
                nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
                # a wrapped part title: "…决算情况" + "说明"
                if nxt is not None and 0 < len(flat(line_text(nxt))) <= 4 and len(nxt.cells) <= 1 \
                        and _part_key(title + flat(line_text(nxt))) != _part_key(title):
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
        if heads and not any(_part_key(t) == "tables" for _, _, t in heads):
            # the tables part titled without "第X部分": "…2024年度部门决算表"
            for i, line in enumerate(self.lines):
                if i in self.skip or i < heads[0][0] or len(line.cells) > 2:
                    continue
                f = flat(line_text(line))
                if re.fullmatch(r".{0,40}(?:19|20)\d{2}年度?部门决算(?:报)?表", f):
                    heads.append((i, "", f))
                    heads.sort()
                    break
        parts = []
        for i, num, title in heads:
            parts.append((i, _part_key(title), num, title))
            self.trace.note("structure", f"第{num}部分（{_part_key(title)}）", self.lines[i])
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
            is_item = bool(_ITEM_RE.match(t))
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
            if chart is not None and not (m1 or m2 or fig or _ITEM_RE.match(t)) and "。" not in f \
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
            if re.match(r"^[（(][一二三四五六七八九十]{1,3}[)）]|^[一二三四五六七八九十]{1,3}、", flat(t)) or _ITEM_RE.match(t) \
                    or _PHONE_RE.search(flat(t)):
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
            paras.append(Paragraph(text, kind="item" if _ITEM_RE.match(text) else "text",
                                   source={**first.place().to_dict()}))
            m = re.match(r"^([（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．])\s*(.*)$", text)
            if not m:
                continue
            number = m.group(1).replace("(", "（").replace(")", "）")
            body = m.group(2)
            mm = re.match(r"^([^:：]*)[:：](.*)$", body)
            term, expl = (mm.group(1), mm.group(2)) if mm else (body, "")
            entries.append(GlossaryEntry(number, term.strip().rstrip("。"), expl.strip()))
        return paras, entries

    # -- key work table -----------------------------------------------------------------------
    def key_work_rows(self, idxs: list[int], sections: list[Section]) -> list[KeyWorkRow]:
        rows: list[KeyWorkRow] = []
        for i in idxs:
            line = self.lines[i]
            cells = [c.strip() for c in line.cells]
            if len([c for c in cells if c]) < 2:
                continue
            if not re.fullmatch(r"\d{1,2}", cells[0] or ""):
                if "序号" in flat(line_text(line)):
                    self.trace.note("key_work", "重点工作表表头", line)
                elif rows:   # a wrapped row continues the previous one
                    r = rows[-1]
                    extra = [c for c in cells if c]
                    r.target = clean_text(r.target + "".join(extra))
                continue
            body = cells[1:] + ["", "", ""]
            number, title, target, completion = cells[0], body[0], body[1], body[2]
            if len([c for c in cells[1:] if c]) == 2 and not title:
                title = ""
            n = int(number)
            sec = next((s for s in sections if cn_to_int(s.number) == n), None)
            title = clean_text(title)
            if sec is not None and (not title or (sec.title.startswith(flat(title)) and flat(title) != sec.title)):
                self.trace.note("key_work", f"第 {n} 行重要事项不全（“{title}”），取第{sec.number}节标题", line)
                title = sec.title
            rows.append(KeyWorkRow(number, title, clean_text(target), clean_text(completion)))
        return rows

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
                hit = match_title(line_text(line))
                if hit is None and "决算" in line_text(line) and i + 1 < len(self.lines):
                    # a title wrapped over two lines: "……基本支出决算明" + "细表"
                    nxt = self.lines[i + 1]
                    tail = flat(line_text(nxt))
                    if 0 < len(tail) <= 8 and len(nxt.cells) <= 1 and match_title(tail) is None:
                        hit = match_title(line_text(line) + tail)
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
                if f.endswith("决算表") and i not in self.skip:
                    self.trace.note("table", "像表格标题，但不是九张表之一，未采用", line)
                if cur is not None and f.endswith("绩效自评表"):
                    cur = None
                    continue
            if cur is not None:
                cur.lines.append(line)
        return regions

    # -- main --------------------------------------------------------------------------------
    def run(self) -> Document:
        tr = self.trace
        title, entity, year = self.title_entity_year()
        parts_at = self.find_parts()
        part_lines = {i for i, *_ in parts_at}
        regions = self.table_regions(part_lines)
        region_lines = {id(line) for r in regions for line in r.lines} | {id(r.title_line) for r in regions} \
            | self.title_tails

        # variant: Shanghai names (T6 基本支出决算表, T8 收入支出决算表) or order
        vnames = Counter(r.variant for r in regions if r.variant != "national")
        found_order = tuple(dict.fromkeys(r.tid for r in regions))
        shanghai_order = VARIANTS["shanghai"].order
        is_sh = bool(vnames) or (len(found_order) == 9 and found_order == shanghai_order)
        var = VARIANTS["shanghai" if is_sh else "national"]
        tr.note("table", f"表式：{var.name}（表序 {'、'.join(found_order)}）")
        cat = catalog(year or 2023)
        tables = {}
        for r in regions:
            if r.tid in tables:
                tr.note("table", f"{r.tid} 第二次出现，已忽略（保留第一次）", r.title_line)
                for line in r.lines:
                    if re.search(r"\d+\.\d", line_text(line)):
                        tr.unread(line, f"{r.tid} 重复出现的表中的数字未读入", table=r.tid)
                continue
            tables[r.tid] = read_table(r, var.layouts[r.tid], cat, year, entity, tr, ROW_IDENTITIES)
        resolve_across(tables, tr, FUND_TABLE_FACTS)
        tset = TableSet(tables=tables, order=var.order, variant=var.name, entity=entity, year=year) \
            if tables else None

        doc = Document(title=title, entity=entity, year=year, tables=tset)
        doc.level = infer_level(entity)
        # parts
        if not parts_at:
            # no "第X部分" headings: the numbered sections are read from the whole text
            parts_at = [(-1, "narrative", "", "")]
            tr.note("structure", "没有“第X部分”标题：全文按情况说明的章节读取")
        bounds = [i for i, *_ in parts_at] + [len(self.lines)]
        perf_tables = []
        for n, (i, key, num, ptitle) in enumerate(parts_at):
            idxs = [j for j in range(i + 1, bounds[n + 1])
                    if j not in self.skip and id(self.lines[j]) not in region_lines]
            part = Part(key=key, number=num, title=clean_text(ptitle),
                        source={**self.lines[i].place().to_dict()} if i >= 0 else {})
            if key == "glossary":
                part.paragraphs, doc.glossary = self.glossary(idxs)
            elif key == "attachments":
                found = find_performance_tables([self.lines[j] for j in idxs])
                perf_tables.extend((k, t, [self.lines[j] for j in idxs][s:e]) for k, t, s, e in found)
            elif key in ("profile", "narrative", "key_work", "other"):
                part.sections, part.paragraphs, _ = self.sections(idxs, key)
                if key == "key_work":
                    doc.key_work_rows = self.key_work_rows(idxs, part.sections)
            doc.parts.append(part)
        if tset is not None and not any(p.key == "tables" for p in doc.parts):
            first = min(regions, key=lambda r: self.lines.index(r.title_line) if r.title_line in self.lines else 0)
            pos = next((k for k, p in enumerate(doc.parts) if p.source.get("line", 0) and first.title_line.line
                        and p.source.get("page", 0) * 10000 + p.source["line"] >
                        (first.title_line.page or 0) * 10000 + first.title_line.line), len(doc.parts))
            doc.parts.insert(pos, Part(key="tables", number="", title="部门决算表", source={**first.title_line.place().to_dict()}))
            tr.note("structure", "没有“第X部分 决算表”标题：决算表部分按第一张表的位置补出", first.title_line)
        if not any(p.key == "attachments" for p in doc.parts):
            found = find_performance_tables(self.lines)
            perf_tables.extend((k, t, self.lines[s:e]) for k, t, s, e in found)
        for kind, ptitle, lines in perf_tables:
            body = lines[1:]
            if kind == "overall":
                doc.overall = read_overall(ptitle, body, tr)
                doc.overall.source = {**lines[0].place().to_dict()}
            else:
                p = read_project(ptitle, body, tr)
                unresolved = p.source.pop("unresolved_budget", None)
                p.source = {**lines[0].place().to_dict()}
                if unresolved is not None:
                    self.resolve_budget(p, unresolved, doc)
                doc.projects.append(p)
        # phone, unit type
        for line in self.lines:
            m = _PHONE_RE.search(flat(line_text(line)))
            if m:
                doc.phone = m.group(1)
                break
        text_all = "".join(flat(line_text(line)) for line in self.lines if len(line.cells) <= 1)
        m = re.search(r"(?:我单位|本单位|本部门)(?:是|为|属于)[^。]{0,12}?(参照公务员法管理的事业单位|参公事业单位|行政单位|事业单位)", text_all)
        if m:
            doc.unit_type = "参公事业单位" if "参" in m.group(1) else m.group(1)
        doc.placeholders = sorted(set(re.findall(r"【待填写[:：][^】]*】", text_all)))
        doc.source = {"file": self.src.path, "format": self.src.format, "pages": self.src.pages,
                      "notes": list(self.src.notes), "trace": tr.events}
        doc.coverage = self.coverage(doc, regions)
        return doc

    def resolve_budget(self, p, unresolved: dict, doc: Document) -> None:
        """预算数/执行数/执行率 whose printed pieces do not give B/A: the narrative's 综述 of
        the same project says which reading it is (recorded as unreadable either way)."""
        pieces = unresolved["pieces"]
        where = SourceLine([unresolved["text"]], line=unresolved.get("line"), page=unresolved.get("page"))
        said = None
        narrative = doc.part("narrative")
        text = narrative and "".join(s.text for s in narrative.walk())
        if text and p.name:
            m = re.search(re.escape(p.name) + r"[^。]*?预算数为([\d.,]+)万元[，,]执行数为([\d.,]+)万元[，,]完成预算的([\d.]+%)",
                          text)
            if m:
                said = m.groups()
        cands = list(partitions(pieces))
        if said:
            for a, b, r in cands:
                if sum(x == y for x, y in zip((a, b, r), said)) >= 2:
                    p.budget, p.actual, p.rate = said
                    self.trace.unread(where, f"预算数/执行数/执行率文字无法辨认（{' '.join(pieces)}），"
                                      f"按情况说明取 {said[0]}/{said[1]}/{said[2]}",
                                      table="项目绩效自评表", project=p.name)
                    return
        if cands:
            p.budget, p.actual, p.rate = cands[0] if len(pieces) != 3 else tuple(pieces)
        self.trace.unread(where, f"预算数/执行数/执行率无法确定（{' '.join(pieces)}）",
                          table="项目绩效自评表", project=p.name)

    def coverage(self, doc: Document, regions: list[Region]) -> dict:
        tables = {}
        rows = cells = values = 0
        ts = doc.tables
        for tid in VARIANTS["national"].order:
            t = ts.tables.get(tid) if ts else None
            if t is None:
                tables[tid] = {"found": False}
                continue
            n_rows = sum(1 for r in t.rows if r.label)
            n_cells = sum(len(r.cells) for r in t.rows if r.label)
            n_vals = sum(1 for r in t.rows if r.label for v in r.cells.values() if v)
            tables[tid] = {"found": True, "title": t.source.get("title", ""), **{k: t.source[k] for k in ("page", "line") if k in t.source},
                           "rows": n_rows, "cells": n_cells, "values": n_vals, "unit": t.unit,
                           "empty": t.empty}
            if t.empty:
                tables[tid]["empty_sentence"] = bool(t.source.get("empty_sentence"))
            rows += n_rows
            cells += n_cells
            values += n_vals
        sections = [s.key for s in doc.sections()]
        return {
            "format": self.src.format,
            "lines": len(self.lines),
            "pages": self.src.pages,
            "scanned": False,
            "tables_found": sum(1 for v in tables.values() if v["found"]),
            "tables": tables,
            "rows_read": rows,
            "cells_read": cells,
            "values_read": values,
            "parts": [p.key for p in doc.parts],
            "sections_found": len(sections),
            "sections": sections,
            "narrative_sections": sum(1 for s in doc.part("narrative").sections) if doc.part("narrative") else 0,
            "projects_found": len(doc.projects),
            "overall_found": doc.overall is not None,
            "key_work_rows": len(doc.key_work_rows),
            "glossary_entries": len(doc.glossary),
            "glossary_terms": sum(1 for g in doc.glossary if not g.number[:1].isdigit()),
            "phone": doc.phone,
            "duplicates": list(self.trace.duplicates),
            "unreadable": list(self.trace.unreadable),
        }


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


def scanned_document(src: SourceDoc, reason: str) -> Document:
    """A Document for a file without a text layer: no figures, a coverage saying why."""
    doc = Document(title="", entity="", year=None)
    doc.source = {"file": src.path, "format": src.format, "pages": src.pages, "notes": list(src.notes)}
    doc.coverage = {"format": src.format, "pages": src.pages, "scanned": True, "tables_found": 0,
                    "tables": {tid: {"found": False} for tid in VARIANTS["national"].order},
                    "rows_read": 0, "cells_read": 0, "values_read": 0, "sections_found": 0,
                    "projects_found": 0, "unreadable": [{"text": "", "reason": reason}]}
    return doc


def recognize(src: SourceDoc) -> Document:
    """Recognise the structure, tables and attachments of ``src``."""
    scanned = next((n for n in src.notes if n.lower().startswith("scanned:")), None)
    if scanned is not None or not any(line.text.strip() for line in src.lines):
        empty = any(n.startswith("empty") for n in src.notes) or src.format != "pdf"
        return scanned_document(src, "扫描件：没有文字层，无法解析（需要 OCR）" if scanned or not empty
                                else "文件中没有文字")
    reset_text_cache()
    try:
        doc = _Recognizer(src).run()
    finally:
        reset_text_cache()
    for n in src.notes:
        if n.lower().startswith("scanned pages"):
            # some pages are images: what is on them was not read
            doc.coverage["unreadable"].append({"text": n.split(":", 1)[-1].strip(),
                                               "reason": "扫描页：没有文字层，未读取"})
            doc.coverage["scanned_pages"] = n
    return doc
