"""A published 决算 read back as data: the one mapping Document → canonical data.

Every path that turns a published disclosure (PDF, DOCX, HTML, text) into the department's data
goes through :func:`document_data`: ``juesuan parse FILE --format data``, ``juesuan template
--from FILE`` and ``juesuan build --previous LAST_YEAR`` (:func:`with_previous`).

What it makes is the canonical data of :mod:`juesuan.final.canonical` (amounts in yuan as
``Decimal``), flagged with a top-level ``source`` (:class:`~juesuan.final.model.Provenance`: the
file, 万元 precision):

* amounts are the document's displayed 万元 × 10000 — the nine tables through the same assembly
  as a workbook of 公开表 (:func:`juesuan.final.workbook.reader.assemble`: 项 leaves, 财政拨款 by
  fund, 基本支出 by 经济分类, balances, rounding gaps of 万元 tables closed within their tolerance);
* texts and figures of the 情况说明 the model holds (职责, 机构设置, the reasons of changes, the
  上年 figures the change sentences imply, 各类支出主要用途, 年初预算 per 项, "三公" 上年决算数,
  counts and reasons, 机关运行经费, 政府采购, 国有资产, 预算绩效, 重点工作) are read from their
  sections by the sentences every generator writes (this one's and the seed's);
* what the document does not show stays absent: a table not found leaves its part out, a
  sentence not found leaves its field out, a 【待填写】 is not a value. Nothing becomes 0 unless
  the document prints 0 or says 无.

``shown_prior(doc)`` reads the figures a document shows that next year's 上年数 compare with;
:func:`with_previous` fills them (and 职责, 机构设置) into this year's model where it lacks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..data import read_back
from ..document import Document, Section
from ..errors import Diagnostic, InputError
from ..figures import WAN, parse_number, wan_to_yuan
from ..place import place_text
from .canonical import validate
from .layouts import LAYOUTS, NATIONAL_ORDER
from .model import Disclosure, OperatingFunds, PriorYear, ThreePublicAmounts
from .workbook.reader import Assembly, assemble, close_rounding, infer_level, infer_unit_type
from .workbook.tables import Collector, Figure, ReadTable, TableRow

__all__ = ["document_data", "disclosure_from_document", "shown_prior", "with_previous", "PLACEHOLDER"]

PLACEHOLDER = "【待填写"
_NUM = r"(-?[\d,，]+(?:\.\d+)?)"
_ZERO = Decimal("0.00")


def _given(text: str | None) -> str | None:
    """A text the document states (None for a blank or a 【待填写】)."""
    if text is None:
        return None
    t = text.strip().rstrip("。；;.").strip()
    if not t or PLACEHOLDER in t or "……" in t:
        return None
    return t


@dataclass
class _Sheet:
    """Where the tables of a document are, for the workbook assembly's messages."""
    file: str
    name: str


@dataclass
class _Reading:
    doc: Document
    file: str
    data: dict[str, Any] = field(default_factory=dict)
    diags: list[Diagnostic] = field(default_factory=list)

    def note(self, severity: str, message: str) -> None:
        self.diags.append(Diagnostic(severity, message, file=self.file))  # type: ignore[arg-type]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.doc.sections() if s.key == key), None)

    def text(self, key: str) -> str:
        s = self.section(key)
        return s.text if s is not None else ""

    def paragraphs(self, key: str) -> list[str]:
        s = self.section(key)
        return [p.text for p in s.paragraphs] if s is not None else []


# --- tables ------------------------------------------------------------------------------

