"""What the checks across a 预算 and a 决算 read of each document: figures and names with their places.

Each side is read the way its own rules read it — table cells through a
:class:`~juesuan.rules.context.Context` of its document (places in the user's terms: table, row,
column, page, line), sentences through the 决算's narrative helpers — and every place names the
file of its document (``Place.file``), so a finding points into both. Amounts are 万元 as
displayed, as :class:`~juesuan.rules.context.Fig` (an interval: a rounded figure stands for
every value it may round from).

* the 决算 (:class:`FinalSide`): 五（三）'s 一般公共预算财政拨款支出 年初预算 — the total and each 项
  (coded through the 决算's 功能分类 table and the year's catalogue) —, the 三公 预算数 (its table,
  else 情况说明 九), the 项目支出绩效自评表 (name, 年初预算数 or 预算数, 年初目标值);
* the 预算 (:class:`BudgetSide`): its 一般公共预算支出表 by 功能分类 (national Y5; Xi'an's Y27;
  a 财政拨款支出预算表 Y14 when the budget has no 政府性基金 spending), its 三公 table (Y7, Y26,
  Guangdong's Y17), its projects (项目支出表 Y10 and the 绩效目标表 forms Y11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from ..budget.forms import Indicator, TargetTable, targets
from ..catalog import catalog
from ..document import Document
from ..figures import Interval, parse_number
from ..final.forms import ProjectTable, projects
from ..final.rules.sentences import joined
from ..place import Place
from ..rules.context import Context, Fig, new_fig
from ..rules.text import NUM
from ..zh import normalize

__all__ = ["Stated", "FinalItem", "FinalSide", "BudgetProject", "BudgetSide", "THREE_PUBLIC_ITEMS",
           "same_name", "name_key", "value_key"]

_ZERO = Decimal(0)

# the 三公 items as both kinds name them: (key, words)
THREE_PUBLIC_ITEMS: tuple[tuple[str, str], ...] = (
    ("total", "“三公”经费合计"), ("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"),
)


@dataclass(frozen=True)
class Stated:
    """A figure as one document shows it: its :class:`Fig` (value, interval, text) and its places
    (each naming the document's file); ``doubt``: why it was not read for sure ("" when it was; a
    table cell's certainty is the certainty gate's to judge, from its place)."""
    fig: Fig
    places: tuple[Place, ...]
    doubt: str = ""

    @property
    def text(self) -> str:
        return self.fig.text


def files_of(doc: Document, file: str) -> frozenset[str]:
    """The names a place in ``doc`` may give as its file: ``file`` (as the caller names the
    document), the files it was read from (several, for a budget in two files), each part."""
    names = {file, *file.split(" + ")}
    if doc.source.get("file"):
        names |= {doc.source["file"], *str(doc.source["file"]).split(" + ")}
    return frozenset(names)


def _place(where: dict[str, Any], file: str) -> Place:
    """A place of a document's ``where`` dictionary, naming ``file`` unless it names its own (a
    document read from several files: each line keeps its own)."""
    return Place.of({**where, "file": where.get("file") or file})


def _cell(ctx: Context, tid: str, row, column: str, file: str) -> Stated | None:
    """The displayed figure of ``row`` × ``column`` of table ``tid`` (blank: 0)."""
    if row is None or column is None:
        return None
    where = ctx.where(tid, row, column)
    if row.source.get("file"):
        where["file"] = row.source["file"]
    return Stated(Fig.table(row.cells.get(column), where), (_place(where, file),))


def _sum(parts: list[Stated]) -> Stated:
    """Several displayed figures of one quantity (a 项 listed once per unit) added: the interval sum."""
    if len(parts) == 1:
        return parts[0]
    lo = sum((p.fig.iv.lo for p in parts), _ZERO)
    hi = sum((p.fig.iv.hi for p in parts), _ZERO)
    value = sum((p.fig.value for p in parts), _ZERO)
    return Stated(new_fig(value, 2, None, None, Interval(lo, hi)), tuple(q for p in parts for q in p.places))


# ---------------------------------------------------------------------------------------
# names

_PUNCT = re.compile(r"[\s　“”\"'‘’《》〈〉()（）【】\[\]、，,。.·:：;；\-—_]")


def name_key(name: str) -> str:
    """A name as compared across documents: normalised (look-alike characters, full width), no
    spaces or punctuation."""
    return _PUNCT.sub("", normalize(name or ""))


def same_name(a: str, b: str) -> str | None:
    """How two project names match: "same" (equal once normalised), "close" (one contains the
    other, or they differ by a character or two: 0A/OA), None (different projects)."""
    x, y = name_key(a), name_key(b)
    if not x or not y:
        return None
    if x == y:
        return "same"
    if min(len(x), len(y)) >= 4 and (x in y or y in x):
        return "close"
    if min(len(x), len(y)) >= 6 and SequenceMatcher(None, x, y).ratio() >= 0.85:
        return "close"
    return None


_OPS = {"＝": "=", "＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "≪": "≤", "≫": "≥", ">=": "≥", "<=": "≤",
        "大于等于": "≥", "不低于": "≥", "不少于": "≥", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
        "大于": ">", "小于": "<", "等于": "="}
_VALUE = re.compile(r"^(≥|≤|>|<|=)?(-?\d+(?:\.\d+)?)(.*)$")


def value_key(value: str, unit: str = "") -> tuple[str, Decimal | None, str]:
    """A performance target (指标值 and its 度量单位) as compared across documents: (operator, number,
    unit) when it is a number, else ("", None, the text). "＝100 %" and "100%" are one target;
    "定性 优" is "优"."""
    s = re.sub(r"\s+", "", normalize((value or "") + (unit or "")))
    s = re.sub(r"^(定性|定量)", "", s)
    for word, op in _OPS.items():
        if s.startswith(word):
            s = op + s[len(word):]
            break
    m = _VALUE.match(s.replace(",", ""))
    if m:
        return (m.group(1) or "="), Decimal(m.group(2)), m.group(3)
    return "", None, s.lstrip("=")


# ---------------------------------------------------------------------------------------
# the 决算

@dataclass(frozen=True)
class FinalItem:
    """One item of 五（三）: "X（类）Y（款）Z（项）。年初预算为 a 万元…"."""
    code: str | None              # the 项 code (None: the names match no 项 of the catalogue or the tables)
    title: str                    # "一般公共服务支出（类）…（项）"
    amount: Stated


_TOTAL_RE = re.compile(r"一般公共预算财政拨款支出(?:的)?年初预算(?:数)?为\s*" + NUM + r"\s*万元")
_ITEM_RE = re.compile(r"(?:^|[。；\n])\s*(?:\d+[.．、]\s*)?([^。；：（）\d]+?)（类）([^。；]+?)（款）([^。；]+?)（项）"
                      r"[。：:，,]?[^（。]{0,40}?(年初|全年)预算(?:数)?为\s*" + NUM + r"\s*万元")
_3P_BUDGET_RE = re.compile(r"“?三公”?经费(?:财政拨款)?(?:支出)?(年初|全年)?预算(?:数)?为\s*" + NUM + r"\s*万元")


class FinalSide:
    """What the checks read of the 决算 (see the module)."""

    def __init__(self, doc: Document, file: str):
        self.doc, self.file = doc, file
        self.files = files_of(doc, file)
        self.ctx = Context(doc)
        self.initial_total: Stated | None = None
        self.items: list[FinalItem] = []
        self.items_said = ""              # 年初 / 全年: what the items of 五（三） state
        self._read_initial()

    def close(self) -> None:
        self.ctx.close()

    def _read_initial(self) -> None:
        j = joined(self.ctx, "5")
        if j is None:
            return
        text = j.text
        m = _TOTAL_RE.search(text)
        if m:
            self.initial_total = Stated(j.amount(m, 1), (_place(j.where(m.start(1)), self.file),))
        names = self._item_codes()
        for m in _ITEM_RE.finditer(text):
            cls, kuan, xiang = (re.sub(r"^[\d.．、\s]+", "", g).strip() for g in m.group(1, 2, 3))
            if m.group(4) != "年初":
                self.items_said = self.items_said or "全年"
                continue
            self.items_said = "年初"
            title = f"{cls}（类）{kuan}（款）{xiang}（项）"
            code = names.get((name_key(cls), name_key(kuan), name_key(xiang))) or self._catalogue_code(cls, kuan, xiang)
            self.items.append(FinalItem(code, title, Stated(j.amount(m, 5), (_place(j.where(m.start(5)), self.file),))))

    def _item_codes(self) -> dict[tuple[str, str, str], str]:
        """(类, 款, 项) names → 项 code, from the 决算's own tables by 功能分类 (T5, else any)."""
        ts = self.doc.tables
        out: dict[tuple[str, str, str], str] = {}
        if ts is None:
            return out
        for tid in ("T5", "T3", "T7"):
            t = ts.tables.get(tid)
            if t is None:
                continue
            names = {r.code: r.label for r in t.rows if r.code}
            for c, n in names.items():
                if len(c) == 7:
                    out.setdefault((name_key(names.get(c[:3], "")), name_key(names.get(c[:5], "")), name_key(n)), c)
        return out

    def _catalogue_code(self, cls: str, kuan: str, xiang: str) -> str | None:
        if not self.doc.year:
            return None
        cat = catalog(self.doc.year)
        classes = cat.find_function(cls, 3)
        kuans = [k for k in cat.find_function(kuan, 5) if not classes or k[:3] in classes]
        found = [c for c in cat.find_function(xiang, 7) if c[:5] in kuans]
        return found[0] if len(found) == 1 else None

    def three_public(self) -> tuple[dict[str, Stated], str]:
        """The 三公 预算数 by item (:data:`THREE_PUBLIC_ITEMS`) and what they are said to be: "年初" when
        情况说明 九 says 年初预算, else "" (the table's 预算数, which may be the adjusted 全年预算)."""
        out: dict[str, Stated] = {}
        ctx = self.ctx
        t9 = ctx.table("T9")
        row = ctx.single_row("T9") if t9 is not None and not t9.pending else None   # pending: not given
        if row is not None:
            for key, _ in THREE_PUBLIC_ITEMS:
                col = ctx.column_header("T9", f"budget:{key}")
                if col is not None and col in row.cells:
                    got = _cell(ctx, "T9", row, col, self.file)
                    if got is not None:
                        out[key] = got
        said = ""
        j = joined(ctx, "9")
        if j is not None and (m := _3P_BUDGET_RE.search(j.text)):
            said = m.group(1) or ""
            if said == "年初" or "total" not in out:
                out["total"] = Stated(j.amount(m, 2), (_place(j.where(m.start(2)), self.file),))
        return out, said

    def projects(self) -> list[ProjectTable]:
        return [p for p in projects(self.doc) if p.name and "【待填写" not in p.name]

    def project_place(self, p: ProjectTable, **extra) -> Place:
        """A place in the 自评表 of ``p``, named as the 决算's own rules name it (项目绩效自评表：<名称>)."""
        return _place({**{k: v for k, v in p.source.items() if k in ("file", "page", "line")},
                       "table": f"{p.form_name}：{p.name}", **extra}, self.file)

    def project_amount(self, p: ProjectTable) -> tuple[Stated | None, str]:
        """A project's budget as its 自评表 shows it and which it is: ("年初", 年初预算数) in the scored
        layout, else ("全年", 预算数（A）/全年预算数)."""
        for what, text, column in (("年初", p.initial, "年初预算数"), ("全年", p.budget, "预算数")):
            v = _number(text)
            if v is not None:
                doubt = p.unsure.get("money", "")
                where = self.project_place(p, row="年度资金总额", column=column)
                return Stated(Fig.text_amount(format(v, "f"), where.to_dict()), (where,), doubt), what
        return None, ""


