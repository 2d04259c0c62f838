"""JS6xx — text slips: wrong year, wrong unit name, placeholders, another government level.

Owns the checks on words rather than figures: years that are neither the
disclosure year nor the prior year, table/text naming another unit, template
placeholders left in (XX, ××, 【待填写…】), and a glossary that speaks of another
level of government than the entity's (a 区 unit's glossary saying 市级财政).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from ...rules._memo import cached
from ...rules.context import Context, Finding, hit, per_check
from ...rules.registry import rule
from ...zh import REGION_RE
from .sections import level, part_label, section_labels

_LEVEL_WORDS = {
    "省": ("省级", "省直", "省本级"),
    "市": ("市级", "市直", "市本级"),
    "区": ("区级", "区直", "区本级"),
    "县": ("县级", "县直", "县本级"),
    "乡": ("乡级", "镇级", "乡镇级"),
}


@per_check
def _items(ctx: Context) -> list[tuple]:
    """(part, section, text, paragraph source) of each text the JS6xx rules read, once per check:
    paragraphs directly under a part (section None), section titles (source None) and their
    paragraphs, and last the title (part None). Only wanted for a document where something
    is found (see :func:`_words`); locations are built by :func:`_where`."""
    return _collect(ctx.doc, True)


@per_check
def _words(ctx: Context) -> str:
    """All the texts of :func:`_items` in one string, joined by NUL, once per check.

    Most documents have no wrong year, no placeholder and no other unit's name: one
    scan of this string (``in``, or a regex with a literal prefix) shows it, and no text
    is looked at one by one (nor an item tuple made: containers cost garbage-collector
    passes). NUL is neither a space, a digit nor part of anything the rules look for:
    nothing is found across two texts, and a look-behind at the start of a text sees no
    character it excludes.
    """
    return "\x00".join(_collect(ctx.doc, False))


def _collect(doc, places: bool) -> list:
    """The texts of :func:`_items` in order — as items when ``places``, else the strings only."""
    out: list = []
    add = out.append

    for p in doc.parts:
        for para in p.paragraphs:
            add((p, None, para.text, para.source) if places else para.text)
        # sections depth first, in document order (an explicit stack, not a recursive closure:
        # that would be a reference cycle left to the garbage collector after every check)
        stack = list(reversed(p.sections))
        while stack:
            s = stack.pop()
            add((p, s, s.title, None) if places else s.title)
            for para in s.paragraphs:
                add((p, s, para.text, para.source) if places else para.text)
            stack.extend(reversed(s.subsections))
    if doc.title:
        add((None, None, doc.title, None) if places else doc.title)
    return out


def _item_at(ctx: Context, pos: int) -> tuple:
    """The item of :func:`_items` whose text holds position ``pos`` of :func:`_words`."""
    return _items(ctx)[bisect_right(_item_starts(ctx), pos) - 1]


@per_check
def _item_starts(ctx: Context) -> list[int]:
    """Where the text of each item of :func:`_items` starts in :func:`_words`."""
    starts, at = [], 0
    for item in _items(ctx):
        starts.append(at)
        at += len(item[2]) + 1
    return starts


def _part_of(ctx: Context, part) -> str:
    return "标题" if part is None else part_label(ctx, part.key)


def _where(ctx: Context, item: tuple) -> dict:
    """The location of an item of :func:`_items`: part, section label (五（三）), sentence, page/line."""
    part, sec, text, source = item
    loc = {"part": _part_of(ctx, part)}
    if sec is not None:
        loc["section"] = section_labels(ctx).get(id(sec), sec.number)
    loc["sentence"] = text
    if source:
        loc |= _src(source)
    return loc


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
    yield from _wrong_years_in_text(ctx, y)
    ts = ctx.doc.tables
    if ts is not None:
        for t in ts:
            if t.year and t.year != y:
                yield hit(f"{t.title}标注为 {t.year} 年度，本文件为 {y} 年度", [{"table": t.id}], [str(t.year)])


def _wrong_years_in_text(ctx: Context, y: int) -> Iterator[Finding]:
    # every year any text could report is among those found in all the words (see _YEAR_ANY);
    # compared as written first (a year written with other digits than ASCII ones is read below)
    if {str(y), str(y - 1)}.issuperset(_YEAR_ANY.findall(_words(ctx))):
        return
    for item in _items(ctx):
        text = item[2]
        found = [m for m in _YEAR_RE.finditer(text)]
        if not found:
            continue
        # plans for next year are normal outside 情况说明 (重点工作, 绩效改进措施)
        # (the 情况说明 by its key: it is 第二部分 where the tables follow it as 附表)
        ok = {y, y - 1} if item[0] is None or item[0].key == "narrative" else {y, y - 1, y + 1}
        where = None
        for m in found:
            v = int(m.group(1))
            if v not in ok:
                where = where or _where(ctx, item)
                yield hit(f"出现“{m.group(0)}”，本文件为 {y} 年度决算", [where], [m.group(1)])


# "20dd年度" / "20dd年12月31日" not after a digit or an opening bracket. The look-behind is written
# after the "2" (checking the character before it): a look-behind first would make the regex engine
# try every position, a literal first lets it skip to each "2".
_YEAR_RE = re.compile(r"(2(?<![\d〔\[（(]2)0\d\d)\s*年(度|12月31日)")
# _YEAR_RE without its look-behind: a literal "20" prefix. It finds every match of _YEAR_RE and a few
# more (after a digit or bracket) — none overlapping a real one, since a real match cannot start
# inside "20dd年…" — so when all its years are fine, so are _YEAR_RE's.
_YEAR_ANY = re.compile(r"(20\d\d)\s*年(?:度|12月31日)")


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
    yield from _other_names_in_text(ctx, name)


def _other_names_in_text(ctx: Context, name: str) -> Iterator[Finding]:
    """Names of other units in the text."""
    m = REGION_RE.match(name)
    core = name[m.end():] if m else ""
    words = _words(ctx)
    if len(core) < 3 or core not in words or "\x00" in core:
        return
    seen = set()
    # over all the words at once: the Chinese characters looked at before a name stop at the NUL
    # between two texts, so this finds what each text would; the text is looked up for a finding
    for at, found in _ending_in(words, core):
        if found.endswith(name) or name.endswith(found):
            continue
        # the preceding words may run into the name: accept when a suffix of ``found`` is a suffix of name
        if any(name.endswith(found[i:]) and REGION_RE.match(found[i:]) and REGION_RE.match(found[i:]).end() > 0
               and found[i:] in name for i in range(len(found))):
            continue
        wrong = _other_region(found, core)
        if wrong is None or wrong in seen:
            continue
        seen.add(wrong)
        yield hit(f"出现单位名称“{wrong}”，与本单位“{name}”不一致", [_where(ctx, _item_at(ctx, at))], [wrong])


def _ending_in(text: str, core: str, reach: int = 12) -> Iterator[tuple[int, str]]:
    """Each ``core`` in ``text`` (its position) with up to ``reach`` Chinese characters before it.

    What ``re.finditer("[\u4e00-\u9fff]{0,12}" + core)`` finds, without compiling a
    pattern per unit name (≈ 2 ms each: the character class is a 20 000-code-point set).
    """
    start = 0
    while (i := text.find(core, start)) >= 0:
        j = i
        while j > start and i - j < reach and "\u4e00" <= text[j - 1] <= "\u9fff":
            j -= 1
        yield i, text[j:i + len(core)]
        start = i + len(core)


def _other_region(found: str, core: str) -> str | None:
    """The '<place><core>' at the end of ``found`` when it names a place, else None."""
    head = found[: -len(core)]
    for i in range(len(head)):
        m = REGION_RE.match(head[i:])
        if m and m.end() == len(head) - i and m.end() > 0:
            return head[i:] + core
    return None


# 【待填写…】, ××, ＸＸ, XX (not inside a Latin word), ○○, ＿＿, ___ — each alternative written
# after its first character, which a look-behind then tells apart: with a character class first
# the regex engine skips in C to the next candidate, where the plain alternation
# r"【待填写[^】]*】|××+|ＸＸ+|(?<![A-Za-z])XX+(?![A-Za-z])|○○+|＿{2,}|_{3,}" (same matches)
# tries all seven at every position (≈4× slower on a template full of placeholders).
_PLACEHOLDER_RE = re.compile(r"[【×ＸX○＿_](?:(?<=【)待填写[^】]*】|(?<=×)×+|(?<=Ｘ)Ｘ+"
                             r"|(?<=X)(?<![A-Za-z]X)X+(?![A-Za-z])|(?<=○)○+|(?<=＿)＿+|(?<=_)__+)")
# what every match of _PLACEHOLDER_RE contains: a document with none of these (nearly all) is
# cleared by a few substring searches of its words instead of a regex run over every text
# (with no literal prefix, the regex engine tries each position of each text)
_PLACEHOLDER_MARKS = ("【待填写", "××", "ＸＸ", "XX", "○○", "＿＿", "___")


@rule("JS603", "template-placeholder", "模板占位符未替换", "warning", "publication", reads_tables=False)
def placeholders(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    找出正文中残留的模板占位符：XX、××、○○、下划线空格、【待填写：……】（juesuan 生成时对缺少的数据
    留下的标记）。审核部门数据或工作簿时，juesuan 自己生成的文字中的【待填写】不报告（它们说明数据中
    哪些部分未填写，生成时逐处列出，审核时以一条提示说明）；审核已发布或待发布的文件时都报告。

    ## 原因
    占位符说明该处内容没有填写。

    ## 错误示例
    “主要原因是【待填写：收、支总计增减的原因】。”；“XX局 2023 年度部门决算”。

    ## 正确示例
    “主要原因是压减了通信链路租赁费和运行维护费。”
    """
    words = _words(ctx)
    # a one-character search (memchr) is ~20× faster than a two-character one: ask it first
    if not any(w[0] in words and w in words for w in _PLACEHOLDER_MARKS):
        return
    groups: dict[tuple, tuple[list[dict], list[str]]] = {}
    # the 【待填写】 juesuan itself left where data were not given (``doc.placeholders`` of a document built
    # from data) belong to the data, not to a text a person wrote: the build lists them, check does not
    own = set(ctx.doc.placeholders) if ctx.doc.generated else set()
    for item in _items(ctx):
        found = [w for m in _PLACEHOLDER_RE.finditer(item[2]) if (w := m.group(0)) not in own]
        if not found:
            continue
        where = _where(ctx, item)
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
    lvl = level(ctx)
    if lvl not in _LEVEL_WORDS:
        return
    pat = _other_level_re(lvl)
    # (text, location) — the location built only for an entry that names another level
    entries: list[tuple[str, Callable[[], dict]]] = []
    if ctx.doc.glossary:
        texts = [f"{g.number}{g.term}：{g.text}" for g in ctx.doc.glossary]
        if not _names_other_level("\x00".join(texts), lvl):     # the usual case: no entry to place
            return
        label = part_label(ctx, "glossary")
        entries = [(text, lambda g=g: {"part": label, "section": g.number, "sentence": f"{g.term}：{g.text}"})
                   for text, g in zip(texts, ctx.doc.glossary)]
    else:
        label = part_label(ctx, "glossary")
        p = ctx.doc.part("glossary")
        if p is not None:
            entries = [(para.text, lambda para=para: {"part": label, "sentence": para.text} | _src(para.source))
                       for para in p.paragraphs]
            entries += [(para.text, lambda s=s, para=para: {"part": label, "section": s.number, "sentence": para.text}
                         | _src(para.source))
                        for s in p.walk() for para in s.paragraphs]
    words: list[str] = []
    places: list[dict] = []
    for text, where in entries:
        found = pat.findall(text)
        if found:
            places.append(where())
            words += [w for w in found if w not in words]
    if words:
        secs = "".join(p.get("section", "") for p in places)
        yield hit(f"名词解释{secs}写“{'”“'.join(words)}”，本单位为{lvl}级单位，"
                  f"应为本级（{_LEVEL_WORDS[lvl][0]}）的说法", places, words)