def _read_tables(r: _Reading) -> dict[str, ReadTable]:
    """The document's tables as the workbook assembly reads them: figures in yuan under the national
    layouts' column headers (a region's layout prints the same quantities under its own words).
    A cell whose line was not read is left out: not shown, not 0."""
    ts = r.doc.tables
    out: dict[str, ReadTable] = {}
    if ts is None:
        return out
    sheet = _Sheet(r.file, r.doc.title or r.file)
    for t in ts:
        if t.id not in LAYOUTS:
            continue   # a table the model has no figures for (T10 …)
        national = LAYOUTS[t.id]
        rt = ReadTable(t.id, national, sheet, "万元", t.year, t.entity, [])  # type: ignore[arg-type]
        cols = {c.header: c.key for c in (t.layout.columns or [c for s in t.layout.sides for c in s.columns])}
        for row in t.rows:
            if not row.key:
                continue
            side_cols = national.columns or next((s.columns for s in national.sides if s.name == row.side), ())
            headers = {c.key: c.header for c in side_cols}
            tr = TableRow(key=row.key, code=row.code, name=row.label if row.code else "", side=row.side,
                          ref=f"{t.title} {row.label or row.code}")
            for header, value in row.cells.items():
                reading = t.reading(row, header)
                key = cols.get(header)
                if value is None or key is None or key not in headers or reading.how.startswith("unread"):
                    continue
                ref = place_text(reading.place) if reading.place is not None else tr.ref
                tr.cells[headers[key]] = Figure((value * WAN).quantize(Decimal("0.01")), r.file, ref, "万元")
            rt.rows.append(tr)
        out[t.id] = rt
    return out


def _tables(r: _Reading) -> dict[str, ReadTable]:
    tables = _read_tables(r)
    if not tables:
        r.note("warning", "文件中没有读出决算表：数据中只有文字部分，金额留空")
        return tables
    missing = [LAYOUTS[t].title for t in NATIONAL_ORDER if t not in tables]
    if missing:
        r.note("warning", f"文件中没有读出{'、'.join(missing)}：相应数据留空（不按 0 填写）")
    for t in r.doc.tables or ():
        if t.unread:
            r.note("warning", f"{t.title}有 {len(t.unread)} 行未能读取：这些行的数字不在数据中，请对照原文补上")
    out = Collector()
    asm = Assembly(out)
    assemble(r.data, tables, asm)
    close_rounding(r.data, tables, asm)
    for d in out.diags:
        r.diags.append(Diagnostic(d.severity, d.message, file=r.file, cell=d.cell))
    if "T9" not in tables:
        r.data.pop("three_public", None)
    return tables


# --- the entity -------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^\s*(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*")


def _numbered(text: str) -> str:
    return _NUMBERING.sub("", text).strip()


def _entity(r: _Reading) -> None:
    doc = r.doc
    ent: dict[str, Any] = {"name": doc.entity}
    ent["level"] = doc.level or infer_level(doc.entity)
    ent["unit_type"] = doc.unit_type or infer_unit_type(doc.entity)
    if not doc.level or not doc.unit_type:
        r.note("warning", f"文件中未写明政府层级或单位性质，按单位名称推断为“{ent['level']}”"
                          f"“{ent['unit_type']}”，请核对")
    if m := re.search(r"我单位是(\S{2,6}?)(?:事业单位|单位)", r.text("narrative.10")):
        ent["funding"] = m.group(1)
    duties = [d for d in (_given(_numbered(p)) for p in r.paragraphs("profile.duties")) if d]
    if duties:
        ent["duties"] = [d + "。" for d in duties]
    structure = "\n".join(p for p in (_given(x) for x in r.paragraphs("profile.structure")) if p)
    if structure:
        ent["structure"] = structure + ("" if structure.endswith("。") else "。")
    if doc.phone:
        ent["phone"] = doc.phone
    r.data["entity"] = ent


# --- the 情况说明 -------------------------------------------------------------------------------

def _reason(text: str) -> str | None:
    m = re.search(r"主要原因(?:是|为|：|:)\s*([^。]*)", text)
    return _given(m.group(1)) if m else None


def _change(text: str, subject: str, prior_year: int) -> Decimal | None:
    """The change a sentence states against the prior year, in 万元 (+/-), 0 for 持平/不变."""
    s = re.escape(subject)
    m = re.search(rf"与{prior_year}年度?(?:决算数)?相比[，,]?\s*{s}各?(增加|减少|持平|不变)(?:{_NUM}万元)?", text) or \
        re.search(rf"{s}[^。]*?比{prior_year}年度?(?:决算数)?(增加|减少){_NUM}万元", text) or \
        re.search(rf"{s}[^。]*?与{prior_year}年度?(?:决算数)?(持平)", text)
    if not m:
        return None
    if m.group(1) in ("持平", "不变"):
        return _ZERO
    if m.lastindex is None or m.lastindex < 2 or m.group(2) is None:
        return None
    v = parse_number(m.group(2).replace("，", ","))
    return None if v is None else (v if m.group(1) == "增加" else -v)


