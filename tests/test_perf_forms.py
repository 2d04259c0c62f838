"""绩效自评表 in every form (issue 13 §2): sixty of them, read back and checked, on truth we know.

A consolidated department's disclosure with 60 项目绩效自评表 and a 部门整体 one is built in both
layouts (the simple 预算数/执行数/执行率 form and the scored form of 财预〔2020〕10号, see
``tests/perfdocs.py``), rendered as text, HTML and PDF, degraded the way extractions degrade
(tabs lost, titles wrapped, 附件 numbering, wrapped 三级指标 cells; the PDF's own text as
pypdfium2 extracts it, cells run together and broken over lines), and parsed back. Every form is
found, every figure read (the money, its sources, every 分值/得分 and 总分), what could not be
placed for sure is reported unread, and ``check`` finds no error the clean document lacks. Slips
put into the printed forms (执行率 1000%, a 总分 off, a 得分 above its 分值) are found; a figure
the reader could not place is never the ground of an error.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from degrade import degrade
from perfdocs import consolidated, form_figures, indicator_texts

from juesuan import build_tables
from juesuan.final.attachments import find_performance_tables
from juesuan.final.forms import overall, projects
from juesuan.final.narrative import build_document
from juesuan.parse.text import lines_from_text
from juesuan.pipeline import check, parse
from juesuan.renderers import render
from juesuan.rules.certainty import UNCHECKED

N = 60
LAYOUTS = ("scored", "simple")
FORMS = ("项目绩效自评表", "部门整体绩效自评表", "绩效自评表")


def _errors(doc) -> set[tuple[str, str]]:
    return {(f.rule, f.message) for f in check(doc) if f.severity == "error"}


def _form_unread(result) -> list[dict]:
    return [u for u in result.coverage.unreadable if u.get("table") in FORMS]


@pytest.fixture(scope="module", params=LAYOUTS)
def built(request, tmp_path_factory):
    layout = request.param
    d = consolidated(N, seed=7, scored=layout == "scored")
    doc = build_document(d, build_tables(d))
    out = tmp_path_factory.mktemp(f"perf-{layout}")
    text = render(doc, "txt", out).read_text(encoding="utf-8")
    return layout, doc, out, text, _errors(doc)


_PDFS: dict[str, object] = {}


def _pdf(built):
    """The PDF of a built document, rendered once (two tests read it)."""
    layout, doc, out, *_ = built
    if layout not in _PDFS:
        _PDFS[layout] = render(doc, "pdf", out)
    return _PDFS[layout]


def test_the_built_documents_are_clean(built):
    layout, doc, *_ = built
    assert len(projects(doc)) == N and overall(doc) is not None
    bad = [(f.rule, f.message) for f in check(doc) if f.severity != "info"]
    assert not bad, bad
    if layout == "scored":
        assert all(p.total_score and p.weight and p.sources is not None for p in projects(doc))
        assert sum(1 for p in projects(doc) if p.sources) >= 10    # some with 上年结转资金


@pytest.mark.parametrize("fmt", ["txt", "html", "pdf"])
def test_every_form_and_figure_read_back(built, fmt):
    layout, doc, out, _, clean = built
    result = parse(_pdf(built) if fmt == "pdf" else render(doc, fmt, out))
    assert result.coverage.forms == {"部门整体绩效自评表": 1, "项目绩效自评表": N}
    assert form_figures(result.document) == form_figures(doc)
    assert indicator_texts(result.document) == indicator_texts(doc)
    assert not _form_unread(result), _form_unread(result)[:3]
    assert _errors(result.document) <= clean


DEGRADED = [("untab",), ("number_forms", "wrap_form_titles"), ("wrap_form_cells",),
            ("number_forms", "wrap_form_titles", "wrap_form_cells", "untab", "crlf")]


@pytest.mark.parametrize("names", DEGRADED, ids="+".join)
def test_degraded_text_reads_back_to_its_truth(built, names, tmp_path):
    layout, doc, _, text, clean = built
    p = tmp_path / "degraded.txt"
    p.write_text(degrade(text, *names), encoding="utf-8")
    result = parse(p)
    assert len(projects(result.document)) == N
    assert form_figures(result.document) == form_figures(doc)
    assert indicator_texts(result.document) == indicator_texts(doc)
    # run together, the 部门整体 table's 基本支出 and 项目支出 rows have one figure each, which fits
    # 年初预算数 as well as 全年执行数: read as the latter, and said to be open
    unread = _form_unread(result)
    assert all(u.get("table") == "部门整体绩效自评表" and "资金来源" in u["reason"] for u in unread), unread
    assert bool(unread) == ("untab" in names and layout == "scored")
    assert _errors(result.document) <= clean


def test_pdf_text_as_extracted(built, tmp_path):
    """The PDF's own text (pypdfium2: cells run together, wrapped cells broken over lines, merged
    cells drawn after their rows): every form and its money read; in the scored layout every
    分值, 得分 and 总分 too; a form whose indicators are not read as printed says they are unsure
    (no warning rests on them); no error the clean document lacks."""
    pdfium = pytest.importorskip("pypdfium2")
    layout, doc, out, _, clean = built
    pdf = pdfium.PdfDocument(str(_pdf(built)))
    try:
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    p = tmp_path / "extracted.txt"
    p.write_text(text, encoding="utf-8")
    result = parse(p)
    got, want = form_figures(result.document), form_figures(doc)
    assert len(got) == len(want) == N + 1
    if layout == "scored":
        assert got == want
    else:   # the simple form's indicator rows, broken over lines, are not all told apart
        assert [g[:9] for g in got] == [w[:9] for w in want]
    forms = ([overall(result.document)] if overall(result.document) else []) + projects(result.document)
    read = indicator_texts(result.document)
    wrong = [f for f, r, w in zip(forms, read, indicator_texts(doc)) if r != w]
    assert wrong and all("indicators" in f.unsure for f in wrong), [form for form in wrong if not form.unsure][:3]
    assert _errors(result.document) <= clean


# ----------------------------------------------------------------------------- slips are found

def _slip(text: str, layout: str) -> tuple[str, str]:
    """The text with slips in the second project's table: its 执行率 printed 1000%, and (scored)
    its 总分 10 points off. Returns the text and the project's name."""
    titles = [m for m in re.finditer(r"^2023年度(.+?)项目(?:支出)?绩效自评表$", text, re.M)]
    start, end = titles[1].end(), titles[2].start()
    name = titles[1].group(1)
    form = text[start:end]
    form = re.sub(r"(\t)(\d+(?:\.\d+)?%)", r"\g<1>1000%", form, count=1)
    if layout == "scored":
        form = re.sub(r"^(总分(?:\t)+100\t)(\d+(?:\.\d+)?)", lambda m: m.group(1) + str(Decimal(m.group(2)) - 10),
                      form, count=1, flags=re.M)
    return text[:start] + form + text[end:], name