@cached(maxsize=None)
def _other_level_words(level: str) -> tuple[str, ...]:
    """The words of the other levels of government than ``level`` (市级, 市直 …)."""
    return tuple(w for lv, ws in _LEVEL_WORDS.items() if lv != level for w in ws)


@cached(maxsize=None)
def _other_level_tails(level: str) -> tuple[re.Pattern, ...]:
    """Where a word of another level than ``level`` ends: one pattern per last character (级, 直),
    the word itself checked by look-behinds (one per length).

    Written with the literal first, as ``_YEAR_RE``: the regex engine skips in C to each 级 or 直,
    where :func:`_other_level_re`, starting with a character class, is tried at every position.
    """
    by_tail: dict[str, dict[int, list[str]]] = {}
    for w in _other_level_words(level):
        by_tail.setdefault(w[-1], {}).setdefault(len(w), []).append(re.escape(w))
    return tuple(re.compile(re.escape(tail) + "(?:" + "|".join(f"(?<={'|'.join(ws)})" for ws in by_len.values()) + ")")
                 for tail, by_len in by_tail.items())


def _names_other_level(text: str, level: str) -> bool:
    """Whether ``text`` holds a word of another level than ``level`` (``_other_level_re(level).search``)."""
    return any(p.search(text) for p in _other_level_tails(level))