def _reasons_and_prior(r: _Reading, shown: dict[str, Decimal]) -> None:
    py = (r.doc.year or 0) - 1
    reasons: dict[str, Any] = {}
    prior: dict[str, Decimal] = {}
    specs = (("narrative.1", "收、支总计", "total", "total_change"),
             ("narrative.2", "收入合计", "income", "income_change"),
             ("narrative.3", "支出合计", "expenditure", "expenditure_change"),
             ("narrative.4", "财政拨款收、支总计", "fiscal_total", "fiscal_change"),
             ("narrative.5.1", "一般公共预算财政拨款支出", "general_expenditure", "general_change"))
    for key, subject, field_, why in specs:
        paras = r.paragraphs(key)
        if not paras:
            continue
        first = paras[0]
        diff = _change(first, subject, py)
        if diff is not None and field_ in shown:
            prior[field_] = shown[field_] - diff * WAN
        if (reason := _reason(first)) and (diff is None or diff):
            reasons[why] = reason
    for p in r.paragraphs("narrative.4")[1:]:
        if "一般公共预算财政拨款收入" in p:
            diff = _change(p, "一般公共预算财政拨款收入", py)
            if diff is not None and "general_income" in shown:
                prior["general_income"] = shown["general_income"] - diff * WAN
            if (reason := _reason(p)) and (diff is None or diff):
                reasons["general_income_change"] = reason
    usage = {}
    t5 = r.doc.tables.tables.get("T5") if r.doc.tables else None
    for p in r.paragraphs("narrative.5.2")[1:]:
        body = _numbered(p)
        m = re.search(r"主要(?:是)?用于([^。]*)", body)
        if not m or t5 is None or not _given(m.group(1)):
            continue
        for row in t5.rows:
            if row.level == 1 and row.label and body.startswith((row.label[:-2] if row.label.endswith("支出")
                                                                  else row.label, row.label)):
                usage[row.code] = _given(m.group(1))
                break
    if usage:
        reasons["class_usage"] = usage
    if reasons:
        r.data["reasons"] = reasons
    if prior:
        r.data["prior_year"] = {k: v for k, v in prior.items() if v >= 0}
        if any(v < 0 for v in prior.values()):
            r.note("warning", "按增减额推算的上年数为负数，未采用：请核对情况说明中的增减额")


def _item_titles(r: _Reading) -> dict[str, str]:
    """项 code → "X（类）Y（款）Z（项）" as 五（三） names them, from T5's rows."""
    t5 = r.doc.tables.tables.get("T5") if r.doc.tables else None
    if t5 is None:
        return {}
    names = {row.code: row.label for row in t5.rows if row.code}
    return {c: f"{names.get(c[:3], '')}（类）{names.get(c[:5], '')}（款）{n}（项）"
            for c, n in names.items() if len(c) == 7}


def _squash(s: str) -> str:
    return re.sub(r"[\s（）()类款项]", "", s)


def _initial_budget(r: _Reading) -> None:
    paras = r.paragraphs("narrative.5.3")
    if not paras:
        return
    titles = {_squash(t): c for c, t in _item_titles(r).items()}
    items = []
    for p in paras[1:]:
        body = _numbered(p)
        m = re.search(rf"年初预算(?:数)?为{_NUM}万元", body)
        if not m:
            continue
        head = _squash(body[:m.start()].rstrip("。，, "))
        code = titles.get(head) or next((c for t, c in titles.items() if head.endswith(t) or t.endswith(head)), None)
        if code is None:
            continue
        item: dict[str, Any] = {"code": code, "amount": wan_to_yuan(m.group(1))}
        if (why := re.search(r"(?:主要原因|原因)(?:是|为|：|:)\s*([^。]*)", body[m.end():])) and _given(why.group(1)):
            item["reason"] = _given(why.group(1))
        items.append(item)
    if items:
        ib: dict[str, Any] = {"items": items}
        m = re.search(rf"年初预算(?:数)?为{_NUM}万元", paras[0])
        total = wan_to_yuan(m.group(1)) if m else None
        if total is not None:
            if total == sum((i["amount"] for i in items), _ZERO):
                ib["total"] = total
            else:
                r.note("warning", f"年初预算合计 {m.group(1)} 万元与各项之和不一致，只取各项（合计由各项相加）")
        r.data["initial_budget"] = ib