@pytest.mark.parametrize("untabbed", [False, True], ids=["tabs", "untab"])
def test_slips_in_the_forms_are_found(built, tmp_path, untabbed):
    layout, doc, _, text, _ = built
    slipped, name = _slip(text, layout)
    p = tmp_path / "slipped.txt"
    p.write_text(degrade(slipped, "untab") if untabbed else slipped, encoding="utf-8")
    findings = check(parse(p).document)

    def found(rule, severity):
        return [f for f in findings if f.rule == rule and f.severity == severity and name in f.message]
    assert found("JS411", "warning"), "执行率 1000% is pointed out"
    assert found("JS401", "error") and found("JS403", "error"), "and it is not 执行数/预算数, nor what 十三（三） says"
    if layout == "scored":
        assert found("JS409", "error"), "the 总分 off by 10 is an error"
    assert not [f for f in findings if f.severity == "error" and name not in f.message]


def test_score_above_weight_and_sources_off_are_found(built, tmp_path):
    layout, doc, _, text, _ = built
    if layout != "scored":
        pytest.skip("the simple form has no scores and no sources")
    # a form with sources: its 上年结转资金 全年执行数 one 万元 too high; another: a 得分 above its 分值
    name = next(p.name for p in projects(doc) if p.sources)
    other = next(p for p in projects(doc) if p.name != name and not p.sources)
    i = text.index(f"项目名称\t{name}")
    j = text.rindex("\n", 0, text.index("上年结转资金", i)) + 1
    row = text[j:text.index("\n", j)]
    cells = row.split("\t")
    cells[5] = f"{float(cells[5]) + 1:.2f}"
    text = text[:j] + "\t".join(cells) + text[j + len(row):]
    k = text.index(f"项目名称\t{other.name}")
    ind = other.indicators[0]
    line = f"{ind.level3}\t{ind.target}\t{ind.actual}\t{ind.weight}\t{ind.score}\t"
    m = text.index(line, k)
    text = text[:m] + line.replace(f"\t{ind.weight}\t{ind.score}\t", f"\t{ind.weight}\t{int(ind.weight) + 5}\t") \
        + text[m + len(line):]
    p = tmp_path / "slipped.txt"
    p.write_text(text, encoding="utf-8")
    findings = check(parse(p).document)
    assert [f for f in findings if f.rule == "JS412" and f.severity == "error" and name in f.message]
    assert [f for f in findings if f.rule == "JS408" and f.severity == "error" and other.name in f.message]
    assert [f for f in findings if f.rule == "JS409" and f.severity == "error" and other.name in f.message]


def test_a_figure_not_placed_for_sure_accuses_no_one(built, tmp_path):
    """A run-together 年度资金总额 row missing its 年初预算数 and its 执行率: its figures cannot be
    placed (right-aligned, they say 全年预算数 = the 全年执行数); the reader says so, and what
    十三（三） quotes differently is "无法核对", not an error."""
    layout, doc, _, text, clean = built
    if layout != "scored":
        pytest.skip("the scored form's money row")
    flat = degrade(text, "untab")
    p = next(x for x in projects(doc) if x.budget != x.actual)
    row = re.search(rf"项目名称 {re.escape(p.name)}\n(?:.*\n)*? ?年度资金总额 ([^\n]+)\n", flat)
    assert row is not None
    broken = " ".join([p.budget, p.actual, p.weight, p.score])
    path = tmp_path / "broken.txt"
    path.write_text(flat[:row.start(1)] + broken + flat[row.end(1):], encoding="utf-8")
    result = parse(path)
    got = next(x for x in projects(result.document) if x.name == p.name)
    assert "money" in got.unsure
    assert any(u.get("project") == p.name for u in _form_unread(result))
    findings = check(result.document)
    assert not _errors(result.document) - clean, _errors(result.document) - clean
    assert any(f.message.startswith(UNCHECKED) and p.name in f.message for f in findings)


