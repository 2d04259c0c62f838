"""The 决算表 read back from source lines, driven by :mod:`juesuan.final.layouts`.

Owns: recognising a table title (titles and aliases of every variant's layouts), and
reading one table region into a :class:`~juesuan.tables.table.Table` whose rows, keys,
labels, codes and columns are those :mod:`juesuan.final.build` produces:

* two-sided tables (T1, T4): fixed rows found by their labels wherever they stand on the
  line (收入 | 支出 side by side, two labels run together split), 行次 numbers dropped (whether
  they are printed the header says), 栏次 rows skipped;
* function tables (T2, T3, T5, T7, T8, Beijing's T10): rows by 功能分类 code (split 类|款|项 or joined,
  garbled code cells repaired) checked against the name in the catalogue (fuzzy within the
  current 类/款, so "提租 科贴" is 提租补贴); duplicated rows kept once; names split over
  lines, codes on their own line and values displaced to a line of their own re-attached;
* T6 (and Beijing's T11): (code, name, 决算数) triples, two or three blocks per line, and the
  人员经费合计 / 公用经费合计 footer;
* T9: the twelve 三公 figures (national order or Shanghai's interleaved order, decided by the
  header or, without one, by the identities; Shaanxi's 会议费、培训费 too, its 合计 read as the
  三公 total or the total of all items as its figures say);
* listings (政府采购情况表 and other tables only some layouts have): rows by their label, the
  figures in the columns of the layout (or of the header, when the layout names none).

When a line's numbers do not map one-to-one onto the columns (no tab/cell positions, a
cell holding two numbers), the candidate readings are scored by the table's accounting
identities (row total = Σ components) and by the column pattern of the 合计 row; a 合计 row
its identities leave tied is decided by the same facts in the other tables (a fund table's
年初结转和结余 or 本年收入 by the 财政拨款收入支出决算总表). Table numbers (公开01表, 表七) and
续表 lines in a region are skipped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from ..catalog import Catalog, normalize_name
from ..figures import CENT, WAN
from ..place import Place
from ..tables.identity import Cell, RowIdentity, SameFact
from ..tables.layout import FixedRow, TableLayout
from ..tables.table import Reading, Row, Table
from ..zh import cn_to_int
from .cells import NUM_RE, compared_length, flat, has_cjk, is_int_token, line_text, numeric_cell, ratio, to_decimal
from .source import SourceLine
from .trace import Trace

__all__ = ["Region", "Titles", "match_title", "contents_entry", "table_number", "number_value", "is_table_number",
           "is_continued", "read_table", "assign_values", "resolve_across"]

ZERO = Decimal("0.00")

def _qkey(s: str) -> str:
    return flat(s).replace("“", "").replace("”", "").replace('"', "").replace("'", "")


class Titles:
    """The table titles of a kind's layouts: alias → (table id, variant name), longest aliases
    first, so that 财政拨款收入支出决算总表 wins over 收入支出决算总表 and 一般公共预算财政拨款
    支出决算表 over 支出决算表; of equal aliases the default variant's. ``owners`` says which
    variants print a title (alias, table id): what tells a document's layout."""

    __slots__ = ("entries", "owners", "forms", "by_last")

    def __init__(self, variants, default: str):
        owners: dict[tuple[str, str], set[str]] = {}
        self.forms: set[str] = set()     # the tables read as forms: their titles name a project before them
        for vname, var in variants.items():
            for tid, lay in var.layouts.items():
                if lay.kind == "form":
                    self.forms.add(tid)
                for a in (lay.title, *lay.aliases):
                    owners.setdefault((_qkey(a), tid), set()).add(vname)
        self.owners: dict[tuple[str, str], frozenset[str]] = {k: frozenset(v) for k, v in owners.items()}
        # one entry per title and table, under the default variant when it prints it
        self.entries: list[tuple[str, str, str]] = sorted(
            ((alias, tid, default if default in vs else min(vs)) for (alias, tid), vs in owners.items()),
            key=lambda x: (-len(x[0]), x[2] != default, x[2]),
        )
        # the entries by the last character of their alias, in the same order: a title is
        # compared only with the aliases it can end with
        self.by_last: dict[str, list[tuple[str, str, str]]] = {}
        for e in self.entries:
            self.by_last.setdefault(e[0][-1:], []).append(e)

    @staticmethod
    def of(variants, default: str) -> Titles:
        """The titles of ``variants`` (made once per set of variants: they are module data)."""
        got = _TITLES.get(id(variants))
        if got is None or got[0] is not variants or got[2] != len(variants):
            got = _TITLES[id(variants)] = (variants, Titles(variants, default), len(variants))
        return got[1]


_TITLES: dict[int, tuple] = {}      # id(variants) → (variants, their Titles, how many variants)

_CN = "一二三四五六七八九十"
# a table's printed number: 公开01表, 表七, 表2, 附表1, 表1-1, 附件2
_NUMBER = rf"(?:公开\d{{1,2}}表|附?表[0-9{_CN}]{{1,3}}(?:[-－—]\d{{1,2}})?|附件\d{{1,2}})"
_NUMBER_RE = re.compile(_NUMBER)
_LEADING_NUMBER = re.compile(rf"^(?:{_NUMBER}|[0-9{_CN}]{{1,3}}(?=[:：、.．]))[:：、.．\-—]?")
_TRAILING_NUMBER = re.compile(rf"[（(]?({_NUMBER})[)）]?$")
_NUMBER_ONLY = re.compile(rf"^[（(]?{_NUMBER}[)）]?[:：]?$")
# a title's prefix (before a known title) ending so is part of another table's name
# (一般公共预算财政拨款「项目」支出决算表, 政府性基金预算财政拨款「基本」支出决算表): not that table
_NAME_TAIL = ("财政拨款", "预算", "项目", "基本", "基金", "经费", "资金", "收入", "支出", "收支", "三公",
              "会议费", "培训费", "情况", "政府采购", "购买服务", "国有资本经营", "一般公共", "专户")


def number_value(number: str) -> int | None:
    """The place a printed table number gives (公开03表 → 3, 表七 → 7, 附表1 → 1; 表1-2 → None)."""
    m = re.fullmatch(rf"(?:公开|附)?表([0-9{_CN}]{{1,3}})|公开(\d{{1,2}})表|附件(\d{{1,2}})", number)
    if not m:
        return None
    g = next(x for x in m.groups() if x)
    return int(g) if g.isdigit() else cn_to_int(g)


def table_number(text: str) -> str:
    """The table number printed on a title line, or on a line of its own ("" when none)."""
    f = _qkey(text)
    m = _LEADING_NUMBER.match(f) or _TRAILING_NUMBER.search(f)
    if m is None:
        return ""
    got = _NUMBER_RE.search(m.group())
    return got.group() if got else ""


def is_table_number(text: str) -> bool:
    """A line holding only a table's number (公开01表, 表七, （续表）aside)."""
    return ("表" in text or "附件" in text) and len(text) < 24 and bool(_NUMBER_ONLY.match(_qkey(text)))


def is_continued(text: str) -> bool:
    """A line saying only that the table goes on: 续表 / （续）."""
    return bool(re.fullmatch(r"[（(]?续表?[)）]?", _qkey(text)))


def match_title(text: str, titles: Titles) -> tuple[str, str, str] | None:
    """(table id, variant, alias) when ``text`` is a table title line."""
    if "表" not in text or len(text) > 120:
        return None
    f = _qkey(text)
    if not f or len(f) > 60 or "部分" in f[:6] or f.endswith("说明"):
        return None
    f = re.sub(r"[（(]?续表?[)）]?$", "", f)
    f = re.sub(r"[（(](?:(?:19|20)\d{2}年度?|单位[:：]?万?元|金额单位[:：]?万?元)[)）]$", "", f)
    f = _TRAILING_NUMBER.sub("", f)
    if "" in titles.by_last:     # (an empty alias ends every title)
        candidates = titles.entries
    else:
        candidates = titles.by_last.get(f[-1:], ())
    for alias, tid, vname in candidates:
        if f.endswith(alias) and len(f) - len(alias) <= 40:
            prefix = f[: len(f) - len(alias)]
            # "附表1：" / "表一、" / "公开01表" / "1." before the title
            prefix = _LEADING_NUMBER.sub("", prefix)
            # "支出决算表" inside running text is not a title: the prefix is a year, an
            # entity, an enumeration or a table number only.
            if re.search(r"[。，,；;：:]", prefix):
                return None
            if prefix.endswith(_NAME_TAIL) and tid not in titles.forms:
                # the end of another table's name: 一般公共预算财政拨款项目支出决算表 (a form's title
                # names its project before it: …专项经费项目绩效目标表)
                return None
            return tid, vname, alias
    return None


# what ends a 目录 entry: dot leaders and/or a page number ("……5", "···· 12", " 5", "第5页")
_PAGE_REF = re.compile(r"(?:[.．。·•…⋯‥_\-—－]{2,}\s*|\s+|(?<=表))(?:第\s*)?\d{1,3}\s*页?$|[.．。·•…⋯‥_]{3,}$")


def contents_entry(text: str, titles: Titles) -> tuple[str, str, str] | None:
    """(table id, variant, alias) when ``text`` is a 目录 entry naming a table: its title followed
    by dot leaders or a page number ("一、收入支出决算总表……5"). Not a table's title line."""
    if "表" not in text or len(text) > 160:
        return None
    m = _PAGE_REF.search(text.rstrip())
    if m is None or m.start() == 0:
        return None
    return match_title(text[: m.start()], titles)


@dataclass
class Region:
    tid: str
    variant: str
    title_line: SourceLine
    lines: list[SourceLine] = field(default_factory=list)
    alias: str = ""              # the title it was found by
    number: str = ""             # its printed number (公开01表, 表七, 附表1), "" when none
    wrapped: str = ""            # the title's second line, when it wraps over two


# ----------------------------------------------------------------------------------------
# value assignment


@dataclass
class Tok:
    value: Decimal
    text: str
    pos: int | None = None       # value-cell index on the line (None: no positions)


def _tol(n: int) -> Decimal:
    return Decimal("0.005") * (n + 1) + Decimal("0.0001")


def _identities_hold(vals: dict[str, Decimal], idents: tuple[RowIdentity, ...]) -> bool:
    """Do the row identities hold for the values by column key (blank = 0), within rounding?"""
    for total, parts in idents:
        t = vals.get(total, ZERO)
        s = sum((vals.get(p, ZERO) if sign > 0 else -vals.get(p, ZERO) for sign, p in parts), ZERO)
        if abs(t - s) > _tol(len(parts)):
            return False
    return True