@cached(maxsize=None)
def _other_level_re(level: str) -> re.Pattern:
    """The words of the other levels of government than ``level`` and what they qualify (市级财政, 市直部门 …)."""
    return re.compile("(?:" + "|".join(map(re.escape, _other_level_words(level)))
                      + r")(?:财政|部门|单位|政府|预算|预决算)?")


# ---------------------------------------------------------------------------------------
# JS605 other units' names left in a copied document, near-misses of the unit's own name

# what ends an organisation's name, longest first (a name ends at the first of these after its body)
_ORG_ENDS = ("委员会办公室", "管理委员会", "委员会", "办公室", "管理局", "管理处", "服务中心", "中心", "局", "委",
             "站", "所", "院", "学校", "学院", "大学", "医院", "馆", "队", "厅")
# characters no organisation's body holds (words between names, place suffixes: a name of another
# place under the unit's own is not looked at — conservative)
_NOT_IN_BODY = "的和及与等在为对向由从是了将并把被共各其年月日区县市镇乡省州"
# bodies every document names: the government, its finance and audit offices, the Party and
# congress bodies — named with the unit's place in any disclosure (汉阳区财政局, 汉阳区人民政府)
_GENERIC_BODIES = ("政府", "财政", "审计", "税务", "人大", "人民代表大会", "政协", "区委", "市委", "县委", "党委",
                   "纪委", "监委", "纪律检查", "监察", "机关事务", "国资", "发展和改革", "发改", "统计", "人力资源",
                   "编制", "编办", "组织部", "宣传部", "国库", "人民银行")


