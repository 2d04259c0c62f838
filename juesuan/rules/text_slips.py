"""JS6xx — text slips: wrong year, wrong unit name, placeholders, another government level.

Owns the checks on words rather than figures: years that are neither the
disclosure year nor the prior year, table/text naming another unit, template
placeholders left in (XX, ××, 【待填写…】), and a glossary that speaks of another
level of government than the entity's (a 区 unit's glossary saying 市级财政).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .engine import _REGION_RE, Context, Finding, hit
from .registry import rule

_LEVEL_WORDS = {
    "省": ("省级", "省直", "省本级"),
    "市": ("市级", "市直", "市本级"),
    "区": ("区级", "区直", "区本级"),
    "县": ("县级", "县直", "县本级"),
    "乡": ("乡级", "镇级", "乡镇级"),
}


def _texts(ctx: Context) -> list[tuple[str, dict]]:
    """(text, location) of every paragraph and section title (and the title), once per check."""
    if "texts" not in ctx.cache:
        ctx.cache["texts"] = list(_texts_uncached(ctx))
    return ctx.cache["texts"]


def _texts_uncached(ctx: Context):
    doc = ctx.doc
    labels = {id(s): lab for lab, s, _ in ctx.narrative_sections}
    for p in doc.parts:
        label = ctx.part_label(p.key)
        for para in p.paragraphs:
            yield para.text, {"part": label, "sentence": para.text} | _src(para.source)
        for s in p.walk():
            sec = labels.get(id(s), s.number)
            yield s.title, {"part": label, "section": sec, "sentence": s.title}
            for para in s.paragraphs:
                yield para.text, {"part": label, "section": sec, "sentence": para.text} | _src(para.source)
    if doc.title:
        yield doc.title, {"part": "标题", "sentence": doc.title}


def _src(source: dict) -> dict:
    return {k: source[k] for k in ("page", "line") if k in source}


@rule("JS601", "wrong-year", "年度写错", "warning", "publication")
def wrong_year(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    找出正文中“YYYY年度”“截至YYYY年12月31日”里既不是本年度也不是上年度的年份，以及标题年度与
    决算年度不同的表。

    ## 原因
    套用上年模板时最容易漏改年份。

    ## 错误示例
    2023 年度决算的情况说明写“2022年度收、支总计 1294.48 万元”之外又出现“2021年度”。

    ## 正确示例
    本年写 2023 年度，与上年比较时写 2022 年度。
    """
    y = ctx.doc.year
    if not y:
        return
    # the text part depends on the words only (the year is part of them): memoized by them
    yield from ctx.text_findings("JS601.text", lambda: _wrong_years_in_text(ctx, y))
    ts = ctx.doc.tables
    if ts is not None:
        for t in ts:
            if t.year and t.year != y:
                yield hit(f"{t.title}标注为 {t.year} 年度，本文件为 {y} 年度", [{"table": t.id}], [str(t.year)])


def _wrong_years_in_text(ctx: Context, y: int) -> Iterator[Finding]:
    for text, where in _texts(ctx):
        # plans for next year are normal outside 情况说明 (重点工作, 绩效改进措施)
        ok = {y, y - 1} if where.get("part") in ("第三部分", "标题") else {y, y - 1, y + 1}
        for m in _YEAR_RE.finditer(text):
            v = int(m.group(1))
            if v not in ok:
                yield hit(f"出现“{m.group(0)}”，本文件为 {y} 年度决算", [where], [m.group(1)])


_YEAR_RE = re.compile(r"(?<![\d〔\[（(])(20\d\d)\s*年(度|12月31日)")


