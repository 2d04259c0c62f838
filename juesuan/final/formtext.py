"""The 绩效自评表 as text: tokens, values, indicator levels, and rows whose cells were lost.

A 自评表 reaches the reader as lines of cells (DOCX/HTML/PDF grids, tab-separated text) or as
lines of run-together text (a PDF or web page copied as text: blank cells vanish, a long cell
wraps onto lines of its own). This module reads the second kind:

* :func:`tokens` — a line's words, with what extraction splits put back together ("≥3300" +
  "条", "1, 294. 48");
* :func:`value_like`, :func:`is_score` — what a target/actual value and a 分值/得分 look like;
* :func:`indicator_from_cells` / :func:`indicator_from_tokens` — one indicator row, by the
  header's columns or from the right (values last, names first), saying whether it was sure;
* :class:`Fragments` — lines holding only a piece of a wrapped name, joined to the row they
  belong to (above, below, or both: how centred and top-aligned cells extract);
* :func:`rate_ok` — whether 执行数/预算数 gives the printed 执行率 (intervals of the shown figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..figures import interval, percent_interval, places
from ..parse.cells import best_match, clean_text, flat
from .forms import IndicatorRow

__all__ = ["LEVEL1", "LEVEL2_TO_1", "tokens", "value_like", "is_score", "is_dash", "is_amount", "rate_ok",
           "indicator_roles", "indicator_from_cells", "indicator_from_tokens", "Fragments", "level1_of",
           "read_indicator_block"]

LEVEL1 = ("成本指标", "产出指标", "效益指标", "满意度指标", "部门管理", "履职效能", "社会效应",
          "可持续发展能力", "满意度")
LEVEL2_TO_1 = {
    "数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标",
    "经济成本指标": "成本指标", "社会成本指标": "成本指标", "生态环境成本指标": "成本指标",
    "经济效益指标": "效益指标", "社会效益指标": "效益指标", "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标", "服务对象满意度": "满意度指标", "服务对象满意度指标": "满意度指标",
}

# what extraction separates from the number before it: units, and words that end a value
_UNITS = frozenset(("万人次", "人次", "万元", "万次", "万条", "万人", "元", "万", "个", "次", "篇", "条", "份", "件",
                    "台", "套", "人", "户", "项", "天", "日", "小时", "分钟", "工作日", "秒", "%", "期", "批", "家",
                    "所", "座", "公里", "米", "平方米", "亩", "处", "场", "册", "本", "部", "辆", "年", "月", "年底",
                    "年末", "以上", "以内", "以下", "左右", "TB", "GB", "万册", "万份", "万件"))
_CMP = ("≥", "≤", ">", "<", "＞", "＜", "≧", "≦", "=", "＝")
_QUALITATIVE = frozenset((
    "达成预期指标", "达成预期目标", "达成预期", "达到预期", "达标", "已达标", "未达标", "完成", "已完成", "未完成",
    "按时完成", "全部完成", "基本完成", "健全", "完善", "较完善", "是", "否", "无", "有", "好", "较好", "良好", "优",
    "优秀", "良", "中", "差", "合格", "及时", "有效", "显著", "明显", "提升", "提高", "有所提升", "逐步提升",
    "持续提升", "明显提升", "降低", "下降", "稳定", "正常", "满意", "基本满意", "符合", "符合要求", "达到", "未达到",
    "规范", "安全", "准确", "按计划", "按期", "长期", "持续", "增强", "改善", "明显改善"))
_NUM_SPACES = (re.compile(r"(\d),\s+(\d{3})"), re.compile(r"(\d)\.\s+(\d)"))
_SCORE_RE = re.compile(r"\d{1,3}(?:\.\d{1,2})?")
_AMOUNT_RE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_DASHES = frozenset(("—", "-", "–", "--", "——", "/", "－"))


def tokens(text: str) -> list[str]:
    """The words of a run-together line: split at spaces, with a unit or a lone comparison sign
    joined back to its number ("≥", "3300", "条" → "≥3300条") and spaces inside numbers dropped."""
    for rx in _NUM_SPACES:
        text = rx.sub(r"\1\2", text) if rx.search(text) else text
    out: list[str] = []
    for t in text.split():
        if out and t in _UNITS and out[-1][-1:].isdigit():
            out[-1] += t
        elif out and out[-1] in _CMP:
            out[-1] += t
        else:
            out.append(t)
    return out


def is_score(tok: str) -> bool:
    """A 分值/得分 as printed: a plain number up to 100 with at most two decimals."""
    return _SCORE_RE.fullmatch(tok) is not None and Decimal(tok) <= 100


def is_amount(tok: str) -> bool:
    return _AMOUNT_RE.fullmatch(tok) is not None


def is_dash(tok: str) -> bool:
    return tok in _DASHES


def value_like(tok: str) -> bool:
    """Does ``tok`` look like a target or actual value (a quantity, a rate, 达成预期指标 …) rather
    than the name of an indicator?"""
    if not tok:
        return False
    if tok in _QUALITATIVE or tok.startswith(_CMP):
        return True
    if any(ch.isdigit() for ch in tok):
        cjk = sum(1 for ch in tok if "\u3400" <= ch <= "\u9fff")
        return len(tok) <= 12 or cjk <= 4
    return False


def rate_ok(a: str, b: str, r: str) -> bool:
    """Does 执行数 ``b`` / 预算数 ``a`` give the printed rate ``r`` ("73.83%")? 自评表 amounts are
    printed trimmed ("35" for 35.00): they are read to at least two decimals."""
    try:
        da, db = Decimal(a.replace(",", "")), Decimal(b.replace(",", ""))
        dr = Decimal(r.rstrip("%").replace(",", ""))
    except InvalidOperation:
        return False
    if da <= 0:
        return False
    calc = percent_interval(interval(db, max(places(db), 2)), interval(da, max(places(da), 2)))
    return calc is not None and calc.overlaps(interval(dr, max(places(dr), 2)))


# ----------------------------------------------------------------------------- indicator rows

_ROLE_WORDS = (("一级", "level1"), ("二级", "level2"), ("三级", "level3"), ("指标分类", "category"),
               ("指标值", "target"), ("目标值", "target"), ("完成值", "actual"), ("分值", "weight"),
               ("得分", "score"), ("偏差", "note"), ("原因", "note"), ("措施", "note"))


def _role(cell: str) -> str:
    f = flat(cell)
    return next((role for word, role in _ROLE_WORDS if word in f), "")


def indicator_roles(header_cells: list[str]) -> list[str]:
    """The role of each cell of an indicator header ("" for the block's label column); a header
    run together into one cell gives the roles in the order its words are printed."""
    cells = [c for c in header_cells]
    if len([c for c in cells if c.strip()]) == 1:
        f = flat("".join(cells))
        found = sorted((f.find(w), role) for w, role in _ROLE_WORDS if w in f)
        roles: list[str] = []
        for _, role in found:
            if role not in roles:
                roles.append(role)
        return roles
    return [_role(c) for c in cells]


def level1_of(text: str) -> str | None:
    """The 一级指标 a cell names (fuzzily: extraction garbles them), or the one its 二级指标 implies."""
    f = flat(text)
    if not f:
        return None
    hit, _ = best_match(f, LEVEL1, 0.75)
    return hit


def _level2_word(text: str) -> bool:
    f = flat(text)
    return f in LEVEL2_TO_1 or f.endswith(("指标", "满意度")) and len(f) <= 9


@dataclass
class Reading:
    """An indicator row read from a line, with whether every cell was placed for sure, and whether
    its values could be read at all (``lost``: a row is there, its 目标值/完成值 are not)."""
    row: IndicatorRow
    sure: bool = True
    why: str = ""
    lost: bool = False


def indicator_from_cells(cells: list[str], roles: list[str], prev: IndicatorRow | None) -> Reading | None:
    """An indicator row from a line with as many cells as the header (a grid or tab-separated text):
    each cell by its column; a 一级/二级 cell left blank continues the row above (merged cells)."""
    vals = {r: clean_text(c) for c, r in zip(cells, roles) if r}
    if not any(vals.values()):
        return None
    row = IndicatorRow(level1=vals.get("level1", ""), level2=vals.get("level2", ""),
                       level3=vals.get("level3", ""), category=vals.get("category", ""),
                       target=vals.get("target", ""), actual=vals.get("actual", ""),
                       weight=vals.get("weight", ""), score=vals.get("score", ""), note=vals.get("note", ""))
    _inherit(row, prev)
    return Reading(row)


def _inherit(row: IndicatorRow, prev: IndicatorRow | None) -> None:
    hit = level1_of(row.level1) if row.level1 else None
    if hit:
        row.level1 = hit
    elif row.level2 and flat(row.level2) in LEVEL2_TO_1 and (prev is None or not prev.level1):
        row.level1 = LEVEL2_TO_1[flat(row.level2)]
    elif prev is not None and not row.level1:
        row.level1 = prev.level1
    if not row.level2 and prev is not None and prev.level1 == row.level1:
        row.level2 = prev.level2


def indicator_from_tokens(toks: list[str], roles: list[str], prev: IndicatorRow | None) -> Reading | None:
    """An indicator row from the words of a run-together line, read from the right: 得分 and 分值
    (two plain numbers, perhaps followed by the 偏差 words), 实际完成值 and 目标值, 指标分类 (…型),
    then the names: 一级 (a known word), 二级, and the rest the 三级指标. None: no row (a piece of a
    wrapped cell). Not sure when a value or a name had to be guessed (a lone value is read as the
    目标值); lost when the values could not be told at all."""
    tail = roles[roles.index("level3") + 1:] if "level3" in roles else ["target", "actual"]
    rest = list(toks)
    # a merged 一级指标 cell is drawn after the rows it spans: its words end a line ("… 健全 健全 效益指标")
    while len(rest) >= 3 and not value_like(rest[-1]) and len(flat(rest[-1])) <= 6 and level1_of(rest[-1]):
        rest.pop()
    sure, why = True, ""
    weight = score = note = ""
    if "weight" in tail and "score" in tail:
        j = next((k for k in range(len(rest) - 1, 0, -1)
                  if is_score(rest[k]) and is_score(rest[k - 1])
                  and not any(is_score(t) for t in rest[k + 1:])), None)
        if j is None:
            return None
        weight, score = rest[j - 1], rest[j]
        note = clean_text(" ".join(rest[j + 1:]))
        rest = rest[:j - 1]
    elif len(rest) < 2 and not (rest and value_like(rest[-1])):
        return None
    if not rest:
        return Reading(IndicatorRow(weight=weight, score=score, note=note), False, "目标值、完成值未印", True)
    if len(rest) >= 2 and value_like(rest[-1]) and value_like(rest[-2]):
        target, actual = rest[-2], rest[-1]
        rest = rest[:-2]
    elif value_like(rest[-1]):
        # one value: a blank target or actual (a blank cell vanished); read as the target
        target, actual = rest[-1], ""
        rest = rest[:-1]
        sure, why = False, "目标值或完成值只有一个，未能确定是哪一个"
    elif len(rest) >= 3:
        # values in words ("中心城区第五名"): sure when the names before them fill their columns
        # (一级 + 二级 + 三级, or 二级 + 三级 under a merged 一级)
        full = (len(rest) == 5 and level1_of(rest[0]) is not None) or \
            (len(rest) == 4 and _level2_word(rest[0]) and level1_of(rest[0]) is None)
        target, actual = rest[-2], rest[-1]
        rest = rest[:-2]
        if not full:
            sure, why = False, "目标值、完成值不像数值"
    elif weight:
        # the 分值 and 得分 make it a row; its other words are pieces of wrapped cells
        return Reading(IndicatorRow(level3=clean_text(" ".join(rest)), weight=weight, score=score, note=note),
                       False, "目标值、完成值未能读出", True)
    else:
        return None
    category = ""
    if "category" in tail and rest and flat(rest[-1]).endswith("型") and len(flat(rest[-1])) <= 6:
        category = rest.pop()
    level1 = level2 = ""
    if rest and level1_of(rest[0]) and flat(rest[0]) not in LEVEL2_TO_1:
        level1 = level1_of(rest[0]) or ""
        rest = rest[1:]
        if len(rest) >= 2:
            level2, rest = rest[0], rest[1:]
        elif len(rest) == 1 and _level2_word(rest[0]):
            level2, rest = rest[0], []
    elif len(rest) >= 2:
        level2, rest = rest[0], rest[1:]
    elif len(rest) == 1 and _level2_word(rest[0]) and (prev is None or flat(rest[0]) != flat(prev.level2)):
        level2, rest = rest[0], []
    row = IndicatorRow(level1=level1, level2=clean_text(level2), level3=clean_text(" ".join(rest)),
                       category=clean_text(category), target=clean_text(target), actual=clean_text(actual),
                       weight=weight, score=score, note=note)
    _inherit(row, prev)
    return Reading(row, sure, why)


# ----------------------------------------------------------------------------- wrapped names

@dataclass
class Fragments:
    """Rows and the pieces of wrapped names between them, in the order of the lines. A piece
    joins the name of a row: those before the first row prefix it, those after the last suffix
    it; between two rows, two pieces are the end of the upper name and the start of the lower
    (a centred cell wraps around its row), one piece ends the upper name unless the upper row
    had no piece before it and the lower row has one after it."""
    items: list[tuple[str, object]] = field(default_factory=list)   # ("row", Reading) | ("piece", text)

    def row(self, r: Reading) -> None:
        self.items.append(("row", r))

    def piece(self, text: str) -> None:
        self.items.append(("piece", text))

    def resolve(self) -> list[Reading]:
        rows = [x for k, x in self.items if k == "row"]
        if not rows:
            return []
        groups: list[list[str]] = [[]]       # pieces before row 0, between 0 and 1, …, after the last
        for kind, x in self.items:
            if kind == "row":
                groups.append([])
            else:
                groups[-1].append(x)          # type: ignore[arg-type]
        pre: list[list[str]] = [[] for _ in rows]
        post: list[list[str]] = [[] for _ in rows]
        pre[0] = groups[0]
        post[-1] = groups[-1]
        for i in range(len(rows) - 1):
            g = groups[i + 1]
            if not g:
                continue
            if len(g) >= 2:
                post[i], pre[i + 1] = g[:1], g[1:]
            elif not pre[i] and groups[i + 2]:
                pre[i + 1] = g
            else:
                post[i] = g
        for r, a, b in zip(rows, pre, post):
            if a or b:
                r.row.level3 = clean_text("".join(a) + r.row.level3 + "".join(b))   # type: ignore[union-attr]
        return rows   # type: ignore[return-value]


# ----------------------------------------------------------------------------- a block of indicator rows

_HEADER_WORDS = ("一级指标二级指标三级指标指标分类年度指标值年初目标值（A）（a）实际完成值（B）（b）分值得分"
                 "偏差原因分析及改进措施")


class _Loose:
    """Rows whose cells do not line up with the header (cells dropped by an extraction that kept
    tabs): values are the last two cells, names before them by the header's columns."""

    def __init__(self, hcells: list[str]):
        self.h = len(hcells)
        self.has_cat = any("指标分类" in c for c in hcells)
        self.l1 = next((i for i, c in enumerate(hcells) if "一级" in c), None)
        self.l2 = next((i for i, c in enumerate(hcells) if "二级" in c), None)
        self.t = next((i for i, c in enumerate(hcells) if "目标值" in c or "指标值" in c), None)
        self.a = next((i for i, c in enumerate(hcells) if "完成值" in c), None)

    def read(self, line_cells: list[str], prev: IndicatorRow | None) -> IndicatorRow | str | None:
        """A row; a string: the rest of the name of the row above (its 三级指标 wrapped onto this line)."""
        cells = [c.strip() for c in line_cells]
        h = self.h
        if len(cells) > h > 0 and not any(c for c in cells[h:]):
            cells = cells[:h]
        n = len(cells)
        if n < 2:
            return None
        if n == h and self.t is not None and self.a is not None and self.t < self.a < n:
            target, actual, body = cells[self.t], cells[self.a], cells[:self.t]
        else:
            target, actual, body = cells[-2], cells[-1], cells[:-2]
        category = ""
        if self.has_cat and n >= h and body:
            category, body = body[-1], body[:-1]
        l2i = self.l2 if self.l2 is not None else 1
        l2 = body[l2i] if l2i < len(body) else ""
        l1_cell = (body[self.l1] if self.l1 is not None and self.l1 < len(body)
                   else body[l2i - 1] if l2i >= 1 and l2i - 1 < len(body) else "")
        l3 = "".join(body[l2i + 1:]) if l2i + 1 <= len(body) else ""
        level1 = prev.level1 if prev is not None else ""
        hit, _ = best_match(flat(l1_cell), LEVEL1, 0.75) if l1_cell else (None, 0)
        l2c = flat(l2)
        if hit:
            level1 = hit
        elif l2c and (l2c in LEVEL2_TO_1 or best_match(l2c, LEVEL2_TO_1, 0.85)[0]):
            key = l2c if l2c in LEVEL2_TO_1 else best_match(l2c, LEVEL2_TO_1, 0.85)[0]
            level1 = LEVEL2_TO_1[key]  # type: ignore[index]
        if prev is not None and not clean_text(l2) and not clean_text(target) and not clean_text(actual) \
                and clean_text(l3) and not prev.level3:
            return clean_text(l3)
        if not clean_text(l2) and prev is not None and prev.level1 == level1:
            l2 = prev.level2
        return IndicatorRow(level1=level1, level2=clean_text(l2), level3=clean_text(l3),
                            category=clean_text(category), target=clean_text(target), actual=clean_text(actual))


def read_indicator_block(block: list, header, default_roles: list[str], trace, where: dict,
                         by_cells: bool = True) -> tuple[list[IndicatorRow], str]:
    """The indicator rows of ``block`` (source lines): lines with the header's cells by column
    (``by_cells``; else as :class:`_Loose` reads them, the simple form's way), run-together
    lines from the right (:func:`indicator_from_tokens`), pieces of wrapped names joined to their
    rows (:class:`Fragments`). Lines that are no row are reported unread. Returns the rows and
    why they are not sure ("": they are)."""
    hcells = list(header.cells) if header is not None else []
    real_header = len([c for c in hcells if c.strip()]) > 1
    roles = indicator_roles(hcells) if header is not None else list(default_roles)
    h = len(hcells) if real_header else 0
    tok_roles = [r for r in roles if r] or list(default_roles)
    if not real_header and set(tok_roles) <= set(default_roles):
        tok_roles = list(default_roles)      # a header run together, perhaps wrapped: the form's columns
    loose = _Loose([flat(c) for c in hcells]) if real_header else None
    frags = Fragments()
    prev: IndicatorRow | None = None
    why = ""
    started = False
    for line in block:
        nonempty = [c for c in line.cells if c.strip()]
        if not nonempty:
            continue
        if not started and len(nonempty) == 1 and flat(nonempty[0]) in _HEADER_WORDS:
            continue       # the end of a wrapped header cell ("及改进措施", "（B）")
        started = True
        r: Reading | None = None
        if len(nonempty) == 1 and (len(line.cells) == 1 or not real_header):
            r = indicator_from_tokens(tokens(nonempty[0]), tok_roles, prev)
            if r is None:
                frags.piece(clean_text(nonempty[0]))
                continue
        elif by_cells and h and len(line.cells) == h:
            r = indicator_from_cells(line.cells, roles, prev)
        elif loose is not None and not by_cells:
            got = loose.read(line.cells, prev)
            if isinstance(got, str):
                if prev is not None:
                    prev.level3 = got
                continue
            r = Reading(got) if got is not None else None
        else:
            r = indicator_from_tokens(tokens(" ".join(nonempty)), tok_roles, prev)
        if r is None:
            trace.unread(line, "绩效指标行无法读取", **where)
            why = why or "有绩效指标行无法读取"
            continue
        if r.lost:
            trace.unread(line, f"绩效指标行：{r.why}", **where)
            why = why or r.why
        elif not r.sure:
            # read, in the placement the form makes likeliest (a lone value is the 目标值: targets
            # are always set, actuals not always), but not for sure: said, and no warning rests on it
            trace.note("form", f"绩效指标行读法不确定：{r.why}", line, **where)
            why = why or r.why
        frags.row(r)
        prev = r.row
    if any(kind == "piece" for kind, _ in frags.items):
        # names rebuilt from pieces of wrapped cells: likely, not certain
        trace.note("form", "绩效指标名称由折行的片段拼合", block[0] if block else None, **where)
        why = why or "指标名称由折行的片段拼合"
    return [r.row for r in frags.resolve()], why
