"""The HTML disclosure, parsed back with lxml: structure, anchors, charts, 附件 tables,
placeholders, self-containment; and ``juesuan build --format html`` end to end."""

from __future__ import annotations

import re
from decimal import Decimal

import lxml.html
import pytest

from juesuan.document import Chart
from juesuan.final.build import build_tables
from juesuan.final.forms import overall
from juesuan.final.model import Reasons
from juesuan.final.narrative import build_document
from juesuan.renderers.charts import chart_svg
from juesuan.renderers.html import render_html


@pytest.fixture(scope="module")
def doc(example_model, example_tables):
    return build_document(example_model, example_tables)


@pytest.fixture(scope="module")
def tree(doc):
    return lxml.html.fromstring(render_html(doc))


def test_toc_anchors_resolve_and_ids_are_unique(tree):
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    links = tree.xpath("//nav[@class='toc']//a/@href")
    assert len(links) > 40
    for href in links:
        assert href.startswith("#") and tree.get_element_by_id(href[1:]) is not None, href
    toc = tree.xpath("string(//nav[@class='toc'])")
    for title in ("第一部分", "第三部分", "十三、预算绩效情况说明", "第五部分　名词解释", "部门整体绩效自评表"):
        assert title in toc


def test_parts_and_sections_in_order(tree):
    parts = [h.text_content() for h in tree.xpath("//section[@class='part']/h2")]
    assert [p[:4] for p in parts] == ["第一部分", "第二部分", "第三部分", "第四部分", "第五部分", "第六部分"]
    heads = [h.text_content() for h in tree.xpath("//section[@id='part-narrative']/section/h3")]
    assert heads[0] == "一、收入支出决算总体情况说明" and heads[-1] == "十三、预算绩效情况说明"
    assert len(heads) == 13


def test_self_contained(tree):
    assert not tree.xpath("//link | //script[@src] | //iframe")
    for attr in tree.xpath("//@src | //@href"):
        assert not re.match(r"(?i)(https?:)?//", attr), attr
    assert tree.xpath("//style")


def test_charts_inline_with_values(tree, doc):
    from juesuan.renderers.charts import drawn_charts
    figs = tree.xpath("//figure[@class='chart']")
    # the charts that say something (no one-slice pie, no repeat of a chart before it)
    assert [f.get("id") for f in figs] == list(drawn_charts(doc)) and figs
    fig1 = figs[0].text_content()
    assert "1732.61" in fig1 and "1294.48" in fig1 and "2022年度" in fig1
    spending = next(f for f in figs if f.get("id") == "fig3")
    assert "基本支出 353.78万元（27.33%）" in spending.text_content()


def test_tables_and_attachments(tree, doc):
    assert len(tree.xpath("//table[contains(@class,'data')]")) == 9
    projects = tree.xpath("//table[contains(@class,'project')]")
    assert len(projects) == 15
    p6 = projects[5]
    cells = [c.text_content() for c in p6.xpath(".//td")]
    assert "汉阳区市民热线指挥平台升级改造" in cells and "90" in cells and "78.9" in cells and "87.67%" in cells
    assert "1、部门预算项目 ☑" in p6.text_content() and "2、区直专项 □" in p6.text_content()
    ov = tree.xpath("//table[contains(@class,'overall')]")[0]
    assert "3537776.2元" in ov.text_content() and "9407064.37元" in ov.text_content()
    assert len(ov.xpath(".//tr")) == 4 + len(overall(doc).indicators) + 2
    kw = tree.xpath("//table[contains(@class,'key_work')]//tr")
    assert len(kw) == 1 + 4
    assert "区级财政" in tree.xpath("string(//section[@id='part-glossary'])")


def test_placeholders_highlighted(example_model):
    d = example_model.model_copy(update={"reasons": Reasons()})
    doc = build_document(d, build_tables(d))
    tree = lxml.html.fromstring(render_html(doc))
    marks = [m.text_content() for m in tree.xpath("//section[@class='part']//mark[@class='placeholder']"
                                                  " | //header//mark[@class='placeholder']")]
    assert marks and set(marks) == set(doc.placeholders)
    assert tree.xpath("string(//header/p[@class='cover'])") == "武汉市汉阳区大数据中心　【待填写：公开日期】"
    assert "请补充后再公开" in tree.xpath("string(//aside)")
    # the places counted as build --strict counts them (a placeholder printed twice is two places)
    assert f"本文档还有 {len(doc.placeholder_places())} 处" in tree.xpath("string(//aside)")
    assert len(doc.placeholder_places()) > len(doc.placeholders)


def test_chart_svg_handles_empty_and_zero():
    svg = chart_svg(Chart("fig2", "图2：收入决算结构", "pie", [], []))
    assert "无数据" in svg and svg.startswith("<svg")
    bar = chart_svg(Chart("fig1", "图1", "bar", ["2022年度", "2023年度"], [Decimal("0"), Decimal("0")]))
    assert bar.count("<rect") == 2 and "0.00" in bar


def test_build_command_writes_html(tmp_path):
    from conftest import EXAMPLE

    from juesuan.cli import invoke
    res = invoke(["build", str(EXAMPLE), "-o", str(tmp_path), "--format", "html"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 2 and "十三、预算绩效情况说明" in html


def test_minimal_document_renders():
    """A parsed document may have no tables, no 附件 and no year: the page still renders."""
    from juesuan.document import Document, Paragraph, Part, Section
    doc = Document(title="某单位部门决算公开", entity="某单位", year=None, parts=[
        Part("narrative", "三", "情况说明", sections=[Section("一", "收入支出决算总体情况说明", paragraphs=[
            Paragraph("收、支总计【待填写：数字】。", kind="placeholder")])]),
        Part("attachments", "六", "附件")])
    tree = lxml.html.fromstring(render_html(doc))
    assert tree.xpath("//p[@class='placeholder']/mark[@class='placeholder']")
    assert not tree.xpath("//table")