def _number(text: str | None) -> Decimal | None:
    if not text or "【" in text:
        return None
    try:
        return parse_number(text.replace("万元", "").strip())
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# the 预算

@dataclass
class BudgetProject:
    """A project the budget lists: its name, amount (万元) and 绩效目标 (when a 绩效目标表 of its own)."""
    name: str
    places: tuple[Place, ...]
    amount: Stated | None = None
    indicators: list[Indicator] = field(default_factory=list)
    form: TargetTable | None = None


_FORM_TITLE = re.compile(r"^(?:\d{4}年度?)?(?:\d+)?(.*?)(?:项目支出|项目)?(?:绩效目标表|绩效目标申报表)$")
_AMOUNT_LABEL = re.compile(r"年度资金总额|资金总额|项目总额|预算支出总额|本年预算|预算数")


# Guangdong's 行政经费及“三公”经费预算表 rows: (item, words its label has, words it has not) — the
# 公务用车购置及运行维护 row has both 购置 and 运行: it is neither item
_Y17_ROWS = (("total", "三公", "出国|接待|用车"), ("abroad", "出国", "^$"), ("vehicle_purchase", "购置", "运行"),
             ("vehicle_operation", "运行", "购置"), ("reception", "接待", "^$"))


class BudgetSide:
    """What the checks read of the 预算 (see the module)."""

    def __init__(self, doc: Document, file: str):
        self.doc, self.file = doc, file
        self.files = files_of(doc, file)
        self.ctx = Context(doc)

    def close(self) -> None:
        self.ctx.close()

    def function_table(self) -> tuple[str, str] | None:
        """(table id, column) of the budget's 一般公共预算支出 by 功能分类 and its 合计 column."""
        ctx = self.ctx
        gov_fund = ctx.table("Y8")
        no_fund = gov_fund is None or gov_fund.empty or not any(
            v for r in gov_fund.rows for v in r.cells.values() if v)
        for tid in ("Y5", "Y27", *(("Y14",) if no_fund else ())):
            t = ctx.table(tid)
            if t is None or not t.rows:
                continue
            col = ctx.column_header(tid, "exp:total") or ctx.column_header(tid, "amount")
            if col is None:
                continue
            if any(col in r.cells for r in t.rows):
                return tid, col
        return None

    def function_total(self, tid: str, col: str) -> Stated | None:
        return _cell(self.ctx, tid, self.ctx.total_row(tid), col, self.file)

    def function_items(self, tid: str, col: str) -> dict[str, tuple[str, Stated]]:
        """项 code → (name, amount): a 项 listed once per unit (Beijing) added up."""
        rows: dict[str, list] = {}
        for r in self.ctx.table(tid).rows:
            if r.code and len(r.code) == 7:
                rows.setdefault(r.code, []).append(r)
        out = {}
        for code, rs in rows.items():
            parts = [s for r in rs if (s := _cell(self.ctx, tid, r, col, self.file)) is not None]
            if parts:
                out[code] = (rs[0].label, _sum(parts))
        return out

    def missing_place(self, tid: str, code: str, name: str) -> Place:
        """A 项 the table does not list (read as 0): the certainty gate asks whether it was read whole."""
        return Place(file=self.file, table=tid, row=f"{code} {name}".strip(), note="未列示")

    def three_public(self) -> tuple[str | None, dict[str, Stated]]:
        """(table id, the 三公 预算数 by item) of the budget's 三公 table (None: it has none it can read)."""
        ctx = self.ctx
        for tid, prefix in (("Y7", "3p:"), ("Y26", "3p:")):
            t = ctx.table(tid)
            if t is None or not t.layout.columns:
                continue
            row = ctx.total_row(tid) or ctx.single_row(tid)
            if row is None and t.source.get("empty_sentence"):
                # no row of figures, and the table says so (本部门没有…“三公”经费预算，故本表无数据): each item 0
                where = {k: v for k, v in t.source.items() if k in ("file", "page", "line")} | {"table": tid}
                zero = Stated(Fig.table(Decimal(0), where), (_place(where, self.file),))
                return tid, {key: zero for key, _ in THREE_PUBLIC_ITEMS}
            out = {}
            for key, _ in THREE_PUBLIC_ITEMS:
                col = ctx.column_header(tid, prefix + key)
                if row is not None and col is not None and col in row.cells:
                    out[key] = _cell(ctx, tid, row, col, self.file)
            if out:
                return tid, out
        t = ctx.table("Y17")          # Guangdong: rows 行政经费, “三公”经费 and its items; column 合计
        if t is not None:
            col = ctx.column_header("Y17", "total")
            out = {}
            for r in t.rows:
                label = normalize(r.label or "")
                key = next((k for k, yes, no in _Y17_ROWS if re.search(yes, label) and not re.search(no, label)), None)
                if key is not None and key not in out and col in r.cells:
                    out[key] = _cell(ctx, "Y17", r, col, self.file)
            if out:
                return "Y17", out
        return None, {}

    def projects(self) -> tuple[list[BudgetProject], bool]:
        """The projects the budget lists, and whether it prints a 项目支出表 (a list of every project;
        else only the 绩效目标表 of some)."""
        ctx = self.ctx
        out: list[BudgetProject] = []
        listing = False
        t = ctx.table("Y10")
        if t is not None and t.rows:
            listing = True
            col = ctx.column_header("Y10", "exp:total")
            for r in t.rows:
                label = (r.label or "").strip()
                if not label or "合计" in label or "总计" in label or not r.cells or r.code or self._a_unit(label):
                    continue
                column = col if col in r.cells else ("合计" if "合计" in r.cells else next(iter(r.cells)))
                amount = _cell(ctx, "Y10", r, column, self.file)
                out.append(BudgetProject(label, amount.places if amount else (), amount))
        for f in targets(self.doc):
            if f.table != "Y11":
                continue
            name = self._form_project(f)
            if not name:
                continue
            where = _place({**{k: v for k, v in f.source.items() if k in ("file", "page", "line")},
                            "table": f"项目支出绩效目标表：{name}"}, self.file)
            amount = None
            for label, v in f.amounts:
                if _AMOUNT_LABEL.search(label) and "其中" not in label:
                    w = where._replace(row=label.rstrip("：:"))
                    amount = Stated(Fig.text_amount(format(v, "f"), w.to_dict()), (w,))
                    break
            known = next((p for p in out if same_name(p.name, name) == "same"), None)
            if known is not None:
                known.indicators, known.form = f.indicators, f
                known.amount = known.amount or amount
            else:
                out.append(BudgetProject(name, (where,), amount, f.indicators, f))
        return out, listing

    def _a_unit(self, label: str) -> bool:
        """Is a 项目支出表 row the budget's own unit's subtotal (Guangdong lists the unit, then its
        projects; Xi'an's unit rows carry their unit code and are left out by it)?"""
        unit, mine = name_key(self.doc.entity or ""), name_key(label)
        return bool(unit) and (mine == unit or unit.endswith(mine) or mine.endswith(unit))

    @staticmethod
    def _form_project(f: TargetTable) -> str:
        """The project a 绩效目标表 is of: its 项目名称 line, else its title less the table's name."""
        given = getattr(f, "project", "")
        if given:
            return given
        m = _FORM_TITLE.match(re.sub(r"\s+", "", f.title or ""))
        name = m.group(1) if m else ""
        name = re.sub(r"^(?:\d+[.、]?)", "", name)
        # a title that names no project: 项目支出绩效目标表, 预算表12项目支出绩效目标表, 公开11表…
        if not re.sub(r"预算|公开|附|表|\d|[-—、.（）()]", "", name) or \
                name in ("部门", "专项资金总体", "部门整体支出"):
            return ""
        return name