# ----------------------------------------------------------------------------- finding the titles

def _found(text: str) -> list[tuple[str, str, int, int]]:
    return find_performance_tables(lines_from_text(text))


_BODY = ("项目名称\t{n}\n预算执行情况（万元）\t\t预算数（A）\t执行数（B）\t执行率（B/A）\n"
         "\t年度财政资金总额\t10\t9\t90%\n")


def test_titles_in_every_form():
    text = ("目录\n2023年度甲项目绩效自评表\n2023年度乙项目绩效自评表\n"            # a table of contents
            "附件2-1\n2023年度甲项目绩效自评表\n" + _BODY.format(n="甲")            # numbered on the line before
            + "附件2-2：2023年度乙项目支出绩效自评表\n" + _BODY.format(n="乙")       # numbered in front
            + "2023年度丙丁戊己庚辛壬癸子丑\n寅卯项目绩效自评表\n" + _BODY.format(n="丙丁戊己庚辛壬癸子丑寅卯")
            + "项目支出绩效自评表\n（2023年度）\n" + _BODY.format(n="无名")          # the name only inside
            + "2023年度部门整体支出绩效自评表（续）\n" + "年度绩效指标\t一级指标\n"    # continued: no new form
            + "2023年度子项目绩效自\n评表\n" + _BODY.format(n="子"))
    found = _found(text)
    assert [(k, t) for k, t, _, _ in found] == [
        ("project", "2023年度甲项目绩效自评表"), ("project", "2023年度乙项目支出绩效自评表"),
        ("project", "2023年度丙丁戊己庚辛壬癸子丑寅卯项目绩效自评表"), ("project", "项目支出绩效自评表"),
        ("project", "2023年度子项目绩效自评表")]
    lines = lines_from_text(text)
    # the continued lines belong to the form before; "附件2-2" is no part of 甲's lines
    assert "续" not in "".join(line.text for line in lines[found[3][2]:found[3][3]][:1])
    assert any("年度绩效指标" in line.text for line in lines[found[3][2]:found[3][3]])
    assert not any(line.text.startswith("附件2-2") for line in lines[found[0][2]:found[0][3]])


def test_a_title_in_running_text_is_no_form():
    text = "详见附件：2023年度部门整体支出绩效自评表\n本单位按要求开展了绩效自评，结果良好。\n"
    assert [k for k, *_ in _found(text)] == ["unknown"]


def test_forms_outside_the_attachments_part_are_read(built, tmp_path):
    """No 第六部分 附件 heading: the forms follow 名词解释 after a plain "附件" line; they are read,
    and the glossary gets none of their lines."""
    layout, doc, _, text, _ = built
    k = [m.start() for m in re.finditer(r"^第.部分 附件$", text, re.M)][-1]    # not the 目录's
    text = text[:k] + "附件\n" + text[text.index("\n", k) + 1:]
    p = tmp_path / "no-part.txt"
    p.write_text(text, encoding="utf-8")
    result = parse(p)
    assert form_figures(result.document) == form_figures(doc)
    assert not any("绩效自评表" in g.term or "项目名称" in g.text for g in result.document.glossary)


def test_percentages_beyond_their_range(built):
    """JS411 on the indicators: a share above 100% (a 满意度 of 950%) and anything negative or above
    1000% are pointed out; a rate that may exceed 100% (预算调整率 114.32%) is not."""
    import copy
    layout, doc, *_ = built
    doc = copy.deepcopy(doc)
    p, q = projects(doc)[:2]
    p.indicators[-1].actual = "950%"               # the last indicator: 服务对象满意度
    q.indicators[0].target, q.indicators[0].level3 = "114.32%", "预算调整率"
    q.indicators[1].actual = "-5%"
    found = {(f.message.split("指标“")[1].split("”")[0], f.severity) for f in check(doc, select=["JS411"])}
    assert found == {(p.indicators[-1].level3, "warning"), (q.indicators[1].level3, "warning")}


def test_figures_outside_every_form_are_reported(tmp_path):
    """A line with figures in the attachments that belongs to no form is said to be unread."""
    text = ("2023年度某单位部门决算公开\n第六部分 附件\n以下各表金额单位为万元，共 2 张。\n"
            "2023年度甲项目绩效自评表\n" + _BODY.format(n="甲"))
    p = tmp_path / "stray.txt"
    p.write_text(text, encoding="utf-8")
    result = parse(p)
    assert [x.name for x in projects(result.document)] == ["甲"]
    assert any("共 2 张" in u["text"] and "不在任何绩效自评表内" in u["reason"] for u in result.coverage.unreadable)