_3P_WORDS = (("abroad", "因公出国（境）费"), ("vehicle_purchase", "公务用车购置费"),
             ("vehicle_operation", "公务用车运行维护费"), ("reception", "公务接待费"))


def _three_public(r: _Reading) -> None:
    tp = r.data.get("three_public")
    paras = r.paragraphs("narrative.9")
    if tp is None or not paras:
        return
    final = tp.get("final", {})

    def vs_prior(text: str) -> Decimal | None:
        if re.search(r"较上年(?:相比)?(?:不变|持平)", text):
            return _ZERO
        m = re.search(rf"较上年(增加|减少){_NUM}万元", text)
        if not m:
            return None
        v = parse_number(m.group(2).replace("，", ","))
        return None if v is None else (v if m.group(1) == "增加" else -v)

    prior: dict[str, Decimal] = {}
    reasons: dict[str, str] = {}
    counts: dict[str, int] = {}
    total_diff = vs_prior(paras[0])
    if (why := _reason(paras[0])) and total_diff:
        reasons["total"] = why
    items_diff: dict[str, Decimal] = {}
    for p in paras[1:]:
        for key, word in _3P_WORDS:
            if word in p[:16]:
                d = vs_prior(p)
                if d is not None:
                    items_diff[key] = d
                if (why := _reason(p)) and d:
                    reasons[key] = why
    text = "".join(paras)
    for key, pattern in (("abroad_groups", r"团组(\d+)个"), ("abroad_persons", r"团组\d+个、累计(\d+)人次"),
                         ("vehicles_purchased", r"公务用车购置(?:数)?(\d+)辆"), ("vehicles_held", r"保有量(\d+)辆"),
                         ("reception_batches", r"公务接待(\d+)批次"), ("reception_persons", r"接待\d+批次、(\d+)人次")):
        if m := re.search(pattern, text):
            counts[key] = int(m.group(1))
    if len(items_diff) == len(_3P_WORDS):
        prior = {k: final.get(k, _ZERO) - items_diff[k] * WAN for k, _ in _3P_WORDS}
    elif total_diff == 0 and not any(final.get(k) for k, _ in _3P_WORDS):
        prior = {k: _ZERO for k, _ in _3P_WORDS}    # 0 then, 0 now: "较上年相比不变"
    if prior and all(v >= 0 for v in prior.values()):
        tp["prior_final"] = prior
    if counts:
        tp["counts"] = counts
    if reasons:
        tp["reasons"] = reasons


def _operating(r: _Reading, unit_type: str) -> None:
    text = r.text("narrative.10")
    if not text:
        return
    if re.search(r"无机关运行经费", text):
        if unit_type != "事业单位":
            r.data["operating_funds"] = {"amount": _ZERO}
        return
    m = re.search(rf"机关运行经费(?:支出)?(?:为|共计|合计)?{_NUM}万元", text)
    if not m:
        return
    of: dict[str, Any] = {"amount": wan_to_yuan(m.group(1))}
    py = (r.doc.year or 0) - 1
    diff = _change(text, "机关运行经费支出", py)
    if diff is None:
        diff = _change(text, "机关运行经费", py)
    if diff is not None:
        prior = of["amount"] - diff * WAN
        if prior >= 0:
            of["prior"] = prior
    if (why := _reason(text)) and diff:
        of["reason"] = why
    r.data["operating_funds"] = of