def _places(name: str) -> tuple[list[str], str]:
    """The place names at the start of a unit's name (武汉市, 汉阳区) and the rest (大数据中心)."""
    m = REGION_RE.match(name)
    if not m or not m.end():
        return [], name
    return [g for g in m.group("prov", "city", "dist", "town") if g], name[m.end():]


@cached(maxsize=64)
def _named_re(deepest: str, end: str) -> re.Pattern:
    """A name under the unit's own deepest place (汉阳区…局, 汉阳区…中心): the place, a body of 2–10
    characters none of :data:`_NOT_IN_BODY`, and the first organisation ending after it (one of
    :data:`_ORG_ENDS`, or ``end``, the last character of the unit's own name: 部 of 社会工作部).

    The place comes first, a literal the regex engine skips to; the higher places written before it
    (武汉市) are added by :func:`_with_higher`."""
    ends = _ORG_ENDS if end in _ORG_ENDS else (*_ORG_ENDS, end)
    body = f"(?:(?![{_NOT_IN_BODY}])[\u4e00-\u9fff]){{2,10}}?"
    return re.compile(f"{re.escape(deepest)}(?P<core>{body}(?:{'|'.join(map(re.escape, ends))}))")


def _with_higher(words: str, m: re.Match, higher: list[str]) -> tuple[str, int]:
    """The name found by ``m`` with the higher places written just before it (武汉市汉阳区…), and
    where it starts."""
    start = m.start()
    for p in reversed(higher):
        if start >= len(p) and words.startswith(p, start - len(p)):
            start -= len(p)
    return words[start:m.end()], start