def assign_values(toks: list[Tok], keys: list[str], idents=(), allowed: set[int] | None = None,
                  max_drop: int = 2, alts_out: list | None = None) -> tuple[dict[int, Tok], list[Tok], str]:
    """Map tokens onto columns ``keys`` (order-preserving). Returns (col → token, dropped, how).

    Positional when every token knows its cell and no cell holds two numbers; otherwise
    every order-preserving reading (dropping at most ``max_drop`` surplus numbers) is scored
    by the identities, the positions, the columns of the 合计 row, then leftmost. Readings
    that tie with the best except for the leftmost preference go to ``alts_out`` (the
    hierarchy of the table can then decide between them).
    """
    n = len(keys)
    positions = [t.pos for t in toks]
    if toks and None not in positions and len(set(positions)) == len(positions) and max(positions) < n:
        mapping = {t.pos: t for t in toks}
        if not idents or _identities_hold({keys[c]: t.value for c, t in mapping.items()}, idents):
            return mapping, [], "positional"  # type: ignore[return-value]
        # the cells contradict the row identity: a shifted reading may satisfy it
        shifted, dropped, how = assign_values([Tok(t.value, t.text) for t in toks], keys, idents, allowed,
                                              max_drop=0)
        if how.startswith("identity") and "并列" not in how:
            return shifted, dropped, "identity（单元格位置与恒等式不符，已按恒等式改正）"
        return mapping, [], "positional（与恒等式不符）"  # type: ignore[return-value]
    if not toks:
        return {}, [], "empty"
    scored: list[tuple[float, tuple, list, tuple]] = []
    for drop in range(0, min(max_drop, len(toks)) + 1):
        if len(toks) - drop > n:
            continue
        for dropped in itertools.combinations(range(len(toks)), drop):
            kept = [t for i, t in enumerate(toks) if i not in dropped]
            for cols in itertools.combinations(range(n), len(kept)):
                vals = {keys[c]: t.value for c, t in zip(cols, kept)}
                score = 0.0
                if idents and _identities_hold(vals, idents):
                    score += 100
                score -= 30 * drop
                score += sum(3 for c, t in zip(cols, kept) if t.pos == c)
                if allowed is not None:
                    score -= sum(5 for c, t in zip(cols, kept) if c not in allowed and t.value != 0)
                scored.append((score, cols, kept, dropped))
        if scored and max(x[0] for x in scored) >= 100 - 30 * drop:
            break
    if not scored:
        return {}, list(toks), "unplaceable"
    top = max(x[0] for x in scored)
    ties = sorted((x for x in scored if x[0] >= top - 1e-9), key=lambda x: sum(x[1]))
    _, cols, kept, dropped = ties[0]
    if alts_out is not None and len(ties) > 1:
        alts_out.extend(dict(zip(c, k)) for _, c, k, d in ties if d == dropped)
    how = "identity" if idents and top >= 70 else "order"
    if len(ties) > 1:
        how += f"（{len(ties)} 种读法并列）"
    return dict(zip(cols, kept)), [toks[i] for i in dropped], how


# assign_values' "how" → (Reading.how, confidence)
def _reading_how(how: str, grid: bool) -> tuple[str, float]:
    if "并列" in how:
        return "scored", 0.5
    if how.startswith("positional（"):
        return "positional:与恒等式不符", 0.6
    if how == "positional":
        return ("ruled-cell", 1.0) if grid else ("positional", 1.0)
    if how == "empty" and grid:
        return "ruled-cell", 1.0    # a ruled row whose cells are all blank: read exactly
    if how.startswith("identity（"):
        return "chosen-by-identity:单元格位置与恒等式不符，已按恒等式改正", 0.8
    if how == "across":
        return "chosen-by-identity:其他表的同一数字", 0.9
    if how == "identity":
        return "chosen-by-identity:row", 0.9
    return "scored", 0.7


def record_readings(row: Row, table_id: str, headers: list[str], mapping: dict[int, Tok], how: str,
                    line: SourceLine, tied: list[dict[int, Tok]] | None = None) -> None:
    """The readings of a row's cells placed by :func:`assign_values`: every column of ``headers``,
    a blank one as the blank it was read as (positions known) or inferred (free text)."""
    kind, confidence = _reading_how(how, line.grid)
    where = line.place()
    label = (f"{row.code} {row.label}".strip() if row.code and not row.label.startswith(row.code)
             else (row.label or row.key))
    for ci, h in enumerate(headers):
        t = mapping.get(ci)
        alts = tuple(dict.fromkeys(m[ci].value if ci in m else ZERO for m in tied or ())) if tied else ()
        place = where._replace(table=table_id, row=label, column=h)
        if t is not None:
            row.readings[h] = Reading(t.value, t.text, place, kind, confidence, alts)
        else:
            blank_kind = kind if kind in ("ruled-cell", "positional") else "blank:未印数字，按空白读"
            row.readings[h] = Reading(row.cells.get(h), "", place, blank_kind, confidence, alts)


def _derived(row: Row, table_id: str, how: str) -> None:
    """Readings of a row the document does not print: worked out from others (a 合计 by its 类),
    or the blanks of a table without figures."""
    for h, v in row.cells.items():
        row.readings[h] = Reading(v, "", Place(table=table_id, row=row.label, column=h), how,
                                  1.0 if how.startswith("blank") else 0.8)


def resolve_hierarchy(rows: list[Row], alts: dict[str, list[dict[int, Tok]]], headers: list[str],
                      trace: Trace, table_id: str) -> None:
    """Choose among tied readings so that 合计 = Σ类, 类 = Σ款, 款 = Σ项 column by column."""
    if not alts:
        return

    def children(r: Row) -> list[Row]:
        if r.key == "合计":
            return [x for x in rows if x.level == 1]
        want = {3: 5, 5: 7}.get(len(r.code))
        return [x for x in rows if want and len(x.code) == want and x.code.startswith(r.code)]

    def apply(r: Row, m: dict[int, Tok]) -> None:
        for h in headers:
            r.cells[h] = ZERO
        for ci, t in m.items():
            r.cells[headers[ci]] = t.value
        for ci, h in enumerate(headers):
            old = r.readings.get(h)
            if old is not None:
                t = m.get(ci)
                r.readings[h] = old._replace(value=r.cells[h], text=t.text if t is not None else "",
                                             how="chosen-by-identity:上下级合计", confidence=0.9)

    def deviation(p: Row, kids: list[Row]) -> Decimal:
        return sum((abs(p.cells[h] - sum((k.cells[h] for k in kids), ZERO)) for h in headers), ZERO)

    order = sorted(rows, key=lambda r: (0 if r.key == "合计" else len(r.code)))
    for parent in order:
        kids = children(parent)
        if not kids:
            continue
        p_opts = alts.get(parent.key) or [None]
        k_opts = [alts.get(k.key) or [None] for k in kids]
        combos = 1
        for o in k_opts:
            combos *= len(o)
        if combos * len(p_opts) > 4096 or (len(p_opts) == 1 and combos == 1):
            continue
        best = None
        for po in p_opts:
            if po is not None:
                apply(parent, po)
            for combo in itertools.product(*k_opts):
                for k, ko in zip(kids, combo):
                    if ko is not None:
                        apply(k, ko)
                d = deviation(parent, kids)
                if best is None or d < best[0]:
                    best = (d, po, combo)
        _, po, combo = best
        if po is not None:
            apply(parent, po)
            alts.pop(parent.key, None)
        for k, ko in zip(kids, combo):
            if ko is not None:
                apply(k, ko)
                alts.pop(k.key, None)
                trace.note("cells", f"{k.code}：并列读法按上下级合计选定", None, table=table_id,
                           cells={headers[ci]: t.text for ci, t in ko.items()})


# ----------------------------------------------------------------------------------------
# line pieces


def _value_tokens(cells: list[str], positional: bool) -> tuple[list[Tok], list[str]]:
    """Numbers of the value cells; the non-numeric leftovers."""
    toks: list[Tok] = []
    junk: list[str] = []
    for i, c in enumerate(cells):
        nums = numeric_cell(c)
        if nums is None:
            if c.strip():
                junk.append(c)
            continue
        if not nums and not positional and c.strip():
            toks.append(Tok(ZERO, c.strip()))   # "-" for zero keeps its place in free text
            continue
        for tx in nums:
            v = to_decimal(tx)
            if v is not None:
                toks.append(Tok(v, tx, i if positional and len(nums) == 1 else None))
    # two numbers in one cell: positions of that line are no longer reliable for them only
    return toks, junk


def _is_lanci(cells: list[str]) -> bool:
    f = flat("".join(cells))
    if "栏次" in f:
        return True
    ints = [w for c in cells for w in c.split() if w]
    if len(ints) >= 3 and all(is_int_token(c) for c in ints):
        seq = [int(c) for c in ints]
        return seq == list(range(seq[0], seq[0] + len(seq))) and seq[0] in (1, 7)
    return False


def _has_decimal(text: str) -> bool:
    return any("." in m.group() or "," in m.group() for m in NUM_RE.finditer(text))


# a classification code printed in one cell with its name: "[2010401]行政运行", "2010801-行政运行"
_CODE_NAME = re.compile(r"^[\[【]?(\d{3,7})(?:[\]】]\s*|\s*[-－—]\s*)(?=\D)(.+)$")


def _cells_of(line: SourceLine) -> tuple[list[str], bool]:
    cells = [c.strip() for c in line.cells]
    if any(c[:1] in "[【" or c[:1].isdigit() for c in cells):
        out: list[str] = []
        for c in cells:
            m = _CODE_NAME.match(c) if c[:1] in "[【" or c[:1].isdigit() else None
            if m and has_cjk(m.group(2)):
                out += [m.group(1), m.group(2).strip()]
            else:
                out.append(c)
        if len(out) != len(cells):
            return out, True
    return cells, (line.grid or len(cells) > 1)


_META_RE = re.compile(r"(金额单位|单位[:：]|编制单位|部门[:：]|^部门$)")


def _read_meta(line: SourceLine, table: Table, trace: Trace) -> bool:
    f = flat(line_text(line))
    if not (_META_RE.search(f) or f.startswith("部门")):
        return False
    if "万元" in f:
        table.unit = "万元"
    elif re.search(r"单位[:：]?元", f):
        table.unit = "元"
    m = re.search(r"(?:编制单位|部门)[:：](.+?)(?:金额单位|单位[:：]|$)", f)
    if m and has_cjk(m.group(1)) and not table.source.get("department"):
        table.source["department"] = m.group(1)
    trace.note("table", "表头信息（部门/金额单位）", line, table=table.id)
    return True


def _empty_sentence(line: SourceLine) -> bool:
    f = flat(line_text(line))
    return ("无数据" in f or "本表为空" in f or ("没有" in f and "本表" in f)) and len(line.cells) <= 2


