"""``juesuan consolidate`` (issue 16 §5): units summed into their department, internal transfers
eliminated, against families of units whose consolidated figures are known (tests/unitgen.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unitgen import OUTSIDE_SUPERIOR, OUTSIDE_UNIT, family

from juesuan.cli import invoke
from juesuan.errors import InputError
from juesuan.final import consolidate as cons
from juesuan.final.canonical import validate
from juesuan.final.dump import text
from juesuan.final.model import Entity
from juesuan.final.readers import load
from juesuan.pipeline import audit

ZERO = Decimal(0)


def run(units, name=None, level="部门"):
    return cons.consolidate([(f"{u.entity.name}.yaml", u) for u in units], name, level)


def records(d) -> dict:
    """Every amount of the four transfer lines of ``d`` by (unit, kind, 项, counterpart)."""
    return {k: v for k, v in cons._records([("x", d)]).items() if v}


def write_units(tmp_path, units) -> list:
    paths = []
    for i, u in enumerate(units):
        p = tmp_path / f"unit{i}.yaml"
        p.write_text(text(u), encoding="utf-8")
        paths.append(p)
    return paths


# ------------------------------------------------------------------------ against hand-computed sums

def _compare(d, f) -> None:
    e = f.expected
    assert {x.code: {k: getattr(x, k) for k in ("general", "gov_fund", "state_capital", "superior", "business",
                                               "operating", "affiliated", "other") if getattr(x, k)}
            for x in d.income} == e["income"]
    assert {x.code: {k: getattr(x, k) for k in ("basic", "project", "to_superior", "operating", "to_affiliated")
                     if getattr(x, k)} for x in d.expenditure} == e["expenditure"]
    assert {(a.code, a.fund.value): (a.basic, a.project) for a in d.appropriations} == e["appropriations"]
    assert {f.value: (b.opening, b.closing) for f, b in d.fund_balances.items()} == e["fund_balances"]
    assert {i.code: (i.opening, i.closing) for i in d.fund_items} == e["fund_items"]
    assert d.basic_by_economic == e["basic_by_economic"]
    for path, want in e["sums"].items():
        obj = d
        for part in path.split("."):
            obj = getattr(obj, part)
        assert obj == want, path
    for path, want in e["ints"].items():
        obj = d
        *head, last = path.split(".")
        for part in head:
            obj = getattr(obj, part)
        assert (obj[last] if isinstance(obj, dict) else getattr(obj, last)) == want, path
    assert {i.code: i.amount for i in d.initial_budget.items} == e["initial_budget"]
    assert [(p.name, p.implementer) for p in d.performance.projects] == \
        [(n, f"测试{f.names.index(u)}号" if f.names.index(u) else "测试局") for n, u in e["projects"]]
    assert [{"kind": t.kind, "code": t.code, "amount": t.amount, "counterpart": t.counterpart}
            for t in d.transfers] == e["transfers"]


@pytest.mark.parametrize("seed,n", [(1, 2), (2, 3), (3, 5), (4, 6), (5, 8), (6, 4)])
def test_consolidation_is_the_units_sums_less_their_transfers(seed, n):
    f = family(seed, n)
    r = run(f.units, f.names[0])
    d = r.disclosure
    _compare(d, f)
    assert r.eliminated == f.internal
    assert not [x for x in r.notes if x.message.startswith("未抵销")], r.notes
    assert not [x for x in validate(d) if x.severity == "error"]
    # the figures no unit's figures add up to are left out; the texts are the 本级's or none
    assert d.prior_year.total is None and d.prior_year.income is None and d.prior_year.expenditure is None
    assert d.reasons.total_change is None and d.three_public.reasons == {} and d.performance.overall is None
    assert d.operating_funds.reason is None and all(i.reason is None for i in d.initial_budget.items)
    assert d.entity.duties == ["第0号单位的职责。"] and d.entity.parent == OUTSIDE_SUPERIOR
    assert d.entity.units == f.names
    assert d.entity.structure.endswith(f"共{n}家：" + "、".join([f"{f.names[0]}本级", *f.names[1:]]) + "。")


def test_a_transfer_without_its_counterpart_in_the_set_is_kept():
    f = next(f for f in (family(s, 6) for s in range(20)) if f.expected["transfers"])
    # the 本级's 对附属单位补助支出 to a unit outside stays, listed with its counterpart
    d = run(f.units, f.names[0]).disclosure
    assert [(t.unit, t.counterpart) for t in d.transfers] == [(None, OUTSIDE_UNIT)]
    # without the 本级: what moved between the others is eliminated, what moved with the 本级 is kept
    r = run(f.units[1:], "测试局所属单位")
    inside = [x for x in f.flows if x[0] and x[3]]
    assert r.eliminated == sum((x[-1] for x in inside), ZERO)
    with_own = sum((x[-1] for x in f.flows if not (x[0] and x[3])), ZERO)
    assert sum((t.amount for t in r.disclosure.transfers), ZERO) == with_own
    assert all(t.counterpart == f.names[0] for t in r.disclosure.transfers if t.kind in ("superior", "to_superior"))


# ------------------------------------------------------------------------ the command line, build, check

def test_consolidated_data_builds_and_checks_without_error(tmp_path):
    f = family(7, 5)
    paths = write_units(tmp_path, f.units)
    out = tmp_path / "部门.yaml"
    r = invoke(["consolidate", *paths, "--name", f.names[0], "-o", out])
    assert r.exit_code == 0, r.output
    assert f"已汇总 5 份数据（5 家单位），抵销内部往来 {f.internal:,.2f} 元" in r.stdout
    d, _ = load(out)
    _compare(d, f)
    a = audit(out)
    errors = [x.message for x in a.findings if x.severity == "error"]
    assert not errors, errors
    r = invoke(["build", out, "-o", tmp_path / "部门.txt"])
    assert r.exit_code == 0, r.output
    body = (tmp_path / "部门.txt").read_text(encoding="utf-8")
    assert "【待填写" in body and f.names[3] in body          # reasons left to fill; the units listed
    # JSON reads back to the same data
    r = invoke(["consolidate", *paths, "--name", f.names[0], "-o", tmp_path / "部门.json"])
    assert r.exit_code == 0, r.output
    assert load(tmp_path / "部门.json")[0] == d


def test_inputs_of_different_years_or_a_unit_twice_are_refused(tmp_path):
    f = family(8, 3)
    paths = write_units(tmp_path, f.units)
    other = tmp_path / "2024.yaml"
    other.write_text(text(f.units[2].model_copy(update={"year": 2024})), encoding="utf-8")
    out = tmp_path / "out.yaml"
    r = invoke(["consolidate", paths[0], paths[1], other, "-o", out])
    assert r.exit_code == 2 and not out.exists()
    assert f"{other}: 错误: 只能汇总同一年度的决算：本文件为 2024 年度，而 {paths[0]} 为 2023 年度" in r.stderr
    r = invoke(["consolidate", *paths, paths[1], "-o", out])
    assert r.exit_code == 2 and not out.exists()
    assert f"单位“{f.names[1]}”重复：同一文件给出了两次" in r.stderr
    # a unit inside a consolidation given again beside it
    dept = tmp_path / "dept.yaml"
    assert invoke(["consolidate", *paths, "--name", f.names[0], "-o", dept]).exit_code == 0
    r = invoke(["consolidate", dept, paths[2], "-o", out])
    assert r.exit_code == 2 and f"{paths[2]}: 错误: 单位“{f.names[2]}”重复：{dept} 中已有这个单位" in r.stderr
    r = invoke(["consolidate", *paths, "--level", "地区", "-o", out])
    assert r.exit_code == 2 and "按地区汇总时请指定地区名称" in r.stderr
    r = invoke(["consolidate", paths[0], "-o", tmp_path / "out.csv"])
    assert r.exit_code == 2 and ".yaml 或 .json" in r.stderr
    r = invoke(["consolidate", paths[0], "-o", paths[0]])
    assert r.exit_code == 2 and "会覆盖它" in r.stderr


def test_what_cannot_be_matched_is_kept_and_said(tmp_path):
    def both_list(f):   # a unit whose 上级补助收入 both it and its superior list by counterpart
        return next((i for i, u in enumerate(f.units) if any(t.kind == "superior" for t in u.transfers) and any(
            t.kind == "to_affiliated" and t.counterpart == u.entity.name for v in f.units for t in v.transfers)), None)
    f = next(f for f in (family(s, 5) for s in range(50)) if both_list(f) is not None)
    units = list(f.units)
    # one side of a listed transfer changed: the two sides disagree, nothing of that pair is eliminated
    i = both_list(f)
    u = units[i]
    t = next(t for t in u.transfers if t.kind == "superior")
    inc = [x.model_copy(update={"superior": x.superior + 1}) if x.code == t.code else x for x in u.income]
    tr = [x.model_copy(update={"amount": x.amount + 1}) if x is t else x for x in u.transfers]
    b = u.balances.model_copy(update={"closing": u.balances.closing + 1})
    units[i] = u.model_copy(update={"income": inc, "transfers": tr, "balances": b})
    r = run(units, f.names[0])
    kept = [x for x in r.notes if x.message.startswith("未抵销")]
    assert len(kept) == 1 and kept[0].severity == "warning" and u.entity.name in kept[0].message
    assert f"{t.amount + 1:,.2f} 元" in kept[0].message and f"{t.amount:,.2f} 元" in kept[0].message
    assert r.eliminated == f.internal - t.amount
    assert not [x for x in validate(r.disclosure) if x.severity == "error"]
    # a unit that names no superior and lists nothing: its superior's payment to it cannot be placed
    own, child = next((f.units[0], u) for f in (family(s, 3) for s in range(50)) for u in f.units[1:]
                      if u.entity.parent == f.names[0] and not u.transfers and any(x.superior for x in u.income)
                      and not any(t.counterpart == u.entity.name for t in f.units[0].transfers))
    bare = child.model_copy(update={"entity": child.entity.model_copy(update={"parent": None})})
    r = run([own, bare], own.entity.name)
    msgs = [x.message for x in r.notes if x.message.startswith("未抵销")]
    assert any(f"{bare.entity.name} 的上级补助收入" in m and "也未填写上级单位" in m for m in msgs), msgs
    assert any(f"{own.entity.name} 的对附属单位补助支出" in m and "未列明对方单位" in m for m in msgs), msgs
    assert r.eliminated == ZERO


def test_the_command_says_what_was_not_eliminated(tmp_path):
    f = family(2, 3)
    units = [f.units[0], f.units[1].model_copy(update={"entity": f.units[1].entity.model_copy(
        update={"parent": None})}), f.units[2]]
    paths = write_units(tmp_path, [u.model_copy(update={"transfers": []}) for u in units])
    r = invoke(["consolidate", *paths, "--name", f.names[0], "-o", tmp_path / "d.yaml"])
    assert r.exit_code == 0, r.output
    if any(x.superior for x in units[1].income):
        assert "未抵销" in r.stderr and f.names[1] in r.stderr and "处未抵销（见上）" in r.stdout


def test_transfers_listed_beyond_their_line_are_refused(tmp_path):
    u = family(1, 2).units[1]
    x = next(x for x in u.income if x.superior)
    bad = u.model_copy(update={"transfers": [{"kind": "superior", "code": x.code, "amount": x.superior + 1,
                                              "counterpart": "某单位"}]})
    p = tmp_path / "bad.yaml"
    p.write_text(text(bad).replace("transfers:\n- {", "transfers:\n- {"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load(p)
    assert any(d.code == "L116" and "大于该科目的上级补助收入" in d.message for d in e.value.diagnostics)


def test_a_workbook_and_canonical_data_consolidate_together(tmp_path):
    from juesuan.pipeline import consolidate, template
    f = family(9, 2)
    plain = [u.model_copy(update={"transfers": [], "entity": u.entity.model_copy(update={"parent": None})})
             for u in f.units]
    y = write_units(tmp_path, plain)
    book = tmp_path / "unit1.xlsx"
    template(book, y[1])
    r = consolidate([y[0], book], name=f.names[0])
    both = run(plain, f.names[0]).disclosure
    assert r.model.income == both.income and r.model.expenditure == both.expenditure
    assert r.model.balances == both.balances


def test_region_level_lists_its_departments(tmp_path):
    a, b = family(10, 3), family(11, 2)
    b_units = [u.model_copy(update={"entity": u.entity.model_copy(update={
        "name": u.entity.name.replace("测试局", "另一局"),
        "parent": (u.entity.parent or "").replace("测试局", "另一局") or None})}) for u in b.units]
    b_units = [u.model_copy(update={"transfers": [t.model_copy(update={"counterpart": t.counterpart.replace(
        "测试局", "另一局")}) for t in u.transfers]}) for u in b_units]
    da = run(a.units, a.names[0]).disclosure
    db = run(b_units).disclosure
    r = run([da, db], "武汉市汉阳区", "地区")
    assert r.disclosure.entity.structure.startswith(
        f"从决算单位构成看，纳入武汉市汉阳区2023年度决算汇总范围的部门共2个：{da.entity.name}、{db.entity.name}（共5家单位）")
    assert r.disclosure.entity.duties == [] and r.disclosure.entity.phone is None
    assert r.eliminated == ZERO
    assert r.disclosure.income == run([*a.units, *b_units], "武汉市汉阳区", "地区").disclosure.income


# ------------------------------------------------------------------------ properties

def _figures(d):
    """``d`` without what depends on how the set was grouped: the entity's texts, the 本级's texts,
    and how the remaining transfers are written (compared as records)."""
    e = Entity(name=d.entity.name, level=d.entity.level, unit_type="行政单位", units=d.entity.units)
    return d.model_copy(update={"entity": e, "key_work": [], "transfers": [],
                                "performance": d.performance.model_copy(update={"management": None})}), records(d)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 7), data=st.data())
def test_consolidating_consolidations_gives_the_whole_consolidation(seed, n, data):
    f = family(seed, n)
    cuts = sorted(set(data.draw(st.lists(st.integers(1, n - 1), max_size=n - 1))))
    bounds = [0, *cuts, n]
    groups = []
    for i in range(len(bounds) - 1):
        part = f.units[bounds[i]:bounds[i + 1]]
        try:
            groups.append(run(part).disclosure)
        except InputError:   # no one unit the others are under: the group needs a name
            groups.append(run(part, f"第{i}组").disclosure)
    whole = run(f.units, f.names[0]).disclosure
    again = run(groups, f.names[0]).disclosure
    assert _figures(again) == _figures(whole)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 6), k=st.integers(0, 5))
def test_a_single_unit_consolidates_to_itself_without_its_narrative(seed, n, k):
    u = family(seed, n).units[min(k, n - 1)]
    d = run([u]).disclosure
    strip = u.model_copy(update={
        "reasons": type(u.reasons)(), "highlights": [], "transfers": [],
        "operating_funds": u.operating_funds and u.operating_funds.model_copy(update={"reason": None}),
        "three_public": u.three_public.model_copy(update={"reasons": {}}),
        "assets": u.assets.model_copy(update={"other": None}),
        "initial_budget": u.initial_budget.model_copy(update={"items": [
            i.model_copy(update={"reason": None}) for i in u.initial_budget.items]}),
        "performance": u.performance.model_copy(update={"overall": None}),
        "income": sorted(u.income, key=lambda x: x.code), "expenditure": sorted(u.expenditure, key=lambda x: x.code)})
    assert d.model_copy(update={"transfers": []}) == strip
    assert records(d) == records(u)


def test_inputs_read_in_worker_processes_give_the_same_result(tmp_path):
    from juesuan.pipeline import consolidate
    f = family(12, 6)
    paths = write_units(tmp_path, f.units)
    one = consolidate(paths, name=f.names[0])
    two = consolidate(paths, name=f.names[0], jobs=2)
    assert two.model == one.model and two.eliminated == one.eliminated == f.internal
    # an input that cannot be read is named, whichever process read it
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2023\nentity: [\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        consolidate([*paths, bad], name=f.names[0], jobs=2)
    assert [d.file for d in e.value.diagnostics] == [str(bad)]


def test_the_store_consolidates_what_it_holds(tmp_path):
    """Units imported into the store (each version keeps its data) consolidate as the files do;
    a version stored without data (a store of the first schema, upgraded) is named and left out."""
    import sqlalchemy as sa

    from juesuan.store import Store
    from juesuan.store.engine import migrate, open_engine, resolve_url
    f = family(7, 5)
    paths = write_units(tmp_path, f.units)
    db = tmp_path / "s.db"
    migrate(open_engine(resolve_url(db), upgrade=False), "0001")    # a store made before versions kept data
    r = invoke(["db", "import", paths[4], "--db", db])
    assert r.exit_code == 0, r.output
    with Store.open(db) as store:                     # opened: upgraded, the old version without data
        assert store.data(store.versions()[0]["id"]) is not None
        store.engine.dispose()
    with sa.create_engine(f"sqlite:///{db}").begin() as conn:
        conn.execute(sa.text("update versions set data = null"))
    r = invoke(["db", "import", *paths[:4], "--db", db])
    assert r.exit_code == 0, r.output
    direct = tmp_path / "direct.yaml"
    assert invoke(["consolidate", *paths[:4], "--name", f.names[0], "-o", direct]).exit_code == 0
    stored = tmp_path / "stored.yaml"
    r = invoke(["consolidate", "--db", db, "--year", str(f.units[0].year), "--name", f.names[0], "-o", stored])
    assert r.exit_code == 0, r.output
    assert f.names[4] in r.output and "数据库中没有它的数据" in r.output
    body = lambda p: "".join(line for line in p.read_text(encoding="utf-8").splitlines(True)  # noqa: E731
                             if not line.startswith("#"))
    assert body(stored) == body(direct)
    assert invoke(["consolidate", "--db", db, "-o", stored]).exit_code == 2           # --year needed
    assert invoke(["consolidate", paths[0], "--db", db, "--year", "2023", "-o", stored]).exit_code == 2