@rule("JS602", "entity-name", "单位名称不一致", "warning", "publication")
def entity_name(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    表头“部门/编制单位”应是本单位；正文中以本单位名称主体（去掉地名后的部分，如“大数据中心”）
    结尾的名称，应是全称或全称的后缀（如“汉阳区大数据中心”），否则报告（例如套用了其他单位的模板）。

    ## 原因
    单位名称写错多因套用模板，会让读者怀疑整份文件。

    ## 错误示例
    武汉市汉阳区大数据中心的决算中出现“武汉市江岸区大数据中心”。

    ## 正确示例
    “武汉市汉阳区大数据中心”或简称“汉阳区大数据中心”。
    """
    name = (ctx.doc.entity or "").strip()
    if not name:
        return
    ts = ctx.doc.tables
    if ts is not None:
        for t in ts:
            if t.entity and t.entity.strip() != name and not name.endswith(t.entity.strip()):
                yield hit(f"{t.title}的编制单位为“{t.entity}”，与“{name}”不一致", [{"table": t.id}], [t.entity])
    yield from ctx.text_findings("JS602.text", lambda: _other_names_in_text(ctx, name))


def _other_names_in_text(ctx: Context, name: str) -> Iterator[Finding]:
    """Names of other units in the text (the words only: memoized by them)."""
    m = _REGION_RE.match(name)
    core = name[m.end():] if m else ""
    if len(core) < 3:
        return
    seen = set()
    for text, where in _texts(ctx):
        for found in _ending_in(text, core):
            if found.endswith(name) or name.endswith(found):
                continue
            # the preceding words may run into the name: accept when a suffix of ``found`` is a suffix of name
            if any(name.endswith(found[i:]) and _REGION_RE.match(found[i:]) and _REGION_RE.match(found[i:]).end() > 0
                   and found[i:] in name for i in range(len(found))):
                continue
            wrong = _other_region(found, core)
            if wrong is None or wrong in seen:
                continue
            seen.add(wrong)
            yield hit(f"出现单位名称“{wrong}”，与本单位“{name}”不一致", [where], [wrong])


def _ending_in(text: str, core: str, reach: int = 12) -> Iterator[str]:
    """Each ``core`` in ``text`` with up to ``reach`` Chinese characters before it.

    What ``re.finditer("[\u4e00-\u9fff]{0,12}" + core)`` finds, without compiling a
    pattern per unit name (≈ 2 ms each: the character class is a 20 000-code-point set).
    """
    start = 0
    while (i := text.find(core, start)) >= 0:
        j = i
        while j > start and i - j < reach and "\u4e00" <= text[j - 1] <= "\u9fff":
            j -= 1
        yield text[j:i + len(core)]
        start = i + len(core)


def _other_region(found: str, core: str) -> str | None:
    """The '<place><core>' at the end of ``found`` when it names a place, else None."""
    head = found[: -len(core)]
    for i in range(len(head)):
        m = _REGION_RE.match(head[i:])
        if m and m.end() == len(head) - i and m.end() > 0:
            return head[i:] + core
    return None


_PLACEHOLDER_RE = re.compile(r"【待填写[^】]*】|××+|ＸＸ+|(?<![A-Za-z])XX+(?![A-Za-z])|○○+|＿{2,}|_{3,}")


@rule("JS603", "template-placeholder", "模板占位符未替换", "warning", "publication", reads_tables=False)
def placeholders(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    找出正文中残留的模板占位符：XX、××、○○、下划线空格、【待填写：……】（juesuan 生成时对缺少的数据
    留下的标记）。

    ## 原因
    占位符说明该处内容没有填写。

    ## 错误示例
    “主要原因是【待填写：收、支总计增减的原因】。”；“XX局 2023 年度部门决算”。

    ## 正确示例
    “主要原因是压减了通信链路租赁费和运行维护费。”
    """
    groups: dict[tuple, tuple[list[dict], list[str]]] = {}
    for text, where in _texts(ctx):
        found = [m.group(0) for m in _PLACEHOLDER_RE.finditer(text)]
        if not found:
            continue
        locs, words = groups.setdefault((where.get("part"), where.get("section")), ([], []))
        locs.append(where)
        for w in found:
            if w not in words:
                words.append(w)
    for (part, sec), (locs, words) in groups.items():
        place = f"{part or ''}{sec or ''}"
        n = len(locs)
        yield hit(f"{place}残留占位符“{'”“'.join(words)}”" + (f"（{n} 处）" if n > 1 else ""), locs, words)


@rule("JS604", "glossary-government-level", "名词解释写了其他层级的政府", "warning", "publication", reads_tables=False)
def glossary_level(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    按单位层级（由数据给出，解析的文件从单位名称推断：“…区…”为区级）检查名词解释：区级单位的名词
    解释写“市级财政”“市直部门”等其他层级的说法，报警告。

    ## 原因
    名词解释常从上级政府的模板照抄，忘记改成本级。

    ## 错误示例
    武汉市汉阳区大数据中心：“一般公共预算财政拨款收入：指市级财政一般公共预算当年拨付的资金”；
    “‘三公’经费：……是指市直部门用财政拨款安排的……”。

    ## 正确示例
    “指区级财政一般公共预算当年拨付的资金”；“是指区直部门用财政拨款安排的……”。
    """
    level = ctx.level
    if level not in _LEVEL_WORDS:
        return
    other = [w for lv, ws in _LEVEL_WORDS.items() if lv != level for w in ws]
    pat = re.compile("(?:" + "|".join(map(re.escape, other)) + r")(?:财政|部门|单位|政府|预算|预决算)?")
    label = ctx.part_label("glossary")
    entries = [(f"{g.number}{g.term}：{g.text}", {"part": label, "section": g.number, "sentence": f"{g.term}：{g.text}"})
               for g in ctx.doc.glossary]
    if not entries:
        p = ctx.doc.part("glossary")
        if p is not None:
            entries = [(para.text, {"part": label, "sentence": para.text} | _src(para.source))
                       for para in p.paragraphs]
            entries += [(para.text, {"part": label, "section": s.number, "sentence": para.text} | _src(para.source))
                        for s in p.walk() for para in s.paragraphs]
    words: list[str] = []
    places: list[dict] = []
    for text, where in entries:
        found = pat.findall(text)
        if found:
            places.append(where)
            words += [w for w in found if w not in words]
    if words:
        secs = "".join(p.get("section", "") for p in places)
        yield hit(f"名词解释{secs}写“{'”“'.join(words)}”，本单位为{level}级单位，应为本级（{_LEVEL_WORDS[level][0]}）的说法",
                  places, words)