def _procurement(r: _Reading) -> None:
    text = r.text("narrative.11")
    if not text:
        return
    if re.search(r"无政府采购", text):
        r.data["procurement"] = {"goods": _ZERO, "works": _ZERO, "services": _ZERO, "sme": _ZERO,
                                 "small_micro": _ZERO}
        return
    m = re.search(rf"政府采购支出总额{_NUM}万元", text)
    if not m:
        return
    total = wan_to_yuan(m.group(1))
    out: dict[str, Any] = {}
    for key, word in (("goods", "货物"), ("works", "工程"), ("services", "服务")):
        if k := re.search(rf"政府采购{word}支出{_NUM}万元", text):
            out[key] = wan_to_yuan(k.group(1))
    if sum(out.values(), _ZERO) == total:
        out = {k: out.get(k, _ZERO) for k in ("goods", "works", "services")}   # the kinds not named are 0
    else:
        r.note("warning", "政府采购支出总额与货物、工程、服务支出之和不一致，只取文中写明的各项")
    if k := re.search(rf"授予中小企业合同(?:金额)?{_NUM}万元", text):
        out["sme"] = wan_to_yuan(k.group(1))
    if k := re.search(rf"授予小微企业合同(?:金额)?{_NUM}万元", text):
        out["small_micro"] = wan_to_yuan(k.group(1))
    if out:
        r.data["procurement"] = out


def _assets(r: _Reading) -> None:
    text = r.text("narrative.12")
    if not text:
        return
    out: dict[str, Any] = {}
    if m := re.search(r"截至(\d{4}年\d{1,2}月\d{1,2}日)", text):
        out["as_of"] = m.group(1)
    if re.search(r"无(?:公务)?车辆", text):
        out["vehicles"] = 0
    elif m := re.search(r"(?:共有|拥有)?车辆(\d+)辆", text):
        out["vehicles"] = int(m.group(1))
        detail = re.search(r"车辆\d+辆[，,]其中[：:]([^。]*)", text)
        if detail:
            out["vehicle_detail"] = {k: int(v) for k, v in re.findall(r"([^、，,：:\d]+?)(\d+)辆", detail.group(1))}
    if re.search(r"无单价100万元（含）以上(?:专用)?设备", text):
        out["equipment_over_1m"] = 0
    elif m := re.search(r"单价100万元（含）以上(?:专用)?设备(\d+)台", text):
        out["equipment_over_1m"] = int(m.group(1))
    if out:
        r.data["assets"] = out


def _number(text: str | None, unit: str = "万元") -> Decimal | None:
    try:
        v = parse_number((text or "").rstrip("%"))
    except (ValueError, InvalidOperation):
        return None
    if v is None or v < 0:
        return None
    return (v * WAN).quantize(Decimal("0.01")) if unit == "万元" else v.quantize(Decimal("0.01"))


def _indicators(rows) -> list[dict]:
    out = []
    for i in rows:
        if not (i.level3 or i.target or i.actual):
            continue
        ind: dict[str, Any] = {"level3": i.level3}   # as printed, even blank (a row the form leaves unnamed)
        for attr in ("level1", "level2", "category", "target", "actual", "note"):
            if getattr(i, attr):
                ind[attr] = getattr(i, attr)
        for attr in ("weight", "score"):
            v = _number(getattr(i, attr), "元")
            if v is not None:
                ind[attr] = v
        out.append(ind)
    return out


def _after(text: str, marker: str) -> str | None:
    """What a sentence says after ``marker`` (verbatim), None when the marker is not there or
    nothing usable follows."""
    i = text.find(marker)
    if i < 0:
        return None
    rest = text[i + len(marker):].strip()
    return rest if _given(rest) else None


_PROJECT_PARTS = (("summary", "主要产出和效益是："), ("problems", "发现的问题及原因："),
                  ("next_steps", "下一步改进措施："))


def _project_texts(text: str) -> dict[str, str]:
    """主要产出和效益 / 发现的问题及原因 / 下一步改进措施 of one item of 十三（三）."""
    marks = sorted((text.find(m), k, m) for k, m in _PROJECT_PARTS if text.find(m) >= 0)
    out = {}
    for n, (i, key, m) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(text)
        if _given(part := text[i + len(m):end].strip()):
            out[key] = part
    return out