def _body_lines(region, table, trace):
    """The lines of a table region that carry rows: blank lines, the 部门/金额单位 lines
    (read into ``table``) and the 本表无数据 sentence (kept in ``table.source``) are consumed here."""
    for line in region.lines:
        if not line_text(line).strip():
            continue
        text = line_text(line)
        if ("表" in text or "续" in text) and (is_table_number(text) or is_continued(text)):
            trace.note("table", "表号或“续表”，跳过", line, table=table.id)
            continue
        if _read_meta(line, table, trace):
            continue
        if _empty_sentence(line):
            table.source["empty_sentence"] = line_text(line)
            continue
        yield line


# ----------------------------------------------------------------------------------------
# two-sided tables


def _strip_enum(label: str) -> str:
    """A row label without its enumeration: 一、 1. 1、 (1) （1）."""
    return re.sub(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）])", "", _qkey(label))


class _SideIndex:
    def __init__(self, side):
        self.side = side
        self.by_key: dict[str, list] = {}
        for fr in side.rows:
            for label in (fr.label, *fr.aliases) if fr.label else ():
                self.by_key.setdefault(normalize_name(_strip_enum(label)), []).append(fr)
        # (key, its rows, the length of the key as ratio() compares it): the fuzzy lookup skips
        # the keys too long or too short to reach 0.85 with the text at all
        self.fuzzy = [(key, frs, compared_length(key)) for key, frs in self.by_key.items()]
        self.bracketed = [(key, frs) for key, frs in self.by_key.items() if "(" in key]

    def match(self, text: str):
        k = normalize_name(_strip_enum(text))
        if not k or not has_cjk(k):
            return None
        if k in self.by_key:
            return self.by_key[k]
        # a label printed with or without its bracketed note: 使用非财政拨款结余（含专用结余）
        for key, frs in self.by_key.items() if "(" in k else self.bracketed:
            if len(key) >= 4 and (k.startswith(key) and k[len(key):].startswith("(")) or \
                    len(k) >= 4 and key.startswith(k) and key[len(k):].startswith("("):
                return frs
        best, score = None, 0.0
        n = compared_length(k)
        for key, frs, m in self.fuzzy:
            # ratio = 2 × matches / (n + m) ≤ 2 × min(n, m) / (n + m): below 0.85, never chosen
            if 2 * min(n, m) < 0.84 * (n + m):
                continue
            r = ratio(k, key)
            if r > score:
                best, score = frs, r
        return best if score >= 0.85 else None


class TwoSidedTableReader:
    """A two-sided table (T1, T4: 收入 | 支出) read from its region, in named stages:

    1. :meth:`make_rows`: every fixed row of the layout, on its side, with blank cells;
    2. :meth:`segments`: a body line walked cell by cell — a label found on a side opens a
       segment, then its 行次, then its values (labels may stand anywhere on the line);
    3. :meth:`place_segment`: a segment's values placed on its row (:func:`assign_values` with the
       side's identities), readings recorded, tied readings left for :func:`resolve_across`;
    4. :meth:`displaced`: a line of figures alone, the values of the labels of the line above.
    """

    def __init__(self, region: Region, lay: TableLayout, table: Table, trace: Trace,
                 row_idents: dict[tuple[str, str | None], tuple[RowIdentity, ...]], cat: Catalog | None = None):
        self.region, self.lay, self.table, self.trace = region, lay, table, trace
        # 款 and 项 printed under the 类 rows of a side (a 部门预算's 收支总表): rows of their own
        self.names = _names_index(cat) if cat is not None else {}
        self.coded_side = next((i for i, s in enumerate(lay.sides) if any(fr.code for fr in s.rows)), None)
        self.parent: Any = None                      # the last 类 row read on the coded side
        self.extras: dict[str, list[str]] = {}       # 类 row key → the keys of the rows printed under it
        self.sides = [_SideIndex(s) for s in lay.sides]
        self.side_idents = [row_idents.get((lay.id, side.name), ()) for side in lay.sides]
        self.rows: dict[tuple[int, str], Row] = {}
        self.filled: set[tuple[int, str]] = set()
        self.valueless: list[tuple[int, Any]] = []     # rows of the line above that had no figure
        self.strays: list[str] = []                       # figures of the line before any label
        # the first 行次 of the second side: a smaller one alone on a line is a filler row of the first
        self.next_side_line = min((fr.line for s in lay.sides[1:] for fr in s.rows if fr.line), default=10_000)

    def printed_line_numbers(self) -> bool:
        """Does the table print 行次? Its header says so (a 行次 column, or a header without one);
        with no header read, its layout."""
        header = []
        for line in self.region.lines:
            if _has_decimal(line_text(line)):
                break
            header.append(flat(line_text(line)))
        text = "".join(header)
        if "行次" in text:
            return True
        if "项目" in text or "决算数" in text:
            return False
        return self.lay.show_line_numbers

    def read(self) -> None:
        self.make_rows()
        trace, tid = self.trace, self.table.id
        self.line_numbers = self.printed_line_numbers()
        if self.line_numbers != self.lay.show_line_numbers:
            trace.note("table", "按表头确定是否印有行次：" + ("有" if self.line_numbers else "无"), None, table=tid)
        for line in _body_lines(self.region, self.table, trace):
            cells, positional = _cells_of(line)
            if line.spans is not None and len(line.spans) == len(cells):
                # a label merged over the columns after it (当年支出小计 over 功能分类 and 支出用途): its
                # figure is the next cell after the span, not a figure of a blank row beside it
                cells = [c for c, n in zip(cells, line.spans) if n]
            if "栏次" in flat(line_text(line)):
                trace.note("table", "栏次行，跳过", line, table=tid)
                continue
            if {flat(c) for c in cells} & {"项目", "行次", "决算数", "金额", "合计", "收入", "支出"} and \
                    not _has_decimal(line_text(line)):   # "合计 569,496.54 合计 569,496.54" is a row
                trace.note("table", "表头，跳过", line, table=tid)
                continue
            if not positional:
                cells = _free_cells(line_text(line))
            self.strays = []
            segments = self.segments(line, cells)
            if not segments:
                self.displaced(line, cells)
                self.valueless = []
                continue
            for c in self.strays:
                trace.unread(line, "数字前没有可识别的行名", text=c, table=tid)
            self.valueless = []
            for seg in segments:
                self.place_segment(line, positional, *seg)
        lay = self.lay
        self.table.rows = [r for si, s in enumerate(lay.sides) for fr in s.rows
                           for r in (self.rows[(si, fr.key or f"filler{fr.line}")],
                                     *(self.rows[(si, k)] for k in self.extras.get(fr.key, ())))]
        if lay.printed_rows_only:   # the rows this document prints (and the 款/项 under them)
            extras = {k for ks in self.extras.values() for k in ks}
            self.table.rows = [r for r in self.table.rows if r.key and (
                (self.side_of(r), r.key) in self.filled or r.key in extras)]

    def side_of(self, row: Row) -> int:
        return next(i for i, s in enumerate(self.lay.sides) if s.name == row.side)

    def extra_row(self, text: str) -> tuple[int, list] | None:
        """A 款 or 项 printed under a 类 row of the coded side (by its name in the 功能分类
        catalogue, its code the one under that 类 and the 款 before it): a row of its own."""
        si, parent = self.coded_side, self.parent
        if si is None or parent is None or not self.names:
            return None
        name = normalize_name(_strip_enum(text))
        codes = [c for c in self.names.get(name, ()) if c.startswith(parent.code) and len(c) > 3]
        if not codes:
            return None
        kids = self.extras.setdefault(parent.key, [])
        last = self.rows[(si, kids[-1])].code if kids else ""
        under = [c for c in codes if len(c) == 7 and last and c.startswith(last[:5])]
        code = under[0] if len(under) == 1 else codes[0] if len(codes) == 1 else ""
        base = parent.key.rsplit(":", 1)[0]
        key = f"{base}:{code}" if code else f"{base}:{parent.code}:{name}"
        n = 2
        while (si, key) in self.rows:
            key, n = f"{key.split('#')[0]}#{n}", n + 1
        fr = FixedRow(key, name, None, code)
        self.rows[(si, key)] = Row(key=key, label=name, code=code, side=self.lay.sides[si].name,
                                   level=2 if len(code) == 5 else 3,
                                   cells={c.header: ZERO for c in self.lay.sides[si].columns})
        kids.append(key)
        return si, [fr]

    def make_rows(self) -> None:
        for si, side in enumerate(self.lay.sides):
            for fr in side.rows:
                self.rows[(si, fr.key or f"filler{fr.line}")] = Row(
                    key=fr.key, label=fr.label, code=fr.code, line=fr.line, side=side.name,
                    level=1 if fr.code else 0, cells={c.header: ZERO for c in side.columns} if fr.key else {})

    def segments(self, line: SourceLine, cells: list[str]) -> list[list]:
        """[side index, its fixed rows matching the label, value cells, 行次 or None] of each label
        found on the line, in order."""
        sides, lay, filled = self.sides, self.lay, self.filled
        segments: list[list] = []
        cur: list | None = None
        side_at = 0
        cells = [x for c in cells for x in self.split_labels(c)]
        for c in cells:
            if c and has_cjk(c) and numeric_cell(c) is None:
                hit = None
                for si in range(min(side_at, len(sides) - 1), len(sides)):
                    frs = sides[si].match(c)
                    if frs:
                        hit = (si, frs)
                        break
                if hit is not None and all((hit[0], x.key) in filled for x in hit[1]):
                    # 收入 and 支出 stacked rather than side by side: "总计" the second time
                    later = next(((sj, f2) for sj in range(hit[0] + 1, len(sides))
                                  if (f2 := sides[sj].match(c)) and
                                  any((sj, x.key) not in filled for x in f2)), None)
                    hit = later or hit
                if hit is None and self.names:
                    hit = self.extra_row(c)
                elif hit is not None and hit[0] == self.coded_side and hit[1][0].code:
                    self.parent = hit[1][0]
                if hit:
                    side_at = hit[0] + 1
                    cur = [hit[0], hit[1], [], None]
                    segments.append(cur)
                    continue
                if cur is not None and not cur[2]:
                    continue  # label continuation / header word
                cur = None
                continue
            if cur is None:
                if c and is_int_token(c):
                    # a filler row's 行次: the income side ends here
                    side_at = max(side_at, 1) if int(c) < self.next_side_line else side_at
                elif c and numeric_cell(c):
                    self.strays.append(c)   # unread, unless the line is the figures of the line above
                continue
            if cur[3] is None and c and is_int_token(c) and self.line_numbers:
                cur[3] = int(c)   # 行次
                continue
            if c and is_int_token(c) and cur[0] + 1 < len(lay.sides) and \
                    int(c) in {fr.line for fr in lay.sides[cur[0] + 1].rows}:
                # the next side's 行次 on a row whose next-side label is blank
                side_at = cur[0] + 1
                cur = None
                continue
            cur[2].append(c)
        return segments

    def split_labels(self, cell: str) -> list[str]:
        """A text cell holding two labels run together ("八、其他收入 八、社会保障和就业支出": 收入 and
        支出 with nothing between them once tabs are lost and no 行次 is printed) → the two."""
        words = cell.split()
        if len(words) < 2 or not has_cjk(cell) or any(s.match(cell) for s in self.sides):
            return [cell]
        for k in range(1, len(words)):
            left, right = " ".join(words[:k]), " ".join(words[k:])
            if self.sides[0].match(left) and any(s.match(right) for s in self.sides[1:]):
                return [left, right]
        return [cell]

    def displaced(self, line: SourceLine, cells: list[str]) -> None:
        """A line without a label: the figures of the line above, displaced onto a line of their own."""
        trace, tid, lay = self.trace, self.table.id, self.lay
        nums = [n for c in cells for n in (numeric_cell(c) or []) if _has_decimal(n)]
        if nums and len(nums) == len(self.valueless):
            for (si, fr), tx in zip(self.valueless, nums):
                r, h = self.rows[(si, fr.key)], lay.sides[si].columns[0].header
                r.cells[h] = to_decimal(tx) or ZERO
                r.readings[h] = Reading(r.cells[h], tx, line.place()._replace(table=tid, row=r.label, column=h),
                                        "repaired:数字错位到下一行", 0.8)
            trace.note("table", "数字错位到下一行，归入上一行", line, table=tid)
        else:
            for c in self.strays:
                trace.unread(line, "数字前没有可识别的行名", text=c, table=tid)
            if _has_decimal(line_text(line)):
                trace.unread(line, "两栏表中无法识别的行", table=tid)
            else:
                trace.note("table", "表头或无法识别的文字，跳过", line, table=tid)

    def place_segment(self, line: SourceLine, positional: bool, si: int, frs: list, vcells: list[str],
                      lineno: int | None) -> None:
        lay, trace, table, filled = self.lay, self.trace, self.table, self.filled
        fr = frs[0]
        if lineno is not None:
            fr = next((x for x in frs if x.line == lineno), None) or fr
        elif len(frs) > 1:
            fr = next((x for x in frs if (si, x.key) not in filled), frs[0])
        key = (si, fr.key)
        row = self.rows[key]
        side = lay.sides[si]
        keys = [c.key for c in side.columns]
        toks, _ = _value_tokens(vcells, positional)
        if not toks:
            filled.add(key)
            row.source = {**line.place().to_dict()}
            record_readings(row, table.id, [c.header for c in side.columns], {}, "positional", line)
            if len(side.columns) == 1:
                self.valueless.append((si, fr))
            return
        tied: list[dict[int, Tok]] = []
        mapping, dropped, how = assign_values(toks, keys, self.side_idents[si], alts_out=tied)
        for ci, t in mapping.items():
            row.cells[side.columns[ci].header] = t.value
        record_readings(row, table.id, [c.header for c in side.columns], mapping, how, line, tied)
        if tied:
            trace.alternatives[(table.id, fr.key)] = [
                {side.columns[ci].header: t.value for ci, t in m.items()} for m in tied]
        for t in dropped:
            trace.unread(line, "数字无法归入任何列", text=t.text, table=table.id, row=fr.label)
        filled.add(key)
        row.source = {**line.place().to_dict()}
        trace.note("cells", f"{fr.label}：{how}", line, table=table.id,
                   cells={side.columns[ci].header: t.text for ci, t in mapping.items()})


