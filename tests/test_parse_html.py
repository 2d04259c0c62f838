"""HTML reader (juesuan.parse.html): government pages (GBK, nested divs, <br>, &nbsp;, spans)
and our own ``build`` output."""

from __future__ import annotations

import pytest

from juesuan.errors import InputError
from juesuan.parse.html import read_html

GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某区某局2023年度部门决算公开</title><script>var x = "<p>不是正文</p>";</script>
<style>.a{color:red}</style></head>
<body><div class="wrap"><div class="content"><div id="zoom">
<p style="text-align:center"><strong>第二部分&nbsp;&nbsp;部门决算表</strong></p>
<div>收入决算表<br>部门：某区某局&nbsp;&nbsp;&nbsp;金额单位：万元</div>
<table border="1" cellspacing="0">
 <tr><td colspan="2">项目</td><td rowspan="2">本年收入<br>合计</td><td colspan="2">其中</td></tr>
 <tr><td>功能分类<br>科目编码</td><td>科目名称</td><td>财政拨款收入</td><td>其他收入</td></tr>
 <tr><td>201</td><td>一般公共
   服务支出</td><td>1,184.74</td><td>１，１８４．７４</td><td>&nbsp;</td></tr>
 <tr><td>2010350</td><td>事业运行</td><td>247.04</td><td></td><td>-</td></tr>
</table>
<p>本部门没有政府性基金收入，<span>也没有使用政府性基金安排的支出</span>，故本表无数据。</p>
<div style="display:none">隐藏的文字</div>
<ol><li>研究制订工作规划</li><li>1.已有编号</li></ol>
<table><tr><td><table><tr><td>嵌套表格</td></tr></table></td><td><p>版式表格里的段落</p></td></tr></table>
</div></div></div></body></html>
"""


@pytest.fixture
def gov(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(GOV_PAGE.encode("gb18030"))
    return read_html(p)


def test_gbk_page_decoded(gov):
    assert "encoding: gb18030" in gov.notes
    assert gov.lines[0].cells == ["第二部分 部门决算表"]


def test_br_and_nbsp(gov):
    texts = [ln.text for ln in gov.lines if not ln.grid]
    assert texts[1:3] == ["收入决算表", "部门：某区某局 金额单位：万元"]


def test_rowspan_colspan_expanded_to_full_grid(gov):
    rows = [ln.cells for ln in gov.lines if ln.grid and ln.table_index == 0]
    assert rows == [
        ["项目", "", "本年收入合计", "其中", ""],
        ["功能分类科目编码", "科目名称", "", "财政拨款收入", "其他收入"],
        ["201", "一般公共服务支出", "1,184.74", "1,184.74", ""],
        ["2010350", "事业运行", "247.04", "", "-"],
    ]


def test_scripts_hidden_and_layout_tables(gov):
    texts = [ln.text for ln in gov.lines]
    assert not any("不是正文" in t or "隐藏" in t for t in texts)
    assert "本部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。" in texts
    assert "1.研究制订工作规划" in texts and "1.已有编号" in texts
    # the outer layout table is read as blocks; the inner one is a data table
    assert "版式表格里的段落" in texts
    assert ["嵌套表格"] in [ln.cells for ln in gov.lines if ln.grid]


def test_utf8_with_wrong_meta_falls_back(tmp_path):
    p = tmp_path / "x.html"
    p.write_bytes('<html><head><meta charset="utf-8"></head><body><p>收入</p></body></html>'
                  .encode("gb18030"))
    doc = read_html(p)
    assert doc.lines[0].cells == ["收入"]


def test_empty_and_missing(tmp_path):
    p = tmp_path / "empty.html"
    p.write_bytes(b"   ")
    with pytest.raises(InputError) as e:
        read_html(p)
    assert "empty.html" in str(e.value)
    with pytest.raises(InputError):
        read_html(tmp_path / "missing.html")


def test_built_html_tables(example_model, example_tables, tmp_path):
    from juesuan.final.narrative import build_document
    from juesuan.renderers import render

    path = render(build_document(example_model, example_tables), "html", tmp_path)
    doc = read_html(path)
    rows = [ln.cells for ln in doc.lines if ln.grid]
    assert ["一、一般公共预算财政拨款收入", "1", "1,294.48", "一、一般公共服务支出", "32", "1,184.74"] in rows
    assert ["201", "03", "50", "事业运行", "247.04", "247.04", "", "", "", ""] in rows
    tables = {ln.table_index for ln in doc.lines if ln.grid}
    assert len(tables) >= 9
    texts = [ln.text for ln in doc.lines if not ln.grid]
    assert "第一部分 武汉市汉阳区大数据中心概况" in texts
    assert any(t.startswith("1.研究制订有关区级政府电子政务") for t in texts)


def test_cell_line_breaks_join_chinese_keep_latin_words(tmp_path):
    p = tmp_path / "c.html"
    p.write_text('<table><tr><td>本年收入<br>合计</td><td>Total<br>amount</td>'
                 '<td><p>一般公共</p><p>服务支出</p></td><td>1,294.48</td></tr></table>', encoding="utf-8")
    assert read_html(p).lines[0].cells == ["本年收入合计", "Total amount", "一般公共服务支出", "1,294.48"]