def _performance(r: _Reading) -> None:
    perf: dict[str, Any] = {}
    if m := _after(r.text("narrative.13.1"), "从绩效评价情况来看，"):
        perf["management"] = m
    texts: dict[str, dict[str, str]] = {}
    for p in r.paragraphs("narrative.13.3")[1:]:
        body = _numbered(p)
        if m := re.match(r"(.+?)项目绩效自评综述[：:]", body):
            texts[m.group(1)] = _project_texts(body)
    projects = []
    overall: dict[str, Any] = {}
    scored = False
    ent = r.data.get("entity", {})
    for f in r.doc.forms:
        if f.form == "project":
            scored = scored or f.layout == "scored"
            p: dict[str, Any] = {"name": f.name}
            for attr in ("supervisor", "implementer", "category", "attribute", "kind", "deviation", "improvement"):
                if _given(getattr(f, attr)):
                    p[attr] = getattr(f, attr)
            for attr, key in (("budget", "budget"), ("actual", "actual"), ("initial", "initial_budget")):
                v = _number(getattr(f, attr), f.unit)
                if v is not None:
                    p[key] = v
            if f.goals:
                p["goals"] = [{"expected": g.expected, **({"achieved": g.achieved} if g.achieved else {})}
                              for g in f.goals if g.expected]
            p.update(texts.get(f.name, {}))
            if ind := _indicators(f.indicators):
                p["indicators"] = ind
            projects.append(p)
        elif f.form == "overall":
            scored = scored or f.layout == "scored"
            if f.unit_name and f.unit_name != ent.get("name"):
                ent.setdefault("short_name", f.unit_name)
            if f.goals:
                overall["goals"] = list(f.goals)
            if f.outcomes:
                overall["outcomes"] = list(f.outcomes)
            for attr in ("deviation", "improvement"):
                if _given(getattr(f, attr)):
                    overall[attr] = getattr(f, attr)
            if ind := _indicators(f.indicators):
                overall["indicators"] = ind
    supervisors = {p.get("supervisor") for p in projects}
    if len(supervisors) == 1 and None not in supervisors and ent:
        ent.setdefault("supervisor", supervisors.pop())
        for p in projects:
            p.pop("supervisor")
    for p in projects:
        if p.get("implementer") in (ent.get("short_name"), ent.get("name")):
            p.pop("implementer")
    if s := _after(r.text("narrative.13.2"), "从评价情况来看，"):
        overall["summary"] = s
    app = r.text("narrative.13.4")
    if m := re.search(r"评价为(优秀|良好|中|差|合格|不合格)", app):
        overall["grade"] = m.group(1)
    if m := re.search(r"得分(?:为)?(\d+(?:\.\d+)?)分", app):
        overall["score"] = Decimal(m.group(1))
    if m := re.match(r"本年度我单位整体支出绩效自评(?:评价为[^，]*)?(?:，评价得分为[\d.]+分)?，(.*)$", app, re.S):
        if _given(m.group(1)):
            overall["application"] = m.group(1)
    elif _given(app):
        overall["application"] = app
    if scored:
        perf["template"] = "scored"
    if overall:
        perf["overall"] = overall
    if projects:
        names = [p["name"] for p in projects]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            r.note("warning", f"项目绩效自评表的项目名称重复（{'、'.join(sorted(dup))}），只取第一张")
            projects = [p for i, p in enumerate(projects) if p["name"] not in names[:i]]
        perf["projects"] = projects
    if perf:
        r.data["performance"] = perf
    _highlights(r, {p["name"] for p in projects})


def _highlights(r: _Reading, names: set[str]) -> None:
    """五（三）'s "项目支出主要用于A 324.54万元，主要成效：…；B …" (projects of the 自评表 only)."""
    paras = r.paragraphs("narrative.5.3")
    text = _after(paras[0], "项目支出主要用于") if paras else None
    if not text:
        return
    out = []
    for bit in text.rstrip("。").split("；"):
        m = re.match(rf"(.+?){_NUM}万元，主要成效[：:](.+)$", bit.strip())
        if m and m.group(1) in names and _given(m.group(3)):
            out.append({"project": m.group(1), "outcome": m.group(3).strip()})
    if out:
        r.data["highlights"] = out