def _free_cells(text: str) -> list[str]:
    """A line without cell structure → pseudo-cells: numbers, integers and text runs."""
    out: list[str] = []
    pos = 0
    for m in NUM_RE.finditer(text):
        before = text[pos:m.start()].strip()
        if before:
            out.extend(w for w in re.split(r"\s{2,}", before) if w)
        out.append(m.group())
        pos = m.end()
    rest = text[pos:].strip()
    if rest:
        out.append(rest)
    return out


# ----------------------------------------------------------------------------------------
# function tables


_TOTAL_NAMES = {"合计", "总计", "本年合计", "合计数"}
_HEADER_WORDS = ("科目名称", "科目编码", "功能分类", "项目", "栏次", "决算数", "本年支出", "本年收入")


_NAME_INDEX: dict[int, dict[str, list[str]]] = {}


def _names_index(cat: Catalog) -> dict[str, list[str]]:
    """normalised 功能分类 name → codes, built once per catalogue."""
    idx = _NAME_INDEX.get(id(cat))
    if idx is None:
        idx = {}
        for c, n in cat.function.items():
            idx.setdefault(normalize_name(n), []).append(c)
        _NAME_INDEX[id(cat)] = idx
    return idx


_KIDS_INDEX: dict[int, dict[str, list[tuple[str, str]]]] = {}


def _children_index(cat: Catalog) -> dict[str, list[tuple[str, str]]]:
    """类/款 code → [(code, name)] of everything under it, built once per catalogue."""
    idx = _KIDS_INDEX.get(id(cat))
    if idx is None:
        idx = {}
        for c, n in cat.function.items():
            if len(c) == 3:
                idx.setdefault("", []).append((c, n))
            for k in (3, 5):
                if len(c) > k:
                    idx.setdefault(c[:k], []).append((c, n))
        _KIDS_INDEX[id(cat)] = idx
    return idx


class _Resolver:
    """功能分类 code of a printed row: code pieces + name + the 类/款 above it."""

    def __init__(self, cat: Catalog):
        self.cat = cat
        self.lei = ""
        self.kuan = ""
        self.by_name = _names_index(cat)

    @staticmethod
    def candidates(parts: list[str]) -> list[str]:
        parts = [p for p in parts if p.isdigit()]
        j = "".join(parts)
        out: list[str] = []
        if len(j) in (3, 5, 7):
            out.append(j)
        if len(parts) >= 2:
            a, b = parts[0], parts[1]
            if len(a) == 3:
                out.append(a + b[-2:].zfill(2))
                if len(parts) >= 3:
                    out.append(a + b[-2:].zfill(2) + parts[2][-2:].zfill(2))
            if len(a) == 5:
                out.append(a + b[-2:] if len(b) >= 2 else a)
        if len(j) > 7:
            out += [j[:5] + j[-2:], j[:7]]
        if len(j) == 6:
            out.append(j[:5])
        if len(j) == 4:
            out.append(j[:3])
        out += [p for p in parts if len(p) in (3, 5, 7)]
        seen: list[str] = []
        for c in out:
            if c not in seen and len(c) in (3, 5, 7):
                seen.append(c)
        return seen

    def resolve(self, parts: list[str], name: str) -> tuple[str | None, str, float]:
        """(code, how, name score); code "" for the 合计 row, None when unknown."""
        k = normalize_name(_qkey(name))
        if k in _TOTAL_NAMES:
            return "", "合计", 1.0
        cands = self.candidates(parts)
        scored = [(_name_score(self.cat.function[c], name), -i, c)
                  for i, c in enumerate(cands) if c in self.cat.function]
        if scored:
            r, _, c = max(scored)
            # another reading of the printed digits than their plain join, when that join is not a
            # code, must be borne out by the name, not merely resemble it (a 项 "其他X支出" is
            # not its 款 "X")
            if r >= (0.6 if c == cands[0] or cands[0] in self.cat.function else 0.9):
                return self._use(c), ("code+name" if r >= 0.999 else f"code+fuzzy {r:.2f}"), r
            if not name and len(scored) == 1:
                # the name was not on the line (wrapped off it): the printed code alone, when the
                # catalogue knows exactly one reading of it
                return self._use(c), "code (name not on the line)", 0.6
        if cands:
            # a printed code is never rewritten: one the catalogue does not know, or whose name
            # differs from the printed one, stays as printed (JS109/JS110 say so)
            printed = cands[0]   # the digits as printed, joined
            how = "printed code, name differs" if printed in self.cat.function else "printed code (not in catalogue)"
            return self._use(printed), how, 0.3
        prefixes = [p for p in dict.fromkeys([*(c[:5] for c in cands if len(c) >= 5),
                                              *(c[:3] for c in cands), self.kuan, self.lei]) if p]
        exact = self.by_name.get(k, [])
        for p in prefixes:
            m = [c for c in exact if c.startswith(p)]
            if len(m) == 1:
                return self._use(m[0]), "name in context", 1.0
        if len(exact) == 1:
            return self._use(exact[0]), "name", 1.0
        if name:
            kids = _children_index(self.cat)
            for p in prefixes:
                best, score = None, 0.0
                for c, n in kids.get(p, ()):
                    if c != p:
                        r = ratio(n, name)
                        if r > score:
                            best, score = c, r
                if best and score >= 0.6:
                    return self._use(best), f"fuzzy name {score:.2f} under {p}", score
            if not prefixes:
                best, score = None, 0.0
                for c, n in _children_index(self.cat).get("", ()):
                    if len(c) == 3:
                        r = ratio(n, name)
                        if r > score:
                            best, score = c, r
                if best and score >= 0.8:
                    return self._use(best), f"fuzzy class name {score:.2f}", score
        return None, "unknown", 0.0

    def _use(self, code: str) -> str:
        self.lei = code[:3]
        if len(code) >= 5:
            self.kuan = code[:5]
        return code


def _name_score(known: str, printed: str) -> float:
    """How well a printed 科目名称 matches the catalogue's; the first part of a name wrapped
    over lines ("机关事业单位基本养老保" of "…保险缴费支出") counts as a match of 0.9."""
    if not printed:
        return 0.0
    r = ratio(known, printed)
    if r < 0.9 and len(printed) >= 4 and normalize_name(known).startswith(normalize_name(printed)):
        return 0.9
    return r


_CODE_CELL = re.compile(r"\d[\d ]*")


