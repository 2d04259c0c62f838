"""The figures a budget's 情况说明 states, declared once as data, and how they are read.

A published 部门预算 says in words what its tables show: 收支预算总额 X 万元, 本年收入 / 支出预算,
财政拨款 and 一般公共预算拨款, 基本支出 (人员经费, 公用经费) and 项目支出, the “三公”经费 and its items,
会议费 and 培训费, 机关运行经费, 政府采购, the 类 of the 功能分类 and the items named by their codes —
most of them with the change from last year (比上年增加/减少 Y 万元，增长/下降 Z%) and shares of a
total (占 W%). :data:`QUANTITIES` declares each quantity once: the words that name it before its amount
and the table cells it may quote (:class:`~juesuan.budget.identities.Spot`, in every layout that prints
them; a statement may mean any of them — 收入预算 is the 本年收入合计 in one budget, the 收入总计 in
another). A built budget's narrative (its sentences made from the model) is read by the same
declarations: extend them, not the reader.

:func:`statements` reads the paragraphs of every part but the 概况, the tables and the 名词解释, one
paragraph at a time (a PDF's page number may stand glued to the first word of a page: a figure that
opens a paragraph continuing the previous one is read but marked not ``sure``). Each amount is given
to the quantity whose words start earliest before it (一般公共预算财政拨款基本支出 is not 基本支出).
:func:`changes` reads the 增加/减少 statements with the amount they change, and :func:`shares` the
占 x% statements with their base; :data:`DECOMPOSITIONS` declares the sums a section's statements
make (基本支出 = 人员经费 + 公用经费, “三公”经费 = its three items, 政府采购 = 货物 + 工程 + 服务).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..document import Paragraph, Section
from ..rules.context import Context, per_check
from ..rules.text import norm_text
from .identities import Spot
from .layouts import CLASS_ROWS

__all__ = ["Quantity", "QUANTITIES", "DECOMPOSITIONS", "said", "quantity_named", "subject_of", "Para", "Statement",
           "Change", "Share", "paragraphs",
           "statements", "changes", "shares", "vehicle_counts", "AMOUNT_RE", "TARGETS_SAID", "ALL_TARGETS_SHOWN",
           "Targets", "targets"]

NUM = r"\d+(?:\.\d+)?"
AMOUNT_RE = re.compile(rf"(?P<v>{NUM})\s*万元")
# what may stand between a quantity's words and its amount: 预算、支出、安排、为 …; a period and the
# year before it (深圳市: "因公出国（境）费用。2026年预算数41.60万元")
_GAP = (r"(?:[。.]?\s*\d{4}\s*年(?:度)?)?"
        r"(?:预算支出|预算数|预算安排|预算|支出|安排|合计|总计|总金额|总额|金额|共计|共有|共|为|是|[：:])*\s*")
_CJK_BEFORE = r"(?:(?<=其中)|(?<=包括)|(?<![\u4e00-\u9fff]))"
_3P = r"[“\"]?三公[”\"]?经费"


@dataclass(frozen=True)
class Quantity:
    """A quantity a 情况说明 states: its name, its label in messages, the words that name it (a
    pattern; its amount follows them), the table cells it may quote (any of them agreeing is
    agreement; none printed: only its arithmetic is checked) and, for the quantities a built
    budget states, the words the builder writes (:func:`said`; its words read them: tested)."""
    name: str
    label: str
    words: str
    means: tuple[Spot, ...] = ()
    said: str = ""

    @property
    def regex(self) -> re.Pattern:
        return _regex(self.words)


@cache
def _regex(words: str) -> re.Pattern:
    return re.compile(rf"(?:{words}){_GAP}(?P<v>{NUM})\s*万元")


def _in(key: str) -> Spot:
    return Spot("Y1", key, "value", side="收入")


def _out(key: str) -> Spot:
    return Spot("Y1", key, "value", side="支出")


def _fin(key: str) -> Spot:
    return Spot("Y4", key, "value", side="收入")


def _fout(key: str) -> Spot:
    return Spot("Y4", key, "value", side="支出")


def _col(tid: str, key: str, row: str | None = "合计") -> Spot:
    return Spot(tid, row, key)


def _hdr(tid: str, header: str, row: str | None = "合计", label: str = "") -> Spot:
    return Spot(tid, row if not label else None, header=header, label=label)


def _y17(words: str, column: str = "total") -> Spot:
    return Spot("Y17", None, column, label=rf"^(?:其中：)?(?:[（(][一二三][）)])?(?:\d\.)?{words}")


def _three_public(key: str, y17: str, shenzhen: str, xian: str) -> tuple[Spot, ...]:
    return (Spot("Y7", None, key), _y17(y17), Spot("Y26", None, key),
            Spot("Y7", None, header=rf"^{shenzhen}/一般公共预算$", label=r"{year}年$"),
            Spot("Y26", header=rf"^{{year}}年/.*{xian}$"))


_NOT_FUND = r"(?<!财政拨款)(?<!一般公共预算)(?<!基金)(?<!拨款)(?<!资本经营)"
# "收入预算" / "支出预算" after a year, the unit, a bracket or a stop — never inside another name (经营收入预算,
# 项目支出预算)
_HEAD = r"(?:(?<=[年度门校局位院级）)：:，,。；\s])|^)"
_GENERAL_TOTAL = (_col("Y5", "exp:total"), _col("Y5", "amount"), _col("Y27", "exp:total"))

QUANTITIES: tuple[Quantity, ...] = (
    # --- the totals ---------------------------------------------------------------------------
    Quantity("grand_total", "收支预算总计",
             r"收支总预算|收、支总预算|收支预算总(?:计|额)|收入、支出预算总计|收、支预算总计|收支总计",
             (_in("grand_total:income"), _in("income:total")), "收支总预算"),
    Quantity("fiscal_grand_total", "财政拨款收支总预算",
             r"财政拨款收、?支总(?:预算|计)|财政拨款收支预算总(?:计|额)",
             (_fin("fiscal_grand_total:income"), _fin("fiscal_income:total")), "财政拨款收、支总预算"),
    Quantity("income_now", "本年收入预算", r"本年收入(?:预算)?(?:合计)?", (_in("income:total"),)),
    Quantity("income", "收入预算", _HEAD + r"(?:部门)?(?:收入预算|预算收入)(?:总计|合计)?|(?<=部门)预算收入",
             (_in("income:total"), _in("grand_total:income"), _fin("fiscal_income:total")), "收入预算"),
    Quantity("expenditure_now", "本年支出预算", r"本年支出(?:预算)?(?:合计)?",
             (_out("expenditure:total"), _fout("fiscal_expenditure:total"))),
    Quantity("expenditure", "支出预算", _HEAD + r"支出预算(?:总计|合计)?|(?<=部门)预算支出",
             (_out("expenditure:total"), _out("grand_total:expenditure"), _fout("fiscal_expenditure:total")),
             "支出预算"),
    # --- income by source -------------------------------------------------------------------------
    Quantity("fiscal", "财政拨款收入", r"(?<!一般公共预算)财政拨款收入(?:预算)?(?:总计|合计)?",
             (_in("income:fiscal"), _fin("fiscal_income:total"), _fin("fiscal_income:fiscal"))),
    # (the 财政拨款收支总表's rows say "一般公共预算资金": a built budget lists its income by them)
    Quantity("general", "一般公共预算拨款收入",
             r"一般公共预算(?:财政)?(?:拨款)?收入(?:预算)?|一般公共预算资金(?!支出|安排)",
             (_in("income:general"), _fin("fiscal_income:general"))),
    Quantity("gov_fund", "政府性基金预算拨款收入", r"政府性基金(?:预算)?(?:拨款)?收入|政府性基金预算资金(?!支出|安排)",
             (_in("income:gov_fund"), _fin("fiscal_income:gov_fund"))),
    Quantity("state_capital", "国有资本经营预算拨款收入",
             r"国有资本经营预算(?:拨款)?收入|国有资本经营预算资金(?!支出|安排)",
             (_in("income:state_capital"), _fin("fiscal_income:state_capital"))),
    Quantity("special_account", "财政专户管理资金收入", r"财政专户管理资金收入", (_in("income:special_account"),)),
    Quantity("unit_funds", "单位资金收入", r"单位资金收入", (_in("income:unit_funds"),)),
    Quantity("business", "事业收入", r"(?<!单位)事业收入", (_in("income:business"),)),
    Quantity("operating", "事业单位经营收入", r"事业单位经营收入", (_in("income:operating"),)),
    Quantity("superior", "上级补助收入", r"上级补助收入", (_in("income:superior"),)),
    Quantity("affiliated", "附属单位上缴收入", r"附属单位上缴收入", (_in("income:affiliated"),)),
    Quantity("other_income", "其他收入", r"(?<!本年)其他收入", (_in("income:other"),)),
    Quantity("use_of_balance", "使用非财政拨款结余", r"使用非财政拨款结余", (_in("balance:use_of_nonfiscal_balance"),)),
    Quantity("opening", "上年结转结余", r"(?<!财政拨款)(?<!无)上年结转(?:结余)?(?:资金)?",
             (_in("balance:opening"), _fin("fiscal_opening:total"))),
    Quantity("closing", "结转下年", r"结转下年(?:资金)?|年终结转结余(?:资金)?", (_out("balance:closing"),),
             "年终结转结余"),
    # --- expenditure ------------------------------------------------------------------------------
    Quantity("fiscal_expenditure", "财政拨款支出预算",
             r"(?<!一般公共预算)财政拨款(?:预算)?支出(?:预算)?(?:总计|合计)?",
             (_fout("fiscal_expenditure:total"), _col("Y14", "exp:total"), _col("Y14", "amount"))),
    Quantity("general_expenditure", "一般公共预算支出",
             r"一般公共预算(?:财政)?(?:拨款)?支出(?:预算)?(?:总计|合计)?", _GENERAL_TOTAL,
             "一般公共预算拨款支出预算"),
    Quantity("basic", "基本支出", r"(?<!拨款)(?<!财政)(?<!一般公共预算)基本支出(?:预算)?(?:数)?",
             (_out("expenditure:basic"), _col("Y3", "exp:basic"), _hdr("Y3", r"^基本支出$"),
              _fout("fiscal_expenditure:basic"), _col("Y14", "exp:basic"), _col("Y5", "exp:basic")), "基本支出"),
    Quantity("fiscal_basic", "财政拨款基本支出", r"(?<!一般公共预算)财政拨款基本支出(?:预算)?",
             (_fout("fiscal_expenditure:basic"), _hdr("Y19", r"^(?:合计|金额|基本支出)$"), _col("Y14", "exp:basic"))),
    Quantity("general_basic", "一般公共预算基本支出", r"一般公共预算(?:财政)?(?:拨款)?基本支出(?:预算)?",
             (_col("Y5", "exp:basic"), _hdr("Y6", r"^(?:合计|预算数/合计|基本支出|金额|第1列)$"),
              _col("Y22", "exp:total")), "一般公共预算基本支出预算"),
    Quantity("project", "项目支出", r"(?<!拨款)(?<!一般公共预算)项目支出(?:预算)?(?:数)?",
             (_out("expenditure:project"), _col("Y3", "exp:project"), _hdr("Y3", r"^项目支出$"),
              _fout("fiscal_expenditure:project"), _col("Y14", "exp:project"), _col("Y5", "exp:project")), "项目支出"),
    Quantity("reserve", "单位预留机动经费", r"单位预留机动经费(?:预算)?(?:数)?",
             (_out("expenditure:reserve"), _hdr("Y3", r"^单位预留机动经费$"))),
    Quantity("personnel", "人员经费", r"(?<!在职)(?<!在职人员)人员经费(?!和)",
             (_col("Y5", "exp:personnel"), _col("Y22", "exp:personnel"), _col("Y27", "exp:personnel"),
              _hdr("Y6", r"^(?:预算数/)?人员经费$")), "人员经费"),
    Quantity("public", "公用经费", r"(?<!人员经费和)公用经费",
             (_col("Y5", "exp:public"), _col("Y22", "exp:public"), _col("Y27", "exp:public"),
              _hdr("Y6", r"^(?:预算数/)?公用经费$")), "公用经费"),
    Quantity("gov_fund_expenditure", "政府性基金预算支出", r"政府性基金(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?",
             (_col("Y8", "exp:total"), _col("Y8", "amount")), "政府性基金预算拨款支出预算"),
    Quantity("state_capital_expenditure", "国有资本经营预算支出",
             r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?",
             (_col("Y9", "exp:total"), _col("Y9", "amount")), "国有资本经营预算拨款支出预算"),
    # --- 三公, 会议费, 培训费, 机关运行经费 -----------------------------------------------------------
    Quantity("3p_total", "“三公”经费预算", _3P + r"(?:财政拨款)?(?:预算)?(?:支出)?",
             _three_public("3p:total", "“三公”经费", "总计", r"三公.*/小计"), "“三公”经费预算"),
    Quantity("3p_abroad", "因公出国（境）费", r"因公出国[（(]境[）)](?:费用?|经费)(?:支出)?",
             _three_public("3p:abroad", "因公出国", r"因公出国\(境\)费", "因公出国（境）费用?"), "因公出国（境）费"),
    Quantity("3p_vehicle", "公务用车购置及运行维护费", r"公务用车购置(?:及|和)运行(?:维护)?费(?:用)?",
             _three_public("3p:vehicle", "公务用车购置及运行维护", "公务用车购置及运行维护费/小计",
                           "公务用车购置及运行维护费/小计"), "公务用车购置及运行维护费"),
    Quantity("3p_vehicle_purchase", "公务用车购置费", r"公务用车购置(?:费)?(?!及|和)",
             _three_public("3p:vehicle_purchase", "公务用车购置费", "公务用车购置及运行维护费/公务用车购置费",
                           "公务用车购置费"), "公务用车购置费"),
    Quantity("3p_vehicle_operation", "公务用车运行维护费", r"(?<!及)(?<!和)公务用车运行(?:维护)?费",
             _three_public("3p:vehicle_operation", "公务用车运行(?:维护)?费",
                           "公务用车购置及运行维护费/公务用车运行维护费", "公务用车运行(?:维护)?费"),
             "公务用车运行维护费"),
    Quantity("3p_reception", "公务接待费", r"公务接待费(?:用)?",
             _three_public("3p:reception", "公务接待", "公务接待费", "公务接待费"), "公务接待费"),
    Quantity("meeting", "会议费", r"会议费", (Spot("Y26", None, "meeting"), _hdr("Y26", r"^{year}年/会议费$"))),
    Quantity("training", "培训费", r"培训费", (Spot("Y26", None, "training"), _hdr("Y26", r"^{year}年/培训费$"))),
    Quantity("running", "机关运行经费", r"机关运行经费(?:财政拨款)?",
             (_hdr("Y20", r"^(?:合计|金额|机关运行经费支出|第1列)$"), _y17("行政经费")), "机关运行经费预算"),
    # --- 政府采购 ------------------------------------------------------------------------------------
    Quantity("procurement", "政府采购预算",
             r"政府采购(?:预算)?(?:总金额|总额)?(?:安排)?|政府采购项目(?:共有|共)?",
             (_hdr("Y12", r"^(?:合计|总计|金额|预算金额)$"), _hdr("Y3", r"^政府采购项目/小计$")), "政府采购预算总额"),
    # (before 政府采购项目: the words that start first name the amount)
    Quantity("procurement_sme", "面向中小企业预留政府采购项目预算",
             r"面向中小企业预留(?:的)?(?:政府采购)?(?:项目)?(?:预算)?(?:金额)?", (),
             "面向中小企业预留政府采购项目预算"),
    Quantity("procurement_goods", "货物类采购预算", r"(?:拟采购|政府采购)?货物类?(?:采购|项目)?",
             (_hdr("Y12", r"^(?:合计|总计|金额|预算金额)$", label=r"^(?:一、)?货物|^A-?货物"),), "货物采购预算"),
    Quantity("procurement_works", "工程类采购预算", r"(?:拟采购|政府采购)?工程类?(?:采购|项目)?",
             (_hdr("Y12", r"^(?:合计|总计|金额|预算金额)$", label=r"^(?:二、)?工程|^B-?工程"),), "工程采购预算"),
    Quantity("procurement_services", "服务类采购预算", r"(?:拟采购|政府采购)?服务类?(?:采购|项目)?",
             (_hdr("Y12", r"^(?:合计|总计|金额|预算金额)$", label=r"^(?:三、)?服务|^C-?服务"),), "服务采购预算"),
    # --- the 类 of the 功能分类, by name -----------------------------------------------------------------
    *(Quantity(f"class:{code}", name, _CJK_BEFORE + re.escape(name[:-2] if name.endswith("支出") else name)
               + r"(?:（类）)?" + ("支出" if name.endswith("支出") else ""),
               (_out(f"expenditure:{code}"), _col("Y3", "exp:total", f"code:{code}"),
                _fout(f"fiscal_expenditure:{code}"), _col("Y14", "exp:total", f"code:{code}"),
                _col("Y14", "amount", f"code:{code}"), _col("Y5", "exp:total", f"code:{code}"),
                _col("Y5", "amount", f"code:{code}"), _col("Y27", "exp:total", f"code:{code}")))
      for code, name in CLASS_ROWS if code not in ("223", "227")),
)

_BY_NAME = {q.name: q for q in QUANTITIES}


def quantity_named(name: str) -> Quantity:
    return _BY_NAME[name]


def said(name: str) -> str:
    """The words a built budget writes for the quantity ``name`` (read back as that quantity)."""
    return _BY_NAME[name].said or _BY_NAME[name].label


@cache
def _subject_regex(words: str) -> re.Pattern:
    return re.compile(rf"(?:{words})(?:预算)?(?:各)?\s*$")


def subject_of(text: str) -> Quantity | None:
    """The quantity ``text`` ends naming ("…，收支总预算" before 减少…; a section titled "一般公共预算
    支出预算结构情况" less its 结构情况): of the quantities whose words end it, the one whose words start
    first."""
    best: tuple[int, Quantity] | None = None
    for q in QUANTITIES:
        m = _subject_regex(q.words).search(text)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), q)
    return best[1] if best else None


# an item named with its code: "培训支出（2050803）39万元", "工资福利支出（301）2036.82万元"
_CODED = re.compile(rf"(?P<name>[\u4e00-\u9fff（）()]{{2,30}}?)[（(](?P<code>\d{{3}}|\d{{5}}|\d{{7}})[）)]\s*"
                    rf"(?P<v>{NUM})\s*万元")
_FUNCTION_TABLES = (("Y5", "exp:total"), ("Y5", "amount"), ("Y27", "exp:total"), ("Y3", "exp:total"),
                    ("Y14", "exp:total"), ("Y14", "amount"))
_ECON_HEADER = r"^(?:合计|支出总计|金额|第1列)$"


def coded_means(code: str) -> tuple[Spot, ...]:
    """The cells an item named with its code may quote: a 功能分类 code (2…) in the tables by function,
    an economic one (3… 部门, 5… 政府) in the tables by economic classification."""
    if code.startswith("2"):
        return tuple(Spot(t, f"code:{code}", c) for t, c in _FUNCTION_TABLES) + (
            (Spot("Y1", f"expenditure:{code}", "value", side="支出"),) if len(code) == 3 else ())
    if code.startswith("3"):
        return (Spot("Y21", f"code:{code}", header=_ECON_HEADER), Spot("Y6", f"code:{code}", header=_ECON_HEADER))
    if code.startswith("5"):
        side = "支出（政府预算经济分类）"
        return (Spot("Y4", f"gov_econ:{code}", "value", side=side), Spot("Y1", f"gov_econ:{code}", "value", side=side))
    return ()


# a 项 named by its 款 and itself: "法院（款）行政运行（项）支出17279.29万元"
# (a name may hold a bracketed word: "政府办公厅（室）及相关机构事务（款）")
_INNER = r"（(?!类|款|项)[^（）()。；，\d]{1,6}）"
_ITEM = re.compile(rf"(?P<k>(?:[^（）()。；，、\d．.：:]|{_INNER}){{2,30}}?)（款）"
                   rf"(?P<x>(?:[^（）()。；，\d]|{_INNER}){{2,40}}?)（项）(?:支出)?\s*(?P<v>{NUM})\s*万元")


# the sums a section's statements make: the total and its parts, each read once in the section
DECOMPOSITIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("3p_total", ("3p_abroad", "3p_vehicle", "3p_reception"),
     "“三公”经费 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费"),
    ("3p_vehicle", ("3p_vehicle_purchase", "3p_vehicle_operation"), "公务用车购置及运行维护费 = 购置费 + 运行维护费"),
    ("procurement", ("procurement_goods", "procurement_works", "procurement_services"),
     "政府采购预算 = 货物类 + 工程类 + 服务类"),
    ("fiscal_basic", ("personnel", "public"), "财政拨款基本支出 = 人员经费 + 公用经费"),
    ("general_basic", ("personnel", "public"), "一般公共预算基本支出 = 人员经费 + 公用经费"),
)

# parts not read for figures: the 概况, the tables, the 名词解释; sections about these either
_SKIP_PARTS = ("profile", "tables", "glossary")
_SKIP_SECTION = re.compile(r"名词解释|主要职责|部门职责|机构设置|职能")
_STOPS = "。；;：:！？!?）)"


@dataclass
class Para:
    """One paragraph of the 情况说明 as read: its normalised text, where it is, and whether it
    continues the paragraph before it (no stop at that one's end: a page turned mid-sentence)."""
    text: str
    paragraph: Paragraph
    part: str
    section: str
    title: str
    index: int                 # in :func:`paragraphs`
    continues: bool

    def where(self, pos: int) -> dict[str, Any]:
        loc: dict[str, Any] = {"part": self.part, "section": self.section, "sentence": _sentence(self.text, pos)}
        for k in ("file", "page", "line"):
            if k in self.paragraph.source:
                loc[k] = self.paragraph.source[k]
        return loc

    def sure(self, pos: int) -> bool:
        """Is a figure at ``pos`` read for sure? Not when it opens a paragraph continuing the last one
        (a page number may stand glued to it: "13" + "1,723.93万元" → "131723.93")."""
        return not (pos == 0 and self.continues)


def _sentence(text: str, pos: int) -> str:
    start = max(text.rfind("。", 0, pos), text.rfind("；", 0, pos)) + 1
    ends = [e for e in (text.find("。", pos), text.find("；", pos)) if e >= 0]
    return text[start: min(ends) + 1 if ends else len(text)].strip()


@per_check
def paragraphs(ctx: Context) -> list[Para]:
    """The paragraphs of the budget's text that state figures, in document order."""
    out: list[Para] = []
    for part in ctx.doc.parts:
        if part.key in _SKIP_PARTS:
            continue
        label = part.title or part.key
        last = ""
        for p in part.paragraphs:
            out.append(_para(p, label, "", part.title, len(out), last))
            last = out[-1].text
        stack: list[tuple[Section, str]] = [(s, "") for s in reversed(part.sections)]
        while stack:
            s, parent = stack.pop()
            num = s.number.strip()
            sec = (parent + num) if parent and num.startswith("（") else (num.rstrip("、") or parent)
            if _SKIP_SECTION.search(s.title):
                continue
            if "万元" in s.title:       # a heading that states a figure: "（一）本年财政拨款收入 32365.09 万元"
                out.append(_para(Paragraph(s.title, source=dict(s.source)), label, sec, s.title, len(out), last))
                last = out[-1].text + "。"
            for p in s.paragraphs:
                out.append(_para(p, label, sec, s.title, len(out), last))
                last = out[-1].text
            stack.extend((sub, sec if not num.startswith("（") else parent) for sub in reversed(s.subsections))
    return out


def _para(p: Paragraph, part: str, section: str, title: str, index: int, last: str) -> Para:
    text = norm_text(p.text)
    return Para(text, p, part, section, title, index, bool(last) and last[-1] not in _STOPS)


@dataclass
class Statement:
    """An amount the text states for a quantity."""
    quantity: Quantity
    value: str                 # as written (万元)
    para: Para
    pos: int                   # of the amount in the paragraph's text
    start: int                 # of the quantity's words
    end: int                   # of the statement (after 万元)
    sure: bool = True

    def where(self) -> dict[str, Any]:
        return self.para.where(self.pos)


@per_check
def statements(ctx: Context) -> list[Statement]:
    """Every amount the text states for a quantity of :data:`QUANTITIES`, in document order. An amount
    named by the words of several quantities belongs to the one whose words start first."""
    out: list[Statement] = []
    year = ctx.doc.year
    for para in paragraphs(ctx):
        text = para.text
        if "万元" not in text:
            continue
        best: dict[int, Statement] = {}
        for q in QUANTITIES:
            for m in q.regex.finditer(text):
                if _another_year(text, m.start(), year) or _other_year_inside(m, year):
                    continue
                pos = m.start("v")
                got = best.get(pos)
                if got is None or m.start() < got.start:
                    best[pos] = Statement(q, m.group("v"), para, pos, m.start(), m.end(), para.sure(pos))
        for m in _CODED.finditer(text):
            pos = m.start("v")
            if pos not in best and not _another_year(text, m.start(), year):
                q = Quantity(f"code:{m.group('code')}", f"{m.group('name')}（{m.group('code')}）", "",
                             coded_means(m.group("code")))
                best[pos] = Statement(q, m.group("v"), para, pos, m.start(), m.end(), para.sure(pos))
        for m in _ITEM.finditer(text):
            pos = m.start("v")
            if pos not in best or best[pos].start > m.start():
                q = Quantity(f"item:{m.group('k')}/{m.group('x')}", f"{m.group('k')}（款）{m.group('x')}（项）", "",
                             _item_means(ctx, m.group("k"), m.group("x")))
                best[pos] = Statement(q, m.group("v"), para, pos, m.start(), m.end(), para.sure(pos))
        out.extend(best[k] for k in sorted(best))
    return out


def _bare(name: str) -> str:
    return re.sub(r"\s+|支出$", "", name.strip().lstrip("0123456789.．、"))


def _item_means(ctx: Context, kuan: str, xiang: str) -> tuple[Spot, ...]:
    """The 项 rows named ``xiang`` under a 款 named ``kuan`` in the tables by 功能分类."""
    out: list[Spot] = []
    for tid, col in _FUNCTION_TABLES:
        t = ctx.table(tid)
        if t is None:
            continue
        parents = {r.code for r in t.rows if len(r.code) == 5 and _bare(r.label) == _bare(kuan)}
        for r in t.rows:
            if len(r.code) == 7 and r.code[:5] in parents and _bare(r.label) == _bare(xiang):
                out.append(Spot(tid, f"code:{r.code}", col))
    return tuple(out)


_YEAR_BEFORE = re.compile(r"(?:(\d{4})\s*年|(上年|上一年|去年))[^，,。；\d]{0,12}$")


def _another_year(text: str, start: int, year: int | None) -> bool:
    """Do the words at ``start`` follow a year other than the budget's (2025年“三公”经费…, 上年…)?"""
    lo = max(text.rfind("。", 0, start), text.rfind("；", 0, start), text.rfind("，", 0, start), start - 16) + 1
    m = _YEAR_BEFORE.search(text, max(0, lo), start)
    if m is None:
        return False
    return m.group(2) is not None or (year is not None and int(m.group(1)) != year)


def _other_year_inside(m: re.Match, year: int | None) -> bool:
    """A year named between the words and the amount that is not the budget's ("2025年预算数…")."""
    said = m.string[m.start():m.start("v")]
    return year is not None and any(int(y) != year for y in re.findall(r"(\d{4})\s*年", said))


# --- changes from last year, shares -----------------------------------------------------------------

_CHANGE_RE = re.compile(rf"(?P<w>增加|减少)\s*(?P<d>{NUM})\s*万元"
                        rf"(?:\s*(?:[，,]\s*(?P<t>增长|下降|减少|增加)\s*|[（(]\s*)"
                        rf"(?P<p>{NUM})\s*%)?")
# a comparison with last year (or last year's budget) stands before the verb
_COMPARED = re.compile(r"(?:比|较|与)[^。；]{0,24}?(?:上年|上一年|\d{4}\s*年)")
# "比2025年年初预算数30385.62万元增加…": the earlier figure stated
_PRIOR_RE = re.compile(rf"(?:比|较)[^。；，\d]{{0,16}}?(?:\d{{4}}\s*年)?[^。；，\d]{{0,12}}?(?P<v>{NUM})\s*万元\s*$")


@dataclass
class Change:
    para: Para
    current: tuple[str, int] | None      # the figure that changed (as written, position): the nearest
    others: list[tuple[str, int]]        # the other amounts before it: it may be one of them
    prior: tuple[str, int] | None        # last year's, when stated
    word: str                            # 增加 / 减少
    diff: tuple[str, int]
    rate: tuple[str, int] | None         # the stated % (no sign)
    rate_word: str | None = None         # 增长 / 下降 / …


@dataclass
class Share:
    para: Para
    amount: tuple[str, int]
    pct: tuple[str, int]
    base_words: str
    base: tuple[str, Para, int] | None   # the amount of the total it is a share of, when stated
    others: list[tuple[str, Para, int]]  # the other totals before it: it may be of one of them


_SHARE_RE = re.compile(rf"(?P<v>{NUM})\s*万元[，,]?\s*占(?P<b>[^0-9%，。；]{{0,20}}?)(?:的)?\s*(?P<p>{NUM})\s*%")


def _amounts(text: str, lo: int, hi: int) -> list[re.Match]:
    return list(AMOUNT_RE.finditer(text, lo, hi))


@per_check
def changes(ctx: Context) -> list[Change]:
    """Every "比上年增加/减少 x 万元（，增长/下降 y%）" with the figure it changes: the quantity the
    words before the verb name, as the paragraph stated it before ("2023年收支总预算1365.18万元。与2022年
    预算相比，收支总预算减少84.82万元"); else the last amount before it in its sentence (or, when the
    sentence opens with the comparison, in the sentence before) that is neither a change nor a share."""
    out: list[Change] = []
    stated: dict[int, list[Statement]] = {}
    for st in statements(ctx):
        stated.setdefault(st.para.index, []).append(st)
    for para in paragraphs(ctx):
        text = para.text
        if "增加" not in text and "减少" not in text:
            continue
        for m in _CHANGE_RE.finditer(text):
            start = max(text.rfind("。", 0, m.start()), text.rfind("；", 0, m.start())) + 1
            if _COMPARED.search(text, start, m.start()) is None:
                continue
            prior = _PRIOR_RE.search(text[start:m.start()])
            prior_at = (prior.group("v"), start + prior.start("v")) if prior else None
            cands = _currents(text, start, m.start() if prior is None else start + prior.start())
            subject = _subject(text, start, m.start(), stated.get(para.index, ()))
            if subject is not None and prior is None:
                cands = [subject]
            elif not cands and _opens_comparison(text, start):
                prev = text.rfind("。", 0, max(0, start - 1)) + 1
                cands = _currents(text, prev, start)
            out.append(Change(para, cands[0] if cands else None, cands[1:], prior_at, m.group("w"),
                              (m.group("d"), m.start("d")), (m.group("p"), m.start("p")) if m.group("p") else None,
                              m.group("t")))
    return out


def _opens_comparison(text: str, start: int) -> bool:
    return re.match(r"\s*(?:与上年相比|比上年|较上年|同比|与\d{4}年(?:度)?(?:预算)?相比)",
                    text[start:start + 14]) is not None


def _subject(text: str, start: int, verb: int, stated) -> tuple[str, int] | None:
    """The figure a change names by its quantity's words just before the verb, as the paragraph
    stated it before ("…，收支总预算减少…": the 收支总预算 stated last before it)."""
    clause = text[max(start, text.rfind("，", 0, verb) + 1):verb]
    q = subject_of(clause) if clause else None
    if q is None:
        return None
    before = [st for st in stated if st.quantity.name == q.name and st.pos < verb]
    return (before[-1].value, before[-1].pos) if before else None


# a year that is not the one compared with ("比2025年…", "较2025年年初预算…")
_YEAR_NOT_COMPARED = re.compile(r"(?<![比较与])(?<![比较与]\s)\d{4}\s*年")


def _currents(text: str, lo: int, hi: int) -> list[tuple[str, int]]:
    """The amounts in text[lo:hi] that are not changes (after 增加/减少), the nearest first: the figure
    that changed is one of them. None when a year is named between the nearest and ``hi`` (the sentence
    has turned to another subject: "…0万元，2022年本部门预算收入较上年减少…")."""
    out = []
    for a in reversed(_amounts(text, lo, hi)):
        before = text[max(lo, a.start() - 3):a.start()]
        if re.search(r"(?:增加|减少|增长|下降)\s*$", before):
            continue
        if not out and _YEAR_NOT_COMPARED.search(text, a.end(), hi):
            return []
        out.append((a.group("v"), a.start("v")))
    return out


@per_check
def shares(ctx: Context) -> list[Share]:
    """Every "x 万元，占 … y%" with its base: named after 占 (read by the rule), or else the amount
    before the last 其中 of the paragraph or of an earlier paragraph of its section."""
    out: list[Share] = []
    paras = paragraphs(ctx)
    for k, para in enumerate(paras):
        text = para.text
        if "占" not in text:
            continue
        for m in _SHARE_RE.finditer(text):
            bases = _anchors(paras, k, m.start())
            out.append(Share(para, (m.group("v"), m.start("v")), (m.group("p"), m.start("p")), m.group("b").strip(),
                             bases[0] if bases else None, bases[1:]))
    return out


def _anchors(paras: list[Para], k: int, pos: int) -> list[tuple[str, Para, int]]:
    """The amounts just before each 其中 (包括) before ``pos`` in paragraph ``k`` and the three before it in
    its section, the nearest first (a change, after 增加/减少, is not a total): the total a share is of is
    one of them."""
    out: list[tuple[str, Para, int]] = []
    for j in range(k, max(-1, k - 4), -1):
        para = paras[j]
        if j < k and para.section != paras[k].section:
            break
        text = para.text
        for at in reversed([m.start() for m in re.finditer("其中|包括", text[:pos if j == k else len(text)])]):
            found = _currents(text, 0, at)
            if found:
                out.append((found[0][0], para, found[0][1]))
    return out


_VEHICLES = re.compile(r"(?:共有|现有|拥有)车辆\s*(?P<n>\d+)\s*辆[，,]?\s*其中[：:，,]?(?P<items>[^。；]*)")
_VEHICLE_ITEM = re.compile(r"[^、，,；\d]{2,14}?(?P<n>\d+)\s*辆")


@dataclass
class Count:
    para: Para
    total: tuple[str, int]
    items: list[tuple[str, int]] = field(default_factory=list)


@per_check
def vehicle_counts(ctx: Context) -> list[Count]:
    """"共有车辆 N 辆，其中 a 辆、b 辆…": the total and its items (国有资产占有使用情况)."""
    out: list[Count] = []
    for para in paragraphs(ctx):
        for m in _VEHICLES.finditer(para.text):
            items = [(i.group("n"), m.start("items") + i.start("n")) for i in _VEHICLE_ITEM.finditer(m.group("items"))]
            if items:
                out.append(Count(para, (m.group("n"), m.start("n")), items))
    return out



# --- 预算绩效目标设置情况 -------------------------------------------------------------------------------

# what a built budget writes (and the reader reads): the projects with 绩效目标 and their money, and that
# every one of them has its 项目支出绩效目标表 in the tables part
TARGETS_SAID = "实行绩效目标管理的项目{n}个，涉及项目预算{money}"
ALL_TARGETS_SHOWN = "各项目的绩效目标见第二部分项目支出绩效目标表"
_TARGETS = re.compile(rf"实行(?:项目)?绩效目标管理的项目(?:共)?\s*(?P<n>\d+)\s*个[，,]\s*涉及(?:项目)?预算(?:资金)?\s*"
                      rf"(?P<v>{NUM})\s*万元")


@dataclass
class Targets:
    para: Para
    count: tuple[str, int]
    money: tuple[str, int]
    all_shown: bool            # the text says each project's 绩效目标表 is printed


@per_check
def targets(ctx: Context) -> list[Targets]:
    """"实行绩效目标管理的项目 N 个，涉及项目预算 X 万元" (and whether the text says every one of them
    has its 项目支出绩效目标表: "各项目的绩效目标见…")."""
    out = []
    for para in paragraphs(ctx):
        for m in _TARGETS.finditer(para.text):
            out.append(Targets(para, (m.group("n"), m.start("n")), (m.group("v"), m.start("v")),
                               re.search(r"各(?:个)?项目的?绩效目标(?:详)?见", para.text) is not None))
    return out