def _key_work(r: _Reading) -> None:
    part = r.doc.part("key_work")
    if part is None:
        return
    table = {row.title: row for f in r.doc.forms if f.form == "key_work" for row in f.rows}
    out = []
    for s in part.sections:
        text = "\n".join(p.text for p in s.paragraphs if _given(p.text))
        if not s.title or not text:
            continue
        item: dict[str, Any] = {"title": s.title, "text": text}
        if (row := table.get(s.title)) is not None:
            if _given(row.target):
                item["target"] = row.target
            if _given(row.completion):
                item["completion"] = row.completion
        out.append(item)
    if out:
        r.data["key_work"] = out


# --- the document's shown totals ---------------------------------------------------------------

def shown_prior(doc: Document) -> dict[str, Decimal]:
    """The figures next year's 上年数 compare with, as ``doc`` shows them (yuan): the PriorYear fields
    its tables show, and the "三公" 决算数 (``3p:<item>``). A figure not shown is absent."""
    out: dict[str, Decimal] = {}
    ts = doc.tables
    if ts is None:
        return out

    def cell(tid: str, key: str, col_key: str, side: str | None = None) -> Decimal | None:
        t = ts.tables.get(tid)
        if t is None:
            return None
        lay = t.layout
        cols = lay.columns or next((s.columns for s in lay.sides if s.name == side), ())
        header = next((c.header for c in cols if c.key == col_key), None)
        row = t.row(key, side=side) if side else t.row(key)
        if header is None or row is None or row.cells.get(header) is None:
            return None
        if t.reading(row, header).how.startswith("unread"):
            return None
        return (row.cells[header] * WAN).quantize(Decimal("0.01"))

    for name, v in (("total", cell("T1", "grand_total:income", "value", "收入")),
                    ("income", cell("T1", "income:total", "value", "收入")),
                    ("expenditure", cell("T1", "expenditure:total", "value", "支出")),
                    ("fiscal_total", cell("T4", "fiscal_grand_total:income", "value", "收入")),
                    ("general_income", cell("T4", "fiscal_income:general", "value", "收入")),
                    ("general_expenditure", cell("T5", "合计", "fund:total"))):
        if v is not None:
            out[name] = v
    for item, _ in _3P_WORDS:
        v = cell("T9", "三公", f"final:{item}")
        if v is not None:
            out[f"3p:{item}"] = v
    return out


# --- the mapping ---------------------------------------------------------------------------------