def _free_tokens(text: str) -> list[tuple[str, str]]:
    """A line without cells → ("num"|"dash"|"word", text) tokens; a number keeps its inner
    spaces ("1, 294. 48")."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _VAL_RE.finditer(text):
        out.extend(("word", w) for w in text[pos:m.start()].split())
        out.append(("dash" if m.group() in "-—–" else "num", m.group()))
        pos = m.end()
    out.extend(("word", w) for w in text[pos:].split())
    return out
# a value in free text: a number, or a dash standing alone for zero ("100.00 - 100.00")
_VAL_RE = re.compile(NUM_RE.pattern + r"|(?<!\S)[-—–](?!\S)")


def _header_rows(region: Region):
    """(line, cells) of every header row of a region: each line of header cells alone, and two or
    three consecutive ones with as many cells merged cell by cell (a header printed on several
    lines: 事业收入 over 金额 | 其中：教育收费; 项目支出 over 小计 | 其中：基本建设资金支出)."""
    lines = region.lines
    is_head = [(line.grid or len(line.cells) > 1) and not _has_decimal(line_text(line)) for line in lines]
    for k, line in enumerate(lines):
        if not is_head[k]:
            continue
        cells = [flat(c) for c in line.cells]
        yield line, cells
        for j in (k + 1, k + 2):
            if j >= len(lines) or not is_head[j] or len(lines[j].cells) != len(line.cells):
                break
            cells = [a + flat(b) for a, b in zip(cells, lines[j].cells)]
            yield line, cells


def _header_columns(region: Region, cols: list, value_start: int | None, trace: Trace,
                    table_id: str) -> tuple[dict[int, int], int] | None:
    """(value cell → column, number of value cells), from a header row naming every column of the
    layout (by its header or an alias), when the header's first column is where the data rows'
    values start. Columns printed in another order, or extra columns, are then read right."""
    if value_start is None:
        return None
    for line, cells in _header_rows(region):
        used: dict[int, int] = {}
        for ci, col in enumerate(cols):
            names = [flat(col.header.split("/")[-1]), *(flat(a) for a in col.aliases)]
            hit = next((i for i, c in enumerate(cells) if i not in used and c in names), None)
            if hit is None:
                hit = next((i for i, c in enumerate(cells) if i not in used and c and
                            any(n in c and len(c) <= len(n) + 4 for n in names)), None)
            if hit is None:
                break
            used[hit] = ci
        else:
            if min(used) == value_start:
                if sorted(used) != list(range(value_start, value_start + len(cols))) or \
                        [used[i] for i in sorted(used)] != list(range(len(cols))):
                    trace.note("table", "按表头确定列位置（列序或列数与标准表式不同）", line, table=table_id,
                               columns={cols[c].header: i for i, c in used.items()})
                return {i - value_start: c for i, c in used.items()}, len(cells) - value_start
    return None


def _split_function_line(line: SourceLine, value_start: int | None = None, width: int | None = None
                         ) -> tuple[list[str], list[str], list[str], bool]:
    """(code pieces, name candidates (shortest first), value cells, positional).

    ``value_start``: the cell where the table's first value column is (learned from its
    coded rows); a 合计 row printed in the code column skips the empty name cell. ``width``:
    how many cells those rows have; a line as wide whose name is printed off it (wrapped above
    or below) has its values where theirs are, its first columns blank.
    """
    cells, positional = _cells_of(line)
    if not positional:
        toks = _free_tokens(cells[0] if cells else "")
        first_dec = next((i for i, (k, t) in enumerate(toks) if k == "num" and _has_decimal(t)), len(toks))
        name_end = max((i for i in range(first_dec) if toks[i][0] == "word" and has_cjk(toks[i][1])),
                       default=None)
        if name_end is None:
            codes = [t for k, t in toks[:first_dec] if k == "num" and t.isdigit()]
            values = [t for k, t in toks[first_dec:] if k in ("num", "dash")]
            return codes, [], values, False
        run = [name_end]
        while run[0] - 1 >= 0 and toks[run[0] - 1][0] == "word" and has_cjk(toks[run[0] - 1][1]):
            run.insert(0, run[0] - 1)
        names = ["".join(toks[i][1] for i in run[-k:]) for k in range(1, len(run) + 1)]
        names = [names[-1], *names[:-1]]   # the whole run first: names printed with spaces
        codes = [t for k, t in toks[: run[0]] if k == "num" and t.isdigit()]
        values = [t for k, t in toks[name_end + 1:] if k in ("num", "dash")]
        return codes, names, values, False
    dec = next((i for i, c in enumerate(cells) if c and numeric_cell(c) and _has_decimal(c)), None)
    limit = dec if dec is not None else len(cells)
    name_idx = max((i for i in range(limit) if has_cjk(cells[i]) and numeric_cell(cells[i]) is None), default=None)
    if name_idx is None:
        start = limit
        if value_start is not None and width == len(cells) and value_start <= limit and \
                all(not c.strip() or c.strip() in "-—–" for c in cells[value_start:limit]):
            start = value_start
        codes = [c.replace(" ", "") for c in cells[:start] if _CODE_CELL.fullmatch(c or "x")]
        return codes, [], cells[start:], True
    run = [name_idx]
    while run[0] - 1 >= 0 and cells[run[0] - 1] and has_cjk(cells[run[0] - 1]) and not cells[run[0] - 1].isdigit():
        run.insert(0, run[0] - 1)
    names = ["".join(cells[i] for i in run[-k:]) for k in range(1, len(run) + 1)]
    codes = [c.replace(" ", "") for c in cells[: run[0]] if _CODE_CELL.fullmatch(c or "x")]
    start = name_idx + 1
    if value_start is not None and start < value_start <= len(cells) and \
            not any(cells[i].strip() for i in range(start, value_start)):
        start = value_start
    return codes, names, cells[start:], True


class FunctionTableReader:
    """A function-classified table (T2, T3, T5, T7, T8) read from its region, in named stages:

    1. :meth:`locate_columns`: where the values start on a line (from the coded rows), and the
       columns' order when a header row names them (``value_start``, ``header_map``);
    2. :meth:`split_line`: a body line → code pieces, name candidates, value tokens;
    3. :meth:`follow`: the line's part in the running state — a code on its own line, a name
       wrapped over lines, figures displaced to the next line — ending in :meth:`emit`;
    4. :meth:`emit` → :meth:`resolve_code` (code and name against the catalogue) and
       :meth:`place_values` (:func:`assign_values` with the row identities, readings recorded);
    5. :meth:`finish`: tied readings decided by the hierarchy, an unprinted 合计 summed.
    """

    def __init__(self, region: Region, lay: TableLayout, table: Table, cat: Catalog, trace: Trace,
                 idents: tuple[RowIdentity, ...], known: dict[str, Table] | None = None,
                 facts: tuple[SameFact, ...] = ()):
        self.region, self.table, self.cat, self.trace, self.idents = region, table, cat, trace, idents
        self.known, self.facts = known or {}, facts     # the other tables read, the facts they share
        self.res = _Resolver(cat)
        self.cols = list(lay.columns)
        self.keys = [c.key for c in self.cols]
        self.headers = [c.header for c in self.cols]
        self.header_words = {flat(c.header) for c in self.cols} | {flat(a) for c in self.cols for a in c.aliases}
        self.rows: list[Row] = []
        self.by_code: dict[str, Row] = {}
        self.alts: dict[str, list[dict[int, Tok]]] = {}       # tied readings by row key
        self.allowed: set[int] | None = None                  # the columns with figures in 合计
        # the running state of the line walk
        self.pending_codes: list[str] = []                    # a code printed on its own line
        self.pending_vals: tuple[SourceLine, list[Tok]] | None = None   # figures waiting for their row
        self.pending_name: str | None = None                  # a name going on on the next line
        self.pending_line: SourceLine | None = None
        self.last_row: Row | None = None
        self.last_name = ""
        self.value_start: int | None = None
        self.width: int | None = None                         # cells of a coded row with figures
        self.header_map: tuple[dict[int, int], int] | None = None   # value cell → column, value cells
        self.blank_total: SourceLine | None = None            # a ruled 合计 line with no figures

    def read(self) -> None:
        self.locate_columns()
        for line in _body_lines(self.region, self.table, self.trace):
            self.follow(line)
        self.finish()

    # -- stage 1 -------------------------------------------------------------------------------
    def locate_columns(self) -> None:
        starts: Counter = Counter()
        widths: Counter = Counter()
        for line in self.region.lines:
            if line.grid or len(line.cells) > 1:
                c0, n0, v0, _ = _split_function_line(line)
                if c0 and n0 and any(_has_decimal(v) for v in v0):
                    starts[len(line.cells) - len(v0)] += 1
                    widths[len(line.cells)] += 1
        if not starts:
            # every coded row's name wrapped off its line: the 栏次 line says where the values start
            # ("类 款 项 栏次 1 2 3 …": column 1 under the first value column)
            for line in self.region.lines:
                cells, positional = _cells_of(line)
                if positional and _is_lanci(cells) and "1" in cells:
                    starts[cells.index("1")] += 1
                    widths[len(cells)] += 1
                    break
        self.value_start = starts.most_common(1)[0][0] if starts else None
        self.width = widths.most_common(1)[0][0] if widths else None
        self.header_map = _header_columns(self.region, self.cols, self.value_start, self.trace, self.table.id)

    # -- stage 2 -------------------------------------------------------------------------------
    def split_line(self, line: SourceLine) -> tuple[list[str], list[str], list[Tok], list[str], bool]:
        """(code pieces, name candidates, value tokens, value cells, positional) of a body line."""
        codes, names, vcells, positional = _split_function_line(line, self.value_start, self.width)
        toks = (_value_tokens(vcells, positional)[0] if positional else
                [Tok(ZERO if t in "-—–" else v, t) for t in vcells if t in "-—–" or (v := to_decimal(t)) is not None])
        if self.header_map and positional and len(vcells) == self.header_map[1]:
            # (a line with another number of value cells keeps the layout's order)
            for t in toks:
                if t.pos is not None:
                    t.pos = self.header_map[0].get(t.pos)
        return codes, names, toks, vcells, positional

    # -- stage 3 -------------------------------------------------------------------------------
    def follow(self, line: SourceLine) -> None:
        trace, tid = self.trace, self.table.id
        f = flat(line_text(line))
        if f.startswith(("注:", "注：")):
            self.table.source["note"] = line_text(line)
            return
        cells, _ = _cells_of(line)
        if _is_lanci(cells):
            trace.note("table", "栏次行，跳过", line, table=tid)
            return
        codes, names, toks, _, _ = self.split_line(line)
        if not names:
            self.follow_nameless(line, codes, toks)
            return
        # a name: header line, name continuation, or a row
        if not toks and not codes:
            if line.grid and self.rows and normalize_name(_qkey(names[-1])) in _TOTAL_NAMES:
                self.blank_total = line   # a ruled 合计 row below the rows, its cells blank (see finish)
                return
            if any(h and h in f for h in self.header_words) or any(w in f for w in _HEADER_WORDS):
                trace.note("table", "表头，跳过", line, table=tid)
                return
            if self.pending_name is None and not self.pending_codes and self.last_row is not None \
                    and self.last_row.code and self._continues_name(names[-1]):
                trace.note("table", "科目名称跨行，已合并", line, table=tid)
                self.last_name += names[-1]
                self.last_row.label = self.label(self.last_row.code, self.last_name)
                return
            best = self.resolve_code(self.pending_codes, names)
            if self.pending_codes or self.pending_name is not None or best is None or best[2] < 0.999:
                # the name may go on, or its numbers follow, on the next line
                self.pending_name = (self.pending_name or "") + names[-1]
                self.pending_line = line
                return
        if self.pending_name is not None:
            if codes:
                self.emit(self.pending_codes, [self.pending_name], [], self.pending_line)  # type: ignore[arg-type]
                self.pending_codes = []
            else:
                names = [self.pending_name + n for n in names] + [self.pending_name] + names
                trace.note("table", "科目名称跨行，已合并", line, table=tid)
            self.pending_name = None
        parts = self.pending_codes + codes
        self.pending_codes = []
        self.emit(parts, names, toks, line)

    def follow_nameless(self, line: SourceLine, codes: list[str], toks: list[Tok]) -> None:
        """A line without a name: a code alone, the figures of a name above, or figures displaced."""
        trace, tid = self.trace, self.table.id
        if codes and not toks and all(len(c) <= 7 for c in codes):
            self.pending_codes = codes
            trace.note("table", "科目编码单独成行，并入下一行", line, table=tid)
            return
        if toks and self.pending_name is not None:
            # the start of a wrapped name above, its code (if printed here) and figures on this line
            self.emit(self.pending_codes + codes, [self.pending_name], toks, line)
            self.pending_codes, self.pending_name = [], None
            return
        if toks and codes:
            # a name wrapped wholly off the line (above it, or below: the next line merges)
            self.emit(self.pending_codes + codes, [""], toks, line)
            self.pending_codes = []
            trace.note("table", "科目名称不在本行，按编码识别", line, table=tid)
            return
        if toks and not codes:
            if self.last_row is not None and not any(v for v in self.last_row.cells.values()):
                self.place_values(self.last_row, toks, line)
                trace.note("table", "数字错位到下一行，归入上一行", line, table=tid)
            else:
                self.pending_vals = (line, toks)
            return
        if toks or codes:
            trace.unread(line, "没有科目名称的行", table=tid)
        else:
            trace.note("table", "表头或无法识别的文字，跳过", line, table=tid)

    def _continues_name(self, text: str) -> bool:
        """Whether a line holding only ``text`` is the rest of the last row's 科目名称 (wrapped below
        its code and figures), judged against the catalogue's name of the row's code."""
        known = self.cat.function.get(self.last_row.code, "")  # type: ignore[union-attr]
        if not known:
            return False
        if not self.last_name:   # the whole name below the figures, or only its end
            return ratio(text, known) >= 0.8 or (len(text) >= 2 and
                                                 normalize_name(known).endswith(normalize_name(text)))
        return ratio(self.last_name + text, known) > ratio(self.last_name, known)

    def label(self, code: str, printed: str) -> str:
        """The row's label: the catalogue's name when the printed one is it (up to extraction noise or
        a name still being joined over lines), else the name as printed — a wrong name is the
        document's to answer for (JS109), not the reader's to correct."""
        known = self.cat.function_name(code)
        if not printed:
            return known or ""
        if known and _name_score(known, printed) >= 0.9:
            return known
        return re.sub(r"\s+", "", printed)

    # -- stage 4 -------------------------------------------------------------------------------
    def resolve_code(self, parts: list[str], names: list[str]):
        """(code, how, score, name) of the best of the name candidates, the context kept as it was."""
        res = self.res
        best = None
        saved = (res.lei, res.kuan)
        for nm in names:
            res.lei, res.kuan = saved
            code, how, score = res.resolve(parts, nm)
            if code is not None and (best is None or score > best[2] + 1e-9):
                best = (code, how, score, nm)
        res.lei, res.kuan = saved
        return best

    def emit(self, parts: list[str], names: list[str], toks: list[Tok], line: SourceLine) -> None:
        trace, tid = self.trace, self.table.id
        best = self.resolve_code(parts, names)
        entity = normalize_name(_qkey(self.table.entity)) if self.table.entity else ""
        if best is None and toks and not parts and not self.rows and entity and "合计" not in self.by_code and \
                any(normalize_name(_qkey(n)) == entity for n in names):
            # the first row named as the unit itself, no 合计 printed (深圳: 预算单位 | 科目编码 | …): its total
            trace.note("table", "首行为本单位名称（未印“合计”）：按合计行读取", line, table=tid)
            best = ("", "合计", 1.0, "合计")
        if best is None:
            if toks:
                trace.unread(line, "无法识别科目（编码和名称都对不上）", table=tid)
            else:
                trace.note("table", "无法识别的文字，跳过", line, table=tid)
            return
        code, how, score, nm = best
        self.res.resolve(parts, nm)  # commit context
        key = code or "合计"
        label = "合计" if key == "合计" else self.label(code, nm)
        row = Row(key=key, label=label, code=code, level=(len(code) - 1) // 2 if code else 0,
                  cells={h: ZERO for h in self.headers}, source={**line.place().to_dict()})
        if self.pending_vals is not None and not toks:
            toks = self.pending_vals[1]
            self.pending_vals = None
            trace.note("table", "数字错位到上一行，归入本行", line, table=tid)
        elif self.pending_vals is not None:
            trace.unread(self.pending_vals[0], "数字无法归入任何行", table=tid)
            self.pending_vals = None
        self.place_values(row, toks, line)
        if key in self.by_code:
            prev = self.by_code[key]
            if prev.cells == row.cells:
                trace.duplicate(line, f"重复行（与第 {prev.source.get('line')} 行相同），只保留一次",
                                table=tid, code=key, printed=nm)
            else:
                trace.unread(line, "同一科目出现两次且数值不同，保留第一次", table=tid, code=key)
            return
        if how not in ("code+name", "合计"):
            trace.note("match", f"科目 {key}：{how}", line, table=tid, printed=nm)
        self.by_code[key] = row
        self.rows.append(row)
        self.last_row, self.last_name = row, nm

    def place_values(self, row: Row, toks: list[Tok], line: SourceLine) -> None:
        tied: list[dict[int, Tok]] = []
        mapping, dropped, how = assign_values(toks, self.keys, self.idents,
                                              None if row.key == "合计" else self.allowed, alts_out=tied)
        if tied and row.key == "合计" and self.known:
            # readings the row's identities do not tell apart (年初结转和结余 or 本年收入, when one of
            # them is blank): the one that agrees with the same facts in the tables read before
            votes = [_agreement(self.table.id, row.key, self.table.layout,
                                {self.headers[ci]: t.value for ci, t in m.items()}, self.known, self.facts)
                     for m in tied]
            if votes.count(max(votes)) == 1 and max(votes) > 0:
                mapping, tied, how = tied[votes.index(max(votes))], [], "across"
        if tied and row.key == "合计":   # left for the other tables to decide (see read_table)
            self.trace.alternatives[(self.table.id, "合计")] = [
                {self.headers[ci]: t.value for ci, t in m.items()} for m in tied]
        if tied and row.key not in self.alts:
            self.alts[row.key] = tied
        for ci, t in mapping.items():
            row.cells[self.headers[ci]] = t.value
        record_readings(row, self.table.id, self.headers, mapping, how, line, tied)
        for t in dropped:
            reason = ("同一单元格中重复的数字" if any(t.value == m.value for m in mapping.values())
                      else "数字无法归入任何列")
            self.trace.unread(line, reason, text=t.text, table=self.table.id, row=row.code or row.label)
        if row.key == "合计":
            self.allowed = {ci for ci, t in mapping.items() if t.value != 0}
        self.trace.note("cells", f"{row.code or row.label}：{how}", line, table=self.table.id,
                        cells={self.headers[ci]: t.text for ci, t in mapping.items()})

    # -- stage 5 -------------------------------------------------------------------------------
    def finish(self) -> None:
        trace, tid, rows = self.trace, self.table.id, self.rows
        if self.pending_name is not None:
            self.emit(self.pending_codes, [self.pending_name], [], self.pending_line)  # type: ignore[arg-type]
        if self.pending_vals is not None:
            trace.unread(self.pending_vals[0], "数字无法归入任何行", table=tid)
            self.pending_vals = None
        resolve_hierarchy(rows, {k: v for k, v in self.alts.items() if k in self.by_code}, self.headers, trace, tid)
        if self.blank_total is not None and not any(r.key == "合计" for r in rows):
            self.emit([], ["合计"], [], self.blank_total)   # printed, every cell blank
        if not any(r.key == "合计" for r in rows):
            total = Row(key="合计", label="合计", code="", level=0, cells={h: ZERO for h in self.headers})
            rows.insert(0, total)
            if len(rows) > 1:
                trace.note("table", "未印合计行：按类汇总补出", None, table=tid)
                for r in rows:
                    if r.level == 1:
                        for h in total.cells:
                            total.cells[h] += r.cells.get(h, ZERO)
            _derived(total, tid, "repaired:未印合计行，按类汇总补出" if len(rows) > 1 else "blank:表中无行")
        self.table.rows = rows


# ----------------------------------------------------------------------------------------
# T6 economic


_ECON_CODE = re.compile(r"^[35]\d{2}(?:\d{2})?$")
_FOOTER_RE = re.compile(r"(人员经费|公用经费)(?:合计|小计)((?:-?[\d,]+(?:\.\d+)?)?)")


def _read_economic(region: Region, lay: TableLayout, table: Table, cat: Catalog, trace: Trace) -> None:
    col = lay.columns[0].header
    blocks = lay.blocks
    block_of = {cls: name for name, classes in blocks for cls in classes}
    rows: dict[str, Row] = {}
    footers: dict[str, Row] = {}
    valueless: list[str] = []
    for line in _body_lines(region, table, trace):
        f = flat(line_text(line))
        fm = list(_FOOTER_RE.finditer(f))
        if fm:
            for m in fm:
                v = to_decimal(m.group(2)) if m.group(2) else None
                footers[m.group(1)] = Row(key=f"{m.group(1)}合计", label=f"{m.group(1)}合计", code="",
                                          level=0, side=m.group(1), cells={col: v if v is not None else ZERO},
                                          source={**line.place().to_dict()})
                footers[m.group(1)].readings[col] = Reading(
                    footers[m.group(1)].cells[col], m.group(2) or "",
                    line.place()._replace(table=table.id, row=f"{m.group(1)}合计", column=col), "positional")
            trace.note("table", "人员经费合计/公用经费合计", line, table=table.id)
            continue
        cells, positional = _cells_of(line)
        if not positional:
            cells = _free_cells(cells[0]) if cells else []
        entries: list[list] = []
        stray: list[str] = []
        for c in cells:
            c2 = c.replace(" ", "")
            if _ECON_CODE.match(c2):
                entries.append([c2, "", []])
                continue
            nums = numeric_cell(c) if c else []
            if nums:
                if entries:
                    entries[-1][2].extend(nums)
                else:
                    stray.extend(nums)
            elif c and has_cjk(c) and entries and not entries[-1][2]:
                entries[-1][1] += c
        if not entries:
            if stray and len(stray) == len(valueless):
                # the figures of the line above, displaced onto a line of their own
                for code, tx in zip(valueless, stray):
                    rows[code].cells[col] = to_decimal(tx) or ZERO
                    rows[code].readings[col] = Reading(rows[code].cells[col], tx, line.place()._replace(
                        table=table.id, row=f"{code} {rows[code].label}", column=col), "repaired:数字错位到下一行", 0.8)
                trace.note("table", "数字错位到下一行，归入上一行的科目", line, table=table.id,
                           cells=dict(zip(valueless, stray)))
            elif stray or _has_decimal(line_text(line)):
                trace.unread(line, "数字前没有经济分类科目", table=table.id)
            else:
                trace.note("table", "表头，跳过", line, table=table.id)
            valueless = []
            continue
        valueless = [code for code, _, nums in entries if not nums]
        for code, name, nums in entries:
            known = cat.economic_name(code)
            if known and name and ratio(known, name) < 0.6:
                trace.note("match", f"经济分类 {code} 名称不符：{name}", line, table=table.id)
            v = to_decimal(nums[0]) if nums else None
            for extra in nums[1:]:
                trace.unread(line, "数字无法归入任何列", text=extra, table=table.id, code=code)
            if code in rows:
                if rows[code].cells[col] == (v if v is not None else ZERO):
                    trace.duplicate(line, "重复行，只保留一次", table=table.id, code=code)
                else:
                    trace.unread(line, "同一科目出现两次且数值不同，保留第一次", table=table.id, code=code)
                continue
            rows[code] = Row(key=code, label=known or normalize_name(name) or code, code=code,
                             level=1 if len(code) == 3 else 2, side=block_of.get(code[:3], "公用经费"),
                             cells={col: v if v is not None else ZERO}, source={**line.place().to_dict()})
            kind = "ruled-cell" if line.grid else "positional"
            rows[code].readings[col] = Reading(rows[code].cells[col], nums[0] if nums else "", line.place()._replace(
                table=table.id, row=f"{code} {rows[code].label}", column=col), kind if nums else kind + ":未印数字")
        for s in stray:
            trace.unread(line, "数字前没有经济分类科目", text=s, table=table.id)
    order = {name: i for i, (name, _) in enumerate(blocks)}
    template = lay.template_rows
    out = sorted(rows.values(), key=lambda r: (order.get(r.side or "", 1),
                                               template.index(r.code) if r.code in template
                                               else 10_000 + int(r.code)))
    for name, _ in blocks:
        if name in footers:
            out.append(footers[name])
        elif out:
            classes = dict(blocks)[name]
            total = sum((r.cells[col] for r in out if r.level == 1 and r.code[:3] in classes), ZERO)
            out.append(Row(key=f"{name}合计", label=f"{name}合计", code="", level=0, side=name,
                           cells={col: total}))
            _derived(out[-1], table.id, f"repaired:未印{name}合计，按类汇总补出")
            trace.note("table", f"未印{name}合计：按类汇总补出", None, table=table.id)
    table.rows = out


# ----------------------------------------------------------------------------------------
# T9 三公


def _group_runs(cols) -> int:
    """How many runs of one spanning group (预算数 / 决算数) the columns make, left to right."""
    return sum(1 for i, c in enumerate(cols) if i == 0 or c.group != cols[i - 1].group)


def _printed_order(lay: TableLayout, header: str, lines: list[list[Tok]] = (), idents=()) -> tuple:
    """The order of ``lay``'s columns as the header shows them: when a spanning group's name is
    printed more than once the groups interleave (Shanghai's 三公 table: 预算数 决算数 under each
    item), and of the orders the layout allows the one with the most runs of a group is read;
    when it is printed once, the groups follow each other. With no header to tell, the order in
    which the figures of the lines satisfy the row identities (the layout's first when both do)."""
    groups = {c.group for c in lay.columns if c.group}
    if not lay.alt_columns:
        return lay.columns
    if any(header.count(g) >= 2 for g in groups):
        return max((lay.columns, lay.alt_columns), key=_group_runs)
    if any(g in header for g in groups):
        return min((lay.columns, lay.alt_columns), key=_group_runs)
    fits = [cols for cols in (lay.columns, lay.alt_columns)
            if lines and idents and all(_holds(toks, [c.key for c in cols], idents) for toks in lines)]
    return fits[0] if len(fits) == 1 else lay.columns


def _total_of_all_items(idents: tuple[RowIdentity, ...], keys: list[str]) -> tuple[RowIdentity, ...]:
    """The 三公 identities with each side's 合计 adding up every item the columns show (会议费、培训费
    too), when the columns show more items than the 三公 ones; () when they do not."""
    if not any(k.endswith((":meeting", ":training")) for k in keys):
        return ()
    out = []
    for total, parts in idents:
        side = total.split(":")[0]
        extra = tuple((1, k) for k in keys if k.startswith(side + ":") and k.endswith((":meeting", ":training")))
        out.append(RowIdentity(total, tuple(parts) + extra) if total.endswith(":total") else RowIdentity(total, parts))
    return tuple(out)


def _holds(toks: list[Tok], keys: list[str], idents) -> bool:
    """Does a reading of the line's figures, each kept, satisfy ``idents``?"""
    _, _, how = assign_values(toks, keys, idents, max_drop=0)
    return how.startswith(("identity", "positional")) and "不符" not in how and "并列" not in how


def _read_three_public(region: Region, lay: TableLayout, table: Table, trace: Trace,
                       idents: tuple[RowIdentity, ...]) -> None:
    header_flat = ""
    data: list[tuple[SourceLine, list[Tok]]] = []
    for line in _body_lines(region, table, trace):
        cells, positional = _cells_of(line)
        if _is_lanci(cells):
            trace.note("table", "栏次行，跳过", line, table=table.id)
            continue
        f = flat(line_text(line))
        if not _has_decimal(line_text(line)) and not re.search(r"\d", f.replace("三公", "")):
            header_flat += f
            trace.note("table", "表头，跳过", line, table=table.id)
            continue
        if not positional:
            cells = _free_cells(line_text(line))
        vcells = [c for c in cells if not (c and has_cjk(c) and numeric_cell(c) is None)]
        toks, _ = _value_tokens(vcells, positional)
        if toks:
            data.append((line, toks))
        else:
            trace.note("table", "无法识别的文字，跳过", line, table=table.id)
    cols = list(_printed_order(lay, header_flat, [toks for _, toks in data], idents))
    if cols != list(lay.columns):
        trace.note("table", "三公表：预算数/决算数的列序与表式默认的不同（按表头或恒等式确定）", None, table=table.id)
    keys = [c.key for c in cols]
    wider = _total_of_all_items(idents, keys)
    if wider and data and not all(_holds(toks, keys, idents) for _, toks in data) and \
            all(_holds(toks, keys, wider) for _, toks in data):
        # its 合计 adds up every item printed (会议费、培训费 too), not the 三公 only: another quantity
        cols = [replace(c, key=c.key + "_all") if c.key.endswith(":total") else c for c in cols]
        keys = [c.key for c in cols]
        idents = tuple(RowIdentity(t + "_all" if t.endswith(":total") else t, p) for t, p in wider)
        table.layout = lay = replace(lay, columns=tuple(cols), alt_columns=())
        trace.note("table", "三公表：合计含表中所有项目（含会议费、培训费）", None, table=table.id)
    row = Row(key="三公", label="财政拨款“三公”经费", code="", level=0,
              cells={c.header: ZERO for c in lay.columns})
    for line, toks in data:
        # surplus figures dropped (three at most; with more columns than the twelve, only the surplus:
        # the readings to try grow too fast)
        mapping, dropped, how = assign_values(toks, keys, idents,
                                              max_drop=3 if len(keys) <= 12 else max(0, len(toks) - len(keys)))
        for ci, t in mapping.items():
            row.cells[cols[ci].header] = t.value
        record_readings(row, table.id, [c.header for c in cols], mapping, how, line)
        for t in dropped:
            trace.unread(line, "数字无法归入任何列", text=t.text, table=table.id)
        row.source = {**line.place().to_dict()}
        trace.note("cells", f"三公：{how}", line, table=table.id,
                   cells={cols[ci].header: t.text for ci, t in mapping.items()})
    if not data:
        _derived(row, table.id, "blank:表中无数字")
    table.rows = [row]


# ----------------------------------------------------------------------------------------
# listings (政府采购情况表, 政府购买服务决算公开情况表, a region's 附表): rows by their label


_SEQ_RE = re.compile(r"^\d{1,3}$")


def _listing_columns(lay: TableLayout, header: list[list[str]], width: int, trace: Trace,
                     table_id: str) -> list[str]:
    """The column headers of a listing: its layout's; for a layout that names none, the last
    header line with a name for every value column (its last ``width`` names), else 第1列 …"""
    if lay.columns:
        return [c.header for c in lay.columns]
    for cells in reversed(header):
        names = [c for c in cells if c and has_cjk(c)]
        if len(names) >= width > 0 and len(set(names[-width:])) == width:
            trace.note("table", "按表头命名各列", None, table=table_id, columns=names[-width:])
            return names[-width:]
    return [f"第{i + 1}列" for i in range(width)]


def _ruled_columns(header: list[list[str]], data: list, firsts: list[tuple[int, list[str]]]
                   ) -> tuple[int, list[str]] | None:
    """(the column of the first figure, the names of the columns from there) of a listing whose
    header and rows are ruled cells of one width: each column named by the header cells above it
    (a spanning header's text, printed in its leftmost column, joined to those under it:
    本年收入/小计, 事业收入/其中：教育收费), or 第N列. None when the table is not so ruled."""
    if not header or not data or not all(line.grid for line, *_ in data):
        return None
    width = len(firsts[0][1])
    if any(len(cells) != width for _, cells in firsts) or any(len(h) != width for h in header):
        return None
    start = min(f for f, _ in firsts)
    names = []
    for j in range(width):
        parts = []
        for k, h in enumerate(header):
            if h[j]:
                parts.append(h[j])
            elif any(x[j] for x in header[k + 1:]):
                left = next((h[i] for i in range(j - 1, -1, -1) if h[i]), "")
                if left and not any(x[i] for x in header[k + 1:] for i in range(j) if not h[i] and False):
                    parts.append(left)
        names.append("/".join(dict.fromkeys(parts)) or f"第{j + 1}列")
    if len(set(names[start:])) != width - start:
        return None
    return start, names[start:]


def _total_header(header: list[list[str]]) -> bool:
    """Does the header of a listing name a 合计 (总计, 总额) as its first column?"""
    for cells in header:
        first = next((c for c in cells if c), "")
        if re.search(r"(?:合计|总计|总额)$", first) and len(first) <= 20:
            return True
    return False


def _read_listing(region: Region, lay: TableLayout, table: Table, trace: Trace,
                  idents: tuple[RowIdentity, ...]) -> None:
    """Rows of (label, figures): the label is the text before the first figure (a 序号 or a
    功能分类 code before it kept apart), the figures go to the columns in order — by cell
    position when the line has cells, else by the row identities the layout declares."""
    header: list[list[str]] = []
    grid_header: list[list[str]] = []     # the header's ruled lines, a cell per column
    data: list[tuple[SourceLine, str, str, list[str], bool]] = []   # line, code, label, value cells, positional
    firsts: list[tuple[int, list[str]]] = []                        # each row's first figure, its cells
    pending = ""
    for line in _body_lines(region, table, trace):
        # the cells as printed: a code printed with its name in one cell stays in it (the columns of
        # a ruled listing are named by the header cells above them)
        cells = [c.strip() for c in line.cells]
        positional = line.grid or len(cells) > 1
        if _is_lanci(cells):
            trace.note("table", "栏次行，跳过", line, table=table.id)
            continue
        f = flat(line_text(line))
        if f.startswith(("注:", "注：")):
            table.source["note"] = line_text(line)
            continue
        if not positional:
            cells = _free_cells(line_text(line))
        # a figure: a number with a decimal point or thousands separator — or, in a table in 元, any
        # number after the row's name (codes and 序号 stand before it)
        first = next((i for i, c in enumerate(cells) if c and numeric_cell(c) is not None and _has_decimal(c)), None)
        if table.unit == "元":
            last_name = max((i for i, c in enumerate(cells) if has_cjk(c) and numeric_cell(c) is None), default=None)
            after = next((i for i, c in enumerate(cells) if last_name is not None and i > last_name and c
                          and numeric_cell(c) is not None), None)
            if after is not None and (first is None or after < first):
                first = after
        if first is None:
            if not data:
                header.append([flat(c) for c in cells])
                if line.grid:
                    grid_header.append([flat(c) for c in cells])
                trace.note("table", "表头，跳过", line, table=table.id)
            elif has_cjk(f):
                pending += f      # a label going on: the next figures', or the last row's
            continue
        lead = [c.strip() for c in cells[:first] if c.strip()]
        if not lead and not data and not pending and _total_header(header):
            lead = ["合计"]      # the one row of figures under a header that begins 合计 (收入总表, 三公)
            trace.note("table", "无行名的数字行：表头首列为合计，按合计行读取", line, table=table.id)
        code = ""
        while lead and not has_cjk(lead[0]) and re.fullmatch(r"[\d\s]+", lead[0]):
            digits = lead.pop(0).replace(" ", "")
            if len(digits) in (3, 5, 7) and not code:
                code = digits
            elif not _SEQ_RE.match(digits):
                code += digits
        if not code and lead and (m := _CODE_NAME.match(lead[0])) and has_cjk(m.group(2)):
            code = m.group(1)      # "2010801-行政运行", "[301]工资福利支出": the code, the label as printed
        label = "".join(c for c in lead if numeric_cell(c) is None)
        if not label and pending:
            label, pending = pending, ""
        elif pending and data:
            prev = data[-1]
            data[-1] = (prev[0], prev[1], prev[2] + pending, prev[3], prev[4])
            pending = ""
        data.append((line, code, label, cells[first:], positional))
        firsts.append((first, cells))
    named = None if lay.columns else _ruled_columns(grid_header, data, firsts)
    if named is not None:
        # a ruled table: its figures under the header cells of their columns, blank columns kept
        start, headers = named
        data = [(line, code, label, cells[start:], positional)
                for (line, code, label, _, positional), (_, cells) in zip(data, firsts)]
        trace.note("table", "按表头各列命名（按单元格位置）", None, table=table.id, columns=headers)
    width = max((len(_value_tokens(v, p)[0]) for _, _, _, v, p in data), default=0)
    if named is None:
        headers = _listing_columns(lay, header, width, trace, table.id)
    keys = [c.key for c in lay.columns] or [f"col{i + 1}" for i in range(len(headers))]
    rows: list[Row] = []
    seen: Counter = Counter()
    for line, code, label, vcells, positional in data:
        label = label or code
        if not label:
            trace.unread(line, "数字前没有可识别的行名", table=table.id)
            continue
        total = normalize_name(label) in _TOTAL_NAMES
        seen[label] += 1
        key = "合计" if total and seen[label] == 1 else (label if seen[label] == 1 else f"{label}#{seen[label]}")
        row = Row(key=key, label=label, code=code, level=0 if total else 1,
                  cells={h: ZERO for h in headers}, source={**line.place().to_dict()})
        toks, junk = _value_tokens(vcells, positional)
        mapping, dropped, how = assign_values(toks, keys, idents)
        for ci, t in mapping.items():
            row.cells[headers[ci]] = t.value
        record_readings(row, table.id, headers, mapping, how, line)
        for t in dropped:
            trace.unread(line, "数字无法归入任何列", text=t.text, table=table.id, row=label)
        trace.note("cells", f"{label}：{how}", line, table=table.id,
                   cells={headers[ci]: t.text for ci, t in mapping.items()})
        rows.append(row)
    table.rows = rows


# ----------------------------------------------------------------------------------------


# a column of a listing that holds no amount (its header says so): not converted from 元
_NOT_MONEY = re.compile(r"数量|编码|代码|序号|年度|时间|规格|型号")


def read_table(region: Region, lay: TableLayout, cat: Catalog, year: int | None, entity: str,
               trace: Trace, row_idents: dict[tuple[str, str | None], tuple[RowIdentity, ...]],
               known: dict[str, Table] | None = None, facts: tuple[SameFact, ...] = ()) -> Table:
    """One table region read by its layout; ``row_idents``: the identities within a row, by
    (table, side), that choose among readings of a row (the kind's declarations); ``known``, the
    other tables read, and ``facts``, the facts tables share: what decides between readings of a
    function table's 合计 row that its identities leave tied."""
    table = Table(id=lay.id, layout=lay, rows=[], entity=entity, year=year, unit="万元",
                  source={**region.title_line.place().to_dict(), "title": flat(line_text(region.title_line))},
                  read=True, number=region.number)
    if lay.kind == "two_sided":
        TwoSidedTableReader(region, lay, table, trace, row_idents, cat).read()
    elif lay.kind == "function":
        FunctionTableReader(region, lay, table, cat, trace, row_idents.get((lay.id, None), ()), known, facts).read()
    elif lay.kind == "economic":
        _read_economic(region, lay, table, cat, trace)
    elif lay.kind == "listing":
        _read_listing(region, lay, table, trace, row_idents.get((lay.id, None), ()))
    else:
        _read_three_public(region, lay, table, trace, row_idents.get((lay.id, None), ()))
    if table.unit == "元":
        for r in table.rows:
            for k, v in r.cells.items():
                if v is not None and not _NOT_MONEY.search(k):   # (a quantity or a code stays as printed)
                    r.cells[k] = v / WAN
                    if k in r.readings:
                        r.readings[k] = r.readings[k]._replace(value=r.cells[k])
        trace.note("table", "金额单位为元，已换算为万元", region.title_line, table=table.id)
    table.empty = not any(v for r in table.rows for v in r.cells.values())
    return table



def resolve_across(tables: dict[str, Table], trace: Trace, facts: tuple[SameFact, ...]) -> None:
    """Tied readings of a row decided by the same facts shown in other tables: of the readings
    left for a row (``trace.alternatives``), the one that agrees with most of ``facts`` (the
    kind's declarations: the 决算's 财政拨款收入支出决算总表 columns by fund equal the fund
    tables T5 / T7 / T8, class by class)."""
    for (tid, key), alts in list(trace.alternatives.items()):
        t = tables.get(tid)
        row = t.row(key) if t is not None else None
        if row is None:
            continue
        scores = [_agreement(tid, key, t.layout, a, tables, facts) for a in alts]
        best = alts[scores.index(max(scores))]
        if scores.count(max(scores)) == 1:   # the other tables decide: one reading agrees best
            for h in row.cells:
                row.cells[h] = best.get(h, ZERO)
                old = row.readings.get(h)
                if old is not None:
                    row.readings[h] = old._replace(value=row.cells[h], how="chosen-by-identity:其他表的同一数字",
                                                   confidence=0.9, alternatives=())
            trace.note("cells", f"{tid} {row.label}：并列读法按其他表的同一数字选定", None, table=tid,
                       cells={h: str(v) for h, v in best.items()})
        del trace.alternatives[(tid, key)]


def _agreement(tid: str, key: str, lay: TableLayout, alt: dict, tables: dict[str, Table],
               facts: tuple[SameFact, ...]) -> int:
    """How well a reading ``alt`` ({header: value}) of row ``key`` of table ``tid`` agrees with
    ``facts`` in the other ``tables``: 2 for each fact it shows the same figure of, 1 for each it is
    a 尾差 (one cent) away from."""
    n = 0
    for d in facts:
        for here, there in ((d.a, d.b), (d.b, d.a)):
            if here.table != tid or here.row != key:
                continue
            other = tables.get(there.table)
            if other is None or other.id == tid:
                continue
            header = _header(lay, here.column, here.side)
            fr = _declared_row(other, there)
            fv = fr.cells.get(_header(other.layout, there.column, there.side), ZERO) if fr is not None else ZERO
            gap = abs(alt.get(header, ZERO) - (fv or ZERO))
            n += 2 if gap == 0 else int(gap <= CENT)   # the same figure, or a 尾差 from it
    return n


def _header(lay: TableLayout, key: str, side: str | None) -> str | None:
    cols = lay.columns or tuple(c for s in lay.sides if side is None or s.name == side for c in s.columns)
    return next((c.header for c in cols if c.key == key), None)


def _declared_row(t: Table, c: Cell) -> Row | None:
    """The row a declared cell names in a parsed table (by code, 合计 or key)."""
    if c.row is None:
        return next(iter(t.rows), None)
    if c.row.startswith("code:"):
        return t.row(code=c.row[5:])
    return t.row(key=c.row, side=c.side)