def _distance(a: str, b: str, most: int) -> int:
    """The edit distance of ``a`` and ``b`` (insertions, deletions, substitutions), or ``most`` + 1
    when it is larger."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return min(row[-1], most + 1)


def _near_miss(core: str, own: str) -> bool:
    """Whether ``core`` is a misspelling of the unit's own ``own`` (大数椐中心 for 大数据中心):
    one edit apart, two when the name runs to 6 characters or more."""
    most = 2 if len(own) >= 6 else 1
    return core != own and len(own) >= 3 and _distance(core, own, most) <= most


def _declared_names(ctx: Context, pat: re.Pattern) -> set[str]:
    """The names the document declares itself: those of its 部门职责/机构设置 (its 下属单位, the
    bodies it works for), its forms' 主管部门/实施单位 and its tables' 编制单位."""
    out: set[str] = set()
    p = ctx.doc.part("profile")
    if p is not None:
        texts = [para.text for para in p.paragraphs]
        texts += [x for s in p.walk() for x in (s.title, *(para.text for para in s.paragraphs))]
        for text in texts:
            out.update(m.group("core") for m in pat.finditer(text))
    for f in ctx.doc.forms:
        for attr in ("supervisor", "implementer", "unit_name"):
            v = getattr(f, attr, "") or ""
            out.update(m.group("core") for m in pat.finditer(v))
    ts = ctx.doc.tables
    if ts is not None:
        for t in ts:
            out.update(m.group("core") for m in pat.finditer(t.entity or ""))
    return out


# words of a clause that speaks of another body as such (配合汉阳区城管局, 在汉阳区数据局的指导下),
# and the characters next to a name that make it one of several or the other party (向, 与, 、)
_RELATION_WORDS = ("配合", "会同", "协助", "协调", "联合", "共同", "指导", "领导", "主管", "隶属", "归口", "上级",
                   "委托", "移交", "划转", "转隶", "交办", "对接", "督办", "报送", "移送", "合并", "更名", "撤销")
_BEFORE_OTHER = "向与和及、同对为由经给原"
_AFTER_OTHER = "、和及与等"


def _with_another(words: str, start: int, end: int) -> bool:
    """Whether the name at ``words[start:end]`` is named as another body (a partner, a superior,
    one of a list), not as the subject the unit's own statements have."""
    clause = _clause_at(words, start)
    before = words[start - 1] if start else ""
    after = words[end] if end < len(words) else ""
    return (before in _BEFORE_OTHER and before != "") or (after in _AFTER_OTHER and after != "") \
        or any(w in clause for w in _RELATION_WORDS)