def document_data(doc: Document, file: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """``doc`` (a published disclosure read back) → canonical data (plain dicts and lists, amounts
    in yuan as Decimal), with the diagnostics of the reading. See the module docstring."""
    r = _Reading(doc, file)
    if not doc.entity:
        raise InputError([Diagnostic("error", "文件中没有读出单位名称（标题应为“2023年度××部门决算公开”）："
                                              "无法作为部门数据", file=file)])
    if not doc.year:
        raise InputError([Diagnostic("error", "文件中没有读出决算年度（标题应写明，如“2023年度”）：无法作为部门数据",
                                     file=file)])
    r.data["year"] = doc.year
    _entity(r)
    _tables(r)
    _reasons_and_prior(r, shown_prior(doc))
    _initial_budget(r)
    _three_public(r)
    _operating(r, r.data["entity"]["unit_type"])
    _procurement(r)
    _assets(r)
    _performance(r)
    _key_work(r)
    r.data["source"] = {"document": file, "title": doc.title, "precision": "万元",
                        "note": "由已公开的部门决算读回：金额为文中万元数×10000；文中没有的内容不填写"}
    layout = getattr(doc.tables, "variant", None) if doc.tables is not None else None
    if layout:
        r.data["source"]["layout"] = layout
    order = list(Disclosure.model_fields)
    data = {k: r.data[k] for k in order if k in r.data} | {k: v for k, v in r.data.items() if k not in order}
    return data, r.diags


def disclosure_from_document(doc: Document, file: str) -> tuple[Disclosure, list[Diagnostic]]:
    """``doc`` as a validated model (:func:`document_data`, then the model's and the semantic checks).
    Raises ``InputError`` (naming ``file``) when the figures the document shows cannot form valid data."""
    return read_back(Disclosure, *document_data(doc, file), file, validate)


# --- last year's disclosure ------------------------------------------------------------------------

def with_previous(model: Disclosure, previous: Document, file: str) -> tuple[Disclosure, list[Diagnostic]]:
    """``model`` with the 上年数 (prior_year, "三公" prior_final, 机关运行经费 prior) and, where this
    year's data lacks them, 职责 and 机构设置 taken from last year's disclosure ``previous`` (parsed
    or built). Data given this year always wins. Refuses a document that is not of the year before."""
    if previous.year != model.year - 1:
        what = f"是 {previous.year} 年度的" if previous.year else "没有读出决算年度"
        raise InputError([Diagnostic("error", f"--previous 应为上一年度（{model.year - 1} 年度）的部门决算，"
                                              f"这份文件{what}：请换用 {model.year - 1} 年度的决算公开或数据",
                                     file=file)])
    diags: list[Diagnostic] = []
    if previous.entity and previous.entity != model.entity.name:
        diags.append(Diagnostic("warning", f"上年文件的单位“{previous.entity}”与本年“{model.entity.name}”不同，"
                                           "请确认是同一单位（如已更名可忽略）", file=file))
    shown = shown_prior(previous)
    data, notes = document_data(previous, file)
    diags += [d for d in notes if d.severity == "error"]
    taken: list[str] = []
    update: dict[str, Any] = {}
    prior = {k: getattr(model.prior_year, k) for k in PriorYear.model_fields}
    for k in prior:
        if prior[k] is None and k in shown:
            prior[k] = shown[k]
            taken.append(k)
    prev_of = data.get("operating_funds")
    if prior.get("operating_funds") is None and prev_of and prev_of.get("amount") is not None:
        prior["operating_funds"] = prev_of["amount"]
        taken.append("operating_funds")
    update["prior_year"] = PriorYear(**prior)
    tp = model.three_public
    if tp is not None and tp.prior_final is None and all(f"3p:{k}" in shown for k, _ in _3P_WORDS):
        update["three_public"] = tp.model_copy(update={"prior_final": ThreePublicAmounts(
            **{k: shown[f"3p:{k}"] for k, _ in _3P_WORDS})})
        taken.append("three_public.prior_final")
    of = model.operating_funds
    if of is not None and of.prior is None and prior.get("operating_funds") is not None:
        update["operating_funds"] = OperatingFunds(amount=of.amount, prior=prior["operating_funds"], reason=of.reason)
    ent = data.get("entity", {})
    e_update: dict[str, Any] = {}
    if not model.entity.duties and ent.get("duties"):
        e_update["duties"] = ent["duties"]
        taken.append("entity.duties")
    if not model.entity.structure and ent.get("structure"):
        e_update["structure"] = ent["structure"]
        taken.append("entity.structure")
    if e_update:
        update["entity"] = model.entity.model_copy(update=e_update)
    names = {"total": "收、支总计", "income": "收入合计", "expenditure": "支出合计",
             "fiscal_total": "财政拨款收、支总计",
             "general_income": "一般公共预算财政拨款收入", "general_expenditure": "一般公共预算财政拨款支出",
             "operating_funds": "机关运行经费", "three_public.prior_final": "“三公”经费决算数",
             "entity.duties": "部门主要职责", "entity.structure": "机构设置情况"}
    if taken:
        diags.append(Diagnostic("info", f"取自上年（{previous.year} 年度）决算：{'、'.join(names[t] for t in taken)}"
                                        "（本年数据已有的不替换）", file=file))
    else:
        diags.append(Diagnostic("warning", f"上年（{previous.year} 年度）决算中没有可补充的上年数：本年数据均已填写，"
                                           "或上年文件中没有读出这些数字", file=file))
    return model.model_copy(update=update), diags
