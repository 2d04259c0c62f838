"""Controlled rounding, property-tested on random yuan data (hypothesis).

For any department data: every identity between displayed figures holds exactly
after rounding, one quantity shows one figure in every table, and no displayed
figure is off from its own yuan value by one unit (0.01 万元) or more.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan import build_tables
from juesuan.final.model import Disclosure

ITEMS = ["2010101", "2010350", "2010399", "2050201", "2080505", "2080506", "2101101",
         "2101102", "2101103", "2130599", "2120101", "2210201", "2210202", "2210203"]
ECON = ["30101", "30102", "30107", "30108", "30113", "30201", "30211", "30226", "30305", "31002"]
UNIT = Decimal("0.01")

cents = st.integers(min_value=0, max_value=5_000_000_00).map(lambda c: Decimal(c) / 100)


@st.composite
def disclosures(draw):
    codes = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=len(ITEMS), unique=True))
    income, expenditure, approp = [], [], []
    general_basic = Decimal(0)
    for code in sorted(codes):
        gb, gp = draw(cents), draw(cents)
        fb = draw(st.one_of(st.just(Decimal(0)), cents))       # 政府性基金 project money
        nf_basic, other = draw(st.one_of(st.just(Decimal(0)), cents)), draw(st.one_of(st.just(Decimal(0)), cents))
        expenditure.append({"code": code, "basic": gb + nf_basic, "project": gp + fb, "operating": other})
        approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
        if fb:
            approp.append({"code": code, "fund": "gov_fund", "project": fb})
        income.append({"code": code, "general": gb + gp, "gov_fund": fb, "business": nf_basic,
                       "operating": other})
        general_basic += gb
    # split the general basic spending over economic items (exact in yuan)
    n = draw(st.integers(min_value=1, max_value=len(ECON)))
    cuts = sorted(draw(st.lists(st.integers(0, int(general_basic * 100)), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, int(general_basic * 100)]
    econ = {ECON[i]: Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(n)}
    tp = {k: draw(st.one_of(st.just(Decimal(0)), cents)) for k in
          ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
    return Disclosure.model_validate({
        "year": 2023,
        "entity": {"name": "测试单位", "level": "区", "unit_type": "行政单位"},
        "income": income, "expenditure": expenditure, "appropriations": approp,
        "basic_by_economic": econ,
        "three_public": {"budget": tp, "final": tp},
    })


def _check_identities(ts) -> None:
    t1, t3 = ts["T1"], ts["T3"]
    for tid, total_col, parts in (
        ("T3", "本年支出合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]),
        ("T2", "本年收入合计", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入",
                                "其他收入"]),
        ("T5", "小计", ["基本支出", "项目支出"]),
        ("T7", "小计", ["基本支出", "项目支出"]),
    ):
        t = ts[tid]
        for row in t.rows:
            assert row.cells[total_col] == sum(row.cells[c] for c in parts), (tid, row.code)
        for col in t.layout.columns:
            h = col.header
            classes = [r for r in t.rows if r.level == 1]
            assert sum(r.cells[h] for r in classes) == t.row("合计").cells[h], (tid, h)
            for parent in [r for r in t.rows if r.level in (1, 2)]:
                kids = [r for r in t.rows if r.level == parent.level + 1 and r.code.startswith(parent.code)]
                assert sum(r.cells[h] for r in kids) == parent.cells[h], (tid, parent.code, h)
    # T1 = T3 by class; totals; 总计 both sides
    for r in t1.rows:
        if r.side == "支出" and r.code:
            t3row = t3.row(r.code)
            assert r.cells["决算数"] == (t3row.cells["本年支出合计"] if t3row else 0)
    assert t1.row("expenditure:total").cells["决算数"] == t3.row("合计").cells["本年支出合计"]
    assert t1.row("income:total").cells["决算数"] == ts["T2"].row("合计").cells["本年收入合计"]
    assert t1.row("grand_total:income").cells["决算数"] == t1.row("grand_total:expenditure").cells["决算数"]
    t6 = ts["T6"]
    assert (t6.row("人员经费合计").cells["决算数"] + t6.row("公用经费合计").cells["决算数"]
            == ts["T5"].row("合计").cells["基本支出"])
    t9 = ts["T9"].rows[0].cells
    for side in ("预算数", "决算数"):
        assert t9[f"{side}/合计"] == t9[f"{side}/因公出国（境）费"] + t9[f"{side}/小计"] + t9[f"{side}/公务接待费"]
        assert t9[f"{side}/小计"] == t9[f"{side}/公务用车购置费"] + t9[f"{side}/公务用车运行维护费"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(disclosures())
def test_controlled_rounding_keeps_identities_and_stays_within_one_unit(d):
    ts = build_tables(d)
    assert ts.rounding.violations == []
    _check_identities(ts)
    for t in ts:
        for row in t.rows:
            for col, shown in row.cells.items():
                exact = row.exact[col]
                assert shown == shown.quantize(UNIT)
                assert abs(shown - exact) < UNIT, (t.id, row.label, col, shown, exact)