@rule("JS605", "other-unit-name", "出现其他单位名称或本单位名称写错", "warning", "publication", reads_tables=False)
def other_unit(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    找出正文中冠以本单位所在地名的其他单位名称（如汉阳区大数据中心的决算中出现“武汉市汉阳区城管局”），
    以及与本单位名称只差一两个字的写法（“汉阳区大数椐中心”）。文件自己说明的名称不报：部门职责、
    机构设置中出现的单位（下属单位、上级单位），绩效自评表的主管部门、实施单位；每份文件都会提到的
    机构（人民政府、财政局、审计局、区委、人大、政协等）也不报；作为另一方提到的单位（“配合……”
    “在……的指导下”“向……报送”、与其他单位并列）不报，只报处在本单位位置上的名称（“……局无车辆”）。不带地名的简称（“区城管局”）、本地
    下一级地方的单位（“武汉市江岸区……”出现在市级单位的文件中）不检查；其他地方同名单位由 JS602 检查。

    ## 原因
    决算公开常由上年或兄弟单位的文件改写而成，残留的其他单位名称或写错的本单位名称最先被读者发现。

    ## 错误示例
    武汉市汉阳区大数据中心：“截至2023年12月31日，武汉市汉阳区城管局无车辆。”；“汉阳区大数椐中心政府
    采购支出总额……”。

    ## 正确示例
    “截至2023年12月31日，武汉市汉阳区大数据中心无车辆。”；“为区政府科学决策提供信息支持”。
    """
    places, own = _places((ctx.doc.entity or "").strip())
    if not places or len(own) < 3:
        return
    words = _words(ctx)
    pat = _named_re(places[-1], own[-1])
    declared: set[str] | None = None
    seen: set[str] = set()
    spans: list[tuple[int, int]] = []       # where the names of the first pass are
    if places[-1] in words:
        for m in pat.finditer(words):
            (name, start), core = _with_higher(words, m, places[:-1]), m.group("core")
            spans.append((start, m.end()))
            if core == own or name in seen or any(g in core for g in _GENERIC_BODIES):
                continue
            if own.endswith(core) and len(core) >= 3:        # 数据中心 of 大数据中心: a shorter own name
                continue
            if declared is None:
                declared = _declared_names(ctx, pat)
            if core in declared:
                continue
            near = _near_miss(core, own)
            if not near and _with_another(words, start, m.end()):
                continue
            seen.add(name)
            where = _where(ctx, _item_at(ctx, start))
            if near:
                yield hit(f"“{name}”与本单位名称“{ctx.doc.entity}”相近，疑为本单位名称写错", [where], [name])
            else:
                yield hit(f"出现其他单位名称“{name}”，本文件为“{ctx.doc.entity}”的决算，疑为套用其他单位文件未改",
                          [where], [name])
    # a misspelt own name without its place (大数椐中心): a substitution off the first character
    # of a name of 5 characters or more, ending as the own name ends
    if len(own) >= 5:
        tail = own[-2:]
        start = 0
        while (i := words.find(tail, start)) >= 0:
            start = i + 1
            s = words[i + 2 - len(own): i + 2]
            if len(s) != len(own) or s == own or s[0] != own[0]:
                continue
            diff = [k for k in range(len(own)) if s[k] != own[k]]
            if len(diff) != 1 or not "\u4e00" <= s[diff[0]] <= "\u9fff" or s in seen:
                continue
            if any(a <= i < b for a, b in spans):
                continue
            seen.add(s)
            yield hit(f"“{s}”与本单位名称“{own}”相近，疑为本单位名称写错", [_where(ctx, _item_at(ctx, i))], [s])


# ---------------------------------------------------------------------------------------
# JS606 last year's dates left in

# the state at a year's end: 截至/截止 … 年12月31日 (年末, 年底)
_YEAR_END_RE = re.compile(r"截[至止]\s*(20\d\d)\s*年\s*(?:12\s*月\s*31\s*日|年?末|年?底)")
# a clause that begins with a year's 年度 (2023年度收、支总计…): the document's own year stated
_YEAR_LEAD_RE = re.compile(r"(?:^|(?<=[，,。；;：:！!？?\x00]))\s*(20\d\d)\s*年度")
# words of a comparison with an earlier year (与2022年度相比, 比2022年度决算数, 上年结转)
_COMPARED = ("与", "比", "较", "同期", "上年", "上一年", "去年", "以前", "增加", "减少", "增长", "下降", "持平",
             "结转", "结余", "变化", "变动", "决算数", "以来", "启动", "立项", "续建", "延续")
_CLAUSE_RE = re.compile(r"[^，,。；;！!？?\x00]*")


def _clause_at(text: str, at: int) -> str:
    """The clause of ``text`` (between commas, full stops, semicolons) that holds position ``at``."""
    start = max(text.rfind(c, 0, at) for c in "，,。；;！!？?\x00") + 1
    return _CLAUSE_RE.match(text, start).group(0)


@rule("JS606", "last-year-date", "沿用上年日期", "warning", "publication", reads_tables=False)
def last_year_date(ctx: Context) -> Iterator[Finding]:
    """
    ## 作用
    本年度决算中说明年末状况的日期写成上年（“截至2022年12月31日”出现在 2023 年度决算中），或以
    “2022年度”开头陈述本年数字（后者只查情况说明：“2022年度收、支总计 1294.48 万元”），报警告。
    与上年比较的说法（“与2022年度相比”“比2022年度决算数增长”“上年结转”）是正常的，不报；所在
    分句中有“与、比、较、增加、减少、结转、决算数、以来”等比较或追述用语的也不报。名词解释不检查。

    ## 原因
    套用上年文件时，年份常只改了标题和第一句；“截至上年12月31日”的资产情况读者会认为是旧数据。

    ## 错误示例
    2023 年度决算：“截至2022年12月31日，武汉市汉阳区大数据中心无车辆。”；“2022年度政府采购支出总额
    669.68万元”。

    ## 正确示例
    “截至2023年12月31日，……无车辆。”；“与2022年度相比，收、支总计各减少 438.13 万元”。
    """
    y = ctx.doc.year
    if not y:
        return
    last = str(y - 1)
    if last not in _words(ctx):
        return
    for item in _items(ctx):
        part, _, text, _ = item
        if last not in text or part is None or part.key == "glossary":
            continue
        found: list[str] = []
        for m in _YEAR_END_RE.finditer(text):
            if m.group(1) == last and not _compares(_clause_at(text, m.start()), m.group(0)):
                found.append(m.group(0))
        if part.key == "narrative":
            for m in _YEAR_LEAD_RE.finditer(text):
                if m.group(1) == last and not _compares(_clause_at(text, m.start(1)), ""):
                    found.append(f"{m.group(1)}年度")
        if found:
            yield hit(f"写“{'”“'.join(found)}”，本文件为 {y} 年度决算，应为 {y} 年", [_where(ctx, item)], found)


def _compares(clause: str, date: str) -> bool:
    """Whether ``clause`` compares with an earlier year (its words other than ``date``)."""
    rest = clause.replace(date, "", 1) if date else clause
    return any(w in rest for w in _COMPARED)
