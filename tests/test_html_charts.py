"""Charts: PNGs (for DOCX/PDF) draw Chinese with the bundled CJK font; SVGs carry the figures."""

from __future__ import annotations

import warnings
from decimal import Decimal

from juesuan.document import Chart
from juesuan.fonts import cjk_font_path
from juesuan.renderers.charts import chart_png, chart_svg

D = Decimal


def test_png_draws_chinese_without_missing_glyphs():
    chart = Chart("fig3", "图3：支出决算结构", "pie", ["基本支出", "项目支出"], [D("353.78"), D("940.70")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart_png(chart, dpi=60)
        bar = chart_png(Chart("fig1", "图1：收、支决算总计变动情况", "bar", ["2022年度", "2023年度"],
                              [D("1732.61"), D("1294.48")]), dpi=60)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and bar[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 5000
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert cjk_font_path().endswith("NotoSansSC-Regular.otf")


def test_svg_shares_are_computed_from_displayed_figures():
    svg = chart_svg(Chart("fig2", "图2：收入决算结构", "pie", ["财政拨款收入", "事业收入"], [D("1.00"), D("2.00")]))
    assert "财政拨款收入 1.00万元（33.33%）" in svg and "事业收入 2.00万元（66.67%）" in svg
    assert svg.count("<path") == 2
